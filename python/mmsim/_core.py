"""The package's functions over libmmsim: runs, sweeps, curves and scenario sessions.

Every figure comes from the library (include/mmsim/*.h); the arithmetic done here is the
command line's (src/cli/): the same summary, timeline columns and sweep columns, so a
result from Python equals ``mmsim run --json`` / ``mmsim sweep`` / ``mmsim mrc`` on the same
input and settings.
"""

from __future__ import annotations

import collections.abc
import ctypes
import numbers
import errno
import os
import signal
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from ctypes import byref, c_int, c_size_t, c_uint32, c_uint64, c_ulong, c_void_p, pointer
from typing import (Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple,
                    Union)

from . import _lib
from ._lib import lib

PathLike = Union[str, "os.PathLike[str]"]
Setting = Union[str, int, bool]

PAGE_BYTES = 4096
_MIB = 1 << 20
# What a trace run gets before the caller's settings (src/cli/cmd_run.c, TRACE_DEFAULTS).
TRACE_DEFAULTS = (("mem", "64M"), ("swap", "256M"))
# Accesses between ticks of a replay when no timeline asks for more (cmd_run.c).
_TICK = 65536
TIMELINE_COLUMNS = (
    "accesses",
    "free_kb",
    "rss_kb",
    "swap_kb",
    "page_table_kb",
    "pgfault",
    "pgmajfault",
    "pswpin",
    "pswpout",
    "pgscan",
    "pgsteal",
    "dtlb_misses",
    "itlb_misses",
    "page_walks",
)
SWEEP_COLUMNS = (
    "policy",
    "frames",
    "bytes",
    "accesses",
    "misses",
    "miss_ratio",
    "mem_bytes",
    "swap_bytes",
    "records",
    "faults",
    "major_faults",
    "cold_misses",
    "pswpin",
    "pswpout",
    "pgsteal",
    "oom_kills",
    "not_simulated",
    "complete",
)
MRC_COLUMNS = ("policy", "frames", "bytes", "accesses", "misses", "miss_ratio")
_EXIT_OK, _EXIT_FAILED, _EXIT_KILLED = 0, 1, 3
_U64_MAX = 2**64 - 1


def _int_arg(name: str, value: Any, lo: int = 0, hi: int = _U64_MAX) -> int:
    """value as an int in lo..hi, or TypeError/ValueError naming the argument. ctypes
    would wrap a number past 64 bits (2**64 + 3 becomes 3) and int() would truncate 16.7
    to 16: either is a plausible wrong answer, so neither reaches the library."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} takes an int, not {type(value).__name__} {value!r}")
    v = int(value)
    if not lo <= v <= hi:
        top = "2**64 - 1" if hi == _U64_MAX else str(hi)
        raise ValueError(f"{name} takes {lo} to {top}, not {v}")
    return v


def _int_list(name: str, values: Any, lo: int = 1) -> List[int]:
    """A list of ints in lo..2**64-1 (frames, sizes), each checked as _int_arg()."""
    if isinstance(values, (str, bytes)) or not isinstance(values, collections.abc.Iterable):
        raise TypeError(f"{name} takes a list of ints, not {type(values).__name__} {values!r}")
    out = [_int_arg(f"{name}[{i}]", v, lo) for i, v in enumerate(values)]
    if not out:
        raise ValueError(f"{name} takes at least one value")
    return out


class MmsimError(Exception):
    """Bad input or a host failure reported by libmmsim.

    ``errno`` is the positive errno value (EINVAL for bad input, ENOENT for a missing
    file, ...); the message names the place and the reason, as the command line prints it.
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.errno = -code if code < 0 else code


def _check(rc: int, err: Optional[_lib.Error] = None, what: str = "") -> None:
    if rc >= 0:
        return
    msg = err.msg.decode("utf-8", "replace") if err is not None and err.msg else ""
    if not msg:
        msg = f"{what}: {os.strerror(-rc)}" if what else os.strerror(-rc)
    raise MmsimError(rc, msg)


class _SigintGuard:
    """^C during a long library call. Left alone, the KeyboardInterrupt is raised on entry
    to the next ctypes callback, where ctypes prints it and drops it: the callback returns
    0 and the call ends as if stopped (run() raised MmsimError 'Interrupted system call')
    or goes on (a workload, a sweep's other runs). While the guard is entered (main thread,
    default handler only), ^C sets ``hit`` (and ``event``) instead; the callbacks see it and
    stop, and leaving the guard raises KeyboardInterrupt."""

    def __init__(self, event: Optional[threading.Event] = None) -> None:
        self.hit = False
        self.event = event
        self._old: Any = None

    def _handler(self, _signum: int, _frame: Any) -> None:
        self.hit = True
        if self.event is not None:
            self.event.set()

    def __enter__(self) -> "_SigintGuard":
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._old = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
            self._old = None
        if self.hit and exc_type is None:
            raise KeyboardInterrupt


def _b(text: Union[str, bytes]) -> bytes:
    return text if isinstance(text, bytes) else str(text).encode()


def _s(raw: Optional[bytes]) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


# ---- names and metadata ----------------------------------------------------------------


def version() -> str:
    """libmmsim's version, as ``mmsim --version`` prints it."""
    return _s(lib().mmsim_version())


def _names(which: int) -> List[str]:
    buf = ctypes.create_string_buffer(8192)
    lib().mmsim_names(which, b"\n", buf, len(buf))
    return [n for n in _s(buf.value).split("\n") if n]


def policies() -> List[str]:
    """The page-replacement policies ``policy=`` takes."""
    return _names(0)


def config_keys() -> List[str]:
    """The settings run() and the others take as keyword arguments (``config key=value``)."""
    return _names(1)


def views() -> Dict[str, List[str]]:
    """The /proc-style views: ``{"system": [...], "process": [...]}``."""
    return {"system": _names(2), "process": _names(3)}


def tlb_presets() -> List[str]:
    """The TLB presets ``tlb=`` takes."""
    return _names(4)


def policy_info() -> List[Dict[str, Any]]:
    """The policies with what ``--help`` says of them, without booting a system: name,
    description, default (the policy of a default configuration), needs_accesses (an
    oracle that sees every access), needs_future (traces only) and params (name, default,
    min, max, help of each ``policy=NAME:KEY=VALUE`` parameter)."""
    out = []
    for i in range(lib().mmsim_policy_count()):
        p = _lib.new(_lib.PolicyInfo)
        _check(lib().mmsim_policy_info(i, ctypes.byref(p)), what="policy info")
        params = [
            {
                "name": _s(q.name),
                "default": getattr(q, "def"),
                "min": q.min,
                "max": q.max,
                "help": _s(q.help),
            }
            for q in p.params[: p.nr_params]
        ]
        out.append(
            {
                "name": _s(p.name),
                "description": _s(p.description),
                "default": bool(p.is_default),
                "needs_accesses": bool(p.needs_accesses),
                "needs_future": bool(p.needs_future),
                "params": params,
            }
        )
    return out


def tlb_preset_info() -> List[Dict[str, Any]]:
    """The TLB presets ``tlb=`` takes: name, description (the processor and where its
    sizes come from), spec (its structures, docs/tlb.md; "" for off) and default."""
    out = []
    for i in range(lib().mmsim_tlb_preset_count()):
        t = _lib.new(_lib.TlbPresetInfo)
        _check(lib().mmsim_tlb_preset_info(i, ctypes.byref(t)), what="TLB preset info")
        out.append(
            {
                "name": _s(t.name),
                "description": _s(t.description),
                "spec": _s(t.spec),
                "default": bool(t.is_default),
            }
        )
    return out


def counter_info() -> List[Dict[str, str]]:
    """Every counter a run reports, in its order: name, kind ("event": a count since
    boot that never goes down; "gauge": the size of a state now) and group ("vmstat",
    "file" for mmsim's file I/O, "tlb" for perf's names, "kernel"). A run reports the THP,
    compaction, workingset and file counters only once they are non-zero."""
    out = []
    for i in range(lib().mmsim_counter_count()):
        c = _lib.new(_lib.CounterInfo)
        _check(lib().mmsim_counter_info(i, ctypes.byref(c)), what="counter info")
        kind = "gauge" if c.kind == _lib.COUNTER_GAUGE else "event"
        out.append({"name": _s(c.name), "kind": kind, "group": _s(c.group)})
    return out


def workloads() -> List[Dict[str, str]]:
    """The built-in workloads: name, summary and the machine each sets up (config)."""
    out = []
    for i in range(lib().mmsim_workload_count()):
        w = lib().mmsim_workload_at(i).contents
        out.append({"name": _s(w.name), "summary": _s(w.summary), "config": _s(w.config)})
    return out


# ---- configuration ----------------------------------------------------------------------


