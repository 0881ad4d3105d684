"""Turning pydantic validation errors into one-line ``FILE:LINE: PATH: ...`` messages.

Each error is read from its structured fields only: ``type``, ``loc``, ``input`` and
``ctx``. Pydantic's built-in types (missing key, unknown key, wrong type, enum, bound)
are phrased from the schema at the error's location; the scenario models' own checks
raise :func:`strait.scenario._problems.problem` errors whose context already holds
``expected``, ``found``, an optional ``fix`` and an optional ``loc`` below the
validated object. The location is followed through the raw data to the file and line
that supplied the value (see :mod:`strait.scenario._schema`).

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
from enum import Enum
from typing import Any, Literal, get_args, get_origin

from pydantic import ValidationError

from strait.errors import ScenarioError
from strait.scenario._origin import _describe, _fail, _fmt_path, _Origin, _suggest
from strait.scenario._problems import KINDS
from strait.scenario._schema import (
    _is_model,
    _locate,
    _locate_schema,
    _Located,
    _model_keys,
    _unwrap,
)
from strait.scenario.models import ALLIES, Actor, Param, RoleLevel, RoleSpec, Scenario

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
"""What a value of each pydantic type error should have been."""

_BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
           "less_than_equal": "<="}


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
    names = [str(m.value) for m in enum]
    return f"one of {', '.join(names)}", names


def _with_fix(text: str, fix: str) -> str:
    return f"{text}; {fix}" if fix else text


def _format_problem(ctx: dict[str, Any], loc: tuple[Any, ...], data: Any,
                    org: _Origin) -> tuple[_Located, str]:
    """A :func:`~strait.scenario._problems.problem` raised by a model's own check."""
    where = _locate(data, org, (*loc, *ctx.get("loc", ())))
    text = f"expected {ctx.get('expected', 'a valid value')}, found {ctx.get('found', '?')}"
    return where, _with_fix(text, str(ctx.get("fix", "")))


def _format_builtin(typ: str, ctx: dict[str, Any], loc: tuple[Any, ...], inp: Any,
                    msg: str, data: Any, org: _Origin) -> tuple[_Located, str]:
    """One of pydantic's own error types, phrased from the schema at ``loc``."""
    where = _locate(data, org, loc)
    found = _describe(inp)
    if typ == "missing":
        name = where.parts[-1] if where.parts else "?"
        return where, f"expected a value for required key '{name}', found none; add it"
    if typ == "extra_forbidden":
        keys = _model_keys(where.parent_schema)
        model = _unwrap(where.parent_schema)
        owner = model.__name__ if _is_model(model) else "this mapping"
        name = where.parts[-1] if where.parts else str(loc[-1] if loc else "?")
        hint = _suggest(name, keys)
        return where, (f"expected a key of {owner} ({', '.join(keys)}), found unknown key "
                       f"'{name}'; {hint or 'remove it'}")
    if typ == "enum":
        enum = _unwrap(where.schema)
        if isinstance(enum, type) and issubclass(enum, Enum):
            expect, names = _enum_expectation(enum, where.parts)
        else:
            expect, names = f"one of {ctx.get('expected', '?')}", []
        hint = _suggest(inp, names) if names else ""
        return where, _with_fix(f"expected {expect}, found {found}", hint)
    if typ == "literal_error":
        lit = _unwrap(where.schema)
        names = [str(a) for a in get_args(lit)] if get_origin(lit) is Literal else []
        hint = _suggest(inp, names) if names and isinstance(inp, str) else ""
        expect = ctx.get("expected", ", ".join(names))
        return where, _with_fix(f"expected one of {expect}, found {found}", hint)
    if typ in ("model_type", "model_attributes_type"):
        cls = ctx.get("class_name", "")
        if cls == Param.__name__:
            expect = "a number or a parameter mapping (value or dist, with source or assumption)"
        elif cls == RoleSpec.__name__:
            expect = "a role level name or a mapping with 'level' or 'prior'"
        else:
            listed = ", ".join(_model_keys(_unwrap(where.schema)))
            expect = f"a mapping of {cls} keys ({listed})" if listed else f"a mapping ({cls})"
        return where, f"expected {expect}, found {found}"
    if typ in _BOUNDS:
        bound = next(iter(ctx.values()), "?")
        return where, f"expected a number {_BOUNDS[typ]} {bound}, found {found}"
    if typ == "string_pattern_mismatch":
        if where.parts == ["name"]:
            expect = ("a lower-case name (letters a-z, digits, '-', '_', '.'; starting with a "
                      "letter or digit)")
        else:
            expect = f"text matching {ctx.get('pattern', '?')}"
        return where, f"expected {expect}, found {found}"
    if typ in _EXPECT:
        return where, f"expected {_EXPECT[typ]}, found {found}"
    if typ in ("value_error", "assertion_error"):  # a check that is not a problem() yet
        return where, str(ctx.get("error", msg))
    # a pydantic type without a phrase of ours: its own wording ("Input should be ...")
    expect = msg.removeprefix("Input should be ")
    return where, f"expected {expect}, found {found}" if expect != msg else f"{msg}, found {found}"


def _format_error(err: Any, data: Any, org: _Origin) -> str:
    """The one-line message for one pydantic error dict (``ValidationError.errors()``)."""
    loc = tuple(err.get("loc", ()))
    typ = str(err.get("type", ""))
    ctx = dict(err.get("ctx") or {})
    if typ in KINDS:
        where, text = _format_problem(ctx, loc, data, org)
    else:
        where, text = _format_builtin(typ, ctx, loc, err.get("input"), str(err.get("msg", "")),
                                      data, org)
    line: str = _fail(where.origin, _fmt_path(where.parts), text).args[0]
    return line


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
    """``Scenario.model_validate(data)``; the first error (of N) as a one-line ScenarioError."""
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
