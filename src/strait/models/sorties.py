"""Sortie generation: RAND sortie-rate model, tanker limits, effective sorties per turn.

RAND sortie-rate model::

    SR = 24 h / (FT + GT),   FT = 2·D / v_cruise + t_on_station,   GT = TAT + MT

Engine rule::

    sorties = aircraft · min(SR(D), cap) · open_fraction · tanker_factor · turn_days

Sources:
    RAND Sortie-Rate Model, appendix B of a RAND air-base vulnerability study —
    https://www.scribd.com/document/329517632/Rand-Sortie-rate-Model ;
    "No runways, no sorties: Chinese missiles threaten US airpower plans" (Stimson authors' op-ed)
    — https://tacgeardrop.com/tactical/no-runways-no-sorties-chinese-missiles-threaten-us-airpower-plans
    (only Okinawa lets US fighters fight Taiwan unrefuelled);
    "It took four aerial tankers to drag four F-16s to the South China Sea" (citing Forbes) —
    http://www.indiandefensenews.in/2021/04/it-took-four-aerial-tankers-to-drag.html
    (≈1 tanker per fighter from Misawa).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import FloatArray, as_float, clip01, inplace, nonneg

__all__ = ["effective_sorties", "sortie_rate_per_day", "tanker_factor"]


def sortie_rate_per_day(
    distance_km: ArrayLike,
    cruise_kmh: ArrayLike = 850.0,
    on_station_h: ArrayLike = 1.0,
    turnaround_h: ArrayLike = 3.0,
    maintenance_h: ArrayLike = 1.0,
    cap: ArrayLike | None = None,
) -> FloatArray:
    """Sorties per aircraft per day: ``SR = 24 / (2·D/v + on_station + TAT + MT)``, ≤ ``cap``.

    Flight time is out-and-back at cruise speed plus time on station; ground time is turnaround
    (observed USAF turnaround tasks ≈180 min) plus maintenance. ``cap`` (crew or maintenance
    limit, sorties/day) is applied when given. With the defaults: Kadena 755 km → 3.5/day,
    Iwakuni 1,580 km → 2.8, Misawa 2,660 km → 2.1, Guam 2,800 km → 2.1, Tindal 4,480 km → 1.5.

    Source: RAND Sortie-Rate Model —
    https://www.scribd.com/document/329517632/Rand-Sortie-rate-Model

    >>> print(np.round(sortie_rate_per_day([755, 2660, 4480]), 2))
    [3.54 2.13 1.54]
    >>> float(sortie_rate_per_day(755, cap=2.0))
    2.0
    """
    cycle_h = nonneg(distance_km) * 2.0
    cycle_h = inplace(np.divide, cycle_h, cruise_kmh)
    cycle_h = inplace(np.add, cycle_h, np.add(np.add(on_station_h, turnaround_h), maintenance_h))
    rate = np.divide(24.0, cycle_h)
    if cap is not None:
        rate = inplace(np.minimum, rate, nonneg(cap))
    return as_float(rate)


def tanker_factor(
    distance_km: ArrayLike,
    unrefuelled_radius_km: ArrayLike,
    tanker_sorties_available: ArrayLike,
    tanker_demand_per_sortie_per_1000km: ArrayLike,
    fighter_sorties: ArrayLike,
) -> FloatArray:
    """Fraction of fighter sorties that tanker support allows, in [0, 1].

    ::

        demand = fighter_sorties · tanker_demand_per_sortie_per_1000km · max(0, D − radius) / 1000
        factor = 1                                   if demand = 0 (inside the unrefuelled radius)
               = min(1, tanker_sorties_available / demand)   otherwise

    ``tanker_demand_per_sortie_per_1000km`` is tanker sorties needed per fighter sortie per
    1,000 km flown beyond the unrefuelled radius (public anchor: a Misawa F-16 mission to the
    South China Sea needed about one tanker per fighter).

    Sources: "No runways, no sorties" (op-ed) —
    https://tacgeardrop.com/tactical/no-runways-no-sorties-chinese-missiles-threaten-us-airpower-plans
    and "It took four aerial tankers to drag four F-16s to the South China Sea" —
    http://www.indiandefensenews.in/2021/04/it-took-four-aerial-tankers-to-drag.html

    >>> print(tanker_factor([500, 1500, 2500], 1000, 15, 0.5, 100))
    [1.  0.6 0.2]
    """
    beyond = np.subtract(nonneg(distance_km), nonneg(unrefuelled_radius_km))
    beyond = inplace(np.maximum, beyond, 0.0)
    demand = np.multiply(nonneg(fighter_sorties), nonneg(tanker_demand_per_sortie_per_1000km))
    demand = np.multiply(demand, beyond)
    demand = inplace(np.divide, demand, 1000.0)
    avail = nonneg(tanker_sorties_available)
    shape = np.broadcast_shapes(np.shape(demand), np.shape(avail))
    factor = np.ones(shape)
    with np.errstate(over="ignore"):  # vanishing demand: factor → 1 after the clip below
        np.divide(avail, demand, out=factor, where=demand > 0.0)
    np.minimum(factor, 1.0, out=factor)
    return factor


def effective_sorties(
    aircraft: ArrayLike,
    distance_km: ArrayLike,
    open_fraction: ArrayLike,
    tanker_factor: ArrayLike,
    turn_days: ArrayLike,
    **rate_kwargs: Any,
) -> FloatArray:
    """Sorties flown in a turn: ``aircraft · SR(D) · open_fraction · tanker_factor · turn_days``.

    ``SR`` is :func:`sortie_rate_per_day` (``rate_kwargs`` — ``cruise_kmh``, ``on_station_h``,
    ``turnaround_h``, ``maintenance_h``, ``cap`` — are passed to it). ``open_fraction`` and
    ``tanker_factor`` are clipped to [0, 1]; negative aircraft or days count as 0.

    Source: RAND Sortie-Rate Model —
    https://www.scribd.com/document/329517632/Rand-Sortie-rate-Model

    >>> round(float(effective_sorties(24, 755, 0.5, 1.0, 3.5)), 1)
    148.8
    """
    s = sortie_rate_per_day(distance_km, **rate_kwargs)
    s = inplace(np.multiply, s, nonneg(aircraft))
    s = inplace(np.multiply, s, clip01(open_fraction))
    s = inplace(np.multiply, s, clip01(tanker_factor))
    s = inplace(np.multiply, s, nonneg(turn_days))
    return as_float(s)
