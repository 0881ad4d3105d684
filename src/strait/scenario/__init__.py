"""Scenario schema and loading: YAML files and overlays -> a frozen :class:`Scenario`.

Example:
    >>> from strait.scenario import load_scenario_text
    >>> load_scenario_text("name: demo\\ntitle: Demo\\n").title
    'Demo'
"""

from strait.scenario.loader import (
    load_raw,
    load_scenario,
    load_scenario_text,
    parse_set,
    scenario_hash,
)
from strait.scenario.models import (
    ALLIES,
    Access,
    Actor,
    Param,
    Participation,
    RoleLevel,
    Scenario,
)
from strait.scenario.registry import ScenarioInfo, list_scenarios

__all__ = [
    "ALLIES",
    "Access",
    "Actor",
    "Param",
    "Participation",
    "RoleLevel",
    "Scenario",
    "ScenarioInfo",
    "list_scenarios",
    "load_raw",
    "load_scenario",
    "load_scenario_text",
    "parse_set",
    "scenario_hash",
]
