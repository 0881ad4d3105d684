"""Scenario discovery (PRIM): a planted box is found; a real study's box restricts Japan's
role; bad input is one line and exit 2."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from strait.analysis.discovery import (
    Discovery,
    DiscoveryError,
    choose_step,
    discover,
    parse_outcome,
)
from strait.cli import app
from strait.experiments.study import role_sweep_design, run_study

SCENARIO = "ft-2025-ambiguity"
runner = CliRunner()


def one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def planted(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    """Failure exactly when x1 > 0.7 and Japan's role ≤ 2; x2, AUS role are noise."""
    rng = np.random.default_rng(seed)
    lanes = pd.DataFrame({
        "cell": np.repeat(np.arange(4), n // 4).astype("int32"),
        "parameters.test.x1": rng.random(n), "parameters.test.x2": rng.random(n),
        "parameters.test.const": 0.5,
        "jpn_role_start": rng.integers(0, 7, n).astype("int8"),
        "aus_role_start": rng.integers(0, 7, n).astype("int8"),
        "usa_ships_lost": rng.random(n).astype("float32")})
    fail = (lanes["parameters.test.x1"] > 0.7) & (lanes["jpn_role_start"] <= 2)
    lanes["outcome"] = np.where(fail, 0, 4).astype("int8")
    return lanes


def test_planted_box_is_found():
    d = discover(planted())
    names = {r.name: r for r in d.box}
    assert set(names) == {"parameters.test.x1", "jpn_role_start"}
    assert d.density > 0.95 and d.coverage > 0.9
    x1, jpn = names["parameters.test.x1"], names["jpn_role_start"]
    assert 0.65 < x1.lower < 0.75 and x1.upper == x1.full_upper
    assert jpn.kind == "ordinal" and jpn.levels == (0, 1, 2)
    assert "parameters.test.const" in d.dropped
    assert "usa_ships_lost" not in d.inputs  # results are not inputs
    t = d.trajectory
    assert t["coverage"].iloc[0] == 1.0 and t["res_dim"].iloc[0] == 0
    assert t["density"].iloc[0] == pytest.approx(d.base_rate)
    assert t["density"].is_monotonic_increasing
    assert len(d.boxes) == len(t)


def test_outcome_and_choice_rule():
    assert parse_outcome("prc_victory") == (0,)
    assert parse_outcome("0,1") == (0, 1) == parse_outcome([1, 0])
    assert parse_outcome("prc_defeat") == (4,)
    for bad in ("victory", "7", "", "0,1,2,3,4"):
        with pytest.raises(DiscoveryError):
            parse_outcome(bad)
    # a different outcome gives a different box: the complement is not the planted box
    d = discover(planted(), outcome="prc_defeat")
    assert d.base_rate == pytest.approx(1 - discover(planted()).base_rate)
    t = pd.DataFrame({"coverage": [1.0, 0.9, 0.5, 0.2], "density": [0.1, 0.5, 0.85, 0.95]})
    assert choose_step(t, 0.8) == (2, True)
    assert choose_step(t, 0.99) == (3, False)
    d = discover(planted())
    assert d.select(0).box == () and d.select(-1).chosen == len(d.trajectory) - 1
    with pytest.raises(DiscoveryError, match="out of range"):
        d.select(len(d.trajectory))


@pytest.fixture(scope="module")
def study_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("disc") / "s.duckdb"
    design = role_sweep_design(SCENARIO, ["JPN", "AUS"], [0, 3, 6], n=400, seed=0,
                               keep_lanes=True, keep_inputs=True)
    run_study(design, db, workers=1)
    bare = role_sweep_design(SCENARIO, ["JPN"], [0], n=50, seed=1)
    run_study(bare, db, workers=1)  # study 2: no lanes
    return db


def test_real_study_restricts_japan(study_db, tmp_path):
    out = tmp_path / "d.json"
    png = tmp_path / "d.png"
    r = runner.invoke(app, ["discover", "1", "--db", str(study_db), "--json", str(out),
                            "--png", str(png)])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "jpn_role_start" in r.output and "coverage" in r.output
    assert all(len(line) <= 80 for line in r.output.splitlines()
               if "written to" not in line), r.output
    data = json.loads(out.read_text())
    jpn = [b for b in data["box"] if b["name"] == "jpn_role_start"]
    assert jpn and max(jpn[0]["levels"]) < 6  # failure lives where Japan stays out
    # the default cap keeps the box small; it is still far denser than the base rate
    assert len(data["box"]) <= data["max_restricted"] == 4
    assert data["density"] >= 2.5 * data["n_interest"] / data["n"]
    assert data["study"]["scenario"] == SCENARIO
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_cap_reaches_density_with_more_inputs(study_db, tmp_path):
    out = tmp_path / "d.json"
    r = runner.invoke(app, ["discover", "1", "--db", str(study_db), "--max-inputs", "0",
                            "--json", str(out)])
    assert r.exit_code == 0, (r.output, r.exception)
    data = json.loads(out.read_text())
    assert data["max_restricted"] is None
    assert data["density"] >= 0.8 and len(data["box"]) > 4


def test_step_override(study_db):
    r = runner.invoke(app, ["discover", "1", "--db", str(study_db), "--step", "0"])
    assert r.exit_code == 0, r.output
    assert "no restriction" in r.output and "coverage 100.0%" in r.output


@pytest.mark.parametrize("args,needles", [
    (["2"], ("no lanes stored", "--lanes --inputs")),
    (["1", "--outcome", "victory"], ("unknown outcome",)),
    (["9"], ("study 9", "not in")),
    (["1", "--density", "1.5"], ("--density",)),
    (["1", "--step", "999"], ("out of range",)),
])
def test_bad_input_one_line(study_db, args, needles):
    one_line_error(runner.invoke(app, ["discover", *args, "--db", str(study_db)]), *needles)


def test_missing_db_one_line(tmp_path):
    one_line_error(runner.invoke(app, ["discover", "1", "--db", str(tmp_path / "no.duckdb")]),
                   "no study file")


def test_help_has_example():
    r = runner.invoke(app, ["discover", "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "strait discover 1" in r.output


def test_discovery_type():
    assert isinstance(discover(planted(n=800)), Discovery)


def test_box_is_stored_with_the_study_and_shown_in_its_report(study_db, tmp_path):
    from strait.experiments.store import StudyStore

    r = runner.invoke(app, ["discover", "1", "--db", str(study_db), "--max-inputs", "2"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "stored with study 1" in r.output
    with StudyStore(study_db, create=False) as store:
        stored = store.analyses(1)["discovery"]
    assert stored["max_restricted"] == 2 and len(stored["box"]) <= 2
    assert stored["command"] == f"strait discover 1 --db {study_db} --max-inputs 2"
    out = tmp_path / "rep"
    r = runner.invoke(app, ["report", "1", "--db", str(study_db), "--out", str(out)])
    assert r.exit_code == 0, (r.output, r.exception)
    page = (out / "report.html").read_text()
    section = page[page.index('id="discovery">Scenario discovery'):]
    assert "Not computed" not in section.split("<h2>")[0]
    assert f"coverage <b>{stored['coverage']:.1%}</b>" in section
    assert "jpn_role_start" in section and (out / "discovery.png").stat().st_size > 1000
    assert f"strait discover 1 --db {study_db} --max-inputs 2" in page
    with StudyStore(study_db, create=False) as store:  # removing the study removes it
        store.remove(1)
        assert store.analyses(1) == {}
