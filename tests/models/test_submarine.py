"""Koopman random search and the CSIS submarine patrol rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from strait.models import koopman_detection_probability, submarine_patrol

from ._strategies import PROPERTY, counts, probs, rates, seeds, whole


def test_koopman_closed_form_and_limits() -> None:
    p = koopman_detection_probability(10.0, 20.0, np.array([0.0, 5.0, 1e6]), 1000.0)
    np.testing.assert_allclose(p, [0.0, 1 - np.exp(-1.0), 1.0])
    # Short search: P ≈ W v t / A.
    small = float(koopman_detection_probability(1.0, 1.0, 1e-3, 1000.0))
    assert small == pytest.approx(1e-6, rel=1e-5)
    assert float(koopman_detection_probability(0.0, 20.0, 5.0, 0.0)) == 0.0
    assert float(koopman_detection_probability(1.0, 20.0, 5.0, 0.0)) == 1.0


def test_csis_squadron_expectations() -> None:
    rng = np.random.default_rng(311)
    n = 200_000
    kills, lost = submarine_patrol(rng, np.full(n, 4.0), 2.0, 1e9, 0.2)
    assert abs(kills.mean() - 8.0) < 4 * np.sqrt(8.0 / n)  # 4 SSNs × 2 amphibs per turn
    assert abs(lost.mean() - 0.8) < 4 * np.sqrt(4 * 0.2 * 0.8 / n)
    assert lost.max() <= 4


def test_patrol_clips_and_floors() -> None:
    rng = np.random.default_rng(0)
    kills, lost = submarine_patrol(rng, [4.0, 3.9999999999, 0.0], 50.0, [3.0, 100.0, 10.0], 1.0)
    np.testing.assert_array_equal(kills[[0, 2]], [3.0, 0.0])
    np.testing.assert_array_equal(lost, [4.0, 4.0, 0.0])


@PROPERTY
@given(rates(50), rates(50), rates(100), rates(10), rates(100))
def test_koopman_bounds_monotone(w, v, t, extra, area) -> None:
    a = area + 1.0
    p = koopman_detection_probability(w, v, t, a)
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(koopman_detection_probability(w, v, t + extra, a) >= p)


@PROPERTY
@given(seeds, whole(12), rates(4), counts(40), probs())
def test_patrol_bounds(seed, boats, rate, targets, attrition) -> None:
    kills, lost = submarine_patrol(np.random.default_rng(seed), boats, rate, targets, attrition)
    assert np.all((kills >= 0) & (kills <= targets))
    assert np.all((lost >= 0) & (lost <= boats))
