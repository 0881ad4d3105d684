"""Turning pydantic validation errors into one-line ``FILE:LINE: PATH: ...`` messages.

The error's location is followed through the raw data to the file and line that
supplied the value (see :mod:`strait.scenario._schema`), and its type and context are
phrased as ``expected ..., found ...; fix`` from the schema found there.

Example:
    >>> from strait.scenario._origin import _Origin
    >>> data = {"name": "a", "title": "A", "campaign": {"horizon_turns": 0}}
    >>> org = _Origin("s.yaml", 1, {"campaign": _Origin("s.yaml", 3, {
    ...     "horizon_turns": _Origin("s.yaml", 4)})})
    >>> _validate(data, org)
    Traceback (most recent call last):
    strait.errors.ScenarioError: s.yaml:4: campaign.horizon_turns: expected a number >= 1, \
found 0
"""

from __future__ import annotations

import difflib
import re
from enum import Enum
from typing import Any, Literal, get_args, get_origin

from pydantic import ValidationError

from strait.errors import ScenarioError
from strait.scenario._origin import (
    _describe,
    _fail,
    _fmt_path,
    _Origin,
    _split_path,
    _suggest,
)
from strait.scenario._schema import (
    _is_model,
    _locate,
    _locate_schema,
    _model_keys,
    _unwrap,
)
from strait.scenario.models import ALLIES, Actor, Param, RoleLevel, RoleSpec, Scenario

_PATH_RE = re.compile(r"^([A-Za-z_][\w\-]*(?:\.[^\s:.\[\]]+|\[\d+\])*): (.+)$", re.S)

_EXPECT = {
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "dict_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
    "string_too_short": "non-empty text",
}


def _enum_expectation(enum: type[Enum], parts: list[str]) -> tuple[str, list[str]]:
    if enum is RoleLevel:
        names = [lv.name for lv in RoleLevel]
        return f"a role level ({', '.join(names)})", names
    if enum is Actor and len(parts) == 2 and parts[0] == "allies":
        names = [a.value for a in ALLIES]
        return f"an ally code ({', '.join(names)})", names
    if enum is Actor:
        names = [a.value for a in Actor]
        return f"an actor code ({', '.join(names)})", names
    names = [str(m.value) for m in enum]  # type: ignore[var-annotated]
    return f"one of {', '.join(names)}", names


_CROSS_REF = re.compile(r"^unknown (base group|source|parameter)(?: '([^']*)')?(.*)$", re.S)


def _rephrase(msg: str, parts: list[str]) -> str:
    """Bring a validator's message to the 'expected ..., found ...; fix' form."""
    m = _CROSS_REF.match(msg)
    if m:
        kind, name, rest = m.groups()
        name = name if name is not None else (parts[-1] if parts else "")
        if kind == "parameter":
            return f"expected a known parameter name, found '{name}'{rest}"
        section = "bases" if kind == "base group" else "sources"
        rest = rest.strip()
        if rest.startswith("(") and ";" not in rest:
            rest = f" {rest}; define it under '{section}' or fix the name"
        elif not rest:
            rest = f"; define it under '{section}' or fix the name"
        else:
            rest = " " + rest if rest.startswith("(") else rest
        return f"expected a {kind} defined under '{section}', found '{name}'{rest}"
    m = re.match(r"^not an ally; allies are (.*)$", msg)
    if m:
        found = parts[-1] if parts else "?"
        return (f"expected an ally code ({m.group(1)}), found '{found}'; "
                "put non-allied actors under 'forces'")
    m = re.match(r"^ladder is missing level\(s\) (.*)$", msg)
    if m:
        return (f"expected a ladder entry for each of the 7 role levels, found none for "
                f"{m.group(1)}; add {m.group(1)}")
    m = re.match(r"^give (.+?)(, not both)?$", msg)
    if m:
        if m.group(2):
            return f"expected {m.group(1)}, found both; keep one"
        if m.group(1).startswith("exactly one"):
            return f"expected {m.group(1)}, found both or neither; give one"
        return f"expected {m.group(1)}, found neither; add one"
    m = re.match(r"^([^,;]+?) must ([^,;]+), found (.+)$", msg)
    if m:
        return f"expected {m.group(1)} to {m.group(2)}, found {m.group(3)}"
    return msg


