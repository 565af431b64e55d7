"""Fixtures for the mmsim package's tests.

tests/python/test_python.sh runs them with MMSIM_LIBRARY set to the build's libmmsim.so
and MMSIM_BINARY to the build's mmsim command, so every result can be checked against
the command line's on the same input.
"""

import os
import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SRC = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))


@pytest.fixture(scope="session")
def src() -> pathlib.Path:
    return SRC


@pytest.fixture(scope="session")
def mmsim_bin() -> str:
    path = os.environ.get("MMSIM_BINARY")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("MMSIM_BINARY is not set to the mmsim command")
    return path


@pytest.fixture(scope="session")
def corpus(src: pathlib.Path) -> pathlib.Path:
    return src / "tests" / "fuzz" / "corpus" / "trace"


@pytest.fixture(scope="session")
def formats(src: pathlib.Path) -> pathlib.Path:
    return src / "tests" / "cli" / "formats"


@pytest.fixture()
def cli(mmsim_bin: str):
    """Runs `mmsim ARGS...`; returns (exit status, stdout, stderr)."""

    def go(*args: str, check: bool = True):
        p = subprocess.run([mmsim_bin, *map(str, args)], capture_output=True, text=True)
        if check and p.returncode not in (0, 3):
            raise AssertionError(f"mmsim {' '.join(map(str, args))}: {p.returncode}: {p.stderr}")
        return p.returncode, p.stdout, p.stderr

    return go
