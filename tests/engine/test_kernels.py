"""The compiled kernels: the same numbers as their plain-Python loops, and as the public
array functions of :mod:`strait.models` composed with numpy (an independent reference that
shares no code with the kernels' loops)."""

from __future__ import annotations

import numpy as np
import pytest

from strait import models
from strait.engine import kernels
from strait.engine.draws import binomial_like


def _inputs(n: int = 64, B: int = 5, seed: int = 3):
    rng = np.random.default_rng(seed)
    lane = {k: rng.uniform(lo, hi, n) for k, lo, hi in (
        ("shots", 1, 3), ("pk", 0.5, 0.9), ("sub_share", 0, 1), ("shel_share", 0, 1),
        ("slots", 4, 23), ("shel_pk", 0.5, 1), ("per_closure", 4, 10))}
    lane["repair"] = rng.uniform(0.5, 2, (n, B))  # days per closure, by lane and base
    return dict(
        arriving=rng.uniform(0, 80, (n, B)), interceptors=rng.uniform(0, 100, (n, B)),
        parked=rng.uniform(0, 200, (n, B)), closed_days=rng.uniform(0, 5, (n, B)),
        shelters=rng.uniform(0, 50, (n, B)), parking=rng.uniform(50, 400, (n, B)),
        runways=rng.integers(1, 5, (n, B)).astype(float), lane=lane,
        z=tuple(rng.standard_normal(n) for _ in range(3)), turn_days=3.5)


@pytest.mark.skipif(kernels._kernel is None, reason="numba not installed")
def test_kernel_matches_python_reference() -> None:
    a, b = _inputs(), _inputs()
    out_fast = kernels.base_effects(**a)
    # the same arithmetic in plain Python
    n, B = b["arriving"].shape
    leak, frac, open_frac = (np.empty((n, B)) for _ in range(3))
    kernels._base_effects_py(b["arriving"], b["interceptors"], b["parked"], b["closed_days"],
                             b["shelters"], b["parking"], b["runways"],
                             *(b["lane"][k] for k in ("shots", "pk", "sub_share", "shel_share",
                                                      "slots", "shel_pk", "per_closure",
                                                      "repair")),
                             *b["z"], 3.5, leak, frac, open_frac)
    for x, y in zip(out_fast, (leak, frac, open_frac), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a["interceptors"], b["interceptors"], rtol=1e-12)
    np.testing.assert_allclose(a["closed_days"], b["closed_days"], rtol=1e-12)


def test_strike_kernel_is_the_models_composed() -> None:
    a = _inputs(n=128, B=6, seed=7)
    arriving, stock, parked = a["arriving"].copy(), a["interceptors"].copy(), a["parked"]
    backlog = a["closed_days"].copy()
    L = {k: v[:, None] if v.ndim == 1 else v for k, v in a["lane"].items()}
    z_leak, z_open, z_shel = (z[:, None] for z in a["z"])
    T = a["turn_days"]
    leak, frac, open_frac = kernels.base_effects(**a)
    # interception: engaged threats, kills ~ Binomial(engaged, 1 − survival), normal approx.
    eng = models.engaged_threats(arriving, stock, L["shots"])
    killed = binomial_like(eng, 1.0 - models.layer_survival_probability(L["pk"], L["shots"]),
                           z_leak)
    np.testing.assert_allclose(leak, arriving - killed, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a["interceptors"], stock - eng * L["shots"], rtol=1e-12,
                               atol=1e-9)
    # ground: apron coverage on the open aircraft, one warhead per occupied shelter
    sub = leak * L["sub_share"]
    uni = leak - sub
    sheltered = np.minimum(parked, a["shelters"])
    shots = np.minimum(uni * L["shel_share"], sheltered)
    f = models.apron_kill_fraction(sub, L["slots"] / np.maximum(a["parking"], parked))
    tk = np.minimum(binomial_like(parked - sheltered, f, z_open)
                    + binomial_like(shots, L["shel_pk"], z_shel), parked)
    np.testing.assert_allclose(frac, np.where(parked > 0, tk / parked, 0.0), rtol=1e-12,
                               atol=1e-12)
    # runways: the rest of the unitary warheads, closure queued on the carried backlog
    rw = (uni - shots, L["per_closure"], L["repair"], T, a["runways"], backlog)
    np.testing.assert_allclose(a["closed_days"], models.runway_backlog_days(*rw), rtol=1e-12)
    np.testing.assert_allclose(open_frac, models.open_fraction(*rw), rtol=1e-12, atol=1e-12)


def test_kernel_respects_bounds() -> None:
    a = _inputs(n=256, B=7, seed=11)
    arriving, parked = a["arriving"].copy(), a["parked"]
    leak, frac, open_frac = kernels.base_effects(**a)
    assert (leak >= 0).all() and (leak <= arriving + 1e-9).all()
    assert (frac >= 0).all() and (frac <= 1 + 1e-12).all()
    assert (open_frac >= 0).all() and (open_frac <= 1).all()
    assert (a["interceptors"] >= -1e-9).all()
    assert np.isfinite(parked).all()


