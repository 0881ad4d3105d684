"""Role sweep: what each rung of an ally's ladder does to the campaign, with paired tests.

For each ally and each of its 7 levels, :func:`role_sweep` plays ``n`` campaigns with that
ally forced to that level and every other ally at its scenario role, all with the same
seed. Built only on the public API (:func:`strait.run` with ``roles=`` and ``changes=``):

* **Common random numbers.** The other allies' starting levels are drawn once, from a
  baseline run of the scenario with the same seed (its ``*_role_start`` columns), and
  forced in every cell, so they are identical lane by lane across cells; forcing roles
  leaves every other random number of a lane unchanged, so lane ``i`` of two cells
  differs only by the swept ally's level.
* **Per cell:** P(PRC victory) and P(PRC defeat) with Wilson 95 % intervals
  (``RunResults.summary()``); for US aircraft lost, US ships lost and PRC ships lost the
  median with a distribution-free 95 % interval (binomial order statistics) and the
  mean with a 95 % normal-approximation interval (mean ± 1.96 s/√n).
* **Per adjacent pair of rungs** (lower → upper): the *paired* difference, lane by lane,
  of the PRC-victory and PRC-defeat indicators (upper minus lower): mean ± 1.96 × the
  standard error of the per-lane differences. Flags (:func:`flag_step`):
  ``identical`` when the two cells' tables are bit-identical (all columns except the
  swept ally's own ``*_role_start`` and ``*_role_end``, which only record the forced
  level), ``inverted`` when the upper rung is worse for the coalition — a higher
  P(PRC victory) with the paired interval above zero — else ``ok``. A flagged step can
  be *explained* by a note (``explained``), which is shown instead of the flag.
* **Held strikes** (``strike_decision="held"``): the PRC's decision to strike an ally is
  made independent of its rung (:func:`held_strike_changes`), so the sweep measures what
  a rung adds to the fight with the strike response held fixed.

Example:
    >>> from strait.analysis.roles import role_sweep
    >>> sweep = role_sweep("csis-base", n=2000, allies=["JPN"], workers=1)  # doctest: +SKIP
    >>> [s.flag for s in sweep.steps["JPN"]]  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from strait.errors import EngineError, ScenarioError
from strait.scenario.models import ALLIES, Actor, RoleLevel

Z95 = 1.959964
"""Two-sided 95 % normal quantile."""

LOSSES: tuple[str, ...] = ("usa_aircraft_lost", "usa_ships_lost", "chn_ships_lost")
"""Loss columns reported per cell."""

StrikeDecision = Literal["as_scenario", "held"]
STRIKE_DECISIONS: tuple[str, ...] = ("as_scenario", "held")

FLAG_OK = "ok"
FLAG_IDENTICAL = "identical"
FLAG_INVERTED = "inverted"

HELD_LEVEL = RoleLevel.ACCESS_COMBAT
"""The rung whose strike odds every rung gets under ``strike_decision="held"``."""

HELD_ASSUMPTION = "held equal across rungs for the role sweep"

_STRIKE_TABLES = ("strike_ally_first_turn", "strike_ally_per_turn")
HELD_DEFAULT_ODDS = {"strike_ally_first_turn": 0.30, "strike_ally_per_turn": 0.25}
"""Odds held for every rung when the scenario decides strikes by value and lists no table:
CSIS Fig 10 (p.113, chart-read) for Japan with US bases open for combat."""


# ------------------------------------------------------------------------ statistics


@dataclass(frozen=True)
class PairedDiff:
    """Mean of per-lane differences (upper rung minus lower rung) with a 95 % interval."""

    mean: float
    se: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "se": self.se, "low": self.low, "high": self.high}


def paired_difference(lower: np.ndarray, upper: np.ndarray, z: float = Z95) -> PairedDiff:
    """Paired difference ``upper - lower`` lane by lane: mean ± z × s/√n of the differences.

    >>> d = paired_difference(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]))
    >>> d.mean, round(d.se, 4)
    (0.25, 0.25)
    """
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    if lo.shape != hi.shape or lo.ndim != 1 or lo.size == 0:
        raise EngineError(f"paired difference: expected two equal-length 1-d arrays, found "
                          f"shapes {lo.shape} and {hi.shape}")
    d = hi - lo
    n = d.size
    mean = float(d.mean())
    se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    return PairedDiff(mean=mean, se=se, low=mean - z * se, high=mean + z * se)


@dataclass(frozen=True)
class LossStat:
    """A loss column in one cell: median (order-statistic 95 % interval) and mean (normal)."""

    median: float
    median_low: float
    median_high: float
    mean: float
    mean_low: float
    mean_high: float

    def to_dict(self) -> dict[str, float]:
        return {"median": self.median, "median_low": self.median_low,
                "median_high": self.median_high, "mean": self.mean,
                "mean_low": self.mean_low, "mean_high": self.mean_high}


def loss_stat(x: np.ndarray, z: float = Z95) -> LossStat:
    """Median with a distribution-free 95 % interval (the order statistics at ranks
    n/2 ± z√n/2) and mean with a normal-approximation 95 % interval (± z s/√n).

    >>> s = loss_stat(np.arange(101.0))
    >>> s.median, s.mean, s.median_low < 50 < s.median_high
    (50.0, 50.0, True)
    """
    v = np.sort(np.asarray(x, dtype=float))
    n = v.size
    if n == 0:
        return LossStat(*(math.nan,) * 6)
    half = z * math.sqrt(n) / 2
    j = max(math.floor(n / 2 - half), 0)
    k = min(math.ceil(n / 2 + half), n - 1)
    mean = float(v.mean())
    hw = z * float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    return LossStat(median=float(np.median(v)), median_low=float(v[j]), median_high=float(v[k]),
                    mean=mean, mean_low=mean - hw, mean_high=mean + hw)


def tables_identical(a: pd.DataFrame, b: pd.DataFrame, ignore: Iterable[str] = ()) -> bool:
    """Whether two result tables are bit-identical, column by column (``ignore`` left out)."""
    skip = set(ignore)
    ca = [c for c in a.columns if c not in skip]
    cb = [c for c in b.columns if c not in skip]
    if ca != cb or len(a) != len(b):
        return False
    for c in ca:
        x, y = a[c].to_numpy(), b[c].to_numpy()
        if x.dtype != y.dtype or x.tobytes() != y.tobytes():
            return False
    return True


def flag_step(victory: PairedDiff, identical: bool) -> str:
    """``identical`` if the two cells are bit-identical; ``inverted`` if the upper rung
    gives the PRC a higher chance of victory with the paired interval above zero; else
    ``ok``.

    >>> flag_step(PairedDiff(0.02, 0.005, 0.01, 0.03), identical=False)
    'inverted'
    >>> flag_step(PairedDiff(-0.02, 0.005, -0.03, -0.01), identical=False)
    'ok'
    """
    if identical:
        return FLAG_IDENTICAL
    if victory.low > 0:
        return FLAG_INVERTED
    return FLAG_OK


# ------------------------------------------------------------------------ cells, steps


def _outcome_codes() -> tuple[int, int]:
    from strait.engine import OUTCOMES

    return OUTCOMES.index("prc_victory"), OUTCOMES.index("prc_defeat")


@dataclass
class Cell:
    """One ally forced to one level: ``n`` campaigns."""

    ally: str
    level: int
    n: int
    p_victory: float
    victory_interval: tuple[float, float]
    p_defeat: float
    defeat_interval: tuple[float, float]
    losses: dict[str, LossStat]
    table: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def level_name(self) -> str:
        return RoleLevel(self.level).name

    def to_dict(self) -> dict[str, Any]:
        return {"ally": self.ally, "level": self.level, "level_name": self.level_name,
                "n": self.n, "p_prc_victory": self.p_victory,
                "prc_victory_interval": list(self.victory_interval),
                "p_prc_defeat": self.p_defeat, "prc_defeat_interval": list(self.defeat_interval),
                "losses": {k: v.to_dict() for k, v in self.losses.items()}}


def cell_from_table(ally: str, level: int, table: pd.DataFrame, keep_table: bool = False) -> Cell:
    """A cell's statistics from its results table (Wilson intervals on the outcomes)."""
    from strait.results import wilson_interval

    vic, dft = _outcome_codes()
    out = table["outcome"].to_numpy()
    n = int(out.size)
    k_v, k_d = int((out == vic).sum()), int((out == dft).sum())
    losses = {c: loss_stat(table[c].to_numpy()) for c in LOSSES if c in table}
    return Cell(ally=ally, level=int(level), n=n, p_victory=k_v / n,
                victory_interval=wilson_interval(k_v, n), p_defeat=k_d / n,
                defeat_interval=wilson_interval(k_d, n), losses=losses,
                table=table if keep_table else None)


