"""`strait run`, `strait compare` and `strait validate csis` from the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from strait.cli import app
from strait.results import read_results

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    for n in needles:
        assert n in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def test_run_prints_summary_writes_parquet_and_json(tmp_path) -> None:
    out, js = tmp_path / "r.parquet", tmp_path / "s.json"
    res = invoke("run", "csis-base", "-n", "600", "--seed", "3", "--workers", "1", "-q",
                 "--out", str(out), "--json", str(js))
    assert res.exit_code == 0, res.output
    assert "PRC victory" in res.output and "US carriers lost" in res.output
    back = read_results(out)
    assert len(back.table) == 600 and back.seed == 3 and back.scenario_name == "csis-base"
    doc = json.loads(js.read_text())
    assert abs(sum(doc["outcome_probabilities"].values()) - 1) < 1e-9
    assert doc["scenario_hash"] == back.scenario_hash


def test_run_set_changes_the_scenario(tmp_path) -> None:
    js = tmp_path / "s.json"
    res = invoke("run", "csis-base", "-n", "300", "-w", "1", "-q", "--set", "jpn.role=NEUTRAL",
                 "--json", str(js))
    assert res.exit_code == 0, res.output
    doc = json.loads(js.read_text())
    assert doc["sets"] == ["jpn.role=NEUTRAL"]
    assert doc["roles"]["jpn"]["role_start_mean"] == 0.0


@pytest.mark.parametrize(("args", "needles"), [
    (["run", "csis-base", "-n", "0"], ["-n", "> 0"]),
    (["run", "csis-base", "-n", "10", "--set", "jpn.rol=NEUTRAL"], ["allies.JPN.rol", "role"]),
    (["run", "csis-base", "-n", "10", "--set", "jpn.role=NEUTRALISH"], ["NEUTRAL"]),
    (["run", "csis-base", "-n", "10", "--set", "parameters.antiship.p_hit_subsonic=abc"],
     ["p_hit_subsonic"]),
    (["run", "csis-base", "-n", "10", "--set", "nonsense"], ["--set"]),
    (["run", "csis-bse", "-n", "10"], ["did you mean 'csis-base'"]),
    (["compare", "csis-base", "-n", "10"], ["at least two"]),
    (["validate", "csis", "-n", "0"], ["-n"]),
])
def test_bad_run_input_is_one_line_exit_2(args, needles) -> None:
    one_line_error(invoke(*args), *needles)


def test_compare_reports_the_difference() -> None:
    res = invoke("compare", "csis-base", "csis-japan-neutral", "-n", "400", "-w", "1", "-q")
    assert res.exit_code == 0, res.output
    assert "csis-japan-neutral vs csis-base" in res.output


def test_validate_csis_writes_every_key(tmp_path) -> None:
    js = tmp_path / "v.json"
    res = invoke("validate", "csis", "-n", "200", "-w", "1", "-q", "--json", str(js))
    assert res.exit_code == 0, res.output
    doc = json.loads(js.read_text())
    base = doc["scenarios"]["csis-base"]
    assert set(base["outcome_probabilities"]) == {
        "prc_victory", "stalemate_prc", "stalemate_indeterminate", "stalemate_defence",
        "prc_defeat"}
    assert {"usa_aircraft", "jpn_aircraft", "chn_aircraft", "usa_ships", "jpn_ships",
            "chn_ships", "chn_amphibious_ships", "usa_carriers", "usa_submarines",
            "usa_killed"} <= set(base["losses_median"])
    for key in ("end_day_median", "pla_battalions_landed_median",
                "prc_share_of_taiwan_median"):
        assert key in base
