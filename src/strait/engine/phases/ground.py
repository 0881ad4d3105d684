"""Ground war on Taiwan: attrition, the front, and the capture of ports and airfields.

PLA combat power is the battalions ashore, scaled down when out of supply
(``unsupplied_combat_factor``) and up by air support (``air_support_bonus`` x PLA air
control). Taiwan's is the share of its army that has reached the lodgement
(``twn_engaged_share_initial``, growing by ``twn_engaged_share_per_turn``, slowed by
``pla_interdiction_slowdown`` when the PLA holds the air, CSIS p.51; frozen for
``paralysed_turns``), active battalions at ``twn_active_quality`` and reserves at
``twn_reserve_quality`` (CSIS p.65-66: reserves fight at half an active battalion's
lethality), with the coalition's air support. Attrition follows Lanchester's linear law
per turn: each side loses ``attrition_per_turn`` x the other's combat power. When the
force ratio exceeds ``breakthrough_ratio`` the front moves: the PLA takes up to
``advance_share_per_turn`` of Taiwan per turn, ``1 - exp(-excess ratio)`` of it (historical
advance rates saturate). Ports and airfields near the lodgement fall one at a time with
probability ``facility_capture_rate`` x excess ratio. Ports and airfields fall
with the territory held (``capture_per_share``); Taipei falls at ``capital_share``.
An isolated Taiwan's fire halves after ``twn_ammunition_turns`` (CSIS p.96).
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import Params
from strait.engine.context import TurnContext
from strait.engine.draws import binomial_like
from strait.engine.state import State


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Fight the turn's ground battle."""
    p = prm.ground
    s = ctx.struct
    t = ctx.turn
    d = ctx.draws
    act = st.active
    ashore = st.pla_ashore > 0.5
    supply_factor = p.unsupplied_combat_factor + (1.0 - p.unsupplied_combat_factor) * st.supply
    pla_power = st.pla_ashore * supply_factor * (1.0 + p.air_support_bonus * (1 - st.air_control))
    paralysed = s.doctrine.twn_paralysed_turns
    if t > paralysed:  # reinforcements reach the lodgement, slowed by PLA air interdiction
        pace = 1.0 - p.pla_interdiction_slowdown * (1.0 - st.air_control)
        st.twn_engaged = np.minimum(1.0, st.twn_engaged + p.twn_engaged_share_per_turn * pace)
    engaged = st.twn_engaged
    twn_q = st.twn_active * p.twn_active_quality + st.twn_reserve * p.twn_reserve_quality
    # an isolated Taiwan runs short of ammunition after the lane's number of turns
    short = (not ctx.us_active) & (t >= p.twn_ammunition_turns)
    ammo = np.where(short, p.twn_ammunition_factor, 1.0)
    if not s.doctrine.twn_resists:
        ammo = ammo * 0.0
    twn_power = twn_q * engaged * (1.0 + p.air_support_bonus * st.air_control) * ammo
    pla_loss = binomial_like(st.pla_ashore, np.minimum(p.attrition_per_turn * twn_power
                                                       / np.maximum(st.pla_ashore, 1e-9), 0.9),
                             d.z("ground_pla")) * ashore * act
    twn_total = st.twn_active + st.twn_reserve
    twn_engaged_bn = twn_total * engaged
    twn_loss = binomial_like(twn_engaged_bn, np.minimum(p.attrition_per_turn * pla_power
                                                        / np.maximum(twn_engaged_bn, 1e-9), 0.9),
                             d.z("ground_twn")) * ashore * act
    st.pla_ashore -= pla_loss
    st.pla_bn_destroyed += pla_loss
    a_share = np.where(twn_total > 0, st.twn_active / np.maximum(twn_total, 1e-9), 0.0)
    st.twn_active -= twn_loss * a_share
    st.twn_reserve -= twn_loss * (1.0 - a_share)
    st.twn_bn_destroyed += twn_loss
    ratio = pla_power / np.maximum(twn_power, 1e-6)
    st.force_ratio = np.where(act, ratio, st.force_ratio)
    excess = np.maximum(ratio - p.breakthrough_ratio, 0.0)
    # advance saturates: even a large superiority moves the front at historical rates
    adv = p.advance_share_per_turn * -np.expm1(-excess) * np.exp(p.advance_sd * d.z("advance"))
    lodged = np.maximum(st.share_held, p.initial_lodgement_share)
    st.share_held = np.where(ashore & act, np.minimum(1.0, lodged + adv), st.share_held)
    # ports and airfields near the lodgement fall to local superiority (one more per turn
    # with probability rising with the force ratio), and more with the territory held
    seize = d.u("capture") < np.minimum(1.0, p.facility_capture_rate * excess)
    st.facilities_seized += seize & ashore & act
    n_p, n_a = p.ports_total, p.airfields_total
    fac = np.maximum(np.floor(st.share_held * p.capture_per_share), st.facilities_seized)
    pr = n_p / np.maximum(n_p + n_a, 1e-9)
    st.ports_held = np.minimum(np.ceil(fac * pr), n_p) * ashore
    st.airfields_held = np.minimum(fac - st.ports_held, n_a) * ashore
    return st
