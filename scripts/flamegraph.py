#!/usr/bin/python3
"""scripts/flamegraph.py: a flame graph (SVG) from `perf script` output.

Debian ships no FlameGraph tool (`apt-cache search flamegraph` finds nothing), so this is a
small one: it folds each sample's call stack (root first, frames joined by ';') as Brendan
Gregg's stackcollapse-perf does, counts identical stacks, and draws the classic layout
(x = share of samples, sorted by name; y = stack depth; root at the bottom), with a <title>
tooltip per frame.

    perf record -F 999 -g -o perf.data -- build/mmsim run ...
    perf script -i perf.data | scripts/flamegraph.py --title "walk path" > walk.svg
    scripts/flamegraph.py --folded < stacks.folded > out.svg   # already folded input

Only the Python standard library is used.
"""
import argparse
import html
import re
import sys
import zlib

FRAME_H = 16
FONT = 12
MIN_WIDTH_PX = 0.3
WIDTH = 1200
PAD = 10

# One frame line of `perf script`: "\t  55d0c0ffee sym+0x1a (/path/dso)".
FRAME_RE = re.compile(r"^\s+[0-9a-f]+\s+(.+?)\s+\((.*)\)\s*$")


def clean(sym, dso):
    sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
    if sym == "[unknown]":
        base = dso.rsplit("/", 1)[-1]
        return base if base.startswith("[") else ("[%s]" % base if base else "[unknown]")
    return sym


def fold_perf_script(lines):
    """{stack: samples} from perf script text; a sample is a header line plus its frames."""
    stacks = {}
    comm = None
    frames = []

    def flush():
        if comm is not None:
            key = ";".join([comm] + frames[::-1])
            stacks[key] = stacks.get(key, 0) + 1

    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            flush()
            comm, frames = None, []
            continue
        if line[0] not in " \t":
            flush()
            comm, frames = line.split()[0], []
            continue
        m = FRAME_RE.match(line)
        if m:
            frames.append(clean(m.group(1), m.group(2)))
    flush()
    return stacks


def read_folded(lines):
    stacks = {}
    for line in lines:
        line = line.strip()
        if not line:
            continue
        stack, _, n = line.rpartition(" ")
        stacks[stack] = stacks.get(stack, 0) + int(n)
    return stacks


def build_tree(stacks):
    root = {"name": "all", "n": 0, "kids": {}}
    for stack, n in stacks.items():
        root["n"] += n
        node = root
        for name in stack.split(";"):
            kid = node["kids"].setdefault(name, {"name": name, "n": 0, "kids": {}})
            kid["n"] += n
            node = kid
    return root


def depth_of(node):
    return 1 + max((depth_of(k) for k in node["kids"].values()), default=0)


def color(name):
    h = zlib.crc32(name.encode())
    r = 205 + h % 50
    g = (h >> 8) % 230
    b = (h >> 16) % 55
    return "rgb(%d,%d,%d)" % (r, g, b)


def svg(root, title):
    total = root["n"] or 1
    depth = depth_of(root)
    height = (depth + 3) * FRAME_H + 2 * PAD
    scale = (WIDTH - 2 * PAD) / total
    out = [
        '<?xml version="1.0" standalone="no"?>',
        '<svg version="1.1" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg" '
        'font-family="Verdana, sans-serif" font-size="%d">' % (WIDTH, height, FONT),
        '<rect x="0" y="0" width="%d" height="%d" fill="#f8f8f0"/>' % (WIDTH, height),
        '<text x="%d" y="%d" text-anchor="middle" font-size="%d">%s</text>'
        % (WIDTH / 2, PAD + FONT + 2, FONT + 4, html.escape(title)),
        '<text x="%d" y="%d" font-size="%d" fill="#555">%d samples; width = share of '
        "samples, bottom = root; hover a frame for its name and share</text>"
        % (PAD, PAD + 2 * FRAME_H + 2, FONT - 2, total),
    ]

    def draw(node, x, level):
        w = node["n"] * scale
        if w < MIN_WIDTH_PX:
            return
        y = height - PAD - (level + 1) * FRAME_H
        pct = 100.0 * node["n"] / total
        label = "%s (%d samples, %.2f%%)" % (node["name"], node["n"], pct)
        out.append("<g><title>%s</title>" % html.escape(label))
        out.append(
            '<rect x="%.2f" y="%d" width="%.2f" height="%d" fill="%s" rx="2"/>'
            % (x, y, w, FRAME_H - 1, color(node["name"]))
        )
        chars = int(w / (FONT * 0.62))
        if chars >= 3:
            text = node["name"] if len(node["name"]) <= chars else node["name"][: chars - 2] + ".."
            out.append('<text x="%.2f" y="%d">%s</text>' % (x + 3, y + FONT, html.escape(text)))
        out.append("</g>")
        kx = x
        for name in sorted(node["kids"]):
            kid = node["kids"][name]
            draw(kid, kx, level + 1)
            kx += kid["n"] * scale

    draw(root, PAD, 0)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description="flame graph SVG from perf script output")
    ap.add_argument("--title", default="Flame graph")
    ap.add_argument("--folded", action="store_true", help="input is already folded stacks")
    ap.add_argument("--fold-only", action="store_true", help="print folded stacks, no SVG")
    args = ap.parse_args()
    lines = sys.stdin.readlines()
    stacks = read_folded(lines) if args.folded else fold_perf_script(lines)
    if not stacks:
        sys.stderr.write("flamegraph.py: no samples in the input\n")
        return 1
    if args.fold_only:
        for stack in sorted(stacks):
            sys.stdout.write("%s %d\n" % (stack, stacks[stack]))
        return 0
    sys.stdout.write(svg(build_tree(stacks), args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
