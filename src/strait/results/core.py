"""The results object and its summary statistics."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from strait.engine import OUTCOME_LABELS, OUTCOMES, TRAJECTORY_FIELDS

COLUMNS: dict[str, str] = {
    "outcome": "Outcome code 0-4 (prc_victory, stalemate_prc, stalemate_indeterminate, "
               "stalemate_defence, prc_defeat)",
    "end_turn": "Turn the campaign ended (0-based)",
    "end_day": "Day the campaign ended",
    "usa_aircraft_lost": "US combat aircraft lost (fighters and bombers, air + ground, incl. "
                         "carrier wings; tankers and MPA are in *_support_aircraft_lost)",
    "usa_aircraft_lost_ground": "US aircraft destroyed on the ground or aboard carriers",
    "jpn_aircraft_lost": "Japanese aircraft lost",
    "twn_aircraft_lost": "Taiwanese aircraft lost",
    "chn_aircraft_lost": "PLA aircraft lost",
    "usa_carriers_lost": "US carriers lost",
    "usa_ships_lost": "US major surface ships lost (carriers + cruisers/destroyers)",
    "usa_submarines_lost": "US SSNs lost",
    "jpn_ships_lost": "JMSDF ships lost",
    "twn_ships_lost": "Taiwanese major surface ships lost",
    "chn_amphibious_ships_lost": "PLA large amphibious ships lost (LHD/LPD, LST, LSM, Ro-Ro)",
    "chn_ships_lost": "PLA major ships lost (amphibious + combatants)",
    "usa_killed": "US personnel killed",
    "chn_killed": "PLA personnel killed",
    "twn_killed": "Taiwanese personnel killed",
    "pla_bn_landed": "PLA battalion-equivalents landed",
    "pla_bn_ashore": "PLA battalion-equivalents ashore at the end",
    "prc_share_of_taiwan": "Share of Taiwan held by the PLA at the end",
    "amphibious_fleet_share_end": "Share of the amphibious fleet afloat at the end",
    "jpn_fighter_base_closed_days": "Days the runways of Japanese bases hosting US fighters "
                                    "were closed (mean over those bases)",
}

SUMMARY_LOSSES = (
    "usa_aircraft_lost", "jpn_aircraft_lost", "twn_aircraft_lost", "chn_aircraft_lost",
    "usa_carriers_lost", "usa_ships_lost", "usa_submarines_lost", "jpn_ships_lost",
    "twn_ships_lost", "chn_amphibious_ships_lost", "chn_ships_lost", "usa_killed",
    "chn_killed", "pla_bn_landed", "pla_bn_ashore", "prc_share_of_taiwan", "end_day",
)


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
    """Per-lane results of one run (see :data:`COLUMNS`) with their provenance."""

    table: pd.DataFrame
    scenario_name: str
    scenario_hash: str
    seed: int
    trajectories: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.table)

    def to_arrow(self) -> Any:
        """The per-lane table as a ``pyarrow.Table`` with run metadata."""
        import pyarrow as pa

        t = pa.Table.from_pandas(self.table, preserve_index=False)
        meta = {b"strait.scenario": self.scenario_name.encode(),
                b"strait.scenario_hash": self.scenario_hash.encode(),
                b"strait.seed": str(self.seed).encode()}
        return t.replace_schema_metadata({**(t.schema.metadata or {}), **meta})

    def outcome_counts(self) -> dict[str, int]:
        counts = np.bincount(self.table["outcome"].to_numpy(), minlength=len(OUTCOMES))
        return {name: int(counts[i]) for i, name in enumerate(OUTCOMES)}

    def summary(self) -> Summary:
        """Outcome probabilities (Wilson 95 %), loss medians and 5-95 % bands, timings."""
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


__all__ = ["COLUMNS", "OUTCOMES", "OUTCOME_LABELS", "TRAJECTORY_FIELDS", "RunResults",
           "Summary", "wilson_interval"]
