"""Loading libmmsim and declaring the C functions the package calls (ctypes, no compiler).

Only functions and structs of the public headers (include/mmsim/*.h) are used; each
structure below mirrors its header field by field, with the header named beside it.
The library is found, in this order, at:

1. the path in the environment variable ``MMSIM_LIBRARY`` (a file, or a directory
   holding ``libmmsim.so``, such as a CMake build directory);
2. the standard loader path: ``libmmsim.so.0`` / ``libmmsim.so`` as installed by
   ``make install`` (``ldconfig``'s cache, ``LD_LIBRARY_PATH``), then
   ``ctypes.util.find_library("mmsim")``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_uint32,
    c_uint64,
    c_ulong,
    c_void_p,
)
from typing import Any, Optional

ENV_VAR = "MMSIM_LIBRARY"


class LibraryNotFound(OSError):
    """libmmsim.so could not be loaded; the message says where it was looked for."""


# ---- mmsim/error.h ------------------------------------------------------------------------

MMSIM_ERROR_MSG_SIZE = 512


class Error(Structure):
    _fields_ = [("code", c_int), ("msg", c_char * MMSIM_ERROR_MSG_SIZE)]


# ---- mmsim/mmsim.h ------------------------------------------------------------------------


class Config(Structure):
    _fields_ = [
        ("mem_bytes", c_uint64),
        ("swap_bytes", c_uint64),
        ("policy", c_char * 48),
        ("reclaim", c_char * 16),
        ("frames", c_uint64),
        ("layout", c_char * 16),
        ("levels", c_uint),
        ("tlb", c_char * 256),
        ("pcid", c_bool),
        ("kpti", ctypes.c_int),  # enum mmsim_kpti: KPTI_OFF, KPTI_ON, KPTI_AUTO
        ("data_mode", c_bool),
        ("paranoid", c_bool),
        ("pt_reclaim", c_bool),
        ("seed", c_uint64),
        ("thp", c_char * 16),
        ("defrag", c_char * 16),
        ("khugepaged_pages_to_scan", ctypes.c_uint32),
        ("khugepaged_scan_sleep_ms", ctypes.c_uint32),
        ("khugepaged_max_ptes_none", ctypes.c_uint32),
        ("read_ahead_kb", c_uint64),
        ("dirty_ratio", c_uint),
        ("dirty_background_ratio", c_uint),
        ("disk_us", c_uint64),
        ("disk_mbps", c_uint64),
        ("swappiness", c_uint),
        ("anon_workingset", c_bool),
        ("pcp", c_bool),
    ]


class ConfigBox(ctypes.Union):
    """A struct mmsim_config with room to spare: should the header grow a field, the
    library's writes still land inside memory Python owns."""

    _fields_ = [("cfg", Config), ("room", c_uint64 * 512)]


class TaskStats(Structure):
    _fields_ = [
        ("minflt", c_uint64),
        ("majflt", c_uint64),
        ("vmsize_kb", c_uint64),
        ("rss_kb", c_uint64),
        ("rss_anon_kb", c_uint64),
        ("rss_shmem_kb", c_uint64),
        ("swap_kb", c_uint64),
        ("vmpte_kb", c_uint64),
        ("hwm_kb", c_uint64),
        ("last_signal", c_int),
        ("anon_huge_kb", c_uint64),
        ("rss_file_kb", c_uint64),
        ("pss_kb", c_uint64),
    ]


COUNTER_FN = CFUNCTYPE(None, c_void_p, c_char_p, c_uint64)

# ---- mmsim/trace.h ------------------------------------------------------------------------

TRACE_FORMAT_AUTO = -1


class TraceRecord(Structure):
    _fields_ = [("addr", c_uint64), ("pid", c_uint32), ("size", c_uint32), ("kind", c_int)]


class TraceProgress(Structure):
    _fields_ = [
        ("bytes_read", c_uint64),
        ("total_bytes", c_uint64),
        ("nr_records", c_uint64),
        ("nr_skipped", c_uint64),
    ]


# ---- mmsim/replay.h -----------------------------------------------------------------------


class ReplayStats(Structure):
    _fields_ = [
        ("records", c_uint64),
        ("accesses", c_uint64),
        ("loads", c_uint64),
        ("stores", c_uint64),
        ("fetches", c_uint64),
        ("skipped", c_uint64),
        ("segv_maperr", c_uint64),
        ("segv_accerr", c_uint64),
        ("killed", c_uint64),
        ("regions_mapped", c_uint64),
        ("map_failures", c_uint64),
        ("nr_tasks", c_uint64),
        ("forks", c_uint64),
        ("execs", c_uint64),
        ("exits", c_uint64),
        ("reclaims", c_uint64),
        ("switches", c_uint64),
        ("switch_records", c_uint64),
        ("switch_pgfault", c_uint64),
        ("switch_pgmajfault", c_uint64),
        ("switch_pswpin", c_uint64),
    ]


