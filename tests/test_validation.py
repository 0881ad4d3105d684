"""Validation against the CSIS record: the target checks, the report, and the full run.

The unit tests feed synthetic per-lane tables to the checks. The ``validation``-marked test
plays every CSIS scenario and holds each published target to its tolerance, except the
targets listed in :data:`KNOWN_MISSES`.
"""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from strait.analysis.targets import (
    CALIBRATED_BY,
    CALIBRATION_IDS,
    DROPPED,
    ROLES,
    Paired,
    clopper_pearson,
    direction_verdict,
    paired_interval,
)
from strait.analysis.validation import (
    LOSS_KEYS,
    TARGETS,
    NotMeasured,
    ValidationReport,
    evaluate_target,
    paired,
    report_from_results,
    run_validation,
    summarise_scenario,
    target,
    validation_scenarios,
)
from strait.report.validation import render_markdown, render_table, write_validation_docs
from strait.results.core import OUTCOMES, TRAJECTORY_FIELDS, RunResults

# Targets that miss today (measured with run_validation(n=2000, seed=0, workers=2)). The list is
# strict: a target listed here that passes fails the suite (remove it), and one that misses
# without being listed fails it too. KNOWN_MISSES must only SHRINK; never add an id to make the
# suite green without saying why here and in the commit message. Direction targets that miss are
# findings for the engine, not things to tune away.
KNOWN_MISSES: frozenset[str] = frozenset({
    # Stimson closes one base for ~12 days under a concentrated salvo; strait's PLA spreads
    # each turn's missiles over Taiwan, Guam and every Japanese base group by aircraft parked,
    # so the median over Japanese fighter bases stays near 6 days (see the target's reason).
    "model-runway-closure-japan",
})

N_VALIDATION = 2000

# --------------------------------------------------------------- synthetic results


def base_table(n: int = 200) -> pd.DataFrame:
    """A csis-base-like table in which every published number is met exactly."""
    k = np.arange(n)
    return pd.DataFrame({
        "outcome": np.full(n, OUTCOMES.index("prc_defeat"), dtype=np.int8),
        "end_turn": np.full(n, 3, dtype=np.int16),
        "end_day": np.full(n, 14.0, dtype=np.float32),
        "amphibious_fleet_share_end": np.full(n, 0.05),
        "usa_carriers_lost": np.full(n, 2.0),
        "usa_surface_combatants_lost": np.full(n, 15.0),
        "usa_ships_lost": np.full(n, 17.0),
        "usa_submarines_lost": np.full(n, 4.0),
        "usa_aircraft_lost": np.full(n, 270.0),
        "usa_aircraft_lost_ground": np.full(n, 243.0),
        "usa_aircraft_lost_on_carriers": np.full(n, 96.0),
        "jpn_aircraft_lost": np.full(n, 112.0),
        "jpn_aircraft_lost_ground": np.full(n, 100.0),
        "twn_aircraft_lost": np.full(n, 237.0),
        "twn_aircraft_lost_ground": np.full(n, 215.0),
        "jpn_ships_lost": np.full(n, 26.0),
        "twn_ships_lost": np.full(n, 26.0),
        "chn_ships_lost": np.full(n, 138.0),
        "chn_amphibious_ships_lost": np.full(n, 86.0),
        "chn_aircraft_lost": np.full(n, 155.0),
        "usa_killed": np.full(n, 3200.0),
        "pla_bn_landed": np.full(n, 37.0),
        "pla_bn_ashore": np.full(n, 30.0),
        "prc_share_of_taiwan": np.full(n, 0.07),
        "lrasm_out_turn": np.zeros(n, dtype=np.int16),
        "spent_lrasm": np.full(n, 450.0),
        "shore_asm_out_turn": np.full(n, 2, dtype=np.int16),
        "jpn_struck": (k % 4) != 0,
        "jpn_fighter_base_closed_days": np.full(n, 11.7, dtype=np.float32),
    })


def results(table: pd.DataFrame, name: str = "csis-base", trajectories=None) -> RunResults:
    return RunResults(table=table, scenario_name=name, scenario_hash="0" * 64, seed=0,
                      trajectories=trajectories, meta={"turn_days": 3.5})


def targets_of(scenario: str, kind: str = "campaign"):
    return [t for t in TARGETS if t.scenario == scenario and t.kind == kind]


