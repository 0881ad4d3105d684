"""The CSIS targets strait is held to, and their checks.

The CSIS wargame *The First Battle of the Next War* (Cancian, Cancian, Heginbotham, CSIS,
January 2023, https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan)
played 24 iterations and printed family averages, ranges and rules. :data:`TARGETS` lists the
numbers strait is held to, one :class:`Target` each: the scenario it applies to, what is
measured, the published value, the tolerance, the page cited and a check function.

* *Campaign targets* (``kind="campaign"``) are checked on the per-lane results of a run of
  their scenario (:class:`strait.results.RunResults`): medians over lanes for losses and
  timings, shares of lanes for outcomes.
* *Sub-model targets* (``kind="model"``) are checked on the :mod:`strait.models` functions
  the engine plays, with the scenario's parameters, without a campaign.

A check returns ``pass``, ``fail`` or ``not measured``. *Not measured* means strait does
not output the quantity (the reason says which column or trajectory is missing); it never
counts as a pass. Unless stated otherwise, "±35 %" means the published value times
0.65-1.35. :mod:`strait.analysis.validation` evaluates them and plays the validation run.

Example:
    >>> t = target("base-us-carriers")
    >>> t.scenario, t.published, t.citation
    ('csis-base', '2 carriers in every base run', '[CSIS p.88]')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from strait.results.core import OUTCOMES, TRAJECTORY_FIELDS, RunResults

__all__ = [
    "FAIL",
    "NOT_MEASURED",
    "PASS",
    "SHORE_ASM_DAYS",
    "SUBMODEL_TOLERANCE",
    "TARGETS",
    "Check",
    "NotMeasured",
    "Status",
    "Target",
    "target",
]

Status = Literal["pass", "fail", "not measured"]
PASS: Status = "pass"
FAIL: Status = "fail"
NOT_MEASURED: Status = "not measured"

# ------------------------------------------------------------------------------ checks


class NotMeasured(Exception):
    """Raised by a metric when strait does not output what it needs; carries the reason."""


@dataclass(frozen=True)
class Check:
    """What a check found: status, the strait value (number and text) and a reason."""

    status: Status
    value: float | None = None
    text: str = "–"
    reason: str = ""


def _fmt(kind: str, v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if math.isinf(v):
        return "never"
    if kind == "pct":
        return f"{100 * v:.1f} %"
    if kind == "day":
        return f"day {v:.1f}"
    if kind == "int":
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def _col(res: RunResults, name: str) -> np.ndarray:
    if name not in res.table:
        raise NotMeasured(f"strait does not output column '{name}'")
    return res.table[name].to_numpy(dtype=float)


def _median(name: str) -> Callable[[RunResults], float]:
    def metric(res: RunResults) -> float:
        return float(np.median(_col(res, name)))
    return metric


def _outcome_share(*names: str) -> Callable[[RunResults], float]:
    codes = [OUTCOMES.index(n) for n in names]

    def metric(res: RunResults) -> float:
        return float(np.isin(_col(res, "outcome"), codes).mean())
    return metric


def _turn_day(res: RunResults, col: str) -> np.ndarray:
    """Day each lane crossed an event recorded as a turn index (−1 = never → +inf)."""
    turns = _col(res, col)
    days = float(res.meta.get("turn_days", 3.5))
    return np.where(turns >= 0, (turns + 1) * days, np.inf)


def _band(metric: Callable[[RunResults], float], lo: float | None, hi: float | None,
          kind: str = "num") -> Callable[[RunResults], Check]:
    """A check: ``metric`` within ``[lo, hi]`` (either end may be open)."""
    def check(res: RunResults) -> Check:
        v = metric(res)
        ok = not math.isnan(v) and (lo is None or v >= lo) and (hi is None or v <= hi)
        return Check(PASS if ok else FAIL, v, _fmt(kind, v))
    return check


# -- special metrics ------------------------------------------------------------------

def _amphib_sunk_share(res: RunResults) -> float:
    return float(np.median(1.0 - _col(res, "amphibious_fleet_share_end")))


def _surface_combatants(res: RunResults) -> float:
    return float(np.median(_col(res, "usa_ships_lost") - _col(res, "usa_carriers_lost")))


def _ground_share(res: RunResults) -> float:
    ground = np.sum([_col(res, f"{a}_aircraft_lost_ground") for a in ("usa", "jpn", "twn")], 0)
    total = np.sum([_col(res, f"{a}_aircraft_lost") for a in ("usa", "jpn", "twn")], 0)
    some = total > 1e-9
    if not some.any():
        raise NotMeasured("no coalition aircraft lost in any lane: share on the ground undefined")
    return float(np.median(ground[some] / total[some]))


def _jpn_struck(res: RunResults) -> float:
    return float(_col(res, "jpn_struck").mean())


def _check_lrasm(res: RunResults) -> Check:
    day = float(np.median(_turn_day(res, "lrasm_out_turn")))
    spent = float(np.median(_col(res, "spent_lrasm")))
    ok = day <= 7.0 and spent >= 0.9 * 450
    return Check(PASS if ok else FAIL, day,
                 f"median {_fmt('day', day)}, {spent:,.0f} spent")


def _check_shore_asm(res: RunResults) -> Check:
    d = _turn_day(res, "shore_asm_out_turn")
    day = float(np.median(d))
    text = f"median {_fmt('day', day)} ({np.isfinite(d).mean():.0%} of lanes ever)"
    return Check(PASS if day <= 14.0 else FAIL, day, text)


def _check_victory_end_day(res: RunResults) -> Check:
    won = _col(res, "outcome") == OUTCOMES.index("prc_victory")
    if not won.any():
        return Check(FAIL, None, "no PRC victories", "no lane ended in PRC victory")
    day = float(np.median(_col(res, "end_day")[won]))
    return Check(PASS if 50.0 <= day <= 90.0 else FAIL, day, _fmt("day", day))


SHORE_ASM_DAYS = 10.0
"""CSIS: Taiwan's shore batteries were effective only in the first 10 days (p.97)."""


