"""Hughes salvo model of naval missile combat, deterministic and stochastic.

Equations (simultaneous fire, one salvo each way)::

    ΔB = max(0, σ_A·α·A − τ_B·y·B) / b          ΔA = max(0, σ_B·β·B − τ_A·z·A) / a

α, β missiles fired per ship; σ fraction of fired missiles that are well aimed; y, z missiles each
defending ship can defeat; τ defensive readiness (0 = surprised, 1 = fully alert); a, b hits to put
one ship out of action (staying power).

Sources:
    W. P. Hughes Jr., "A Salvo Model of Warships in Missile Combat Used to Evaluate Their Staying
    Power", Naval Research Logistics 42 (1995), 267-289; public restatements with code:
    Salvo Equations Simulator, README — https://github.com/KanonStarbringer/salvo-equations ;
    Combat-salvo, README — https://github.com/CRG180/combat-salvo .
    Planning ranges for σ, y, a: "Missile Math for Marines", Marine Corps Gazette (Jan 2023).
    Priority targeting of amphibious ships: M. F. Cancian, M. Cancian, E. Heginbotham, *The First
    Battle of the Next War: Wargaming a Chinese Invasion of Taiwan*, CSIS (2023) —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import (
    FloatArray,
    as_count,
    as_float,
    check_positive,
    clip01,
    inplace,
    lane_shape,
    nonneg,
)

__all__ = ["allocate_hits", "salvo_exchange", "salvo_hits"]


def _one_side_losses(
    attackers: FloatArray,
    defenders: FloatArray,
    fired_per_ship: ArrayLike,
    aim: ArrayLike,
    intercepts_per_ship: ArrayLike,
    readiness: ArrayLike,
    staying_power: ArrayLike,
) -> FloatArray:
    loss = np.multiply(aim, fired_per_ship) * attackers  # fresh array (or numpy scalar)
    loss = inplace(np.subtract, loss, np.multiply(readiness, intercepts_per_ship) * defenders)
    loss = inplace(np.maximum, loss, 0.0)
    loss = inplace(np.divide, loss, staying_power)
    loss = inplace(np.minimum, loss, defenders)
    return as_float(loss)


def salvo_exchange(
    A: ArrayLike,
    B: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    sigma_a: ArrayLike,
    sigma_b: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    tau_a: ArrayLike,
    tau_b: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Deterministic Hughes salvo exchange: ships put out of action on each side.

    ``ΔB = max(0, σ_A·α·A − τ_B·y·B) / b`` and ``ΔA = max(0, σ_B·β·B − τ_A·z·A) / a``, both fired
    simultaneously, each clipped to ``[0, force]``. ``y`` is B's defensive power per ship and ``z``
    A's (Hughes' notation). Staying powers ``a, b`` must be > 0. Losses are fractional (expected
    value); all arguments broadcast over leading lane dimensions.

    Source: W. P. Hughes Jr., "A Salvo Model of Warships in Missile Combat Used to Evaluate Their
    Staying Power", Naval Research Logistics 42 (1995); Salvo Equations Simulator —
    https://github.com/KanonStarbringer/salvo-equations

    Returns:
        ``(dA, dB)`` — ships of A and of B put out of action.

    Raises:
        ValueError: a staying power ``a`` or ``b`` that is not finite and > 0.

    Example: 10 A-ships fire 4 missiles each, half well aimed (20 good shots), against 8 B-ships
    that each defeat 2 (16): 4 leak, b = 1 hit per kill → ΔB = 4. B fires 6 each at 0.5 (24)
    against A's 10 × 1.5 = 15 defeated, a = 3 → ΔA = 3.

    >>> dA, dB = salvo_exchange(10, 8, 4, 6, 0.5, 0.5, 2, 1.5, 1, 1, 3, 1)
    >>> float(dA), float(dB)
    (3.0, 4.0)
    """
    a = check_positive("salvo_exchange", "a", a, "A's staying power, hits per ship lost")
    b = check_positive("salvo_exchange", "b", b, "B's staying power, hits per ship lost")
    A_ = nonneg(A)
    B_ = nonneg(B)
    dB = _one_side_losses(A_, B_, alpha, sigma_a, y, tau_b, b)
    dA = _one_side_losses(B_, A_, beta, sigma_b, z, tau_a, a)
    return dA, dB


