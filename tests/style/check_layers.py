#!/usr/bin/env python3
"""check_layers.py TOP [OBJDIR]: no #include (and, given the library's object files, no call)
points up the layer order written in TOP/docs/architecture.md.

The document's lines
    layers: cli → script replay workloads experiments trace → api → report → ...
    allow: FROM → HEADER   reason
give the order (top first; names on one step are peers) and the named exceptions. A
folder src/X (src/arch/x86_64 is `arch`) is layer X; include/mmsim/ is `api`. Rules:
 1. a file includes headers of its own layer or lower ones;
 2. above api, a file includes only its own folder's headers, include/mmsim/ and util/
    (peers talk through the public API);
 3. (with OBJDIR) no object calls a function defined in a higher layer's object.
Prints every violation as file:line and exits 1 when there is any.
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def read_order(top):
    doc = os.path.join(top, "docs", "architecture.md")
    rank, allow = {}, []
    with open(doc, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*layers:\s*(.+)$", line)
            if m:
                steps = [s.split() for s in m.group(1).split("→")]
                for i, names in enumerate(steps):
                    for n in names:
                        rank[n] = len(steps) - 1 - i
            m = re.match(r"\s*allow:\s*(\S+)\s*→\s*(\S+)\s+(.+)$", line)
            if m:
                allow.append((m.group(1), m.group(2)))
    if not rank:
        sys.exit("check_layers: no 'layers:' line in %s" % doc)
    return rank, allow


def layer_of(rel):
    """Layer of a path relative to TOP (src/mm/x.c) or to src/ (mm/x.h), or None."""
    parts = rel.split("/")
    if parts[0] == "include" and len(parts) > 1 and parts[1] == "mmsim":
        return "api"
    if parts[0] == "mmsim":
        return "api"
    if parts[0] == "src" and len(parts) > 2:
        return parts[1]
    if len(parts) > 1:
        return parts[0]
    return None


def allowed(allow, src_layer, target):
    for frm, hdr in allow:
        if frm in ("*", src_layer) and (hdr == target or (hdr.endswith("/") and target.startswith(hdr))):
            return True
    return False


def check_includes(top, rank, allow):
    bad = []
    api = rank["api"]
    for root in ("src", os.path.join("include", "mmsim")):
        for d, _, files in os.walk(os.path.join(top, root)):
            for fn in sorted(files):
                if not fn.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, fn)
                rel = os.path.relpath(path, top)
                src = layer_of(rel)
                if src not in rank:
                    bad.append("%s: folder '%s' has no place in the layer order" % (rel, src))
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    for no, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(1)
                        if "/" not in target:
                            continue  # a header beside the file: its own folder
                        tl = layer_of(target)
                        where = "%s:%d: #include \"%s\"" % (rel, no, target)
                        if allowed(allow, src, target):
                            continue
                        if tl not in rank:
                            bad.append("%s: '%s' is no layer" % (where, tl))
                        elif rank[tl] > rank[src]:
                            bad.append("%s: %s includes from %s, a higher layer" % (where, src, tl))
                        elif rank[src] > api and tl not in (src, "api", "util"):
                            bad.append("%s: above api, %s uses only include/mmsim/, util/ "
                                       "and its own headers" % (where, src))
    return bad


def nm_all(paths, *flags):
    """{path: [symbol, ...]} for every object, from one nm run (-A names each line's file)."""
    syms = {p: [] for p in paths}
    if not paths:
        return syms
    out = subprocess.run(["nm", "-A", *flags, *paths], capture_output=True, text=True,
                         check=True)
    for line in out.stdout.splitlines():
        path, sep, rest = line.partition(":")
        if sep and rest.strip() and path in syms:
            syms[path].append(rest.split()[-1])
    return syms


def check_calls(objdir, rank):
    objs = {}  # path -> (layer, path relative to objdir)
    for d, _, files in os.walk(objdir):
        for fn in sorted(files):
            if not fn.endswith(".o"):
                continue
            path = os.path.join(d, fn)
            rel = os.path.relpath(path, objdir)
            layer = layer_of(rel)
            if layer in rank:
                objs[path] = (layer, rel)
    paths = sorted(objs)
    exported = nm_all(paths, "--defined-only", "--extern-only")
    undefined = nm_all(paths, "--undefined-only")
    defined, needs = {}, {}
    for path in paths:
        layer, rel = objs[path]
        for sym in exported[path]:
            defined[sym] = (layer, rel)
        needs[rel] = (layer, undefined[path])
    bad = []
    for rel, (layer, syms) in sorted(needs.items()):
        for sym in syms:
            if sym in defined and rank[defined[sym][0]] > rank[layer]:
                bad.append("%s: calls %s(), defined in %s (%s, a higher layer)"
                           % (rel, sym, defined[sym][1], defined[sym][0]))
    return bad


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    top = sys.argv[1]
    rank, allow = read_order(top)
    bad = check_includes(top, rank, allow)
    if len(sys.argv) == 3:
        bad += check_calls(sys.argv[2], rank)
    for b in bad:
        print(b)
    if bad:
        print("check_layers: %d violation(s) of the layer order in docs/architecture.md" % len(bad))
        return 1
    print("check_layers: every include%s follows docs/architecture.md"
          % (" and call" if len(sys.argv) == 3 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
