"""``strait sweep``: a role (or parameter) sweep stored as a study, shown as a grid.

Each cell plays the same campaigns (same seed, common random numbers) with the swept
allies forced to the cell's levels, or one parameter set to the cell's value, and is
stored in the study file (``--db``) as soon as it finishes, so ``--resume`` continues an
interrupted sweep. The text renderers here are shared with ``strait study show``.

Example:
    $ strait sweep ft-2025-ambiguity --allies jpn,aus -n 2000
    $ strait sweep csis-base --allies jpn --levels 0,3,6 --resume
    $ strait sweep csis-base --param parameters.antiship.p_hit_subsonic=0.04,0.08,0.12
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.console import Console

from strait.cli._common import (
    SCENARIO_HELP,
    AddressOpt,
    ExecutorOpt,
    WorkersOpt,
    blocks_text,
    check_n,
    check_workers,
    progress_bar,
)
from strait.errors import StudyError

DEFAULT_ALLIES = "jpn,aus"
DB_HELP = "Study file (DuckDB; created if missing)."

LEVEL_SHORT: dict[int, str] = {0: "NEUT", 1: "DIPL", 2: "ACC-N", 3: "ACC-C", 4: "LOG",
                               5: "DEF", 6: "FULL"}
"""Short level names for column headers (0 NEUTRAL … 6 FULL_COMBAT)."""

WIDTH = 80


# -------------------------------------------------------------------------- render


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def signed_pct(x: float) -> str:
    return f"{100 * x:+.1f}"


def _mark(row: pd.Series) -> str:
    """``+``/``-`` when the paired interval against the reference lies above/below 0."""
    lo, hi = row.get("d_prc_victory_low"), row.get("d_prc_victory_high")
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return " "
    return "+" if lo > 0 else "-" if hi < 0 else " "


def _level_name(level: int) -> str:
    from strait.scenario import RoleLevel

    return f"{level} {RoleLevel(level).name}"


def grid_lines(cells: pd.DataFrame, design: dict[str, Any]) -> list[str]:
    """P(PRC victory) as a grid: first swept ally's level (rows) × second's (columns); one
    grid per combination of any further allies' levels. At most :data:`WIDTH` columns."""
    allies: list[str] = list(design["allies"])
    levels: list[int] = [int(v) for v in design["levels"]]
    specs = design["cells"]
    by_levels: dict[tuple[int, ...], pd.Series] = {}
    for _, r in cells.iterrows():
        lv = specs[int(r["cell"])].get("levels") or {}
        if lv:
            by_levels[tuple(int(lv[a]) for a in allies)] = r
    row_ally, col_ally, rest = allies[0], allies[1], allies[2:]
    label_w = max(len(_level_name(v)) for v in levels) + 1
    col_w = 8
    lines: list[str] = []
    for others in itertools.product(levels, repeat=len(rest)):
        if rest:
            lines.append("")
            lines.append(", ".join(f"{a} at {_level_name(v)}"
                                   for a, v in zip(rest, others, strict=True)) + ":")
        lines.append(f"{row_ally + ' ↓  ' + col_ally + ' →':<{label_w}}"
                     + "".join(f"{f'{v} {LEVEL_SHORT[v]}':>{col_w}}" for v in levels))
        for rv in levels:
            text = f"{_level_name(rv):<{label_w}}"
            for cv in levels:
                cell = by_levels.get((rv, cv, *others))
                text += f"{'·':>{col_w}}" if cell is None else (
                    f"{pct(cell['p_prc_victory']):>{col_w - 1}}{_mark(cell)}")
            lines.append(text.rstrip())
    return lines


