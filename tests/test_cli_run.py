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
    assert "Difference from csis-base" in res.output and "P(PRC victory)" in res.output


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


# ------------------------------------------------------------------ output paths


def _listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(("option", "needle"), [("--out", "--out"), ("--json", "--json")])
def test_output_path_that_is_a_folder_is_refused_before_the_run(tmp_path, option, needle):
    before = _listing(tmp_path.parent)
    line = one_line_error(invoke("run", "csis-base", "-n", "50", "-w", "1", "-q",
                                 option, str(tmp_path)), needle, "is a folder")
    assert str(tmp_path) in line
    assert _listing(tmp_path.parent) == before and _listing(tmp_path) == []


@pytest.mark.parametrize("option", ["--out", "--json"])
def test_output_in_a_missing_folder_is_refused_before_the_run(tmp_path, option):
    target = tmp_path / "missing" / "x.out"
    one_line_error(invoke("run", "csis-base", "-n", "50", "-w", "1", "-q", option, str(target)),
                   option, "does not exist", "mkdir -p")
    assert _listing(tmp_path) == []


def test_output_in_a_read_only_folder_is_refused(tmp_path, monkeypatch):
    import os

    ro = tmp_path / "ro"
    ro.mkdir()
    real = os.access
    # root ignores permission bits, so the folder is made read-only for os.access too
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
        False if os.path.abspath(p) == str(ro) else real(p, mode, **kw)))
    one_line_error(invoke("run", "csis-base", "-n", "50", "-w", "1", "-q",
                          "--out", str(ro / "r.parquet")), "--out", "no permission", str(ro))
    assert _listing(ro) == []


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root writes into read-only folders")
def test_output_in_a_chmod_read_only_folder_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        one_line_error(invoke("run", "csis-base", "-n", "50", "-w", "1", "-q",
                              "--json", str(ro / "s.json")), "--json", "no permission")
        assert _listing(ro) == []
    finally:
        ro.chmod(0o755)


def test_out_and_json_on_the_same_file_is_refused(tmp_path):
    p = tmp_path / "same"
    one_line_error(invoke("run", "csis-base", "-n", "50", "-q", "--out", str(p), "--json", str(p)),
                   "--json", "--out")
    assert _listing(tmp_path) == []


@pytest.mark.parametrize("w", ["-3", "0"])
def test_workers_below_one_is_one_line(w):
    one_line_error(invoke("run", "csis-base", "-n", "10", "-w", w), "-w/--workers", ">= 1", w)
    one_line_error(invoke("compare", "csis-base", "csis-japan-neutral", "-n", "10", "-w", w),
                   "-w/--workers")
    one_line_error(invoke("validate", "csis", "-n", "10", "-w", w), "-w/--workers")


# --------------------------------------------------------------- metadata, trajectories


def test_metadata_round_trip_through_out_and_json(tmp_path):
    from strait import __version__

    out, js = tmp_path / "r.parquet", tmp_path / "s.json"
    res = invoke("run", "csis-base", "-n", "250", "--seed", "5", "-w", "1", "-q",
                 "--set", "jpn.role=NEUTRAL", "--set", "campaign.turn_days=4",
                 "--out", str(out), "--json", str(js))
    assert res.exit_code == 0, res.output
    meta = read_results(out).meta
    assert meta["n"] == 250 and meta["seed"] == 5 and meta["scenario"] == "csis-base"
    assert meta["changes"] == ["jpn.role=NEUTRAL", "campaign.turn_days=4"]
    assert meta["turn_days"] == 4.0 and meta["horizon_turns"] > 0
    assert meta["strait_version"] == __version__ and meta["created"].startswith("20")
    assert json.loads(js.read_text())["metadata"] == meta


def test_trajectories_land_in_the_sidecar_and_the_json(tmp_path):
    from strait.engine import TRAJECTORY_FIELDS
    from strait.results import read_trajectories

    out, js = tmp_path / "r.parquet", tmp_path / "s.json"
    res = invoke("run", "csis-base", "-n", "200", "-w", "1", "-q", "--trajectories", "4",
                 "--out", str(out), "--json", str(js))
    assert res.exit_code == 0, res.output
    side = tmp_path / "r.trajectories.parquet"
    assert str(side) in res.output.replace("\n", "")
    t = read_trajectories(side)
    assert list(t.columns) == ["lane", "turn", "field", "value"]
    assert set(t["lane"]) == {0, 1, 2, 3} and set(t["field"]) == set(TRAJECTORY_FIELDS)
    assert (t.groupby(["lane", "turn"]).size() == len(TRAJECTORY_FIELDS)).all()
    assert t.attrs["strait"]["n"] == 200
    doc = json.loads(js.read_text())["trajectories"]
    assert doc["lane"] == t["lane"].tolist() and doc["field"] == t["field"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "r.parquet", "r.trajectories.parquet", "s.json"]


