"""One self-contained HTML report (plus PNGs) for a study: what each combination of allied
answers does to the war.

Charts are Vega-Lite specifications built with Altair and rendered to PNG by vl-convert,
so the report needs no browser, no JavaScript and no network: every image is embedded in
the HTML as data and also written next to it. Every chart states the scenario, campaigns
per cell, the seed, the strait version and the reference case; the HTML lists the
commands that reproduce every number.

The input is a :class:`StudyView` — the study's manifest and one row per cell — so the
report reads stored results and never runs the engine itself (the optional timeline of a
typical campaign is recorded by the caller).

>>> import pandas as pd
>>> view = StudyView(name="demo", scenario="csis-base", scenario_hash="abc", seed=1,
...                  n_per_cell=100, version="0", command="strait sweep csis-base",
...                  cells=pd.DataFrame({"cell": ["JPN 0", "JPN 3"], "jpn": [0, 3],
...                                      "p_prc_victory": [0.4, 0.02],
...                                      "p_prc_defeat": [0.01, 0.6]}),
...                  reference="JPN 3")
>>> sorted(chart_specs(view))[:2]
['outcomes', 'paired']
"""

from __future__ import annotations

import base64
import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from strait.outcomes import GLOSSARY, OUTCOME_LABELS, OUTCOMES, column_words
from strait.scenario.models import RoleLevel

log = logging.getLogger(__name__)

LEVEL_NAMES = tuple(level.name for level in RoleLevel)
LOSSES = (("usa_aircraft_lost", "US aircraft lost"), ("usa_ships_lost", "US major ships lost"),
          ("chn_ships_lost", "PLA major ships lost"))
TIMELINE_FIELDS = ("amphibious_fleet_share", "prc_share_of_taiwan", "air_control")


@dataclass
class StudyView:
    """What a report needs of a stored study.

    ``cells``: one row per cell with ``cell`` (label), the ally level columns (``jpn``,
    ``aus``, ``phl``, ``kor``: 0-6) or ``value`` (a parameter sweep), ``p_<outcome>`` for
    the outcome classes (optionally ``..._low``/``..._high``), loss statistics
    ``<loss>_p05/_p50/_p95`` and paired differences from the reference
    ``d_prc_victory`` (with ``_low``/``_high``). ``trajectories``: optional
    ``(campaigns, turns, fields)`` of the reference cell with ``trajectory_fields``.
    """

    name: str
    scenario: str
    scenario_hash: str
    seed: int
    n_per_cell: int
    version: str
    command: str
    cells: pd.DataFrame
    reference: str
    turn_days: float = 3.5
    trajectories: np.ndarray | None = None
    trajectory_fields: tuple[str, ...] = ()
    extra_commands: list[str] = field(default_factory=list)
    analyses: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def subtitle(self) -> str:
        return (f"{self.scenario} · {self.n_per_cell:,} campaigns per cell · seed {self.seed}"
                f" · strait {self.version} · reference: {self.reference}")


def _allies(view: StudyView) -> list[str]:
    return [a for a in ("jpn", "aus", "phl", "kor") if a in view.cells.columns]


