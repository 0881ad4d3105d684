"""Lanchester attrition laws (air combat, ground combat ashore), vectorised over lanes.

Square law (aimed fire)::

    dB/dt = −r·R,   dR/dt = −b·B          ⇒   b·B² − r·R² is conserved

with ``b = blue_kill_rate`` (red killed per blue per unit time) and ``r = red_kill_rate``.
Closed form, g = √(b·r)::

    B(t) = B₀·cosh(g·t) − √(r/b)·R₀·sinh(g·t)
    R(t) = R₀·cosh(g·t) − √(b/r)·B₀·sinh(g·t)

Linear law (area fire)::

    dB/dt = −ρ·B·R,   dR/dt = −β·B·R     ⇒   β·B − ρ·R is conserved

with ``β = blue_coeff`` and ``ρ = red_coeff``.

Sources:
    F. W. Lanchester, *Aircraft in Warfare: The Dawn of the Fourth Arm* (1916);
    Spradlin & Spradlin, "Lanchester's equations in three dimensions", Computers & Mathematics
    with Applications (2007) —
    https://c.coek.info/pdf-lanchesters-equations-in-three-dimensions-.html
    Lanchester war model — derivation — https://sites.google.com/view/lanchester-war-model/derivation
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import FloatArray, nonneg

__all__ = ["linear_law", "square_law", "square_law_exact"]

#: Beyond g·t = 20 the closed form is evaluated at g·t = 20: 1 − tanh(20) ≈ 8e-18 is below float64
#: resolution, so every fight that has not ended by then is a numerical tie whose survivors are
#: ≈ e⁻²⁰ ≈ 2e-9 of their start; clipping avoids cosh overflow and cancellation noise.
_MAX_GT = 20.0


def _start(
    blue: ArrayLike, red: ArrayLike, *others: ArrayLike
) -> tuple[FloatArray, FloatArray, tuple[int, ...]]:
    shape = np.broadcast_shapes(np.shape(blue), np.shape(red), *(np.shape(o) for o in others))
    B = np.broadcast_to(nonneg(blue), shape).copy()
    R = np.broadcast_to(nonneg(red), shape).copy()
    return B, R, shape


def _check_steps(steps: int) -> int:
    if int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    return int(steps)


def square_law(
    blue: ArrayLike,
    red: ArrayLike,
    blue_kill_rate: ArrayLike,
    red_kill_rate: ArrayLike,
    duration: ArrayLike,
    steps: int = 8,
) -> tuple[FloatArray, FloatArray]:
    """Lanchester square law integrated by forward Euler in ``steps`` sub-steps.

    Per sub-step of length ``dt = duration/steps`` (simultaneous update, clipped at 0)::

        B ← max(0, B − dt·r·R)      R ← max(0, R − dt·b·B)

    Once a side reaches 0 the other stops losing. Each sub-step multiplies the invariant
    ``b·B² − r·R²`` by ``(1 − dt²·b·r)``, so the error vanishes as O(1/steps); prefer
    :func:`square_law_exact`, which is exact and as cheap. Rates are per unit of ``duration``.

    Source: Lanchester war model — derivation —
    https://sites.google.com/view/lanchester-war-model/derivation

    Returns:
        ``(blue_after, red_after)``, each in ``[0, start]``.

    >>> B, R = square_law(100.0, 80.0, 0.01, 0.01, 10.0, steps=1000)
    >>> round(float(B), 2), round(float(R), 2)
    (92.49, 70.38)
    """
    n = _check_steps(steps)
    B, R, shape = _start(blue, red, blue_kill_rate, red_kill_rate, duration)
    dt = nonneg(duration) / n
    kb = nonneg(blue_kill_rate) * dt  # red lost per blue per sub-step
    kr = nonneg(red_kill_rate) * dt  # blue lost per red per sub-step
    loss_b = np.empty(shape)
    loss_r = np.empty(shape)
    for _ in range(n):
        np.multiply(kr, R, out=loss_b)
        np.multiply(kb, B, out=loss_r)
        B -= loss_b
        R -= loss_r
        np.maximum(B, 0.0, out=B)
        np.maximum(R, 0.0, out=R)
    return B, R


def linear_law(
    blue: ArrayLike,
    red: ArrayLike,
    blue_coeff: ArrayLike,
    red_coeff: ArrayLike,
    duration: ArrayLike,
    steps: int = 8,
) -> tuple[FloatArray, FloatArray]:
    """Lanchester linear (area-fire) law integrated by forward Euler in ``steps`` sub-steps.

    ``dR/dt = −β·B·R`` with ``β = blue_coeff`` and ``dB/dt = −ρ·B·R`` with ``ρ = red_coeff``;
    per sub-step ``B ← max(0, B − dt·ρ·B·R)``, ``R ← max(0, R − dt·β·B·R)``. Euler preserves the
    linear invariant ``β·B − ρ·R`` exactly (until a clip at 0); the trajectory itself converges
    to the logistic closed form ``B(t) = C·B₀ / (β·B₀ − ρ·R₀·e^(−C·t))``, ``C = β·B₀ − ρ·R₀``,
    as O(1/steps).

    Source: Spradlin & Spradlin, "Lanchester's equations in three dimensions" (2007) —
    https://c.coek.info/pdf-lanchesters-equations-in-three-dimensions-.html

    Returns:
        ``(blue_after, red_after)``, each in ``[0, start]``.

    >>> B, R = linear_law(100.0, 50.0, 0.001, 0.001, 1.0, steps=1)
    >>> round(float(B), 6), round(float(R), 6)
    (95.0, 45.0)
    """
    n = _check_steps(steps)
    B, R, shape = _start(blue, red, blue_coeff, red_coeff, duration)
    dt = nonneg(duration) / n
    kb = nonneg(blue_coeff) * dt
    kr = nonneg(red_coeff) * dt
    br = np.empty(shape)
    loss_b = np.empty(shape)
    loss_r = np.empty(shape)
    for _ in range(n):
        np.multiply(B, R, out=br)
        np.multiply(kr, br, out=loss_b)
        np.multiply(kb, br, out=loss_r)
        B -= loss_b
        R -= loss_r
        np.maximum(B, 0.0, out=B)
        np.maximum(R, 0.0, out=R)
    return B, R


def square_law_exact(
    blue: ArrayLike,
    red: ArrayLike,
    blue_kill_rate: ArrayLike,
    red_kill_rate: ArrayLike,
    duration: ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Exact Lanchester square law over ``duration``, with annihilation handled.

    With ``b = blue_kill_rate``, ``r = red_kill_rate``, ``g = √(b·r)``::

        B(t) = B₀·cosh(g·t) − r·R₀·sinh(g·t)/g
        R(t) = R₀·cosh(g·t) − b·B₀·sinh(g·t)/g

    (``sinh(g·t)/g → t`` as ``g → 0``, so a side that cannot shoot makes the other lose linearly,
    ``B₀ − r·R₀·t``.) If the loser reaches 0 before ``t`` the fight stops there: the loser is 0
    and the winner keeps what the invariant ``b·B² − r·R²`` leaves, ``√(B₀² − (r/b)·R₀²)``
    (symmetrically for red). An exact tie decays towards 0 on both sides without reaching it.
    ``duration`` must be finite; rates are per unit of ``duration``. Beyond ``g·t = 20`` the
    state equals its long-time limit to float64 precision and is evaluated there.

    Source: Lanchester war model — derivation —
    https://sites.google.com/view/lanchester-war-model/derivation ; F. W. Lanchester, *Aircraft
    in Warfare* (1916).

    Returns:
        ``(blue_after, red_after)``, each in ``[0, start]``.

    >>> B, R = square_law_exact([100.0, 100.0], [80.0, 50.0], 0.01, [0.01, 1.0], [10.0, 1e3])
    >>> print(np.round(B, 3), np.round(R, 3))
    [92.487  0.   ] [70.384 48.99 ]
    """
    B0 = nonneg(blue)
    R0 = nonneg(red)
    b = nonneg(blue_kill_rate)
    r = nonneg(red_kill_rate)
    t0 = nonneg(duration)
    shape = np.broadcast_shapes(B0.shape, R0.shape, b.shape, r.shape, t0.shape)
    rate_shape = np.broadcast_shapes(b.shape, r.shape, t0.shape)

    # Allocations: g, t, x, e (reused for sinh), ch, two outputs, one scratch; the rest in place.
    g = np.multiply(b, r, out=np.empty(np.broadcast_shapes(b.shape, r.shape)))
    np.sqrt(g, out=g)
    # Clip the time so that g·t <= _MAX_GT (g = 0: no clip, the linear limit applies).
    t = np.empty(rate_shape)
    with np.errstate(divide="ignore"):
        np.divide(_MAX_GT, g, out=t)
    np.minimum(t, t0, out=t)
    x = np.multiply(g, t, out=np.empty(rate_shape))
    e = np.exp(x, out=np.empty(rate_shape))
    ch = np.reciprocal(e, out=np.empty(rate_shape))
    ch += e
    ch *= 0.5  # cosh x
    e -= ch  # sinh x = e^x − cosh x
    # sinh(x)/g = t·sinh(x)/x; below x = 1e-3 the series 1 + x²/6 + x⁴/120 avoids cancellation
    # (and gives the linear limit t exactly when g = 0).
    sh_g = e
    with np.errstate(divide="ignore", invalid="ignore"):
        sh_g /= x
    small = x < 1e-3
    if small.any():
        xs2 = np.square(x[small])
        sh_g[small] = 1.0 + xs2 * (1.0 / 6.0 + xs2 * (1.0 / 120.0))
    sh_g *= t

    tmp = np.empty(shape)
    B = np.multiply(B0, ch, out=np.empty(shape))
    np.multiply(R0, sh_g, out=tmp)
    tmp *= r
    B -= tmp
    R = np.multiply(R0, ch, out=np.empty(shape))
    np.multiply(B0, sh_g, out=tmp)
    tmp *= b
    R -= tmp

    # Annihilation: the survivor keeps what the invariant b·B² − r·R² leaves. (If the killer's
    # rate is 0 the loser started at 0 and the formula above already left the survivor intact.)
    # A side that started at 0 was not killed: the other keeps its own formula (the
    # invariant would divide denormal rates and lose precision).
    red_dead = R <= 0.0
    red_dead &= b > 0.0
    red_dead &= R0 > 0.0
    blue_dead = B <= 0.0
    blue_dead &= r > 0.0
    blue_dead &= B0 > 0.0
    if red_dead.any() or blue_dead.any():
        inv = np.square(B0, out=np.empty(shape))
        inv *= b
        np.square(R0, out=tmp)
        tmp *= r
        inv -= tmp  # b·B0² − r·R0²
        with np.errstate(divide="ignore", invalid="ignore"):
            np.maximum(inv, 0.0, out=tmp)
            tmp /= b
            np.sqrt(tmp, out=tmp)
            np.copyto(B, tmp, where=red_dead)
            np.negative(inv, out=tmp)
            np.maximum(tmp, 0.0, out=tmp)
            tmp /= r
            np.sqrt(tmp, out=tmp)
            np.copyto(R, tmp, where=blue_dead)
        # Subnormal rates or invariant terms lose every significant digit in b·B0² and
        # r·R0² (found by hypothesis: r = 5e-324 turned a surviving 1.5 into √2). There the
        # survivor is computed as √((X0 − q)(X0 + q)) with q the other side scaled by
        # √(rate ratio), whose square roots are normal numbers.
        tiny = 1e-280
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tb, tr = b * np.square(B0), r * np.square(R0)
            fragile = ((tb > 0) & (tb < tiny)) | ((tr > 0) & (tr < tiny)) \
                | ((b > 0) & (b < tiny)) | ((r > 0) & (r < tiny))
            if fragile.any():
                sb, sr = np.sqrt(b), np.sqrt(r)
                q = (sr / sb) * R0
                alt_b = np.sqrt(np.maximum((B0 - q) * (B0 + q), 0.0))
                np.copyto(B, alt_b, where=red_dead & fragile)
                q = (sb / sr) * B0
                alt_r = np.sqrt(np.maximum((R0 - q) * (R0 + q), 0.0))
                np.copyto(R, alt_r, where=blue_dead & fragile)
    np.maximum(B, 0.0, out=B)
    np.minimum(B, B0, out=B)
    np.maximum(R, 0.0, out=R)
    np.minimum(R, R0, out=R)
    return B, R
