"""The results object and its summary statistics.

``RunResults.summary()`` of a kept table computes everything from the full table: outcome
counts, ``numpy.percentile`` (linear interpolation) of each loss column, timing medians
over the campaigns where the event happened, and means. A streamed run gives the same
dictionary from running counts and a bounded sample (:mod:`strait.results.stream`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from strait.engine import OUTCOME_LABELS, OUTCOMES, TRAJECTORY_FIELDS
from strait.engine.outputs import SCHEMA, Column
from strait.errors import ResultsError
from strait.results.metadata import KEYS, to_parquet
from strait.results.stream import RunningSummary

COLUMNS: dict[str, Column] = {c.name: c for c in SCHEMA}
"""Every per-campaign result column by name: unit, dtype and meaning
(declared in :mod:`strait.engine.outputs`; ``docs/reference/results.md``)."""


SUMMARY_LOSSES = (
    "usa_aircraft_lost", "jpn_aircraft_lost", "twn_aircraft_lost", "chn_aircraft_lost",
    "usa_carriers_lost", "usa_ships_lost", "usa_submarines_lost", "jpn_ships_lost",
    "twn_ships_lost", "chn_amphibious_ships_lost", "chn_ships_lost", "usa_killed",
    "chn_killed", "pla_bn_landed", "pla_bn_ashore", "prc_share_of_taiwan", "end_day",
)


def typical_trajectory(traj: np.ndarray) -> np.ndarray:
    """A typical campaign: per turn and field, the median over the recorded campaigns
    (``traj`` shaped ``(campaigns, turns, fields)``); NaN at turns no recorded campaign
    reached.

    >>> typical_trajectory(np.array([[[0.0], [1.0]], [[2.0], [np.nan]]])).ravel().tolist()
    [1.0, 1.0]
    """
    import warnings

    with warnings.catch_warnings():  # a turn where every campaign had ended: NaN, quietly
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanmedian(np.asarray(traj, dtype=float), axis=0))


def wilson_interval(successes: float, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    >>> lo, hi = wilson_interval(5, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.0215, 0.1118)
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes <= 0 else max(0.0, min(p, centre - half))
    hi = 1.0 if successes >= n else min(1.0, max(p, centre + half))
    return (lo, hi)


@dataclass
class Summary:
    """Headline numbers of a run."""

    n: int
    outcome_probabilities: dict[str, float]
    outcome_intervals: dict[str, tuple[float, float]]
    losses: dict[str, dict[str, float]]  # column -> {median, p05, p95, mean}
    timings: dict[str, float]
    roles: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "outcome_probabilities": self.outcome_probabilities,
                "outcome_intervals": {k: list(v) for k, v in self.outcome_intervals.items()},
                "losses": self.losses, "timings": self.timings, "roles": self.roles}


@dataclass
class RunResults:
    """Per-lane results of one run (see :data:`COLUMNS`) with their provenance.

    ``meta`` holds the run metadata (:func:`strait.results.metadata.run_metadata`) and
    ``elapsed_s``. A *streamed* run (too large to keep, or ``keep_table=False``) has an
    empty ``table`` (its rows are in the Parquet file) and a ``running`` summary, so
    :meth:`summary` still works (see :mod:`strait.results.stream` for its accuracy).
    """

    table: pd.DataFrame
    scenario_name: str
    scenario_hash: str
    seed: int
    trajectories: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    running: RunningSummary | None = field(default=None, repr=False)
    scenario: Any = field(default=None, repr=False)  # the Scenario played, when known

    def inputs(self) -> pd.DataFrame:
        """Every lane's sampled inputs (one column per uncertain scenario number), rebuilt
        from the seed: row ``i`` is what campaign ``i`` of this run drew.

        >>> import strait
        >>> res = strait.run("csis-base", n=50, seed=2, workers=1)
        >>> x = res.inputs()
        >>> len(x) == res.n and "forces.CHN.ground_battalions" in x.columns
        True
        """
        from strait.experiments.inputs import sampled_inputs

        if self.scenario is None:
            raise ResultsError("inputs: this result does not carry its scenario (read from a "
                               "file); rebuild them with strait.experiments.inputs."
                               "sampled_inputs(scenario, n, seed)")
        if self.meta.get("dice_per_draw", 1) != 1:
            raise ResultsError("inputs: lanes of this run share input draws (dice_per_draw); "
                               "use uncertainty() for its analysis")
        return sampled_inputs(self.scenario, self.n, int(self.seed))

    def uncertainty(self, metrics: Any = ("prc_victory", "prc_defeat", "usa_aircraft_lost",
                                          "usa_ships_lost")) -> pd.DataFrame:
        """Each metric's spread split into dice and parameter uncertainty
        (:func:`strait.analysis.uncertainty.split_uncertainty`); needs a run made with
        ``dice_per_draw`` > 1 and a kept table."""
        from strait.analysis.uncertainty import split_uncertainty

        k = int(self.meta.get("dice_per_draw", 1))
        if k < 2 or self.streamed:
            raise ResultsError("uncertainty: run with dice_per_draw=k (k >= 2, e.g. 32) and a "
                               "kept table, so each input draw is played several times")
        return split_uncertainty(self.table, k, list(metrics))

    @property
    def streamed(self) -> bool:
        """Whether the per-lane table was streamed to disk instead of kept."""
        return self.running is not None

    @property
    def n(self) -> int:
        return self.running.n if self.running is not None else len(self.table)

    @property
    def metadata(self) -> dict[str, Any]:
        """The run metadata that results files carry (keys of ``metadata.KEYS``)."""
        m = {k: self.meta[k] for k in KEYS if k in self.meta}
        m.update(scenario=self.scenario_name, scenario_hash=self.scenario_hash,
                 seed=int(self.seed), n=self.n)
        return {k: m[k] for k in KEYS if k in m}

    def to_arrow(self) -> Any:
        """The per-lane table as a ``pyarrow.Table`` with run metadata."""
        import pyarrow as pa

        if self.streamed:
            raise ResultsError("table: this run was streamed to its Parquet file and kept no "
                               "table; read it back with strait.read_results(path)")
        t = pa.Table.from_pandas(self.table, preserve_index=False)
        return t.replace_schema_metadata({**(t.schema.metadata or {}),
                                          **to_parquet(self.metadata)})

    def outcome_counts(self) -> dict[str, int]:
        if self.running is not None:
            return self.running.outcome_counts()
        counts = np.bincount(self.table["outcome"].to_numpy(), minlength=len(OUTCOMES))
        return {name: int(counts[i]) for i, name in enumerate(OUTCOMES)}

    def summary(self) -> Summary:
        """Outcome probabilities (Wilson 95 %), loss medians and 5-95 % bands, timings."""
        if self.running is not None:
            return self._streamed_summary(self.running)
        n = self.n
        counts = self.outcome_counts()
        probs = {k: v / n for k, v in counts.items()}
        ci = {k: wilson_interval(v, n) for k, v in counts.items()}
        losses = {}
        for col in SUMMARY_LOSSES:
            if col not in self.table:
                continue
            x = self.table[col].to_numpy(dtype=float)
            p05, med, p95 = np.percentile(x, [5, 50, 95])
            losses[col] = {"median": float(med), "p05": float(p05), "p95": float(p95),
                           "mean": float(x.mean())}
        t = self.table
        days = float(self.meta.get("turn_days", 3.5))
        timings = {}
        for col, label in (("fleet_destroyed_turn", "amphibious_fleet_below_10pct_day"),
                           ("lrasm_out_turn", "lrasm_exhausted_day"),
                           ("shore_asm_out_turn", "taiwan_shore_asm_exhausted_day")):
            if col in t:
                x = t[col].to_numpy()
                hit = x >= 0
                timings[label] = float(np.median((x[hit] + 1) * days)) if hit.any() else math.nan
                timings[label.replace("_day", "_share")] = float(hit.mean())
        roles = {}
        for ally in ("jpn", "aus", "phl", "kor"):
            if f"{ally}_struck" in t:
                roles[ally] = {"struck": float(t[f"{ally}_struck"].mean()),
                               "escalated": float((t[f"{ally}_role_change_turn"] >= 0).mean()),
                               "role_start_mean": float(t[f"{ally}_role_start"].mean()),
                               "role_end_mean": float(t[f"{ally}_role_end"].mean())}
        return Summary(n=n, outcome_probabilities=probs, outcome_intervals=ci, losses=losses,
                       timings=timings, roles=roles)

    def _streamed_summary(self, r: RunningSummary) -> Summary:
        """The same summary from running counts and sums plus a bounded sample."""
        n = r.n
        counts = r.outcome_counts()
        probs = {k: v / n for k, v in counts.items()}
        ci = {k: wilson_interval(v, n) for k, v in counts.items()}
        sample = r.sample()
        losses = {}
        for col in SUMMARY_LOSSES:
            if col not in sample:
                continue
            x = sample[col].astype(float)
            p05, med, p95 = np.percentile(x, [5, 50, 95])
            losses[col] = {"median": float(med), "p05": float(p05), "p95": float(p95),
                           "mean": r.mean(col)}
        days = float(self.meta.get("turn_days", 3.5))
        timings = {}
        for col, label in (("fleet_destroyed_turn", "amphibious_fleet_below_10pct_day"),
                           ("lrasm_out_turn", "lrasm_exhausted_day"),
                           ("shore_asm_out_turn", "taiwan_shore_asm_exhausted_day")):
            if col in sample:
                x = sample[col]
                hit = x >= 0
                timings[label] = float(np.median((x[hit] + 1) * days)) if hit.any() else math.nan
                timings[label.replace("_day", "_share")] = r.share(col + ">=0")
        roles = {}
        for ally in ("jpn", "aus", "phl", "kor"):
            if f"{ally}_struck" in r.counts:
                roles[ally] = {"struck": r.share(f"{ally}_struck"),
                               "escalated": r.share(f"{ally}_escalated"),
                               "role_start_mean": r.mean(f"{ally}_role_start"),
                               "role_end_mean": r.mean(f"{ally}_role_end")}
        return Summary(n=n, outcome_probabilities=probs, outcome_intervals=ci, losses=losses,
                       timings=timings, roles=roles)


__all__ = [
    "COLUMNS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "SCHEMA",
    "TRAJECTORY_FIELDS",
    "Column",
    "RunResults",
    "Summary",
    "wilson_interval",
]
