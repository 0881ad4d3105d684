"""Each phase on a handful of lanes with known answers.

The turn's draws are pinned (normals at 0, so binomial- and Poisson-like quantities equal
their means; uniforms at a chosen value), parameters are set to round numbers where the
arithmetic needs them, and the phase's output is checked against the formula it claims
to implement.
"""

from __future__ import annotations

import numpy as np
import pytest

from strait.engine.compile import LIFT_CLASSES, PLA_MISSILES_LAND, force
from strait.engine.phases import (
    air,
    antiship,
    ground,
    lift,
    politics,
    sorties,
    strikes,
    subs,
    termination,
)
from strait.models.sorties import bomber_sorties_per_day, sortie_rate_per_day, tanker_factor
from strait.scenario.models import ALLIES, Actor, AircraftClass

from ._helpers import (
    AUS,
    JPN,
    KOR,
    aircraft_at,
    aircraft_by_base,
    aircraft_by_pool,
    flows,
    keep_only,
    level,
    make_turn,
    pool_index,
    set_flows,
)

A5, A4 = AircraftClass.FIGHTER_5GEN, AircraftClass.FIGHTER_4GEN


def _bases_of(struct, actor: Actor) -> np.ndarray:
    return np.array([o == actor for o in struct.base_owner])


# ============================================================================ politics


class TestPolitics:
    def test_struck_ally_with_certain_rule_escalates_to_its_target(self):
        t = make_turn(6, turn=1, roles={JPN: level("ACCESS_COMBAT")}, u=0.999)
        rule = next(r for r in t.struct.rules if r.ally == JPN)
        assert rule.trigger == "territory_struck" and t.prm.rules[0] == 1.0
        struck = np.array([True, True, True, False, False, False])
        t.st.struck_last[:, JPN] = struck
        t.st.active[2] = False  # an ended lane never changes
        politics.run(t.st, t.prm, t.ctx)
        role = t.st.role[:, JPN]
        assert (role[[0, 1]] >= rule.to_at_least).all()
        assert (role[[0, 1]] == level("FULL_COMBAT")).all()
        assert (role[2:] == level("ACCESS_COMBAT")).all()
        assert t.st.role_change_turn[:, JPN].tolist() == [1, 1, -1, -1, -1, -1]
        assert (t.st.role_start[:, JPN] == level("ACCESS_COMBAT")).all()

    def test_rule_never_lowers_a_role(self):
        t = make_turn(2, turn=1, roles={JPN: level("FULL_COMBAT")})
        t.st.struck_last[:, JPN] = True
        politics.run(t.st, t.prm, t.ctx)
        assert (t.st.role[:, JPN] == level("FULL_COMBAT")).all()
        assert (t.st.role_change_turn[:, JPN] == -1).all()

    @pytest.mark.parametrize(("u", "fires"), [(0.0, True), (0.95, False)])
    def test_uncertain_rule_fires_with_its_probability(self, u, fires):
        # Australia: territory_struck -> DEFENSIVE_COMBAT with probability 0.9
        t = make_turn(3, turn=2, roles={AUS: level("ACCESS_COMBAT")}, u=u)
        i = next(i for i, r in enumerate(t.struct.rules) if r.ally == AUS)
        assert t.prm.rules[i] == pytest.approx(0.9)
        t.st.struck_last[:, AUS] = True
        politics.run(t.st, t.prm, t.ctx)
        want = level("DEFENSIVE_COMBAT") if fires else level("ACCESS_COMBAT")
        assert (t.st.role[:, AUS] == want).all()

    def test_no_escalation_on_turn_zero(self):
        t = make_turn(2, turn=0, roles={JPN: level("ACCESS_COMBAT")}, u=0.0)
        t.st.struck_last[:] = True
        politics.run(t.st, t.prm, t.ctx)
        assert (t.st.role == t.st.role_start).all()

    def test_unstruck_ally_does_not_escalate(self):
        t = make_turn(2, turn=3, roles={JPN: level("ACCESS_COMBAT")}, u=0.0)
        politics.run(t.st, t.prm, t.ctx)
        assert (t.st.role == t.st.role_start).all()

    @pytest.mark.parametrize("us_active", [True, False])
    def test_access_follows_the_ladder_tables(self, us_active):
        levels = np.arange(7, dtype=np.int8)
        roles = np.repeat(levels[:, None], len(ALLIES), axis=1)
        t = make_turn(7, turn=0, roles=roles, us_active=us_active)
        politics.run(t.st, t.prm, t.ctx)
        s = t.struct
        us = 1.0 if us_active else 0.0
        for a, ally in enumerate(ALLIES):
            idx = s.bases_of(ally)
            share = t.prm.doctrine.us_released[np.arange(7), a, levels]
            np.testing.assert_array_equal(t.st.combat_frac[:, idx],
                                          s.combat_table[a][levels][:, idx] * (share * us)[:, None])
            np.testing.assert_array_equal(t.st.noncombat_ok[:, idx],
                                          (s.noncombat_table[a][levels][:, idx] > 0) & us_active)
            np.testing.assert_array_equal(t.st.participation[:, a], s.participation[a][levels])

    def test_korea_releases_part_of_its_us_squadrons(self):
        t = make_turn(1, roles={KOR: level("ACCESS_NONCOMBAT")})
        politics.run(t.st, t.prm, t.ctx)
        korea = t.struct.base("korea")
        step = t.struct.scenario.allies[Actor.KOR].ladder[level("ACCESS_NONCOMBAT")]
        assert t.st.combat_frac[0, korea] == pytest.approx(step.us_forces_released.mean())
        assert 0.0 < t.st.combat_frac[0, korea] < 1.0

    def test_japan_neutral_closes_its_bases(self):
        t = make_turn(1, roles={JPN: level("NEUTRAL")})
        politics.run(t.st, t.prm, t.ctx)
        jp = _bases_of(t.struct, Actor.JPN)
        assert (t.st.combat_frac[:, jp] == 0).all() and not t.st.noncombat_ok[:, jp].any()

    def test_us_aircraft_leave_bases_their_host_closes(self):
        t = make_turn(3, turn=0, roles={JPN: level("ACCESS_COMBAT")})
        s = t.struct
        politics.update_access(t.st, t.prm, t.ctx)  # last turn: Japan open
        t.st.role[:, JPN] = level("NEUTRAL")  # this turn: Japan closes its bases
        politics.update_access(t.st, t.prm, t.ctx)
        us_pools = [k for k, (a, _) in enumerate(s.pools) if a == Actor.USA]

        def us_at(b):
            return sum(aircraft_at(t.st, s, k, b) for k in us_pools)

        jp = np.nonzero(_bases_of(s, Actor.JPN))[0]
        before = {b: us_at(b) for b in range(s.n_bases)}
        assert sum(before[b] for b in jp).min() > 0
        t.ctx.turn = t.st.turn = 1
        politics.run(t.st, t.prm, t.ctx)
        after = {b: us_at(b) for b in range(s.n_bases)}
        left = sum(before[b] - after[b] for b in jp)
        assert (left > 0).all()
        np.testing.assert_allclose(sum(after.values()), sum(before.values()))  # none lost
        moved_to = [b for b in range(s.n_bases) if (after[b] > before[b]).any()]
        assert [s.base_owner[b] for b in moved_to] == [Actor.USA]
        # never beyond the parking of the base they move to
        parked = t.st.aircraft @ s.slot_to_base
        for b in moved_to:
            assert (parked[:, b] <= t.prm.bases.parking_capacity[:, b] + 1e-9).all()
        korea = s.base("korea")  # USFK is held on the peninsula by Korea's rung
        np.testing.assert_array_equal(after[korea], before[korea])
        # Japan reopens: the aircraft come home
        t.st.role[:, JPN] = level("ACCESS_COMBAT")
        politics.update_access(t.st, t.prm, t.ctx)
        t.ctx.turn = t.st.turn = 2
        politics.run(t.st, t.prm, t.ctx)
        home = {b: us_at(b) for b in range(s.n_bases)}
        np.testing.assert_allclose(sum(home[b] for b in jp), sum(before[b] for b in jp))
        assert (t.st.away == 0).all()

    @pytest.mark.parametrize("us_active", [True, False])
    def test_us_and_taiwan_bases_usable_only_when_us_fights(self, us_active):
        t = make_turn(3, us_active=us_active)
        politics.run(t.st, t.prm, t.ctx)
        for owner in (Actor.USA, Actor.TWN):
            m = _bases_of(t.struct, owner)
            assert (t.st.combat_frac[:, m] == (1.0 if us_active else 0.0)).all()
            assert (t.st.noncombat_ok[:, m] == us_active).all()
        if not us_active:
            assert (t.st.combat_frac == 0).all() and not t.st.noncombat_ok.any()


