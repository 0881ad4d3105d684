"""Shared set-up for the engine tests: one turn's state, params and deterministic draws.

Phase tests build a tiny block by hand (the same steps as ``play_block``) and overwrite the
turn's random numbers, so binomial- and Poisson-like draws return their means (``z = 0``)
and every uniform sits at a chosen value. Aircraft helpers work whether ``State.aircraft``
is laid out per pool and base ``(n, K, B)`` or per occupied slot ``(n, S)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from strait.engine.compile import (
    Params,
    Structure,
    compile_structure,
    sample_lanes,
    sample_roles,
)
from strait.engine.context import TurnContext
from strait.engine.draws import Draws
from strait.engine.state import State, initial_state
from strait.scenario.loader import load_scenario
from strait.scenario.models import ALLIES, Actor, AircraftClass, RoleLevel, Scenario

JPN, AUS, PHL, KOR = (ALLIES.index(a) for a in (Actor.JPN, Actor.AUS, Actor.PHL, Actor.KOR))


@cache
def base_scenario() -> Scenario:
    """``csis-base``, loaded once (scenarios are frozen, so sharing is safe)."""
    return load_scenario("csis-base")


@cache
def base_structure() -> Structure:
    return compile_structure(base_scenario())


@dataclass
class Turn:
    """Everything one phase call needs."""

    st: State
    prm: Params
    ctx: TurnContext

    @property
    def struct(self) -> Structure:
        return self.ctx.struct

    @property
    def n(self) -> int:
        return self.st.n


def make_turn(n: int = 8, *, turn: int = 0, us_active: bool = True,
              roles: Any = None, z: float = 0.0, u: float = 0.999, seed: int = 0,
              scenario: Scenario | None = None, inputs_at_mean: bool = True) -> Turn:
    """A fresh D-Day state for ``n`` lanes and a context for turn ``turn``.

    ``roles``: ``None`` (drawn from the priors), a dict ``{ally index: level}`` applied to
    every lane, or an ``(n, 4)`` array. All normal draws are set to ``z`` and all uniforms
    to ``u``; pass ``z=None`` to keep the random draws. The scenario's own numbers (forces,
    bases, doctrine odds) sit at their expected values unless ``inputs_at_mean=False``.
    """
    s = scenario or base_scenario()
    struct = base_structure() if scenario is None else compile_structure(s)
    rng = np.random.default_rng(seed)
    prm = sample_lanes(struct, n, rng, inputs_at_mean=inputs_at_mean)
    drawn = sample_roles(struct, n, rng)
    if isinstance(roles, dict):
        for a, lv in roles.items():
            drawn[:, a] = int(lv)
    elif roles is not None:
        drawn = np.asarray(roles, dtype=np.int8)
    st = initial_state(struct, prm, drawn)
    st.turn = turn
    draws = Draws(rng, n)
    if z is not None:
        draws._z[:] = z
        draws._u[:] = u
    ctx = TurnContext(struct=struct, draws=draws, turn=turn,
                      turn_days=s.campaign.turn_days, us_active=us_active)
    ctx.flows.lift_start = st.lift.copy()
    ctx.flows.lift_sunk = np.zeros_like(st.lift)
    ctx.flows.targeting = np.ones(n)  # a full kill chain unless a test sets it
    ctx.flows.fleet_exposure = np.ones(n)  # the whole fleet sails unless a test sets it
    return Turn(st, prm, ctx)


def flows(t: Turn) -> dict[str, Any]:
    """The turn's flows set so far, as a dict (``{'cap_sorties': ..., ...}``)."""
    f = t.ctx.flows
    return {k: getattr(f, k) for k in type(f).__slots__ if hasattr(f, k)}


def set_flows(t: Turn, **values: Any) -> None:
    for k, v in values.items():
        setattr(t.ctx.flows, k, v)


# --------------------------------------------------------------------------- aircraft


def pool_index(struct: Structure, actor: Actor, cls: AircraftClass) -> int:
    return struct.pools.index((actor, cls))


def _slot_layout(st: State) -> bool:
    return st.aircraft.ndim == 2


def aircraft_by_base(st: State, struct: Structure) -> np.ndarray:
    """Coalition aircraft parked per base group, ``(n, B)``."""
    if _slot_layout(st):
        return st.aircraft @ struct.slot_to_base
    return st.aircraft.sum(axis=1)


def aircraft_by_pool(st: State, struct: Structure) -> np.ndarray:
    """Coalition aircraft per pool (actor x class), ``(n, K)``."""
    if _slot_layout(st):
        return st.aircraft @ struct.slot_to_pool
    return st.aircraft.sum(axis=2)


def aircraft_at(st: State, struct: Structure, k: int, b: int) -> np.ndarray:
    """Aircraft of pool ``k`` at base ``b``, ``(n,)`` (zeros if the pool has none there)."""
    if _slot_layout(st):
        hit = np.nonzero((struct.slot_pool == k) & (struct.slot_base == b))[0]
        return st.aircraft[:, hit[0]].copy() if hit.size else np.zeros(st.n)
    return st.aircraft[:, k, b].copy()


def keep_only(st: State, struct: Structure, *slots: tuple[int, int]) -> None:
    """Remove every coalition aircraft except those of the given ``(pool, base)`` slots."""
    keep = [(k, b, aircraft_at(st, struct, k, b)) for k, b in slots]
    st.aircraft[:] = 0.0
    for k, b, count in keep:
        if _slot_layout(st):
            hit = np.nonzero((struct.slot_pool == k) & (struct.slot_base == b))[0]
            assert hit.size, f"pool {struct.pools[k]} has no aircraft at {struct.base_ids[b]}"
            st.aircraft[:, hit[0]] = count
        else:
            st.aircraft[:, k, b] = count


def level(name: str) -> int:
    return int(RoleLevel[name])
