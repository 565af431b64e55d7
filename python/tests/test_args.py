"""Bad arguments are refused with the argument's name, never passed on wrapped or truncated.

ctypes stores an int past 64 bits modulo 2**64 without a word (max_records=2**64 + 3 ran
3 records; a curve at sizes=[2**64 + 1] reported the misses of 1 frame; walk(-1) walked
0xffff...ffff) and int() truncated frames=[16.7] to 16: plausible wrong answers. Each is
now a TypeError (not an int) or ValueError (out of range) naming the argument.
"""

import pytest

import mmsim

SCRIPT = "spawn P\nP map A 4\nP write A 0-3\n"


@pytest.fixture()
def trace(corpus):
    return corpus / "lackey.gz"


@pytest.mark.parametrize(
    "kw, exc, name",
    [
        ({"max_records": 2**64 + 3}, ValueError, "max_records"),
        ({"max_records": -1}, ValueError, "max_records"),
        ({"max_records": 1.5}, TypeError, "max_records"),
        ({"skip": "10"}, TypeError, "skip"),
        ({"warmup": None}, TypeError, "warmup"),
        ({"interval": 2**64 + 1}, ValueError, "interval"),
        ({"interval": 2.5}, TypeError, "interval"),
        ({"progress": 5}, TypeError, "progress"),
    ],
)
def test_run_arguments(trace, kw, exc, name):
    with pytest.raises(exc, match=name):
        mmsim.run(trace, **kw)


def test_run_workload_arguments():
    with pytest.raises(TypeError, match="scale"):
        mmsim.run(workload="sort", shrink=8, scale=1.5)
    with pytest.raises(ValueError, match="shrink"):
        mmsim.run(workload="sort", shrink=9)
    # An empty name is an unknown workload, as `mmsim run --workload ''` says, not the
    # default one.
    with pytest.raises(mmsim.MmsimError, match="unknown workload ''"):
        mmsim.run(workload="", shrink=8)


@pytest.mark.parametrize(
    "kw, exc, name",
    [
        ({"frames": [16.7]}, TypeError, r"frames\[0\]"),
        ({"frames": [16, 2**64 + 16]}, ValueError, r"frames\[1\]"),
        ({"frames": [0]}, ValueError, r"frames\[0\]"),
        ({"frames": []}, ValueError, "frames"),
        ({"frames": 16}, TypeError, "frames"),
        ({"policies": []}, ValueError, "policies"),
        ({"jobs": 1.5}, TypeError, "jobs"),
        ({"jobs": 0}, ValueError, "jobs"),
        ({"shard": (1,)}, ValueError, "shard"),
    ],
)
def test_sweep_arguments(trace, kw, exc, name):
    kw = {"policies": ["lru"], "frames": [16], **kw}
    with pytest.raises(exc, match=name):
        mmsim.sweep(trace, **kw)


@pytest.mark.parametrize(
    "kw, exc, name",
    [
        ({"sizes": [1.5]}, TypeError, r"sizes\[0\]"),
        ({"sizes": [2**64 + 1]}, ValueError, r"sizes\[0\]"),
        ({"sizes": "al"}, ValueError, "sizes"),
        ({"sample": "0.5"}, TypeError, "sample"),
        ({"sample": float("nan")}, ValueError, "sample"),
        ({"sample_max": -1}, ValueError, "sample_max"),
        ({"sample_max": 1.5}, TypeError, "sample_max"),
    ],
)
def test_mrc_arguments(trace, kw, exc, name):
    with pytest.raises(exc, match=name):
        mmsim.mrc(trace, **kw)


def test_int_subclasses_are_ints(trace):
    # Any numbers.Integral (numpy.int64 too) is an int; a bool is not.
    import numbers

    class Count(int):
        pass

    assert isinstance(Count(16), numbers.Integral)
    s = mmsim.sweep(trace, policies=["lru"], frames=[Count(16)])
    assert s.rows[0]["frames"] == 16
    with pytest.raises(TypeError, match="max_records"):
        mmsim.run(trace, max_records=True)


def test_scenario_arguments():
    with mmsim.Scenario(SCRIPT) as s:
        s.step()
        s.step()
        with pytest.raises(ValueError, match="va"):
            s.walk("P", -1)
        with pytest.raises(ValueError, match="va"):
            s.walk("P", 2**64 + 0x1000)
        with pytest.raises(TypeError, match="va"):
            s.walk("P", "0x1000")
    with pytest.raises(ValueError, match="closed"):
        s.processes
    with pytest.raises(ValueError, match="addr start"):
        mmsim.Scenario(SCRIPT, explain=True, addr=(-5, 10))
    with pytest.raises(ValueError, match="addr end"):
        mmsim.Scenario(SCRIPT, explain=True, addr=(0, 2**64 + 10))
    with pytest.raises(TypeError, match="text"):
        mmsim.Scenario(42)


def test_unknown_counter_is_an_error_not_zero():
    with mmsim.Scenario(SCRIPT) as s:
        s.step()
        with pytest.raises(mmsim.MmsimError, match="counter 'nosuch'"):
            mmsim._core._counter(s._sys(), "nosuch")
        assert mmsim._core._counter(s._sys(), "pgfault") == s.counters()["pgfault"]
