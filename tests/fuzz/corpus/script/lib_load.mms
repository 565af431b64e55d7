# Shared libraries: `lib` lays a file out as text, data and bss; `P load` maps it as ld.so.
config mem=64M
lib libm.so text=8 data=2 bss=3
lib ld text=1
spawn P
spawn Q
P load libm.so as M
Q load libm.so as M
P load ld
P exec M 0-7
Q exec M 0
P write M 8
P write M 10
P read ld 0
expect P pss 28
expect cache libm.so 10
file f 64
dropcache f
P read file f
P read file f pages=8
P read file f offset=40 pages=2
expect cache f 30
