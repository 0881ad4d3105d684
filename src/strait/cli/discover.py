"""``strait discover``: scenario discovery (PRIM) on a stored study's lanes.

Which inputs, in which ranges (and which allies' roles), make the defence fail? Needs a
study swept with ``--lanes --inputs``; the analysis is :mod:`strait.analysis.discovery`.

Example:
    $ strait sweep ft-2025-ambiguity --allies jpn,aus --levels 0,3,6 -n 400 --lanes --inputs
    $ strait discover 1 --density 0.8 --png prim.png
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from strait.analysis.discovery import (
    DEFAULT_DENSITY,
    DEFAULT_MAX_RESTRICTED,
    DEFAULT_OUTCOME,
    Discovery,
)
from strait.cli._common import invoked_command, output_path
from strait.errors import StudyError

WIDTH = 80
TRAJECTORY_ROWS = 12


def _short(name: str, width: int) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]


def box_lines(d: Discovery) -> list[str]:
    """The chosen box, coverage, density and a short trajectory table (≤ 80 columns)."""
    lines = [f"case of interest: outcome {d.outcome_label} "
             f"({d.n_interest:,} of {d.n:,} lanes, {d.base_rate:.1%})",
             f"inputs: {len(d.inputs)} varying ({len(d.dropped)} constant dropped)"]
    rule = (f"greatest coverage with density ≥ {d.density_target:.0%}" if d.reached_target
            else f"no box reaches density {d.density_target:.0%}; the densest")
    if d.max_restricted is not None:
        rule += f", ≤ {d.max_restricted} inputs"
    lines += ["", f"box (step {d.chosen}: {rule}):"]
    if not d.box:
        lines.append("  (no restriction: the whole input space)")
    for r in d.box:
        lines.append(f"  {_short(r.name, 40):<40}  {r.describe()}"[:WIDTH])
    lines.append(f"coverage {d.coverage:.1%}  density {d.density:.1%}  "
                 f"({d.n_box:,} lanes in the box)")
    lines += ["", "peeling trajectory:",
              f"{'step':>6}  {'coverage':>8}  {'density':>8}  {'mass':>7}  "
              f"{'restricted':>10}  {'lanes':>7}"]
    t = d.trajectory
    idx = sorted({0, d.chosen, len(t) - 1,
                  *t.index[:: max(1, len(t) // (TRAJECTORY_ROWS - 3))].tolist()})
    for i in idx:
        r = t.iloc[i]
        mark = "*" if i == d.chosen else " "
        lines.append(f"{mark}{int(r['step']):>5}  {r['coverage']:>8.1%}  "
                     f"{r['density']:>8.1%}  {r['mass']:>7.1%}  {int(r['res_dim']):>10}  "
                     f"{int(r['n']):>7,}")
    lines.append(f"* chosen; {len(t)} steps in all; pick another with --step N")
    return lines


def discover_cmd(
    ctx: typer.Context,
    study: int = typer.Argument(..., help="Study id (strait study list)."),
    db: Path = typer.Option(Path("studies.duckdb"), "--db", help="Study file."),
    outcome: str = typer.Option(
        DEFAULT_OUTCOME, "--outcome",
        help="Case of interest: an outcome name (prc_victory ... prc_defeat), a group "
        "(defence_fails, prc_advantage, not_prc_defeat) or codes, e.g. 0,1."),
    density: float = typer.Option(
        DEFAULT_DENSITY, "--density",
        help="Density target: the box chosen is the one of greatest coverage whose "
        "density reaches it (else the densest)."),
    max_inputs: int = typer.Option(
        DEFAULT_MAX_RESTRICTED, "--max-inputs",
        help="Most inputs the chosen box may restrict (0: no cap); few restrictions keep "
        "the box readable and off noise."),
    step: int | None = typer.Option(
        None, "--step", help="Report this step of the trajectory instead."),
    peel_alpha: float = typer.Option(0.05, "--peel-alpha",
                                     help="Share of lanes peeled per step."),
    json_out: Path | None = typer.Option(None, "--json", help="Write the result as JSON."),
    png: Path | None = typer.Option(None, "--png",
                                    help="Write the peeling trajectory chart (PNG)."),
) -> None:
    """Scenario discovery with PRIM: the box of inputs (ranges of sampled inputs,
    levels of allies' roles) in which the case of interest (default: PRC victory) is
    dense, with its coverage, density and the peeling trajectory.

    Needs a study swept with --lanes --inputs.

    Example:
      strait sweep ft-2025-ambiguity --allies jpn,aus --levels 0,3,6 -n 400 --lanes --inputs
      strait discover 1 --density 0.8 --png prim.png
    """
    from strait.analysis.discovery import discover, parse_outcome
    from strait.experiments.store import StudyStore

    codes = parse_outcome(outcome)
    output_path(json_out, "--json", "--json prim.json")
    output_path(png, "--png", "--png prim.png")
    if not db.exists():
        raise StudyError(f"--db: no study file at {db}; run strait sweep first or give the "
                         "file with --db")
    with StudyStore(db, create=False) as store:
        meta = store.study(study)
        lanes = store.lanes(study) if store.n_lanes(study) else None
    rerun = (f"rerun the sweep with --lanes --inputs, e.g. strait sweep {meta['scenario']} "
             "--allies jpn,aus --lanes --inputs")
    if lanes is None or lanes.empty:
        raise StudyError(f"study {study}: no lanes stored; {rerun}")
    if not any("." in c for c in lanes.columns):
        raise StudyError(f"study {study}: no sampled inputs stored; {rerun}")
    info = {"id": int(study), "scenario": str(meta["scenario"]), "seed": int(meta["seed"]),
            "n_per_cell": int(meta["n_per_cell"]), "n_cells": int(meta["n_cells"]),
            "strait_version": str(meta["strait_version"])}
    d = discover(lanes, codes, threshold=density, peel_alpha=peel_alpha, step=step,
                 meta=info, max_restricted=max_inputs)
    with StudyStore(db, create=False) as store:
        store.add_analysis(study, "discovery", d.to_dict(), command=invoked_command(ctx))
    typer.echo(f"study {study}: {info['scenario']}, {len(lanes):,} lanes "
               f"({info['n_cells']} cells × {info['n_per_cell']:,}), seed {info['seed']}")
    for line in box_lines(d):
        typer.echo(line)
    if json_out is not None:
        json_out.write_text(json.dumps(d.to_dict(), indent=2) + "\n")
        typer.echo(f"JSON written to {json_out}")
    if png is not None:
        title = (f"PRIM trajectory, {d.outcome_label}: study {study}, {info['scenario']}, "
                 f"N={len(lanes):,}, seed {info['seed']}, strait {info['strait_version']}")
        d.write_png(str(png), title)
        typer.echo(f"chart written to {png}")
    typer.echo(f"stored with study {study}; strait report {study} shows the box")