REPLAY_TICK_FN = CFUNCTYPE(c_bool, c_void_p, c_void_p)


class ReplayTraceOpts(Structure):
    _fields_ = [
        ("tick_accesses", c_uint64),
        ("tick", REPLAY_TICK_FN),
        ("ctx", c_void_p),
        ("max_records", c_uint64),
    ]


class ReplayTaskStats(Structure):
    _fields_ = [("accesses", c_uint64), ("skipped", c_uint64), ("killed_at", c_uint64)]


class ReplayFootprint(Structure):
    _fields_ = [
        ("records", c_uint64),
        ("accesses", c_uint64),
        ("pages", c_uint64),
        ("pids", c_uint64),
        ("regions", c_uint64),
    ]


# ---- mmsim/mrc.h --------------------------------------------------------------------------

KPTI_OFF = 0  # enum mmsim_kpti
KPTI_ON = 1
KPTI_AUTO = 2

MRC_LRU = 0
MRC_OPT = 1
MRC_NR_POLICIES = 2

MRC_TICK_FN = CFUNCTYPE(c_bool, c_void_p, c_uint64)


class MrcOpts(Structure):
    _fields_ = [
        ("policy", c_bool * MRC_NR_POLICIES),
        ("sample_rate", c_double),
        ("sample_max", c_uint64),
        ("machine", POINTER(Config)),
        ("tick_accesses", c_uint64),
        ("tick", MRC_TICK_FN),
        ("ctx", c_void_p),
        ("page_shift", c_uint),
    ]


class MrcInfo(Structure):
    _fields_ = [
        ("records", c_uint64),
        ("accesses", c_uint64),
        ("pages", c_uint64),
        ("framed_pages", c_uint64),
        ("sampled", c_uint64),
        ("references", c_uint64),
        ("rate", c_double),
        ("exact", c_bool),
        ("probe_accesses", c_uint64),
        ("refused_framed", c_uint64),
    ]


# ---- mmsim/workloads.h --------------------------------------------------------------------


class WorkloadInfo(Structure):
    _fields_ = [("name", c_char_p), ("summary", c_char_p), ("config", c_char_p)]


WORKLOAD_TICK_FN = CFUNCTYPE(None, c_void_p, c_uint64, c_uint64)
WORKLOAD_TASK_FN = CFUNCTYPE(None, c_void_p, c_void_p, c_int)
WORKLOAD_STOP_FN = CFUNCTYPE(c_bool, c_void_p)
WORKLOAD_TASK_STARTED = 0
WORKLOAD_TASK_EXITING = 1


class WorkloadOpts(Structure):
    _fields_ = [
        ("scale", c_uint),
        ("shrink", c_uint),
        ("seed", c_uint64),
        ("tick_accesses", c_uint64),
        ("tick", WORKLOAD_TICK_FN),
        ("task_event", WORKLOAD_TASK_FN),
        ("ctx", c_void_p),
        ("trace", c_void_p),
        ("stop", WORKLOAD_STOP_FN),
    ]


class WorkloadResult(Structure):
    _fields_ = [
        ("passed", c_bool),
        ("verdict", c_char * 256),
        ("notes", c_char * 1024),
        ("accesses", c_uint64),
        ("loads", c_uint64),
        ("stores", c_uint64),
        ("planned", c_uint64),
    ]


# ---- mmsim/script.h -----------------------------------------------------------------------


class ScriptOutput(Structure):
    _fields_ = [
        ("kind", c_int),
        ("line", c_ulong),
        ("title", c_char_p),
        ("text", c_char_p),
    ]


SCRIPT_OUTPUT_FN = CFUNCTYPE(None, c_void_p, POINTER(ScriptOutput))


class ScriptFilter(Structure):
    _fields_ = [
        ("proc", c_char_p),
        ("pid", c_int),
        ("classes", c_uint),
        ("has_range", c_bool),
        ("addr_start", c_uint64),
        ("addr_end", c_uint64),
    ]


class ScriptRunOpts(Structure):
    _fields_ = [
        ("explain", c_bool),
        ("paranoid", c_bool),
        ("output", SCRIPT_OUTPUT_FN),
        ("ctx", c_void_p),
        ("filter", POINTER(ScriptFilter)),
    ]