def alone_trajectories(n: int, sunk_by_day_10: float, horizon: int = 30) -> np.ndarray:
    tr = np.full((n, horizon, len(TRAJECTORY_FIELDS)), np.nan)
    share = np.linspace(1.0, 1.0 - sunk_by_day_10, 3)
    tr[:, :3, TRAJECTORY_FIELDS.index("amphibious_fleet_share")] = share
    return tr


# --------------------------------------------------------------- the target table


def test_targets_are_complete_and_unique():
    ids = [t.id for t in TARGETS]
    assert len(ids) == len(set(ids))
    bundled = {name for name, _, _ in validation_scenarios()}
    for t in TARGETS:
        assert t.metric and t.published and t.tolerance, t.id
        assert t.citation.startswith("[") and t.citation.endswith("]"), t.id
        assert t.kind in ("campaign", "model", "direction"), t.id
        assert t.scenario in bundled, f"{t.id}: scenario {t.scenario} is not bundled"
    assert target("base-us-carriers").citation == "[CSIS p.88]"
    with pytest.raises(KeyError, match="unknown validation target"):
        target("no-such-target")


def test_every_issue_target_is_listed():
    for tid in ("base-prc-victory", "base-defence-outcomes", "base-amphibious-fleet-sunk",
                "base-us-carriers", "base-us-surface-combatants", "base-us-aircraft",
                "base-aircraft-lost-on-ground", "base-jpn-aircraft", "base-jpn-ships",
                "base-chn-ships", "base-chn-amphibious", "base-chn-aircraft",
                "base-twn-aircraft", "base-us-killed", "base-end-day",
                "base-pla-landed", "base-pla-ashore", "base-prc-share-of-taiwan",
                "base-lrasm-week-one", "base-shore-asm-week-two",
                "alone-prc-victory", "alone-taipei-falls", "alone-shore-asm-first-10-days",
                "alone-pla-landed", "ragnarok-prc-victory", "ragnarok-us-carriers",
                "model-ssn-patrol", "model-runway-closure-japan"):
        target(tid)
    for tid, why in DROPPED:
        assert why
        with pytest.raises(KeyError):
            target(tid)


def test_validation_scenarios_cover_csis_families_and_the_prediction():
    plan = validation_scenarios()
    names = [p[0] for p in plan]
    assert names[:3] == ["csis-base", "csis-taiwan-alone", "csis-ragnarok"]
    assert all((fam or "").startswith("csis") or name == "ft-2025-ambiguity"
               for name, fam, _ in plan)
    assert "ft-2025-ambiguity" in names


# --------------------------------------------------------------- roles and tolerance rules


def test_every_target_has_one_role_matching_the_calibration_record():
    ids = {t.id for t in TARGETS}
    assert CALIBRATION_IDS <= ids, "CALIBRATED_BY names unknown targets"
    for t in TARGETS:
        assert t.role in ROLES, t.id
        # one role only: calibration exactly when some parameter was tuned on it
        assert (t.role == "calibration") == (t.id in CALIBRATION_IDS), t.id
    calibration = {t.id for t in TARGETS if t.role == "calibration"}
    validation = {t.id for t in TARGETS if t.role == "validation"}
    assert calibration and validation and not calibration & validation
    assert calibration | validation == ids


