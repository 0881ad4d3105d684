"""The scenario schema: frozen pydantic v2 models, unknown keys rejected.

A :class:`Scenario` is what a user believes about the world before the war: who the
actors are, what each ally may do (its *role ladder*) and how sure we are of it (a
certain level or a *prior*), where forces start, which bases exist, what the PRC's
targeting policy is, and every adjudication parameter with its public source.

Every number is a :class:`Param`: a fixed ``value`` or a ``dist`` (uniform,
triangular, PERT, lognormal, beta, normal), with its provenance: a ``source`` key
(resolved in the scenario's ``sources`` table) plus ``at`` (page or table), or an
explicit ``assumption`` with a one-line rationale. A bare number in a user's file is
accepted and reported as *unsourced* by ``strait scenario sources``.

Example:
    >>> from strait.scenario.models import Param
    >>> p = Param.model_validate({"value": 450, "source": "csis2023", "at": "p.78"})
    >>> p.mean()
    450.0
"""

from __future__ import annotations

import math
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

__all__ = [
    "ALLIES",
    "Access",
    "Actor",
    "AircraftClass",
    "AllyConfig",
    "BaseGroup",
    "Campaign",
    "Doctrine",
    "EscalationRule",
    "ForceSet",
    "LadderLevel",
    "LiftClass",
    "MunitionClass",
    "Param",
    "Parameters",
    "Participation",
    "RoleLevel",
    "RoleSpec",
    "Scenario",
    "ShipClass",
    "SourceEntry",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


# --------------------------------------------------------------------------- actors


class Actor(StrEnum):
    """Actors, by ISO-style code."""

    USA = "USA"
    CHN = "CHN"
    TWN = "TWN"
    JPN = "JPN"
    AUS = "AUS"
    PHL = "PHL"
    KOR = "KOR"


ALLIES: tuple[Actor, ...] = (Actor.JPN, Actor.AUS, Actor.PHL, Actor.KOR)
"""The allies whose role is an explicit, uncertain input (in engine order)."""

ACTOR_NAMES: dict[Actor, str] = {
    Actor.USA: "United States",
    Actor.CHN: "People's Republic of China",
    Actor.TWN: "Taiwan",
    Actor.JPN: "Japan",
    Actor.AUS: "Australia",
    Actor.PHL: "Philippines",
    Actor.KOR: "Republic of Korea",
}


class RoleLevel(IntEnum):
    """The ordinal role ladder (domain brief §1.1): higher = more involved."""

    NEUTRAL = 0
    DIPLOMATIC = 1
    ACCESS_NONCOMBAT = 2
    ACCESS_COMBAT = 3
    LOGISTICS_ISR = 4
    DEFENSIVE_COMBAT = 5
    FULL_COMBAT = 6


class Access(StrEnum):
    """What US forces may do from an ally's territory."""

    NONE = "NONE"
    EVACUATION = "EVACUATION"
    NONCOMBAT = "NONCOMBAT"
    COMBAT = "COMBAT"


class Participation(StrEnum):
    """What the ally's own forces do."""

    NONE = "NONE"
    LOGISTICS_ISR = "LOGISTICS_ISR"
    DEFENSIVE = "DEFENSIVE"
    FULL = "FULL"


class AircraftClass(StrEnum):
    """Aggregate aircraft classes (CSIS generations: 4th, 4.5th, 5th)."""

    FIGHTER_5GEN = "fighter_5gen"
    FIGHTER_4GEN = "fighter_4gen"
    BOMBER = "bomber"
    TANKER = "tanker"
    MPA = "mpa"


class ShipClass(StrEnum):
    """Aggregate naval classes."""

    CARRIER = "carrier"
    SURFACE_COMBATANT = "surface_combatant"
    SSN = "ssn"
    SSK = "ssk"


class LiftClass(StrEnum):
    """PLA amphibious lift classes (large hulls only, as CSIS counts them)."""

    LHD_LPD = "lhd_lpd"
    LST = "lst"
    LSM = "lsm"
    RORO = "roro"


class MunitionClass(StrEnum):
    """Tracked munition stocks."""

    LRASM = "lrasm"
    JASSM_MS = "jassm_ms"  # JASSM-ER with limited maritime-strike capability
    HARPOON_SHORE = "harpoon_shore"
    HSIUNG_FENG = "hsiung_feng"
    TYPE12 = "type12"
    TOMAHAWK = "tomahawk"
    SRBM = "srbm"  # PLA short-range ballistic (Taiwan targets)
    MRBM = "mrbm"  # PLA medium-range ballistic (Okinawa, Kyushu, Luzon)
    IRBM = "irbm"  # PLA intermediate-range incl. DF-26 (Guam, Honshu)
    ASBM = "asbm"  # PLA anti-ship ballistic (DF-21D/DF-26B)
    GLCM = "glcm"
    ALCM = "alcm"  # H-6 launched land-attack cruise missiles
    ASCM = "ascm"  # PLA ship/air-launched anti-ship cruise missiles
    INTERCEPTOR = "interceptor"  # SAM/BMD rounds defending a base group


# ---------------------------------------------------------------------- provenance


class SourceEntry(_Frozen):
    """A public source: title and URL (cited by key from any number)."""

    title: str = Field(min_length=1)
    url: str = Field(min_length=1)
    note: str | None = None


DistName = Literal["uniform", "triangular", "pert", "lognormal", "beta", "normal"]


def _coerce_param(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError(f"expected a number or a parameter mapping, found boolean {v}")
    if isinstance(v, int | float):
        return {"value": v}
    return v


class Param(_Frozen):
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

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

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


Number = Annotated[Param, BeforeValidator(_coerce_param)]
"""Any real number with provenance."""
Count = Annotated[Param, BeforeValidator(_coerce_param), AfterValidator(_nonneg)]
"""A non-negative quantity (count, stock, rate, distance)."""
Prob = Annotated[Param, BeforeValidator(_coerce_param), AfterValidator(_prob)]
"""A probability or fraction in [0, 1]."""
Positive = Annotated[Param, BeforeValidator(_coerce_param), AfterValidator(_positive)]
"""A strictly positive quantity (a divisor)."""


# ---------------------------------------------------------------------- role ladders


class BaseAccess(_Frozen):
    """Base groups US forces may use at one ladder level."""

    noncombat: tuple[str, ...] = ()
    combat: tuple[str, ...] = ()


class LadderLevel(_Frozen):
    """What one rung of an ally's ladder opens, and under which law or policy."""

    access: Access
    participation: Participation
    us_bases: BaseAccess = BaseAccess()
    joins: tuple[str, ...] = Field(
        default=(),
        description="The ally's own force classes that fight at this level "
        "(e.g. 'fighter_4gen', 'surface_combatant', 'ssk', 'type12').",
    )
    us_forces_released: Prob | None = Field(
        default=None,
        description="Share of US forces stationed in the ally that may join the Taiwan fight "
        "(Korea's 'strategic flexibility'); None = all of them.",
    )
    summary: str = Field(min_length=1)
    legal_hook: str = Field(min_length=1)
    source: str | None = None
    at: str | None = None
    assumption: str | None = None


class RoleSpec(_Frozen):
    """An ally's wartime role: a certain ``level`` or a ``prior`` over levels."""

    level: RoleLevel | None = None
    prior: dict[RoleLevel, Prob] | None = None

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"level": _level_from_name(data)}
        if isinstance(data, dict):
            data = dict(data)
            if isinstance(data.get("level"), str):
                data["level"] = _level_from_name(data["level"])
            if isinstance(data.get("prior"), dict):
                data["prior"] = {
                    (_level_from_name(k) if isinstance(k, str) else k): v
                    for k, v in data["prior"].items()
                }
        return data

    @model_validator(mode="after")
    def _check(self) -> RoleSpec:
        if (self.level is None) == (self.prior is None):
            raise ValueError("give exactly one of 'level' (certain) or 'prior' (probabilities)")
        if self.prior is not None:
            for k, p in self.prior.items():
                if p.value is None:
                    raise ValueError(f"prior probability of {k.name} must be a fixed 'value'")
            total = sum(p.value for p in self.prior.values())  # type: ignore[misc]
            if abs(total - 1.0) > 1e-6:
                raise ValueError(f"prior probabilities must sum to 1, found {total:.6g}")
        return self

    def probabilities(self) -> np.ndarray:
        """Probability of each of the 7 levels (index = ``RoleLevel``)."""
        out = np.zeros(len(RoleLevel))
        if self.level is not None:
            out[int(self.level)] = 1.0
        else:
            for k, p in self.prior.items():  # type: ignore[union-attr]
                out[int(k)] = p.value  # type: ignore[assignment]
        return out


def _level_from_name(name: str) -> RoleLevel | str:
    try:
        return RoleLevel[name.strip().upper()]
    except KeyError:
        return name  # let pydantic report it with the allowed names


Trigger = Literal["territory_struck", "per_turn", "us_forces_struck"]


class EscalationRule(_Frozen):
    """A role transition inside a run.

    ``territory_struck``: the turn after the PRC strikes the ally's territory (including US
    bases on it), move to at least ``to_at_least`` with ``probability``.
    ``per_turn``: each turn from ``from_turn`` on, with ``probability`` (e.g. Japan's
    survival-threatening determination). ``us_forces_struck``: after US forces are struck
    anywhere (e.g. ANZUS Art. IV consultations).
    """

    trigger: Trigger
    to_at_least: RoleLevel
    probability: Prob
    from_turn: int = Field(default=0, ge=0)
    requires_at_least: RoleLevel = Field(
        default=RoleLevel.NEUTRAL,
        description="Applies only if the ally is already at or above this level.",
    )
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for key in ("to_at_least", "requires_at_least"):
                if isinstance(data.get(key), str):
                    data[key] = _level_from_name(data[key])
        return data


class AllyConfig(_Frozen):
    """An ally: its ladder (one entry per level), its role and its escalation rules."""

    ladder: dict[RoleLevel, LadderLevel]
    role: RoleSpec
    escalation: tuple[EscalationRule, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("ladder"), dict):
            data = dict(data)
            data["ladder"] = {
                (_level_from_name(k) if isinstance(k, str) else k): v
                for k, v in data["ladder"].items()
            }
        return data

    @model_validator(mode="after")
    def _complete(self) -> AllyConfig:
        missing = [lv.name for lv in RoleLevel if lv not in self.ladder]
        if missing:
            raise ValueError(f"ladder is missing level(s) {', '.join(missing)}")
        return self


# ---------------------------------------------------------------------------- bases


class BaseGroup(_Frozen):
    """A group of nearby air bases and ports, adjudicated as one (domain brief §5.3)."""

    name: str = Field(min_length=1)
    owner: Actor
    distance_km: Count = Field(description="Distance to the fight (central Taiwan), km.")
    parking_capacity: Count = Field(description="Aircraft that can park on its tarmac (count).")
    hardened_shelters: Count = Field(description="Hardened aircraft shelters (count).")
    runways: Count = Field(description="Runways usable by fighters (count).")
    interceptors: Count = Field(description="Air and missile defence rounds (count).")
    port: bool = Field(default=False, description="Naval port: submarine and ship reloads.")
    airbase: bool = True
    note: str | None = None


# ---------------------------------------------------------------------------- forces


class ForceSet(_Frozen):
    """One actor's forces at the start (aggregate counts).

    ``aircraft[class][base_group]`` places aircraft at base groups; ``ships[class]`` and
    ``lift[class]`` are fleet totals; ``ground_battalions`` counts battalion-equivalents;
    ``munitions[class]`` stocks.
    """

    aircraft: dict[AircraftClass, dict[str, Count]] = {}
    ships: dict[ShipClass, Count] = {}
    lift: dict[LiftClass, Count] = {}
    ground_battalions: Count | None = None
    reserve_battalions: Count | None = None
    munitions: dict[MunitionClass, Count] = {}
    shore_asm_launchers: Count | None = None


# ------------------------------------------------------------------------- doctrine


class PrcTargeting(_Frozen):
    """PRC targeting policy: what it strikes, and when it spares an ally.

    ``strike_ally_first_turn[level]`` is the probability that the PRC strikes an ally's
    territory on the first turn given the ally's level; ``strike_ally_per_turn[level]``
    the hazard on each later turn. Levels not listed are never struck.
    """

    strike_ally_first_turn: dict[RoleLevel, Prob] = {}
    strike_ally_per_turn: dict[RoleLevel, Prob] = {}
    strike_guam: bool = True
    strike_taiwan_airbases: bool = True
    weights: dict[str, Count] = Field(
        default_factory=dict,
        description="Relative share of each turn's theatre missiles per target set: "
        "'airbases', 'naval', 'taiwan'.",
    )

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for key in ("strike_ally_first_turn", "strike_ally_per_turn"):
                if isinstance(data.get(key), dict):
                    data[key] = {
                        (_level_from_name(k) if isinstance(k, str) else k): v
                        for k, v in data[key].items()
                    }
        return data


class UsPosture(_Frozen):
    """US plans and posture options."""

    intervenes: bool = True
    entry_turn: int = Field(default=0, ge=0, description="Turn US combat begins (0 = D-Day).")
    bomber_delay_turns: int = Field(default=0, ge=0)
    basing: Literal["forward", "dispersed"] = "forward"
    amphibious_priority: Prob = Field(
        default_factory=lambda: Param(value=0.8, assumption="US plan gives amphibs priority"),
        description="Share of anti-ship fires aimed at amphibious ships rather than escorts.",
    )
    maritime_strike_jassm: bool = True
    strike_mainland: bool = False


class TaiwanPosture(_Frozen):
    """Taiwan's resistance settings."""

    resists: bool = True
    paralysed_turns: int = Field(default=0, ge=0)
    ground_harpoons: bool = True


class Doctrine(_Frozen):
    """Doctrine and plans: PRC targeting, US and Taiwan posture."""

    prc: PrcTargeting = PrcTargeting()
    usa: UsPosture = UsPosture()
    twn: TaiwanPosture = TaiwanPosture()


class Campaign(_Frozen):
    """Campaign clock."""

    turn_days: float = Field(default=3.5, gt=0)
    horizon_turns: int = Field(default=12, ge=1, le=60)


# ------------------------------------------------------------------------ parameters


class Parameters(_Frozen):
    """Adjudication parameters, grouped by engine phase.

    Each group maps a parameter name to a :class:`Param`. The names, units and bounds
    are fixed by :data:`strait.scenario.catalog.CATALOG`; an unknown name is rejected
    (with a did-you-mean), and a value outside its kind's bounds too.
    """

    strikes: dict[str, Number] = {}
    sorties: dict[str, Number] = {}
    air: dict[str, Number] = {}
    antiship: dict[str, Number] = {}
    subs: dict[str, Number] = {}
    lift: dict[str, Number] = {}
    ground: dict[str, Number] = {}
    termination: dict[str, Number] = {}
    casualties: dict[str, Number] = {}

    @model_validator(mode="after")
    def _known(self) -> Parameters:
        from strait.scenario.catalog import BOUNDS, CATALOG

        for group in type(self).model_fields:
            known = CATALOG[group]
            for name, p in getattr(self, group).items():
                if name not in known:
                    raise ValueError(
                        f"parameters.{group}.{name}: unknown parameter{_suggest(name, known)}; "
                        f"see docs/reference/scenario.md"
                    )
                lo, hi, what = BOUNDS[known[name].kind]
                plo, phi = p.support()
                bad = plo < lo or phi > hi or (known[name].kind == "positive" and plo <= 0)
                if bad:
                    found = plo if plo < lo or plo <= 0 else phi
                    raise ValueError(
                        f"parameters.{group}.{name}: expected {what}, found {found:g}"
                    )
        return self


# -------------------------------------------------------------------------- scenario


class Scenario(_Frozen):
    """A complete, resolved scenario (after ``extends``, ``include`` and overlays)."""

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9\-_.]*$")
    title: str = Field(min_length=1)
    description: str = ""
    family: str | None = Field(default=None, description="CSIS family or excursion it reproduces.")
    sources: dict[str, SourceEntry] = {}
    campaign: Campaign = Campaign()
    allies: dict[Actor, AllyConfig] = {}
    bases: dict[str, BaseGroup] = {}
    forces: dict[Actor, ForceSet] = {}
    doctrine: Doctrine = Doctrine()
    parameters: Parameters = Parameters()

    @model_validator(mode="after")
    def _cross_refs(self) -> Scenario:
        for a in self.allies:
            if a not in ALLIES:
                names = ", ".join(x.value for x in ALLIES)
                raise ValueError(f"allies.{a.value}: not an ally; allies are {names}")
        for a, ally in self.allies.items():
            for lv, step in ally.ladder.items():
                for kind in ("noncombat", "combat"):
                    for b in getattr(step.us_bases, kind):
                        if b not in self.bases:
                            raise ValueError(
                                f"allies.{a.value}.ladder.{lv.name}.us_bases.{kind}: unknown base "
                                f"group '{b}'{_suggest(b, self.bases)}"
                            )
        for actor, fs in self.forces.items():
            for cls, where in fs.aircraft.items():
                for b in where:
                    if b not in self.bases:
                        raise ValueError(
                            f"forces.{actor.value}.aircraft.{cls.value}.{b}: unknown base group "
                            f"'{b}'{_suggest(b, self.bases)}"
                        )
        for path, p in self.iter_params():
            if p.source is not None and p.source not in self.sources:
                raise ValueError(f"{path}.source: unknown source '{p.source}'"
                                 f"{_suggest(p.source, self.sources)}; add it under 'sources'")
        return self

    def iter_params(self) -> list[tuple[str, Param]]:
        """Every number in the scenario with its dotted path (for ``scenario sources``)."""
        out: list[tuple[str, Param]] = []
        _walk(self, "", out)
        return out

    def role_probabilities(self, ally: Actor) -> np.ndarray:
        """The ally's starting role distribution over the 7 levels."""
        return self.allies[ally].role.probabilities()


def _walk(obj: Any, path: str, out: list[tuple[str, Param]]) -> None:
    if isinstance(obj, Param):
        out.append((path, obj))
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            _walk(getattr(obj, name), f"{path}.{name}" if path else name, out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            key = k.name if isinstance(k, IntEnum) else (k.value if isinstance(k, StrEnum) else k)
            _walk(v, f"{path}.{key}", out)
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            _walk(v, f"{path}[{i}]", out)


def _suggest(name: str, options: Any) -> str:
    import difflib

    match = difflib.get_close_matches(str(name), [str(o) for o in options], n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""
