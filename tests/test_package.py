"""The package surface: public API exported, import cheap and free of side effects."""

from __future__ import annotations

import subprocess
import sys

import strait


def test_public_api_is_exported() -> None:
    for name in strait.__all__:
        assert getattr(strait, name) is not None
    assert callable(strait.run) and callable(strait.load_scenario)


def test_import_does_not_load_the_engine() -> None:
    code = ("import sys, strait; "
            "heavy = [m for m in ('numba', 'pandas', 'strait.engine') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_unknown_attribute_is_an_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError):
        _ = strait.no_such_thing