# ============================================================================= strikes


def _pla_stocks(st):
    return {c.value: st.stocks[c.value].copy() for c in PLA_MISSILES_LAND}


class TestStrikes:
    def test_stocks_fall_by_what_is_launched(self):
        t = make_turn(16, turn=1, z=None)
        t.prm.strikes.launch_share_per_turn = 0.2
        politics.run(t.st, t.prm, t.ctx)
        before = _pla_stocks(t.st)
        strikes.run(t.st, t.prm, t.ctx)
        for cls, b in before.items():
            np.testing.assert_allclose(b - t.st.stocks[cls], t.st.spent[cls])
            assert (t.st.stocks[cls] >= 0).all()
        # SRBMs always reach Taiwan's bases, so a full share is launched every turn
        np.testing.assert_allclose(t.st.spent["srbm"], 0.2 * force(t.prm, "CHN.munitions.srbm"))

    def test_opening_strike_adds_its_srbms_on_turn_zero(self):
        t = make_turn(4, turn=0)
        t.prm.strikes.launch_share_per_turn = 0.2
        politics.run(t.st, t.prm, t.ctx)
        strikes.run(t.st, t.prm, t.ctx)
        init = force(t.prm, "CHN.munitions.srbm")
        want = np.minimum(init, 0.2 * init + t.prm.strikes.opening_strike_missiles)
        np.testing.assert_allclose(t.st.spent["srbm"], want)

    @pytest.mark.parametrize("turn", [0, 1])
    def test_stocks_never_go_negative(self, turn):
        t = make_turn(4, turn=turn, z=3.0)
        t.prm.strikes.launch_share_per_turn = 1.0
        for c in PLA_MISSILES_LAND:
            t.st.stocks[c.value][:] = 3.0
        politics.run(t.st, t.prm, t.ctx)
        strikes.run(t.st, t.prm, t.ctx)
        for c in PLA_MISSILES_LAND:
            assert (t.st.stocks[c.value] == 0.0).all()
            np.testing.assert_allclose(t.st.spent[c.value], 3.0)

    @pytest.mark.parametrize("z", [None, -4.0, 0.0, 4.0])
    def test_aircraft_destroyed_never_exceed_aircraft_parked(self, z):
        t = make_turn(32, turn=1, z=z, roles={JPN: level("FULL_COMBAT")})
        t.st.strike_on[:] = True  # every ally's bases are targets
        t.prm.strikes.launch_share_per_turn = 1.0
        politics.run(t.st, t.prm, t.ctx)
        parked = aircraft_by_base(t.st, t.struct)
        lost0 = t.st.losses_ground.sum()
        strikes.run(t.st, t.prm, t.ctx)
        after = aircraft_by_base(t.st, t.struct)
        assert (after >= -1e-9).all()
        assert (parked - after >= -1e-9).all()
        assert (t.st.interceptors >= -1e-9).all()
        assert (t.st.open_frac >= 0).all() and (t.st.open_frac <= 1).all()
        # every aircraft destroyed is booked as a ground loss
        np.testing.assert_allclose(t.st.losses_ground.sum() - lost0, (parked - after).sum())
        assert (parked - after).sum() > 0

    def test_no_missiles_at_bases_of_an_ally_not_struck(self):
        t = make_turn(8, turn=1, u=0.999)  # above every strike prior: nobody is newly struck
        politics.run(t.st, t.prm, t.ctx)
        ally_bases = np.isin(np.array([o.value for o in t.struct.base_owner]),
                             [a.value for a in ALLIES])
        before = aircraft_by_base(t.st, t.struct)
        strikes.run(t.st, t.prm, t.ctx)
        hits = t.ctx.flows.base_hits
        assert (hits[:, ally_bases] == 0).all()
        np.testing.assert_array_equal(aircraft_by_base(t.st, t.struct)[:, ally_bases],
                                      before[:, ally_bases])
        np.testing.assert_array_equal(t.st.interceptors[:, ally_bases],
                                      np.broadcast_to(t.prm.bases.interceptors, hits.shape)
                                      [:, ally_bases])
        assert (t.st.struck_turn == -1).all() and not t.st.strike_on.any()
        # Taiwan's and the US's bases are hit
        assert hits[:, _bases_of(t.struct, Actor.TWN)].sum() > 0
        assert hits[:, _bases_of(t.struct, Actor.USA)].sum() > 0

    def test_struck_ally_draws_missiles(self):
        t = make_turn(4, turn=1, u=0.999)
        t.st.strike_on[:, JPN] = True
        politics.run(t.st, t.prm, t.ctx)
        strikes.run(t.st, t.prm, t.ctx)
        jp = _bases_of(t.struct, Actor.JPN)
        assert (t.ctx.flows.base_hits[:, jp].sum(axis=1) > 0).all()
        assert (t.st.struck_turn[:, JPN] == 1).all() and t.st.struck_last[:, JPN].all()

    def test_allies_not_targeted_while_us_stays_out(self):
        t = make_turn(4, turn=0, us_active=False, u=0.0)  # u=0 would start every strike
        politics.run(t.st, t.prm, t.ctx)
        strikes.run(t.st, t.prm, t.ctx)
        assert not t.st.strike_on.any()
        hits = t.ctx.flows.base_hits
        assert (hits[:, ~_bases_of(t.struct, Actor.TWN)] == 0).all()

    def test_opening_strike_sinks_taiwans_navy_share(self):
        t = make_turn(4, turn=0)
        ships = force(t.prm, "TWN.ships.surface_combatant")
        loss = t.prm.strikes.taiwan_navy_opening_loss
        politics.run(t.st, t.prm, t.ctx)
        strikes.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.twn_surface_lost, ships * loss)
        np.testing.assert_allclose(t.st.twn_surface, ships * (1 - loss))

    def test_no_opening_loss_after_turn_zero(self):
        t = make_turn(4, turn=1)
        politics.run(t.st, t.prm, t.ctx)
        strikes.run(t.st, t.prm, t.ctx)
        assert (t.st.twn_surface_lost == 0).all()

    def test_taiwan_runways_suppressed_early(self):
        t = make_turn(2, turn=0)
        politics.run(t.st, t.prm, t.ctx)
        strikes.run(t.st, t.prm, t.ctx)
        tw = _bases_of(t.struct, Actor.TWN)
        assert (t.st.open_frac[:, tw] == 0).all()


