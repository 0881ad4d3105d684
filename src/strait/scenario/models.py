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

from strait.scenario._problems import problem
from strait.scenario.enums import (
    ACTOR_NAMES,
    ALLIES,
    Access,
    Actor,
    AircraftClass,
    LiftClass,
    MunitionClass,
    Participation,
    RoleLevel,
    ShipClass,
)
from strait.scenario.params import (
    DistName,
    Param,
    _coerce_param,
    _nonneg,
    _positive,
    _prob,
)

__all__ = [
    "ACTOR_NAMES",
    "ALLIES",
    "Access",
    "Actor",
    "AircraftClass",
    "AllyConfig",
    "BaseGroup",
    "Campaign",
    "DistName",
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


# ---------------------------------------------------------------------- provenance


class SourceEntry(_Frozen):
    """A public source: title and URL (cited by key from any number)."""

    title: str = Field(min_length=1)
    url: str = Field(min_length=1)
    note: str | None = None


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


Support = Literal["intel", "isr", "fuel", "munitions", "repair"]
"""What an ally can provide at a rung without fighting (see :class:`LadderLevel`)."""


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
    provides: tuple[Support, ...] = Field(
        default=(),
        description="Support the ally gives at this rung without fighting: 'intel' "
        "(intelligence sharing), 'isr' (its maritime patrol aircraft fly for the coalition), "
        "'fuel' (its tankers and fuel), 'munitions' (ammunition and reloads for US aircraft "
        "on its bases), 'repair' (runway and aircraft repair on its bases).",
    )
    same_as_below: str | None = Field(
        default=None,
        description="Why this rung deliberately changes nothing in a campaign compared with "
        "the rung below (a sourced note); the role sweep then does not flag the pair.",
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
            found = "neither" if self.level is None else "both"
            raise problem("role_level_or_prior", "exactly one of 'level' (certain) or 'prior' "
                          "(probabilities)", found, "keep one" if found == "both" else "give one")
        if self.prior is not None:
            for k, p in self.prior.items():
                if p.value is None:
                    raise problem("prior_not_fixed", f"a fixed probability for {k.name}",
                                  f"a '{p.dist}' distribution", "give it as a number",
                                  loc=("prior", k.name))
            total = sum(p.mean() for p in self.prior.values())  # each a fixed value
            if abs(total - 1.0) > 1e-6:
                raise problem("prior_sum", "prior probabilities that sum to 1",
                              f"a sum of {total:.6g}", "adjust them so they add up to 1",
                              loc=("prior",))
        return self

    def probabilities(self) -> np.ndarray:
        """Probability of each of the 7 levels (index = ``RoleLevel``)."""
        out = np.zeros(len(RoleLevel))
        if self.level is not None:
            out[int(self.level)] = 1.0
        elif self.prior is not None:
            for k, p in self.prior.items():
                out[int(k)] = p.mean()  # a fixed value (checked on load)
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
            names = ", ".join(missing)
            raise problem("ladder_incomplete", "a ladder entry for each of the 7 role levels",
                          f"none for {names}", f"add {names}", loc=("ladder",))
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
    shore_asm_at: str | None = Field(
        default=None,
        description="Base group the actor's shore anti-ship launchers fight from (None: "
        "Taiwan's own, on Taiwan). A US battery at an ally's base fires when the ally's rung "
        "opens the base for combat; an ally's own when its rung lists 'shore_asm' under "
        "'joins'.",
    )


# ------------------------------------------------------------------------- doctrine


class PrcTargeting(_Frozen):
    """PRC targeting policy: what it strikes, and when it spares an ally.

    ``strike_decision`` says how the PRC decides to strike an ally's territory:

    * ``by_value``: each turn it weighs what the ally's territory contributes to the fight
      against the risk of bringing the ally in. The contribution is the share of the
      coalition's aircraft able to fly combat that do so from the ally's bases (support
      aircraft there count at ``support_value``), plus the ally's own forces once they
      fight; the hazard is ``1 - exp(-strike_value_rate x contribution)``, held back by
      ``entry_restraint[ally]`` while the ally is not yet a combatant (below
      DEFENSIVE_COMBAT).
      An ally that contributes nothing is never struck.
    * ``by_rung``: ``strike_ally_first_turn[level]`` is the probability of a strike on the
      first turn given the ally's level and ``strike_ally_per_turn[level]`` the hazard on
      each later turn; levels not listed are never struck (used to hold the decision equal
      across rungs in a role sweep).

    Once the PRC strikes an ally it keeps striking.
    """

    strike_decision: Literal["by_value", "by_rung"] = "by_rung"
    strike_value_rate: Positive | None = Field(
        default=None, description="Hazard per unit of an ally's contribution (by_value).")
    entry_restraint: dict[Actor, Prob] = Field(
        default_factory=dict, description="Per ally, the share of the hazard the PRC forgoes "
        "while the ally is not yet fighting, to keep it out (by_value; 0 if not listed).")
    support_value: Prob | None = Field(
        default=None, description="Weight of a support aircraft (tanker, patrol) on an ally's "
        "bases relative to a combat aircraft (by_value).")
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
                    raise problem("unknown_parameter", f"a parameter of parameters.{group}",
                                  f"'{name}'{_suggest(name, known)}",
                                  "see the catalog in docs/reference/scenario.md",
                                  loc=(group, name))
                lo, hi, what = BOUNDS[known[name].kind]
                plo, phi = p.support()
                bad = plo < lo or phi > hi or (known[name].kind == "positive" and plo <= 0)
                if bad:
                    found = plo if plo < lo or plo <= 0 else phi
                    raise problem("parameter_bounds", what, f"{found:g}", loc=(group, name))
        return self


# -------------------------------------------------------------------------- scenario


class DecisionOption(_Frozen):
    """A US decision option for ``strait voi``: scenario changes (dotted path -> value, as in
    an overlay) and an optional cost."""

    description: str = ""
    changes: dict[str, Any] = Field(min_length=1, description="Dotted path -> value.")
    cost_usd: float | None = Field(default=None, ge=0, description="Cost in US dollars.")
    source: str | None = None
    note: str = ""


class AnalysisOptions(_Frozen):
    """What the analyses read (``strait voi``), not the engine: the decision options the
    value of information is computed for, and the credibility of each ally's stated answer
    (``answers`` and ``rows``: role level -> P(answer | role), or the same per ally code),
    with the assumption behind it."""

    decisions: dict[str, DecisionOption] = {}
    credibility: dict[str, Any] | None = None
    credibility_note: str = ""


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
    analysis: AnalysisOptions = AnalysisOptions()

    @model_validator(mode="after")
    def _cross_refs(self) -> Scenario:
        for a in self.allies:
            if a not in ALLIES:
                names = ", ".join(x.value for x in ALLIES)
                raise problem("not_an_ally", f"an ally code ({names})", f"'{a.value}'",
                              "put non-allied actors under 'forces'", loc=("allies", a.value))
        for a, ally in self.allies.items():
            for lv, step in ally.ladder.items():
                for kind in ("noncombat", "combat"):
                    for i, b in enumerate(getattr(step.us_bases, kind)):
                        if b not in self.bases:
                            raise _unknown_base(b, self.bases, ("allies", a.value, "ladder",
                                                                lv.name, "us_bases", kind, i))
        for actor, fs in self.forces.items():
            if fs.shore_asm_at is not None and fs.shore_asm_at not in self.bases:
                raise _unknown_base(fs.shore_asm_at, self.bases,
                                    ("forces", actor.value, "shore_asm_at"))
            for cls, where in fs.aircraft.items():
                for b in where:
                    if b not in self.bases:
                        raise _unknown_base(b, self.bases,
                                            ("forces", actor.value, "aircraft", cls.value, b))
        for loc, p in _params_at(self):
            if p.source is not None and p.source not in self.sources:
                raise problem("unknown_source", "a source defined under 'sources'",
                              f"'{p.source}'{_suggest(p.source, self.sources)}",
                              "add it under 'sources'", loc=(*loc, "source"))
        for name, opt in self.analysis.decisions.items():  # an option's cost has a source
            if opt.source is not None and opt.source not in self.sources:
                raise problem("unknown_source", "a source defined under 'sources'",
                              f"'{opt.source}'{_suggest(opt.source, self.sources)}",
                              "add it under 'sources'",
                              loc=("analysis", "decisions", name, "source"))
        return self

    def iter_params(self) -> list[tuple[str, Param]]:
        """Every number in the scenario with its dotted path (for ``scenario sources``)."""
        return [(_dotted(loc), p) for loc, p in _params_at(self)]

    def role_probabilities(self, ally: Actor) -> np.ndarray:
        """The ally's starting role distribution over the 7 levels."""
        return self.allies[ally].role.probabilities()


_Loc = tuple[str | int, ...]


def _params_at(obj: Any) -> list[tuple[_Loc, Param]]:
    """Every :class:`Param` below ``obj`` with its location (keys; list indices as ints)."""
    out: list[tuple[_Loc, Param]] = []
    _walk(obj, (), out)
    return out


def _walk(obj: Any, loc: _Loc, out: list[tuple[_Loc, Param]]) -> None:
    if isinstance(obj, Param):
        out.append((loc, obj))
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            _walk(getattr(obj, name), (*loc, name), out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            key = k.name if isinstance(k, IntEnum) else (k.value if isinstance(k, StrEnum) else k)
            _walk(v, (*loc, key), out)
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            _walk(v, (*loc, i), out)


def _dotted(loc: _Loc) -> str:
    """``("a", "b", 0, "c")`` -> ``'a.b[0].c'``."""
    out = ""
    for el in loc:
        out += f"[{el}]" if isinstance(el, int) else (f".{el}" if out else str(el))
    return out


def _unknown_base(name: str, bases: Any, loc: _Loc) -> Exception:
    return problem("unknown_base_group", "a base group defined under 'bases'",
                   f"'{name}'{_suggest(name, bases)}", "define it under 'bases' or fix the name",
                   loc=loc)


def _suggest(name: str, options: Any) -> str:
    import difflib

    match = difflib.get_close_matches(str(name), [str(o) for o in options], n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""
