"""Loader unit tests: include, extends, changes, origins, cycles, parse_set, hashing."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from strait.errors import ScenarioError
from strait.scenario import (
    load_raw,
    load_scenario,
    load_scenario_text,
    parse_set,
    registry,
    scenario_hash,
)
from strait.scenario.loader import load_raw_text
from strait.scenario.models import Actor, RoleLevel

FIXTURES = Path(__file__).parent / "fixtures"
FULL = FIXTURES / "full.yaml"


@pytest.fixture
def bundled(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the registry at the fixture scenarios and library."""
    monkeypatch.setattr(registry, "SCENARIO_DIR", FIXTURES / "scenarios")
    monkeypatch.setattr(registry, "LIBRARY_DIR", FIXTURES / "library")
    return FIXTURES


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


def error_of(fn, *args, **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError) as info:
        fn(*args, **kw)
    msg = str(info.value)
    assert "\n" not in msg
    return msg


MINI = """
name: mini
title: Mini
bases:
  kadena: {name: Kadena, owner: JPN, distance_km: 750, parking_capacity: 200,
           hardened_shelters: 15, runways: 2, interceptors: 64}
"""


# ----------------------------------------------------------------------------- basics


def test_load_fixture_by_path_str_and_pathlike() -> None:
    a = load_scenario(str(FULL))
    b = load_scenario(FULL)
    assert a == b
    assert a.name == "fixture-full"
    assert a.allies[Actor.JPN].role.probabilities().sum() == pytest.approx(1.0)
    assert a.forces[Actor.USA].aircraft["fighter_5gen"]["kadena"].value == 54


def test_load_scenario_text_defaults_and_base_dir() -> None:
    s = load_scenario_text("name: t\ntitle: T\n")
    assert s.campaign.turn_days == 3.5
    s = load_scenario_text("extends: full.yaml\nname: t2\ntitle: T2\n", base_dir=FIXTURES)
    assert s.name == "t2" and s.bases["kadena"].runways.value == 2


def test_dates_stay_text_and_merge_keys_work() -> None:
    s = load_scenario_text(textwrap.dedent("""
        name: t
        title: T
        sources:
          a: &src {title: A source, url: https://example.org, note: 2015-09-19}
          b:
            <<: *src
            title: B source
    """))
    assert s.sources["a"].note == "2015-09-19"
    assert s.sources["b"].title == "B source" and s.sources["b"].url == "https://example.org"


# ---------------------------------------------------------------------------- include


def test_include_relative_fragments_in_order_then_own_keys(tmp_path: Path) -> None:
    write(tmp_path, "one.yaml", """
        sources:
          s1: {title: One, url: https://one}
        campaign: {turn_days: 2, horizon_turns: 5}
    """)
    write(tmp_path, "two.yaml", """
        sources:
          s2: {title: Two, url: https://two}
        campaign: {horizon_turns: 7}
    """)
    main = write(tmp_path, "main.yaml", """
        include: [one.yaml, two.yaml]
        name: main
        title: Main
        campaign: {turn_days: 4}
    """)
    s = load_scenario(main)
    assert set(s.sources) == {"s1", "s2"}
    assert s.campaign.turn_days == 4  # own keys on top
    assert s.campaign.horizon_turns == 7  # later include wins


def test_include_library_names_and_single_string(bundled: Path) -> None:
    raw = load_raw_text("include: sources\nname: a\ntitle: A\n")
    assert "csis2023" in raw["sources"]
    assert "include" not in raw
    s = load_scenario("mini-base")
    assert set(s.bases) == {"kadena", "guam"}
    assert len(s.allies[Actor.JPN].ladder) == 7


def test_unknown_include_names_the_line_and_suggests(bundled: Path) -> None:
    msg = error_of(load_scenario_text, "name: a\ntitle: A\ninclude: [sources, basse]\n",
                   filename="x.yaml")
    assert msg.startswith("x.yaml:3: include: ")
    assert "unknown library fragment 'basse'" in msg and "did you mean 'bases'?" in msg


