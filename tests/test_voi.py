"""Value of information: EVPI, EVPPI (exact and regression), EVSI, deterrence; `strait voi`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from strait.analysis.voi import (
    VOIError,
    bootstrap,
    check_credibility,
    default_credibility,
    evpi,
    evppi,
    evppi_regression,
    evsi,
    read_credibility,
    utility_matrix,
    voi,
    voi_table,
)
from strait.cli import app
from strait.cli.voi import parse_decision
from strait.errors import StraitError

TOL = 1e-12


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random utility matrix, two discrete variables and a credibility matrix."""
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(20, 300))
    d = draw(st.integers(1, 4))
    k = draw(st.integers(1, 5))
    a = draw(st.integers(1, 4))
    rng = np.random.default_rng(seed)
    theta = rng.integers(0, k, size=(n, 2))
    effect = rng.normal(size=(k, d))
    U = effect[theta[:, 0]] + rng.normal(size=(n, d)) * draw(st.floats(0, 2))
    if draw(st.booleans()):  # binary outcomes, like -1{PRC victory}
        U = -(U > 0.5).astype(float)
    C = rng.dirichlet(np.ones(a), size=k)
    return U, theta, C


@settings(max_examples=60, deadline=None)
@given(problems())
def test_evsi_evppi_evpi_ordered(p: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    U, theta, C = p
    e_si = evsi(U, theta[:, 0], C, min_lanes=1)
    e_ppi = evppi(U, theta[:, 0], min_lanes=1)
    e_pi = evpi(U)
    assert 0 <= e_si <= e_ppi + TOL
    assert e_ppi <= e_pi + TOL


@settings(max_examples=60, deadline=None)
@given(problems())
def test_evppi_never_falls_when_a_variable_is_added(
        p: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    U, theta, _ = p
    one = evppi(U, theta[:, 0], min_lanes=1)
    both = evppi(U, theta, min_lanes=1)
    assert both >= one - TOL
    assert both >= evppi(U, theta[:, 1], min_lanes=1) - TOL
    assert both <= evpi(U) + TOL


@settings(max_examples=60, deadline=None)
@given(problems())
def test_perfect_answer_is_worth_the_role(p: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    U, theta, C = p
    k = C.shape[0]
    assert evsi(U, theta[:, 0], np.eye(k), min_lanes=1) == pytest.approx(
        evppi(U, theta[:, 0], min_lanes=1), abs=1e-12)
    # an answer that does not depend on the role is worth nothing
    flat = np.tile(C[:1], (k, 1))
    assert evsi(U, theta[:, 0], flat, min_lanes=1) == pytest.approx(0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(problems(), st.floats(0.0, 3.0))
def test_evsi_zero_when_best_decision_never_changes(
        p: tuple[np.ndarray, np.ndarray, np.ndarray], margin: float) -> None:
    U, theta, C = p
    # option 0 beats every other by `margin` in every lane: nothing to learn
    U = np.column_stack([U[:, 0], U[:, 0] - margin - 1e-9])
    assert evsi(U, theta[:, 0], C, min_lanes=1) == pytest.approx(0, abs=TOL)
    assert evppi(U, theta[:, 0], min_lanes=1) == pytest.approx(0, abs=TOL)
    assert evpi(U) == pytest.approx(0, abs=TOL)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_regression_onehot_equals_partition(p: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    U, theta, _ = p
    assert evppi_regression(U, theta[:, 0], basis="onehot") == pytest.approx(
        evppi(U, theta[:, 0], min_lanes=1), abs=1e-9)
    assert evppi_regression(U, theta, basis="onehot") == pytest.approx(
        evppi(U, theta, min_lanes=1), abs=1e-9)


def test_toy_problem_by_hand() -> None:
    """Two options, role θ in {0, 1, 2} with shares 1/2, 1/4, 1/4.

    Option 0 (status quo) is worth 0 everywhere; option 1 is worth -1, +1, +2 by role.
    E[U] = (0, 0.5·-1 + 0.25·1 + 0.25·2 = 0.25): take option 1 on the prior.
    EVPPI = 0.5·max(0,-1) + 0.25·1 + 0.25·2 - 0.25 = 0.5.
    Answer a ∈ {no, yes}: role 0 says no w.p. 0.8, roles 1 and 2 say yes w.p. 0.9.
    P(no) = 0.4 + 0.05 = 0.45; E[U1 | no] = (0.5·0.8·-1 + 0.25·0.1·1 + 0.25·0.1·2)/0.45
          = -0.325/0.45 < 0 → take option 0, worth 0.
    P(yes) = 0.55; E[U1 | yes] = (0.5·0.2·-1 + 0.25·0.9·3)/0.55 = 0.575/0.55 → option 1.
    EVSI = 0.45·0 + 0.575 - 0.25 = 0.325.
    """
    theta = np.repeat([0, 0, 1, 2], 10)
    u1 = np.array([-1.0, 1.0, 2.0])[theta]
    U = np.column_stack([np.zeros_like(u1), u1])
    C = np.array([[0.8, 0.2], [0.1, 0.9], [0.1, 0.9]])
    assert evpi(U) == pytest.approx(0.5)
    assert evppi(U, theta, min_lanes=1) == pytest.approx(0.5)
    assert evsi(U, theta, C, min_lanes=1) == pytest.approx(0.325)
    e, per = voi_table(U, {"x": theta}, credibility={"x": C}, B=50, min_lanes=1)
    assert per["x"].evsi is not None and per["x"].evsi.value == pytest.approx(0.325)
    assert per["x"].evppi.value == pytest.approx(0.5) and e.value == pytest.approx(0.5)


def test_regression_agrees_with_partition_on_a_discrete_toy() -> None:
    """A smooth (cubic) effect of the level plus noise: the smooth regression and the exact
    partition estimate agree within their Monte Carlo error."""
    rng = np.random.default_rng(3)
    n = 40_000
    theta = rng.integers(0, 7, n)
    u1 = 0.1 * (theta - 3) + rng.normal(0, 1, n)
    U = np.column_stack([np.zeros(n), u1])
    _, per = voi_table(U, {"x": theta}, B=100, seed=1)
    v = per["x"]
    assert abs(v.evppi.value - v.evppi_regression.value) < 3 * v.evppi.se
    # the true value: 0.5·E[max(0, 0.1(θ-3))] - max(0, 0) = (0.1+0.2+0.3)/7
    assert v.evppi.value == pytest.approx(0.6 / 7, abs=4 * v.evppi.se + 0.005)
    assert evppi_regression(U, theta) == pytest.approx(v.evppi_regression.value, abs=1e-9)


def test_continuous_regression_recovers_a_smooth_value() -> None:
    rng = np.random.default_rng(5)
    n = 20_000
    x = rng.uniform(-1, 1, n)
    U = np.column_stack([np.zeros(n), x + rng.normal(0, 0.5, n)])
    assert evppi_regression(U, x) == pytest.approx(0.25, abs=0.02)  # E[max(0, x)] = 1/4


def test_fast_bootstrap_equals_the_generic_one() -> None:
    rng = np.random.default_rng(0)
    theta = rng.integers(0, 4, 500)
    U = -(rng.random((500, 2)) < np.array([0.2, 0.1]) + 0.05 * theta[:, None]).astype(float)
    fast = voi_table(U, {"x": theta}, B=60, seed=7)[1]["x"].evppi
    slow = bootstrap(evppi, U, theta, B=60, seed=7)
    assert fast.value == pytest.approx(slow.value)
    assert fast.se == pytest.approx(slow.se) and fast.se > 0


# ---------------------------------------------------------------------------- bad input


def test_credibility_rows_must_sum_to_one() -> None:
    with pytest.raises(VOIError, match=r"row 1 .* sums to 0.9.*add up to 1"):
        check_credibility([[1.0, 0.0], [0.5, 0.4]])
    with pytest.raises(StraitError):
        evsi(np.zeros((40, 2)), np.repeat([0, 1], 20), [[1.0, 0.0], [0.5, 0.6]], min_lanes=1)


def test_unknown_utility_column() -> None:
    import pandas as pd

    t = pd.DataFrame({"outcome": [0, 1], "usa_ships_lost": [1.0, 2.0]})
    assert utility_matrix([t], "prc_victory").tolist() == [[-1.0], [-0.0]]
    assert utility_matrix([t], {"prc_victory": 10, "usa_ships_lost": 1})[:, 0].tolist() == [
        -11.0, -2.0]
    with pytest.raises(VOIError, match="'usa_boats_lost' is not a result column"):
        utility_matrix([t], "usa_boats_lost")


def test_too_few_lanes_per_partition() -> None:
    theta = np.array([0] * 50 + [1] * 3)
    with pytest.raises(VOIError, match=r"cell 1 holds only 3 lanes .* run about 530"):
        evppi(np.zeros((53, 2)), theta)


def test_credibility_file(tmp_path: object) -> None:
    from pathlib import Path

    p = Path(str(tmp_path)) / "c.yaml"
    rows = "\n".join(f"  {lv}: [0.5, 0.5]" for lv in ("NEUTRAL", "DIPLOMATIC",
                     "ACCESS_NONCOMBAT", "ACCESS_COMBAT", "LOGISTICS_ISR",
                     "DEFENSIVE_COMBAT", "FULL_COMBAT"))
    p.write_text(f"answers: [no, yes]\nrows:\n{rows}\n")
    mats, answers = read_credibility(p)
    assert answers == ("no", "yes") and mats["*"].shape == (7, 2)
    p.write_text(f"answers: [no, yes]\nrows:\n{rows}\n".replace("0.5]", "0.6]", 1))
    with pytest.raises(VOIError, match=r"row 0 .*sums to 1\.1"):
        read_credibility(p)


def test_default_credibility_is_near_uninformative() -> None:
    C = default_credibility()
    assert np.allclose(C.sum(axis=1), 1) and (C[:, 1] == 0.8).all()


def test_parse_decision() -> None:
    assert parse_decision("x=doctrine.usa.basing=dispersed,jpn.role=NEUTRAL") == (
        "x", {"doctrine.usa.basing": "dispersed", "allies.JPN.role": {"level": "NEUTRAL"}})
    with pytest.raises(VOIError, match="NAME=PATH=VALUE"):
        parse_decision("dispersed")


# ---------------------------------------------------------------------------- real run


@pytest.fixture(scope="module")
def real() -> object:
    return voi("ft-2025-ambiguity", {"dispersed": {"doctrine.usa.basing": "dispersed"}},
               n=2000, seed=1, workers=1, commit_levels=[3, 6], B=100)


def test_real_run_finite_and_ordered(real: object) -> None:
    from strait.analysis.voi import VOIResult

    assert isinstance(real, VOIResult)
    assert set(real.allies) == {"JPN", "AUS"}
    assert real.decisions == ["status quo", "dispersed"]
    for a in real.allies.values():
        for e in (a.evppi, a.evppi_regression, a.evsi):
            assert np.isfinite(e.value) and np.isfinite(e.se)
        assert 0 <= a.evsi.value <= a.evppi.value + TOL <= real.evpi.value + 2 * TOL
        assert set(a.deterrence) == {3, 6}
        for c in a.deterrence.values():
            assert c.low <= c.mean <= c.high and np.isfinite(c.mean)
    # Japan committing to full combat lowers P(PRC victory) in the reference game
    assert real.allies["JPN"].deterrence[6].mean < 0
    # ... and is also given in losses, paired: a fighting Japan saves US ships
    losses = real.allies["JPN"].deterrence_losses[6]
    assert set(losses) == {"usa_aircraft_lost", "usa_ships_lost", "usa_killed",
                           "chn_ships_lost"}
    assert all(c.low <= c.mean <= c.high for c in losses.values())
    assert losses["usa_ships_lost"].high < 0
    json.dumps(real.to_dict())


def test_cli_example(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "voi.json"
    r = CliRunner().invoke(app, ["voi", "ft-2025-ambiguity", "--decision",
                                 "dispersed=doctrine.usa.basing=dispersed", "-n", "1000",
                                 "-w", "1", "-q", "--levels", "3", "--bootstrap", "20",
                                 "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert "EVPI" in r.output and "JPN" in r.output and "AUS" in r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80
    assert json.loads(out.read_text())["n"] == 1000


@pytest.mark.parametrize("args, message", [
    (["--decision", "dispersed"], "NAME=PATH=VALUE"),
    (["-u", "usa_boats_lost", "-d", "x=doctrine.usa.basing=dispersed"], "usa_boats_lost"),
    (["-d", "x=doctrine.usa.basing=dispersed", "--levels", "9"], "--levels"),
])
def test_cli_bad_input_one_line_exit_2(args: list[str], message: str) -> None:
    r = CliRunner().invoke(app, ["voi", "ft-2025-ambiguity", "-n", "200", "-w", "1", "-q",
                                 *args])
    assert r.exit_code == 2
    assert message in r.output
    assert r.output.strip().count("\n") == 0


def test_no_decision_anywhere_is_one_line() -> None:
    r = CliRunner().invoke(app, ["voi", "csis-base", "-n", "200", "-w", "1", "-q"])
    assert r.exit_code == 2 and "--decision" in r.output and "analysis.decisions" in r.output
    assert r.output.strip().count("\n") == 0


def _overlay(tmp_path: object, analysis: str) -> str:
    from pathlib import Path

    p = Path(str(tmp_path)) / "amb.yaml"
    p.write_text("name: amb-test\ntitle: test\nextends: ft-2025-ambiguity\n" + analysis)
    return str(p)


def test_scenario_declares_decisions_costs_and_credibility(tmp_path: object) -> None:
    from pathlib import Path

    path = _overlay(tmp_path, """analysis:
  decisions:
    dispersed:
      changes: {doctrine.usa.basing: dispersed}
      cost_usd: 2.0e9
  credibility_note: perfectly credible, for the test
  credibility:
    answers: [no, yes]
    rows: {NEUTRAL: [1, 0], DIPLOMATIC: [1, 0], ACCESS_NONCOMBAT: [1, 0],
           ACCESS_COMBAT: [0, 1], LOGISTICS_ISR: [0, 1], DEFENSIVE_COMBAT: [0, 1],
           FULL_COMBAT: [0, 1]}
""")
    out = Path(str(tmp_path)) / "v.json"
    r = CliRunner().invoke(app, ["voi", path, "-n", "1500", "-w", "1", "-q", "--levels", "6",
                                 "--bootstrap", "20", "--json", str(out)])
    assert r.exit_code == 0, r.output
    d = json.loads(out.read_text())
    # the overlay's option replaces the parent's of the same name; more_shelters is inherited
    assert d["decisions"] == ["status quo", "dispersed", "more_shelters"]
    assert d["costs"] == {"dispersed": 2.0e9, "more_shelters": 2.4e9}
    assert "dispersed" in d["gain_per_dollar"]
    assert set(d["effects_per_billion_usd"]) == {"dispersed", "more_shelters"}
    assert d["answers"] == ["no", "yes"]
    assert "perfectly credible" in d["credibility_note"]
    for a in d["allies"].values():  # a yes/no that is always true is worth at most EVPPI
        assert a["evsi"]["value"] <= a["evppi"]["value"] + 1e-12


def test_scenario_credibility_rows_must_sum_to_one(tmp_path: object) -> None:
    path = _overlay(tmp_path, """analysis:
  decisions:
    dispersed: {changes: {doctrine.usa.basing: dispersed}}
  credibility:
    answers: [no, yes]
    rows: {NEUTRAL: [0.5, 0.4], DIPLOMATIC: [1, 0], ACCESS_NONCOMBAT: [1, 0],
           ACCESS_COMBAT: [0, 1], LOGISTICS_ISR: [0, 1], DEFENSIVE_COMBAT: [0, 1],
           FULL_COMBAT: [0, 1]}
""")
    r = CliRunner().invoke(app, ["voi", path, "-n", "200", "-w", "1", "-q"])
    assert r.exit_code == 2 and "analysis.credibility" in r.output, r.output
    assert r.output.strip().count("\n") == 0


def test_declared_decision_with_a_missing_path_is_one_line(tmp_path: object) -> None:
    path = _overlay(tmp_path, """analysis:
  decisions:
    bogus: {changes: {doctrine.usa.no_such_field: 1}}
""")
    r = CliRunner().invoke(app, ["voi", path, "-n", "200", "-w", "1", "-q"])
    assert r.exit_code == 2 and "no_such_field" in r.output, r.output
    assert r.output.strip().count("\n") == 0


# ------------------------------------------------ lexicographic rule (P(victory), then losses)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_lexicographic_reduces_to_scalar(p: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    """With no tie and a constant second utility the rule is the first utility alone; with a
    constant first utility it is the second alone; a perfectly credible answer is worth
    what knowing the role is."""
    from strait.analysis.lexicographic import lexicographic_table

    U, theta, C = p
    zero = np.zeros_like(U)
    first = lexicographic_table(U, zero, {"x": theta[:, 0]}, tie=0.0, B=0, min_lanes=1,
                                credibility={"x": C})
    assert abs(first.evppi["x"].primary.value - evppi(U, theta[:, 0], min_lanes=1)) < 1e-9
    assert abs(first.evpi.primary.value - evpi(U)) < 1e-9
    assert abs(first.evsi["x"].primary.value - evsi(U, theta[:, 0], C, min_lanes=1)) < 1e-9
    second = lexicographic_table(zero, U, {"x": theta[:, 0]}, tie=0.5, B=0, min_lanes=1,
                                 credibility={"x": np.eye(C.shape[0])})
    assert abs(second.evppi["x"].secondary.value - evppi(U, theta[:, 0], min_lanes=1)) < 1e-9
    assert abs(second.evsi["x"].secondary.value - second.evppi["x"].secondary.value) < 1e-9
    assert second.evppi["x"].primary.value == 0.0


@settings(max_examples=40, deadline=None)
@given(problems(), st.floats(0.0, 0.5))
def test_lexicographic_gives_up_at_most_the_tie(p: tuple[np.ndarray, np.ndarray, np.ndarray],
                                                tie: float) -> None:
    """Per cell the rule never falls more than ``tie`` below the best first utility, so the
    first part of any value is at least -tie."""
    from strait.analysis.lexicographic import lexicographic_table

    U, theta, _ = p
    rng = np.random.default_rng(0)
    U2 = rng.normal(size=U.shape)
    t = lexicographic_table(U, U2, {"x": theta[:, 0]}, tie=tie, B=0, min_lanes=1)
    assert t.evppi["x"].primary.value >= -tie - 1e-9
    assert t.evpi.primary.value >= -tie - 1e-9


def test_lexicographic_hand_computed() -> None:
    """Equal P(victory) everywhere; option 1 saves 4 losses when θ = 1, costs 2 when θ = 0:
    on the prior option 1 (-3 vs -2 on average), per θ the better one, gain 1 loss."""
    from strait.analysis.lexicographic import choose, lexicographic_table

    theta = np.array([0, 0, 1, 1])
    U1 = np.array([[0.0, 0.0]] * 4)
    U2 = np.array([[-1.0, -3.0], [-1.0, -3.0], [-5.0, -1.0], [-5.0, -1.0]])
    t = lexicographic_table(U1, U2, {"x": theta}, tie=0.01, B=0, min_lanes=1)
    assert (t.best, t.evppi["x"].secondary.value, t.evppi["x"].primary.value) == (1, 1.0, 0.0)
    # a 2 pp worse first utility is not a tie at 1 pp, but is at 5 pp
    assert int(choose(np.array([0.0, -0.02]), np.array([-9.0, 0.0]), 0.01)) == 0
    assert int(choose(np.array([0.0, -0.02]), np.array([-9.0, 0.0]), 0.05)) == 1


def test_voi_default_is_lexicographic() -> None:
    res = voi("ft-2025-ambiguity", {"dispersed": {"doctrine.usa.basing": "dispersed"}},
              n=1500, workers=1, B=20, commit_levels=[6])
    assert res.then == "-usa_killed" and res.lexicographic is not None
    lex = res.lexicographic
    assert set(lex.evppi) == set(res.allies) and set(lex.evsi) == set(res.allies)
    assert lex.evppi["JPN"].secondary.se > 0
    assert res.best == res.decisions[lex.best]
    assert len(res.expected_then) == 2 and res.expected_then[0].value < 0
    d = res.to_dict()
    assert d["then"] == "-usa_killed" and "JPN" in d["lexicographic"]["evppi"]
    assert "usa_killed" in d["allies"]["JPN"]["deterrence_d_losses"]["6"]
    scalar = voi("ft-2025-ambiguity", {"dispersed": {"doctrine.usa.basing": "dispersed"}},
                 n=1500, workers=1, B=20, commit_levels=[6], utility="prc_victory")
    assert scalar.lexicographic is None and scalar.then is None
    assert scalar.allies["JPN"].evppi == res.allies["JPN"].evppi  # first part unchanged


@pytest.mark.parametrize("args, message", [
    (["-u", "prc_victory", "--tie", "0.02"], "tie"),
    (["-u", "prc_victory>usa_killed>usa_ships_lost"], "FIRST>THEN"),
    (["--tie", "-1"], "tie"),
    (["-u", "prc_victory>usa_boats_lost"], "usa_boats_lost"),
])
def test_cli_lexicographic_bad_input(args: list[str], message: str) -> None:
    r = CliRunner().invoke(app, ["voi", "ft-2025-ambiguity", "-n", "200", "-w", "1", "-q",
                                 *args])
    assert r.exit_code == 2, r.output
    assert message in r.output and r.output.strip().count("\n") == 0


def test_option_effects_in_outcome_units_and_per_dollar() -> None:
    """Each option's paired change against the status quo is given in outcome units, and
    per billion dollars where it has a cost; the table and headline show them."""
    from strait.analysis.voi import voi_headline
    from strait.cli.voi import effect_lines

    res = voi("ft-2025-ambiguity", {"dispersed": {"doctrine.usa.basing": "dispersed"}},
              n=1500, workers=1, B=10, commit_levels=[6], costs={"dispersed": 2e9})
    eff = res.effects["dispersed"]
    assert set(eff) >= {"prc_victory", "usa_aircraft_lost", "usa_killed"}
    # paired on the same campaigns: the change equals the difference of the means
    won = [-e.value for e in res.expected_utility]
    assert eff["prc_victory"].mean == pytest.approx(won[1] - won[0], abs=1e-12)
    assert eff["usa_aircraft_lost"].mean < 0  # dispersal saves aircraft on the ground
    per = res.effects_per_dollar()["dispersed"]
    assert per["usa_killed"] == pytest.approx(eff["usa_killed"].mean / 2)
    lines = effect_lines(res)
    assert any(line.startswith("dispersed") for line in lines)
    assert any("per $1 bn" in line for line in lines) and max(map(len, lines)) <= 80
    assert any("dispersed changes P(PRC victory)" in h and "per $1 bn" in h
               for h in voi_headline(res))
    d = res.to_dict()
    assert d["effects_per_billion_usd"]["dispersed"]["usa_killed"] == pytest.approx(
        per["usa_killed"])


def test_decision_cost_source_must_exist(tmp_path: object) -> None:
    """A decision option's cost cites a source under 'sources'; a typo is one line, exit 2,
    naming the field and the fix."""
    path = _overlay(tmp_path, """analysis:
  decisions:
    dispersed:
      changes: {doctrine.usa.basing: dispersed}
      cost_usd: 1.0e9
      source: csis2032
""")
    r = CliRunner().invoke(app, ["scenario", "validate", path])
    assert r.exit_code == 2, r.output
    line = r.output.strip()
    assert line.count("\n") == 0
    assert "analysis.decisions.dispersed.source" in line and "csis2023" in line
    assert "add it under 'sources'" in line