def test_calibration_md_links_every_calibrated_parameter_to_its_target_ids():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "calibration.md").read_text(
        encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 6:
            rows[cells[0].replace("`", "")] = {
                c.strip().strip("`") for c in cells[4].split(",") if c.strip() not in ("", "–")}
    for param, ids in CALIBRATED_BY.items():
        assert param in rows, f"docs/calibration.md has no row for {param}"
        assert rows[param] == set(ids), (param, rows[param], ids)


def test_clopper_pearson_exact_against_hand_values():
    assert clopper_pearson(0, 3) == pytest.approx((0.0, 1 - 0.025 ** (1 / 3)), abs=1e-9)
    assert clopper_pearson(0, 3)[1] == pytest.approx(0.7076, abs=1e-4)
    assert clopper_pearson(3, 3) == pytest.approx((0.025 ** (1 / 3), 1.0), abs=1e-9)
    assert clopper_pearson(1, 1) == pytest.approx((0.025, 1.0), abs=1e-9)
    # 2 of 3: lower end solves 3p^2(1-p) + p^3 = 0.025, upper 1 - p^3 = 0.025
    lo, hi = clopper_pearson(2, 3)
    assert 3 * lo ** 2 * (1 - lo) + lo ** 3 == pytest.approx(0.025, abs=1e-9)
    assert (lo, hi) == pytest.approx((0.0943, 0.975 ** (1 / 3)), abs=1e-4)
    # 18 of 23 (a textbook value: 0.5630-0.9254)
    assert clopper_pearson(18, 23) == pytest.approx((0.5630, 0.9254), abs=1e-4)
    with pytest.raises(ValueError):
        clopper_pearson(4, 3)


def test_targets_carry_their_tolerance_rule_and_inputs():
    r = target("base-prc-victory").rule
    assert (r.rule, r.k, r.n_games, r.lo) == ("clopper-pearson", 0, 3, 0.0)
    assert r.hi == pytest.approx(0.7076, abs=1e-4) and "0 of 3" in r.describe()
    r = target("base-us-aircraft").rule
    assert (r.rule, r.lo, r.hi, r.judgement) == ("published range", 168.0, 372.0, False)
    r = target("base-jpn-ships").rule
    assert r.rule == "relative" and r.judgement and r.rel == 0.35 and r.around == 26.0
    r = target("dir-japan-neutral-prc-victory").rule
    assert r.rule == "paired" and r.expect == "up"
    for t in TARGETS:
        assert t.rule.inputs()["rule"] == t.rule.rule and t.tolerance, t.id
        if t.rule.rule == "clopper-pearson":
            assert (t.rule.lo, t.rule.hi) == clopper_pearson(t.rule.k, t.rule.n_games), t.id


# --------------------------------------------------------------- direction targets


def test_every_csis_excursion_has_a_validation_direction_target():
    from strait.scenario.registry import list_scenarios

    excursions = [i.name for i in list_scenarios() if i.family == "csis-excursion"]
    assert len(excursions) >= 20
    for name in excursions:
        mine = [t for t in TARGETS if t.kind == "direction" and t.scenario == name]
        assert mine, f"{name} has no direction target"
        for t in mine:
            assert t.baseline == "csis-base" and t.expect and t.citation.startswith("[CSIS")
            assert t.why and t.lane is not None
            assert t.role == ("calibration" if t.id in CALIBRATION_IDS else "validation")


def test_paired_interval_and_verdicts():
    mean, lo, hi = paired_interval(np.array([1.0, 2.0, 3.0, 4.0]))
    se = np.std([1.0, 2.0, 3.0, 4.0], ddof=1) / 2.0
    assert (mean, lo, hi) == pytest.approx((2.5, 2.5 - 1.959964 * se, 2.5 + 1.959964 * se))
    assert direction_verdict("down", -2.0, -0.1) and not direction_verdict("down", -2.0, 0.1)
    assert direction_verdict("not up", -0.1, 0.2) and not direction_verdict("not up", 0.1, 0.2)
    assert direction_verdict("not down", -0.2, 0.1)
    assert not direction_verdict("not down", -0.2, -0.1)
    assert direction_verdict("none", -0.01, 0.01) and not direction_verdict("none", 0.05, 0.1)
    assert not direction_verdict("none", -0.1, 0.1)  # too wide to say "barely matters"


def _victory_table(n: int, share: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = base_table(n)
    won = rng.random(n) < share
    t.loc[won, "outcome"] = OUTCOMES.index("prc_victory")
    return t


def test_a_direction_target_passes_its_direction_and_fails_reversed():
    t = target("dir-no-maritime-jassm-prc-victory")  # expect: P(PRC victory) up
    base = results(_victory_table(2000, 0.01, 1))
    exc = results(_victory_table(2000, 0.08, 2), "csis-no-maritime-jassm")
    right = evaluate_target(t, paired(t, base, exc))
    assert right.status == "pass" and right.value > 0 and right.interval[0] > 0
    swapped = evaluate_target(t, paired(t, exc, base))
    assert swapped.status == "fail" and swapped.interval[1] < 0
    # no change at all: an up/down target fails, a "none" target passes
    same = paired(t, base, base)
    assert evaluate_target(t, same).status == "fail"
    assert evaluate_target(target("dir-us-air-superiority-prc-victory"), same).status == "pass"
    # "not down" (no better): passes when unchanged or up, fails when clearly down
    nd = target("dir-no-mainland-strikes-prc-victory")
    assert evaluate_target(nd, paired(nd, base, base)).status == "pass"
    assert evaluate_target(nd, paired(nd, exc, base)).status == "fail"
    # a lower metric passes a "down" target and fails when swapped
    dn = target("dir-more-has-parked-losses")
    b, e = base_table(500), base_table(500)
    e["usa_aircraft_lost_ground"] = np.linspace(100.0, 200.0, 500)
    b["usa_aircraft_lost_ground"] = e["usa_aircraft_lost_ground"] + 5.0
    assert evaluate_target(dn, paired(dn, results(b), results(e))).status == "pass"
    assert evaluate_target(dn, paired(dn, results(e), results(b))).status == "fail"


def test_direction_needs_common_random_numbers():
    t = target("dir-no-maritime-jassm-prc-victory")
    base = results(_victory_table(200, 0.01, 1))
    r = evaluate_target(t, paired(t, base, results(_victory_table(300, 0.1, 2))))
    assert r.status == "not measured" and "different n" in r.reason
    r = evaluate_target(t, Paired(np.zeros(5), np.ones(5), (0, 1)))
    assert r.status == "not measured" and "seeds" in r.reason
    assert evaluate_target(t, None).status == "not measured"
    assert evaluate_target(t, paired(t, base, None)).status == "not measured"


def test_report_from_results_pairs_base_and_excursion():
    runs = {"csis-base": results(_victory_table(1000, 0.0, 1)),
            "csis-japan-neutral": results(_victory_table(1000, 0.2, 2), "csis-japan-neutral")}
    rep = report_from_results(runs)
    r = rep.result("dir-japan-neutral-prc-victory")
    assert r.status == "pass" and r.value == pytest.approx(0.2, abs=0.04)
    doc = rep.to_dict()
    by_id = {t["id"]: t for t in doc["targets"]}
    d = by_id["dir-japan-neutral-prc-victory"]
    assert d["role"] == "calibration" and d["baseline"] == "csis-base" and d["expect"] == "up"
    assert d["interval"][0] > 0 and d["tolerance_rule"]["rule"] == "paired"
    assert by_id["dir-more-has-parked-losses"]["status"] == "not measured"
    counts = doc["metadata"]["status_counts_by_role"]
    assert set(counts) == set(ROLES)
    assert sum(sum(c.values()) for c in counts.values()) == len(TARGETS)
    assert [x["id"] for x in doc["metadata"]["targets_not_used"]] == [i for i, _ in DROPPED]


# --------------------------------------------------------------- the checks


def test_synthetic_base_meets_every_base_target():
    res = results(base_table())
    for t in targets_of("csis-base"):
        r = evaluate_target(t, res)
        assert r.status == "pass", (t.id, r.strait, r.reason)


@pytest.mark.parametrize(("tid", "column", "value"), [
    ("base-us-carriers", "usa_carriers_lost", 0.5),
    ("base-us-aircraft", "usa_aircraft_lost", 500.0),
    ("base-jpn-aircraft", "jpn_aircraft_lost", 40.0),
    ("base-chn-amphibious", "chn_amphibious_ships_lost", 30.0),
    ("base-us-killed", "usa_killed", 9000.0),
    ("base-end-day", "end_day", 35.0),
    ("base-prc-share-of-taiwan", "prc_share_of_taiwan", 0.5),
    ("base-amphibious-fleet-sunk", "amphibious_fleet_share_end", 0.5),
    ("base-us-surface-combatants", "usa_ships_lost", 40.0),
])
def test_a_base_number_out_of_tolerance_fails_only_its_target(tid, column, value):
    t = base_table()
    t[column] = value
    if column.endswith("_aircraft_lost"):
        t[f"{column}_ground"] = 0.9 * value
    res = results(t)
    for tg in targets_of("csis-base"):
        r = evaluate_target(tg, res)
        expected = "fail" if tg.id == tid else "pass"
        assert r.status == expected, (tg.id, r.strait)


def test_outcome_shares():
    # 0 of 3 base runs: the exact 95 % interval reaches 70.8 %
    t = base_table(100)
    t.loc[:69, "outcome"] = OUTCOMES.index("prc_victory")  # 70 %
    assert evaluate_target(target("base-prc-victory"), results(t)).status == "pass"
    t.loc[:71, "outcome"] = OUTCOMES.index("prc_victory")  # 72 %
    r = evaluate_target(target("base-prc-victory"), results(t))
    assert r.status == "fail" and r.value == pytest.approx(0.72)
    # 3 of 3: the interval starts at 29.2 %
    t.loc[:, "outcome"] = OUTCOMES.index("stalemate_indeterminate")
    t.loc[:29, "outcome"] = OUTCOMES.index("stalemate_defence")  # 30 %
    assert evaluate_target(target("base-defence-outcomes"), results(t)).status == "pass"
    t.loc[:, "outcome"] = OUTCOMES.index("stalemate_indeterminate")
    t.loc[:27, "outcome"] = OUTCOMES.index("stalemate_defence")  # 28 %
    assert evaluate_target(target("base-defence-outcomes"), results(t)).status == "fail"


def test_surface_combatants_are_ships_minus_carriers():
    t = base_table()
    t["usa_ships_lost"] = 2.0 + 25.0
    r = evaluate_target(target("base-us-surface-combatants"), results(t))
    assert r.status == "fail" and r.value == pytest.approx(25.0)


def test_ground_share_pools_us_japan_taiwan():
    t = base_table()
    for a in ("usa", "jpn", "twn"):
        t[f"{a}_aircraft_lost_ground"] = t[f"{a}_aircraft_lost"] * 0.5
    r = evaluate_target(target("base-aircraft-lost-on-ground"), results(t))
    assert r.status == "fail" and r.value == pytest.approx(0.5)


def test_munition_timings_treat_never_as_a_miss():
    t = base_table()
    t["lrasm_out_turn"] = -1
    r = evaluate_target(target("base-lrasm-week-one"), results(t))
    assert r.status == "fail" and "never" in r.strait
    t = base_table()
    t["spent_lrasm"] = 300.0
    assert evaluate_target(target("base-lrasm-week-one"), results(t)).status == "fail"
    t = base_table()
    t["shore_asm_out_turn"] = 4  # day 17.5
    assert evaluate_target(target("base-shore-asm-week-two"), results(t)).status == "fail"


def test_a_missing_column_is_not_measured_never_a_pass():
    t = base_table().drop(columns=["usa_killed", "spent_lrasm"])
    res = results(t)
    r = evaluate_target(target("base-us-killed"), res)
    assert r.status == "not measured" and "usa_killed" in r.reason
    r = evaluate_target(target("base-lrasm-week-one"), res)
    assert r.status == "not measured" and "spent_lrasm" in r.reason


def test_a_scenario_not_played_is_not_measured():
    r = evaluate_target(target("ragnarok-us-carriers"), None)
    assert r.status == "not measured" and "not played" in r.reason


def alone_table(n: int = 100, victory: float = 1.0, end_day: float = 70.0) -> pd.DataFrame:
    outcome = np.where(np.arange(n) < victory * n, OUTCOMES.index("prc_victory"),
                       OUTCOMES.index("stalemate_prc"))
    return pd.DataFrame({"outcome": outcome.astype(np.int8),
                         "end_day": np.full(n, end_day), "pla_bn_landed": np.full(n, 230.0)})


def test_taiwan_alone_checks():
    tr = alone_trajectories(100, 0.16)
    res = results(alone_table(), "csis-taiwan-alone", tr)
    for t in targets_of("csis-taiwan-alone"):
        r = evaluate_target(t, res)
        assert r.status == "pass", (t.id, r.strait, r.reason)
    r = evaluate_target(target("alone-taipei-falls"),
                        results(alone_table(end_day=105.0), "csis-taiwan-alone"))
    assert r.status == "fail"
    r = evaluate_target(target("alone-taipei-falls"),
                        results(alone_table(victory=0.0), "csis-taiwan-alone"))
    assert r.status == "fail" and r.strait == "no PRC victories"


def test_shore_asm_share_needs_trajectories_and_reads_day_ten():
    t = target("alone-shore-asm-first-10-days")
    r = evaluate_target(t, results(alone_table(), "csis-taiwan-alone"))
    assert r.status == "not measured" and "trajectories" in r.reason
    r = evaluate_target(t, results(alone_table(), "csis-taiwan-alone",
                                   alone_trajectories(50, 0.40)))
    assert r.status == "fail" and r.value == pytest.approx(0.40)
    # a lane that ended before day 10 keeps its last recorded share
    tr = alone_trajectories(50, 0.16)
    tr[:, 2, :] = np.nan
    r = evaluate_target(t, results(alone_table(), "csis-taiwan-alone", tr))
    assert r.value == pytest.approx(0.08)


def test_sub_models_on_the_bundled_base_scenario():
    from strait.scenario import load_scenario

    s = load_scenario("csis-base")
    assert evaluate_target(target("model-ssn-patrol"), s).status == "pass"
    runway = target("model-runway-closure-japan")
    assert runway.kind == "campaign"  # measured on the base case's campaigns
    r = evaluate_target(runway, results(base_table()))
    assert r.status == "pass" and r.value == pytest.approx(11.7, rel=1e-6)


def test_model_checks_raise_not_measured_without_parameters():
    bare = SimpleNamespace(parameters=SimpleNamespace(subs={}))
    r = evaluate_target(target("model-ssn-patrol"), bare)
    assert r.status == "not measured" and "ssn_amphib_kills_per_boat_turn" in r.reason


def test_ssn_target_plays_the_engine_patrol(monkeypatch):
    """model-ssn-patrol evaluates the functions the submarine phase calls, not a twin."""
    from strait.engine.phases import subs
    from strait.models import submarine
    from strait.scenario import load_scenario

    assert subs.patrol_kills is submarine.patrol_kills
    assert subs.patrol_losses is submarine.patrol_losses
    s = load_scenario("csis-base")
    assert evaluate_target(target("model-ssn-patrol"), s).status == "pass"
    # a different patrol model in strait.models shows up in the target
    monkeypatch.setattr(submarine, "patrol_kills", lambda boats, k, t, z: 0.0 * boats)
    r = evaluate_target(target("model-ssn-patrol"), s)
    assert r.status == "fail" and r.value == 0.0


def test_a_check_that_cannot_measure_raises_not_measured():
    def check(_):
        raise NotMeasured("no such column")

    t = dataclasses.replace(target("base-us-killed"), check=check)
    r = evaluate_target(t, results(base_table()))
    assert (r.status, r.reason, r.value) == ("not measured", "no such column", None)


# --------------------------------------------------------------- the report


def synthetic_report() -> ValidationReport:
    from strait.scenario import load_scenario

    runs = {"csis-base": results(base_table()),
            "csis-taiwan-alone": results(alone_table(), "csis-taiwan-alone",
                                         alone_trajectories(100, 0.16)),
            "csis-optimistic": results(base_table(), "csis-optimistic")}
    return report_from_results(runs, seed=3, families={"csis-base": "csis-family"},
                               scenario_models={"csis-base": load_scenario("csis-base")})


SCENARIO_KEYS = {"outcome_probabilities", "losses_median", "end_day_median",
                 "pla_battalions_landed_median", "prc_share_of_taiwan_median"}


def assert_report_json(doc: dict, scenarios) -> None:
    assert set(doc) == {"metadata", "scenarios", "targets"}
    meta = doc["metadata"]
    for key in ("n", "seed", "strait_version", "scenario_hashes"):
        assert key in meta
    for name in scenarios:
        s = doc["scenarios"][name]
        assert set(s) == SCENARIO_KEYS, name
        assert set(s["outcome_probabilities"]) == set(OUTCOMES), name
        assert sum(s["outcome_probabilities"].values()) == pytest.approx(1.0, abs=1e-5), name
        assert set(s["losses_median"]) == set(LOSS_KEYS), name
        assert len(meta["scenario_hashes"][name]) == 64
    assert [t["id"] for t in doc["targets"]] == [t.id for t in TARGETS]
    for t in doc["targets"]:
        assert {"id", "role", "scenario", "published", "strait", "tolerance",
                "tolerance_rule", "status", "citation"} <= set(t)
        assert t["role"] in ROLES
        assert t["status"] in ("pass", "fail", "not measured")


def test_report_json_has_every_key(tmp_path):
    rep = synthetic_report()
    path = tmp_path / "v.json"
    text = rep.to_json(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(text) == doc
    assert_report_json(doc, ["csis-base", "csis-taiwan-alone", "csis-optimistic"])
    assert doc["metadata"]["seed"] == 3
    assert doc["metadata"]["predictions_only"] == ["csis-optimistic"]
    by_id = {t["id"]: t for t in doc["targets"]}
    assert by_id["base-us-carriers"]["status"] == "pass"
    assert by_id["ragnarok-prc-victory"]["status"] == "not measured"
    assert doc["scenarios"]["csis-base"]["losses_median"]["usa_carriers"] == 2.0


def test_summarise_scenario_medians_and_bands():
    s = summarise_scenario(results(base_table()))
    assert s.outcome_probabilities["prc_defeat"] == 1.0
    assert s.losses_median["usa_killed"] == 3200.0
    assert s.pla_battalions_landed_median == 37.0
    assert s.bands["usa_aircraft_lost"] == (270.0, 270.0, 270.0)
    t = base_table().drop(columns=["usa_submarines_lost"])
    assert summarise_scenario(results(t)).losses_median["usa_submarines"] is None


def test_render_table_lists_every_target():
    rep = synthetic_report()
    table = render_table(rep)
    assert table.row_count == len(TARGETS)
    console = Console(record=True, width=250)
    console.print(table)
    text = console.export_text()
    assert "base-us-carriers" in text and "✓" in text and "–" in text


def test_markdown_names_the_command_and_every_miss(tmp_path):
    rep = synthetic_report()
    md = render_markdown(rep, command="strait docs validation -n {n} --seed {seed}")
    assert md.startswith("<!-- Generated by `strait docs validation -n 200 --seed 3`")
    for r in rep.targets:
        assert f"`{r.id}`" in md
    for r in rep.misses():
        assert f"- `{r.id}`" in md
    paths = write_validation_docs(rep, tmp_path, figures=False)
    assert [p.name for p in paths] == ["validation.md"]
    assert "figures/" not in paths[0].read_text(encoding="utf-8")


def test_figures_are_png(tmp_path):
    pytest.importorskip("altair")
    pytest.importorskip("vl_convert")
    paths = write_validation_docs(synthetic_report(), tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["validation-losses.png", "validation-outcomes.png", "validation.md"]
    for p in paths:
        if p.suffix == ".png":
            assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (tmp_path / "validation.md").read_text(encoding="utf-8")
    assert "(figures/validation-outcomes.png)" in text


# --------------------------------------------------------------- the full run


@pytest.fixture(scope="module")
def full_report() -> ValidationReport:
    return run_validation(n=N_VALIDATION, seed=0, workers=2)


@pytest.mark.validation
def test_validation_json_covers_every_csis_scenario(full_report):
    csis = [name for name, fam, _ in validation_scenarios() if (fam or "").startswith("csis")]
    doc = json.loads(full_report.to_json())
    assert_report_json(doc, csis)
    assert doc["metadata"]["n"] == N_VALIDATION and doc["metadata"]["seed"] == 0
    assert "ft-2025-ambiguity" in doc["scenarios"]


@pytest.mark.validation
def test_published_targets_hold_or_are_known_misses(full_report):
    drifted = [f"{r.id}: strait {r.strait} vs {r.target.published} ({r.target.tolerance})"
               f"{' — ' + r.reason if r.reason else ''}"
               for r in full_report.targets if r.status != "pass" and r.id not in KNOWN_MISSES]
    assert not drifted, "targets no longer within tolerance:\n" + "\n".join(drifted)
    assert KNOWN_MISSES <= {t.id for t in TARGETS}, "KNOWN_MISSES names an unknown target"
    fixed = sorted(r.id for r in full_report.targets
                   if r.status == "pass" and r.id in KNOWN_MISSES)
    assert not fixed, f"now within tolerance, remove from KNOWN_MISSES: {', '.join(fixed)}"


def test_validation_same_on_every_executor(full_report) -> None:
    """Scenarios played side by side through the executor protocol give the same report as
    played one by one in this process."""
    serial = run_validation(n=N_VALIDATION, seed=0, workers=2, executor="serial")
    a, b = full_report.to_dict(), serial.to_dict()
    for doc in (a, b):
        doc.pop("elapsed_s", None)
        doc.get("metadata", {}).pop("elapsed_s", None)
        doc.get("metadata", {}).pop("created", None)
    assert a["scenarios"] == b["scenarios"]
    assert a["targets"] == b["targets"]
