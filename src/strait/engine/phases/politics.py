"""Political update: allied roles change inside a run, and bases open or close.

At the start of each turn (from turn 1), each ally's escalation rules fire: if its
territory was struck last turn (``territory_struck``), if US forces were struck
(``us_forces_struck``), or as a per-turn hazard (``per_turn``, e.g. Japan's
survival-threatening determination), the ally moves to at least the rule's level with the
rule's probability. Then the ladder tables say, for every lane, which base groups US
forces may use for combat (``combat_frac``, a share when only part of the forces there are
released, as in Korea) and for non-combat support (``noncombat_ok``), and how far each
ally's own forces take part.

Sources: the ladders and their legal hooks are scenario data (``strait roles``); the
transition logic follows the domain brief's Markov role model (roles are endogenous: a
PRC strike on US forces in Japan creates an armed-attack situation).
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import ACTOR_ORDER, Params
from strait.engine.context import TurnContext
from strait.engine.state import State
from strait.scenario.models import ALLIES, Actor, AircraftClass

_US_BASE_OWNERS = (Actor.USA,)


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Apply escalation rules, then recompute base usability and participation."""
    s = ctx.struct
    t = ctx.turn
    if t > 0:
        for i, rule in enumerate(s.rules):
            if rule.trigger == "territory_struck":
                cond = st.struck_last[:, rule.ally].copy()
            elif rule.trigger == "us_forces_struck":
                cond = st.us_struck_last.copy()
            else:
                cond = np.full(st.n, t >= rule.from_turn)
            cond &= st.role[:, rule.ally] >= rule.requires_at_least
            cond &= t >= rule.from_turn
            p = prm.rules[i]
            fire = cond & (ctx.draws.u(f"esc_{i}") < p) & st.active
            cur = st.role[:, rule.ally]
            new = np.where(fire, np.maximum(cur, rule.to_at_least), cur).astype(np.int8)
            changed = (new != cur) & (st.role_change_turn[:, rule.ally] < 0)
            st.role_change_turn[changed, rule.ally] = t
            st.role[:, rule.ally] = new
        rebase(st, prm, ctx)
    update_access(st, prm, ctx)
    return st


def rebase(st: State, prm: Params, ctx: TurnContext) -> None:
    """Move US aircraft between an ally's bases and the nearest US air base, both ways.

    Rebasing takes about a turn (CSIS p.49). Aircraft that could not fly combat from an
    ally's base last turn (tankers: not even non-combat) fly from the fallback base now, as
    far as its parking allows; aircraft that left come home once the ally's rung opens the
    base again, as far as the home base's parking allows. Forces the ally's rung holds in
    place (a rung that sets ``us_forces_released``, like Korea's: the unreleased part of
    USFK stays on the peninsula) never move.
    """
    s = ctx.struct
    if not s.rebasing_slots.size:
        return
    j_all = s.rebasing_slots
    b_all = s.slot_base[j_all]
    tank = s.slot_arrays["tanker"][j_all]
    open_all = np.where(tank, st.noncombat_ok[:, b_all], st.combat_frac[:, b_all] > 0.0)
    ally_all = s.slot_base_ally[j_all]
    held_all = s.holds_us_forces[ally_all[None, :], st.role[:, ally_all]]
    leaving = ~open_all & ~held_all & (st.aircraft[:, j_all] > 0)
    returning = open_all & (st.away[:, j_all] > 0)
    if not (leaving.any() or returning.any()):
        return  # nothing moves this turn (the usual case)
    parking = prm.bases.parking_capacity
    parked = s.per_base(st.aircraft)
    act = st.active
    for j in s.rebasing_slots:
        b, f = s.slot_base[j], s.slot_fallback[j]
        fb = s.slot_base[f]
        a = s.slot_base_ally[j]
        tanker = s.pools[s.slot_pool[j]][1] == AircraftClass.TANKER
        open_ = st.noncombat_ok[:, b] if tanker else st.combat_frac[:, b] > 0.0
        held = s.holds_us_forces[a][st.role[:, a]]
        # home again: the aircraft that left, as far as they survive and fit
        back = np.minimum(st.away[:, j], st.aircraft[:, f])
        back = np.minimum(back, np.maximum(parking[:, b] - parked[:, b], 0.0))
        back = back * (open_ & act)
        # away: aircraft denied their base, as far as the fallback base has room
        room = np.maximum(parking[:, fb] - parked[:, fb], 0.0)
        out = np.minimum(st.aircraft[:, j], room) * (~open_ & ~held & act)
        move = out - back
        st.aircraft[:, j] -= move
        st.aircraft[:, f] += move
        st.away[:, j] += move
        parked[:, b] -= move
        parked[:, fb] += move


def update_access(st: State, prm: Params, ctx: TurnContext) -> None:
    """Recompute ``combat_frac``, ``noncombat_ok`` and ``participation`` from roles."""
    s = ctx.struct
    us = 1.0 if ctx.us_active else 0.0
    for b, owner in enumerate(s.base_owner):
        if owner in _US_BASE_OWNERS:
            st.combat_frac[:, b] = us
            st.noncombat_ok[:, b] = ctx.us_active
        elif owner == Actor.TWN:
            st.combat_frac[:, b] = us
            st.noncombat_ok[:, b] = ctx.us_active
        elif owner == Actor.CHN:
            st.combat_frac[:, b] = 0.0
            st.noncombat_ok[:, b] = False
    for a in range(len(ALLIES)):
        idx = s.ally_bases[a]
        lv = st.role[:, a]
        st.participation[:, a] = s.participation[a][lv]
        if idx.size:  # ladder tables restricted to the ally's own base groups
            share = prm.doctrine.us_released[np.arange(st.n), a, lv]  # the lane's own
            st.combat_frac[:, idx] = s.ally_combat[a][lv] * (share * us)[:, None]
            st.noncombat_ok[:, idx] = s.ally_noncombat[a][lv] & ctx.us_active


__all__ = ["ACTOR_ORDER", "run", "update_access"]
