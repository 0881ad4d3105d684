"""Sortie generation: how many sorties each side flies this turn, and from where.

Coalition aircraft fly from a base group only if its runways are open
(``state.open_frac``), its owner's role lets US forces fly combat missions from it
(``state.combat_frac``; an ally's own aircraft fly when its ladder level lists their class
under ``joins``), and it lies within ``fighter_max_km``. Sorties per aircraft per day
follow the RAND sortie-rate model (:func:`strait.models.sorties.sortie_rate_per_day`);
fighters beyond the unrefuelled radius need tanker sorties, which come from tankers at
bases open to non-combat use (:func:`strait.models.sorties.tanker_factor`; both fused in
:func:`strait.engine.kernels.slot_sorties`). Carrier air
wings fly while their carriers survive. Bombers fly from any usable base within
``bomber_max_km`` at a rate that falls with distance. The PLA flies from the mainland at
``pla_sortie_rate_per_day`` with ``pla_fighters_committed`` of its fighters.

Outputs in ``ctx.flows`` (:class:`strait.engine.context.Flows`): ``cap_sorties``
(quality-weighted coalition CAP sorties),
``pool_cap`` (n, K) per-pool CAP sorties, ``slot_sorties`` and ``slot_weight`` (n, S),
``strike_sorties`` (fighter anti-ship strike sorties), ``bomber_sorties``,
``pla_sorties``.
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import ACTOR_ORDER, Params, Structure
from strait.engine.context import TurnContext
from strait.engine.kernels import slot_sorties
from strait.engine.state import State


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Compute this turn's sorties for both sides."""
    s = ctx.struct
    p = prm.sorties
    days = ctx.turn_days
    n = st.n
    doc = s.doctrine
    bombers_fly = ctx.turn >= doc.bomber_delay_turns

    def lane(x: np.ndarray | float) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(x, (n,)), dtype=float)

    # dispersed basing (doctrine.usa.basing) trades sortie rate for survival on the ground
    cap = p.sortie_cap_per_day * (p.dispersal_sortie_factor if doc.us_dispersed else 1.0)
    fs, bomber_sorties = slot_sorties(
        st.aircraft, st.combat_frac, st.open_frac, tanker_access(st, ctx), st.role,
        s.slot_arrays,
        _slot_distance(prm, s.slot_base),
        {"cruise": lane(p.cruise_kmh), "on_station": lane(p.on_station_h),
         "turnaround": lane(p.turnaround_h), "maintenance": lane(p.maintenance_h),
         "cap": lane(cap), "fighter_max": lane(p.fighter_max_km),
         "radius": lane(p.unrefuelled_radius_km),
         "tanker_rate": lane(p.tanker_sortie_rate_per_day),
         "tanker_need": lane(p.tanker_sorties_per_fighter_sortie_per_1000km),
         "bomber_rate": lane(p.bomber_sortie_rate_per_day),
         "bomber_max": lane(p.bomber_max_km),
         "bomber_radius": lane(p.bomber_unrefuelled_km),
         "bomber_tanker_need": lane(p.bomber_tanker_sorties_per_sortie)},
        days, bombers_fly)
    # an ally that provides munitions and fuel (ACSA-style support) lets the US aircraft on
    # its bases turn around faster
    for j in s.us_slots_on_ally_bases:
        a = s.slot_base_ally[j]
        helps = s.provides["munitions"][a][st.role[:, a]]
        fs[:, j] *= 1.0 + p.host_support_sortie_gain * helps
    fl = ctx.flows
    fl.targeting = targeting_quality(st, prm, ctx)
    fl.slot_sorties = fs  # (n, S): which bases each pool flew from
    strike_share = p.strike_share_of_fighter_sorties
    q5, q4 = prm.air.quality_fighter_5gen, prm.air.quality_fighter_4gen
    is5 = s.pool_is_5gen[s.slot_pool]
    slot_cap = fs * (1.0 - _col(strike_share))  # CAP sorties per slot
    slot_weight = slot_cap * np.where(is5, _col(q5), _col(q4))  # quality-weighted
    carrier_sorties = (st.carrier_aircraft * p.carrier_sortie_rate_per_day * days
                       * (1.0 if ctx.us_active else 0.0))
    carrier_cap = carrier_sorties * (1.0 - strike_share)
    cap_q = slot_weight.sum(axis=1) + carrier_cap * q4
    # anti-ship strikes with US standoff missiles: US land-based fighters and carrier wings
    us_fighter_slot = (s.slot_kind == 0) & s.slot_arrays["fighter"]
    strike = ((fs * us_fighter_slot).sum(axis=1) * strike_share
              + carrier_sorties * strike_share)
    # PLA fighters fly from the mainland; runways closed by coalition strikes cost sorties
    pla_rate = (p.pla_fighters_committed * p.pla_sortie_rate_per_day * days
                * (1.0 - st.pla_airbase_closed))
    pla = (st.pla_fighters_5 * q5 + st.pla_fighters_4 * q4) * pla_rate
    pla_raw = (st.pla_fighters_5 + st.pla_fighters_4) * pla_rate
    fl.cap_sorties = cap_q
    fl.pool_cap = s.per_pool(slot_cap)
    fl.slot_weight = slot_weight
    fl.slot_cap = slot_cap
    fl.carrier_cap = carrier_cap
    fl.strike_sorties = strike
    fl.bomber_sorties = bomber_sorties
    fl.pla_sorties = pla
    fl.pla_sorties_raw = pla_raw
    return st


