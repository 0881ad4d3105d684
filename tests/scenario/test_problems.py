"""The scenario models' own checks raise stable error types with structured context.

The loader builds its one-line messages from ``type``, ``loc`` and ``ctx`` alone; these
tests pin the types and context fields, and the located messages built from them.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from strait.errors import ScenarioError
from strait.scenario._problems import KINDS
from strait.scenario.loader import load_scenario_text
from strait.scenario.models import Param, RoleSpec


def first_error(model: Any, data: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value.errors(include_url=False)[0]


@pytest.mark.parametrize(("data", "kind", "found"), [
    ({"value": 1, "dist": "uniform", "low": 0, "high": 2}, "param_value_or_dist", "both"),
    ({"unit": "km"}, "param_value_or_dist", "neither"),
    ({"value": float("inf")}, "param_not_finite", "inf"),
    ({"dist": "pert", "low": 1}, "param_dist_fields", "no mode, high"),
    ({"dist": "uniform", "low": 3, "high": 2}, "param_dist_shape", "low 3 above high 2"),
    ({"dist": "triangular", "low": 1, "mode": 5, "high": 2}, "param_dist_shape", "5"),
    ({"value": 1, "source": "s", "assumption": "a"}, "param_provenance", "both"),
    ({"value": 1, "at": "p.3"}, "param_provenance", "'at' (p.3) without one"),
])
def test_param_checks_raise_typed_problems(data: dict[str, Any], kind: str, found: str) -> None:
    err = first_error(Param, data)
    assert err["type"] == kind and kind in KINDS
    assert err["ctx"]["found"] == found
    assert err["msg"].startswith(f"expected {err['ctx']['expected']}, found {found}")


def test_problem_below_the_object_carries_its_loc() -> None:
    err = first_error(RoleSpec, {"prior": {"NEUTRAL": {"dist": "uniform", "low": 0,
                                                       "high": 1}}})
    assert err["type"] == "prior_not_fixed"
    assert err["ctx"]["loc"] == ("prior", "NEUTRAL")


BASES = """
bases:
  kadena: {name: Kadena, owner: JPN, distance_km: 750, parking_capacity: 200,
           hardened_shelters: 15, runways: 2, interceptors: 64}
"""


@pytest.mark.parametrize(("body", "expected"), [
    ("allies:\n  JPN:\n    ladder: {}\n    role: NEUTRAL\n",
     "x.yaml:8: allies.JPN.ladder: expected a ladder entry for each of the 7 role levels, "
     "found none for NEUTRAL, DIPLOMATIC"),
    ("forces:\n  USA:\n    aircraft:\n      bomber: {kadna: 4}\n",
     "x.yaml:9: forces.USA.aircraft.bomber.kadna: expected a base group defined under "
     "'bases', found 'kadna' (did you mean 'kadena'?); define it under 'bases' or fix "
     "the name"),
    ("parameters:\n  air:\n    coalition_lethalty: 1\n",
     "x.yaml:8: parameters.air.coalition_lethalty: expected a parameter of parameters.air, "
     "found 'coalition_lethalty' (did you mean 'coalition_lethality'?)"),
    ("doctrine:\n  usa:\n    amphibious_priority: {value: 0.5, source: csis2024}\n",
     "x.yaml:8: doctrine.usa.amphibious_priority.source: expected a source defined under "
     "'sources', found 'csis2024'; add it under 'sources'"),
])
def test_located_messages_from_structured_context(body: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text("name: a\ntitle: A\n" + BASES.lstrip("\n") + body,
                           filename="x.yaml")
    assert str(info.value).startswith(expected), str(info.value)
