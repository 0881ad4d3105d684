"""The turn loop: play one block of lanes from D-Day to the end.

A block is ``n`` lanes with its own generator. Parameters and starting roles are drawn
first, then each turn draws its fixed block of random numbers and runs the phases in
order (:data:`strait.engine.phases.ORDER`). A lane that ends is recorded at once and
never changes afterwards: its row of results is copied out the turn it ends, and once
fewer than 60 % of the rows still play, finished rows are dropped so that the long tail
of a block costs only what is left.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
from threadpoolctl import threadpool_limits

from strait.engine import phases
from strait.engine.compile import (
    Params,
    Structure,
    sample_params,
    sample_roles,
)
from strait.engine.context import TurnContext
from strait.engine.draws import Draws
from strait.engine.outputs import lane_outputs
from strait.engine.state import State, initial_state
from strait.scenario.models import ALLIES, Actor

TRAJECTORY_FIELDS = (
    "amphibious_fleet_share", "pla_bn_ashore", "prc_share_of_taiwan", "air_control",
    "coalition_aircraft", "usa_ships_lost", "supply", "jpn_role",
)


def play_block(struct: Structure, n: int, rng: np.random.Generator,
               trajectories: int = 0, roles: np.ndarray | None = None
               ) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """Play ``n`` campaigns; return per-lane result columns and optional trajectories.

    ``roles`` (shape ``(n, A)``) forces the starting roles instead of drawing them (the
    prior draw still happens, so every other random number is unchanged).
    Trajectories: array ``(min(trajectories, n), horizon, len(TRAJECTORY_FIELDS))`` for the
    block's first lanes, frozen after each lane ends.
    """
    # the engine's matrix products are tiny: BLAS threads only add synchronisation cost
    # (measured: 2.5x slower per block with a multithreaded BLAS on a busy machine)
    with threadpool_limits(limits=1, user_api="blas"):
        return _play_block(struct, n, rng, trajectories, roles)


def _play_block(struct: Structure, n: int, rng: np.random.Generator, trajectories: int,
                roles: np.ndarray | None) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    s = struct.scenario
    prm = sample_params(s, n, rng)
    prm.rules = [float(r.probability.value) if r.probability.value is not None
                 else r.probability.sample(rng, n) for r in struct.rules]
    drawn = sample_roles(struct, n, rng)
    st = initial_state(struct, prm, drawn if roles is None else roles.astype(np.int8))
    horizon = s.campaign.horizon_turns
    k = min(trajectories, n)
    traj = np.full((k, horizon, len(TRAJECTORY_FIELDS)), np.nan) if k else None
    out: dict[str, np.ndarray] = {}
    usa = s.doctrine.usa
    lane = np.arange(n)  # original lane of each row still in play
    for t in range(horizon):
        st.turn = t
        us_active = bool(usa.intervenes and t >= usa.entry_turn)
        # every turn draws for all n lanes, so a lane's random numbers never depend on
        # which other lanes are still playing (common random numbers across sweeps)
        draws = Draws(rng, n, keep=lane if lane.size < n else None)
        ctx = TurnContext(struct=struct, draws=draws, turn=t,
                          turn_days=s.campaign.turn_days, us_active=us_active)
        was_active = st.active.copy()
        ctx.scratch["lift_start"] = st.lift.copy()
        for phase in phases.ORDER:
            st = phase.run(st, prm, ctx)
        if traj is not None:
            rows = np.nonzero(was_active & (lane < k))[0]
            if rows.size:
                traj[lane[rows], t, :] = _trajectory_row(st, rows)
        ended = ctx.scratch["ended"]
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
        if live < 0.6 * st.n:  # drop finished lanes: later turns cost only what is left
            keep = np.nonzero(st.active)[0]
            _compact(st, prm, keep)
            lane = lane[keep]
    return out, traj


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
    for group in vars(prm).values():
        if isinstance(group, list):
            group[:] = [take(v) for v in group]
        elif hasattr(group, "__dict__"):
            for name, v in vars(group).items():
                setattr(group, name, take(v))
    st.n = keep.size


def _trajectory_row(st: State, rows: np.ndarray) -> np.ndarray:
    usa_ships = st.us_carriers_lost + st.us_surface_lost
    coal = st.aircraft.sum(axis=1) + st.carrier_aircraft
    jpn = st.role[:, ALLIES.index(Actor.JPN)].astype(float)
    cols = [st.lift_total / max(st.init["lift_total"], 1e-9), st.pla_ashore, st.share_held,
            st.air_control, coal, usa_ships, st.supply, jpn]
    return np.stack([c[rows] for c in cols], axis=1)

