"""Bad input is an exception naming the place and the reason, never a result."""

import errno
import os
import subprocess
import sys

import pytest

import mmsim


def test_unknown_setting_lists_the_keys(corpus):
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.run(corpus / "bin.zst", colour="blue")
    assert e.value.errno == errno.EINVAL
    assert "colour" in str(e.value) and "policy" in str(e.value)


def test_bad_value(corpus):
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.run(corpus / "bin.zst", policy="nosuch")
    assert "nosuch" in str(e.value) and "clock" in str(e.value)


def test_missing_trace():
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.run("/nonexistent/trace.bin")
    assert e.value.errno == errno.ENOENT
    assert "/nonexistent/trace.bin" in str(e.value)


def test_bad_trace_names_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text(" L 0401ab70,8\n S zz,8\n")
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.run(p)
    assert e.value.errno == errno.EINVAL
    assert f"{p}:2" in str(e.value)


def test_truncated_trace_is_an_error(corpus):
    with pytest.raises(mmsim.MmsimError):
        mmsim.run(corpus / "bin_truncated.bin")


def test_workload_and_trace_errors(corpus):
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.run(workload="nosuch")
    assert "grow" in str(e.value)
    with pytest.raises(ValueError):
        mmsim.run(corpus / "bin.zst", workload="grow")
    with pytest.raises(mmsim.MmsimError):
        mmsim.run(corpus / "bin.zst", data=True)
    with pytest.raises(mmsim.MmsimError):
        mmsim.run(workload="grow", data=False)


def test_unknown_view(corpus):
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.run(corpus / "bin.zst", show=["nosuch"])
    assert "meminfo" in str(e.value)


def test_library_not_found_says_where(tmp_path):
    env = dict(os.environ, MMSIM_LIBRARY=str(tmp_path / "nothing.so"))
    code = "import mmsim\ntry:\n    mmsim.version()\nexcept mmsim.LibraryNotFound as e:\n    print(e)\n"
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       cwd=os.path.dirname(os.path.dirname(mmsim.__file__)))
    assert "nothing.so" in p.stdout and "MMSIM_LIBRARY" in p.stdout, p.stderr


def test_metadata():
    assert "clock" in mmsim.policies() and "opt" in mmsim.policies()
    assert "frames" in mmsim.config_keys()
    assert "meminfo" in mmsim.views()["system"] and "maps" in mmsim.views()["process"]
    assert "grow" in [w["name"] for w in mmsim.workloads()]
    assert mmsim.tlb_presets()


def test_version_equals_cli(cli):
    _, out, _ = cli("--version")
    assert out.split()[1] == mmsim.version()
