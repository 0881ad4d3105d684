"""Per-turn random draws, fixed in shape and order.

Every turn draws the same block of standard normals and uniforms for every lane, whatever
the state; phases turn them into binomial- and Poisson-like quantities with the state's
mean and variance. Because no draw depends on the state, two runs that differ only in a
forced role (a sweep) see the same random numbers lane by lane: common random numbers.
"""

from __future__ import annotations

import numpy as np

MAX_RULES = 16
"""Escalation rules per scenario (each has its own uniform per turn)."""

Z_NAMES = (
    "strike_leak", "strike_ground_open", "strike_ground_shelter", "strike_runway",
    "air_coalition", "air_pla", "air_sam",
    "ship_hits_coalition", "ship_hits_pla_asbm", "shore_hits", "type12_hits",
    "ssn_kills", "ssn_losses", "ssk_kills", "ssk_losses",
    "lift", "ground_pla", "ground_twn", "advance", "launchers", "mainland_leak",
    "ssn_approach_kills", "ssn_approach_losses", "battery_hits",
)
U_NAMES = (
    "strike_JPN", "strike_AUS", "strike_PHL", "strike_KOR",
    "capture", *(f"esc_{i}" for i in range(MAX_RULES)),
)
ZI = {n: i for i, n in enumerate(Z_NAMES)}
UI = {n: i for i, n in enumerate(U_NAMES)}


class Draws:
    """One turn's random numbers: ``draws.z('lift')`` and ``draws.u('strike_JPN')``."""

    __slots__ = ("_u", "_z")

    def __init__(self, rng: np.random.Generator, n: int, keep: np.ndarray | None = None) -> None:
        # single precision: draws only feed normal approximations and comparisons, and
        # drawing them costs a third less (the arithmetic that uses them stays float64)
        self._z = rng.standard_normal((len(Z_NAMES), n), dtype=np.float32)
        self._u = rng.random((len(U_NAMES), n), dtype=np.float32)
        if keep is not None:  # the block's draws, restricted to the lanes still playing
            self._z = self._z[:, keep]
            self._u = self._u[:, keep]

    def z(self, name: str) -> np.ndarray:
        row: np.ndarray = self._z[ZI[name]]
        return row

    def u(self, name: str) -> np.ndarray:
        row: np.ndarray = self._u[UI[name]]
        return row


def binomial_like(trials: np.ndarray, p: np.ndarray | float, z: np.ndarray) -> np.ndarray:
    """Normal approximation to Binomial(trials, p), clipped to [0, trials] (float).

    >>> import numpy as np
    >>> binomial_like(np.array([100.0]), 0.5, np.array([0.0]))
    array([50.])
    """
    m = trials * p
    sd = np.sqrt(np.maximum(m * (1.0 - p), 0.0))
    out: np.ndarray = np.clip(m + sd * z, 0.0, trials)
    return out


def poisson_like(lam: np.ndarray, z: np.ndarray, cap: np.ndarray | float = np.inf) -> np.ndarray:
    """Normal approximation to Poisson(lam), clipped to [0, cap] (float)."""
    lam = np.maximum(lam, 0.0)
    out: np.ndarray = np.clip(lam + np.sqrt(lam) * z, 0.0, cap)
    return out
