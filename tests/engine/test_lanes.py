"""One lane, one campaign: the lane-independence checker, per-lane inputs and dead inputs."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import yaml

from strait.engine import phases
from strait.engine.check import check_lanes, inputs_read, unused_inputs
from strait.engine.compile import compile_structure, sample_lanes
from strait.scenario.catalog import CATALOG
from strait.scenario.loader import load_scenario
from strait.scenario.registry import bundled_names, bundled_path

from ._helpers import base_structure

NAMES = bundled_names()


@cache
def _reads(name: str) -> frozenset[str]:
    return frozenset(inputs_read(load_scenario(name), n=256))


@pytest.mark.parametrize("name", NAMES)
def test_every_bundled_scenario_passes_the_lane_checker(name: str) -> None:
    report = check_lanes(name, n=96, probes=4)
    assert report.ok, report.mismatches[:5]


def test_checker_catches_a_lane_that_reads_its_neighbours(monkeypatch) -> None:
    real = phases.air.run

    def leaky(st, prm, ctx):  # air control averaged over the block: the old defect
        st = real(st, prm, ctx)
        st.air_control = np.full(st.n, float(st.air_control.mean()))
        return st

    monkeypatch.setattr(phases.air, "run", leaky)
    report = check_lanes("csis-base", n=64, probes=3)
    assert not report.ok
    assert {v for v, _, _ in report.mismatches} >= {"alone", "other roles"}
    with pytest.raises(Exception, match="must not depend on other lanes"):
        report.raise_if_failed()


def test_scenario_numbers_given_as_ranges_vary_by_lane_as_whole_counts() -> None:
    struct = base_structure()
    prm = sample_lanes(struct, 2000, np.random.default_rng(4))
    lst = prm.forces["CHN.ground_battalions"]
    assert lst.std() > 0 and np.array_equal(lst, np.rint(lst))
    spec = next(li.param for li in struct.lane_inputs
                if li.path == "forces.CHN.ground_battalions")
    lo, hi = spec.support()
    assert lo - 0.5 <= lst.min() and lst.max() <= hi + 0.5
    assert abs(lst.mean() - spec.mean()) < 0.05 * spec.mean()
    inter = prm.bases.interceptors[:, struct.base("okinawa")]
    assert inter.std() > 0
    # Kyushu's distance is a uniform range over its sites: continuous, not rounded
    kyushu = prm.bases.distance_km[:, struct.base("kyushu")]
    assert 1375 <= kyushu.min() < kyushu.max() <= 1578
    assert not np.array_equal(kyushu, np.rint(kyushu))
    # the PRC's strike odds were a fixed table per rung; a range is now drawn per lane
    assert prm.doctrine.strike_first.shape == (2000, 7)


def test_fixing_one_input_leaves_every_other_draw_unchanged() -> None:
    base = load_scenario("csis-base")
    fixed = load_scenario("csis-base", changes={
        "forces.CHN.ground_battalions": {"value": 150, "assumption": "test"}})
    a = sample_lanes(compile_structure(base), 500, np.random.default_rng(9))
    b = sample_lanes(compile_structure(fixed), 500, np.random.default_rng(9))
    assert set(a.drawn) - set(b.drawn) == {"forces.CHN.ground_battalions"}
    for path, v in b.drawn.items():
        np.testing.assert_array_equal(a.drawn[path], v, err_msg=path)


def test_every_catalogue_parameter_is_read_by_some_bundled_scenario() -> None:
    read = frozenset().union(*(_reads(n) for n in NAMES))
    never = [f"parameters.{g}.{k}" for g, specs in CATALOG.items() for k in specs
             if f"parameters.{g}.{k}" not in read]
    assert never == []


def _changed_paths(name: str) -> list[str]:
    raw = yaml.safe_load(bundled_path(name).read_text())
    return list((raw or {}).get("changes") or {})


OVERLAYS = [n for n in NAMES if _changed_paths(n)]


@pytest.mark.parametrize("name", OVERLAYS)
def test_every_field_an_overlay_changes_is_read_by_the_engine(name: str) -> None:
    struct = compile_structure(load_scenario(name))
    read = _reads(name) | struct.reads.paths
    for path in _changed_paths(name):
        hit = (path in read or any(r.startswith(path + ".") for r in read)
               or struct.reads.covers(path))
        assert hit, f"{name}: '{path}' is changed but never read"


def test_unused_inputs_names_what_has_no_effect() -> None:
    assert unused_inputs(load_scenario("us-dispersed-basing")) == []
    forward = unused_inputs(load_scenario("csis-base"))
    assert "parameters.strikes.dispersal_parking_factor" in forward
    alone = unused_inputs(load_scenario("csis-taiwan-alone"))
    assert "parameters.antiship.us_surge_carriers" in alone  # the US never comes


def test_mainland_strikes_and_dispersal_change_campaigns() -> None:
    from strait.api import run

    base = run("csis-base", n=3000, seed=2, workers=1).table
    for name in ("csis-no-mainland-strikes", "us-dispersed-basing"):
        other = run(name, n=3000, seed=2, workers=1).table
        assert not base.equals(other), name
    banned = run("csis-no-mainland-strikes", n=3000, seed=2, workers=1).table
    assert base["chn_aircraft_lost"].mean() != banned["chn_aircraft_lost"].mean()


def test_play_reads_only_the_compiled_structure_never_the_scenario() -> None:
    """Doctrine and numbers are compiled before play: a block plays with the scenario gone."""
    import dataclasses

    from strait.engine.loop import play_block

    class Gone:
        def __getattr__(self, name: str):
            raise AssertionError(f"the engine read scenario.{name} during play")

    struct = compile_structure(load_scenario("csis-base"))
    cols, _ = play_block(struct, 64, np.random.default_rng(1))
    blind = dataclasses.replace(struct, scenario=Gone())
    blind.slot_arrays, blind.ally_bases = struct.slot_arrays, struct.ally_bases
    blind.ally_combat, blind.ally_noncombat = struct.ally_combat, struct.ally_noncombat
    blind.base_target_set, blind.us_slot = struct.base_target_set, struct.us_slot
    blind.base_hosts_us, blind.param_specs = struct.base_hosts_us, struct.param_specs
    again, _ = play_block(blind, 64, np.random.default_rng(1))
    for c, v in cols.items():
        np.testing.assert_array_equal(v, again[c], err_msg=c)


def test_a_released_share_given_as_a_range_is_drawn_per_lane() -> None:
    """Korea's 'strategic flexibility' was averaged at compile time; now each lane draws it."""
    from strait.engine.phases import politics
    from strait.scenario.models import Actor, RoleLevel

    from ._helpers import KOR, make_turn

    lv = int(RoleLevel.ACCESS_NONCOMBAT)
    s = load_scenario("csis-base", changes={
        "allies.KOR.ladder.ACCESS_NONCOMBAT.us_forces_released":
            {"dist": "uniform", "low": 0.2, "high": 0.8, "assumption": "test"}})
    t = make_turn(400, roles={KOR: lv}, scenario=s, inputs_at_mean=False)
    politics.run(t.st, t.prm, t.ctx)
    korea = t.struct.base("korea")
    share = t.st.combat_frac[:, korea]
    assert 0.2 <= share.min() < 0.3 and 0.7 < share.max() <= 0.8
    np.testing.assert_array_equal(share, t.prm.doctrine.us_released[:, KOR, lv])
    assert t.struct.scenario.allies[Actor.KOR]  # the ladder itself is unchanged
