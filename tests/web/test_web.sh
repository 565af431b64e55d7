#!/usr/bin/env bash
# tests/web/test_web.sh MMSIM WORKDIR: the browser explorer, built with emscripten and loaded
# in headless Chromium from a file:// URL. The page's self-test (app.js, #selftest) drives
# its own controls (preset menu, Run, Back, a click on an address-space line, the trace
# file input and Draw curve) and writes what the page then shows; this script checks it
# against the command line:
#   - Belady's presets show 9 and 10 faults (FIFO at 3 and 4 frames);
#   - COW after fork holds all its expectations; Back goes exactly one command back;
#   - the walk the page decodes equals `mmsim script`'s `show P walk` for the same process,
#     address and step: every entry's value and flags, level by level;
#   - the TLB panel marks the entry a step hit (and none after a step that only filled);
#   - the physical-memory panel counts the anonymous frames that VmRSS says;
#   - the miss-ratio curve the page draws from a trace equals `mmsim sweep` on that trace,
#     also from the trace gzip-compressed; a zstd trace is refused with the way out.
# Screenshots are kept in WORKDIR/screenshots. Skipped (77) without emcc or chromium.
set -euo pipefail
mmsim=$1
work=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v node >/dev/null || { echo "skipped: node not installed"; exit 77; }
command -v emcc >/dev/null || { echo "skipped: emcc not installed (apt-get install emscripten)"; exit 77; }
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "skipped: chromium not installed (apt-get install chromium)"; exit 77; }
rm -rf "$work"
mkdir -p "$work/screenshots"
"$root/web/build.sh" "$work/dist" >"$work/build.log" 2>&1 || { cat "$work/build.log"; echo "FAIL: web build"; exit 1; }
node "$root/tests/web/cdp.js" "$chrome" "file://$work/dist/index.html#selftest=shot" \
	"$work/selftest.json" "$work/screenshots/explorer-1280.png" 1280 2400 ||
	{ echo "FAIL: the page's self-test did not finish"; exit 1; }
node "$root/tests/web/cdp.js" "$chrome" "file://$work/dist/index.html#selftest" \
	"$work/selftest-phone.json" "$work/screenshots/explorer-phone.png" 400 1600 ||
	{ echo "FAIL: the page's self-test did not finish at phone width"; exit 1; }

python3 - "$mmsim" "$work" <<'PY'
import csv, io, json, re, subprocess, sys
mmsim, work = sys.argv[1], sys.argv[2]
d = json.load(open(f"{work}/selftest.json"))
fails = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails.append(what)

check(d["belady3"]["faults"] == 9, f"Belady FIFO 3 frames shows 9 faults (page: {d['belady3']['faults']})")
check(d["belady4"]["faults"] == 10, f"Belady FIFO 4 frames shows 10 faults (page: {d['belady4']['faults']})")
check("3 of 3 expectations held" in d["cow"]["status"], f"COW after fork: {d['cow']['status']}")
check(d["back_steps"] == d["end_steps"] - 1, f"Back: {d['end_steps']} -> {d['back_steps']} commands")

# The same first four commands on the command line, then the walk and RSS.
lines = [l for l in d["script"].splitlines()]
cmds, out = 0, []
for l in lines:
    body = l.split("#")[0].strip()
    if not body:
        continue
    if body.startswith("config"):
        out.append(l)
        continue
    if cmds == 4:
        break
    out.append(l)
    cmds += 1
out.append(f"show P walk 0x{d['walk_va']}")
out.append("expect P rss 4")
script = f"{work}/walk.mms"
open(script, "w").write("\n".join(out) + "\n")
r = subprocess.run([mmsim, "script", script], capture_output=True, text=True)
check(r.returncode == 0, f"mmsim script on the same steps (exit {r.returncode}; {r.stderr.strip()})")
cli = []
for m in re.finditer(r"^\s+(PML5E|PML4E|PDPTE|PDE|PTE)\s+table \S+ \[\s*\d+\] entry (0x[0-9a-f]+)\s+(.*)$", r.stdout, re.M):
    cli.append((int(m.group(2), 16), m.group(3).strip()))
page = [(int(l["entry"], 16), l["flags"]) for l in d["walk"]]
check(len(cli) == 4 and page == cli, f"walk of 0x{d['walk_va']}: page {page} == mmsim {cli}")
# TLB hits: the fill step shows none; 'P read A 1' hits the L1 dTLB entry of page 1.
check(d["hits_after_fill"] == 0, f"no entry marked hit after the filling step: {d['hits_after_fill']}")
check(len(d["hits"]) == 1 and d["hit_event"].strip().startswith("TLB hit at 0x"),
      f"one TLB entry marked hit after 'P read A 1': {d['hits']}; event: {d['hit_event']}")
anon = dict(d["frames_legend"]).get(6, 0)
check(anon == 1, f"physical memory shows 1 anonymous frame (VmRSS 4 kB): {anon}")

# The curve against mmsim sweep on the same trace.
trace = f"{work}/belady.lackey"
open(trace, "w").write("".join(f" S {0x10000000 + p * 4096:x},8\n" for p in [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]))
r = subprocess.run([mmsim, "sweep", trace, "--policies", "fifo,lru,opt,clock", "--frames", "3,4",
                    "--reclaim", "demand", "-q", "-j", "1"], capture_output=True, text=True)
check(r.returncode == 0, f"mmsim sweep (exit {r.returncode}; {r.stderr.strip()})")
rows = sorted(f"{x['policy']},{x['frames']},{x['misses']}" for x in csv.DictReader(io.StringIO(r.stdout)))
check(sorted(d["curve"]) == rows, f"curve in the page {sorted(d['curve'])} == sweep {rows}")
check(sorted(d["curve_gz"]) == rows, f"the same trace gzip-compressed gives the same curve: {sorted(d['curve_gz'])}")
check("zstd" in d["zstd_status"] and "convert" in d["zstd_status"], f"a zstd trace is refused with the way out: {d['zstd_status']}")
phone = json.load(open(f"{work}/selftest-phone.json"))
check(phone["belady4"]["faults"] == 10, "at phone width too, Belady FIFO 4 frames shows 10 faults")
print(f"web: {14 - len(fails)} passed, {len(fails)} failed")
sys.exit(1 if fails else 0)
PY