def _setting_text(value: Setting) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _make_config(
    settings: Mapping[str, Setting],
    workload: Optional[Any] = None,
    defaults: Sequence = (),
) -> _lib.ConfigBox:
    """The machine as the command line builds it (src/cli/settings.c): the library's
    defaults, then the workload's, then ``defaults``, then the caller's settings."""
    box = _lib.ConfigBox()
    cfg = pointer(box.cfg)
    err = _lib.new(_lib.Error)
    lib().mmsim_config_default(cfg)
    if workload is not None:
        _check(lib().mmsim_workload_configure(workload, cfg, byref(err)), err)
    for key, value in list(defaults) + list(settings.items()):
        _check(
            lib().mmsim_config_set(cfg, _b(key), _b(_setting_text(value)), byref(err)), err
        )
    return box


def _config_dict(c: _lib.Config) -> Dict[str, Any]:
    """struct mmsim_config as ``mmsim run --json`` writes it ("config")."""
    reclaim = _s(c.reclaim)
    return {
        "mem_bytes": c.mem_bytes,
        "swap_bytes": c.swap_bytes,
        "policy": _s(c.policy),
        "reclaim": reclaim,
        "reclaim_batch_pages": 32 if reclaim == "linux" else 1,
        "frames": c.frames,
        "layout": _s(c.layout),
        "levels": c.levels,
        "tlb": _s(c.tlb),
        "pcid": bool(c.pcid),
        "kpti": c.kpti == _lib.KPTI_ON,
        "data_mode": bool(c.data_mode),
        "paranoid": bool(c.paranoid),
        "pt_reclaim": bool(c.pt_reclaim),
        "seed": c.seed,
    }


def _counters(sys: int) -> Dict[str, int]:
    out: Dict[str, int] = {}

    def take(_ctx: Any, name: bytes, value: int) -> None:
        out[_s(name)] = value

    cb = _lib.COUNTER_FN(take)
    lib().mmsim_counters_foreach(sys, cb, None)
    return out


def _counter(sys: int, name: str) -> int:
    v = c_uint64(0)
    # -ENOENT for a name the library does not have: an error, not a count of 0.
    _check(lib().mmsim_counter(sys, _b(name), byref(v)), what=f"counter '{name}'")
    return v.value


def _report(sys: int, task: Optional[int], view: str) -> str:
    text = c_void_p()
    err = _lib.new(_lib.Error)
    _check(lib().mmsim_report(sys, task, _b(view), byref(text), byref(err)), err)
    return _lib.take_string(text)


def _task_stats(task: int) -> Dict[str, int]:
    st = _lib.new(_lib.TaskStats)
    lib().mmsim_task_stats(task, byref(st))
    return {
        "minflt": st.minflt,
        "majflt": st.majflt,
        "VmSize_kB": st.vmsize_kb,
        "VmRSS_kB": st.rss_kb,
        "RssAnon_kB": st.rss_anon_kb,
        "RssShmem_kB": st.rss_shmem_kb,
        "VmHWM_kB": st.hwm_kb,
        "VmSwap_kB": st.swap_kb,
        "VmPTE_kB": st.vmpte_kb,
    }


def _pandas() -> Any:
    try:
        import pandas  # type: ignore[import]
    except ImportError as e:  # pragma: no cover - depends on the machine
        raise ImportError(
            "DataFrames need pandas (Debian: apt-get install python3-pandas); "
            "the plain lists and dicts work without it"
        ) from e
    return pandas


# ---- the processes of a run (src/cli/report_run.c, cli_procs) ---------------------------


class _Proc:
    __slots__ = ("task", "pid", "trace_pid", "state", "stats", "replay")

    def __init__(self, task: int, trace_pid: Optional[int]) -> None:
        self.task: Optional[int] = task
        self.pid = lib().mmsim_task_pid(task)
        self.trace_pid = trace_pid
        self.state = "running"
        self.stats = _task_stats(task)
        self.replay: Optional[_lib.ReplayTaskStats] = None

    def refresh(self) -> None:
        if self.task is None:
            return
        self.stats = _task_stats(self.task)
        if not lib().mmsim_task_alive(self.task):
            self.state = "oom-killed"
        elif lib().mmsim_task_exited(self.task):
            self.state = "exited"  # a trace's exit event

    def exiting(self) -> None:
        assert self.task is not None
        self.stats = _task_stats(self.task)
        self.state = "exited" if lib().mmsim_task_alive(self.task) else "oom-killed"
        self.task = None


class _Timeline:
    """``mmsim run --timeline``'s rows (src/cli/report_timeline.c)."""

    def __init__(self, interval: Optional[int]) -> None:
        self.interval = interval
        self.rows: List[Dict[str, int]] = []
        self.next = 0
        self.last = 0

    def sample(self, sys: int, procs: List[_Proc], accesses: int, force: bool) -> None:
        if not self.interval or (not force and accesses < self.next):
            return
        if force and self.rows and accesses == self.last:
            return
        self.last = accesses
        self.next = accesses - accesses % self.interval + self.interval
        rss = swap = 0
        for p in procs:
            if p.task is None:
                continue
            st = _task_stats(p.task)
            rss += st["VmRSS_kB"]
            swap += st["VmSwap_kB"]

        def c(name: str) -> int:
            return _counter(sys, name)

        self.rows.append(
            {
                "accesses": accesses,
                "free_kb": c("nr_free_pages") * 4,
                "rss_kb": rss,
                "swap_kb": swap,
                "page_table_kb": c("nr_page_table_pages") * 4,
                "pgfault": c("pgfault"),
                "pgmajfault": c("pgmajfault"),
                "pswpin": c("pswpin"),
                "pswpout": c("pswpout"),
                "pgscan": c("pgscan_kswapd") + c("pgscan_direct"),
                "pgsteal": c("pgsteal_kswapd") + c("pgsteal_direct"),
                "dtlb_misses": c("dTLB-load-misses") + c("dTLB-store-misses"),
                "itlb_misses": c("iTLB-load-misses"),
                "page_walks": c("page_walks"),
            }
        )

    def tick_every(self) -> int:
        """Accesses between ticks: rows fall on multiples of the interval (cmd_run.c)."""
        n = self.interval
        if not n:
            return _TICK
        if n <= _TICK:
            return n
        for d in range(_TICK, 4095, -1):
            if n % d == 0:
                return d
        return n


# ---- run ----------------------------------------------------------------------------------


class RunResult:
    """What one run did, laid out as ``mmsim run --json`` lays it out (docs/run.md, "JSON").

    Plain data: ``input``, ``config``, ``result``, ``summary`` (dicts), ``counters`` (a dict
    of every counter, /proc/vmstat names and perf's TLB names, in report order),
    ``processes`` (a list of dicts, one per process), ``views`` (the /proc-style texts
    asked for with ``show``) and ``timeline`` (a list of rows, one every ``interval``
    accesses, with the columns of ``mmsim run --timeline``). ``to_dict()`` gives all of it
    as the command line's JSON object (less the wall-clock ``seconds``).
    """

    def __init__(self) -> None:
        self.input: Dict[str, Any] = {}
        self.config: Dict[str, Any] = {}
        self.result: Dict[str, Any] = {}
        self.summary: Dict[str, int] = {}
        self.counters: Dict[str, int] = {}
        self.processes: List[Dict[str, Any]] = []
        self.views: Dict[str, Any] = {}
        self.timeline: List[Dict[str, int]] = []

    @property
    def passed(self) -> bool:
        """A workload computed the right result (always True for a trace); no process was
        OOM-killed; no broken invariant was found."""
        return self.result.get("exit_status") == _EXIT_OK

    @property
    def complete(self) -> bool:
        """No process was OOM-killed: the whole input was simulated."""
        return bool(self.result.get("complete"))

    def to_dict(self) -> Dict[str, Any]:
        """The whole result as ``mmsim run --json`` writes it, without "seconds"."""
        return {
            "mmsim_version": version(),
            "input": self.input,
            "config": self.config,
            "result": self.result,
            "summary": self.summary,
            "counters": self.counters,
            "processes": self.processes,
            "views": self.views,
        }

    def counters_frame(self) -> Any:
        """The counters as a pandas DataFrame (columns name, value)."""
        pd = _pandas()
        return pd.DataFrame(list(self.counters.items()), columns=["name", "value"])

    def processes_frame(self) -> Any:
        """One row per process (pandas DataFrame)."""
        return _pandas().DataFrame(self.processes)

    def timeline_frame(self) -> Any:
        """The timeline as a pandas DataFrame indexed by accesses."""
        pd = _pandas()
        return pd.DataFrame(self.timeline, columns=list(TIMELINE_COLUMNS)).set_index("accesses")

    def __repr__(self) -> str:
        what = self.input.get("path") or self.input.get("name")
        return (
            f"<mmsim.RunResult {self.input.get('kind')} {what!s}: "
            f"{self.summary.get('accesses')} accesses, "
            f"{self.summary.get('minor_faults')} minor + "
            f"{self.summary.get('major_faults')} major faults>"
        )


