# Regression (stress2, data-shadow stress seed 127): a read hit on a file page carrying
# the readahead mark starts async readahead, whose allocations under the frame cap
# reclaimed the faulting page itself; filemap_get_page() then returned the stale pfn,
# the PTE for fb[4] mapped the frame reused for fb[11], and reclaim of fb[11] hit
# MM_BUG_ON(pg->mapcount != 0) in evict_file(). Shrunk by line-level ddmin from
# mmsim_stress --dump-script F --seed 127 (the whole sequence is needed for the frame
# layout). Passing means: the run completes without a kernel BUG.
config mem=16384K swap=256K frames=64 policy=lru reclaim=demand data=on thp=never
file fa 32
file fb 12
spawn P1
P1 map R1 63 rw private
P1 remap R1 121
P1 write R1 64
P1 map R2 file fa offset=28 pages=1 private rw
P1 fork P2
spawn P4
P4 map R6 32 rw private
P2 write R1 30
P2 write R1 37
P2 write R1 44
P2 write R1 51
P2 write R1 21
P2 write R1 28
P2 write R1 35
P2 write R1 42
P2 write R1 49
P2 write R1 0
P1 map R9 21 rw shared
P4 write R6 18
P4 write R6 6
P2 fork P6
P1 write R1 111
P1 write R1 118
P1 write R1 4
P1 write R1 11
P1 write R1 18
P1 write R1 25
P1 write R1 32
P1 write R1 39
P1 write R1 46
P1 write R1 53
P1 write R1 60
P1 write R1 67
P1 write R1 74
P1 fork P7
P1 write R9 18
spawn P8
P6 map R12 55 rw shared
P7 write R2 0
P8 map R16 file fa offset=13 pages=17 private rw
P8 map R18 1024 rw shared
P6 map R19 55 rw shared
P6 write R1 26
P6 write R1 33
P6 write R1 40
P6 write R1 47
P8 map R20 42 rw private
P6 read R12 0-0
P6 read R19 0-29
spawn P10
P8 write R18 237
P8 write R18 244
P8 write R18 251
spawn P11
P8 write R18 259
P8 write R18 266
P8 write R16 12
P8 write R16 5
P8 write R16 11
P1 read R9 9-15
P11 map R24 6 rw shared
P8 write R16 1
P8 write R16 8
P8 map R27 1024 rw private
P11 map R28 file fb offset=9 pages=2 shared rw
P11 fork P13
P13 read R24 5-5
P11 write R24 1
P8 read R27 98-128
P11 map R31 38 rw private
P10 map R32 10 rw private
P13 map R33 21 rw shared
P13 read R28 1-1
P8 remap R20 65
P10 map R37 61 rw private
P8 write R20 35
P8 write R20 49
P8 write R20 56
P8 write R20 63
P10 write R32 1
P10 write R32 8
P10 write R32 5
P10 map R38 file fa offset=29 pages=1 private rw
P11 write R31 13
P11 write R31 20
P11 write R31 27
P11 write R31 34
P11 write R31 3
P11 write R31 10
P13 read R24 3-3
reclaim 332K
P10 write R38 0
P10 remap R37 85
P13 read R33 0-19
P13 map R41 53 rw shared
P13 fork P14
P10 write R32 6
P10 map R42 21 rw shared
P14 write R24 4
P14 read R41 0-52
P14 read R24 2-2
P10 fork P15
P10 read R42 3-7
P15 write R37 55
P15 write R37 62
P15 write R37 69
P13 read R41 12-33
P13 fork P16
spawn P17
P17 map R45 1024 rw private
P16 read R33 0-7
P17 write R45 10
P17 write R45 35
P17 write R45 42
P17 write R45 49
P17 write R45 56
P17 write R45 63
spawn P18
P18 map R47 63 rw private
P18 write R47 49
P18 write R47 56
P18 write R47 0
P18 write R47 7
spawn P21
P21 map R58 file fa offset=21 pages=3 shared rw
P21 write R58 1
spawn P25
P25 map R72 47 rw private
P25 fork P26
P26 write R72 33
P26 map R73 file fb offset=11 pages=1 shared rw
P25 map R74 file fa offset=14 pages=10 private rw
P26 map R78 21 rw shared
P25 write R74 3
P25 write R74 0
P25 write R74 7
P25 write R74 4
P25 write R74 1
P25 write R74 5
P25 write R74 2
P25 write R74 9
P25 write R74 6
P26 map R80 53 rw shared
P26 read R73 0-0
spawn P30
P30 map R81 31 rw shared
P26 read R80 22-51
P30 read R81 3-13
P26 fork P31
P31 map R83 23 rw private
P30 write R81 22
P30 write R81 29
P31 write R83 21
P31 write R83 5
P31 write R83 12
P31 write R83 19
P31 write R83 3
P26 read R78 0-20
spawn P34
P30 map R91 file fb offset=3 pages=7 private rw
P30 map R92 file fa offset=0 pages=9 private rw
P30 read R91 0-6
P30 write R92 4
P30 read R81 0-0
P34 map R93 file fa offset=31 pages=1 shared rw
P34 read R93 0-0
P30 exit
spawn P37
spawn P38
P37 map R96 19 rw private
P37 write R96 12
P37 write R96 6
P37 write R96 13
P38 map R98 40 rw shared
P38 fork P39
P38 map R100 50 rw private
P38 remap R100 51
P39 read R98 0-39
P38 map R102 1024 rw private
spawn P40
P38 map R104 22 rw shared
P40 fork P41
P38 read R104 16-20
P38 map R106 50 rw shared
P38 fork P42
spawn P43
P43 fork P44
P41 map R108 19 rw private
P44 map R111 35 rw private
P44 write R111 16
P44 write R111 23
P44 write R111 30
P40 map R113 24 rw private
P40 map R114 23 rw private
P42 write R102 231
P38 write R106 29
P38 write R106 36
P41 map R115 file fa offset=22 pages=9 private rw
P41 map R116 file fb offset=3 pages=4 private rw
P40 write R113 19
P40 write R113 20
P40 write R113 3
P40 write R113 10
P40 write R113 17
P40 write R113 0
P42 read R104 0-11
P40 write R113 8
P40 write R113 15
P41 remap R108 38
spawn P46
spawn P47
P40 write R114 16
P40 write R114 0
P40 write R114 7
P40 write R114 14
P46 map R125 26 rw private
P46 write R125 25
P46 write R125 6
P46 write R125 13
P46 write R125 20
P47 map R126 file fa offset=18 pages=12 private rw
P47 map R130 file fa offset=29 pages=3 private rw
P47 write R130 2
P47 write R130 0
P46 map R131 1024 rw private
P41 write R116 2
P40 write R114 12
P47 map R133 6 rw shared
P41 write R115 4
P41 write R115 2
P41 write R115 0
spawn P48
P46 write R125 4
P46 write R125 11
P47 map R135 file fa offset=9 pages=5 shared rw
P48 map R136 file fb offset=4 pages=1 shared rw
P41 write R108 13
P41 write R108 20
P41 write R108 27
P41 write R108 34
P41 write R108 3
P41 write R108 10
P41 write R108 17
P41 write R108 24
P47 map R137 51 rw private
P47 write R126 0
P47 write R126 1
P47 fork P49
P46 write R131 971
P49 fork P50
P50 write R137 10
P50 write R137 24
P50 write R137 31
P50 write R137 3
P50 write R126 0
P50 write R126 1
P47 write R133 0
P47 write R133 1
P47 write R133 2
P48 map R145 30 rw shared
P48 write R145 26
P48 write R145 3
P48 fork P53
P48 read R145 13-18
P50 read R135 1-2
spawn P55
P53 write R136 0
P50 read R133 3-5
P50 fork P56
dropcache fa
P53 read R145 8-12
P55 map R148 file fa offset=15 pages=12 private rw
P55 write R148 2
P55 write R148 4
P55 write R148 11
P55 write R148 6
P55 write R148 1
P48 write R145 22
P48 write R145 29
P48 write R145 6
P48 write R145 13
P48 write R145 20
P48 write R145 27
P48 map R149 file fa offset=4 pages=17 shared rw
P55 write R148 5
P48 read R145 11-26
P48 read R136 0-0
P53 read R145 28-28
P53 write R145 8
P53 write R145 15
P53 write R145 22
P53 write R145 29
P53 write R145 6
P53 write R145 13
P53 write R145 20
P53 write R145 27
P53 write R145 4
P53 write R145 11
P53 write R145 18
P56 write R137 3
P56 write R137 10
P56 write R137 17
P56 write R137 24
P56 write R137 31
P50 read R130 0-2
P50 read R133 2-5
compact_memory
P48 write R149 8