def test_include_missing_relative_file(tmp_path: Path) -> None:
    main = write(tmp_path, "main.yaml", "name: a\ntitle: A\ninclude:\n  - nope.yaml\n")
    msg = error_of(load_scenario, main)
    assert re.match(r".*main\.yaml:4: include: expected an existing \.yaml file", msg)


# ---------------------------------------------------------------------------- extends


def test_overlay_replaces_meta_and_applies_changes(bundled: Path) -> None:
    base = load_scenario("mini-base")
    s = load_scenario("mini-japan-neutral")
    assert (s.name, s.family) == ("mini-japan-neutral", "excursion")
    assert s.description.startswith("Japan stays neutral")
    assert s.allies[Actor.JPN].role.level == RoleLevel.NEUTRAL
    assert s.doctrine.usa.maritime_strike_jassm is False
    assert s.parameters.lift["offload_efficiency"].value == 0.7
    assert s.parameters.lift["offload_efficiency"].at == "p.74"
    assert s.bases == base.bases  # untouched parts come through


def test_overlay_of_overlay(bundled: Path) -> None:
    s = load_scenario("mini-japan-neutral-long")
    assert s.allies[Actor.JPN].role.level == RoleLevel.NEUTRAL
    assert s.campaign.horizon_turns == 20 and s.campaign.turn_days == 3.5  # deep merge
    assert s.bases["guam"].runways.value == 3
    assert s.family == "excursion"  # inherited


def test_overlay_by_relative_path_and_change_replaces_not_merges(tmp_path: Path) -> None:
    write(tmp_path, "over.yaml", f"""
        extends: {FULL.as_posix()}
        name: over
        title: Over
        changes:
          allies.JPN.role: {{level: FULL_COMBAT}}
    """)
    s = load_scenario(tmp_path / "over.yaml")
    assert s.allies[Actor.JPN].role.prior is None  # the prior was replaced, not merged
    assert s.allies[Actor.JPN].role.level == RoleLevel.FULL_COMBAT


def test_unknown_extends_suggests(bundled: Path) -> None:
    msg = error_of(load_scenario_text, "name: a\ntitle: A\nextends: mini-bse\n",
                   filename="o.yaml")
    assert msg.startswith("o.yaml:3: extends: ")
    assert "unknown scenario 'mini-bse' (did you mean 'mini-base'?)" in msg


def test_cyclic_extends_names_the_cycle() -> None:
    msg = error_of(load_scenario, FIXTURES / "cycle-a.yaml")
    assert re.search(r"cycle-a\.yaml -> \S*cycle-b\.yaml -> \S*cycle-a\.yaml", msg), msg
    assert re.match(r"\S*cycle-b\.yaml:3: extends: ", msg), msg


def test_self_include_is_a_cycle() -> None:
    msg = error_of(load_scenario, FIXTURES / "include-cycle.yaml")
    assert "include-cycle.yaml -> " in msg and ":2: include: " in msg


def test_cycle_between_bundled_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "SCENARIO_DIR", tmp_path)
    write(tmp_path, "a.yaml", "name: a\ntitle: A\nextends: b\n")
    write(tmp_path, "b.yaml", "name: b\ntitle: B\nextends: a\n")
    msg = error_of(load_scenario, "a")
    assert "found a -> b -> a" in msg


# ---------------------------------------------------------------------------- changes


NAHA = {"name": "Naha", "owner": "JPN", "distance_km": 700, "parking_capacity": 50,
        "hardened_shelters": 0, "runways": 1, "interceptors": 16}


@pytest.mark.parametrize(("path", "value", "seg", "keys"), [
    ("bases.naha", NAHA, "naha", "the keys there are: guam, iwakuni, kadena, taiwan"),
    ("forces.USA.aircraft.bomber.kadena", 4, "kadena", "the keys there are: guam"),
    ("forces.CHN.aircraft.fighter_4gen.mainland", 4, "fighter_4gen",  # CHN has no aircraft
     "there are no keys there"),
    ("parameters.air.coalition_lethality", {"value": 1.1, "assumption": "test"},
     "coalition_lethality", "there are no keys there"),  # parameters.air: a schema field
    ("sources.new", {"title": "New", "url": "https://new"}, "new",
     "the keys there are: csis2023, jpnlaw"),
])
def test_changes_never_add_keys_to_open_mappings(path: str, value: object, seg: str,
                                                 keys: str) -> None:
    msg = error_of(load_scenario, FULL, changes={path: value})
    assert msg.startswith(f"--set:1: {path}: expected an existing key, found no '{seg}' "), msg
    assert f" in fixture-full; {keys}; write to an existing key" in msg, msg