class _Run:
    """The state of one run while it goes (cmd_run.c's struct run_ctx)."""

    def __init__(self, sys: int, interval: Optional[int]) -> None:
        self.sys = sys
        self.procs: List[_Proc] = []
        self.timeline = _Timeline(interval)
        self.reader: Optional[int] = None
        self.pending: Optional[BaseException] = None
        self.intr = _SigintGuard()
        self.warm_procs: Dict[int, tuple] = {}
        self.warm_counters: Dict[str, int] = {}

    def sync_replay(self, rp: int) -> None:
        st = _lib.new(_lib.ReplayStats)
        lib().mmsim_replay_get_stats(rp, byref(st))
        for i in range(len(self.procs), st.nr_tasks):
            tpid = c_uint32()
            t = lib().mmsim_replay_task(rp, i, byref(tpid))
            self.procs.append(_Proc(t, tpid.value))


def _open_reader(path: PathLike, fmt: Optional[str], params: Optional[str] = None) -> int:
    code = c_int(_lib.TRACE_FORMAT_AUTO)
    if fmt is not None and lib().mmsim_trace_format_from_name(_b(fmt), byref(code)) < 0:
        raise MmsimError(
            -22,
            f"format '{fmt}': want binary, lackey, din, oracleGeneral, csv, champsim or pages",
        )
    r = c_void_p()
    err = _lib.new(_lib.Error)
    _check(
        lib().mmsim_trace_reader_create_as(_b(os.fspath(path)), code.value, byref(r), byref(err)),
        err,
    )
    if params:
        rc = lib().mmsim_trace_reader_set_params(r.value, _b(params), byref(err))
        if rc < 0:
            lib().mmsim_trace_reader_destroy(r.value)
            _check(rc, err)
    return r.value


def _swap_kb(sys: int) -> tuple:
    total = free = 0
    for line in _report(sys, None, "meminfo").splitlines():
        if line.startswith("SwapTotal:"):
            total = int(line.split()[1])
        elif line.startswith("SwapFree:"):
            free = int(line.split()[1])
    return total, max(total - free, 0)


def _future_and_rewind(reader: int) -> int:
    fut = c_void_p()
    err = _lib.new(_lib.Error)
    _check(lib().mmsim_replay_future_build(reader, byref(fut), byref(err)), err)
    rc = lib().mmsim_trace_rewind(reader, byref(err))
    if rc < 0:
        lib().mmsim_replay_future_destroy(fut)
        _check(rc, err)
    return fut.value


def _skip_records(reader: int, n: int) -> None:
    """Reads and drops the first n records (``--skip``)."""
    rec = _lib.new(_lib.TraceRecord)
    err = _lib.new(_lib.Error)
    for done in range(n):
        rc = lib().mmsim_trace_next(reader, byref(rec), byref(err))
        _check(rc, err)
        if rc == 0:
            name = _s(lib().mmsim_trace_reader_name(reader))
            raise MmsimError(-22, f"skip {n}: {name} has only {done} records")


_REPLAY_KEYS = (
    ("records", "records"),
    ("page_accesses", "accesses"),
    ("loads", "loads"),
    ("stores", "stores"),
    ("fetches", "fetches"),
    ("skipped", "skipped"),
    ("segv_maperr", "segv_maperr"),
    ("segv_accerr", "segv_accerr"),
    ("killed", "killed"),
    ("regions_mapped", "regions_mapped"),
    ("map_failures", "map_failures"),
)


def _replay(
    st: _Run,
    reader: int,
    max_records: int,
    res: RunResult,
    progress: Optional[Callable],
    skip: int = 0,
    warmup: int = 0,
) -> None:
    sys = st.sys
    future = None
    rp = c_void_p()
    err = _lib.new(_lib.Error)
    warm = None
    try:
        _skip_records(reader, skip)
        if lib().mmsim_needs_future(sys):
            future = _future_and_rewind(reader)
            _skip_records(reader, skip)
        _check(lib().mmsim_replay_create(sys, byref(rp), byref(err)), err)
        lib().mmsim_replay_set_future(rp, future)

        def tick(_ctx: Any, rp_: int) -> bool:
            try:
                if st.intr.hit:
                    raise KeyboardInterrupt
                rs = _lib.new(_lib.ReplayStats)
                lib().mmsim_replay_get_stats(rp_, byref(rs))
                acc = rs.loads + rs.stores + rs.fetches
                st.sync_replay(rp_)
                st.timeline.sample(sys, st.procs, acc, False)
                if progress is not None:
                    progress(acc)
                return True
            except BaseException as e:  # ^C or the caller's exception: stop, re-raise after
                st.pending = e
                return False

        cb = _lib.REPLAY_TICK_FN(tick)
        opts = _lib.new(_lib.ReplayTraceOpts, st.timeline.tick_every(), cb, None, max_records)
        rc = 0
        if warmup:
            # --warmup: simulated, then what was counted so far is the zero point.
            opts.max_records = warmup
            rc = lib().mmsim_replay_trace(rp, reader, byref(opts), byref(err))
            if rc == 0 and st.pending is None:
                warm = _lib.new(_lib.ReplayStats)
                lib().mmsim_replay_get_stats(rp, byref(warm))
                st.sync_replay(rp.value)
                for p in st.procs:
                    p.refresh()
                st.warm_procs = {id(p): (p.stats["minflt"], p.stats["majflt"]) for p in st.procs}
                st.warm_counters = _counters(sys)
            opts.max_records = max_records - warmup if max_records else 0
        if rc == 0 and st.pending is None:
            rc = lib().mmsim_replay_trace(rp, reader, byref(opts), byref(err))
        if st.pending is not None:
            raise st.pending
        _check(rc, err)
        st.sync_replay(rp.value)
        rs = _lib.new(_lib.ReplayStats)
        lib().mmsim_replay_get_stats(rp, byref(rs))
        for i, p in enumerate(st.procs):
            p.replay = _lib.new(_lib.ReplayTaskStats)
            lib().mmsim_replay_task_stats(rp, i, byref(p.replay))
        rep = {k: getattr(rs, f) - (getattr(warm, f) if warm else 0) for k, f in _REPLAY_KEYS}
        rep["processes"] = rs.nr_tasks
        if rs.forks or rs.execs or rs.exits or rs.reclaims or rs.switches:
            # As the CLI's JSON: only for a trace with events.
            rep["events"] = {
                f: getattr(rs, f) - (getattr(warm, f) if warm else 0)
                for f in ("forks", "execs", "exits", "reclaims", "switches")
            }
            if rs.switches:
                now = _counters(sys)  # since boot, as the marks' snapshots
                rep["events"]["after_last_switch"] = {
                    "records_before": rs.switch_records,
                    "page_faults": now.get("pgfault", 0) - rs.switch_pgfault,
                    "major_faults": now.get("pgmajfault", 0) - rs.switch_pgmajfault,
                    "swap_ins": now.get("pswpin", 0) - rs.switch_pswpin,
                }
        res.result["replay"] = rep
        if warm is not None and warm.records:
            wc = st.warm_counters
            res.result["warmup"] = {
                "records": warm.records,
                "page_accesses": warm.accesses,
                "page_faults": wc.get("pgfault", 0),
                "major_faults": wc.get("pgmajfault", 0),
                "swap_outs": wc.get("pswpout", 0),
            }
        res.result["future_given"] = future is not None
        res.input["records"] = rep["records"]
        if skip or (warm is not None and warm.records):
            res.input["skip_records"] = skip
            res.input["warmup_records"] = warm.records if warm is not None else 0
        res.result["_warm_accesses"] = warm.accesses if warm is not None else 0
        res.summary["accesses"] = rep["loads"] + rep["stores"] + rep["fetches"]
        timeline_end = rs.loads + rs.stores + rs.fetches
        # After a kill: the footprint says what machine would have held the trace.
        if any(p.task is not None and not lib().mmsim_task_alive(p.task) for p in st.procs):
            fp = _lib.new(_lib.ReplayFootprint)
            if future is not None:
                lib().mmsim_replay_future_footprint(future, byref(fp))
            elif lib().mmsim_trace_rewind(reader, byref(err)) == 0:
                try:
                    _skip_records(reader, skip)
                    lib().mmsim_replay_scan(reader, byref(fp), byref(err))
                except MmsimError:
                    pass
            res.result["_footprint_pages"] = fp.pages
        st.timeline.sample(sys, st.procs, timeline_end, True)
    finally:
        lib().mmsim_replay_destroy(rp)
        lib().mmsim_replay_future_destroy(future)