def chart_specs(view: StudyView) -> dict[str, Any]:
    """Altair charts of the study, keyed by file stem."""
    import altair as alt

    from strait.analysis.discovery import trajectory_chart
    from strait.analysis.sensitivity import RANK_COLUMNS, ranked_chart

    cells = view.cells.copy()
    title = {"subtitle": view.subtitle}
    out: dict[str, Any] = {}
    long = []
    for key in OUTCOMES:
        col = f"p_{key}"
        if col in cells:
            long.append(pd.DataFrame({"cell": cells["cell"], "outcome": OUTCOME_LABELS[key],
                                      "order": OUTCOMES.index(key), "share": cells[col]}))
    if long:
        df = pd.concat(long, ignore_index=True)
        out["outcomes"] = alt.Chart(df).mark_bar().encode(
            y=alt.Y("cell:N", sort=list(cells["cell"]), title=None),
            x=alt.X("share:Q", stack="normalize", title="share of campaigns"),
            color=alt.Color("outcome:N", sort=[OUTCOME_LABELS[k] for k in OUTCOMES],
                            scale=alt.Scale(scheme="redblue")),
            order="order:Q",
        ).properties(title={"text": "Outcomes by combination of allied answers", **title},
                     width=520)
    allies = _allies(view)
    if len(allies) >= 2 and "p_prc_victory" in cells:
        a, b = allies[:2]
        df = cells.assign(**{a: cells[a].map(lambda v: LEVEL_NAMES[int(v)]),
                             b: cells[b].map(lambda v: LEVEL_NAMES[int(v)])})
        base = alt.Chart(df).encode(
            x=alt.X(f"{b}:N", sort=list(LEVEL_NAMES), title=f"{b.upper()} level"),
            y=alt.Y(f"{a}:N", sort=list(LEVEL_NAMES), title=f"{a.upper()} level"))
        heat = base.mark_rect().encode(
            color=alt.Color("p_prc_victory:Q", title="P(PRC victory)",
                            scale=alt.Scale(scheme="reds")))
        text = base.mark_text(fontSize=10).encode(
            text=alt.Text("p_prc_victory:Q", format=".1%"))
        out["heatmap"] = (heat + text).properties(
            title={"text": f"P(PRC victory): {a.upper()} level × {b.upper()} level", **title},
            width=420, height=300)
    loss_rows = []
    for col, label in LOSSES:
        if f"{col}_p50" in cells:
            loss_rows.append(pd.DataFrame({
                "cell": cells["cell"], "quantity": label, "p05": cells[f"{col}_p05"],
                "p50": cells[f"{col}_p50"], "p95": cells[f"{col}_p95"]}))
    if loss_rows:
        df = pd.concat(loss_rows, ignore_index=True)
        enc = alt.Chart(df).encode(y=alt.Y("cell:N", sort=list(cells["cell"]), title=None))
        out["losses"] = (enc.mark_rule().encode(x=alt.X("p05:Q", title="median, 5-95 %"),
                                                 x2="p95:Q")
                         + enc.mark_point(filled=True).encode(x="p50:Q")).properties(
            width=180).facet(column=alt.Column("quantity:N", title=None)).resolve_scale(
            x="independent").properties(title={"text": "Losses by cell", **title})
    d = "d_prc_victory"
    if d in cells:
        df = cells.assign(low=cells.get(f"{d}_low", cells[d]),
                          high=cells.get(f"{d}_high", cells[d]))
        enc = alt.Chart(df).encode(y=alt.Y("cell:N", sort=list(cells["cell"]), title=None))
        out["paired"] = (enc.mark_rule().encode(x=alt.X("low:Q", title="Δ P(PRC victory) vs "
                                                         "the reference (paired 95 %)",
                                                         axis=alt.Axis(format="%")), x2="high:Q")
                         + enc.mark_point(filled=True).encode(x=f"{d}:Q")).properties(
            title={"text": "What each combination changes (same campaigns)", **title},
            width=520)
    else:  # nothing paired yet: show P(PRC victory) per cell as the comparison
        out["paired"] = alt.Chart(cells).mark_bar().encode(
            y=alt.Y("cell:N", sort=list(cells["cell"]), title=None),
            x=alt.X("p_prc_victory:Q", title="P(PRC victory)", axis=alt.Axis(format="%")),
        ).properties(title={"text": "P(PRC victory) by cell", **title}, width=520)
    if view.trajectories is not None and len(view.trajectories):
        from strait.results import typical_trajectory

        typical = typical_trajectory(view.trajectories)
        rows = []
        for f in TIMELINE_FIELDS:
            if f in view.trajectory_fields:
                med = typical[:, view.trajectory_fields.index(f)]
                for t, v in enumerate(med):
                    if np.isfinite(v):
                        rows.append({"day": (t + 1) * view.turn_days, "series": f, "value": v})
        if rows:
            out["timeline"] = alt.Chart(pd.DataFrame(rows)).mark_line(point=True).encode(
                x=alt.X("day:Q", title="day"), y=alt.Y("value:Q", title="share"),
                color=alt.Color("series:N", title=None)).properties(
                title={"text": f"A typical campaign of the reference case (median of "
                               f"{len(view.trajectories)} recorded)", **title}, width=520)
    vo = view.analyses.get("voi")
    if vo and vo.get("allies"):
        rows, det, det_killed = [], [], []
        util = str(vo.get("utility", "prc_victory")).lstrip("-")
        scale, unit = (100.0, f"pp of P({column_words(util)})") \
            if util.startswith(("prc_", "p_")) else (1.0, util.replace("_", " "))
        for ally, a in vo["allies"].items():
            for key, label in (("evppi", "EVPPI (knowing the role)"),
                               ("evsi", "EVSI (hearing the answer)")):
                e = a.get(key) or {}
                v, se = float(e.get("value", 0.0)), float(e.get("se") or 0.0)
                se = se if np.isfinite(se) else 0.0
                rows.append({"ally": ally, "measure": label, "pp": scale * v,
                             "low": scale * (v - 1.96 * se), "high": scale * (v + 1.96 * se)})
            for level, c in (a.get("deterrence_d_prc_victory") or {}).items():
                det.append({"ally": ally, "committed to": LEVEL_NAMES[int(level)],
                            "order": int(level), "pp": 100 * c["mean"],
                            "low": 100 * c["low"], "high": 100 * c["high"]})
                k = (a.get("deterrence_d_losses") or {}).get(str(level), {}).get("usa_killed")
                if k:
                    det_killed.append({"ally": ally, "committed to": LEVEL_NAMES[int(level)],
                                       "order": int(level), "pp": k["mean"], "low": k["low"],
                                       "high": k["high"]})
        sub = {"subtitle": f"{vo.get('scenario')} · {int(vo.get('n', 0)):,} campaigns per "
                           f"option · seed {vo.get('seed')} · options: "
                           f"{', '.join(vo.get('decisions', []))}"}
        vd = pd.DataFrame(rows)
        y = alt.Y("ally:N", title=None)
        out["voi"] = (alt.Chart(vd).mark_bar().encode(
            x=alt.X("pp:Q", title=f"{unit} (± 1.96 × bootstrap SE)"), y=y,
            yOffset="measure:N", color=alt.Color("measure:N", title=None))
            + alt.Chart(vd).mark_rule().encode(x="low:Q", x2="high:Q", y=y,
                                              yOffset="measure:N")).properties(
            width=480, title={"text": "What knowing each ally's answer is worth to the "
                                      "US decision", **sub})
        lex = vo.get("lexicographic")
        if lex and lex.get("evppi"):
            then = column_words(str(vo.get("then") or "").lstrip("-"))
            lr = []
            for part, scale_p, label in (("primary", scale, unit),
                                         ("secondary", 1.0, f"fewer {then}")):
                for key, measure in (("evppi", "EVPPI (knowing the role)"),
                                     ("evsi", "EVSI (hearing the answer)")):
                    for ally, pair in (lex.get(key) or {}).items():
                        e = pair[part]
                        v, se = float(e["value"]), float(e.get("se") or 0.0)
                        se = se if np.isfinite(se) else 0.0
                        lr.append({"ally": ally, "measure": measure, "part": label,
                                   "v": scale_p * v, "low": scale_p * (v - 1.96 * se),
                                   "high": scale_p * (v + 1.96 * se)})
            ld = pd.DataFrame(lr)
            panels = []
            for label in ld["part"].unique():
                part_d = ld[ld["part"] == label]
                panels.append((alt.Chart(part_d).mark_bar().encode(
                    x=alt.X("v:Q", title=f"{label} (± 1.96 × bootstrap SE)"), y=y,
                    yOffset="measure:N", color=alt.Color("measure:N", title=None))
                    + alt.Chart(part_d).mark_rule().encode(
                        x="low:Q", x2="high:Q", y=y, yOffset="measure:N")).properties(
                    width=250))
            out["voi_rule"] = alt.hconcat(*panels).properties(title={
                "text": f"Under the rule: lowest P(PRC victory), then fewest {then} "
                        f"(ties within {100 * float(lex.get('tie', 0.0)):g} pp)", **sub})
        if det:
            dd = pd.DataFrame(det)

            def det_panel(frame: pd.DataFrame, title: str) -> Any:
                yo = alt.YOffset("committed to:N", sort=alt.SortField("order"))
                return (alt.Chart(frame).mark_bar().encode(
                    x=alt.X("pp:Q", title=title), y=y, yOffset=yo,
                    color=alt.Color("committed to:N", sort=alt.SortField("order")))
                    + alt.Chart(frame).mark_rule().encode(x="low:Q", x2="high:Q", y=y,
                                                          yOffset=yo))

            panels = [det_panel(dd, "Δ P(PRC victory), pp (paired 95 % interval)")
                      .properties(width=480 if not det_killed else 250)]
            if det_killed:
                panels.append(det_panel(pd.DataFrame(det_killed),
                                        "Δ US killed (paired 95 % interval)")
                              .properties(width=250))
            out["deterrence"] = (panels[0] if len(panels) == 1 else alt.hconcat(*panels)
                                 ).properties(title={
                                     "text": "Deterrence value: a credible public commitment "
                                             "vs the ambiguous prior", **sub})
    sens = view.analyses.get("sensitivity")
    if sens and sens.get("indices") and sens.get("method") in RANK_COLUMNS:
        out["sensitivity"] = ranked_chart(
            pd.DataFrame(sens["indices"]), str(sens["method"]),
            f"What drives {sens.get('metric')}: {sens.get('method')} "
            f"({sens.get('estimator')}) · {sens.get('scenario')} · seed {sens.get('seed')} · "
            f"{int(sens.get('campaigns') or 0):,} campaigns", top=15)
    disc = view.analyses.get("discovery")
    if disc and disc.get("trajectory"):
        out["discovery"] = trajectory_chart(
            pd.DataFrame(disc["trajectory"]), int(disc.get("chosen_step", 0)),
            float(disc.get("density_target", 0.0)),
            f"PRIM peeling trajectory, case of interest {disc.get('outcome')} (chosen box "
            "ringed)")
    return out