def _format_error(err: Any, data: Any, org: _Origin) -> str:
    loc = tuple(err.get("loc", ()))
    typ = err.get("type", "")
    inp = err.get("input")
    ctx = err.get("ctx") or {}
    msg = str(err.get("msg", ""))
    if typ in ("value_error", "assertion_error"):
        msg = str(ctx.get("error", msg))
        msg = re.sub(r"^(Value error|Assertion failed), ", "", msg)
        m = _PATH_RE.match(msg)
        if m and m.group(1).split(".")[0].split("[")[0] in Scenario.model_fields:
            try:
                segs = _split_path(m.group(1))
            except ValueError:
                segs = []
            if segs:
                where = _locate(data, org, [s[1:-1] if s.startswith("[") else s for s in segs])
                text = m.group(2)
                quoted = re.search(r"'([^']*)'", text)
                if isinstance(where.value, list) and quoted and quoted.group(1) in where.value:
                    i = where.value.index(quoted.group(1))
                    where.origin = where.origin.kids.get(i) or where.origin
                    where.parts.append(f"[{i}]")
                return _fail(where.origin, _fmt_path(where.parts),
                             _rephrase(text, where.parts)).args[0]
        where = _locate(data, org, loc)
        return _fail(where.origin, _fmt_path(where.parts), _rephrase(msg, where.parts)).args[0]

    where = _locate(data, org, loc)
    path = _fmt_path(where.parts)
    found = _describe(inp)
    fix = ""
    if typ == "missing":
        name = where.parts[-1] if where.parts else "?"
        return _fail(where.origin, path,
                     f"expected a value for required key '{name}', found none; add it").args[0]
    if typ == "extra_forbidden":
        keys = _model_keys(where.parent_schema)
        model = _unwrap(where.parent_schema)
        owner = model.__name__ if _is_model(model) else "this mapping"
        name = where.parts[-1] if where.parts else str(loc[-1] if loc else "?")
        hint = _suggest(name, keys)
        fix = f"; {hint}" if hint else "; remove it"
        return _fail(where.origin, path, f"expected a key of {owner} ({', '.join(keys)}), "
                     f"found unknown key '{name}'{fix}").args[0]
    if typ == "enum":
        enum = _unwrap(where.schema)
        if isinstance(enum, type) and issubclass(enum, Enum):
            expect, names = _enum_expectation(enum, where.parts)
        else:
            expect, names = f"one of {ctx.get('expected', '?')}", []
        hint = _suggest(inp, names) if names else ""
        fix = f"; {hint}" if hint else ""
        return _fail(where.origin, path, f"expected {expect}, found {found}{fix}").args[0]
    if typ == "literal_error":
        lit = _unwrap(where.schema)
        names = [str(a) for a in get_args(lit)] if get_origin(lit) is Literal else []
        hint = _suggest(inp, names) if names and isinstance(inp, str) else ""
        fix = f"; {hint}" if hint else ""
        return _fail(where.origin, path,
                     f"expected one of {ctx.get('expected', ', '.join(names))}, "
                     f"found {found}{fix}").args[0]
    if typ in ("model_type", "model_attributes_type"):
        cls = ctx.get("class_name", "")
        if cls == Param.__name__:
            expect = "a number or a parameter mapping (value or dist, with source or assumption)"
        elif cls == RoleSpec.__name__:
            expect = "a role level name or a mapping with 'level' or 'prior'"
        else:
            model = _unwrap(where.schema)
            keys = ", ".join(_model_keys(model))
            expect = f"a mapping of {cls} keys ({keys})" if keys else f"a mapping ({cls})"
        return _fail(where.origin, path, f"expected {expect}, found {found}").args[0]
    if typ in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
              "less_than_equal": "<="}[typ]
        bound = next(iter(ctx.values()), "?")
        return _fail(where.origin, path, f"expected a number {op} {bound}, found {found}").args[0]
    if typ == "string_pattern_mismatch":
        if where.parts == ["name"]:
            expect = ("a lower-case name (letters a-z, digits, '-', '_', '.'; starting with a "
                      "letter or digit)")
        else:
            expect = f"text matching {ctx.get('pattern', '?')}"
        return _fail(where.origin, path, f"expected {expect}, found {found}").args[0]
    if typ in _EXPECT:
        expect = _EXPECT[typ]
    elif msg.startswith("Input should be "):
        expect = msg[len("Input should be "):]
    else:
        return _fail(where.origin, path, f"{msg}, found {found}").args[0]
    return _fail(where.origin, path, f"expected {expect}, found {found}{fix}").args[0]


def _explain_missing(errors: list[Any]) -> list[Any]:
    """Report unknown keys before missing ones, and drop a 'missing' that a typo explains."""
    typos: set[tuple[Any, ...]] = set()
    for e in errors:
        loc = tuple(e.get("loc", ()))
        if e.get("type") == "extra_forbidden" and loc:
            fields = [str(k) for k in (e.get("ctx") or {}).get("fields", ())]
            parent = _locate_schema(loc[:-1])
            options = fields or _model_keys(parent)
            match = difflib.get_close_matches(str(loc[-1]), options, n=1, cutoff=0.6)
            if match:
                typos.add((*loc[:-1], match[0]))
    kept = [e for e in errors
            if not (e.get("type") == "missing" and tuple(e.get("loc", ())) in typos)]
    return sorted(kept, key=lambda e: e.get("type") == "missing")



def _validate(data: Any, org: _Origin) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if not errors:  # pragma: no cover - pydantic always reports one
            raise _fail(org, "", f"expected a valid scenario, found {exc.title}") from None
        errors = _explain_missing(errors)
        msg = _format_error(errors[0], data, org)
        if len(errors) > 1:
            msg += f" (+{len(errors) - 1} more)"
        raise ScenarioError(msg) from None