@dataclass(frozen=True)
class Step:
    """The step from ``lower`` to ``upper`` (= lower + 1) of one ally's ladder."""

    ally: str
    lower: int
    upper: int
    identical: bool
    victory: PairedDiff
    defeat: PairedDiff
    flag: str
    note: str | None = None

    @property
    def flagged(self) -> bool:
        return self.flag != FLAG_OK

    @property
    def explained(self) -> bool:
        """A flagged step that carries a note saying why."""
        return self.flagged and self.note is not None

    @property
    def unexplained(self) -> bool:
        return self.flagged and self.note is None

    @property
    def label(self) -> str:
        return f"{self.ally} {self.lower}→{self.upper}"

    def to_dict(self) -> dict[str, Any]:
        return {"ally": self.ally, "lower": self.lower, "upper": self.upper,
                "lower_name": RoleLevel(self.lower).name,
                "upper_name": RoleLevel(self.upper).name, "flag": self.flag,
                "identical": self.identical, "note": self.note,
                "explained": self.explained,
                "paired_diff_prc_victory": self.victory.to_dict(),
                "paired_diff_prc_defeat": self.defeat.to_dict()}


def label_columns(ally: str) -> tuple[str, str]:
    """The columns that only record the swept ally's forced level (left out of
    ``identical``)."""
    a = ally.lower()
    return (f"{a}_role_start", f"{a}_role_end")


