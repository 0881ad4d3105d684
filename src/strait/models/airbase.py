"""Air-base attack: aircraft destroyed on the ground and runway closure.

Aircraft in the open under submunition missiles (Poisson coverage of the flight line)::

    f_destroyed = 1 − exp(−n_apron · a_lethal / A_apron)

Aircraft in hardened shelters (one unitary warhead per shelter)::

    sheltered_killed ~ Binomial(min(n_unitary, occupied shelters), p_HAS)

Runway: each ``m`` arriving missiles close it once for ``repair`` days::

    closed = min(T_turn, floor(arriving / m) · repair),   open_fraction = 1 − closed / T_turn

Sources:
    Hudson study (Walton & Shugart, 2025) as reported in "US bases in Asia-Pacific need
    hardening, Hudson study", Japan Times (Jan 2025) —
    https://japantimes.co.jp/news/2025/01/10/asia-pacific/us-bases-asia-pacific
    (≈10 submunition missiles neutralise Iwakuni's flight line → ≈0.23 per missile);
    Cancian et al., *The First Battle of the Next War*, CSIS (2023), p. 82 (parked-aircraft Pk ≈
    missile coverage area ÷ parking area; one unitary warhead per shelter) —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan ;
    Stimson Center, *Cratering Effects: Chinese Missile Threats to US Air Bases in the
    Indo-Pacific* (Dec 2024), text copy —
    https://mulemstudies.com/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific
    RAND, *Chinese Attacks on U.S. Air Bases in Asia* (RB-9858z2) —
    https://www.rand.org/pubs/research_briefs/RB9858z2.html
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import FloatArray, as_count, as_float, clip01, lane_shape, nonneg

__all__ = [
    "aircraft_destroyed_on_ground",
    "apron_kill_fraction",
    "open_fraction",
    "runway_closure_days",
]


def apron_kill_fraction(missiles: ArrayLike, lethal_area_fraction: ArrayLike) -> FloatArray:
    """Fraction of aircraft in the open destroyed: ``1 − exp(−missiles · lethal_area_fraction)``.

    Poisson coverage: each submunition missile's lethal footprint is ``lethal_area_fraction`` of
    the parking area and aim points are spread at random. Calibration anchor: about ten
    submunition missiles neutralise an Iwakuni-sized flight line (≈90 %), i.e.
    ``lethal_area_fraction ≈ 0.23``.

    Source: "US bases in Asia-Pacific need hardening, Hudson study", Japan Times (Jan 2025) —
    https://japantimes.co.jp/news/2025/01/10/asia-pacific/us-bases-asia-pacific ; Cancian et
    al., CSIS (2023), p. 82 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> print(np.round(apron_kill_fraction([0, 1, 10], 0.23), 3))
    [0.    0.205 0.9  ]
    """
    x = nonneg(missiles) * nonneg(lethal_area_fraction)
    return as_float(-np.expm1(-x))


def aircraft_destroyed_on_ground(
    rng: np.random.Generator,
    parked: ArrayLike,
    sheltered: ArrayLike,
    shelters: ArrayLike,
    missiles_apron: ArrayLike,
    missiles_unitary: ArrayLike,
    lethal_area_fraction: ArrayLike,
    p_kill_shelter: ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Aircraft destroyed on the ground by one strike on one base (per lane).

    * ``parked`` aircraft stand in the open: each is destroyed independently with probability
      :func:`apron_kill_fraction` ``(missiles_apron, lethal_area_fraction)``, so
      ``open_killed ~ Binomial(parked, f)``.
    * ``sheltered`` aircraft sit one per hardened shelter; ``occupied = min(sheltered,
      shelters)``. The attacker aims one unitary warhead per occupied shelter, so
      ``sheltered_killed ~ Binomial(min(missiles_unitary, occupied), p_kill_shelter)``. Aircraft
      listed as sheltered beyond the shelter count are not attacked here: put them in ``parked``.

    Counts are floored to whole aircraft/missiles; results are whole numbers in float64 arrays,
    ``open_killed ≤ parked`` and ``sheltered_killed ≤ sheltered``.

    Source: Cancian et al., *The First Battle of the Next War*, CSIS (2023), p. 82 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan ;
    Japan Times on the Hudson study (2025) —
    https://japantimes.co.jp/news/2025/01/10/asia-pacific/us-bases-asia-pacific

    Returns:
        ``(open_killed, sheltered_killed)``.

    >>> rng = np.random.default_rng(0)
    >>> o, s = aircraft_destroyed_on_ground(rng, [40.0], [10.0], [8.0], [0.0], [20.0], 0.23, 1.0)
    >>> print(o, s)
    [0.] [8.]
    """
    shape = lane_shape(
        parked,
        sheltered,
        shelters,
        missiles_apron,
        missiles_unitary,
        lethal_area_fraction,
        p_kill_shelter,
    )
    f = apron_kill_fraction(missiles_apron, lethal_area_fraction)
    open_killed = rng.binomial(as_count(parked), f, size=shape)
    occupied = np.minimum(as_count(sheltered), as_count(shelters))
    shots = np.minimum(as_count(missiles_unitary), occupied)
    sheltered_killed = rng.binomial(shots, clip01(p_kill_shelter), size=shape)
    return as_float(open_killed), as_float(sheltered_killed)


