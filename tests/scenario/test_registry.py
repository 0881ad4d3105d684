"""Registry tests: listing, lookups with did-you-mean, and the real bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

from strait.errors import ScenarioError
from strait.scenario import ScenarioInfo, list_scenarios, load_scenario, registry

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "SCENARIO_DIR", FIXTURES / "scenarios")
    monkeypatch.setattr(registry, "LIBRARY_DIR", FIXTURES / "library")


def test_list_scenarios_reads_top_keys_sorted(fixture_dirs: None) -> None:
    infos = list_scenarios()
    assert [i.name for i in infos] == ["mini-base", "mini-japan-neutral",
                                       "mini-japan-neutral-long"]
    base, neutral, long_ = infos
    assert base == ScenarioInfo("mini-base", "Mini base case", "base", None,
                                FIXTURES / "scenarios" / "mini-base.yaml")
    assert (neutral.family, neutral.extends) == ("excursion", "mini-base")
    assert long_.title == "Mini, Japan neutral, long war" and long_.family is None


def test_list_scenarios_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "SCENARIO_DIR", tmp_path / "missing")
    assert list_scenarios() == []


def test_list_scenarios_title_defaults_and_bad_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "SCENARIO_DIR", tmp_path)
    (tmp_path / "plain.yaml").write_text("name: plain\nbases: {a: {name: A}}\n")
    assert list_scenarios()[0].title == "plain"
    (tmp_path / "broken.yaml").write_text("name: broken\ntitle: [oops\n")
    with pytest.raises(ScenarioError, match=r"broken\.yaml:3: YAML syntax"):
        list_scenarios()


def test_bundled_path_and_did_you_mean(fixture_dirs: None) -> None:
    assert registry.bundled_path("mini-base") == FIXTURES / "scenarios" / "mini-base.yaml"
    assert registry.bundled_path("mini-base.yaml").name == "mini-base.yaml"
    with pytest.raises(ScenarioError) as info:
        registry.bundled_path("mini-bse")
    assert str(info.value) == ("unknown scenario 'mini-bse' (did you mean 'mini-base'?); "
                               "`strait scenario list` shows all")
    with pytest.raises(ScenarioError) as info:
        registry.bundled_path("zzz")
    assert str(info.value) == "unknown scenario 'zzz'; `strait scenario list` shows all"


def test_library_path_and_did_you_mean(fixture_dirs: None) -> None:
    assert registry.library_path("sources").name == "sources.yaml"
    with pytest.raises(ScenarioError, match=r"unknown library fragment 'ladder-jp' "
                                            r"\(did you mean 'ladder-jpn'\?\)"):
        registry.library_path("ladder-jp")
    assert registry.library_names() == ["bases", "ladder-jpn", "sources"]


def test_name_lookup_tolerates_case_in_suggestions(fixture_dirs: None) -> None:
    with pytest.raises(ScenarioError, match="did you mean 'mini-base'"):
        registry.bundled_path("MINI-BASE")


# ------------------------------------------------------------------ real bundled data

BUNDLED = registry.bundled_names()


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenario_loads_and_is_named_after_its_file(name: str) -> None:
    info = {i.name: i for i in list_scenarios()}[name]
    scenario = load_scenario(name)
    assert scenario.name == name == info.path.stem
    assert info.title == scenario.title or info.extends is not None


@pytest.mark.parametrize("name", registry.library_names())
def test_library_fragment_parses(name: str) -> None:
    from strait.scenario.loader import load_raw_text

    path = registry.library_path(name)
    raw = load_raw_text(path.read_text(encoding="utf-8"), filename=str(path),
                        base_dir=path.parent)
    assert isinstance(raw, dict) and raw
