"""mmsim.run() against `mmsim run --json` and `--timeline` on the same input and settings,
and the cases whose figures are worked out by hand."""

import csv
import io
import json

import pytest

import mmsim


def cli_json(cli, *args):
    status, out, _ = cli("run", "-q", "--json", "-", *args)
    d = json.loads(out)
    del d["result"]["seconds"]
    return status, d


def py_args(settings):
    out = []
    for k, v in settings.items():
        out += ["--config", f"{k}={v}"]
    return out


CASES = [
    ("bin.zst", {}),
    ("bin_pids.bin", {"policy": "clock", "frames": 8}),
    ("lackey.zst", {"policy": "opt", "frames": 4}),
    ("bin_shapes.bin", {"tlb": "off", "layout": "classic", "pcid": "off"}),
    ("lackey.gz", {"levels": 5, "layout": "la57", "policy": "lru", "frames": 3}),
    ("bin_events.bin", {}),  # fork, exec, exit, reclaim, shrink-all and switch events
    ("lackey_events.txt", {"policy": "lru", "frames": 4}),
]


@pytest.mark.parametrize("name,settings", CASES)
def test_run_trace_equals_cli_json(cli, corpus, name, settings):
    trace = corpus / name
    status, want = cli_json(cli, *py_args(settings), trace)
    r = mmsim.run(trace, show=["meminfo", "maps"], **settings)
    _, want = cli_json(cli, *py_args(settings), "--show", "meminfo,maps", trace)
    assert r.to_dict() == want
    assert r.result["exit_status"] == status


def test_run_kwargs_types_equal_text(corpus):
    a = mmsim.run(corpus / "bin_pids.bin", mem="32M", frames=8, pcid=False)
    b = mmsim.run(corpus / "bin_pids.bin", mem=32 << 20, frames="8", pcid="off")
    assert a.to_dict() == b.to_dict()
    assert a.config["mem_bytes"] == 32 << 20 and a.config["pcid"] is False


def test_run_formats_equal_cli(cli, formats):
    for name, fmt in (("mixed.din", "din"), ("two.pages", "pages"), ("belady.oracleGeneral", "oracleGeneral")):
        _, want = cli_json(cli, "--format", fmt, formats / name)
        r = mmsim.run(formats / name, format=fmt)
        assert r.to_dict() == want, name


def test_timeline_equals_cli_csv(cli, formats, tmp_path):
    trace = formats / "mixed.din"
    csv_path = tmp_path / "t.csv"
    cli("run", "-q", "--format", "din", "--timeline", csv_path, "--interval", "37",
        "--config", "frames=6", trace)
    want = [{k: int(v) for k, v in row.items()} for row in csv.DictReader(open(csv_path))]
    r = mmsim.run(trace, format="din", interval=37, frames=6)
    assert r.timeline == want
    assert len(want) > 2
    assert list(want[0]) == list(mmsim.TIMELINE_COLUMNS)


def test_workload_equals_cli_json(cli):
    # grow is the quickest built-in workload; its machine comes from the workload.
    status, want = cli_json(cli, "--workload", "grow", "--config", "frames=200")
    r = mmsim.run(workload="grow", frames=200)
    want["result"].pop("seconds", None)
    assert r.to_dict() == want
    assert r.result["passed"] is True and status == 0 == r.result["exit_status"]
    assert r.processes and all("trace_pid" not in p for p in r.processes)


def test_hand_worked_page_list(formats, tmp_path):
    # Each line of a page list is a store to one page (docs/trace-format.md): 5 distinct
    # pages, each first touch a minor fault; with room for all, no major fault.
    r = mmsim.run(formats / "belady.pages", format="pages")
    assert r.result["replay"]["records"] == 12
    assert r.summary["accesses"] == 12
    assert r.summary["major_faults"] == 0
    assert sum(p["minflt"] for p in r.processes) >= 5


def test_max_records_equals_cli(cli, formats):
    trace = formats / "mixed.din"
    _, want = cli_json(cli, "--format", "din", "--max-records", "123", trace)
    part = mmsim.run(trace, format="din", max_records=123)
    assert part.to_dict() == want
    assert part.result["replay"]["records"] == 123 < mmsim.run(trace, format="din").result["replay"]["records"]


def test_progress_called_and_exceptions_stop_the_run(corpus, formats):
    seen = []
    r = mmsim.run(formats / "mixed.din", format="din", interval=50, progress=seen.append)
    assert len(seen) >= 5
    assert seen and seen == sorted(seen) and seen[-1] <= r.summary["accesses"]

    def boom(_n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mmsim.run(corpus / "bin_pids.bin", interval=1, progress=boom)
    calls = []

    def stop_after_two(n):
        calls.append(n)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mmsim.run(workload="grow", interval=1000, progress=stop_after_two)
    assert len(calls) == 2  # the workload stopped at the tick after the exception


def test_dataframes(corpus):
    pd = pytest.importorskip("pandas")
    r = mmsim.run(corpus / "bin_pids.bin", interval=5)
    tl = r.timeline_frame()
    assert isinstance(tl, pd.DataFrame)
    assert list(tl.index) == [row["accesses"] for row in r.timeline]
    assert tl["pgfault"].iloc[-1] == r.counters["pgfault"]
    pf = r.processes_frame()
    assert list(pf["pid"]) == [p["pid"] for p in r.processes]
    cf = r.counters_frame()
    assert dict(zip(cf["name"], cf["value"])) == r.counters


@pytest.mark.parametrize(
    "skip,warmup,max_records,settings",
    [(100, 0, 0, {}), (0, 150, 0, {"frames": 8}), (50, 100, 300, {"policy": "opt", "frames": 6})],
)
def test_skip_warmup_equal_cli(cli, formats, skip, warmup, max_records, settings):
    trace = formats / "mixed.din"
    args = ["--format", "din", "--skip", str(skip), "--warmup", str(warmup)]
    if max_records:
        args += ["--max-records", str(max_records)]
    _, want = cli_json(cli, *args, *py_args(settings), trace)
    r = mmsim.run(trace, format="din", skip=skip, warmup=warmup, max_records=max_records, **settings)
    assert r.to_dict() == want
    assert r.result["replay"]["records"] == (max_records or 500 - skip) - warmup


def test_skip_past_the_end(formats):
    with pytest.raises(mmsim.MmsimError, match="has only 500 records"):
        mmsim.run(formats / "mixed.din", format="din", skip=501)