# ============================================================================= sorties


def _fly(t):
    politics.update_access(t.st, t.prm, t.ctx)
    t.st.carrier_aircraft[:] = 0.0
    sorties.run(t.st, t.prm, t.ctx)
    return flows(t)


class TestSorties:
    def _okinawa_f35s(self, n=3):
        t = make_turn(n, roles={JPN: level("ACCESS_COMBAT")})
        s = t.struct
        k, b = pool_index(s, Actor.USA, A5), s.base("okinawa")
        keep_only(t.st, s, (k, b))
        return t, k, b

    def test_closed_runways_fly_no_sorties(self):
        t, _k, b = self._okinawa_f35s()
        politics.update_access(t.st, t.prm, t.ctx)
        t.st.open_frac[:, b] = 0.0
        t.st.carrier_aircraft[:] = 0.0
        sorties.run(t.st, t.prm, t.ctx)
        sc = flows(t)
        assert (sc["pool_cap"] == 0).all()
        assert (sc["cap_sorties"] == 0).all() and (sc["strike_sorties"] == 0).all()

    def test_sortie_rate_follows_rand_formula(self):
        t, k, b = self._okinawa_f35s()
        p = t.prm.sorties
        p.sortie_cap_per_day = 100.0  # no crew cap: the raw RAND rate
        days = t.ctx.turn_days
        sc = _fly(t)
        d = float(t.prm.bases.distance_km[0, b])
        assert d <= p.unrefuelled_radius_km  # no tankers needed
        # the scenario's own RAND parameters, through the model function the kernel calls
        rate = float(sortie_rate_per_day(d, p.cruise_kmh, p.on_station_h, p.turnaround_h,
                                         p.maintenance_h))
        assert rate < p.sortie_cap_per_day
        flown = 48.0 * rate * days
        share = p.strike_share_of_fighter_sorties
        np.testing.assert_allclose(sc["pool_cap"][:, k], flown * (1 - share))
        np.testing.assert_allclose(sc["strike_sorties"], flown * share)
        np.testing.assert_allclose(sc["cap_sorties"],
                                   flown * (1 - share) * t.prm.air.quality_fighter_5gen)

    def test_crew_cap_limits_the_rate(self):
        t, k, _ = self._okinawa_f35s()
        sc = _fly(t)
        cap = t.prm.sorties.sortie_cap_per_day
        share = t.prm.sorties.strike_share_of_fighter_sorties
        np.testing.assert_allclose(sc["pool_cap"][:, k], 48.0 * cap * t.ctx.turn_days * (1 - share))

    def test_half_open_runways_halve_sorties(self):
        t, k, b = self._okinawa_f35s()
        full = _fly(t)["pool_cap"][:, k].copy()
        t2, _, _ = self._okinawa_f35s()
        politics.update_access(t2.st, t2.prm, t2.ctx)
        t2.st.open_frac[:, b] = 0.5
        t2.st.carrier_aircraft[:] = 0.0
        sorties.run(t2.st, t2.prm, t2.ctx)
        np.testing.assert_allclose(t2.ctx.flows.pool_cap[:, k], full / 2)

    def test_no_combat_sorties_from_a_neutral_japan(self):
        t, _k, _ = self._okinawa_f35s()
        t.st.role[:, JPN] = level("NEUTRAL")
        assert (_fly(t)["pool_cap"] == 0).all()

    def test_fighters_beyond_radius_need_tankers(self):
        t = make_turn(2)
        s = t.struct
        k, guam = pool_index(s, Actor.USA, A4), s.base("guam")
        keep_only(t.st, s, (k, guam))
        assert (_fly(t)["pool_cap"] == 0).all()  # no tanker, no sortie from 2,800 km
        t = make_turn(2)
        kt = pool_index(s, Actor.USA, AircraftClass.TANKER)
        keep_only(t.st, s, (k, guam), (kt, guam))
        p = t.prm.sorties
        days = t.ctx.turn_days
        fighters = aircraft_at(t.st, s, k, guam)[0]
        tankers = aircraft_at(t.st, s, kt, guam)[0]
        d = float(t.prm.bases.distance_km[0, guam])
        rate = float(sortie_rate_per_day(d, p.cruise_kmh, p.on_station_h, p.turnaround_h,
                                         p.maintenance_h, cap=p.sortie_cap_per_day))
        demand_sorties = fighters * rate * days
        factor = tanker_factor(d, p.unrefuelled_radius_km,
                               tankers * p.tanker_sortie_rate_per_day * days,
                               p.tanker_sorties_per_fighter_sortie_per_1000km,
                               demand_sorties)  # per lane: the tanker numbers are ranges
        assert (0 < factor).all() and (factor < 1).all()
        share = p.strike_share_of_fighter_sorties
        np.testing.assert_allclose(_fly(t)["pool_cap"][:, k],
                                   demand_sorties * factor * (1 - share))

    def test_bomber_rate_scales_with_distance(self):
        t = make_turn(2)
        s = t.struct
        k, guam = pool_index(s, Actor.USA, AircraftClass.BOMBER), s.base("guam")
        keep_only(t.st, s, (k, guam))
        sc = _fly(t)
        bombers = aircraft_at(t.st, s, k, guam)
        want = bomber_sorties_per_day(bombers, float(t.prm.bases.distance_km[0, guam]),
                                      t.prm.sorties.bomber_sortie_rate_per_day) * t.ctx.turn_days
        assert float(t.prm.bases.distance_km[0, guam]) > 1000  # the rate falls with distance here
        np.testing.assert_allclose(sc["bomber_sorties"], want)
        assert (sc["cap_sorties"] == 0).all()

    def test_pla_sorties(self):
        t = make_turn(3)
        sc = _fly(t)
        p, q = t.prm.sorties, t.prm.air
        rate = p.pla_fighters_committed * p.pla_sortie_rate_per_day * t.ctx.turn_days
        f5, f4 = force(t.prm, "CHN.aircraft.fighter_5gen"), force(t.prm,
                                                                     "CHN.aircraft.fighter_4gen")
        np.testing.assert_allclose(sc["pla_sorties"],
                                   (f5 * q.quality_fighter_5gen + f4 * q.quality_fighter_4gen)
                                   * rate)
        np.testing.assert_allclose(sc["pla_sorties_raw"], (f5 + f4) * rate)

    @pytest.mark.parametrize(("lv", "flies"), [("ACCESS_COMBAT", False),
                                               ("DEFENSIVE_COMBAT", False),
                                               ("FULL_COMBAT", True)])
    def test_allied_aircraft_fly_when_their_ladder_says_so(self, lv, flies):
        t = make_turn(2, roles={JPN: level(lv)})
        s = t.struct
        k = pool_index(s, Actor.JPN, A4)
        b = next(b for b in range(s.n_bases) if aircraft_at(t.st, s, k, b)[0] > 0)
        keep_only(t.st, s, (k, b))
        sc = _fly(t)
        assert ((sc["pool_cap"][:, k] > 0) == flies).all()


