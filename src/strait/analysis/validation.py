"""Validation against the published CSIS results: evaluation, the report and the run.

The targets themselves (:data:`TARGETS`, :class:`Target`, their checks) live in
:mod:`strait.analysis.targets` and are importable from here too. :func:`evaluate_target`
runs one check; :func:`run_validation` plays every bundled scenario whose family starts
with ``csis`` (and ``ft-2025-ambiguity`` as a prediction) with the same seed, evaluates
every target and keeps the headline numbers of every scenario. Scenarios without published
targets (the withheld CSIS families and the excursions) are reported as predictions only.

Direction targets compare an excursion with ``csis-base``: both are played with the same
seed and ``n``, and :func:`paired` lines their lanes up (common random numbers).

Example:
    >>> t = target("base-us-carriers")
    >>> t.scenario, t.published, t.citation
    ('csis-base', '2 carriers in every base run (3 of 3)', '[CSIS p.88]')
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from strait.analysis.targets import (
    DROPPED,
    FAIL,
    NOT_MEASURED,
    PASS,
    ROLES,
    TARGETS,
    Check,
    NotMeasured,
    Paired,
    Role,
    Status,
    Target,
    target,
)
from strait.results.core import OUTCOMES, RunResults, wilson_interval

__all__ = [
    "BAND_COLUMNS",
    "FAIL",
    "LOSS_KEYS",
    "NOT_MEASURED",
    "PASS",
    "PREDICTION_SCENARIOS",
    "TARGETS",
    "Check",
    "NotMeasured",
    "Paired",
    "ScenarioResult",
    "Status",
    "Target",
    "TargetResult",
    "ValidationReport",
    "evaluate_target",
    "paired",
    "report_from_results",
    "run_validation",
    "summarise_scenario",
    "target",
    "validation_scenarios",
]

log = logging.getLogger(__name__)

LOSS_KEYS: dict[str, str] = {
    "usa_aircraft": "usa_aircraft_lost",
    "jpn_aircraft": "jpn_aircraft_lost",
    "chn_aircraft": "chn_aircraft_lost",
    "usa_ships": "usa_ships_lost",
    "jpn_ships": "jpn_ships_lost",
    "chn_ships": "chn_ships_lost",
    "chn_amphibious_ships": "chn_amphibious_ships_lost",
    "usa_carriers": "usa_carriers_lost",
    "usa_submarines": "usa_submarines_lost",
    "usa_killed": "usa_killed",
}
"""Key of ``losses_median`` in the validation JSON → column of the per-lane table."""

BAND_COLUMNS: tuple[str, ...] = (
    *LOSS_KEYS.values(), "usa_surface_combatants_lost", "twn_ships_lost", "twn_aircraft_lost",
    "pla_bn_landed", "pla_bn_ashore", "prc_share_of_taiwan", "end_day",
)
"""Columns whose 5 %, 50 % and 95 % quantiles are kept per scenario (for plots)."""

PREDICTION_SCENARIOS: tuple[str, ...] = ("ft-2025-ambiguity",)
"""Scenarios outside the ``csis`` families that the validation run also plays, as predictions."""

_CSIS = ("Cancian, Cancian, Heginbotham, The First Battle of the Next War, CSIS (2023), "
         "https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan")



@dataclass(frozen=True)
class TargetResult:
    """A target with what strait gave for it."""

    target: Target
    status: Status
    value: float | None
    strait: str
    reason: str = ""
    interval: tuple[float, float] | None = None

    @property
    def id(self) -> str:
        return self.target.id

    @property
    def role(self) -> Role:
        return self.target.role

    def to_dict(self) -> dict[str, Any]:
        t = self.target
        out = {"id": t.id, "role": t.role, "scenario": t.scenario, "kind": t.kind,
               "metric": t.metric, "published": t.published, "strait": self.strait,
               "value": _clean(self.value), "tolerance": t.tolerance,
               "tolerance_rule": t.rule.inputs(), "status": self.status,
               "citation": t.citation, "reason": self.reason}
        if t.kind == "direction":
            out["baseline"] = t.baseline
            out["expect"] = t.expect
            out["interval"] = (None if self.interval is None
                               else [_clean(x) for x in self.interval])
        return out


def evaluate_target(t: Target, subject: Any) -> TargetResult:
    """Run ``t``'s check on ``subject`` (RunResults, Scenario or :class:`Paired`; ``None``
    = not played)."""
    if subject is None:
        what = (f"scenarios '{t.baseline}' and '{t.scenario}' not both played"
                if t.kind == "direction" else f"scenario '{t.scenario}' not played")
        return TargetResult(t, NOT_MEASURED, None, "–", what)
    if isinstance(subject, NotMeasured):
        return TargetResult(t, NOT_MEASURED, None, "–", str(subject))
    try:
        c = t.check(subject)
    except NotMeasured as exc:
        return TargetResult(t, NOT_MEASURED, None, "–", str(exc))
    return TargetResult(t, c.status, c.value, c.text, c.reason, c.interval)


def _lane_values(t: Target, res: RunResults) -> np.ndarray | NotMeasured:
    if t.lane is None:  # pragma: no cover - every direction target has a lane metric
        return NotMeasured(f"{t.id} has no per-lane metric")
    try:
        return np.asarray(t.lane(res), dtype=float)
    except NotMeasured as exc:
        return exc


def paired(t: Target, base: RunResults | None, excursion: RunResults | None
           ) -> Paired | NotMeasured | None:
    """The :class:`Paired` subject of direction target ``t`` from its two runs (``None``
    when either was not played)."""
    if base is None or excursion is None:
        return None
    return _pair(_lane_values(t, base), _lane_values(t, excursion), base.seed, excursion.seed)


def _pair(b: np.ndarray | NotMeasured, e: np.ndarray | NotMeasured, sb: int, se: int
          ) -> Paired | NotMeasured:
    if isinstance(b, NotMeasured):
        return b
    if isinstance(e, NotMeasured):
        return e
    return Paired(b, e, (int(sb), int(se)))


# ------------------------------------------------------------------------------ scenarios


@dataclass
class ScenarioResult:
    """The headline numbers of one scenario's run."""

    name: str
    family: str | None
    title: str
    scenario_hash: str
    n: int
    published: bool
    outcome_probabilities: dict[str, float]
    outcome_intervals: dict[str, tuple[float, float]]
    losses_median: dict[str, float | None]
    end_day_median: float | None
    pla_battalions_landed_median: float | None
    prc_share_of_taiwan_median: float | None
    bands: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The per-scenario JSON object (exactly the five validation keys)."""
        return {
            "outcome_probabilities": {k: _clean(v) for k, v in
                                      self.outcome_probabilities.items()},
            "losses_median": {k: _clean(v) for k, v in self.losses_median.items()},
            "end_day_median": _clean(self.end_day_median),
            "pla_battalions_landed_median": _clean(self.pla_battalions_landed_median),
            "prc_share_of_taiwan_median": _clean(self.prc_share_of_taiwan_median),
        }


def _clean(v: Any) -> Any:
    if v is None:
        return None
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return None
    return round(v, 6)


def _median_or_none(t: pd.DataFrame, col: str) -> float | None:
    return float(np.median(t[col].to_numpy(dtype=float))) if col in t and len(t) else None


def summarise_scenario(res: RunResults, *, family: str | None = None, title: str = "",
                       published: bool = False) -> ScenarioResult:
    """The validation record of one run: outcome shares, loss medians, bands."""
    t = res.table
    n = len(t)
    codes = t["outcome"].to_numpy() if "outcome" in t else np.array([], dtype=int)
    counts = np.bincount(codes.astype(int), minlength=len(OUTCOMES)) if n else \
        np.zeros(len(OUTCOMES))
    probs = {k: float(counts[i] / n) if n else math.nan for i, k in enumerate(OUTCOMES)}
    ci = {k: wilson_interval(float(counts[i]), n) for i, k in enumerate(OUTCOMES)}
    bands = {}
    for col in BAND_COLUMNS:
        if col in t and n:
            p05, med, p95 = np.percentile(t[col].to_numpy(dtype=float), [5, 50, 95])
            bands[col] = (float(p05), float(med), float(p95))
    return ScenarioResult(
        name=res.scenario_name, family=family, title=title or res.scenario_name,
        scenario_hash=res.scenario_hash, n=n, published=published,
        outcome_probabilities=probs, outcome_intervals=ci,
        losses_median={k: _median_or_none(t, c) for k, c in LOSS_KEYS.items()},
        end_day_median=_median_or_none(t, "end_day"),
        pla_battalions_landed_median=_median_or_none(t, "pla_bn_landed"),
        prc_share_of_taiwan_median=_median_or_none(t, "prc_share_of_taiwan"),
        bands=bands, elapsed_s=float(res.meta.get("elapsed_s", 0.0)))


# ------------------------------------------------------------------------------ report


@dataclass
class ValidationReport:
    """Every scenario's headline numbers and every target's verdict."""

    n: int
    seed: int
    version: str
    scenarios: dict[str, ScenarioResult]
    targets: list[TargetResult]
    missing: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def counts(self, role: Role | None = None) -> dict[str, int]:
        """Number of targets per status (of one role, or of all)."""
        out: dict[str, int] = {PASS: 0, FAIL: 0, NOT_MEASURED: 0}
        for r in self.targets:
            if role is None or r.role == role:
                out[r.status] += 1
        return out

    def counts_by_role(self) -> dict[str, dict[str, int]]:
        """Number of targets per status, for each role."""
        return {role: self.counts(role) for role in ROLES}

    def misses(self) -> list[TargetResult]:
        """Targets that did not pass (failed or not measured)."""
        return [r for r in self.targets if r.status != PASS]

    def result(self, target_id: str) -> TargetResult:
        for r in self.targets:
            if r.id == target_id:
                return r
        raise KeyError(target_id)

    @property
    def predictions(self) -> list[str]:
        """Scenarios played without published targets."""
        return [k for k, s in self.scenarios.items() if not s.published]

    def to_dict(self) -> dict[str, Any]:
        return {
            "metadata": {
                "n": self.n,
                "seed": self.seed,
                "strait_version": self.version,
                "scenario_hashes": {k: s.scenario_hash for k, s in self.scenarios.items()},
                "scenario_families": {k: s.family for k, s in self.scenarios.items()},
                "published": [k for k, s in self.scenarios.items() if s.published],
                "predictions_only": self.predictions,
                "missing_scenarios": list(self.missing),
                "status_counts": self.counts(),
                "status_counts_by_role": self.counts_by_role(),
                "targets_not_used": [{"id": i, "why": why} for i, why in DROPPED],
                "source": _CSIS,
            },
            "scenarios": {k: s.to_dict() for k, s in self.scenarios.items()},
            "targets": [r.to_dict() for r in self.targets],
        }

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """The report as JSON text; also written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


