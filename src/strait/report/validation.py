"""The validation report: a terminal table, ``docs/validation.md`` and two PNG figures.

* :func:`render_table` — published vs strait side by side, with the tolerance and
  ✓ (pass) / ✗ (fail) / – (not measured), as a ``rich`` table.
* :func:`write_validation_docs` — ``docs/validation.md`` (generated header, the targets
  table, per-scenario outcome probabilities and medians, notes on every miss) and
  ``docs/figures/validation-outcomes.png`` (outcome shares per scenario) and
  ``docs/figures/validation-losses.png`` (csis-base loss medians with 5-95 % bands against
  the published values and ranges). Plotting needs the ``plot`` extra (altair +
  vl-convert-python), imported only here.
* :func:`build_validation_docs` — run and write in one call (what ``strait docs validation``
  does).

Regenerate without the CLI: ``python -m strait.report.validation -n 4000 --seed 0``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from strait.analysis.targets import CALIBRATED_BY, DROPPED, ROLES, Role
from strait.analysis.validation import (
    FAIL,
    NOT_MEASURED,
    PASS,
    ScenarioResult,
    TargetResult,
    ValidationReport,
    run_validation,
)
from strait.results.core import OUTCOME_LABELS, OUTCOMES

__all__ = [
    "DEFAULT_COMMAND",
    "FIGURES",
    "build_validation_docs",
    "counts_line",
    "main",
    "plot_losses",
    "plot_outcomes",
    "render_markdown",
    "render_table",
    "write_validation_docs",
]

DEFAULT_COMMAND = "strait docs validation -n {n} --seed {seed}"
"""The command named in the generated header (``{n}`` and ``{seed}`` filled in)."""

FIGURES = ("validation-outcomes.png", "validation-losses.png")
"""File names of the figures, written under ``<docs_dir>/figures/``."""

MARK = {PASS: "✓", FAIL: "✗", NOT_MEASURED: "–"}
_STYLE = {PASS: "green", FAIL: "red", NOT_MEASURED: "dim"}
_OUTCOME_COLOURS = ("#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac")
_BASE = "csis-base"


# ------------------------------------------------------------------------------ terminal


def _by_role(report: ValidationReport, role: Role) -> list[TargetResult]:
    return [r for r in report.targets if r.role == role]


def counts_line(c: dict[str, int]) -> str:
    """``"N pass · N fail · N not measured"``."""
    return f"{c[PASS]} pass · {c[FAIL]} fail · {c[NOT_MEASURED]} not measured"


def render_table(report: ValidationReport) -> Table:
    """Published vs strait for every target, validation targets first, then calibration
    targets, with tolerance and ✓/✗/–."""
    by = report.counts_by_role()
    table = Table(
        title=f"strait vs CSIS — {report.n:,} campaigns per scenario, seed {report.seed}",
        caption=" | ".join(f"{role}: {counts_line(by[role])}" for role in ROLES),
        show_lines=False, expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("role", no_wrap=True)
    table.add_column("target", style="bold", no_wrap=True)
    table.add_column("scenario", no_wrap=True)
    table.add_column("published")
    table.add_column("strait")
    table.add_column("tolerance")
    table.add_column("source", style="dim")
    for role in ROLES:
        for r in _by_role(report, role):
            t = r.target
            strait = r.strait if r.status != NOT_MEASURED else "not measured"
            table.add_row(f"[{_STYLE[r.status]}]{MARK[r.status]}[/]", role, t.id,
                          t.scenario, t.published, f"[{_STYLE[r.status]}]{strait}[/]",
                          t.tolerance, t.citation)
    return table


def render_compact(report: ValidationReport) -> Text:
    """The same content as :func:`render_table` as two or three short lines per target, for
    terminals narrower than the table (80 columns)."""
    out = Text()
    out.append(f"strait vs CSIS — {report.n:,} campaigns per scenario, seed {report.seed}\n",
               style="bold")
    for role in ROLES:
        out.append(f"\n{role} targets\n", style="bold underline")
        for r in _by_role(report, role):
            t = r.target
            strait = r.strait if r.status != NOT_MEASURED else "not measured"
            out.append(f"{MARK[r.status]} ", style=_STYLE[r.status])
            out.append(t.id, style="bold")
            out.append(f" ({t.scenario})\n")
            out.append("    strait: ")
            out.append(str(strait), style=_STYLE[r.status])
            out.append(f"   published: {t.published}\n")
            out.append(f"    tolerance: {t.tolerance}   {t.citation}\n", style="dim")
    return out


# ------------------------------------------------------------------------------ markdown


def _cell(x: Any) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def _pct(x: float | None) -> str:
    return "–" if x is None or math.isnan(x) else f"{100 * x:.1f} %"


def _num(x: float | None, digits: int = 0) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:,.{digits}f}"


def _row(cells: Sequence[Any]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]],
           align: Sequence[str] | None = None) -> list[str]:
    align = align or ["---"] * len(header)
    return [_row(header), "|" + "|".join(align) + "|", *(_row(r) for r in rows)]


def _tuned_on(target_id: str) -> str:
    return ", ".join(f"`{p}`" for p, ids in CALIBRATED_BY.items() if target_id in ids)


def _level_table(results: Sequence[TargetResult], role: Role) -> list[str]:
    rows = []
    for r in results:
        t = r.target
        row = [MARK[r.status], f"`{t.id}`", t.scenario, t.metric, t.published,
               r.strait if r.status != NOT_MEASURED else "not measured", t.tolerance,
               t.rule.describe(), t.citation]
        if role == "calibration":
            row.append(_tuned_on(t.id))
        rows.append(row)
    header = ["", "target", "scenario", "what strait measures", "published", "strait",
              "tolerance", "rule", "source"]
    return _table(header + (["tuned parameters"] if role == "calibration" else []), rows)


def _direction_table(results: Sequence[TargetResult], role: Role) -> list[str]:
    rows = []
    for r in results:
        t = r.target
        row = [MARK[r.status], f"`{t.id}`", t.scenario, t.metric, t.expect or "–",
               r.strait if r.status != NOT_MEASURED else "not measured",
               f"{t.published}: {t.why}", t.citation]
        if role == "calibration":
            row.append(_tuned_on(t.id))
        rows.append(row)
    header = ["", "target", "excursion", "metric", "expect", "paired Δ [95 %] (base → "
              "excursion)", "why this direction", "source"]
    return _table(header + (["tuned parameters"] if role == "calibration" else []), rows)


def render_markdown(report: ValidationReport, command: str | None = None,
                    figures: Sequence[str] = FIGURES) -> str:
    """The text of ``docs/validation.md``; ``figures`` are paths relative to ``docs/``'s
    ``figures/`` folder (an empty sequence leaves the figures out)."""
    cmd = (command or DEFAULT_COMMAND).format(n=report.n, seed=report.seed)
    out: list[str] = [
        f"<!-- Generated by `{cmd}` (src/strait/report/validation.py). Do not edit by hand: "
        "rerun the command. -->",
        "",
        "# Validation against the CSIS wargame",
        "",
        f"Generated by `{cmd}` with strait {report.version}: "
        f"{report.n:,} campaigns per scenario, seed {report.seed}, the same seed for every "
        "scenario.",
        "",
        "strait is held to the numbers that *The First Battle of the Next War* (Cancian, "
        "Cancian and Heginbotham, CSIS, January 2023, "
        "<https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan>) "
        "printed for its base case, the *Taiwan stands alone* and *Ragnarok* iterations and "
        "its adjudication rules, and to the direction in which each CSIS excursion moves "
        "the campaign away from the base case. *Not measured* means strait does not output "
        "the quantity; it is never counted as a pass. The CSIS numbers come from three base "
        "runs and one run of each other family, so a pass means strait's central tendency "
        "is consistent with a handful of games, not that the games' spread is reproduced.",
        "",
        "**Calibration and validation.** A target is a *calibration* target when a "
        "parameter was tuned on it (the \"target that moved it\" column of "
        "[calibration.md](calibration.md)); a parameter tuned on a target cannot be "
        "validated by it, so only *validation* targets test strait's predictions. "
        "Passing a calibration target says the fit held; failing one says it broke.",
        "",
        *(f"- **{role}**: {len(_by_role(report, role))} targets, "
          f"{counts_line(report.counts(role))}." for role in ROLES),
        "",
        "The targets, their tolerance rules and the checks live in "
        "`src/strait/analysis/targets.py`; the run in `src/strait/analysis/validation.py`.",
        "",
        "## Tolerance rules",
        "",
        "Each target carries its rule and the rule's inputs (the JSON report has them as "
        "`tolerance_rule`).",
        "",
        "- **Outcome shares** (`clopper-pearson`): CSIS saw the outcome in *k* of *n* games; "
        "strait's share of campaigns passes when it lies within the exact (Clopper-Pearson) "
        "95 % interval of *k* of *n*. With 0 of 3 the interval is 0–70.8 % (1 − 0.025^(1/3)); "
        "with 1 of 1 it is 2.5–100 %. Few games give wide bands: that is what they support.",
        "- **Published ranges** (`published range`, `published bound`): where CSIS prints a "
        "range across its runs (US aircraft 168–372) or a one-sided statement (\"in week "
        "2\"), strait's median must lie within it.",
        "- **Point values** (`relative`): where CSIS prints one number, strait's median must "
        "lie within ±35 % of it (±15 % for sub-model arithmetic). These bands are a "
        "judgement, not a statistic.",
        "- **Directions** (`paired`): the excursion and `csis-base` are played with the same "
        "seed and *n* (common random numbers), and the per-campaign metric is differenced "
        "lane by lane; the interval is mean ± 1.96 SE of the differences. *up* / *down*: "
        "the interval excludes zero on that side; *not up* / *not down* (\"no better\", "
        "\"at least as well\"): it does not exclude zero on the wrong side; *none* (the "
        "report found no effect): it contains zero.",
        "",
    ]
    for role in ROLES:
        results = _by_role(report, role)
        level = [r for r in results if r.target.kind != "direction"]
        dirs = [r for r in results if r.target.kind == "direction"]
        title = {"validation": "Validation targets (never tuned on)",
                 "calibration": "Calibration targets (a parameter was tuned on them)"}[role]
        out += [f"## {title}", "", f"{counts_line(report.counts(role))}.", ""]
        if role == "calibration":
            out += ["The last column names the parameters tuned on each target "
                    "(see [calibration.md](calibration.md)).", ""]
        if level:
            out += _level_table(level, role)
            out.append("")
        if dirs:
            out += ["Directions: excursion against `csis-base`, paired over the same lanes.",
                    ""]
            out += _direction_table(dirs, role)
            out.append("")
    out += ["✓ within tolerance · ✗ outside · – not measured (see the notes below).", ""]
    out += ["## Targets not used and why", "",
            "A target whose strait value is a scenario number or parameter read back tests "
            "nothing. These were dropped:", ""]
    out += [f"- `{i}`: {why}." for i, why in DROPPED]
    out += ["", "Not added: direction targets for `csis-optimistic` and `csis-pessimistic`. "
            "Their CSIS outcomes are withheld from strait's reference copy and checked out of "
            "sample, so no direction is asserted for them here.", ""]
    if figures:
        out += ["## Figures", ""]
        if len(figures) > 0:
            out += [f"![Outcome shares per scenario](figures/{figures[0]})", "",
                    "Share of campaigns ending in each CSIS outcome category (CSIS p.84-85), "
                    "per scenario. Scenarios marked [CSIS] have published targets; the others "
                    "are strait's predictions.", ""]
        if len(figures) > 1:
            out += [f"![csis-base losses against the published values](figures/{figures[1]})",
                    "",
                    "csis-base: strait's median (dot) and 5-95 % band (line) over campaigns, "
                    "against the published value (diamond) and the tolerance or published "
                    "range (shaded).", ""]
    out += ["## Scenarios", "",
            "Outcome probabilities and end-state medians. *Published* scenarios have CSIS "
            "level targets above; the rest are predictions, checked only for the direction "
            "of their change from `csis-base` (the CSIS pessimistic and optimistic families "
            "are withheld from strait's reference copy on purpose and checked out of "
            "sample).", ""]
    rows = []
    for s in report.scenarios.values():
        p = s.outcome_probabilities
        rows.append([f"`{s.name}`", s.family or "–", "published" if s.published else
                     "prediction", *(_pct(p.get(k)) for k in OUTCOMES),
                     _num(s.end_day_median, 1), _num(s.pla_battalions_landed_median, 1),
                     _pct(s.prc_share_of_taiwan_median), f"`{s.scenario_hash[:12]}`"])
    out += _table(["scenario", "family", "kind", *(OUTCOME_LABELS[k] for k in OUTCOMES),
                   "end day", "PLA bn landed", "Taiwan held", "scenario hash"], rows,
                  ["---"] * 3 + ["--:"] * 8 + ["---"])
    out += ["", "Median losses per campaign.", ""]
    labels = {"usa_aircraft": "US aircraft", "jpn_aircraft": "JPN aircraft",
              "chn_aircraft": "PLA aircraft", "usa_ships": "US ships",
              "usa_carriers": "US carriers", "usa_submarines": "US SSNs",
              "jpn_ships": "JPN ships", "chn_ships": "PLA ships",
              "chn_amphibious_ships": "PLA amphibs", "usa_killed": "US killed"}
    digits = {"usa_carriers": 1, "usa_submarines": 1, "usa_ships": 1, "jpn_ships": 1}
    rows = [[f"`{s.name}`", *(_num(s.losses_median.get(k), digits.get(k, 0))
                              for k in labels)] for s in report.scenarios.values()]
    out += _table(["scenario", *labels.values()], rows, ["---"] + ["--:"] * len(labels))
    out += ["", "## Notes", ""]
    fails = [r for r in report.targets if r.status == FAIL and r.target.kind != "direction"]
    dir_fails = [r for r in report.targets
                 if r.status == FAIL and r.target.kind == "direction"]
    unmeasured = [r for r in report.targets if r.status == NOT_MEASURED]
    if fails:
        out += ["Misses (outside tolerance):", ""]
        for r in fails:
            t = r.target
            why = f" {r.reason[:1].upper()}{r.reason[1:]}." if r.reason else ""
            out.append(f"- `{t.id}` ({t.scenario}): strait {r.strait}; published "
                       f"{t.published} ({t.tolerance}) {t.citation}.{why}")
        out.append("")
    if dir_fails:
        out += ["Directions not met (findings for the engine, not tuned away):", ""]
        for r in dir_fails:
            t = r.target
            out.append(f"- `{t.id}` ({t.scenario} vs {t.baseline}, {t.role}): expected "
                       f"*{t.expect}* for {t.metric}; strait {r.strait} {t.citation}.")
        out.append("")
    if not fails and not dir_fails:
        out += ["No target is outside its tolerance.", ""]
    if unmeasured:
        out += ["Not measured:", ""]
        for r in unmeasured:
            t = r.target
            out.append(f"- `{t.id}` ({t.scenario}; published {t.published} {t.citation}): "
                       f"{r.reason}.")
        out.append("")
    out += ["Caveats:", "",
            "- Medians over campaigns are compared with averages over very few games (three "
            "base runs, one run each of *Taiwan stands alone* and *Ragnarok*); a miss can "
            "come from the published number being one draw of a wide distribution.",
            "- `alone-shore-asm-first-10-days` counts amphibious ships sunk by every cause in "
            "the first three turns (10.5 days), not only by shore missiles, and does not "
            "cover the 17 escorts.",
            "- Sub-model targets use a tighter ±15 % band: they check arithmetic, not "
            "campaigns.",
            "- A *none* direction (the report found no effect) is tested by an interval that "
            "contains zero; with thousands of paired campaigns even a very small effect "
            "excludes zero, so a miss there can mean \"small\" rather than \"wrong\".",
            "- `dir-japan-neutral-prc-victory` is a calibration target: "
            "`sorties.pla_fighters_committed` was set with the Japan-neutral case in view. "
            "`dir-ragnarok-prc-victory` is one too: Ragnarok's PLA victory tuned several "
            "ground parameters.",
            ]
    if report.missing:
        out.append(f"- Requested but not bundled, so not played: "
                   f"{', '.join(f'`{m}`' for m in report.missing)}.")
    out += ["", "Machine-readable results: `strait validate csis --json FILE` "
            "(or `run_validation(...).to_json(FILE)` from `strait.analysis.validation`) writes "
            "the same numbers: per-scenario outcome probabilities and medians, every target, "
            "n, seed, strait version and scenario hashes.", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------ figures


def _scenario_label(s: ScenarioResult) -> str:
    return f"{s.name} [CSIS]" if s.published else s.name


def plot_outcomes(report: ValidationReport) -> Any:
    """Altair chart: stacked outcome shares per scenario."""
    import altair as alt
    import pandas as pd

    rows = []
    order = [_scenario_label(s) for s in report.scenarios.values()]
    for s in report.scenarios.values():
        for i, k in enumerate(OUTCOMES):
            rows.append({"scenario": _scenario_label(s), "outcome": OUTCOME_LABELS[k],
                         "order": i, "share": s.outcome_probabilities.get(k, 0.0)})
    df = pd.DataFrame(rows)
    labels = [OUTCOME_LABELS[k] for k in OUTCOMES]
    return alt.Chart(df).mark_bar(stroke="white", strokeWidth=0.5).encode(
        y=alt.Y("scenario:N", sort=order, title=None,
                axis=alt.Axis(labelFontSize=12, labelLimit=320)),
        x=alt.X("share:Q", stack="normalize", title="share of campaigns",
                axis=alt.Axis(format="%", labelFontSize=11, titleFontSize=12)),
        color=alt.Color("outcome:N", sort=labels, title="outcome (CSIS p.84-85)",
                        scale=alt.Scale(domain=labels, range=list(_OUTCOME_COLOURS)),
                        legend=alt.Legend(orient="bottom", columns=3, labelFontSize=12,
                                          titleFontSize=12, labelLimit=300)),
        order=alt.Order("order:Q"),
        tooltip=["scenario", "outcome", alt.Tooltip("share:Q", format=".1%")],
    ).properties(
        width=560, height=alt.Step(18),
        title=alt.TitleParams(
            "Campaign outcomes per scenario",
            subtitle=f"{report.n:,} campaigns each, seed {report.seed} · [CSIS] = published "
                     "targets exist; other rows are strait predictions",
            fontSize=15, subtitleFontSize=12, anchor="start"),
    )


def _loss_rows(report: ValidationReport) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    base = report.scenarios.get(_BASE)
    if base is None:
        return [], []
    spans, points = [], []
    for r in report.targets:
        t = r.target
        col = t.plot_column
        if t.scenario != _BASE or col is None or col not in base.bands:
            continue
        label = t.metric.replace("median ", "")
        label = label[0].upper() + label[1:]
        label = label.split(" (")[0]
        p05, med, p95 = base.bands[col]
        spans.append({"metric": label, "series": "strait 5–95 %", "lo": p05, "hi": p95})
        points.append({"metric": label, "series": "strait median", "value": med})
        if t.lo is not None and t.hi is not None:
            spans.append({"metric": label, "series": "CSIS tolerance / range",
                          "lo": t.lo, "hi": t.hi})
        if t.published_value is not None:
            points.append({"metric": label, "series": "CSIS published",
                           "value": t.published_value})
    return spans, points


def plot_losses(report: ValidationReport) -> Any:
    """Altair chart: csis-base loss medians and 5-95 % bands vs published values."""
    import altair as alt
    import pandas as pd

    spans, points = _loss_rows(report)
    if not spans:
        raise ValueError("plot_losses: the report has no csis-base results to plot")
    series = ["CSIS tolerance / range", "CSIS published", "strait 5–95 %", "strait median"]
    colours = ["#fdb863", "#e66101", "#8073ac", "#2d004b"]
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=series, range=colours),
                       legend=alt.Legend(orient="top", labelFontSize=12, symbolSize=120))
    df = pd.concat([pd.DataFrame(spans), pd.DataFrame(points)], ignore_index=True)
    base = alt.Chart()
    band = base.transform_filter(alt.datum.series == series[0]).mark_bar(
        height=16, opacity=0.6).encode(
        x=alt.X("lo:Q", title=None, scale=alt.Scale(zero=True, nice=True),
                axis=alt.Axis(labelFontSize=11)), x2="hi:Q", color=colour)
    rng = base.transform_filter(alt.datum.series == series[2]).mark_rule(
        strokeWidth=3).encode(x="lo:Q", x2="hi:Q", color=colour)
    med = base.transform_filter(alt.datum.series == series[3]).mark_point(
        filled=True, size=90, shape="circle", opacity=1).encode(x="value:Q", color=colour)
    pub = base.transform_filter(alt.datum.series == series[1]).mark_point(
        filled=True, size=140, shape="diamond", opacity=1).encode(x="value:Q", color=colour)
    order = list(dict.fromkeys(r["metric"] for r in spans))
    return alt.layer(band, rng, med, pub, data=df).properties(width=520, height=26).facet(
        row=alt.Row("metric:N", sort=order, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=12,
                                      labelLimit=300, labelPadding=8)),
        spacing=6,
        title=alt.TitleParams(
            "csis-base: strait losses vs the CSIS base runs",
            subtitle=f"{report.n:,} campaigns, seed {report.seed} · each row has its own "
                     "scale",
            fontSize=15, subtitleFontSize=12, anchor="start"),
    ).resolve_scale(x="independent")


def write_validation_docs(report: ValidationReport, docs_dir: str | Path, *,
                          command: str | None = None, figures: bool = True) -> list[Path]:
    """Write ``validation.md`` and (with ``figures``) the two PNGs; return the paths.

    ``command`` is named in the generated header (default :data:`DEFAULT_COMMAND`).
    """
    docs = Path(docs_dir)
    docs.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    names: Sequence[str] = ()
    if figures:
        fig_dir = docs / "figures"
        fig_dir.mkdir(parents=True, exist_ok=True)
        charts: list[tuple[str, Callable[[ValidationReport], Any]]] = [
            (FIGURES[0], plot_outcomes)]
        if _BASE in report.scenarios:
            charts.append((FIGURES[1], plot_losses))
        for name, make in charts:
            path = fig_dir / name
            make(report).save(str(path), format="png", scale_factor=2)
            written.append(path)
        names = [p.name for p in written]
    md = docs / "validation.md"
    md.write_text(render_markdown(report, command=command, figures=names), encoding="utf-8")
    return [md, *written]


def build_validation_docs(docs_dir: str | Path = "docs", n: int = 4000, seed: int = 0,
                          workers: int | None = None,
                          progress: Callable[[str, int, int], None] | None = None, *,
                          command: str | None = None
                          ) -> tuple[ValidationReport, list[Path]]:
    """Run :func:`~strait.analysis.validation.run_validation` and write the docs."""
    report = run_validation(n=n, seed=seed, workers=workers, progress=progress)
    return report, write_validation_docs(report, docs_dir, command=command)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m strait.report.validation``: run, print the table, write docs/JSON."""
    from rich.console import Console

    ap = argparse.ArgumentParser(prog="python -m strait.report.validation",
                                 description="Validate strait against the CSIS results.")
    ap.add_argument("-n", type=int, default=4000, help="campaigns per scenario")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None, help="write the report as JSON")
    ap.add_argument("--docs-dir", type=Path, default=None,
                    help="write validation.md and figures/ under this folder")
    a = ap.parse_args(argv)
    err = Console(stderr=True)
    report = run_validation(n=a.n, seed=a.seed, workers=a.workers,
                            progress=lambda s, d, t: err.print(f"[dim]{d}/{t} {s}[/]"))
    Console().print(render_table(report))
    err.print(f"[dim]{len(report.scenarios)} scenarios in {report.elapsed_s:.1f} s[/]")
    if a.json is not None:
        report.to_json(a.json)
    if a.docs_dir is not None:
        cmd = (f"python -m strait.report.validation -n {a.n} --seed {a.seed} "
               f"--docs-dir {a.docs_dir}")
        for p in write_validation_docs(report, a.docs_dir, command=cmd):
            err.print(f"wrote {p}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
