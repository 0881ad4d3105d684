"""Studies: a design of cells played with common random numbers into a study store.

A :class:`Study` is a scenario, a list of cells, ``n`` campaigns per cell and one root
seed. Cell 0 is the **reference**: the scenario's own roles (role sweeps) or the first
parameter value (parameter sweeps). :func:`run_study` plays the cells with
:func:`strait.run` only (the public API) and stores each one as it finishes
(:class:`strait.experiments.store.StudyStore`, one transaction per cell).

* **Common random numbers.** Every cell uses the same seed, so lane ``i`` of every cell
  draws the same numbers. In a role sweep the starting levels of the allies that are not
  swept are taken once, lane by lane, from the reference run (the scenario as it is,
  same seed) and forced in every cell, as :mod:`strait.analysis.roles` does; the swept
  allies are forced to the cell's levels. Lane ``i`` of two cells therefore differs only
  by what the cells set.
* **Paired differences.** Each cell's P(PRC victory), P(PRC defeat) and key losses are
  compared with the reference cell lane by lane: mean of (cell − reference) ± 1.96 ×
  the standard error of the per-lane differences
  (:func:`strait.analysis.roles.paired_difference`). Because the noise is shared, these
  intervals are much narrower than the difference of two independent Wilson intervals.
* **Resume.** A study is identified by its design (scenario and its hash, seed, n, cells,
  what it keeps, strait version). ``resume=True`` finds the newest stored study with the
  same design and plays only the cells it lacks; since every cell is a pure function of
  the design, a resumed study ends equal to an uninterrupted one. The reference run is
  replayed (not stored twice) when a missing cell needs it.

Example:
    >>> from strait.experiments.study import role_sweep_design
    >>> d = role_sweep_design("csis-base", allies=("JPN", "AUS"), levels=[0, 6], n=500, seed=1)
    >>> [c.label for c in d.cells]
    ['scenario roles', 'JPN 0, AUS 0', 'JPN 0, AUS 6', 'JPN 6, AUS 0', 'JPN 6, AUS 6']
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from strait.errors import ScenarioError, StudyError
from strait.experiments.executors import Executor, make_executor
from strait.experiments.store import (
    DIFF_METRICS,
    KEY_LOSSES,
    OUTCOME_NAMES,
    STATUS_DONE,
    STATUS_FAILED,
    STATUS_RUNNING,
    StudyStore,
    design_key,
    now,
)
from strait.results import RunResults

ROLE_COLUMNS: tuple[str, ...] = ("jpn_role_start", "aus_role_start", "phl_role_start",
                                 "kor_role_start")
"""The ``roles=`` columns of :func:`strait.run`, in order (JPN, AUS, PHL, KOR)."""

REFERENCE_LABEL = "scenario roles"

KIND_ROLES = "roles"
KIND_PARAM = "param"


@dataclass(frozen=True)
class CellSpec:
    """One cell: the swept allies' forced levels (``{}`` = scenario roles) and ``changes``."""

    label: str
    levels: dict[str, int] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "levels": dict(self.levels),
                "changes": dict(self.changes)}


