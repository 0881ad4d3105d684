"""Global sensitivity: SALib wrappers against the Ishigami function's known indices, the
per-lane design player against strait.run, given-data delta on a real run, and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import strait
from strait.analysis import sensitivity as S
from strait.cli import app
from strait.errors import StudyError

SCEN = "ft-2025-ambiguity"
runner = CliRunner()


def one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def test_sobol_wrapper_recovers_ishigami_indices() -> None:
    prob = S.ishigami_problem()
    x = S.sobol_sample(prob, 2048, seed=3)
    assert x.shape == (2048 * 5, 3)
    t = S.sobol_indices(prob, S.ishigami(x), seed=3).set_index("input")
    known = {"x1": (0.3139, 0.5576), "x2": (0.4424, 0.4424), "x3": (0.0, 0.2437)}
    for name, (s1, st) in known.items():
        r = t.loc[name]
        assert abs(r["S1"] - s1) <= max(r["S1_conf"], 0.02), (name, r["S1"], r["S1_conf"])
        assert abs(r["ST"] - st) <= max(r["ST_conf"], 0.02), (name, r["ST"], r["ST_conf"])
        assert r["S1_conf"] < 0.1 and r["ST_conf"] < 0.1
    ranked = S.rank(t.reset_index(), "ST")
    assert list(ranked["input"]) == ["x1", "x2", "x3"]


def test_delta_indices_find_the_input_that_matters() -> None:
    rng = np.random.default_rng(0)
    n = 4000
    x = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 1, n),
                      "allies.JPN.role": rng.integers(0, 7, n).astype(float)})
    y = (rng.random(n) < 0.1 + 0.1 * x["allies.JPN.role"]).astype(float)
    t = S.rank(S.delta_indices(x, y, seed=1), "delta")
    assert t["input"].iloc[0] == "allies.JPN.role"
    top, rest = t.iloc[0], t.iloc[1:]
    # known values: Var(p(r)) / Var(Y) = 0.04 / 0.24; delta = E|p(r) - 0.4| = 0.1 * 12 / 7
    assert abs(top["S1"] - 0.04 / 0.24) <= top["S1_conf"] + 0.005, top
    assert abs(top["delta"] - 1.2 / 7) <= top["delta_conf"] + 0.005, top
    # a constant-effect input: bias-reduced indices near 0
    assert (rest["S1"].abs() < 0.01).all() and (rest["delta"] < 0.05).all()


@pytest.mark.parametrize("path,value", [
    ("parameters.antiship.p_hit_subsonic", 0.07),
    ("forces.USA.shore_asm_launchers", 40.0),
    ("doctrine.prc.strike_value_rate", 2.0),
])
def test_design_lanes_play_as_strait_run_with_that_value(path: str, value: float) -> None:
    s = strait.load_scenario(SCEN)
    roles = np.tile(np.array([3, 2, 0, 2], dtype=np.int8), (64, 1))
    got = S.play_design(s, [path], np.full((64, 1), value), roles, seed=5)
    ref = strait.run(SCEN, n=64, seed=5, workers=1, roles=roles,
                     changes={path: {"value": value, "assumption": "test"}}).table
    np.testing.assert_array_equal(got["outcome"], ref["outcome"])
    np.testing.assert_array_equal(got["usa_aircraft_lost"], ref["usa_aircraft_lost"])


def test_delta_on_a_run_ranks_japans_role_first() -> None:
    res = S.sensitivity(SCEN, "delta", n=4000, seed=1, workers=1)
    t = res.table.set_index("input")
    assert res.table["input"].iloc[0] == "allies.JPN.role"
    assert t.loc["allies.JPN.role", "S1"] > 0.1
    # PHL and KOR roles are certain in this scenario: dropped, not ranked
    assert "allies.PHL.role" not in t.index and "allies.KOR.role" not in t.index
    assert "Plischke" in res.lines()[0] + res.lines()[1]


def test_sobol_and_morris_on_the_engine() -> None:
    inputs = ["allies.JPN.role", "parameters.antiship.p_hit_subsonic", "jpn"][:2]
    res = S.sensitivity(SCEN, "sobol", base=64, inputs=inputs, seed=2, workers=1, k=16)
    assert res.campaigns == 64 * 4 * 16
    t = res.table.set_index("input")
    assert res.table["input"].iloc[0] == "allies.JPN.role"
    assert t.loc["allies.JPN.role", "ST"] > t.loc["parameters.antiship.p_hit_subsonic", "ST"]
    assert res.noise_share is not None and 0 < res.noise_share < 1
    m = S.sensitivity(SCEN, "morris", base=8, inputs=inputs, seed=2, workers=1, k=8)
    assert m.campaigns == 8 * 3 * 8 and {"mu_star", "sigma"} <= set(m.table.columns)


def test_default_inputs_are_eight_bounded_numbers_and_two_roles() -> None:
    d = S.default_inputs(strait.load_scenario(SCEN))
    assert len(d) == 10 and d[-2:] == ["allies.JPN.role", "allies.AUS.role"]


@pytest.mark.parametrize("kwargs,needle", [
    ({"method": "sobol", "inputs": ["allies.JPN.role", "parameters.nope.x"]}, "parameters.nope.x"),
    ({"method": "sobol", "base": 100}, "power of two"),
    ({"method": "delta", "n": 100}, "at least 500"),
    ({"method": "anova"}, "--method"),
    ({"metric": "blue_victory"}, "--metric"),
])
def test_bad_requests_are_study_errors(kwargs: dict, needle: str) -> None:
    with pytest.raises(StudyError, match=needle.replace("(", r"\(")):
        S.sensitivity(SCEN, workers=1, **kwargs)


def test_cli_prints_a_ranked_table_at_80_columns(tmp_path) -> None:
    out = tmp_path / "s.json"
    r = runner.invoke(app, ["sensitivity", SCEN, "--method", "delta", "-n", "2000", "-w", "1",
                            "--json", str(out), "--top", "5"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "delta" in lines[0] and "Plischke" in r.stdout
    row1 = next(line for line in lines if line.lstrip().startswith("1 "))
    assert "allies.JPN.role" in row1
    data = json.loads(out.read_text())
    assert data["method"] == "delta" and data["indices"][0]["input"] == "allies.JPN.role"


def test_cli_errors_are_one_line() -> None:
    one_line_error(runner.invoke(app, ["sensitivity", SCEN, "--method", "anova"]), "--method")
    one_line_error(runner.invoke(app, ["sensitivity", SCEN, "--metric", "x"]), "--metric")
    one_line_error(runner.invoke(app, ["sensitivity", SCEN, "-n", "50"]), "500")
    one_line_error(runner.invoke(app, ["sensitivity", SCEN, "--method", "sobol",
                                       "--inputs", "jpn,parameters.antiship.p_hit_subsonc"]),
                   "did you mean parameters.antiship.p_hit_subsonic")
    one_line_error(runner.invoke(app, ["sensitivity", SCEN, "--inputs", "jpn,aus"]), "delta")


def test_cli_help_has_an_example() -> None:
    r = runner.invoke(app, ["sensitivity", "--help"])
    assert r.exit_code == 0 and "strait sensitivity ft-2025-ambiguity" in r.stdout
