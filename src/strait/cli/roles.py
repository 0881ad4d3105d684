"""``strait roles``: an ally's role ladder, current role and escalation rules.

Example:
    $ strait roles JPN
    $ strait roles korea --scenario ft-2025-ambiguity
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.text import Text

from strait.cli import _common
from strait.cli._common import (
    DEFAULT_SCENARIO,
    fmt_escalation,
    fmt_level_name,
    fmt_num,
    fmt_param,
    fmt_role,
    say,
    stdout,
)
from strait.errors import ScenarioError

if TYPE_CHECKING:
    from strait.scenario.models import AllyConfig, LadderLevel, Scenario

# ----------------------------------------------------------------------- roles helpers


_ALLY_ALIASES: dict[str, str] = {
    "jpn": "JPN",
    "japan": "JPN",
    "jp": "JPN",
    "aus": "AUS",
    "australia": "AUS",
    "au": "AUS",
    "phl": "PHL",
    "philippines": "PHL",
    "ph": "PHL",
    "kor": "KOR",
    "korea": "KOR",
    "south korea": "KOR",
    "republic of korea": "KOR",
    "rok": "KOR",
    "kr": "KOR",
}


def parse_ally(text: str) -> Any:
    """``jpn``, ``JPN``, ``Japan`` → ``Actor.JPN``; anything else is a one-line error."""
    from strait.scenario.models import ALLIES, Actor

    key = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    code = _ALLY_ALIASES.get(key)
    if code is not None:
        return Actor(code)
    names = sorted(_ALLY_ALIASES)
    match = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f" (did you mean '{_ALLY_ALIASES[match[0]]}'?)" if match else ""
    allowed = ", ".join(a.value for a in ALLIES)
    raise ScenarioError(f"unknown ally '{text}'{hint}; allies are {allowed}")


def ladder_rows(scenario: Scenario, ally: AllyConfig) -> list[dict[str, str]]:
    """One row per ladder level, in level order."""
    rows = []
    for level, step in sorted(ally.ladder.items(), key=lambda kv: int(kv[0])):
        rows.append(
            {
                "level": fmt_level_name(level),
                "access": step.access.value,
                "participation": step.participation.value,
                "noncombat": ", ".join(step.us_bases.noncombat) or "-",
                "combat": ", ".join(step.us_bases.combat) or "-",
                "joins": ", ".join(step.joins) or "-",
                "released": "all"
                if step.us_forces_released is None
                else fmt_param(step.us_forces_released),
                "summary": " ".join(step.summary.split()),
                "legal_hook": " ".join(step.legal_hook.split()),
                "source": _ladder_source(step, scenario),
            }
        )
    return rows


def _ladder_source(step: LadderLevel, scenario: Scenario) -> str:
    if step.source:
        entry = scenario.sources.get(step.source)
        title = entry.title if entry is not None else step.source
        text = f"{title}, {step.at}" if step.at else title
        if entry is not None:
            text += f" <{entry.url}>"
        return text
    if step.assumption:
        return f"assumption: {step.assumption}"
    return "-"


def render_roles(scenario: Scenario, actor: Any, console: Console) -> None:
    """Print one ally's ladder, current role and escalation rules."""
    from strait.scenario.models import ACTOR_NAMES

    ally = scenario.allies[actor]
    probs = ally.role.probabilities()
    console.print(
        Text(f"{ACTOR_NAMES.get(actor, actor.value)} ({actor.value})", style="bold")
        + Text(f"  — scenario {scenario.name}")
    )
    say(console, f"role: {fmt_role(ally.role)}", 0, 6)
    for row, p in zip(ladder_rows(scenario, ally), probs, strict=False):
        mark = "→" if p > 0 else " "
        share = f"  (p = {fmt_num(round(float(p), 4))})" if p > 0 else ""
        console.print()
        console.print(Text(f"{mark} {row['level']}", style="bold") + Text(share))
        say(console, row["summary"], 4, 4)
        say(console, f"access: {row['access']}; participation: {row['participation']}", 4)
        say(console, f"US bases opened: noncombat {row['noncombat']}; "
             f"combat {row['combat']}", 4)
        say(console, f"own forces that join: {row['joins']}", 4)
        if actor.value == "KOR" or row["released"] != "all":
            say(console, f"US forces in country released for Taiwan: {row['released']}", 4)
        say(console, f"legal hook: {row['legal_hook']}", 4)
        say(console, f"source: {row['source']}", 4)
    if ally.escalation:
        console.print()
        console.print(Text("escalation inside a run:", style="bold"))
        for rule in ally.escalation:
            say(console, f"- {fmt_escalation(rule)}", 2, 4)


# ------------------------------------------------------------------------ roles command


def roles(
    ally: str | None = typer.Argument(
        None, metavar="ALLY", help="JPN, AUS, PHL or KOR (or Japan, australia, ...)."
    ),
    scenario_ref: str = typer.Option(
        DEFAULT_SCENARIO, "--scenario", "-s", help="Scenario whose ladders to show."
    ),
) -> None:
    """Show an ally's role ladder: access, participation, bases, legal hook, source.

    Without ALLY, shows all four allies.

    Examples:
      strait roles JPN
      strait roles korea --scenario ft-2025-ambiguity
    """
    from strait.scenario.models import ALLIES

    actors = [parse_ally(ally)] if ally is not None else list(ALLIES)
    scenario = _common.load(scenario_ref)
    console = stdout()
    for i, actor in enumerate(actors):
        if actor not in scenario.allies:
            if ally is None:
                continue
            raise ScenarioError(
                f"scenario '{scenario.name}' has no ladder for {actor.value}; "
                f"allies in it: {', '.join(a.value for a in scenario.allies) or 'none'}"
            )
        if i:
            console.print()
            console.rule()
        render_roles(scenario, actor, console)
