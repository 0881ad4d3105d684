"""Value of information: what knowing (or being told) an ally's role is worth to a US decision.

A *decision* is a US choice made before the war (a posture, an investment), given as a
scenario overlay. Each option is played on the same campaigns (same seed: common random
numbers), so lane ``i`` of every option shares its dice and its allies' drawn roles. That
gives a utility matrix ``U`` of shape ``(n_lanes, n_decisions)`` and, per lane, the values
of the uncertain variables (each ally's drawn starting role level).

The estimators (EVPI, exact and regression EVPPI, EVSI with a credibility matrix, all with
bootstrap errors) live in :mod:`strait.analysis.evpi` and are re-exported here; this module
plays the decisions and turns runs into their inputs. It adds:

* **Deterrence value of a public commitment**: the paired change in P(PRC victory) when an
  ally's role moves from its prior (the scenario's mixture) to a committed level, both on
  the same campaigns (the committed run forces the ally's level lane by lane and keeps every
  other random number). It is the commitment's effect on the fight as modelled; the engine
  does not model a PRC decision not to invade.
* **Each option's effect** against the status quo in outcome units, and per $1 bn where the
  option has a cost.

Utility (:func:`utility_matrix`): ``"prc_victory"`` is ``-1{PRC victory}``, so
maximising it minimises P(PRC victory) and every value is a drop in P(PRC victory);
``"usa_aircraft_lost"`` (any loss column, or any outcome class) is minus that column, so
values are in aircraft; a mapping ``{column: weight}`` is ``-Σ weight·column`` (outcome
classes count as their 0/1 indicator), e.g. ``{"prc_victory": 1000, "usa_ships_lost": 1}``
values one PRC victory like 1,000 US ships.

The default of :func:`voi` is lexicographic, ``"prc_victory>usa_killed"``: P(PRC victory)
first, then (among options within 1 pp of the best) US personnel killed. The values above
are then those of the first utility, and :mod:`strait.analysis.lexicographic` adds each
value as a pair (Δ P(PRC victory), Δ US killed) under the rule.

Decision options (with costs) and the credibility matrix are scenario data under
``analysis:`` (``strait voi`` reads them), or arguments here, or ``--decision`` and
``--credibility FILE.yaml`` (:func:`read_credibility`) on the command line.

Example:
    >>> from strait.analysis.voi import evpi
    >>> evpi([[0.0, -1.0], [0.0, 1.0]])
    0.5
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from strait.analysis.evpi import (
    ANSWERS,
    DEFAULT_BOOTSTRAP,
    DEFAULT_MIN_LANES,
    Z95,
    Basis,
    Estimate,
    VariableVOI,
    VOIError,
    bootstrap,
    check_credibility,
    check_utility,
    default_credibility,
    evpi,
    evppi,
    evppi_regression,
    evsi,
    level_basis,
    parse_credibility,
    partition_codes,
    read_credibility,
    regression_design,
    voi_table,
)
from strait.outcomes import column_words

DEFAULT_COMMIT_LEVELS: tuple[int, ...] = (3, 5, 6)
"""Committed levels whose deterrence value is reported by default (ACCESS_COMBAT,
DEFENSIVE_COMBAT, FULL_COMBAT)."""
STATUS_QUO = "status quo"
DEFAULT_UTILITY = "prc_victory>usa_killed"
"""Minimise P(PRC victory); among options within the tie (1 pp) of the best, minimise
expected US personnel killed (CSIS's estimate from equipment losses): see
:mod:`strait.analysis.lexicographic`."""


# ------------------------------------------------------------------ utilities & inputs


def utility_matrix(tables: Sequence[pd.DataFrame],
                   utility: str | Mapping[str, float] = "prc_victory") -> np.ndarray:
    """``U`` (lanes × decisions) from one results table per decision: minus the named
    column or outcome class (``"prc_victory"``: ``-1{PRC victory}``), or minus a weighted
    sum ``{column: weight}``."""
    from strait.engine import OUTCOMES

    weights = {utility: 1.0} if isinstance(utility, str) else dict(utility)
    if not weights:
        raise VOIError("utility: expected a column name or {column: weight}, found nothing")
    cols = []
    for t in tables:
        total = np.zeros(len(t))
        for name, w in weights.items():
            if name in OUTCOMES:
                total += w * (t["outcome"].to_numpy() == OUTCOMES.index(name))
            elif name in t.columns:
                total += w * t[name].to_numpy(dtype=float)
            else:
                raise VOIError(f"utility: '{name}' is not a result column or an outcome "
                               f"class; use prc_victory, usa_aircraft_lost, usa_ships_lost, "
                               "or another column of RunResults.table")
        cols.append(-total)
    return np.asarray(np.column_stack(cols))


def utility_label(utility: str | Mapping[str, float]) -> str:
    if isinstance(utility, str):
        return f"-{utility}"
    return "-(" + " + ".join(f"{w:g}·{k}" for k, w in utility.items()) + ")"


# ------------------------------------------------------------------ strait wrapper


@dataclass(frozen=True)
class PairedChange:
    """Mean of per-lane differences (committed minus prior) with a 95 % interval."""

    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, diff: np.ndarray) -> PairedChange:
        m = float(diff.mean())
        se = float(diff.std(ddof=1) / math.sqrt(len(diff))) if len(diff) > 1 else math.nan
        return cls(m, m - Z95 * se, m + Z95 * se)


@dataclass
class AllyVOI:
    """One ally's values: exact and regression EVPPI, EVSI of its answer, deterrence."""

    ally: str
    prior: list[float]
    evppi: Estimate
    evppi_regression: Estimate
    evsi: Estimate
    deterrence: dict[int, PairedChange] = field(default_factory=dict)
    #: the same commitments in losses: level -> {result column: paired change}
    deterrence_losses: dict[int, dict[str, PairedChange]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"ally": self.ally, "prior": self.prior, "evppi": self.evppi.to_dict(),
                "evppi_regression": self.evppi_regression.to_dict(),
                "evsi": self.evsi.to_dict(),
                "deterrence_d_prc_victory": {str(k): asdict(v)
                                             for k, v in self.deterrence.items()},
                "deterrence_d_losses": {str(k): {c: asdict(v) for c, v in d.items()}
                                        for k, d in self.deterrence_losses.items()}}


@dataclass
class VOIResult:
    """What :func:`voi` returns; values are in utility units (with the default utility, a
    drop in P(PRC victory))."""

    scenario: str
    n: int
    seed: int
    utility: str
    decisions: list[str]
    expected_utility: list[Estimate]
    best: str
    evpi: Estimate
    allies: dict[str, AllyVOI]
    joint: VariableVOI | None
    answers: tuple[str, ...]
    credibility_note: str
    costs: dict[str, float] = field(default_factory=dict)
    runs_s: float = 0.0
    voi_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: the rule's second utility (``"-usa_killed"``) when the utility is lexicographic
    then: str | None = None
    expected_then: list[Estimate] = field(default_factory=list)
    lexicographic: Any = None  # strait.analysis.lexicographic.LexicographicTable
    #: each option against the status quo on the same campaigns, in outcome units:
    #: option -> {"prc_victory" (a probability) or a loss column: paired change}
    effects: dict[str, dict[str, PairedChange]] = field(default_factory=dict)

    def effects_per_dollar(self, per: float = 1e9) -> dict[str, dict[str, float]]:
        """Each costed option's paired effects (:attr:`effects`) per ``per`` dollars."""
        return {d: {c: ch.mean / self.costs[d] * per for c, ch in eff.items()}
                for d, eff in self.effects.items() if self.costs.get(d)}

    def per_dollar(self, then: bool = False) -> dict[str, float]:
        """Each costed decision's gain in expected utility (``then=True``: in the rule's
        second utility) over the status quo per dollar."""
        eu = self.expected_then if then else self.expected_utility
        if not eu:
            return {}
        base = eu[0].value
        return {d: (e.value - base) / self.costs[d]
                for d, e in zip(self.decisions, eu, strict=True) if self.costs.get(d)}

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "n": self.n, "seed": self.seed,
                "utility": self.utility, "decisions": self.decisions,
                "expected_utility": [e.to_dict() for e in self.expected_utility],
                "best": self.best, "evpi": self.evpi.to_dict(),
                "allies": {k: v.to_dict() for k, v in self.allies.items()},
                "joint": None if self.joint is None else self.joint.to_dict(),
                "answers": list(self.answers), "credibility_note": self.credibility_note,
                "costs": self.costs, "gain_per_dollar": self.per_dollar(),
                "runs_s": self.runs_s, "voi_s": self.voi_s, "notes": self.notes,
                "then": self.then,
                "expected_then": [e.to_dict() for e in self.expected_then],
                "gain_per_dollar_then": self.per_dollar(then=True),
                "lexicographic": None if self.lexicographic is None
                else self.lexicographic.to_dict(),
                "effects": {d: {c: asdict(v) for c, v in e.items()}
                            for d, e in self.effects.items()},
                "effects_per_billion_usd": self.effects_per_dollar()}