def compare_cells(ally: str, lower: int, upper: int, lower_table: pd.DataFrame,
                  upper_table: pd.DataFrame, note: str | None = None) -> Step:
    """The paired comparison of two cells of the same seed (lane ``i`` against lane ``i``)."""
    if len(lower_table) != len(upper_table):
        raise EngineError(f"compare: cells of {ally} have {len(lower_table)} and "
                          f"{len(upper_table)} campaigns; a paired comparison needs the same n")
    vic, dft = _outcome_codes()
    lo, hi = lower_table["outcome"].to_numpy(), upper_table["outcome"].to_numpy()
    victory = paired_difference(lo == vic, hi == vic)
    defeat = paired_difference(lo == dft, hi == dft)
    same = tables_identical(lower_table, upper_table, ignore=label_columns(ally))
    return Step(ally=ally, lower=int(lower), upper=int(upper), identical=same, victory=victory,
                defeat=defeat, flag=flag_step(victory, same), note=note)


# ----------------------------------------------------------------------- held strikes


def held_strike_changes(scenario: Any) -> dict[str, Any]:
    """``changes=`` that make the PRC's strike odds the same for every rung.

    For each of ``doctrine.prc.strike_ally_first_turn`` and ``strike_ally_per_turn``, every
    level 0-6 gets the table's value at ACCESS_COMBAT — the rung the CSIS calibration
    anchors (Japan in the base case, Fig 10 p.113) — or, if the table has no
    ACCESS_COMBAT entry, its largest entry (by mean). An empty table (no ally ever struck)
    is already equal across rungs and is left alone. The odds are per level, shared by
    every ally, so the other allies (fixed across cells) keep equal odds across cells too
    — but a rung the scenario never strikes (NEUTRAL, DIPLOMATIC) is now struck like
    ACCESS_COMBAT, which changes the baseline as well as the steps.

    This is the one place that decides how strikes are held: if the doctrine grows an
    explicit switch (or strikes come to depend on the ally's contribution), adapt here.

    Each table is replaced whole (an overlay may only write keys that exist, and the
    table of a scenario lists only the rungs it strikes).

    >>> import strait
    >>> ch = held_strike_changes(strait.load_scenario("csis-base"))
    >>> ch["doctrine.prc.strike_decision"]  # csis-base decides by value
    'by_rung'
    >>> table = ch["doctrine.prc.strike_ally_first_turn"]
    >>> len({v["value"] for v in table.values()}), "NEUTRAL" in table  # every rung, one value
    (1, True)
    """
    prc = scenario.doctrine.prc
    out: dict[str, Any] = {}
    by_value = getattr(prc, "strike_decision", "by_rung") == "by_value"
    if by_value:  # decide by rung for the sweep (every rung the same odds)
        out["doctrine.prc.strike_decision"] = "by_rung"
    for key in _STRIKE_TABLES:
        table = getattr(prc, key)
        if not table and not by_value:
            continue
        p = table.get(HELD_LEVEL) if table else None
        if p is None and table:
            p = max(table.values(), key=lambda q: q.mean())
        value = ({"value": HELD_DEFAULT_ODDS[key]} if p is None
                 else p.model_dump(by_alias=True, exclude_none=True))
        for k in ("source", "at", "assumption", "note"):
            value.pop(k, None)
        value["assumption"] = HELD_ASSUMPTION
        out[f"doctrine.prc.{key}"] = {lv.name: dict(value) for lv in RoleLevel}
    return out


