"""Estimators of the value of information on paired lanes: EVPI, EVPPI, EVSI.

The input is a utility matrix ``U`` of shape ``(n_lanes, n_decisions)`` whose lanes are
paired (lane ``i`` of every decision shares its dice and its drawn uncertain variables),
and, per lane, the values of the uncertain variables. :func:`strait.analysis.voi.voi`
builds both from runs of strait; every function here works on plain arrays. From these
(domain brief §3.3-3.4):

* **EVPI** ``= E[max_d U] - max_d E[U]``: the value of knowing *everything* about a lane
  before deciding, dice included, so an upper bound on every other value here.
* **EVPPI(θ)** for a discrete variable θ (an ally's role), exact by partitioning the lanes
  on θ: ``Σ_θ p(θ)·max_d E[U | θ] - max_d E[U]``, ``p(θ)`` the lanes' shares (the lanes are
  drawn from the prior, so the shares estimate it). A *set* of variables is partitioned on
  their joint levels.
* **Regression EVPPI** (Strong & Oakley): regress each option's utility on θ, then
  ``mean_i max_d ĝ_d(θ_i) - max_d mean_i ĝ_d(θ_i)``. With a one-hot basis on a discrete θ
  the fitted values are the partition means, so it reproduces the exact estimate; the
  ``"smooth"`` basis (a cubic in the level, or an additive cubic spline for continuous
  inputs) borrows strength across neighbouring levels. A large gap between the smooth and
  the exact estimate means either noisy per-level means (the exact estimate, a max of noisy
  means, is biased upwards) or an effect of the ladder that is not smooth.
* **EVSI** of an ally's *stated answer* A given a credibility matrix
  ``C[θ, a] = P(answer a | actual role θ)`` (one row per actual role level, each row sums to
  1): ``Σ_a P(a)·max_d E[U | a] - max_d E[U]`` with ``E[U | a] = Σ_θ P(θ | a) E[U | θ]``.
  Because ``P(a)·P(θ | a) = C[θ, a]·p(θ)``, the first term is ``Σ_a max_d Σ_θ C[θ, a]·p(θ)
  E[U | θ]``: linear in the per-level means, so any number of credibility models cost
  nothing once the runs are done.

With the lanes' shares as ``p(θ)`` the inequalities ``0 <= EVSI <= EVPPI <= EVPI`` and
"EVPPI never falls when a variable is added" hold exactly in every sample (Jensen), not
just in expectation. Every estimate carries a Monte Carlo error from a bootstrap over lanes
(rows of ``U`` resampled together with their variables, so the pairing is kept).

Example (a toy: two options, the second better only when θ = 1):
    >>> import numpy as np
    >>> theta = np.array([0, 0, 1, 1])
    >>> U = np.array([[0.0, -1.0], [0.0, -1.0], [0.0, 1.0], [0.0, 1.0]])
    >>> evpi(U), evppi(U, theta, min_lanes=1)
    (0.5, 0.5)
    >>> evsi(U, theta, np.eye(2), min_lanes=1), evsi(U, theta, np.full((2, 2), 0.5), min_lanes=1)
    (0.5, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from strait.errors import StraitError

Z95 = 1.959964
DEFAULT_MIN_LANES = 30
"""Fewest lanes an occupied partition cell may hold (fewer: its mean is too noisy)."""
DEFAULT_BOOTSTRAP = 200
"""Bootstrap resamples over lanes for the Monte Carlo error."""

Basis = Literal["onehot", "smooth"]


class VOIError(StraitError):
    """A value-of-information problem that cannot be set up (bad matrix, too few lanes)."""


# -------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its bootstrap standard error and 95 % percentile interval."""

    value: float
    se: float = math.nan
    low: float = math.nan
    high: float = math.nan

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def _estimate(point: float, boot: np.ndarray | None) -> Estimate:
    # every value here is >= 0 in exact arithmetic (Jensen); clip rounding below 0
    point = max(float(point), 0.0)
    boot = None if boot is None else np.maximum(boot, 0.0)
    if boot is None or boot.size < 2:
        return Estimate(float(point))
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return Estimate(float(point), float(boot.std(ddof=1)), float(lo), float(hi))


