"""Numbers with uncertainty and provenance: :class:`Param` and its checks.

Every number in a scenario is a :class:`Param`: a fixed ``value`` or a ``dist``
(uniform, triangular, PERT, lognormal, beta, normal) with its shape parameters, plus
where it comes from (a ``source`` key with ``at``, or an ``assumption``). The number
kinds built on it (``Number``, ``Count``, ``Prob``, ``Positive``) are declared in
:mod:`strait.scenario.models`, with the validators defined here.

Example:
    >>> from strait.scenario.params import Param
    >>> Param.model_validate({"dist": "pert", "low": 1, "mode": 2, "high": 6}).mean()
    2.5
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["DistName", "Param"]


DistName = Literal["uniform", "triangular", "pert", "lognormal", "beta", "normal"]


def _coerce_param(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError(f"expected a number or a parameter mapping, found boolean {v}")
    if isinstance(v, int | float):
        return {"value": v}
    return v


class Param(BaseModel):
    """One number with its uncertainty and provenance.

    Either ``value`` (fixed) or ``dist`` with its shape parameters:

    * ``uniform``: ``low``, ``high``
    * ``triangular`` / ``pert``: ``low``, ``mode``, ``high``
    * ``lognormal``: ``median``, ``sigma`` (of the log), optional ``low``/``high`` clip
    * ``beta``: ``alpha``, ``beta``, optional ``low``/``high`` scale (default 0–1)
    * ``normal``: ``mean``, ``sd``, optional ``low``/``high`` clip

    Provenance: ``source`` (a key of the scenario's ``sources``) with ``at`` (page,
    table), or ``assumption`` (one-line rationale). ``unit`` is free text (km, days, count).
    """

    value: float | None = None
    dist: DistName | None = None
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    median: float | None = None
    sigma: float | None = None
    alpha: float | None = None
    beta: float | None = None
    mean_: float | None = Field(default=None, alias="mean")
    sd: float | None = None
    unit: str | None = None
    source: str | None = None
    at: str | None = None
    assumption: str | None = None
    note: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False,
                              populate_by_name=True)

    @model_validator(mode="after")
    def _check_shape(self) -> Param:
        for name in ("value", "low", "mode", "high", "median", "sigma", "alpha", "beta", "sd"):
            x = getattr(self, name)
            if x is not None and not math.isfinite(x):
                raise ValueError(f"'{name}' must be a finite number, found {x}")
        if self.value is not None and self.dist is not None:
            raise ValueError("give either 'value' or 'dist', not both")
        if self.value is None and self.dist is None:
            raise ValueError("give 'value' (a fixed number) or 'dist' (a distribution)")
        need: dict[str, tuple[str, ...]] = {
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "pert": ("low", "mode", "high"),
            "lognormal": ("median", "sigma"),
            "beta": ("alpha", "beta"),
            "normal": ("mean_", "sd"),
        }
        if self.dist is not None:
            missing = [n.rstrip("_") for n in need[self.dist] if getattr(self, n) is None]
            if missing:
                raise ValueError(f"dist '{self.dist}' needs {', '.join(missing)}")
            lo, hi = self.low, self.high
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"'low' ({lo}) must not exceed 'high' ({hi})")
            if self.dist in ("triangular", "pert") and not (lo <= self.mode <= hi):  # type: ignore[operator]
                raise ValueError(f"'mode' ({self.mode}) must lie between low ({lo}) and high ({hi})"
                                 )
            if self.dist == "lognormal" and (self.median <= 0 or self.sigma <= 0):  # type: ignore[operator]
                raise ValueError("lognormal needs median > 0 and sigma > 0")
            if self.dist == "beta" and (self.alpha <= 0 or self.beta <= 0):  # type: ignore[operator]
                raise ValueError("beta needs alpha > 0 and beta > 0")
            if self.dist == "normal" and self.sd <= 0:  # type: ignore[operator]
                raise ValueError("normal needs sd > 0")
        if self.source is not None and self.assumption is not None:
            raise ValueError("give 'source' or 'assumption', not both")
        if self.at is not None and self.source is None:
            raise ValueError("'at' (page/table) needs a 'source'")
        return self

    # -- provenance -------------------------------------------------------------
    @property
    def provenance(self) -> Literal["source", "assumption", "unsourced"]:
        """``source``, ``assumption`` or ``unsourced``."""
        if self.source:
            return "source"
        if self.assumption:
            return "assumption"
        return "unsourced"

    # -- bounds (for validation of counts/probabilities) --------------------------
    def support(self) -> tuple[float, float]:
        """Smallest and largest value the parameter can take."""
        if self.value is not None:
            return (self.value, self.value)
        d = self.dist
        if d in ("uniform", "triangular", "pert"):
            return (self.low, self.high)  # type: ignore[return-value]
        if d == "beta":
            return (self.low if self.low is not None else 0.0,
                    self.high if self.high is not None else 1.0)
        lo = self.low if self.low is not None else (0.0 if d == "lognormal" else -math.inf)
        hi = self.high if self.high is not None else math.inf
        return (lo, hi)

    def mean(self) -> float:
        """Expected value (closed form; clipped tails ignored)."""
        if self.value is not None:
            return float(self.value)
        d = self.dist
        if d == "uniform":
            return (self.low + self.high) / 2  # type: ignore[operator]
        if d == "triangular":
            return (self.low + self.mode + self.high) / 3  # type: ignore[operator]
        if d == "pert":
            return (self.low + 4 * self.mode + self.high) / 6  # type: ignore[operator]
        if d == "lognormal":
            m = self.median * math.exp(self.sigma**2 / 2)  # type: ignore[operator]
            lo, hi = self.support()
            return float(min(max(m, lo), hi))
        if d == "beta":
            lo, hi = self.support()
            return lo + (hi - lo) * self.alpha / (self.alpha + self.beta)  # type: ignore[operator]
        return float(self.mean_)  # type: ignore[arg-type]

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values (float64). A fixed value returns a constant array.

        >>> import numpy as np
        >>> Param(dist="uniform", low=1, high=2).sample(np.random.default_rng(0), 3).round(3)
        array([1.637, 1.27 , 1.041])
        """
        if self.value is not None:
            return np.full(n, float(self.value))
        d = self.dist
        lo, hi = self.support()
        if d == "uniform":
            return rng.uniform(lo, hi, n)
        if d == "triangular":
            if lo == hi:
                return np.full(n, float(lo))
            return rng.triangular(lo, self.mode, hi, n)
        if d == "pert":
            if lo == hi:
                return np.full(n, float(lo))
            a = 1 + 4 * (self.mode - lo) / (hi - lo)  # type: ignore[operator]
            b = 1 + 4 * (hi - self.mode) / (hi - lo)  # type: ignore[operator]
            return lo + (hi - lo) * rng.beta(a, b, n)
        if d == "beta":
            return lo + (hi - lo) * rng.beta(self.alpha, self.beta, n)
        if d == "lognormal":
            x = self.median * np.exp(self.sigma * rng.standard_normal(n))  # type: ignore[operator]
        else:
            x = self.mean_ + self.sd * rng.standard_normal(n)  # type: ignore[operator]
        return np.clip(x, lo, hi)


def _nonneg(p: Param) -> Param:
    lo, _ = p.support()
    if lo < 0:
        raise ValueError(f"expected a count >= 0, found {lo:g}; use a non-negative number")
    return p


def _prob(p: Param) -> Param:
    lo, hi = p.support()
    if lo < 0 or hi > 1:
        found = lo if lo < 0 else hi
        raise ValueError(f"expected a probability in [0, 1], found {found:g}")
    return p


def _positive(p: Param) -> Param:
    lo, _ = p.support()
    if lo <= 0:
        raise ValueError(f"expected a number > 0, found {lo:g}")
    return p