@dataclass(frozen=True)
class Study:
    """A study design. ``cells[0]`` is the reference cell."""

    scenario: str
    cells: tuple[CellSpec, ...]
    n: int
    seed: int
    kind: str = KIND_ROLES
    allies: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    param: str | None = None
    values: tuple[Any, ...] = ()
    name: str | None = None
    keep_lanes: bool = False
    keep_inputs: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The design as JSON-able data (what the design key hashes, with the versions)."""
        return {"kind": self.kind, "scenario": self.scenario, "n": int(self.n),
                "seed": int(self.seed), "allies": list(self.allies),
                "levels": list(self.levels), "param": self.param, "values": list(self.values),
                "keep_lanes": self.keep_lanes, "keep_inputs": self.keep_inputs,
                "reference": 0, "cells": [c.to_dict() for c in self.cells]}


# ------------------------------------------------------------------------- designs


def _check_n_seed(n: int, seed: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n <= 0:
        raise StudyError(f"n: expected campaigns per cell > 0, found {n!r}; use e.g. -n 2000")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise StudyError(f"seed: expected an integer >= 0, found {seed!r}")


def parse_levels(levels: Iterable[int | str] | None) -> tuple[int, ...]:
    """Role levels as ints 0-6, in the order given, without repeats: numbers or names
    (``3``, ``'access_combat'``). ``None`` = all seven.

    >>> parse_levels(["0", "access_combat", 6])
    (0, 3, 6)
    """
    from strait.scenario import RoleLevel

    if levels is None:
        return tuple(int(lv) for lv in RoleLevel)
    names = ", ".join(f"{int(lv)} {lv.name}" for lv in RoleLevel)
    out: list[int] = []
    for item in levels:
        text = str(item).strip()
        if text.lstrip("-").isdigit():
            value = int(text)
            if not 0 <= value <= 6:
                raise StudyError(f"levels: level {value} is outside 0-6; levels are {names}")
        else:
            key = text.upper().replace("-", "_").replace(" ", "_")
            if key not in RoleLevel.__members__:
                raise StudyError(f"levels: unknown level '{text}'; levels are {names}")
            value = int(RoleLevel[key])
        if value not in out:
            out.append(value)
    if not out:
        raise StudyError(f"levels: expected at least one level, found none; levels are {names}")
    return tuple(out)


def _scenario_ref(scenario: str | os.PathLike[str]) -> str:
    return os.fspath(scenario)


def role_sweep_design(scenario: str | os.PathLike[str], allies: Iterable[str] = ("JPN", "AUS"),
                      levels: Iterable[int | str] | None = None, *, n: int, seed: int = 0,
                      name: str | None = None, keep_lanes: bool = False,
                      keep_inputs: bool = False) -> Study:
    """Every combination of the chosen allies' levels (7 × 7 = 49 cells for two allies),
    after the reference cell (the scenario's own roles)."""
    import strait
    from strait.analysis.roles import parse_allies

    _check_n_seed(n, seed)
    swept = tuple(a.value for a in parse_allies(allies))
    lv = parse_levels(levels)
    strait.load_scenario(scenario)  # a missing scenario is a one-line error now, not later
    cells = [CellSpec(REFERENCE_LABEL)]
    for combo in itertools.product(lv, repeat=len(swept)):
        forced = dict(zip(swept, combo, strict=True))
        cells.append(CellSpec(", ".join(f"{a} {v}" for a, v in forced.items()), forced))
    return Study(scenario=_scenario_ref(scenario), cells=tuple(cells), n=int(n),
                 seed=int(seed), kind=KIND_ROLES, allies=swept, levels=lv, name=name,
                 keep_lanes=keep_lanes or keep_inputs, keep_inputs=keep_inputs)


def param_sweep_design(scenario: str | os.PathLike[str], path: str, values: Sequence[Any], *,
                       n: int, seed: int = 0, name: str | None = None,
                       keep_lanes: bool = False, keep_inputs: bool = False) -> Study:
    """One cell per value (``changes={path: value}``); the first value is the reference.

    A path the scenario does not have, or a value it rejects, is a one-line error.
    """
    import strait

    _check_n_seed(n, seed)
    vals = list(values)
    if not path or not vals:
        raise StudyError("param: expected PATH=v1,v2,... with at least one value, e.g. "
                         "--param parameters.air.kill_rate_per_aircraft_day=0.5,1")
    for v in vals:
        strait.load_scenario(scenario, changes={path: v})  # ScenarioError if path is missing
    cells = tuple(CellSpec(f"{path}={v}", changes={path: v}) for v in vals)
    return Study(scenario=_scenario_ref(scenario), cells=cells, n=int(n), seed=int(seed),
                 kind=KIND_PARAM, param=path, values=tuple(vals), name=name,
                 keep_lanes=keep_lanes or keep_inputs, keep_inputs=keep_inputs)


# ------------------------------------------------------------------------ aggregates


def cell_row(study_id: int, index: int, spec: CellSpec, seed: int, table: pd.DataFrame,
             reference: pd.DataFrame, elapsed_s: float) -> dict[str, Any]:
    """A cell's row of the ``cells`` table: outcome shares (Wilson 95 %), key losses
    (mean, 5/50/95 %), and paired differences against ``reference`` (same lanes)."""
    from strait.analysis.roles import paired_difference
    from strait.results import wilson_interval

    if len(table) != len(reference):
        raise StudyError(f"cell {index}: {len(table)} campaigns against {len(reference)} in "
                         "the reference cell; a paired comparison needs the same n")
    out = table["outcome"].to_numpy()
    ref = reference["outcome"].to_numpy()
    n = int(out.size)
    row: dict[str, Any] = {"study_id": study_id, "cell": index, "label": spec.label,
                           "is_reference": index == 0, "levels": spec.levels or None,
                           "changes": spec.changes or None, "seed": seed, "n": n}
    counts = np.bincount(out, minlength=len(OUTCOME_NAMES))
    for code, o in enumerate(OUTCOME_NAMES):
        lo, hi = wilson_interval(int(counts[code]), n)
        row.update({f"p_{o}": counts[code] / n, f"p_{o}_low": lo, f"p_{o}_high": hi})
    for c in KEY_LOSSES:
        x = table[c].to_numpy(dtype=float)
        p05, p50, p95 = np.percentile(x, [5, 50, 95])
        row.update({f"{c}_mean": float(x.mean()), f"{c}_p05": float(p05),
                    f"{c}_p50": float(p50), f"{c}_p95": float(p95)})
    for m in DIFF_METRICS:
        if m in OUTCOME_NAMES:
            code = OUTCOME_NAMES.index(m)
            d = paired_difference(ref == code, out == code)
        else:
            d = paired_difference(reference[m].to_numpy(dtype=float),
                                  table[m].to_numpy(dtype=float))
        row.update({f"d_{m}": d.mean, f"d_{m}_low": d.low, f"d_{m}_high": d.high})
    row.update(elapsed_s=float(elapsed_s), created=now())
    return row


# ----------------------------------------------------------------------------- run


@dataclass
class StudyRun:
    """What :func:`run_study` did: the study id, the cells it played now, all stored cells."""

    study_id: int
    path: str
    played: list[int]
    resumed: bool
    cells: pd.DataFrame
    elapsed_s: float


def _lanes_frame(study_id: int, index: int, res: RunResults, inputs: bool) -> pd.DataFrame:
    t = res.table
    head = pd.DataFrame({"study_id": np.full(len(t), study_id, dtype=np.int32),
                         "cell": np.full(len(t), index, dtype=np.int32),
                         "lane": np.arange(len(t), dtype=np.int32)})
    parts = [head, t.reset_index(drop=True)]
    if inputs:
        parts.append(res.inputs().reset_index(drop=True))
    return pd.concat(parts, axis=1)


def run_study(design: Study, store: StudyStore | str | os.PathLike[str], resume: bool = False,
              workers: int | None = None,
              progress: Callable[[int, int], None] | None = None, *,
              command: str | None = None, executor: str | Executor | None = None,
              address: str | None = None,
              on_campaigns: Callable[[int, int], None] | None = None) -> StudyRun:
    """Play the cells of ``design`` that ``store`` lacks and store each as it finishes.

    Args:
        design: from :func:`role_sweep_design`, :func:`param_sweep_design` or built by hand
            (``cells[0]`` is the reference).
        store: an open :class:`StudyStore` or the path of a study file.
        resume: continue the newest stored study with the same design (playing only its
            missing cells); without a match, or without ``resume``, start a new study.
        workers: blocks played at once (``None`` = every core or Ray CPU).
        progress: callback ``(cells_stored, cells_total)`` after each stored cell.
        command: the command line to record (the CLI passes its own).
        executor: ``"serial"``, ``"process"``, ``"ray"`` or an executor object (see
            :func:`strait.run`); results do not depend on it. It is connected and checked
            before the study is created, so a cluster that cannot run leaves no study.
        address: the Ray cluster (implies ``executor="ray"``).
        on_campaigns: callback ``(campaigns_played, campaigns_to_play)`` after each block
            of every cell played now (for a progress bar with rate and ETA).

    A study that stops with an error is marked ``failed`` (``running`` if the process was
    killed); ``resume=True`` continues either.
    """
    if not design.cells:
        raise StudyError("design: expected at least one cell (the reference), found none")
    _check_n_seed(design.n, design.seed)
    ex = make_executor(executor, workers, address)
    ex.start()  # an unreachable or unfit cluster fails here, before a study row exists
    if isinstance(store, StudyStore):
        return _run(design, store, resume, ex, progress, command, on_campaigns)
    with StudyStore(store) as opened:
        return _run(design, opened, resume, ex, progress, command, on_campaigns)


def _run(design: Study, store: StudyStore, resume: bool, ex: Executor,
         progress: Callable[[int, int], None] | None, command: str | None,
         on_campaigns: Callable[[int, int], None] | None) -> StudyRun:
    import strait
    from strait.scenario import scenario_hash

    t0 = time.perf_counter()
    ref_spec = design.cells[0]
    loaded = strait.load_scenario(design.scenario, changes=ref_spec.changes or None)
    s_hash = scenario_hash(loaded)
    full = {**design.to_dict(), "scenario_hash": s_hash, "strait_version": store.version}
    key = design_key(full)
    sid = store.find_study(key) if resume else None
    resumed = sid is not None
    if sid is None:
        sid = store.create_study(name=design.name, scenario=design.scenario,
                                 scenario_hash=s_hash, seed=design.seed, n_per_cell=design.n,
                                 n_cells=len(design.cells), design=full, command=command)
    elif resume:
        store.set_status(sid, STATUS_RUNNING)
    done = store.done_cells(sid)
    total = len(design.cells)
    missing = [i for i in range(total) if i not in done]
    try:
        played = _play_cells(design, store, sid, ex, missing, done, progress, on_campaigns)
    except BaseException:
        with contextlib.suppress(Exception):  # the cause matters more than the marking
            store.set_status(sid, STATUS_FAILED)
        raise
    store.set_status(sid, STATUS_DONE)
    return StudyRun(study_id=sid, path=str(store.path), played=played, resumed=resumed,
                    cells=store.cells(sid), elapsed_s=time.perf_counter() - t0)


def _play_cells(design: Study, store: StudyStore, sid: int, ex: Executor, missing: list[int],
                done: set[int], progress: Callable[[int, int], None] | None,
                on_campaigns: Callable[[int, int], None] | None) -> list[int]:
    import strait
    from strait.analysis.roles import forced_roles

    ref_spec = design.cells[0]
    total = len(design.cells)
    played: list[int] = []
    # campaigns to play now: the reference (stored or replayed) and every missing cell
    to_play = design.n * (len(missing) + (0 if 0 in missing or not missing else 1))
    before = [0]

    def count(done_in_run: int, _n: int) -> None:
        if on_campaigns is not None:
            on_campaigns(before[0] + done_in_run, to_play)

    if missing:
        t_ref = time.perf_counter()
        reference = strait.run(design.scenario, n=design.n, seed=design.seed, executor=ex,
                               changes=ref_spec.changes or None, progress=count)
        before[0] += design.n
        ref_elapsed = time.perf_counter() - t_ref
        base = reference.table[list(ROLE_COLUMNS)].to_numpy(dtype=np.int64)
        for i in missing:
            spec = design.cells[i]
            if i == 0:
                res, elapsed = reference, ref_elapsed
            else:
                t1 = time.perf_counter()
                roles = None
                if spec.levels:
                    roles = base
                    for ally, lv in spec.levels.items():
                        roles = forced_roles(roles, ally, int(lv))
                res = strait.run(design.scenario, n=design.n, seed=design.seed,
                                 executor=ex, changes=spec.changes or None, roles=roles,
                                 progress=count)
                before[0] += design.n
                elapsed = time.perf_counter() - t1
            row = cell_row(sid, i, spec, design.seed, res.table, reference.table, elapsed)
            lanes = (_lanes_frame(sid, i, res, design.keep_inputs) if design.keep_lanes
                     else None)
            store.write_cell(row, lanes)
            played.append(i)
            done.add(i)
            if progress is not None:
                progress(len(done), total)
    return played


def command_line(argv: Sequence[str]) -> str:
    """The command line as shell text (what a study records)."""
    return " ".join(shlex.quote(a) for a in argv)


def parse_param(expr: str) -> tuple[str, list[Any]]:
    """``PATH=v1,v2,...`` as ``(path, values)``; each value read like ``--set`` (YAML).

    >>> parse_param("jpn.role=NEUTRAL,FULL_COMBAT")
    ('allies.JPN.role', [{'level': 'NEUTRAL'}, {'level': 'FULL_COMBAT'}])
    """
    from strait.scenario import parse_set

    fix = "use --param PATH=v1,v2,... (e.g. --param parameters.antiship.p_hit_subsonic=0.04,0.08)"
    if "=" not in expr:
        raise StudyError(f"--param {expr!r}: expected PATH=v1,v2,..., found no '='; {fix}")
    path_text, _, text = expr.partition("=")
    items = [t.strip() for t in text.split(",")]
    if not text.strip() or any(not t for t in items):
        raise StudyError(f"--param {expr!r}: expected values separated by commas, found an "
                         f"empty value; {fix}")
    path = ""
    values: list[Any] = []
    for item in items:
        try:
            path, value = parse_set(f"{path_text}={item}")
        except ScenarioError as exc:
            raise StudyError(f"--param {expr!r}: {exc}") from None
        values.append(value)
    return path, values


def level_grid(cells: pd.DataFrame, design: Mapping[str, Any], column: str = "p_prc_victory"
               ) -> dict[tuple[int, ...], float]:
    """``{(level of ally 1, level of ally 2, ...): value}`` for the stored grid cells."""
    allies = list(design.get("allies") or [])
    specs = design.get("cells") or []
    out: dict[tuple[int, ...], float] = {}
    for _, r in cells.iterrows():
        i = int(r["cell"])
        if i == 0 or i >= len(specs):
            continue
        lv = specs[i].get("levels") or {}
        out[tuple(int(lv[a]) for a in allies)] = float(r[column])
    return out


__all__ = [
    "KIND_PARAM",
    "KIND_ROLES",
    "REFERENCE_LABEL",
    "ROLE_COLUMNS",
    "CellSpec",
    "Study",
    "StudyRun",
    "cell_row",
    "command_line",
    "headline",
    "level_grid",
    "param_sweep_design",
    "parse_levels",
    "parse_param",
    "role_sweep_design",
    "run_study",
]


def headline(cells: pd.DataFrame) -> list[str]:
    """Which combination of answers moves P(PRC victory) and US aircraft losses most from
    the reference (paired differences with their 95 % intervals), as two sentences.

    >>> cells = pd.DataFrame({"label": ["ref", "JPN 0", "JPN 6"], "is_reference": [1, 0, 0],
    ...     "p_prc_victory": [.1, .4, .05], "d_prc_victory": [0, .3, -.05],
    ...     "d_prc_victory_low": [0, .28, -.06], "d_prc_victory_high": [0, .32, -.04],
    ...     "d_usa_aircraft_lost": [0, 80., -3.], "d_usa_aircraft_lost_low": [0, 75., -5.],
    ...     "d_usa_aircraft_lost_high": [0, 85., -1.]})
    >>> headline(cells)[0]
    'P(PRC victory) moves most with JPN 0: +30.0 pp [+28.0, +32.0] against ref (10.0 %)'
    """
    ref = cells[cells["is_reference"].astype(bool)].iloc[0] if "is_reference" in cells else \
        cells.iloc[0]
    others = cells[cells["label"] != ref["label"]]
    lines = []
    for col, what, pct in (("d_prc_victory", "P(PRC victory)", True),
                           ("d_usa_aircraft_lost", "US aircraft lost", False)):
        if col not in others or others.empty:
            continue
        top = others.loc[others[col].abs().idxmax()]
        k, unit = (100.0, " pp") if pct else (1.0, "")
        base = (f" ({100 * ref['p_prc_victory']:.1f} %)" if pct and "p_prc_victory" in ref
                else "")
        lines.append(f"{what} moves most with {top['label']}: {k * top[col]:+.1f}{unit} "
                     f"[{k * top[col + '_low']:+.1f}, {k * top[col + '_high']:+.1f}] against "
                     f"{ref['label']}{base}")
    return lines
