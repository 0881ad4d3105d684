"""Every model module and public function carries a worked example with its source.

The examples themselves run with the rest of ``src/strait``'s doctests (``--doctest-modules``
in ``pyproject.toml``); here we check that they exist.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["salvo", "lanchester", "interception", "airbase", "sorties", "submarine"]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_examples(name: str) -> None:
    module = importlib.import_module(f"strait.models.{name}")
    examples = sum(len(t.examples) for t in doctest.DocTestFinder().find(module))
    assert examples > 0, f"{name} has no doctest examples"


def test_doctests_run_over_every_module() -> None:
    import tomllib
    from pathlib import Path

    cfg = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    opts = cfg["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in opts["addopts"].split()
    assert "src/strait" in opts["testpaths"]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_documents_equation_source_example(name: str) -> None:
    module = importlib.import_module(f"strait.models.{name}")
    for fname in module.__all__:
        doc = getattr(module, fname).__doc__ or ""
        assert "http" in doc, f"{name}.{fname}: no source URL"
        assert ">>>" in doc, f"{name}.{fname}: no example"


def test_package_reexports_everything() -> None:
    import strait.models as models

    for name in MODULES:
        module = importlib.import_module(f"strait.models.{name}")
        for fname in module.__all__:
            assert getattr(models, fname) is getattr(module, fname)
            assert fname in models.__all__
