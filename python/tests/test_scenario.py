"""Stepping a scenario script from Python, and looking at the machine between steps."""

import pytest

import mmsim

SCRIPT = """\
config mem=64M swap=0 policy=clock
spawn P
P map A 16
P read A 0-3
P write A 0-15
expect P minflt == 20
show P maps
"""


def test_step_by_step_faults_by_hand():
    # 16 pages of private anonymous memory: reading 4 maps the zero page (4 faults), then
    # writing all 16 copies the 4 and demand-zeroes 12 (16 faults): 20 (DESIGN.md, Faults).
    with mmsim.Scenario(SCRIPT, name="t.mms") as s:
        assert s.processes == ["P"]
        assert s.next_command == (2, "spawn P")
        assert s.step()
        base = s.stats("P")["minflt"]
        assert s.step() and s.step()
        assert s.stats("P")["minflt"] - base == 4
        assert s.next_command[1] == "P write A 0-15"
        assert s.step()
        assert s.stats("P")["minflt"] - base == 20
        assert s.stats("P")["VmRSS_kB"] >= 16 * 4
        assert "rw-p" in s.report("maps", "P")
        assert "MemTotal" in s.report("meminfo")
        assert s.counters()["pgfault"] >= 20
        res = s.run()
        assert s.next_command is None
        assert res == {"nr_commands": 6, "nr_expects": 1, "nr_failed": 0, "check_failed": False}
        assert [o["kind"] for o in s.output] == ["show"]
        assert s.output[0]["line"] == 7 and "maps" in s.output[0]["title"]
        assert not s.step()


def test_failed_expect_is_output_not_error():
    with mmsim.Scenario(SCRIPT.replace("== 20", "== 21")) as s:
        res = s.run()
    assert res["nr_failed"] == 1
    assert any(o["kind"] == "expect_failed" and "minflt" in o["text"] for o in s.output)


def test_explain_hands_out_events():
    with mmsim.Scenario(SCRIPT, explain=True) as s:
        s.run()
    kinds = {o["kind"] for o in s.output}
    assert {"command", "event", "show", "expect_verdict"} <= kinds


def test_walk_text():
    with mmsim.Scenario(SCRIPT) as s:
        s.run()
        va = int(s.report("maps", "P").split("-")[0], 16)
        text = s.walk("P", va)
    assert text.strip()


def test_parse_error_names_the_line():
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.Scenario("spawn P\nP frobnicate A\n", name="bad.mms")
    assert "bad.mms:2" in str(e.value)


def test_load_file_equals_text(src):
    path = src / "tests" / "scenarios" / "fork_cow.mms"
    with mmsim.Scenario.load(path) as s:
        res = s.run()
    assert res["nr_failed"] == 0 and res["nr_expects"] > 0


def test_machine_before_boot():
    with mmsim.Scenario(SCRIPT) as s:
        with pytest.raises(ValueError):
            s.counters()
        s.step()
        with pytest.raises(KeyError):
            s.stats("Q")


def test_explain_filters_equal_cli(cli, src):
    path = src / "tests" / "scenarios" / "fork_cow.mms"
    _, out, _ = cli("script", "--explain", "--events", "cow", "--process", "Q", path)
    with mmsim.Scenario.load(path, explain=True, events="cow", proc="Q") as s:
        s.run()
    marks = {"command": "{line}: {text}", "event": "  | {text}", "expect_verdict": "  = {text}"}
    got = [marks[o["kind"]].format(**o) for o in s.output]
    assert got == out.splitlines()[:-1]
    assert any("copy-on-write" in line for line in got)
    assert not any("zero page" in line for line in got)


def test_bad_filter():
    with pytest.raises(mmsim.MmsimError) as e:
        mmsim.Scenario(SCRIPT, explain=True, events="nosuch")
    assert "nosuch" in str(e.value)
    with pytest.raises(ValueError):
        mmsim.Scenario(SCRIPT, explain=True, addr=(10, 5))