def _png(chart: Any) -> bytes:
    import vl_convert as vlc

    png: bytes = vlc.vegalite_to_png(chart.to_json(), scale=1.5)
    return png


def _table_html(view: StudyView) -> str:
    cols = ["cell", *[c for c in ("p_prc_victory", "p_prc_defeat", "d_prc_victory",
                                  "usa_aircraft_lost_p50", "usa_ships_lost_p50",
                                  "chn_ships_lost_p50") if c in view.cells]]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for _, r in view.cells[cols].iterrows():
        cells = []
        for c in cols:
            v = r[c]
            cells.append(f"<td>{v:.1%}</td>" if c.startswith(("p_", "d_")) and
                         isinstance(v, float) else f"<td>{html.escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _stored_note(view: StudyView, kind: str, charts: tuple[str, ...], how: str,
                 drawn: set[str] | None = None) -> str:
    """Where a stored analysis's charts are (those of ``charts`` that were ``drawn``), or
    how to add it."""
    if kind not in view.analyses:
        return f"<p>Not computed for this study yet (<code>{html.escape(how)}</code>).</p>"
    links = ", ".join(f'<a href="#{c}">{c}</a>' for c in charts
                      if drawn is None or c in drawn)
    return (f"<p>Stored with this study: {links} (charts above); made by "
            f"<code>{html.escape(str(view.analyses[kind].get('command')))}</code>.</p>")