def test_plain_keys_still_add_to_open_mappings(tmp_path: Path) -> None:
    child = write(tmp_path, "child.yaml", f"""
        extends: {FULL.as_posix()}
        name: c
        title: C
        bases:
          naha: {{name: Naha, owner: JPN, distance_km: 700, parking_capacity: 50,
                 hardened_shelters: 0, runways: 1, interceptors: 16}}
        forces:
          USA:
            aircraft:
              bomber:
                kadena: {{value: 4, assumption: test}}
        changes:
          bases.naha.runways: 2          # added above, so it exists when changes apply
    """)
    s = load_scenario(child)
    assert s.bases["naha"].runways.value == 2
    assert s.forces[Actor.USA].aircraft["bomber"]["kadena"].value == 4


def test_changes_into_defaults_bare_numbers_and_lists() -> None:
    s = load_scenario(FULL, changes={
        "doctrine.twn.ground_harpoons": False,  # key absent in the file: schema default
        "bases.iwakuni.runways.value": 5,  # a bare number, changed inside
        "allies.JPN.escalation[1].from_turn": 4,
        "allies.JPN.escalation.0.probability": 0.5,
        "allies.PHL.role.level": "NEUTRAL",
    })
    assert s.doctrine.twn.ground_harpoons is False
    assert s.bases["iwakuni"].runways.value == 5
    assert s.allies[Actor.JPN].escalation[1].from_turn == 4
    assert s.allies[Actor.JPN].escalation[0].probability.value == 0.5


@pytest.mark.parametrize(("path", "missing", "hint"), [
    ("allies.JPN.rol.level", "'rol'", "did you mean 'role'?"),
    ("alies.JPN.role", "'alies'", "did you mean 'allies'?"),
    ("doctrine.usa.maritime_strike_jasm", "'maritime_strike_jasm'",
     "did you mean 'maritime_strike_jassm'?"),
    ("bases.kadna.runways", "'kadna'", "did you mean 'kadena'?"),
    ("campaign.turn_days.value", "", "expected a mapping or list at campaign.turn_days"),
    ("allies.JPN.escalation[5].probability", "'[5]'", "expected an index 0..1"),
])
def test_bad_change_path_names_file_line_path_segment_and_hint(
    path: str, missing: str, hint: str
) -> None:
    text = f"extends: full.yaml\nname: o\ntitle: O\nchanges:\n  x.y: 1\n  {path}: 1\n"
    text = text.replace("  x.y: 1\n", "  campaign.horizon_turns: 9\n")
    msg = error_of(load_scenario_text, text, filename="over.yaml", base_dir=FIXTURES)
    assert msg.startswith(f"over.yaml:6: {path}: "), msg
    assert missing in msg and hint in msg, msg


def test_set_changes_are_applied_last_and_errors_name_set() -> None:
    s = load_scenario(FULL, changes=dict([parse_set("jpn.role=ACCESS_COMBAT")]))
    assert s.allies[Actor.JPN].role.level == RoleLevel.ACCESS_COMBAT
    msg = error_of(load_scenario, FULL, changes={"campaign.horizon_turns": 8,
                                                 "allies.JPN.role.level": "NEUTRL"})
    assert msg.startswith("--set:2: allies.JPN.role.level: expected a role level")
    assert "did you mean 'NEUTRAL'?" in msg


def test_load_raw_is_resolved_and_unvalidated(bundled: Path) -> None:
    raw = load_raw("mini-japan-neutral")
    assert raw["allies"]["JPN"]["role"] == {"level": "NEUTRAL"}
    assert not {"extends", "include", "changes"} & set(raw)
    raw = load_raw(FULL, changes={"campaign.horizon_turns": 99})  # unvalidated: no error
    assert raw["campaign"]["horizon_turns"] == 99