def split_utility(utility: str | Mapping[str, float]
                  ) -> tuple[str | Mapping[str, float], str | None]:
    """``"prc_victory>usa_killed"`` -> ``("prc_victory", "usa_killed")`` (a lexicographic
    rule: the first, then the second); any other utility -> ``(utility, None)``.

    >>> split_utility("prc_victory>usa_killed"), split_utility("usa_ships_lost")
    (('prc_victory', 'usa_killed'), ('usa_ships_lost', None))
    """
    if not isinstance(utility, str) or ">" not in utility:
        return utility, None
    parts = [p.strip() for p in utility.split(">")]
    if len(parts) != 2 or not all(parts):
        raise VOIError(f"utility: {utility!r} is not FIRST>THEN; use e.g. "
                       "prc_victory>usa_killed (P(PRC victory), then US killed)")
    return parts[0], parts[1]


def uncertain_allies(scenario: Any) -> list[Any]:
    """The allies whose role is a prior over two or more levels."""
    from strait.scenario.models import ALLIES

    return [a for a in ALLIES if (scenario.role_probabilities(a) > 0).sum() > 1]


def voi(scenario: Any, decisions: Mapping[str, Mapping[str, Any]], n: int = 20_000,
        seed: int = 0, utility: str | Mapping[str, float] = DEFAULT_UTILITY,
        credibility: Any = None, commit_levels: Sequence[int] | None = None,
        workers: int | None = None, *, costs: Mapping[str, float] | None = None,
        B: int = DEFAULT_BOOTSTRAP, min_lanes: int = DEFAULT_MIN_LANES,
        basis: Basis = "smooth", tie: float | None = None,
        progress: Callable[[str], None] | None = None) -> VOIResult:
    """Value of information about each uncertain ally's role for a US decision.

    Args:
        scenario: bundled name, YAML path (a Scenario object is not accepted: the
            decisions are overlays on a name or file).
        decisions: name -> ``changes`` overlay (dotted path -> value); the status quo
            (``{}``) is added first if no decision has empty changes.
        n, seed: campaigns per option and the shared seed (common random numbers).
        utility: ``"prc_victory>usa_killed"`` (default: minimise P(PRC victory), then,
            among options within ``tie`` of the best, US killed; the scalar values are
            then those of the first utility and ``VOIResult.lexicographic`` holds the
            rule's pairs), ``"prc_victory"`` alone, a loss column such as
            ``"usa_aircraft_lost"`` (minimise it), or ``{column: weight}``.
        tie: for a lexicographic utility, first-utility differences below this are ties
            (default :data:`strait.analysis.lexicographic.DEFAULT_TIE`, 1 pp).
        credibility: P(answer | role) matrix (7 × answers) for every ally, or a mapping
            ally code -> matrix (``"*"`` for the rest); default :func:`default_credibility`.
        commit_levels: levels whose deterrence value is reported per ally (default
            :data:`DEFAULT_COMMIT_LEVELS`); each costs one more run of the status quo.
        costs: optional cost in dollars per decision; the result then also gives each
            decision's gain per dollar (:meth:`VOIResult.per_dollar`).

    Example:
        >>> from strait.analysis.voi import voi
        >>> r = voi("ft-2025-ambiguity", {"dispersed": {"doctrine.usa.basing": "dispersed"}},
        ...         n=2000, workers=1)  # doctest: +SKIP
    """
    import strait
    from strait.scenario.models import Actor

    say = progress or (lambda _msg: None)
    utility, then = split_utility(utility)
    if then is None and tie is not None:
        raise VOIError("tie: only a lexicographic utility (FIRST>THEN) has ties to break; "
                       "drop tie or use e.g. prc_victory>usa_killed")
    if tie is not None and not (isinstance(tie, int | float) and math.isfinite(tie)
                                and tie >= 0):
        raise VOIError(f"tie: expected a difference >= 0 in the first utility, found {tie!r}; "
                       "e.g. 0.01 (1 pp of P(PRC victory))")
    s = strait.load_scenario(scenario) if isinstance(scenario, str | Path) else scenario
    # the status quo (no changes) comes first: deterrence and per-dollar gains use it
    quo = [name for name, ch in decisions.items() if not ch]
    ds: dict[str, dict[str, Any]] = {quo[0] if quo else STATUS_QUO: {}}
    for name, ch in decisions.items():
        ds.setdefault(name, dict(ch))
    if len(ds) < 2:
        raise VOIError("decisions: expected at least one option besides the status quo; "
                       "pass e.g. {'dispersed': {'doctrine.usa.basing': 'dispersed'}}")
    costs = dict(costs or {})
    bad = set(costs) - set(ds)
    if bad:
        raise VOIError(f"costs: no decision named {sorted(bad)[0]!r}; decisions are "
                       f"{', '.join(ds)}")
    allies = uncertain_allies(s)
    if not allies:
        raise VOIError(f"scenario {s.name}: no ally's role is a prior, so there is nothing to "
                       "learn; use a scenario with uncertain roles, e.g. ft-2025-ambiguity")
    levels = list(DEFAULT_COMMIT_LEVELS if commit_levels is None else commit_levels)
    if any(not 0 <= int(v) <= 6 for v in levels):
        raise VOIError(f"commit_levels: expected levels 0-6, found {levels}")
    if isinstance(credibility, Mapping):
        cred_map = {str(k).upper() if k != "*" else "*": v for k, v in credibility.items()}
    else:
        cred_map = {"*": default_credibility() if credibility is None else credibility}
    note = ("default: 'case by case' 80 % whatever the role, else a yes/no (ACCESS_COMBAT "
            "or more?) true 75 %" if credibility is None else "given")
    cred = {}
    for a in allies:
        m = cred_map.get(a.value, cred_map.get("*"))
        if m is None:
            raise VOIError(f"credibility: no matrix for {a.value}; give one for it or '*'")
        cred[a.value] = check_credibility(m, f"credibility for {a.value}")
    answers = tuple(ANSWERS) if credibility is None else tuple(
        f"a{i}" for i in range(next(iter(cred.values())).shape[1]))

    t0 = time.perf_counter()
    tables = []
    for name, ch in ds.items():
        say(f"playing {name}")
        tables.append(strait.run(scenario, n, seed, workers=workers, changes=ch or None).table)
        utility_matrix(tables[:1], utility)  # an unknown column fails before the other runs
        if then is not None:
            utility_matrix(tables[:1], then)
    role_cols = [f"{a.value.lower()}_role_start" for a in (Actor.JPN, Actor.AUS, Actor.PHL,
                                                            Actor.KOR)]
    roles = tables[0][role_cols].to_numpy()
    for name, t in zip(ds, tables, strict=True):
        if not np.array_equal(t[role_cols].to_numpy(), roles):
            raise VOIError(f"decision {name!r}: changes the allies' drawn roles, so the lanes "
                           "are no longer paired; decisions must not change allies.*.role")
    U = utility_matrix(tables, utility)
    won0 = tables[0]["outcome"].to_numpy() == 0
    loss_cols = [c for c in DETERRENCE_LOSSES if c in tables[0].columns]
    loss0 = {c: tables[0][c].to_numpy(dtype=float) for c in loss_cols}
    effects = {
        name: {"prc_victory": PairedChange.of((t["outcome"].to_numpy() == 0) - won0.astype(float)),
               **{c: PairedChange.of(t[c].to_numpy(dtype=float) - loss0[c]) for c in loss_cols}}
        for name, t in zip(list(ds)[1:], tables[1:], strict=True)}
    deterrence: dict[str, dict[int, PairedChange]] = {a.value: {} for a in allies}
    det_losses: dict[str, dict[int, dict[str, PairedChange]]] = {a.value: {} for a in allies}
    for a in allies:
        col = role_cols.index(f"{a.value.lower()}_role_start")
        for lv in levels:
            say(f"playing {a.value} committed to level {lv}")
            forced = roles.copy()
            forced[:, col] = int(lv)
            t = strait.run(scenario, n, seed, workers=workers, roles=forced).table
            won = t["outcome"].to_numpy() == 0
            deterrence[a.value][int(lv)] = PairedChange.of(won.astype(float) - won0)
            det_losses[a.value][int(lv)] = {
                c: PairedChange.of(t[c].to_numpy(dtype=float) - loss0[c]) for c in loss_cols}
    runs_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    variables = {a.value: tables[0][f"{a.value.lower()}_role_start"].to_numpy()
                 for a in allies}
    e_evpi, per = voi_table(U, variables, credibility=cred, B=B, seed=seed,
                            min_lanes=min_lanes, basis=basis)
    joint = None
    notes: list[str] = []
    if len(allies) > 1:
        key = "+".join(a.value for a in allies)
        try:
            joint = voi_table(U, {key: np.column_stack(list(variables.values()))}, B=B,
                              seed=seed, min_lanes=min_lanes)[1][key]
        except VOIError as exc:
            notes.append(f"joint EVPPI of {key} skipped: {exc}")
    lex = None
    if then is not None:
        from strait.analysis.lexicographic import DEFAULT_TIE, lexicographic_table

        lex = lexicographic_table(U, utility_matrix(tables, then), variables,
                                  tie=DEFAULT_TIE if tie is None else tie, credibility=cred,
                                  B=B, seed=seed, min_lanes=min_lanes, basis=basis)
    voi_s = time.perf_counter() - t1

    def means_of(M: np.ndarray) -> list[Estimate]:
        out = []
        for d in range(M.shape[1]):
            m, se = float(M[:, d].mean()), float(M[:, d].std(ddof=1) / math.sqrt(n))
            out.append(Estimate(m, se, m - Z95 * se, m + Z95 * se))
        return out

    means = means_of(U)
    out_allies = {}
    for a in allies:
        v = per[a.value]
        assert v.evsi is not None
        out_allies[a.value] = AllyVOI(ally=a.value, prior=s.role_probabilities(a).tolist(),
                                      evppi=v.evppi, evppi_regression=v.evppi_regression,
                                      evsi=v.evsi, deterrence=deterrence[a.value],
                                      deterrence_losses=det_losses[a.value])
    names = list(ds)
    best = lex.best if lex is not None else int(np.argmax([m.value for m in means]))
    return VOIResult(scenario=s.name, n=n, seed=seed, utility=utility_label(utility),
                     decisions=names, expected_utility=means, best=names[best], evpi=e_evpi,
                     allies=out_allies, joint=joint, answers=answers,
                     credibility_note=note, costs=costs, runs_s=runs_s, voi_s=voi_s,
                     notes=notes, then=None if then is None else utility_label(then),
                     expected_then=[] if then is None
                     else means_of(utility_matrix(tables, then)),
                     lexicographic=lex, effects=effects)


