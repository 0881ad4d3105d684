"""Overlay paths must exist: ``changes`` (and ``--set``) change what the base has, never add.

A path into a key the base lacks used to create it silently: ``csis-j20-degraded`` put
fighters at a base group the PLA does not use instead of changing the ones it has. These
tests pin the rule (every key on a changes path exists in the scenario it changes, or is a
field of the schema's fixed sections) and check every bundled overlay against it.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pytest
import yaml

from strait.errors import ScenarioError
from strait.scenario import load_raw, load_scenario, load_scenario_text, parse_set, registry
from strait.scenario.models import Actor, RoleLevel
from strait.scenario.params import Param

OLD_J20 = """\
name: old-j20
title: The J-20 overlay as it was first written
extends: csis-base
changes:
  forces.CHN.aircraft.fighter_5gen.taiwan_airbases:
    value: 0
    assumption: test
"""


def error_of(fn: Any, *args: Any, **kw: Any) -> str:
    with pytest.raises(ScenarioError) as info:
        fn(*args, **kw)
    msg = str(info.value)
    assert "\n" not in msg
    return msg


# ------------------------------------------------------------------ missing keys fail


def test_overlay_writing_a_missing_key_fails_naming_it_and_the_keys_there() -> None:
    msg = error_of(load_scenario_text, OLD_J20, filename="old-j20.yaml")
    assert msg == (
        "old-j20.yaml:5: forces.CHN.aircraft.fighter_5gen.taiwan_airbases: expected an "
        "existing key, found no 'taiwan_airbases' under forces.CHN.aircraft.fighter_5gen "
        "in csis-base; the keys there are: mainland; write to an existing key (or add it "
        "in the base scenario, or as plain keys in an overlay file)")


@pytest.mark.parametrize("expr", [
    "forces.CHN.aircraft.fighter_5gen.taiwan_airbases=0",
    "forces.CHN.aircraft.fighter_5gen.taiwan_airbases.value=0",  # inside the missing key
])
def test_set_writing_a_missing_key_fails_the_same_way(expr: str) -> None:
    msg = error_of(load_scenario, "csis-base", changes=dict([parse_set(expr)]))
    path = expr.partition("=")[0]
    assert msg.startswith(f"--set:1: {path}: expected an existing key, found no "
                          "'taiwan_airbases' under forces.CHN.aircraft.fighter_5gen in "
                          "csis-base; the keys there are: mainland; "), msg


def test_set_names_the_overlay_it_changes() -> None:
    msg = error_of(load_scenario, "csis-j20-degraded",
                   changes={"forces.CHN.aircraft.fighter_5gen.taiwan_airbases": 0})
    assert " in csis-j20-degraded; the keys there are: mainland; " in msg, msg


def test_run_with_changes_to_a_missing_key_fails_before_playing() -> None:
    import strait

    with pytest.raises(ScenarioError, match=r"found no 'ssk' under forces\.USA\.ships"):
        strait.run("csis-base", n=8, seed=1, workers=1, changes=["forces.USA.ships.ssk=4"])


@pytest.mark.parametrize(("path", "value", "found", "keys"), [
    # a new class of aircraft where the PLA has none of that class
    ("forces.CHN.aircraft.tanker.mainland", 10, "'tanker' under forces.CHN.aircraft",
     "bomber, fighter_4gen, fighter_5gen"),
    # a parameter the base does not set (a typo, or one the catalog knows)
    ("parameters.air.coalition_lethality_x", 1.0, "'coalition_lethality_x' under "
     "parameters.air in csis-base (did you mean 'coalition_lethality'?)", None),
    # a new actor in the PRC's restraint table
    ("doctrine.prc.entry_restraint.TWN", 0.1,
     "'TWN' under doctrine.prc.entry_restraint", "AUS, JPN, KOR, PHL"),
    # a whole new base group: add it with plain keys instead
    ("bases.naha", {"name": "Naha"}, "'naha' under bases", None),
    # a misspelt top-level section
    ("campaing.horizon_turns", 8, "'campaing' at the top level in csis-base (did you mean "
     "'campaign'?)", None),
])
def test_changes_into_open_mappings_must_name_existing_keys(
    path: str, value: object, found: str, keys: str | None
) -> None:
    msg = error_of(load_scenario, "csis-base", changes={path: value})
    assert f"{path}: expected an existing key, found no {found}" in msg, msg
    if keys is not None:
        assert f"; the keys there are: {keys}; " in msg, msg


def test_long_key_lists_are_sorted_and_abbreviated() -> None:
    msg = error_of(load_scenario, "csis-base", changes={"bases.okinwa.runways": 3})
    bases = sorted(load_raw("csis-base")["bases"])
    assert len(bases) > 12
    shown = ", ".join(bases[:12])
    assert f"(did you mean 'okinawa'?); the keys there are: {shown}, " \
           f"+{len(bases) - 12} more; write to an existing key" in msg, msg


def test_a_key_added_by_an_earlier_change_is_not_there_for_later_ones_to_extend() -> None:
    # no change may create a key, so a later change cannot build on a created one either
    msg = error_of(load_scenario, "csis-base", changes={
        "forces.USA.aircraft.fighter_5gen.guam": 0,
        "forces.USA.aircraft.fighter_5gen.north_luzon": 24})
    assert msg.startswith("--set:2: forces.USA.aircraft.fighter_5gen.north_luzon: "), msg
    assert "the keys there are: guam, honshu, kyushu, okinawa;" in msg, msg


# ------------------------------------------------------------- legitimate overlays load


def test_replacing_whole_values_at_existing_paths_is_fine() -> None:
    s = load_scenario("csis-base", changes={
        # a fixed number over a distribution
        "forces.CHN.aircraft.fighter_5gen.mainland": {"value": 200, "assumption": "test"},
        # a list, replaced whole (longer than before)
        "allies.JPN.escalation": [
            {"trigger": "territory_struck", "to_at_least": "DEFENSIVE_COMBAT",
             "probability": 1.0},
            {"trigger": "per_turn", "to_at_least": "FULL_COMBAT", "probability": 0.1}],
        # a mapping with keys of its own: a prior where the base has a level
        "allies.AUS.role": {"prior": {"NEUTRAL": 0.5, "ACCESS_COMBAT": 0.5}},
        # a whole placement mapping, which may name other base groups
        "forces.USA.aircraft.tanker": {"guam": {"value": 30, "assumption": "test"},
                                       "north_luzon": {"value": 6, "assumption": "test"}},
    })
    assert s.forces[Actor.CHN].aircraft["fighter_5gen"]["mainland"].value == 200
    assert len(s.allies[Actor.JPN].escalation) == 2
    assert s.allies[Actor.AUS].role.prior is not None
    assert set(s.forces[Actor.USA].aircraft["tanker"]) == {"guam", "north_luzon"}


def test_paths_into_values_a_change_just_wrote_and_into_shorthands() -> None:
    s = load_scenario("csis-base", changes={
        "allies.JPN.role": {"prior": {"NEUTRAL": 0.5, "FULL_COMBAT": 0.5}},
        "allies.JPN.role.prior.NEUTRAL": 0.25,  # exists: the change above wrote it
        "allies.JPN.role.prior.FULL_COMBAT": 0.75,
        "allies.KOR.role.level": "NEUTRAL",
        "campaign.horizon_turns": 8,
        "forces.CHN.munitions.mrbm.value": 900,  # inside a bare-number Param
    })
    assert s.role_probabilities(Actor.JPN)[RoleLevel.FULL_COMBAT] == 0.75
    assert s.forces[Actor.CHN].munitions["mrbm"].value == 900


def test_schema_fields_exist_even_when_the_base_leaves_them_to_their_default() -> None:
    text = textwrap.dedent("""\
        name: bare
        title: Bare
        changes:
          doctrine.usa.entry_turn: 2
          doctrine.twn.paralysed_turns: 1
          campaign.horizon_turns: 9
    """)
    s = load_scenario_text(text, changes={"doctrine.usa.basing": "dispersed"})
    assert (s.doctrine.usa.entry_turn, s.doctrine.twn.paralysed_turns) == (2, 1)
    assert (s.campaign.horizon_turns, s.doctrine.usa.basing) == (9, "dispersed")


def test_plain_keys_add_what_changes_may_not() -> None:
    text = textwrap.dedent("""\
        name: luzon
        title: A squadron at a base group the base case leaves empty
        extends: csis-base
        forces:
          USA:
            aircraft:
              fighter_5gen:
                north_luzon: {value: 24, assumption: test}
        changes:
          forces.USA.aircraft.fighter_5gen.north_luzon.value: 12   # exists now
    """)
    s = load_scenario_text(text)
    assert s.forces[Actor.USA].aircraft["fighter_5gen"]["north_luzon"].value == 12


# ------------------------------------------------------------------ bundled overlays

NAMES = registry.bundled_names()


def _overlay(name: str) -> dict[str, Any]:
    raw = yaml.safe_load(registry.bundled_path(name).read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


OVERLAYS = [n for n in NAMES if "extends" in _overlay(n) and _overlay(n).get("changes")]


def _step(cur: Any, seg: str) -> Any:
    """``cur[seg]`` in resolved raw data, or KeyError (keys matched as written)."""
    m = re.fullmatch(r"\[(\d+)\]|(\d+)", seg)
    if isinstance(cur, list) and m is not None:
        return cur[int(m.group(1) or m.group(2))]
    if isinstance(cur, dict) and seg in cur:
        return cur[seg]
    raise KeyError(seg)


def test_there_are_bundled_overlays_to_check() -> None:
    assert "csis-j20-degraded" in OVERLAYS and len(OVERLAYS) >= 20


@pytest.mark.parametrize("name", OVERLAYS)
def test_every_path_a_bundled_overlay_changes_exists_in_its_base(name: str) -> None:
    """Stricter than the loader: each key must be written in the base (not a default)."""
    doc = _overlay(name)
    base = load_raw(doc["extends"])
    for path in doc["changes"]:
        cur: Any = base
        for seg in re.findall(r"[^.\[\]]+|\[\d+\]", path):
            try:
                cur = _step(cur, seg)
            except (KeyError, IndexError):
                keys = sorted(map(str, cur)) if isinstance(cur, dict) else cur
                pytest.fail(f"{name}: changes.{path}: no '{seg}' in {doc['extends']} "
                            f"(keys there: {keys})")


def _total(aircraft: dict[str, dict[str, Param]], *classes: str) -> tuple[float, float, float]:
    """(low, mean, high) of the sum of ``classes`` over every base group."""
    ps = [p for c in classes for p in aircraft.get(c, {}).values()]
    return (sum(p.support()[0] for p in ps), sum(p.mean() for p in ps),
            sum(p.support()[1] for p in ps))


def test_j20_overlay_moves_the_j20s_into_the_4th_generation_count_where_they_are() -> None:
    assert list(_overlay("csis-j20-degraded")["changes"]) == [
        "forces.CHN.aircraft.fighter_5gen.mainland", "forces.CHN.aircraft.fighter_4gen.mainland"]
    base = load_scenario("csis-base").forces[Actor.CHN].aircraft
    j20 = load_scenario("csis-j20-degraded").forces[Actor.CHN].aircraft
    assert set(j20["fighter_5gen"]) == set(base["fighter_5gen"]) == {"mainland"}
    assert set(j20["fighter_4gen"]) == set(base["fighter_4gen"]) == {"mainland"}
    assert _total(j20, "fighter_5gen") == (0, 0, 0)
    assert _total(j20, "fighter_4gen") > _total(base, "fighter_4gen")
    lo, mean, hi = _total(base, "fighter_5gen", "fighter_4gen")
    jlo, jmean, jhi = _total(j20, "fighter_5gen", "fighter_4gen")
    assert (jlo, jhi) == (lo, hi) and jmean == pytest.approx(mean)  # the total is kept
    for p in (*j20["fighter_5gen"].values(), *j20["fighter_4gen"].values()):
        assert p.source is not None or p.assumption is not None


def test_j20_overlay_moves_the_result_the_way_its_assumption_implies() -> None:
    """Fewer PLA 5th-generation fighters: the coalition does at least as well as in the base
    case. (Written to a base group the PLA does not use, the J-20s had instead added ~1,550
    fighters and raised P(PRC victory) from ~0.5 % to ~8 %.)"""
    import strait

    base, j20 = (strait.run(name, n=20_000, seed=1, workers=1).summary()
                 for name in ("csis-base", "csis-j20-degraded"))
    p, q = base.outcome_probabilities, j20.outcome_probabilities
    assert q["prc_victory"] <= p["prc_victory"]
    assert q["prc_defeat"] >= p["prc_defeat"]
    lost = {k: (base.losses[k]["mean"], j20.losses[k]["mean"])
            for k in ("usa_aircraft_lost", "chn_aircraft_lost")}
    assert lost["usa_aircraft_lost"][1] <= lost["usa_aircraft_lost"][0], lost
    assert lost["chn_aircraft_lost"][1] >= lost["chn_aircraft_lost"][0], lost


@pytest.mark.parametrize(("cls", "to"), [("fighter_5gen", "north_luzon"),
                                         ("fighter_4gen", "central_philippines")])
def test_philippine_basing_moves_guams_squadron_and_restates_the_rest_unchanged(
    cls: str, to: str
) -> None:
    """The overlay restates each US fighter placement whole (a change cannot add a base
    group): every other entry must stay the base case's, so a change to forces-2026 that
    the overlay does not follow fails here."""
    base = load_scenario("csis-base").forces[Actor.USA].aircraft[cls]
    moved = load_scenario("csis-philippine-basing").forces[Actor.USA].aircraft[cls]
    assert to not in base and set(moved) == {*base, to}
    assert moved["guam"].mean() == 0 and moved[to].mean() == base["guam"].mean() > 0
    assert {k: p for k, p in moved.items() if k not in ("guam", to)} == {
        k: p for k, p in base.items() if k != "guam"}
