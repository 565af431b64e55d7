#!/usr/bin/env python3
"""Line coverage per folder of src/ from a --coverage build (make coverage).

    scripts/coverage.py BUILD_DIR [MIN_PERCENT] [FOLDER...]

Runs gcovr (Debian package gcovr) over BUILD_DIR's .gcda files, prints one row per folder
(src/arch, src/mm, ...) with covered/total lines and the percentage, then the total, and
exits 1 when a FOLDER named (default: arch mm kernel) is below MIN_PERCENT (default 90)."""
import collections, json, os, subprocess, sys

build = sys.argv[1]
minimum = float(sys.argv[2]) if len(sys.argv) > 2 else 90.0
gated = sys.argv[3:] or ['arch', 'mm', 'kernel']
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = subprocess.run(['gcovr', '-r', root, '--object-directory', build, '--filter',
                      os.path.join(root, 'src') + '/', '--json-summary', '-', '--gcov-ignore-errors=no_working_dir_found'],
                     capture_output=True, text=True)
if out.returncode:
    out = subprocess.run(['gcovr', '-r', root, '--object-directory', build, '--filter',
                          os.path.join(root, 'src') + '/', '--json-summary', '-'],
                         capture_output=True, text=True)
if out.returncode and ('UnknownLineType' in out.stderr or 'parse' in out.stderr.lower()):
    # A line gcov could not count, such as a negative count from two threads racing on the
    # coverage build's plain counters in a run that did not drop its counts (CMakeLists.txt):
    # say so, and count the other lines.
    print('coverage: WARNING: gcovr could not parse some gcov lines (negative counts from a '
          'threaded run?); they are left out of the figures below:')
    print('\n'.join('  ' + l for l in out.stderr.splitlines()[-6:]))
    out = subprocess.run(['gcovr', '-r', root, '--object-directory', build, '--filter',
                          os.path.join(root, 'src') + '/', '--json-summary', '-',
                          '--gcov-ignore-parse-errors'], capture_output=True, text=True)
if out.returncode:
    sys.stderr.write(out.stderr)
    sys.exit(2)
files = json.loads(out.stdout)['files']
if not files:
    sys.exit('coverage: no coverage data under %s (run the tests first)' % build)
per = collections.defaultdict(lambda: [0, 0])
for f in files:
    parts = f['filename'].split('/')
    folder = parts[1] if parts[0] == 'src' and len(parts) > 2 else parts[0]
    per[folder][0] += f['line_covered']
    per[folder][1] += f['line_total']
bad = []
print('%-14s %8s %8s %7s' % ('folder', 'covered', 'lines', 'percent'))
tc = tt = 0
for folder in sorted(per):
    c, t = per[folder]
    tc += c
    tt += t
    pct = 100.0 * c / t if t else 100.0
    mark = ''
    if folder in gated and pct < minimum:
        bad.append('%s %.1f%%' % (folder, pct))
        mark = '  < %.0f%%' % minimum
    print('src/%-10s %8d %8d %6.1f%%%s' % (folder, c, t, pct, mark))
print('%-14s %8d %8d %6.1f%%' % ('total', tc, tt, 100.0 * tc / tt if tt else 100.0))
if bad:
    print('coverage: below %.0f%% lines: %s' % (minimum, ', '.join(bad)))
    sys.exit(1)
