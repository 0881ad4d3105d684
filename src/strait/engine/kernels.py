"""Compiled kernels for the hottest loops (numba), with identical numpy fallbacks.

Profiling showed the per-base effects of a missile salvo (interception, apron and
shelter kills, runway closure) dominated the turn: about thirty ``(n, B)`` temporaries
per turn. :func:`base_effects` does the same arithmetic lane by lane and base by base in
one pass. Without numba the numpy version runs instead (same numbers to rounding).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

njit: Callable[..., Any] | None  # None where numba is missing
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
            sheltered = min(pb, shelters[i, b])
            open_ = pb - sheltered
            u_sh = min(uni * shel_share[i], sheltered)
            u_rw = uni - u_sh
            f = 1.0 - math.exp(-sub * slots[i] / max(parking[i, b], pb))
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
            cd += u_rw / (per_closure[i] * max(runways[i, b], 1.0)) * repair[i]
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
    ``shelters``, ``parking`` and ``runways`` are each lane's own base numbers ``(n, B)``.
    ``lane`` holds per-lane ``(n,)`` parameters: shots, pk, sub_share, shel_share, slots,
    shel_pk, per_closure, repair.
    """
    n, B = arriving.shape
    leak = np.empty((n, B))
    frac = np.empty((n, B))
    open_frac = np.empty((n, B))
    args = (np.ascontiguousarray(arriving), interceptors, np.ascontiguousarray(parked),
            closed_days, np.ascontiguousarray(shelters, dtype=float),
            np.ascontiguousarray(parking, dtype=float), np.ascontiguousarray(runways, dtype=float),
            *(lane[k] for k in ("shots", "pk", "sub_share", "shel_share", "slots", "shel_pk",
                                "per_closure", "repair")),
            *z, float(turn_days), leak, frac, open_frac)
    if _kernel is not None:
        _kernel(*args)
    else:  # pragma: no cover
        _base_effects_py(*args)
    return leak, frac, open_frac


def _slot_sorties_py(aircraft, combat_frac, open_frac, noncombat_ok, role, slot_base, slot_kind,
                     slot_ally, slot_joins, fighter, tanker, bomber, dist, cruise, on_station,
                     turnaround, maintenance, cap, fighter_max, radius, tanker_rate,
                     tanker_need, bomber_rate, bomber_max, days, bombers_fly, fs, bomber_out):
    n, S = aircraft.shape
    for i in range(n):
        supply = 0.0
        need = 0.0
        bomb = 0.0
        for j in range(S):
            b = slot_base[j]
            a = aircraft[i, j]
            fs[i, j] = 0.0
            if a <= 0.0:
                continue
            if tanker[j]:
                if noncombat_ok[i, b]:
                    supply += a * open_frac[i, b]
                continue
            k = slot_kind[j]
            if k == 0:
                use = combat_frac[i, b]
            elif k == 1:
                use = 1.0
            else:
                use = 1.0 if slot_joins[j, role[i, slot_ally[j]]] else 0.0
            use *= open_frac[i, b]
            d = dist[i, j]
            if fighter[j]:
                if d <= fighter_max[i]:
                    rate = 24.0 / (2.0 * d / cruise[i] + on_station[i] + turnaround[i]
                                   + maintenance[i])
                    rate = min(rate, cap[i])
                    x = a * use * rate * days
                    fs[i, j] = x
                    if d > radius[i]:
                        need += x * (d - radius[i])
            elif bomber[j] and bombers_fly and d <= bomber_max[i]:
                bomb += a * use * bomber_rate[i] * 5000.0 / max(d, 1000.0)
        bomber_out[i] = bomb * days
        demand = need * tanker_need[i] / 1000.0
        supply *= tanker_rate[i] * days
        if demand > supply:  # tankers ration the sorties flown from beyond the radius
            f = supply / demand
            for j in range(S):
                if fighter[j] and dist[i, j] > radius[i]:
                    fs[i, j] *= f


_sortie_kernel = (njit(cache=True, nogil=True)(_slot_sorties_py) if njit else None)


def slot_sorties(aircraft: np.ndarray, combat_frac: np.ndarray, open_frac: np.ndarray,
                 noncombat_ok: np.ndarray, role: np.ndarray, slots: dict[str, np.ndarray],
                 dist: np.ndarray, lane: dict[str, np.ndarray], days: float,
                 bombers_fly: bool) -> tuple[np.ndarray, np.ndarray]:
    """Fighter sorties per aircraft slot ``(n, S)`` and bomber sorties ``(n,)`` for a turn.

    The RAND sortie rate by distance, capped; access by the base owner's ladder (US), always
    (Taiwan) or the ally's ``joins`` (an ally's own aircraft); open runways; tanker
    rationing of sorties flown from beyond the unrefuelled radius; ``dist`` is each lane's
    distance of each slot's base ``(n, S)`` (the arithmetic of
    :func:`strait.models.sorties.sortie_rate_per_day` and ``tanker_factor``, fused).
    """
    n, S = aircraft.shape
    fs = np.empty((n, S))
    bomb = np.empty(n)
    args = (aircraft, combat_frac, open_frac, noncombat_ok, role,
            *(slots[k] for k in ("base", "kind", "ally", "joins", "fighter", "tanker",
                                 "bomber")), np.ascontiguousarray(dist, dtype=float),
            *(lane[k] for k in ("cruise", "on_station", "turnaround", "maintenance", "cap",
                                "fighter_max", "radius", "tanker_rate", "tanker_need",
                                "bomber_rate", "bomber_max")),
            float(days), bool(bombers_fly), fs, bomb)
    if _sortie_kernel is not None:
        _sortie_kernel(*args)
    else:  # pragma: no cover
        _slot_sorties_py(*args)
    return fs, bomb


def _ground_losses_py(aircraft, frac_killed, slot_base, slot_pool, losses):
    n, S = aircraft.shape
    for i in range(n):
        for j in range(S):
            lost = aircraft[i, j] * frac_killed[i, slot_base[j]]
            aircraft[i, j] -= lost
            losses[i, slot_pool[j]] += lost


_ground_kernel = (njit(cache=True, nogil=True)(_ground_losses_py) if njit else None)


def ground_losses(aircraft: np.ndarray, frac_killed: np.ndarray, slot_base: np.ndarray,
                  slot_pool: np.ndarray, losses: np.ndarray) -> None:
    """Remove the share ``frac_killed[:, base]`` of every slot's aircraft, in place, and add
    what was lost to ``losses[:, pool]``."""
    args = (aircraft, np.ascontiguousarray(frac_killed), slot_base.astype(np.int64),
            slot_pool.astype(np.int64), losses)
    if _ground_kernel is not None:
        _ground_kernel(*args)
    else:  # pragma: no cover
        _ground_losses_py(*args)