# ================================================================================= air


def _air_turn(n=64, z=None, **kw):
    t = make_turn(n, z=z, roles={JPN: level("FULL_COMBAT")}, **kw)
    politics.update_access(t.st, t.prm, t.ctx)
    sorties.run(t.st, t.prm, t.ctx)
    return t


class TestAir:
    @pytest.mark.parametrize("z", [None, -5.0, 5.0])
    @pytest.mark.parametrize("kill_rate", [None, 50.0])
    def test_air_control_and_losses_bounded(self, z, kill_rate):
        t = _air_turn(z=z)
        if kill_rate is not None:
            t.prm.air.kill_rate_per_aircraft_day = kill_rate
        s = t.struct
        pools0 = aircraft_by_pool(t.st, s)
        car0 = t.st.carrier_aircraft.copy()
        pla0 = t.st.pla_fighters_5 + t.st.pla_fighters_4
        air.run(t.st, t.prm, t.ctx)
        pools1 = aircraft_by_pool(t.st, s)
        assert ((t.st.air_control >= 0) & (t.st.air_control <= 1)).all()
        assert (pools1 >= -1e-9).all() and (pools0 - pools1 >= -1e-9).all()
        np.testing.assert_allclose(t.st.losses_air, pools0 - pools1, atol=1e-9)
        assert (t.st.carrier_aircraft >= -1e-9).all()
        assert (t.st.carrier_aircraft_lost <= car0 + 1e-9).all()
        pla1 = t.st.pla_fighters_5 + t.st.pla_fighters_4
        assert (pla1 >= -1e-9).all() and (t.st.pla_fighters_5 >= -1e-9).all()
        np.testing.assert_allclose(t.st.pla_aircraft_lost, pla0 - pla1)

    def test_no_coalition_presence_means_no_air_control(self):
        t = make_turn(3)
        t.st.aircraft[:] = 0.0
        t.st.carrier_aircraft[:] = 0.0
        politics.update_access(t.st, t.prm, t.ctx)
        sorties.run(t.st, t.prm, t.ctx)
        air.run(t.st, t.prm, t.ctx)
        assert (t.st.air_control == 0).all()

    def test_no_pla_presence_means_full_air_control(self):
        t = make_turn(3)
        t.st.pla_fighters_4[:] = 0.0
        t.st.pla_fighters_5[:] = 0.0
        politics.update_access(t.st, t.prm, t.ctx)
        sorties.run(t.st, t.prm, t.ctx)
        air.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.air_control, 1.0)
        assert (t.st.losses_air == 0).all()


# ============================================================================ antiship


def _antiship_turn(n=4, bombers=10.0, strikers=20.0, **kw):
    t = make_turn(n, **kw)
    politics.update_access(t.st, t.prm, t.ctx)
    set_flows(t, bomber_sorties=np.full(n, bombers), strike_sorties=np.full(n, strikers))
    return t


_MUNITIONS = ("lrasm", "jassm_ms", "harpoon_shore", "hsiung_feng", "type12", "asbm", "ascm")