# ----------------------------------------------------------------------------- origins


def test_error_in_library_fragment_points_at_the_fragment(tmp_path: Path) -> None:
    write(tmp_path, "frag.yaml", """
        # a fragment with a bad number
        bases:
          guam:
            name: Guam
            owner: USA
            distance_km: 2800
            parking_capacity: 100
            hardened_shelters: 0
            runways: -2
            interceptors: 10
    """)
    main = write(tmp_path, "main.yaml", "name: m\ntitle: M\ninclude: [frag.yaml]\n")
    msg = error_of(load_scenario, main)
    assert re.match(r"\S*frag\.yaml:9: bases\.guam\.runways: expected a count >= 0", msg), msg


def test_error_in_extended_parent_points_at_parent(tmp_path: Path) -> None:
    write(tmp_path, "parent.yaml", "name: p\ntitle: P\ncampaign:\n  horizon_turns: 0\n")
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: c\ntitle: C\n")
    msg = error_of(load_scenario, child)
    assert re.match(r"\S*parent\.yaml:4: campaign\.horizon_turns: expected a number >= 1", msg)


def test_error_in_changes_value_points_at_the_changes_line(tmp_path: Path) -> None:
    write(tmp_path, "parent.yaml", MINI)
    child = write(tmp_path, "child.yaml", """
        extends: parent.yaml
        name: c
        title: C
        changes:
          campaign.turn_days: 3
          bases.kadena.interceptors: {value: 10, dist: uniform, low: 1, high: 2}
    """)
    msg = error_of(load_scenario, child)
    assert re.match(r"\S*child\.yaml:6: bases\.kadena\.interceptors: expected either", msg), msg


def test_overlay_own_keys_override_origin(tmp_path: Path) -> None:
    write(tmp_path, "parent.yaml", MINI)
    child = write(tmp_path, "child.yaml", """
        extends: parent.yaml
        name: c
        title: C
        bases:
          kadena:
            runways: lots
    """)
    msg = error_of(load_scenario, child)
    assert re.match(r"\S*child\.yaml:6: bases\.kadena\.runways: ", msg), msg
    # a sibling that still comes from the parent points at the parent
    child.write_text(child.read_text().replace("runways: lots", "runways: 3"))
    parent = tmp_path / "parent.yaml"
    parent.write_text(parent.read_text().replace("owner: JPN", "owner: JPX"))
    msg = error_of(load_scenario, child)
    assert re.match(r"\S*parent\.yaml:4: bases\.kadena\.owner: expected an actor code", msg), msg


# ------------------------------------------------------------------------ plain errors


