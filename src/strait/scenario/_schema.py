"""Following a path through raw scenario data and the schema that will validate it.

Given a pydantic error location or a ``changes`` path, :func:`_locate` walks the raw
(unvalidated) data and its origins to find the value, the file and line it came from,
and the schema type expected there. Keys match leniently, the way validation does
(``jpn`` finds ``JPN``, ``3`` or ``access_combat`` finds ``ACCESS_COMBAT``).

Example:
    >>> from strait.scenario._origin import _Origin
    >>> org = _Origin("s.yaml", 1, {"campaign": _Origin("s.yaml", 2)})
    >>> at = _locate({"campaign": {"turn_days": 2}}, org, ("campaign", "turn_days"))
    >>> at.parts, at.origin.line, at.value, at.schema
    (['campaign', 'turn_days'], 2, 2, <class 'float'>)
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from strait.scenario._origin import _Origin
from strait.scenario.models import RoleLevel, Scenario


def _unwrap(t: Any) -> Any:
    while True:
        o = get_origin(t)
        if o is Annotated:
            t = get_args(t)[0]
        elif o in (Union, types.UnionType):
            args = [a for a in get_args(t) if a is not type(None)]
            if len(args) != 1:
                return t
            t = args[0]
        else:
            return t


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _model_keys(t: Any) -> list[str]:
    t = _unwrap(t)
    if not _is_model(t):
        return []
    return [f.alias or name for name, f in t.model_fields.items()]


def _child_type(t: Any, key: Any) -> Any:
    """Schema type of ``key`` inside a value of type ``t`` (None: unknown)."""
    t = _unwrap(t)
    if t is None:
        return None
    if _is_model(t):
        for name, f in t.model_fields.items():
            if key in (name, f.alias):
                return f.annotation
        return None
    o = get_origin(t)
    if o is dict:
        return get_args(t)[1]
    if o in (tuple, list):
        args = get_args(t)
        return args[0] if args else None
    return None


def _key_type(t: Any) -> Any:
    t = _unwrap(t)
    return get_args(t)[0] if get_origin(t) is dict else None


# ---------------------------------------------------------------- finding keys by path


def _level_of(x: Any) -> RoleLevel | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, int) and 0 <= x < len(RoleLevel):
        return RoleLevel(x)
    if isinstance(x, str) and x.strip().upper() in RoleLevel.__members__:
        return RoleLevel[x.strip().upper()]
    return None


_MISSING = object()


def _match_key(d: Mapping[Any, Any], el: Any) -> Any:
    """The key of ``d`` that ``el`` (a loc element or path segment) refers to."""
    if not isinstance(el, bool):
        try:
            if el in d:
                return el
        except TypeError:
            pass
    s = str(el)
    for k in d:
        if str(k) == s:
            return k
    ci = [k for k in d if isinstance(k, str) and k.strip().upper() == s.upper()]
    if len(ci) == 1:
        return ci[0]
    lv = _level_of(el)
    if lv is not None:
        for k in d:
            if _level_of(k) == lv:
                return k
    return _MISSING


@dataclass
class _Located:
    parts: list[str]  # display path
    origin: _Origin  # origin of the deepest existing value
    value: Any = _MISSING  # the value at the full path (when it exists)
    schema: Any = None  # schema type at the full path (None: unknown)
    parent_schema: Any = None


def _locate(data: Any, org: _Origin, loc: Iterable[Any]) -> _Located:
    """Follow a pydantic ``loc`` (or path segments) through the raw data."""
    cur: Any = data
    o = org
    parts: list[str] = []
    schema: Any = Scenario
    parent: Any = None
    exists = True
    for el in loc:
        if el == "[key]":
            schema = _key_type(parent)
            continue
        if exists and isinstance(cur, dict):
            k = _match_key(cur, el)
            if k is not _MISSING:
                parts.append(str(k))
                o = o.kids.get(k) or o
                cur = cur[k]
                parent, schema = schema, _child_type(schema, k)
                continue
        elif exists and isinstance(cur, list) and isinstance(el, int | str):
            idx = int(el) if isinstance(el, int) or str(el).isdigit() else -1
            if 0 <= idx < len(cur):
                parts.append(f"[{idx}]")
                o = o.kids.get(idx) or o
                cur = cur[idx]
                parent, schema = schema, _child_type(schema, idx)
                continue
        if isinstance(el, str) and (el.startswith("function-") or "[" in el):
            continue  # a pydantic union/validator tag, not a key
        exists = False
        if isinstance(el, int) and isinstance(cur, list):
            parts.append(f"[{el}]")
        else:
            parts.append(str(el))
        parent, schema = schema, _child_type(schema, el)
    return _Located(parts, o, cur if exists else _MISSING, schema, parent)


def _locate_schema(loc: Iterable[Any]) -> Any:
    t: Any = Scenario
    for el in loc:
        t = _key_type(t) if el == "[key]" else _child_type(t, el)
    return t