def _workload(
    st: _Run, w: Any, scale: int, shrink: int, seed: int, res: RunResult, progress: Optional[Callable]
) -> None:
    sys = st.sys
    if lib().mmsim_needs_future(sys):
        raise MmsimError(
            -22,
            "policy needs the future, which only a trace has: replay a trace of the workload",
        )

    def tick(_ctx: Any, accesses: int, planned: int) -> None:
        try:
            if st.intr.hit:
                raise KeyboardInterrupt
            st.timeline.sample(sys, st.procs, accesses, False)
            if progress is not None:
                progress(accesses)
        except BaseException as e:  # ^C or the caller's exception: stop, re-raise after
            if st.pending is None:
                st.pending = e

    def stop(_ctx: Any) -> bool:
        if st.intr.hit and st.pending is None:
            st.pending = KeyboardInterrupt()
        return st.pending is not None

    def task_event(_ctx: Any, task: int, ev: int) -> None:
        if ev == _lib.WORKLOAD_TASK_STARTED:
            st.procs.append(_Proc(task, None))
            return
        for p in st.procs:
            if p.task == task:
                p.exiting()

    tcb = _lib.WORKLOAD_TICK_FN(tick)
    ecb = _lib.WORKLOAD_TASK_FN(task_event)
    scb = _lib.WORKLOAD_STOP_FN(stop)
    opts = _lib.new(
        _lib.WorkloadOpts, scale, shrink, seed, st.timeline.tick_every(), tcb, ecb, None, None, scb
    )
    wr = _lib.new(_lib.WorkloadResult)
    err = _lib.new(_lib.Error)
    rc = lib().mmsim_workload_run(sys, w, byref(opts), byref(wr), byref(err))
    if st.pending is not None:
        raise st.pending
    _check(rc, err)
    res.result["passed"] = bool(wr.passed)
    res.result["verdict"] = _s(wr.verdict)
    notes = _s(wr.notes)
    res.result["notes"] = notes.split("\n")[:-1] if notes.endswith("\n") else (
        notes.split("\n") if notes else []
    )
    res.result["planned_accesses"] = wr.planned
    res.summary["accesses"] = wr.accesses
    st.timeline.sample(sys, st.procs, wr.accesses, True)


def run(
    trace: Optional[PathLike] = None,
    *,
    workload: Optional[str] = None,
    format: Optional[str] = None,
    trace_params: Optional[str] = None,
    max_records: int = 0,
    skip: int = 0,
    warmup: int = 0,
    scale: int = 1,
    shrink: int = 0,
    show: Iterable[str] = (),
    interval: Optional[int] = None,
    allow_kill: bool = False,
    allow_empty: bool = False,
    progress: Optional[Callable[[int], None]] = None,
    **settings: Setting,
) -> RunResult:
    """Runs the simulated machine on a trace or a built-in workload, as ``mmsim run``.

    trace: a trace file (valgrind lackey text or mmsim binary, detected; or ``format``:
        binary, lackey, din, oracleGeneral, csv, champsim, pages), replayed in metadata
        mode on a machine of mem=64M swap=256M unless the settings say otherwise.
    trace_params: for format="csv", libCacheSim's reader parameters as its cachesim's -t
        takes them ("obj-id-col=3, delimiter=,, has-header=false"; ``-t``). sweep(),
        mrc() and footprint() take it too.
    workload: a built-in workload's name (see workloads()); without trace and workload the
        default workload runs. ``scale`` multiplies its work; ``shrink`` (0..8) divides its
        data by about 2**shrink, for quick looks and tests.
    settings: the machine, as keyword arguments named like ``config key=value`` (see
        config_keys()): mem="64M", swap="256M", policy="clock", frames=256, reclaim="demand",
        tlb="zen4", layout, levels, pcid=True, kpti=True, seed, paranoid, pt_reclaim.
        Numbers may be given as int; booleans as bool.
    show: views to collect at the end into ``views``: system views (vmstat, meminfo, ...)
        and per-process views (maps, status, smaps), as ``--show``.
    interval: collect a timeline row every this many accesses (``--timeline``).
    max_records: stop after this many trace records (0: the whole trace), the warmup's
        included, the skipped ones not (``--max-records``).
    skip: read the first this many records and do not simulate them (``--skip``).
    warmup: simulate the next this many records, then count from zero: the result is of
        the records after them (``--warmup``; the timeline keeps counting from the start).
    allow_kill: an OOM kill is a result (exit_status 0 instead of 3), as ``--allow-kill``.
    allow_empty: a trace with no records (after skip) gives a result of zeros instead of
        an MmsimError, as ``--allow-empty``.
    progress: called now and then with the accesses made so far.

    Returns a RunResult. Raises MmsimError for bad input (an unknown setting, a bad
    trace: the message names the file and the place) and ValueError for bad arguments.
    Simulated outcomes (SIGSEGV, OOM kills, a workload's wrong result) are results.
    """
    if trace is not None and workload is not None:
        raise ValueError("give a trace or a workload, not both")
    if interval is not None:
        interval = _int_arg("interval (accesses)", interval, 1)
    scale = _int_arg("scale", scale, 1, 1000)
    shrink = _int_arg("shrink", shrink, 0, 8)
    max_records = _int_arg("max_records", max_records)
    skip = _int_arg("skip", skip)
    warmup = _int_arg("warmup", warmup)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress takes a function of the accesses, not {progress!r}")
    if workload is not None and not isinstance(workload, str):
        raise TypeError(f"workload takes a name, not {type(workload).__name__} {workload!r}")
    if trace is None and (skip or warmup):
        raise ValueError("skip and warmup are for traces")
    if warmup and max_records and max_records <= warmup:
        raise ValueError(
            f"max_records {max_records} counts the warmup's records too: give more than "
            f"warmup {warmup}"
        )
    show = [show] if isinstance(show, str) else list(show)
    res = RunResult()
    w = None
    if trace is None:
        w = (
            lib().mmsim_workload_find(_b(workload))
            if workload is not None
            else lib().mmsim_workload_default()
        )
        if not w:
            names = ", ".join(x["name"] for x in workloads())
            raise MmsimError(-22, f"unknown workload '{workload}'; valid workloads: {names}")
        box = _make_config(settings, workload=w)
        if not box.cfg.data_mode:
            raise MmsimError(-22, "data=off: a workload computes real data, so it needs data mode")
    else:
        box = _make_config(settings, defaults=TRACE_DEFAULTS)
        if box.cfg.data_mode:
            raise MmsimError(-22, "data=on: a trace has no data; it is replayed in metadata mode")
    reader = None
    sysp = c_void_p()
    err = _lib.new(_lib.Error)
    try:
        if trace is not None:
            reader = _open_reader(trace, format, trace_params)
        _check(lib().mmsim_system_create(pointer(box.cfg), byref(sysp), byref(err)), err)
        sys = sysp.value
        final = _lib.ConfigBox()
        lib().mmsim_system_config(sys, pointer(final.cfg))
        res.config = _config_dict(final.cfg)
        sys_views = [v for v in show if v not in ("maps", "status", "smaps")]
        for v in sys_views:
            _report(sys, None, v)  # an unknown view fails before the run, as --show does
        st = _Run(sys, interval)
        st.timeline.sample(sys, st.procs, 0, True)
        if w is not None:
            info = w.contents
            res.input = {
                "kind": "workload",
                "name": _s(info.name),
                "scale": scale,
                "seed": final.cfg.seed,
            }
            with st.intr:
                _workload(st, w, scale, shrink, final.cfg.seed, res, progress)
        else:
            res.input = {
                "kind": "trace",
                "path": _s(lib().mmsim_trace_reader_name(reader)),
                "format": _s(
                    lib().mmsim_trace_format_name(lib().mmsim_trace_reader_format(reader))
                ),
                "compression": _s(
                    lib().mmsim_trace_compression_name(
                        lib().mmsim_trace_reader_compression(reader)
                    )
                ),
            }
            with st.intr:
                _replay(st, reader, max_records, res, progress, skip, warmup)
            if not res.input["records"] and not res.result.get("warmup") and not allow_empty:
                raise MmsimError(
                    -22, f"{res.input['path']}: the trace has no records (allow_empty=True "
                    "accepts that)")
        _finish(st, res, w is not None, allow_kill, show)
    finally:
        lib().mmsim_system_destroy(sysp)
        lib().mmsim_trace_reader_destroy(reader)
    res.timeline = st.timeline.rows
    return res


