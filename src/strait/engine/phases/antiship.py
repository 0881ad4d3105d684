"""Anti-ship phase: coalition strikes on the invasion fleet, PLA strikes on coalition ships.

*Coalition fires.* Bomber sorties carry ``bomber_missiles_per_sortie`` standoff missiles
and fighter strike sorties ``fighter_missiles_per_strike_sortie`` (scaled by the
air-control index); LRASMs are fired first, then maritime-strike JASSM-ER if the scenario
allows them (CSIS p.78). Taiwan's surviving shore launchers fire Harpoons and Hsiung Fengs
(CSIS p.47); Japan's Type 12 batteries join only when Japan's ladder level lists ``type12``
under ``joins``. Each missile hits with ``p_hit_subsonic`` — the CSIS interception chain's
average per missile fired at a defended group (CSIS p.30-32, p.81). A share
``pla_picket_share`` of hits falls on pickets and escorts (PLA combatants); the rest is
split by the US plan's ``amphibious_priority`` between amphibious ships (shared over lift
classes in proportion to their numbers) and escorts, and divided by the hits each needs
to be put out of action (Hughes salvo model, :func:`strait.models.salvo.allocate_hits`).

*PLA fires.* Anti-ship ballistic missiles and (for ``pla_ascm_turns``) air- and
ship-launched cruise missiles hit coalition ships within range: the forward US carriers
and cruisers/destroyers, the follow-on fleet once committed, the JMSDF once Japan is at war
or struck, and Taiwan's surviving navy. Missiles are spread in proportion to ship numbers,
carriers weighted by ``naval_target_weight_carrier``; each hits with ``p_hit_supersonic``.
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import Params
from strait.engine.context import TurnContext
from strait.engine.draws import binomial_like
from strait.engine.phases.lift import fleet_exposure
from strait.engine.state import SHORE_BATTERIES, State, fire
from strait.models.salvo import allocate_hits
from strait.scenario.models import ALLIES, Actor

_JPN = ALLIES.index(Actor.JPN)


def _battery_fires(st: State, prm: Params, ctx: TurnContext) -> np.ndarray:
    """Hits from US and allied shore batteries at a base group (``shore_asm_at``).

    A US battery (NMESIS in northern Luzon) fires when the host's rung opens its base for
    combat; an ally's own (Philippine BrahMos) when its rung lists ``shore_asm`` under
    ``joins``. They reach only the traffic passing within range of their base
    (``allied_shore_reach_share``) and are hunted like Taiwan's once they fire.
    """
    s = ctx.struct
    p = prm.antiship
    fired_total = np.zeros(st.n)
    expected = np.zeros(st.n)
    for key, actor in SHORE_BATTERIES.items():
        b = s.shore_at.get(actor)
        if b is None:
            continue
        if actor == Actor.USA.value:
            on = st.combat_frac[:, b] > 0.0
        else:
            a = ALLIES.index(Actor(actor))
            on = s.joins["shore_asm"][a][st.role[:, a]]
        on = on & st.active
        want = st.shore_batteries[key] * p.shore_missiles_per_launcher_turn * on
        fired = fire(st, key, want * p.allied_shore_reach_share)
        p_hit = p.p_hit_supersonic if key == "brahmos" else p.p_hit_subsonic
        fired_total = fired_total + fired
        expected = expected + fired * p_hit * ctx.flows.targeting
        st.shore_batteries[key] = st.shore_batteries[key] * (
            1.0 - prm.strikes.shore_launcher_loss_per_turn * on)
    rate = expected / np.maximum(fired_total, 1e-12)
    hits: np.ndarray = binomial_like(fired_total, rate, ctx.draws.z("battery_hits"))
    return hits


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Exchange anti-ship fires for one turn."""
    s = ctx.struct
    p = prm.antiship
    sc = ctx.flows
    d = ctx.draws
    t = ctx.turn
    act = st.active
    # ---------------------------------------------------------------- coalition fires
    want = (sc.bomber_sorties * p.bomber_missiles_per_sortie
            + sc.strike_sorties * p.fighter_missiles_per_strike_sortie * st.air_control)
    want = want * act
    lrasm = fire(st, "lrasm", want)
    jassm = fire(st, "jassm_ms", want - lrasm)
    shore_want = st.shore_launchers * p.shore_missiles_per_launcher_turn * act
    harpoon = fire(st, "harpoon_shore", shore_want)
    hf = fire(st, "hsiung_feng", shore_want - harpoon)
    shore = harpoon + hf
    japan_fires = s.joins["type12"][_JPN][st.role[:, _JPN]] if "type12" in s.joins else False
    type12 = fire(st, "type12", p.type12_per_turn * japan_fires * act)
    # standoff fires need the kill chain (maritime ISR, allied intelligence); Taiwan's
    # shore batteries fight with their own short-range sensors
    aimed = p.p_hit_subsonic * sc.targeting
    hits = binomial_like(lrasm + jassm, aimed, d.z("ship_hits_coalition"))
    hits = hits + binomial_like(shore, p.p_hit_subsonic, d.z("shore_hits"))
    hits = hits + binomial_like(type12, aimed, d.z("type12_hits"))
    hits = hits + _battery_fires(st, prm, ctx)
    sc.fleet_exposure = fleet_exposure(st, prm)
    # pickets and escorts absorb their share first; the rest follows the US priority
    prio = prm.doctrine.amphibious_priority  # the lane's US targeting priority
    amph_hits = hits * (1.0 - p.pla_picket_share) * prio
    esc_hits = hits - amph_hits
    # if one target set is gone, its hits go to the other
    no_lift = st.lift_total <= 1e-6
    esc_hits = np.where(no_lift, hits, esc_hits)
    amph_hits = np.where(no_lift, 0.0, amph_hits)
    no_esc = st.pla_combatants <= 1e-6
    amph_hits = np.where(no_esc & ~no_lift, hits, amph_hits)
    k_amph = p.hits_to_kill_amphibious
    k_roro = p.hits_to_kill_roro
    staying = np.stack(np.broadcast_arrays(k_amph, k_amph, k_amph, k_roro), axis=-1)
    # only the ships that sail this turn can be hit (the rest wait in mainland ports)
    sailing = st.lift * sc.fleet_exposure[:, None]
    kills = allocate_hits(amph_hits, sailing, np.ones(st.lift.shape[1]), staying)
    kills = np.minimum(kills, sailing)
    st.lift -= kills
    st.lift_lost += kills
    sc.lift_sunk = kills
    esc_kills = np.minimum(esc_hits / p.hits_to_kill_pla_combatant, st.pla_combatants)
    st.pla_combatants -= esc_kills
    st.pla_combatants_lost += esc_kills
    # key timings: a stock counts as spent below the share of its start at which the
    # amphibious fleet counts as destroyed (10 %; CSIS p.85, p.88, p.111)
    spent_below = prm.termination.fleet_destroyed_share  # one "below 10 %" convention
    lr0 = st.init["stock.lrasm"]
    out = (st.stocks["lrasm"] <= spent_below * lr0) & (st.lrasm_out_turn < 0) & (lr0 > 0)
    st.lrasm_out_turn[out] = t
    shore0 = st.init["stock.harpoon_shore"] + st.init["stock.hsiung_feng"]
    shore_left = st.stocks["harpoon_shore"] + st.stocks["hsiung_feng"]
    launchers0 = st.init["shore_launchers"]
    spent = ((shore_left <= spent_below * shore0)
             | (st.shore_launchers <= spent_below * launchers0))
    out = spent & (st.shore_asm_out_turn < 0) & (shore0 > 0)
    st.shore_asm_out_turn[out] = t

    # ---------------------------------------------------------------- PLA fires
    if ctx.us_active:
        surge_turn = np.asarray(p.us_surge_turn)
        fleet_viable = st.lift_total > spent_below * st.init["lift_total"]
        surge = (t >= surge_turn) & ~st.us_surged & fleet_viable & act
        st.us_carriers += surge * p.us_surge_carriers
        st.carrier_aircraft += surge * p.us_surge_carriers * prm.sorties.carrier_air_wing
        reserve = np.maximum(st.init["usa_surface_combatants"]
                             - p.us_forward_surface_combatants, 0.0)  # the lane's own
        st.us_surface += surge * np.minimum(p.us_surge_surface_combatants, reserve)
        st.us_surged |= surge
    jpn_at_war = (st.participation[:, _JPN] >= 2) | st.strike_on[:, _JPN]
    jpn_exposed = st.jpn_surface * jpn_at_war
    w_car = p.naval_target_weight_carrier
    us_c = st.us_carriers if ctx.us_active else np.zeros(st.n)
    us_s = st.us_surface if ctx.us_active else np.zeros(st.n)
    weights = np.stack(np.broadcast_arrays(us_c * w_car, us_s, jpn_exposed, st.twn_surface),
                       axis=1)
    wsum = weights.sum(axis=1)
    targets = wsum > 1e-6
    asbm = fire(st, "asbm", np.where(targets & act, p.pla_asbm_per_turn, 0.0))
    ascm_want = np.where(targets & act & (t < p.pla_ascm_turns), p.pla_ascm_per_turn, 0.0)
    ascm = fire(st, "ascm", ascm_want)
    pla_hits = binomial_like(asbm + ascm, p.p_hit_supersonic, d.z("ship_hits_pla_asbm"))
    share = weights / np.maximum(wsum, 1e-9)[:, None]
    h = share * pla_hits[:, None]
    car_k = np.minimum(h[:, 0] / p.hits_to_kill_carrier, us_c)
    sur_k = np.minimum(h[:, 1] / p.hits_to_kill_surface_combatant, us_s)
    jpn_k = np.minimum(h[:, 2] / p.hits_to_kill_surface_combatant, jpn_exposed)
    twn_k = np.minimum(h[:, 3] / p.hits_to_kill_surface_combatant, st.twn_surface)
    # carrier air wings go down with their carriers
    wing = np.where(st.us_carriers > 0, st.carrier_aircraft / np.maximum(st.us_carriers, 1e-9), 0)
    wing_lost = np.minimum(wing * car_k, st.carrier_aircraft)
    st.carrier_aircraft -= wing_lost
    st.carrier_aircraft_lost += wing_lost
    st.us_carriers -= car_k
    st.us_carriers_lost += car_k
    st.us_surface -= sur_k
    st.us_surface_lost += sur_k
    st.jpn_surface -= jpn_k
    st.jpn_surface_lost += jpn_k
    st.twn_surface -= twn_k
    st.twn_surface_lost += twn_k
    st.us_struck_last |= (car_k + sur_k) > 0.05
    return st
