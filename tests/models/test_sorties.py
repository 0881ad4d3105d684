"""RAND sortie-rate model, tanker factor, effective sorties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from strait.models import effective_sorties, sortie_rate_per_day, tanker_factor

from ._strategies import PROPERTY, counts, probs, rates

# Illustrative table (cruise 850 km/h, 1 h on station, TAT 3 h, MT 1 h): base, km,
# sorties/aircraft/day, per 3.5-day turn, aircraft per aircraft on station.
TABLE = [
    ("Kadena", 755, 3.5, 12.4, 6.8),
    ("Iwakuni", 1580, 2.8, 9.6, 8.7),
    ("Misawa", 2660, 2.1, 7.5, 11.3),
    ("Guam", 2800, 2.1, 7.2, 11.6),
    ("Tindal", 4480, 1.5, 5.4, 15.6),
]


@pytest.mark.parametrize(("base", "km", "per_day", "per_turn", "needed"), TABLE)
def test_sortie_table(base: str, km: float, per_day: float, per_turn: float, needed: float) -> None:
    sr = float(sortie_rate_per_day(km))
    assert round(sr, 1) == per_day, base
    assert round(sr * 3.5, 1) == per_turn, base
    # cycle hours / 1 h on station (the table rounds Tindal's 15.54 up to 15.6)
    assert 24.0 / sr == pytest.approx(needed, abs=0.07), base


def test_sortie_rate_cap_and_zero_distance() -> None:
    assert float(sortie_rate_per_day(0.0)) == pytest.approx(24 / 5)
    np.testing.assert_allclose(sortie_rate_per_day([755, 4480], cap=2.0), [2.0, 24 / 15.5411765])
    np.testing.assert_allclose(sortie_rate_per_day(850, cruise_kmh=425), 24 / 9)


def test_tanker_factor_cases() -> None:
    f = tanker_factor([500.0, 1500.0, 2500.0, 2500.0], 1000.0, [0.0, 15.0, 15.0, 1e9], 0.5, 100.0)
    np.testing.assert_allclose(f, [1.0, 0.6, 0.2, 1.0])
    assert float(tanker_factor(3000.0, 1000.0, 10.0, 0.5, 0.0)) == 1.0  # no fighters flying
    # Misawa F-16 anchor: about one tanker per fighter → factor = tankers / fighters.
    assert float(tanker_factor(2660.0, 660.0, 4.0, 0.5, 8.0)) == pytest.approx(0.5)


def test_effective_sorties_product() -> None:
    s = effective_sorties(np.array([24.0, 24.0, 0.0]), 755.0, [1.0, 0.5, 1.0], 0.5, 3.5)
    sr = 24.0 / (2 * 755 / 850 + 5)
    np.testing.assert_allclose(s, [24 * sr * 0.5 * 3.5, 24 * sr * 0.25 * 3.5, 0.0])
    capped = effective_sorties(10.0, 755.0, 1.0, 1.0, 1.0, cap=1.0)
    assert float(capped) == pytest.approx(10.0)


@PROPERTY
@given(counts(6000), counts(6000))
def test_sortie_rate_decreases_with_distance(d, extra) -> None:
    sr = sortie_rate_per_day(d)
    assert np.all(sr > 0) and np.all(sr <= 24 / 5)
    assert np.all(sortie_rate_per_day(d + extra) <= sr)


@PROPERTY
@given(counts(6000), counts(3000), counts(100), rates(2), counts(500))
def test_tanker_factor_in_unit_interval(d, radius, tankers, demand, fighters) -> None:
    f = tanker_factor(d, radius, tankers, demand, fighters)
    assert np.all((f >= 0) & (f <= 1))
    assert np.all(tanker_factor(d, radius, tankers + 1, demand, fighters) >= f)
    assert np.all(tanker_factor(d + 100, radius, tankers, demand, fighters) <= f)


@PROPERTY
@given(counts(100), counts(6000), probs(), probs(), rates(7))
def test_effective_sorties_bounds(aircraft, d, open_frac, tf, days) -> None:
    s = effective_sorties(aircraft, d, open_frac, tf, days)
    assert np.all(s >= 0)
    assert np.all(s <= aircraft * sortie_rate_per_day(d) * days + 1e-9)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"cruise_kmh": 0.0}, "cruise_kmh"), ({"cruise_kmh": -850.0}, "cruise_kmh"),
    ({"cruise_kmh": np.nan}, "cruise_kmh"), ({"turnaround_h": -3.0}, "turnaround_h"),
    ({"on_station_h": -1.0}, "on_station_h"), ({"maintenance_h": np.inf}, "maintenance_h"),
])
def test_sortie_rate_rejects_impossible_cycles(kwargs, name) -> None:
    """A zero or negative cruise speed or a negative time gave infinite or negative rates."""
    with pytest.raises(ValueError, match=rf"sortie_rate_per_day: {name} \("):
        sortie_rate_per_day(755.0, **kwargs)
    with pytest.raises(ValueError, match=rf"sortie_rate_per_day: {name} \("):
        effective_sorties(24, 755.0, 1.0, 1.0, 3.5, **kwargs)
