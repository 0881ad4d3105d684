"""Value of information under a lexicographic rule: P(PRC victory) first, then US losses.

A US planner rarely trades a point of P(PRC victory) for fewer losses, but when two options
are as good on the first they should take the cheaper in blood. The rule here: among the
options whose mean primary utility ``U1`` is within ``tie`` of the best, pick the one with
the best mean secondary utility ``U2`` (with the default utility of :func:`strait.analysis.
voi.voi`, ``U1 = -1{PRC victory}`` and ``U2 = -usa_killed``, ``tie`` = 1 pp).

No single number orders such choices, so every value of information is a *pair*: the change
in mean ``U1`` and in mean ``U2`` from choosing per cell (per lane, per role level, per stated
answer) instead of once on the prior. Both parts come from the same per-cell counts and sums
as the scalar estimators in :mod:`strait.analysis.voi` (one matrix product for every
bootstrap resample). Unlike the scalar values, a part may be negative: knowing a role can
cost up to ``tie`` of P(PRC victory) when it buys a larger cut in losses.

Example (two options; the second saves losses only when θ = 1, at equal P(victory)):
    >>> import numpy as np
    >>> theta = np.array([0, 0, 1, 1])
    >>> U1 = np.zeros((4, 2))
    >>> U2 = np.array([[-1.0, -3.0], [-1.0, -3.0], [-5.0, -1.0], [-5.0, -1.0]])
    >>> t = lexicographic_table(U1, U2, {"x": theta}, tie=0.01, B=0, min_lanes=1)
    >>> t.evppi["x"].primary.value, t.evppi["x"].secondary.value
    (0.0, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from strait.analysis.evpi import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_MIN_LANES,
    Basis,
    Estimate,
    VOIError,
    _check_cells,
    _rows_for,
    _weight_chunks,
    check_credibility,
    check_utility,
    level_basis,
    partition_codes,
)

DEFAULT_TIE = 0.01
"""Options whose P(PRC victory) differs by less than this (1 pp) are ties, broken by US
losses: an analyst's threshold, not a sourced number (``strait voi --tie``)."""


@dataclass(frozen=True)
class Pair:
    """A value of information in both parts of the rule, each with its bootstrap error."""

    primary: Estimate
    secondary: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {"primary": self.primary.to_dict(), "secondary": self.secondary.to_dict()}


@dataclass(frozen=True)
class LexicographicTable:
    """EVPI and, per variable, exact and regression EVPPI and (with a credibility matrix)
    EVSI, each a :class:`Pair`; ``best`` is the option chosen on the prior."""

    tie: float
    best: int
    evpi: Pair
    evppi: dict[str, Pair]
    evppi_regression: dict[str, Pair]
    evsi: dict[str, Pair]

    def to_dict(self) -> dict[str, Any]:
        return {"tie": self.tie, "best": self.best, "evpi": self.evpi.to_dict(),
                "evppi": {k: v.to_dict() for k, v in self.evppi.items()},
                "evppi_regression": {k: v.to_dict() for k, v in self.evppi_regression.items()},
                "evsi": {k: v.to_dict() for k, v in self.evsi.items()}}


def choose(m1: np.ndarray, m2: np.ndarray, tie: float) -> np.ndarray:
    """Index of the chosen option along the last axis: the best ``m2`` among the options
    whose ``m1`` is within ``tie`` of the best ``m1`` (first such option on equal ``m2``).

    >>> choose(np.array([0.0, -0.005, -0.5]), np.array([-9.0, -2.0, 0.0]), 0.01)
    array(1)
    """
    ok = m1 >= m1.max(axis=-1, keepdims=True) - tie
    return np.asarray(np.where(ok, m2, -np.inf).argmax(axis=-1))


def _means(s: np.ndarray, c: np.ndarray) -> np.ndarray:
    cc = c[..., None]
    return np.asarray(np.divide(s, cc, out=np.zeros_like(s), where=cc > 0))