def check_utility(U: Any) -> np.ndarray:
    """``U`` as a finite float array of shape ``(n_lanes, n_decisions)``."""
    u = np.asarray(U, dtype=float)
    if u.ndim == 1:
        u = u[:, None]
    if u.ndim != 2 or u.shape[0] < 2 or u.shape[1] < 1:
        raise VOIError(f"utility: expected a matrix (lanes × decisions) with at least 2 lanes, "
                       f"found shape {u.shape}; pass one column per decision option")
    if not np.isfinite(u).all():
        raise VOIError("utility: found NaN or infinite values; drop those lanes or use a "
                       "utility column that is always defined")
    return u


def partition_codes(theta: Any, n: int, what: str = "theta") -> tuple[np.ndarray, np.ndarray]:
    """Integer cell codes ``0..K-1`` per lane and the ``K`` distinct values (rows for a set
    of variables, whose cells are their joint levels)."""
    t = np.asarray(theta)
    if t.ndim not in (1, 2) or t.shape[0] != n:
        raise VOIError(f"{what}: expected one value per lane ({n}), found shape {t.shape}; "
                       "pass an (n,) array, or (n, k) for a set of variables")
    if t.ndim == 1:
        values, codes = np.unique(t, return_inverse=True)
    else:
        values, codes = np.unique(t, axis=0, return_inverse=True)
    return codes.reshape(-1).astype(np.intp), values


def _check_cells(counts: np.ndarray, values: np.ndarray, min_lanes: int, what: str) -> None:
    small = np.flatnonzero(counts < min_lanes)
    if small.size:
        k = int(small[np.argmin(counts[small])])
        share = counts[k] / counts.sum()
        need = math.ceil(min_lanes / share) if share > 0 else 0
        raise VOIError(f"{what}: the cell {values[k].tolist()} holds only {int(counts[k])} "
                       f"lanes (< {min_lanes}), too few for a per-cell mean; run about "
                       f"{need:,} lanes or more (or lower min_lanes)")


def check_credibility(C: Any, what: str = "credibility") -> np.ndarray:
    """``C[θ, a] = P(answer a | role θ)``: finite, in [0, 1], each row summing to 1."""
    c = np.asarray(C, dtype=float)
    if c.ndim != 2 or c.shape[1] < 1:
        raise VOIError(f"{what}: expected a matrix (role levels × answers), found shape "
                       f"{c.shape}; give one row per actual role level")
    if not np.isfinite(c).all() or (c < 0).any() or (c > 1).any():
        raise VOIError(f"{what}: expected probabilities in [0, 1]; fix the entries outside")
    sums = c.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1) > 1e-6)
    if bad.size:
        r = int(bad[0])
        raise VOIError(f"{what}: row {r} (actual role {r}) sums to {sums[r]:.6g}, not 1; each "
                       "row is P(answer | role) over all answers, so make it add up to 1")
    return c


def _rows_for(C: np.ndarray, values: np.ndarray, what: str) -> np.ndarray:
    """The credibility rows of the occupied levels ``values`` (level v is row v)."""
    v = np.asarray(values)
    if v.ndim != 1 or not np.issubdtype(v.dtype, np.integer) or v.min() < 0 \
            or v.max() >= C.shape[0]:
        raise VOIError(f"{what}: the lanes' levels {v.tolist()} need rows 0..{int(v.max())} "
                       f"of the credibility matrix, which has {C.shape[0]}; give one row per "
                       "level (7 for a role)")
    return np.asarray(C[v])


# ------------------------------------------------- estimators on sufficient statistics
# Every estimator for a discrete variable depends on the lanes only through the per-cell
# counts c (.., K) and sums s (.., K, D) of U, so a bootstrap resample is a reweighting of
# the lanes and all resamples come from one matrix product (:func:`_boot_stats`).


def _evppi_from(s: np.ndarray, N: np.ndarray) -> np.ndarray:
    """Σ_θ max_d s_θd / N - max_d Σ_θ s_θd / N (since c_θ·max_d(s_θd/c_θ) = max_d s_θd)."""
    return np.asarray((s.max(axis=-1).sum(axis=-1) - s.sum(axis=-2).max(axis=-1)) / N)


