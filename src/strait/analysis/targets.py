"""The CSIS targets strait is held to, their roles, tolerance rules and checks.

The CSIS wargame *The First Battle of the Next War* (Cancian, Cancian, Heginbotham, CSIS,
January 2023, https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan)
played 24 iterations and printed family averages, ranges and rules. :data:`TARGETS` lists the
numbers strait is held to, one :class:`Target` each: the scenario it applies to, what is
measured, the published value, its :class:`Tolerance` (the rule and its inputs), its
:data:`Role`, the page cited and a check function.

* *Campaign targets* (``kind="campaign"``) are checked on the per-lane results of a run of
  their scenario (:class:`strait.results.RunResults`): medians over lanes for losses and
  timings, shares of lanes for outcomes.
* *Sub-model targets* (``kind="model"``) are checked on the :mod:`strait.models` functions
  the engine plays, with the scenario's parameters, without a campaign.
* *Direction targets* (``kind="direction"``) check that an excursion moves a metric away
  from ``csis-base`` the way its assumption implies. Both scenarios are played with the
  same seed and ``n`` (common random numbers); the check reads the lane-by-lane difference
  (a :class:`Paired`) and its 95 % interval, mean ± 1.96 SE.

Roles. A target is ``"calibration"`` when a parameter was tuned on it (the "target that
moved it" column of ``docs/calibration.md``, mirrored in :data:`CALIBRATED_BY`) and
``"validation"`` otherwise. A parameter tuned on a target cannot be validated by it, so
only validation targets say anything about strait's predictive skill.

Tolerance rules (:class:`Tolerance`):

* ``clopper-pearson``: an outcome share seen in k of n games passes when strait's share of
  campaigns lies within the exact (Clopper-Pearson) 95 % interval for k of n.
* ``published range``: CSIS prints a range across its runs; strait's median must lie in it.
* ``published bound``: CSIS prints a one-sided statement ("in week 2", "in the first week").
* ``relative``: a point value without a range; ±35 % for campaign numbers and ±15 % for
  sub-model arithmetic. These bands are a judgement, not a statistic.
* ``paired``: a direction target (see above).

:data:`DROPPED` lists targets no longer used (they echoed an input) and why.

A check returns ``pass``, ``fail`` or ``not measured``. *Not measured* means strait does
not output the quantity (the reason says which column or trajectory is missing); it never
counts as a pass. :mod:`strait.analysis.validation` evaluates them and plays the validation
run.

Example:
    >>> t = target("base-us-aircraft")
    >>> t.scenario, t.role, t.tolerance, t.citation
    ('csis-base', 'calibration', 'published range 168–372', '[CSIS Tbl 4, p.87]')
    >>> [round(x, 3) for x in clopper_pearson(0, 3)]
    [0.0, 0.708]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from strait.results.core import OUTCOMES, TRAJECTORY_FIELDS, RunResults

__all__ = [
    "CALIBRATED_BY",
    "CALIBRATION_IDS",
    "DROPPED",
    "FAIL",
    "NOT_MEASURED",
    "PASS",
    "RELATIVE_TOLERANCE",
    "ROLES",
    "SHORE_ASM_DAYS",
    "SUBMODEL_TOLERANCE",
    "TARGETS",
    "Z95",
    "Check",
    "Expect",
    "NotMeasured",
    "Paired",
    "Role",
    "Status",
    "Target",
    "Tolerance",
    "clopper_pearson",
    "direction_verdict",
    "paired_interval",
    "target",
]

Status = Literal["pass", "fail", "not measured"]
PASS: Status = "pass"
FAIL: Status = "fail"
NOT_MEASURED: Status = "not measured"

Role = Literal["calibration", "validation"]
ROLES: tuple[Role, ...] = ("validation", "calibration")
"""Every role, in report order."""

Expect = Literal["up", "down", "not up", "not down", "none"]
NO_EFFECT_MARGIN = 0.02
"""Largest change in an outcome share still read as "barely matters" (a judgement: two
percentage points, well below the 1-in-3 resolution of a three-game CSIS family)."""
"""What a direction target expects of excursion − base: ``up``/``down`` (the interval
excludes zero on that side), ``not up``/``not down`` (it does not exclude zero on the wrong
side: "no better", "at least as well"), ``none`` (the report found no effect: it contains
zero)."""

Z95 = 1.959964
"""Two-sided 95 % normal quantile of the paired interval."""

RELATIVE_TOLERANCE = 0.35
"""Relative band of campaign targets with a published point value and no range (judgement)."""

SUBMODEL_TOLERANCE = 0.15
"""Relative band of sub-model targets: they are arithmetic, not campaigns (judgement)."""

# ------------------------------------------------------------------------------ tolerances


def _binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return float(sum(math.comb(n, i) * p ** i * (1.0 - p) ** (n - i) for i in range(k + 1)))


def _bisect(f: Callable[[float], float], lo: float = 0.0, hi: float = 1.0) -> float:
    """The root of an increasing ``f`` on [lo, hi] (``f(lo) < 0 < f(hi)``)."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if f(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a binomial rate seen ``k`` times in ``n``.

    The lower end solves P(X >= k | p) = α/2 and the upper P(X <= k | p) = α/2; for k = 0
    the lower end is 0 and the upper ``1 - (α/2)^(1/n)``.

    >>> lo, hi = clopper_pearson(0, 3)
    >>> round(lo, 4), round(hi, 4), round(1 - 0.025 ** (1 / 3), 4)
    (0.0, 0.7076, 0.7076)
    >>> [round(x, 4) for x in clopper_pearson(1, 1)]
    [0.025, 1.0]
    """
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"clopper_pearson: need 0 <= k <= n and n > 0, got k={k}, n={n}")
    a = (1.0 - level) / 2.0
    lo = 0.0 if k == 0 else _bisect(lambda p: (1.0 - _binom_cdf(k - 1, n, p)) - a)
    hi = 1.0 if k == n else _bisect(lambda p: a - _binom_cdf(k, n, p))
    return lo, hi


@dataclass(frozen=True)
class Tolerance:
    """How a target's band was set: the rule, its inputs and the band it gives.

    ``rule`` is one of ``clopper-pearson`` (inputs ``k`` of ``n_games``), ``published
    range`` / ``published bound`` (``lo``/``hi`` as printed), ``relative`` (``rel`` around
    ``around``; a judgement) or ``paired`` (``expect``). ``text`` is what the tables show.
    """

    rule: Literal["clopper-pearson", "published range", "published bound", "relative",
                  "paired"]
    text: str
    lo: float | None = None
    hi: float | None = None
    k: int | None = None
    n_games: int | None = None
    rel: float | None = None
    around: float | None = None
    expect: Expect | None = None
    judgement: bool = False
    note: str = ""

    def inputs(self) -> dict[str, Any]:
        """The rule and its inputs, for the JSON report."""
        out: dict[str, Any] = {"rule": self.rule}
        for k in ("k", "n_games", "lo", "hi", "rel", "around", "expect"):
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        out["judgement"] = self.judgement
        if self.note:
            out["note"] = self.note
        return out

    def describe(self) -> str:
        """The rule with its inputs, in words (the docs' "rule" column)."""
        if self.rule == "clopper-pearson":
            return f"exact 95 % interval of {self.k} of {self.n_games} games"
        if self.rule == "relative":
            return f"±{100 * (self.rel or 0):.0f} % of the published value (judgement)"
        if self.rule == "paired":
            return f"paired 95 % interval, expect {self.expect}"
        return self.rule + (f"; {self.note}" if self.note else "")


def _fmt(kind: str, v: float | None) -> str:
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


def _cp(k: int, n: int) -> Tolerance:
    lo, hi = clopper_pearson(k, n)
    return Tolerance("clopper-pearson",
                     f"{k} of {n} games → 95 % CP {_fmt('pct', lo)}–{_fmt('pct', hi)}",
                     lo=lo, hi=hi, k=k, n_games=n)


def _range(lo: float, hi: float, kind: str = "num", note: str = "") -> Tolerance:
    return Tolerance("published range", f"published range {_fmt(kind, lo)}–{_fmt(kind, hi)}",
                     lo=lo, hi=hi, note=note)


def _bound(text: str, lo: float | None = None, hi: float | None = None,
           note: str = "") -> Tolerance:
    return Tolerance("published bound", text, lo=lo, hi=hi, note=note)


def _rel(value: float, kind: str = "num", rel: float = RELATIVE_TOLERANCE,
         cap: float | None = None) -> Tolerance:
    lo, hi = (1.0 - rel) * value, (1.0 + rel) * value
    if cap is not None:
        hi = min(hi, cap)
    text = f"±{100 * rel:.0f} %: {_fmt(kind, lo)}–{_fmt(kind, hi)}"
    return Tolerance("relative", text, lo=lo, hi=hi, rel=rel, around=value, judgement=True)


def _paired_tol(expect: Expect) -> Tolerance:
    text = {"up": "interval above 0", "down": "interval below 0",
            "not up": "interval not above 0", "not down": "interval not below 0",
            "none": f"interval within ±{100 * NO_EFFECT_MARGIN:g} pp of 0"}[expect]
    return Tolerance("paired", text, expect=expect)

# ------------------------------------------------------------------------------ checks


class NotMeasured(Exception):
    """Raised by a metric when strait does not output what it needs; carries the reason."""


@dataclass(frozen=True)
class Check:
    """What a check found: status, the strait value (number and text) and a reason.

    Direction checks also carry the paired 95 % ``interval`` of excursion − base.
    """

    status: Status
    value: float | None = None
    text: str = "–"
    reason: str = ""
    interval: tuple[float, float] | None = None


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


def _within(metric: Callable[[RunResults], float], tol: Tolerance,
            kind: str = "num") -> Callable[[RunResults], Check]:
    """A check: ``metric`` within the tolerance's ``[lo, hi]`` (either end may be open)."""
    lo, hi = tol.lo, tol.hi

    def check(res: RunResults) -> Check:
        v = metric(res)
        ok = not math.isnan(v) and (lo is None or v >= lo) and (hi is None or v <= hi)
        return Check(PASS if ok else FAIL, v, _fmt(kind, v))
    return check


# -- special metrics ------------------------------------------------------------------

def _fleet_sunk_share(res: RunResults) -> float:
    """Share of campaigns in which at least 90 % of the amphibious fleet is sunk."""
    return float((1.0 - _col(res, "amphibious_fleet_share_end") >= 0.90 - 1e-9).mean())


def _two_carriers_share(res: RunResults) -> float:
    """Share of campaigns in which the US loses two carriers or more (≥ 1.5, rounded)."""
    return float((_col(res, "usa_carriers_lost") >= 1.5).mean())


def _surface_combatants(res: RunResults) -> float:
    return float(np.median(_col(res, "usa_ships_lost") - _col(res, "usa_carriers_lost")))


def _ground_share(res: RunResults) -> float:
    ground = np.sum([_col(res, f"{a}_aircraft_lost_ground") for a in ("usa", "jpn", "twn")], 0)
    total = np.sum([_col(res, f"{a}_aircraft_lost") for a in ("usa", "jpn", "twn")], 0)
    some = total > 1e-9
    if not some.any():
        raise NotMeasured("no coalition aircraft lost in any lane: share on the ground undefined")
    return float(np.median(ground[some] / total[some]))


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


TAIPEI_DAYS = 70.0
"""CSIS: Taipei taken after about ten weeks in *Taiwan stands alone* (p.96-97)."""


def _check_victory_end_day(res: RunResults) -> Check:
    won = _col(res, "outcome") == OUTCOMES.index("prc_victory")
    if not won.any():
        return Check(FAIL, None, "no PRC victories", "no lane ended in PRC victory")
    day = float(np.median(_col(res, "end_day")[won]))
    tol = _rel(TAIPEI_DAYS, "day")
    ok = (tol.lo or 0.0) <= day <= (tol.hi or math.inf)
    return Check(PASS if ok else FAIL, day, _fmt("day", day))


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
    tol = _rel(0.16, "pct")
    ok = (tol.lo or 0.0) <= sunk <= (tol.hi or 1.0)
    return Check(PASS if ok else FAIL, sunk,
                 f"{_fmt('pct', sunk)} by day {(turn + 1) * days:g} "
                 f"(median of {afloat.size:,} trajectories)")


# -- sub-models ------------------------------------------------------------------------


def _param(scenario: Any, group: str, name: str) -> Any:
    try:
        return getattr(scenario.parameters, group)[name]
    except (KeyError, AttributeError, TypeError):
        raise NotMeasured(f"scenario has no parameter {group}.{name}") from None


def _param_mean(scenario: Any, group: str, name: str) -> float:
    return float(_param(scenario, group, name).mean())


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


# ------------------------------------------------------------------------------ directions


@dataclass(frozen=True)
class Paired:
    """Per-lane values of one metric in the baseline and in the excursion.

    Both runs must have the same seed and ``n`` (common random numbers): lane ``i`` of each
    drew from the same stream, so ``excursion - base`` is a paired difference.
    """

    base: np.ndarray
    excursion: np.ndarray
    seeds: tuple[int, int] = (0, 0)


def paired_interval(diff: np.ndarray, z: float = Z95) -> tuple[float, float, float]:
    """Mean of the lane-by-lane differences and its interval, mean ± ``z`` SE.

    >>> paired_interval(np.array([1.0, 2.0, 3.0]))[0]
    2.0
    """
    d = np.asarray(diff, dtype=float)
    d = d[~np.isnan(d)]
    if d.size == 0:
        raise NotMeasured("no lane to compare")
    mean = float(d.mean())
    se = float(d.std(ddof=1) / math.sqrt(d.size)) if d.size > 1 else math.inf
    return mean, mean - z * se, mean + z * se


def direction_verdict(expect: Expect, lo: float, hi: float) -> bool:
    """Whether a paired interval ``[lo, hi]`` of excursion − base meets ``expect``.

    ``"none"`` (the report found the lever barely mattered) is an equivalence test: the
    whole interval lies within ``±NO_EFFECT_MARGIN`` — "contains zero" would fail any real
    but small effect once thousands of paired campaigns shrink the interval.

    >>> direction_verdict("up", 0.1, 0.3), direction_verdict("up", -0.1, 0.3)
    (True, False)
    >>> direction_verdict("none", -0.01, 0.015), direction_verdict("none", -0.01, 0.05)
    (True, False)
    >>> direction_verdict("not down", 0.1, 0.3)
    True
    """
    if expect == "up":
        return lo > 0.0
    if expect == "down":
        return hi < 0.0
    if expect == "not up":
        return lo <= 0.0
    if expect == "not down":
        return hi >= 0.0
    return -NO_EFFECT_MARGIN <= lo and hi <= NO_EFFECT_MARGIN


def _direction_check(expect: Expect, kind: str) -> Callable[[Paired], Check]:
    def check(p: Paired) -> Check:
        if p.seeds[0] != p.seeds[1]:
            raise NotMeasured(f"base and excursion were played with different seeds "
                              f"{p.seeds}: no common random numbers")
        if len(p.base) != len(p.excursion):
            raise NotMeasured(f"base ({len(p.base)}) and excursion ({len(p.excursion)}) "
                              "have different n: lanes cannot be paired")
        mean, lo, hi = paired_interval(np.asarray(p.excursion, float) -
                                       np.asarray(p.base, float))
        ok = direction_verdict(expect, lo, hi)
        b, e = float(np.nanmean(p.base)), float(np.nanmean(p.excursion))
        f = "pct" if kind == "pct" else "num"
        sign = "+" if mean >= 0 else "−"
        scale = 100.0 if f == "pct" else 1.0
        unit = " pp" if f == "pct" else ""
        text = (f"Δ {sign}{abs(mean) * scale:,.2f}{unit} [{lo * scale:+,.2f}, "
                f"{hi * scale:+,.2f}] (base {_fmt(f, b)} → {_fmt(f, e)})")
        return Check(PASS if ok else FAIL, mean, text, "", (lo, hi))
    return check


def _lane(name: str) -> Callable[[RunResults], np.ndarray]:
    def lane(res: RunResults) -> np.ndarray:
        return _col(res, name)
    return lane


def _lane_per_day(name: str) -> Callable[[RunResults], np.ndarray]:
    """A campaign total divided by the campaign's length in days (an intensity, not
    confounded by how long the campaign lasted)."""
    def lane(res: RunResults) -> np.ndarray:
        per_day: np.ndarray = _col(res, name) / np.maximum(_col(res, "end_day"), 1.0)
        return per_day
    return lane


def _lane_outcome(*names: str) -> Callable[[RunResults], np.ndarray]:
    codes = [OUTCOMES.index(n) for n in names]

    def lane(res: RunResults) -> np.ndarray:
        return np.isin(_col(res, "outcome"), codes).astype(float)
    return lane


def _lane_parked(res: RunResults) -> np.ndarray:
    """US and Japanese aircraft destroyed at their bases (not with carriers)."""
    usa = _col(res, "usa_aircraft_lost_ground") - _col(res, "usa_aircraft_lost_on_carriers")
    return np.asarray(usa + _col(res, "jpn_aircraft_lost_ground"), dtype=float)


def _lane_usa_parked(res: RunResults) -> np.ndarray:
    """US aircraft destroyed at their bases (not with carriers)."""
    usa = _col(res, "usa_aircraft_lost_ground") - _col(res, "usa_aircraft_lost_on_carriers")
    return np.asarray(usa, dtype=float)


def _lane_fleet_gone_day(res: RunResults) -> np.ndarray:
    """Day the amphibious fleet fell below 10 %; one turn after the end if it never did."""
    turns = _col(res, "fleet_destroyed_turn")
    days = float(res.meta.get("turn_days", 3.5))
    return np.where(turns >= 0, (turns + 1) * days, _col(res, "end_day") + days)

# ------------------------------------------------------------------------------ targets


@dataclass(frozen=True)
class Target:
    """One published CSIS number (or direction) that strait should reproduce.

    ``check`` takes the scenario's :class:`RunResults` (``kind="campaign"``), its
    :class:`~strait.scenario.models.Scenario` (``kind="model"``) or a :class:`Paired`
    (``kind="direction"``: ``lane`` gives the per-lane metric, read in ``baseline`` and in
    ``scenario``) and returns a :class:`Check`; it may raise :class:`NotMeasured`.
    ``rule`` is the tolerance with its inputs and ``role`` whether a parameter was tuned on
    it. ``plot_column``, ``published_value``, ``lo`` and ``hi`` place the target on the
    losses plot.
    """

    id: str
    scenario: str
    metric: str
    published: str
    citation: str
    check: Callable[[Any], Check]
    rule: Tolerance
    role: Role
    kind: Literal["campaign", "model", "direction"] = "campaign"
    needs_trajectories: bool = False
    plot_column: str | None = None
    published_value: float | None = None
    lo: float | None = None
    hi: float | None = None
    baseline: str | None = None
    lane: Callable[[RunResults], np.ndarray] | None = field(default=None, repr=False)
    expect: Expect | None = None
    why: str = ""

    @property
    def tolerance(self) -> str:
        """The band, as the tables show it."""
        return self.rule.text

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # checks are closures: a target crosses process boundaries by its id
        return (target, (self.id,))


BASE, ALONE, RAGNAROK = "csis-base", "csis-taiwan-alone", "csis-ragnarok"

CALIBRATED_BY: dict[str, tuple[str, ...]] = {
    # parameter (as in docs/calibration.md) -> the targets it was tuned on
    "sorties.bomber_sortie_rate_per_day": ("base-lrasm-week-one",),
    "antiship.hits_to_kill_amphibious": ("base-amphibious-fleet-sunk", "base-chn-amphibious"),
    "antiship.pla_picket_share": ("base-chn-ships", "base-chn-amphibious",
                                  "base-amphibious-fleet-sunk"),
    "antiship.pla_ascm_turns": ("ragnarok-us-carriers",),
    "antiship.us_forward_surface_combatants": ("base-us-carriers",
                                               "base-us-surface-combatants"),
    "antiship.hits_to_kill_pla_combatant": ("base-chn-ships",),
    "subs.ssn_station_capacity": ("ragnarok-prc-victory", "dir-ragnarok-prc-victory"),
    "subs.ssn_escort_kills_per_boat_turn": ("base-chn-ships",),
    "subs.ssn_amphib_kills_per_boat_turn, subs.ssn_attrition_per_turn": ("model-ssn-patrol",),
    "strikes.apron_lethal_slots_per_missile": ("base-us-aircraft",
                                               "base-aircraft-lost-on-ground",
                                               "base-jpn-aircraft"),
    "strikes.taiwan_other_targets_weight": ("base-twn-aircraft",),
    "bases.honshu.parking_capacity, bases.kyushu.parking_capacity": ("base-jpn-aircraft",),
    "air.pla_sam_loss_per_sortie": ("base-chn-aircraft",),
    "sorties.pla_fighters_committed": ("ragnarok-prc-victory", "dir-ragnarok-prc-victory",
                                       "dir-japan-neutral-prc-victory"),
    "ground.twn_engaged_share_initial": ("ragnarok-prc-victory", "dir-ragnarok-prc-victory"),
    "ground.pla_interdiction_slowdown": ("ragnarok-prc-victory", "dir-ragnarok-prc-victory",
                                         "alone-taipei-falls"),
    "ground.air_support_bonus": ("ragnarok-prc-victory", "dir-ragnarok-prc-victory"),
    "ground.attrition_per_turn": ("base-pla-ashore",),
    "ground.facility_capture_rate": ("base-prc-victory", "base-defence-outcomes",
                                     "ragnarok-prc-victory", "dir-ragnarok-prc-victory"),
    "ground.advance_share_per_turn": ("alone-taipei-falls",),
    "lift.sustainment_per_bn_turn": ("base-pla-landed",),
    "lift.airborne_bn_per_turn": ("base-pla-landed", "base-pla-ashore"),
    "termination.unsupplied_turns_for_defeat": ("base-defence-outcomes",),
    "strikes.submunition_share": ("base-aircraft-lost-on-ground",
                                  "model-runway-closure-japan"),
    "strikes.missiles_per_runway_closure, strikes.repair_days_per_closure": (
        "model-runway-closure-japan",),
    "antiship.shore_missiles_per_launcher_turn": ("base-shore-asm-week-two",),
}
"""Each calibrated parameter (the rows of ``docs/calibration.md``) → the ids of the targets
it was tuned on (its "target that moved it" column). A target listed here is a
``calibration`` target; every other target is a ``validation`` target."""

CALIBRATION_IDS: frozenset[str] = frozenset(i for ids in CALIBRATED_BY.values() for i in ids)
"""Ids of every target some parameter was tuned on."""


def _role(id_: str) -> Role:
    return "calibration" if id_ in CALIBRATION_IDS else "validation"


def _t(id_: str, scenario: str, metric: str, published: str, citation: str,
       check: Callable[[Any], Check], rule: Tolerance, **kw: Any) -> Target:
    return Target(id_, scenario, metric, published, citation, check, rule, _role(id_), **kw)


def _t35(id_: str, scenario: str, metric: str, published: str, value: float, column: str,
         citation: str, kind: str = "num", plot: bool = True) -> Target:
    """A target: median of ``column`` within ±35 % of ``value`` (a judgement)."""
    tol = _rel(value, kind)
    return _t(id_, scenario, metric, published, citation, _within(_median(column), tol, kind),
              tol, plot_column=column if plot else None, published_value=value,
              lo=tol.lo, hi=tol.hi)


def _dir(id_: str, scenario: str, metric: str, lane: Callable[[RunResults], np.ndarray],
         expect: Expect, published: str, citation: str, why: str, kind: str = "num"
         ) -> Target:
    """A direction target: ``lane`` moves from csis-base to ``scenario`` as ``expect``."""
    return _t(id_, scenario, metric, published, citation, _direction_check(expect, kind),
              _paired_tol(expect), kind="direction", baseline=BASE, lane=lane, expect=expect,
              why=why)


_VICTORY = "P(PRC victory): share of campaigns ending in PRC victory"
_DERIVED = "no direction printed for this lever alone: derived from the assumption"

TARGETS: tuple[Target, ...] = (
    # ---------------------------------------------------------------- csis-base: outcome
    _t("base-prc-victory", BASE, "share of campaigns ending in PRC victory",
       "0 of 3 base runs", "[CSIS p.85]",
       _within(_outcome_share("prc_victory"), _cp(0, 3), "pct"), _cp(0, 3)),
    _t("base-defence-outcomes", BASE,
       "share ending in PRC defeat or stalemate leaning against the PRC",
       "3 of 3 (2 defeats, 1 stalemate against China)", "[CSIS p.85]",
       _within(_outcome_share("prc_defeat", "stalemate_defence"), _cp(3, 3), "pct"),
       _cp(3, 3)),
    _t("base-amphibious-fleet-sunk", BASE,
       "share of campaigns in which ≥ 90 % of the 96-ship amphibious fleet is sunk by the end",
       "≥ 90 % sunk in every base run (3 of 3)", "[CSIS p.85, p.88]",
       _within(_fleet_sunk_share, _cp(3, 3), "pct"), _cp(3, 3)),
    # ---------------------------------------------------------------- csis-base: losses
    _t("base-us-carriers", BASE,
       "share of campaigns in which the US loses two carriers or more (≥ 1.5, rounded)",
       "2 carriers in every base run (3 of 3)", "[CSIS p.88]",
       _within(_two_carriers_share, _cp(3, 3), "pct"), _cp(3, 3),
       plot_column="usa_carriers_lost", published_value=2.0),
    _t("base-us-surface-combatants", BASE,
       "median other US major surface combatants lost (usa_ships_lost − usa_carriers_lost)",
       "7–20 besides the carriers", "[CSIS p.88]",
       _within(_surface_combatants, _range(7.0, 20.0)), _range(7.0, 20.0),
       plot_column="usa_surface_combatants_lost", lo=7.0, hi=20.0),
    _t("base-us-aircraft", BASE, "median US aircraft lost (air + ground + carrier wings)",
       "270 average, 168–372 across the base runs", "[CSIS Tbl 4, p.87]",
       _within(_median("usa_aircraft_lost"), _range(168.0, 372.0, "int"), "int"),
       _range(168.0, 372.0, "int"),
       plot_column="usa_aircraft_lost", published_value=270.0, lo=168.0, hi=372.0),
    _t("base-aircraft-lost-on-ground", BASE,
       "median share of coalition (US+JPN+TWN) aircraft losses that are on the ground",
       "≈90 %", "[CSIS p.87, p.4, fn 124]",
       _within(_ground_share, _rel(0.90, "pct", cap=1.0), "pct"), _rel(0.90, "pct", cap=1.0)),
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
    _t35("base-twn-aircraft", BASE, "median Taiwanese aircraft lost",
         "about half its air force (≈237 of 474)", 237.0, "twn_aircraft_lost",
         "[CSIS p.88, p.123]", "int"),
    _t35("base-us-killed", BASE, "median US personnel killed", "≈3,200", 3200.0,
         "usa_killed", "[CSIS p.119-120]", "int"),
    # ---------------------------------------------------------------- csis-base: the end
    _t("base-end-day", BASE, "median day the campaign ends",
       "≈14 days (one run judged at D+21)", "[CSIS p.84-85, Tbl 3]",
       _within(_median("end_day"), _range(14.0, 21.0, "day"), "day"),
       _range(14.0, 21.0, "day", note="family average ≈14, one run judged at D+21")),
    _t35("base-pla-landed", BASE, "median PLA battalions landed", "37", 37.0, "pla_bn_landed",
         "[CSIS p.86, Tbl 3]"),
    _t35("base-pla-ashore", BASE, "median PLA battalions ashore at the end", "≈30 (≈30,000)",
         30.0, "pla_bn_ashore", "[CSIS p.86, Tbl 3]"),
    _t35("base-prc-share-of-taiwan", BASE, "median share of Taiwan held by the PLA at the end",
         "≈7 % (2,600 of 36,000 km²)", 0.07, "prc_share_of_taiwan", "[CSIS p.86, Tbl 3]",
         "pct", plot=False),
    # ---------------------------------------------------------------- csis-base: munitions
    _t("base-lrasm-week-one", BASE,
       "median day the LRASM stock runs out (never = +inf) and median LRASMs spent",
       "all ≈450 LRASMs fired in the first week", "[CSIS p.88, p.136]", _check_lrasm,
       _bound("day ≤ 7 and ≥ 405 spent", hi=7.0,
              note="day ≤ 7 as printed; ≥ 405 spent (0.9 × 450) is a judgement")),
    _t("base-shore-asm-week-two", BASE,
       "median day Taiwan's shore anti-ship missiles are spent or their launchers gone "
       "(never = +inf)", "spent or destroyed in week 2", "[CSIS p.111, p.97]",
       _check_shore_asm, _bound("day ≤ 14", hi=14.0)),
    # ---------------------------------------------------------------- csis-taiwan-alone
    _t("alone-prc-victory", ALONE, "share of campaigns ending in PRC victory",
       "PLA victory (1 of 1)", "[CSIS p.96]",
       _within(_outcome_share("prc_victory"), _cp(1, 1), "pct"), _cp(1, 1)),
    _t("alone-taipei-falls", ALONE, "median end day of the campaigns the PRC wins",
       "Taipei taken after ≈10 weeks (70 days)", "[CSIS p.96-97, Tbl 9]",
       _check_victory_end_day, _rel(TAIPEI_DAYS, "day")),
    _t("alone-shore-asm-first-10-days", ALONE,
       "median share of the 96 large amphibious ships sunk, all causes, by the end of "
       "turn 3 (day 10.5), from per-turn trajectories; in this scenario the only other "
       "cause is Taiwan's few diesel submarines; escorts are not measured (no per-turn "
       "escort trajectory)",
       "shore ASCMs sink 17 amphibs + 17 escorts (≈16 % of each) in the first 10 days",
       "[CSIS p.97-98]", _check_alone_shore_asm, _rel(0.16, "pct"),
       needs_trajectories=True),
    _t35("alone-pla-landed", ALONE, "median PLA battalions landed",
         "230 over ≈2.5 months", 230.0, "pla_bn_landed", "[CSIS p.97, Tbl 9]", "int",
         plot=False),
    # ---------------------------------------------------------------- csis-ragnarok
    _t("ragnarok-prc-victory", RAGNAROK, "share of campaigns ending in PRC victory",
       "PLA victory (1 of 1)", "[CSIS p.98-99]",
       _within(_outcome_share("prc_victory"), _cp(1, 1), "pct"), _cp(1, 1)),
    _t35("ragnarok-us-carriers", RAGNAROK, "median US carriers lost", "≈4", 4.0,
         "usa_carriers_lost", "[CSIS p.99]", plot=False),
    # ---------------------------------------------------------------- sub-models
    _t("model-ssn-patrol", BASE,
       "strait.models.patrol_kills / patrol_losses (what the engine's submarine phase "
       "plays) with the scenario's subs parameters: mean large amphibious ships sunk per "
       "SSN per turn and share of boats lost (4 boats, 100,000 normal draws, unlimited "
       "targets)",
       "≈2 large amphibs per SSN per 3.5-day turn at ≈20 % attrition",
       "[CSIS p.135, fn 311]", _check_ssn,
       Tolerance("relative", "±15 %: 1.7–2.3 at 17–23 %", lo=1.7, hi=2.3,
                 rel=SUBMODEL_TOLERANCE, around=2.0, judgement=True,
                 note="and 17–23 % attrition around 20 %"),
       kind="model"),
    _t("model-runway-closure-japan", BASE,
       "days the runways of Japanese bases hosting US fighters are closed, in campaigns "
       "where the PRC strikes Japan (median)", "≈12 days (11.7) for fighters",
       "[Stimson, Cratering Effects (Dec 2024)]", _check_runway, _rel(11.7, "num")),
    # ---------------------------------------------------------------- directions: families
    _dir("dir-taiwan-alone-prc-victory", ALONE, _VICTORY, _lane_outcome("prc_victory"), "up",
         "PLA victory (1 of 1) against 0 of 3 in the base", "[CSIS p.96, p.85]",
         "without US intervention China wins", "pct"),
    _dir("dir-ragnarok-prc-victory", RAGNAROK, _VICTORY, _lane_outcome("prc_victory"), "up",
         "PLA victory (1 of 1) against 0 of 3 in the base", "[CSIS p.98-99, p.85]",
         "Japan neutral and no maritime JASSM flip the outcome", "pct"),
    # ---------------------------------------------------------------- directions: excursions
    _dir("dir-amphib-falklands-landed", "csis-amphib-falklands",
         "PLA battalions landed (mean per campaign)", _lane("pla_bn_landed"), "down",
         "−30 % lift put ashore", "[CSIS Tbl 2, p.73-74, fn 202]",
         f"less offload, fewer battalions ashore ({_DERIVED})"),
    _dir("dir-civil-airports-parked-losses", "csis-civil-airports",
         "US+JPN aircraft destroyed at their bases (mean)", _lane_parked, "down",
         "large civil airports usable in Japan", "[CSIS Tbl 2; p.4-5, ch.7 recommendation]",
         "more ramps and runways spread the aircraft a salvo can reach; CSIS recommends "
         f"securing access to civil airports ({_DERIVED})"),
    _dir("dir-fewer-ssns-fleet-gone-day", "csis-fewer-ssns",
         "day the amphibious fleet falls below 10 % (one turn after the end if never; mean)",
         _lane_fleet_gone_day, "up", "8 fewer SSNs in the fight",
         "[CSIS Tbl 2; p.135]",
         "fewer boats in the strait sink the amphibious fleet more slowly (strait does not "
         f"output sinkings by cause, so this reads the fleet's life; {_DERIVED})"),
    _dir("dir-fewer-ssns-prc-defeat", "csis-fewer-ssns",
         "P(PRC defeat): share of campaigns ending in PRC defeat", _lane_outcome("prc_defeat"),
         "down", "8 fewer SSNs in the fight", "[CSIS Tbl 2; p.135]",
         f"SSNs are the coalition's surest amphib killers ({_DERIVED})", "pct"),
    _dir("dir-j20-degraded-pla-aircraft", "csis-j20-degraded", "PLA aircraft lost (mean)",
         _lane("chn_aircraft_lost"), "up", "J-20 fights as a 4.5-generation fighter",
         "[CSIS Tbl 2]", f"a weaker PLA fighter force loses more in the air ({_DERIVED})"),
    _dir("dir-j20-degraded-prc-victory", "csis-j20-degraded", _VICTORY,
         _lane_outcome("prc_victory"), "none",
         "relative air-to-air quality barely matters", "[CSIS p.95, p.87]",
         "the report found air-to-air quality barely changed outcomes, as aircraft died on "
         "the ground", "pct"),
    _dir("dir-japan-neutral-us-aircraft", "csis-japan-neutral", "US aircraft lost (mean)",
         _lane("usa_aircraft_lost"), "up",
         "US fighters must come from Andersen, which China cripples",
         "[CSIS p.116, p.126]", "without Japanese bases Andersen becomes the principal, "
         "repeatedly struck US base"),
    _dir("dir-japan-neutral-prc-victory", "csis-japan-neutral", _VICTORY,
         _lane_outcome("prc_victory"), "up", "Japan is the linchpin: without its bases the "
         "defence fails", "[CSIS p.3-4, p.116, p.98-99]",
         "US use of Japanese bases is one of the four necessary conditions", "pct"),
    _dir("dir-jsdf-dday-pla-ships", "csis-jsdf-dday", "PLA major ships lost (mean)",
         _lane("chn_ships_lost"), "up", "JSDF fights from D-Day", "[CSIS Tbl 2; p.113]",
         "Japanese submarines and aircraft hit amphibs and pickets from the first turn "
         f"({_DERIVED})"),
    _dir("dir-jsdf-defensive-fleet-gone-day", "csis-jsdf-defensive",
         "day the amphibious fleet falls below 10 % (one turn after the end if never; mean)",
         _lane_fleet_gone_day, "up", "JSDF limited to the defence of Japan",
         "[CSIS Tbl 2; p.58-59, p.113]",
         "no JSDF strikes on the fleet, JMSDF boats kept to the eastern approaches: the fleet "
         "lasts longer (PLA ships lost is pinned at the whole fleet wherever the US fights, "
         f"so it cannot show this) ({_DERIVED})"),
    _dir("dir-missile-holdout-parked-losses", "csis-missile-holdout",
         "US+JPN aircraft destroyed at their bases (mean)", _lane_parked, "down",
         "−25 % MRBMs and IRBMs", "[CSIS Tbl 2, p.65]",
         f"fewer missiles for the air bases ({_DERIVED})"),
    _dir("dir-mlr-on-taiwan-fleet-gone-day", "csis-mlr-on-taiwan",
         "day the amphibious fleet falls below 10 % (one turn after the end if never; mean)",
         _lane_fleet_gone_day, "down", "an MLR on Taiwan sinks ≈5 major amphibious ships",
         "[CSIS p.129-131]", "more shore missiles sink the amphibious fleet sooner"),
    _dir("dir-more-has-parked-losses", "csis-more-has",
         "US aircraft destroyed at their bases (mean; not with carriers)", _lane_usa_parked,
         "down", "+400 hardened shelters", "[CSIS Tbl 2; p.126-127, p.141]",
         "shelters force a unitary warhead per aircraft (p.82); CSIS recommends hardening"),
    _dir("dir-more-irbm-parked-losses", "csis-more-irbm",
         "US+JPN aircraft destroyed at their bases (mean)", _lane_parked, "up",
         "+50 % IRBMs and boost-glide missiles", "[CSIS Tbl 2, p.65]",
         f"more missiles for the air bases ({_DERIVED})"),
    _dir("dir-no-ground-harpoons-fleet-gone-day", "csis-no-ground-harpoons",
         "day the amphibious fleet falls below 10 % (one turn after the end if never; mean)",
         _lane_fleet_gone_day, "up", "no ground-launched Harpoons",
         "[CSIS Tbl 2; p.47, p.125]",
         "200 Harpoons ≈ the naval effect of an MLR (p.125): fewer shore missiles, the fleet "
         "lives longer"),
    _dir("dir-no-mainland-strikes-landed", "csis-no-mainland-strikes",
         "PLA battalions landed (mean)", _lane("pla_bn_landed"), "up",
         "no US strikes on PLA air bases and ports", "[CSIS Tbl 2; p.88]",
         f"embarkation ports are not struck ({_DERIVED})"),
    _dir("dir-no-mainland-strikes-prc-victory", "csis-no-mainland-strikes", _VICTORY,
         _lane_outcome("prc_victory"), "not down", "coalition does no better without them",
         "[CSIS p.88, p.4-5]",
         "US players seldom struck the mainland even when allowed; CSIS advises not to plan "
         "on it", "pct"),
    _dir("dir-no-maritime-jassm-pla-ships", "csis-no-maritime-jassm",
         "PLA major ships lost (mean)", _lane("chn_ships_lost"), "down",
         "only ≈450 LRASMs as air-launched long-range anti-ship missiles",
         "[CSIS Tbl 2, p.78]", "fewer anti-ship missiles sink fewer ships"),
    _dir("dir-no-maritime-jassm-prc-victory", "csis-no-maritime-jassm", _VICTORY,
         _lane_outcome("prc_victory"), "up",
         "enough air-launched anti-ship missiles is a necessary condition",
         "[CSIS p.3-4, p.78]", "the fourth of the report's four necessary conditions",
         "pct"),
    _dir("dir-no-show-of-force-carriers", "csis-no-show-of-force", "US carriers lost (mean)",
         _lane("usa_carriers_lost"), "down", "the second CSG stays beyond the second island "
         "chain", "[CSIS p.88, p.93, p.132]",
         "carrier losses were partly an artefact of the forward crisis deployment"),
    _dir("dir-philippine-basing-pla-aircraft", "csis-philippine-basing",
         "PLA aircraft lost per campaign day (mean)", _lane_per_day("chn_aircraft_lost"), "up",
         "US basing in the Philippines", "[CSIS Tbl 2; p.61-62]",
         "US fighters fly from Luzon, far closer than Guam, so the air battle is fought harder "
         "(per day: the campaign itself ends sooner with the extra US air power, which lowers "
         f"totals) ({_DERIVED})"),
    _dir("dir-poor-ship-defences-pla-ships", "csis-poor-ship-defences",
         "PLA major ships lost (mean)", _lane("chn_ships_lost"), "up",
         "25 % of anti-ship missiles hit (both sides)", "[CSIS p.81]",
         f"each coalition anti-ship missile is 3-4 times likelier to hit ({_DERIVED})"),
    _dir("dir-taiwan-paralysed-share", "csis-taiwan-paralysed",
         "share of Taiwan held by the PLA at the end (mean)", _lane("prc_share_of_taiwan"),
         "up", "Taiwanese forces outside the invaded zone frozen one turn",
         "[CSIS Tbl 2; p.3-4]", f"a slower defence yields ground ({_DERIVED})", "pct"),
    _dir("dir-taiwan-weak-ground-share", "csis-taiwan-weak-ground",
         "share of Taiwan held by the PLA at the end (mean)", _lane("prc_share_of_taiwan"),
         "up", "Taiwanese active units at 75 %, reserves at 38 %",
         "[CSIS Tbl 2; p.4-5]", f"weaker defenders yield ground ({_DERIVED})", "pct"),
    _dir("dir-us-air-superiority-pla-aircraft", "csis-us-air-superiority",
         "PLA aircraft lost (mean)", _lane("chn_aircraft_lost"), "up",
         "US air-to-air lethality +30 %", "[CSIS Tbl 2; App A #23]",
         f"more lethal US fighters shoot down more ({_DERIVED})"),
    _dir("dir-us-air-superiority-prc-victory", "csis-us-air-superiority", _VICTORY,
         _lane_outcome("prc_victory"), "none",
         "relative air-to-air quality barely matters", "[CSIS p.95, p.87]",
         "the report found air-to-air quality barely changed outcomes, as aircraft died on "
         "the ground", "pct"),
    _dir("dir-us-bombers-delayed-landed", "csis-us-bombers-delayed",
         "PLA battalions landed (mean)", _lane("pla_bn_landed"), "up",
         "no US bomber strikes on turn 1", "[CSIS Tbl 2; p.56]",
         f"the fleet is spared the first bomber salvo ({_DERIVED})"),
    _dir("dir-us-delayed-entry-landed", "csis-us-delayed-entry",
         "PLA battalions landed (mean)", _lane("pla_bn_landed"), "up",
         "US combat starts late", "[CSIS Tbl 2; p.3-4]",
         "the fleet unloads unopposed until the US enters"),
    _dir("dir-us-delayed-entry-prc-victory", "csis-us-delayed-entry", _VICTORY,
         _lane_outcome("prc_victory"), "up", "no 'Ukraine model': the US must enter within "
         "days", "[CSIS p.3-4]", "prompt US entry is one of the four necessary conditions",
         "pct"),
    _dir("dir-us-distracted-landed", "csis-us-distracted", "PLA battalions landed (mean)",
         _lane("pla_bn_landed"), "up", "US forces held for another crisis, no pre-war moves",
         "[CSIS Tbl 2; p.69]", f"less US firepower against the fleet ({_DERIVED})"),
)
"""Every target, in report order."""

DROPPED: tuple[tuple[str, str], ...] = (
    ("model-p-hit-params",
     "echoed an input: it checked that antiship.p_hit_subsonic / p_hit_supersonic equal the "
     "5.6 % / 7.4 % averages of CSIS p.81, which is where their values come from"),
    ("model-interception-chain",
     "not about strait: it composed CSIS's printed interception factors "
     "(strait.models.csis_hit_probability) and compared them with CSIS's own averages "
     "(3.99 % / 5.68 % against 5.6 % / 7.4 %); the engine does not play that function, it "
     "plays the averages. The mismatch is a finding about the report, kept in the function's "
     "docstring and its unit tests"),
    ("base-twn-ships",
     "echoed an input: the opening strike removes a fixed share of Taiwan's 26 ships "
     "(strikes.taiwan_navy_opening_loss 0.7, from CSIS p.46-47), 18.2 ships, which already "
     "clears the band (≥ 16.9); the check could not fail"),
    ("base-japan-struck",
     "echoed an input: the PRC's hazard of striking Japan (doctrine.prc.strike_ally_first_turn "
     "0.30 and strike_ally_per_turn 0.25 at ACCESS_COMBAT) was set from the same chart-read "
     "CSIS Fig 10 (≈18 of ≈23 runs), so the share struck is those two numbers read back "
     "through the campaign length (1 − 0.7 × 0.75⁴ ≈ 78 %)"),
)
"""Targets no longer checked, with the reason (shown in ``docs/validation.md``)."""

_BY_ID = {t.id: t for t in TARGETS}
if len(_BY_ID) != len(TARGETS):  # pragma: no cover - a typo in the table above
    raise RuntimeError("validation targets: duplicate target id")
if not CALIBRATION_IDS <= set(_BY_ID):  # pragma: no cover - a typo in CALIBRATED_BY
    raise RuntimeError("CALIBRATED_BY names unknown targets: "
                       f"{sorted(CALIBRATION_IDS - set(_BY_ID))}")


def target(target_id: str) -> Target:
    """The target with this id.

    >>> target("alone-prc-victory").tolerance
    '1 of 1 games → 95 % CP 2.5 %–100.0 %'
    """
    try:
        return _BY_ID[target_id]
    except KeyError:
        raise KeyError(f"unknown validation target '{target_id}'; known: "
                       f"{', '.join(_BY_ID)}") from None
