"""``strait run`` and ``strait compare``: play campaigns from the command line.

A thin face over :func:`strait.run`: check the arguments and every output path before
anything is played, show a progress bar, print the summary, write the files.

Example:
    $ strait run csis-base -n 100000 --seed 1
    $ strait run csis-base -n 20000 --set jpn.role=NEUTRAL --out neutral.parquet
    $ strait compare csis-base csis-japan-neutral -n 20000
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from strait.cli._common import (
    SCENARIO_HELP,
    AddressOpt,
    ExecutorOpt,
    WorkersOpt,
    campaign_updater,
    check_n,
    check_workers,
    executor_scope,
    output_path,
    progress_bar,
)
from strait.errors import EngineError
from strait.outcomes import GLOSSARY

GLOSSARY_HELP = GLOSSARY.replace("; ", ";\n\n")
"""The outcome classes, one per paragraph, for the help of run and compare."""

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
    t.caption = "what each class means: strait run --help"
    sums = [r.summary() for r in results]
    for key, label in OUTCOME_LABELS.items():
        cells = []
        for s in sums:
            p = s.outcome_probabilities[key]
            lo, hi = s.outcome_intervals[key]
            cells.append(f"{100 * p:5.1f} %  [{100 * lo:.1f}–{100 * hi:.1f}]")
        t.add_row(label, *cells)
    return t


def force_totals(res: Any) -> dict[str, float]:
    """Expected starting counts behind the count columns (``'... of N'``), from the run's
    scenario; empty when the results do not carry it (read from a file)."""
    s = getattr(res, "scenario", None)
    if s is None:
        return {}
    from strait.engine.compile import LIFT_CLASSES, compile_structure

    f = compile_structure(s).forces
    p = s.parameters.antiship
    surge = p["us_surge_carriers"].mean() if "us_surge_carriers" in p else 0.0
    return {
        "usa_carriers_lost": f.get("USA.ships.carrier", 0.0) + surge,
        "usa_submarines_lost": f.get("USA.ships.ssn", 0.0),
        "jpn_ships_lost": f.get("JPN.ships.surface_combatant", 0.0) + f.get("JPN.ships.ssk", 0.0),
        "twn_ships_lost": f.get("TWN.ships.surface_combatant", 0.0),
        "chn_amphibious_ships_lost": sum(f.get(f"CHN.lift.{c.value}", 0.0) for c in LIFT_CLASSES),
        "pla_bn_landed": f.get("CHN.ground_battalions", 0.0),
    }


def loss_table(results: list[Any], titles: list[str]) -> Table:
    """Median and 5–95 % band of losses and key quantities, one column per run; counts of a
    finite force say what they are out of (``2.0 of 4``)."""
    t = _table("Losses and ground war (median [5–95 %])", "quantity", titles)
    sums = [r.summary() for r in results]
    totals = [force_totals(r) for r in results]
    for col, label in LOSS_ROWS:
        cells = []
        for s, tot in zip(sums, totals, strict=True):
            q = s.losses.get(col)
            of = f" of {tot[col]:,.0f}" if col in tot and tot[col] > 0 else ""
            cells.append("–" if q is None else
                         f"{_fmt(q['median'], col)}{of} [{_fmt(q['p05'], col)}–"
                         f"{_fmt(q['p95'], col)}]")
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


def _run(name: str, n: int, seed: int, workers: int | None, sets: list[str],
         out: Path | None, trajectories: int, console: Console, quiet: bool,
         dice_per_draw: int = 1) -> Any:
    import strait

    with progress_bar(console, quiet) as bar:
        task = bar.add_task(name, total=n)
        return strait.run(name, n=n, seed=seed, workers=workers, changes=sets or None,
                          trajectories=trajectories, out=out, dice_per_draw=dice_per_draw,
                          progress=campaign_updater(bar, task, n))


def uncertainty_table(res: Any) -> Table:
    """Dice versus parameter uncertainty of the headline metrics (a ``dice_per_draw`` run)."""
    u = res.uncertainty()
    k = int(u["dice_per_draw"].iloc[0])
    t = Table(title=f"Dice vs parameters ({int(u['input_draws'].iloc[0]):,} input draws x "
                    f"{k} dice each)", box=box.SIMPLE_HEAD)
    for col in ("metric", "estimate [95 % MC]", "parameter band 5-95 %", "dice", "parameters"):
        t.add_column(col, justify="left" if col == "metric" else "right")
    for name, r in u.iterrows():
        pct = name in ("prc_victory", "prc_defeat")

        def f(x: float, pct: bool = pct) -> str:
            return f"{100 * x:.1f} %" if pct else f"{x:,.1f}"

        t.add_row(str(name), f"{f(r['mean'])} [{f(r['mc_low'])}–{f(r['mc_high'])}]",
                  f"{f(r['parameter_p05'])}–{f(r['parameter_p95'])}",
                  f"{100 * r['dice_share']:.0f} %", f"{100 * r['parameter_share']:.0f} %")
    return t


def _check_outputs(n: int, out: Path | None, json_out: Path | None,
                   trajectories: int) -> tuple[Path | None, Path | None, Path | None]:
    """Every output path of ``strait run``, checked before the run (one-line errors)."""
    from strait import api
    from strait.results.io import trajectories_path

    out_p = output_path(out, "--out", "results.parquet")
    json_p = output_path(json_out, "--json", "summary.json")
    if out_p is not None and json_p is not None and out_p.resolve() == json_p.resolve():
        raise EngineError(f"--json: {json_p} is also the --out file; give two different files")
    traj_p = None
    if trajectories < 0:
        raise EngineError(f"--trajectories: expected a number of campaigns >= 0, found "
                          f"{trajectories}; e.g. --trajectories 100")
    if trajectories:
        if out_p is None and json_p is None:
            raise EngineError("--trajectories: give --out FILE.parquet (they are written to "
                              "FILE.trajectories.parquet) or --json FILE.json (they go inside "
                              "it), or leave --trajectories out")
        if out_p is not None:
            traj_p = output_path(trajectories_path(out_p), "--trajectories",
                                 "results.trajectories.parquet")
    if out_p is None and api.streams(n):
        raise EngineError(
            f"-n: {n:,} campaigns would need about {api.fmt_bytes(api.table_bytes(n))} to keep "
            f"one row each in memory (more than {api.fmt_bytes(api.TABLE_BUDGET_BYTES)}); give "
            "--out FILE.parquet to stream the rows to disk (the summary is still printed)")
    return out_p, json_p, traj_p


def run_cmd(
    scenario: str = typer.Argument(..., metavar="SCENARIO", help=SCENARIO_HELP),
    n: int = typer.Option(10_000, "-n", "--n", help="Number of campaigns (lanes)."),
    seed: int = typer.Option(0, "--seed", help="Root seed: same seed, same results."),
    workers: WorkersOpt = None,
    executor: ExecutorOpt = None,
    address: AddressOpt = None,
    sets: list[str] = typer.Option([], "--set", help="Override, e.g. jpn.role=NEUTRAL or "
                                   "parameters.antiship.p_hit_subsonic=0.08 (repeatable)."),
    out: Path | None = typer.Option(
        None, "--out", help="Write per-campaign rows to this Parquet file, with the run "
        "metadata. Required for runs too large to keep in memory: their rows stream to it."),
    trajectories: int = typer.Option(
        0, "--trajectories", help="Record per-turn trajectories of the first K campaigns: "
        "written to OUT.trajectories.parquet (long form: lane, turn, field, value) with --out "
        "and inside the --json file."),
    json_out: Path | None = typer.Option(
        None, "--json", help="Write the summary and run metadata as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    dice_per_draw: int = typer.Option(
        1, "--dice-per-draw", help="Play each draw of the scenario's uncertain inputs K times "
        "with different dice (a power of two, e.g. 32) and print how much of each metric's "
        "spread is dice and how much parameter uncertainty."),
) -> None:
    """Play N campaigns of a scenario and print outcome probabilities and losses.

    Every output path is checked before the run starts. A run too large to keep one row
    per campaign in memory (about 4 million campaigns) streams its rows to --out, which it
    then requires; its medians come from a uniform sample of 131,072 campaigns.

    Examples:
      strait run csis-base -n 100000 --seed 1 --set jpn.role=ACCESS_COMBAT
      strait run csis-base -n 20000 --out base.parquet --json base.json --trajectories 50
      strait run csis-base -n 32768 --dice-per-draw 32
    """
    from strait.results.io import trajectories_long, write_json

    check_n(n)
    check_workers(workers)
    out_p, json_p, traj_p = _check_outputs(n, out, json_out, trajectories)
    console = Console(highlight=False)
    if dice_per_draw != 1 and (dice_per_draw < 2 or 8192 % dice_per_draw or n < 2 * dice_per_draw):
        raise EngineError(f"--dice-per-draw: expected a power of two from 2 to 8192 with -n at "
                          f"least twice it, found {dice_per_draw} with -n {n}; e.g. "
                          "--dice-per-draw 32 -n 32768")
    with executor_scope(executor, address, workers):
        res = _run(scenario, n, seed, workers, sets, out_p, trajectories, console, quiet,
                   dice_per_draw)
    title = scenario if not sets else f"{scenario} ({', '.join(sets)})"
    elapsed = res.meta.get("elapsed_s", float("nan"))
    console.print(f"{res.scenario_name}: {res.n:,} campaigns, seed {seed}, "
                  f"{elapsed:.1f} s ({res.n / max(elapsed, 1e-9):,.0f} campaigns/s), "
                  f"scenario hash {res.scenario_hash[:12]}")
    console.print(outcome_table([res], [title]))
    console.print(loss_table([res], [title]))
    console.print(timing_table([res], [title]))
    if dice_per_draw > 1 and not res.streamed:
        console.print(uncertainty_table(res))
    if res.streamed:
        k = min(res.n, res.running.k)
        console.print(f"streamed run: medians and bands from a uniform sample of {k:,} "
                      "campaigns; probabilities, shares and means are exact")
    if out_p is not None:
        console.print(f"per-campaign rows written to {out_p}")
    if traj_p is not None:
        console.print(f"trajectories of {len(res.trajectories)} campaigns written to {traj_p}")
    if json_p is not None:
        doc = {"scenario": res.scenario_name, "scenario_hash": res.scenario_hash,
               "seed": seed, "sets": sets, "metadata": res.metadata,
               **res.summary().to_dict()}
        if res.trajectories is not None:
            doc["trajectories"] = {k: v.tolist()
                                   for k, v in trajectories_long(res.trajectories).items()}
        write_json(doc, json_p)
        console.print(f"summary written to {json_p}")


PAIRED_ROWS: tuple[tuple[str, str], ...] = (
    ("prc_victory", "P(PRC victory)"),
    ("prc_defeat", "P(PRC defeat)"),
    ("usa_aircraft_lost", "US aircraft lost"),
    ("usa_ships_lost", "US major surface ships lost"),
    ("chn_ships_lost", "PLA major ships lost"),
    ("pla_bn_landed", "PLA battalions landed"),
)


def _paired_values(table: Any, key: str) -> Any:
    from strait.outcomes import OUTCOMES

    if key in OUTCOMES:
        return (table["outcome"].to_numpy() == OUTCOMES.index(key)).astype(float)
    return table[key].to_numpy(dtype=float)


def paired_rows(results: list[Any]) -> list[dict[str, Any]]:
    """Every result against the first, lane by lane (common random numbers): the mean
    difference of each headline quantity with its 95 % interval."""
    from strait.analysis.roles import paired_difference

    base = results[0].table
    rows = []
    for res in results[1:]:
        for key, label in PAIRED_ROWS:
            d = paired_difference(_paired_values(base, key), _paired_values(res.table, key))
            rows.append({"scenario": res.scenario_name, "quantity": key, "label": label,
                         "difference": d.mean, "low": d.low, "high": d.high})
    return rows


def paired_table(results: list[Any], titles: list[str], rows: list[dict[str, Any]]) -> Table:
    """Differences from the first scenario, with paired 95 % intervals."""
    t = _table(f"Difference from {titles[0]} (same campaigns, paired 95 % interval)",
               "quantity", titles[1:])
    for key, label in PAIRED_ROWS:
        cells = []
        for res in results[1:]:
            r = next(x for x in rows if x["quantity"] == key
                     and x["scenario"] == res.scenario_name)
            pct = key in ("prc_victory", "prc_defeat")
            k = 100.0 if pct else 1.0
            unit = " pp" if pct else ""
            cells.append(f"{k * r['difference']:+,.1f}{unit} [{k * r['low']:+,.1f}, "
                         f"{k * r['high']:+,.1f}]")
        t.add_row(label, *cells)
    return t


def _variant(ref: str) -> tuple[str, list[str]]:
    """``NAME`` or ``NAME@PATH=VALUE[@PATH=VALUE...]`` -> (name, --set changes)."""
    name, *sets = ref.split("@")
    for s in sets:
        if "=" not in s:
            raise EngineError(f"SCENARIOS: '{ref}': expected NAME@PATH=VALUE after '@', found "
                              f"'{s}'; e.g. csis-base@jpn.role=NEUTRAL")
    return name, sets


def compare_cmd(
    scenarios: list[str] = typer.Argument(
        ..., help="Two or more scenario names or files; NAME@PATH=VALUE plays a --set variant "
        "(e.g. csis-base@jpn.role=NEUTRAL). The first is the reference."),
    n: int = typer.Option(10_000, "-n", "--n", help="Campaigns per scenario."),
    seed: int = typer.Option(0, "--seed", help="Root seed (shared: common random numbers)."),
    workers: WorkersOpt = None,
    executor: ExecutorOpt = None,
    address: AddressOpt = None,
    json_out: Path | None = typer.Option(
        None, "--json", help="Write the summaries, paired differences and metadata as JSON."),
    out: Path | None = typer.Option(
        None, "--out", help="Write every scenario's per-campaign rows to one Parquet file "
        "(a 'scenario' column tells them apart)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Play scenarios with the same seed and show each against the first, paired.

    Every scenario plays the same campaigns (common random numbers), so each difference
    from the first comes with a paired 95 % interval: lane-by-lane differences, mean
    ± 1.96 standard errors.

    Examples:
      strait compare csis-base csis-japan-neutral -n 20000
      strait compare csis-base csis-base@jpn.role=NEUTRAL csis-base@aus.role=NEUTRAL
    """
    from strait import api

    check_n(n, "campaigns per scenario")
    check_workers(workers)
    if len(scenarios) < 2:
        raise EngineError("SCENARIOS: expected at least two scenarios to compare; "
                          "e.g. strait compare csis-base csis-japan-neutral")
    if api.streams(n):
        from strait.engine.outputs import BYTES_PER_LANE

        raise EngineError(f"-n: {n:,} campaigns per scenario would need about "
                          f"{api.fmt_bytes(api.table_bytes(n))} each in memory; compare at most "
                          f"{api.TABLE_BUDGET_BYTES // BYTES_PER_LANE:,}, or run each "
                          "scenario with strait run --out")
    json_p = output_path(json_out, "--json", "compare.json")
    out_p = output_path(out, "--out", "compare.parquet")
    variants = [_variant(ref) for ref in scenarios]
    console = Console(highlight=False)
    with executor_scope(executor, address, workers):
        results = [_run(name, n, seed, workers, sets, None, 0, console, quiet)
                   for name, sets in variants]
    console.print(f"{len(results)} scenarios x {n:,} campaigns, seed {seed} (common random "
                  "numbers); scenario hashes: "
                  + ", ".join(f"{t} {r.scenario_hash[:12]}"
                              for t, r in zip(scenarios, results, strict=True)))
    console.print(outcome_table(results, scenarios))
    console.print(loss_table(results, scenarios))
    console.print(timing_table(results, scenarios))
    rows = paired_rows(results)
    console.print(paired_table(results, scenarios, rows))
    if json_p is not None:
        from strait.results.io import write_json

        doc = {"n": n, "seed": seed, "scenarios": [
            {"ref": ref, "metadata": r.metadata, **r.summary().to_dict()}
            for ref, r in zip(scenarios, results, strict=True)],
            "paired_differences": rows}
        write_json(doc, json_p)
        console.print(f"comparison written to {json_p}")
    if out_p is not None:
        import pandas as pd

        frames = [r.table.assign(scenario=ref) for ref, r in zip(scenarios, results,
                                                                    strict=True)]
        pd.concat(frames, ignore_index=True).to_parquet(out_p)
        console.print(f"per-campaign rows written to {out_p}")