def salvo_hits(rng: np.random.Generator, missiles: ArrayLike, p_hit: ArrayLike) -> FloatArray:
    """Binomial hits from arriving missiles: ``hits ~ Binomial(floor(missiles), p_hit)``.

    ``missiles`` may be a float array; it is floored to whole missiles (after adding 1e-9 to absorb
    round-off) and negatives count as 0; ``p_hit`` is clipped to [0, 1]. Both broadcast. The
    result is a float64 array of whole numbers, never more than the missiles.

    Source: method of Pk as used by M. F. Cancian et al., *The First Battle of the Next War*,
    CSIS (2023), pp. 29-32 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> rng = np.random.default_rng(0)
    >>> print(salvo_hits(rng, [0.0, 5.0, 7.9], [0.3, 1.0, 0.0]))
    [0. 5. 0.]
    """
    n = as_count(missiles)
    p = clip01(p_hit)
    return as_float(rng.binomial(n, p, size=lane_shape(n, p)))


def allocate_hits(
    hits: ArrayLike, counts: ArrayLike, weights: ArrayLike, staying_power: ArrayLike
) -> FloatArray:
    """Spread hits over target classes and turn them into expected kills.

    For lane ``i`` and class ``k`` (``counts`` shaped ``(..., K)``, ``hits`` shaped ``(...)``)::

        share_ik = w_k·C_ik / Σ_j w_j·C_ij
        kills_ik = min(C_ik, hits_i · share_ik / s_k)

    i.e. hits are distributed in proportion to targeting weight × ships present (Hughes'
    heterogeneous-fleet extension), then divided by the class staying power ``s_k`` (hits per
    kill, > 0). Kills are **expected-value fractional kills** (float, not floored) so that a lane
    with 1 hit on a 2-hit ship records half a ship; callers wanting whole ships can floor or
    sample. Hits assigned to a class beyond what kills every ship in it are wasted (overkill is
    not re-targeted). Lanes with no target (Σ w·C = 0) get zero kills. ``weights`` and
    ``staying_power`` broadcast against ``counts`` (shape ``(K,)`` or ``(..., K)``).

    Source: W. P. Hughes Jr., Naval Research Logistics 42 (1995); Combat-salvo, README —
    https://github.com/CRG180/combat-salvo ; amphibious-priority targeting: Cancian et al., CSIS
    (2023) — https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    Raises:
        ValueError: a ``staying_power`` that is not finite and > 0.

    Example: 6 hits on 4 destroyers (weight 1, 2 hits each) and 2 amphibs (weight 4, 1 hit each):
    shares 4/12 and 8/12 → 2 hits → 1 destroyer, 4 hits → 4 amphibs, clipped to the 2 present.

    >>> print(allocate_hits([6.0], [[4.0, 2.0]], [1.0, 4.0], [2.0, 1.0]))
    [[1. 2.]]
    """
    staying_power = check_positive("allocate_hits", "staying_power", staying_power,
                                   "hits per ship of each class put out of action")
    C = as_float(nonneg(counts))
    share = as_float(np.maximum(as_float(weights), 0.0) * C)  # fresh array, w_k·C_k
    total = share.sum(axis=-1, keepdims=True)
    # share_k = w_k·C_k / Σ w·C ∈ [0, 1] (left at 0 where Σ = 0, since then every w_k·C_k = 0)
    np.divide(share, total, out=share, where=total > 0.0)
    kills = share * as_float(nonneg(hits))[..., np.newaxis]
    kills = inplace(np.divide, kills, staying_power)
    kills = inplace(np.minimum, kills, C)
    return as_float(kills)