def test_trajectories_without_an_output_file_is_refused():
    one_line_error(invoke("run", "csis-base", "-n", "50", "--trajectories", "3"),
                   "--trajectories", "--out", "--json")


# ---------------------------------------------------------------------- big runs


def test_a_run_too_big_to_keep_needs_out(monkeypatch, tmp_path):
    import strait.api

    monkeypatch.setattr(strait.api, "TABLE_BUDGET_BYTES", 1000)
    one_line_error(invoke("run", "csis-base", "-n", "500", "-w", "1", "-q"), "-n", "--out")
    out = tmp_path / "big.parquet"
    res = invoke("run", "csis-base", "-n", "500", "-w", "1", "-q", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "streamed run" in res.output and "PRC victory" in res.output
    assert len(read_results(out).table) == 500


def test_every_verb_help_shows_an_example():
    import typer.main

    def walk(cmd, path):
        yield path, cmd
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            yield from walk(sub, [*path, name])

    root = typer.main.get_command(app)
    for path, _ in walk(root, []):
        res = invoke(*path, "--help")
        assert res.exit_code == 0, path
        assert "Example" in res.output, f"strait {' '.join(path)} --help has no example"


def test_usage_errors_are_one_line_and_help_explains_outcomes() -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    bad = runner.invoke(app, ["run", "csis-base", "-n", "100", "--seed", "abc"])
    assert bad.exit_code == 2
    lines = [ln for ln in bad.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: strait run:")
    assert "--seed" in lines[0] and "strait run --help" in lines[0]
    helped = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "120"})
    assert helped.exit_code == 0
    for label in ("PRC victory", "Stalemate leaning PRC", "Stalemate, indeterminate",
                  "Stalemate leaning against PRC", "PRC defeat"):
        assert label in helped.stdout


def test_counts_say_what_they_are_out_of() -> None:
    from typer.testing import CliRunner

    out = CliRunner().invoke(app, ["run", "csis-base", "-n", "300", "-w", "1", "-q"],
                             env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    assert "of 26" in out.stdout and "of 96" in out.stdout  # Taiwan's ships, PLA amphibs


def test_validate_csis_fits_80_columns() -> None:
    from rich.console import Console

    from strait.analysis.validation import run_validation
    from strait.report.validation import render_compact

    report = run_validation(n=200, seed=0, workers=1)
    import io

    console = Console(width=80, record=True, file=io.StringIO())
    console.print(render_compact(report))
    text = console.export_text()
    assert max(len(ln) for ln in text.splitlines()) <= 80
    assert "base-prc-victory" in text and "published" in text


def test_compare_pairs_every_variant_with_the_first(tmp_path) -> None:
    import json

    import numpy as np
    from typer.testing import CliRunner

    js, pq = tmp_path / "c.json", tmp_path / "c.parquet"
    out = CliRunner().invoke(app, ["compare", "csis-base", "csis-base@jpn.role=NEUTRAL",
                                   "-n", "400", "-w", "1", "-q", "--json", str(js),
                                   "--out", str(pq)], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    assert "Difference from csis-base" in out.stdout and "seed 0" in out.stdout
    doc = json.loads(js.read_text())
    rows = {r["quantity"]: r for r in doc["paired_differences"]}
    import pandas as pd

    t = pd.read_parquet(pq)
    a = t[t.scenario == "csis-base"].reset_index(drop=True)
    b = t[t.scenario == "csis-base@jpn.role=NEUTRAL"].reset_index(drop=True)
    d = (b.outcome == 0).to_numpy(float) - (a.outcome == 0).to_numpy(float)
    assert rows["prc_victory"]["difference"] == pytest.approx(d.mean())
    half = 1.96 * d.std(ddof=1) / np.sqrt(d.size)
    assert rows["prc_victory"]["high"] - rows["prc_victory"]["difference"] == pytest.approx(
        half, rel=1e-3)  # z = 1.95996...
    bad = CliRunner().invoke(app, ["compare", "csis-base", "csis-base@jpn.role"])
    assert bad.exit_code == 2 and "NAME@PATH=VALUE" in bad.stderr
