"""Compiled kernels for the hottest loops (numba), with identical numpy fallbacks.

Profiling showed the per-base effects of a missile salvo (interception, apron and
shelter kills, runway closure) dominated the turn: about thirty ``(n, B)`` temporaries
per turn. :func:`base_effects` does the same arithmetic lane by lane and base by base in
one pass. Without numba the numpy version runs instead (same numbers to rounding).
"""

from __future__ import annotations

import math

import numpy as np

try:  # numba is a declared dependency; the fallback keeps strait importable without it
    from numba import njit
except ImportError:  # pragma: no cover
    njit = None


def _base_effects_py(arriving, interceptors, parked, closed_days, shelters, parking, runways,
                     shots, pk, sub_share, shel_share, slots, shel_pk, per_closure, repair,
                     z_leak, z_open, z_shel, turn_days, leak, frac_killed, open_frac):
    n, B = arriving.shape
    for i in range(n):
        for b in range(B):
            a = arriving[i, b]
            # layered interception: magazine-limited engagements, binomial-like kills
            eng = min(a, interceptors[i, b] / shots[i])
            interceptors[i, b] -= eng * shots[i]
            pkill = 1.0 - (1.0 - pk[i]) ** shots[i]
            m = eng * pkill
            k = m + math.sqrt(max(m * (1.0 - pkill), 0.0)) * z_leak[i]
            k = min(max(k, 0.0), eng)
            lk = a - k
            leak[i, b] = lk
            # aircraft on the ground
            sub = lk * sub_share[i]
            uni = lk - sub
            pb = parked[i, b]
            sheltered = min(pb, shelters[b])
            open_ = pb - sheltered
            u_sh = min(uni * shel_share[i], sheltered)
            u_rw = uni - u_sh
            f = 1.0 - math.exp(-sub * slots[i] / max(parking[b], pb))
            m = open_ * f
            ko = m + math.sqrt(max(m * (1.0 - f), 0.0)) * z_open[i]
            ko = min(max(ko, 0.0), open_)
            m = u_sh * shel_pk[i]
            ks = m + math.sqrt(max(m * (1.0 - shel_pk[i]), 0.0)) * z_shel[i]
            ks = min(max(ks, 0.0), u_sh)
            tk = min(ko + ks, pb)
            frac_killed[i, b] = tk / pb if pb > 0 else 0.0
            # runways: closures carry over until repaired
            cd = max(closed_days[i, b] - turn_days, 0.0)
            cd += u_rw / (per_closure[i] * max(runways[b], 1.0)) * repair[i]
            closed_days[i, b] = cd
            open_frac[i, b] = 1.0 - min(cd, turn_days) / turn_days


_kernel = njit(cache=True, fastmath=False, nogil=True)(_base_effects_py) if njit else None


def base_effects(arriving: np.ndarray, interceptors: np.ndarray, parked: np.ndarray,
                 closed_days: np.ndarray, shelters: np.ndarray, parking: np.ndarray,
                 runways: np.ndarray, lane: dict[str, np.ndarray], z: tuple[np.ndarray, ...],
                 turn_days: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interception, ground kills and runway closure at every base of every lane.

    Updates ``interceptors`` and ``closed_days`` in place; returns ``(leakers,
    share of parked aircraft destroyed, runway open fraction)``, each ``(n, B)``.
    ``lane`` holds per-lane ``(n,)`` parameters: shots, pk, sub_share, shel_share, slots,
    shel_pk, per_closure, repair.
    """
    n, B = arriving.shape
    leak = np.empty((n, B))
    frac = np.empty((n, B))
    open_frac = np.empty((n, B))
    args = (np.ascontiguousarray(arriving), interceptors, np.ascontiguousarray(parked),
            closed_days, shelters.astype(float), parking.astype(float), runways.astype(float),
            *(lane[k] for k in ("shots", "pk", "sub_share", "shel_share", "slots", "shel_pk",
                                "per_closure", "repair")),
            *z, float(turn_days), leak, frac, open_frac)
    if _kernel is not None:
        _kernel(*args)
    else:  # pragma: no cover
        _base_effects_py(*args)
    return leak, frac, open_frac
