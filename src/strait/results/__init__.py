"""Results of a run: one row per campaign, plus summaries with intervals.

:class:`RunResults` holds the per-lane table (pandas DataFrame, or Arrow via
:meth:`RunResults.to_arrow`), the run metadata (scenario, hash, seed, N, ``--set``
changes, turn length, horizon, strait version, time; :mod:`strait.results.metadata`),
optional trajectories, and computes :meth:`RunResults.summary` — outcome probabilities
with Wilson 95 % intervals, loss medians with 5-95 % bands and key timings. The columns
are declared once, in :mod:`strait.engine.outputs`; :data:`COLUMNS` re-exports them.
"""

from strait.results.core import (
    COLUMNS,
    SCHEMA,
    Column,
    RunResults,
    Summary,
    typical_trajectory,
    wilson_interval,
)
from strait.results.io import (
    check_output_path,
    read_results,
    read_trajectories,
    trajectories_path,
    write_json,
    write_results,
    write_trajectories,
)
from strait.results.metadata import run_metadata

__all__ = ["COLUMNS", "SCHEMA", "Column", "RunResults", "Summary", "check_output_path",
           "read_results", "read_trajectories", "run_metadata", "trajectories_path",
           "typical_trajectory", "wilson_interval", "write_json", "write_results",
           "write_trajectories"]