class TestAntiship:
    def test_no_hits_no_sinkings(self):
        t = _antiship_turn(z=3.0)
        p = t.prm.antiship
        p.p_hit_subsonic = 0.0
        p.p_hit_supersonic = 0.0
        st = t.st
        before = [x.copy() for x in (st.lift, st.pla_combatants, st.us_carriers, st.us_surface,
                                     st.jpn_surface, st.twn_surface, st.carrier_aircraft)]
        antiship.run(st, t.prm, t.ctx)
        after = (st.lift, st.pla_combatants, st.us_carriers, st.us_surface, st.jpn_surface,
                 st.twn_surface, st.carrier_aircraft)
        for b, a in zip(before, after, strict=True):
            np.testing.assert_array_equal(a, b)
        assert (st.lift_lost == 0).all() and (st.us_carriers_lost == 0).all()
        assert st.spent["lrasm"].sum() > 0 and st.spent["asbm"].sum() > 0

    def test_missiles_spent_equal_stock_decrease(self):
        t = _antiship_turn(n=16, bombers=100.0, strikers=100.0, z=None,
                           roles={JPN: level("FULL_COMBAT")})
        before = {k: t.st.stocks[k].copy() for k in _MUNITIONS}
        antiship.run(t.st, t.prm, t.ctx)
        for k in _MUNITIONS:
            np.testing.assert_allclose(before[k] - t.st.stocks[k], t.st.spent[k])
            assert (t.st.stocks[k] >= 0).all()

    def test_lrasm_fired_before_jassm(self):
        t = _antiship_turn()
        want = 10 * t.prm.antiship.bomber_missiles_per_sortie + 20 * t.prm.antiship \
            .fighter_missiles_per_strike_sortie * 0.5
        assert (want < force(t.prm, "USA.munitions.lrasm")).all()
        antiship.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.spent["lrasm"], want)
        assert (t.st.spent["jassm_ms"] == 0).all()
        assert (t.st.lrasm_out_turn == -1).all()

    def test_jassm_makes_up_what_lrasm_cannot(self):
        t = _antiship_turn()
        t.st.stocks["lrasm"][:] = 50.0
        want = 10 * t.prm.antiship.bomber_missiles_per_sortie + 20 * t.prm.antiship \
            .fighter_missiles_per_strike_sortie * 0.5
        antiship.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.spent["lrasm"], 50.0)
        np.testing.assert_allclose(t.st.spent["jassm_ms"], want - 50.0)
        assert (t.st.lrasm_out_turn == 0).all()

    @pytest.mark.parametrize("launchers", [10.0, 400.0])
    def test_harpoons_fired_before_hsiung_fengs(self, launchers):
        t = _antiship_turn()
        t.st.shore_launchers[:] = launchers
        want = launchers * t.prm.antiship.shore_missiles_per_launcher_turn
        harpoons, hf = t.st.stocks["harpoon_shore"].copy(), t.st.stocks["hsiung_feng"].copy()
        antiship.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.spent["harpoon_shore"], np.minimum(harpoons, want))
        np.testing.assert_allclose(t.st.spent["hsiung_feng"],
                                   np.minimum(hf, want - np.minimum(harpoons, want)))
        if launchers == 10.0:
            assert (t.st.spent["hsiung_feng"] == 0).all()

    @pytest.mark.parametrize(("lv", "fires"), [("ACCESS_COMBAT", False),
                                               ("DEFENSIVE_COMBAT", True)])
    def test_type12_only_when_japan_commits_it(self, lv, fires):
        t = _antiship_turn(roles={JPN: level(lv)})
        antiship.run(t.st, t.prm, t.ctx)
        want = t.prm.antiship.type12_per_turn if fires else 0.0
        np.testing.assert_allclose(t.st.spent["type12"], want)

    def test_coalition_hits_sink_amphibs_and_escorts(self):
        t = _antiship_turn()
        p = t.prm.antiship
        p.p_hit_subsonic, p.pla_picket_share = 0.1, 0.0
        p.hits_to_kill_amphibious, p.hits_to_kill_roro, p.hits_to_kill_pla_combatant = 1., 2., 2.
        t.st.shore_launchers[:] = 0.0
        lift0, esc0 = t.st.lift.copy(), t.st.pla_combatants.copy()
        antiship.run(t.st, t.prm, t.ctx)
        fired = 10 * p.bomber_missiles_per_sortie + 20 * p.fighter_missiles_per_strike_sortie * .5
        hits = fired * 0.1
        prio = t.struct.scenario.doctrine.usa.amphibious_priority.mean()
        staying = np.array([1.0, 1.0, 1.0, 2.0])
        want = hits * prio * lift0 / lift0.sum(axis=1, keepdims=True) / staying
        np.testing.assert_allclose(t.st.lift_lost, want)
        np.testing.assert_allclose(t.st.lift, lift0 - want)
        np.testing.assert_allclose(t.st.pla_combatants_lost, hits * (1 - prio) / 2.0)
        np.testing.assert_allclose(t.st.pla_combatants, esc0 - hits * (1 - prio) / 2.0)

    def test_pickets_that_absorb_every_hit_shield_the_amphibs(self):
        t = _antiship_turn(bombers=100.0)
        t.prm.antiship.pla_picket_share = 1.0
        antiship.run(t.st, t.prm, t.ctx)
        assert (t.st.lift_lost == 0).all()

    def test_pla_fires_spread_by_weighted_numbers(self):
        t = _antiship_turn()
        p = t.prm.antiship
        p.p_hit_subsonic = 0.0
        p.pla_ascm_per_turn, p.p_hit_supersonic = 150.0, 0.1
        p.hits_to_kill_carrier, p.hits_to_kill_surface_combatant = 4.0, 1.5
        st = t.st
        car, sur, twn = st.us_carriers[0], st.us_surface[0], st.twn_surface[0]
        wing = st.carrier_aircraft[0] / car
        antiship.run(st, t.prm, t.ctx)
        w = np.array([car * p.naval_target_weight_carrier, sur, 0.0, twn])  # Japan not at war
        hits = (p.pla_asbm_per_turn + 150.0) * 0.1 * w / w.sum()
        np.testing.assert_allclose(st.us_carriers_lost, hits[0] / 4.0)
        np.testing.assert_allclose(st.us_surface_lost, hits[1] / 1.5)
        np.testing.assert_allclose(st.twn_surface_lost, hits[3] / 1.5)
        assert (st.jpn_surface_lost == 0).all()
        np.testing.assert_allclose(st.carrier_aircraft_lost, wing * hits[0] / 4.0)

    def test_us_ships_out_of_reach_while_us_stays_out(self):
        t = _antiship_turn(us_active=False)
        antiship.run(t.st, t.prm, t.ctx)
        assert (t.st.us_carriers_lost == 0).all() and (t.st.us_surface_lost == 0).all()
        assert (t.st.twn_surface_lost > 0).all()

    def test_no_jassm_when_doctrine_forbids_it(self):
        from strait.scenario.loader import load_scenario

        s = load_scenario("csis-base", changes={"doctrine.usa.maritime_strike_jassm": False})
        t = make_turn(2, scenario=s)
        assert (t.st.stocks["jassm_ms"] == 0).all()


# ================================================================================ subs


def _no_approaches(t):
    p = t.prm.subs
    p.ssn_approach_amphib_kills_per_boat_turn = 0.0
    p.ssn_approach_escort_kills_per_boat_turn = 0.0
    p.ssn_approach_attrition_per_turn = 0.0


