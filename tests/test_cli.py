"""The ``strait`` command line: exit codes, key content, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
import typer.main
import yaml
from rich.console import Console
from typer.testing import CliRunner

from strait import __version__
from strait.cli import app
from strait.cli._common import fmt_param, fmt_provenance
from strait.cli.roles import parse_ally
from strait.cli.scenario import (
    fmt_totals,
    source_rows,
    sources_lines,
    sources_markdown,
    sources_table,
)
from strait.errors import ScenarioError
from strait.scenario.models import Actor, Param, Scenario

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def assert_one_line_error(result, *needles: str) -> str:
    """Exit 2, nothing but one ``error: ...`` line on stderr, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.output
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


# ------------------------------------------------------------------ helpers, no data


def tiny_scenario(**extra) -> Scenario:
    data = {
        "name": "tiny",
        "title": "A tiny scenario",
        "sources": {"csis2023": {"title": "The First Battle of the Next War", "url": "https://x"}},
        "bases": {
            "kadena": {
                "name": "Kadena",
                "owner": "JPN",
                "distance_km": {"value": 755, "unit": "km", "assumption": "great-circle"},
                "parking_capacity": {"value": 100, "source": "csis2023", "at": "p.78"},
                "hardened_shelters": 15,
                "runways": {"dist": "pert", "low": 1, "mode": 2, "high": 2, "source": "csis2023"},
                "interceptors": {"dist": "uniform", "low": 10, "high": 30, "assumption": "guess"},
            }
        },
    }
    data.update(extra)
    return Scenario.model_validate(data)


@pytest.mark.parametrize(
    ("param", "text"),
    [
        ({"value": 450}, "450"),
        ({"value": 0.7}, "0.7"),
        ({"dist": "uniform", "low": 1, "high": 2}, "uniform(1, 2)"),
        ({"dist": "pert", "low": 0.6, "mode": 0.7, "high": 0.8}, "pert(0.6, 0.7, 0.8)"),
        ({"dist": "triangular", "low": 0, "mode": 1, "high": 3}, "triangular(0, 1, 3)"),
        ({"dist": "lognormal", "median": 2, "sigma": 0.5}, "lognormal(median=2, sigma=0.5)"),
        ({"dist": "beta", "alpha": 2, "beta": 5}, "beta(2, 5)"),
        ({"dist": "normal", "mean": 3, "sd": 1, "low": 0}, "normal(mean=3, sd=1, low=0, high=-)"),
    ],
)
def test_fmt_param_shows_value_or_distribution(param, text):
    assert fmt_param(Param.model_validate(param)) == text


def test_provenance_and_totals_of_a_scenario():
    s = tiny_scenario()
    prov = {path: fmt_provenance(p, s) for path, p in s.iter_params()}
    assert prov["bases.kadena.parking_capacity"] == "The First Battle of the Next War, p.78"
    assert prov["bases.kadena.distance_km"] == "assumption: great-circle"
    assert prov["bases.kadena.hardened_shelters"] == "UNSOURCED"
    assert fmt_totals(s) == "6 numbers: 2 sourced, 3 assumption, 1 unsourced"  # + a default
    only = source_rows(s, "unsourced")
    assert [r["path"] for r in only] == ["bases.kadena.hardened_shelters"]


def test_sources_plain_lines_are_aligned_and_table_wraps():
    s = tiny_scenario()
    rows = source_rows(s)
    lines = sources_lines(rows)
    assert len(lines) == 6
    col = lines[0].index("755")
    assert all(line[col - 2 : col] == "  " for line in lines)
    console = Console(file=io.StringIO(), force_terminal=True, width=60, color_system=None)
    console.print(sources_table(rows))
    out = console.file.getvalue()
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "UNSOURCED" in out
    md = sources_markdown(rows, fmt_totals(s))
    assert md.splitlines()[0] == "| parameter | value | unit | provenance |"
    assert "[The First Battle of the Next War](https://x), p.78" in md


@pytest.mark.parametrize("text", ["jpn", "JPN", "Japan", "japan", " JAPAN "])
def test_parse_ally_accepts_codes_and_names(text):
    assert parse_ally(text) is Actor.JPN


