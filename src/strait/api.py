"""The Python API: ``strait.run(scenario, n=..., seed=..., workers=...)``."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from strait.errors import EngineError, StraitError
from strait.experiments.executors import run_scenario
from strait.results.core import RunResults
from strait.scenario.models import Scenario

log = logging.getLogger(__name__)


def resolve_scenario(scenario: str | os.PathLike | Scenario,
                     changes: Mapping[str, Any] | Iterable[str] | None = None) -> Scenario:
    """A Scenario from a bundled name, a YAML path or a Scenario, with ``--set`` changes.

    ``changes`` is a mapping of dotted paths to values, or ``"path=value"`` strings
    (``jpn.role=ACCESS_COMBAT`` works).
    """
    from strait.scenario.loader import load_scenario, parse_set

    ch: dict[str, Any] = {}
    if changes:
        if isinstance(changes, Mapping):
            ch = dict(changes)
        else:
            for expr in changes:
                k, v = parse_set(expr)
                ch[k] = v
    if isinstance(scenario, Scenario):
        if not ch:
            return scenario
        raise EngineError("changes: apply --set changes to a scenario name or file, "
                          "not to an already-built Scenario (use model_copy)")
    return load_scenario(scenario, changes=ch or None)


def run(
    scenario: str | os.PathLike | Scenario,
    n: int = 10_000,
    seed: int = 0,
    *,
    workers: int | None = None,
    changes: Mapping[str, Any] | Iterable[str] | None = None,
    trajectories: int = 0,
    out: str | os.PathLike | None = None,
    keep_table: bool = True,
    roles: np.ndarray | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResults:
    """Play ``n`` campaigns of ``scenario`` and return their results.

    Args:
        scenario: bundled name (``"csis-base"``), YAML path, or a :class:`Scenario`.
        n: number of campaigns (lanes), > 0.
        seed: root seed; the same seed gives bit-identical results whatever ``workers``.
        workers: processes (``None`` = all cores, ``1`` = in-process).
        changes: ``--set`` style overrides, e.g. ``["jpn.role=NEUTRAL"]``.
        trajectories: record per-turn trajectories for this many lanes.
        out: write the per-lane table to this Parquet file, block by block.
        keep_table: keep the per-lane table in memory (turn off for huge runs with ``out``).
        roles: force starting roles, shape ``(n, 4)`` (JPN, AUS, PHL, KOR levels 0-6).
        progress: callback ``(lanes_done, n)``.

    Example:
        >>> import strait
        >>> res = strait.run("csis-base", n=2000, seed=1, workers=1)
        >>> round(sum(res.summary().outcome_probabilities.values()), 6)
        1.0
    """
    from strait.scenario.loader import scenario_hash

    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n <= 0:
        raise EngineError(f"n: expected a number of campaigns > 0, found {n!r}; "
                          "use e.g. n=10000")
    s = resolve_scenario(scenario, changes)
    if roles is not None:
        roles = np.asarray(roles)
        if roles.shape != (n, 4) or roles.min() < 0 or roles.max() > 6:
            raise EngineError(f"roles: expected an (n, 4) array of levels 0-6, found shape "
                              f"{roles.shape}; pass one level per ally (JPN, AUS, PHL, KOR)")
    t0 = time.perf_counter()
    columns: dict[str, np.ndarray] = {}
    traj = None
    writer = None
    done = 0
    tmp = None
    try:
        for task, cols, tr in run_scenario(s, n, seed, workers=workers,
                                           trajectories=trajectories, roles=roles):
            if tr is not None:
                traj = tr
            if keep_table:  # one preallocated column per result, filled block by block
                if not columns:
                    columns = {c: np.empty(n, dtype=v.dtype) for c, v in cols.items()}
                for c, v in cols.items():
                    columns[c][task.start:task.start + task.size] = v
            if out is not None:
                import pyarrow as pa
                import pyarrow.parquet as pq

                tbl = pa.table(cols)
                if writer is None:
                    tmp = Path(str(out) + ".tmp")
                    meta = {b"strait.scenario": s.name.encode(),
                            b"strait.scenario_hash": scenario_hash(s).encode(),
                            b"strait.seed": str(seed).encode()}
                    schema = tbl.schema.with_metadata({**(tbl.schema.metadata or {}), **meta})
                    writer = pq.ParquetWriter(tmp, schema)
                writer.write_table(tbl.replace_schema_metadata(writer.schema.metadata))
            done += task.size
            if progress is not None:
                progress(done, n)
    except StraitError:
        raise
    finally:
        if writer is not None:
            writer.close()
        if tmp is not None:
            if done == n:
                os.replace(tmp, out)  # type: ignore[arg-type]
            else:  # a run that failed part-way leaves no half-written file behind
                tmp.unlink(missing_ok=True)
    table = pd.DataFrame(columns, copy=False) if columns else pd.DataFrame()
    elapsed = time.perf_counter() - t0
    log.info("played %d campaigns of %s in %.2f s", n, s.name, elapsed)
    return RunResults(table=table, scenario_name=s.name, scenario_hash=scenario_hash(s),
                      seed=seed, trajectories=traj,
                      meta={"elapsed_s": elapsed, "turn_days": s.campaign.turn_days,
                            "horizon_turns": s.campaign.horizon_turns})
