"""Package-wide contracts: lane shapes, independent draws per lane, inputs never mutated."""

from __future__ import annotations

import numpy as np

from strait import models as m

N = 1000


def test_scalar_arguments_still_draw_once_per_lane() -> None:
    rng = np.random.default_rng(5)
    o, s = m.aircraft_destroyed_on_ground(rng, np.full(N, 40.0), 10.0, 10.0, 3.0, 10.0, 0.23, 0.5)
    assert o.shape == s.shape == (N,)
    assert len(np.unique(s)) > 1 and len(np.unique(o)) > 1
    kills, lost = m.submarine_patrol(rng, 4.0, 2.0, np.full(N, 100.0), 0.2)
    assert kills.shape == lost.shape == (N,)
    assert len(np.unique(kills)) > 1 and len(np.unique(lost)) > 1
    leak, stocks = m.layered_interception(rng, 20.0, [(0.5, 1, np.full(N, np.inf))])
    assert leak.shape == stocks[0].shape == (N,)
    assert len(np.unique(leak)) > 1


def test_scalars_in_scalars_out() -> None:
    rng = np.random.default_rng(0)
    assert np.shape(m.salvo_hits(rng, 25.0, 0.5)) == ()
    assert np.shape(m.square_law_exact(10.0, 5.0, 0.1, 0.1, 1.0)[0]) == ()
    assert np.shape(m.sortie_rate_per_day(755.0)) == ()
    assert np.shape(m.submarine_patrol(rng, 4.0, 2.0, 10.0, 0.2)[0]) == ()


def test_leading_lane_dimensions_broadcast() -> None:
    blue = np.full((3, 4), 100.0)
    red = np.full((4,), 80.0)
    for fn in (m.square_law, m.linear_law, m.square_law_exact):
        B, R = fn(blue, red, 0.01, 0.01, 1.0)
        assert B.shape == R.shape == (3, 4)
    dA, dB = m.salvo_exchange(blue, red, 4, 4, 0.5, 0.5, 1, 1, 1, 1, 2, 2)
    assert dA.shape == dB.shape == (3, 4)
    kills = m.allocate_hits(np.full((3, 4), 5.0), np.ones((3, 4, 2)), [1.0, 2.0], [1.0, 1.0])
    assert kills.shape == (3, 4, 2)


def test_inputs_are_never_mutated() -> None:
    rng = np.random.default_rng(1)
    a = np.linspace(0.0, 50.0, 7)
    p = np.linspace(0.0, 1.0, 7)
    snapshot = (a.copy(), p.copy())
    m.salvo_exchange(a, a, a, a, p, p, a, a, p, p, a + 1, a + 1)
    m.salvo_hits(rng, a, p)
    m.allocate_hits(a, np.stack([a, a], -1), [1.0, 2.0], [1.0, 2.0])
    for fn in (m.square_law, m.linear_law, m.square_law_exact):
        fn(a, a, p, p, a)
    m.layered_interception(rng, a, [(p, 2, a), (p, 1, np.inf)])
    m.expected_leak_fraction(p, a, a)
    m.apron_kill_fraction(a, p)
    m.aircraft_destroyed_on_ground(rng, a, a, a, a, a, p, p)
    m.runway_closure_days(a, a, a, a)
    m.open_fraction(a, a, a, a)
    m.sortie_rate_per_day(a * 100, cap=a)
    m.tanker_factor(a * 100, a, a, p, a)
    m.effective_sorties(a, a * 100, p, p, a)
    m.koopman_detection_probability(a, a, a, a + 1)
    m.submarine_patrol(rng, a, p, a, p)
    np.testing.assert_array_equal(a, snapshot[0])
    np.testing.assert_array_equal(p, snapshot[1])


def test_outputs_are_float64() -> None:
    rng = np.random.default_rng(2)
    x = np.arange(5.0)
    outs = [
        *m.salvo_exchange(x, x, 2, 2, 0.5, 0.5, 1, 1, 1, 1, 1, 1),
        m.salvo_hits(rng, x, 0.5),
        *m.square_law_exact(x, x[::-1], 0.1, 0.1, 1.0),
        m.layered_interception(rng, x, [(0.5, 1, np.inf)])[0],
        *m.aircraft_destroyed_on_ground(rng, x, x, x, x, x, 0.2, 0.5),
        m.effective_sorties(x, 755.0, 1.0, 1.0, 3.5),
        *m.submarine_patrol(rng, x, 2.0, x, 0.2),
    ]
    assert all(o.dtype == np.float64 for o in outs)