def _effects_html(vo: dict[str, Any] | None) -> str:
    """Each decision option against the status quo (paired), and per $1 bn where costed."""
    effects = (vo or {}).get("effects") or {}
    if not effects:
        return ""
    cols = ["prc_victory", "usa_aircraft_lost", "usa_ships_lost", "usa_killed"]
    per = (vo or {}).get("effects_per_billion_usd") or {}
    costs = (vo or {}).get("costs") or {}
    head = "".join(f"<th>Δ {html.escape(column_words(c))}</th>" for c in cols)
    rows = []
    for d, eff in effects.items():
        cells = []
        for c in cols:
            ch = eff.get(c)
            k, unit = (100.0, " pp") if c == "prc_victory" else (1.0, "")
            cells.append("<td>·</td>" if ch is None else
                         f"<td>{k * ch['mean']:+.1f}{unit} [{k * ch['low']:+.1f}, "
                         f"{k * ch['high']:+.1f}]</td>")
        rows.append(f"<tr><td>{html.escape(d)}</td>{''.join(cells)}</tr>")
        if d in per:
            pc = "".join("<td>·</td>" if c not in per[d] else
                         f"<td>{(100.0 if c == 'prc_victory' else 1.0) * per[d][c]:+.2f}</td>"
                         for c in cols)
            rows.append(f"<tr><td>per $1 bn (cost ${float(costs.get(d, 0)) / 1e9:g} bn)"
                        f"</td>{pc}</tr>")
    return (f"<p>Each option against {html.escape(str((vo or {}).get('decisions', ['?'])[0]))}"
            " on the same campaigns (paired 95 % intervals):</p>"
            f"<table><tr><th>option</th>{head}</tr>{''.join(rows)}</table>")