# ---------------------------------------------------------------------------- sweep


@dataclass
class RoleSweep:
    """Every cell (ally × level) and every adjacent step of a role sweep."""

    scenario: str
    n: int
    seed: int
    strike_decision: str
    changes: dict[str, Any]
    allies: tuple[str, ...]
    baseline_roles: dict[str, list[float]]  # ally -> share of lanes starting at each level
    cells: dict[str, list[Cell]]
    steps: dict[str, list[Step]]
    elapsed_s: float = 0.0

    def flagged(self) -> list[Step]:
        return [s for a in self.allies for s in self.steps[a] if s.flagged]

    def unexplained(self) -> list[Step]:
        return [s for s in self.flagged() if s.unexplained]

    def to_dict(self) -> dict[str, Any]:
        from strait import __version__

        return {"scenario": self.scenario, "n": self.n, "seed": self.seed,
                "strike_decision": self.strike_decision, "changes": self.changes,
                "allies": list(self.allies), "baseline_roles": self.baseline_roles,
                "methods": {
                    "probabilities": "Wilson score 95 % interval",
                    "loss_median": "distribution-free 95 % interval (order statistics)",
                    "loss_mean": "normal approximation 95 % interval (mean ± 1.96 s/√n)",
                    "paired_difference": "upper rung minus lower rung, lane by lane (same "
                                         "seed); mean ± 1.96 × standard error of the "
                                         "per-lane differences",
                    "identical": "bit-identical tables, the swept ally's *_role_start and "
                                 "*_role_end left out",
                    "inverted": "upper rung has higher P(PRC victory), paired interval above "
                                "zero"},
                "cells": {a: [c.to_dict() for c in self.cells[a]] for a in self.allies},
                "steps": {a: [s.to_dict() for s in self.steps[a]] for a in self.allies},
                "flagged": [s.label for s in self.flagged()],
                "unexplained": [s.label for s in self.unexplained()],
                "elapsed_s": self.elapsed_s, "strait_version": __version__}

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """The sweep as JSON text; also written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def parse_allies(allies: Iterable[Actor | str]) -> tuple[Actor, ...]:
    """Ally codes (any case) as Actors, in the order given, without repeats."""
    out: list[Actor] = []
    codes = ", ".join(a.value for a in ALLIES)
    for a in allies:
        code = a.value if isinstance(a, Actor) else str(a).strip().upper()
        actor = next((x for x in ALLIES if x.value == code), None)
        if actor is None:
            raise ScenarioError(f"allies: unknown ally '{a}'; allies are {codes}")
        if actor not in out:
            out.append(actor)
    if not out:
        raise ScenarioError(f"allies: expected at least one ally ({codes}), found none")
    return tuple(out)


def ladder_notes(scenario: Any) -> dict[tuple[str, int], str]:
    """``{(ally, level): note}`` for every rung whose ladder data says it deliberately adds
    nothing to the rung below (``same_as_below``)."""
    out: dict[tuple[str, int], str] = {}
    for ally, cfg in scenario.allies.items():
        for lv, step in cfg.ladder.items():
            if step.same_as_below:
                out[(ally.value, int(lv))] = step.same_as_below
    return out


def _explained_notes(explained: Mapping[tuple[Any, Any], str] | None
                     ) -> dict[tuple[str, int], str]:
    notes: dict[tuple[str, int], str] = {}
    for (ally, level), note in (explained or {}).items():
        a = parse_allies([ally])[0].value
        lv = RoleLevel[level.strip().upper()] if isinstance(level, str) else RoleLevel(level)
        notes[(a, int(lv))] = str(note)
    return notes


def baseline_roles(scenario: str | os.PathLike[str], n: int, seed: int, *,
                   workers: int | None = None,
                   changes: Mapping[str, Any] | None = None) -> np.ndarray:
    """Every lane's starting levels (JPN, AUS, PHL, KOR) in a plain run with this seed."""
    import strait

    res = strait.run(scenario, n=n, seed=seed, workers=workers, changes=changes or None)
    cols = [f"{a.value.lower()}_role_start" for a in ALLIES]
    return res.table[cols].to_numpy(dtype=np.int64)


