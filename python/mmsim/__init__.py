"""mmsim from Python: Linux's paging and virtual-memory system, simulated by libmmsim.

Runs, sweeps, miss-ratio curves and scenario scripts, with results as plain dicts and
lists (and pandas DataFrames when pandas is installed). The figures are libmmsim's and
equal the ``mmsim`` command's on the same input and settings. docs/python.md describes
the package; the library is found as mmsim._lib explains (``MMSIM_LIBRARY``, then the
standard loader path).

    import mmsim
    r = mmsim.run("ls.trace", policy="clock", frames=256)
    r.summary["major_faults"]
    c = mmsim.mrc("ls.trace")            # LRU and OPT, every default size, one pass
    c.frames, c.miss_ratio["lru"]
"""

from ._core import (
    MRC_COLUMNS,
    SWEEP_COLUMNS,
    TIMELINE_COLUMNS,
    Curve,
    MmsimError,
    RunResult,
    Scenario,
    SweepResult,
    config_keys,
    counter_info,
    default_frames,
    footprint,
    mrc,
    policies,
    policy_info,
    run,
    sweep,
    tlb_preset_info,
    tlb_presets,
    version,
    views,
    workloads,
)
from ._lib import LibraryNotFound

__version__ = "0.1.0"

__all__ = [
    "Curve",
    "LibraryNotFound",
    "MRC_COLUMNS",
    "MmsimError",
    "RunResult",
    "SWEEP_COLUMNS",
    "Scenario",
    "SweepResult",
    "TIMELINE_COLUMNS",
    "config_keys",
    "counter_info",
    "default_frames",
    "footprint",
    "mrc",
    "policies",
    "policy_info",
    "run",
    "sweep",
    "tlb_preset_info",
    "tlb_presets",
    "version",
    "views",
    "workloads",
]
