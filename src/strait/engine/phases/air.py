"""Air battle over the strait: Lanchester square law on aircraft present.

Each side's CAP sorties (quality-weighted: 5th vs 4th generation, CSIS treats US and
PLA aircraft of one generation as equal) become an average number of aircraft on station,
``sorties x presence_hours_per_sortie / (24 x turn_days)``. The two presences fight for
the whole turn under the square law (:func:`strait.models.lanchester.square_law_exact`)
with ``kill_rate_per_aircraft_day`` (coalition lethality scaled by ``coalition_lethality``,
the CSIS +30 % excursion). Presence lost becomes aircraft lost, shared over the pools that
flew. Taiwan's SAM belt also takes ``pla_sam_loss_per_sortie`` of PLA sorties while it
lasts. The coalition's *air-control index* is its share of the two sides' fighting
strength (kill rate x presence squared, the square law's measure): it scales fighter
strikes on the fleet, PLA airborne landings, the use of captured ports and air support
to the ground war.

CSIS anchor: historical per-sortie attrition is under 1 % (2 % in the Battle of
Britain) and relative air-to-air quality barely changed outcomes (CSIS p.41, p.95).
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import Params
from strait.engine.context import TurnContext
from strait.engine.draws import binomial_like
from strait.engine.state import State
from strait.models.lanchester import square_law_exact


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Fight the turn's air battle; update aircraft, losses and air control."""
    p = prm.air
    s = ctx.struct
    sc = ctx.flows
    days = ctx.turn_days
    to_presence = p.presence_hours_per_sortie / (24.0 * days)
    blue = sc.cap_sorties * to_presence
    red = sc.pla_sorties * to_presence
    k = p.kill_rate_per_aircraft_day
    blue_after, red_after = square_law_exact(blue, red, k * p.coalition_lethality, k, days)
    # each side loses the square law's share of its fighting strength, and that share of
    # the aircraft it had up (presence is quality-weighted; losses are counted in aircraft)
    blue_frac = np.where(blue > 0, (blue - blue_after) / np.maximum(blue, 1e-9), 0)
    red_frac = np.where(red > 0, (red - red_after) / np.maximum(red, 1e-9), 0)
    blue_raw = sc.slot_cap.sum(axis=1) + sc.carrier_cap  # CAP sorties, in aircraft
    blue_loss = binomial_like(blue_raw * to_presence, blue_frac, ctx.draws.z("air_coalition"))
    red_loss = binomial_like(sc.pla_sorties_raw * to_presence, red_frac, ctx.draws.z("air_pla"))
    # SAMs over Taiwan, for as many turns as the lane's SAM belt lasts
    sam = binomial_like(sc.pla_sorties_raw, p.pla_sam_loss_per_sortie, ctx.draws.z("air_sam"))
    red_loss = red_loss + np.where(ctx.turn < p.twn_sam_turns, sam, 0.0)
    # coalition losses fall on the aircraft that flew CAP, base by base, in proportion to
    # their quality-weighted sorties (carrier wings likewise)
    per_sortie = blue_loss / np.maximum(blue_raw, 1e-9)
    slot_loss = np.minimum(sc.slot_cap * per_sortie[:, None], st.aircraft)
    st.aircraft -= slot_loss
    st.losses_air += s.per_pool(slot_loss)
    share_carrier = sc.carrier_cap * per_sortie
    carrier_loss = np.minimum(share_carrier, st.carrier_aircraft)
    st.carrier_aircraft -= carrier_loss
    st.carrier_aircraft_lost += carrier_loss
    st.carrier_aircraft_lost_air += carrier_loss
    # PLA losses over its two fighter classes
    pla_total = st.pla_fighters_5 + st.pla_fighters_4
    red_loss = np.minimum(red_loss, pla_total)
    f5 = np.where(pla_total > 0, st.pla_fighters_5 / np.maximum(pla_total, 1e-9), 0.0)
    st.pla_fighters_5 -= red_loss * f5
    st.pla_fighters_4 -= red_loss * (1.0 - f5)
    st.pla_aircraft_lost += red_loss
    # air control: the coalition's share of fighting strength (square law: kill rate x
    # presence squared) at the start of the turn
    fb = k * p.coalition_lethality * blue * blue
    fr = k * red * red
    total = fb + fr
    st.air_control = np.where(total > 0, fb / np.maximum(total, 1e-12), 0.0)
    return st