@pytest.mark.parametrize(("text", "code"), [("korea", "KOR"), ("south-korea", "KOR"),
                                            ("Philippines", "PHL"), ("aus", "AUS")])
def test_parse_ally_accepts_other_allies(text, code):
    assert parse_ally(text).value == code


def test_parse_ally_rejects_with_did_you_mean():
    with pytest.raises(ScenarioError, match=r"did you mean 'JPN'"):
        parse_ally("japn")
    with pytest.raises(ScenarioError, match="allies are JPN, AUS, PHL, KOR"):
        parse_ally("france")


# ------------------------------------------------------------------ help and version


def _all_command_paths() -> list[list[str]]:
    out: list[list[str]] = []

    def walk(cmd, path):
        out.append(path)
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return out


@pytest.mark.parametrize("path", _all_command_paths(), ids=lambda p: " ".join(p) or "strait")
def test_every_command_has_help_with_an_example(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert "Example" in result.output
    assert "strait " in result.output.split("Example", 1)[1]


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"strait {__version__}"


def test_no_arguments_prints_help():
    result = invoke()
    assert "Usage:" in result.output
    assert "scenario" in result.output


# ------------------------------------------------------------- errors (one line, 2)


def test_unknown_scenario_name_is_one_line_with_did_you_mean():
    assert_one_line_error(invoke("scenario", "show", "csis-bse"), "csis-bse", "did you mean")


def test_unknown_scenario_in_sources_and_roles():
    assert_one_line_error(invoke("scenario", "sources", "no-such-scenario"), "no-such-scenario")
    assert_one_line_error(invoke("roles", "JPN", "--scenario", "nope-nope"), "nope-nope")


def test_nonexistent_file_is_one_line(tmp_path):
    missing = tmp_path / "missing.yaml"
    assert_one_line_error(invoke("scenario", "show", str(missing)), "missing.yaml")
    line = assert_one_line_error(invoke("scenario", "validate", str(missing)))
    assert "missing.yaml" in line


def test_malformed_yaml_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ntitle: [unclosed\n  allies: {\n", encoding="utf-8")
    assert_one_line_error(invoke("scenario", "validate", str(bad)), "bad.yaml")
    assert_one_line_error(invoke("scenario", "show", str(bad)))


def test_schema_error_is_one_line(tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text("name: typo\ntitle: Typo\ncampaign: {horizon_turnz: 3}\n", encoding="utf-8")
    assert_one_line_error(invoke("scenario", "validate", str(bad)), "horizon_turnz")


def test_unknown_ally_is_one_line_with_did_you_mean():
    assert_one_line_error(invoke("roles", "jpan"), "jpan", "did you mean 'JPN'")
    assert_one_line_error(invoke("roles", "atlantis"), "allies are JPN, AUS, PHL, KOR")


def test_interrupt_exits_quietly(monkeypatch):
    import strait.cli._common

    def interrupted(ref):
        raise KeyboardInterrupt

    monkeypatch.setattr(strait.cli._common, "load", interrupted)
    result = invoke("scenario", "sources", "csis-base")
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted"


def test_yaml_and_json_together_is_an_error():
    assert_one_line_error(invoke("scenario", "show", "csis-base", "--yaml", "--json"), "--yaml")


# ------------------------------------------------------------- own files (need loader)


STANDALONE = """\
name: standalone
title: A standalone scenario with one base
sources:
  csis2023:
    title: "The First Battle of the Next War: Wargaming a Chinese Invasion of Taiwan"
    url: https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan
campaign: {turn_days: 3.5, horizon_turns: 4}
bases:
  guam:
    name: Andersen and Apra
    owner: USA
    distance_km: {value: 2750, unit: km, assumption: great-circle distance}
    parking_capacity: {value: 150, source: csis2023, at: p.78}
    hardened_shelters: {value: 0, source: csis2023, at: p.78}
    runways: {value: 2, source: csis2023, at: p.78}
    interceptors: 48
"""


def test_validate_standalone_file_counts_and_strict(tmp_path):
    f = tmp_path / "standalone.yaml"
    f.write_text(STANDALONE, encoding="utf-8")
    ok = invoke("scenario", "validate", str(f))
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("OK ")
    assert "6 numbers (3 sourced, 2 assumption, 1 unsourced)" in ok.stdout
    strict = invoke("scenario", "validate", "--strict", str(f))
    assert_one_line_error(strict, "unsourced", "bases.guam.interceptors")


def test_validate_many_files_reports_each_and_fails_if_any_fails(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(STANDALONE, encoding="utf-8")
    result = invoke("scenario", "validate", str(good), str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stdout.count("OK ") == 1
    assert result.stderr.count("error: ") == 1


def test_sources_of_a_file_in_every_format(tmp_path):
    f = tmp_path / "standalone.yaml"
    f.write_text(STANDALONE, encoding="utf-8")
    plain = invoke("scenario", "sources", str(f))
    assert plain.exit_code == 0, plain.output
    lines = plain.stdout.strip().splitlines()
    assert lines[-1] == "6 numbers: 3 sourced, 2 assumption, 1 unsourced"
    assert any(line.endswith("UNSOURCED") for line in lines)
    as_csv = invoke("scenario", "sources", str(f), "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(rows) == 6 and rows[0].keys() >= {"path", "value", "unit", "provenance"}
    doc = json.loads(invoke("scenario", "sources", str(f), "--format", "json").stdout)
    assert doc["totals"] == {"numbers": 6, "sourced": 3, "assumption": 2, "unsourced": 1}
    md = invoke("scenario", "sources", str(f), "--format", "markdown").stdout
    assert md.startswith("| parameter |")
    only = invoke("scenario", "sources", str(f), "--only", "assumption").stdout.strip().splitlines()
    assert len(only) == 3 and "assumption: great-circle distance" in only[0]
    assert only[-1].startswith("6 numbers:")


def test_show_of_a_file(tmp_path):
    f = tmp_path / "standalone.yaml"
    f.write_text(STANDALONE, encoding="utf-8")
    result = invoke("scenario", "show", str(f))
    assert result.exit_code == 0, result.output
    for needle in ("standalone", "campaign clock: 4 turns of 3.5 days", "guam", "Parameters"):
        assert needle in result.stdout
    raw = yaml.safe_load(invoke("scenario", "show", str(f), "--yaml").stdout)
    assert raw["name"] == "standalone"
    model = json.loads(invoke("scenario", "show", str(f), "--json").stdout)
    assert model["bases"]["guam"]["parking_capacity"]["value"] == 150


# ------------------------------------------------------------- bundled data


def test_scenario_list_shows_bundled_scenarios():
    result = invoke("scenario", "list")
    assert result.exit_code == 0, result.output
    assert "csis-base" in result.stdout
    assert "ft-2025-ambiguity" in result.stdout


@pytest.mark.parametrize("name", ["csis-base", "ft-2025-ambiguity"])
def test_show_bundled_scenario(name):
    result = invoke("scenario", "show", name)
    assert result.exit_code == 0, result.output
    for needle in (name, "Allies", "JPN", "role:", "Doctrine", "Bases", "Forces", "Parameters"):
        assert needle in result.stdout, needle
    raw = yaml.safe_load(invoke("scenario", "show", name, "--yaml").stdout)
    assert raw["name"] == name
    model = json.loads(invoke("scenario", "show", name, "--json").stdout)
    assert model["name"] == name


def test_show_json_loads_back_as_the_same_scenario():
    from strait.scenario import load_scenario, load_scenario_text

    text = invoke("scenario", "show", "ft-2025-ambiguity", "--json").stdout
    assert '"ACCESS_COMBAT"' in text  # role levels by name, not number
    again = load_scenario_text(text, filename="dump.json")
    assert again == load_scenario("ft-2025-ambiguity")


def test_show_overlay_names_what_it_extends():
    result = invoke("scenario", "show", "ft-2025-ambiguity")
    assert "extends: -" not in result.stdout


@pytest.mark.parametrize("name", ["csis-base", "ft-2025-ambiguity"])
def test_bundled_scenarios_have_every_number_cited(name):
    result = invoke("scenario", "sources", name)
    assert result.exit_code == 0, result.output
    totals = result.stdout.strip().splitlines()[-1]
    assert totals.endswith(" 0 unsourced"), totals
    assert int(totals.split()[0]) > 50
    assert invoke("scenario", "sources", name, "--only", "unsourced").stdout.strip() == totals


def test_roles_jpn_shows_ladder_and_legal_hooks():
    result = invoke("roles", "JPN")
    assert result.exit_code == 0, result.output
    out = result.stdout
    low = out.lower()
    assert "prior consultation" in low or "survival-threatening" in low
    for level in ("NEUTRAL", "DIPLOMATIC", "ACCESS_NONCOMBAT", "ACCESS_COMBAT",
                  "LOGISTICS_ISR", "DEFENSIVE_COMBAT", "FULL_COMBAT"):
        assert level in out
    assert "legal hook:" in out and "source:" in out
    assert invoke("roles", "japan").stdout == out


def test_roles_without_ally_shows_all_four():
    result = invoke("roles")
    assert result.exit_code == 0, result.output
    for name in ("Japan (JPN)", "Australia (AUS)", "Philippines (PHL)", "Republic of Korea (KOR)"):
        assert name in result.stdout


def test_roles_korea_shows_released_share():
    result = invoke("roles", "kor", "--scenario", "ft-2025-ambiguity")
    assert result.exit_code == 0, result.output
    assert "released for Taiwan" in result.stdout


def test_validate_overlay_file_on_bundled_base(tmp_path):
    overlay = tmp_path / "japan-neutral.yaml"
    overlay.write_text(
        textwrap.dedent(
            """\
            name: japan-neutral
            title: CSIS base case, Japan neutral
            extends: csis-base
            changes:
              allies.JPN.role: {level: NEUTRAL}
            """
        ),
        encoding="utf-8",
    )
    result = invoke("scenario", "validate", str(overlay))
    assert result.exit_code == 0, result.output
    assert "japan-neutral" in result.stdout and " 0 unsourced" in result.stdout
    shown = invoke("scenario", "show", str(overlay))
    assert "extends: csis-base" in shown.stdout
    assert "NEUTRAL (certain)" in shown.stdout


def test_docs_build_writes_reference_pages(tmp_path):
    result = invoke("docs", "build", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (Path(tmp_path) / "docs" / "reference").iterdir())
    assert names == ["cli.md", "results.md", "scenario.md", "scenarios.md"]


def test_validate_warns_about_inputs_with_no_effect(tmp_path):
    overlay = tmp_path / "us-stays-out.yaml"
    overlay.write_text(
        textwrap.dedent(
            """\
            name: us-stays-out
            title: The US stays out, but its follow-on fleet is given
            extends: csis-base
            changes:
              doctrine.usa.intervenes: false
              parameters.antiship.us_surge_carriers: {value: 3, assumption: test}
            """
        ),
        encoding="utf-8",
    )
    result = invoke("scenario", "validate", str(overlay))
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert any("parameters.antiship.us_surge_carriers has no effect" in w for w in warnings)
    assert not any("doctrine.usa.intervenes" in w for w in warnings)
    quiet = invoke("scenario", "validate", "--no-effects", str(overlay))
    assert "warning:" not in quiet.stderr
    dispersed = invoke("scenario", "validate", "us-dispersed-basing")
    assert "warning:" not in dispersed.stderr, dispersed.stderr


def _verbs():
    import typer

    root = typer.main.get_command(app)

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                yield from walk(sub, [*path, name])
        else:
            yield path

    return list(walk(root, []))


@pytest.mark.parametrize("verb", _verbs(), ids=lambda v: " ".join(v))
def test_every_verb_help_shows_an_example(verb):
    result = runner.invoke(app, [*verb, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "example" in result.stdout.lower(), " ".join(verb)


def test_validate_counts_fields_read_under_a_declared_decision() -> None:
    # the dispersal factors are read only under dispersed basing: csis-base warns about
    # them, ft-2025-ambiguity declares dispersed basing as a decision option and does not
    base = invoke("scenario", "validate", "csis-base")
    assert base.exit_code == 0, base.output
    assert "dispersal_sortie_factor has no effect" in base.stderr
    amb = invoke("scenario", "validate", "ft-2025-ambiguity")
    assert amb.exit_code == 0, amb.output
    assert "has no effect" not in amb.stderr
