"""The results object and its summary statistics."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from strait.engine import OUTCOME_LABELS, OUTCOMES, TRAJECTORY_FIELDS


def _columns() -> dict[str, str]:
    c: dict[str, str] = {
        "outcome": "Outcome code 0-4: prc_victory, stalemate_prc, stalemate_indeterminate, "
                   "stalemate_defence, prc_defeat (CSIS p.84-85)",
        "end_turn": "Turn the campaign ended (0-based)",
        "end_day": "Day the campaign ended (end of that turn)",
    }
    for a, name in (("usa", "US"), ("jpn", "Japanese"), ("twn", "Taiwanese"),
                    ("aus", "Australian")):
        c[f"{a}_aircraft_lost"] = (f"{name} combat aircraft lost (fighters and bombers, in the "
                                   "air and on the ground" + (", incl. carrier wings)"
                                                              if a == "usa" else ")"))
        c[f"{a}_aircraft_lost_ground"] = f"{name} combat aircraft destroyed on the ground" + (
            " or with their carriers" if a == "usa" else "")
        c[f"{a}_aircraft_lost_air"] = f"{name} combat aircraft shot down"
        c[f"{a}_support_aircraft_lost"] = f"{name} tankers and maritime patrol aircraft lost"
    c["usa_aircraft_lost_on_carriers"] = "US carrier aircraft lost with their carriers"
    c.update({
        "usa_carriers_lost": "US carriers lost (sunk or out of the war)",
        "usa_surface_combatants_lost": "US cruisers and destroyers lost",
        "usa_ships_lost": "US major surface ships lost (carriers + cruisers/destroyers)",
        "usa_submarines_lost": "US SSNs lost",
        "jpn_ships_lost": "JMSDF surface ships and submarines lost",
        "twn_ships_lost": "Taiwanese major surface ships lost",
        "chn_lhd_lpd_lost": "PLA LHDs and LPDs lost",
        "chn_lst_lost": "PLA LSTs lost",
        "chn_lsm_lost": "PLA LSMs lost",
        "chn_roro_lost": "Civilian Ro-Ros in PLA service lost",
        "chn_amphibious_ships_lost": "PLA large amphibious ships lost (LHD/LPD, LST, LSM, Ro-Ro)",
        "chn_combatants_lost": "PLA major combatants lost (escorts and pickets)",
        "chn_ships_lost": "PLA major ships lost (amphibious + combatants)",
        "chn_aircraft_lost": "PLA aircraft lost (air-to-air and to air defences)",
        "amphibious_fleet_share_end": "Share of the amphibious fleet afloat at the end",
        "usa_killed": "US personnel killed (estimated from equipment losses, CSIS p.119)",
        "usa_wounded": "US personnel wounded",
        "chn_killed": "PLA personnel killed (at sea and ashore)",
        "twn_killed": "Taiwanese soldiers killed",
    })
    for m, name in (("lrasm", "LRASMs"), ("jassm_ms", "maritime-strike JASSM-ERs"),
                    ("type12", "Japanese Type 12 missiles"), ("srbm", "PLA SRBMs"),
                    ("mrbm", "PLA MRBMs"), ("irbm", "PLA IRBMs"), ("glcm", "PLA GLCMs"),
                    ("alcm", "PLA air-launched cruise missiles"),
                    ("asbm", "PLA anti-ship ballistic missiles"),
                    ("ascm", "PLA anti-ship cruise missiles"),
                    ("twn_shore_asm", "Taiwanese shore anti-ship missiles (Harpoon, Hsiung Feng)")):
        c[f"spent_{m}"] = f"{name} fired"
    c.update({
        "pla_bn_landed": "PLA battalion-equivalents landed",
        "pla_bn_ashore": "PLA battalion-equivalents ashore at the end",
        "pla_bn_destroyed": "PLA battalion-equivalents destroyed ashore",
        "prc_share_of_taiwan": "Share of Taiwan held by the PLA at the end",
        "ports_held": "Ports held by the PLA at the end",
        "airfields_held": "Airfields held by the PLA at the end",
    })
    for a, name in (("jpn", "Japan"), ("aus", "Australia"), ("phl", "the Philippines"),
                    ("kor", "Korea")):
        c[f"{a}_role_start"] = f"{name}'s role level at the start (0 NEUTRAL ... 6 FULL_COMBAT)"
        c[f"{a}_role_end"] = f"{name}'s role level at the end"
        c[f"{a}_role_change_turn"] = f"Turn {name}'s role first changed (-1: never)"
        c[f"{a}_struck"] = f"Whether the PRC struck {name}'s territory"
        c[f"{a}_struck_turn"] = f"Turn the PRC first struck {name}'s territory (-1: never)"
    c.update({
        "jpn_fighter_base_closed_days": "Days the runways of Japanese bases hosting US fighters "
                                        "were closed (mean over those bases)",
        "fleet_destroyed_turn": "Turn the amphibious fleet fell below 10 % (-1: never)",
        "lrasm_out_turn": "Turn LRASM stocks fell below 10 % (-1: never)",
        "shore_asm_out_turn": "Turn Taiwan's shore missiles or launchers fell below 10 % "
                              "(-1: never)",
    })
    return c


COLUMNS: dict[str, str] = _columns()
"""Every per-campaign result column and what it means (``docs/reference/results.md``)."""


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
