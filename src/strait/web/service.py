"""What the web face does, without the web framework: requests in, plain dictionaries out.

Every function here calls the public API (:func:`strait.run`, the scenario loader, the
study store, the report) and reshapes what it returns; none computes anything about a
campaign. The FastAPI app (:mod:`strait.web.app`) wraps these in routes.

A what-if is ``strait run SCENARIO -n N --seed S --set <ally>.role=...``: its answer
carries that command (:func:`run_command`), so every number the page shows can be
reproduced from a terminal.

Example:
    >>> role_changes({"JPN": RoleChoice(level="NEUTRAL")})
    {'allies.JPN.role': {'level': 'NEUTRAL'}}
    >>> run_command("csis-base", 10000, 1, {"JPN": RoleChoice(level="NEUTRAL")})
    'strait run csis-base -n 10000 --seed 1 --set jpn.role=NEUTRAL'
"""

from __future__ import annotations

import io
import ipaddress
import math
import shlex
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from strait import __version__
from strait.errors import StraitError, StudyError
from strait.outcomes import OUTCOME_DESCRIPTIONS, OUTCOME_LABELS, OUTCOMES
from strait.scenario.enums import ACTOR_NAMES, ALLIES, RoleLevel

__all__ = [
    "LOSS_GROUPS",
    "RoleChoice",
    "ServeConfig",
    "ServeError",
    "check_bind",
    "load_uploaded",
    "role_changes",
    "run_command",
    "scenario_detail",
    "scenario_list",
    "scenario_sources",
    "study_detail",
    "study_list",
    "whatif",
]

LEVEL_NAMES: tuple[str, ...] = tuple(lv.name for lv in RoleLevel)
ALLY_CODES: tuple[str, ...] = tuple(a.value for a in ALLIES)

LOSS_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "US": (("usa_aircraft_lost", "aircraft lost"), ("usa_ships_lost", "major surface ships lost"),
           ("usa_carriers_lost", "carriers lost"), ("usa_submarines_lost", "submarines lost"),
           ("usa_killed", "killed")),
    "Japan": (("jpn_aircraft_lost", "aircraft lost"), ("jpn_ships_lost", "ships lost")),
    "PRC": (("chn_aircraft_lost", "aircraft lost"), ("chn_ships_lost", "major ships lost"),
            ("chn_amphibious_ships_lost", "amphibious ships lost"), ("chn_killed", "killed")),
    "Taiwan": (("twn_aircraft_lost", "aircraft lost"), ("twn_ships_lost", "ships lost"),
               ("twn_killed", "killed")),
}
"""Loss columns shown per side (results columns of :mod:`strait.engine.outputs`)."""

QUANTILES: tuple[float, ...] = (5, 25, 50, 75, 95)
HIST_BINS = 24
TIMELINE_FIELDS: tuple[str, ...] = ("amphibious_fleet_share", "prc_share_of_taiwan",
                                    "air_control", "supply")


class ServeError(StraitError):
    """``strait serve`` cannot start as asked (e.g. an open address without a token)."""