def _take(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.asarray(np.take_along_axis(a, idx[..., None], axis=-1)[..., 0])


def _pair_gain(s1: np.ndarray, s2: np.ndarray, c: np.ndarray, N: np.ndarray,
               tie: float) -> tuple[np.ndarray, np.ndarray]:
    """Gains in both parts of deciding per cell rather than once on the pooled cells:
    ``Σ_k s_k[d*_k] / N - S[d*] / N`` with ``d*_k`` chosen on cell k's means and ``d*`` on
    the pooled means."""
    ch = choose(_means(s1, c), _means(s2, c), tie)
    t1, t2, n = s1.sum(axis=-2), s2.sum(axis=-2), c.sum(axis=-1)
    ch0 = choose(_means(t1, n), _means(t2, n), tie)
    g1 = (_take(s1, ch).sum(axis=-1) - _take(t1, ch0)) / N
    g2 = (_take(s2, ch).sum(axis=-1) - _take(t2, ch0)) / N
    return np.asarray(g1), np.asarray(g2)


def _fitted_sums(c: np.ndarray, s: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Per-level sums ``c_k · ĝ_k`` from a weighted least-squares fit of the per-level means
    on the level basis ``X`` (K × p): the regression (Strong-Oakley) cell values."""
    c2 = np.atleast_2d(c)
    s3 = s.reshape(c2.shape[0], *s.shape[-2:])
    xtx = np.einsum("bk,kp,kq->bpq", c2, X, X)
    xty = np.einsum("kp,bkd->bpd", X, s3)
    fit = np.einsum("kp,bpd->bkd", X, np.linalg.pinv(xtx) @ xty)
    return np.asarray((c2[:, :, None] * fit).reshape(s.shape))


def _pair(p1: float, p2: float, b1: np.ndarray | None, b2: np.ndarray | None) -> Pair:
    def est(p: float, b: np.ndarray | None) -> Estimate:
        if b is None or b.size < 2:
            return Estimate(float(p))
        lo, hi = np.quantile(b, [0.025, 0.975])
        return Estimate(float(p), float(b.std(ddof=1)), float(lo), float(hi))

    return Pair(est(p1, b1), est(p2, b2))


def lexicographic_table(U1: Any, U2: Any, variables: Mapping[str, Any], *,
                        tie: float = DEFAULT_TIE,
                        credibility: Mapping[str, Any] | None = None,
                        B: int = DEFAULT_BOOTSTRAP, seed: int = 0,
                        min_lanes: int = DEFAULT_MIN_LANES,
                        basis: Basis = "smooth") -> LexicographicTable:
    """Value of information under the lexicographic rule (see the module docstring).

    Args:
        U1, U2: primary and secondary utilities, ``(n_lanes, n_decisions)`` each, paired
            lane by lane (same campaigns).
        variables: name -> ``(n,)`` discrete levels per lane.
        tie: primary means within this of the best count as equal.
        credibility: name -> P(answer | level) matrix, for the EVSI of a stated answer.
        B, seed: bootstrap resamples over lanes and their seed (``B < 2``: no errors).
    """
    u1, u2 = check_utility(U1), check_utility(U2)
    if u1.shape != u2.shape:
        raise VOIError(f"utility: the two parts of the rule need the same shape, found "
                       f"{u1.shape} and {u2.shape}")
    if not (isinstance(tie, int | float) and math.isfinite(tie) and tie >= 0):
        raise VOIError(f"tie: expected a difference >= 0 in the first utility, found {tie!r}; "
                       "e.g. 0.01 (1 pp of P(PRC victory))")
    n, D = u1.shape
    cred = dict(credibility or {})
    unknown = set(cred) - set(variables)
    if unknown:
        raise VOIError(f"credibility: no variable named {sorted(unknown)[0]!r}; variables are "
                       f"{', '.join(variables) or 'none'}")
    lane = choose(u1, u2, tie)  # perfect information: the best option lane by lane
    blocks = [u1, u2, _take(u1, lane)[:, None], _take(u2, lane)[:, None]]
    specs = []
    at = 2 * D + 2
    for name, theta in variables.items():
        codes, values = partition_codes(theta, n, name)
        if values.ndim != 1:
            raise VOIError(f"{name}: the lexicographic table takes one variable at a time")
        k = len(values)
        onehot = np.eye(k)[codes]
        _check_cells(onehot.sum(axis=0), values, min_lanes, name)
        C = None
        if cred.get(name) is not None:
            C = _rows_for(check_credibility(cred[name], f"credibility for {name}"), values,
                          f"credibility for {name}")
        specs.append((name, k, level_basis(values, basis), C, at))
        blocks += [onehot, (onehot[:, :, None] * u1[:, None, :]).reshape(n, k * D),
                   (onehot[:, :, None] * u2[:, None, :]).reshape(n, k * D)]
        at += k * (2 * D + 1)
    F = np.concatenate(blocks, axis=1)
    stats = F.sum(axis=0)
    boot = np.concatenate([(F.T @ w.T).T for w in _weight_chunks(n, B, seed)]) \
        if B > 1 else None
    N = np.asarray(float(n))

    def evpi_of(st: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t1, t2 = st[..., :D], st[..., D:2 * D]
        ch0 = choose(t1, t2, tie)
        return ((st[..., 2 * D] - _take(t1, ch0)) / N, (st[..., 2 * D + 1] - _take(t2, ch0)) / N)

    def split(st: np.ndarray, k: int, at: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        c = st[..., at:at + k]
        s1 = st[..., at + k:at + k + k * D].reshape(*st.shape[:-1], k, D)
        s2 = st[..., at + k + k * D:at + k * (2 * D + 1)].reshape(*st.shape[:-1], k, D)
        return c, s1, s2

    def pair(f: Any) -> Pair:
        """``f(stats)`` -> (first, second) gains, at the point and over the resamples."""
        p1, p2 = f(stats)
        b1, b2 = f(boot) if boot is not None else (None, None)
        return _pair(float(np.squeeze(p1)), float(np.squeeze(p2)), b1, b2)

    evpi = pair(evpi_of)
    best = int(choose(stats[:D] / n, stats[D:2 * D] / n, tie))
    evppi: dict[str, Pair] = {}
    reg: dict[str, Pair] = {}
    ev: dict[str, Pair] = {}
    for name, k, X, C, at in specs:
        def exact(st: np.ndarray, k: int = k, at: int = at) -> tuple[np.ndarray, np.ndarray]:
            c, s1, s2 = split(st, k, at)
            return _pair_gain(s1, s2, c, N, tie)

        def regression(st: np.ndarray, k: int = k, at: int = at, X: np.ndarray = X
                       ) -> tuple[np.ndarray, np.ndarray]:
            c, s1, s2 = split(st, k, at)
            return _pair_gain(_fitted_sums(c, s1, X), _fitted_sums(c, s2, X), c, N, tie)

        evppi[name], reg[name] = pair(exact), pair(regression)
        if C is not None:
            def answer(st: np.ndarray, k: int = k, at: int = at, C: np.ndarray = C
                       ) -> tuple[np.ndarray, np.ndarray]:
                c, s1, s2 = split(st, k, at)  # cells are the stated answers
                return _pair_gain(np.einsum("ka,...kd->...ad", C, s1),
                                  np.einsum("ka,...kd->...ad", C, s2),
                                  np.einsum("ka,...k->...a", C, c), N, tie)

            ev[name] = pair(answer)
    return LexicographicTable(tie=float(tie), best=best, evpi=evpi, evppi=evppi,
                              evppi_regression=reg, evsi=ev)


__all__ = ["DEFAULT_TIE", "LexicographicTable", "Pair", "choose", "lexicographic_table"]
