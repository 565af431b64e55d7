#!/usr/bin/env bash
# mmsim's /proc views against the same files captured from a real Linux kernel: 6.18.44
# (uname -r: 6.18.44-fc-v1147, x86-64, 4-level paging; tests/data/linux-6.18.44-fc-v1147/
# holds meminfo, status (of `cat /proc/self/status`), slabinfo and the full uname line).
# Values differ (another machine, other processes); what must agree is the layout:
#   meminfo  the same field names in the same order; each value ends in the same column and
#            carries the same unit (Linux show_val_kb(): label padded to 16, %8lu, " kB");
#   status   the same field names in the same order, a tab after each name, kB values right
#            aligned in 8 columns, fixed-width hex masks of the same width, and numeric
#            fields with the same number of parts (Uid's four ids, SigQ's queued/limit);
#   slabinfo the same two header lines, and every row's columns ending where Linux's end
#            (mm/slab_common.c cache_show()); lines starting with '#' after the header are
#            comments, as slabtop skips them, and mmsim's one comment starts "# mmsim:".
# To re-capture on another kernel: copy /proc/meminfo, /proc/self/status and /proc/slabinfo
# (as root) into tests/data/linux-$(uname -r)/ and point LINUX below at it.
#
#   test_proc_views_linux.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
LINUX=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data/linux-6.18.44-fc-v1147" && pwd) || exit 1
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_proc_views_linux: $*" >&2; exit 1; }

cat >views.mms <<'MMS'
config mem=64M swap=32M
spawn P
P map A 64
P write A 0-9
P map S 8 shared
P read S 0
P fork Q
show sys meminfo
show Q status
show sys slabinfo
MMS
"$mmsim" script views.mms >out.txt || fail "script: exit $?"
section() { # the text of the view whose header line starts with "== $1"
	awk -v h="== $1" '/^== /{on=index($0, h)==1; next} on' out.txt
}
section "sys meminfo" >meminfo
section "Q status" >status
section "sys slabinfo" >slabinfo
for f in meminfo status slabinfo; do [ -s $f ] || fail "no $f view in: $(cat out.txt)"; done

# meminfo: "label|column where the value ends|unit".
meminfo_shape() {
	awk '{
		if (!match($0, /[0-9]+( kB)?$/)) { print "BAD LINE: " $0; next }
		unit = substr($0, RSTART + RLENGTH - 3) == " kB" ? "kB" : ""
		end = RSTART + RLENGTH - 1 - (unit == "kB" ? 3 : 0)
		label = substr($0, 1, index($0, ":"))
		print label "|" end "|" unit
	}' "$1"
}
meminfo_shape "$LINUX/meminfo" >meminfo.linux
meminfo_shape meminfo >meminfo.mmsim
diff meminfo.linux meminfo.mmsim >meminfo.diff ||
	fail "meminfo differs from Linux 6.18.44's (< Linux, > mmsim):$(printf '\n')$(cat meminfo.diff)"

# status: "label<TAB>value shape". Free-text values (Name, lists, speculation words) are
# compared by label only.
status_shape() {
	awk -F'\t' '{
		label = $1; v = substr($0, length($1) + 2)
		if (index($0, "\t") != length($1) + 1) { print "NO TAB: " $0; next }
		if (label ~ /^(Name|Groups|Cpus_allowed_list|Mems_allowed_list|Speculation.*):$/)
			shape = "*"
		else if (label == "State:")
			shape = v ~ /^[A-Z] \([a-z ]+\)$/ ? "S (word)" : "BAD " v
		else if (v ~ /^ *[0-9]+ kB$/)
			shape = "width " (length(v) - 3) " kB"
		else if (v ~ /^(0x)?[0-9a-f,]+$/ && length(v) >= 8) {
			pre = substr(v, 1, 2) == "0x" ? "0x" : ""
			shape = substr(v, length(pre) + 1); gsub(/[0-9a-f]/, "x", shape)
			shape = pre shape
		} else {
			shape = v; gsub(/[0-9]+/, "9", shape)
		}
		print label "\t" shape
	}' "$1"
}
status_shape "$LINUX/status" >status.linux
status_shape status >status.mmsim
diff status.linux status.mmsim >status.diff ||
	fail "status differs from Linux 6.18.44's (< Linux, > mmsim):$(printf '\n')$(cat status.diff)"

# slabinfo: the header lines as they are; each row as the column where each field ends.
# Rows of Linux's whose name is wider than 17 or whose numbers overflow their widths push
# the columns right; the layout is taken from the rows that fit (nearly all of them).
head -2 "$LINUX/slabinfo" >slab_head.linux
head -2 slabinfo >slab_head.mmsim
diff slab_head.linux slab_head.mmsim >slab_head.diff || fail "slabinfo header:$(cat slab_head.diff)"
slab_shape() {
	awk 'NR > 2 && /^#/ { next } NR > 2 {
		if (length($1) > 17) next
		line = $0; pos = 0; shape = ""
		while (match(line, /[^ ]+/)) {
			pos += RSTART + RLENGTH - 1
			tok = substr(line, RSTART, RLENGTH)
			kind = tok ~ /^[0-9]+$/ ? "n" : (tok ~ /^(:|tunables|slabdata)$/ ? tok : "name")
			shape = shape (shape == "" ? "" : " ") kind "@" (kind == "name" ? 0 : pos)
			line = substr(line, RSTART + RLENGTH)
		}
		print shape
	}' "$1"
}
slab_shape "$LINUX/slabinfo" | sort | uniq -c | sort -rn >slab.linux.counts
linux_row=$(awk 'NR == 1 { $1 = ""; sub(/^ /, ""); print }' slab.linux.counts)
[ -n "$linux_row" ] || fail "no slabinfo rows in $LINUX/slabinfo"
rows=0
while IFS= read -r row; do
	rows=$((rows + 1))
	[ "$row" = "$linux_row" ] ||
		fail "slabinfo row layout$(printf '\n')  mmsim: $row$(printf '\n')  Linux: $linux_row"
done < <(slab_shape slabinfo)
[ "$rows" -ge 4 ] || fail "only $rows slabinfo rows: $(cat slabinfo)"
grep -q '^# mmsim: ' slabinfo || fail "slabinfo does not say which caches mmsim sizes: $(cat slabinfo)"
exit 0
