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
        shelters=rng.uniform(0, 50, B), parking=rng.uniform(50, 400, B),
        runways=rng.integers(1, 5, B).astype(float), lane=lane,
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
