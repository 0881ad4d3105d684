"""Invariants of whole runs under hypothesis-generated scenario changes.

Each example overrides a handful of parameters (within their catalog bounds), allied roles
and a few doctrine switches, plays a small block in-process with trajectories, and checks
what must hold whatever the numbers: no negative counts, losses never above the forces
that exist, munitions never above stocks, every lane ended once with a valid outcome, and
trajectories frozen after each lane's end turn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strait
from strait.api import resolve_scenario
from strait.engine import TRAJECTORY_FIELDS
from strait.engine.compile import LIFT_CLASSES, Structure, compile_structure, force
from strait.scenario.models import ALLIES, RoleLevel

N = 200
TRAJ = 50
TOL = 1e-3  # results are float32

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _unit(lo: float = 0.0, hi: float = 1.0) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _maybe_uncertain(lo: float, hi: float) -> st.SearchStrategy[object]:
    """A fixed value, or a uniform distribution, inside [lo, hi]."""
    fixed = _unit(lo, hi)
    dist = st.tuples(_unit(lo, hi), _unit(lo, hi)).map(
        lambda ab: {"dist": "uniform", "low": min(ab), "high": max(ab), "unit": "x",
                    "assumption": "hypothesis"})
    return st.one_of(fixed, dist)


_LEVELS = st.sampled_from([lv.name for lv in RoleLevel]).map(lambda n: {"level": n})

CHANGES = st.fixed_dictionaries({}, optional={
    "parameters.antiship.p_hit_subsonic": _maybe_uncertain(0.0, 1.0),
    "parameters.antiship.p_hit_supersonic": _maybe_uncertain(0.0, 1.0),
    "parameters.antiship.pla_asbm_per_turn": _unit(0.0, 400.0),
    "parameters.antiship.us_surge_turn": st.integers(0, 12),
    "parameters.strikes.launch_share_per_turn": _maybe_uncertain(0.0, 1.0),
    "parameters.strikes.taiwan_navy_opening_loss": _unit(),
    "parameters.subs.ssn_attrition_per_turn": _maybe_uncertain(0.0, 1.0),
    "parameters.subs.ssn_amphib_kills_per_boat_turn": _unit(0.0, 10.0),
    "parameters.lift.bn_per_ship_turn_lst": _maybe_uncertain(0.0, 2.0),
    "parameters.lift.offload_efficiency": _unit(),
    "parameters.air.kill_rate_per_aircraft_day": _maybe_uncertain(0.01, 5.0),
    "parameters.ground.attrition_per_turn": _unit(),
    "parameters.ground.breakthrough_ratio": _unit(0.1, 5.0),
    "parameters.termination.settle_turns": st.integers(0, 6),
    "allies.JPN.role": _LEVELS,
    "allies.AUS.role": _LEVELS,
    "allies.PHL.role": _LEVELS,
    "allies.KOR.role": _LEVELS,
    "doctrine.usa.entry_turn": st.integers(0, 4),
    "doctrine.usa.intervenes": st.booleans(),
    "doctrine.twn.resists": st.booleans(),
    "campaign.horizon_turns": st.integers(1, 16),
})


def _bounds(s: Structure) -> dict[str, float]:
    """Most each loss column can reach: the forces that exist in the scenario played."""
    p = s.scenario.parameters
    most = {li.path: li.param.support()[1] for li in s.lane_inputs}

    def f(key: str) -> float:  # the largest count the scenario allows any lane
        return float(np.rint(most.get(f"forces.{key}", force(s, key))))

    def prm(group: str, name: str) -> float:
        return getattr(p, group)[name].support()[1]

    slot_most = np.array([np.rint(next((v for k, v in most.items()
                                        if k.startswith(f"slot.{j}:")), s.slot_init[j]))
                          for j in range(s.slot_pool.size)])
    actor_air = {a: slot_most[s.pool_actor[s.slot_pool] == i].sum() for i, a in
                 enumerate(("USA", "TWN", "JPN", "AUS", "PHL", "KOR", "CHN"))}
    carriers = f("USA.ships.carrier") + prm("antiship", "us_surge_carriers")
    out = {
        "usa_carriers_lost": carriers,
        "usa_surface_combatants_lost": min(f("USA.ships.surface_combatant"),
                                           prm("antiship", "us_forward_surface_combatants"))
        + prm("antiship", "us_surge_surface_combatants"),
        "usa_submarines_lost": f("USA.ships.ssn"),
        "twn_ships_lost": f("TWN.ships.surface_combatant"),
        "jpn_ships_lost": min(f("JPN.ships.surface_combatant"),
                              prm("antiship", "jpn_exposed_surface_combatants"))
        + f("JPN.ships.ssk"),
        "chn_amphibious_ships_lost": sum(f(f"CHN.lift.{c.value}") for c in LIFT_CLASSES),
        "chn_combatants_lost": f("CHN.ships.surface_combatant"),
        "chn_aircraft_lost": f("CHN.aircraft.fighter_5gen") + f("CHN.aircraft.fighter_4gen"),
        "usa_aircraft_lost": actor_air["USA"] + carriers * prm("sorties", "carrier_air_wing"),
        "jpn_aircraft_lost": actor_air["JPN"],
        "twn_aircraft_lost": actor_air["TWN"],
        "aus_aircraft_lost": actor_air["AUS"],
        "pla_bn_landed": f("CHN.ground_battalions"),
        "spent_lrasm": f("USA.munitions.lrasm"),
        "spent_jassm_ms": f("USA.munitions.jassm_ms"),
        "spent_type12": f("JPN.munitions.type12"),
        "spent_twn_shore_asm": f("TWN.munitions.harpoon_shore") + f("TWN.munitions.hsiung_feng"),
        "ports_held": prm("ground", "ports_total"),
        "airfields_held": prm("ground", "airfields_total"),
    }
    for c in LIFT_CLASSES:
        out[f"chn_{c.value}_lost"] = f(f"CHN.lift.{c.value}")
    for m in ("srbm", "mrbm", "irbm", "glcm", "alcm", "asbm", "ascm"):
        out[f"spent_{m}"] = f(f"CHN.munitions.{m}")
    return out


def _check_table(t: pd.DataFrame, struct: Structure) -> None:
    horizon = struct.scenario.campaign.horizon_turns
    turn_days = struct.scenario.campaign.turn_days
    assert len(t) == N
    turn_cols = [c for c in t if c.endswith("_turn")]
    counts = [c for c in t.select_dtypes("number") if c not in turn_cols]
    neg = {c: float(t[c].min()) for c in counts if t[c].min() < -TOL}
    assert not neg, f"negative counts: {neg}"
    for c in turn_cols:
        assert (t[c] >= -1).all(), c
        assert (t[c] <= t["end_turn"]).all(), f"{c} after the lane ended"
    for col, most in _bounds(struct).items():
        worst = float(t[col].max())
        assert worst <= most * (1 + 1e-5) + TOL, f"{col}: {worst} > {most}"
    # outcomes and end turns
    assert t["outcome"].between(0, 4).all()
    assert t["end_turn"].between(0, horizon - 1).all()
    np.testing.assert_allclose(t["end_day"], (t["end_turn"] + 1) * turn_days, rtol=1e-6)
    for c in ("prc_share_of_taiwan", "amphibious_fleet_share_end"):
        assert t[c].between(-TOL, 1 + TOL).all(), c
    assert (t["pla_bn_ashore"] <= t["pla_bn_landed"] + TOL).all()
    assert (t["pla_bn_destroyed"] <= t["pla_bn_landed"] + TOL).all()
    # bookkeeping identities
    close = lambda a, b: np.testing.assert_allclose(t[a], b, rtol=1e-4, atol=TOL)  # noqa: E731
    close("usa_ships_lost", t["usa_carriers_lost"] + t["usa_surface_combatants_lost"])
    close("chn_ships_lost", t["chn_amphibious_ships_lost"] + t["chn_combatants_lost"])
    close("chn_amphibious_ships_lost", sum(t[f"chn_{c.value}_lost"] for c in LIFT_CLASSES))
    for a in ("usa", "jpn", "twn", "aus"):
        close(f"{a}_aircraft_lost", t[f"{a}_aircraft_lost_air"] + t[f"{a}_aircraft_lost_ground"])
    # roles only escalate; a struck flag agrees with its turn
    for ally in ALLIES:
        a = ally.value.lower()
        assert (t[f"{a}_role_end"] >= t[f"{a}_role_start"]).all()
        assert t[f"{a}_role_start"].between(0, 6).all() and t[f"{a}_role_end"].between(0, 6).all()
        assert (t[f"{a}_struck"] == (t[f"{a}_struck_turn"] >= 0)).all()
        changed = t[f"{a}_role_change_turn"] >= 0
        assert (changed == (t[f"{a}_role_end"] != t[f"{a}_role_start"])).all()
    defeat = t["outcome"] == 4
    assert (t.loc[defeat, "fleet_destroyed_turn"] >= 0).all()


def _check_trajectories(traj: np.ndarray, t: pd.DataFrame, horizon: int) -> None:
    assert traj.shape == (min(TRAJ, N), horizon, len(TRAJECTORY_FIELDS))
    col = {f: i for i, f in enumerate(TRAJECTORY_FIELDS)}
    end = t["end_turn"].to_numpy()[: traj.shape[0]]
    turns = np.arange(horizon)
    played = turns[None, :] <= end[:, None]
    finite = np.isfinite(traj).all(axis=2)
    assert (finite == played).all(), "a trajectory is not exactly the turns its lane played"
    assert np.isnan(traj[~played]).all(), "a lane changed after it ended"
    for f in ("amphibious_fleet_share", "prc_share_of_taiwan", "air_control", "supply"):
        v = traj[..., col[f]][played]
        assert ((v >= -1e-9) & (v <= 1 + 1e-9)).all(), f
    # the table is the state at the end turn
    last = traj[np.arange(traj.shape[0]), end]
    for f, c in (("prc_share_of_taiwan", "prc_share_of_taiwan"),
                 ("pla_bn_ashore", "pla_bn_ashore"),
                 ("amphibious_fleet_share", "amphibious_fleet_share_end"),
                 ("jpn_role", "jpn_role_end")):
        np.testing.assert_allclose(last[:, col[f]], t[c].to_numpy()[: traj.shape[0]],
                                   rtol=1e-4, atol=TOL, err_msg=f)


@SETTINGS
@given(changes=CHANGES, seed=st.integers(0, 2**16))
def test_run_invariants(changes, seed):
    res = strait.run("csis-base", n=N, seed=seed, workers=1, changes=changes,
                     trajectories=TRAJ)
    struct = compile_structure(resolve_scenario("csis-base", changes))
    horizon = res.meta["horizon_turns"]
    assert horizon == changes.get("campaign.horizon_turns", 12)
    _check_table(res.table, struct)
    _check_trajectories(res.trajectories, res.table, horizon)
    if "allies.JPN.role" in changes:
        want = RoleLevel[changes["allies.JPN.role"]["level"]]
        assert (res.table["jpn_role_start"] == int(want)).all()
