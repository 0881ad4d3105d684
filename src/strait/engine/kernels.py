"""Compiled kernels for the hottest loops (numba), with plain-Python fallbacks.

Profiling showed the per-base effects of a missile salvo (interception, apron and
shelter kills, runway closure) dominated the turn: about thirty ``(n, B)`` temporaries
per turn. :func:`base_effects` does the arithmetic lane by lane and base by base in
one pass. The kernels hold no model equation of their own: every formula is a compiled
scalar function of :mod:`strait.models` (the same scalar the public model functions apply
element by element), and the kernels only loop, allocate leakers between mechanisms and
sum. Without numba the same loops run as plain Python.

numba's on-disk cache does not notice when a called :mod:`strait.models` function
changes; after editing one, clear ``__pycache__/*.nbi`` / ``*.nbc`` under ``strait/engine``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from strait.models.airbase import ground_kills, open_share, runway_backlog
from strait.models.interception import intercept
from strait.models.sorties import (
    bomber_sortie_rate,
    sortie_rate,
    sorties_flown,
    tanker_demand,
    tanker_ration,
)

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
            # one interception layer: magazine-limited engagements, binomial-like kills
            lk, interceptors[i, b] = intercept(arriving[i, b], interceptors[i, b], pk[i],
                                               shots[i], z_leak[i])
            leak[i, b] = lk
            # leakers: submunitions on the apron, unitary warheads on shelters, the rest
            # on the runways
            sub = lk * sub_share[i]
            uni = lk - sub
            pb = parked[i, b]
            tk, u_sh = ground_kills(pb, shelters[i, b], parking[i, b], sub, uni * shel_share[i],
                                    slots[i], shel_pk[i], z_open[i], z_shel[i])
            frac_killed[i, b] = tk / pb if pb > 0 else 0.0
            # runways: closures carry over until repaired
            cd = runway_backlog(closed_days[i, b], uni - u_sh, per_closure[i], runways[i, b],
                                repair[i, b], turn_days)
            closed_days[i, b] = cd
            open_frac[i, b] = open_share(cd, turn_days)


_kernel = njit(cache=True, fastmath=False, nogil=True)(_base_effects_py) if njit else None


def base_effects(arriving: np.ndarray, interceptors: np.ndarray, parked: np.ndarray,
                 closed_days: np.ndarray, shelters: np.ndarray, parking: np.ndarray,
                 runways: np.ndarray, lane: dict[str, np.ndarray], z: tuple[np.ndarray, ...],
                 turn_days: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interception, ground kills and runway closure at every base of every lane.

    Per base: :func:`strait.models.interception.intercept`, then
    :func:`strait.models.airbase.ground_kills`, :func:`~strait.models.airbase.runway_backlog`
    and :func:`~strait.models.airbase.open_share`.

    Updates ``interceptors`` and ``closed_days`` in place; returns ``(leakers,
    share of parked aircraft destroyed, runway open fraction)``, each ``(n, B)``.
    ``shelters``, ``parking`` and ``runways`` are each lane's own base numbers ``(n, B)``.
    ``lane`` holds per-lane ``(n,)`` parameters: shots, pk, sub_share, shel_share, slots,
    shel_pk, per_closure; ``repair`` is per lane and base ``(n, B)``.
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


def _slot_sorties_py(aircraft, combat_frac, open_frac, tanker_on, role, slot_base, slot_kind,
                     slot_ally, slot_joins, fighter, tanker, bomber, dist, cruise, on_station,
                     turnaround, maintenance, cap, fighter_max, radius, tanker_rate,
                     tanker_need, bomber_rate, bomber_max, bomber_radius, bomber_tanker_need,
                     days, bombers_fly, fs, bomber_out):
    n, S = aircraft.shape
    for i in range(n):
        supply = 0.0
        need = 0.0
        bomb = 0.0
        bomb_far = 0.0
        for j in range(S):
            b = slot_base[j]
            a = aircraft[i, j]
            fs[i, j] = 0.0
            if a <= 0.0:
                continue
            if tanker[j]:
                supply += a * open_frac[i, b] * tanker_on[i, j]
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
                    rate = sortie_rate(d, cruise[i], on_station[i], turnaround[i],
                                       maintenance[i], cap[i])
                    x = sorties_flown(a, use, rate, days)
                    fs[i, j] = x
                    if d > radius[i]:
                        need += x * (d - radius[i])
            elif bomber[j] and bombers_fly and d <= bomber_max[i]:
                x = bomber_sortie_rate(a * use, bomber_rate[i], d)
                if d > bomber_radius[i]:
                    bomb_far += x  # needs tanker sorties on the way
                else:
                    bomb += x
        supply *= tanker_rate[i] * days
        demand = (tanker_demand(need, tanker_need[i])
                  + bomb_far * days * bomber_tanker_need[i])
        f = tanker_ration(supply, demand)
        bomber_out[i] = (bomb + bomb_far * f) * days
        if f < 1.0:  # tankers ration the sorties flown from beyond the radius
            for j in range(S):
                if fighter[j] and dist[i, j] > radius[i]:
                    fs[i, j] *= f


_sortie_kernel = (njit(cache=True, nogil=True)(_slot_sorties_py) if njit else None)


def slot_sorties(aircraft: np.ndarray, combat_frac: np.ndarray, open_frac: np.ndarray,
                 tanker_on: np.ndarray, role: np.ndarray, slots: dict[str, np.ndarray],
                 dist: np.ndarray, lane: dict[str, np.ndarray], days: float,
                 bombers_fly: bool) -> tuple[np.ndarray, np.ndarray]:
    """Fighter sorties per aircraft slot ``(n, S)`` and bomber sorties ``(n,)`` for a turn.

    The RAND sortie rate by distance, capped; access by the base owner's ladder (US), always
    (Taiwan) or the ally's ``joins`` (an ally's own aircraft); open runways; tanker
    rationing of the fighter sorties flown from beyond the unrefuelled radius and of the
    bomber sorties flown from beyond ``bomber_radius`` (each needing ``bomber_tanker_need``
    tanker sorties), from the tankers each lane may use (``tanker_on``, ``(n, S)``: 1 where
    a tanker slot's base is open to it); ``dist`` is each lane's distance of each slot's
    base ``(n, S)``. Each equation is a
    scalar of :mod:`strait.models.sorties` (``sortie_rate``, ``sorties_flown``,
    ``tanker_demand``, ``tanker_ration``, ``bomber_sortie_rate``).
    """
    n, S = aircraft.shape
    fs = np.empty((n, S))
    bomb = np.empty(n)
    args = (aircraft, combat_frac, open_frac, np.ascontiguousarray(tanker_on, dtype=float), role,
            *(slots[k] for k in ("base", "kind", "ally", "joins", "fighter", "tanker",
                                 "bomber")), np.ascontiguousarray(dist, dtype=float),
            *(lane[k] for k in ("cruise", "on_station", "turnaround", "maintenance", "cap",
                                "fighter_max", "radius", "tanker_rate", "tanker_need",
                                "bomber_rate", "bomber_max", "bomber_radius",
                                "bomber_tanker_need")),
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


def _group_sum_py(x, group, out):
    n, S = x.shape
    for i in range(n):
        for j in range(S):  # slots in their fixed order: the same sums in every lane
            out[i, group[j]] += x[i, j]


_group_kernel = (njit(cache=True, nogil=True)(_group_sum_py) if njit else None)


def group_sum(x: np.ndarray, group: np.ndarray, size: int) -> np.ndarray:
    """``(n, S)`` -> ``(n, size)``: column ``g`` sums the columns ``j`` with ``group[j] == g``,
    lane by lane in slot order (deterministic whatever the block size, unlike a BLAS
    product with a one-hot matrix).

    >>> group_sum(np.array([[1.0, 2.0, 4.0]]), np.array([1, 0, 1]), 2)
    array([[2., 5.]])
    """
    out = np.zeros((x.shape[0], size))
    args = (np.ascontiguousarray(x, dtype=float), np.ascontiguousarray(group, dtype=np.int64),
            out)
    if _group_kernel is not None:
        _group_kernel(*args)
    else:  # pragma: no cover
        _group_sum_py(*args)
    return out


def _contributions_py(aircraft, combat_frac, noncombat_ok, role, slot_base, slot_kind, slot_ally,
                      slot_owner_ally, combat, support, fights, support_value, carrier,
                      mine, total):
    n, S = aircraft.shape
    for i in range(n):
        tot = carrier[i]
        for j in range(S):
            a = aircraft[i, j]
            if a <= 0.0:
                continue
            b = slot_base[j]
            k = slot_kind[j]
            if k == 0:
                if combat[j]:
                    x = a * combat_frac[i, b]
                    tot += x
                    mine[i, slot_owner_ally[j]] += x
                elif support[j] and noncombat_ok[i, b]:
                    mine[i, slot_owner_ally[j]] += a * support_value[i]
            elif k == 2 and combat[j]:
                al = slot_ally[j]
                if fights[j, role[i, al]]:
                    tot += a
                    mine[i, al] += a
        total[i] = tot


_contrib_kernel = (njit(cache=True, nogil=True)(_contributions_py) if njit else None)


def contributions(aircraft: np.ndarray, combat_frac: np.ndarray, noncombat_ok: np.ndarray,
                  role: np.ndarray, slots: dict[str, np.ndarray], slot_owner_ally: np.ndarray,
                  fights: np.ndarray, support_value: np.ndarray, carrier: np.ndarray,
                  n_allies: int) -> tuple[np.ndarray, np.ndarray]:
    """What each ally's territory and forces contribute to the coalition's fight, lane by
    lane: ``(n, A)`` aircraft-equivalents (US combat aircraft as far as the host releases
    them, support aircraft at ``support_value``, the ally's own combat aircraft when its
    rung has them fight) and ``(n,)`` the coalition's combat aircraft able to fight."""
    n = aircraft.shape[0]
    mine = np.zeros((n, n_allies + 1))
    total = np.zeros(n)
    args = (aircraft, combat_frac, noncombat_ok, role,
            *(slots[k] for k in ("base", "kind", "ally")),
            np.ascontiguousarray(slot_owner_ally, dtype=np.int64),
            slots["fighter"] | slots["bomber"], slots["tanker"] | slots["mpa"],
            np.ascontiguousarray(fights), np.ascontiguousarray(support_value, dtype=float),
            np.ascontiguousarray(carrier, dtype=float), mine, total)
    if _contrib_kernel is not None:
        _contrib_kernel(*args)
    else:  # pragma: no cover
        _contributions_py(*args)
    return mine[:, :n_allies], total
