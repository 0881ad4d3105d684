"""Role sweep (``strait.analysis.roles``, ``strait validate roles``): common random numbers,
paired differences, flags, held strikes, the 80-column report, JSON and bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

import strait
from strait.analysis import roles as R
from strait.cli import app
from strait.cli.validate import render_role_tables, role_summary_line
from strait.errors import EngineError, ScenarioError
from strait.scenario.models import ALLIES, Param, RoleLevel

N = 2000
SEED = 3
runner = CliRunner()


@pytest.fixture(scope="module")
def sweep() -> R.RoleSweep:
    return R.role_sweep("csis-base", n=N, seed=SEED, allies=["JPN"], workers=1,
                        keep_tables=True)


def table_of(cell: R.Cell) -> pd.DataFrame:
    assert cell.table is not None
    return cell.table


# -------------------------------------------------------------- common random numbers


def test_cell_rerun_is_bit_identical(sweep: R.RoleSweep) -> None:
    base = R.baseline_roles("csis-base", N, SEED, workers=1)
    res = strait.run("csis-base", n=N, seed=SEED, workers=1,
                     roles=R.forced_roles(base, "JPN", int(RoleLevel.ACCESS_COMBAT)))
    assert R.tables_identical(res.table, table_of(sweep.cells["JPN"][3]))


def test_other_allies_identical_lane_by_lane_across_cells(sweep: R.RoleSweep) -> None:
    first = table_of(sweep.cells["JPN"][0])
    for cell in sweep.cells["JPN"]:
        t = table_of(cell)
        assert (t["jpn_role_start"] == cell.level).all()
        for a in ("aus", "phl", "kor"):
            assert np.array_equal(t[f"{a}_role_start"], first[f"{a}_role_start"])


def test_paired_difference_matches_hand_computation(sweep: R.RoleSweep) -> None:
    for step in sweep.steps["JPN"]:
        lo = table_of(sweep.cells["JPN"][step.lower])["outcome"].to_numpy()
        hi = table_of(sweep.cells["JPN"][step.upper])["outcome"].to_numpy()
        for code, diff in ((0, step.victory), (4, step.defeat)):
            d = (hi == code).astype(float) - (lo == code).astype(float)
            se = d.std(ddof=1) / math.sqrt(d.size)
            assert diff.mean == pytest.approx(d.mean(), abs=1e-12)
            assert diff.se == pytest.approx(se, abs=1e-12)
            assert diff.low == pytest.approx(d.mean() - 1.959964 * se, abs=1e-12)
            assert diff.high == pytest.approx(d.mean() + 1.959964 * se, abs=1e-12)


def test_cell_statistics(sweep: R.RoleSweep) -> None:
    for cell in sweep.cells["JPN"]:
        t = table_of(cell)
        assert cell.n == N
        assert cell.p_victory == pytest.approx((t["outcome"] == 0).mean())
        assert cell.p_defeat == pytest.approx((t["outcome"] == 4).mean())
        lo, hi = cell.victory_interval
        assert lo <= cell.p_victory <= hi
        for col in R.LOSSES:
            s, x = cell.losses[col], t[col].to_numpy(dtype=float)
            assert s.mean == pytest.approx(x.mean())
            assert s.median == pytest.approx(np.median(x))
            assert s.mean_low <= s.mean <= s.mean_high
            assert s.median_low <= s.median <= s.median_high


def test_steps_flag_consistently(sweep: R.RoleSweep) -> None:
    assert [(s.lower, s.upper) for s in sweep.steps["JPN"]] == [(i, i + 1) for i in range(6)]
    for step in sweep.steps["JPN"]:
        lo, hi = (table_of(sweep.cells["JPN"][i]) for i in (step.lower, step.upper))
        same = R.tables_identical(lo, hi, ignore=R.label_columns("JPN"))
        assert step.identical == same
        assert step.flag == R.flag_step(step.victory, same)
        if same:
            assert step.victory.mean == step.defeat.mean == 0


# ------------------------------------------------------------------------------ flags


def test_cell_against_itself_is_identical(sweep: R.RoleSweep) -> None:
    t = table_of(sweep.cells["JPN"][3])
    step = R.compare_cells("JPN", 2, 3, t, t.copy())
    assert step.identical and step.flag == R.FLAG_IDENTICAL and step.unexplained
    assert step.victory.mean == 0 and step.victory.se == 0
    explained = R.compare_cells("JPN", 2, 3, t, t.copy(), note="adds nothing on purpose")
    assert explained.explained and not explained.unexplained


def test_identical_ignores_only_the_swept_allys_level(sweep: R.RoleSweep) -> None:
    t = table_of(sweep.cells["JPN"][3])
    relabelled = t.copy()
    relabelled["jpn_role_start"] = np.int8(4)
    relabelled["jpn_role_end"] = np.int8(4)
    assert R.compare_cells("JPN", 3, 4, t, relabelled).identical
    assert not R.compare_cells("AUS", 3, 4, t, relabelled).identical
    changed = t.copy()
    changed.loc[0, "usa_aircraft_lost"] = changed.loc[0, "usa_aircraft_lost"] + 1
    step = R.compare_cells("JPN", 3, 4, t, changed)
    assert not step.identical and step.flag == R.FLAG_OK


def synthetic(outcome: np.ndarray, ally: str = "JPN", level: int = 0) -> pd.DataFrame:
    n = outcome.size
    cols: dict[str, Any] = {"outcome": outcome.astype(np.int8)}
    for c in R.LOSSES:
        cols[c] = np.linspace(0, 10, n, dtype=np.float32)
    for a in ALLIES:
        cols[f"{a.value.lower()}_role_start"] = np.full(n, level if a.value == ally else 3,
                                                        dtype=np.int8)
        cols[f"{a.value.lower()}_role_end"] = cols[f"{a.value.lower()}_role_start"].copy()
    return pd.DataFrame(cols)


def test_inverted_on_synthetic_tables() -> None:
    n = 1000
    defeat = np.full(n, 4)
    some_wins = defeat.copy()
    some_wins[:200] = 0  # 20 % of lanes turn into PRC victories on the higher rung
    worse = R.compare_cells("JPN", 3, 4, synthetic(defeat, level=3), synthetic(some_wins, level=4))
    assert worse.flag == R.FLAG_INVERTED and worse.victory.low > 0
    assert worse.defeat.mean == pytest.approx(-0.2)
    better = R.compare_cells("JPN", 3, 4, synthetic(some_wins, level=3), synthetic(defeat, level=4))
    assert better.flag == R.FLAG_OK and better.victory.high < 0
    one = defeat.copy()
    one[0] = 0  # a single lane: the interval includes zero, not a flag
    noise = R.compare_cells("JPN", 3, 4, synthetic(defeat, level=3), synthetic(one, level=4))
    assert noise.flag == R.FLAG_OK and noise.victory.low <= 0


def test_flag_step_rules() -> None:
    up = R.PairedDiff(0.01, 0.002, 0.006, 0.014)
    assert R.flag_step(up, identical=False) == R.FLAG_INVERTED
    assert R.flag_step(up, identical=True) == R.FLAG_IDENTICAL
    assert R.flag_step(R.PairedDiff(0.01, 0.01, -0.01, 0.03), False) == R.FLAG_OK
    assert R.flag_step(R.PairedDiff(-0.01, 0.002, -0.014, -0.006), False) == R.FLAG_OK


def test_paired_difference_rejects_mismatched_lanes() -> None:
    with pytest.raises(EngineError):
        R.paired_difference(np.zeros(3), np.zeros(4))


# ---------------------------------------------------------------------- held strikes


def test_held_strike_changes_set_every_level_equal() -> None:
    s = strait.load_scenario("csis-base")
    ch = R.held_strike_changes(s)
    assert len(ch) == 3 and ch["doctrine.prc.strike_decision"] == "by_rung"
    for key in ("strike_ally_first_turn", "strike_ally_per_turn"):
        expected = R.HELD_DEFAULT_ODDS[key]  # csis-base decides by value: no table
        for lv in RoleLevel:
            v = ch[f"doctrine.prc.{key}"][lv.name]
            assert v["value"] == expected and v["assumption"] == R.HELD_ASSUMPTION
    held = strait.load_scenario("csis-base", changes=ch)
    for key in ("strike_ally_first_turn", "strike_ally_per_turn"):
        table = getattr(held.doctrine.prc, key)
        assert set(table) == set(RoleLevel)
        assert len({p.value for p in table.values()}) == 1


def test_held_strike_changes_fall_back_to_the_largest() -> None:
    prc = SimpleNamespace(
        strike_ally_first_turn={RoleLevel.LOGISTICS_ISR: Param(value=0.2),
                                RoleLevel.FULL_COMBAT: Param(value=0.7)},
        strike_ally_per_turn={})
    ch = R.held_strike_changes(SimpleNamespace(doctrine=SimpleNamespace(prc=prc)))
    assert list(ch) == ["doctrine.prc.strike_ally_first_turn"]
    table = ch["doctrine.prc.strike_ally_first_turn"]
    assert len(table) == len(RoleLevel) and all(v["value"] == 0.7 for v in table.values())


def test_held_sweep_uses_the_changes() -> None:
    s = R.role_sweep("csis-base", n=300, seed=1, allies=["AUS"], workers=1,
                     strike_decision="held")
    assert s.changes == R.held_strike_changes(strait.load_scenario("csis-base"))
    assert s.strike_decision == "held" and len(s.cells["AUS"]) == 7


# ------------------------------------------------------------------------ report, CLI


def fake_sweep() -> R.RoleSweep:
    """A sweep from synthetic tables: an inverted step, an explained and an unexplained
    identical step."""
    n = 1000
    outcomes = [np.full(n, 4) for _ in range(7)]
    outcomes[0][:300] = 0
    outcomes[1][:300] = 0  # 0→1 identical (unexplained)
    outcomes[2][:100] = 0
    outcomes[3][:250] = 0  # 2→3 inverted
    outcomes[4][:50] = 0
    outcomes[5][:50] = 0  # 4→5 identical, explained
    outcomes[6][:10] = 0
    tables = [synthetic(o, level=i) for i, o in enumerate(outcomes)]
    cells = [R.cell_from_table("JPN", i, t) for i, t in enumerate(tables)]
    notes = {5: "defensive combat adds nothing in this scenario"}
    steps = [R.compare_cells("JPN", i - 1, i, tables[i - 1], tables[i], note=notes.get(i))
             for i in range(1, 7)]
    return R.RoleSweep(scenario="synthetic", n=n, seed=0, strike_decision="as_scenario",
                       changes={}, allies=("JPN",), baseline_roles={}, cells={"JPN": cells},
                       steps={"JPN": steps})


def test_fake_sweep_flags() -> None:
    s = fake_sweep()
    assert [st.flag for st in s.steps["JPN"]] == ["identical", "ok", "inverted", "ok",
                                                  "identical", "ok"]
    assert [st.label for st in s.unexplained()] == ["JPN 0→1", "JPN 2→3"]
    line = role_summary_line(s)
    assert "3 of 6 steps flagged (2 unexplained)" in line
    assert "JPN 4→5 identical (explained)" in line


def render(sweep: R.RoleSweep, width: int = 80) -> str:
    from io import StringIO

    buf = StringIO()
    console = Console(file=buf, width=width, color_system=None, highlight=False)
    for item in render_role_tables(sweep):
        console.print(item)
    return buf.getvalue()


def check_80_columns(text: str, sweep: R.RoleSweep) -> None:
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in text  # nothing cut short
    for ally in sweep.allies:
        for cell in sweep.cells[ally]:
            assert f"{cell.level} {RoleLevel(cell.level).name}" in text
            lo, hi = cell.victory_interval
            # the interval sits whole on one line
            assert any(f"{100 * lo:.1f}–{100 * hi:.1f}" in line for line in lines)
            assert any(f"{100 * cell.p_defeat:.1f}" in line for line in lines)


def test_render_fits_80_columns_synthetic() -> None:
    s = fake_sweep()
    text = render(s)
    check_80_columns(text, s)
    assert "INVERTED" in text and "IDENTICAL" in text
    assert "note [1]" in text and "defensive combat adds nothing" in text


def test_render_fits_80_columns_real(sweep: R.RoleSweep) -> None:
    check_80_columns(render(sweep), sweep)


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "80"})


def test_cli_table_and_json(tmp_path: Path) -> None:
    out = tmp_path / "roles.json"
    r = invoke("validate", "roles", "csis-base", "-n", "500", "--seed", "2", "--allies", "aus",
               "-w", "1", "-q", "--json", str(out))
    assert r.exit_code == 0, r.output
    s = R.role_sweep("csis-base", n=500, seed=2, allies=["AUS"], workers=1)
    check_80_columns(r.stdout, s)
    assert "AUS: role sweep" in r.stdout
    assert "steps flagged" in r.stdout or "no flagged pairs" in r.stdout
    doc = json.loads(out.read_text())
    assert doc["scenario"] == "csis-base" and doc["n"] == 500 and doc["seed"] == 2
    assert doc["allies"] == ["AUS"] and doc["strike_decision"] == "as_scenario"
    assert doc == json.loads(s.to_json()) | {"elapsed_s": doc["elapsed_s"]}
    assert [c["level_name"] for c in doc["cells"]["AUS"]] == [lv.name for lv in RoleLevel]
    assert len(doc["steps"]["AUS"]) == 6
    assert doc["unexplained"] == [st.label for st in s.unexplained()]


def test_cli_strict_and_explain(monkeypatch: pytest.MonkeyPatch) -> None:
    captured: dict[str, Any] = {}

    def fake(*args: Any, **kw: Any) -> R.RoleSweep:
        captured.update(kw)
        return fake_sweep()

    monkeypatch.setattr(R, "role_sweep", fake)
    r = invoke("validate", "roles", "-n", "100", "--allies", "jpn", "-q")
    assert r.exit_code == 0, r.output
    assert "INVERTED" in r.stdout
    r = invoke("validate", "roles", "-n", "100", "--allies", "jpn", "-q", "--strict")
    assert r.exit_code == 1
    r = invoke("validate", "roles", "-n", "100", "--allies", "japan", "-q", "--held-strikes",
               "--explain", "jpn:1=diplomatic support adds nothing",
               "--explain", "JPN:ACCESS_COMBAT=see note")
    assert r.exit_code == 0
    assert captured["strike_decision"] == "held"
    assert captured["explained"] == {("jpn", 1): "diplomatic support adds nothing",
                                     ("JPN", "ACCESS_COMBAT"): "see note"}
    assert [a.value for a in captured["allies"]] == ["JPN"]


def assert_one_line_error(r: Any, *needles: str) -> None:
    assert r.exit_code == 2, (r.exit_code, r.output)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize(("args", "needles"), [
    (["--allies", "jpn,xyz"], ("xyz",)),
    (["--allies", ","], ("allies",)),
    (["no-such-scenario"], ("no-such-scenario",)),
    (["-n", "0"], ("-n",)),
    (["-n", "-5"], ("-n",)),
    (["-w", "0"], ("--workers",)),
    (["--json", "/no/such/folder/roles.json"], ("--json",)),
    (["--explain", "jpn-1"], ("--explain",)),
])
def test_cli_bad_input(args: list[str], needles: tuple[str, ...]) -> None:
    assert_one_line_error(invoke("validate", "roles", "-n", "10", "-w", "1", "-q", *args),
                          *needles)


def test_api_bad_input() -> None:
    with pytest.raises(EngineError):
        R.role_sweep("csis-base", n=0)
    with pytest.raises(EngineError):
        R.role_sweep("csis-base", n=10, strike_decision="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError):
        R.parse_allies(["JPN", "TWN"])
    with pytest.raises(ScenarioError):
        R.role_sweep("csis-base", n=10, allies=["JPN"], explained={("XX", 1): "?"})
    assert R.parse_allies(["kor", "JPN", "kor"]) == (ALLIES[3], ALLIES[0])


def test_forced_roles_sets_only_the_swept_column() -> None:
    base = np.array([[3, 3, 0, 2], [4, 2, 1, 0]])
    out = R.forced_roles(base, "AUS", 6)
    assert out.tolist() == [[3, 6, 0, 2], [4, 6, 1, 0]]
    assert base.tolist() == [[3, 3, 0, 2], [4, 2, 1, 0]]  # a copy
    assert R.forced_roles(base, "kor", 5)[:, 3].tolist() == [5, 5]


def test_every_rung_of_every_ally_does_what_its_ladder_says() -> None:
    """With the PRC's strike decision held equal across rungs, every step up every ladder
    changes the campaign (or carries a sourced same_as_below note) and no step helps the
    PRC: the higher rung is at least as good for the coalition within Monte Carlo error."""
    s = R.role_sweep("csis-base", n=3000, seed=11, workers=1, strike_decision="held")
    assert s.unexplained() == [], [x.label for x in s.unexplained()]
    notes = R.ladder_notes(strait.load_scenario("csis-base"))
    for ally, steps in s.steps.items():
        for step in steps:
            if (ally, step.upper) not in notes:
                assert not step.identical, step.label
            assert step.flag != R.FLAG_INVERTED, step.label