class TestSubs:
    def test_boats_beyond_the_squadron_hunt_the_approaches_with_diminishing_returns(self):
        def kills(boats):
            t = make_turn(1, turn=1, roles={JPN: level("ACCESS_COMBAT"), AUS: level("NEUTRAL")})
            politics.update_access(t.st, t.prm, t.ctx)
            t.st.twn_ssk[:] = 0.0
            t.st.ssn[:] = boats
            p = t.prm.subs
            p.ssn_amphib_kills_per_boat_turn = 0.0  # only the approaches count here
            p.ssn_approach_amphib_kills_per_boat_turn = 1.0
            p.ssn_approach_capacity = 8.0
            subs.run(t.st, t.prm, t.ctx)
            return float(t.st.lift_lost.sum())

        few, more, many = kills(10.0), kills(20.0), kills(30.0)
        assert 0 < few < more < many  # every boat counts: no ceiling
        assert many - more < more - few  # but each adds less (diminishing returns)

    def _turn(self, n=4, **kw):
        t = make_turn(n, roles={JPN: level("ACCESS_COMBAT"), AUS: level("NEUTRAL")}, **kw)
        politics.update_access(t.st, t.prm, t.ctx)
        t.st.twn_ssk[:] = 0.0  # only the SSNs in the strait hunt
        t.st.aus_ssk[:] = 0.0
        _no_approaches(t)
        return t

    def test_turn_zero_squadron_sinks_its_expected_kills(self):
        t = self._turn()
        p = t.prm.subs
        assert p.ssn_on_station_initial == 4 and p.ssn_amphib_kills_per_boat_turn == 2
        lift0 = t.st.lift.copy()
        esc0 = t.st.pla_combatants.copy()
        subs.run(t.st, t.prm, t.ctx)
        on = np.minimum(force(t.prm, "USA.ships.ssn"), p.ssn_on_station_initial)
        expect = on * p.ssn_amphib_kills_per_boat_turn
        assert (expect == 8).all()
        np.testing.assert_allclose(lift0.sum(axis=1) - t.st.lift_total, expect)
        # spread over the classes in proportion to their numbers
        np.testing.assert_allclose(t.st.lift_lost, expect * lift0 / lift0.sum(axis=1)[:, None])
        np.testing.assert_allclose(esc0 - t.st.pla_combatants,
                                   on * p.ssn_escort_kills_per_boat_turn)
        np.testing.assert_allclose(t.st.ssn_lost, on * p.ssn_attrition_per_turn)

    def test_no_ssn_kills_before_the_us_fights(self):
        t = self._turn(us_active=False)
        subs.run(t.st, t.prm, t.ctx)
        assert (t.st.lift_lost == 0).all() and (t.st.ssn_lost == 0).all()

    @pytest.mark.parametrize(("jpn", "port"), [("ACCESS_COMBAT", "kyushu"),
                                               ("NEUTRAL", "guam")])
    def test_later_turns_use_the_nearest_open_reload_port(self, jpn, port):
        t = make_turn(2, turn=1, roles={JPN: level(jpn), AUS: level("NEUTRAL")})
        politics.update_access(t.st, t.prm, t.ctx)
        t.st.twn_ssk[:] = 0.0
        t.st.aus_ssk[:] = 0.0
        t.st.ssn[:] = 10.0
        _no_approaches(t)
        p = t.prm.subs
        dist = float(t.prm.bases.distance_km[0, t.struct.base(port)])
        transit = dist / (p.ssn_transit_kmh * 24.0)
        duty = p.ssn_patrol_days / (p.ssn_patrol_days + 2 * transit + p.ssn_reload_days)
        on = min(10.0 * duty, p.ssn_station_capacity)
        subs.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.lift_lost.sum(axis=1),
                                   on * p.ssn_amphib_kills_per_boat_turn)

    def test_kills_capped_by_the_fleet_left(self):
        t = self._turn(z=5.0)
        t.st.lift[:] = [0.5, 0.5, 0.0, 0.0]
        subs.run(t.st, t.prm, t.ctx)
        assert (t.st.lift >= -1e-12).all()
        np.testing.assert_allclose(t.st.lift_lost.sum(axis=1), 1.0)


# ================================================================================ lift


def _per_ship(p):
    return np.array([p.bn_per_ship_turn_lhd_lpd, p.bn_per_ship_turn_lst, p.bn_per_ship_turn_lsm,
                     p.bn_per_ship_turn_roro])


class TestLift:
    def test_full_fleet_capacity(self):
        t = make_turn(3)
        p = t.prm.lift
        ships = np.array([force(t.prm, f"CHN.lift.{c.value}")[0] for c in LIFT_CLASSES])
        t.st.air_control[:] = 0.25
        lift.run(t.st, t.prm, t.ctx)
        cap = (ships * _per_ship(p)).sum() * p.offload_efficiency \
            + p.airborne_bn_per_turn * (1 - 0.25)
        np.testing.assert_allclose(t.st.pla_landed, cap)
        np.testing.assert_allclose(t.st.pla_ashore, cap)
        np.testing.assert_allclose(t.st.pla_pool, force(t.prm, "CHN.ground_battalions") - cap)
        assert (t.st.supply == 1).all() and (t.st.unsupplied_turns == 0).all()

    def test_offload_efficiency_scales_sea_lift(self):
        t = make_turn(2)
        t.prm.lift.offload_efficiency = 0.7
        t.st.air_control[:] = 1.0  # no airborne lift
        lift.run(t.st, t.prm, t.ctx)
        sea = (t.st.lift[0] * _per_ship(t.prm.lift)).sum()
        np.testing.assert_allclose(t.st.pla_landed, 0.7 * sea)

    @pytest.mark.parametrize("z", [0.0, 3.0])
    def test_landed_never_exceeds_pool(self, z):
        t = make_turn(3, z=z)
        t.st.pla_pool[:] = 3.0
        lift.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.pla_landed, 3.0)
        assert (t.st.pla_pool >= 0).all()

    def test_sustainment_comes_first(self):
        t = make_turn(2)
        p = t.prm.lift
        t.st.air_control[:] = 1.0
        sea = (t.st.lift[0] * _per_ship(p)).sum()
        t.st.pla_ashore[:] = 40.0
        lift.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.pla_landed, max(sea - 40 * p.sustainment_per_bn_turn, 0))
        assert (t.st.supply == 1).all()

    def test_unsupplied_lodgement_counts_turns(self):
        t = make_turn(2)
        t.st.lift[:] = 0.0
        t.ctx.flows.lift_start = t.st.lift.copy()  # no fleet all turn
        t.st.air_control[:] = 1.0
        t.st.pla_ashore[:] = 10.0
        t.st.unsupplied_turns[:] = 2.0
        lift.run(t.st, t.prm, t.ctx)
        assert (t.st.supply == 0).all() and (t.st.unsupplied_turns == 3).all()
        assert (t.st.pla_landed == 0).all()

    def test_troops_lost_with_ships_sunk_this_turn(self):
        t = make_turn(2)
        p = t.prm.lift
        sunk = np.array([[1.0, 2.0, 0.0, 3.0]] * 2)
        t.ctx.flows.lift_sunk = sunk
        lift.run(t.st, t.prm, t.ctx)
        want = (sunk * _per_ship(p)).sum(axis=1) * p.troops_aboard_share * p.troops_per_bn
        np.testing.assert_allclose(t.st.pla_lost_at_sea_troops, want)


