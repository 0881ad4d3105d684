"""Compile a :class:`~strait.scenario.Scenario` into arrays the turn loop reads.

Two things come out of a scenario:

* :class:`Structure` — what is the same in every lane: the base groups and their
  geometry, the coalition aircraft pools (actor x class), each ally's role ladder as
  lookup tables, escalation rules, targeting policy. Built once per run.
* :class:`Params` — what varies per lane: every adjudication parameter, sampled from its
  distribution (a fixed value stays a plain ``float`` so it broadcasts for free), and each
  ally's starting role drawn from its prior. Built once per block from the block's
  generator, so results do not depend on how lanes are grouped into processes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np

from strait.errors import EngineError
from strait.scenario.catalog import CATALOG
from strait.scenario.models import (
    ALLIES,
    Access,
    Actor,
    AircraftClass,
    LiftClass,
    MunitionClass,
    Participation,
    RoleLevel,
    Scenario,
    ShipClass,
)

log = logging.getLogger(__name__)

N_LEVELS = len(RoleLevel)
MAX_RULES = 16
"""Escalation rules per scenario (each has its own random stream)."""
LIFT_CLASSES: tuple[LiftClass, ...] = tuple(LiftClass)
PLA_MISSILES_LAND = (MunitionClass.SRBM, MunitionClass.MRBM, MunitionClass.IRBM,
                     MunitionClass.GLCM, MunitionClass.ALCM)
PARTICIPATION_RANK = {Participation.NONE: 0, Participation.LOGISTICS_ISR: 1,
                      Participation.DEFENSIVE: 2, Participation.FULL: 3}
FIGHTERS = (AircraftClass.FIGHTER_5GEN, AircraftClass.FIGHTER_4GEN)


@dataclass(frozen=True)
class Rule:
    """An escalation rule compiled for the engine."""

    ally: int
    trigger: str
    to_at_least: int
    probability: Any  # float or (n,) array after sampling; Param before
    from_turn: int
    requires_at_least: int


@dataclass
class Structure:
    """Lane-independent arrays compiled from a scenario (see module docstring)."""

    scenario: Scenario
    base_ids: list[str]
    base_owner: list[Actor]
    dist_km: np.ndarray  # (B,)
    parking: np.ndarray  # (B,)
    shelters: np.ndarray  # (B,)
    runways: np.ndarray  # (B,)
    interceptors: np.ndarray  # (B,)
    port: np.ndarray  # (B,) bool
    pools: list[tuple[Actor, AircraftClass]]  # coalition aircraft pools
    pool_init: np.ndarray  # (K, B) aircraft at start
    pool_is_fighter: np.ndarray  # (K,) bool
    pool_is_5gen: np.ndarray  # (K,) bool
    pool_actor: np.ndarray  # (K,) actor index into ACTOR_ORDER
    slot_pool: np.ndarray  # (S,) pool of each aircraft slot (pool x base with aircraft)
    slot_base: np.ndarray  # (S,) base of each slot
    slot_init: np.ndarray  # (S,) aircraft at start
    slot_to_base: np.ndarray  # (S, B) one-hot: aircraft (n, S) @ slot_to_base = per base
    slot_to_pool: np.ndarray  # (S, K) one-hot: per pool
    slot_kind: np.ndarray  # (S,) 0 = US (base access rules), 1 = Taiwan, 2 = an ally's own
    slot_fallback: np.ndarray  # (S,) slot a US slot on an ally's base rebases to (-1: none)
    slot_ally: np.ndarray  # (S,) ally index of an ally's own slot (0 otherwise)
    slot_joins: np.ndarray  # (S, 7) bool: an ally's own slot flies at this level
    # role tables per ally (index into ALLIES)
    combat_table: np.ndarray  # (A, 7, B) share of a base group US forces may use for combat
    noncombat_table: np.ndarray  # (A, 7, B)
    participation: np.ndarray  # (A, 7) rank 0..3
    joins: dict[str, np.ndarray]  # force-class name -> (A, 7) bool
    role_probs: np.ndarray  # (A, 7)
    rules: list[Rule]
    strike_first: np.ndarray  # (7,) probability by level
    target_set_weight: np.ndarray  # (B,) doctrine weight of the base's target set
    jpn_fighter_bases: np.ndarray  # base groups in Japan hosting US fighters at the start
    strike_per_turn: np.ndarray  # (7,)
    forces: dict[str, float]  # flat initial counts, e.g. "CHN.lift.lst"
    sources: dict[str, Any] = field(default_factory=dict)
    slot_arrays: dict[str, np.ndarray] = field(default_factory=dict)  # per-slot, for kernels
    ally_bases: list[np.ndarray] = field(default_factory=list)  # base groups each ally owns
    ally_combat: list[np.ndarray] = field(default_factory=list)  # (7, own bases) per ally
    ally_noncombat: list[np.ndarray] = field(default_factory=list)  # (7, own bases) bool

    @property
    def n_bases(self) -> int:
        return len(self.base_ids)

    def base(self, bid: str) -> int:
        return self.base_ids.index(bid)

    def bases_of(self, actor: Actor) -> np.ndarray:
        return np.array([i for i, o in enumerate(self.base_owner) if o == actor], dtype=np.intp)


ACTOR_ORDER: tuple[Actor, ...] = (Actor.USA, Actor.TWN, Actor.JPN, Actor.AUS, Actor.PHL, Actor.KOR,
                                  Actor.CHN)


def _count(p: Any) -> float:
    return 0.0 if p is None else float(p.mean())


def _slot_arrays(st: Structure) -> dict[str, np.ndarray]:
    cls = [st.pools[k][1] for k in st.slot_pool]
    return {"base": st.slot_base.astype(np.int64), "kind": st.slot_kind.astype(np.int64),
            "ally": st.slot_ally.astype(np.int64), "joins": st.slot_joins,
            "fighter": np.array([c in FIGHTERS for c in cls], dtype=bool),
            "tanker": np.array([c == AircraftClass.TANKER for c in cls], dtype=bool),
            "bomber": np.array([c == AircraftClass.BOMBER for c in cls], dtype=bool),
            "dist": st.dist_km[st.slot_base].astype(float)}


def compile_structure(s: Scenario) -> Structure:
    """Build the lane-independent :class:`Structure` of a scenario.

    Raises :class:`EngineError` for a scenario the engine cannot play (no PLA lift, no
    bases, a missing parameter).
    """
    if not s.bases:
        raise EngineError(f"scenario '{s.name}': no base groups; add a 'bases' section "
                          "(or include the 'bases-2026' library)")
    base_ids = list(s.bases)
    bg = [s.bases[b] for b in base_ids]
    B = len(base_ids)
    forces: dict[str, float] = {}
    for actor, fs in s.forces.items():
        for cls, where in fs.aircraft.items():
            forces[f"{actor.value}.aircraft.{cls.value}"] = sum(_count(v) for v in where.values())
        for sc, v in fs.ships.items():
            forces[f"{actor.value}.ships.{sc.value}"] = _count(v)
        for lc, v in fs.lift.items():
            forces[f"{actor.value}.lift.{lc.value}"] = _count(v)
        for mc, v in fs.munitions.items():
            forces[f"{actor.value}.munitions.{mc.value}"] = _count(v)
        forces[f"{actor.value}.ground_battalions"] = _count(fs.ground_battalions)
        forces[f"{actor.value}.reserve_battalions"] = _count(fs.reserve_battalions)
        forces[f"{actor.value}.shore_asm_launchers"] = _count(fs.shore_asm_launchers)
    lift_total = sum(forces.get(f"CHN.lift.{c.value}", 0.0) for c in LIFT_CLASSES)
    if lift_total <= 0:
        raise EngineError(f"scenario '{s.name}': forces.CHN.lift is empty, so there is no "
                          "invasion to adjudicate; give the PLA amphibious lift (e.g. lst: 28)")
    pools: list[tuple[Actor, AircraftClass]] = []
    rows: list[np.ndarray] = []
    for actor in ACTOR_ORDER:
        if actor == Actor.CHN or actor not in s.forces:
            continue
        for cls, where in s.forces[actor].aircraft.items():
            row = np.zeros(B)
            for b, v in where.items():
                row[base_ids.index(b)] = _count(v)
            if row.sum() > 0:
                pools.append((actor, cls))
                rows.append(row)
    pool_init = np.array(rows) if rows else np.zeros((0, B))
    # US aircraft denied combat use of an ally's base rebase to the nearest US air base
    # (CSIS p.49, p.116: without Japan, US fighters must come from Andersen)
    us_air = [b for b in range(B) if bg[b].owner == Actor.USA and bg[b].airbase
              and bg[b].parking_capacity.mean() > 0]
    fallback = min(us_air, key=lambda b: bg[b].distance_km.mean()) if us_air else -1
    occupied = pool_init > 0
    if fallback >= 0:
        for k, (actor, _) in enumerate(pools):
            if actor == Actor.USA:
                occupied[k, fallback] = True
    slot_pool, slot_base = np.nonzero(occupied)
    S = slot_pool.size
    slot_to_base = np.zeros((S, B))
    slot_to_base[np.arange(S), slot_base] = 1.0
    slot_to_pool = np.zeros((S, len(pools)))
    slot_to_pool[np.arange(S), slot_pool] = 1.0

    A = len(ALLIES)
    combat = np.zeros((A, N_LEVELS, B))
    noncombat = np.zeros((A, N_LEVELS, B))
    part = np.zeros((A, N_LEVELS), dtype=np.int8)
    join_names = {c.value for c in AircraftClass} | {"surface_combatant", "ssk", "ssn",
                                                       "type12", "tomahawk"}
    joins = {n: np.zeros((A, N_LEVELS), dtype=bool) for n in join_names}
    role_probs = np.zeros((A, N_LEVELS))
    rules: list[Rule] = []
    for ai, ally in enumerate(ALLIES):
        cfg = s.allies.get(ally)
        if cfg is None:  # an ally the scenario leaves out stays neutral
            role_probs[ai, int(RoleLevel.NEUTRAL)] = 1.0
            continue
        role_probs[ai] = cfg.role.probabilities()
        for lv, step in cfg.ladder.items():
            rel = 1.0 if step.us_forces_released is None else step.us_forces_released.mean()
            for b in step.us_bases.noncombat:
                noncombat[ai, int(lv), base_ids.index(b)] = 1.0
            for b in step.us_bases.combat:
                combat[ai, int(lv), base_ids.index(b)] = rel
                noncombat[ai, int(lv), base_ids.index(b)] = 1.0
            if step.access == Access.COMBAT and not step.us_bases.combat:
                log.debug("%s %s grants combat access but lists no base groups", ally, lv.name)
            part[ai, int(lv)] = PARTICIPATION_RANK[step.participation]
            for j in step.joins:
                if j not in joins:
                    raise EngineError(
                        f"allies.{ally.value}.ladder.{lv.name}.joins: unknown force class '{j}'; "
                        f"use one of {', '.join(sorted(joins))}")
                joins[j][ai, int(lv)] = True
        for r in cfg.escalation:
            rules.append(Rule(ai, r.trigger, int(r.to_at_least), r.probability, r.from_turn,
                              int(r.requires_at_least)))
    if len(rules) > MAX_RULES:
        raise EngineError(f"allies: {len(rules)} escalation rules in all, the engine plays at "
                          f"most {MAX_RULES}; merge rules that share a trigger")
    prc = s.doctrine.prc
    strike_first = np.zeros(N_LEVELS)
    strike_turn = np.zeros(N_LEVELS)
    for lv, p in prc.strike_ally_first_turn.items():
        strike_first[int(lv)] = p.mean()
    for lv, p in prc.strike_ally_per_turn.items():
        strike_turn[int(lv)] = p.mean()
    w = {k: v.mean() for k, v in prc.weights.items()}
    target_set_weight = np.array([w.get("taiwan", 1.0) if b.owner == Actor.TWN
                                  else w.get("airbases", 1.0) for b in bg])
    us_fighters = [i for i, (a, c) in enumerate(pools) if a == Actor.USA and c in FIGHTERS]
    jpn_fighter_bases = np.array([b for b in range(B) if bg[b].owner == Actor.JPN
                                  and pool_init[us_fighters, b].sum() > 0], dtype=np.intp)
    out = Structure(
        scenario=s,
        jpn_fighter_bases=jpn_fighter_bases,
        target_set_weight=target_set_weight,
        base_ids=base_ids,
        base_owner=[b.owner for b in bg],
        dist_km=np.array([b.distance_km.mean() for b in bg]),
        parking=np.array([max(b.parking_capacity.mean(), 1.0) for b in bg]),
        shelters=np.array([b.hardened_shelters.mean() for b in bg]),
        runways=np.array([max(b.runways.mean(), 0.0) for b in bg]),
        interceptors=np.array([b.interceptors.mean() for b in bg]),
        port=np.array([b.port for b in bg]),
        pools=pools,
        pool_init=pool_init,
        pool_is_fighter=np.array([c in FIGHTERS for _, c in pools], dtype=bool),
        pool_is_5gen=np.array([c == AircraftClass.FIGHTER_5GEN for _, c in pools], dtype=bool),
        pool_actor=np.array([ACTOR_ORDER.index(a) for a, _ in pools], dtype=np.intp),
        slot_pool=slot_pool,
        slot_base=slot_base,
        slot_init=pool_init[slot_pool, slot_base],
        slot_to_base=slot_to_base,
        slot_to_pool=slot_to_pool,
        slot_fallback=np.array([
            next((j for j in range(slot_pool.size) if slot_pool[j] == slot_pool[i]
                  and slot_base[j] == fallback), -1)
            if pools[slot_pool[i]][0] == Actor.USA and bg[slot_base[i]].owner in ALLIES else -1
            for i in range(slot_pool.size)], dtype=np.intp),
        slot_kind=np.array([0 if pools[k][0] == Actor.USA else 1 if pools[k][0] == Actor.TWN
                            else 2 for k in slot_pool], dtype=np.int8),
        slot_ally=np.array([ALLIES.index(pools[k][0]) if pools[k][0] in ALLIES else 0
                            for k in slot_pool], dtype=np.intp),
        slot_joins=np.array([joins[pools[k][1].value][ALLIES.index(pools[k][0])]
                             if pools[k][0] in ALLIES else np.zeros(N_LEVELS, dtype=bool)
                             for k in slot_pool], dtype=bool).reshape(-1, N_LEVELS),
        combat_table=combat,
        noncombat_table=noncombat,
        participation=part,
        joins=joins,
        role_probs=role_probs,
        rules=rules,
        strike_first=strike_first,
        strike_per_turn=strike_turn,
        forces=forces,
    )
    out.slot_arrays = _slot_arrays(out)
    out.ally_bases = [out.bases_of(a) for a in ALLIES]
    out.ally_combat = [combat[i][:, idx] for i, idx in enumerate(out.ally_bases)]
    out.ally_noncombat = [noncombat[i][:, idx] > 0 for i, idx in enumerate(out.ally_bases)]
    return out


class Params(SimpleNamespace):
    """Per-lane parameters: ``params.<group>.<name>`` is a float or an ``(n,)`` array."""


def sample_params(s: Scenario, n: int, rng: np.random.Generator) -> Params:
    """Sample every catalogued parameter for ``n`` lanes (fixed values stay scalars).

    Parameters are drawn in catalogue order, so the draws do not depend on the order of
    the scenario file. A parameter the engine needs but the scenario lacks raises
    :class:`EngineError` naming it.
    """
    out = Params()
    missing: list[str] = []
    for group, specs in CATALOG.items():
        given = getattr(s.parameters, group)
        ns = SimpleNamespace()
        for name in specs:
            p = given.get(name)
            if p is None:
                missing.append(f"parameters.{group}.{name}")
                continue
            setattr(ns, name, float(p.value) if p.value is not None else p.sample(rng, n))
        setattr(out, group, ns)
    if missing:
        more = f" (+{len(missing) - 1} more)" if len(missing) > 1 else ""
        raise EngineError(
            f"scenario '{s.name}': missing parameter {missing[0]}{more}; include the "
            "'parameters-2026' library or give it a value with a source")
    return out


def sample_roles(struct: Structure, n: int, rng: np.random.Generator) -> np.ndarray:
    """Starting role of each ally in each lane, shape ``(n, A)`` int8, drawn from priors.

    One uniform per lane and ally is mapped through the prior's CDF, so forcing a role
    (a sweep) leaves every other draw of the lane unchanged.
    """
    u = rng.random((n, len(ALLIES)))
    cdf = np.cumsum(struct.role_probs, axis=1)
    cdf[:, -1] = 1.0 + 1e-12
    roles = np.empty((n, len(ALLIES)), dtype=np.int8)
    for a in range(len(ALLIES)):
        roles[:, a] = np.searchsorted(cdf[a], u[:, a], side="right")
    return roles


def force(struct: Structure, key: str) -> float:
    """Initial aggregate count of ``key`` (e.g. ``'CHN.lift.lst'``), 0 if absent."""
    return struct.forces.get(key, 0.0)


__all__ = [
    "ACTOR_ORDER",
    "LIFT_CLASSES",
    "PLA_MISSILES_LAND",
    "Params",
    "ShipClass",
    "Structure",
    "compile_structure",
    "force",
    "sample_params",
    "sample_roles",
]
