"""What each lane drew: the sampled inputs of a run, rebuilt from its seed.

Results tables hold outcomes; the inputs behind them (every parameter, force count, base
number and PRC odd given as a range) are not stored with every row — at 10^6 lanes that
would be ~100 extra columns — but they are a pure function of (scenario, seed, cell,
block), so :func:`sampled_inputs` replays only the sampling step of each block. Analysis
can then regress outcomes on inputs lane by lane.

>>> from strait.scenario.loader import load_scenario
>>> df = sampled_inputs(load_scenario("csis-base"), n=10, seed=1)
>>> df.shape[0], "forces.CHN.ground_battalions" in df.columns
(10, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from strait.engine.compile import compile_structure, sample_lanes
from strait.experiments.executors import BLOCK_SIZE, block_rng, blocks
from strait.scenario.models import Scenario


def sampled_inputs(scenario: Scenario, n: int, seed: int, cell: int = 0,
                   block_size: int = BLOCK_SIZE) -> pd.DataFrame:
    """One row per lane of ``strait.run(scenario, n, seed)``: every input drawn per lane
    (columns are scenario paths such as ``parameters.air.kill_rate_per_aircraft_day``)."""
    struct = compile_structure(scenario)
    parts = []
    for task in blocks(int(n), block_size):
        prm = sample_lanes(struct, task.size, block_rng(seed, task.block, cell))
        parts.append(pd.DataFrame({k: np.asarray(v, dtype=np.float64)
                                   for k, v in prm.drawn.items()}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


__all__ = ["sampled_inputs"]
