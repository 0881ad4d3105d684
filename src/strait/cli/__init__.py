"""The ``strait`` command line: a thin face over the scenario loader and the engine.

One module per verb group, so that a new verb is a small, local addition:

==========================  ================================================
``strait scenario ...``     :mod:`strait.cli.scenario`
``strait roles``            :mod:`strait.cli.roles`
``strait run``, ``compare`` :mod:`strait.cli.run`
``strait validate ...``     :mod:`strait.cli.validate`
``strait sweep``            :mod:`strait.cli.sweep`
``strait sensitivity``      :mod:`strait.cli.sensitivity`
``strait voi``              :mod:`strait.cli.voi`
``strait discover``         :mod:`strait.cli.discover`
``strait report``           :mod:`strait.cli.report`
``strait study ...``        :mod:`strait.cli.study`
``strait serve``            :mod:`strait.cli.serve` (web extra)
``strait docs ...``         :mod:`strait.cli.docs`
shared                      :mod:`strait.cli._common` (errors, console, formats)
==========================  ================================================

``app`` is the root typer app: a verb group is a ``typer.Typer`` mounted here with
``app.add_typer``, a top-level verb a function registered with ``app.command``. Every
deliberate error is a :class:`strait.errors.StraitError`, printed as one line
(``error: ...``) on stderr with exit code 2; a traceback means a bug. Every verb's
``--help`` ends with an example.

Example:
    $ strait scenario list
    $ strait run csis-base -n 100000 --seed 1
    $ strait roles JPN
"""

from __future__ import annotations

import sys

import typer

from strait.cli import (
    discover,
    docs,
    report,
    roles,
    run,
    scenario,
    sensitivity,
    serve,
    study,
    sweep,
    validate,
    voi,
)
from strait.cli._common import StraitGroup, version_callback

__all__ = ["app", "main"]

app = typer.Typer(
    cls=StraitGroup,
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

app.command("run", epilog=run.GLOSSARY_HELP)(run.run_cmd)
app.command("compare", epilog=run.GLOSSARY_HELP)(run.compare_cmd)
app.command("roles")(roles.roles)
app.add_typer(scenario.app, name="scenario")
app.add_typer(docs.app, name="docs")
app.add_typer(validate.app, name="validate")
app.command("sweep")(sweep.sweep_cmd)
app.command("sensitivity")(sensitivity.sensitivity_cmd)
app.command("report", epilog=run.GLOSSARY_HELP)(report.report_cmd)
app.add_typer(study.app, name="study")
app.command("voi")(voi.voi_cmd)
app.command("discover")(discover.discover_cmd)
app.command("serve")(serve.serve_cmd)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the strait version and exit.",
        callback=version_callback,
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
