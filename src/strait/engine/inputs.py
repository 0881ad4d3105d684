"""Which scenario fields the engine reads: a recording view of a scenario.

The engine compiles a scenario through :func:`track`, a read-only view that notes the
dotted path of every field it touches (``bases.okinawa.interceptors``,
``doctrine.usa.strike_mainland``, ``allies.JPN.ladder.FULL_COMBAT.joins``); the per-lane
parameters note the catalogue parameters the phases read while a campaign is played.
:func:`scenario_leaves` lists the fields a scenario sets, so the difference is the list of
inputs that have *no effect* — ``strait scenario validate`` warns about each of them.

>>> from strait.scenario.loader import load_scenario
>>> from strait.engine.compile import compile_structure
>>> struct = compile_structure(load_scenario("csis-base"))
>>> "bases.okinawa.interceptors" in struct.reads.paths
True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any

from pydantic import BaseModel

from strait.scenario.models import Param

# fields that describe rather than parameterise (never "read" by adjudication)
_DESCRIPTIVE = frozenset({"name", "title", "description", "family", "note", "notes", "sources",
                          "extends", "include", "changes", "legal_hook", "source", "summary",
                          "label", "meaning", "hook", "legal", "assumption", "at",
                          "same_as_below",
                          # read by strait voi (decision options, credibility), not the engine
                          "analysis"})


@dataclass
class Reads:
    """Paths the engine read: exact ``paths`` and ``whole`` subtrees (a method was called)."""

    paths: set[str] = field(default_factory=set)
    whole: set[str] = field(default_factory=set)

    def covers(self, leaf: str) -> bool:
        """Whether ``leaf`` (a dotted path) was read, directly or as part of a subtree."""
        if leaf in self.paths:
            return True
        parts = leaf.split(".")
        return any(".".join(parts[:i]) in self.whole for i in range(1, len(parts) + 1))


def _key(k: Any) -> str:
    if isinstance(k, IntEnum):
        return k.name
    if isinstance(k, Enum):
        return str(k.value)
    return str(k)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _wrap(v: Any, path: str, reads: Reads) -> Any:
    if isinstance(v, Param):
        reads.paths.add(path)
        return v
    if isinstance(v, BaseModel):
        return _Tracked(v, path, reads)
    if isinstance(v, dict):
        return _TrackedDict(v, path, reads)
    reads.paths.add(path)
    return v


class _Tracked:
    """Attribute access on a pydantic model, noting each path read."""

    __slots__ = ("_obj", "_path", "_reads")
    _obj: BaseModel
    _path: str
    _reads: Reads

    def __init__(self, obj: BaseModel, path: str, reads: Reads) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str) -> Any:
        v = getattr(self._obj, name)
        if callable(v) and not isinstance(v, BaseModel | dict):
            self._reads.whole.add(self._path)  # a method reads the whole object
            return v
        return _wrap(v, _join(self._path, name), self._reads)

    def __eq__(self, other: object) -> bool:
        return self._obj == (other._obj if isinstance(other, _Tracked) else other)

    def __hash__(self) -> int:
        return hash(self._obj)


class _TrackedDict:
    """Key access on a dict inside a scenario, noting each path read."""

    __slots__ = ("_d", "_path", "_reads")

    def __init__(self, d: dict[Any, Any], path: str, reads: Reads) -> None:
        self._d = d
        self._path = path
        self._reads = reads

    def _w(self, k: Any, v: Any) -> Any:
        return _wrap(v, _join(self._path, _key(k)), self._reads)

    def __getitem__(self, k: Any) -> Any:
        return self._w(k, self._d[k])

    def get(self, k: Any, default: Any = None) -> Any:
        return self._w(k, self._d[k]) if k in self._d else default

    def items(self) -> Iterator[tuple[Any, Any]]:
        return ((k, self._w(k, v)) for k, v in self._d.items())

    def values(self) -> Iterator[Any]:
        return (self._w(k, v) for k, v in self._d.items())

    def keys(self) -> Any:
        return self._d.keys()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._d)

    def __contains__(self, k: object) -> bool:
        return k in self._d

    def __len__(self) -> int:
        return len(self._d)

    def __bool__(self) -> bool:
        return bool(self._d)


def track(obj: BaseModel, reads: Reads) -> Any:
    """A read-only view of ``obj`` that notes every field read into ``reads``."""
    return _Tracked(obj, "", reads)


def scenario_leaves(obj: Any, path: str = "") -> Iterator[str]:
    """Dotted paths of every number, switch and list a scenario sets (descriptions excluded).

    Only fields given explicitly (in the file, an included library or an overlay) count:
    a default the scenario never mentions cannot be a dead input.
    """
    if isinstance(obj, Param):
        yield path
    elif isinstance(obj, BaseModel):
        for name in sorted(obj.model_fields_set):
            if name in _DESCRIPTIVE:
                continue
            yield from scenario_leaves(getattr(obj, name), _join(path, name))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from scenario_leaves(v, _join(path, _key(k)))
    elif path:
        yield path


__all__ = ["Reads", "scenario_leaves", "track"]