def _evsi_from(s: np.ndarray, N: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Σ_a max_d Σ_θ C[θ,a]·s_θd / N - max_d Σ_θ s_θd / N."""
    by_answer = np.einsum("ka,...kd->...ad", C, s)
    return np.asarray((by_answer.max(axis=-1).sum(axis=-1) - s.sum(axis=-2).max(axis=-1)) / N)


def level_basis(values: np.ndarray, basis: Basis, degree: int = 3) -> np.ndarray:
    """Design matrix (K × p) on the K occupied levels of one discrete variable: one-hot, or
    a polynomial (with intercept) of degree ``min(degree, K - 1)`` in the centred level."""
    k = len(values)
    if basis == "onehot":
        return np.eye(k)
    if basis != "smooth":
        raise VOIError(f"basis: expected 'onehot' or 'smooth', found {basis!r}")
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise VOIError("basis: the smooth basis on levels takes one variable; pass a set "
                       "to evppi_regression instead")
    x = (x - x.mean()) / (x.std() or 1.0)
    return np.asarray(np.vander(x, min(degree, k - 1) + 1, increasing=True))


def _reg_from(c: np.ndarray, s: np.ndarray, N: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Regression EVPPI from per-level counts and sums: weighted least squares of U on the
    basis X of the levels, then Σ_θ c_θ max_d ĝ_θd / N - max_d Σ_θ c_θ ĝ_θd / N."""
    c2 = np.atleast_2d(c)
    s3 = s.reshape(c2.shape[0], *s.shape[-2:])
    xtx = np.einsum("bk,kp,kq->bpq", c2, X, X)
    xty = np.einsum("kp,bkd->bpd", X, s3)
    beta = np.linalg.pinv(xtx) @ xty  # pinv: a resample may leave a level empty
    fit = np.einsum("kp,bpd->bkd", X, beta)
    w = c2[:, :, None] * fit
    out = (w.max(axis=-1).sum(axis=-1) - w.sum(axis=-2).max(axis=-1)) / np.atleast_1d(N)
    return np.asarray(out.reshape(np.shape(N)))


def _cells(U: np.ndarray, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.bincount(codes, minlength=k).astype(float)
    sums = np.stack([np.bincount(codes, weights=U[:, d], minlength=k)
                     for d in range(U.shape[1])], axis=1)
    return counts, sums


# ------------------------------------------------------------------ pure estimators


def evpi(U: Any) -> float:
    """Expected value of perfect information: ``E[max_d U] - max_d E[U]``."""
    u = check_utility(U)
    return max(float(u.max(axis=1).mean() - u.mean(axis=0).max()), 0.0)


def evppi(U: Any, theta: Any, *, min_lanes: int = DEFAULT_MIN_LANES) -> float:
    """Exact partial EVPI of a discrete variable (``(n,)``) or set (``(n, k)``): partition
    the lanes on its (joint) levels."""
    u = check_utility(U)
    codes, values = partition_codes(theta, len(u))
    c, s = _cells(u, codes, len(values))
    _check_cells(c, values, min_lanes, "evppi")
    return max(float(_evppi_from(s, np.asarray(float(len(u))))), 0.0)


def evsi(U: Any, theta: Any, credibility: Any, *, min_lanes: int = DEFAULT_MIN_LANES) -> float:
    """EVSI of a stated answer about the discrete variable ``theta`` (levels 0..K-1), with
    ``credibility[θ, a] = P(answer a | θ)``."""
    u = check_utility(U)
    C = check_credibility(credibility)
    codes, values = partition_codes(theta, len(u))
    c, s = _cells(u, codes, len(values))
    _check_cells(c, values, min_lanes, "evsi")
    return max(float(_evsi_from(s, np.asarray(float(len(u))), _rows_for(C, values, "evsi"))), 0.0)


def regression_design(X: Any, n: int, basis: Basis = "smooth", degree: int = 3,
                      knots: int = 4) -> np.ndarray:
    """Design matrix (n × p, with intercept) for the Strong-Oakley regression.

    ``onehot``: one column per (joint) level — saturated, so it reproduces the partition.
    ``smooth``: additive, per variable a cubic polynomial plus truncated cubics at up to
    ``knots`` interior quantile knots (a cubic regression spline); a variable with few
    distinct values gets a polynomial of degree (distinct values - 1) only.
    """
    x = np.asarray(X, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] != n:
        raise VOIError(f"X: expected one row per lane ({n}), found shape {x.shape}")
    if basis == "onehot":
        codes, values = partition_codes(x, n, "X")
        return np.asarray(np.eye(len(values))[codes])
    if basis != "smooth":
        raise VOIError(f"basis: expected 'onehot' or 'smooth', found {basis!r}")
    cols = [np.ones(n)]
    for j in range(x.shape[1]):
        v = x[:, j]
        uniq = np.unique(v)
        z = (v - v.mean()) / (v.std() or 1.0)
        deg = min(degree, len(uniq) - 1)
        cols += [z ** p for p in range(1, deg + 1)]
        if len(uniq) > degree + 1 + knots:
            for q in np.quantile(z, np.linspace(0, 1, knots + 2)[1:-1]):
                cols.append(np.clip(z - q, 0, None) ** 3)
    return np.asarray(np.column_stack(cols))


def evppi_regression(U: Any, X: Any, *, basis: Basis = "smooth", degree: int = 3,
                     knots: int = 4) -> float:
    """Regression (Strong-Oakley) EVPPI: fit each option's utility on the inputs ``X``
    (``(n,)`` or ``(n, k)``), then ``mean_i max_d ĝ_d(x_i) - max_d mean_i ĝ_d(x_i)``."""
    u = check_utility(U)
    design = regression_design(X, len(u), basis, degree, knots)
    beta = np.linalg.lstsq(design, u, rcond=None)[0]
    fit = design @ beta
    return max(float(fit.max(axis=1).mean() - fit.mean(axis=0).max()), 0.0)


def bootstrap(estimator: Callable[..., float], U: Any, *arrays: Any, B: int = DEFAULT_BOOTSTRAP,
              seed: int = 0, **kwargs: Any) -> Estimate:
    """Any estimator ``f(U, *arrays, **kwargs)`` with a bootstrap over lanes (rows of ``U``
    and of every array resampled together)."""
    u = check_utility(U)
    point = estimator(u, *arrays, **kwargs)
    rng = np.random.default_rng(seed)
    n = len(u)
    vals = []
    for _ in range(B):
        idx = rng.integers(0, n, n)
        vals.append(estimator(u[idx], *(np.asarray(a)[idx] for a in arrays), **kwargs))
    return _estimate(point, np.asarray(vals, dtype=float))


# --------------------------------------------------------- all variables at once, fast


@dataclass(frozen=True)
class VariableVOI:
    """The value of information about one variable (or set of variables)."""

    name: str
    levels: list[Any]
    shares: list[float]
    evppi: Estimate
    evppi_regression: Estimate
    evsi: Estimate | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "levels": self.levels, "shares": self.shares,
                "evppi": self.evppi.to_dict(),
                "evppi_regression": self.evppi_regression.to_dict(),
                "evsi": None if self.evsi is None else self.evsi.to_dict()}


def _weight_chunks(n: int, B: int, seed: int, chunk: int = 32) -> Iterator[np.ndarray]:
    """Bootstrap resamples as lane counts, ``chunk`` resamples (rows) at a time."""
    rng = np.random.default_rng(seed)
    done = 0
    while done < B:
        b = min(chunk, B - done)
        idx = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        yield np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(float)
        done += b


def voi_table(U: Any, variables: Mapping[str, Any], *,
              credibility: Mapping[str, Any] | None = None,
              B: int = DEFAULT_BOOTSTRAP, seed: int = 0, min_lanes: int = DEFAULT_MIN_LANES,
              basis: Basis = "smooth") -> tuple[Estimate, dict[str, VariableVOI]]:
    """EVPI and, per discrete variable (``(n,)`` levels, or ``(n, k)`` for a set), exact and
    regression EVPPI and (where ``credibility`` has a matrix for it) EVSI, each with a
    bootstrap error; all resamples share one set of lane weights and one matrix product.

    Regression uses ``basis`` on the levels (a set is one-hot on its joint levels).
    """
    u = check_utility(U)
    n, D = u.shape
    cred = dict(credibility or {})
    specs = []
    blocks = [u, u.max(axis=1, keepdims=True)]
    width = D + 1
    for name, theta in variables.items():
        codes, values = partition_codes(theta, n, name)
        k = len(values)
        onehot = np.eye(k)[codes]
        c, s = onehot.sum(axis=0), onehot.T @ u
        _check_cells(c, values, min_lanes, name)
        X = level_basis(values, basis) if values.ndim == 1 else np.eye(k)
        C = None
        if cred.get(name) is not None:
            C = _rows_for(check_credibility(cred[name], f"credibility for {name}"), values,
                          f"credibility for {name}")
        specs.append((name, values, k, c, s, X, C, width))
        blocks += [onehot, (onehot[:, :, None] * u[:, None, :]).reshape(n, k * D)]
        width += k * (D + 1)
    unknown = set(cred) - set(variables)
    if unknown:
        raise VOIError(f"credibility: no variable named {sorted(unknown)[0]!r}; variables are "
                       f"{', '.join(variables) or 'none'}")
    F = np.concatenate(blocks, axis=1)
    # (F.T @ w.T).T, not w @ F: OpenBLAS takes ~100x longer on the latter (long inner axis)
    boot = np.concatenate([(F.T @ w.T).T for w in _weight_chunks(n, B, seed)]) \
        if B > 1 else None
    N = np.asarray(float(n))

    def evpi_of(row: np.ndarray, total: np.ndarray) -> np.ndarray:
        return np.asarray((row[..., D] - row[..., :D].max(axis=-1)) / total)

    e_evpi = _estimate(float(evpi_of(F.sum(axis=0), N)),
                       None if boot is None else evpi_of(boot, N))
    out: dict[str, VariableVOI] = {}
    for name, values, k, c, s, X, C, at in specs:
        def part(stats: np.ndarray, at: int = at, k: int = k) -> tuple[np.ndarray, np.ndarray]:
            cc = stats[..., at:at + k]
            ss = stats[..., at + k:at + k * (D + 1)].reshape(*stats.shape[:-1], k, D)
            return cc, ss

        bc, bs = part(boot) if boot is not None else (None, None)
        bN = None if bc is None else bc.sum(axis=-1)
        exact = _estimate(float(_evppi_from(s, N)),
                          None if bs is None or bN is None else _evppi_from(bs, bN))
        reg = _estimate(float(_reg_from(c, s, N, X)),
                        None if bc is None or bs is None or bN is None
                        else _reg_from(bc, bs, bN, X))
        ev = None
        if C is not None:
            ev = _estimate(float(_evsi_from(s, N, C)),
                           None if bs is None or bN is None else _evsi_from(bs, bN, C))
        out[name] = VariableVOI(name=name, levels=values.tolist(),
                                shares=(c / n).tolist(), evppi=exact, evppi_regression=reg,
                                evsi=ev)
    return e_evpi, out



# ------------------------------------------------------- the credibility of an answer


ANSWERS: tuple[str, ...] = ("no", "case_by_case", "yes")


def default_credibility(p_case_by_case: float = 0.8, p_truthful: float = 0.75) -> np.ndarray:
    """The default "case by case" credibility matrix (7 role levels × answers no,
    case_by_case, yes).

    Whatever its real role, the ally answers "case by case" with probability
    ``p_case_by_case`` (0.8: what Japan and Australia actually said in 2025). Otherwise it
    gives a coarse yes/no — "yes" meaning US combat operations from its territory or more
    (ACCESS_COMBAT and up), "no" anything less — that is true with probability
    ``p_truthful`` (0.75). So an answer moves the prior only a little: near-uninformative,
    as the domain brief (§3.4) asks of a "case by case" answer.
    """
    c = np.zeros((7, 3))
    for level in range(7):
        yes = level >= 3
        c[level] = [(1 - p_case_by_case) * (1 - p_truthful if yes else p_truthful),
                    p_case_by_case,
                    (1 - p_case_by_case) * (p_truthful if yes else 1 - p_truthful)]
    return c


def read_credibility(path: str | Path) -> tuple[dict[str, np.ndarray], tuple[str, ...]]:
    """A credibility file (YAML): ``answers`` (names) and ``rows`` (a role level name ->
    P(answer) per answer, all 7 levels, each row summing to 1), for every ally; or the same
    under ally codes (``JPN: {answers, rows}``) to give allies different matrices.

    Returns ``{ally code or "*": matrix}`` and the answer names of the first matrix.
    """
    import yaml


    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text())
    except OSError as exc:
        raise VOIError(f"--credibility {p}: cannot read it ({exc.strerror}); give a YAML "
                       "file with 'answers' and 'rows'") from None
    except yaml.YAMLError:
        raise VOIError(f"--credibility {p}: not valid YAML; give 'answers' and 'rows'") \
            from None
    return parse_credibility(doc, f"--credibility {p}")