# ============================================================================== ground


class TestGround:
    def test_no_advance_below_breakthrough_ratio(self):
        t = make_turn(3, z=2.0)
        t.st.pla_ashore[:] = 2.0  # far weaker than Taiwan's engaged battalions
        t.st.share_held[:] = 0.2
        ground.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.share_held, 0.2)

    def test_first_landing_takes_the_lodgement(self):
        t = make_turn(2)
        t.st.pla_ashore[:] = 2.0
        ground.run(t.st, t.prm, t.ctx)
        np.testing.assert_allclose(t.st.share_held, t.prm.ground.initial_lodgement_share)

    def test_nothing_ashore_nothing_happens(self):
        t = make_turn(2)
        ground.run(t.st, t.prm, t.ctx)
        assert (t.st.share_held == 0).all() and (t.st.twn_bn_destroyed == 0).all()
        assert (t.st.ports_held == 0).all()

    def test_advance_above_breakthrough(self):
        t = make_turn(2)
        g = t.prm.ground
        g.attrition_per_turn = 0.0
        t.st.pla_ashore[:] = 200.0
        t.st.air_control[:] = 0.5
        t.st.share_held[:] = 0.1
        ground.run(t.st, t.prm, t.ctx)
        pla = 200.0 * (1 + g.air_support_bonus * 0.5)
        twn = (t.st.twn_active * g.twn_active_quality + t.st.twn_reserve * g.twn_reserve_quality) \
            * g.twn_engaged_share_initial * (1 + g.air_support_bonus * 0.5)
        excess = pla / twn - g.breakthrough_ratio
        assert (excess > 0).all()
        np.testing.assert_allclose(t.st.force_ratio, pla / twn)
        # the advance saturates at advance_share_per_turn for a large superiority
        adv = g.advance_share_per_turn * (1 - np.exp(-excess))
        np.testing.assert_allclose(t.st.share_held, 0.1 + adv)
        assert (t.st.share_held <= 0.1 + g.advance_share_per_turn).all()

    def test_facilities_follow_share_held(self):
        t = make_turn(1, u=0.999)  # no local seizure
        g = t.prm.ground
        g.attrition_per_turn = 0.0
        t.st.pla_ashore[:] = 1.0
        t.st.share_held[:] = 0.5
        ground.run(t.st, t.prm, t.ctx)
        fac = np.floor(0.5 * g.capture_per_share)
        ports = min(np.ceil(fac * g.ports_total / (g.ports_total + g.airfields_total)),
                    g.ports_total)
        assert t.st.ports_held[0] == ports
        assert t.st.airfields_held[0] == min(fac - ports, g.airfields_total)
        assert t.st.ports_held[0] + t.st.airfields_held[0] == fac

    def test_local_superiority_seizes_one_facility(self):
        t = make_turn(2, u=0.0)  # a seizure happens whenever it is possible
        t.prm.ground.attrition_per_turn = 0.0
        t.st.pla_ashore[:] = [2.0, 500.0]
        ground.run(t.st, t.prm, t.ctx)
        assert t.st.facilities_seized.tolist() == [0, 1]
        assert t.st.ports_held[1] + t.st.airfields_held[1] >= 1
        assert t.st.ports_held[0] + t.st.airfields_held[0] == 0

    def test_facilities_lost_when_nothing_is_ashore(self):
        t = make_turn(1)
        t.st.share_held[:] = 0.5
        ground.run(t.st, t.prm, t.ctx)
        assert t.st.ports_held[0] == 0 and t.st.airfields_held[0] == 0

    @pytest.mark.parametrize("z", [-6.0, 6.0])
    def test_losses_bounded_by_forces(self, z):
        t = make_turn(3, z=z)
        t.prm.ground.attrition_per_turn = 1.0
        t.st.pla_ashore[:] = [1.0, 50.0, 400.0]
        twn0 = t.st.twn_active + t.st.twn_reserve
        ground.run(t.st, t.prm, t.ctx)
        assert (t.st.pla_ashore >= 0).all() and (t.st.twn_active >= 0).all()
        assert (t.st.twn_reserve >= 0).all()
        assert (t.st.twn_bn_destroyed <= twn0).all()
        assert ((t.st.share_held >= 0) & (t.st.share_held <= 1)).all()


# ========================================================================= termination


