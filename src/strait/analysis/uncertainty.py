"""Dice versus parameters: how much of the spread of an outcome is chance, how much belief.

A run with ``strait.run(..., dice_per_draw=k)`` plays each draw of the scenario's
uncertain inputs (parameters, forces, base numbers, strike odds) ``k`` times with
different dice. The law of total variance then splits every metric ``Y``:

``Var(Y) = E[Var(Y | inputs)] + Var(E[Y | inputs])`` — *dice* plus *parameters*.

With ``G`` groups of ``k`` lanes, the within-group variance estimates the dice part and
``Var(group means) - dice / k`` the parameter part (clipped at 0). The parameter band is
the 5-95 % range of the conditional mean ``E[Y | inputs]`` across input draws, each
group mean shrunk towards the overall mean so that its dice noise does not widen it.

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> theta = np.repeat(rng.normal(0, 2, 400), 50)        # parameter part: sd 2
>>> y = theta + rng.normal(0, 1, theta.size)             # dice part: sd 1
>>> s = split_uncertainty(pd.DataFrame({"y": y}), 50, ["y"]).loc["y"]
>>> round(float(s.parameter_share), 1), round(float(s.dice_share), 1)
(0.8, 0.2)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from strait.errors import StraitError


def _metric(table: pd.DataFrame, name: str) -> np.ndarray:
    from strait.engine import OUTCOMES

    if name in OUTCOMES:  # an outcome class: its indicator, whose mean is its probability
        hit: np.ndarray = table["outcome"].to_numpy() == OUTCOMES.index(name)
        return hit.astype(float)
    if name not in table.columns:
        raise StraitError(f"metric '{name}': not a result column or outcome class; use e.g. "
                          "prc_victory or usa_aircraft_lost")
    return table[name].to_numpy(dtype=float)


def split_uncertainty(table: pd.DataFrame, dice_per_draw: int,
                      metrics: Sequence[str] = ("prc_victory", "prc_defeat",
                                                "usa_aircraft_lost", "usa_ships_lost"),
                      ) -> pd.DataFrame:
    """Per metric: mean, its Monte Carlo interval, the dice and parameter variance shares
    and the 5-95 % band of the conditional mean over input draws.

    ``table`` rows are lanes in run order, consecutive groups of ``dice_per_draw`` sharing
    one input draw (what ``strait.run(..., dice_per_draw=k)`` produces).
    """
    k = int(dice_per_draw)
    n = len(table)
    if k < 2 or n < 2 * k:
        raise StraitError(f"dice_per_draw: expected at least 2 lanes per input draw and 2 "
                          f"draws, found {k} per draw over {n} lanes; run with "
                          "dice_per_draw=k (k >= 2) and n >= 2k")
    groups = n // k
    rows = {}
    for name in metrics:
        y = _metric(table, name)[: groups * k].reshape(groups, k)
        means = y.mean(axis=1)
        dice = float(y.var(axis=1, ddof=1).mean())
        between = float(means.var(ddof=1))
        param = max(between - dice / k, 0.0)
        total = param + dice
        grand = float(means.mean())
        se = float(np.sqrt(between / groups))
        shrink = np.sqrt(param / between) if between > 0 else 0.0
        cond = grand + (means - grand) * shrink
        rows[name] = {
            "mean": grand, "mc_low": grand - 1.96 * se, "mc_high": grand + 1.96 * se,
            "dice_share": dice / total if total > 0 else 0.0,
            "parameter_share": param / total if total > 0 else 0.0,
            "parameter_p05": float(np.quantile(cond, 0.05)),
            "parameter_p95": float(np.quantile(cond, 0.95)),
            "input_draws": groups, "dice_per_draw": k,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


__all__ = ["split_uncertainty"]
