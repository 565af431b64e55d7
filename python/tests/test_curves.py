"""sweep() and mrc() against `mmsim sweep` / `mmsim mrc`, and against hand-worked
reference strings (Belady's anomaly)."""

import csv
import io

import pytest

import mmsim

BELADY = "1 2 3 4 1 2 5 1 2 3 4 5"


def cli_csv(cli, *args):
    _, out, _ = cli(*args)
    return list(csv.DictReader(io.StringIO(out)))


def norm(row):
    out = {}
    for k, v in row.items():
        if isinstance(v, bool):
            out[k] = "yes" if v else "no"
        elif v is None:
            out[k] = ""
        elif isinstance(v, float):
            out[k] = f"{v:.6f}"
        else:
            out[k] = str(v)
    return out


def test_belady_by_hand(formats):
    # 1 2 3 4 1 2 5 1 2 3 4 5: FIFO misses 9 with 3 frames and 10 with 4 (Belady's
    # anomaly); LRU 10 and 8; OPT 7 and 6 (worked by hand, every textbook has them).
    s = mmsim.sweep(formats / "belady.pages", format="pages", policies=["fifo", "lru", "opt"], frames=[3, 4])
    got = {(r["policy"], r["frames"]): r["misses"] for r in s}
    assert got == {("fifo", 3): 9, ("fifo", 4): 10, ("lru", 3): 10, ("lru", 4): 8, ("opt", 3): 7, ("opt", 4): 6}
    c = mmsim.mrc(formats / "belady.pages", format="pages", sizes=[3, 4])
    assert c.misses == {"lru": [10, 8], "opt": [7, 6]}
    assert c.accesses == 12 and c.miss_ratio["lru"][0] == pytest.approx(10 / 12)


def test_sweep_equals_cli(cli, corpus):
    trace = corpus / "bin_pids.bin"
    want = cli_csv(cli, "sweep", "-q", "-j", "1", "--policies", "fifo,lru,clock,opt", "--frames", "2,4,8", trace)
    got = mmsim.sweep(trace, policies=["fifo", "lru", "clock", "opt"], frames=[2, 4, 8])
    assert [norm(r) for r in got.rows] == want
    assert len(got) == 12


def test_sweep_default_frames_and_threads_equal(cli, corpus):
    trace = corpus / "lackey.zst"
    want = cli_csv(cli, "sweep", "-q", "--policies", "lru,clock", trace)
    one = mmsim.sweep(trace, policies="lru,clock")
    two = mmsim.sweep(trace, policies="lru,clock", jobs=2)
    assert [norm(r) for r in one.rows] == want
    assert one.rows == two.rows


def test_mrc_equals_cli(cli, corpus):
    trace = corpus / "bin_pids.bin"
    want = cli_csv(cli, "mrc", "-q", "--sizes", "1:20:+1", trace)
    c = mmsim.mrc(trace, sizes=range(1, 21))
    assert [norm(r) for r in c.rows()] == want
    assert c.info["exact"] is True and c.method == "one-pass"


def test_mrc_equals_sweep_replays(corpus):
    trace = corpus / "lackey.zst"
    c = mmsim.mrc(trace, sizes="all")
    s = mmsim.sweep(trace, policies=["lru", "opt"], frames=c.frames)
    for pol in ("lru", "opt"):
        assert c.misses[pol] == [r["misses"] for r in s if r["policy"] == pol]
    # Flat from max_frames on.
    for pol in ("lru", "opt"):
        i = c.frames.index(c.max_frames[pol])
        assert len(set(c.misses[pol][i:])) == 1


def test_mrc_sampled_is_labelled(corpus):
    c = mmsim.mrc(corpus / "lackey.zst", policies=["lru"], sample=0.5, sizes=[1, 2, 4])
    assert c.info["exact"] is False and c.info["rate"] <= 0.5


def test_mrc_refuses_other_policies(corpus):
    with pytest.raises(ValueError, match="sweep"):
        mmsim.mrc(corpus / "lackey.zst", policies=["clock"])


def test_curve_frames(formats):
    pd = pytest.importorskip("pandas")
    c = mmsim.mrc(formats / "belady.pages", format="pages", sizes=[1, 2, 3, 4, 5])
    f = c.frame()
    assert list(f.columns) == list(mmsim.MRC_COLUMNS)
    assert len(f) == 10
    s = mmsim.sweep(formats / "belady.pages", format="pages", policies=["fifo"], frames=[3, 4])
    assert list(s.frame()["misses"]) == [9, 10]
    assert s.curve("fifo") == ([3, 4], [9 / 12, 10 / 12])


def test_default_frames():
    assert mmsim.default_frames(10) == [10]
    assert mmsim.default_frames(100) == [16, 32, 64, 100]
    assert mmsim.default_frames(8192) == [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]


