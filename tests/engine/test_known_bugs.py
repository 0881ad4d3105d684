"""Engine bugs found while writing the engine tests, pinned as strict xfails.

Each test states what should happen; the marker's reason says what happens instead and
where. When a bug is fixed its test starts passing, strict mode turns that into a failure,
and the marker should be removed.
"""

from __future__ import annotations

import numpy as np
import pytest

import strait
from strait.engine.phases import air, antiship, politics, sorties
from strait.scenario.models import Actor, AircraftClass

from ._helpers import JPN, aircraft_at, level, make_turn


def _uniform(lo: float, hi: float) -> dict:
    return {"dist": "uniform", "low": lo, "high": hi, "unit": "x", "assumption": "test"}


@pytest.mark.xfail(strict=True, raises=ValueError, reason=(
    "BUG: strait/engine/phases/strikes.py: weight_per_base, weight_per_parked_aircraft "
    "(`p.weight_per_base + p.weight_per_parked_aircraft * parked`) and launch_failure "
    "(`arriving *= 1.0 - p.launch_failure`) multiply an (n,) per-lane parameter into (n, B) "
    "arrays without _col(), so giving any of them a distribution raises a raw numpy "
    "ValueError (and silently mis-broadcasts per base when n == number of base groups)"))
@pytest.mark.parametrize(("name", "lo", "hi"), [
    ("weight_per_base", 10.0, 30.0),
    ("weight_per_parked_aircraft", 0.5, 1.5),
    ("launch_failure", 0.1, 0.2),
])
def test_uncertain_strike_parameters_can_be_played(name, lo, hi):
    res = strait.run("csis-base", n=20, seed=1, workers=1,
                     changes={f"parameters.strikes.{name}": _uniform(lo, hi)})
    assert len(res.table) == 20


@pytest.mark.xfail(strict=True, reason=(
    "BUG: strait/engine/phases/air.py: a pool's air-to-air losses are taken from every base "
    "the pool has aircraft at, in proportion to aircraft there (`st.aircraft *= (1 - "
    "frac)[:, s.slot_pool]`), including bases that flew no sorties (closed runways, no "
    "combat access); the module says losses come from the bases the pool flies from. "
    "Weight each slot's share by the sorties it flew (sorties.py could keep the (n, S) "
    "`fs` in scratch)"))
def test_air_losses_only_hit_bases_that_flew():
    t = make_turn(4, roles={JPN: level("ACCESS_COMBAT")})
    s = t.struct
    politics.update_access(t.st, t.ctx)
    honshu = s.base("honshu")
    t.st.open_frac[:, honshu] = 0.0  # runways shut: nothing flies from Honshu this turn
    k = s.pools.index((Actor.USA, AircraftClass.FIGHTER_5GEN))
    before = aircraft_at(t.st, s, k, honshu)
    assert (before > 0).all()
    sorties.run(t.st, t.prm, t.ctx)
    air.run(t.st, t.prm, t.ctx)
    assert t.st.losses_air[:, k].sum() > 0  # the pool did lose aircraft (elsewhere)
    np.testing.assert_array_equal(aircraft_at(t.st, s, k, honshu), before)


@pytest.mark.xfail(strict=True, reason=(
    "BUG: strait/engine/phases/antiship.py (US surge): the follow-on fleet adds "
    "us_surge_carriers to st.us_carriers but no air wings to st.carrier_aircraft, so surged "
    "carriers fly no sorties, and the wing lost with any carrier afterwards "
    "(carrier_aircraft / us_carriers) is diluted, taking aircraft of the original wings. "
    "Add `surge * p.us_surge_carriers * p.carrier_air_wing` (prm.sorties) to "
    "st.carrier_aircraft"))
def test_surged_carriers_bring_their_air_wings():
    t = make_turn(2, turn=6)
    politics.update_access(t.st, t.ctx)
    p = t.prm.antiship
    assert p.us_surge_turn <= 6
    t.ctx.scratch.update(bomber_sorties=np.zeros(2), strike_sorties=np.zeros(2))
    p.p_hit_supersonic = 0.0
    wings0 = t.st.carrier_aircraft.copy()
    antiship.run(t.st, t.prm, t.ctx)
    assert t.st.us_surged.all()
    np.testing.assert_allclose(t.st.carrier_aircraft,
                               wings0 + p.us_surge_carriers * t.prm.sorties.carrier_air_wing)