def _check_alone_shore_asm(res: RunResults) -> Check:
    tr = res.trajectories
    if tr is None or tr.size == 0:
        raise NotMeasured("run without trajectories: the share sunk by day 10 needs per-turn "
                          "trajectories (run with trajectories > 0)")
    if "amphibious_fleet_share" not in TRAJECTORY_FIELDS:
        raise NotMeasured("trajectories do not record 'amphibious_fleet_share'")
    days = float(res.meta.get("turn_days", 3.5))
    turn = min(max(math.ceil(SHORE_ASM_DAYS / days) - 1, 0), tr.shape[1] - 1)
    x = pd.DataFrame(tr[:, : turn + 1, TRAJECTORY_FIELDS.index("amphibious_fleet_share")].T)
    afloat = x.ffill().iloc[-1].to_numpy(dtype=float)
    afloat = afloat[~np.isnan(afloat)]
    if afloat.size == 0:
        raise NotMeasured("no trajectory recorded")
    sunk = float(np.median(1.0 - afloat))
    ok = 0.65 * 0.16 <= sunk <= 1.35 * 0.16
    return Check(PASS if ok else FAIL, sunk,
                 f"{_fmt('pct', sunk)} by day {(turn + 1) * days:g} "
                 f"(median of {afloat.size:,} trajectories)")


# -- sub-models ------------------------------------------------------------------------

SUBMODEL_TOLERANCE = 0.15
"""Relative tolerance of sub-model targets: they are arithmetic, not campaigns."""


def _param(scenario: Any, group: str, name: str) -> Any:
    try:
        return getattr(scenario.parameters, group)[name]
    except (KeyError, AttributeError, TypeError):
        raise NotMeasured(f"scenario has no parameter {group}.{name}") from None


def _param_mean(scenario: Any, group: str, name: str) -> float:
    return float(_param(scenario, group, name).mean())


