"""Air-base attack: Poisson apron coverage, shelters, runway closure."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from strait.models import (
    aircraft_destroyed_on_ground,
    apron_kill_fraction,
    apron_kill_share,
    ground_kills,
    open_fraction,
    runway_backlog_days,
    runway_closure_days,
)

from ._strategies import PROPERTY, counts, probs, rates, seeds, whole


def test_apron_kill_fraction_closed_form_and_iwakuni_anchor() -> None:
    f = apron_kill_fraction(np.array([0.0, 1.0, 10.0, 1e6]), 0.23)
    np.testing.assert_allclose(f, [0.0, 1 - np.exp(-0.23), 1 - np.exp(-2.3), 1.0])
    assert f[2] == pytest.approx(0.90, abs=0.005)  # ten missiles ≈ 90 % of the flight line
    assert float(apron_kill_fraction(-3.0, 0.23)) == 0.0


def test_ground_kills_expectations() -> None:
    rng = np.random.default_rng(99)
    n = 200_000
    parked, f = 48.0, 1 - np.exp(-3 * 0.23)
    o, s = aircraft_destroyed_on_ground(rng, np.full(n, parked), 20.0, 12.0, 3.0, 30.0, 0.23, 0.6)
    assert abs(o.mean() - parked * f) < 4 * np.sqrt(parked * f * (1 - f) / n)
    # 12 occupied shelters (20 aircraft claimed, 12 shelters), 30 unitary → 12 shots at 0.6.
    assert abs(s.mean() - 12 * 0.6) < 4 * np.sqrt(12 * 0.6 * 0.4 / n)
    assert s.max() <= 12


def test_ground_kills_deterministic_edges() -> None:
    rng = np.random.default_rng(0)
    o, s = aircraft_destroyed_on_ground(
        rng, [40.0, 0.0], [10.0, 10.0], [8.0, 20.0], [0.0, 50.0], [20.0, 4.0], 0.23, 1.0
    )
    np.testing.assert_array_equal(o, [0.0, 0.0])  # no apron missiles / nobody in the open
    np.testing.assert_array_equal(s, [8.0, 4.0])  # min(unitary, occupied) with p = 1


def test_runway_closure_and_open_fraction() -> None:
    # expected closures: 6 missiles per runway close it for 1.5 days, capped by the turn
    arriving = np.array([0.0, 3.0, 6.0, 12.0, 13.0, 100.0])
    closed = runway_closure_days(arriving, 6.0, 1.5, 3.5)
    np.testing.assert_allclose(closed, [0.0, 0.75, 1.5, 3.0, 3.25, 3.5])
    np.testing.assert_allclose(open_fraction(arriving, 6.0, 1.5, 3.5), 1 - closed / 3.5)
    # two runways need twice the missiles; a backlog is worked off over the turn first
    np.testing.assert_allclose(runway_closure_days(12.0, 6.0, 1.5, 3.5, runways=2.0), 1.5)
    np.testing.assert_allclose(runway_backlog_days(12.0, 6.0, 1.5, 3.5, backlog_days=5.0), 4.5)
    np.testing.assert_allclose(runway_backlog_days(0.0, 6.0, 1.5, 3.5, backlog_days=2.0), 0.0)
    # Base that cannot be closed, and a zero-length turn.
    assert float(runway_closure_days(100.0, 0.0, 1.5, 3.5)) == 0.0
    assert float(open_fraction(100.0, 6.0, 1.5, 0.0)) == 1.0


def test_ground_kills_scalar_matches_closed_forms() -> None:
    # at z = 0 the kills are the binomial means: open aircraft × apron share + shots × p
    parked, shelters, parking = 48.0, 12.0, 100.0
    killed, shots = ground_kills(parked, shelters, parking, 3.0, 20.0, 23.0, 0.6, 0.0, 0.0)
    f = 1 - np.exp(-3.0 * 23.0 / parking)
    assert shots == 12.0
    assert killed == pytest.approx((parked - shelters) * f + 12.0 * 0.6, rel=1e-12)
    assert apron_kill_share(3.0, 23.0, parking) == pytest.approx(
        float(apron_kill_fraction(3.0, 23.0 / parking)), rel=1e-12)
    # a crowded apron counts at least as many slots as aircraft on it
    assert apron_kill_share(3.0, 23.0, 200.0) == ground_kills(
        200.0, 0.0, 50.0, 3.0, 0.0, 23.0, 0.6, 0.0, 0.0)[0] / 200.0
    # extreme draws stay within the aircraft present
    lo, _ = ground_kills(parked, shelters, parking, 3.0, 20.0, 23.0, 0.6, -9.0, -9.0)
    hi, _ = ground_kills(parked, shelters, parking, 3.0, 20.0, 23.0, 0.6, 9.0, 9.0)
    assert lo == 0.0 and hi == parked


@PROPERTY
@given(seeds, whole(100), whole(40), whole(40), counts(30), whole(60), probs(), probs())
def test_ground_kill_bounds(seed, parked, sheltered, shelters, apron, unitary, frac, p) -> None:
    rng = np.random.default_rng(seed)
    o, s = aircraft_destroyed_on_ground(rng, parked, sheltered, shelters, apron, unitary, frac, p)
    assert np.all((o >= 0) & (o <= parked))
    assert np.all((s >= 0) & (s <= np.minimum(sheltered, np.minimum(shelters, unitary))))


@PROPERTY
@given(counts(50), probs())
def test_apron_fraction_monotone(missiles, frac) -> None:
    f = apron_kill_fraction(missiles, frac)
    assert np.all((f >= 0) & (f <= 1))
    assert np.all(apron_kill_fraction(missiles + 1, frac) >= f)


@PROPERTY
@given(counts(100), rates(20), rates(5), rates(7))
def test_closure_bounds_and_monotone(arriving, m, repair, turn) -> None:
    c = runway_closure_days(arriving, m, repair, turn)
    assert np.all((c >= 0) & (c <= turn))
    assert np.all(runway_closure_days(arriving + 5, m, repair, turn) >= c)
    f = open_fraction(arriving, m, repair, turn)
    assert np.all((f >= 0) & (f <= 1))