def runway_closure_days(
    arriving_missiles: ArrayLike,
    missiles_per_closure: ArrayLike,
    repair_days_per_closure: ArrayLike,
    turn_days: ArrayLike,
) -> FloatArray:
    """Days within a turn that a base's runways are closed.

    ``closed = min(turn_days, floor(arriving / missiles_per_closure) · repair_days_per_closure)``.
    Every full ``missiles_per_closure`` arriving (after defences) cuts the runways badly enough
    to leave no minimum operating strip, and each such closure costs
    ``repair_days_per_closure`` (EOD clearance + crater repair) before the next one can bite,
    i.e. closures are assumed to be spread through the turn rather than overlapping. Fewer than
    ``missiles_per_closure`` arrivals close nothing; ``missiles_per_closure <= 0`` means the
    base cannot be closed. Calibrate the two parameters so sustained PLA allocations give the
    Stimson closure durations (≈11.7 days for fighters at US bases in Japan).

    Source: Stimson Center, *Cratering Effects* (Dec 2024) —
    https://mulemstudies.com/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific
    and Rapid Runway Repair (RRR): An Optimization for Minimum Operating Strip Selection (AFIT
    thesis) —
    https://pdfslide.net/documents/rapid-runway-repair-rrr-an-optimization-for-minimum-rapid-runway-repair.html

    >>> print(runway_closure_days([5, 12, 100], 6, 1.5, 3.5))
    [0.  3.  3.5]
    """
    m = as_float(missiles_per_closure)
    arr = nonneg(arriving_missiles)
    repair = nonneg(repair_days_per_closure)
    n_closures = np.zeros(lane_shape(arr, m, repair))
    # A vanishing missiles_per_closure gives infinitely many closures: the min() below caps them.
    with np.errstate(over="ignore", invalid="ignore"):
        np.divide(arr, m, out=n_closures, where=m > 0.0)
        np.floor(n_closures + 1e-9, out=n_closures)
        closed = np.where(repair > 0.0, n_closures * repair, 0.0)
    return as_float(np.minimum(closed, nonneg(turn_days)))


def open_fraction(
    arriving_missiles: ArrayLike,
    missiles_per_closure: ArrayLike,
    repair_days_per_closure: ArrayLike,
    turn_days: ArrayLike,
) -> FloatArray:
    """Fraction of the turn a base's runways are usable: ``1 − closed / turn_days`` in [0, 1].

    ``closed`` is :func:`runway_closure_days`; a zero-length turn counts as fully open.

    Source: Stimson Center, *Cratering Effects* (Dec 2024) —
    https://mulemstudies.com/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific

    >>> print(open_fraction([5, 12, 100], 6, 1.5, 3.5).round(3))
    [1.    0.143 0.   ]
    """
    T = nonneg(turn_days)
    closed = runway_closure_days(
        arriving_missiles, missiles_per_closure, repair_days_per_closure, T
    )
    shape = np.broadcast_shapes(closed.shape, T.shape)
    frac = np.divide(closed, T, out=np.zeros(shape), where=T > 0)
    return as_float(np.clip(1.0 - frac, 0.0, 1.0))
