"""``strait sensitivity``: which uncertain inputs and allied roles move a campaign metric.

A thin face over :func:`strait.analysis.sensitivity.sensitivity`: it checks the options,
runs the analysis, prints the ranked indices (80 columns, naming the estimator) and
optionally writes them as JSON and a bar chart PNG.

Example:
    $ strait sensitivity ft-2025-ambiguity --method delta -n 20000
    $ strait sensitivity ft-2025-ambiguity --method sobol --base 256 --png sobol.png
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from strait.cli._common import (
    SCENARIO_HELP,
    STUDY_HELP,
    AddressOpt,
    ExecutorOpt,
    WorkersOpt,
    check_study_target,
    check_workers,
    executor_scope,
    output_path,
    stdout,
    store_with_study,
)
from strait.errors import StudyError


def sensitivity_cmd(
    ctx: typer.Context,
    scenario: str = typer.Argument(..., metavar="SCENARIO", help=SCENARIO_HELP),
    method: str = typer.Option(
        "delta", "--method", "-m",
        help="delta (given data: one run, every varying input and role), sobol (Saltelli "
             "sample: S1, ST) or morris (elementary effects: mu*, sigma)."),
    n: int = typer.Option(20_000, "-n", "--n", help="Campaigns of the one run (delta)."),
    base: int = typer.Option(
        256, "--base",
        help="Base sample N: sobol plays N·(D+2) points (a power of two), morris N·(D+1); "
             "each point is --k campaigns."),
    inputs: str | None = typer.Option(
        None, "--inputs", show_default=False,
        help="Inputs for sobol/morris, comma-separated scenario paths or allies' roles "
             "(allies.JPN.role or jpn). Default: the 8 inputs with the widest spread "
             "relative to their mean, plus JPN and AUS roles."),
    metric: str = typer.Option(
        "prc_victory", "--metric",
        help="prc_victory (outcome 0), prc_defeat (outcome 4) or usa_aircraft_lost."),
    k: int = typer.Option(32, "--k", help="Campaigns per sample point (sobol, morris)."),
    seed: int = typer.Option(0, "--seed", help="Root seed."),
    top: int = typer.Option(20, "--top", help="Rows to print (the JSON has all)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write the indices as JSON.",
                                         show_default=False),
    png: Path | None = typer.Option(None, "--png", help="Write a bar chart (PNG).",
                                    show_default=False),
    workers: WorkersOpt = None,
    executor: ExecutorOpt = None,
    address: AddressOpt = None,
    study: int | None = typer.Option(None, "--study", help=STUDY_HELP, show_default=False),
    db: Path = typer.Option(Path("studies.duckdb"), "--db", help="Study file (with --study)."),
) -> None:
    """Global sensitivity of P(PRC victory), P(PRC defeat) or US aircraft lost to the
    scenario's uncertain inputs and the allies' roles, ranked.

    delta analyses one ordinary run lane by lane (inputs as the scenario draws them);
    sobol and morris sample a chosen subset of inputs uniformly over their ranges (roles:
    every level equally likely) and play each sample point as --k campaigns.

    Example:
      strait sensitivity ft-2025-ambiguity --method delta -n 20000
      strait sensitivity ft-2025-ambiguity --method sobol --base 256 --png sobol.png
      strait sensitivity csis-base --method morris --inputs jpn,parameters.antiship.p_hit_subsonic
    """
    from strait.analysis.sensitivity import check_method, check_metric, sensitivity

    check_method(method)
    check_metric(metric)
    check_workers(workers)
    if seed < 0:
        raise StudyError(f"--seed: expected an integer >= 0, found {seed}")
    if n <= 0:
        raise StudyError(f"-n: expected a number of campaigns > 0, found {n}; use e.g. -n 20000")
    if k < 1:
        raise StudyError(f"--k: expected campaigns per point >= 1, found {k}; use e.g. --k 32")
    check_study_target(db, study, scenario)
    json_path = output_path(json_out, "--json", "indices.json")
    png_path = output_path(png, "--png", "sensitivity.png")
    names = None
    if inputs is not None:
        names = [t.strip() for t in inputs.split(",") if t.strip()]
        if method == "delta":
            raise StudyError("--inputs: delta analyses every input the run varies; leave "
                             "--inputs out, or use --method sobol or morris for a subset")
    with executor_scope(executor, address, workers):
        res = sensitivity(scenario, method, n=n, base=base, inputs=names, metric=metric,
                          seed=seed, workers=workers, k=k)
    console = stdout()
    for line in res.lines(width=80, top=max(top, 1)):
        console.print(line, soft_wrap=True)
    if json_path is not None:
        json_path.write_text(json.dumps(res.to_dict(), indent=1) + "\n", encoding="utf-8")
        console.print(f"wrote {json_path}")
    if png_path is not None:
        res.write_png(png_path)
        console.print(f"wrote {png_path}")
    store_with_study(db, study, "sensitivity", res.to_dict(), ctx)