# ------------------------------------------------------------------------------ the run


def validation_scenarios() -> list[tuple[str, str | None, str]]:
    """``(name, family, title)`` of the scenarios the validation run plays, in report order.

    Every bundled scenario whose family starts with ``csis``, then the bundled
    :data:`PREDICTION_SCENARIOS`. Scenarios with targets come first.

    >>> validation_scenarios()[0][0]
    'csis-base'
    """
    from strait.scenario.registry import list_scenarios

    infos = list_scenarios()
    chosen = [i for i in infos if (i.family or "").startswith("csis")]
    chosen += [i for i in infos if i.name in PREDICTION_SCENARIOS and i not in chosen]
    with_targets = list(dict.fromkeys(t.scenario for t in TARGETS if t.kind != "direction"))

    def key(i: Any) -> tuple[int, int, str]:
        if i.name in with_targets:
            return (0, with_targets.index(i.name), i.name)
        rank = {"csis-family": 1, "csis-excursion": 2}.get(i.family or "", 3)
        return (rank, 0, i.name)

    return [(i.name, i.family, i.title) for i in sorted(chosen, key=key)]


def _published(name: str) -> bool:
    """Whether ``name`` has published level targets (not only direction targets)."""
    return any(t.scenario == name and t.kind != "direction" for t in TARGETS)