class ScriptResult(Structure):
    _fields_ = [
        ("nr_commands", c_ulong),
        ("nr_expects", c_ulong),
        ("nr_failed", c_ulong),
        ("check_failed", c_bool),
        ("switches", c_ulong),
        ("switch_line", c_ulong),
        ("switch_faults", c_uint64),
        ("switch_major_faults", c_uint64),
        ("switch_swap_ins", c_uint64),
    ]


# ---- mmsim/info.h -------------------------------------------------------------------------

POLICY_MAX_PARAMS = 4
COUNTER_EVENT = 0
COUNTER_GAUGE = 1


class ParamInfo(Structure):
    _fields_ = [("name", c_char_p)] + [(f, c_uint64) for f in ("def", "min", "max")]
    _fields_ += [("help", c_char_p)]


class PolicyInfo(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("description", c_char_p),
        ("is_default", c_bool),
        ("needs_accesses", c_bool),
        ("needs_future", c_bool),
        ("nr_params", c_uint),
        ("params", ParamInfo * POLICY_MAX_PARAMS),
    ]


class TlbPresetInfo(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("description", c_char_p),
        ("spec", c_char_p),
        ("is_default", c_bool),
    ]


class CounterInfo(Structure):
    _fields_ = [("name", c_char_p), ("kind", c_int), ("group", c_char_p)]


# ---- what the tests check against the headers (python/tests/test_abi.py) -------------------

# Each Structure above and the C struct it mirrors: same fields, offsets and size.
STRUCTS = {
    Error: "mmsim_error",
    Config: "mmsim_config",
    TaskStats: "mmsim_task_stats",
    TraceRecord: "mmsim_trace_record",
    TraceProgress: "mmsim_trace_progress",
    ReplayStats: "mmsim_replay_stats",
    ReplayTraceOpts: "mmsim_replay_trace_opts",
    ReplayTaskStats: "mmsim_replay_task_stats",
    ReplayFootprint: "mmsim_replay_footprint",
    MrcOpts: "mmsim_mrc_opts",
    MrcInfo: "mmsim_mrc_info",
    WorkloadInfo: "mmsim_workload_info",
    WorkloadOpts: "mmsim_workload_opts",
    WorkloadResult: "mmsim_workload_result",
    ScriptOutput: "mmsim_script_output",
    ScriptFilter: "mmsim_script_filter",
    ScriptRunOpts: "mmsim_script_run_opts",
    ScriptResult: "mmsim_script_result",
    ParamInfo: "mmsim_param_info",
    PolicyInfo: "mmsim_policy_info",
    TlbPresetInfo: "mmsim_tlb_preset_info",
    CounterInfo: "mmsim_counter_info",
}

# Constants used here, by their names in the headers.
CONSTANTS = {
    "MMSIM_ERROR_MSG_SIZE": MMSIM_ERROR_MSG_SIZE,
    "MMSIM_TRACE_FORMAT_AUTO": TRACE_FORMAT_AUTO,
    "MMSIM_KPTI_OFF": KPTI_OFF,
    "MMSIM_KPTI_ON": KPTI_ON,
    "MMSIM_KPTI_AUTO": KPTI_AUTO,
    "MMSIM_MRC_LRU": MRC_LRU,
    "MMSIM_MRC_OPT": MRC_OPT,
    "MMSIM_MRC_NR_POLICIES": MRC_NR_POLICIES,
    "MMSIM_WORKLOAD_TASK_STARTED": WORKLOAD_TASK_STARTED,
    "MMSIM_WORKLOAD_TASK_EXITING": WORKLOAD_TASK_EXITING,
    "MMSIM_NAMES_POLICIES": 0,
    "MMSIM_NAMES_CONFIG_KEYS": 1,
    "MMSIM_NAMES_SYSTEM_VIEWS": 2,
    "MMSIM_NAMES_TASK_VIEWS": 3,
    "MMSIM_NAMES_TLB_PRESETS": 4,
    "MMSIM_SCRIPT_OUT_COMMAND": 0,
    "MMSIM_SCRIPT_OUT_EVENT": 1,
    "MMSIM_SCRIPT_OUT_SHOW": 2,
    "MMSIM_SCRIPT_OUT_EXPECT_FAILED": 3,
    "MMSIM_SCRIPT_OUT_CHECK_FAILED": 4,
    "MMSIM_SCRIPT_OUT_EXPECT_VERDICT": 5,
    "MMSIM_POLICY_MAX_PARAMS": POLICY_MAX_PARAMS,
    "MMSIM_COUNTER_EVENT": COUNTER_EVENT,
    "MMSIM_COUNTER_GAUGE": COUNTER_GAUGE,
}


