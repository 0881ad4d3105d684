"""``strait docs``: regenerate the generated documentation pages.

The reference pages are rendered by :mod:`strait.docsgen`, which never imports the
command line: ``docs build`` hands it the root command to document.

Example:
    $ strait docs build
"""

from __future__ import annotations

from pathlib import Path

import typer

from strait.cli._common import WorkersOpt, check_n, check_workers

app = typer.Typer(
    help=(
        "Regenerate the generated reference pages under docs/reference/.\n\n"
        "They are built from the code (schema, registry, CLI) and checked by the tests.\n\n"
        "Example:\n"
        "  strait docs build"
    ),
    no_args_is_help=True,
)


@app.command("build")
def docs_build(
    ctx: typer.Context,
    root: Path = typer.Option(
        Path("."), "--root", help="Repository root (docs/reference/ is written under it)."
    ),
) -> None:
    """Regenerate docs/reference/ (scenario schema, bundled scenarios, CLI help, results).

    The pages are generated from the code: never edit them by hand.

    Example:
      strait docs build
    """
    from strait.docsgen import build_docs

    for path in build_docs(root, cli=ctx.find_root().command):
        typer.echo(f"wrote {path}")


@app.command("validation")
def docs_validation(
    n: int = typer.Option(4000, "-n", "--n", help="Campaigns per scenario."),
    seed: int = typer.Option(0, "--seed", help="Root seed."),
    workers: WorkersOpt = None,
    out: Path = typer.Option(Path("docs"), "--out", help="Docs folder to write into."),
) -> None:
    """Regenerate docs/validation.md and its figures from a fresh validation run.

    Example:
      strait docs validation -n 4000
    """
    from strait.report.validation import build_validation_docs

    check_n(n, "campaigns per scenario", "-n 4000")
    check_workers(workers)
    cmd = f"strait docs validation -n {n} --seed {seed}"
    _, paths = build_validation_docs(out, n=n, seed=seed, workers=workers, command=cmd)
    for p in paths:
        typer.echo(f"wrote {p}")