def _discovery_html(d: dict[str, Any] | None) -> str:
    """The stored PRIM box (``strait discover``) as a paragraph and a table."""
    if not d:
        return "<p>Not computed for this study yet (<code>strait discover</code>).</p>"
    rows = []
    for r in d.get("box", []):
        if r.get("kind") == "ordinal":
            levels = [int(v) for v in r.get("levels", [])]
            rng = ", ".join(f"{v} {LEVEL_NAMES[v]}" if 0 <= v < len(LEVEL_NAMES) else str(v)
                            for v in levels)
        else:
            lo, hi = float(r.get("lower", float("nan"))), float(r.get("upper", float("nan")))
            rng = f"{lo:.4g} – {hi:.4g}"
        rows.append(f"<tr><td style='text-align:left'>{html.escape(str(r['name']))}</td>"
                    f"<td style='text-align:left'>{html.escape(rng)}</td></tr>")
    box = ("<table><tr><th>input</th><th>range in the box</th></tr>" + "".join(rows)
           + "</table>") if rows else "<p>(no restriction: the whole input space)</p>"
    return (f"<p>Case of interest: <b>{html.escape(str(d.get('outcome')))}</b>, "
            f"{int(d.get('n_interest', 0)):,} of {int(d.get('n', 0)):,} lanes "
            f"({float(d.get('base_rate', 0)):.1%}). PRIM box (step {d.get('chosen_step')}): "
            f"coverage <b>{float(d.get('coverage', 0)):.1%}</b>, density "
            f"<b>{float(d.get('density', 0)):.1%}</b>, {int(d.get('n_box', 0)):,} lanes.</p>"
            + box)


