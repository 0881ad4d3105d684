"""Lanchester laws: invariants, closed forms, annihilation, convergence of the Euler versions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strait.models import linear_law, square_law, square_law_exact

from ._strategies import PROPERTY, counts, rates


def closed_form(B0, R0, b, r, t):
    g = np.sqrt(b * r)
    B = B0 * np.cosh(g * t) - np.sqrt(r / b) * R0 * np.sinh(g * t)
    R = R0 * np.cosh(g * t) - np.sqrt(b / r) * B0 * np.sinh(g * t)
    return B, R


B0, R0, BK, RK, T = 100.0, 80.0, 0.02, 0.015, 10.0  # nobody is annihilated by T


def test_euler_invariant_shrinks_exactly_by_known_factor() -> None:
    # Each forward-Euler sub-step multiplies b·B² − r·R² by (1 − dt²·b·r) exactly.
    inv0 = BK * B0**2 - RK * R0**2
    for steps in (1, 4, 16):
        B, R = square_law(B0, R0, BK, RK, T, steps=steps)
        dt = T / steps
        expected = inv0 * (1 - dt * dt * BK * RK) ** steps
        assert BK * B**2 - RK * R**2 == pytest.approx(expected, rel=1e-10)


def test_euler_invariant_error_converges_first_order() -> None:
    inv0 = BK * B0**2 - RK * R0**2
    errs = []
    for steps in (8, 16, 32, 64, 128):
        B, R = square_law(B0, R0, BK, RK, T, steps=steps)
        errs.append(abs(BK * B**2 - RK * R**2 - inv0))
    ratios = np.array(errs[:-1]) / np.array(errs[1:])
    np.testing.assert_allclose(ratios, 2.0, rtol=0.05)  # halving dt halves the error


def test_euler_matches_closed_form_for_small_dt() -> None:
    Bx, Rx = closed_form(B0, R0, BK, RK, T)
    B, R = square_law(B0, R0, BK, RK, T, steps=4096)
    assert float(B) == pytest.approx(Bx, rel=1e-4)
    assert float(R) == pytest.approx(Rx, rel=1e-4)
    e8 = abs(float(square_law(B0, R0, BK, RK, T, steps=8)[0]) - Bx)
    e64 = abs(float(square_law(B0, R0, BK, RK, T, steps=64)[0]) - Bx)
    assert e64 < e8 / 4


def test_exact_matches_closed_form_and_conserves_invariant() -> None:
    t = np.array([0.0, 1.0, 5.0, 10.0])
    B, R = square_law_exact(B0, R0, BK, RK, t)
    Bx, Rx = closed_form(B0, R0, BK, RK, t)
    np.testing.assert_allclose(B, Bx, rtol=1e-12)
    np.testing.assert_allclose(R, Rx, rtol=1e-12)
    np.testing.assert_allclose(BK * B**2 - RK * R**2, BK * B0**2 - RK * R0**2, rtol=1e-10)


def test_exact_annihilation_stops_the_winner_losing() -> None:
    # b B0² = 10000 > r R0² = 2500 → red annihilated at tanh(g t*) = √(r/b) R0/B0 = 0.5.
    t_star = np.arctanh(0.5)
    B, R = square_law_exact(100.0, 50.0, 1.0, 1.0, np.array([t_star * 0.5, t_star, 3.0, 1e6]))
    survivor = np.sqrt(100.0**2 - 50.0**2)
    assert R[0] > 0 and B[0] > survivor
    np.testing.assert_allclose(R[1:], 0.0, atol=1e-9)
    np.testing.assert_allclose(B[1:], survivor, rtol=1e-9)
    # Symmetric for red winning, with unequal rates: √(R0² − (b/r) B0²).
    B, R = square_law_exact(60.0, 100.0, 0.5, 2.0, 1e3)
    assert float(B) == 0.0
    assert float(R) == pytest.approx(np.sqrt(100.0**2 - 0.25 * 60.0**2))


def test_exact_euler_agree_through_annihilation() -> None:
    Be, Re = square_law_exact(100.0, 50.0, 1.0, 1.0, 3.0)
    Bn, Rn = square_law(100.0, 50.0, 1.0, 1.0, 3.0, steps=20_000)
    assert float(Rn) == 0.0 and float(Re) == 0.0
    assert float(Bn) == pytest.approx(float(Be), rel=1e-3)


def test_exact_tie_decays_to_zero_without_nans() -> None:
    B, R = square_law_exact(100.0, 100.0, 1.0, 1.0, np.array([1.0, 10.0, 1e3, 1e9]))
    np.testing.assert_allclose(B[:2], 100.0 * np.exp(-np.array([1.0, 10.0])), rtol=1e-6)
    assert np.all(np.isfinite(B)) and np.all(np.isfinite(R))
    np.testing.assert_allclose(B[2:], 0.0, atol=1e-6)
    np.testing.assert_allclose(R[2:], 0.0, atol=1e-6)


def test_exact_zero_rates_and_zero_forces() -> None:
    # Red cannot shoot: blue never loses, red declines linearly then stops at 0.
    B, R = square_law_exact(10.0, 50.0, 2.0, 0.0, np.array([1.0, 2.5, 10.0]))
    np.testing.assert_allclose(B, 10.0)
    np.testing.assert_allclose(R, [30.0, 0.0, 0.0])
    B, R = square_law_exact(10.0, 50.0, 0.0, 0.0, 5.0)
    assert (float(B), float(R)) == (10.0, 50.0)
    B, R = square_law_exact(0.0, 50.0, 1.0, 1.0, 5.0)
    assert (float(B), float(R)) == (0.0, 50.0)


def test_linear_law_invariant_exact_and_closed_form() -> None:
    b0, r0, beta, rho, t = 100.0, 60.0, 0.002, 0.003, 5.0
    for steps in (1, 8, 64):
        B, R = linear_law(b0, r0, beta, rho, t, steps=steps)
        assert beta * B - rho * R == pytest.approx(beta * b0 - rho * r0, rel=1e-12)
    C = beta * b0 - rho * r0
    Bx = C * b0 / (beta * b0 - rho * r0 * np.exp(-C * t))
    Rx = (beta * Bx - C) / rho
    errs = [abs(float(linear_law(b0, r0, beta, rho, t, steps=n)[0]) - Bx) for n in (16, 32, 64)]
    assert errs[2] < errs[1] < errs[0]
    assert errs[0] / errs[1] == pytest.approx(2.0, rel=0.1)
    B, R = linear_law(b0, r0, beta, rho, t, steps=4096)
    assert float(B) == pytest.approx(Bx, rel=2e-4)
    assert float(R) == pytest.approx(Rx, rel=2e-4)


def test_steps_must_be_positive_integer() -> None:
    with pytest.raises(ValueError, match="steps"):
        square_law(1.0, 1.0, 1.0, 1.0, 1.0, steps=0)
    with pytest.raises(ValueError, match="steps"):
        linear_law(1.0, 1.0, 1.0, 1.0, 1.0, steps=2.5)  # type: ignore[arg-type]


@PROPERTY
@given(counts(), counts(), rates(2), rates(2), rates(10), st.sampled_from([1, 3, 8]))
def test_square_and_linear_bounds(B, R, b, r, t, steps) -> None:
    for fn, kb, kr in ((square_law, b, r), (linear_law, b / 50, r / 50)):
        Bn, Rn = fn(B, R, kb, kr, t, steps=steps)
        assert np.all(Bn >= 0) and np.all(Bn <= B)
        assert np.all(Rn >= 0) and np.all(Rn <= R)


@PROPERTY
@given(counts(), counts(), rates(2), rates(2), rates(10))
def test_exact_bounds_and_monotonicity(B, R, b, r, t) -> None:
    Bn, Rn = square_law_exact(B, R, b, r, t)
    assert np.all(np.isfinite(Bn)) and np.all(np.isfinite(Rn))
    assert np.all(Bn >= 0) and np.all(Bn <= B)
    assert np.all(Rn >= 0) and np.all(Rn <= R)
    # Fighting longer never leaves more survivors; more blue never leaves more red.
    Bl, Rl = square_law_exact(B, R, b, r, t + 1.0)
    tol = 1e-7 * (1 + B + R)
    assert np.all(Bl <= Bn + tol) and np.all(Rl <= Rn + tol)
    _, Rm = square_law_exact(B + 10.0, R, b, r, t)
    assert np.all(Rm <= Rn + tol)


def test_a_side_that_starts_at_zero_kills_nothing_even_at_denormal_rates() -> None:
    # found by hypothesis: the annihilation invariant divided a denormal rate and took
    # 0.09 off a red force that nobody was shooting at
    from strait.models.lanchester import square_law_exact

    B, R = square_law_exact(np.zeros(2), np.array([1.5, 2.0]), np.zeros(2), np.full(2, 5e-324),
                            np.zeros(2))
    np.testing.assert_array_equal(R, [1.5, 2.0])
    np.testing.assert_array_equal(B, [0.0, 0.0])


def test_a_side_that_cannot_shoot_kills_nothing_when_the_other_rate_is_denormal() -> None:
    # found by hypothesis: b = 0, r = 5e-324 and a denormal blue force took 0.09 off red
    # through the invariant b·B0² − r·R0², whose terms were both subnormal
    from strait.models.lanchester import square_law_exact

    B, R = square_law_exact(np.full(2, 5e-324), np.array([1.5, 2.0]), np.zeros(2),
                            np.full(2, 5e-324), np.ones(2))
    np.testing.assert_array_equal(R, [1.5, 2.0])
    np.testing.assert_array_equal(B, [0.0, 0.0])
