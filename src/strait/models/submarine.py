"""Submarine search and attrition.

Koopman random-search detection probability::

    P_detect = 1 − exp(−W·v·t / A)

Patrol per turn (CSIS rule: ≈2 large amphibious ships per SSN per 3.5-day turn in the Strait,
≈20 % SSN attrition per turn)::

    kills      = min(Poisson(boats · kills_per_boat_turn), targets_available)
    boats_lost ~ Binomial(boats, attrition_per_turn)

:func:`submarine_patrol` draws both exactly in whole boats; :func:`patrol_kills` and
:func:`patrol_losses` are the same two distributions by their normal approximations at given
standard-normal draws, in continuous boats: the form the engine's submarine phase plays.

Sources:
    B. O. Koopman, search theory, as restated in "Deriving effective sweep width for intermittent
    signals", JHU APL Technical Digest —
    https://studylib.net/doc/14302997/i-deriving-effective-sweep-width-for--intermittent-signal...
    and "An Introduction to Search Theory" (NPS thesis, 1974) —
    https://fdocuments.in/document/an-introduction-to-search-theory-mario-jorge-ferreira-mario-jorge-ferreira.html
    Cancian et al., *The First Battle of the Next War*, CSIS (2023), p. 135 and fn 311 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import (
    FloatArray,
    as_count,
    as_float,
    binomial_normal,
    clip01,
    elementwise,
    inplace,
    jit,
    lane_shape,
    nonneg,
    poisson_normal,
)

__all__ = ["koopman_detection_probability", "patrol_kills", "patrol_losses", "submarine_patrol"]


@jit
def _patrol_kills(boats: float, kills_per_boat_turn: float, targets: float, z: float) -> float:
    kills: float = poisson_normal(boats * kills_per_boat_turn, z, targets)
    return kills


@jit
def _patrol_kills_loop(boats, kills_per_boat_turn, targets, z, out):  # type: ignore[no-untyped-def]
    for i in range(out.size):
        out[i] = _patrol_kills(boats[i], kills_per_boat_turn[i], targets[i], z[i])


@jit
def _patrol_losses_loop(boats, attrition, z, out):  # type: ignore[no-untyped-def]
    for i in range(out.size):
        out[i] = binomial_normal(boats[i], attrition[i], z[i])


def koopman_detection_probability(
    sweep_width_km: ArrayLike, speed_kmh: ArrayLike, hours: ArrayLike, area_km2: ArrayLike
) -> FloatArray:
    """Random-search detection probability ``1 − exp(−W·v·t / A)`` in [0, 1].

    ``W`` effective sweep width (km), ``v`` search speed (km/h), ``t`` hours searched, ``A``
    area searched (km², > 0; ``A = 0`` counts as certain detection when any sweep is made).
    Tends to ``W·v·t/A`` for short searches and to 1 as ``t → ∞``.

    Source: "An Introduction to Search Theory" (NPS thesis, 1974) —
    https://fdocuments.in/document/an-introduction-to-search-theory-mario-jorge-ferreira-mario-jorge-ferreira.html

    >>> print(np.round(koopman_detection_probability(10, 20, [0, 5, 50], 1000), 3))
    [0.    0.632 1.   ]
    """
    swept = np.multiply(nonneg(sweep_width_km), nonneg(speed_kmh))
    swept = np.multiply(swept, nonneg(hours))
    area = nonneg(area_km2)
    shape = np.broadcast_shapes(np.shape(swept), np.shape(area))
    ratio = np.divide(swept, area, out=np.full(shape, np.inf), where=area > 0.0)
    ratio = np.where(swept > 0.0, ratio, 0.0)
    ratio = inplace(np.negative, ratio)
    ratio = inplace(np.expm1, ratio)
    return as_float(inplace(np.negative, ratio))


def submarine_patrol(
    rng: np.random.Generator,
    boats_on_station: ArrayLike,
    kills_per_boat_turn: ArrayLike,
    targets_available: ArrayLike,
    attrition_per_turn: ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """One turn of submarines on patrol: targets sunk and boats lost.

    ``kills = min(Poisson(boats · kills_per_boat_turn), targets_available)`` and
    ``boats_lost ~ Binomial(boats, attrition_per_turn)``, with ``boats`` floored to whole boats.
    Kills and losses are drawn independently (a boat lost during the turn is assumed to have
    attacked first). CSIS anchor: ``kills_per_boat_turn ≈ 2`` large amphibious ships (plus as
    many escorts/decoys) per 3.5-day turn in the Strait, ``attrition_per_turn ≈ 0.2``, rising
    as ASW minefields are laid.

    Source: Cancian et al., *The First Battle of the Next War*, CSIS (2023), p. 135, fn 311 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    Returns:
        ``(kills, boats_lost)`` — whole numbers in float64 arrays; ``kills ≤ targets_available``,
        ``boats_lost ≤ boats_on_station``.

    >>> rng = np.random.default_rng(0)
    >>> k, lost = submarine_patrol(rng, [0.0, 4.0], 2.0, [10.0, 0.0], 0.0)
    >>> print(k, lost)
    [0. 0.] [0. 0.]
    """
    shape = lane_shape(boats_on_station, kills_per_boat_turn, targets_available, attrition_per_turn)
    boats = as_count(boats_on_station)
    kills = as_float(rng.poisson(boats * nonneg(kills_per_boat_turn), size=shape))
    kills = inplace(np.minimum, kills, nonneg(targets_available))
    lost = as_float(rng.binomial(boats, clip01(attrition_per_turn), size=shape))
    return as_float(kills), lost


def patrol_kills(
    boats_on_station: ArrayLike,
    kills_per_boat_turn: ArrayLike,
    targets_available: ArrayLike,
    z: ArrayLike,
) -> FloatArray:
    """Targets sunk by submarines on patrol in one turn, at standard-normal draw ``z``.

    ``kills ≈ Poisson(boats · kills_per_boat_turn)`` by its normal approximation
    ``λ + sqrt(λ)·z`` (``λ`` floored at 0), clipped to ``[0, targets_available]``. Boats are
    continuous (a duty cycle of the force); the engine's submarine phase plays this for US
    SSNs and allied diesel boats. :func:`submarine_patrol` draws the same Poisson exactly.

    Source: Cancian et al., *The First Battle of the Next War*, CSIS (2023), p. 135, fn 311 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> print(patrol_kills([4.0, 4.0, 4.0], 2.0, [100.0, 100.0, 5.0], [0.0, 1.0, 0.0]))
    [ 8.         10.82842712  5.        ]
    """
    return elementwise(_patrol_kills_loop, boats_on_station, kills_per_boat_turn,
                       targets_available, z)


def patrol_losses(
    boats_on_station: ArrayLike, attrition_per_turn: ArrayLike, z: ArrayLike
) -> FloatArray:
    """Submarines lost on patrol in one turn, at standard-normal draw ``z``.

    ``boats_lost ≈ Binomial(boats, attrition_per_turn)`` by its normal approximation
    ``m + sqrt(m·(1 − p))·z`` with ``m = boats·p``, clipped to ``[0, boats]``. The engine's
    submarine phase plays this; :func:`submarine_patrol` draws the same binomial exactly. CSIS
    anchor: ``attrition_per_turn ≈ 0.2``.

    Source: Cancian et al., *The First Battle of the Next War*, CSIS (2023), p. 135, fn 311 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> print(patrol_losses([4.0, 4.0, 4.0], 0.2, [0.0, 1.0, -2.0]))
    [0.8 1.6 0. ]
    """
    return elementwise(_patrol_losses_loop, boats_on_station, attrition_per_turn, z)