def list_lines(cells: pd.DataFrame, design: dict[str, Any]) -> list[str]:
    """One line per cell: P(PRC victory) [95 %], paired Δ vs the reference [95 %],
    P(PRC defeat), mean US ships lost."""
    specs = design["cells"]
    param = design.get("param")
    labels = []
    for _, r in cells.iterrows():
        spec = specs[int(r["cell"])]
        if param and spec.get("changes"):
            labels.append(str(r["label"]).split("=", 1)[-1])
        else:
            labels.append(str(r["label"]))
    lw = min(max([len(s) for s in labels] + [5]), 24)
    head = (f"{'value' if param else 'cell':<{lw}}  {'P(PRC victory) %':>18}  "
            f"{'Δ vs ref. (pp)':>19}  {'defeat %':>8}  {'US ships':>8}")
    lines = [head]
    for label, (_, r) in zip(labels, cells.iterrows(), strict=True):
        if len(label) > lw:
            label = label[:lw - 1] + "…"
        vic = (f"{pct(r['p_prc_victory'])} [{pct(r['p_prc_victory_low'])}–"
               f"{pct(r['p_prc_victory_high'])}]")
        if bool(r["is_reference"]):
            d = "reference"
        else:
            d = (f"{signed_pct(r['d_prc_victory'])} [{signed_pct(r['d_prc_victory_low'])} "
                 f"{signed_pct(r['d_prc_victory_high'])}]")
        lines.append(f"{label:<{lw}}  {vic:>18}  {d:>19}  {pct(r['p_prc_defeat']):>8}  "
                     f"{r['usa_ships_lost_mean']:>8.1f}")
    return lines


def study_lines(cells: pd.DataFrame, info: dict[str, Any], grid: bool = True) -> list[str]:
    """The compact view of a study: its grid (role sweeps of 2+ allies) or its list."""
    design = info["design"]
    n = int(info["n_per_cell"])
    lines = [f"P(PRC victory), % — {info['scenario']}, {n:,} campaigns per cell, "
             f"seed {info['seed']}"]
    ref = cells[cells["is_reference"]]
    if design.get("kind") == "roles" and len(design.get("allies", [])) >= 2 and grid:
        if not ref.empty:
            r = ref.iloc[0]
            lines.append(f"reference (scenario roles): {pct(r['p_prc_victory'])} "
                         f"[{pct(r['p_prc_victory_low'])}–{pct(r['p_prc_victory_high'])}]")
        lines.append("")
        lines += grid_lines(cells, design)
        lines.append("")
        lines.append("+/-: above/below the reference (paired 95 % interval excludes 0)")
        if len(cells) < len(design["cells"]):
            lines.append("·: cell not stored yet (finish with --resume)")
        if not cells.empty:
            hw = float((cells["p_prc_victory_high"] - cells["p_prc_victory_low"]).max()) / 2
            lines.append(f"Wilson 95 % half-width at most ±{100 * hw:.1f} pp per cell")
    else:
        if design.get("param"):
            lines.append(f"parameter {design['param']}; reference = first value")
        lines.append("")
        lines += list_lines(cells, design)
    return lines


def echo_lines(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line)


# ------------------------------------------------------------------------ progress


@dataclass
class StudyProgress:
    """Progress of a study on stderr: on a terminal, the transient bar shared by every
    executor (blocks, campaigns, campaigns per second, ETA), moved block by block; in a
    log or a pipe, one line per stored cell; nothing with ``quiet``."""

    cells: Callable[[int, int], None] | None = None
    campaigns: Callable[[int, int], None] | None = None


@contextmanager
def cell_progress(quiet: bool, n: int) -> Iterator[StudyProgress]:
    err = Console(stderr=True, highlight=False, markup=False, emoji=False)
    if quiet:
        yield StudyProgress()
    elif not err.is_terminal:
        def line(done: int, total: int) -> None:
            print(f"stored cell {done}/{total}", file=sys.stderr, flush=True)
        yield StudyProgress(cells=line)
    else:
        with progress_bar(err, quiet) as bar:
            task = bar.add_task("sweep", total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total,
                           blocks=blocks_text(done, total, n))
            yield StudyProgress(campaigns=update)


# ------------------------------------------------------------------------- command


