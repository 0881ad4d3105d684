"""Executors: split a run into fixed-size blocks and play them serially or in processes.

The seeding contract: lanes are cut into blocks of :data:`BLOCK_SIZE`; block ``i`` draws
from ``numpy.random.default_rng(SeedSequence(seed, spawn_key=(cell, i)))``. A lane's
numbers therefore depend only on (seed, cell, its block, its place in the block, and the
block's size — which differs from BLOCK_SIZE only for the last block of a run) — never on
how many workers ran or in which order blocks finished — so the same seed and ``n`` give
bit-identical results with 1 or N workers.
"""

from __future__ import annotations

import atexit
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np

from strait.engine import compile_structure, play_block
from strait.errors import EngineError
from strait.scenario.models import Scenario

log = logging.getLogger(__name__)

BLOCK_SIZE = 8192
"""Lanes per block (part of the seeding contract: changing it changes results)."""


def block_rng(seed: int, block: int, cell: int = 0) -> np.random.Generator:
    """The generator of block ``block`` of study cell ``cell`` under root ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(cell, block)))


@dataclass(frozen=True)
class BlockTask:
    """One block to play."""

    block: int
    start: int
    size: int


def blocks(n: int, block_size: int = BLOCK_SIZE) -> list[BlockTask]:
    """Cut ``n`` lanes into blocks."""
    return [BlockTask(i, s, min(block_size, n - s)) for i, s in enumerate(range(0, n, block_size))]


_WORKER: dict[str, object] = {}


def _init_worker(scenario: Scenario) -> None:
    _WORKER["struct"] = compile_structure(scenario)


def _play(args: tuple[BlockTask, int, int, int, np.ndarray | None, int]
          ) -> tuple[BlockTask, dict[str, np.ndarray], np.ndarray | None]:
    task, seed, cell, trajectories, roles, dice = args
    struct = _WORKER["struct"]
    rng = block_rng(seed, task.block, cell)
    share = None if dice == 1 else (np.arange(task.size) // dice) * dice
    cols, traj = play_block(struct, task.size, rng,  # type: ignore[arg-type]
                            trajectories=trajectories if task.block == 0 else 0, roles=roles,
                            params_from=share)
    return task, cols, traj


def run_scenario(
    scenario: Scenario,
    n: int,
    seed: int,
    *,
    workers: int | None = None,
    trajectories: int = 0,
    cell: int = 0,
    roles: np.ndarray | None = None,
    block_size: int = BLOCK_SIZE,
    dice_per_draw: int = 1,
    on_block: Callable[[BlockTask, dict[str, np.ndarray]], None] | None = None,
) -> Iterator[tuple[BlockTask, dict[str, np.ndarray], np.ndarray | None]]:
    """Play ``n`` lanes of ``scenario``; yield ``(task, columns, trajectories)`` per block.

    Blocks are yielded in block order whatever order they finish in. ``workers=None``
    uses every core; ``workers=1`` plays in this process. ``roles`` (``(n, A)`` ints)
    forces starting roles. ``dice_per_draw`` > 1 plays each draw of the uncertain inputs
    that many times with different dice (consecutive lanes share a draw; it must divide
    the block size, so groups never straddle blocks).
    """
    if not isinstance(n, int | np.integer) or n <= 0:
        raise EngineError(f"n: expected a number of campaigns > 0, found {n}; use e.g. -n 10000")
    if seed is None or int(seed) < 0:
        raise EngineError(f"seed: expected an integer >= 0, found {seed}")
    if trajectories < 0 or trajectories > block_size:
        raise EngineError(f"trajectories: expected 0 to {block_size} campaigns (they are "
                          f"recorded from the first block), found {trajectories}")
    dice = int(dice_per_draw)
    if dice < 1 or block_size % dice:
        raise EngineError(f"dice_per_draw: expected a divisor of the block size {block_size} "
                          f"(1, 2, 4, ... {block_size}), found {dice_per_draw}; e.g. 32")
    tasks = blocks(int(n), block_size)
    if workers is None:
        workers = os.cpu_count() or 1
    workers = max(1, min(int(workers), len(tasks)))
    struct = compile_structure(scenario)  # fail fast in the parent on an unplayable scenario
    args = [(t, int(seed), cell, trajectories,
             None if roles is None else roles[t.start:t.start + t.size], dice) for t in tasks]
    if workers == 1:
        _WORKER["struct"] = struct
        for a in args:
            yield _play(a)
        return
    pool = _pool(scenario, workers)
    try:
        yield from pool.map(_play, args)
    except BrokenProcessPool:
        _drop_pool()  # a worker died: the next run starts a fresh pool
        raise


_POOL: dict[str, Any] = {}


def _pool(scenario: Scenario, workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers hold ``scenario`` compiled, kept between runs of the same
    scenario (a study's cells, a role sweep): starting processes and compiling the engine
    in each costs more than a 10,000-campaign cell."""
    from strait.scenario.loader import scenario_hash

    key = (scenario_hash(scenario), workers)
    if _POOL.get("key") != key or _POOL.get("pool") is None:
        _drop_pool()
        _POOL["pool"] = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                            initargs=(scenario,))
        _POOL["key"] = key
    pool: ProcessPoolExecutor = _POOL["pool"]
    return pool


def _drop_pool() -> None:
    pool = _POOL.pop("pool", None)
    _POOL.pop("key", None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


atexit.register(_drop_pool)
