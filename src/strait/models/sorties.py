"""Sortie generation: RAND sortie-rate model, tanker limits, effective sorties per turn.

RAND sortie-rate model::

    SR = 24 h / (FT + GT),   FT = 2·D / v_cruise + t_on_station,   GT = TAT + MT

Engine rule::

    sorties = aircraft · usable_fraction · min(SR(D), cap) · turn_days · tanker_factor
    tanker_factor = min(1, tanker sorties available / demand),
    demand = Σ sorties · max(0, D − radius) · tanker sorties per fighter sortie per 1000 km / 1000

Bombers (no tanker limit; a rate quoted at 5,000 km scaled by distance)::

    bomber sorties = aircraft · rate_5000 · 5000 / max(D, 1000) per day

Each equation is one compiled scalar function (:func:`sortie_rate`, :func:`sorties_flown`,
:func:`tanker_demand`, :func:`tanker_ration`, :func:`bomber_sortie_rate`) that the engine's
sortie kernel (:func:`strait.engine.kernels.slot_sorties`) calls slot by slot; the public
array functions are built from the same scalars.

Sources:
    RAND Sortie-Rate Model, appendix B of a RAND air-base vulnerability study —
    https://www.rand.org/pubs/monograph_reports/MR1028.html ;
    "No runways, no sorties: Chinese missiles threaten US airpower plans" (Stimson authors' op-ed)
    — https://www.militarytimes.com/opinion/2024/12/17/no-runways-no-sorties-chinese-missiles-threaten-us-airpower-plans/
    (only Okinawa lets US fighters fight Taiwan unrefuelled);
    "It took four aerial tankers to drag four F-16s to the South China Sea" (citing Forbes) —
    https://www.forbes.com/sites/davidaxe/2021/04/16/it-took-four-aerial-tankers-to-drag-four-us-air-force-f-16s-to-the-south-china-sea-and-thats-a-problem/
    (≈1 tanker per fighter from Misawa).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import (
    FloatArray,
    as_float,
    check_positive,
    clip01,
    jit,
    nonneg,
    ufunc,
)

__all__ = [
    "bomber_sortie_rate",
    "bomber_sorties_per_day",
    "effective_sorties",
    "sortie_rate",
    "sortie_rate_per_day",
    "sorties_flown",
    "tanker_demand",
    "tanker_factor",
    "tanker_ration",
]

# ---------------------------------------------------------------- scalar forms (compiled)


@jit
def sortie_rate(
    distance_km: float,
    cruise_kmh: float,
    on_station_h: float,
    turnaround_h: float,
    maintenance_h: float,
    cap: float,
) -> float:
    """Sorties per aircraft per day: ``min(24 / (2·D/v + on_station + TAT + MT), cap)``.

    The RAND sortie-rate model for one aircraft type at one base (negative distance counts as
    0; a negative cap as 0). Scalar and compiled: the sortie kernel calls it for every slot of
    every lane; :func:`sortie_rate_per_day` applies it to arrays.

    Source: RAND Sortie-Rate Model —
    https://www.rand.org/pubs/monograph_reports/MR1028.html

    >>> round(sortie_rate(755.0, 850.0, 1.0, 3.0, 1.0, 10.0), 2)
    3.54
    >>> sortie_rate(755.0, 850.0, 1.0, 3.0, 1.0, 2.0)
    2.0
    """
    rate = 24.0 / (2.0 * max(distance_km, 0.0) / cruise_kmh + on_station_h + turnaround_h
                   + maintenance_h)
    return min(rate, max(cap, 0.0))


@jit
def sorties_flown(aircraft: float, usable_fraction: float, rate: float, days: float) -> float:
    """Sorties flown in a turn before tanker limits: ``aircraft · usable_fraction · rate · days``.

    ``usable_fraction`` is the share of the turn the aircraft may fly from the base (open
    runways times access); ``rate`` sorties per aircraft per day (:func:`sortie_rate`).
    Scalar and compiled (the sortie kernel calls it).

    Source: RAND Sortie-Rate Model —
    https://www.rand.org/pubs/monograph_reports/MR1028.html

    >>> sorties_flown(24.0, 0.5, 2.0, 3.5)
    84.0
    """
    return aircraft * usable_fraction * rate * days


@jit
def tanker_demand(sortie_km_beyond_radius: float, tanker_need_per_1000km: float) -> float:
    """Tanker sorties needed: ``Σ sorties · (D − radius) · need / 1000``.

    ``sortie_km_beyond_radius`` sums, over fighter sorties flown from beyond the unrefuelled
    radius, the kilometres beyond it; ``tanker_need_per_1000km`` is tanker sorties per fighter
    sortie per 1,000 km (public anchor: a Misawa F-16 mission to the South China Sea needed
    about one tanker per fighter). Scalar and compiled.

    Sources: "No runways, no sorties" (op-ed) —
    https://www.militarytimes.com/opinion/2024/12/17/no-runways-no-sorties-chinese-missiles-threaten-us-airpower-plans/
    and "It took four aerial tankers to drag four F-16s to the South China Sea" —
    https://www.forbes.com/sites/davidaxe/2021/04/16/it-took-four-aerial-tankers-to-drag-four-us-air-force-f-16s-to-the-south-china-sea-and-thats-a-problem/

    >>> tanker_demand(100.0 * 1500.0, 0.5)
    75.0
    """
    return sortie_km_beyond_radius * tanker_need_per_1000km / 1000.0


@jit
def tanker_ration(tanker_sorties: float, demand: float) -> float:
    """Share of the tanker-dependent sorties that fly: 1, or ``tanker_sorties / demand`` if short.

    ``1`` when the tankers meet the demand (also when nothing is demanded), else
    ``tanker_sorties / demand`` (never negative). Scalar and compiled.

    Source: "No runways, no sorties" (op-ed) —
    https://www.militarytimes.com/opinion/2024/12/17/no-runways-no-sorties-chinese-missiles-threaten-us-airpower-plans/

    >>> tanker_ration(15.0, 25.0), tanker_ration(30.0, 25.0)
    (0.6, 1.0)
    """
    if demand > tanker_sorties:
        return max(tanker_sorties, 0.0) / demand
    return 1.0


@jit
def bomber_sortie_rate(aircraft: float, rate_at_5000km: float, distance_km: float) -> float:
    """Bomber sorties per day: ``aircraft · rate_at_5000km · 5000 / max(D, 1000)``.

    A long-range bomber's sortie rate quoted for a base 5,000 km away, scaled by distance (a
    round trip is mostly flight time); bases nearer than 1,000 km count as 1,000 km. Scalar
    and compiled (the sortie kernel calls it).

    Source: RAND Sortie-Rate Model (flight time dominates the cycle at long range) —
    https://www.rand.org/pubs/monograph_reports/MR1028.html

    >>> bomber_sortie_rate(10.0, 0.5, 2500.0), bomber_sortie_rate(10.0, 0.5, 500.0)
    (10.0, 25.0)
    """
    return aircraft * rate_at_5000km * 5000.0 / max(distance_km, 1000.0)


_rate_u = ufunc(sortie_rate, 6)
_flown_u = ufunc(sorties_flown, 4)
_demand_u = ufunc(tanker_demand, 2)
_ration_u = ufunc(tanker_ration, 2)
_bomber_u = ufunc(bomber_sortie_rate, 3)

# ---------------------------------------------------------------- array forms


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
    https://www.rand.org/pubs/monograph_reports/MR1028.html

    Raises:
        ValueError: ``cruise_kmh`` not finite and > 0, or a negative or infinite time.

    >>> print(np.round(sortie_rate_per_day([755, 2660, 4480]), 2))
    [3.54 2.13 1.54]
    >>> float(sortie_rate_per_day(755, cap=2.0))
    2.0
    """
    f = "sortie_rate_per_day"
    cruise_kmh = check_positive(f, "cruise_kmh", cruise_kmh, "cruise speed, km/h")
    on_station_h = check_positive(f, "on_station_h", on_station_h, "hours on station",
                                  allow_zero=True)
    turnaround_h = check_positive(f, "turnaround_h", turnaround_h, "turnaround hours",
                                  allow_zero=True)
    maintenance_h = check_positive(f, "maintenance_h", maintenance_h, "maintenance hours",
                                   allow_zero=True)
    return as_float(_rate_u(distance_km, cruise_kmh, on_station_h, turnaround_h, maintenance_h,
                            np.inf if cap is None else cap))


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
    https://www.militarytimes.com/opinion/2024/12/17/no-runways-no-sorties-chinese-missiles-threaten-us-airpower-plans/
    and "It took four aerial tankers to drag four F-16s to the South China Sea" —
    https://www.forbes.com/sites/davidaxe/2021/04/16/it-took-four-aerial-tankers-to-drag-four-us-air-force-f-16s-to-the-south-china-sea-and-thats-a-problem/

    >>> print(tanker_factor([500, 1500, 2500], 1000, 15, 0.5, 100))
    [1.  0.6 0.2]
    """
    beyond = np.maximum(np.subtract(nonneg(distance_km), nonneg(unrefuelled_radius_km)), 0.0)
    demand = _demand_u(nonneg(fighter_sorties) * beyond,
                       nonneg(tanker_demand_per_sortie_per_1000km))
    # the compiled ufunc may evaluate the division where its branch is not taken
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return as_float(_ration_u(nonneg(tanker_sorties_available), demand))


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
    ``tanker_factor`` are clipped to [0, 1]; negative aircraft or days count as 0. Element by
    element :func:`sorties_flown` (usable fraction ``open_fraction · tanker_factor``).

    Source: RAND Sortie-Rate Model —
    https://www.rand.org/pubs/monograph_reports/MR1028.html

    >>> round(float(effective_sorties(24, 755, 0.5, 1.0, 3.5)), 1)
    148.8
    """
    rate = sortie_rate_per_day(distance_km, **rate_kwargs)
    usable = clip01(open_fraction) * clip01(tanker_factor)
    return as_float(_flown_u(nonneg(aircraft), usable, rate, nonneg(turn_days)))


def bomber_sorties_per_day(
    aircraft: ArrayLike, distance_km: ArrayLike, rate_at_5000km: ArrayLike
) -> FloatArray:
    """Bomber sorties per day from a base: :func:`bomber_sortie_rate` on arrays.

    ``aircraft · rate_at_5000km · 5000 / max(D, 1000)`` (negative aircraft count as 0).

    Source: RAND Sortie-Rate Model —
    https://www.rand.org/pubs/monograph_reports/MR1028.html

    >>> print(bomber_sorties_per_day(10, [500, 2500, 10000], 0.5))
    [25.  10.   2.5]
    """
    return as_float(_bomber_u(nonneg(aircraft), rate_at_5000km, distance_km))
