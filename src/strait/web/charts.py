"""A what-if's charts as Vega-Lite specifications (drawn with Altair, rendered in the page
by the vega-embed bundle that vl-convert ships, so the page needs no network).

Each chart's subtitle states scenario, N, seed, strait version and the allied roles; the
data come from :func:`strait.web.service.whatif`'s answer, never from the engine.

>>> body = {"subtitle": "s", "outcomes": [{"label": "PRC victory", "probability": 0.1,
...         "low": 0.08, "high": 0.12}], "losses": [], "timeline": {"turns": []}}
>>> sorted(whatif_charts(body))
['outcomes']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from strait.web.service import TIMELINE_FIELDS

__all__ = ["whatif_charts"]


def whatif_charts(body: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Outcome bars with intervals, loss histograms per side, and the typical campaign."""
    import altair as alt

    # scenario, N, seed, version on one line; the allied roles on the next
    sub = {"subtitle": str(body["subtitle"]).rsplit(" · ", 1)}
    out: dict[str, dict[str, Any]] = {}
    oc = pd.DataFrame(body["outcomes"])
    if not oc.empty:
        order = list(oc["label"])
        y = alt.Y("label:N", sort=order, title=None)
        bars = alt.Chart(oc).mark_bar().encode(
            x=alt.X("probability:Q", title="share of campaigns (Wilson 95 % interval)",
                    axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            y=y, color=alt.Color("label:N", sort=order, legend=None,
                                 scale=alt.Scale(scheme="redblue")),
            tooltip=[alt.Tooltip("probability:Q", format=".1%"),
                     alt.Tooltip("low:Q", format=".1%"), alt.Tooltip("high:Q", format=".1%")])
        rules = alt.Chart(oc).mark_rule(strokeWidth=2).encode(x="low:Q", x2="high:Q", y=y)
        text = alt.Chart(oc).mark_text(align="left", dx=4).encode(
            x="high:Q", y=y, text=alt.Text("probability:Q", format=".1%"))
        out["outcomes"] = (bars + rules + text).properties(
            width=300, title={"text": "Outcome", **sub}).to_dict()
    rows = []
    for d in body.get("losses", []):
        edges, counts = d["histogram"]["edges"], d["histogram"]["counts"]
        total = max(1, sum(counts))
        for i, c in enumerate(counts):
            rows.append({"quantity": f"{d['side']} {d['label']}", "side": d["side"],
                         "lo": edges[i], "hi": edges[i + 1], "share": c / total})
    if rows:
        df = pd.DataFrame(rows)
        out["losses"] = alt.Chart(df).mark_rect().encode(
            x=alt.X("lo:Q", title=None), x2="hi:Q",
            y=alt.Y("share:Q", title="share", axis=alt.Axis(format="%")),
            color=alt.Color("side:N", title=None),
        ).properties(width=140, height=60).facet(
            facet=alt.Facet("quantity:N", title=None, sort=list(dict.fromkeys(
                df["quantity"]))), columns=2,
        ).resolve_scale(x="independent", y="independent").properties(
            title={"text": "Losses: distribution over campaigns", **sub}).to_dict()
    turns = body.get("timeline", {}).get("turns", [])
    trows = [{"day": t["day"], "series": f, "value": t[f]} for t in turns
             for f in TIMELINE_FIELDS if t.get(f) is not None]
    if trows:
        n = body["timeline"].get("campaigns", 0)
        out["timeline"] = alt.Chart(pd.DataFrame(trows)).mark_line(point=True).encode(
            x=alt.X("day:Q", title="day"), y=alt.Y("value:Q", title="share"),
            color=alt.Color("series:N", title=None),
            tooltip=["day:Q", "series:N", alt.Tooltip("value:Q", format=".2f")],
        ).properties(width=300, title={
            "text": f"A typical campaign (per-turn median of {n} recorded)", **sub}).to_dict()
    return out
