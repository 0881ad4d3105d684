"""Compile a :class:`~strait.scenario.Scenario` into arrays the turn loop reads.

Two things come out of a scenario:

* :class:`Structure` — what is the same in every lane: the base groups, the coalition
  aircraft pools (actor x class) and their slots, each ally's role ladder as lookup
  tables, escalation rules, the compiled doctrine (:class:`Doctrine`) and the list of
  numbers to draw per lane. Built once per run; it records every scenario field it read.
* :class:`Params` — what varies per lane: every adjudication parameter, force count, base
  number, PRC strike odd and target weight given as a distribution, drawn per lane
  (:func:`sample_lanes`; a fixed value stays a plain ``float`` so it broadcasts for free),
  and each ally's starting role drawn from its prior. Built once per block from the
  block's generator, so results do not depend on how lanes are grouped into processes.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np

from strait.engine.draws import MAX_RULES
from strait.engine.inputs import Reads, track
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
SUPPORTS: tuple[str, ...] = ("intel", "isr", "fuel", "munitions", "repair")
"""What an ally's rung can provide without fighting (``LadderLevel.provides``)."""
TARGET_SETS: tuple[str, ...] = ("airbases", "taiwan")
"""PRC missile target sets weighted by ``doctrine.prc.weights``."""
_BASE_NUMBERS: tuple[tuple[str, bool], ...] = (
    ("distance_km", False), ("parking_capacity", True), ("hardened_shelters", True),
    ("runways", True), ("interceptors", True))
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
    probability: Any  # the Param (lanes draw it into ``params.rules``)
    from_turn: int
    requires_at_least: int
    path: str = ""  # scenario path of the probability, the key of its random stream


@dataclass(frozen=True)
class LaneInput:
    """A scenario number drawn per lane: its path, its Param, and whether it is a count."""

    path: str
    param: Any
    integer: bool


@dataclass(frozen=True)
class Doctrine:
    """The doctrine and campaign switches, compiled before play (phases read these, never
    the scenario)."""

    turn_days: float
    horizon_turns: int
    us_intervenes: bool
    us_entry_turn: int
    bomber_delay_turns: int
    us_dispersed: bool
    maritime_strike_jassm: bool
    strike_mainland: bool
    strike_by_value: bool
    strike_guam: bool
    strike_taiwan_airbases: bool
    twn_resists: bool
    twn_paralysed_turns: int
    ground_harpoons: bool


