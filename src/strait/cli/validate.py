"""``strait validate``: check strait against published results.

Example:
    $ strait validate csis -n 4000 --json validation.json
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from strait.cli._common import WORKERS_HELP, check_n, check_workers, output_path, progress_bar

app = typer.Typer(
    help=("Check strait against published results.\n\n"
          "Example:\n  strait validate csis -n 4000 --json validation.json"),
    no_args_is_help=True)


@app.command("csis")
def validate_csis(
    n: int = typer.Option(4000, "-n", "--n", help="Campaigns per scenario."),
    seed: int = typer.Option(0, "--seed", help="Root seed, shared by every scenario."),
    workers: int | None = typer.Option(None, "--workers", "-w", help=WORKERS_HELP,
                                       show_default=False),
    json_out: Path | None = typer.Option(None, "--json", help="Write the report as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Run every bundled CSIS scenario and compare strait with the published results.

    Prints published vs strait for each target, with its tolerance and a pass (✓),
    miss (✗) or not-measured (–) mark. Misses are information: the exit code is 0.

    Example:
      strait validate csis -n 4000 --json validation.json
    """
    from strait.analysis.targets import ROLES
    from strait.analysis.validation import run_validation, validation_scenarios
    from strait.report.validation import counts_line, render_table

    check_n(n, "campaigns per scenario", "-n 4000")
    check_workers(workers)
    json_p = output_path(json_out, "--json", "validation.json")
    console = Console(highlight=False)
    total = len(validation_scenarios())
    with progress_bar(console, quiet) as bar:
        task = bar.add_task("CSIS scenarios", total=total)
        report = run_validation(n=n, seed=seed, workers=workers,
                                progress=lambda s, d, t: bar.update(task, completed=d))
    console.print(render_table(report))
    for role in ROLES:
        c = report.counts(role)
        console.print(f"{role} targets ({sum(c.values())}): {counts_line(c)}")
    console.print(f"{len(report.scenarios)} scenarios x {n:,} campaigns in "
                  f"{report.elapsed_s:.1f} s (misses are explained in docs/validation.md)")
    if json_p is not None:
        report.to_json(json_p)
        console.print(f"report written to {json_p}")
