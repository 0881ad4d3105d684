"""``strait voi``: what knowing, or being told, each ally's role is worth to a US decision.

Every decision option and every committed role is played on the same campaigns (same
seed, common random numbers); the values come from :mod:`strait.analysis.voi`.

Example:
    $ strait voi ft-2025-ambiguity --decision dispersed=doctrine.usa.basing=dispersed -n 20000
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import typer

from strait.analysis.voi import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_COMMIT_LEVELS,
    DEFAULT_UTILITY,
    Estimate,
    VOIError,
    VOIResult,
)
from strait.cli._common import (
    SCENARIO_HELP,
    STUDY_HELP,
    AddressOpt,
    ExecutorOpt,
    WorkersOpt,
    check_n,
    check_study_target,
    check_workers,
    executor_scope,
    output_path,
    store_with_study,
)

WIDTH = 80
DEFAULT_LEVELS = ",".join(map(str, DEFAULT_COMMIT_LEVELS))
_SPLIT = re.compile(r",(?=\s*[A-Za-z_][\w.\-]*\s*=)")


def parse_decision(text: str) -> tuple[str, dict[str, Any]]:
    """``NAME=PATH=VALUE[,PATH=VALUE]`` -> ``(NAME, {PATH: VALUE})`` (values read as YAML;
    a comma starts a new PATH=VALUE only when ``PATH=`` follows it).

    >>> parse_decision("dispersed=doctrine.usa.basing=dispersed")
    ('dispersed', {'doctrine.usa.basing': 'dispersed'})
    """
    from strait.scenario.loader import parse_set

    fix = "use NAME=PATH=VALUE[,PATH=VALUE], e.g. dispersed=doctrine.usa.basing=dispersed"
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name or "=" not in rest:
        raise VOIError(f"--decision {text!r}: expected NAME=PATH=VALUE; {fix}")
    changes: dict[str, Any] = {}
    for part in _SPLIT.split(rest):
        path, value = parse_set(part.strip())
        changes[path] = value
    return name, changes


def parse_levels(text: str) -> list[int]:
    """``3,5,6`` or ``access_combat,full_combat`` -> levels."""
    from strait.scenario.models import RoleLevel

    out = []
    for tok in (t.strip() for t in text.split(",")):
        if not tok:
            continue
        try:
            out.append(int(RoleLevel(int(tok))) if tok.isdigit() else int(RoleLevel[tok.upper()]))
        except (KeyError, ValueError):
            raise VOIError(f"--levels: unknown role level {tok!r}; use 0-6 or names such as "
                           "access_combat") from None
    if not out:
        raise VOIError("--levels: expected levels separated by commas, e.g. 3,5,6")
    return out


def _scale(res: VOIResult) -> tuple[float, str]:
    from strait.engine import OUTCOMES

    plain = res.utility.lstrip("-")
    if plain in OUTCOMES:
        return 100.0, f"pp of P({plain.replace('_', ' ').replace('prc', 'PRC')})"
    return 1.0, plain.replace("_", " ")


def _pm(e: Estimate, k: float, nd: int) -> str:
    return f"{k * e.value:.{nd}f}±{k * e.se:.{nd}f}"


def voi_lines(res: VOIResult) -> list[str]:
    """The compact table: per ally EVPPI (exact ± MC error, regression), EVSI and the
    deterrence value of committing to each level; then the joint EVPPI and the EVPI."""
    from strait.cli.sweep import LEVEL_SHORT

    k, unit = _scale(res)
    nd = 2 if k == 100.0 else 1
    lines = [f"Value of information — {res.scenario}, {res.n:,} campaigns per option, "
             f"seed {res.seed}",
             f"utility {res.utility}; values in {unit} (a gain for the US)"]
    for d, e in zip(res.decisions, res.expected_utility, strict=True):
        mark = "  <- best on the prior" if d == res.best else ""
        lines.append(f"  E[U] {d[:24]:<24} {_pm(e, k, nd):>14}{mark}")
    levels = sorted({lv for a in res.allies.values() for lv in a.deterrence})
    head = f"{'ally':<8}{'EVPPI ± MC':>13}{'regr.':>7}{'EVSI ± MC':>12}"
    lines += ["", head + "  ΔP(PRC victory) pp if committed to:",
              " " * len(head) + "".join(f"{f'{lv} {LEVEL_SHORT[lv]}':>10}" for lv in levels)]
    for a in res.allies.values():
        row = (f"{a.ally:<8}{_pm(a.evppi, k, nd):>13}{k * a.evppi_regression.value:>7.{nd}f}"
               f"{_pm(a.evsi, k, nd):>12}")
        for lv in levels:
            c = a.deterrence.get(lv)
            row += f"{'·':>10}" if c is None else \
                f"{f'{100 * c.mean:+.1f}±{100 * (c.high - c.mean):.1f}':>10}"
        lines.append(row)
    if res.joint is not None:
        j = res.joint
        lines.append(f"{j.name:<8}{_pm(j.evppi, k, nd):>13}"
                     f"{k * j.evppi_regression.value:>7.{nd}f}   (both roles known)")
    lines.append(f"EVPI (every input and the dice known): {_pm(res.evpi, k, nd)}")
    lines += lexicographic_lines(res, k, nd)
    lines += effect_lines(res)
    lines += [
        "",
    ]
    for text in (
        "EVPPI: knowing the ally's role (exact: lanes partitioned by role; regr.: a smooth "
        f"in the level). EVSI: hearing its answer ({'/'.join(res.answers)}); credibility "
        f"{res.credibility_note}.",
        "± MC: bootstrap standard error over lanes. Committed: the status quo with the ally "
        "forced to the level, paired with its prior; ± is the 95 % half-width; negative = "
        "fewer PRC victories.",
        *(f"note: {n}" for n in res.notes),
    ):
        lines += textwrap.wrap(text, WIDTH, subsequent_indent="  ")
    lines.append(f"runs {res.runs_s:.1f} s, value of information {res.voi_s:.2f} s")
    return lines


def effect_lines(res: VOIResult) -> list[str]:
    """Each option against the status quo on the same campaigns, in outcome units, and per
    billion dollars where the option has a cost."""
    if not res.effects:
        return []
    cols = [c for c in ("prc_victory", "usa_aircraft_lost", "usa_ships_lost", "usa_killed")
            if any(c in e for e in res.effects.values())]
    short = {"prc_victory": "ΔP(PRC v.) pp", "usa_aircraft_lost": "ΔUS air",
             "usa_ships_lost": "ΔUS ships", "usa_killed": "ΔUS killed"}
    lines = ["", f"Each option vs {res.decisions[0]} (paired; ± 95 % half-width):",
             f"{'option':<16}" + "".join(f"{short[c]:>16}" for c in cols)]
    per = res.effects_per_dollar()
    for d, eff in res.effects.items():
        row = f"{d[:16]:<16}"
        for c in cols:
            ch = eff.get(c)
            k = 100.0 if c == "prc_victory" else 1.0
            row += f"{'·':>16}" if ch is None else \
                f"{f'{k * ch.mean:+.1f}±{k * (ch.high - ch.mean):.1f}':>16}"
        lines.append(row)
        if d in per:
            row = f"{'  per $1 bn':<16}"
            for c in cols:
                k = 100.0 if c == "prc_victory" else 1.0
                v = per[d].get(c)
                row += f"{'·':>16}" if v is None else f"{k * v:>+16.2f}"
            lines += [row, f"  ({d} costs ${res.costs[d] / 1e9:g} bn)"]
    return lines


def lexicographic_lines(res: VOIResult, k: float, nd: int) -> list[str]:
    """The same values under the lexicographic rule, each a pair: the change in the first
    utility and in the second (e.g. pp of P(PRC victory) and US killed)."""
    lex = res.lexicographic
    if lex is None or res.then is None:
        return []
    then = res.then.lstrip("-")
    lines = ["", *textwrap.wrap(
        f"Lexicographic rule: {res.utility.lstrip('-')} first; options within "
        f"{k * lex.tie:g}{' pp' if k == 100.0 else ''} of the best are ties, broken by "
        f"{then} (best on the prior: {res.best})", WIDTH, subsequent_indent="  ")]
    for d, e in zip(res.decisions, res.expected_then, strict=True):
        lines.append(f"  E[-{then}] {d[:22]:<22} {e.value:>10.1f}±{e.se:.1f}")
    short = "fewer " + then.split("_", 1)[-1][:8]
    head = f"{'ally':<8}{'EVPPI':>10}{short:>16}{'EVSI':>10}{short:>16}"
    lines.append(head)
    for ally, e in lex.evppi.items():
        v = lex.evsi.get(ally)
        row = (f"{ally:<8}{k * e.primary.value:>+10.{nd}f}"
               f"{f'{e.secondary.value:+.1f}±{e.secondary.se:.1f}':>16}")
        if v is not None:
            row += (f"{k * v.primary.value:>+10.{nd}f}"
                    f"{f'{v.secondary.value:+.1f}±{v.secondary.se:.1f}':>16}")
        lines.append(row)
    ev = lex.evpi
    lines.append(f"EVPI: {k * ev.primary.value:+.{nd}f} and {ev.secondary.value:+.1f} "
                 f"fewer {then}")
    lines += textwrap.wrap("(a pair: deciding per role may give up to the tie in the first "
                           "utility to save more in the second)", WIDTH)
    return lines


def voi_cmd(
    ctx: typer.Context,
    scenario: str = typer.Argument(..., metavar="SCENARIO", help=SCENARIO_HELP),
    decision: list[str] = typer.Option(
        [], "--decision", "-d", show_default=False,
        help="NAME=PATH=VALUE[,PATH=VALUE]: a US decision option as scenario changes "
             "(repeatable; the status quo is always included)."),
    utility: str = typer.Option(
        DEFAULT_UTILITY, "--utility", "-u",
        help="What the decision minimises: FIRST>THEN (lexicographic: the first, then among "
             "options within --tie of the best the second), prc_victory (P(PRC victory)) "
             "alone, usa_aircraft_lost, or another result column."),
    tie: float | None = typer.Option(
        None, "--tie", show_default=False,
        help="With FIRST>THEN: differences in the first below this are ties (default 0.01, "
             "i.e. 1 pp of P(PRC victory))."),
    n: int = typer.Option(20_000, "-n", "--n", help="Campaigns per option."),
    seed: int = typer.Option(0, "--seed", help="Root seed, shared by every option."),
    credibility: Path | None = typer.Option(
        None, "--credibility", show_default=False,
        help="YAML file: 'answers: [no, maybe, yes]' and 'rows: {NEUTRAL: [p, p, p], ...}' "
             "with P(answer | role) for all 7 levels (or the same under JPN:, AUS: ...). "
             "Default: a near-uninformative 'case by case' answer."),
    levels: str = typer.Option(
        DEFAULT_LEVELS, "--levels", "-l",
        help="Committed levels whose deterrence value is shown (each one more run)."),
    bootstrap: int = typer.Option(DEFAULT_BOOTSTRAP, "--bootstrap",
                                  help="Bootstrap resamples for the Monte Carlo error."),
    json_out: Path | None = typer.Option(None, "--json", show_default=False,
                                         help="Also write every number to this JSON file."),
    workers: WorkersOpt = None,
    executor: ExecutorOpt = None,
    address: AddressOpt = None,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress report."),
    study: int | None = typer.Option(None, "--study", help=STUDY_HELP, show_default=False),
    db: Path = typer.Option(Path("studies.duckdb"), "--db", help="Study file (with --study)."),
) -> None:
    """The value of information about each uncertain ally's role for a US decision:
    EVPPI (knowing the role), EVSI (hearing the ally's answer), the deterrence value of a
    public commitment, and EVPI, each with its Monte Carlo error.

    Every option and committed role is played on the same campaigns (common random
    numbers). The uncertain variables are the drawn roles of the allies whose role is a
    prior in the scenario.

    Example:
      strait voi ft-2025-ambiguity --decision dispersed=doctrine.usa.basing=dispersed -n 20000
      strait voi ft-2025-ambiguity -d dispersed=doctrine.usa.basing=dispersed -u usa_aircraft_lost
    """
    from strait.analysis.voi import parse_credibility, read_credibility, voi

    check_n(n, "campaigns per option", "-n 20000")
    check_workers(workers)
    if seed < 0:
        raise VOIError(f"--seed: expected an integer >= 0, found {seed}")
    if bootstrap < 2:
        raise VOIError(f"--bootstrap: expected at least 2 resamples, found {bootstrap}; "
                       "use e.g. --bootstrap 200")
    import strait

    declared = strait.load_scenario(scenario).analysis
    if not decision and not declared.decisions:
        raise VOIError("--decision: expected at least one option besides the status quo "
                       "(none declared under the scenario's analysis.decisions); e.g. "
                       "--decision dispersed=doctrine.usa.basing=dispersed")
    decisions: dict[str, dict[str, Any]] = {}
    costs: dict[str, float] = {}
    if not decision:  # the options the scenario declares, with their costs
        for name, opt in declared.decisions.items():
            decisions[name] = dict(opt.changes)
            if opt.cost_usd:
                costs[name] = float(opt.cost_usd)
    for text in decision:
        name, changes = parse_decision(text)
        if name in decisions or name == "status quo":
            raise VOIError(f"--decision {text!r}: the name {name!r} is taken; give each "
                           "option its own name")
        decisions[name] = changes
    check_study_target(db, study, scenario)
    commit = parse_levels(levels)
    out = output_path(json_out, "--json", "voi.json")
    cred = None
    answers = None
    cred_note = None
    if credibility is not None:
        cred, answers = read_credibility(credibility)
        cred_note = f"from {credibility}"
    elif declared.credibility is not None:
        cred, answers = parse_credibility(declared.credibility,
                                          f"scenario {scenario}: analysis.credibility")
        cred_note = (f"from the scenario ({declared.credibility_note.strip()})"
                     if declared.credibility_note else "from the scenario")

    def say(msg: str) -> None:
        if not quiet:
            typer.echo(msg, err=True)

    with executor_scope(executor, address, workers):
        res = voi(scenario, decisions, n=n, seed=seed, utility=utility, credibility=cred,
                  commit_levels=commit, workers=workers, B=bootstrap, progress=say, tie=tie,
                  costs=costs or None)
    if answers:
        res.answers = answers
        res.credibility_note = cred_note or "given"
    for line in voi_lines(res):
        typer.echo(line)
    import textwrap

    from strait.analysis.voi import voi_headline

    for line in voi_headline(res):
        typer.echo(textwrap.fill(f"headline: {line}", width=80, subsequent_indent="  "))
    if out is not None:
        out.write_text(json.dumps(res.to_dict(), indent=2) + "\n")
        typer.echo(f"wrote {out}")
    store_with_study(db, study, "voi", res.to_dict(), ctx)