_Lanes = dict[tuple[str, str], "np.ndarray | NotMeasured"]


def _play(name: str, family: str | None, title: str, n: int, seed: int, workers: int
          ) -> tuple[ScenarioResult, list[TargetResult], _Lanes]:
    """Play one scenario, check its campaign targets and keep the per-lane metrics of the
    direction targets it is the baseline or the excursion of (runs in a worker process)."""
    from strait.api import run

    mine = [t for t in TARGETS if t.scenario == name and t.kind == "campaign"]
    traj = n if any(t.needs_trajectories for t in mine) else 0
    res = run(name, n=n, seed=seed, workers=workers, trajectories=traj)
    summary = summarise_scenario(res, family=family, title=title, published=_published(name))
    lanes: _Lanes = {}
    for t in TARGETS:
        if t.kind != "direction":
            continue
        if t.scenario == name:
            lanes[(t.id, "excursion")] = _lane_values(t, res)
        if t.baseline == name:
            lanes[(t.id, "base")] = _lane_values(t, res)
    return summary, [evaluate_target(t, res) for t in mine], lanes


def _no_init(_payload: Any) -> None:
    """Workers need no preparation: each task loads and plays its own scenario."""


def _play_args(args: tuple[str, str | None, str, int, int, int]
               ) -> tuple[ScenarioResult, list[TargetResult], _Lanes]:
    return _play(*args)