def write_report(view: StudyView, out_dir: str | Path) -> Path:
    """Write ``report.html`` (self-contained, offline) and one PNG per chart into
    ``out_dir``; return the HTML path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures = []
    specs = chart_specs(view)
    for stem, chart in specs.items():
        png = _png(chart)
        (out / f"{stem}.png").write_bytes(png)
        data = base64.b64encode(png).decode()
        figures.append(f'<figure id="{stem}"><img alt="{stem}" src="data:image/png;base64,'
                       f'{data}"><figcaption>{html.escape(view.subtitle)}</figcaption>'
                       "</figure>")
    commands = [view.command, *view.extra_commands,
                *(str(a["command"]) for a in view.analyses.values()
                  if isinstance(a, dict) and a.get("command"))]
    glossary = "".join(f"<li>{html.escape(item)}</li>" for item in GLOSSARY.split("; "))
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>strait study {html.escape(view.name)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}
img{{max-width:100%}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;
padding:2px 6px;text-align:right}} code,pre{{background:#f4f4f4}}</style></head>
<body>
<h1>strait study “{html.escape(view.name)}”</h1>
<p>{html.escape(view.subtitle)} · scenario hash <code>{html.escape(view.scenario_hash)}</code></p>
<h2>Charts</h2>
{''.join(figures)}
<h2>Cells</h2>
{_table_html(view)}
<h2 id="voi">Value of information</h2>
{_stored_note(view, "voi", ("voi", "voi_rule", "deterrence"),
              "strait voi SCENARIO -d ... --study N", set(specs))}
{_effects_html(view.analyses.get("voi"))}
<h2 id="sensitivity">Global sensitivity</h2>
{_stored_note(view, "sensitivity", ("sensitivity",),
              "strait sensitivity SCENARIO --study N")}
<h2 id="discovery">Scenario discovery</h2>
{_discovery_html(view.analyses.get("discovery"))}
<h2>Outcome classes</h2>
<ul>{glossary}</ul>
<h2>Reproduce every number</h2>
<pre>{html.escape(chr(10).join(commands))}</pre>
</body></html>
"""
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    log.info("report written to %s", path)
    return path




def sweep_command(meta: dict[str, Any]) -> str:
    """The ``strait sweep`` command that replays a stored study's design exactly."""
    d = meta.get("design") or {}
    parts = ["strait sweep", str(meta["scenario"])]
    if d.get("kind") == "param" and d.get("param"):
        values = ",".join(str(v) for v in d.get("values", []))
        parts.append(f"--param {d['param']}={values}")
    else:
        if d.get("allies"):
            parts.append("--allies " + ",".join(a.lower() for a in d["allies"]))
        if d.get("levels"):
            parts.append("--levels " + ",".join(str(v) for v in d["levels"]))
    parts += [f"-n {int(meta['n_per_cell'])}", f"--seed {int(meta['seed'])}"]
    return " ".join(parts)


def view_from_store(store: Any, study_id: int, trajectories: np.ndarray | None = None,
                    trajectory_fields: tuple[str, ...] = ()) -> StudyView:
    """A :class:`StudyView` of stored study ``study_id`` (``strait.experiments.store``)."""
    import json

    meta = store.study(study_id)
    cells = store.cells(study_id).copy()
    cells["cell"] = cells["label"]
    for ally in ("JPN", "AUS", "PHL", "KOR"):
        levels = [json.loads(v).get(ally) if isinstance(v, str) and v else None
                  for v in cells["levels"]]
        if any(lv is not None for lv in levels):
            cells[ally.lower()] = levels
    grid = cells[~cells["is_reference"]] if "is_reference" in cells else cells
    ref = cells[cells["is_reference"]]["label"].iloc[0] if "is_reference" in cells and \
        cells["is_reference"].any() else str(cells["label"].iloc[0])
    allies = [a for a in ("jpn", "aus", "phl", "kor") if a in grid.columns]
    if allies:  # the heatmap and level columns need every grid cell to carry its levels
        grid = grid.dropna(subset=allies).astype({a: int for a in allies})
        shown = pd.concat([cells[cells["label"] == ref], grid], ignore_index=True)
    else:
        shown = cells
    version = meta.get("strait_version", "?")
    command = sweep_command(meta)
    return StudyView(
        name=str(meta.get("name") or f"study {study_id}"), scenario=str(meta["scenario"]),
        scenario_hash=str(meta["scenario_hash"])[:12], seed=int(meta["seed"]),
        n_per_cell=int(meta["n_per_cell"]), version=str(version), command=str(command),
        cells=shown if not allies else grid, reference=str(ref),
        trajectories=trajectories, trajectory_fields=trajectory_fields,
        extra_commands=[f"strait report {study_id}"],
        analyses=store.analyses(study_id) if hasattr(store, "analyses") else {})


__all__ = ["LEVEL_NAMES", "StudyView", "chart_specs", "sweep_command", "view_from_store",
           "write_report"]
