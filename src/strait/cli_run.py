"""``strait run`` and ``strait compare``: play campaigns from the command line.

A thin face over :func:`strait.run`: parse arguments, show a progress bar, print the
summary. Mounted on the root app by :mod:`strait.cli`.

Example:
    $ strait run csis-base -n 100000 --seed 1
    $ strait run csis-base -n 20000 --set jpn.role=NEUTRAL --out neutral.parquet
    $ strait compare csis-base csis-japan-neutral -n 20000
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from strait.errors import EngineError

LOSS_ROWS: tuple[tuple[str, str], ...] = (
    ("usa_aircraft_lost", "US aircraft lost"),
    ("usa_carriers_lost", "US carriers lost"),
    ("usa_ships_lost", "US major surface ships lost"),
    ("usa_submarines_lost", "US submarines lost"),
    ("usa_killed", "US killed"),
    ("jpn_aircraft_lost", "Japan aircraft lost"),
    ("jpn_ships_lost", "Japan ships lost"),
    ("twn_aircraft_lost", "Taiwan aircraft lost"),
    ("twn_ships_lost", "Taiwan ships lost"),
    ("chn_aircraft_lost", "PLA aircraft lost"),
    ("chn_amphibious_ships_lost", "PLA amphibious ships lost"),
    ("chn_ships_lost", "PLA major ships lost"),
    ("chn_killed", "PLA killed"),
    ("pla_bn_landed", "PLA battalions landed"),
    ("pla_bn_ashore", "PLA battalions ashore at end"),
    ("prc_share_of_taiwan", "Share of Taiwan held by PRC"),
    ("end_day", "Campaign end (day)"),
)


def _progress(console: Console, quiet: bool) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("campaigns"), TimeElapsedColumn(), console=console,
                    disable=quiet, transient=True)


def _run(name: str, n: int, seed: int, workers: int | None, sets: list[str],
         out: Path | None, trajectories: int, console: Console, quiet: bool) -> Any:
    import strait

    if n <= 0:
        raise EngineError(f"-n: expected a number of campaigns > 0, found {n}; use e.g. -n 10000")
    with _progress(console, quiet) as bar:
        task = bar.add_task(name, total=n)
        return strait.run(name, n=n, seed=seed, workers=workers, changes=sets or None,
                          trajectories=trajectories, out=out,
                          progress=lambda done, total: bar.update(task, completed=done))


def _fmt(x: float, col: str) -> str:
    if math.isnan(x):
        return "–"
    if col == "prc_share_of_taiwan":
        return f"{100 * x:.1f} %"
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:.1f}"


def _table(title: str, first: str, titles: list[str]) -> Table:
    t = Table(title=title)
    t.add_column(first)
    for name in titles:
        t.add_column(name, justify="right")
    return t


def outcome_table(results: list[Any], titles: list[str]) -> Table:
    """Outcome probabilities with Wilson 95 % intervals, one column per run."""
    from strait.engine import OUTCOME_LABELS

    t = _table("Outcome (share of campaigns, Wilson 95 % interval)", "outcome", titles)
    sums = [r.summary() for r in results]
    for key, label in OUTCOME_LABELS.items():
        cells = []
        for s in sums:
            p = s.outcome_probabilities[key]
            lo, hi = s.outcome_intervals[key]
            cells.append(f"{100 * p:5.1f} %  [{100 * lo:.1f}–{100 * hi:.1f}]")
        t.add_row(label, *cells)
    return t


def loss_table(results: list[Any], titles: list[str]) -> Table:
    """Median and 5–95 % band of losses and key quantities, one column per run."""
    t = _table("Losses and ground war (median [5–95 %])", "quantity", titles)
    sums = [r.summary() for r in results]
    for col, label in LOSS_ROWS:
        cells = []
        for s in sums:
            q = s.losses.get(col)
            cells.append("–" if q is None else
                         f"{_fmt(q['median'], col)} [{_fmt(q['p05'], col)}–{_fmt(q['p95'], col)}]")
        t.add_row(label, *cells)
    return t


def timing_table(results: list[Any], titles: list[str]) -> Table:
    """Key timings (median day, share of campaigns where it happened)."""
    t = _table("Key timings (median day; share of campaigns)", "event", titles)
    labels = {
        "amphibious_fleet_below_10pct": "Amphibious fleet below 10 %",
        "lrasm_exhausted": "LRASM stock exhausted",
        "taiwan_shore_asm_exhausted": "Taiwan shore ASCMs spent/destroyed",
    }
    sums = [r.summary() for r in results]
    for key, label in labels.items():
        cells = []
        for s in sums:
            d = s.timings.get(f"{key}_day", math.nan)
            share = s.timings.get(f"{key}_share", 0.0)
            cells.append(f"{'–' if math.isnan(d) else f'day {d:.1f}'} ({100 * share:.0f} %)")
        t.add_row(label, *cells)
    t2_rows = []
    for ally in ("jpn", "aus", "phl", "kor"):
        cells = []
        for s in sums:
            r = s.roles.get(ally, {})
            cells.append(f"struck {100 * r.get('struck', 0):.0f} %, "
                         f"escalated {100 * r.get('escalated', 0):.0f} %")
        t2_rows.append((f"{ally.upper()} territory struck / role escalated", cells))
    for label, cells in t2_rows:
        t.add_row(label, *cells)
    return t


def register(app: typer.Typer) -> None:
    """Mount ``run`` and ``compare`` on the root app."""

    @app.command("run")
    def run_cmd(
        scenario: str = typer.Argument(..., help="Bundled scenario name or YAML file."),
        n: int = typer.Option(10_000, "-n", "--n", help="Number of campaigns (lanes)."),
        seed: int = typer.Option(0, "--seed", help="Root seed: same seed, same results."),
        workers: int = typer.Option(0, "--workers", "-w",
                                    help="Processes (0 = all cores, 1 = in-process)."),
        sets: list[str] = typer.Option([], "--set", help="Override, e.g. jpn.role=NEUTRAL or "
                                       "parameters.antiship.p_hit_subsonic=0.08 (repeatable)."),
        out: Path | None = typer.Option(None, "--out", help="Write per-campaign rows to Parquet."),
        trajectories: int = typer.Option(0, "--trajectories",
                                         help="Record per-turn trajectories of K campaigns."),
        json_out: Path | None = typer.Option(None, "--json", help="Write the summary as JSON."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """Play N campaigns of a scenario and print outcome probabilities and losses.

        Example: strait run csis-base -n 100000 --seed 1 --set jpn.role=ACCESS_COMBAT
        """
        console = Console(highlight=False)
        res = _run(scenario, n, seed, workers or None, sets, out, trajectories, console, quiet)
        title = scenario if not sets else f"{scenario} ({', '.join(sets)})"
        elapsed = res.meta.get("elapsed_s", float("nan"))
        console.print(f"{res.scenario_name}: {res.n:,} campaigns, seed {seed}, "
                      f"{elapsed:.1f} s ({res.n / max(elapsed, 1e-9):,.0f} campaigns/s), "
                      f"scenario hash {res.scenario_hash[:12]}")
        console.print(outcome_table([res], [title]))
        console.print(loss_table([res], [title]))
        console.print(timing_table([res], [title]))
        if out is not None:
            console.print(f"per-campaign rows written to {out}")
        if trajectories:
            console.print(f"trajectories recorded for {len(res.trajectories)} campaigns "
                          "(Python API: results.trajectories)")
        if json_out is not None:
            doc = {"scenario": res.scenario_name, "scenario_hash": res.scenario_hash,
                   "seed": seed, "sets": sets, **res.summary().to_dict()}
            json_out.write_text(json.dumps(doc, indent=2))
            console.print(f"summary written to {json_out}")

    @app.command("compare")
    def compare_cmd(
        scenarios: list[str] = typer.Argument(..., help="Two or more scenario names or files."),
        n: int = typer.Option(10_000, "-n", "--n", help="Campaigns per scenario."),
        seed: int = typer.Option(0, "--seed", help="Root seed (shared: common random numbers)."),
        workers: int = typer.Option(0, "--workers", "-w", help="Processes (0 = all cores)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """Run several scenarios with the same seed and show them side by side.

        Example: strait compare csis-base csis-japan-neutral -n 20000
        """
        console = Console(highlight=False)
        if len(scenarios) < 2:
            raise EngineError("SCENARIOS: expected at least two scenarios to compare; "
                              "e.g. strait compare csis-base csis-japan-neutral")
        results = [_run(s, n, seed, workers or None, [], None, 0, console, quiet)
                   for s in scenarios]
        console.print(outcome_table(results, scenarios))
        console.print(loss_table(results, scenarios))
        console.print(timing_table(results, scenarios))
        base, other = results[0].summary(), results[1].summary()
        d = 100 * (other.outcome_probabilities["prc_victory"]
                   - base.outcome_probabilities["prc_victory"])
        console.print(f"P(PRC victory): {scenarios[1]} vs {scenarios[0]}: {d:+.1f} points")


def register_validate(app: typer.Typer, docs_app: typer.Typer) -> None:
    """Mount ``validate csis`` and ``docs validation``."""
    validate_app = typer.Typer(
        help=("Check strait against published results.\n\n"
              "Example:\n  strait validate csis -n 4000 --json validation.json"),
        no_args_is_help=True)
    app.add_typer(validate_app, name="validate")

    @validate_app.command("csis")
    def validate_csis(
        n: int = typer.Option(4000, "-n", "--n", help="Campaigns per scenario."),
        seed: int = typer.Option(0, "--seed", help="Root seed, shared by every scenario."),
        workers: int = typer.Option(0, "--workers", "-w", help="Processes (0 = all cores)."),
        json_out: Path | None = typer.Option(None, "--json", help="Write the report as JSON."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """Run every bundled CSIS scenario and compare strait with the published results.

        Prints published vs strait for each target, with its tolerance and a pass (✓),
        miss (✗) or not-measured (–) mark. Misses are information: the exit code is 0.

        Example: strait validate csis -n 4000 --json validation.json
        """
        from strait.analysis.validation import run_validation, validation_scenarios
        from strait.report.validation import render_table

        if n <= 0:
            raise EngineError(f"-n: expected campaigns per scenario > 0, found {n}; "
                              "use e.g. -n 4000")
        console = Console(highlight=False)
        total = len(validation_scenarios())
        with _progress(console, quiet) as bar:
            task = bar.add_task("CSIS scenarios", total=total)
            report = run_validation(n=n, seed=seed, workers=workers or None,
                                    progress=lambda s, d, t: bar.update(task, completed=d))
        console.print(render_table(report))
        c = report.counts()
        console.print(f"{c.get('pass', 0)} pass, {c.get('fail', 0)} miss, "
                      f"{c.get('not measured', 0)} not measured; {len(report.scenarios)} "
                      f"scenarios x {n:,} campaigns in {report.elapsed_s:.1f} s "
                      "(misses are explained in docs/validation.md)")
        if json_out is not None:
            report.to_json(json_out)
            console.print(f"report written to {json_out}")

    @docs_app.command("validation")
    def docs_validation(
        n: int = typer.Option(4000, "-n", "--n", help="Campaigns per scenario."),
        seed: int = typer.Option(0, "--seed", help="Root seed."),
        workers: int = typer.Option(0, "--workers", "-w", help="Processes (0 = all cores)."),
        out: Path = typer.Option(Path("docs"), "--out", help="Docs folder to write into."),
    ) -> None:
        """Regenerate docs/validation.md and its figures from a fresh validation run.

        Example: strait docs validation -n 4000
        """
        from strait.report.validation import build_validation_docs

        cmd = f"strait docs validation -n {n} --seed {seed}"
        _, paths = build_validation_docs(out, n=n, seed=seed, workers=workers or None,
                                         command=cmd)
        for p in paths:
            typer.echo(f"wrote {p}")