def forced_roles(base: np.ndarray, ally: Actor | str, level: int) -> np.ndarray:
    """``base`` with the ``ally`` column set to ``level`` (a new array)."""
    a = parse_allies([ally])[0]
    out = np.array(base, dtype=np.int64, copy=True)
    out[:, ALLIES.index(a)] = int(level)
    return out


def role_sweep(
    scenario: str | os.PathLike[str] = "csis-base",
    n: int = 10_000,
    seed: int = 0,
    allies: Iterable[Actor | str] = ALLIES,
    workers: int | None = None,
    strike_decision: StrikeDecision = "as_scenario",
    explained: Mapping[tuple[Any, Any], str] | None = None,
    *,
    keep_tables: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RoleSweep:
    """Play every level of every ally in ``allies`` with common random numbers.

    Args:
        scenario: bundled name or YAML path.
        n: campaigns per cell (and in the baseline run that fixes the other allies).
        seed: root seed, shared by every cell.
        allies: the allies to sweep (codes or Actors).
        workers: processes per run (``None`` = every core).
        strike_decision: ``"as_scenario"`` (the PRC's strike odds depend on the rung as
            the scenario says) or ``"held"`` (:func:`held_strike_changes`).
        explained: notes for steps that are flagged on purpose, keyed by
            ``(ally, upper level)`` — the step *into* that level — e.g.
            ``{("PHL", 1): "diplomatic support adds nothing to the fight"}``.
        keep_tables: keep each cell's results table on the cell (memory: n rows each).
        progress: callback ``(cells_done, cells_total)``.
    """
    import strait

    t0 = time.perf_counter()
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n <= 0:
        raise EngineError(f"n: expected a number of campaigns > 0, found {n!r}; use e.g. "
                          "n=10000")
    if strike_decision not in STRIKE_DECISIONS:
        raise EngineError(f"strike_decision: expected one of {', '.join(STRIKE_DECISIONS)}, "
                          f"found {strike_decision!r}")
    swept = parse_allies(allies)
    loaded = strait.load_scenario(scenario)
    # the ladder's own sourced notes first (a rung that deliberately adds nothing), then
    # any the caller gives
    notes = {**ladder_notes(loaded), **_explained_notes(explained)}
    changes: dict[str, Any] = (held_strike_changes(loaded) if strike_decision == "held"
                               else {})
    base = baseline_roles(scenario, n, seed, workers=workers, changes=changes)
    shares = {a.value: (np.bincount(base[:, ALLIES.index(a)], minlength=len(RoleLevel))
                        / n).tolist() for a in ALLIES}
    total = len(swept) * len(RoleLevel)
    done = 0
    cells: dict[str, list[Cell]] = {}
    steps: dict[str, list[Step]] = {}
    for ally in swept:
        a = ally.value
        cells[a], steps[a] = [], []
        prev: pd.DataFrame | None = None
        for lv in RoleLevel:
            res = strait.run(scenario, n=n, seed=seed, workers=workers,
                             changes=changes or None, roles=forced_roles(base, ally, int(lv)))
            cells[a].append(cell_from_table(a, int(lv), res.table, keep_table=keep_tables))
            if prev is not None:
                steps[a].append(compare_cells(a, int(lv) - 1, int(lv), prev, res.table,
                                              note=notes.get((a, int(lv)))))
            prev = res.table
            done += 1
            if progress is not None:
                progress(done, total)
    return RoleSweep(scenario=loaded.name, n=int(n), seed=int(seed),
                     strike_decision=strike_decision, changes=changes,
                     allies=tuple(a.value for a in swept), baseline_roles=shares, cells=cells,
                     steps=steps, elapsed_s=time.perf_counter() - t0)


__all__ = ["FLAG_IDENTICAL", "FLAG_INVERTED", "FLAG_OK", "HELD_LEVEL", "LOSSES", "Cell",
           "LossStat", "PairedDiff", "RoleSweep", "Step", "baseline_roles", "cell_from_table",
           "compare_cells", "flag_step", "forced_roles", "held_strike_changes", "loss_stat",
           "paired_difference", "parse_allies", "role_sweep", "tables_identical"]