@pytest.mark.parametrize(("text", "expected"), [
    ("", "x.yaml:1: expected a mapping of scenario keys"),
    ("# only a comment\n", "x.yaml:1: expected a mapping of scenario keys"),
    ("- a\n- b\n", "x.yaml:1: expected a mapping of scenario keys (name, title, ...) at the "
                   "top level, found a list"),
    ("name: a\ntitle: A\nname: b\n", "x.yaml:3: name: expected each key once in a mapping, "
                                     "found 'name' again (first at line 1)"),
    ("name: a\ntitle: [A\n", "x.yaml:3: YAML syntax: "),
    ("name: a\ntitle: !!python/object/apply:os.system ['true']\n",
     "x.yaml:2: title: expected plain YAML"),
    ("name: a\ntitle: A\ncampaign: {horizon_turns: many}\n",
     "x.yaml:3: campaign.horizon_turns: expected a whole number, found 'many'"),
    ("name: a\ntitle: A\nallies: {FRA: {}}\n",
     "x.yaml:3: allies.FRA: expected an ally code (JPN, AUS, PHL, KOR), found 'FRA'"),
    ("name: a\ntitle: A\ndoctrine: {prc: {strike_ally_first_turn: {FULL_COMBT: 0.5}}}\n",
     "did you mean 'FULL_COMBAT'?"),
    ("name: a\ntitel: A\n", "x.yaml:2: titel: expected a key of Scenario"),
    ("name: A B\ntitle: A\n", "x.yaml:1: name: expected a lower-case name"),
    ("name: a\ntitle: A\nextends: [x]\n", "x.yaml:3: extends: expected a bundled scenario name"),
    ("name: a\ntitle: A\nchanges: [x]\n", "x.yaml:3: changes: expected a mapping of dotted path"),
    ("a: &x [*x]\n", "x.yaml:1: a[0]: expected a tree, found a recursive alias"),
    ("name: a\ntitle: !!int A\n", "x.yaml:2: title: expected a valid int for tag '!!int'"),
    ("? [a, b]\n: c\n", "x.yaml:1: expected a plain key"),
    ("name: a\ntitle: b\x07\n", "x.yaml:2: YAML syntax: expected printable text, found "
                                  "character #x0007"),
    ("a: " + "[" * 300 + "]" * 300 + "\n", "levels of nesting"),
    ("x: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
     + "".join(f"x{i}: &a{i + 1} [{', '.join([f'*a{i}'] * 10)}]\n" for i in range(6)),
     "expected a scenario of at most 100000 values"),
    ("name: a\ntitle: b\n---\nname: c\n", "x.yaml:3: YAML syntax: expected a single document"),
    ("\tname: a\n", "x.yaml:1: YAML syntax: "),
    ("a: &x 1\nb: &x 2\n", "x.yaml:2: YAML syntax: found duplicate anchor"),
])
def test_plain_errors(text: str, expected: str) -> None:
    msg = error_of(load_scenario_text, text, filename="x.yaml")
    assert expected in msg, msg
    assert msg.startswith("x.yaml:")


def test_several_errors_report_the_first_and_count_the_rest() -> None:
    msg = error_of(load_scenario_text,
                   "name: a\ntitle: A\ncampaign: {turn_days: x, horizon_turns: y}\n")
    assert msg.endswith("(+1 more)")
    assert "campaign.turn_days" in msg


def test_typo_does_not_also_count_the_missing_key() -> None:
    msg = error_of(load_scenario_text, "name: a\ntitel: A\n")
    assert "did you mean 'title'?" in msg and "more" not in msg


def test_unsafe_tags_are_never_constructed() -> None:
    fired: list[int] = []
    globals()["_boom"] = lambda: fired.append(1)
    msg = error_of(load_scenario_text,
                   "name: a\ntitle: !!python/object/apply:tests.scenario.test_loader._boom []\n")
    assert "unsupported tag '!!python/object/apply:tests.scenario.test_loader._boom'" in msg
    assert not fired


def test_file_errors(tmp_path: Path) -> None:
    msg = error_of(load_scenario, tmp_path / "nope.yaml")
    assert "nope.yaml" in msg and "found no file" in msg
    msg = error_of(load_scenario, "no-such-bundled-scenario")
    assert "unknown scenario 'no-such-bundled-scenario'" in msg
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: a\ntitle: \xff\xfe\n")
    msg = error_of(load_scenario, bad)
    assert re.match(r"\S*bad\.yaml:2: expected UTF-8 text", msg), msg
    (tmp_path / "dir.yaml").mkdir()
    msg = error_of(load_scenario, tmp_path / "dir.yaml")
    assert "found the folder" in msg


# --------------------------------------------------------------------------- parse_set


@pytest.mark.parametrize(("expr", "expected"), [
    ("jpn.role=ACCESS_COMBAT", ("allies.JPN.role", {"level": "ACCESS_COMBAT"})),
    ("KOR.role=neutral", ("allies.KOR.role", {"level": "neutral"})),
    ("Phl.role={prior: {NEUTRAL: 1.0}}", ("allies.PHL.role", {"prior": {"NEUTRAL": 1.0}})),
    ("aus.escalation[0].probability=0.3", ("allies.AUS.escalation[0].probability", 0.3)),
    ("allies.jpn.role=3", ("allies.JPN.role", {"level": 3})),
    ("doctrine.usa.maritime_strike_jassm=false", ("doctrine.usa.maritime_strike_jassm", False)),
    ("campaign.horizon_turns = 8", ("campaign.horizon_turns", 8)),
    ("title=A = B", ("title", "A = B")),
    ("parameters.lift.offload_efficiency={value: 0.7, source: csis2023}",
     ("parameters.lift.offload_efficiency", {"value": 0.7, "source": "csis2023"})),
])
def test_parse_set(expr: str, expected: tuple[str, object]) -> None:
    assert parse_set(expr) == expected


