"""Sortie generation: how many sorties each side flies this turn, and from where.

Coalition aircraft fly from a base group only if its runways are open
(``state.open_frac``), its owner's role lets US forces fly combat missions from it
(``state.combat_frac``; an ally's own aircraft fly when its ladder level lists their class
under ``joins``), and it lies within ``fighter_max_km``. Sorties per aircraft per day
follow the RAND sortie-rate model (:func:`strait.models.sorties.sortie_rate_per_day`);
fighters beyond the unrefuelled radius need tanker sorties, which come from tankers at
bases open to non-combat use (:func:`strait.models.sorties.tanker_factor`). Carrier air
wings fly while their carriers survive. Bombers fly from any usable base within
``bomber_max_km`` at a rate that falls with distance. The PLA flies from the mainland at
``pla_sortie_rate_per_day`` with ``pla_fighters_committed`` of its fighters.

Outputs in ``ctx.scratch``: ``cap_sorties`` (quality-weighted coalition CAP sorties),
``pool_cap`` (n, K) per-pool CAP sorties, ``strike_sorties`` (fighter anti-ship strike
sorties), ``bomber_sorties``, ``pla_sorties``.
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import ACTOR_ORDER, Params
from strait.engine.context import TurnContext
from strait.engine.state import State
from strait.models.sorties import sortie_rate_per_day, tanker_factor
from strait.scenario.models import AircraftClass


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Compute this turn's sorties for both sides."""
    s = ctx.struct
    p = prm.sorties
    days = ctx.turn_days
    n, K = st.n, len(s.pools)
    sb = s.slot_base
    dist = s.dist_km[sb][None, :]  # (1, S)
    sr = sortie_rate_per_day(dist, _col(p.cruise_kmh), _col(p.on_station_h),
                             _col(p.turnaround_h), _col(p.maintenance_h), None)
    sr = np.minimum(sr, _col(p.sortie_cap_per_day))
    # which slots may fly combat missions this turn: (n, S). US aircraft follow the base
    # owner's ladder; Taiwan's always fly; an ally's own fly when its level lists the class.
    levels = st.role[:, s.slot_ally]  # (n, S)
    ally_flies = s.slot_joins[np.arange(sb.size)[None, :], levels]
    usable = np.where(s.slot_kind == 0, st.combat_frac[:, sb],
                      np.where(s.slot_kind == 1, 1.0, ally_flies))
    usable *= st.open_frac[:, sb]
    fighter_slot = s.pool_is_fighter[s.slot_pool]
    in_range = dist <= _col(p.fighter_max_km)
    fs = st.aircraft * usable * (sr * in_range * fighter_slot) * days  # (n, S)
    # tankers: from bases open to non-combat use
    tanker_slot = np.array([s.pools[k][1] == AircraftClass.TANKER for k in s.slot_pool])
    tanker_supply = (st.aircraft[:, tanker_slot] * st.noncombat_ok[:, sb[tanker_slot]]
                     * st.open_frac[:, sb[tanker_slot]]).sum(axis=1)
    tanker_supply = tanker_supply * p.tanker_sortie_rate_per_day * days
    excess_km = np.maximum(dist - _col(p.unrefuelled_radius_km), 0.0)
    need_km = (fs * excess_km).sum(axis=1)  # fighter-sortie-km beyond the radius
    need = (fs * (excess_km > 0)).sum(axis=1)
    mean_excess = need_km / np.maximum(need, 1e-9)
    tf = tanker_factor(mean_excess, 0.0, tanker_supply,
                       p.tanker_sorties_per_fighter_sortie_per_1000km, need)
    fs = np.where(excess_km > 0, fs * tf[:, None], fs)
    sorties = fs @ s.slot_to_pool  # (n, K)
    ctx.scratch["slot_sorties"] = fs  # (n, S): which bases each pool flew from
    fighters = s.pool_is_fighter
    strike_share = p.strike_share_of_fighter_sorties
    q5, q4 = prm.air.quality_fighter_5gen, prm.air.quality_fighter_4gen
    quality = np.where(s.pool_is_5gen, _col(q5), _col(q4)) * np.ones((1, K))
    pool_cap = sorties * (1.0 - _col(strike_share)) * fighters
    carrier_sorties = (st.carrier_aircraft * p.carrier_sortie_rate_per_day * days
                       * (1.0 if ctx.us_active else 0.0))
    carrier_cap = carrier_sorties * (1.0 - strike_share)
    cap_q = (pool_cap * quality).sum(axis=1) + carrier_cap * q4
    # anti-ship strikes with US standoff missiles: US land-based fighters and carrier wings
    us_fighters = fighters & (s.pool_actor == 0)
    strike = (sorties * us_fighters).sum(axis=1) * strike_share + carrier_sorties * strike_share
    bomber_slot = np.array([s.pools[k][1] == AircraftClass.BOMBER for k in s.slot_pool])
    bomber_sorties = np.zeros(n)
    if bomber_slot.any() and ctx.turn >= s.scenario.doctrine.usa.bomber_delay_turns:
        bd = s.dist_km[sb[bomber_slot]][None, :]
        rate = _col(p.bomber_sortie_rate_per_day) * 5000.0 / np.maximum(bd, 1000.0)
        ok = bd <= _col(p.bomber_max_km)
        bomber_sorties = (st.aircraft[:, bomber_slot] * usable[:, bomber_slot] * rate * ok
                          ).sum(axis=1) * days
    pla_rate = p.pla_fighters_committed * p.pla_sortie_rate_per_day * days
    pla = (st.pla_fighters_5 * q5 + st.pla_fighters_4 * q4) * pla_rate
    pla_raw = (st.pla_fighters_5 + st.pla_fighters_4) * pla_rate
    ctx.scratch.update(cap_sorties=cap_q, pool_cap=pool_cap, pool_quality=quality,
                       carrier_cap=carrier_cap, strike_sorties=strike,
                       bomber_sorties=bomber_sorties, pla_sorties=pla, pla_sorties_raw=pla_raw)
    return st


def _col(x: np.ndarray | float) -> np.ndarray | float:
    return x[:, None] if np.ndim(x) else x


__all__ = ["ACTOR_ORDER", "run"]