class TestTermination:
    def test_capital_falls(self):
        t = make_turn(3, turn=4)
        t.st.share_held[:] = [0.0, t.prm.ground.capital_share, 1.0]
        termination.run(t.st, t.prm, t.ctx)
        assert t.st.outcome.tolist() == [-1, 0, 0]
        assert t.st.end_turn.tolist() == [-1, 4, 4]
        assert t.st.active.tolist() == [True, False, False]
        assert t.ctx.flows.ended.tolist() == [False, True, True]

    def test_taiwan_army_collapses(self):
        t = make_turn(1, turn=2)
        t.st.twn_active[:] = 0.0
        t.st.twn_reserve[:] = 0.0
        termination.run(t.st, t.prm, t.ctx)
        assert t.st.outcome[0] == 0

    def test_fleet_destroyed_unsupplied_lodgement_is_defeat(self):
        t = make_turn(3, turn=2)
        p = t.prm.termination
        t.st.lift[:] = 0.0
        t.st.pla_ashore[:] = 10.0
        t.st.pla_landed[:] = 10.0
        t.st.air_control[:] = 0.0  # PLA air: captured facilities work
        t.st.unsupplied_turns[:] = [p.unsupplied_turns_for_defeat,
                                    p.unsupplied_turns_for_defeat - 1, 9]
        t.st.ports_held[2] = 1.0  # a working port keeps the lodgement in the war
        termination.run(t.st, t.prm, t.ctx)
        assert t.st.outcome.tolist() == [4, -1, -1]
        assert (t.st.fleet_destroyed_turn == 2).all()

    def test_fleet_destroyed_and_nothing_ashore_is_defeat(self):
        t = make_turn(1, turn=3)
        t.st.lift[:] = 0.0
        t.st.pla_landed[:] = 5.0
        termination.run(t.st, t.prm, t.ctx)
        assert t.st.outcome[0] == 4

    @pytest.mark.parametrize(("ports", "airfields", "ratio", "air", "outcome"), [
        (0, 0, 2.0, 0.0, 3),  # nothing held: leaning against the PRC
        (1, 0, 2.0, 0.0, 2),  # a working port and a secure lodgement: indeterminate
        (1, 0, 0.5, 0.0, 3),  # a port but a lodgement on the ropes
        (2, 2, 0.5, 0.0, 1),  # more than 3 facilities: leaning PRC
        (2, 2, 2.0, 0.0, 0),  # 4 facilities and a secure lodgement: PRC victory at the call
        (2, 2, 2.0, 0.9, 3),  # ... unless the coalition holds the air over them
    ])
    def test_settled_outcome_called_by_facilities_held(self, ports, airfields, ratio, air,
                                                       outcome):
        t = make_turn(1, turn=5)
        p = t.prm.termination
        assert (p.stalemate_prc_facilities, p.victory_facilities) == (3, 4)
        t.st.lift[:] = 0.0
        t.st.pla_ashore[:] = 10.0
        t.st.pla_landed[:] = 10.0
        t.st.ports_held[:] = ports
        t.st.airfields_held[:] = airfields
        t.st.force_ratio[:] = ratio
        t.st.air_control[:] = air
        t.st.fleet_destroyed_turn[:] = 5 - p.settle_turns
        termination.run(t.st, t.prm, t.ctx)
        assert t.st.outcome[0] == outcome and t.st.end_turn[0] == 5

    def test_not_settled_before_settle_turns(self):
        t = make_turn(1, turn=5)
        t.st.lift[:] = 0.0
        t.st.pla_ashore[:] = 10.0
        t.st.pla_landed[:] = 10.0
        t.st.fleet_destroyed_turn[:] = 5 - t.prm.termination.settle_turns + 1
        termination.run(t.st, t.prm, t.ctx)
        assert t.st.outcome[0] == -1 and t.st.active[0]

    def test_horizon_ends_every_lane(self):
        h = make_turn(1).struct.scenario.campaign.horizon_turns
        t = make_turn(3, turn=h - 1)
        t.st.pla_ashore[:] = 10.0
        termination.run(t.st, t.prm, t.ctx)
        assert not t.st.active.any()
        assert (t.st.outcome == 1).all()  # intact fleet still landing: leaning PRC

    def test_ended_lane_is_not_decided_again(self):
        t = make_turn(2, turn=4)
        t.st.active[:] = False
        t.st.outcome[:] = 3
        t.st.end_turn[:] = 2
        t.st.share_held[:] = 1.0
        termination.run(t.st, t.prm, t.ctx)
        assert (t.st.outcome == 3).all() and (t.st.end_turn == 2).all()
        assert not t.ctx.flows.ended.any()


class TestAlliedSupport:
    """What a rung provides without fighting reaches a mechanism (ladder ``provides``)."""

    def test_distant_bombers_need_tankers(self):
        t = make_turn(2)
        s = t.struct
        k, far = pool_index(s, Actor.USA, AircraftClass.BOMBER), s.base("alaska_hawaii")
        keep_only(t.st, s, (k, far))
        assert (_fly(t)["bomber_sorties"] == 0).all()  # no tanker, no sortie from 7,650 km
        t = make_turn(2)
        kt = pool_index(s, Actor.USA, AircraftClass.TANKER)
        keep_only(t.st, s, (k, far), (kt, far))
        assert (_fly(t)["bomber_sorties"] > 0).all()

    def _quality(self, **roles):
        t = make_turn(1, roles={globals()[a]: level(lv) for a, lv in roles.items()})
        politics.update_access(t.st, t.prm, t.ctx)
        return float(sorties.targeting_quality(t.st, t.prm, t.ctx)[0]), t

    def test_kill_chain_improves_rung_by_rung(self):
        q = [self._quality(JPN=lv, AUS="NEUTRAL")[0]
             for lv in ("NEUTRAL", "DIPLOMATIC", "ACCESS_NONCOMBAT", "ACCESS_COMBAT",
                        "LOGISTICS_ISR")]
        assert q[0] < q[1] < q[2]  # intelligence sharing, then US patrol aircraft in Japan
        assert q[2] <= q[3]  # combat access opens Okinawa, and its patrol aircraft
        assert q[3] < q[4]  # the JMSDF's P-1s fly for the coalition
        _, t = self._quality(JPN="NEUTRAL")
        assert t.prm.antiship.targeting_floor <= q[0] < 1.0

    def test_host_support_speeds_us_sorties_and_runway_repair(self):
        from strait.engine.phases import strikes

        def sortie_and_repair(lv):
            t = make_turn(1, roles={JPN: level(lv)})
            politics.update_access(t.st, t.prm, t.ctx)
            flown = _fly(t)["slot_sorties"][0]
            return flown, strikes.repair_days(t.st, t.prm, t.ctx)[0], t

        f3, r3, t = sortie_and_repair("ACCESS_COMBAT")
        f4, r4, _ = sortie_and_repair("LOGISTICS_ISR")
        okinawa_us = [j for j in t.struct.us_slots_on_ally_bases
                      if t.struct.slot_base[j] == t.struct.base("okinawa")]
        assert all(f4[j] > f3[j] > 0 for j in okinawa_us if t.struct.slot_arrays["fighter"][j])
        jp = t.struct.bases_of(Actor.JPN)
        np.testing.assert_allclose(r4[jp], r3[jp] * t.prm.strikes.host_repair_factor)
        guam = t.struct.base("guam")
        assert r4[guam] == r3[guam]

    def test_allied_tankers_refuel_only_when_fuel_is_provided(self):
        for lv, on in (("ACCESS_COMBAT", False), ("LOGISTICS_ISR", True)):
            t = make_turn(1, roles={JPN: level(lv)})
            politics.update_access(t.st, t.prm, t.ctx)
            access = sorties.tanker_access(t.st, t.ctx)[0]
            jpn_tankers = [j for j in t.struct.tanker_slots if t.struct.slot_kind[j] == 2
                           and t.struct.slot_ally[j] == JPN]
            assert jpn_tankers and all(bool(access[j]) == on for j in jpn_tankers)

    def test_home_defence_fighters_guard_their_own_bases(self):
        from strait.engine.phases import strikes

        for lv, guarding in (("ACCESS_COMBAT", False), ("DEFENSIVE_COMBAT", True),
                             ("FULL_COMBAT", False)):
            t = make_turn(1, roles={JPN: level(lv)})
            home = strikes.home_defence_fighters(t.st, t.ctx)
            jp = t.struct.bases_of(Actor.JPN)
            assert home is not None
            assert bool((home[:, jp] > 0).any()) == guarding, lv
