"""The bundled scenario data: every scenario loads, every number is sourced or assumed,
every CSIS family and excursion has its overlay, and spot checks against the CSIS report.

The CSIS list below is the report's Table 2 (excursions) plus its families (ch. 5), as
the project's CSIS fact sheet summarises them; each entry maps to the overlay that
reproduces it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
import yaml

from strait.scenario import registry
from strait.scenario.loader import load_scenario
from strait.scenario.models import ALLIES, Actor, RoleLevel, Scenario

BASE = "csis-base"

# CSIS Table 2 excursion (or family), as worded in the report's summary -> overlay, family.
CSIS_OVERLAYS: dict[str, tuple[str, str]] = {
    # families (ch. 5, App A)
    "Base case (iterations #1-3)": ("csis-base", "csis-family"),
    "Pessimistic family (App A #4-20, #22)": ("csis-pessimistic", "csis-family"),
    "Optimistic family (App A #23)": ("csis-optimistic", "csis-family"),
    "Taiwan stands alone (#21)": ("csis-taiwan-alone", "csis-family"),
    "Ragnarok: Japan neutral + no maritime-strike JASSM (#24)": ("csis-ragnarok", "csis-family"),
    # Table 2 excursions
    "Taiwan resistance: forces paralysed to D+4": ("csis-taiwan-paralysed", "csis-excursion"),
    "US entry (a): Taiwan stands alone": ("csis-taiwan-alone", "csis-family"),
    "US entry (b): US bombers delayed to D+4": ("csis-us-bombers-delayed", "csis-excursion"),
    "US entry (c): US combat starts D+14 (App A #8, #9)": ("csis-us-delayed-entry",
                                                           "csis-excursion"),
    "US troops on Taiwan: MLR pre-deployed": ("csis-mlr-on-taiwan", "csis-excursion"),
    "Japan basing rights: Japan neutral": ("csis-japan-neutral", "csis-excursion"),
    "JSDF entry: JSDF fights from D-Day": ("csis-jsdf-dday", "csis-excursion"),
    "JSDF operations: defensive only": ("csis-jsdf-defensive", "csis-excursion"),
    "Philippines: allows US basing": ("csis-philippine-basing", "csis-excursion"),
    "Opportunistic aggression: US holdout for a simultaneous crisis": ("csis-us-distracted",
                                                                       "csis-excursion"),
    "China missiles (a): +50% IRBM and boost-glide": ("csis-more-irbm", "csis-excursion"),
    "China missiles (b): -25% MRBM/IRBM": ("csis-missile-holdout", "csis-excursion"),
    "Taiwan OOB: no ground-launched Harpoons": ("csis-no-ground-harpoons", "csis-excursion"),
    "US OOB: two fewer SSN squadrons (8 boats)": ("csis-fewer-ssns", "csis-excursion"),
    "US mobilisation (a): mobilises only on D-Day": ("csis-us-distracted", "csis-excursion"),
    "US mobilisation (b): no show of force": ("csis-no-show-of-force", "csis-excursion"),
    "US strikes on mainland: forbidden by president": ("csis-no-mainland-strikes",
                                                      "csis-excursion"),
    "PLA amphibious competence: -30% lift (Falklands)": ("csis-amphib-falklands",
                                                        "csis-excursion"),
    "Taiwan ground competence: active 75%, reserves 38%": ("csis-taiwan-weak-ground",
                                                          "csis-excursion"),
    "PLAAF competence: US air-to-air lethality +30%": ("csis-us-air-superiority",
                                                      "csis-excursion"),
    "JASSM-ER vs ships: no maritime-strike JASSM": ("csis-no-maritime-jassm", "csis-excursion"),
    "Ship defences: poor, 25% of missiles hit (both sides)": ("csis-poor-ship-defences",
                                                             "csis-excursion"),
    "5th-gen aircraft: J-20 degraded to 4.5 gen": ("csis-j20-degraded", "csis-excursion"),
    "HAS in Japan: +400 HAS": ("csis-more-has", "csis-excursion"),
    "Civilian airports in Japan: large airports usable": ("csis-civil-airports",
                                                          "csis-excursion"),
}

# Overlays whose resolved scenario is, on purpose, identical to csis-base in a run.
NO_OP_OVERLAYS = {"csis-no-mainland-strikes"}  # the base already forbids mainland strikes

BASE_IDS = {"okinawa", "kyushu", "honshu", "nansei", "guam", "wake", "alaska_hawaii",
            "north_australia", "stirling", "north_luzon", "central_philippines", "korea",
            "taiwan_airbases", "mainland"}

JOIN_CLASSES = {"fighter_5gen", "fighter_4gen", "bomber", "tanker", "mpa",
                "surface_combatant", "ssk", "ssn", "type12", "tomahawk", "shore_asm"}

NAMES = registry.bundled_names()


@functools.cache
def scenario(name: str) -> Scenario:
    return load_scenario(name)


def raw_file(name: str) -> dict[str, Any]:
    return yaml.safe_load(registry.bundled_path(name).read_text(encoding="utf-8"))


def _identity(s: Scenario) -> dict[str, Any]:
    d = s.model_dump(mode="json")
    for k in ("name", "title", "description", "family"):
        d.pop(k)
    return d


# --------------------------------------------------------------------- (a) loading


def test_there_are_bundled_scenarios() -> None:
    assert BASE in NAMES
    assert "ft-2025-ambiguity" in NAMES
    assert len(NAMES) >= 29


@pytest.mark.parametrize("name", NAMES)
def test_bundled_scenario_loads_and_validates(name: str) -> None:
    s = scenario(name)
    assert isinstance(s, Scenario)
    assert s.name == name, "the 'name' key must equal the file stem"
    assert s.title and s.description
    assert set(s.allies) == set(ALLIES)
    assert set(s.forces) == set(Actor)


@pytest.mark.parametrize("name", [n for n in NAMES if n != BASE])
def test_overlays_extend_the_base_and_change_something(name: str) -> None:
    raw = raw_file(name)
    assert raw.get("extends") == BASE
    assert raw.get("changes"), f"{name}: an overlay states its changes"
    assert set(raw) <= {"name", "title", "description", "family", "extends", "changes",
                        "analysis"}  # analysis: decision options for strait voi
    if name not in NO_OP_OVERLAYS:
        assert _identity(scenario(name)) != _identity(scenario(BASE)), (
            f"{name}: resolves to the same scenario as {BASE}")


def test_base_includes_the_whole_library() -> None:
    raw = raw_file(BASE)
    assert raw["include"] == ["sources", "ladders", "bases-2026", "forces-2026",
                              "doctrine-2026", "parameters-2026"]


# ------------------------------------------------------------------- (b) provenance


@pytest.mark.parametrize("name", NAMES)
def test_every_number_has_a_source_or_an_assumption(name: str) -> None:
    unsourced = [path for path, p in scenario(name).iter_params()
                 if p.provenance == "unsourced"]
    assert unsourced == [], f"{name}: numbers without source or assumption: {unsourced[:10]}"


@pytest.mark.parametrize("name", NAMES)
def test_every_assumption_and_citation_says_something(name: str) -> None:
    for path, p in scenario(name).iter_params():
        if p.provenance == "assumption":
            assert len(p.assumption.strip()) >= 15, f"{name}: {path}: rationale too short"
        else:
            assert p.at and p.at.strip(), f"{name}: {path}: a source needs 'at' (page/table)"


@pytest.mark.parametrize("name", NAMES)
def test_every_ladder_rung_has_a_source_or_an_assumption(name: str) -> None:
    s = scenario(name)
    for ally, cfg in s.allies.items():
        assert set(cfg.ladder) == set(RoleLevel)
        for lv, rung in cfg.ladder.items():
            where = f"{name}: allies.{ally.value}.ladder.{lv.name}"
            assert rung.source or rung.assumption, f"{where}: no source or assumption"
            if rung.source:
                assert rung.source in s.sources, f"{where}: unknown source {rung.source!r}"
                assert rung.at, f"{where}: a source needs 'at'"
            assert rung.summary.strip() and rung.legal_hook.strip()


# ----------------------------------------------------- (c) CSIS families and excursions


@pytest.mark.parametrize(("excursion", "expected"), list(CSIS_OVERLAYS.items()))
def test_every_csis_excursion_has_an_overlay(excursion: str,
                                             expected: tuple[str, str]) -> None:
    name, family = expected
    assert name in NAMES, f"CSIS '{excursion}': no bundled overlay '{name}'"
    s = scenario(name)
    assert s.family == family, f"{name}: family {s.family!r}, expected {family!r}"
    assert re.search(r"\bp\.\s?\d|Tbl|App A", s.description), (
        f"{name}: the description should cite the CSIS page, table or iteration")


def test_every_csis_overlay_is_on_the_list() -> None:
    listed = {n for n, _ in CSIS_OVERLAYS.values()}
    bundled = {n for n in NAMES if n.startswith("csis-")}
    assert bundled == listed


# -------------------------------------------------------------------- (d) sources


@pytest.mark.parametrize("name", NAMES)
def test_sources_have_title_and_url_and_resolve(name: str) -> None:
    s = scenario(name)
    for key, src in s.sources.items():
        assert src.title.strip(), f"sources.{key}: no title"
        assert re.match(r"^https?://\S+$", src.url), f"sources.{key}: bad url {src.url!r}"
    for path, p in s.iter_params():  # the schema checks this too; keep it explicit
        if p.source is not None:
            assert p.source in s.sources, f"{path}: unknown source {p.source!r}"


_MENTION = re.compile(r"\[([a-z][a-z0-9_]*)\]")


def _texts(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in _texts(v)]
    if isinstance(obj, list | tuple):
        return [t for v in obj for t in _texts(v)]
    return []


@pytest.mark.parametrize("name", NAMES)
def test_sources_named_in_text_resolve(name: str) -> None:
    """Rationales, notes and descriptions name sources as [key]; each must exist."""
    s = scenario(name)
    mentioned = {m for t in _texts(s.model_dump(mode="json", exclude={"sources"}))
                 for m in _MENTION.findall(t)}
    assert mentioned - set(s.sources) == set()


def test_library_sources_are_all_cited() -> None:
    """Every entry of library/sources.yaml is cited by a number, a rung or a [key] mention."""
    lib = yaml.safe_load(registry.library_path("sources").read_text(encoding="utf-8"))
    cited: set[str] = set()
    for name in NAMES:
        s = scenario(name)
        cited |= {p.source for _, p in s.iter_params() if p.source}
        cited |= {r.source for a in s.allies.values() for r in a.ladder.values() if r.source}
        cited |= {m for t in _texts(s.model_dump(mode="json", exclude={"sources"}))
                  for m in _MENTION.findall(t)}
    assert set(lib["sources"]) - cited == set()


# ------------------------------------------------------------------- structure


def test_base_groups_are_the_engine_ids() -> None:
    s = scenario(BASE)
    assert set(s.bases) == BASE_IDS
    assert s.bases["stirling"].port and not s.bases["stirling"].airbase
    for b in ("kyushu", "honshu", "guam", "wake"):
        assert s.bases[b].port, b
    assert s.bases["guam"].hardened_shelters.mean() == 0  # CSIS p.126


@pytest.mark.parametrize("name", NAMES)
def test_aircraft_fit_their_bases(name: str) -> None:
    s = scenario(name)
    parked = dict.fromkeys(s.bases, 0.0)
    for actor, fs in s.forces.items():
        if actor == Actor.CHN:  # PLA aircraft are keyed to a theatre, not parked
            continue
        for where in fs.aircraft.values():
            for b, p in where.items():
                parked[b] += p.support()[1]
    for b, n in parked.items():
        cap = s.bases[b].parking_capacity.support()[0]
        assert n <= cap, f"{name}: {n:g} aircraft at {b} exceed its parking ({cap:g})"


def test_ladder_joins_and_bases_are_known() -> None:
    s = scenario(BASE)
    for ally, cfg in s.allies.items():
        for lv, rung in cfg.ladder.items():
            assert set(rung.joins) <= JOIN_CLASSES, (ally, lv)
            if rung.access.value in ("NONE", "EVACUATION"):
                assert not rung.us_bases.combat and not rung.us_bases.noncombat, (ally, lv)
            if rung.access.value == "COMBAT":
                assert rung.us_bases.combat, (ally, lv)
            for b in (*rung.us_bases.combat, *rung.us_bases.noncombat):
                assert s.bases[b].owner == ally, f"{ally.value} {lv.name} opens {b}"


def test_csis_base_roles() -> None:
    s = scenario(BASE)
    roles = {a: s.allies[a].role.level for a in ALLIES}
    assert roles == {Actor.JPN: RoleLevel.ACCESS_COMBAT, Actor.AUS: RoleLevel.ACCESS_COMBAT,
                     Actor.PHL: RoleLevel.NEUTRAL, Actor.KOR: RoleLevel.ACCESS_NONCOMBAT}
    (rule,) = s.allies[Actor.JPN].escalation
    assert (rule.trigger, rule.to_at_least, rule.probability.value) == (
        "territory_struck", RoleLevel.FULL_COMBAT, 1.0)
    kor = s.allies[Actor.KOR].ladder[RoleLevel.ACCESS_NONCOMBAT]
    assert kor.us_forces_released.value == 0.5  # 2 of 4 USFK squadrons, CSIS p.61
    assert s.forces[Actor.USA].aircraft["fighter_4gen"]["korea"].value == 96


def test_ambiguity_priors_are_assumptions() -> None:
    s = scenario("ft-2025-ambiguity")
    for ally in (Actor.JPN, Actor.AUS):
        role = s.allies[ally].role
        assert role.level is None and role.prior is not None
        assert len(role.prior) >= 4
        assert all(p.provenance == "assumption" for p in role.prior.values())
        assert abs(role.probabilities().sum() - 1.0) < 1e-9
    triggers = {r.trigger for r in s.allies[Actor.JPN].escalation}
    assert triggers == {"territory_struck", "per_turn"}
    assert {"ft2025", "conroy2025", "takaichi2025"} <= set(s.sources)


# ------------------------------------------------------------------ (e) spot checks


def test_csis_spot_checks() -> None:
    s = scenario(BASE)
    chn, usa, twn = s.forces[Actor.CHN], s.forces[Actor.USA], s.forces[Actor.TWN]
    assert sum(p.value for p in chn.lift.values()) == 96  # CSIS p.108
    assert {k.value: p.value for k, p in chn.lift.items()} == {
        "lhd_lpd": 18, "lst": 28, "lsm": 20, "roro": 30}
    assert usa.munitions["lrasm"].value == 450  # CSIS p.78
    assert usa.munitions["jassm_ms"].value == 3650  # CSIS p.78
    assert usa.ships["carrier"].value == 2  # CSIS p.69, p.88
    assert twn.ships["surface_combatant"].value == 26  # CSIS p.123
    assert twn.ships["ssk"].value == 4
    assert twn.aircraft["fighter_4gen"]["taiwan_airbases"].value == 474
    assert twn.munitions["harpoon_shore"].value == 400  # CSIS Tbl 2
    assert s.bases["taiwan_airbases"].hardened_shelters.value == 75  # CSIS fn 119
    assert s.bases["guam"].distance_km.value == 2800  # CSIS p.126
    for p in (chn.lift["lst"], usa.munitions["lrasm"], twn.ships["surface_combatant"]):
        assert p.source == "csis2023" and p.at


def test_excursion_spot_checks() -> None:
    def f(name: str) -> Scenario:
        return scenario(name)

    assert f("csis-taiwan-alone").doctrine.usa.intervenes is False
    assert f("csis-taiwan-alone").campaign.horizon_turns == 30
    assert f("csis-ragnarok").allies[Actor.JPN].role.level == RoleLevel.NEUTRAL
    assert f("csis-ragnarok").doctrine.usa.maritime_strike_jassm is False
    assert f("csis-jsdf-dday").allies[Actor.JPN].role.level == RoleLevel.FULL_COMBAT
    defensive = f("csis-jsdf-defensive").allies[Actor.JPN].escalation
    assert max(r.to_at_least for r in defensive) == RoleLevel.DEFENSIVE_COMBAT
    assert f("csis-us-delayed-entry").doctrine.usa.entry_turn == 2
    assert f("csis-us-bombers-delayed").doctrine.usa.bomber_delay_turns == 1
    assert f("csis-taiwan-paralysed").doctrine.twn.paralysed_turns == 1
    assert f("csis-pessimistic").doctrine.usa.maritime_strike_jassm is False
    base_ssn = f(BASE).forces[Actor.USA].ships["ssn"].mean()
    assert base_ssn - f("csis-fewer-ssns").forces[Actor.USA].ships["ssn"].mean() == (
        pytest.approx(8, abs=0.5))
    mlr = f("csis-mlr-on-taiwan").forces[Actor.TWN]
    assert mlr.munitions["harpoon_shore"].value == 400 + 72  # CSIS p.129-131
    lift = f("csis-amphib-falklands").parameters.lift["offload_efficiency"]
    assert lift.value == 0.7
    base_has = sum(b.hardened_shelters.mean() for b in f(BASE).bases.values())
    more_has = sum(b.hardened_shelters.mean() for b in f("csis-more-has").bases.values())
    assert more_has - base_has == pytest.approx(400, abs=1)
    base_irbm = f(BASE).forces[Actor.CHN].munitions["irbm"].mean()
    assert f("csis-more-irbm").forces[Actor.CHN].munitions["irbm"].mean() == (
        pytest.approx(1.5 * base_irbm))
    assert f("csis-missile-holdout").forces[Actor.CHN].munitions["mrbm"].value == 975
    opt = f("csis-optimistic")
    assert opt.allies[Actor.JPN].role.level == RoleLevel.FULL_COMBAT
    assert opt.parameters.antiship["p_hit_subsonic"].value == 0.25
    assert opt.parameters.air["coalition_lethality"].value == 1.3


def test_civil_airports_add_ramps_to_the_calibrated_base() -> None:
    """The excursion restates absolute numbers: they must exceed the base they extend (a
    stale copy once shrank Honshu's ramps below the calibrated base)."""
    base, civil = scenario("csis-base"), scenario("csis-civil-airports")
    for b in ("kyushu", "honshu"):
        for field in ("parking_capacity", "runways"):
            assert (getattr(civil.bases[b], field).mean()
                    > getattr(base.bases[b], field).mean()), (b, field)
