"""Analyses stored with a study (``--study``) and shown by ``strait report``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from strait.cli import app
from strait.experiments.store import StudyStore
from strait.experiments.study import role_sweep_design, run_study

SCENARIO = "ft-2025-ambiguity"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("an") / "s.duckdb"
    run_study(role_sweep_design(SCENARIO, ["JPN"], [0, 6], n=200, seed=0), path, workers=1)
    return path


def test_voi_and_sensitivity_stored_and_charted(db, tmp_path):
    r = runner.invoke(app, ["voi", SCENARIO, "-d", "dispersed=doctrine.usa.basing=dispersed",
                            "-n", "1500", "--bootstrap", "20", "-q", "--study", "1",
                            "--db", str(db)])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "stored with study 1" in r.output
    r = runner.invoke(app, ["sensitivity", SCENARIO, "--method", "delta", "-n", "600",
                            "--study", "1", "--db", str(db)])
    assert r.exit_code == 0, (r.output, r.exception)
    with StudyStore(db, create=False) as store:
        stored = store.analyses(1)
    assert set(stored) == {"voi", "sensitivity"}
    assert set(stored["voi"]["allies"]) >= {"JPN"}
    assert stored["voi"]["command"] == ("strait voi ft-2025-ambiguity --decision "
                                        "dispersed=doctrine.usa.basing=dispersed --n 1500 "
                                        f"--bootstrap 20 --quiet --study 1 --db {db}")
    assert stored["sensitivity"]["method"] == "delta" and stored["sensitivity"]["indices"]
    out = tmp_path / "rep"
    r = runner.invoke(app, ["report", "1", "--db", str(db), "--out", str(out)])
    assert r.exit_code == 0, (r.output, r.exception)
    for stem in ("voi", "deterrence", "sensitivity"):
        png = out / f"{stem}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000
    page = (out / "report.html").read_text()
    for section in ('id="voi">Value of information', 'id="sensitivity">Global sensitivity'):
        body = page[page.index(section):].split("<h2")[0]
        assert "Stored with this study" in body and "Not computed" not in body
    assert page.count('<figure id="voi">') == 1 and '<figure id="deterrence">' in page


def test_study_of_another_scenario_is_one_line(db):
    r = runner.invoke(app, ["sensitivity", "csis-base", "--method", "delta", "-n", "100",
                            "--study", "1", "--db", str(db)])
    assert r.exit_code == 2
    assert "a study of ft-2025-ambiguity, not csis-base" in r.output
    assert "Traceback" not in r.output
    r = runner.invoke(app, ["voi", SCENARIO, "-d", "x=doctrine.usa.basing=dispersed",
                            "-n", "100", "--study", "9", "--db", str(db)])
    assert r.exit_code == 2 and "9" in r.output and len(r.output.strip().splitlines()) == 1


def test_report_without_analyses_says_how(db, tmp_path):
    run_study(role_sweep_design(SCENARIO, ["AUS"], [0], n=50, seed=2), db, workers=1)
    out = tmp_path / "rep2"
    r = runner.invoke(app, ["report", "2", "--db", str(db), "--out", str(out)])
    assert r.exit_code == 0, (r.output, r.exception)
    page = (out / "report.html").read_text()
    assert "strait voi SCENARIO -d ... --study N" in page
    assert not (out / "voi.png").exists()
