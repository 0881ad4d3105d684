"""The Python API: ``strait.run(scenario, n=..., seed=..., workers=...)``.

Big runs stream: when keeping one row per campaign would take more than
:data:`TABLE_BUDGET_BYTES` of memory, :func:`run` keeps no table; it writes the rows to
the ``out`` Parquet file block by block (``out`` is then required) and keeps running
summaries, so ``results.summary()`` still works and memory stays flat as ``n`` grows
(accuracy of a streamed summary: :mod:`strait.results.stream`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from strait.engine.outputs import BYTES_PER_LANE
from strait.errors import EngineError
from strait.experiments.executors import Executor, make_executor, run_scenario
from strait.results.core import SUMMARY_LOSSES, RunResults
from strait.results.io import RowWriter, check_output_path, trajectories_path, write_trajectories
from strait.results.metadata import run_metadata
from strait.results.stream import RunningSummary
from strait.scenario.models import Scenario

log = logging.getLogger(__name__)


def resolve_scenario(scenario: str | os.PathLike[str] | Scenario,
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


TABLE_BUDGET_BYTES = 1_000_000_000
"""Largest per-campaign table (bytes) a run keeps in memory by default (1 GB)."""


def table_bytes(n: int) -> int:
    """Bytes the per-campaign table of ``n`` campaigns takes in memory."""
    return int(n) * BYTES_PER_LANE


def streams(n: int, keep_table: bool | None = None) -> bool:
    """Whether a run of ``n`` campaigns streams its rows instead of keeping them."""
    if keep_table is not None:
        return not keep_table
    return table_bytes(n) > TABLE_BUDGET_BYTES


def fmt_bytes(b: float) -> str:
    """``17.6 GB``, ``350 MB``."""
    return f"{b / 1e9:.1f} GB" if b >= 1e9 else f"{b / 1e6:.0f} MB"


def run(
    scenario: str | os.PathLike[str] | Scenario,
    n: int = 10_000,
    seed: int = 0,
    *,
    workers: int | None = None,
    executor: str | Executor | None = None,
    address: str | None = None,
    changes: Mapping[str, Any] | Iterable[str] | None = None,
    trajectories: int = 0,
    out: str | os.PathLike[str] | None = None,
    keep_table: bool | None = None,
    roles: np.ndarray | None = None,
    dice_per_draw: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> RunResults:
    """Play ``n`` campaigns of ``scenario`` and return their results.

    Args:
        scenario: bundled name (``"csis-base"``), YAML path, or a :class:`Scenario`.
        n: number of campaigns (lanes), > 0.
        seed: root seed; the same seed gives bit-identical results whatever ``workers``.
        workers: blocks played at once, >= 1 (``None`` = all cores, or all the Ray
            cluster's CPUs; ``1`` without ``executor`` = in-process).
        executor: ``"serial"``, ``"process"`` (a local process pool, the default unless
            ``workers=1``), ``"ray"`` or an :class:`~strait.experiments.executors.Executor`;
            every executor gives bit-identical results for the same seed. Without it, the
            one set by :func:`~strait.experiments.executors.use_executor` is used.
        address: the Ray cluster to play on (``HOST:PORT``, ``ray://HOST:PORT`` or
            ``auto``; implies ``executor="ray"``; without it Ray starts on this machine).
        changes: ``--set`` style overrides, e.g. ``["jpn.role=NEUTRAL"]``.
        trajectories: record per-turn trajectories for this many lanes (with ``out``,
            they are also written to ``OUT.trajectories.parquet``, in long form).
        out: write the per-lane table to this Parquet file, block by block, with the run
            metadata (checked before the run starts).
        keep_table: keep the per-lane table in memory. ``None`` (default): keep it unless
            it would take more than :data:`TABLE_BUDGET_BYTES`, in which case ``out`` is
            required and the rows stream to it. ``False``: always stream (summary only).
        roles: force starting roles, shape ``(n, 4)`` (JPN, AUS, PHL, KOR levels 0-6).
        dice_per_draw: play each draw of the scenario's uncertain inputs this many times
            with different dice (a power of two up to 8192), so
            :meth:`RunResults.uncertainty` can split every metric's spread into dice and
            parameter uncertainty.
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
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise EngineError(f"seed: expected an integer >= 0, found {seed!r}")
    if workers is not None and (isinstance(workers, bool)
                                or not isinstance(workers, int | np.integer) or workers < 1):
        raise EngineError(f"workers: expected a number of processes >= 1, found {workers!r}; "
                          "leave it out (None) to use every core")
    ex = make_executor(executor, workers, address)
    stream = streams(n, keep_table)
    if stream and out is None and keep_table is None:
        raise EngineError(
            f"n: {n:,} campaigns would need about {fmt_bytes(table_bytes(n))} to keep one row "
            f"each in memory (budget {fmt_bytes(TABLE_BUDGET_BYTES)}); pass out='FILE.parquet' "
            "to stream the rows to disk (summary() still works), or keep_table=True")
    out_path = check_output_path(out, "out") if out is not None else None
    traj_path = None
    if out_path is not None and trajectories:
        traj_path = check_output_path(trajectories_path(out_path), "trajectories",
                                      "results.trajectories.parquet")
    s = resolve_scenario(scenario, changes)
    if roles is not None:
        roles = np.asarray(roles)
        if roles.shape != (n, 4) or roles.min() < 0 or roles.max() > 6:
            raise EngineError(f"roles: expected an (n, 4) array of levels 0-6, found shape "
                              f"{roles.shape}; pass one level per ally (JPN, AUS, PHL, KOR)")
    ex.start()  # connect (Ray) before any file is written
    meta = run_metadata(scenario=s.name, scenario_hash=scenario_hash(s), seed=seed, n=n,
                        changes=changes, turn_days=s.campaign.turn_days,
                        horizon_turns=s.campaign.horizon_turns)
    t0 = time.perf_counter()
    columns: dict[str, np.ndarray] = {}
    running = RunningSummary(int(seed), sample_columns=SUMMARY_LOSSES) if stream else None
    traj = None
    writer: RowWriter | None = None
    done = 0
    try:
        for task, cols, tr in run_scenario(s, n, seed, workers=workers, executor=ex,
                                           trajectories=trajectories, roles=roles,
                                           dice_per_draw=dice_per_draw):
            if tr is not None:
                traj = tr
            if running is not None:
                running.add(cols)
            else:  # one preallocated column per result, filled block by block
                if not columns:
                    columns = {c: np.empty(n, dtype=v.dtype) for c, v in cols.items()}
                for c, v in cols.items():
                    columns[c][task.start:task.start + task.size] = v
            if out_path is not None:
                if writer is None:
                    writer = RowWriter(out_path, meta)
                writer.write(cols)
            done += task.size
            if progress is not None:
                progress(done, n)
    finally:
        if writer is not None:  # a run that failed part-way leaves no half-written file
            writer.close(ok=done == n)
    if traj_path is not None and traj is not None:
        write_trajectories(traj, traj_path, meta)
    table = pd.DataFrame(columns, copy=False) if columns else pd.DataFrame()
    elapsed = time.perf_counter() - t0
    log.info("played %d campaigns of %s in %.2f s on %s%s", n, s.name, elapsed, ex.name,
             " (streamed)" if stream else "")
    return RunResults(table=table, scenario_name=s.name, scenario_hash=meta["scenario_hash"],
                      seed=seed, trajectories=traj, running=running,
                      meta={**meta, "elapsed_s": elapsed, "streamed": stream,
                            "executor": ex.name,
                            "dice_per_draw": int(dice_per_draw)},
                      scenario=s)
