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
from strait.scenario.models import ALLIES, Actor, AircraftClass


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Compute this turn's sorties for both sides."""
    s = ctx.struct
    p = prm.sorties
    days = ctx.turn_days
    n, K = st.n, len(s.pools)
    dist = s.dist_km[None, :]
    sr = sortie_rate_per_day(dist, p.cruise_kmh, p.on_station_h, p.turnaround_h,
                             p.maintenance_h, None)
    sr = np.minimum(sr, _col(p.sortie_cap_per_day))
    in_range = dist <= _col(p.fighter_max_km)
    usable = np.zeros((n, K, s.n_bases))
    for k, (actor, cls) in enumerate(s.pools):
        if actor == Actor.USA:
            usable[:, k, :] = st.combat_frac
        elif actor == Actor.TWN:
            usable[:, k, :] = 1.0
        else:
            a = ALLIES.index(actor)
            j = s.joins.get(cls.value)
            flies = j[a][st.role[:, a]] if j is not None else np.zeros(n, dtype=bool)
            usable[:, k, :] = flies[:, None]
    usable *= st.open_frac[:, None, :]
    fighters = s.pool_is_fighter
    sorties = np.zeros((n, K))
    if fighters.any():
        base_sorties = (st.aircraft[:, fighters, :] * usable[:, fighters, :]
                        * (sr * in_range)[:, None, :] * days)
        tankers = [k for k, (_, c) in enumerate(s.pools) if c == AircraftClass.TANKER]
        tanker_supply = np.zeros(n)
        for k in tankers:
            tanker_supply += (st.aircraft[:, k, :] * st.noncombat_ok * st.open_frac).sum(axis=1)
        tanker_supply *= p.tanker_sortie_rate_per_day * days
        demand_sorties = base_sorties.sum(axis=1)  # (n, B)
        beyond = dist > _col(p.unrefuelled_radius_km)
        need = (demand_sorties * beyond).sum(axis=1)
        # one factor per lane applied to sorties flown from beyond the radius
        dist_need = (demand_sorties * np.maximum(dist - _col(p.unrefuelled_radius_km), 0)).sum(
            axis=1) / np.maximum(need, 1e-9)
        tf = tanker_factor(dist_need, 0.0, tanker_supply,
                           p.tanker_sorties_per_fighter_sortie_per_1000km, need)
        factor = np.where(beyond, tf[:, None], 1.0)
        base_sorties = base_sorties * factor[:, None, :]
        sorties[:, fighters] = base_sorties.sum(axis=2)
    strike_share = p.strike_share_of_fighter_sorties
    q = np.where(s.pool_is_5gen, 1.0, 0.0)
    quality = q * prm.air.quality_fighter_5gen if np.ndim(prm.air.quality_fighter_5gen) == 0 \
        else np.outer(prm.air.quality_fighter_5gen, q)
    quality = quality + (1 - q) * (prm.air.quality_fighter_4gen if np.ndim(
        prm.air.quality_fighter_4gen) == 0 else np.outer(prm.air.quality_fighter_4gen, 1 - q))
    pool_cap = sorties * (1.0 - _col(strike_share)) * fighters
    carrier_sorties = (st.carrier_aircraft * p.carrier_sortie_rate_per_day * days
                       * (1.0 if ctx.us_active else 0.0))
    carrier_cap = carrier_sorties * (1.0 - strike_share)
    cap_q = (pool_cap * quality).sum(axis=1) + carrier_cap * prm.air.quality_fighter_4gen
    strike = (sorties * fighters).sum(axis=1) * strike_share + carrier_sorties * strike_share
    bombers = [k for k, (a, c) in enumerate(s.pools) if c == AircraftClass.BOMBER]
    bomber_sorties = np.zeros(n)
    if bombers and ctx.turn >= s.scenario.doctrine.usa.bomber_delay_turns:
        rate = p.bomber_sortie_rate_per_day * 5000.0 / np.maximum(s.dist_km, 1000.0)
        rate = rate if np.ndim(rate) == 2 else rate[None, :]
        ok = s.dist_km[None, :] <= _col(p.bomber_max_km)
        for k in bombers:
            bomber_sorties += (st.aircraft[:, k, :] * usable[:, k, :] * rate * ok).sum(axis=1)
        bomber_sorties *= days
    pla = ((st.pla_fighters_5 * prm.air.quality_fighter_5gen
            + st.pla_fighters_4 * prm.air.quality_fighter_4gen)
           * p.pla_fighters_committed * p.pla_sortie_rate_per_day * days)
    pla_raw = ((st.pla_fighters_5 + st.pla_fighters_4) * p.pla_fighters_committed
               * p.pla_sortie_rate_per_day * days)
    ctx.scratch.update(cap_sorties=cap_q, pool_cap=pool_cap, pool_quality=quality,
                       carrier_cap=carrier_cap,
                       strike_sorties=strike, bomber_sorties=bomber_sorties,
                       pla_sorties=pla, pla_sorties_raw=pla_raw)
    return st


def _col(x: np.ndarray | float) -> np.ndarray | float:
    return x[:, None] if np.ndim(x) else x


__all__ = ["ACTOR_ORDER", "run"]