@dataclass
class Structure:
    """Lane-independent arrays compiled from a scenario (see module docstring)."""

    scenario: Scenario
    doctrine: Doctrine
    reads: Reads  # scenario fields read while compiling
    lane_inputs: list[LaneInput]  # numbers drawn per lane by sample_lanes
    base_ids: list[str]
    base_owner: list[Actor]
    base_is_port: np.ndarray  # (B,) bool
    base_is_airbase: np.ndarray  # (B,) bool
    expected_dist_km: np.ndarray  # (B,) for structural choices only (lanes: params.bases)
    port: np.ndarray  # (B,) bool
    pools: list[tuple[Actor, AircraftClass]]  # coalition aircraft pools
    pool_init: np.ndarray  # (K, B) expected aircraft at start
    pool_is_fighter: np.ndarray  # (K,) bool
    pool_is_5gen: np.ndarray  # (K,) bool
    pool_actor: np.ndarray  # (K,) actor index into ACTOR_ORDER
    slot_pool: np.ndarray  # (S,) pool of each aircraft slot (pool x base with aircraft)
    slot_base: np.ndarray  # (S,) base of each slot
    slot_init: np.ndarray  # (S,) expected aircraft at start (lanes: params.slot_init)
    slot_to_base: np.ndarray  # (S, B) one-hot: aircraft (n, S) @ slot_to_base = per base
    slot_to_pool: np.ndarray  # (S, K) one-hot: per pool
    slot_kind: np.ndarray  # (S,) 0 = US (base access rules), 1 = Taiwan, 2 = an ally's own
    slot_fallback: np.ndarray  # (S,) slot a US slot on an ally's base rebases to (-1: none)
    slot_ally: np.ndarray  # (S,) ally index of an ally's own slot (0 otherwise)
    slot_joins: np.ndarray  # (S, 7) bool: an ally's own slot flies at this level
    # role tables per ally (index into ALLIES)
    combat_table: np.ndarray  # (A, 7, B) 1 where US forces may fly combat from a base group
    # (times each lane's share released, params.doctrine.us_released)
    noncombat_table: np.ndarray  # (A, 7, B)
    participation: np.ndarray  # (A, 7) rank 0..3
    joins: dict[str, np.ndarray]  # force-class name -> (A, 7) bool
    provides: dict[str, np.ndarray]  # support ('intel', 'isr', 'fuel', ...) -> (A, 7) bool
    role_probs: np.ndarray  # (A, 7)
    rules: list[Rule]
    jpn_fighter_bases: np.ndarray  # base groups in Japan hosting US fighters at the start
    forces: dict[str, float]  # expected initial counts, e.g. "CHN.lift.lst" (lanes: params)
    sources: dict[str, Any] = field(default_factory=dict)
    slot_arrays: dict[str, np.ndarray] = field(default_factory=dict)  # per-slot, for kernels
    ally_bases: list[np.ndarray] = field(default_factory=list)  # base groups each ally owns
    ally_combat: list[np.ndarray] = field(default_factory=list)  # (7, own bases) per ally
    ally_noncombat: list[np.ndarray] = field(default_factory=list)  # (7, own bases) bool
    base_target_set: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    us_slot: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    base_hosts_us: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    shore_at: dict[str, int] = field(default_factory=dict)  # actor -> base of its batteries
    slot_owner_ally: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    slot_base_ally: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    us_slots_on_ally_bases: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    tanker_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    mpa_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    slot_home: np.ndarray = field(default_factory=lambda: np.zeros((0, 7), dtype=bool))
    rebasing_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    holds_us_forces: np.ndarray = field(default_factory=lambda: np.zeros((4, 7), dtype=bool))
    home_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    param_specs: dict[str, dict[str, Any]] = field(default_factory=dict)  # catalogue Params

    def per_base(self, x: np.ndarray) -> np.ndarray:
        """``(n, S)`` per slot -> ``(n, B)`` per base group, summed slot by slot in a fixed
        order (a one-hot matrix product would let BLAS pick a summation order by block
        size, so a lane's sums would depend on how many lanes share its block)."""
        return _group_sum(x, self.slot_base, self.n_bases)

    def per_pool(self, x: np.ndarray) -> np.ndarray:
        """``(n, S)`` per slot -> ``(n, K)`` per coalition pool (see :meth:`per_base`)."""
        return _group_sum(x, self.slot_pool, len(self.pools))

    @property
    def n_bases(self) -> int:
        return len(self.base_ids)

    def base(self, bid: str) -> int:
        return self.base_ids.index(bid)

    def bases_of(self, actor: Actor) -> np.ndarray:
        return np.array([i for i, o in enumerate(self.base_owner) if o == actor], dtype=np.intp)


ACTOR_ORDER: tuple[Actor, ...] = (Actor.USA, Actor.TWN, Actor.JPN, Actor.AUS, Actor.PHL, Actor.KOR,
                                  Actor.CHN)


def _group_sum(x: np.ndarray, group: np.ndarray, size: int) -> np.ndarray:
    from strait.engine.kernels import group_sum

    return group_sum(x, group, size)


def _count(p: Any) -> float:
    return 0.0 if p is None else float(p.mean())


def _slot_arrays(st: Structure) -> dict[str, np.ndarray]:
    cls = [st.pools[k][1] for k in st.slot_pool]
    return {"base": st.slot_base.astype(np.int64), "kind": st.slot_kind.astype(np.int64),
            "ally": st.slot_ally.astype(np.int64), "joins": st.slot_joins,
            "fighter": np.array([c in FIGHTERS for c in cls], dtype=bool),
            "tanker": np.array([c == AircraftClass.TANKER for c in cls], dtype=bool),
            "bomber": np.array([c == AircraftClass.BOMBER for c in cls], dtype=bool),
            "mpa": np.array([c == AircraftClass.MPA for c in cls], dtype=bool)}