@pytest.mark.parametrize("expr", [
    "jpn.role", "=3", "a..b=1", "a b=1", "x=", "x=[1, 2", "x=!!python/name:os.system",
    ".a=1",
])
def test_parse_set_malformed(expr: str) -> None:
    msg = error_of(parse_set, expr)
    assert msg.startswith("--set ") and "use PATH=VALUE" in msg


def test_parse_set_round_trips_through_load() -> None:
    path, value = parse_set("phl.role=FULL_COMBAT")
    s = load_scenario(FULL, changes={path: value})
    assert s.allies[Actor.PHL].role.level == RoleLevel.FULL_COMBAT


# ------------------------------------------------------------------------ scenario_hash


def test_scenario_hash_is_stable_and_sensitive(tmp_path: Path) -> None:
    a = load_scenario(FULL)
    h = scenario_hash(a)
    assert re.fullmatch(r"[0-9a-f]{64}", h)
    assert scenario_hash(load_scenario(FULL)) == h
    # same content, different key order, flow style and comments
    reordered = "# reordered\n" + "\n".join(reversed(_top_blocks(FULL.read_text()))) + "\n"
    assert scenario_hash(load_scenario_text(reordered)) == h
    # bare numbers and {value: n} are the same scenario
    flat = FULL.read_text().replace("runways: 3\n", "runways: {value: 3}\n")
    assert scenario_hash(load_scenario_text(flat)) == h
    changed = load_scenario(FULL, changes={"campaign.horizon_turns": 11})
    assert scenario_hash(changed) != h


def test_scenario_hash_known_value_for_minimal_scenario() -> None:
    s = load_scenario_text("name: t\ntitle: T\n")
    assert scenario_hash(s) == scenario_hash(load_scenario_text("title: T\nname: t\n"))
    assert scenario_hash(s) != scenario_hash(load_scenario_text("name: t\ntitle: U\n"))


def _top_blocks(text: str) -> list[str]:
    blocks: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] != " ":
            blocks.append(line)
        else:
            blocks[-1] += "\n" + line
    return blocks


def test_role_as_a_bare_level_name() -> None:
    s = load_scenario(FULL, changes={"allies.PHL.role": "full_combat"})
    assert s.allies[Actor.PHL].role.level == RoleLevel.FULL_COMBAT


def test_deep_merged_mapping_errors_point_at_the_overlay(tmp_path: Path) -> None:
    # deep merge keeps the parent's prior next to the overlay's level: the overlay is at fault
    child = write(tmp_path, "child.yaml", f"""
        extends: {FULL.as_posix()}
        name: c
        title: C
        allies:
          JPN:
            role: {{level: NEUTRAL}}
    """)
    msg = error_of(load_scenario, child)
    assert re.match(r"\S*child\.yaml:6: allies\.JPN\.role: expected exactly one of", msg), msg


def test_loads_never_leak_into_each_other(bundled: Path) -> None:
    raw = load_raw("mini-base")
    raw["allies"]["JPN"]["role"] = "mutated by the caller"
    changed = load_scenario("mini-japan-neutral", changes={"bases.guam.runways": 9,
                                                           "bases.guam.runways.value": 8})
    assert changed.bases["guam"].runways.value == 8
    again = load_scenario("mini-base")
    assert again.allies[Actor.JPN].role.level == RoleLevel.ACCESS_COMBAT
    assert again.bases["guam"].runways.value == 2


def test_edited_file_is_reread(tmp_path: Path) -> None:
    f = write(tmp_path, "s.yaml", "name: s\ntitle: AAAA\n")
    assert load_scenario(f).title == "AAAA"
    f.write_text("name: s\ntitle: BBBB\n", encoding="utf-8")  # same size, same instant
    assert load_scenario(f).title == "BBBB"
