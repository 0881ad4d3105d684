"""The compiled strike kernel and its numpy twin give the same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from strait.engine import kernels


def _inputs(n: int = 64, B: int = 5, seed: int = 3):
    rng = np.random.default_rng(seed)
    lane = {k: rng.uniform(lo, hi, n) for k, lo, hi in (
        ("shots", 1, 3), ("pk", 0.5, 0.9), ("sub_share", 0, 1), ("shel_share", 0, 1),
        ("slots", 4, 23), ("shel_pk", 0.5, 1), ("per_closure", 4, 10), ("repair", 0.5, 2))}
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
        ("bomber_rate", 0.2, 0.5), ("bomber_max", 5000, 10000))}
    dist = rng.uniform(500, 3000, (n, S))
    fast = kernels.slot_sorties(aircraft, combat, open_, noncombat, role, struct.slot_arrays,
                                dist, lane, 3.5, True)
    fs, bomb = np.empty((n, S)), np.empty(n)
    sa = struct.slot_arrays
    kernels._slot_sorties_py(aircraft, combat, open_, noncombat, role,
                             *(sa[k] for k in ("base", "kind", "ally", "joins", "fighter",
                                               "tanker", "bomber")), dist,
                             *(lane[k] for k in ("cruise", "on_station", "turnaround",
                                                 "maintenance", "cap", "fighter_max", "radius",
                                                 "tanker_rate", "tanker_need", "bomber_rate",
                                                 "bomber_max")),
                             3.5, True, fs, bomb)
    np.testing.assert_allclose(fast[0], fs, rtol=1e-12)
    np.testing.assert_allclose(fast[1], bomb, rtol=1e-12)
    assert (fast[0] >= 0).all() and (fast[1] >= 0).all()