def _finish(st: _Run, res: RunResult, is_workload: bool, allow_kill: bool, show: List[str]) -> None:
    """cmd_run.c's finish(): counters, processes, summary, exit status, views."""
    sys = st.sys
    for p in st.procs:
        p.refresh()
    k = res.counters = _counters(sys)
    if st.warm_counters:
        # --warmup: event counters only (Linux's nr_* are levels, kept).
        for name in k:
            if not name.startswith("nr_"):
                k[name] -= st.warm_counters.get(name, 0)
        for p in st.procs:
            wmin, wmaj = st.warm_procs.get(id(p), (0, 0))
            p.stats["minflt"] -= wmin
            p.stats["majflt"] -= wmaj
    warm_accesses = res.result.pop("_warm_accesses", 0)
    cfg = res.config
    err = _lib.new(_lib.Error)
    check_error = ""
    if cfg["paranoid"] and lib().mmsim_check(sys, byref(err)) < 0:
        check_error = _s(err.msg)
    killed = [p for p in st.procs if p.state == "oom-killed"]
    failed = (is_workload and not res.result["passed"]) or bool(check_error)
    status = _EXIT_FAILED if failed else _EXIT_OK
    if killed and not allow_kill and not check_error:
        status = _EXIT_KILLED
    r = res.result
    ordered: Dict[str, Any] = {"exit_status": status}
    ordered.update(r)
    if check_error:
        ordered["check_error"] = check_error
    ordered["complete"] = not killed
    kl = []
    for p in killed:
        d: Dict[str, Any] = {"pid": p.pid, "VmHWM_kB": p.stats["VmHWM_kB"]}
        if not is_workload and p.replay is not None:
            d["trace_pid"] = p.trace_pid
            d["killed_after_accesses"] = (
                r["replay"]["page_accesses"] + warm_accesses
                if p.replay.killed_at == 2**64 - 1
                else p.replay.killed_at
            )
            d["accesses_made"] = p.replay.accesses
            d["accesses_not_simulated"] = p.replay.skipped
        kl.append(d)
    ordered["killed_processes"] = kl
    fp = ordered.pop("_footprint_pages", 0)
    if fp:
        ordered["footprint_bytes"] = fp * PAGE_BYTES
        ordered["fit_swap_bytes"] = ((fp * PAGE_BYTES + _MIB - 1) // _MIB + 16) * _MIB
        ordered["fit_mem_bytes"] = (fp * (PAGE_BYTES + 16) + 48 * _MIB + _MIB - 1) // _MIB * _MIB
    res.result = ordered
    _, swap_used = _swap_kb(sys)
    c = k.get
    res.summary = {
        "accesses": res.summary["accesses"],
        "minor_faults": c("pgfault", 0) - c("pgmajfault", 0),
        "major_faults": c("pgmajfault", 0),
        "swap_used_kB": swap_used,
        "swap_ins": c("pswpin", 0),
        "swap_outs": c("pswpout", 0),
        "dtlb_loads": c("dTLB-loads", 0),
        "dtlb_load_misses": c("dTLB-load-misses", 0),
        "dtlb_stores": c("dTLB-stores", 0),
        "dtlb_store_misses": c("dTLB-store-misses", 0),
        "itlb_loads": c("iTLB-loads", 0),
        "itlb_load_misses": c("iTLB-load-misses", 0),
        "page_walks": c("page_walks", 0),
        "walk_mem_refs": c("walk_mem_refs", 0),
        "page_table_bytes": c("nr_page_table_pages", 0) * PAGE_BYTES,
        "peak_rss_kb": max([p.stats["VmHWM_kB"] for p in st.procs], default=0),
        "pgscan_kswapd": c("pgscan_kswapd", 0),
        "pgscan_direct": c("pgscan_direct", 0),
        "pgsteal_kswapd": c("pgsteal_kswapd", 0),
        "pgsteal_direct": c("pgsteal_direct", 0),
        "allocstall": sum(v for n, v in k.items() if n.startswith("allocstall_")),
        "oom_kills": c("oom_kill", 0),
    }
    procs = []
    for p in st.procs:
        d = {"pid": p.pid}
        if p.trace_pid is not None:
            d["trace_pid"] = p.trace_pid
        d["state"] = p.state
        d.update(p.stats)
        procs.append(d)
    res.processes = procs
    for v in show:
        if v in ("maps", "status", "smaps"):
            per = res.views.setdefault(v, {})
            for p in st.procs:
                if p.state == "running" and p.task is not None:
                    per[str(p.pid)] = _report(sys, p.task, v)
        else:
            res.views[v] = _report(sys, None, v)


# ---- sweep --------------------------------------------------------------------------------


def default_frames(footprint_pages: int) -> List[int]:
    """The frame caps sweep and mrc try when not told: from the footprint / 256 (at least
    16), doubling, up to the footprint (src/cli/frames.c, cli_default_frames())."""
    top = footprint_pages or 1
    f = max(top // 256, 16)
    out = []
    while f < top and len(out) < 255:
        out.append(f)
        f *= 2
    out.append(top if top > f // 2 else f)
    return out


def footprint(
    trace: PathLike, *, format: Optional[str] = None, trace_params: Optional[str] = None
) -> Dict[str, int]:
    """What a trace touches, without replaying it: records, page accesses, distinct
    (pid, page) pairs (pages), pids and 2 MiB regions."""
    reader = _open_reader(trace, format, trace_params)
    try:
        fp = _lib.new(_lib.ReplayFootprint)
        err = _lib.new(_lib.Error)
        _check(lib().mmsim_replay_scan(reader, byref(fp), byref(err)), err)
    finally:
        lib().mmsim_trace_reader_destroy(reader)
    return {k: getattr(fp, k) for k, _ in _lib.ReplayFootprint._fields_}


class SweepResult:
    """The rows of a sweep: one dict per (policy, frames) run with the columns of
    ``mmsim sweep``'s CSV (SWEEP_COLUMNS); misses and miss_ratio are None for a run
    whose process was OOM-killed (complete False), as the CSV leaves them empty."""

    def __init__(
        self,
        rows: List[Dict[str, Any]],
        footprint: Dict[str, int],
        shard: Optional[Tuple[int, int]] = None,
        cells: Optional[List[int]] = None,
        nr_cells: Optional[int] = None,
        params: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.rows = rows
        self.footprint = footprint
        #: (K, N) for one shard's part (sweep(shard=...)), else None.
        self.shard = shard
        #: the index of each row's cell among all the sweep's (policy-major) runs.
        self.cells = cells if cells is not None else list(range(len(rows)))
        #: how many runs the whole sweep has.
        self.nr_cells = nr_cells if nr_cells is not None else len(rows)
        #: what the sweep was asked (trace, format, policies, frames, skip, warmup,
        #: settings): the parts of one sweep have the same.
        self.params = params or {}

    @classmethod
    def merge(cls, parts: Sequence["SweepResult"]) -> "SweepResult":
        """Joins the N parts of a sharded sweep (sweep(shard=(K, N)) for K = 1..N) into the
        result of the whole sweep, rows in the same order, as ``mmsim merge`` does. Raises
        ValueError unless the parts are exactly the N shards of one sweep (same footprint,
        every cell once)."""
        if not parts:
            raise ValueError("merge needs the parts of a sweep")
        n = parts[0].shard[1] if parts[0].shard else None
        if n is None or any(p.shard is None or p.shard[1] != n for p in parts):
            raise ValueError("merge takes parts of one sweep made with shard=(K, N)")
        if sorted(p.shard[0] for p in parts) != list(range(1, n + 1)):
            raise ValueError(f"merge needs each of the {n} shards once, got "
                             f"{sorted(p.shard[0] for p in parts)}")
        if any(p.footprint != parts[0].footprint or p.nr_cells != parts[0].nr_cells
               or p.params != parts[0].params for p in parts):
            raise ValueError("the parts are of different sweeps (trace, policies, frames, "
                             "skip, warmup or settings)")
        by_cell = {c: r for p in parts for c, r in zip(p.cells, p.rows)}
        if sorted(by_cell) != list(range(parts[0].nr_cells)):
            raise ValueError("the parts do not cover every run of the sweep")
        return cls([by_cell[c] for c in range(parts[0].nr_cells)], dict(parts[0].footprint),
                   params=dict(parts[0].params))

    def curve(self, policy: str) -> tuple:
        """(frames, miss_ratio) lists of the complete runs of policy, for plotting."""
        pts = [(r["frames"], r["miss_ratio"]) for r in self.rows if r["policy"] == policy and r["complete"]]
        return [p[0] for p in pts], [p[1] for p in pts]

    def frame(self) -> Any:
        """The rows as a pandas DataFrame."""
        return _pandas().DataFrame(self.rows, columns=list(SWEEP_COLUMNS))

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


_SWEEP_COUNTERS = ("pgfault", "pgmajfault", "pswpin", "pswpout", "pgsteal_kswapd",
                   "pgsteal_direct")


def _warmup_pages(reader: int, warmup: int, trace: PathLike) -> int:
    """The distinct (pid, page) pairs of the next warmup records, every 4 KiB page a
    record's bytes touch (cmd_sweep.c's warmup_pages())."""
    pages = set()
    recs = (_lib.TraceRecord * 512)()
    err = _lib.new(_lib.Error)
    n = c_size_t()
    done = 0
    while done < warmup:
        want = min(512, warmup - done)
        _check(lib().mmsim_trace_read(reader, recs, want, byref(n), byref(err)), err)
        if n.value == 0:
            break
        for r in recs[: n.value]:
            for pg in range(r.addr >> 12, ((r.addr + r.size - 1) >> 12) + 1):
                pages.add((r.pid, pg))
        done += n.value
    if done < warmup:
        raise MmsimError(-22, f"warmup {warmup}: {os.fspath(trace)} has only {done} records "
                         "after skip")
    return len(pages)


def _sweep_job(
    trace: PathLike,
    fmt: Optional[str],
    settings: Mapping[str, Setting],
    policy: str,
    frames: int,
    fp_pages: int,
    future: Optional[int],
    skip: int = 0,
    warmup: int = 0,
    cold: Optional[int] = None,
    params: Optional[str] = None,
    stop: Optional[threading.Event] = None,
) -> Dict[str, Any]:
    """One run of cmd_sweep.c's job_config() + run_job(). cold: first touches after the
    warmup (the footprint less the warmup's pages). The replay stops at its next tick once
    stop is set; a ^C in the tick (the main thread's run) is raised after it."""
    stop = stop if stop is not None else threading.Event()
    pending: List[BaseException] = []

    def tick(_ctx: Any, _rp: int) -> bool:
        try:
            return not stop.is_set()
        except BaseException as e:  # ^C: stop, re-raise after the replay
            stop.set()
            pending.append(e)
            return False

    tick_cb = _lib.REPLAY_TICK_FN(tick)

    def replay(rp_: Any, reader_: int, max_records: int, err_: Any) -> None:
        opts = _lib.new(_lib.ReplayTraceOpts, _TICK, tick_cb, None, max_records)
        rc = lib().mmsim_replay_trace(rp_, reader_, byref(opts), byref(err_))
        if pending:
            raise pending[0]
        if rc == -errno.EINTR and stop.is_set():
            raise KeyboardInterrupt
        _check(rc, err_)

    auto = [("policy", policy), ("frames", frames)]
    if "mem" not in settings:
        mem = frames * PAGE_BYTES + fp_pages * 16 + 48 * _MIB
        auto.append(("mem", f"{(mem + _MIB - 1) // _MIB}M"))
    if "swap" not in settings:
        auto.append(("swap", f"{(fp_pages * PAGE_BYTES + _MIB - 1) // _MIB + 16}M"))
    box = _make_config(settings)
    err = _lib.new(_lib.Error)
    for key, value in auto + [("data", "off")]:
        _check(lib().mmsim_config_set(pointer(box.cfg), _b(key), _b(str(value)), byref(err)), err)
    sysp, rp = c_void_p(), c_void_p()
    reader = None
    try:
        _check(lib().mmsim_system_create(pointer(box.cfg), byref(sysp), byref(err)), err)
        reader = _open_reader(trace, fmt, params)
        _skip_records(reader, skip)
        _check(lib().mmsim_replay_create(sysp, byref(rp), byref(err)), err)
        if lib().mmsim_needs_future(sysp):
            lib().mmsim_replay_set_future(rp, future)
        sys = sysp.value
        warm = _lib.new(_lib.ReplayStats)
        warm_counts = dict.fromkeys(_SWEEP_COUNTERS, 0)
        if warmup:
            # --warmup: simulated, then the counts start from what it left.
            replay(rp, reader, warmup, err)
            lib().mmsim_replay_get_stats(rp, byref(warm))
            warm_counts = {k: _counter(sys, k) for k in _SWEEP_COUNTERS}
        replay(rp, reader, 0, err)
        rs = _lib.new(_lib.ReplayStats)
        lib().mmsim_replay_get_stats(rp, byref(rs))
        rs.records -= warm.records
        rs.accesses -= warm.accesses
        count = {k: _counter(sys, k) - warm_counts[k] for k in _SWEEP_COUNTERS}
        major = count["pgmajfault"]
        oom = _counter(sys, "oom_kill")
        complete = not rs.skipped and not rs.killed and not oom
        cold = fp_pages if cold is None else cold
        misses = cold + major
        return {
            "policy": policy,
            "frames": frames,
            "bytes": frames * PAGE_BYTES,
            "accesses": rs.accesses,
            "misses": misses if complete else None,
            "miss_ratio": (misses / rs.accesses if rs.accesses else 0.0) if complete else None,
            "mem_bytes": box.cfg.mem_bytes,
            "swap_bytes": box.cfg.swap_bytes,
            "records": rs.records,
            "faults": count["pgfault"],
            "major_faults": major,
            "cold_misses": cold,
            "pswpin": count["pswpin"],
            "pswpout": count["pswpout"],
            "pgsteal": count["pgsteal_kswapd"] + count["pgsteal_direct"],
            "oom_kills": oom,
            "not_simulated": rs.skipped,
            "complete": complete,
        }
    finally:
        lib().mmsim_replay_destroy(rp)
        lib().mmsim_trace_reader_destroy(reader)
        lib().mmsim_system_destroy(sysp)


def sweep(
    trace: PathLike,
    *,
    policies: Sequence[str] = ("fifo", "lru", "clock", "opt"),
    frames: Optional[Sequence[int]] = None,
    format: Optional[str] = None,
    jobs: int = 1,
    skip: int = 0,
    warmup: int = 0,
    shard: Optional[Tuple[int, int]] = None,
    trace_params: Optional[str] = None,
    **settings: Setting,
) -> SweepResult:
    """Replays trace once for every policy and frame cap, each run on its own machine,
    as ``mmsim sweep`` does; the same columns, the same figures.

    skip: read the first this many records and do not simulate them (``--skip``).
    warmup: simulate the next this many records, then count from zero: every column is of
        the records after them, and cold_misses are the pages first touched after the
        warmup (``--warmup``).
    shard: (K, N): run only the runs i (policy-major, as the rows are ordered) with
        i mod N == K - 1 (``--shard K/N``); SweepResult.merge() joins the N parts into the
        whole sweep's result.

    frames: the caps (resident user pages) to try; default from the footprint / 256 (at
        least 16), doubling, up to the footprint (default_frames()).
    settings: machine settings as for run(). Unless given, mem is sized for each run
        (the frames, page tables of the footprint and 48 MiB) and swap for the footprint.
    jobs: runs at a time, in threads (the library releases nothing shared between
        machines, and ctypes lets go of the GIL during each replay).
    misses = cold_misses (the trace's distinct pages) + major_faults, as the CLI counts.
    """
    if isinstance(policies, str):
        policies = [p for p in policies.split(",") if p]
    policies = list(policies)
    if not policies:
        raise ValueError("policies takes at least one policy")
    for bad in ("policy", "frames", "data"):
        if bad in settings:
            raise ValueError(f"sweep sets {bad} itself: give policies= and frames=")
    jobs = _int_arg("jobs", jobs, 1, 1024)
    skip = _int_arg("skip", skip)
    warmup = _int_arg("warmup", warmup)
    if frames is not None:
        frames = _int_list("frames", frames)
    if shard is not None:
        if not (isinstance(shard, tuple) and len(shard) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in shard)
                and 1 <= shard[0] <= shard[1]):
            raise ValueError(f"shard takes (K, N) with 1 <= K <= N, not {shard!r}")
    reader = _open_reader(trace, format, trace_params)
    future = None
    fp = _lib.new(_lib.ReplayFootprint)
    err = _lib.new(_lib.Error)
    try:
        warm_pages = 0
        if warmup:
            _skip_records(reader, skip)
            warm_pages = _warmup_pages(reader, warmup, trace)
            _check(lib().mmsim_trace_rewind(reader, byref(err)), err)
        _skip_records(reader, skip)
        if "opt" in [p.split(":")[0] for p in policies]:
            fut = c_void_p()
            _check(lib().mmsim_replay_future_build(reader, byref(fut), byref(err)), err)
            future = fut.value
            lib().mmsim_replay_future_footprint(future, byref(fp))
        else:
            _check(lib().mmsim_replay_scan(reader, byref(fp), byref(err)), err)
        if fp.records == 0:
            raise MmsimError(-22, f"{os.fspath(trace)}: the trace has no records")
        caps = list(frames) if frames is not None else default_frames(fp.pages)
        todo = [(p, f) for p in policies for f in caps]
        cells = list(range(len(todo)))
        if shard is not None:
            cells = [i for i in cells if i % shard[1] == shard[0] - 1]
            todo = [todo[i] for i in cells]
        cold = fp.pages - warm_pages

        stop = threading.Event()

        def one(job: tuple) -> Dict[str, Any]:
            if stop.is_set():
                raise KeyboardInterrupt
            return _sweep_job(trace, format, settings, job[0], job[1], fp.pages, future, skip,
                              warmup, cold, trace_params, stop)

        if jobs == 1:
            with _SigintGuard(stop):
                rows = [one(j) for j in todo]
        else:
            ex = ThreadPoolExecutor(max_workers=jobs)
            try:
                with _SigintGuard(stop):
                    futs = [ex.submit(one, j) for j in todo]
                    # Waits a little at a time: a wait on a lock would not see ^C.
                    while not stop.is_set():
                        done, rest = wait(futs, timeout=0.1, return_when=FIRST_EXCEPTION)
                        if not rest or any(f.exception() is not None for f in done):
                            break
                    if stop.is_set():
                        raise KeyboardInterrupt
                    rows = [f.result() for f in futs]
            except BaseException:
                # ^C (or a run's error): the queued runs are dropped and the running ones
                # stop at their next tick, instead of the whole sweep running first. The
                # wait keeps future and reader alive until no run uses them.
                stop.set()
                ex.shutdown(wait=True, cancel_futures=True)
                raise
            ex.shutdown(wait=True)
    finally:
        lib().mmsim_replay_future_destroy(future)
        lib().mmsim_trace_reader_destroy(reader)
    fpd = {k: getattr(fp, k) for k, _ in _lib.ReplayFootprint._fields_}
    params = {"trace": os.fspath(trace), "format": format, "trace_params": trace_params,
              "policies": list(policies),
              "frames": list(caps), "skip": skip, "warmup": warmup,
              "settings": dict(settings)}
    return SweepResult(rows, fpd, shard, cells, len(policies) * len(caps), params)


# ---- miss-ratio curves --------------------------------------------------------------------


class Curve:
    """Miss-ratio curves of one trace (mmsim/mrc.h), for LRU and/or OPT.

    ``frames``: the sizes (resident 4 KiB pages); ``misses[policy]`` and
    ``miss_ratio[policy]``: one value per size; ``accesses``: the trace's page accesses;
    ``info``: what the pass saw (pages, sampling rate, exact, ...); ``max_frames[policy]``:
    the size from which the curve is flat; ``method``: "one-pass" or "replay" (when
    accesses refused by their VMA on framed pages made the one-pass curve inexact, each
    size was replayed, as ``mmsim mrc`` does). misses(C) equal ``mmsim sweep``'s misses
    with a cap of C frames (reclaim=demand)."""

    def __init__(self) -> None:
        self.frames: List[int] = []
        self.misses: Dict[str, List[int]] = {}
        self.miss_ratio: Dict[str, List[float]] = {}
        self.max_frames: Dict[str, int] = {}
        self.accesses = 0
        self.info: Dict[str, Any] = {}
        self.method = "one-pass"

    def rows(self) -> List[Dict[str, Any]]:
        """One dict per (policy, size) with ``mmsim mrc``'s CSV columns (MRC_COLUMNS)."""
        out = []
        for pol in self.misses:
            for i, f in enumerate(self.frames):
                out.append(
                    {
                        "policy": pol,
                        "frames": f,
                        "bytes": f * PAGE_BYTES,
                        "accesses": self.accesses,
                        "misses": self.misses[pol][i],
                        "miss_ratio": self.miss_ratio[pol][i],
                    }
                )
        return out

    def frame(self) -> Any:
        """rows() as a pandas DataFrame."""
        return _pandas().DataFrame(self.rows(), columns=list(MRC_COLUMNS))


def mrc(
    trace: PathLike,
    *,
    policies: Sequence[str] = ("lru", "opt"),
    sizes: Union[None, str, Sequence[int]] = None,
    sample: Optional[float] = None,
    sample_max: Optional[int] = None,
    format: Optional[str] = None,
    trace_params: Optional[str] = None,
    allow_empty: bool = False,
    **settings: Setting,
) -> Curve:
    """Miss-ratio curves of trace for LRU and OPT in one pass, as ``mmsim mrc``.

    sizes: frame counts; None: default_frames() of the footprint; "all": every count from
        1 to where the curves are flat.
    sample: SHARDS at this rate (0 < sample < 1; 1 samples every page, exact);
        sample_max: SHARDS with at most this many pages tracked (1 to 2**30). A sampled
        curve is an estimate (info["exact"] is False).
    settings: the machine (they decide what the trace maps), as for run(); policy, frames
        and reclaim are the curve's business and are refused here. With mem, swap or
        thp="always" the one pass is not sweep's, so each size is replayed (method
        "replay"; a replay whose process is OOM-killed raises MmsimError), and sampling is
        refused, as ``mmsim mrc`` does (docs/mrc.md).
    allow_empty: a trace with no records gives curves of zeros instead of an MmsimError
        (``--allow-empty``).
    A sample that holds none of the trace's pages raises MmsimError (no estimate).
    Other policies are not stack algorithms: use sweep() for them.
    """
    if isinstance(policies, str):
        policies = [p for p in policies.split(",") if p]
    policies = list(policies)
    idx = {"lru": _lib.MRC_LRU, "opt": _lib.MRC_OPT}
    for p in policies:
        if p not in idx:
            raise ValueError(f"mrc computes lru and opt in one pass; for '{p}' use sweep()")
    if not policies:
        raise ValueError("mrc needs lru, opt or both")
    for bad in ("policy", "frames", "reclaim"):
        if bad in settings:
            raise ValueError(f"mrc: {bad} is set by the curve itself")
    if sample is not None:
        if isinstance(sample, bool) or not isinstance(sample, numbers.Real):
            raise TypeError(f"sample takes a rate, not {type(sample).__name__} {sample!r}")
        if not 0 < sample <= 1:  # NaN fails this too
            raise ValueError(f"sample takes a rate in (0, 1], not {sample!r}")
    if sample_max is not None:
        sample_max = _int_arg("sample_max (pages)", sample_max, 1, 1 << 30)
    if isinstance(sizes, str) and sizes != "all":
        raise ValueError(f"sizes takes a list of frame counts or 'all', not {sizes!r}")
    if sizes is not None and sizes != "all":
        sizes = _int_list("sizes", sizes)
    box = _make_config(settings, defaults=[("data", "off")])
    # Settings the one pass cannot model (as `mmsim mrc`, docs/mrc.md): replayed instead.
    why = None
    if "mem" in settings or "swap" in settings:
        why = "mem and swap: the one pass has memory and swap for every page"
    elif _s(box.cfg.thp) == "always":
        why = "thp=always: a huge page takes 512 frames at once"
    if why and (sample or sample_max):
        raise ValueError(f"mrc: {why}; sampling needs the one pass")
    opts = _lib.new(_lib.MrcOpts)
    for p in policies:
        opts.policy[idx[p]] = True
    opts.sample_rate = sample or 0.0
    opts.sample_max = sample_max or 0
    opts.machine = pointer(box.cfg)
    guard = _SigintGuard()
    tick_cb = _lib.MRC_TICK_FN(lambda _ctx, _acc: not guard.hit)  # ^C: stop at the next
    opts.tick_accesses, opts.tick = _TICK, tick_cb
    reader = _open_reader(trace, format, trace_params)
    future = None
    m = c_void_p()
    err = _lib.new(_lib.Error)
    curve = Curve()
    try:
        if "opt" in policies:
            future = _future_and_rewind(reader)
        with guard:
            rc = lib().mmsim_mrc_build(reader, future, byref(opts), byref(m), byref(err))
            if rc == -errno.EINTR and guard.hit:
                raise KeyboardInterrupt
        _check(rc, err)
        info = _lib.new(_lib.MrcInfo)
        lib().mmsim_mrc_get_info(m, byref(info))
        curve.info = {k: getattr(info, k) for k, _ in _lib.MrcInfo._fields_}
        curve.info["exact"] = bool(info.exact)
        curve.accesses = info.accesses
        if not info.records and not allow_empty:
            raise MmsimError(-22, f"{os.fspath(trace)}: the trace has no records "
                             "(allow_empty=True accepts that)")
        if not info.exact and info.records and not info.pages:
            raise MmsimError(
                -22,
                f"{trace}: the sample at rate {info.rate:g} holds none of the trace's pages, so "
                "it estimates nothing; give a higher sample or sample_max",
            )
        replay = bool(info.refused_framed and info.exact) or why is not None
        for p in policies:
            curve.max_frames[p] = lib().mmsim_mrc_max_frames(m, idx[p])
        if sizes == "all":
            if replay:
                raise MmsimError(-22, "sizes='all' needs the one-pass curve; give a list of sizes")
            top = max([1] + list(curve.max_frames.values()))
            if top > 1 << 24:
                raise ValueError(f"sizes='all': {top} sizes is too many; give a list")
            curve.frames = list(range(1, top + 1))
        elif sizes is None:
            curve.frames = default_frames(info.pages)
        else:
            curve.frames = list(sizes)
        if replay:
            curve.method = "replay"
            sw = sweep(trace, policies=policies, frames=curve.frames, format=format,
                       trace_params=trace_params, **settings)
            killed = sum(1 for r in sw.rows if not r["complete"])
            if killed:
                # A killed run has no miss count: a ratio of 0 would pass for one.
                raise MmsimError(
                    -22,
                    f"mrc: {killed} of {len(sw.rows)} replays had a process OOM-killed; "
                    "give more mem or swap",
                )
            for p in policies:
                rows = [r for r in sw.rows if r["policy"] == p]
                curve.misses[p] = [r["misses"] for r in rows]
                curve.miss_ratio[p] = [
                    r["misses"] / r["accesses"] if r["accesses"] and r["misses"] is not None else 0.0
                    for r in rows
                ]
        else:
            for p in policies:
                curve.misses[p] = [lib().mmsim_mrc_misses(m, idx[p], f) for f in curve.frames]
                curve.miss_ratio[p] = [
                    lib().mmsim_mrc_miss_ratio(m, idx[p], f) for f in curve.frames
                ]
    finally:
        lib().mmsim_mrc_destroy(m)
        lib().mmsim_replay_future_destroy(future)
        lib().mmsim_trace_reader_destroy(reader)
    return curve


# ---- scenario scripts, a command at a time ------------------------------------------------

_OUT_KINDS = ("command", "event", "show", "expect_failed", "check_failed", "expect_verdict")


class Scenario:
    """A scenario script (docs/scenario.md) run one command at a time.

    ``Scenario(text)`` parses the script (an error raises MmsimError naming the line);
    ``Scenario.load(path)`` reads a file. ``step()`` runs the next command and returns True,
    or False when nothing is left; ``run()`` runs to the end. Between steps the machine can
    be looked at: counters(), report(view, proc), stats(proc), walk(proc, va).
    ``output`` collects what the script hands out (show, failed expects, and with
    explain=True every command, the events it caused and each expect's verdict), as dicts
    with kind, line, title and text. With explain, ``proc`` (a process of the script),
    ``events`` (classes: "fault,cow,reclaim,swap,tlb,frame,pte") and ``addr`` ((start,
    end) virtual addresses) keep only the matching events, as ``mmsim script --explain``'s
    --process, --events and --addr do. Close it (or use ``with``) to free the machine.
    """

    def __init__(
        self,
        text: Optional[str] = None,
        *,
        name: str = "<python>",
        explain: bool = False,
        paranoid: bool = False,
        proc: Optional[str] = None,
        events: Optional[str] = None,
        addr: Optional[tuple] = None,
        _script: Optional[int] = None,
    ) -> None:
        self._script: Optional[int] = None
        self._ss: Optional[int] = None
        self.output: List[Dict[str, Any]] = []
        err = _lib.new(_lib.Error)
        if _script is None:
            if text is None:
                raise ValueError("give the script's text, or use Scenario.load(path)")
            if not isinstance(text, (str, bytes)):
                raise TypeError(f"text takes the script as str, not {type(text).__name__}")
            data = text.encode() if isinstance(text, str) else text
            s = c_void_p()
            _check(lib().mmsim_script_parse(data, len(data), _b(name), byref(s), byref(err)), err)
            _script = s.value
        self._script = _script

        def out(_ctx: Any, o: Any) -> None:
            o = o.contents
            self.output.append(
                {
                    "kind": _OUT_KINDS[o.kind] if 0 <= o.kind < len(_OUT_KINDS) else str(o.kind),
                    "line": o.line,
                    "title": _s(o.title) if o.title else None,
                    "text": _s(o.text),
                }
            )

        self._cb = _lib.SCRIPT_OUTPUT_FN(out)
        self._opts = _lib.new(_lib.ScriptRunOpts, explain, paranoid, self._cb, None)
        if proc is not None or events is not None or addr is not None:
            self._filter = _lib.new(_lib.ScriptFilter)
            if proc is not None:
                self._proc_name = _b(proc)
                self._filter.proc = self._proc_name
            if events is not None:
                classes = ctypes.c_uint()
                rc = lib().mmsim_script_event_classes(_b(events), byref(classes), byref(err))
                if rc < 0:
                    self.close()
                    _check(rc, err)
                self._filter.classes = classes.value
            if addr is not None:
                if not (isinstance(addr, (tuple, list)) and len(addr) == 2):
                    self.close()
                    raise ValueError(f"addr takes (start, end), not {addr!r}")
                try:
                    start = _int_arg("addr start", addr[0])
                    end = _int_arg("addr end", addr[1])
                except (TypeError, ValueError):
                    self.close()
                    raise
                if end <= start:
                    self.close()
                    raise ValueError("addr takes (start, end) with end > start")
                self._filter.has_range = True
                self._filter.addr_start, self._filter.addr_end = start, end
            self._opts.filter = ctypes.pointer(self._filter)
        ss = c_void_p()
        rc = lib().mmsim_script_start(self._script, byref(self._opts), byref(ss), byref(err))
        if rc < 0:
            self.close()
            _check(rc, err)
        self._ss = ss.value

    @classmethod
    def load(cls, path: PathLike, **options: Any) -> "Scenario":
        """The script in the file at path; options as for Scenario()."""
        s = c_void_p()
        err = _lib.new(_lib.Error)
        _check(lib().mmsim_script_load(_b(os.fspath(path)), byref(s), byref(err)), err)
        return cls(_script=s.value, **options)

    def _session(self) -> int:
        if self._ss is None:
            raise ValueError("the scenario is closed")
        return self._ss

    @property
    def next_command(self) -> Optional[tuple]:
        """(line, command as written) of the command step() runs next; None at the end."""
        line = c_ulong()
        text = lib().mmsim_script_session_next(self._session(), byref(line))
        return None if text is None else (line.value, _s(text))

    def step(self) -> bool:
        """Runs the next command. True when one ran, False when nothing was left.
        A command that fails (a system call's error) raises MmsimError; the session then
        stops."""
        err = _lib.new(_lib.Error)
        rc = lib().mmsim_script_step(self._session(), byref(err))
        _check(rc, err)
        return rc == 1

    def run(self) -> Dict[str, Any]:
        """Runs every command left; returns result()."""
        while self.step():
            pass
        return self.result()

    def result(self) -> Dict[str, Any]:
        """Commands run, expects evaluated and failed so far, and whether a paranoid check
        found a broken invariant."""
        r = _lib.new(_lib.ScriptResult)
        lib().mmsim_script_session_result(self._session(), byref(r))
        return {
            "nr_commands": r.nr_commands,
            "nr_expects": r.nr_expects,
            "nr_failed": r.nr_failed,
            "check_failed": bool(r.check_failed),
        }

    @property
    def processes(self) -> List[str]:
        """The script's process names, in order."""
        if self._script is None:
            raise ValueError("the scenario is closed")
        out = []
        i = 0
        while True:
            n = lib().mmsim_script_proc_name(self._script, i)
            if n is None:
                return out
            out.append(_s(n))
            i += 1

    def _sys(self) -> int:
        sys = lib().mmsim_script_session_system(self._session())
        if not sys:
            raise ValueError("the machine boots at the first command: step() first")
        return sys

    def _task(self, proc: str) -> int:
        t = lib().mmsim_script_session_task(self._session(), _b(proc))
        if not t:
            raise KeyError(f"no live process '{proc}' (not spawned yet, exited, or unknown)")
        return t

    def counters(self) -> Dict[str, int]:
        """Every counter of the machine now."""
        return _counters(self._sys())

    def report(self, view: str, proc: Optional[str] = None) -> str:
        """A /proc-style view: system views without proc, maps/status/smaps with one."""
        return _report(self._sys(), self._task(proc) if proc else None, view)

    def stats(self, proc: str) -> Dict[str, int]:
        """The process's fault counts and memory sizes (as run()'s processes)."""
        d = {"pid": lib().mmsim_task_pid(self._task(proc))}
        d.update(_task_stats(self._task(proc)))
        return d

    def walk(self, proc: str, va: int) -> str:
        """The page walk the CPU would do for va in proc's address space, level by level,
        as ``mmsim walk`` shows it (no A/D bit is set)."""
        va = _int_arg("va", va)
        text = c_void_p()
        self._sys()
        _check(lib().mmsim_task_walk_text(self._task(proc), va, byref(text)), None, "walk")
        return _lib.take_string(text)

    def close(self) -> None:
        """Frees the session and its machine, and the script."""
        if self._ss is not None:
            lib().mmsim_script_session_destroy(self._ss)
            self._ss = None
        if self._script is not None:
            lib().mmsim_script_destroy(self._script)
            self._script = None

    def __enter__(self) -> "Scenario":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass
