"""``strait validate``: check strait against published results and its own role ladders.

Example:
    $ strait validate csis -n 4000 --json validation.json
    $ strait validate roles csis-base -n 10000 --allies jpn,aus
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from strait.cli._common import (
    DEFAULT_SCENARIO,
    SCENARIO_HELP,
    AddressOpt,
    ExecutorOpt,
    WorkersOpt,
    check_n,
    check_workers,
    executor_scope,
    output_path,
    progress_bar,
    say,
    stdout,
)

if TYPE_CHECKING:
    from strait.analysis.roles import RoleSweep

app = typer.Typer(
    help=("Check strait against published results (csis) and its role ladders (roles).\n\n"
          "Examples:\n  strait validate csis -n 4000 --json validation.json\n"
          "  strait validate roles csis-base -n 10000 --allies jpn,aus"),
    no_args_is_help=True)


@app.command("csis")
def validate_csis(
    n: int = typer.Option(4000, "-n", "--n", help="Campaigns per scenario."),
    seed: int = typer.Option(0, "--seed", help="Root seed, shared by every scenario."),
    workers: WorkersOpt = None,
    json_out: Path | None = typer.Option(None, "--json", help="Write the report as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    executor: ExecutorOpt = None,
    address: AddressOpt = None,
) -> None:
    """Run every bundled CSIS scenario and compare strait with the published results.

    Prints published vs strait for each target, with its tolerance and a pass (✓),
    miss (✗) or not-measured (–) mark. Misses are information: the exit code is 0.

    Example:
      strait validate csis -n 4000 --json validation.json
    """
    from strait.analysis.targets import ROLES
    from strait.analysis.validation import run_validation, validation_scenarios
    from strait.report.validation import counts_line, render_compact, render_table

    check_n(n, "campaigns per scenario", "-n 4000")
    check_workers(workers)
    json_p = output_path(json_out, "--json", "validation.json")
    console = Console(highlight=False)
    total = len(validation_scenarios())
    with executor_scope(executor, address, workers), progress_bar(console, quiet) as bar:
        task = bar.add_task("CSIS scenarios", total=total)
        report = run_validation(n=n, seed=seed, workers=workers,
                                progress=lambda s, d, t: bar.update(task, completed=d))
    # the full table needs ~160 columns; a narrower terminal gets the same content as lines
    console.print(render_table(report) if console.width >= 160 else render_compact(report))
    for role in ROLES:
        c = report.counts(role)
        console.print(f"{role} targets ({sum(c.values())}): {counts_line(c)}")
    console.print(f"{len(report.scenarios)} scenarios x {n:,} campaigns in "
                  f"{report.elapsed_s:.1f} s (misses are explained in docs/validation.md)")
    if json_p is not None:
        report.to_json(json_p)
        console.print(f"report written to {json_p}")


# ------------------------------------------------------------------------- role sweep

_FLAG_TEXT = {"ok": "ok", "identical": "IDENTICAL", "inverted": "INVERTED"}
"""How a step's flag is shown (flags in capitals stand out from ``ok``)."""


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _delta(mean: float, se: float) -> str:
    """A paired difference in percentage points with its 95 % half-width, compactly:
    ``Δ+0.06±.05``, ``Δ-13.3±.7``, ``Δ0`` (at most 10 characters)."""
    from strait.analysis.roles import Z95

    v, hw = 100 * mean, 100 * Z95 * se
    if v == 0 and hw == 0:
        return "Δ0"
    digits = 2 if abs(v) < 1 else 1
    h = f"{hw:.1f}" if hw >= 1 else f"{hw:.{digits}f}".lstrip("0")
    return f"Δ{v:+.{digits}f}±{h}"


def _loss(mean: float, low: float, high: float) -> str:
    hw = (high - low) / 2
    if abs(mean) >= 100:
        return f"{mean:.0f}\n±{hw:.1f}"
    return f"{mean:.1f}\n±{hw:.2f}"


def render_role_tables(sweep: RoleSweep) -> list[Any]:
    """One rich table per ally (rows = levels), readable at 80 columns, plus its notes."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from strait.analysis.roles import LOSSES
    from strait.scenario.models import RoleLevel

    out: list[Any] = []
    held = " (PRC strike odds held equal across rungs)" if sweep.strike_decision == "held" else ""
    for ally in sweep.allies:
        t = Table(title=f"{ally}: role sweep, {sweep.n:,} campaigns per level, seed "
                  f"{sweep.seed}{held}", title_justify="left", box=box.SIMPLE_HEAD,
                  show_lines=True, show_edge=False, padding=(0, 0, 0, 1), pad_edge=False)
        t.add_column("level", no_wrap=True)
        for head in ("P(PRC\nvictory) %", "P(PRC\ndefeat) %"):
            t.add_column(head, justify="right", no_wrap=True)
        for head in ("US\nair", "US\nships", "PRC\nships"):
            t.add_column(head, justify="right", no_wrap=True)
        t.add_column("step", no_wrap=True)
        steps = {s.upper: s for s in sweep.steps[ally]}
        notes: list[str] = []
        for cell in sweep.cells[ally]:
            step = steps.get(cell.level)
            v = f"{_pct(cell.p_victory)}\n{_pct(cell.victory_interval[0])}–" \
                f"{_pct(cell.victory_interval[1])}"
            d = f"{_pct(cell.p_defeat)}\n{_pct(cell.defeat_interval[0])}–" \
                f"{_pct(cell.defeat_interval[1])}"
            flag = ""
            if step is not None:
                v += "\n" + _delta(step.victory.mean, step.victory.se)
                d += "\n" + _delta(step.defeat.mean, step.defeat.se)
                if step.explained:
                    notes.append(f"[{len(notes) + 1}] {step.label} {step.flag}: {step.note}")
                    flag = f"note [{len(notes)}]"
                else:
                    flag = _FLAG_TEXT.get(step.flag, step.flag)
            losses = [_loss(ls.mean, ls.mean_low, ls.mean_high)
                      for ls in (cell.losses.get(c) for c in LOSSES) if ls is not None]
            style = "bold" if step is not None and step.unexplained else None
            t.add_row(f"{cell.level} {RoleLevel(cell.level).name}", v, d, *losses,
                      Text(flag, style=style or ""))
        out.append(t)
        for line in notes:
            out.append(Text(line))
    out.append(Text(
        "P: share of campaigns, Wilson 95 % interval; Δ: paired difference from the rung "
        "below (same lanes, percentage points) ± 95 % half-width; losses: mean ± 95 % (normal "
        "approximation), medians in --json. IDENTICAL: same results as the rung below; "
        "INVERTED: higher P(PRC victory) than the rung below, interval above zero."))
    return out


def role_summary_line(sweep: RoleSweep) -> str:
    """``2 flagged pairs (1 unexplained): JPN 0→1 identical, ...`` or ``no flagged pairs``."""
    flagged = sweep.flagged()
    total = sum(len(s) for s in sweep.steps.values())
    if not flagged:
        return f"no flagged pairs among {total} steps"
    parts = [f"{s.label} {s.flag}" + (" (explained)" if s.explained else "") for s in flagged]
    return (f"{len(flagged)} of {total} steps flagged ({len(sweep.unexplained())} "
            f"unexplained): " + ", ".join(parts))


def _parse_explain(items: list[str]) -> dict[tuple[Any, Any], str]:
    from strait.errors import EngineError

    out: dict[tuple[Any, Any], str] = {}
    for item in items:
        key, sep, note = item.partition("=")
        ally, colon, level = key.partition(":")
        if not sep or not colon or not note.strip() or not level.strip():
            raise EngineError(f"--explain {item!r}: expected ALLY:LEVEL=NOTE, e.g. "
                              "--explain 'phl:1=diplomatic support adds nothing to the fight'")
        lv: Any = int(level) if level.strip().isdigit() else level.strip()
        out[(ally.strip(), lv)] = note.strip()
    return out


@app.command("roles")
def validate_roles(
    scenario: str = typer.Argument(DEFAULT_SCENARIO, help=SCENARIO_HELP),
    n: int = typer.Option(10_000, "-n", "--n", help="Campaigns per level of each ally."),
    seed: int = typer.Option(0, "--seed", help="Root seed, shared by every cell."),
    allies: str = typer.Option("jpn,aus,phl,kor", "--allies",
                               help="Comma-separated allies to sweep."),
    held_strikes: bool = typer.Option(
        False, "--held-strikes",
        help="Hold the PRC's odds of striking an ally equal across rungs (every rung gets "
             "ACCESS_COMBAT's odds)."),
    explain: list[str] = typer.Option(
        [], "--explain",
        help="ALLY:LEVEL=NOTE: the step into LEVEL is flagged on purpose; show NOTE "
             "instead of the flag (repeatable)."),
    strict: bool = typer.Option(False, "--strict",
                                help="Exit 1 if any flagged pair is unexplained."),
    workers: WorkersOpt = None,
    json_out: Path | None = typer.Option(None, "--json", help="Write the sweep as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Sweep each ally over its 7 rungs with common random numbers and flag odd steps.

    Each ally in turn is forced to each level while the other allies keep their scenario
    roles (identical lane by lane). Per level: P(PRC victory) and P(PRC defeat) with
    Wilson intervals, US aircraft, US ships and PRC ships lost; per step from the rung
    below: the paired difference and a flag — IDENTICAL (the rung changes nothing) or
    INVERTED (the higher rung makes PRC victory likelier). Flags are information: the
    exit code is 0 unless --strict and a flag is unexplained.

    Example:
      strait validate roles csis-base -n 10000 --allies jpn,aus --json roles.json
    """
    from strait.analysis.roles import parse_allies, role_sweep
    from strait.cli.roles import parse_ally

    check_n(n, "campaigns per level", "-n 10000")
    check_workers(workers)
    swept = parse_allies(parse_ally(a) for a in allies.split(",") if a.strip())
    notes = _parse_explain(explain)
    json_p = output_path(json_out, "--json", "roles.json")
    console = stdout()
    with progress_bar(console, quiet) as bar:
        task = bar.add_task("role sweep", total=len(swept) * 7 * n)
        sweep = role_sweep(scenario, n=n, seed=seed, allies=swept, workers=workers,
                           strike_decision="held" if held_strikes else "as_scenario",
                           explained=notes,
                           progress=lambda d, t: bar.update(task, completed=d * n))
    for item in render_role_tables(sweep):
        if getattr(item, "title", None):  # a table: a blank line before it
            console.print()
        console.print(item)
    say(console, role_summary_line(sweep) + f" ({sweep.elapsed_s:.1f} s)")
    if json_p is not None:
        sweep.to_json(json_p)
        console.print(f"sweep written to {json_p}")
    if strict and sweep.unexplained():
        raise typer.Exit(code=1)