def _param_centre(scenario: Any, group: str, name: str) -> float:
    """The mode of a triangular/PERT prior, else its mean."""
    p = _param(scenario, group, name)
    return float(p.mode) if getattr(p, "mode", None) is not None else float(p.mean())


def _rel_ok(v: float, ref: float, tol: float = SUBMODEL_TOLERANCE) -> bool:
    return abs(v - ref) <= tol * abs(ref)


def _check_ssn(scenario: Any) -> Check:
    # the functions the submarine phase plays, with standard-normal draws as the engine's
    from strait.models.submarine import patrol_kills, patrol_losses

    kills = _param_mean(scenario, "subs", "ssn_amphib_kills_per_boat_turn")
    attr = _param_mean(scenario, "subs", "ssn_attrition_per_turn")
    boats, draws = 4.0, 100_000
    z = np.random.default_rng(20230109).standard_normal((2, draws))
    k = patrol_kills(np.full(draws, boats), kills, np.inf, z[0])
    lost = patrol_losses(np.full(draws, boats), attr, z[1])
    per_boat = float(k.mean() / boats)
    loss = float(lost.mean() / boats)
    ok = _rel_ok(per_boat, 2.0) and _rel_ok(loss, 0.20)
    return Check(PASS if ok else FAIL, per_boat,
                 f"{per_boat:.2f} per boat-turn at {100 * loss:.1f} % attrition")


def _check_phit_params(scenario: Any) -> Check:
    sub = _param_mean(scenario, "antiship", "p_hit_subsonic")
    sup = _param_mean(scenario, "antiship", "p_hit_supersonic")
    ok = _rel_ok(sub, 0.056) and _rel_ok(sup, 0.074)
    return Check(PASS if ok else FAIL, sub, f"{100 * sub:.1f} % / {100 * sup:.1f} %")


def _check_interception_chain(scenario: Any) -> Check:
    from strait.models.interception import csis_hit_probability

    failure = _param_centre(scenario, "strikes", "launch_failure")
    pk = _param_centre(scenario, "strikes", "interceptor_pk")
    shots = round(_param_centre(scenario, "strikes", "interceptors_per_threat"))
    sub = csis_hit_probability(False, launch_failure=failure, interceptor_pk=pk,
                               interceptors_per_threat=shots)
    sup = csis_hit_probability(True, launch_failure=failure, interceptor_pk=pk,
                               interceptors_per_threat=shots)
    ok = _rel_ok(sub, 0.056) and _rel_ok(sup, 0.074)
    why = "" if ok else ("the printed factors at their printed values do not compose to the "
                         "report's averages (see csis_hit_probability); the engine uses the "
                         "published averages directly (model-p-hit-params)")
    return Check(PASS if ok else FAIL, sub, f"{100 * sub:.2f} % / {100 * sup:.2f} %", why)


def _check_runway(res: RunResults) -> Check:
    days = _col(res, "jpn_fighter_base_closed_days")
    struck = _col(res, "jpn_struck") > 0
    if not struck.any():
        raise NotMeasured("Japan was struck in no campaign: no closure to measure")
    v = float(np.median(days[struck]))
    ok = 7.6 <= v <= 15.8
    why = "" if ok else (
        "Stimson closes one base under a concentrated, sustained salvo; in strait's campaigns "
        "the PLA spreads each turn's missiles over Taiwan, Guam and every Japanese base group "
        "by aircraft parked, and the mean over Okinawa, Kyushu and Honshu (5, 4 and 8 runways) "
        "stays below a week. Raising closure per missile within its sourced range (already at "
        "4 missiles and 1.5 repair days per closure) would not close the gap, and sending more "
        "missiles to Japan overshoots US and Japanese aircraft losses (CSIS p.87)")
    return Check(PASS if ok else FAIL, v, f"{v:.1f} days", why)


# ------------------------------------------------------------------------------ targets


