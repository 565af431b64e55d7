#!/usr/bin/env bash
# Regenerates the plots in docs/img/ for the page-size and KPTI experiments (issue 19):
#   docs/img/pagesize.svg  from `mmsim experiment pagesize` on the kv, server and sort
#                          workloads' own traces (docs/page-size.md)
#   docs/img/kpti.svg      page walks with kpti on against off, PCID on and off, for every
#                          built-in workload (docs/kernel.md)
# usage: scripts/plot_docs.sh [MMSIM_BINARY]   (default build/mmsim; needs gnuplot and
# python3). mmsim's output is deterministic, so the same tree gives the same figures.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
mmsim=${1:-$here/build/mmsim}
img=$here/docs/img
command -v gnuplot >/dev/null || { echo "plot_docs: gnuplot is missing" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Page sizes: one row per (workload, page size).
for w in kv server sort; do
	"$mmsim" run -q --workload "$w" --save-trace "$work/$w.bin.zst" >/dev/null
	"$mmsim" experiment pagesize --json "$work/$w.bin.zst" >"$work/$w.json"
done
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
for w in ("kv", "server", "sort"):
    rows = json.load(open("%s/%s.json" % (work, w)))["page_sizes"]
    with open("%s/%s.dat" % (work, w), "w") as f:
        f.write("# KiB faults l2_misses table_KiB\n")
        for r in rows:
            f.write("%d %d %d %g\n" % (r["page_bytes"] // 1024, r["faults"], r["l2_misses"],
                                       r["table_bytes"] / 1024))
PY
gnuplot <<GP
set terminal svg size 960,360 font "sans,11" background "white"
set output "$img/pagesize.svg"
set multiplot layout 1,3 title "mmsim experiment pagesize: a what-if, NOT x86 (docs/page-size.md)"
set logscale xy 2
set xtics ("4K" 4, "8K" 8, "16K" 16, "64K" 64)
set xrange [3:80]
set xlabel "base page size"
set key top right
set grid
set logscale y 10
set title "faults (first touches)"
plot for [w in "kv server sort"] "$work/".w.".dat" using 1:2 with linespoints lw 2 title w
set title "STLB misses (1,536 entries, 12-way)"
plot for [w in "kv server sort"] "$work/".w.".dat" using 1:3 with linespoints lw 2 title w
set title "page-table memory (KiB)"
set key top left
plot for [w in "kv server sort"] "$work/".w.".dat" using 1:4 with linespoints lw 2 title w
unset multiplot
GP

# 2. KPTI: page walks with kpti=on divided by kpti=off, per workload and PCID setting.
walks() {
	"$mmsim" run -q --workload "$1" --pcid "$2" --kpti "$3" --json - |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["page_walks"])'
}
: >"$work/kpti.dat"
for w in server sort matmul kv grow; do
	line="$w"
	for p in on off; do
		off=$(walks "$w" "$p" off)
		on=$(walks "$w" "$p" on)
		line="$line $(python3 -c "print('%.4f' % ($on / $off))")"
	done
	echo "$line" >>"$work/kpti.dat"
done
gnuplot <<GP
set terminal svg size 720,380 font "sans,11" background "white"
set output "$img/kpti.svg"
set title "KPTI's TLB cost in mmsim: page walks with kpti=on / kpti=off (docs/kernel.md)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y 2
set yrange [0.8:16]
set ylabel "page walks, kpti on / off"
set grid ytics
set key top left
plot "$work/kpti.dat" using 2:xtic(1) title "PCID on", "" using 3 title "PCID off"
GP
cat "$work/kpti.dat"
echo "plot_docs: wrote $img/pagesize.svg and $img/kpti.svg"
