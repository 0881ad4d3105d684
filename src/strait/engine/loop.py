"""The turn loop: play one block of lanes from D-Day to the end.

A block is ``n`` lanes with its own generator. Parameters and starting roles are drawn
first, then each turn draws its fixed block of random numbers and runs the phases in
order (:data:`strait.engine.phases.ORDER`). A lane that ends is recorded at once and
never changes afterwards: its row of results is copied out the turn it ends, and once
fewer than 60 % of the rows still play, finished rows are dropped so that the long tail
of a block costs only what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

import numpy as np
from threadpoolctl import threadpool_limits

from strait.engine import phases
from strait.engine.compile import (
    ACTOR_ORDER,
    LIFT_CLASSES,
    Params,
    Structure,
    sample_lanes,
    sample_roles,
)
from strait.engine.context import TurnContext
from strait.engine.draws import Draws
from strait.engine.state import State, initial_state
from strait.errors import EngineError
from strait.scenario.models import ALLIES, Actor, AircraftClass

COMBAT_AIRCRAFT = (AircraftClass.FIGHTER_5GEN, AircraftClass.FIGHTER_4GEN, AircraftClass.BOMBER)
"""Classes counted as combat aircraft in losses (tankers and MPA are reported apart)."""

TRAJECTORY_FIELDS = (
    "amphibious_fleet_share", "pla_bn_ashore", "prc_share_of_taiwan", "air_control",
    "coalition_aircraft", "usa_ships_lost", "supply", "jpn_role",
)


def play_block(struct: Structure, n: int, rng: np.random.Generator,
               trajectories: int = 0, roles: np.ndarray | None = None, *,
               lanes: np.ndarray | None = None, compact_below: float = 0.6,
               params_from: np.ndarray | None = None, reads: set[str] | None = None,
               ) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """Play ``n`` campaigns; return per-lane result columns and optional trajectories.

    ``roles`` (shape ``(n, A)``) forces the starting roles instead of drawing them (the
    prior draw still happens, so every other random number is unchanged).
    Trajectories: array ``(min(trajectories, n), horizon, len(TRAJECTORY_FIELDS))`` for the
    block's first lanes, frozen after each lane ends.

    The keywords exist for the lane-independence checker and nested designs; none changes
    any lane's result (that is the contract :func:`strait.engine.check.check_lanes` tests):

    * ``lanes``: play only these lanes of the block (results in that order); every random
      number is still drawn for the whole block.
    * ``compact_below``: drop finished lanes once fewer than this share still play
      (0: never, 1: every turn).
    * ``params_from``: lane ``i`` plays with the sampled inputs of lane ``params_from[i]``
      (its own dice): parameter draws shared by several lanes, as in a nested design.
    * ``reads``: a set that collects the catalogue parameters the phases read.
    """
    # the engine's matrix products are tiny: BLAS threads only add synchronisation cost
    # (measured: 2.5x slower per block with a multithreaded BLAS on a busy machine)
    with threadpool_limits(limits=1, user_api="blas"):
        return _play_block(struct, n, rng, trajectories, roles, lanes, compact_below,
                           params_from, reads)


def _play_block(struct: Structure, n: int, rng: np.random.Generator, trajectories: int,
                roles: np.ndarray | None, only: np.ndarray | None, compact_below: float,
                params_from: np.ndarray | None, reads: set[str] | None,
                ) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    doc = struct.doctrine
    prm = sample_lanes(struct, n, rng, log_=reads)
    if params_from is not None:
        _take_params(prm, np.asarray(params_from, dtype=np.intp), n)
    drawn = sample_roles(struct, n, rng)
    st = initial_state(struct, prm, drawn if roles is None else roles.astype(np.int8))
    horizon = doc.horizon_turns
    k = min(trajectories, n)
    traj = np.full((k, horizon, len(TRAJECTORY_FIELDS)), np.nan) if k else None
    out: dict[str, np.ndarray] = {}
    lane = np.arange(n)  # original lane of each row still in play
    if only is not None:
        lane = np.asarray(only, dtype=np.intp)
        _compact(st, prm, lane)
    for t in range(horizon):
        st.turn = t
        us_active = bool(doc.us_intervenes and t >= doc.us_entry_turn)
        # every turn draws for all n lanes, so a lane's random numbers never depend on
        # which other lanes are still playing (common random numbers across sweeps)
        draws = Draws(rng, n, keep=lane if lane.size < n or only is not None else None)
        ctx = TurnContext(struct=struct, draws=draws, turn=t, turn_days=doc.turn_days,
                          us_active=us_active)
        was_active = st.active.copy()
        ctx.flows.lift_start = st.lift.copy()
        for phase in phases.ORDER:
            st = phase.run(st, prm, ctx)
        if traj is not None:
            rows = np.nonzero(was_active & (lane < k))[0]
            if rows.size:
                traj[lane[rows], t, :] = _trajectory_row(st, rows)
        ended = ctx.flows.ended
        if ended.any():
            idx = np.nonzero(ended)[0]
            cols = lane_outputs(st, prm, struct, idx)
            if not out:
                out = {c: np.zeros(n, dtype=v.dtype) for c, v in cols.items()}
            for c, v in cols.items():
                out[c][lane[idx]] = v
        live = np.count_nonzero(st.active)
        if live == 0:
            break
        if live < compact_below * st.n:  # drop finished lanes: later turns cost only the rest
            keep = np.nonzero(st.active)[0]
            _compact(st, prm, keep)
            lane = lane[keep]
    if only is not None:
        out = {c: v[np.asarray(only, dtype=np.intp)] for c, v in out.items()}
    return out, traj


def _take_params(prm: Params, src: np.ndarray, n: int) -> None:
    """Replace every per-lane input by that of lane ``src[i]`` (shape-preserving)."""
    if src.shape != (n,) or src.min() < 0 or src.max() >= n:
        raise EngineError(f"params_from: expected {n} lane indices in [0, {n}), found shape "
                          f"{src.shape}; give one source lane per lane of the block")

    def take(v: object) -> object:
        return v[src] if isinstance(v, np.ndarray) and v.ndim and v.shape[0] == n else v

    _map_params(prm, take)


def _map_params(prm: Params, take: Callable[[object], object]) -> None:
    for gname, group in vars(prm).items():
        if isinstance(group, list):
            group[:] = [take(v) for v in group]
        elif isinstance(group, dict):
            for key, v in group.items():
                group[key] = take(v)
        elif isinstance(group, np.ndarray):
            setattr(prm, gname, take(group))
        elif hasattr(group, "__dict__"):
            for name, v in vars(group).items():
                if not name.startswith("_"):
                    setattr(group, name, take(v))


def _compact(st: State, prm: Params, keep: np.ndarray) -> None:
    """Keep only rows ``keep`` of every per-lane array of the state and the parameters."""
    m = st.n

    def take(v: object) -> object:
        return v[keep] if isinstance(v, np.ndarray) and v.ndim and v.shape[0] == m else v

    for f in fields(st):
        v = getattr(st, f.name)
        if isinstance(v, dict):
            for key, arr in v.items():
                v[key] = take(arr)
        else:
            setattr(st, f.name, take(v))
    _map_params(prm, take)
    st.n = keep.size


def _trajectory_row(st: State, rows: np.ndarray) -> np.ndarray:
    usa_ships = st.us_carriers_lost + st.us_surface_lost
    coal = st.aircraft.sum(axis=1) + st.carrier_aircraft
    jpn = st.role[:, ALLIES.index(Actor.JPN)].astype(float)
    cols = [st.lift_total / np.maximum(st.init["lift_total"], 1e-9), st.pla_ashore, st.share_held,
            st.air_control, coal, usa_ships, st.supply, jpn]
    return np.stack([c[rows] for c in cols], axis=1)


def lane_outputs(st: State, prm: Params, struct: Structure,
                 idx: np.ndarray) -> dict[str, np.ndarray]:
    """Result columns for lanes ``idx`` (see ``strait.results.COLUMNS`` for meanings)."""
    c = prm.casualties
    lift = prm.lift

    def g(x: np.ndarray | float) -> np.ndarray:
        return x[idx] if isinstance(x, np.ndarray) and x.ndim else np.full(idx.size, float(x))

    out: dict[str, np.ndarray] = {}
    out["outcome"] = st.outcome[idx].astype(np.int8)
    out["end_turn"] = st.end_turn[idx].astype(np.int16)
    days = struct.doctrine.turn_days
    out["end_day"] = ((st.end_turn[idx] + 1) * days).astype(np.float32)
    pool_actor = struct.pool_actor
    combat = np.array([c in COMBAT_AIRCRAFT for _, c in struct.pools], dtype=bool)
    for actor in (Actor.USA, Actor.JPN, Actor.TWN, Actor.AUS):
        mine = pool_actor == ACTOR_ORDER.index(actor)
        m = mine & combat  # combat aircraft, as CSIS counts them (Tbl 4)
        air = st.losses_air[idx][:, m].sum(axis=1)
        ground = st.losses_ground[idx][:, m].sum(axis=1)
        key = actor.value.lower()
        support = (st.losses_air[idx][:, mine & ~combat].sum(axis=1)
                   + st.losses_ground[idx][:, mine & ~combat].sum(axis=1))
        out[f"{key}_support_aircraft_lost"] = support.astype(np.float32)
        if actor == Actor.USA:
            air = air + st.carrier_aircraft_lost_air[idx]
            ground_carrier = st.carrier_aircraft_lost[idx] - st.carrier_aircraft_lost_air[idx]
            out["usa_aircraft_lost_on_carriers"] = ground_carrier.astype(np.float32)
            ground = ground + ground_carrier
        out[f"{key}_aircraft_lost"] = (air + ground).astype(np.float32)
        out[f"{key}_aircraft_lost_ground"] = ground.astype(np.float32)
        out[f"{key}_aircraft_lost_air"] = air.astype(np.float32)
    out["usa_carriers_lost"] = st.us_carriers_lost[idx].astype(np.float32)
    out["usa_surface_combatants_lost"] = st.us_surface_lost[idx].astype(np.float32)
    out["usa_ships_lost"] = (st.us_carriers_lost[idx] + st.us_surface_lost[idx]).astype(np.float32)
    out["usa_submarines_lost"] = st.ssn_lost[idx].astype(np.float32)
    out["jpn_ships_lost"] = (st.jpn_surface_lost[idx] + st.jpn_ssk_lost[idx]).astype(np.float32)
    out["twn_ships_lost"] = st.twn_surface_lost[idx].astype(np.float32)
    for i, lc in enumerate(LIFT_CLASSES):
        out[f"chn_{lc.value}_lost"] = st.lift_lost[idx, i].astype(np.float32)
    amph = st.lift_lost[idx].sum(axis=1)
    out["chn_amphibious_ships_lost"] = amph.astype(np.float32)
    out["chn_combatants_lost"] = st.pla_combatants_lost[idx].astype(np.float32)
    out["chn_ships_lost"] = (amph + st.pla_combatants_lost[idx]).astype(np.float32)
    out["chn_aircraft_lost"] = st.pla_aircraft_lost[idx].astype(np.float32)
    out["amphibious_fleet_share_end"] = (st.lift_total[idx]
                                         / np.maximum(st.init["lift_total"][idx], 1e-9)
                                         ).astype(np.float32)
    usa_killed = (st.us_carriers_lost[idx] * g(c.usa_killed_per_carrier)
                  + st.us_surface_lost[idx] * g(c.usa_killed_per_surface_combatant)
                  + st.ssn_lost[idx] * g(c.usa_killed_per_ssn)
                  + out["usa_aircraft_lost_air"] * g(c.usa_killed_per_aircraft_air)
                  + out["usa_aircraft_lost_ground"] * g(c.usa_killed_per_aircraft_ground))
    out["usa_killed"] = usa_killed.astype(np.float32)
    out["usa_wounded"] = (usa_killed * g(c.wounded_per_killed)).astype(np.float32)
    chn_killed = (st.pla_lost_at_sea_troops[idx] * g(c.chn_killed_at_sea_share)
                  + st.pla_bn_destroyed[idx] * g(lift.troops_per_bn) * g(c.chn_killed_ashore_share)
                  + st.pla_combatants_lost[idx] * g(c.chn_killed_per_combatant))
    out["chn_killed"] = chn_killed.astype(np.float32)
    out["twn_killed"] = (st.twn_bn_destroyed[idx] * g(c.twn_killed_per_bn)).astype(np.float32)
    for key in ("lrasm", "jassm_ms", "type12", "srbm", "mrbm", "irbm", "glcm", "alcm", "asbm",
                "ascm"):
        out[f"spent_{key}"] = st.spent[key][idx].astype(np.float32)
    out["spent_twn_shore_asm"] = (st.spent["harpoon_shore"][idx]
                                  + st.spent["hsiung_feng"][idx]).astype(np.float32)
    out["pla_bn_landed"] = st.pla_landed[idx].astype(np.float32)
    out["pla_bn_ashore"] = st.pla_ashore[idx].astype(np.float32)
    out["pla_bn_destroyed"] = st.pla_bn_destroyed[idx].astype(np.float32)
    out["prc_share_of_taiwan"] = st.share_held[idx].astype(np.float32)
    out["ports_held"] = st.ports_held[idx].astype(np.int8)
    out["airfields_held"] = st.airfields_held[idx].astype(np.int8)
    for a, ally in enumerate(ALLIES):
        key = ally.value.lower()
        out[f"{key}_role_start"] = st.role_start[idx, a].astype(np.int8)
        out[f"{key}_role_end"] = st.role[idx, a].astype(np.int8)
        out[f"{key}_role_change_turn"] = st.role_change_turn[idx, a]
        out[f"{key}_struck"] = (st.struck_turn[idx, a] >= 0)
        out[f"{key}_struck_turn"] = st.struck_turn[idx, a]
    # days the runways of Japanese bases hosting US fighters were closed (Stimson's measure)
    jb = struct.jpn_fighter_bases
    out["jpn_fighter_base_closed_days"] = (st.closed_total[idx][:, jb].mean(axis=1) if jb.size
                                           else np.zeros(idx.size)).astype(np.float32)
    out["fleet_destroyed_turn"] = st.fleet_destroyed_turn[idx]
    out["lrasm_out_turn"] = st.lrasm_out_turn[idx]
    out["shore_asm_out_turn"] = st.shore_asm_out_turn[idx]
    return out