@dataclass(frozen=True)
class Target:
    """One published CSIS number that strait should reproduce.

    ``check`` takes the scenario's :class:`RunResults` (``kind="campaign"``) or its
    :class:`~strait.scenario.models.Scenario` (``kind="model"``) and returns a
    :class:`Check`; it may raise :class:`NotMeasured`. ``plot_column``, ``published_value``,
    ``lo`` and ``hi`` place the target on the losses plot.
    """

    id: str
    scenario: str
    metric: str
    published: str
    tolerance: str
    citation: str
    check: Callable[[Any], Check]
    kind: Literal["campaign", "model"] = "campaign"
    needs_trajectories: bool = False
    plot_column: str | None = None
    published_value: float | None = None
    lo: float | None = None
    hi: float | None = None

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # checks are closures: a target crosses process boundaries by its id
        return (target, (self.id,))


def _pm35(x: float) -> tuple[float, float]:
    return 0.65 * x, 1.35 * x


def _t35(id_: str, scenario: str, metric: str, published: str, value: float, column: str,
         citation: str, kind: str = "num", plot: bool = True) -> Target:
    """A target: median of ``column`` within ±35 % of ``value``."""
    lo, hi = _pm35(value)
    return Target(id_, scenario, metric, published,
                  f"±35 %: {_fmt(kind, lo)}–{_fmt(kind, hi)}", citation,
                  _band(_median(column), lo, hi, kind),
                  plot_column=column if plot else None, published_value=value, lo=lo, hi=hi)


BASE, ALONE, RAGNAROK = "csis-base", "csis-taiwan-alone", "csis-ragnarok"