def _ally_has(s: Structure, st: State, table: dict[str, np.ndarray], key: str, a: int
              ) -> np.ndarray:
    """``(n,)`` whether ally ``a``'s current rung lists ``key`` in ``table`` (joins/provides)."""
    has: np.ndarray = table[key][a][st.role[:, a]]
    return has


def tanker_access(st: State, ctx: TurnContext) -> np.ndarray:
    """``(n, S)`` 1 where a tanker slot may refuel coalition aircraft this turn.

    US tankers need non-combat use of their base (an ally's ACCESS_NONCOMBAT or above);
    Taiwan's always; an ally's own tankers when its rung provides ``fuel`` or lists
    ``tanker`` under ``joins``.
    """
    s = ctx.struct
    out = np.zeros((st.n, s.slot_pool.size))
    for j in s.tanker_slots:
        b, kind = s.slot_base[j], s.slot_kind[j]
        if kind == 0:
            out[:, j] = st.noncombat_ok[:, b]
        elif kind == 1:
            out[:, j] = 1.0
        else:
            a = s.slot_ally[j]
            out[:, j] = (_ally_has(s, st, s.provides, "fuel", a)
                         | _ally_has(s, st, s.joins, "tanker", a))
    return out


def targeting_quality(st: State, prm: Params, ctx: TurnContext) -> np.ndarray:
    """``(n,)`` share of full effectiveness coalition anti-ship fires achieve (kill chain).

    Long-range anti-ship missiles outrange what organic sensors can reliably see, so their
    effect depends on maritime ISR (allied-capabilities §5a): ``targeting_floor`` with space
    and organic sensors alone, rising with the maritime-patrol sorties flown for the
    coalition, ``1 - exp(-sorties / mpa_sorties_for_track)``, and with each ally's
    intelligence sharing (``intel_sharing_gain``). US patrol aircraft need non-combat use of
    their base; an ally's fly when its rung provides ``isr`` or lists ``mpa`` under
    ``joins``.
    """
    s = ctx.struct
    p = prm.antiship
    sorties = np.zeros(st.n)
    per_aircraft = p.mpa_sortie_rate_per_day * ctx.turn_days
    for j in s.mpa_slots:
        b, kind = s.slot_base[j], s.slot_kind[j]
        if kind == 0:
            avail = st.noncombat_ok[:, b] & ctx.us_active
        elif kind == 1:
            avail = np.ones(st.n, dtype=bool)
        else:
            a = s.slot_ally[j]
            avail = (_ally_has(s, st, s.provides, "isr", a)
                     | _ally_has(s, st, s.joins, "mpa", a))
        sorties = sorties + st.aircraft[:, j] * st.open_frac[:, b] * avail * per_aircraft
    unseen = np.exp(-sorties / p.mpa_sorties_for_track)
    for a in range(len(s.ally_bases)):
        shares = _ally_has(s, st, s.provides, "intel", a)
        unseen = unseen * (1.0 - p.intel_sharing_gain * shares)
    quality: np.ndarray = p.targeting_floor + (1.0 - p.targeting_floor) * (1.0 - unseen)
    return quality


def _slot_distance(prm: Params, slot_base: np.ndarray) -> np.ndarray:
    """Each lane's distance of each slot's base ``(n, S)``, built once per block."""
    got: np.ndarray | None = getattr(prm.bases, "slot_distance_km", None)
    if got is None:
        got = np.ascontiguousarray(prm.bases.distance_km[:, slot_base])
        prm.bases.slot_distance_km = got
    return got


def _col(x: np.ndarray | float) -> np.ndarray | float:
    return x[:, None] if isinstance(x, np.ndarray) and x.ndim else x


__all__ = ["ACTOR_ORDER", "run"]
