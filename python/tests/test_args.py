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


def test_numpy_style_ints_are_ints(trace):
    # Any numbers.Integral is an int: a bool is not.
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


def test_empty_trace_is_an_error_as_on_the_command_line(corpus, cli):
    # `mmsim run` and `mmsim mrc` refuse a trace with no records unless --allow-empty:
    # a result of zeros would pass for a measurement.
    empty = corpus / "empty"
    rc, _, err = cli("run", empty, check=False)
    assert rc == 2 and "no records" in err
    with pytest.raises(mmsim.MmsimError, match="no records"):
        mmsim.run(empty)
    with pytest.raises(mmsim.MmsimError, match="no records"):
        mmsim.mrc(empty, sizes=[1])
    assert mmsim.run(empty, allow_empty=True).summary["accesses"] == 0
    assert mmsim.mrc(empty, sizes=[1], allow_empty=True).misses["lru"] == [0]


def test_mrc_sample_of_no_pages_is_an_error(corpus):
    # At rate 0.001 the 4 pages of lackey.zst all fall outside the sample: the "curve"
    # would be 0 misses at every size.
    with pytest.raises(mmsim.MmsimError, match="estimates nothing"):
        mmsim.mrc(corpus / "lackey.zst", sample=0.001, sizes=[1, 2])


def _sigint_after(seconds):
    import os
    import signal
    import threading

    t = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    t.start()
    return t


def test_ctrl_c_stops_a_workload():
    # A ^C landing on entry to a ctypes callback was printed and dropped by ctypes: the
    # workload ran to its end (sort at shrink=1: about 3 s) and returned a result.
    t = _sigint_after(0.2)
    try:
        with pytest.raises(KeyboardInterrupt):
            mmsim.run(workload="sort", shrink=1)
    finally:
        t.cancel()


def test_ctrl_c_stops_a_threaded_sweep(src, monkeypatch):
    # The main thread, waiting on a lock, saw ^C only once a run completed, and then
    # waited for the runs in flight to finish. Now no run in flight completes: each stops
    # at its next tick. The ^C is sent as the first run starts.
    import os
    import signal

    completed = []
    real = mmsim._core._sweep_job

    def counting(*a, **k):
        if a[4] == 64 and a[3] == "lru":
            os.kill(os.getpid(), signal.SIGINT)
        row = real(*a, **k)
        completed.append(a[3:5])
        return row

    monkeypatch.setattr(mmsim._core, "_sweep_job", counting)
    trace = src / "tests" / "data" / "traces" / "zstd-d.trace.zst"
    with pytest.raises(KeyboardInterrupt):
        mmsim.sweep(trace, policies=["lru", "fifo"], frames=[64, 128, 256, 512], jobs=2)
    assert completed == []
