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
    Params,
    Structure,
    sample_lanes,
    sample_roles,
)
from strait.engine.context import TurnContext
from strait.engine.draws import Draws
from strait.engine.outputs import lane_outputs
from strait.engine.state import State, initial_state
from strait.errors import EngineError
from strait.scenario.models import ALLIES, Actor

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
    prm.drawn = {}  # the analysis copy of the inputs is not needed (nor compacted) in play
    if params_from is not None:
        _take_params(prm, np.asarray(params_from, dtype=np.intp), n)
    drawn = sample_roles(struct, n, rng)
    st = initial_state(struct, prm, drawn if roles is None else roles.astype(np.int8))
    prm.forces, prm.slot_init = {}, None  # the state holds what play needs of them
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

