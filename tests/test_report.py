"""The study report: self-contained HTML with every chart, opened in a real browser
(Debian's chromium through Playwright) with no network request."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from strait.report.study import StudyView, chart_specs, write_report

CHROMIUM = "/usr/bin/chromium"


def _view(with_timeline: bool = True) -> StudyView:
    rows = []
    for j in (0, 3, 6):
        for a in (0, 3, 6):
            pv = 0.3 / (1 + j) + 0.01 * a
            rows.append(dict(cell=f"JPN {j} AUS {a}", jpn=j, aus=a, p_prc_victory=pv,
                             p_prc_defeat=0.1 * j, p_stalemate_prc=0.05,
                             p_stalemate_indeterminate=0.05, p_stalemate_defence=0.2,
                             usa_aircraft_lost_p05=200.0, usa_aircraft_lost_p50=250.0 + j,
                             usa_aircraft_lost_p95=300.0, usa_ships_lost_p05=10.0,
                             usa_ships_lost_p50=15.0, usa_ships_lost_p95=18.0,
                             chn_ships_lost_p05=150.0, chn_ships_lost_p50=170.0,
                             chn_ships_lost_p95=176.0, d_prc_victory=0.01 * j,
                             d_prc_victory_low=0.01 * j - 0.01, d_prc_victory_high=0.01 * j + 0.01))
    traj = None
    fields: tuple[str, ...] = ()
    if with_timeline:
        rng = np.random.default_rng(0)
        fields = ("amphibious_fleet_share", "prc_share_of_taiwan", "air_control")
        traj = rng.uniform(0, 1, (20, 6, 3))
    return StudyView("test", "ft-2025-ambiguity", "abc123", 7, 500, "0.1.0",
                     "strait sweep ft-2025-ambiguity --allies jpn,aus -n 500 --seed 7",
                     pd.DataFrame(rows), "JPN 3 AUS 3", trajectories=traj,
                     trajectory_fields=fields)


EXPECTED = {"outcomes", "heatmap", "losses", "paired", "timeline"}
ANALYSIS_CHARTS = {"voi", "voi_rule", "deterrence", "sensitivity", "discovery"}


def _analyses() -> dict[str, dict[str, object]]:
    """Stored analyses in the shape `strait voi/sensitivity/discover` store them."""
    est = {"value": 0.004, "se": 0.001, "low": 0.002, "high": 0.006}
    ally = {"evppi": est, "evppi_regression": est, "evsi": {**est, "value": 0.001},
            "deterrence_d_prc_victory": {"3": {"mean": -0.06, "low": -0.07, "high": -0.05},
                                         "6": {"mean": -0.08, "low": -0.09, "high": -0.07}},
            "deterrence_d_losses": {"3": {"usa_killed": {"mean": -400.0, "low": -420.0,
                                                         "high": -380.0}}}}
    pair = {"primary": est, "secondary": {"value": 12.0, "se": 2.0, "low": 8.0, "high": 16.0}}
    lex = {"tie": 0.01, "best": 1, "evpi": pair, "evppi": {"JPN": pair, "AUS": pair},
           "evppi_regression": {"JPN": pair, "AUS": pair}, "evsi": {"JPN": pair, "AUS": pair}}
    voi = {"scenario": "ft-2025-ambiguity", "n": 1000, "seed": 7, "utility": "-prc_victory",
           "then": "-usa_killed", "lexicographic": lex, "costs": {"dispersed": 2e9},
           "effects": {"dispersed": {"prc_victory": {"mean": 0.006, "low": 0.004,
                                                     "high": 0.008}}},
           "effects_per_billion_usd": {"dispersed": {"prc_victory": 0.003}},
           "decisions": ["status quo", "dispersed"], "allies": {"JPN": ally, "AUS": ally},
           "command": "strait voi ft-2025-ambiguity -d dispersed=... --study 1"}
    sens = {"method": "delta", "estimator": "given-data delta", "metric": "prc_victory",
            "scenario": "ft-2025-ambiguity", "seed": 7, "campaigns": 1000,
            "indices": [{"input": "allies.JPN.role", "delta": 0.1, "delta_conf": 0.01},
                        {"input": "parameters.antiship.p_hit_subsonic", "delta": 0.02,
                         "delta_conf": 0.01}],
            "command": "strait sensitivity ft-2025-ambiguity --study 1"}
    disc = {"outcome": "prc_victory", "n": 4000, "n_interest": 500, "base_rate": 0.125,
            "chosen_step": 1, "coverage": 0.9, "density": 0.4, "n_box": 1100,
            "box": [{"name": "jpn_role_start", "kind": "ordinal", "lower": 0, "upper": 2,
                     "levels": [0, 1, 2]}],
            "trajectory": [{"step": i, "coverage": 1 - 0.1 * i, "density": 0.125 + 0.1 * i,
                            "res_dim": i, "n": 4000 - 1000 * i} for i in range(3)],
            "command": "strait discover 1"}
    return {"voi": voi, "sensitivity": sens, "discovery": disc}


def test_every_chart_states_its_provenance() -> None:
    specs = chart_specs(_view())
    assert set(specs) == EXPECTED
    for chart in specs.values():
        text = chart.to_json()
        for needle in ("ft-2025-ambiguity", "500 campaigns per cell", "seed 7",
                       "strait 0.1.0", "reference: JPN 3 AUS 3"):
            assert needle in text


def test_report_is_self_contained(tmp_path: Path) -> None:
    page = write_report(_view(), tmp_path).read_text()
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert page.count("data:image/png;base64,") == len(EXPECTED)
    for stem in EXPECTED:
        assert (tmp_path / f"{stem}.png").stat().st_size > 1000
    assert "strait sweep ft-2025-ambiguity" in page  # the command that reproduces it
    assert "Stalemate leaning against PRC" in page  # the glossary


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is installed by .ci/run and by make test as root "
                           "(in CI this test never skips)")
@pytest.mark.parametrize("with_analyses", [False, True])
def test_report_opens_in_a_real_browser_with_no_network(tmp_path: Path,
                                                        with_analyses: bool) -> None:
    from playwright.sync_api import sync_playwright

    view = _view()
    if with_analyses:
        view.analyses = _analyses()
    page_path = write_report(view, tmp_path)
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")
            loaded = page.eval_on_selector_all(
                "figure img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
            ids = page.eval_on_selector_all("figure", "fs => fs.map(f => f.id)")
            text = page.inner_text("body")
        finally:
            browser.close()
    assert set(ids) == (EXPECTED | ANALYSIS_CHARTS if with_analyses else EXPECTED)
    assert loaded and all(loaded) and len(loaded) == len(ids)
    remote = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert remote == []
    if with_analyses:  # the options' paired effects and their cost per $1 bn
        assert "+0.6 pp [+0.4, +0.8]" in text and "per $1 bn (cost $2 bn)" in text


def test_strait_report_reads_a_stored_study(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from strait.cli import app

    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    swept = runner.invoke(app, ["sweep", "ft-2025-ambiguity", "--allies", "jpn,aus",
                                "--levels", "0,6", "-n", "300", "--db", str(db), "-q",
                                "-w", "1"])
    assert swept.exit_code == 0, swept.output
    assert "headline: P(PRC victory) moves most" in swept.stdout
    out = tmp_path / "rep"
    made = runner.invoke(app, ["report", "1", "--db", str(db), "--out", str(out),
                               "--timeline", "100", "-q"])
    assert made.exit_code == 0, made.output
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == len(EXPECTED)
    assert "ft-2025-ambiguity · 300 campaigns per cell · seed 0" in page
    assert "strait report 1" in page and "strait sweep ft-2025-ambiguity" in page
    missing = runner.invoke(app, ["report", "7", "--db", str(db), "--out", str(out)])
    assert missing.exit_code == 2 and "study 7" in missing.stderr