@pytest.mark.skipif(kernels._sortie_kernel is None, reason="numba not installed")
def test_sortie_kernel_matches_python_reference() -> None:
    from strait.engine.compile import compile_structure
    from strait.scenario.loader import load_scenario

    struct = compile_structure(load_scenario("csis-base"))
    rng = np.random.default_rng(5)
    n, S, B = 128, struct.slot_init.size, struct.n_bases
    aircraft = rng.uniform(0, 50, (n, S))
    combat, open_ = rng.uniform(0, 1, (n, B)), rng.uniform(0, 1, (n, B))
    noncombat = rng.random((n, B)) < 0.7
    role = rng.integers(0, 7, (n, 4)).astype(np.int8)
    lane = {k: rng.uniform(lo, hi, n) for k, lo, hi in (
        ("cruise", 700, 900), ("on_station", 0.5, 2), ("turnaround", 2, 4),
        ("maintenance", 0.5, 2), ("cap", 1, 3), ("fighter_max", 2000, 4000),
        ("radius", 500, 1200), ("tanker_rate", 0.5, 1.5), ("tanker_need", 0.2, 1.0),
        ("bomber_rate", 0.2, 0.5), ("bomber_max", 5000, 10000),
        ("bomber_radius", 1000, 4000), ("bomber_tanker_need", 0.5, 2.0))}
    dist = rng.uniform(500, 3000, (n, S))
    tanker_on = (noncombat[:, struct.slot_base]).astype(float)
    fast = kernels.slot_sorties(aircraft, combat, open_, tanker_on, role, struct.slot_arrays,
                                dist, lane, 3.5, True)
    fs, bomb = np.empty((n, S)), np.empty(n)
    sa = struct.slot_arrays
    kernels._slot_sorties_py(aircraft, combat, open_, tanker_on, role,
                             *(sa[k] for k in ("base", "kind", "ally", "joins", "fighter",
                                               "tanker", "bomber")), dist,
                             *(lane[k] for k in ("cruise", "on_station", "turnaround",
                                                 "maintenance", "cap", "fighter_max", "radius",
                                                 "tanker_rate", "tanker_need", "bomber_rate",
                                                 "bomber_max", "bomber_radius",
                                                 "bomber_tanker_need")),
                             3.5, True, fs, bomb)
    np.testing.assert_allclose(fast[0], fs, rtol=1e-12)
    np.testing.assert_allclose(fast[1], bomb, rtol=1e-12)
    assert (fast[0] >= 0).all() and (fast[1] >= 0).all()


def test_sortie_kernel_is_the_models_composed() -> None:
    """Fighters from slots with full access, tanker rationing and bombers, against the array
    functions of :mod:`strait.models.sorties`."""
    from strait.engine.compile import compile_structure
    from strait.scenario.loader import load_scenario

    struct = compile_structure(load_scenario("csis-base"))
    sa = struct.slot_arrays
    rng = np.random.default_rng(9)
    n, S, B = 64, struct.slot_init.size, struct.n_bases
    aircraft = rng.uniform(0, 50, (n, S))
    open_ = rng.uniform(0, 1, (n, B))
    combat = np.ones((n, B))
    noncombat = np.ones((n, B), dtype=bool)
    role = np.full((n, 4), 6, dtype=np.int8)  # every ally at war: access everywhere
    joins = sa["joins"][:, 6].astype(bool)
    lane = {k: rng.uniform(lo, hi, n) for k, lo, hi in (
        ("cruise", 700, 900), ("on_station", 0.5, 2), ("turnaround", 2, 4),
        ("maintenance", 0.5, 2), ("cap", 1, 3), ("fighter_max", 2000, 4000),
        ("radius", 500, 1200), ("tanker_rate", 0.05, 0.5), ("tanker_need", 0.2, 1.0),
        ("bomber_rate", 0.2, 0.5), ("bomber_max", 5000, 10000),
        ("bomber_radius", 1e9, 2e9), ("bomber_tanker_need", 1.0, 1.0))}  # no bomber tanking
    days = 3.5
    d = rng.uniform(400, 3200, (n, S))  # each lane's own distance to each slot's base
    tanker_on = noncombat[:, struct.slot_base].astype(float)
    fs, bomb = kernels.slot_sorties(aircraft, combat, open_, tanker_on, role, sa, d, lane,
                                    days, True)
    L = {k: v[:, None] for k, v in lane.items()}
    use = open_[:, sa["base"]] * np.where(sa["kind"] == 2, joins, 1.0)
    fighter = sa["fighter"] & ~sa["tanker"] & (d <= L["fighter_max"])
    rate = models.sortie_rate_per_day(d, L["cruise"], L["on_station"], L["turnaround"],
                                      L["maintenance"], cap=L["cap"])
    flown = np.where(fighter, models.effective_sorties(aircraft, d, use, 1.0, days,
                                                       cruise_kmh=L["cruise"],
                                                       on_station_h=L["on_station"],
                                                       turnaround_h=L["turnaround"],
                                                       maintenance_h=L["maintenance"],
                                                       cap=L["cap"]), 0.0)
    assert (rate > 0).all()
    beyond = fighter & (d > L["radius"])
    tanker_sorties = (aircraft * open_[:, sa["base"]] * sa["tanker"]).sum(1) * lane[
        "tanker_rate"] * days
    km = (flown * np.where(beyond, d - L["radius"], 0.0)).sum(1)
    # tanker_factor for one notional sortie flying the summed distance beyond the radius
    factor = models.tanker_factor(lane["radius"] + km, lane["radius"], tanker_sorties,
                                  lane["tanker_need"], 1.0)
    assert (factor < 1).any() and (factor == 1).any()  # both regimes exercised
    want = np.where(beyond, flown * factor[:, None], flown)
    np.testing.assert_allclose(fs, want, rtol=1e-9, atol=1e-9)
    bomber = sa["bomber"] & (d <= L["bomber_max"])
    want_b = np.where(bomber, models.bomber_sorties_per_day(aircraft * use, d, L["bomber_rate"]),
                      0.0).sum(1) * days
    np.testing.assert_allclose(bomb, want_b, rtol=1e-12)