# ---- allocation ---------------------------------------------------------------------------

# Bytes of zeroes after every structure handed to the library. A struct of the headers may
# grow at its end in a later libmmsim: what it writes then stays inside memory Python owns,
# and a new option it reads is 0 / NULL, which the headers make the default.
_ROOM = 1024


def new(cls: type, *args: object, **fields: object) -> Any:
    """An instance of the ctypes Structure cls in zeroed memory with room after it;
    args set the first fields in order, fields by name."""
    buf = (c_char * (ctypes.sizeof(cls) + _ROOM))()
    obj = cls.from_buffer(buf)  # keeps buf alive
    for (name, *_), value in zip(cls._fields_, args):
        setattr(obj, name, value)
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj


# ---- the functions ------------------------------------------------------------------------

_P = c_void_p
_ERR = POINTER(Error)
_CFG = POINTER(Config)

# name: (restype, argtypes)
_FUNCTIONS = {
    "mmsim_version": (c_char_p, []),
    "mmsim_config_default": (None, [_CFG]),
    "mmsim_config_set": (c_int, [_CFG, c_char_p, c_char_p, _ERR]),
    "mmsim_config_reclaim": (c_char_p, [_CFG]),
    "mmsim_system_create": (c_int, [_CFG, POINTER(_P), _ERR]),
    "mmsim_system_destroy": (None, [_P]),
    "mmsim_system_config": (None, [_P, _CFG]),
    "mmsim_needs_future": (c_bool, [_P]),
    "mmsim_names": (None, [c_int, c_char_p, c_char_p, c_size_t]),
    "mmsim_policy_count": (c_uint, []),
    "mmsim_policy_info": (c_int, [c_uint, POINTER(PolicyInfo)]),
    "mmsim_tlb_preset_count": (c_uint, []),
    "mmsim_tlb_preset_info": (c_int, [c_uint, POINTER(TlbPresetInfo)]),
    "mmsim_counter_count": (c_uint, []),
    "mmsim_counter_info": (c_int, [c_uint, POINTER(CounterInfo)]),
    "mmsim_task_pid": (c_int, [_P]),
    "mmsim_task_alive": (c_bool, [_P]),
    "mmsim_task_exited": (c_bool, [_P]),
    "mmsim_task_stats": (None, [_P, POINTER(TaskStats)]),
    "mmsim_counter": (c_int, [_P, c_char_p, POINTER(c_uint64)]),
    "mmsim_counters_foreach": (None, [_P, COUNTER_FN, c_void_p]),
    "mmsim_report": (c_int, [_P, _P, c_char_p, POINTER(c_void_p), _ERR]),
    "mmsim_task_walk_text": (c_int, [_P, c_uint64, POINTER(c_void_p)]),
    "mmsim_check": (c_int, [_P, _ERR]),
    "mmsim_trace_reader_create_as": (c_int, [c_char_p, c_int, POINTER(_P), _ERR]),
    "mmsim_trace_reader_destroy": (None, [_P]),
    "mmsim_trace_reader_set_params": (c_int, [_P, c_char_p, _ERR]),
    "mmsim_trace_rewind": (c_int, [_P, _ERR]),
    "mmsim_trace_next": (c_int, [_P, POINTER(TraceRecord), _ERR]),
    "mmsim_trace_read": (c_int, [_P, POINTER(TraceRecord), c_size_t, POINTER(c_size_t), _ERR]),
    "mmsim_trace_format_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "mmsim_trace_reader_format": (c_int, [_P]),
    "mmsim_trace_reader_compression": (c_int, [_P]),
    "mmsim_trace_reader_name": (c_char_p, [_P]),
    "mmsim_trace_format_name": (c_char_p, [c_int]),
    "mmsim_trace_compression_name": (c_char_p, [c_int]),
    "mmsim_trace_get_progress": (None, [_P, POINTER(TraceProgress)]),
    "mmsim_replay_create": (c_int, [_P, POINTER(_P), _ERR]),
    "mmsim_replay_destroy": (None, [_P]),
    "mmsim_replay_set_future": (None, [_P, _P]),
    "mmsim_replay_trace": (c_int, [_P, _P, POINTER(ReplayTraceOpts), _ERR]),
    "mmsim_replay_get_stats": (None, [_P, POINTER(ReplayStats)]),
    "mmsim_replay_task": (_P, [_P, c_size_t, POINTER(c_uint32)]),
    "mmsim_replay_task_stats": (c_int, [_P, c_size_t, POINTER(ReplayTaskStats)]),
    "mmsim_replay_future_build": (c_int, [_P, POINTER(_P), _ERR]),
    "mmsim_replay_future_destroy": (None, [_P]),
    "mmsim_replay_future_footprint": (None, [_P, POINTER(ReplayFootprint)]),
    "mmsim_replay_scan": (c_int, [_P, POINTER(ReplayFootprint), _ERR]),
    "mmsim_mrc_build": (c_int, [_P, _P, POINTER(MrcOpts), POINTER(_P), _ERR]),
    "mmsim_mrc_destroy": (None, [_P]),
    "mmsim_mrc_get_info": (None, [_P, POINTER(MrcInfo)]),
    "mmsim_mrc_has": (c_bool, [_P, c_int]),
    "mmsim_mrc_misses": (c_uint64, [_P, c_int, c_uint64]),
    "mmsim_mrc_miss_ratio": (c_double, [_P, c_int, c_uint64]),
    "mmsim_mrc_max_frames": (c_uint64, [_P, c_int]),
    "mmsim_workload_count": (c_size_t, []),
    "mmsim_workload_at": (POINTER(WorkloadInfo), [c_size_t]),
    "mmsim_workload_find": (POINTER(WorkloadInfo), [c_char_p]),
    "mmsim_workload_default": (POINTER(WorkloadInfo), []),
    "mmsim_workload_configure": (c_int, [POINTER(WorkloadInfo), _CFG, _ERR]),
    "mmsim_workload_run": (
        c_int,
        [_P, POINTER(WorkloadInfo), POINTER(WorkloadOpts), POINTER(WorkloadResult), _ERR],
    ),
    "mmsim_script_load": (c_int, [c_char_p, POINTER(_P), _ERR]),
    "mmsim_script_parse": (c_int, [c_char_p, c_size_t, c_char_p, POINTER(_P), _ERR]),
    "mmsim_script_destroy": (None, [_P]),
    "mmsim_script_run": (c_int, [_P, POINTER(ScriptRunOpts), POINTER(ScriptResult), _ERR]),
    "mmsim_script_event_classes": (c_int, [c_char_p, POINTER(c_uint), _ERR]),
    "mmsim_script_start": (c_int, [_P, POINTER(ScriptRunOpts), POINTER(_P), _ERR]),
    "mmsim_script_step": (c_int, [_P, _ERR]),
    "mmsim_script_session_next": (c_char_p, [_P, POINTER(c_ulong)]),
    "mmsim_script_session_result": (None, [_P, POINTER(ScriptResult)]),
    "mmsim_script_proc_name": (c_char_p, [_P, c_uint]),
    "mmsim_script_session_system": (_P, [_P]),
    "mmsim_script_session_task": (_P, [_P, c_char_p]),
    "mmsim_script_session_destroy": (None, [_P]),
}