__all__ = [
    "ANSWERS",
    "DEFAULT_BOOTSTRAP",
    "DEFAULT_COMMIT_LEVELS",
    "DEFAULT_MIN_LANES",
    "DEFAULT_UTILITY",
    "STATUS_QUO",
    "AllyVOI",
    "Estimate",
    "PairedChange",
    "VOIError",
    "VOIResult",
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
    "split_utility",
    "uncertain_allies",
    "utility_matrix",
    "voi",
    "voi_headline",
    "voi_table",
]


#: Loss columns in which the deterrence value of a commitment is also given (paired).
DETERRENCE_LOSSES = ("usa_aircraft_lost", "usa_ships_lost", "usa_killed", "chn_ships_lost")


def _fewer(e: Estimate, what: str) -> str:
    """A gain in minus a loss column as words: ``'13 fewer US killed (± 4)'``."""
    word = "fewer" if e.value >= 0 else "more"
    return f"{abs(e.value):.0f} {word} {what} (± {e.se:.0f})"


def voi_headline(res: VOIResult) -> list[str]:
    """What knowing each ally's answer is worth, and what a credible public commitment would
    be worth, in a few sentences (values with their Monte Carlo errors).

    With the default utility the values are percentage points of P(PRC victory).
    """
    k = 100.0 if res.utility in ("-prc_victory", "prc_victory") else 1.0
    unit = " pp" if k == 100.0 else ""
    out = []
    lex = res.lexicographic
    then = column_words((res.then or "").lstrip("-"))
    per = res.effects_per_dollar()
    for d, eff in res.effects.items():
        v = eff.get("prc_victory")
        if v is None:
            continue
        text = (f"{d} changes P(PRC victory) by {100 * v.mean:+.1f} pp "
                f"[{100 * v.low:+.1f}, {100 * v.high:+.1f}]" + "".join(
                    f", {column_words(c)} by {ch.mean:+.1f}" for c, ch in eff.items()
                    if c in ("usa_aircraft_lost", "usa_killed")))
        if d in per:
            text += (f"; at ${res.costs[d] / 1e9:g} bn that is "
                     f"{100 * per[d]['prc_victory']:+.2f} pp per $1 bn")
        out.append(text)
    for ally, a in res.allies.items():
        if lex is not None and ally in lex.evppi:
            e, v = lex.evppi[ally], lex.evsi.get(ally)
            text = (f"knowing {ally}'s role is worth {k * e.primary.value:.2f}{unit} "
                    f"(± {k * e.primary.se:.2f}) and {_fewer(e.secondary, then)} to the "
                    f"choice among {', '.join(res.decisions)} (lowest P(PRC victory), then "
                    f"fewest {then})")
            if v is not None:
                text += (f"; hearing its answer {k * v.primary.value:.2f}{unit} "
                         f"(± {k * v.primary.se:.2f}) and {_fewer(v.secondary, then)}")
            if all(abs(x.value) <= 2 * (x.se if math.isfinite(x.se) else 0.0)
                   for x in (e.primary, e.secondary)):
                text += (f": within Monte Carlo error the best choice ({res.best}) does not "
                         f"depend on {ally}'s answer")
            out.append(text)
        else:
            out.append(f"knowing {ally}'s role is worth {k * a.evppi.value:.2f}{unit} "
                       f"(± {k * a.evppi.se:.2f}) to the choice among "
                       f"{', '.join(res.decisions)}; hearing its answer "
                       f"{k * a.evsi.value:.2f}{unit} (± {k * a.evsi.se:.2f})")
        if a.deterrence:
            lv, ch = max(a.deterrence.items(), key=lambda kv: abs(kv[1].mean))
            losses = "".join(
                f", {column_words(c)} by {d.mean:+.1f} [{d.low:+.1f}, {d.high:+.1f}]"
                for c, d in a.deterrence_losses.get(lv, {}).items())
            out.append(f"a credible public commitment by {ally} to level {lv} would change "
                       f"P(PRC victory) by {100 * ch.mean:+.1f} pp "
                       f"[{100 * ch.low:+.1f}, {100 * ch.high:+.1f}]{losses}")
    return out
