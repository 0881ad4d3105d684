"""Results of a run: one row per campaign, plus summaries with intervals.

:class:`RunResults` holds the per-lane table (pandas DataFrame, or Arrow via
:meth:`RunResults.to_arrow`), the seed and the scenario hash, optional trajectories, and
computes :meth:`RunResults.summary` — outcome probabilities with Wilson 95 % intervals,
loss medians with 5-95 % bands and key timings.
"""

from strait.results.core import COLUMNS, RunResults, Summary, wilson_interval
from strait.results.io import read_results, write_results

__all__ = ["COLUMNS", "RunResults", "Summary", "read_results", "wilson_interval",
           "write_results"]
