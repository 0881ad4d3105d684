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

from strait.scenario._problems import problem

__all__ = ["DistName", "Param"]


DistName = Literal["uniform", "triangular", "pert", "lognormal", "beta", "normal"]

_DIST_FIELDS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "lognormal": ("median", "sigma"),
    "beta": ("alpha", "beta"),
    "normal": ("mean_", "sd"),
}


def _coerce_param(v: Any) -> Any:
    """A bare number stands for ``{value: n}``; a boolean is never a number."""
    if isinstance(v, bool):
        raise problem("param_type", "a number or a parameter mapping (value or dist, with "
                      "source or assumption)", "true" if v else "false",
                      "write a number, or quote it if it is text")
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
                raise problem("param_not_finite", f"'{name}' to be a finite number", f"{x}")
        if self.value is not None and self.dist is not None:
            raise problem("param_value_or_dist", "either 'value' or 'dist'", "both", "keep one")
        if self.value is None and self.dist is None:
            raise problem("param_value_or_dist", "'value' (a fixed number) or 'dist' "
                          "(a distribution)", "neither", "add one")
        if self.dist is not None:
            self._check_dist(self.dist)
        if self.source is not None and self.assumption is not None:
            raise problem("param_provenance", "either 'source' or 'assumption'", "both",
                          "keep one")
        if self.at is not None and self.source is None:
            raise problem("param_provenance", "a 'source' for 'at' (page/table)",
                          f"'at' ({self.at}) without one", "add the source key or drop 'at'")
        return self

    def _need(self, name: str) -> float:
        """A shape field the distribution requires (always set once validated)."""
        x: float | None = getattr(self, name)
        if x is None:
            raise ValueError(f"Param: dist {self.dist!r} needs '{name.rstrip('_')}'")
        return x

    def _check_dist(self, dist: str) -> None:
        need = _DIST_FIELDS[dist]
        missing = [n.rstrip("_") for n in need if getattr(self, n) is None]
        if missing:
            names = [n.rstrip("_") for n in need]
            raise problem("param_dist_fields", f"{', '.join(names)} for dist '{dist}'",
                          f"no {', '.join(missing)}", f"add {', '.join(missing)}")
        lo, hi = self.low, self.high
        if lo is not None and hi is not None and lo > hi:
            raise problem("param_dist_shape", "'low' at most 'high'",
                          f"low {lo:g} above high {hi:g}", "swap or fix them")
        if dist in ("triangular", "pert"):
            lo, mode, hi = self._need("low"), self._need("mode"), self._need("high")
            if not lo <= mode <= hi:
                raise problem("param_dist_shape",
                              f"'mode' between low ({lo:g}) and high ({hi:g})",
                              f"{mode:g}", "move 'mode' into the range")
        if dist == "lognormal" and (self._need("median") <= 0 or self._need("sigma") <= 0):
            raise problem("param_dist_shape", "lognormal 'median' > 0 and 'sigma' > 0",
                          f"median {self.median:g}, sigma {self.sigma:g}")
        if dist == "beta" and (self._need("alpha") <= 0 or self._need("beta") <= 0):
            raise problem("param_dist_shape", "beta 'alpha' > 0 and 'beta' > 0",
                          f"alpha {self.alpha:g}, beta {self.beta:g}")
        if dist == "normal" and self._need("sd") <= 0:
            raise problem("param_dist_shape", "normal 'sd' > 0", f"sd {self.sd:g}")

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
            return (self._need("low"), self._need("high"))
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
            return (self._need("low") + self._need("high")) / 2
        if d == "triangular":
            return (self._need("low") + self._need("mode") + self._need("high")) / 3
        if d == "pert":
            return (self._need("low") + 4 * self._need("mode") + self._need("high")) / 6
        if d == "lognormal":
            m = self._need("median") * math.exp(self._need("sigma") ** 2 / 2)
            lo, hi = self.support()
            return float(min(max(m, lo), hi))
        if d == "beta":
            lo, hi = self.support()
            a, b = self._need("alpha"), self._need("beta")
            return lo + (hi - lo) * a / (a + b)
        return float(self._need("mean_"))

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
            return rng.triangular(lo, self._need("mode"), hi, n)
        if d == "pert":
            if lo == hi:
                return np.full(n, float(lo))
            mode = self._need("mode")
            a = 1 + 4 * (mode - lo) / (hi - lo)
            b = 1 + 4 * (hi - mode) / (hi - lo)
            return lo + (hi - lo) * rng.beta(a, b, n)
        if d == "beta":
            return lo + (hi - lo) * rng.beta(self._need("alpha"), self._need("beta"), n)
        if d == "lognormal":
            x = self._need("median") * np.exp(self._need("sigma") * rng.standard_normal(n))
        else:
            x = self._need("mean_") + self._need("sd") * rng.standard_normal(n)
        out: np.ndarray = np.clip(x, lo, hi)
        return out


def _nonneg(p: Param) -> Param:
    lo, _ = p.support()
    if lo < 0:
        raise problem("count_negative", "a count >= 0", f"{lo:g}", "use a non-negative number")
    return p


def _prob(p: Param) -> Param:
    lo, hi = p.support()
    if lo < 0 or hi > 1:
        found = lo if lo < 0 else hi
        raise problem("probability_range", "a probability in [0, 1]", f"{found:g}")
    return p


def _positive(p: Param) -> Param:
    lo, _ = p.support()
    if lo <= 0:
        raise problem("not_positive", "a number > 0", f"{lo:g}")
    return p
