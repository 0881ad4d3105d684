"""Regression tests for engine bugs found while writing the engine tests.

Each test states what should happen: per-lane (uncertain) strike parameters broadcast
over base groups, air-to-air losses come from the bases that flew, surged carriers bring
their air wings.
"""

from __future__ import annotations

import numpy as np
import pytest

import strait
from strait.engine.phases import air, antiship, politics, sorties
from strait.scenario.models import Actor, AircraftClass

from ._helpers import JPN, aircraft_at, level, make_turn, set_flows


def _uniform(lo: float, hi: float) -> dict:
    return {"dist": "uniform", "low": lo, "high": hi, "unit": "x", "assumption": "test"}


@pytest.mark.parametrize(("name", "lo", "hi"), [
    ("weight_per_base", 10.0, 30.0),
    ("weight_per_parked_aircraft", 0.5, 1.5),
    ("launch_failure", 0.1, 0.2),
])
def test_uncertain_strike_parameters_can_be_played(name, lo, hi):
    res = strait.run("csis-base", n=20, seed=1, workers=1,
                     changes={f"parameters.strikes.{name}": _uniform(lo, hi)})
    assert len(res.table) == 20


def test_air_losses_only_hit_bases_that_flew():
    t = make_turn(4, roles={JPN: level("ACCESS_COMBAT")})
    s = t.struct
    politics.update_access(t.st, t.prm, t.ctx)
    honshu = s.base("honshu")
    t.st.open_frac[:, honshu] = 0.0  # runways shut: nothing flies from Honshu this turn
    k = s.pools.index((Actor.USA, AircraftClass.FIGHTER_5GEN))
    before = aircraft_at(t.st, s, k, honshu)
    assert (before > 0).all()
    sorties.run(t.st, t.prm, t.ctx)
    air.run(t.st, t.prm, t.ctx)
    assert t.st.losses_air[:, k].sum() > 0  # the pool did lose aircraft (elsewhere)
    np.testing.assert_array_equal(aircraft_at(t.st, s, k, honshu), before)


def test_surged_carriers_bring_their_air_wings():
    t = make_turn(2, turn=6)
    politics.update_access(t.st, t.prm, t.ctx)
    p = t.prm.antiship
    assert p.us_surge_turn <= 6
    set_flows(t, bomber_sorties=np.zeros(2), strike_sorties=np.zeros(2))
    p.p_hit_supersonic = 0.0
    wings0 = t.st.carrier_aircraft.copy()
    antiship.run(t.st, t.prm, t.ctx)
    assert t.st.us_surged.all()
    np.testing.assert_allclose(t.st.carrier_aircraft,
                               wings0 + p.us_surge_carriers * t.prm.sorties.carrier_air_wing)
