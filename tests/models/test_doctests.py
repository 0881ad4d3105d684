"""The worked examples in every model docstring are executed and must hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["salvo", "lanchester", "interception", "airbase", "sorties", "submarine"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"strait.models.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no doctest examples"
    assert result.failed == 0


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