@dataclass(frozen=True)
class ServeConfig:
    """How ``strait serve`` runs.

    ``db``: the study file (studies are addressed by id in it; clients never pass paths).
    ``token``: bearer token every API call must carry (required off loopback).
    ``max_n``: largest what-if (campaigns); ``max_pending``: what-ifs queued or running
    before new ones are refused with 429; ``workers``: engine processes (None = every core).
    ``max_yaml_bytes``: largest uploaded scenario. ``trajectories``: campaigns recorded for
    the typical-campaign timeline.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    db: Path | None = None
    token: str | None = None
    max_n: int = 100_000
    max_pending: int = 16
    workers: int | None = None
    max_yaml_bytes: int = 200_000
    trajectories: int = 200


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(cfg: ServeConfig) -> None:
    """Refuse to serve off loopback without a token, and nonsense limits (one-line errors)."""
    if not is_loopback(cfg.host) and not cfg.token:
        raise ServeError(f"--host: {cfg.host} is not a loopback address, so anyone who can "
                         "reach this machine could run the engine and read your studies; give "
                         "--token SECRET (clients send 'Authorization: Bearer SECRET') or bind "
                         "to 127.0.0.1")
    if cfg.token is not None and len(cfg.token) < 8:
        raise ServeError(f"--token: expected at least 8 characters, found {len(cfg.token)}; "
                         "use a long random string, e.g. from 'openssl rand -hex 16'")
    if not 0 < cfg.port < 65536:
        raise ServeError(f"--port: expected 1-65535, found {cfg.port}; e.g. --port 8000")
    if cfg.max_n < 1:
        raise ServeError(f"--max-n: expected a number of campaigns >= 1, found {cfg.max_n}")
    if cfg.max_pending < 1:
        raise ServeError(f"--max-pending: expected >= 1, found {cfg.max_pending}")
    if cfg.workers is not None and cfg.workers < 1:
        raise ServeError(f"--workers: expected >= 1, found {cfg.workers}")
    if cfg.db is not None and cfg.db.exists() and not cfg.db.is_file():
        raise ServeError(f"--db: {cfg.db} is a folder; give a study file, e.g. "
                         "--db studies.duckdb")


# ------------------------------------------------------------------------ scenarios


def scenario_list() -> list[dict[str, Any]]:
    """The bundled scenarios (``strait scenario list``)."""
    from strait.scenario.registry import list_scenarios

    return [{"name": i.name, "title": i.title, "family": i.family, "extends": i.extends}
            for i in list_scenarios()]


def _role_dict(spec: Any) -> dict[str, Any]:
    if spec.level is not None:
        return {"level": RoleLevel(spec.level).name}
    return {"prior": {RoleLevel(k).name: float(v.mean()) for k, v in spec.prior.items()}}


def scenario_detail(s: Any) -> dict[str, Any]:
    """A scenario's name, title, campaign and each ally's role and ladder (with the legal
    meaning of each level), as ``strait scenario show`` and ``strait roles`` print them."""
    from strait.cli.scenario import fmt_totals

    allies = []
    for a in ALLIES:
        cfg = s.allies.get(a)
        if cfg is None:
            continue
        ladder = []
        for lv in RoleLevel:
            rung = cfg.ladder[lv]
            ladder.append({"level": lv.name, "value": int(lv), "access": rung.access.value,
                           "participation": rung.participation.value,
                           "summary": " ".join(rung.summary.split()),
                           "legal_hook": " ".join(rung.legal_hook.split())})
        allies.append({"code": a.value, "name": ACTOR_NAMES[a], "role": _role_dict(cfg.role),
                       "probabilities": [float(p) for p in cfg.role.probabilities()],
                       "ladder": ladder})
    return {"name": s.name, "title": s.title,
            "description": " ".join((s.description or "").split()),
            "turn_days": float(s.campaign.turn_days),
            "horizon_turns": int(s.campaign.horizon_turns),
            "provenance": fmt_totals(s), "allies": allies,
            "outcomes": [{"key": k, "label": OUTCOME_LABELS[k],
                          "description": OUTCOME_DESCRIPTIONS[k]} for k in OUTCOMES]}


def scenario_sources(s: Any) -> list[dict[str, Any]]:
    """One row per number of the scenario with its source (``strait scenario sources``)."""
    from strait.cli.scenario import source_rows

    return source_rows(s)


def load_bundled(name: str, changes: Mapping[str, Any] | None = None) -> Any:
    """A bundled scenario by name (with ``--set`` changes); paths are refused."""
    from strait.scenario.loader import load_scenario
    from strait.scenario.registry import bundled_names

    names = bundled_names()
    if name not in names:
        import difflib

        near = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean '{near[0]}'?" if near else "see GET /api/scenarios"
        raise ServeError(f"scenario: expected a bundled scenario name, found {name!r}; {hint} "
                         "(or send your own YAML as scenario_yaml)")
    return load_scenario(name, changes=changes or None)


def _check_refs(data: Any) -> None:
    """Uploaded text may name bundled scenarios and library fragments, never files."""
    if not isinstance(data, dict):
        return
    refs: list[tuple[str, Any]] = []
    if "extends" in data:
        refs.append(("extends", data["extends"]))
    inc = data.get("include")
    if isinstance(inc, list):
        refs += [("include", r) for r in inc]
    elif inc is not None:
        refs.append(("include", inc))
    for key, ref in refs:
        if isinstance(ref, str) and ("/" in ref or "\\" in ref or ref.strip().endswith(
                (".yaml", ".yml"))):
            raise ServeError(f"scenario_yaml: {key}: expected a bundled name (e.g. "
                             f"'csis-base'), found the path {ref!r}; uploaded scenarios cannot "
                             "read files on the server")


def load_uploaded(text: str, max_bytes: int = 200_000,
                  changes: Mapping[str, Any] | None = None) -> Any:
    """Validate an uploaded scenario (YAML text) exactly like a file; one-line errors.

    >>> load_uploaded("name: t\\ntitle: T\\nextends: csis-base\\n").name
    't'
    >>> load_uploaded("name: t\\ntitle: T\\nextends: /etc/x.yaml\\n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    strait.web.service.ServeError: scenario_yaml: extends: expected a bundled name ...
    """
    from strait.scenario.loader import load_scenario_text

    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise ServeError(f"scenario_yaml: expected at most {max_bytes:,} bytes, found "
                         f"{size:,}; upload a shorter scenario (extends: a bundled one and "
                         "change only what differs)")
    try:
        for tok in yaml.scan(text):
            if isinstance(tok, yaml.AliasToken | yaml.AnchorToken):
                raise ServeError("scenario_yaml: expected plain YAML, found an anchor or "
                                 "alias (&name / *name); write the values out")
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        from strait.scenario.loader import yaml_error_message

        raise ServeError("scenario_yaml: " + " ".join(
            yaml_error_message(exc, "upload.yaml").split())) from None
    _check_refs(data)
    with tempfile.TemporaryDirectory() as empty:  # relative refs find nothing
        return load_scenario_text(text, filename=UPLOAD_NAME, base_dir=Path(empty),
                                  changes=changes or None)


UPLOAD_NAME = "upload.yaml"
"""How errors and commands name an uploaded scenario."""


def load(scenario: str | None, scenario_yaml: str | None, max_bytes: int,
         changes: Mapping[str, Any] | None = None) -> tuple[Any, str]:
    """The scenario of a request and how a command names it: uploaded text wins."""
    if scenario_yaml is not None:
        return load_uploaded(scenario_yaml, max_bytes, changes), UPLOAD_NAME
    if not scenario:
        raise ServeError("scenario: expected a bundled scenario name (GET /api/scenarios) or "
                         "scenario_yaml, found neither")
    return load_bundled(scenario, changes), scenario


# ----------------------------------------------------------------------- what-if


class RoleChoice(BaseModel):
    """An ally's role in a what-if: a certain ``level`` or a ``prior`` over levels."""

    model_config = ConfigDict(extra="forbid")

    level: str | None = Field(default=None, description="A role level name, e.g. NEUTRAL.",
                              examples=["NEUTRAL"])
    prior: dict[str, float] | None = Field(
        default=None, description="Probability per level name; they must sum to 1.",
        examples=[{"NEUTRAL": 0.5, "ACCESS_COMBAT": 0.5}])

    @model_validator(mode="after")
    def _one(self) -> RoleChoice:
        if (self.level is None) == (self.prior is None):
            raise ValueError("give exactly one of 'level' or 'prior'")
        return self

    def as_value(self) -> dict[str, Any]:
        if self.level is not None:
            return {"level": self.level}
        return {"prior": dict(self.prior or {})}

    def as_set(self, ally: str) -> str:
        """The ``--set`` argument of this choice."""
        if self.level is not None:
            return f"{ally.lower()}.role={self.level}"
        pr = ", ".join(f"{k}: {_num(v)}" for k, v in (self.prior or {}).items())
        return f"{ally.lower()}.role={{prior: {{{pr}}}}}"


def _num(v: float) -> str:
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


def _check_roles(roles: Mapping[str, RoleChoice]) -> None:
    for ally, choice in roles.items():
        if ally not in ALLY_CODES:
            raise ServeError(f"roles: expected an ally code ({', '.join(ALLY_CODES)}), found "
                             f"{ally!r}")
        names = [choice.level] if choice.level is not None else list(choice.prior or {})
        for name in names:
            if name not in LEVEL_NAMES:
                raise ServeError(f"roles.{ally}: expected a level name "
                                 f"({', '.join(LEVEL_NAMES)}), found {name!r}")


def role_changes(roles: Mapping[str, RoleChoice]) -> dict[str, Any]:
    """The scenario changes (``allies.<ALLY>.role``) a what-if's role choices make."""
    _check_roles(roles)
    return {f"allies.{a}.role": c.as_value() for a, c in roles.items()}


def run_command(scenario: str, n: int, seed: int, roles: Mapping[str, RoleChoice]) -> str:
    """The ``strait run`` command that gives the same numbers."""
    parts = ["strait", "run", scenario, "-n", str(n), "--seed", str(seed)]
    for ally, choice in roles.items():
        parts += ["--set", choice.as_set(ally)]
    return shlex.join(parts)


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def loss_distributions(table: Any) -> list[dict[str, Any]]:
    """Per side and loss column: quantiles, mean and a histogram of the campaigns."""
    out = []
    for side, cols in LOSS_GROUPS.items():
        for col, label in cols:
            if col not in table:
                continue
            x = table[col].to_numpy(dtype=float)
            qs = np.percentile(x, QUANTILES)
            lo, hi = float(x.min()), float(x.max())
            if hi <= lo:
                hi = lo + 1.0
            counts, edges = np.histogram(x, bins=HIST_BINS, range=(lo, hi))
            out.append({"side": side, "column": col, "label": label,
                        "mean": float(x.mean()),
                        "quantiles": {f"p{int(q):02d}": float(v) for q, v in zip(QUANTILES, qs,
                                                                                   strict=True)},
                        "histogram": {"edges": [float(e) for e in edges],
                                      "counts": [int(c) for c in counts]}})
    return out


def timeline(traj: np.ndarray | None, fields: tuple[str, ...],
             turn_days: float) -> dict[str, Any]:
    """A typical campaign: per turn, the median over the recorded campaigns still running
    (a campaign's trajectory is frozen after it ends, NaN past the horizon)."""
    if traj is None or not len(traj):
        return {"campaigns": 0, "turns": []}
    from strait.results import typical_trajectory

    turns = []
    med = typical_trajectory(traj)  # (turns, fields)
    for t in range(traj.shape[1]):
        row: dict[str, Any] = {"turn": t + 1, "day": (t + 1) * turn_days}
        for k, f in enumerate(fields):
            row[f] = _finite(float(med[t, k]))
        turns.append(row)
    return {"campaigns": len(traj), "fields": list(fields), "turns": turns}


def whatif(scenario: str | None, scenario_yaml: str | None, n: int, seed: int,
           roles: Mapping[str, RoleChoice], *, max_yaml_bytes: int = 200_000,
           workers: int | None = None, trajectories: int = 200) -> dict[str, Any]:
    """Play a what-if with :func:`strait.run` and shape its answer: outcome probabilities
    with Wilson 95 % intervals, loss distributions, a typical campaign, the charts and
    the ``strait run`` command that gives the same numbers."""
    import strait
    from strait.engine import TRAJECTORY_FIELDS
    from strait.scenario.loader import scenario_hash
    from strait.web.charts import whatif_charts

    s, label = load(scenario, scenario_yaml, max_yaml_bytes, role_changes(roles))
    res = strait.run(s, n=n, seed=seed, workers=workers,
                     trajectories=min(trajectories, n))
    summ = res.summary()
    outcomes = [{"key": k, "label": OUTCOME_LABELS[k],
                 "probability": float(summ.outcome_probabilities[k]),
                 "low": float(summ.outcome_intervals[k][0]),
                 "high": float(summ.outcome_intervals[k][1])} for k in OUTCOMES]
    start_roles = {}
    for a in ALLIES:
        cfg = s.allies.get(a)
        if cfg is not None:
            start_roles[a.value] = _role_dict(cfg.role)
    body: dict[str, Any] = {
        "scenario": s.name, "scenario_hash": scenario_hash(s), "n": int(n), "seed": int(seed),
        "strait_version": __version__, "roles": start_roles,
        "command": run_command(label, n, seed, roles),
        "elapsed_s": float(res.meta.get("elapsed_s", 0.0)),
        "outcomes": outcomes,
        "losses": loss_distributions(res.table),
        "timeline": timeline(res.trajectories, tuple(TRAJECTORY_FIELDS),
                             float(s.campaign.turn_days)),
    }
    body["subtitle"] = subtitle(body)
    body["charts"] = whatif_charts(body)
    return body


def subtitle(body: Mapping[str, Any]) -> str:
    """What every chart states: scenario, N, seed, strait version and the allied roles."""
    roles = " ".join(f"{a}={_short(r)}" for a, r in body["roles"].items())
    return (f"{body['scenario']} · {body['n']:,} campaigns · seed {body['seed']} · "
            f"strait {body['strait_version']} · {roles}")


def _short(role: Mapping[str, Any]) -> str:
    if "level" in role:
        return str(role["level"])
    return "prior(" + ", ".join(f"{k} {v:.0%}" for k, v in role["prior"].items()) + ")"


def results_table(scenario: str | None, scenario_yaml: str | None, n: int, seed: int,
                  roles: Mapping[str, RoleChoice], *, fmt: str, max_yaml_bytes: int = 200_000,
                  workers: int | None = None) -> bytes:
    """The what-if's per-campaign rows as Parquet (with run metadata) or CSV bytes."""
    import strait

    s, _ = load(scenario, scenario_yaml, max_yaml_bytes, role_changes(roles))
    res = strait.run(s, n=n, seed=seed, workers=workers)
    if fmt == "csv":
        return res.table.to_csv(index=False).encode("utf-8")
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(res.to_arrow(), buf)
    return buf.getvalue()


# ------------------------------------------------------------------------ studies


def _store(db: Path | None) -> Any:
    from strait.experiments.store import StudyStore

    if db is None or not db.is_file():
        raise StudyError("studies: this server has no study file; start it with "
                         "strait serve --db studies.duckdb (made by strait sweep)")
    return StudyStore(db, create=False)


def _plain(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return _finite(float(v))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def study_list(db: Path | None) -> list[dict[str, Any]]:
    """Every stored study (``strait study list``)."""
    if db is None or not db.is_file():
        return []
    with _store(db) as store:
        df = store.studies()
    cols = ("id", "name", "scenario", "seed", "n_per_cell", "n_cells", "strait_version",
            "created", "status")
    return [{c: _plain(r[c]) for c in cols if c in r} for r in df.to_dict("records")]


def study_detail(db: Path | None, study_id: int) -> dict[str, Any]:
    """A stored study: its manifest, cells, stored analyses and every report chart
    (role heatmap, outcome bars, VOI, deterrence, sensitivity, PRIM) as Vega-Lite."""
    from strait.report.study import chart_specs, view_from_store

    with _store(db) as store:
        meta = store.study(study_id)
        view = view_from_store(store, study_id)
        cells = store.cells(study_id)
    charts = {k: c.to_dict() for k, c in chart_specs(view).items()}
    keep = [c for c in cells.columns if c not in ("created",)]
    return {"id": int(study_id), "name": view.name, "scenario": view.scenario,
            "seed": view.seed, "n_per_cell": view.n_per_cell, "strait_version": view.version,
            "status": str(meta.get("status")), "subtitle": view.subtitle,
            "reference": view.reference, "command": view.command,
            "commands": [view.command, *view.extra_commands,
                         *(str(a["command"]) for a in view.analyses.values()
                           if isinstance(a, dict) and a.get("command"))],
            "cells": [{c: _plain(r[c]) for c in keep} for r in cells.to_dict("records")],
            "analyses": sorted(view.analyses), "discovery_box": _box(view.analyses),
            "charts": charts}


def _box(analyses: Mapping[str, Any]) -> list[dict[str, Any]]:
    d = analyses.get("discovery") or {}
    out = []
    for r in d.get("box", []) or []:
        if r.get("kind") == "ordinal":
            rng = ", ".join(LEVEL_NAMES[int(v)] if 0 <= int(v) < 7 else str(v)
                            for v in r.get("levels", []))
        else:
            rng = f"{float(r.get('lower', math.nan)):.4g} – {float(r.get('upper', math.nan)):.4g}"
        out.append({"input": str(r.get("name")), "range": rng})
    return out


def study_cells(db: Path | None, study_id: int, fmt: str) -> bytes:
    """A study's cells as CSV or Parquet bytes."""
    with _store(db) as store:
        store.study(study_id)
        cells = store.cells(study_id)
    if fmt == "csv":
        text: str = cells.to_csv(index=False)
        return text.encode("utf-8")
    buf = io.BytesIO()
    cells.to_parquet(buf, index=False)
    return buf.getvalue()


def study_report(db: Path | None, study_id: int) -> str:
    """The study's self-contained HTML report (``strait report``, without the timeline)."""
    from strait.report.study import view_from_store, write_report

    with _store(db) as store:
        view = view_from_store(store, study_id)
    with tempfile.TemporaryDirectory() as out:
        page: str = write_report(view, out).read_text(encoding="utf-8")
    return page
