"""``strait report``: one offline HTML report (plus PNGs) for a stored study.

Example:
    $ strait sweep ft-2025-ambiguity --allies jpn,aus -n 10000
    $ strait report 1 --out report/
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from strait.cli._common import check_n, progress_bar
from strait.errors import StudyError


def report_cmd(
    study: int = typer.Argument(..., help="Study id (strait study list)."),
    db: Path = typer.Option(Path("studies.duckdb"), "--db", help="Study file."),
    out: Path = typer.Option(Path("report"), "--out", help="Folder for report.html and PNGs."),
    timeline: int = typer.Option(
        200, "--timeline", help="Campaigns of the reference case replayed (same seed) to "
        "draw a typical campaign's timeline; 0 leaves it out."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Write one self-contained HTML report of a study: outcome bars, the role heatmap,
    loss bands, paired differences and a typical campaign, each chart stating scenario,
    N, seed, strait version and reference case, with the commands that reproduce it.

    Example:
      strait report 1 --db studies.duckdb --out report/
    """
    from strait.experiments.store import StudyStore
    from strait.report.study import view_from_store, write_report

    if timeline:
        check_n(timeline, "campaigns for the timeline", "--timeline 200")
    if not db.exists():
        raise StudyError(f"--db: no study file at {db}; run strait sweep first or give the "
                         "file with --db")
    if out.exists() and not out.is_dir():
        raise StudyError(f"--out: {out} is a file; give a folder, e.g. --out report/")
    console = Console(highlight=False)
    with StudyStore(db, create=False) as store:
        meta = store.study(study)
        traj: Any = None
        fields: tuple[str, ...] = ()
        if timeline:
            import strait
            from strait.engine import TRAJECTORY_FIELDS

            with progress_bar(console, quiet) as bar:
                bar.add_task("timeline", total=None)
                res = strait.run(str(meta["scenario"]), n=int(timeline),
                                 seed=int(meta["seed"]), workers=1,
                                 trajectories=min(int(timeline), 100))
            traj, fields = res.trajectories, TRAJECTORY_FIELDS
        view = view_from_store(store, study, traj, fields)
    path = write_report(view, out)
    console.print(f"report written to {path} (opens offline; PNGs beside it)")
