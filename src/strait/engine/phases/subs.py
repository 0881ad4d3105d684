"""Submarine phase: SSNs and SSKs against the invasion fleet, ASW against them.

US SSNs follow CSIS's "conveyor belt" (CSIS p.50, p.135): boats hunt in the strait, sail
to a reload port and return. One squadron is on station on D-Day
(``ssn_on_station_initial``); afterwards the boats on station are the surviving force
times the duty cycle ``patrol / (patrol + 2 x transit + reload)``, where transit is set by
the nearest reload port the allies' roles keep open (Guam and Wake always once the US
fights; Japan's ports at ACCESS_NONCOMBAT or above; Stirling when Australia opens it),
capped by ``ssn_station_capacity``. Each boat on station sinks
``ssn_amphib_kills_per_boat_turn`` large amphibious ships and as many escorts or decoys per
turn and is lost at ``ssn_attrition_per_turn`` (CSIS p.135: 2 + 2 per boat-turn at ~20 %
attrition, after RAND's agent-based model). Japanese diesel boats hunt when Japan's level
lists ``ssk`` under ``joins``; Taiwan's few boats always do
(kills by :func:`strait.models.submarine.patrol_kills`, losses by
:func:`strait.models.submarine.patrol_losses`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from strait.engine.compile import Params, Structure
from strait.engine.context import TurnContext
from strait.engine.state import State
from strait.models.submarine import patrol_kills, patrol_losses
from strait.scenario.models import ALLIES, Actor

_JPN = ALLIES.index(Actor.JPN)
_AUS = ALLIES.index(Actor.AUS)


def _sink(st: State, kills: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Sink ``kills`` lift ships spread over classes in proportion to numbers, at most the
    ships sailing this turn (``exposure`` of the fleet)."""
    total = st.lift_total
    k = np.minimum(kills, total * exposure)
    share = st.lift / np.maximum(total, 1e-9)[:, None]
    sunk: np.ndarray = share * k[:, None]
    st.lift -= sunk
    st.lift_lost += sunk
    return sunk


def _ssk_effort(s: Structure, st: State, p: Any, a: int) -> np.ndarray:
    """``(n,)`` an ally's diesel-boat effort: 0 unless its rung lists ``ssk``; a full
    patrol at FULL participation, ``ssk_defensive_kill_factor`` of one below it."""
    lv = st.role[:, a]
    joined = s.joins["ssk"][a][lv]
    full = s.participation[a][lv] >= 3
    effort: np.ndarray = joined * np.where(full, 1.0, p.ssk_defensive_kill_factor)
    return effort


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Submarine patrols for one turn."""
    s = ctx.struct
    p = prm.subs
    d = ctx.draws
    act = st.active
    on_station = np.zeros(st.n)
    approaches = np.zeros(st.n)
    if ctx.us_active:
        ports = s.port
        reach = st.noncombat_ok[:, ports]
        dist = np.where(reach, prm.bases.distance_km[:, ports], np.inf).min(axis=1)  # the lane's
        transit_days = dist / (p.ssn_transit_kmh * 24.0)
        duty = p.ssn_patrol_days / (p.ssn_patrol_days + 2 * transit_days + p.ssn_reload_days)
        duty = np.where(np.isfinite(dist), duty, 0.0)
        # boats on patrol: the surviving force times its duty cycle; the strait holds one
        # squadron (CSIS p.50), the rest hunt on the approaches east and north of Taiwan
        patrolling = st.ssn * duty
        strait_cap = p.ssn_on_station_initial if ctx.turn == 0 else p.ssn_station_capacity
        on_station = np.minimum(patrolling, strait_cap)
        approaches = patrolling - on_station
    on_station = on_station * act
    approaches = approaches * act
    # boats on the approaches share a finite set of targets: diminishing returns, no cap
    # (effective boats C(1 - exp(-boats / C)) with C = ssn_approach_capacity)
    c = p.ssn_approach_capacity
    effective = c * -np.expm1(-approaches / np.maximum(c, 1e-9))
    amph = patrol_kills(on_station, p.ssn_amphib_kills_per_boat_turn,
                        st.lift_total * ctx.flows.fleet_exposure,
                        d.z("ssn_kills"))
    sunk = _sink(st, amph, ctx.flows.fleet_exposure)
    ctx.flows.lift_sunk = ctx.flows.lift_sunk + sunk
    esc = np.minimum(on_station * p.ssn_escort_kills_per_boat_turn, st.pla_combatants)
    st.pla_combatants -= esc
    st.pla_combatants_lost += esc
    lost = patrol_losses(on_station, p.ssn_attrition_per_turn, d.z("ssn_losses"))
    # the approaches: fewer targets per boat (amphibious ships and escorts on passage, the
    # picket line, replenishment), at the same attrition
    amph_a = patrol_kills(effective, p.ssn_approach_amphib_kills_per_boat_turn,
                          st.lift_total * ctx.flows.fleet_exposure,
                          d.z("ssn_approach_kills"))
    ctx.flows.lift_sunk = ctx.flows.lift_sunk + _sink(st, amph_a, ctx.flows.fleet_exposure)
    esc_a = np.minimum(effective * p.ssn_approach_escort_kills_per_boat_turn,
                       st.pla_combatants)
    st.pla_combatants -= esc_a
    st.pla_combatants_lost += esc_a
    lost = lost + patrol_losses(approaches, p.ssn_approach_attrition_per_turn,
                                d.z("ssn_approach_losses"))
    lost = np.minimum(lost, st.ssn)
    st.ssn -= lost
    st.ssn_lost += lost
    # diesel boats: Japan when its role commits them, Taiwan always, Australia if it joins
    # (at DEFENSIVE_COMBAT an ally's boats keep to the approaches of its own waters, at
    # ssk_defensive_kill_factor of a full patrol; CSIS p.58-59: JSDF-defensive ASW only)
    jpn_on = st.jpn_ssk * p.ssk_on_station_share * _ssk_effort(s, st, p, _JPN) * act
    aus_on = st.aus_ssk * p.ssk_on_station_share * _ssk_effort(s, st, p, _AUS) * act
    boats = jpn_on + st.twn_ssk * p.ssk_on_station_share * act + aus_on
    kills = patrol_kills(boats, p.ssk_kills_per_boat_turn,
                         st.lift_total * ctx.flows.fleet_exposure, d.z("ssk_kills"))
    sunk2 = _sink(st, kills * p.ssk_amphibious_share, ctx.flows.fleet_exposure)
    ctx.flows.lift_sunk = ctx.flows.lift_sunk + sunk2
    esc2 = np.minimum(kills * (1.0 - p.ssk_amphibious_share), st.pla_combatants)
    st.pla_combatants -= esc2
    st.pla_combatants_lost += esc2
    ssk_lost = patrol_losses(jpn_on, p.ssk_attrition_per_turn, d.z("ssk_losses"))
    st.jpn_ssk -= ssk_lost
    st.jpn_ssk_lost += ssk_lost
    return st
