"""What the library offers, asked without booting a system (mmsim/info.h): the policies
with their descriptions and parameters, the TLB presets, and whether each counter is an
event count or a gauge. Checked against the command's --help and a run's counters."""

import mmsim


def test_policies_come_with_their_description_and_parameters(cli):
    info = mmsim.policy_info()
    assert [p["name"] for p in info] == mmsim.policies()
    by = {p["name"]: p for p in info}
    assert [p["name"] for p in info if p["default"]] == ["linux"]
    assert by["opt"]["needs_future"] and by["opt"]["needs_accesses"]
    assert not by["clock"]["needs_accesses"] and not by["clock"]["needs_future"]
    # docs/policies.md: s3fifo:move=2 and small=10 (% of c) by default
    s3 = {q["name"]: q for q in by["s3fifo"]["params"]}
    assert (s3["move"]["default"], s3["small"]["default"]) == (2, 10)
    assert s3["small"]["min"] <= 10 <= s3["small"]["max"]
    assert by["fifo"]["params"] == []
    # The same words as `mmsim run --help`, which takes them from the same table.
    _, out, _ = cli("run", "--help")
    for p in info:
        for q in p["params"]:
            line = f"  {p['name']}:{q['name']}={q['default']}"
            assert line in out and q["help"] in out, line
    assert all(p["description"] for p in info)


def test_tlb_presets_say_what_they_model():
    info = mmsim.tlb_preset_info()
    assert [t["name"] for t in info] == mmsim.tlb_presets()
    assert sum(t["default"] for t in info) == 1
    by = {t["name"]: t for t in info}
    assert by["off"]["spec"] == ""
    assert all(t["description"] for t in info)


def test_each_counter_says_event_or_gauge(formats):
    info = mmsim.counter_info()
    kinds = {c["name"]: c["kind"] for c in info}
    assert set(kinds.values()) == {"event", "gauge"}
    assert kinds["pgfault"] == "event" and kinds["pswpout"] == "event"
    assert kinds["nr_free_pages"] == "gauge"
    # Every counter a run reports is listed, in the same order (a run leaves out the
    # THP, compaction, workingset and file counters while they are zero).
    r = mmsim.run(formats / "belady.pages", format="pages", policy="fifo", frames=3)
    names = [c["name"] for c in info]
    assert [n for n in names if n in r.counters] == list(r.counters)
