"""The docs: generated pages up to date, tutorials executable, links alive."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from strait.cli import app
from strait.docsgen import build_docs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def blocks(page: Path) -> list[tuple[str, str]]:
    """(language, code) of every fenced block, in order."""
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(page.read_text(encoding="utf-8"))]


# --------------------------------------------------------------- generated pages


@pytest.mark.parametrize("name", ["scenario.md", "scenarios.md", "cli.md", "results.md"])
def test_generated_reference_is_up_to_date(tmp_path, name):
    build_docs(tmp_path, cli=app)
    fresh = (tmp_path / "docs" / "reference" / name).read_text(encoding="utf-8")
    committed = DOCS / "reference" / name
    assert committed.exists(), f"docs/reference/{name} is missing: run `make docs`"
    assert committed.read_text(encoding="utf-8") == fresh, (
        f"docs/reference/{name} is out of date with the code: run `make docs` "
        "(strait docs build) and commit the result"
    )


def test_scenario_reference_covers_every_model_field():
    from pydantic import BaseModel

    from strait.scenario import models

    text = (DOCS / "reference" / "scenario.md").read_text(encoding="utf-8")
    for obj in vars(models).values():
        if not (isinstance(obj, type) and issubclass(obj, BaseModel)):
            continue
        if obj.__module__ == models.__name__ and not obj.__name__.startswith("_"):
            assert f"### {obj.__name__}" in text, obj.__name__
            for name, f in obj.model_fields.items():
                assert f"| `{f.alias or name}` |" in text, f"{obj.__name__}.{name}"


# --------------------------------------------------------------- executable pages


def _pages(folder: str) -> list[Path]:
    return sorted((DOCS / folder).glob("*.md"))


def run_page(page: Path, *, console: bool) -> int:
    """Execute the page's ```python blocks in order in one namespace; with ``console``,
    also run its ```console ``$ strait ...`` lines (exit code 0 expected). Returns the
    number of blocks run."""
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    runner = CliRunner()
    ran = 0
    for i, (lang, code) in enumerate(blocks(page)):
        if lang == "python":
            exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)
            ran += 1
        elif lang == "console" and console:
            for line in code.splitlines():
                if not line.startswith("$ strait "):
                    continue
                cmd = line[2:].split(" | ")[0]
                args = shlex.split(cmd)[1:]
                result = runner.invoke(app, args)
                assert result.exit_code == 0, f"{page.name}: `{cmd}` failed:\n{result.output}"
                ran += 1
    return ran


@pytest.mark.parametrize("page", _pages("tutorial"), ids=lambda p: p.name)
def test_tutorial_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_page(page, console=True) > 0, f"{page.name} has no executable blocks"


@pytest.mark.parametrize("page", _pages("how-to"), ids=lambda p: p.name)
def test_how_to_python_blocks_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_page(page, console=False)


def test_readme_python_snippets_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_page(ROOT / "README.md", console=False)


# --------------------------------------------------------------- links


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        assert (page.parent / path).exists(), f"{page.name}: broken link {target}"


def test_diataxis_layout():
    for part in ("index.md", "tutorial/first-scenario.md", "how-to/write-an-overlay.md",
                 "how-to/cite-a-number.md", "explanation/role-ladders.md",
                 "explanation/scenarios.md", "reference/scenario.md"):
        assert (DOCS / part).exists(), part