def parse_credibility(doc: Any, where: str = "credibility"
                      ) -> tuple[dict[str, np.ndarray], tuple[str, ...]]:
    """:func:`read_credibility` on an already-read mapping (e.g. a scenario's
    ``analysis.credibility``); ``where`` names it in errors."""
    from strait.scenario.models import ALLIES, RoleLevel

    if not isinstance(doc, dict):
        raise VOIError(f"{where}: expected a mapping with 'answers' and 'rows'")
    base_where = where
    allies = {a.value for a in ALLIES}
    parts = {"*": doc} if "rows" in doc else {str(k).upper(): v for k, v in doc.items()}
    out: dict[str, np.ndarray] = {}
    names: tuple[str, ...] = ()
    for who, spec in parts.items():
        where = base_where + ("" if who == "*" else f" ({who})")
        if who != "*" and who not in allies:
            raise VOIError(f"{where}: expected 'answers' and 'rows', or ally codes "
                           f"({', '.join(sorted(allies))}) at the top level")
        if not isinstance(spec, dict) or not isinstance(spec.get("answers"), list) \
                or not isinstance(spec.get("rows"), dict):
            raise VOIError(f"{where}: expected 'answers: [names]' and 'rows: {{LEVEL: "
                           "[P(answer) ...]}}'")
        # YAML reads a bare no / yes as a boolean
        answers = tuple(("yes" if a else "no") if isinstance(a, bool) else str(a)
                        for a in spec["answers"])
        mat = np.full((7, len(answers)), np.nan)
        for key, row in spec["rows"].items():
            try:
                level = RoleLevel[str(key).strip().upper()] if not isinstance(key, int) \
                    else RoleLevel(key)
            except (KeyError, ValueError):
                raise VOIError(f"{where}: unknown role level {key!r}; use NEUTRAL … "
                               "FULL_COMBAT or 0-6") from None
            if not isinstance(row, list) or len(row) != len(answers):
                raise VOIError(f"{where}: row {level.name} needs {len(answers)} "
                               f"probabilities (one per answer), found {row!r}")
            mat[int(level)] = row
        missing = [RoleLevel(i).name for i in range(7) if np.isnan(mat[i]).any()]
        if missing:
            raise VOIError(f"{where}: no row for {', '.join(missing)}; give all 7 levels")
        out[who] = check_credibility(mat, where)
        names = names or answers
    return out, names


__all__ = [
    "ANSWERS",
    "DEFAULT_BOOTSTRAP",
    "DEFAULT_MIN_LANES",
    "Basis",
    "Estimate",
    "VOIError",
    "VariableVOI",
    "bootstrap",
    "check_credibility",
    "check_utility",
    "default_credibility",
    "evpi",
    "evppi",
    "evppi_regression",
    "evsi",
    "level_basis",
    "parse_credibility",
    "partition_codes",
    "read_credibility",
    "regression_design",
    "voi_table",
]