def run_validation(
    n: int = 4000,
    seed: int = 0,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    scenarios: Iterable[str] | None = None,
    executor: Any = None,
) -> ValidationReport:
    """Play the CSIS scenarios and check every published target.

    Args:
        n: campaigns per scenario.
        seed: root seed, the same for every scenario (common random numbers).
        workers: processes (``None`` = all cores, ``1`` = in this process). With ``n`` up to
            one block (8,192 lanes) scenarios are played side by side, one per process;
            larger runs play scenarios one after another, each over ``workers`` processes.
            Results do not depend on ``workers``.
        progress: called as ``progress(scenario, done, total)`` after each scenario.
        scenarios: play only these (default: :func:`validation_scenarios`); targets of
            scenarios not played are *not measured*.
        executor: where scenarios played side by side run (a name or an
            :class:`~strait.experiments.executors.Executor`; default: the one set by
            ``use_executor``, else a local process pool).

    Returns:
        A :class:`ValidationReport`; ``report.to_json(path)`` writes it.
    """
    from strait import __version__
    from strait.experiments.executors import BLOCK_SIZE
    from strait.scenario import load_scenario

    t0 = time.perf_counter()
    plan = validation_scenarios()
    missing: list[str] = []
    if scenarios is not None:
        wanted = list(scenarios)
        known = {p[0]: p for p in plan}
        from strait.scenario.registry import list_scenarios

        info = {i.name: (i.name, i.family, i.title) for i in list_scenarios()}
        plan = [known.get(w) or info.get(w) or (w, None, w) for w in wanted]
    missing += [p for p in PREDICTION_SCENARIOS
                if scenarios is None and p not in {q[0] for q in plan}]
    if workers is None:
        workers = os.cpu_count() or 1
    workers = max(1, int(workers))
    done: dict[str, tuple[ScenarioResult, list[TargetResult], _Lanes]] = {}
    total = len(plan)
    if workers > 1 and n <= BLOCK_SIZE and total > 1:
        from strait.experiments.executors import Job, make_executor

        ex = make_executor(executor, min(workers, total))
        job = Job(key="validation", init=_no_init, payload=None, fn=_play_args)
        args = [(name, fam, title, n, seed, 1) for name, fam, title in plan]
        for (name, _, _), out in zip(plan, ex.imap(job, args), strict=True):
            done[name] = out
            if progress is not None:
                progress(name, len(done), total)
    else:
        for name, fam, title in plan:
            done[name] = _play(name, fam, title, n, seed, workers)
            if progress is not None:
                progress(name, len(done), total)
    by_scenario = {name: done[name][0] for name, _, _ in plan}
    campaign = {r.id: r for name, _, _ in plan for r in done[name][1]}
    lanes: _Lanes = {k: v for name, _, _ in plan for k, v in done[name][2].items()}
    results: list[TargetResult] = []
    loaded: dict[str, Any] = {}
    for t in TARGETS:
        if t.kind == "campaign":
            results.append(campaign.get(t.id) or evaluate_target(t, None))
            continue
        if t.kind == "direction":
            b, e = lanes.get((t.id, "base")), lanes.get((t.id, "excursion"))
            subject = None if b is None or e is None else _pair(b, e, seed, seed)
            results.append(evaluate_target(t, subject))
            continue
        if t.scenario not in loaded:
            loaded[t.scenario] = load_scenario(t.scenario)
        results.append(evaluate_target(t, loaded[t.scenario]))
    elapsed = time.perf_counter() - t0
    log.info("validation: %d scenarios x %d campaigns in %.1f s", total, n, elapsed)
    return ValidationReport(n=n, seed=seed, version=__version__, scenarios=by_scenario,
                            targets=results, missing=missing, elapsed_s=elapsed)


def report_from_results(results: Mapping[str, RunResults], *, n: int | None = None,
                        seed: int = 0, families: Mapping[str, str | None] | None = None,
                        scenario_models: Mapping[str, Any] | None = None) -> ValidationReport:
    """A :class:`ValidationReport` from runs made elsewhere (tests, notebooks).

    ``scenario_models`` maps scenario names to Scenarios for the sub-model targets; a
    sub-model target whose scenario is absent is *not measured*.
    """
    from strait import __version__

    families = dict(families or {})
    scen = {k: summarise_scenario(r, family=families.get(k), title=k, published=_published(k))
            for k, r in results.items()}
    models = dict(scenario_models or {})

    def subject(t: Target) -> Any:
        if t.kind == "campaign":
            return results.get(t.scenario)
        if t.kind == "direction":
            return paired(t, results.get(t.baseline or ""), results.get(t.scenario))
        return models.get(t.scenario)

    out = [evaluate_target(t, subject(t)) for t in TARGETS]
    nn = n if n is not None else (max((s.n for s in scen.values()), default=0))
    return ValidationReport(n=nn, seed=seed, version=__version__, scenarios=scen, targets=out)

