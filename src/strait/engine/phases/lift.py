"""Amphibious lift and landing: what gets ashore this turn, and whether it is supplied.

Capacity (battalion-equivalents per turn) is the surviving lift, class by class, times
``bn_per_ship_turn_*`` and ``offload_efficiency`` (late-WWII US rates in the CSIS base,
Falklands-like 0.7 in the excursion; CSIS p.73-74), plus each captured port
(``port_bn_per_turn``, civilian shipping) and airfield, plus airborne and air-assault
battalions in proportion to PLA air control. Forces already ashore consume
``sustainment_per_bn_turn`` of that capacity first (CSIS p.47-48: resupply consumes lift
and progressively reduces new formations); what is left lands new battalions from the
PLA's pool. The *supply* ratio is the share of the sustainment demand met by sea and
through captured facilities (a lodgement supplied by airdrop alone is out of supply, as
in the CSIS base case); below ``unsupplied_below`` counts a turn out of supply. Troops aboard ships
sunk this turn are lost at sea (``troops_aboard_share``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from strait.engine.compile import Params
from strait.engine.context import TurnContext
from strait.engine.state import State


def _per_ship(p: Any) -> np.ndarray:
    per_ship: np.ndarray = np.stack(np.broadcast_arrays(
        p.bn_per_ship_turn_lhd_lpd, p.bn_per_ship_turn_lst, p.bn_per_ship_turn_lsm,
        p.bn_per_ship_turn_roro), axis=-1)
    return per_ship


def fleet_exposure(st: State, prm: Params) -> np.ndarray:
    """``(n,)`` share of the surviving amphibious fleet that sails this turn.

    The PLA sails what it needs beyond what captured ports and airfields carry (civilian
    shipping through a working port, airlift through an airfield): the battalions still to
    land plus the sustainment of those ashore, less the facilities' throughput, with a
    ``sailing_margin``, against what the surviving fleet can carry; the rest waits in
    mainland ports, out of reach of the coalition's anti-ship fires and submarines. While the
    invasion is building up over the beaches the whole fleet sails (CSIS base: at least
    90 % sunk in every run); once ports carry the follow-on echelons, much of it need not
    (CSIS Ragnarok: about a third of the fleet survives a PLA victory, p.98-99).
    """
    p = prm.lift
    capacity = (st.lift * _per_ship(p)).sum(axis=1) * p.offload_efficiency
    facilities = (st.ports_held * p.port_bn_per_turn + st.airfields_held * p.airfield_bn_per_turn
                  ) * (1.0 - st.air_control)
    demand = np.maximum(st.pla_pool + st.pla_ashore * p.sustainment_per_bn_turn - facilities,
                        0.0)
    share: np.ndarray = np.clip(p.sailing_margin * demand / np.maximum(capacity, 1e-9), 0.0, 1.0)
    # a broken fleet (below the share at which CSIS counts it destroyed) can no longer carry
    # an invasion: its remnant keeps to port but for a few supply runs (CSIS base: ~86 of
    # 96 amphibious ships sunk on average, Tbl 4, not all of them)
    broken = st.lift_total < prm.termination.fleet_destroyed_share * st.init["lift_total"]
    out: np.ndarray = np.where(broken, share * p.remnant_sailing_share, share)
    return out


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Land battalions and resupply the lodgement for one turn."""
    p = prm.lift
    act = st.active
    per_ship = _per_ship(p)
    # ships sunk during the turn landed part of their load first: use the turn's mean fleet
    fleet = 0.5 * (st.lift + ctx.flows.lift_start)
    # coalition strikes on embarkation ports slow the loading of every sailing
    sea = (fleet * per_ship).sum(axis=1) * p.offload_efficiency * (1.0 - st.pla_port_damage)
    aboard = (ctx.flows.lift_sunk * per_ship).sum(axis=1) * p.troops_aboard_share
    st.pla_lost_at_sea_troops += aboard * p.troops_per_bn * act
    # captured ports and airfields work only as far as coalition air power lets them
    # (CSIS p.85: US strikes denied the use of a captured Tainan)
    facilities = (st.ports_held * p.port_bn_per_turn + st.airfields_held * p.airfield_bn_per_turn
                  ) * (1.0 - st.air_control)
    airborne = p.airborne_bn_per_turn * (1.0 - st.air_control)
    noise = np.maximum(1.0 + p.capacity_sd * ctx.draws.z("lift"), 0.0)
    surface = (sea + facilities) * noise  # what ships and captured facilities bring in
    demand = st.pla_ashore * p.sustainment_per_bn_turn
    # a lodgement supplied only by airdrop is out of supply (CSIS p.85-86, Tbl 3)
    st.supply = np.where(demand > 1e-9, np.minimum(1.0, surface / np.maximum(demand, 1e-9)), 1.0)
    capacity = surface + airborne * noise
    landed = np.minimum(np.maximum(capacity - demand, 0.0), st.pla_pool) * act
    st.pla_pool -= landed
    st.pla_landed += landed
    st.pla_ashore += landed
    out = (st.supply < p.unsupplied_below) & (st.pla_ashore > 0.5) & act
    st.unsupplied_turns = np.where(out, st.unsupplied_turns + 1, 0.0)
    return st
