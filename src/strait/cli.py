"""The ``strait`` command line: a thin face over the scenario loader (and, later, the engine).

Layout, so that a new verb is a small, local addition:

* ``app`` is the root typer app; sub-apps (``scenario``, ``docs``) are created next to it
  and mounted with ``app.add_typer``. A new verb group is one more ``typer.Typer`` plus
  its commands; a new top-level verb is one more ``@app.command()``.
* Commands parse arguments, call the library and print. Everything that turns model
  objects into text lives in the ``fmt_*`` / ``*_rows`` helpers below, which take plain
  model objects and return strings or rows (easy to test, no model logic).
* Every deliberate error is a :class:`strait.errors.StraitError`; :class:`_StraitGroup`
  turns it into one line on stderr (``error: ...``) and exit code 2. Nothing else here
  catches exceptions: a traceback means a bug.

Example:
    $ strait scenario list
    $ strait scenario sources csis-base --only assumption
    $ strait roles JPN
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import sys
import textwrap
from collections import Counter
from collections.abc import Sequence
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from strait import __version__
from strait import cli_run as _cli_run
from strait.errors import ScenarioError, StraitError

if TYPE_CHECKING:
    from strait.scenario.models import (
        AllyConfig,
        EscalationRule,
        ForceSet,
        LadderLevel,
        Param,
        RoleSpec,
        Scenario,
    )

__all__ = ["app", "main"]

DEFAULT_SCENARIO = "csis-base"
_SCENARIO_HELP = "A bundled scenario name (see 'strait scenario list') or a YAML file."


# ----------------------------------------------------------------------- error handling


class _StraitGroup(typer.core.TyperGroup):
    """Root group: a StraitError becomes ``error: <message>`` on stderr and exit code 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except StraitError as exc:
            typer.echo(f"error: {_one_line(str(exc))}", err=True)
            raise typer.Exit(code=getattr(exc, "exit_code", 2)) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(code=130) from None


def _one_line(msg: str) -> str:
    return " ".join(msg.split()) or "unknown error"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"strait {__version__}")
        raise typer.Exit()


# ----------------------------------------------------------------------------- the apps

