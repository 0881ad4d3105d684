"""Termination: call each lane's outcome in the five CSIS classes (CSIS p.84-85).

* **PRC victory** — at once when Taipei falls (``capital_share`` of Taiwan held) or
  Taiwan's army collapses below ``twn_collapse_share`` of its start; and when the outcome
  is called (below) if the PLA's combat power ashore exceeds Taiwan's at the front and it
  holds at least ``victory_facilities`` working ports and airfields to bring the bulk of
  its forces over (CSIS's definition).
* **PRC defeat** — the amphibious fleet is destroyed (below ``fleet_destroyed_share``), no
  port or airfield is held, and the lodgement has been out of supply for
  ``unsupplied_turns_for_defeat`` turns (CSIS: forces ashore out of supply within ~10 days),
  or nothing is left ashore.
* Otherwise, once the fleet has been destroyed for ``settle_turns`` turns (the war's
  outcome is set) or at the horizon, a **stalemate**: leaning to the PRC when it holds more
  than ``stalemate_prc_facilities`` ports and airfields (or, at the horizon, is still
  landing with an intact fleet); *indeterminate* when it holds some and its lodgement is
  secure (force ratio at least 1); leaning against the PRC otherwise (no working ports or
  airports, poor force ratio). Facilities count as working only while the coalition does
  not control the air over them (CSIS p.85: US strikes denied a captured Tainan).

Outcome codes: 0 PRC victory, 1 stalemate leaning PRC, 2 indeterminate, 3 stalemate leaning
against PRC, 4 PRC defeat (``strait.engine.OUTCOMES``).
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import Params
from strait.engine.context import TurnContext
from strait.engine.state import State

PRC_VICTORY, STALEMATE_PRC, STALEMATE_INDETERMINATE, STALEMATE_DEFENCE, PRC_DEFEAT = range(5)


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Decide which lanes end this turn, and how."""
    p = prm.termination
    g = prm.ground
    t = ctx.turn
    act = st.active
    fleet_share = st.lift_total / np.maximum(st.init["lift_total"], 1e-9)
    destroyed = fleet_share < p.fleet_destroyed_share
    newly = destroyed & (st.fleet_destroyed_turn < 0) & act
    st.fleet_destroyed_turn[newly] = t
    twn_total = st.twn_active + st.twn_reserve
    # facilities count as working unless the coalition controls the air over them
    facilities = (st.ports_held + st.airfields_held) * (
        st.air_control < p.facility_denial_air_control)
    # the lodgement holds its own against Taiwan's army
    secure = st.force_ratio >= g.breakthrough_ratio
    outnumber = secure & (facilities >= p.victory_facilities)
    victory = (st.share_held >= g.capital_share) | (
        twn_total < g.twn_collapse_share * st.init["twn_total"])
    wiped = (st.pla_ashore < 0.5) & (st.pla_landed > 0.5) & destroyed
    defeat = destroyed & (facilities < 0.5) & (
        (st.unsupplied_turns >= p.unsupplied_turns_for_defeat) | wiped)
    settled = destroyed & (st.fleet_destroyed_turn >= 0) & (
        t - st.fleet_destroyed_turn >= p.settle_turns)
    horizon = t >= ctx.struct.doctrine.horizon_turns - 1
    stalemate = settled | horizon
    lean_prc = (facilities > p.stalemate_prc_facilities) | (~destroyed & horizon)
    called = np.where(outnumber, PRC_VICTORY,
                      np.where(lean_prc, STALEMATE_PRC,
                               np.where((facilities >= 0.5) & secure, STALEMATE_INDETERMINATE,
                                        STALEMATE_DEFENCE)))
    outcome = np.where(stalemate, called, -1)
    outcome = np.where(defeat, PRC_DEFEAT, outcome)
    outcome = np.where(victory, PRC_VICTORY, outcome)
    ends = act & (outcome >= 0)
    st.outcome = np.where(ends, outcome, st.outcome).astype(np.int8)
    st.end_turn = np.where(ends, t, st.end_turn).astype(np.int16)
    st.active = act & ~ends
    ctx.flows.ended = ends
    return st