TARGETS: tuple[Target, ...] = (
    # ---------------------------------------------------------------- csis-base: outcome
    Target("base-prc-victory", BASE, "share of campaigns ending in PRC victory",
           "0 of 3 base runs", "≤ 5 %", "[CSIS p.85]",
           _band(_outcome_share("prc_victory"), None, 0.05, "pct")),
    Target("base-defence-outcomes", BASE,
           "share ending in PRC defeat or stalemate leaning against the PRC",
           "3 of 3 (2 defeats, 1 stalemate against China)", "≥ 85 %", "[CSIS p.85]",
           _band(_outcome_share("prc_defeat", "stalemate_defence"), 0.85, None, "pct")),
    Target("base-amphibious-fleet-sunk", BASE,
           "median share of the 96-ship amphibious fleet sunk by the end",
           "≥ 90 % in every base run", "≥ 90 %", "[CSIS p.85, p.88]",
           _band(_amphib_sunk_share, 0.90, None, "pct")),
    # ---------------------------------------------------------------- csis-base: losses
    Target("base-us-carriers", BASE, "median US carriers lost",
           "2 carriers in every base run", "±35 %: 1.3–2.7", "[CSIS p.88]",
           _band(_median("usa_carriers_lost"), 1.3, 2.7),
           plot_column="usa_carriers_lost", published_value=2.0, lo=1.3, hi=2.7),
    Target("base-us-surface-combatants", BASE,
           "median other US major surface combatants lost (usa_ships_lost − usa_carriers_lost)",
           "7–20 besides the carriers", "7–20", "[CSIS p.88]",
           _band(_surface_combatants, 7.0, 20.0),
           plot_column="usa_surface_combatants_lost", published_value=None, lo=7.0, hi=20.0),
    Target("base-us-aircraft", BASE, "median US aircraft lost (air + ground + carrier wings)",
           "270 average, 168–372 across the base runs", "168–372", "[CSIS Tbl 4, p.87]",
           _band(_median("usa_aircraft_lost"), 168.0, 372.0, "int"),
           plot_column="usa_aircraft_lost", published_value=270.0, lo=168.0, hi=372.0),
    Target("base-aircraft-lost-on-ground", BASE,
           "median share of coalition (US+JPN+TWN) aircraft losses that are on the ground",
           "≈90 %", "±35 % of 90 %: ≥ 58.5 %", "[CSIS p.87, p.4, fn 124]",
           _band(_ground_share, 0.585, 1.0, "pct")),
    _t35("base-jpn-aircraft", BASE, "median Japanese aircraft lost", "≈112", 112.0,
         "jpn_aircraft_lost", "[CSIS Tbl 4, p.87]", "int"),
    _t35("base-jpn-ships", BASE, "median JMSDF ships lost", "≈26", 26.0, "jpn_ships_lost",
         "[CSIS Tbl 4, p.88]"),
    _t35("base-chn-ships", BASE, "median PLA major ships lost (amphibious + combatants)",
         "≈138", 138.0, "chn_ships_lost", "[CSIS Tbl 4, p.88]", "int"),
    _t35("base-chn-amphibious", BASE, "median PLA large amphibious ships lost", "≈86 (90 %)",
         86.0, "chn_amphibious_ships_lost", "[CSIS p.88, fn 244]", "int"),
    _t35("base-chn-aircraft", BASE, "median PLA aircraft lost", "≈155 (text: 161)", 155.0,
         "chn_aircraft_lost", "[CSIS Tbl 4, p.87-88]", "int"),
    Target("base-twn-ships", BASE, "median Taiwanese major surface ships lost",
           "all 26 (22 frigates, 4 destroyers)", "±35 %: ≥ 16.9", "[CSIS p.88]",
           _band(_median("twn_ships_lost"), 16.9, None),
           plot_column="twn_ships_lost", published_value=26.0, lo=16.9, hi=26.0),
    _t35("base-twn-aircraft", BASE, "median Taiwanese aircraft lost",
         "about half its air force (≈237 of 474)", 237.0, "twn_aircraft_lost",
         "[CSIS p.88, p.123]", "int"),
    _t35("base-us-killed", BASE, "median US personnel killed", "≈3,200", 3200.0,
         "usa_killed", "[CSIS p.119-120]", "int"),
    # ---------------------------------------------------------------- csis-base: the end
    Target("base-end-day", BASE, "median day the campaign ends",
           "≈14 days (one run judged at D+21)", "day 14–21", "[CSIS p.84-85, Tbl 3]",
           _band(_median("end_day"), 14.0, 21.0, "day"),
           plot_column=None),
    _t35("base-pla-landed", BASE, "median PLA battalions landed", "37", 37.0, "pla_bn_landed",
         "[CSIS p.86, Tbl 3]"),
    _t35("base-pla-ashore", BASE, "median PLA battalions ashore at the end", "≈30 (≈30,000)",
         30.0, "pla_bn_ashore", "[CSIS p.86, Tbl 3]"),
    _t35("base-prc-share-of-taiwan", BASE, "median share of Taiwan held by the PLA at the end",
         "≈7 % (2,600 of 36,000 km²)", 0.07, "prc_share_of_taiwan", "[CSIS p.86, Tbl 3]",
         "pct", plot=False),
    # ---------------------------------------------------------------- csis-base: munitions
    Target("base-lrasm-week-one", BASE,
           "median day the LRASM stock runs out (never = +inf) and median LRASMs spent",
           "all ≈450 LRASMs fired in the first week", "day ≤ 7 and ≥ 405 spent (0.9 × 450)",
           "[CSIS p.88, p.136]", _check_lrasm),
    Target("base-shore-asm-week-two", BASE,
           "median day Taiwan's shore anti-ship missiles are spent or their launchers gone "
           "(never = +inf)", "spent or destroyed in week 2", "day ≤ 14",
           "[CSIS p.111, p.97]", _check_shore_asm),
    Target("base-japan-struck", BASE, "share of campaigns in which the PRC strikes Japan",
           "≈75 % (≈18 of ≈23 intervention runs; 2 of 3 base runs)",
           "±35 %: 48.8–100 %", "[CSIS Fig 10 p.113, p.87]",
           _band(_jpn_struck, 0.4875, 1.0, "pct")),
    # ---------------------------------------------------------------- csis-taiwan-alone
    Target("alone-prc-victory", ALONE, "share of campaigns ending in PRC victory",
           "PLA victory", "≥ 90 %", "[CSIS p.96]",
           _band(_outcome_share("prc_victory"), 0.90, None, "pct")),
    Target("alone-taipei-falls", ALONE, "median end day of the campaigns the PRC wins",
           "Taipei taken after ≈10 weeks (70 days)", "day 50–90", "[CSIS p.96-97, Tbl 9]",
           _check_victory_end_day),
    Target("alone-shore-asm-first-10-days", ALONE,
           "median share of the 96 large amphibious ships sunk, all causes, by the end of "
           "turn 3 (day 10.5), from per-turn trajectories; in this scenario the only other "
           "cause is Taiwan's few diesel submarines; escorts are not measured (no per-turn "
           "escort trajectory)",
           "shore ASCMs sink 17 amphibs + 17 escorts (≈16 % of each) in the first 10 days",
           "±35 %: 10.4–21.6 %", "[CSIS p.97-98]", _check_alone_shore_asm,
           needs_trajectories=True),
    _t35("alone-pla-landed", ALONE, "median PLA battalions landed",
         "230 over ≈2.5 months", 230.0, "pla_bn_landed", "[CSIS p.97, Tbl 9]", "int",
         plot=False),
    # ---------------------------------------------------------------- csis-ragnarok
    Target("ragnarok-prc-victory", RAGNAROK, "share of campaigns ending in PRC victory",
           "PLA victory", "≥ 50 %", "[CSIS p.98-99]",
           _band(_outcome_share("prc_victory"), 0.50, None, "pct")),
    _t35("ragnarok-us-carriers", RAGNAROK, "median US carriers lost", "≈4", 4.0,
         "usa_carriers_lost", "[CSIS p.99]", plot=False),
    # ---------------------------------------------------------------- sub-models
    Target("model-ssn-patrol", BASE,
           "strait.models.patrol_kills / patrol_losses (what the engine's submarine phase "
           "plays) with the scenario's subs parameters: mean large amphibious ships sunk per "
           "SSN per turn and share of boats lost (4 boats, 100,000 normal draws, unlimited "
           "targets)",
           "≈2 large amphibs per SSN per 3.5-day turn at ≈20 % attrition",
           "±15 %: 1.7–2.3 at 17–23 %", "[CSIS p.135, fn 311]", _check_ssn, kind="model"),
    Target("model-p-hit-params", BASE,
           "average hits per missile the engine uses (antiship.p_hit_subsonic / "
           "p_hit_supersonic)", "5.6 % subsonic / 7.4 % supersonic", "±15 % each",
           "[CSIS p.81]", _check_phit_params, kind="model"),
    Target("model-interception-chain", BASE,
           "strait.models.csis_hit_probability from the printed factors (scenario launch "
           "failure, interceptor Pk mode, interceptors per threat; 10 % guidance failure, 70 % "
           "terminal defence, 5 % fat tails), subsonic / supersonic. A check of the printed "
           "rules only: the engine does not compose them, it plays the published averages "
           "(model-p-hit-params)",
           "5.6 % subsonic / 7.4 % supersonic", "±15 % each", "[CSIS p.30-32, p.81]",
           _check_interception_chain, kind="model"),
    Target("model-runway-closure-japan", BASE,
           "days the runways of Japanese bases hosting US fighters are closed, in campaigns "
           "where the PRC strikes Japan (median)", "≈12 days (11.7) for fighters",
           "±35 %: 7.6–15.8 days", "[Stimson, Cratering Effects (Dec 2024)]",
           _check_runway),
)
"""Every published target, in report order."""

_BY_ID = {t.id: t for t in TARGETS}
if len(_BY_ID) != len(TARGETS):  # pragma: no cover - a typo in the table above
    raise RuntimeError("validation targets: duplicate target id")


def target(target_id: str) -> Target:
    """The target with this id.

    >>> target("alone-prc-victory").tolerance
    '≥ 90 %'
    """
    try:
        return _BY_ID[target_id]
    except KeyError:
        raise KeyError(f"unknown validation target '{target_id}'; known: "
                       f"{', '.join(_BY_ID)}") from None
