"""Air-base attack: aircraft destroyed on the ground and runway closure.

Aircraft in the open under submunition missiles (Poisson coverage of the flight line)::

    f_destroyed = 1 − exp(−n_apron · a_lethal / A_apron)

Aircraft in hardened shelters (one unitary warhead per occupied shelter)::

    sheltered_killed ~ Binomial(min(n_unitary, occupied shelters), p_HAS)

Runway: every ``m`` unitary missiles arriving per runway close the base's runways for
``repair`` days; closures queue (a backlog of closed days carried from turn to turn)::

    backlog' = max(backlog − T_turn, 0) + arriving / (m · runways) · repair
    open_fraction = 1 − min(backlog', T_turn) / T_turn

Each mechanism is one compiled scalar function (:func:`apron_kill_share`,
:func:`ground_kills`, :func:`runway_backlog`, :func:`open_share`) that the engine's strike
kernel (:func:`strait.engine.kernels.base_effects`) calls for every base of every lane; the
public array functions are built from the same scalars.

Sources:
    Hudson study (Walton & Shugart, 2025) as reported in "US bases in Asia-Pacific need
    hardening, Hudson study", Japan Times (Jan 2025) —
    https://www.japantimes.co.jp/news/2025/01/10/asia-pacific/us-bases-asia-pacific/
    (≈10 submunition missiles neutralise Iwakuni's flight line → ≈0.23 per missile);
    Cancian et al., *The First Battle of the Next War*, CSIS (2023), p. 82 (parked-aircraft Pk ≈
    missile coverage area ÷ parking area; one unitary warhead per shelter) —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan ;
    Stimson Center, *Cratering Effects: Chinese Missile Threats to US Air Bases in the
    Indo-Pacific* (Dec 2024), text copy —
    https://www.stimson.org/2024/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific/
    RAND, *Chinese Attacks on U.S. Air Bases in Asia* (RB-9858z2) —
    https://www.rand.org/pubs/research_briefs/RB9858z2.html
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import (
    FloatArray,
    as_count,
    as_float,
    binomial_normal,
    clip01,
    jit,
    lane_shape,
    nonneg,
    ufunc,
)

__all__ = [
    "aircraft_destroyed_on_ground",
    "apron_kill_fraction",
    "apron_kill_share",
    "ground_kills",
    "open_fraction",
    "open_share",
    "runway_backlog",
    "runway_backlog_days",
    "runway_closure_days",
    "shelter_shots",
]

# ---------------------------------------------------------------- scalar forms (compiled)


@jit
def apron_kill_share(missiles: float, lethal_slots: float, parking_slots: float) -> float:
    """Share of aircraft in the open destroyed: ``1 − exp(−missiles · lethal_slots / parking)``.

    Poisson coverage of the flight line: each submunition missile's lethal footprint covers
    ``lethal_slots`` aircraft parking slots out of ``parking_slots``, aim points spread at
    random. Negative missiles or footprints count as 0; an apron without slots is destroyed
    by any missile. Scalar and compiled (the strike kernel calls it); see
    :func:`apron_kill_fraction` for arrays.

    Source: Cancian et al., CSIS (2023), p. 82 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> round(apron_kill_share(10.0, 23.0, 100.0), 3)
    0.9
    """
    x = max(missiles, 0.0) * max(lethal_slots, 0.0)
    if parking_slots <= 0.0:
        return 1.0 if x > 0.0 else 0.0
    return 1.0 - math.exp(-x / parking_slots)


@jit
def shelter_shots(unitary: float, aircraft_sheltered: float, shelters: float) -> float:
    """Unitary warheads that find an occupied shelter: ``min(unitary, aircraft, shelters)``.

    One warhead per hardened shelter with an aircraft in it; warheads beyond that miss the
    aircraft (and cut runways instead, in the engine). Scalar and compiled.

    Source: Cancian et al., CSIS (2023), p. 82 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> shelter_shots(20.0, 10.0, 8.0)
    8.0
    """
    return min(unitary, min(aircraft_sheltered, shelters))


@jit
def ground_kills(
    parked: float,
    shelters: float,
    parking_slots: float,
    apron_missiles: float,
    unitary_on_shelters: float,
    lethal_slots: float,
    p_kill_shelter: float,
    z_open: float,
    z_shelter: float,
) -> tuple[float, float]:
    """Aircraft destroyed on the ground at one base, kills drawn at standard-normal draws.

    ``parked`` aircraft fill the ``shelters`` first; the rest stand in the open on an apron of
    ``max(parking_slots, parked)`` slots::

        sheltered = min(parked, shelters),  open = parked − sheltered
        shots     = shelter_shots(unitary_on_shelters, sheltered, shelters)
        killed    ≈ Binomial(open, apron_kill_share(apron_missiles, lethal_slots, apron))
                  + Binomial(shots, p_kill_shelter)            (≤ parked)

    Both binomials are drawn by their normal approximation
    (:func:`strait.models._common.binomial_normal`): continuous, expected counts. Scalar and
    compiled: the strike kernel calls it for every base of every lane.

    Source: Cancian et al., CSIS (2023), p. 82 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan ;
    Japan Times on the Hudson study (2025) —
    https://www.japantimes.co.jp/news/2025/01/10/asia-pacific/us-bases-asia-pacific/

    Returns:
        ``(killed, shots)`` — aircraft destroyed, and unitary warheads spent on shelters.

    Example: 48 aircraft, 12 shelters, 100 slots; no submunitions, 20 unitary warheads at
    p 0.5 → 12 shots, 6 kills at the mean:

    >>> ground_kills(48.0, 12.0, 100.0, 0.0, 20.0, 23.0, 0.5, 0.0, 0.0)
    (6.0, 12.0)
    """
    sheltered = min(parked, shelters)
    open_ = parked - sheltered
    shots = shelter_shots(unitary_on_shelters, parked, shelters)
    f = apron_kill_share(apron_missiles, lethal_slots, max(parking_slots, parked))
    killed = binomial_normal(open_, f, z_open) + binomial_normal(shots, p_kill_shelter, z_shelter)
    return min(killed, parked), shots


@jit
def runway_backlog(
    backlog_days: float,
    arriving: float,
    missiles_per_closure: float,
    runways: float,
    repair_days_per_closure: float,
    turn_days: float,
) -> float:
    """Runway closure days outstanding after a turn's strike (the backlog carried on).

    ``max(backlog − turn_days, 0) + arriving / (missiles_per_closure · max(runways, 1)) ·
    repair_days_per_closure``. The previous backlog is worked off over the turn; every
    ``missiles_per_closure`` unitary missiles arriving per runway close the base once more for
    ``repair_days_per_closure`` (EOD clearance + crater repair), closures queueing rather than
    overlapping. Closures are expected values (fractional). ``missiles_per_closure <= 0``
    means the base cannot be closed. Scalar and compiled (the strike kernel calls it).

    Source: Stimson Center, *Cratering Effects* (Dec 2024) —
    https://www.stimson.org/2024/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific/
    and Rapid Runway Repair (RRR): An Optimization for Minimum Operating Strip Selection (AFIT
    thesis) —
    https://pdfslide.net/documents/rapid-runway-repair-rrr-an-optimization-for-minimum-rapid-runway-repair.html

    >>> runway_backlog(5.0, 24.0, 4.0, 2.0, 1.5, 3.5)
    6.0
    """
    cd = max(backlog_days - turn_days, 0.0)
    if missiles_per_closure > 0.0 and repair_days_per_closure > 0.0:
        cd += (max(arriving, 0.0) / (missiles_per_closure * max(runways, 1.0))
               * repair_days_per_closure)
    return cd


@jit
def open_share(backlog_days: float, turn_days: float) -> float:
    """Share of the turn a base's runways are open: ``1 − min(backlog, turn_days) / turn_days``.

    A zero-length turn counts as fully open. Scalar and compiled (the strike kernel calls it).

    Source: Stimson Center, *Cratering Effects* (Dec 2024) —
    https://www.stimson.org/2024/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific/

    >>> open_share(1.75, 3.5), open_share(9.0, 3.5)
    (0.5, 0.0)
    """
    if turn_days <= 0.0:
        return 1.0
    return 1.0 - min(max(backlog_days, 0.0), turn_days) / turn_days


_apron_u = ufunc(apron_kill_share, 3)
_shelter_shots_u = ufunc(shelter_shots, 3)
_backlog_u = ufunc(runway_backlog, 6)
_open_u = ufunc(open_share, 2)

# ---------------------------------------------------------------- array forms


def apron_kill_fraction(missiles: ArrayLike, lethal_area_fraction: ArrayLike) -> FloatArray:
    """Fraction of aircraft in the open destroyed: ``1 − exp(−missiles · lethal_area_fraction)``.

    Poisson coverage: each submunition missile's lethal footprint is ``lethal_area_fraction`` of
    the parking area and aim points are spread at random. Calibration anchor: about ten
    submunition missiles neutralise an Iwakuni-sized flight line (≈90 %), i.e.
    ``lethal_area_fraction ≈ 0.23``.

    Source: "US bases in Asia-Pacific need hardening, Hudson study", Japan Times (Jan 2025) —
    https://www.japantimes.co.jp/news/2025/01/10/asia-pacific/us-bases-asia-pacific/ ; Cancian et
    al., CSIS (2023), p. 82 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    Element by element :func:`apron_kill_share` with a parking area of 1.

    >>> print(np.round(apron_kill_fraction([0, 1, 10], 0.23), 3))
    [0.    0.205 0.9  ]
    """
    return as_float(_apron_u(missiles, lethal_area_fraction, 1.0))


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
    https://www.japantimes.co.jp/news/2025/01/10/asia-pacific/us-bases-asia-pacific/

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
    shots = _shelter_shots_u(as_count(missiles_unitary), as_count(sheltered), as_count(shelters))
    shots = np.asarray(shots).astype(np.int64)
    sheltered_killed = rng.binomial(shots, clip01(p_kill_shelter), size=shape)
    return as_float(open_killed), as_float(sheltered_killed)


def runway_backlog_days(
    arriving_missiles: ArrayLike,
    missiles_per_closure: ArrayLike,
    repair_days_per_closure: ArrayLike,
    turn_days: ArrayLike,
    runways: ArrayLike = 1.0,
    backlog_days: ArrayLike = 0.0,
) -> FloatArray:
    """Runway closure days outstanding after a turn's strike: :func:`runway_backlog` on arrays.

    ``max(backlog_days − turn_days, 0) + arriving / (missiles_per_closure · max(runways, 1)) ·
    repair_days_per_closure``; may exceed the turn (the rest carries into the next).

    Source: Stimson Center, *Cratering Effects* (Dec 2024) —
    https://www.stimson.org/2024/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific/

    >>> print(runway_backlog_days([6, 12, 100], 6, 1.5, 3.5, backlog_days=[0, 4, 0]))
    [ 1.5  3.5 25. ]
    """
    # a vanishing missiles_per_closure gives unbounded closure (the turn caps what counts)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return as_float(_backlog_u(backlog_days, arriving_missiles, missiles_per_closure,
                                   runways, repair_days_per_closure, turn_days))


def runway_closure_days(
    arriving_missiles: ArrayLike,
    missiles_per_closure: ArrayLike,
    repair_days_per_closure: ArrayLike,
    turn_days: ArrayLike,
    runways: ArrayLike = 1.0,
    backlog_days: ArrayLike = 0.0,
) -> FloatArray:
    """Days within a turn that a base's runways are closed.

    ``closed = min(turn_days, backlog')`` with ``backlog' =`` :func:`runway_backlog_days`:
    every ``missiles_per_closure`` missiles arriving per runway (after defences) cut the
    runways badly enough to leave no minimum operating strip, and each such closure costs
    ``repair_days_per_closure`` (EOD clearance + crater repair) before the next one can bite,
    i.e. closures queue rather than overlap. Closures are expected values: 3 missiles where 6
    close a runway close it for half the repair time. ``missiles_per_closure <= 0`` means the
    base cannot be closed; ``backlog_days`` is closure left over from earlier turns. Calibrate
    the two parameters so sustained PLA allocations give the Stimson closure durations
    (≈11.7 days for fighters at US bases in Japan).

    Source: Stimson Center, *Cratering Effects* (Dec 2024) —
    https://www.stimson.org/2024/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific/
    and Rapid Runway Repair (RRR): An Optimization for Minimum Operating Strip Selection (AFIT
    thesis) —
    https://pdfslide.net/documents/rapid-runway-repair-rrr-an-optimization-for-minimum-rapid-runway-repair.html

    >>> print(runway_closure_days([6, 12, 100], 6, 1.5, 3.5))
    [1.5 3.  3.5]
    """
    T = nonneg(turn_days)
    backlog = runway_backlog_days(arriving_missiles, missiles_per_closure,
                                  repair_days_per_closure, T, runways, backlog_days)
    return as_float(np.minimum(backlog, T))


def open_fraction(
    arriving_missiles: ArrayLike,
    missiles_per_closure: ArrayLike,
    repair_days_per_closure: ArrayLike,
    turn_days: ArrayLike,
    runways: ArrayLike = 1.0,
    backlog_days: ArrayLike = 0.0,
) -> FloatArray:
    """Fraction of the turn a base's runways are usable: ``1 − closed / turn_days`` in [0, 1].

    ``closed`` is :func:`runway_closure_days` (element by element :func:`open_share` of the
    backlog); a zero-length turn counts as fully open.

    Source: Stimson Center, *Cratering Effects* (Dec 2024) —
    https://www.stimson.org/2024/cratering-effects-chinese-missile-threats-to-us-air-bases-in-the-indo-pacific/

    >>> print(open_fraction([6, 12, 100], 6, 1.5, 3.5).round(3))
    [0.571 0.143 0.   ]
    """
    T = nonneg(turn_days)
    backlog = runway_backlog_days(arriving_missiles, missiles_per_closure,
                                  repair_days_per_closure, T, runways, backlog_days)
    return as_float(_open_u(backlog, T))