def test_sweep_skip_warmup_equal_cli(cli, formats):
    """skip and warmup as `mmsim sweep --skip --warmup`: every column, cold misses being
    the pages first touched after the warmup."""
    trace = formats / "loop.oracleGeneral"  # 100 objects, 5 times: 500 requests
    for skip, warmup in ((37, 0), (20, 150)):
        want = cli_csv(cli, "sweep", "-q", "--format", "oracleGeneral", "--policies",
                       "lru,opt,fifo", "--frames", "40,100", "--skip", skip, "--warmup",
                       warmup, trace)
        got = mmsim.sweep(trace, format="oracleGeneral", policies=["lru", "opt", "fifo"],
                          frames=[40, 100], skip=skip, warmup=warmup)
        assert [norm(r) for r in got.rows] == want
    # Worked by hand: skip 20 and a warmup of 150 requests (objects 20..99, then 0..69)
    # touch all 100 objects, so no first touch is left (cold_misses 0); of the 330 requests
    # after it, none misses with 100 frames, and every one with LRU on 40 frames (a loop of
    # 100 objects evicts each before its reuse).
    rows = {(r["policy"], r["frames"]): r for r in got.rows}
    assert rows["lru", 100]["cold_misses"] == 0 and rows["lru", 100]["misses"] == 0
    assert rows["lru", 40]["misses"] == 330 and rows["lru", 40]["records"] == 330
    with pytest.raises(mmsim.MmsimError, match="has only 480 records after skip"):
        mmsim.sweep(trace, format="oracleGeneral", policies=["lru"], frames=[4], skip=20,
                    warmup=1000)


def test_sweep_shards_merge_to_the_whole(formats):
    trace = formats / "loop.oracleGeneral"
    kw = dict(format="oracleGeneral", policies=["lru", "opt", "fifo"], frames=[40, 100],
              skip=20, warmup=150)
    whole = mmsim.sweep(trace, **kw)
    parts = [mmsim.sweep(trace, shard=(k, 4), **kw) for k in (3, 1, 4, 2)]
    # Run i is in shard i mod 4 + 1: 6 runs give shards of 2, 2, 1, 1 runs.
    assert [len(p) for p in parts] == [1, 2, 1, 2]
    assert parts[1].cells == [0, 4] and parts[0].cells == [2]
    assert mmsim.SweepResult.merge(parts).rows == whole.rows
    with pytest.raises(ValueError, match="each of the 4 shards once"):
        mmsim.SweepResult.merge(parts[:3])
    other = mmsim.sweep(trace, shard=(2, 4), **dict(kw, warmup=100))
    with pytest.raises(ValueError, match="different sweeps"):
        mmsim.SweepResult.merge([parts[0], parts[1], parts[2], other])
    with pytest.raises(ValueError, match="shard takes"):
        mmsim.sweep(trace, shard=(5, 4), **kw)


def test_trace_params_as_cli(cli, src):
    """trace_params is -t: libCacheSim's CSV reader parameters (tests/cli/csv/params.txt)."""
    csvdir = src / "tests" / "cli" / "csv"
    t = "time-col=1,obj-id-col=3,obj-size-col=4,delimiter=;,has-header=false,obj-id-is-num=0"
    trace = csvdir / "ops.ssv"
    want = cli_csv(cli, "sweep", "-q", "--format", "csv", "-t", t, "--policies", "lru,opt",
                   "--frames", "2,5", trace)
    got = mmsim.sweep(trace, format="csv", trace_params=t, policies=["lru", "opt"],
                      frames=[2, 5])
    assert [norm(r) for r in got.rows] == want
    # 5 distinct string ids ("7" and "007" two of them), as gen_csv.py numbers them.
    assert mmsim.footprint(trace, format="csv", trace_params=t)["pages"] == 5
    assert mmsim.run(trace, format="csv", trace_params=t).result["replay"]["records"] == 8
    assert mmsim.mrc(trace, format="csv", trace_params=t, sizes=[5]).misses["lru"] == [5]
    with pytest.raises(mmsim.MmsimError, match="unknown key 'colour'"):
        mmsim.run(trace, format="csv", trace_params="colour=red")


def test_mrc_replays_what_one_pass_cannot_model(tmp_path):
    # thp=always: the one pass gave 1654 misses where sweep's replay has 2416 (tests/cli/
    # test_mrc_trust.sh); mem/swap: a machine that OOM-kills gave a miss ratio of 0.
    import random

    rnd = random.Random(3)
    t = tmp_path / "thp.txt"
    pages = [rnd.randrange(1024) if rnd.random() < 0.5 else rnd.randrange(64) for _ in range(3000)]
    t.write_text("".join(" %s %x,8\n" % (rnd.choice("SLM"), 0x40000000 + p * 4096) for p in pages))
    c = mmsim.mrc(t, sizes=[64, 512], thp="always")
    s = mmsim.sweep(t, policies=["lru", "opt"], frames=[64, 512], thp="always")
    for pol in ("lru", "opt"):
        assert c.misses[pol] == [r["misses"] for r in s if r["policy"] == pol]
    assert c.method == "replay"
    with pytest.raises(ValueError, match="sampling needs the one pass"):
        mmsim.mrc(t, sample=0.5, thp="always")
    k = tmp_path / "kill.txt"
    k.write_text("".join(" S %x,8\n" % (0x10000000 + i * 4096) for i in range(20000)))
    with pytest.raises(mmsim.MmsimError, match="OOM-killed"):
        mmsim.mrc(k, policies=["lru"], sizes=[16, 32], mem="32M", swap="16M")


def test_mrc_refuses_a_sample_without_pages(tmp_path):
    t = tmp_path / "t.txt"
    t.write_text("".join(" S %x,8\n" % (0x10000000 + (i * 7919 % 97) * 4096) for i in range(200)))
    with pytest.raises(mmsim.MmsimError, match="holds none of the trace's pages"):
        mmsim.mrc(t, policies=["lru"], sample=0.001)
