"""``strait scenario``: list, show, validate scenarios and list their numbers' sources.

Commands parse arguments, call the scenario loader and print. Everything that turns
model objects into text lives in the ``*_rows`` / ``sources_*`` / ``render_*`` helpers
here and the ``fmt_*`` helpers in :mod:`strait.cli._common`.

Example:
    $ strait scenario list
    $ strait scenario sources csis-base --only assumption
"""

from __future__ import annotations

import csv
import io
import json
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

from strait.cli import _common
from strait.cli._common import (
    SCENARIO_HELP,
    enum_key,
    fmt_escalation,
    fmt_num,
    fmt_param,
    fmt_param_short,
    fmt_provenance,
    fmt_role,
    heading,
    one_line,
    say,
    stdout,
    yes_no,
)
from strait.errors import ScenarioError, StraitError

if TYPE_CHECKING:
    from strait.scenario.models import ForceSet, Param, Scenario

app = typer.Typer(
    help=(
        "List, inspect and validate scenarios (bundled names or YAML files).\n\n"
        "SCENARIO is a bundled name (see 'strait scenario list') or a path to a YAML file.\n\n"
        "Examples:\n"
        "  strait scenario list\n"
        "  strait scenario validate my-overlay.yaml"
    ),
    no_args_is_help=True,
)


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
            parts.append(f"{enum_key(cls)} {fmt_num(round(total, 1))} ({at})")
        lines.append("aircraft: " + "; ".join(parts))
    for label, mapping in (("ships", fs.ships), ("lift", fs.lift), ("munitions", fs.munitions)):
        if mapping:
            lines.append(
                f"{label}: "
                + ", ".join(f"{enum_key(k)} {fmt_param_short(v)}" for k, v in mapping.items())
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



def _render_bases(s: Scenario, console: Console) -> None:
    """The bases table, or one line per base when the table would not fit."""
    cols = ("km", "parking", "shelters", "runways", "interceptors")
    rows = [
        (key, b.owner.value,
         *(fmt_param_short(p) for p in (b.distance_km, b.parking_capacity,
                                        b.hardened_shelters, b.runways, b.interceptors)),
         yes_no(b.port))
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
            say(console, f"{key} ({owner}): {text}; port {port}", 2, 6)
    say(console, "distributions shown as mode (low–high) or low–high; exact forms: "
         f"strait scenario sources {s.name}", 2)


def render_show(scenario: Scenario, console: Console, extends: Sequence[str] = ()) -> None:
    """Print a readable view of a resolved scenario."""
    from strait.scenario.models import ACTOR_NAMES

    s = scenario
    console.print(Text(f"{s.name} — {s.title}", style="bold"))
    if s.description:
        say(console, s.description, hang=0)
    say(console, f"family: {s.family or '-'}; extends: {' → '.join(extends) or '-'}")
    c = s.campaign
    say(
        console,
        f"campaign clock: {c.horizon_turns} turns of {fmt_num(c.turn_days)} days "
        f"(up to {fmt_num(c.horizon_turns * c.turn_days)} days)",
    )

    heading(console, "Allies")
    if not s.allies:
        say(console, "(none)", 2)
    for actor, ally in s.allies.items():
        console.print(Text(f"  {actor.value} {ACTOR_NAMES.get(actor, '')}", style="bold"))
        say(console, f"role: {fmt_role(ally.role)}", 4, 8)
        for rule in ally.escalation:
            say(console, f"escalation: {fmt_escalation(rule)}", 4, 8)

    d = s.doctrine
    heading(console, "Doctrine")
    say(console, "PRC: strikes an ally's territory, by the ally's level: on turn 1 "
         f"{_level_map(d.prc.strike_ally_first_turn)}; per later turn "
         f"{_level_map(d.prc.strike_ally_per_turn)}", 2, 7)
    weights = ", ".join(f"{k} {fmt_param(v)}" for k, v in d.prc.weights.items()) or "-"
    say(console, f"strike Guam: {yes_no(d.prc.strike_guam)}; strike Taiwan air bases: "
         f"{yes_no(d.prc.strike_taiwan_airbases)}; missile weights: {weights}", 7, 7)
    u = d.usa
    say(
        console,
        f"USA: intervenes {yes_no(u.intervenes)}, entry turn {u.entry_turn}, "
        f"bomber delay {u.bomber_delay_turns} turns, basing {u.basing}, "
        f"amphibious priority {fmt_param(u.amphibious_priority)}, "
        f"JASSM maritime strike {yes_no(u.maritime_strike_jassm)}, "
        f"strike mainland {yes_no(u.strike_mainland)}",
        2,
        7,
    )
    t = d.twn
    say(console, f"TWN: resists {yes_no(t.resists)}, paralysed {t.paralysed_turns} turns, "
         f"ground Harpoons {yes_no(t.ground_harpoons)}", 2, 7)

    if s.bases:
        _render_bases(s, console)
    else:
        heading(console, "Bases")
        say(console, "(none)", 2)

    heading(console, "Forces")
    if not s.forces:
        say(console, "(none)", 2)
    for actor, fs in s.forces.items():
        console.print(Text(f"  {actor.value}", style="bold"))
        for line in forces_summary(fs):
            say(console, line, 4, 8)

    heading(console, "Parameters")
    groups = {name: len(getattr(s.parameters, name)) for name in type(s.parameters).model_fields}
    say(console, ", ".join(f"{g} {n}" for g, n in groups.items())
         + f" (total {sum(groups.values())})", 2)
    say(console, f"{fmt_totals(s)} (details: strait scenario sources {s.name})", 2)


# ------------------------------------------------------------------ scenario commands


@app.command("list")
def scenario_list() -> None:
    """List the bundled scenarios: name, family, extends, title.

    Bundled scenarios ship inside the package; any of their names can be given
    wherever a command takes a SCENARIO.

    Example:
      strait scenario list
    """
    from strait.scenario.registry import list_scenarios

    infos = sorted(list_scenarios(), key=lambda i: i.name)
    console = stdout()
    noun = "scenario" if len(infos) == 1 else "scenarios"
    table = Table(title=f"{len(infos)} bundled {noun}", title_justify="left")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("family")
    table.add_column("extends")
    table.add_column("title", overflow="fold")
    for i in infos:
        table.add_row(i.name, i.family or "-", i.extends or "-", i.title)
    console.print(table)


@app.command("show")
def scenario_show(
    ref: str = typer.Argument(..., metavar="SCENARIO", help=SCENARIO_HELP),
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
    scenario = _common.load(ref)
    if as_json:
        dump = _plain(scenario.model_dump(by_alias=True, exclude_none=True))
        typer.echo(json.dumps(dump, indent=2, ensure_ascii=False))
        return
    render_show(scenario, stdout(), _extends_chain(ref))


def _plain(obj: Any) -> Any:
    """Mapping → YAML/JSON-safe builtins; role levels become names (``ACCESS_COMBAT``),
    other enums their values, so the output loads back as a scenario."""
    if isinstance(obj, dict):
        return {enum_key(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, Enum):
        return enum_key(obj)
    return obj


@app.command("validate")
def scenario_validate(
    files: list[str] = typer.Argument(
        ..., metavar="FILE", help="Scenario YAML files (one or more)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Also fail if any number is unsourced."),
    effects: bool = typer.Option(
        True, "--effects/--no-effects",
        help="Play a few hundred campaigns and warn about every field the engine never read "
             "(an input with no effect in this scenario)."),
) -> None:
    """Validate scenario files: one OK line with counts per file, or the error (exit 2).

    Counts are numbers with a source, with an explicit assumption, and unsourced.
    With --strict, an unsourced number is an error too. Then each file is compiled and
    512 campaigns are played while the engine records what it reads: every field the
    scenario sets that nothing read gets a warning line naming it (it changes no result
    in this scenario, e.g. dispersal parameters when US basing is forward).

    Examples:
      strait scenario validate my-overlay.yaml
      strait scenario validate --strict scenarios/*.yaml
    """
    failed = 0
    for ref in files:
        try:
            scenario = _common.load(ref)
        except StraitError as exc:
            failed += 1
            msg = one_line(str(exc))
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
        if effects:
            _warn_unused(ref, scenario)
    if failed:
        raise typer.Exit(code=2)


def _warn_unused(ref: str, scenario: Scenario) -> None:
    """One warning line per field the engine never read while playing ``scenario``."""
    from strait.engine.check import unused_inputs
    from strait.scenario.loader import load_scenario
    try:
        unused = unused_inputs(scenario)
        # a field read only under one of the scenario's declared decision options (e.g.
        # the dispersal factors under dispersed basing) matters there
        for opt in scenario.analysis.decisions.values():
            if not unused:
                break
            variant = load_scenario(ref, changes=dict(opt.changes))
            unused = [p for p in unused if p in set(unused_inputs(variant))]
    except StraitError as exc:
        typer.echo(f"warning: {ref}: not playable as it stands, so effects were not checked: "
                   f"{one_line(str(exc))}", err=True)
        return
    for path in unused:
        typer.echo(f"warning: {ref}: {path} has no effect in this scenario (the engine never "
                   "read it); remove it, or set what makes it matter", err=True)


class SourcesFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class Provenance(StrEnum):
    source = "source"
    assumption = "assumption"
    unsourced = "unsourced"


@app.command("sources")
def scenario_sources(
    ref: str = typer.Argument(..., metavar="SCENARIO", help=SCENARIO_HELP),
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
    scenario = _common.load(ref)
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
        console = stdout()
        if console.is_terminal:
            console.print(sources_table(rows, title=f"{scenario.name}: numbers and sources"))
            console.print(totals)
        else:
            for line in sources_lines(rows):
                typer.echo(line)
            typer.echo(totals)