def sweep_cmd(
    scenario: str = typer.Argument(..., metavar="SCENARIO", help=SCENARIO_HELP),
    allies: str | None = typer.Option(
        None, "--allies", "-a", show_default=False,
        help=f"Allies to sweep, comma-separated (JPN, AUS, PHL, KOR; default {DEFAULT_ALLIES})."
             " Every combination of their levels is one cell."),
    levels: str | None = typer.Option(
        None, "--levels", "-l", show_default=False,
        help="Levels to sweep, comma-separated: 0-6 or names (e.g. 0,3,6 or "
             "neutral,full_combat; default all seven)."),
    param: str | None = typer.Option(
        None, "--param", show_default=False,
        help="PATH=v1,v2,...: sweep one scenario parameter instead (one cell per value; "
             "the first value is the reference)."),
    n: int = typer.Option(2000, "-n", "--n", help="Campaigns per cell."),
    seed: int = typer.Option(0, "--seed", help="Root seed, shared by every cell."),
    db: Path = typer.Option(Path("studies.duckdb"), "--db", help=DB_HELP),
    name: str | None = typer.Option(None, "--name", help="A name for the study.",
                                    show_default=False),
    resume: bool = typer.Option(
        False, "--resume", help="Continue the stored study with the same design: play only "
        "the cells it lacks."),
    workers: WorkersOpt = None,
    executor: ExecutorOpt = None,
    address: AddressOpt = None,
    lanes: bool = typer.Option(False, "--lanes", help="Also store one row per campaign."),
    inputs: bool = typer.Option(False, "--inputs",
                                help="Also store each campaign's sampled inputs (implies "
                                     "--lanes)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress report."),
) -> None:
    """Sweep allies' role levels (or one parameter) with common random numbers, store each
    cell in a study file as it finishes, and print P(PRC victory) as a grid.

    Cell 0 is the reference: the scenario's own roles (role sweep) or the first value
    (--param). The allies not swept keep, lane by lane, the roles they draw in the
    reference run. Each cell also stores every outcome's share with a Wilson interval,
    key losses and paired differences against the reference ('strait study show').

    Example:
      strait sweep ft-2025-ambiguity --allies jpn,aus -n 2000
      strait sweep csis-base --allies jpn --levels 0,3,6 --db my.duckdb --resume
      strait sweep csis-base --param parameters.antiship.p_hit_subsonic=0.04,0.08,0.12
      strait sweep csis-base --allies jpn -n 100000 --executor ray --address 10.0.0.5:6379
    """
    from strait.experiments.store import StudyStore
    from strait.experiments.study import (
        command_line,
        param_sweep_design,
        parse_param,
        role_sweep_design,
        run_study,
    )

    check_n(n, "campaigns per cell", "-n 2000")
    check_workers(workers)
    if seed < 0:
        raise StudyError(f"--seed: expected an integer >= 0, found {seed}")
    if param is not None and (allies is not None or levels is not None):
        raise StudyError("--param: sweeps one parameter with the scenario's roles; give "
                         "either --param or --allies/--levels, not both")
    if param is not None:
        path, values = parse_param(param)
        design = param_sweep_design(scenario, path, values, n=n, seed=seed, name=name,
                                    keep_lanes=lanes, keep_inputs=inputs)
    else:
        from strait.cli.roles import parse_ally

        codes = [parse_ally(a).value for a in (allies or DEFAULT_ALLIES).split(",")
                 if a.strip()]
        if not codes:
            raise StudyError("--allies: expected allies separated by commas, e.g. jpn,aus")
        lv = None if levels is None else [t for t in levels.split(",") if t.strip()]
        if lv is not None and not lv:
            raise StudyError("--levels: expected levels separated by commas, e.g. 0,3,6")
        design = role_sweep_design(scenario, codes, lv, n=n, seed=seed, name=name,
                                   keep_lanes=lanes, keep_inputs=inputs)
    with StudyStore(db) as store:
        try:
            with cell_progress(quiet, n) as report:
                res = run_study(design, store, resume=resume, workers=workers,
                                progress=report.cells, on_campaigns=report.campaigns,
                                executor=executor, address=address,
                                command=command_line(["strait", *sys.argv[1:]]))
        except KeyboardInterrupt:
            typer.echo(f"interrupted: the cells stored so far are kept in {db}; rerun the "
                       "same command with --resume to finish", err=True)
            raise typer.Exit(code=130) from None
        info = store.study(res.study_id)
    echo_lines(study_lines(res.cells, info))
    typer.echo("")
    import textwrap

    from strait.experiments.study import headline

    for line in headline(res.cells):
        typer.echo(textwrap.fill(f"headline: {line}", width=80, subsequent_indent="  "))
    how = (f"resumed, played {len(res.played)} missing of {len(design.cells)} cells"
           if res.resumed else f"{len(res.played)} cells")
    typer.echo(f"study {res.study_id} stored in {db} ({how}, {res.elapsed_s:.1f} s)")
    typer.echo(f"details: strait study show {res.study_id} --db {db}")
