#!/usr/bin/env python3
"""check_exports.py INCLUDE_DIR (LIBRARY.so | --symbols FILE): the shared library exports
exactly the public API (issue 18).

INCLUDE_DIR/mmsim/*.h declare the API. Every function or object declared at file scope there
must carry MMSIM_API (mmsim/export.h) and be exported by the library; every symbol the library
exports (`nm -D --defined-only`) must be declared there. Names starting with an underscore are
the toolchain's (_init, __bss_start, sanitizer and gcov hooks) and C reserves them, so they
are not ours to list. With --symbols FILE the exported names are read from FILE (one a line),
so the test can feed planted lists. Prints each mismatch and exits 1 when there is any.
"""
import os
import re
import subprocess
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def strip(text):
    """Comments, string literals and preprocessor lines out; newlines kept for line numbers."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (j + 1 - i))
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    lines = "".join(out).split("\n")
    cont = False
    for k, line in enumerate(lines):
        if cont or line.lstrip().startswith("#"):
            cont = line.rstrip().endswith("\\")
            lines[k] = " " * len(line)
    return "\n".join(lines)


def declarations(path):
    """(line, name, has_api, is_function) for each file-scope declaration of a function or
    an object; type definitions, typedefs and forward declarations are skipped."""
    with open(path, encoding="utf-8") as f:
        text = strip(f.read())
    decls, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ";" and depth == 0:
            stmt = text[start:i]
            first = start + len(stmt) - len(stmt.lstrip())
            line = text.count("\n", 0, first) + 1
            start = i + 1
            body = " ".join(stmt.split())
            if not body or body.startswith("typedef") or "{" in body:
                continue
            if "(" in body:
                # The declared name is the last identifier before the first parenthesis.
                names = IDENT.findall(body[: body.index("(")])
                if not names:
                    continue
                decls.append((line, names[-1], "MMSIM_API" in names, True))
            else:
                words = IDENT.findall(body)
                if len(words) < 2 or words[0] in ("struct", "enum", "union") and len(words) == 2:
                    continue  # a forward declaration
                decls.append((line, words[-1], "MMSIM_API" in words, False))
    return decls


def exported(args):
    if args[0] == "--symbols":
        with open(args[1], encoding="utf-8") as f:
            return {l.strip() for l in f if l.strip()}
    out = subprocess.run(["nm", "-D", "--defined-only", args[0]], check=True,
                         capture_output=True, text=True).stdout
    return {l.split()[-1].split("@")[0] for l in out.splitlines() if l.split()}


def main(argv):
    if len(argv) < 3 or (argv[2] == "--symbols" and len(argv) != 4):
        sys.stderr.write(__doc__)
        return 2
    inc = os.path.join(argv[1], "mmsim")
    declared, problems = {}, []
    for name in sorted(os.listdir(inc)):
        if not name.endswith(".h"):
            continue
        path = os.path.join(inc, name)
        for line, ident, has_api, _ in declarations(path):
            where = f"include/mmsim/{name}:{line}"
            declared[ident] = where
            if not has_api:
                problems.append(f"{where}: {ident} is declared without MMSIM_API")
    syms = {s for s in exported(argv[2:]) if not s.startswith("_")}
    for s in sorted(syms - declared.keys()):
        problems.append(f"{argv[-1]}: exports {s}, which no public header declares")
    for ident, where in sorted(declared.items()):
        if ident not in syms:
            problems.append(f"{where}: {ident} is declared but the library does not export it")
    for p in problems:
        print(p)
    print(f"check_exports: {len(declared)} public declarations, {len(syms)} exported symbols, "
          f"{len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
