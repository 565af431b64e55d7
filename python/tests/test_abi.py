"""The ctypes mirrors in mmsim._lib match include/mmsim/*.h: every field's offset, every
struct's size and every constant, read from the headers by the C compiler. A header that
changes a struct fails here, by name, instead of corrupting memory at run time."""

import ctypes
import shutil
import subprocess

import pytest

from mmsim import _lib

HEADERS = [
    "mmsim.h", "replay.h", "mrc.h", "workloads.h", "script.h", "trace.h", "error.h", "info.h",
]


def test_structs_and_constants_match_headers(src, tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        pytest.skip("no C compiler to read the headers with")
    lines = ["#include <stddef.h>", "#include <stdio.h>"]
    lines += [f"#include <mmsim/{h}>" for h in HEADERS]
    lines.append("int main(void) {")
    want = []
    for cls, name in _lib.STRUCTS.items():
        lines.append(f'printf("{name} size %zu\\n", sizeof(struct {name}));')
        want.append(f"{name} size {ctypes.sizeof(cls)}")
        for field, *_ in cls._fields_:
            lines.append(
                f'printf("{name}.{field} %zu\\n", offsetof(struct {name}, {field}));'
            )
            want.append(f"{name}.{field} {getattr(cls, field).offset}")
    for name, value in _lib.CONSTANTS.items():
        lines.append(f'printf("{name} %lld\\n", (long long)({name}));')
        want.append(f"{name} {value}")
    lines.append("return 0; }")
    (tmp_path / "abi.c").write_text("\n".join(lines) + "\n")
    build = subprocess.run(
        [cc, "-std=c11", "-I", str(src / "include"), "abi.c", "-o", "abi"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    env = {"PATH": "/usr/bin:/bin"}  # no LD_PRELOAD: the program does not use the library
    got = subprocess.run(["./abi"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert got.returncode == 0
    assert got.stdout.split("\n")[:-1] == want
