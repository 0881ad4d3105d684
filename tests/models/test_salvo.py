"""Hughes salvo model: closed-form arithmetic, binomial hits, hit allocation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strait.models import allocate_hits, salvo_exchange, salvo_hits

from ._strategies import PROPERTY, counts, probs, rates, seeds, whole


def test_worked_example() -> None:
    # A: 10 ships × 4 missiles × σ 0.5 = 20 good shots; B: 8 ships × y 2 = 16 defeated → 4 hits,
    # b = 1 → ΔB = 4.  B: 8 × 6 × 0.5 = 24; A: 10 × z 1.5 = 15 → 9 hits, a = 3 → ΔA = 3.
    dA, dB = salvo_exchange(10, 8, 4, 6, 0.5, 0.5, 2, 1.5, 1, 1, 3, 1)
    assert float(dA) == pytest.approx(3.0)
    assert float(dB) == pytest.approx(4.0)


def test_surprise_removes_defence_and_saturated_defence_stops_everything() -> None:
    # τ_B = 0: every well-aimed missile hits B.  σα A = 0.5·4·2 = 4 hits, b = 2 → 2 ships.
    _, dB = salvo_exchange(2, 10, 4, 0, 0.5, 0, 100, 0, 1, 0.0, 1, 2)
    assert float(dB) == pytest.approx(2.0)
    # Defence that can defeat more than arrives: no loss, never negative.
    _, dB = salvo_exchange(2, 10, 4, 0, 0.5, 0, 100, 0, 1, 1.0, 1, 2)
    assert float(dB) == 0.0


def test_losses_clipped_to_force_and_broadcast() -> None:
    A = np.array([1.0, 50.0, 0.0])
    dA, dB = salvo_exchange(A, 3.0, 8, 8, 1.0, 1.0, 0, 0, 1, 1, 1, 1)
    assert dA.shape == dB.shape == (3,)
    np.testing.assert_allclose(dB, [3.0, 3.0, 0.0])  # 8, 400, 0 hits on 3 ships
    np.testing.assert_allclose(dA, [1.0, 24.0, 0.0])  # 24 hits on 1, 50, 0 ships


def test_salvo_hits_floors_and_extremes() -> None:
    rng = np.random.default_rng(3)
    hits = salvo_hits(rng, np.array([2.9999999999, 3.7, -2.0]), 1.0)
    np.testing.assert_array_equal(hits, [3.0, 3.0, 0.0])
    assert hits.dtype == np.float64
    assert np.all(salvo_hits(rng, np.full(10, 50.0), 0.0) == 0.0)


def test_salvo_hits_binomial_mean() -> None:
    rng = np.random.default_rng(20240101)
    n, m, p = 200_000, 25.0, 0.074
    hits = salvo_hits(rng, np.full(n, m), p)
    se = np.sqrt(m * p * (1 - p) / n)
    assert abs(hits.mean() - m * p) < 4 * se
    assert abs(hits.var() - m * p * (1 - p)) < 0.02 * m * p * (1 - p)


def test_allocate_hits_worked_example_and_proportions() -> None:
    kills = allocate_hits([6.0], [[4.0, 2.0]], [1.0, 4.0], [2.0, 1.0])
    np.testing.assert_allclose(kills, [[1.0, 2.0]])
    # Unsaturated: kills_k = hits·w_k C_k/Σ / s_k exactly (fractional expected kills).
    kills = allocate_hits(np.array([3.0, 0.0]), [[10.0, 10.0], [5.0, 5.0]], [1.0, 2.0], [2.0, 1.0])
    np.testing.assert_allclose(kills, [[0.5, 2.0], [0.0, 0.0]])


def test_allocate_hits_no_targets_and_scalar_hits() -> None:
    kills = allocate_hits([5.0, 5.0], [[0.0, 0.0], [2.0, 0.0]], [1.0, 1.0], [1.0, 1.0])
    np.testing.assert_allclose(kills, [[0.0, 0.0], [2.0, 0.0]])
    np.testing.assert_allclose(allocate_hits(2.0, [4.0, 4.0], [1.0, 1.0], [1.0, 1.0]), [1.0, 1.0])


@PROPERTY
@given(
    counts(),
    counts(),
    rates(10),
    rates(10),
    probs(),
    probs(),
    rates(20),
    rates(20),
    probs(),
    probs(),
    st.floats(0.5, 10),
    st.floats(0.5, 10),
)
def test_salvo_exchange_bounds_and_monotone(A, B, al, be, sa, sb, y, z, ta, tb, a, b) -> None:
    dA, dB = salvo_exchange(A, B, al, be, sa, sb, y, z, ta, tb, a, b)
    assert np.all(dA >= 0) and np.all(dA <= A)
    assert np.all(dB >= 0) and np.all(dB <= B)
    # More missiles fired by A never lowers B's losses; a more alert B never raises them.
    _, dB_more = salvo_exchange(A, B, al + 1.0, be, sa, sb, y, z, ta, tb, a, b)
    assert np.all(dB_more >= dB - 1e-9)
    _, dB_alert = salvo_exchange(A, B, al, be, sa, sb, y, z, ta, np.minimum(tb + 0.2, 1), a, b)
    assert np.all(dB_alert <= dB + 1e-9)


@PROPERTY
@given(seeds, counts(), probs())
def test_salvo_hits_bounded(seed, missiles, p) -> None:
    hits = salvo_hits(np.random.default_rng(seed), missiles, p)
    assert np.all(hits >= 0) and np.all(hits <= np.floor(missiles + 1e-9))
    assert np.all(hits == np.round(hits))


@PROPERTY
@given(
    whole(50),
    counts(20),
    counts(20),
    st.lists(st.floats(0.0, 5.0), min_size=2, max_size=2),
    st.lists(st.floats(0.5, 4.0), min_size=2, max_size=2),
)
def test_allocate_hits_bounds(hits, c0, c1, weights, staying) -> None:
    C = np.stack([c0, c1], axis=-1)
    kills = allocate_hits(hits, C, weights, staying)
    assert kills.shape == C.shape
    assert np.all(kills >= 0) and np.all(kills <= C + 1e-12)
    # Never uses more hits than were scored.
    assert np.all((kills * np.asarray(staying)).sum(-1) <= hits + 1e-9)
    more = allocate_hits(hits + 1.0, C, weights, staying)
    assert np.all(more >= kills - 1e-12)


@PROPERTY
@given(st.floats(-10.0, 0.0) | st.just(float("nan")) | st.just(float("inf")),
       st.sampled_from(["a", "b"]))
def test_salvo_exchange_rejects_staying_power_not_positive(bad, which) -> None:
    """Staying power is hits per ship lost: ≤ 0 gave negative or NaN losses before."""
    a, b = (bad, 1.0) if which == "a" else (1.0, bad)
    with pytest.raises(ValueError, match=rf"salvo_exchange: {which} \(.*\) must be finite and > 0"):
        salvo_exchange(10, 8, 4, 6, 0.5, 0.5, 2, 1.5, 1, 1, a, b)
    # one bad lane among good ones is enough
    with pytest.raises(ValueError, match=f"salvo_exchange: {which} "):
        salvo_exchange(10, 8, 4, 6, 0.5, 0.5, 2, 1.5, 1, 1,
                       np.array([1.0, a]), np.array([1.0, b]))


@PROPERTY
@given(st.floats(-10.0, 0.0) | st.just(float("nan")))
def test_allocate_hits_rejects_staying_power_not_positive(bad) -> None:
    with pytest.raises(ValueError, match=r"allocate_hits: staying_power .* pass a positive"):
        allocate_hits([6.0], [[4.0, 2.0]], [1.0, 4.0], [2.0, bad])
