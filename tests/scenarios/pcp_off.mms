# pcp=off: Linux's disabled pageset (high 0, batch 1, as zone_pcp_disable() leaves it):
# every order-0 free reaches the free lists at once. The same steps as pcp.mms; each free
# shows in nr_free_pages right away (15500 is mmsim's own figure: a regression value).
config mem=64M swap=0 pcp=off paranoid=on
spawn P
P map A 100
P write A 0-99
expect sys nr_free_pages == 15500
P unmap A 0-99
expect sys nr_free_pages == 15601
P map B 100
P write B 0-99
expect sys nr_free_pages == 15500
P unmap B 0-99
P map C 300
P write C 0-299
expect sys nr_free_pages == 15300
P unmap C 0-299
expect sys nr_free_pages == 15601
expect sys pgfree == 503