app = typer.Typer(
    cls=_StraitGroup,
    name="strait",
    help=(
        "Campaign analysis for a Taiwan Strait contingency, with each US ally's role "
        "(Japan, Australia, Philippines, Korea) as an explicit, sourced, uncertain input.\n\n"
        "Every number in a scenario carries its public source or an explicit assumption.\n\n"
        "Examples:\n"
        "  strait scenario list\n"
        "  strait scenario show csis-base\n"
        "  strait roles JPN"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

scenario_app = typer.Typer(
    help=(
        "List, inspect and validate scenarios (bundled names or YAML files).\n\n"
        "SCENARIO is a bundled name (see 'strait scenario list') or a path to a YAML file.\n\n"
        "Examples:\n"
        "  strait scenario list\n"
        "  strait scenario validate my-overlay.yaml"
    ),
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")

docs_app = typer.Typer(
    help=(
        "Regenerate the generated reference pages under docs/reference/.\n\n"
        "They are built from the code (schema, registry, CLI) and checked by the tests.\n\n"
        "Example:\n"
        "  strait docs build"
    ),
    no_args_is_help=True,
)
app.add_typer(docs_app, name="docs")

_cli_run.register(app)  # strait run, strait compare
_cli_run.register_validate(app, docs_app)  # strait validate csis, strait docs validation


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the strait version and exit.",
        callback=_version_callback,
        is_eager=True,
    ),
) -> None:
    """Campaign analysis for a Taiwan Strait contingency with explicit allied roles."""


def main() -> None:
    """Console-script entry point (``strait``)."""
    try:
        app(prog_name="strait")
    except KeyboardInterrupt:  # raised outside a command (e.g. while importing)
        typer.echo("interrupted", err=True)
        sys.exit(130)


def _stdout() -> Console:
    # Created per call, so it writes to whatever sys.stdout is now (tests swap it).
    return Console(highlight=False, markup=False, emoji=False)


# ---------------------------------------------------------------------- number formats


def fmt_num(x: float | None) -> str:
    """A number as short text: ``450``, ``0.7``, ``1e+06``."""
    if x is None:
        return "-"
    return f"{x:g}"


def fmt_param(p: Param) -> str:
    """A parameter's value: ``450`` or its distribution, e.g. ``pert(0.6, 0.7, 0.8)``."""
    if p.value is not None:
        return fmt_num(p.value)
    d = p.dist
    n = fmt_num
    if d == "uniform":
        return f"uniform({n(p.low)}, {n(p.high)})"
    if d in ("triangular", "pert"):
        return f"{d}({n(p.low)}, {n(p.mode)}, {n(p.high)})"
    clip = ""
    if p.low is not None or p.high is not None:
        clip = f", low={n(p.low)}, high={n(p.high)}"
    if d == "lognormal":
        return f"lognormal(median={n(p.median)}, sigma={n(p.sigma)}{clip})"
    if d == "beta":
        return f"beta({n(p.alpha)}, {n(p.beta)}{clip})"
    if d == "normal":
        return f"normal(mean={n(p.mean_)}, sd={n(p.sd)}{clip})"
    return str(d)


def fmt_param_short(p: Param) -> str:
    """A compact form for tables: ``755``, ``1375–1578``, ``15 (10–30)``, ``~12``."""
    if p.value is not None:
        return fmt_num(p.value)
    if p.dist == "uniform":
        return f"{fmt_num(p.low)}–{fmt_num(p.high)}"
    if p.dist in ("triangular", "pert"):
        return f"{fmt_num(p.mode)} ({fmt_num(p.low)}–{fmt_num(p.high)})"
    return f"~{fmt_num(round(p.mean(), 3))}"


def fmt_provenance(p: Param, scenario: Scenario) -> str:
    """``Title, at`` for a sourced number, ``assumption: ...`` or ``UNSOURCED``."""
    if p.source:
        entry = scenario.sources.get(p.source)
        title = entry.title if entry is not None else p.source
        return f"{title}, {p.at}" if p.at else title
    if p.assumption:
        return f"assumption: {p.assumption}"
    return "UNSOURCED"


def fmt_level_name(level: Any) -> str:
    """``3 ACCESS_COMBAT`` for a role level."""
    return f"{int(level)} {level.name}"


def fmt_role(role: RoleSpec) -> str:
    """``ACCESS_COMBAT (certain)`` or ``prior: ACCESS_COMBAT 0.6, NEUTRAL 0.4``."""
    if role.level is not None:
        return f"{role.level.name} (certain)"
    items = sorted((role.prior or {}).items(), key=lambda kv: int(kv[0]))
    return "prior: " + ", ".join(f"{k.name} {fmt_num(v.value)}" for k, v in items)


def fmt_escalation(rule: EscalationRule) -> str:
    """One line: trigger, target level, probability, conditions, note."""
    when = {
        "territory_struck": "if its territory is struck",
        "per_turn": "each turn",
        "us_forces_struck": "if US forces are struck",
    }.get(rule.trigger, rule.trigger)
    p = fmt_param(rule.probability)
    text = f"{when}: move to at least {rule.to_at_least.name} with p = {p}"
    conds = []
    if rule.from_turn:
        conds.append(f"from turn {rule.from_turn}")
    if int(rule.requires_at_least) > 0:
        conds.append(f"if already at or above {rule.requires_at_least.name}")
    if conds:
        text += " (" + ", ".join(conds) + ")"
    if rule.note:
        text += f" — {rule.note}"
    return text


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _key(k: Any) -> str:
    if isinstance(k, Enum):
        return k.name if isinstance(k.value, int) else str(k.value)
    return str(k)


# --------------------------------------------------------------------- loading helpers


def _load(ref: str | Path) -> Scenario:
    from strait.scenario.loader import load_scenario

    return load_scenario(ref)


def _extends_chain(ref: str) -> list[str]:
    """The bundled scenarios ``ref`` builds on, nearest first (display only)."""
    from strait.scenario.registry import list_scenarios

    infos = {i.name: i for i in list_scenarios()}
    path = Path(ref)
    if path.is_file():
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return []
        parent = data.get("extends") if isinstance(data, dict) else None
    elif ref in infos:
        parent = infos[ref].extends
    else:
        return []
    chain: list[str] = []
    while parent and str(parent) not in chain:
        chain.append(str(parent))
        nxt = infos.get(str(parent))
        parent = nxt.extends if nxt is not None else None
    return chain


# ---------------------------------------------------------------------- sources rows


PROVENANCE_LABEL = {"source": "sourced", "assumption": "assumption", "unsourced": "unsourced"}


def provenance_counts(scenario: Scenario) -> Counter[str]:
    """Numbers by provenance kind (``source``, ``assumption``, ``unsourced``)."""
    counts: Counter[str] = Counter({"source": 0, "assumption": 0, "unsourced": 0})
    counts.update(p.provenance for _, p in scenario.iter_params())
    return counts


def fmt_totals(scenario: Scenario) -> str:
    """``N numbers: S sourced, A assumption, U unsourced``."""
    c = provenance_counts(scenario)
    total = sum(c.values())
    return (
        f"{total} numbers: {c['source']} sourced, {c['assumption']} assumption, "
        f"{c['unsourced']} unsourced"
    )


def source_rows(scenario: Scenario, only: str | None = None) -> list[dict[str, Any]]:
    """One row per number: path, value, unit, provenance and its parts."""
    rows = []
    for path, p in scenario.iter_params():
        if only is not None and p.provenance != only:
            continue
        entry = scenario.sources.get(p.source) if p.source else None
        rows.append(
            {
                "path": path,
                "value": fmt_param(p),
                "unit": p.unit or "",
                "provenance": p.provenance,
                "cited": fmt_provenance(p, scenario),
                "source": p.source or "",
                "title": entry.title if entry is not None else "",
                "url": entry.url if entry is not None else "",
                "at": p.at or "",
                "assumption": p.assumption or "",
            }
        )
    return rows


def sources_table(rows: Sequence[dict[str, Any]], title: str | None = None) -> Table:
    """A rich table (wrapping) of source rows, for a terminal."""
    table = Table(title=title, show_lines=False, expand=True)
    table.add_column("parameter", overflow="fold", style="bold", ratio=3)
    table.add_column("value", overflow="fold")
    table.add_column("unit", overflow="fold")
    table.add_column("provenance", overflow="fold", ratio=4)
    for r in rows:
        style = "red" if r["provenance"] == "unsourced" else None
        table.add_row(r["path"], r["value"], r["unit"], Text(r["cited"], style=style or ""))
    return table


def sources_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Aligned plain lines (for pipes): ``path  value  unit  provenance``."""
    if not rows:
        return []
    wp = max(len(r["path"]) for r in rows)
    wv = max(len(r["value"]) for r in rows)
    wu = max(len(r["unit"]) for r in rows)
    return [
        f"{r['path']:<{wp}}  {r['value']:<{wv}}  {r['unit']:<{wu}}  {r['cited']}".rstrip()
        for r in rows
    ]


def sources_csv(rows: Sequence[dict[str, Any]]) -> str:
    cols = ["path", "value", "unit", "provenance", "source", "title", "url", "at", "assumption"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def sources_markdown(rows: Sequence[dict[str, Any]], totals: str) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    out = ["| parameter | value | unit | provenance |", "|---|---|---|---|"]
    for r in rows:
        prov = r["cited"]
        if r["url"]:
            prov = f"[{r['title']}]({r['url']})" + (f", {r['at']}" if r["at"] else "")
        out.append(
            f"| `{cell(r['path'])}` | {cell(r['value'])} | {cell(r['unit'])} | {cell(prov)} |"
        )
    out += ["", totals]
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------- show helpers


def forces_summary(fs: ForceSet) -> list[str]:
    """Short lines summarising one actor's starting forces."""
    lines = []
    if fs.aircraft:
        parts = []
        for cls, where in fs.aircraft.items():
            total = sum(p.mean() for p in where.values())
            at = ", ".join(f"{b} {fmt_param_short(p)}" for b, p in where.items())
            parts.append(f"{_key(cls)} {fmt_num(round(total, 1))} ({at})")
        lines.append("aircraft: " + "; ".join(parts))
    for label, mapping in (("ships", fs.ships), ("lift", fs.lift), ("munitions", fs.munitions)):
        if mapping:
            lines.append(
                f"{label}: "
                + ", ".join(f"{_key(k)} {fmt_param_short(v)}" for k, v in mapping.items())
            )
    for label, p in (
        ("ground battalions", fs.ground_battalions),
        ("reserve battalions", fs.reserve_battalions),
        ("shore anti-ship launchers", fs.shore_asm_launchers),
    ):
        if p is not None:
            lines.append(f"{label}: {fmt_param_short(p)}")
    return lines or ["(none)"]


def _level_map(mapping: dict[Any, Param]) -> str:
    if not mapping:
        return "none"
    items = sorted(mapping.items(), key=lambda kv: int(kv[0]))
    return ", ".join(f"{k.name} {fmt_param(v)}" for k, v in items)


def _say(console: Console, text: str, indent: int = 0, hang: int | None = None) -> None:
    """Print ``text`` wrapped to the console width with a hanging indent."""
    hang = indent + 4 if hang is None else hang
    width = max(console.width, 40)
    wrapped = textwrap.wrap(
        " ".join(text.split()),
        width=width,
        initial_indent=" " * indent,
        subsequent_indent=" " * hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in wrapped or [""]:
        console.print(line, soft_wrap=True)


def _heading(console: Console, text: str) -> None:
    console.print()
    console.print(Text(text, style="bold underline"))


def _render_bases(s: Scenario, console: Console) -> None:
    """The bases table, or one line per base when the table would not fit."""
    cols = ("km", "parking", "shelters", "runways", "interceptors")
    rows = [
        (key, b.owner.value,
         *(fmt_param_short(p) for p in (b.distance_km, b.parking_capacity,
                                        b.hardened_shelters, b.runways, b.interceptors)),
         _yes(b.port))
        for key, b in s.bases.items()
    ]
    table = Table(title="Bases", title_justify="left", title_style="bold underline",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("base", no_wrap=True)
    table.add_column("owner", no_wrap=True)
    for col in cols:
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("port", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    console.print()
    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    if natural <= console.width:
        console.print(table)
    else:
        console.print(Text("Bases", style="bold underline"))
        for key, owner, *vals, port in rows:
            text = "; ".join(f"{c} {v}" for c, v in zip(cols, vals, strict=True))
            _say(console, f"{key} ({owner}): {text}; port {port}", 2, 6)
    _say(console, "distributions shown as mode (low–high) or low–high; exact forms: "
         f"strait scenario sources {s.name}", 2)


def render_show(scenario: Scenario, console: Console, extends: Sequence[str] = ()) -> None:
    """Print a readable view of a resolved scenario."""
    from strait.scenario.models import ACTOR_NAMES

    s = scenario
    console.print(Text(f"{s.name} — {s.title}", style="bold"))
    if s.description:
        _say(console, s.description, hang=0)
    _say(console, f"family: {s.family or '-'}; extends: {' → '.join(extends) or '-'}")
    c = s.campaign
    _say(
        console,
        f"campaign clock: {c.horizon_turns} turns of {fmt_num(c.turn_days)} days "
        f"(up to {fmt_num(c.horizon_turns * c.turn_days)} days)",
    )

    _heading(console, "Allies")
    if not s.allies:
        _say(console, "(none)", 2)
    for actor, ally in s.allies.items():
        console.print(Text(f"  {actor.value} {ACTOR_NAMES.get(actor, '')}", style="bold"))
        _say(console, f"role: {fmt_role(ally.role)}", 4, 8)
        for rule in ally.escalation:
            _say(console, f"escalation: {fmt_escalation(rule)}", 4, 8)

    d = s.doctrine
    _heading(console, "Doctrine")
    _say(console, "PRC: strikes an ally's territory, by the ally's level: on turn 1 "
         f"{_level_map(d.prc.strike_ally_first_turn)}; per later turn "
         f"{_level_map(d.prc.strike_ally_per_turn)}", 2, 7)
    weights = ", ".join(f"{k} {fmt_param(v)}" for k, v in d.prc.weights.items()) or "-"
    _say(console, f"strike Guam: {_yes(d.prc.strike_guam)}; strike Taiwan air bases: "
         f"{_yes(d.prc.strike_taiwan_airbases)}; missile weights: {weights}", 7, 7)
    u = d.usa
    _say(
        console,
        f"USA: intervenes {_yes(u.intervenes)}, entry turn {u.entry_turn}, "
        f"bomber delay {u.bomber_delay_turns} turns, basing {u.basing}, "
        f"amphibious priority {fmt_param(u.amphibious_priority)}, "
        f"JASSM maritime strike {_yes(u.maritime_strike_jassm)}, "
        f"strike mainland {_yes(u.strike_mainland)}",
        2,
        7,
    )
    t = d.twn
    _say(console, f"TWN: resists {_yes(t.resists)}, paralysed {t.paralysed_turns} turns, "
         f"ground Harpoons {_yes(t.ground_harpoons)}", 2, 7)

    if s.bases:
        _render_bases(s, console)
    else:
        _heading(console, "Bases")
        _say(console, "(none)", 2)

    _heading(console, "Forces")
    if not s.forces:
        _say(console, "(none)", 2)
    for actor, fs in s.forces.items():
        console.print(Text(f"  {actor.value}", style="bold"))
        for line in forces_summary(fs):
            _say(console, line, 4, 8)

    _heading(console, "Parameters")
    groups = {name: len(getattr(s.parameters, name)) for name in type(s.parameters).model_fields}
    _say(console, ", ".join(f"{g} {n}" for g, n in groups.items())
         + f" (total {sum(groups.values())})", 2)
    _say(console, f"{fmt_totals(s)} (details: strait scenario sources {s.name})", 2)


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
    _say(console, f"role: {fmt_role(ally.role)}", 0, 6)
    for row, p in zip(ladder_rows(scenario, ally), probs, strict=False):
        mark = "→" if p > 0 else " "
        share = f"  (p = {fmt_num(round(float(p), 4))})" if p > 0 else ""
        console.print()
        console.print(Text(f"{mark} {row['level']}", style="bold") + Text(share))
        _say(console, row["summary"], 4, 4)
        _say(console, f"access: {row['access']}; participation: {row['participation']}", 4)
        _say(console, f"US bases opened: noncombat {row['noncombat']}; "
             f"combat {row['combat']}", 4)
        _say(console, f"own forces that join: {row['joins']}", 4)
        if actor.value == "KOR" or row["released"] != "all":
            _say(console, f"US forces in country released for Taiwan: {row['released']}", 4)
        _say(console, f"legal hook: {row['legal_hook']}", 4)
        _say(console, f"source: {row['source']}", 4)
    if ally.escalation:
        console.print()
        console.print(Text("escalation inside a run:", style="bold"))
        for rule in ally.escalation:
            _say(console, f"- {fmt_escalation(rule)}", 2, 4)


# ------------------------------------------------------------------ scenario commands


@scenario_app.command("list")
def scenario_list() -> None:
    """List the bundled scenarios: name, family, extends, title.

    Bundled scenarios ship inside the package; any of their names can be given
    wherever a command takes a SCENARIO.

    Example:
      strait scenario list
    """
    from strait.scenario.registry import list_scenarios

    infos = sorted(list_scenarios(), key=lambda i: i.name)
    console = _stdout()
    noun = "scenario" if len(infos) == 1 else "scenarios"
    table = Table(title=f"{len(infos)} bundled {noun}", title_justify="left")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("family")
    table.add_column("extends")
    table.add_column("title", overflow="fold")
    for i in infos:
        table.add_row(i.name, i.family or "-", i.extends or "-", i.title)
    console.print(table)


@scenario_app.command("show")
def scenario_show(
    ref: str = typer.Argument(..., metavar="SCENARIO", help=_SCENARIO_HELP),
    as_yaml: bool = typer.Option(False, "--yaml", help="Print the resolved raw YAML."),
    as_json: bool = typer.Option(False, "--json", help="Print the validated model as JSON."),
) -> None:
    """Show a resolved scenario: allies' roles, doctrine, bases, forces, parameters.

    The scenario is shown after 'extends', 'include' and overlays are resolved.
    --yaml prints the resolved mapping, --json the validated model.

    Examples:
      strait scenario show csis-base
      strait scenario show my-overlay.yaml --yaml
    """
    if as_yaml and as_json:
        raise ScenarioError("give --yaml or --json, not both")
    if as_yaml:
        import yaml

        from strait.scenario.loader import load_raw

        raw = load_raw(ref)
        typer.echo(yaml.safe_dump(_plain(raw), sort_keys=False, allow_unicode=True), nl=False)
        return
    scenario = _load(ref)
    if as_json:
        dump = _plain(scenario.model_dump(by_alias=True, exclude_none=True))
        typer.echo(json.dumps(dump, indent=2, ensure_ascii=False))
        return
    render_show(scenario, _stdout(), _extends_chain(ref))


def _plain(obj: Any) -> Any:
    """Mapping → YAML/JSON-safe builtins; role levels become names (``ACCESS_COMBAT``),
    other enums their values, so the output loads back as a scenario."""
    if isinstance(obj, dict):
        return {_key(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, Enum):
        return _key(obj)
    return obj


@scenario_app.command("validate")
def scenario_validate(
    files: list[str] = typer.Argument(
        ..., metavar="FILE", help="Scenario YAML files (one or more)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Also fail if any number is unsourced."),
) -> None:
    """Validate scenario files: one OK line with counts per file, or the error (exit 2).

    Counts are numbers with a source, with an explicit assumption, and unsourced.
    With --strict, an unsourced number is an error too.

    Examples:
      strait scenario validate my-overlay.yaml
      strait scenario validate --strict scenarios/*.yaml
    """
    failed = 0
    for ref in files:
        try:
            scenario = _load(ref)
        except StraitError as exc:
            failed += 1
            msg = _one_line(str(exc))
            where = "" if Path(ref).name in msg else f"{ref}: "  # the loader names the file
            typer.echo(f"error: {where}{msg}", err=True)
            continue
        c = provenance_counts(scenario)
        counts = (
            f"{sum(c.values())} numbers ({c['source']} sourced, {c['assumption']} assumption, "
            f"{c['unsourced']} unsourced)"
        )
        if strict and c["unsourced"]:
            failed += 1
            first = next(p for p, v in scenario.iter_params() if v.provenance == "unsourced")
            typer.echo(
                f"error: {ref}: {c['unsourced']} unsourced number(s), first '{first}'; give each "
                f"a 'source' or an 'assumption' (list them: strait scenario sources {ref} "
                "--only unsourced)",
                err=True,
            )
            continue
        typer.echo(f"OK {ref}: {scenario.name}, {counts}")
    if failed:
        raise typer.Exit(code=2)


class SourcesFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class Provenance(StrEnum):
    source = "source"
    assumption = "assumption"
    unsourced = "unsourced"


@scenario_app.command("sources")
def scenario_sources(
    ref: str = typer.Argument(..., metavar="SCENARIO", help=_SCENARIO_HELP),
    fmt: SourcesFormat = typer.Option(
        SourcesFormat.table,
        "--format",
        "-f",
        help="table (plain aligned lines when not a terminal), csv, json or markdown.",
    ),
    only: Provenance | None = typer.Option(
        None, "--only", help="Only numbers with this provenance."
    ),
) -> None:
    """List every number with its value, unit and provenance, then the totals.

    The last line of table output is the totals:
    N numbers: S sourced, A assumption, U unsourced.

    Examples:
      strait scenario sources csis-base
      strait scenario sources csis-base --only assumption --format csv
    """
    scenario = _load(ref)
    rows = source_rows(scenario, only.value if only is not None else None)
    totals = fmt_totals(scenario)
    if fmt is SourcesFormat.csv:
        typer.echo(sources_csv(rows), nl=False)
    elif fmt is SourcesFormat.json:
        c = provenance_counts(scenario)
        doc = {
            "scenario": scenario.name,
            "totals": {
                "numbers": sum(c.values()),
                "sourced": c["source"],
                "assumption": c["assumption"],
                "unsourced": c["unsourced"],
            },
            "numbers": [{k: v for k, v in r.items() if k != "cited"} for r in rows],
        }
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt is SourcesFormat.markdown:
        typer.echo(sources_markdown(rows, totals), nl=False)
    else:
        console = _stdout()
        if console.is_terminal:
            console.print(sources_table(rows, title=f"{scenario.name}: numbers and sources"))
            console.print(totals)
        else:
            for line in sources_lines(rows):
                typer.echo(line)
            typer.echo(totals)


# ------------------------------------------------------------------------ roles command


@app.command("roles")
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
    scenario = _load(scenario_ref)
    console = _stdout()
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


# ------------------------------------------------------------------------- docs command


@docs_app.command("build")
def docs_build(
    root: Path = typer.Option(
        Path("."), "--root", help="Repository root (docs/reference/ is written under it)."
    ),
) -> None:
    """Regenerate docs/reference/ (scenario schema, bundled scenarios, CLI help).

    The pages are generated from the code: never edit them by hand.

    Example:
      strait docs build
    """
    from strait.docsgen import build_docs

    for path in build_docs(root):
        typer.echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
