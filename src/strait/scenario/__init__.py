"""Scenario schema and loading: YAML files and overlays -> a frozen :class:`Scenario`."""
from strait.scenario.models import (
    ALLIES,
    Access,
    Actor,
    Param,
    Participation,
    RoleLevel,
    Scenario,
)

__all__ = ["ALLIES", "Access", "Actor", "Param", "Participation", "RoleLevel", "Scenario"]