_lib: Optional[ctypes.CDLL] = None
_libc: Optional[ctypes.CDLL] = None


def _candidates() -> list:
    env = os.environ.get(ENV_VAR)
    if env:
        if os.path.isdir(env):
            return [os.path.join(env, "libmmsim.so")]
        return [env]
    names = ["libmmsim.so.0", "libmmsim.so"]
    found = ctypes.util.find_library("mmsim")
    if found:
        names.append(found)
    return names


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in _FUNCTIONS.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def lib() -> ctypes.CDLL:
    """The loaded libmmsim (loaded and declared on first use).

    Raises LibraryNotFound naming every place tried when it cannot be loaded.
    """
    global _lib, _libc
    if _lib is not None:
        return _lib
    tried = []
    for cand in _candidates():
        try:
            loaded = ctypes.CDLL(cand)
        except OSError as e:
            tried.append(f"{cand}: {e}")
            continue
        try:
            _declare(loaded)
        except AttributeError as e:
            tried.append(f"{cand}: not the libmmsim this package needs ({e})")
            continue
        _lib = loaded
        _libc = ctypes.CDLL(None)
        _libc.free.argtypes = [c_void_p]
        _libc.free.restype = None
        return _lib
    raise LibraryNotFound(
        "libmmsim.so not found; tried "
        + "; ".join(tried)
        + f". Install mmsim (make install) or set {ENV_VAR} to the library or its directory."
    )


def take_string(ptr: c_void_p) -> str:
    """A malloc'd NUL-terminated string from the library, as str; the C copy is freed."""
    lib()
    if not ptr.value:
        return ""
    try:
        return ctypes.string_at(ptr.value).decode("utf-8", "replace")
    finally:
        assert _libc is not None
        _libc.free(ptr.value)


__all__ = ["lib", "LibraryNotFound", "take_string", "ENV_VAR", "c_int64"]