def compile_structure(s: Scenario) -> Structure:
    """Build the lane-independent :class:`Structure` of a scenario.

    The scenario is read through a recording view (:mod:`strait.engine.inputs`), so the
    structure knows every field it read (``struct.reads``). Numbers given as distributions
    are not averaged here: they are listed in ``struct.lane_inputs`` and drawn per lane by
    :func:`sample_lanes`. Means serve only structural choices (which base is the US
    fallback, which slots exist) and the expected counts in ``struct.forces``.

    Raises :class:`EngineError` for a scenario the engine cannot play (no PLA lift, no
    bases, a missing parameter).
    """
    reads = Reads()
    t = track(s, reads)
    if not t.bases:
        raise EngineError(f"scenario '{s.name}': no base groups; add a 'bases' section "
                          "(or include the 'bases-2026' library)")
    base_ids = list(s.bases)
    bg = [t.bases[b] for b in base_ids]
    B = len(base_ids)
    lane_inputs: list[LaneInput] = []

    def per_lane(path: str, p: Any, integer: bool) -> None:
        lane_inputs.append(LaneInput(path, p, integer))

    forces: dict[str, float] = {}
    shore_at: dict[str, int] = {}
    for actor, fs in t.forces.items():
        if fs.shore_asm_at is not None:
            shore_at[actor.value] = base_ids.index(fs.shore_asm_at)
        for cls, where in fs.aircraft.items():
            forces[f"{actor.value}.aircraft.{cls.value}"] = sum(_count(v) for v in where.values())
        groups = (("ships", fs.ships), ("lift", fs.lift), ("munitions", fs.munitions))
        for kind, d in groups:
            for key, v in d.items():
                forces[f"{actor.value}.{kind}.{key.value}"] = _count(v)
                per_lane(f"forces.{actor.value}.{kind}.{key.value}", v, True)
        for name in ("ground_battalions", "reserve_battalions", "shore_asm_launchers"):
            v = getattr(fs, name)
            forces[f"{actor.value}.{name}"] = _count(v)
            if v is not None:
                per_lane(f"forces.{actor.value}.{name}", v, True)
    lift_total = sum(forces.get(f"CHN.lift.{c.value}", 0.0) for c in LIFT_CLASSES)
    if lift_total <= 0:
        raise EngineError(f"scenario '{s.name}': forces.CHN.lift is empty, so there is no "
                          "invasion to adjudicate; give the PLA amphibious lift (e.g. lst: 28)")
    pools: list[tuple[Actor, AircraftClass]] = []
    rows: list[np.ndarray] = []
    where_param: dict[tuple[int, int], Any] = {}
    for actor in ACTOR_ORDER:
        if actor == Actor.CHN or actor not in s.forces:
            continue
        for cls, where in t.forces[actor].aircraft.items():
            row = np.zeros(B)
            cells = {}
            for b, v in where.items():
                row[base_ids.index(b)] = _count(v)
                cells[base_ids.index(b)] = (v, f"forces.{actor.value}.aircraft.{cls.value}.{b}")
            if row.sum() > 0:
                for b, pv in cells.items():
                    where_param[(len(pools), b)] = pv
                pools.append((actor, cls))
                rows.append(row)
    pool_init = np.array(rows) if rows else np.zeros((0, B))
    # US aircraft denied combat use of an ally's base rebase to the nearest US air base
    # (CSIS p.49, p.116: without Japan, US fighters must come from Andersen). The choice of
    # base is structural, made on expected distances.
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
    for j in range(S):
        slot_pv = where_param.get((int(slot_pool[j]), int(slot_base[j])))
        if slot_pv is not None:
            per_lane(f"slot.{j}:{slot_pv[1]}", slot_pv[0], True)
    slot_to_base = np.zeros((S, B))
    slot_to_base[np.arange(S), slot_base] = 1.0
    slot_to_pool = np.zeros((S, len(pools)))
    slot_to_pool[np.arange(S), slot_pool] = 1.0
    for b, bid in enumerate(base_ids):
        for name, integer in _BASE_NUMBERS:
            per_lane(f"bases.{bid}.{name}", getattr(bg[b], name), integer)

    A = len(ALLIES)
    combat = np.zeros((A, N_LEVELS, B))
    noncombat = np.zeros((A, N_LEVELS, B))
    part = np.zeros((A, N_LEVELS), dtype=np.int8)
    join_names = {c.value for c in AircraftClass} | {"surface_combatant", "ssk", "ssn",
                                                       "type12", "tomahawk", "shore_asm"}
    joins = {n: np.zeros((A, N_LEVELS), dtype=bool) for n in join_names}
    provides = {n: np.zeros((A, N_LEVELS), dtype=bool) for n in SUPPORTS}
    holds = np.zeros((A, N_LEVELS), dtype=bool)  # the rung keeps US forces in place
    role_probs = np.zeros((A, N_LEVELS))
    rules: list[Rule] = []
    for ai, ally in enumerate(ALLIES):
        cfg = t.allies.get(ally)
        if cfg is None:  # an ally the scenario leaves out stays neutral
            role_probs[ai, int(RoleLevel.NEUTRAL)] = 1.0
            continue
        role_probs[ai] = cfg.role.probabilities()
        for lv, step in cfg.ladder.items():
            if step.us_forces_released is not None:  # drawn per lane (sample_lanes)
                holds[ai, int(lv)] = True
                per_lane(f"allies.{ally.value}.ladder.{lv.name}.us_forces_released",
                         step.us_forces_released, False)
            for b in step.us_bases.noncombat:
                noncombat[ai, int(lv), base_ids.index(b)] = 1.0
            for b in step.us_bases.combat:
                combat[ai, int(lv), base_ids.index(b)] = 1.0
                noncombat[ai, int(lv), base_ids.index(b)] = 1.0
            if step.access == Access.COMBAT and not step.us_bases.combat:
                log.debug("%s %s grants combat access but lists no base groups", ally, lv.name)
            part[ai, int(lv)] = PARTICIPATION_RANK[step.participation]
            for item in step.provides:
                provides[item][ai, int(lv)] = True
            for j in step.joins:
                if j not in joins:
                    raise EngineError(
                        f"allies.{ally.value}.ladder.{lv.name}.joins: unknown force class '{j}'; "
                        f"use one of {', '.join(sorted(joins))}")
                joins[j][ai, int(lv)] = True
        for i, r in enumerate(cfg.escalation):
            path = f"allies.{ally.value}.escalation.{i}.probability"
            rules.append(Rule(ai, r.trigger, int(r.to_at_least), r.probability, r.from_turn,
                              int(r.requires_at_least), path))
            per_lane(path, r.probability, False)
    if len(rules) > MAX_RULES:
        raise EngineError(f"allies: {len(rules)} escalation rules in all, the engine plays at "
                          f"most {MAX_RULES}; merge rules that share a trigger")
    prc = t.doctrine.prc
    by_value = prc.strike_decision == "by_value"
    if by_value:  # the PRC weighs each ally's contribution against bringing it in
        for name in ("strike_value_rate", "support_value"):
            p = getattr(prc, name)
            if p is None:
                raise EngineError(f"doctrine.prc.{name}: needed when strike_decision is "
                                  "by_value; give it a value with a source or assumption")
            per_lane(f"doctrine.prc.{name}", p, False)
        for ally_, p in prc.entry_restraint.items():
            per_lane(f"doctrine.prc.entry_restraint.{ally_.value}", p, False)
    else:
        for table in ("strike_ally_first_turn", "strike_ally_per_turn"):
            for lv, p in getattr(prc, table).items():
                per_lane(f"doctrine.prc.{table}.{lv.name}", p, False)
    for key, p in prc.weights.items():
        if key not in TARGET_SETS:
            raise EngineError(
                f"doctrine.prc.weights.{key}: unknown target set; use one of "
                f"{', '.join(TARGET_SETS)} (ships at sea are engaged by the anti-ship phase "
                "with its own missiles)")
        per_lane(f"doctrine.prc.weights.{key}", p, False)
    usa, twn = t.doctrine.usa, t.doctrine.twn
    per_lane("doctrine.usa.amphibious_priority", usa.amphibious_priority, False)
    doctrine = Doctrine(
        turn_days=float(t.campaign.turn_days),
        horizon_turns=int(t.campaign.horizon_turns),
        us_intervenes=bool(usa.intervenes),
        us_entry_turn=int(usa.entry_turn),
        bomber_delay_turns=int(usa.bomber_delay_turns),
        us_dispersed=usa.basing == "dispersed",
        maritime_strike_jassm=bool(usa.maritime_strike_jassm),
        strike_mainland=bool(usa.strike_mainland),
        strike_by_value=by_value,
        strike_guam=bool(prc.strike_guam),
        strike_taiwan_airbases=bool(prc.strike_taiwan_airbases),
        twn_resists=bool(twn.resists),
        twn_paralysed_turns=int(twn.paralysed_turns),
        ground_harpoons=bool(twn.ground_harpoons),
    )
    us_fighters = [i for i, (a, c) in enumerate(pools) if a == Actor.USA and c in FIGHTERS]
    jpn_fighter_bases = np.array([b for b in range(B) if bg[b].owner == Actor.JPN
                                  and pool_init[us_fighters, b].sum() > 0], dtype=np.intp)
    owners = [b.owner for b in bg]
    out = Structure(
        scenario=s,
        doctrine=doctrine,
        reads=reads,
        lane_inputs=lane_inputs,
        jpn_fighter_bases=jpn_fighter_bases,
        base_ids=base_ids,
        base_owner=owners,
        base_is_port=np.array([bool(b.port) for b in bg]),
        base_is_airbase=np.array([bool(b.airbase) for b in bg]),
        expected_dist_km=np.array([b.distance_km.mean() for b in bg]),
        port=np.array([bool(b.port) for b in bg]),
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
            if pools[slot_pool[i]][0] == Actor.USA and owners[slot_base[i]] in ALLIES else -1
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
        provides=provides,
        role_probs=role_probs,
        rules=rules,
        forces=forces,
    )
    out.slot_arrays = _slot_arrays(out)
    out.ally_bases = [out.bases_of(a) for a in ALLIES]
    out.ally_combat = [combat[i][:, idx] for i, idx in enumerate(out.ally_bases)]
    out.ally_noncombat = [noncombat[i][:, idx] > 0 for i, idx in enumerate(out.ally_bases)]
    out.base_target_set = np.array(
        ["taiwan" if o == Actor.TWN else "airbases" for o in owners], dtype=object)
    out.us_slot = out.slot_kind == 0
    out.shore_at = shore_at
    # the ally whose territory each slot stands on (A = none), for per-ally sums
    out.slot_owner_ally = np.array([ALLIES.index(owners[b]) if owners[b] in ALLIES
                                    else len(ALLIES) for b in slot_base], dtype=np.intp)
    out.base_hosts_us = np.array([o == Actor.USA or o in ALLIES for o in owners], dtype=bool)
    out.slot_base_ally = np.array([ALLIES.index(owners[b]) if owners[b] in ALLIES else -1
                                   for b in slot_base], dtype=np.intp)
    out.us_slots_on_ally_bases = np.nonzero((out.slot_kind == 0) & (out.slot_base_ally >= 0)
                                            )[0]
    out.tanker_slots = np.nonzero(out.slot_arrays["tanker"])[0]
    out.rebasing_slots = np.nonzero(out.slot_fallback >= 0)[0]
    out.holds_us_forces = holds
    # an ally's own fighters: around Taiwan only at FULL participation; over its own bases
    # (home defence) at DEFENSIVE
    fighter = out.slot_arrays["fighter"] & (out.slot_kind == 2)
    full = np.array([part[out.slot_ally[j]] == PARTICIPATION_RANK[Participation.FULL]
                     for j in range(S)]).reshape(S, N_LEVELS) if S else np.zeros((0, 7), bool)
    defensive = np.array([part[out.slot_ally[j]] == PARTICIPATION_RANK[Participation.DEFENSIVE]
                          for j in range(S)]).reshape(S, N_LEVELS) if S else full
    out.slot_home = out.slot_joins & defensive & fighter[:, None]
    out.slot_joins = np.where(fighter[:, None], out.slot_joins & full, out.slot_joins)
    out.slot_arrays["joins"] = out.slot_joins
    out.home_slots = np.nonzero(out.slot_home.any(axis=1))[0]
    out.mpa_slots = np.nonzero(out.slot_arrays["mpa"])[0]
    # the catalogue's parameters, read untracked: a parameter counts as read when a phase
    # reads it during play, not because it was sampled
    out.param_specs = _catalogue_params(s)
    return out


