"""``strait study list|show|export|rm``: the studies kept in a study file.

Example:
    $ strait study list
    $ strait study show 1 --db studies.duckdb
    $ strait study export 1 --out exports/
    $ strait study rm 1
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from strait.cli._common import StraitGroup
from strait.cli.sweep import echo_lines, list_lines, study_lines
from strait.errors import StudyError

app = typer.Typer(
    cls=StraitGroup,
    help=("The studies (sweeps) kept in a study file: list, show, export to Parquet, "
          "remove.\n\n"
          "Examples:\n"
          "  strait study list\n"
          "  strait study show 1\n"
          "  strait study export 1 --out exports/"),
    no_args_is_help=True,
)

DB_OPTION_HELP = "Study file (DuckDB) to read."


def _db_option() -> Any:
    return typer.Option(Path("studies.duckdb"), "--db", help=DB_OPTION_HELP)


def parse_id(text: str) -> int:
    """A study id (a positive integer) or a one-line error."""
    t = text.strip()
    if not t.isdigit() or int(t) <= 0:
        raise StudyError(f"ID: expected a study id (a positive integer, see 'strait study "
                         f"list'), found {text!r}")
    return int(t)


@app.command("list")
def list_cmd(db: Path = _db_option()) -> None:
    """List the studies in a study file: id, name, scenario, seed, cells, status.

    Example:
      strait study list --db studies.duckdb
    """
    from strait.experiments.store import StudyStore

    with StudyStore(db, create=False) as store:
        df = store.studies()
    if df.empty:
        typer.echo(f"no studies in {db}")
        return
    typer.echo(f"{'id':>4}  {'name':<14}  {'scenario':<22}  {'seed':>5}  {'n/cell':>7}  "
               f"{'cells':>7}  status")
    for _, r in df.iterrows():
        name = str(r["name"]) if r["name"] is not None and not _isna(r["name"]) else "-"
        cells = f"{int(r['cells_done'])}/{int(r['n_cells'])}"
        typer.echo(f"{int(r['id']):>4}  {name[:14]:<14}  {str(r['scenario'])[:22]:<22}  "
                   f"{int(r['seed']):>5}  {int(r['n_per_cell']):>7,}  {cells:>7}  "
                   f"{r['status']}")


def _isna(v: object) -> bool:
    return isinstance(v, float) and v != v


@app.command("show")
def show_cmd(
    study_id: str = typer.Argument(..., metavar="ID", help="Study id (see 'strait study list')."),
    db: Path = _db_option(),
) -> None:
    """Show a study: its design and provenance, its grid, and every stored cell with
    P(PRC victory) [Wilson 95 %], the paired difference against the reference
    [95 %], P(PRC defeat) and mean US ships lost.

    Example:
      strait study show 1 --db studies.duckdb
    """
    from strait.experiments.store import StudyStore

    sid = parse_id(study_id)
    with StudyStore(db, create=False) as store:
        info = store.study(sid)
        cells = store.cells(sid)
        n_lanes = store.n_lanes(sid)
    design = info["design"]
    typer.echo(f"study {sid}{' (' + info['name'] + ')' if info.get('name') else ''} — "
               f"{info['status']}, {len(cells)}/{info['n_cells']} cells")
    typer.echo(f"scenario {info['scenario']} (hash {str(info['scenario_hash'])[:12]}), "
               f"seed {info['seed']}, {int(info['n_per_cell']):,} campaigns per cell")
    if design.get("kind") == "roles":
        typer.echo(f"swept {', '.join(design['allies'])} over levels "
                   f"{', '.join(str(v) for v in design['levels'])}")
    typer.echo(f"strait {info['strait_version']}, created {info['created']}"
               + (f", {n_lanes:,} lanes stored" if n_lanes else ""))
    if info.get("command"):
        typer.echo(f"command: {info['command']}")
    typer.echo("")
    if cells.empty:
        typer.echo("no cells stored yet; finish it with 'strait sweep ... --resume'")
        return
    echo_lines(study_lines(cells, info))
    if design.get("kind") == "roles" and len(design.get("allies", [])) >= 2:
        typer.echo("")
        echo_lines(list_lines(cells, design))


@app.command("export")
def export_cmd(
    study_id: str = typer.Argument(..., metavar="ID", help="Study id (see 'strait study list')."),
    out: Path = typer.Option(..., "--out", help="Folder for the Parquet files (created if "
                                                "missing)."),
    db: Path = _db_option(),
) -> None:
    """Export a study's cells (and lanes, if it kept them) to Parquet files, with the
    study's design and provenance in the files' metadata.

    Example:
      strait study export 1 --out exports/
    """
    from strait.experiments.store import StudyStore

    sid = parse_id(study_id)
    with StudyStore(db, create=False) as store:
        paths = store.export(sid, out)
    for p in paths:
        typer.echo(f"wrote {p}")


@app.command("rm")
def rm_cmd(
    study_id: str = typer.Argument(..., metavar="ID", help="Study id (see 'strait study list')."),
    db: Path = _db_option(),
) -> None:
    """Remove a study with its cells and lanes from the study file.

    Example:
      strait study rm 1 --db studies.duckdb
    """
    from strait.experiments.store import StudyStore

    sid = parse_id(study_id)
    with StudyStore(db, create=False) as store:
        store.remove(sid)
    typer.echo(f"removed study {sid} from {db}")