def _catalogue_params(s: Scenario) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for group, specs in CATALOG.items():
        given = getattr(s.parameters, group)
        out[group] = {}
        for name in specs:
            p = given.get(name)
            if p is None:
                missing.append(f"parameters.{group}.{name}")
            else:
                out[group][name] = p
    if missing:
        more = f" (+{len(missing) - 1} more)" if len(missing) > 1 else ""
        raise EngineError(
            f"scenario '{s.name}': missing parameter {missing[0]}{more}; include the "
            "'parameters-2026' library or give it a value with a source")
    return out


class ParamGroup(SimpleNamespace):
    """A group of per-lane parameters (``group.name`` is a float or an ``(n, ...)`` array)."""


class TrackedParamGroup(ParamGroup):
    """A :class:`ParamGroup` that notes which of its parameters the phases read (used when
    a caller asks what the engine reads; plain groups cost nothing per access)."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            d = object.__getattribute__(self, "__dict__")
            log_ = d.get("_log")
            if log_ is not None and name in d:
                log_.add(d["_prefix"] + name)
        return object.__getattribute__(self, name)


class Params(SimpleNamespace):
    """Per-lane parameters: ``params.<group>.<name>`` is a float or an ``(n,)`` array.

    Groups: the catalogue's (``strikes``, ``sorties``, ...), ``forces`` (dict of per-lane
    counts keyed like ``'CHN.lift.lst'``), ``bases`` (``(n, B)`` geometry), ``doctrine``
    (per-lane PRC strike odds by level ``(n, 7)``, target-set weights per base ``(n, B)``
    and the US ``amphibious_priority``), ``slot_init`` ``(n, S)`` aircraft at the start,
    and ``rules`` (escalation probabilities). Every array's first axis is the lane.
    """


def _stream(key: int, path: str) -> np.random.Generator:
    """The random stream of one input: its own, so adding or fixing another input never
    shifts its draws (common random numbers across scenarios and excursions)."""
    return np.random.default_rng(np.random.SeedSequence([key, zlib.crc32(path.encode())]))


def _draw(p: Any, key: int, path: str, n: int, integer: bool = False,
          at_mean: bool = False) -> np.ndarray | float:
    if p.value is not None:
        return float(p.value)
    if at_mean:
        return float(np.rint(p.mean())) if integer else float(p.mean())
    x: np.ndarray = p.sample(_stream(key, path), n)
    return np.rint(x) if integer else x


def sample_params(s: Scenario | dict[str, dict[str, Any]], n: int, rng: np.random.Generator,
                  key: int | None = None, log_: set[str] | None = None) -> Params:
    """Sample every catalogued parameter for ``n`` lanes (fixed values stay scalars).

    ``s`` is a scenario or its compiled ``Structure.param_specs``. Each parameter draws
    from its own stream derived from ``key`` (one draw from ``rng`` when not given) and its
    path, so the draws depend neither on the order of the file nor on which other
    parameters are uncertain. A parameter the engine needs but the scenario lacks raises
    :class:`EngineError` naming it.
    """
    specs = s if isinstance(s, dict) else _catalogue_params(s)
    if key is None:
        key = int(rng.integers(0, 2**63 - 1))
    out = Params()
    for group, given in specs.items():
        ns = (TrackedParamGroup(_log=log_, _prefix=f"parameters.{group}.") if log_ is not None
              else ParamGroup())
        for name, p in given.items():
            setattr(ns, name, _draw(p, key, f"parameters.{group}.{name}", n))
        setattr(out, group, ns)
    return out


def sample_lanes(struct: Structure, n: int, rng: np.random.Generator,
                 log_: set[str] | None = None, inputs_at_mean: bool = False) -> Params:
    """Everything uncertain about a scenario, drawn for ``n`` lanes.

    One integer is drawn from ``rng`` (the block's generator) as the key of every input's
    own stream: catalogue parameters, forces and base numbers (counts rounded to whole
    units), escalation probabilities, the PRC's strike odds and target weights and the US
    anti-ship priority. Fixed numbers stay scalars (forces and base numbers become
    ``(n, ...)`` arrays). ``inputs_at_mean`` puts the scenario's own numbers (not the
    catalogue parameters) at their expected values, for hand-checked phase tests.

    >>> from strait.scenario.loader import load_scenario
    >>> struct = compile_structure(load_scenario("csis-base"))
    >>> prm = sample_lanes(struct, 4, np.random.default_rng(1))
    >>> prm.bases.interceptors.shape == (4, struct.n_bases)
    True
    """
    key = int(rng.integers(0, 2**63 - 1))
    prm = sample_params(struct.param_specs, n, rng, key=key, log_=log_)
    B, S = struct.n_bases, struct.slot_pool.size
    values = {li.path: _draw(li.param, key, li.path, n, li.integer, inputs_at_mean)
              for li in struct.lane_inputs}

    def lanes(x: float | np.ndarray) -> np.ndarray:
        return np.broadcast_to(x, (n,)).astype(float)

    prm.forces = {k: (lanes(values[f"forces.{k}"]) if f"forces.{k}" in values else
                      np.full(n, v)) for k, v in struct.forces.items()}
    slot_init = np.broadcast_to(struct.slot_init, (n, S)).copy()
    for li in struct.lane_inputs:
        if li.path.startswith("slot."):
            slot_init[:, int(li.path[5:li.path.index(":")])] = values[li.path]
    # a pool's total follows its slots (whole aircraft, so the sum is exact)
    per_pool = struct.per_pool(slot_init)
    for k, (actor, cls) in enumerate(struct.pools):
        prm.forces[f"{actor.value}.aircraft.{cls.value}"] = per_pool[:, k]
    prm.slot_init = slot_init
    geo = ParamGroup()
    for name, _ in _BASE_NUMBERS:
        arr = np.empty((n, B))
        for b, bid in enumerate(struct.base_ids):
            arr[:, b] = values[f"bases.{bid}.{name}"]
        setattr(geo, name, arr)
    geo.parking_capacity = np.maximum(geo.parking_capacity, 1.0)
    geo.runways = np.maximum(geo.runways, 0.0)
    prm.bases = geo
    doc = ParamGroup()
    for table, attr in (("strike_ally_first_turn", "strike_first"),
                        ("strike_ally_per_turn", "strike_per_turn")):
        arr = np.zeros((n, N_LEVELS))
        for lv in RoleLevel:
            cell = values.get(f"doctrine.prc.{table}.{lv.name}")
            if cell is not None:
                arr[:, int(lv)] = cell
        setattr(doc, attr, arr)
    if struct.doctrine.strike_by_value:
        doc.strike_value_rate = values["doctrine.prc.strike_value_rate"]
        doc.support_value = values["doctrine.prc.support_value"]
        restraint = np.zeros((n, len(ALLIES)))
        for a, ally in enumerate(ALLIES):
            restraint[:, a] = values.get(f"doctrine.prc.entry_restraint.{ally.value}", 0.0)
        doc.entry_restraint = restraint
    w = {k: values.get(f"doctrine.prc.weights.{k}", 1.0) for k in TARGET_SETS}
    tw = np.empty((n, B))
    for b, ts in enumerate(struct.base_target_set):
        tw[:, b] = w[ts]
    doc.target_set_weight = tw
    doc.amphibious_priority = values["doctrine.usa.amphibious_priority"]
    released = np.ones((n, len(ALLIES), N_LEVELS))
    for a, ally in enumerate(ALLIES):
        for lv in RoleLevel:
            share = values.get(f"allies.{ally.value}.ladder.{lv.name}.us_forces_released")
            if share is not None:
                released[:, a, int(lv)] = share
    doc.us_released = released
    prm.doctrine = doc
    prm.rules = [values[r.path] for r in struct.rules]
    # every input that varies between lanes, by scenario path (for analysis: regress
    # outcomes on inputs; ``RunResults.inputs()`` rebuilds this from the seed)
    drawn: dict[str, np.ndarray] = {}
    for group in CATALOG:
        for name, v in vars(getattr(prm, group)).items():
            if isinstance(v, np.ndarray):
                drawn[f"parameters.{group}.{name}"] = v
    for path, v in values.items():
        if isinstance(v, np.ndarray):
            drawn[path.split(":", 1)[1] if path.startswith("slot.") else path] = v
    prm.drawn = drawn
    return prm


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


def force(src: Structure | Params, key: str) -> Any:
    """Initial count of ``key`` (e.g. ``'CHN.lift.lst'``), 0 if absent: per lane ``(n,)``
    from sampled :class:`Params`, the expected count from a :class:`Structure`."""
    if isinstance(src, Params):
        return src.forces.get(key, 0.0)
    return src.forces.get(key, 0.0)


__all__ = [
    "ACTOR_ORDER",
    "LIFT_CLASSES",
    "PLA_MISSILES_LAND",
    "Params",
    "ShipClass",
    "Structure",
    "compile_structure",
    "force",
    "sample_lanes",
    "sample_params",
    "sample_roles",
]
