"""Loading scenarios: YAML files, ``include``, ``extends`` overlays and ``changes``.

A scenario file is read with a safe YAML composer that remembers, for every key, the
file and line it came from. ``include:`` merges library fragments (or relative
``.yaml`` files) in order, then the file's own keys on top; ``extends:`` starts from a
parent scenario (bundled name or relative path) and merges the overlay on top;
``changes:`` (dotted path -> new value) is applied last. Origins follow every value
through these merges, so an error points at the file and line that supplied the value.

Every failure is a :class:`strait.errors.ScenarioError` with a one-line message::

    FILE:LINE: FIELD.PATH: expected ..., found ...; FIX

Example:
    >>> from strait.scenario.loader import load_scenario_text
    >>> s = load_scenario_text("name: tiny\\ntitle: A tiny scenario\\n")
    >>> s.name, s.campaign.horizon_turns
    ('tiny', 12)
    >>> load_scenario_text("name: tiny\\ntitel: oops\\n", filename="my.yaml")
    Traceback (most recent call last):
    strait.errors.ScenarioError: my.yaml:2: titel: expected a key of Scenario (name, title, \
description, family, sources, campaign, allies, bases, forces, doctrine, parameters), found \
unknown key 'titel'; did you mean 'title'?
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import logging
import os
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from strait.errors import ScenarioError
from strait.scenario import registry
from strait.scenario.models import ALLIES, Actor, Param, RoleLevel, RoleSpec, Scenario

__all__ = [
    "load_raw",
    "load_raw_text",
    "load_scenario",
    "load_scenario_text",
    "parse_set",
    "scenario_hash",
    "yaml_error_message",
]

log = logging.getLogger(__name__)

_YAML_SUFFIXES = (".yaml", ".yml")
_DIRECTIVES = ("extends", "include", "changes")
_MAX_NODES = 100_000
_MAX_DEPTH = 100
_SET_FILE = "--set"


# ------------------------------------------------------------------------- origins


@dataclass
class _Origin:
    """Where a value came from: file and line, plus the origins of its children.

    ``kids`` is keyed like the value: mapping keys for a mapping, indices for a list.
    """

    file: str
    line: int
    kids: dict[Any, _Origin] = field(default_factory=dict)

    def leaf(self) -> _Origin:
        return _Origin(self.file, self.line)


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _fail(origin: _Origin | None, path: str, message: str) -> ScenarioError:
    where = f"{origin.file}:{origin.line}: " if origin is not None else ""
    what = f"{path}: " if path else ""
    return ScenarioError(_one_line(f"{where}{what}{message}"))


def _fmt_path(parts: Iterable[str]) -> str:
    out = ""
    for p in parts:
        if p.startswith("[") and p.endswith("]"):
            out += p
        else:
            out += f".{p}" if out else p
    return out


def _describe(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v) if isinstance(v, float) else str(v)
    if isinstance(v, str):
        return repr(v if len(v) <= 60 else v[:57] + "...")
    if isinstance(v, Mapping):
        keys = ", ".join(str(k) for k in list(v)[:4])
        more = ", ..." if len(v) > 4 else ""
        return f"a mapping ({keys}{more})" if v else "an empty mapping"
    if isinstance(v, list | tuple):
        return f"a list of {len(v)}" if v else "an empty list"
    if isinstance(v, Enum):
        return repr(v.name)
    return f"a {type(v).__name__}"


def _suggest(name: Any, options: Iterable[Any]) -> str:
    opts = [str(o) for o in options]
    s = str(name)
    opts = [o for o in opts if o != s]
    match = difflib.get_close_matches(s, opts, n=1, cutoff=0.6)
    if not match:
        upper = {o.upper(): o for o in opts}
        match = difflib.get_close_matches(s.upper(), list(upper), n=1, cutoff=0.6)
        match = [upper[m] for m in match]
    return f"did you mean '{match[0]}'?" if match else ""


_display = registry.display_path


# ----------------------------------------------------------------------- YAML reading

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe YAML composer (never constructs arbitrary objects)."""


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def yaml_error_message(exc: yaml.YAMLError, file: str, text: str | None = None) -> str:
    """One-line ``FILE:LINE: ...`` message for a PyYAML error.

    >>> import yaml
    >>> try:
    ...     yaml.safe_load("a: [1, 2\\nb: 3\\n")
    ... except yaml.YAMLError as e:
    ...     print(yaml_error_message(e, "x.yaml"))  # doctest: +ELLIPSIS
    x.yaml:2: YAML syntax: expected ',' or ']', but got ':' (while parsing a flow sequence at ...
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or "invalid YAML"
        cm = exc.context_mark
        at = f" at line {cm.line + 1}" if cm is not None and cm.line + 1 != line else ""
        if exc.context and (problem.startswith("but ") or "occurrence" in problem):
            what = f"{exc.context}{at}, {problem}"
        elif exc.context:
            what = f"{problem} ({exc.context}{at})"
        else:
            what = problem
        fix = "; fix the YAML syntax" + (f" at column {mark.column + 1}" if mark else "")
        if "\t" in problem or "'\\t'" in problem or (
            text is not None and mark is not None and "\t" in _line_of(text, mark.line)
        ):
            fix = "; indent with spaces, not tabs"
        return _one_line(f"{file}:{line}: YAML syntax: {what}{fix}")
    position = getattr(exc, "position", None)
    line = 1
    if isinstance(position, int) and text is not None:
        line = text.count("\n", 0, position) + 1
    char = getattr(exc, "character", None)
    if isinstance(char, int):
        reason = getattr(exc, "reason", "not allowed")
        return _one_line(f"{file}:{line}: YAML syntax: expected printable text, found "
                         f"character #x{char:04x} ({reason}); remove it")
    return _one_line(f"{file}:{line}: YAML syntax: {exc}; save the file as plain UTF-8 text")


def _line_of(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


class _Composer:
    """Builds plain Python values from a YAML node graph, recording key origins."""

    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.count = 0
        self.active: set[int] = set()
        self.flattened: set[int] = set()

    def err(self, line: int, parts: list[str], message: str) -> ScenarioError:
        return _fail(_Origin(self.file, line), _fmt_path(parts), message)

    def build(self, node: Any, line: int, parts: list[str], depth: int = 0) -> tuple[Any, _Origin]:
        self.count += 1
        if self.count > _MAX_NODES:
            raise self.err(line, parts, f"expected a scenario of at most {_MAX_NODES} values, "
                           "found more (runaway aliases?); remove the repeated aliases")
        if depth > _MAX_DEPTH:
            raise self.err(line, [*parts[:6], "[...]"], f"expected at most {_MAX_DEPTH} "
                           "levels of nesting, found more; flatten the structure")
        if id(node) in self.active:
            raise self.err(line, parts, "expected a tree, found a recursive alias; "
                           "remove the alias that refers to its own parent")
        origin = _Origin(self.file, line)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, line, parts), origin
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _TAG + "seq":
                    raise self.unsupported(node, line, parts)
                out_list: list[Any] = []
                for i, item in enumerate(node.value):
                    v, o = self.build(item, item.start_mark.line + 1, [*parts, f"[{i}]"],
                                      depth + 1)
                    out_list.append(v)
                    origin.kids[i] = o
                return out_list, origin
            if isinstance(node, yaml.MappingNode):
                if node.tag != _TAG + "map":
                    raise self.unsupported(node, line, parts)
                return self.mapping(node, origin, parts, depth), origin
            raise self.err(line, parts, f"expected plain YAML, found a {type(node).__name__}")
        finally:
            self.active.discard(id(node))

    def unsupported(self, node: Any, line: int, parts: list[str]) -> ScenarioError:
        line = node.start_mark.line + 1 if node.start_mark is not None else line
        return self.err(line, parts, f"expected plain YAML (mappings, lists, text, numbers, "
                        f"booleans), found unsupported tag '{_tag_name(node.tag)}'; "
                        "remove the tag")

    def scalar(self, node: Any, line: int, parts: list[str]) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _TAG + "timestamp":
            return node.value  # dates stay text
        if tag not in _SCALAR_TAGS:
            raise self.unsupported(node, line, parts)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except Exception:  # e.g. '!!int abc'
            kind = tag[len(_TAG):]
            raise self.err(node.start_mark.line + 1, parts,
                           f"expected a valid {kind} for tag '{_tag_name(tag)}', found "
                           f"{node.value!r}; remove the tag or fix the value") from None

    def mapping(self, node: Any, origin: _Origin, parts: list[str], depth: int) -> dict[Any, Any]:
        if id(node) not in self.flattened:
            seen: dict[Any, int] = {}
            for k_node, _ in node.value:
                if k_node.tag == _TAG + "merge":
                    continue
                k_line = k_node.start_mark.line + 1
                key = self.key(k_node, k_line, parts)
                try:
                    first = seen.get(key)
                except TypeError:
                    first = None
                if first is not None:
                    raise self.err(k_line, [*parts, str(key)],
                                   f"expected each key once in a mapping, found '{key}' again "
                                   f"(first at line {first}); remove one of them")
                seen[key] = k_line
            self.loader.flatten_mapping(node)  # YAML merge keys ('<<: *anchor')
            self.flattened.add(id(node))
        out: dict[Any, Any] = {}
        for k_node, v_node in node.value:
            k_line = k_node.start_mark.line + 1
            key = self.key(k_node, k_line, parts)
            v, o = self.build(v_node, k_line, [*parts, str(key)], depth + 1)
            out[key] = v
            origin.kids[key] = o
        return out

    def key(self, node: Any, line: int, parts: list[str]) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.err(line, parts, "expected a plain key (text or number), found a "
                           f"{'list' if isinstance(node, yaml.SequenceNode) else 'mapping'} "
                           "used as a key; write the key as text")
        key = self.scalar(node, line, parts)
        if key is None:
            raise self.err(line, parts, "expected a key, found an empty key (null); name it")
        return key


def _compose(text: str, file: str) -> tuple[Any, _Origin]:
    """Parse ``text`` into plain values plus their origins (safe: no object construction)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise ScenarioError(yaml_error_message(exc, file, text)) from None
        except RecursionError:
            raise ScenarioError(f"{file}:1: YAML syntax: expected at most {_MAX_DEPTH} levels "
                                "of nesting, found more; flatten the structure") from None
        if node is None:
            raise ScenarioError(f"{file}:1: expected a mapping of scenario keys (name, title, "
                                "...), found an empty file; add at least 'name' and 'title'")
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            if isinstance(node, yaml.MappingNode | yaml.SequenceNode | yaml.ScalarNode) and (
                node.tag not in _SCALAR_TAGS | {_TAG + "seq", _TAG + "timestamp"}
            ):
                raise _Composer(loader, file).unsupported(node, line, [])
            raise ScenarioError(f"{file}:{line}: expected a mapping of scenario keys (name, "
                                f"title, ...) at the top level, found {what}; write 'key: value' "
                                "lines")
        composer = _Composer(loader, file)
        try:
            return composer.build(node, line, [])
        except yaml.YAMLError as exc:  # bad merge key
            raise ScenarioError(yaml_error_message(exc, file, text)) from None
    finally:
        loader.dispose()


def _read(path: Path, file: str, via: _Origin | None, what: str) -> str:
    """The file's text; a missing or unreadable file is reported at ``via`` (the include or
    extends line), or against the file itself when it was asked for directly."""
    where = what if via is not None else file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(via, where, f"expected a scenario file, found no file '{file}'; check "
                    "the path (bundled names: `strait scenario list`)") from None
    except IsADirectoryError:
        raise _fail(via, where, f"expected a YAML file, found the folder '{file}'; "
                    "name a .yaml file") from None
    except OSError as exc:
        raise _fail(via, where, f"expected a readable file, found '{file}' unreadable "
                    f"({exc.strerror}); check its permissions") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(f"{file}:{line}: expected UTF-8 text, found undecodable byte(s) "
                            f"at offset {exc.start}; save the file as UTF-8") from None


# ------------------------------------------------------------------------- merging


def _merge(base: Any, borg: _Origin, over: Any, oorg: _Origin) -> tuple[Any, _Origin]:
    """Deep merge: mappings merge recursively, anything else replaces (origins follow)."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        # the merged mapping is reported where it was last touched (the overlay)
        org = _Origin(oorg.file, oorg.line, dict(borg.kids))
        for k, v in over.items():
            ko = oorg.kids.get(k) or oorg.leaf()
            if k in out:
                out[k], org.kids[k] = _merge(out[k], borg.kids.get(k) or borg.leaf(), v, ko)
            else:
                out[k] = v
                org.kids[k] = ko
        return out, org
    return over, oorg


# ---------------------------------------------------------------- schema (annotations)


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


def _is_free_mapping(t: Any) -> bool:
    """True when ``t`` is a ``dict[...]`` field: any key may be added."""
    return get_origin(_unwrap(t)) is dict


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


_PATH_RE = re.compile(r"^([A-Za-z_][\w\-]*(?:\.[^\s:.\[\]]+|\[\d+\])*): (.+)$", re.S)


def _split_path(path: str) -> list[str]:
    """``'a.b[0].c'`` -> ``['a', 'b', '[0]', 'c']`` (empty segments -> ValueError)."""
    segs: list[str] = []
    for raw in path.split("."):
        m = re.fullmatch(r"([^\[\]]*)((?:\[\d+\])*)", raw)
        if m is None or (not m.group(1) and not m.group(2)):
            raise ValueError(raw)
        if m.group(1):
            segs.append(m.group(1))
        elif not segs:
            raise ValueError(raw)
        segs.extend(re.findall(r"\[\d+\]", m.group(2)))
    return segs


# --------------------------------------------------------------- validation messages

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


def _locate_schema(loc: Iterable[Any]) -> Any:
    t: Any = Scenario
    for el in loc:
        t = _key_type(t) if el == "[key]" else _child_type(t, el)
    return t


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


# -------------------------------------------------------------------------- changes


def _normalise_for_descent(value: Any, schema: Any) -> Any:
    """A shorthand scalar becomes its mapping form so a changes path can go inside it."""
    t = _unwrap(schema)
    if t is Param and isinstance(value, int | float) and not isinstance(value, bool):
        return {"value": value}
    if t is RoleSpec and isinstance(value, str | int) and not isinstance(value, bool):
        return {"level": value}
    return value


def _copy_node(value: Any, origin: _Origin) -> tuple[Any, _Origin]:
    """Shallow copies of a container and its origin (copy-on-write along a changes path)."""
    if isinstance(value, dict):
        value = dict(value)
    elif isinstance(value, list):
        value = list(value)
    return value, _Origin(origin.file, origin.line, dict(origin.kids))


def _apply_change(data: dict[str, Any], org: _Origin, path: Any, value: Any,
                  vorg: _Origin) -> tuple[dict[str, Any], _Origin]:
    """``data`` with ``data[path] = value`` (dotted path); ``vorg`` is the entry's origin.

    The inputs are not modified: containers along the path are copied.
    """
    if not isinstance(path, str) or not path.strip():
        raise _fail(vorg, "changes", f"expected a dotted path (e.g. allies.JPN.role), found "
                    f"{_describe(path)}; write the path as text")
    try:
        segs = _split_path(path.strip())
    except ValueError:
        raise _fail(vorg, path, "expected a dotted path with non-empty segments (e.g. "
                    "allies.JPN.role), found an empty segment; remove the extra '.'") from None
    data, org = _copy_node(data, org)
    cur: Any = data
    co = org
    schema: Any = Scenario
    done: list[str] = []
    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        where = _fmt_path(done) or "the top level"
        if isinstance(cur, list):
            idx = int(seg[1:-1]) if seg.startswith("[") else (int(seg) if seg.isdigit() else -1)
            if not 0 <= idx < len(cur):
                raise _fail(vorg, path, f"expected an index 0..{len(cur) - 1} of {where}, found "
                            f"'{seg}'; fix the changes path")
            key: Any = idx
        elif isinstance(cur, dict):
            if seg.startswith("["):
                raise _fail(vorg, path, f"expected a key of {where}, found index {seg} (it is "
                            "a mapping); fix the changes path")
            key = _match_key(cur, seg)
            if key is _MISSING:
                fields = _model_keys(schema)
                allowed_new = (last and _is_free_mapping(schema)) or (
                    seg in fields and _child_type(schema, seg) is not None)
                if not allowed_new:
                    options = sorted({str(k) for k in cur} | set(fields))
                    hint = _suggest(seg, options)
                    hint = f" ({hint})" if hint else ""
                    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
                    keys = f"; keys there: {shown}" if shown else "; there are no keys there"
                    raise _fail(vorg, path, f"expected an existing key at {where}, found no "
                                f"'{seg}'{hint}{keys}")
                key = seg
                if not last:  # a schema field left to its default: start it empty
                    cur[key] = {}
                    co.kids[key] = vorg.leaf()
        else:
            raise _fail(vorg, path, f"expected a mapping or list at {where}, found "
                        f"{_describe(cur)}; change '{where}' as a whole instead")
        child_schema = _child_type(schema, key)
        if last:
            cur[key] = value
            co.kids[key] = vorg
            return data, org
        kid = co.kids.get(key) or co.leaf()
        nxt = _normalise_for_descent(cur[key], child_schema)
        if nxt is not cur[key]:
            kid = _Origin(kid.file, kid.line, {k: kid.leaf() for k in nxt})
        cur[key], co.kids[key] = _copy_node(nxt, kid)
        cur, co, schema = cur[key], co.kids[key], child_schema
        done.append(f"[{key}]" if seg.startswith("[") or (seg.isdigit() and isinstance(key, int))
                    else str(key))


# ---------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class _Frame:
    key: str  # identity for cycle detection
    label: str  # shown in a cycle


def _ref_target(ref: Any, kind: str, via: _Origin, base_dir: Path) -> tuple[Path, str, str]:
    """Resolve an ``extends``/``include`` value to (path, display, label)."""
    if not isinstance(ref, str) or not ref.strip():
        expect = ("a bundled scenario name or a relative path to a .yaml file"
                  if kind == "extends" else "a library fragment name or a relative .yaml path")
        raise _fail(via, kind, f"expected {expect}, found {_describe(ref)}")
    ref = ref.strip()
    if ref.endswith(_YAML_SUFFIXES) or "/" in ref or os.sep in ref:
        p = Path(ref).expanduser()
        if not p.is_absolute():
            p = base_dir / p
        if not p.is_file():
            raise _fail(via, kind, f"expected an existing .yaml file, found no file '{ref}' "
                        f"(looked in {_display(base_dir)}); check the path")
        return p, _display(p), _display(p)
    try:
        p = registry.bundled_path(ref) if kind == "extends" else registry.library_path(ref)
    except ScenarioError as exc:
        raise _fail(via, kind, f"expected a known name, found {exc}") from None
    return p, _display(p), ref


def _resolve_file(path: Path, file: str, label: str, stack: tuple[_Frame, ...],
                  via: _Origin | None, kind: str) -> tuple[dict[str, Any], _Origin]:
    key = str(path.resolve())
    for i, fr in enumerate(stack):
        if fr.key == key:
            chain = " -> ".join([f.label for f in stack[i:]] + [label])
            raise _fail(via, kind, f"expected no cycle of {kind}, found {chain}; remove one "
                        f"of these {kind} links")
    data, org = _compose_file(path, file, via, kind)
    return _resolve_doc(data, org, path.parent, (*stack, _Frame(key, label)))


_CACHE: dict[tuple[str, str], tuple[Any, _Origin]] = {}
_CACHE_SIZE = 128


def _compose_file(path: Path, file: str, via: _Origin | None,
                  kind: str) -> tuple[Any, _Origin]:
    """:func:`_compose` of a file, cached by (name, content). Results are shared:
    resolution never modifies them (merges and changes copy what they touch)."""
    text = _read(path, file, via, kind)
    key = (file, text)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    composed = _compose(text, file)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = composed
    return composed


def _resolve_doc(data: Any, org: _Origin, base_dir: Path,
                 stack: tuple[_Frame, ...]) -> tuple[dict[str, Any], _Origin]:
    """Apply a document's ``extends``, ``include`` and ``changes``; returns (data, origins)."""
    if not isinstance(data, dict):  # pragma: no cover - _compose guarantees a mapping
        raise _fail(org, "", f"expected a mapping at the top level, found {_describe(data)}")
    own = dict(data)
    own_org = _Origin(org.file, org.line, dict(org.kids))
    directives = {k: (own.pop(k), own_org.kids.pop(k, org)) for k in _DIRECTIVES if k in own}

    result: dict[str, Any] = {}
    rorg = _Origin(org.file, org.line)
    if "extends" in directives:
        ref, via = directives["extends"]
        path, file, label = _ref_target(ref, "extends", via, base_dir)
        result, rorg = _resolve_file(path, file, label, stack, via, "extends")
        log.debug("%s extends %s", org.file, file)

    if "include" in directives:
        refs, via = directives["include"]
        if isinstance(refs, str):
            refs = [refs]
            via = _Origin(via.file, via.line, {0: via})
        if not isinstance(refs, list):
            raise _fail(via, "include", "expected a list of library fragment names or relative "
                        f".yaml paths, found {_describe(refs)}; write include: [name, ...]")
        for i, ref in enumerate(refs):
            ivia = via.kids.get(i) or via
            path, file, label = _ref_target(ref, "include", ivia, base_dir)
            frag, forg = _resolve_file(path, file, label, stack, ivia, "include")
            result, rorg = _merge(result, rorg, frag, forg)
            log.debug("%s includes %s", org.file, file)

    result, rorg = _merge(result, rorg, own, own_org)

    if "changes" in directives:
        changes, via = directives["changes"]
        if changes is None:
            changes = {}
        if not isinstance(changes, dict):
            raise _fail(via, "changes", "expected a mapping of dotted path -> new value, found "
                        f"{_describe(changes)}; write 'allies.JPN.role: {{level: NEUTRAL}}'")
        for path_key, value in changes.items():
            result, rorg = _apply_change(result, rorg, path_key, value,
                                         via.kids.get(path_key) or via)
    return result, rorg


def _apply_extra(data: dict[str, Any], org: _Origin,
                 changes: Mapping[str, Any] | None) -> tuple[dict[str, Any], _Origin]:
    if not changes:
        return data, org
    if not isinstance(changes, Mapping):
        raise ScenarioError(f"{_SET_FILE}: expected a mapping of dotted path -> value, found "
                            f"{_describe(changes)}")
    for i, (path, value) in enumerate(changes.items(), start=1):
        data, org = _apply_change(data, org, path, value, _Origin(_SET_FILE, i))
    return data, org


def _is_path_ref(ref: str | os.PathLike[str]) -> bool:
    """A path (PathLike, has a folder part, or an existing file) rather than a bundled name.

    A bare ``name.yaml`` that is not a file here but is a bundled name counts as the name.
    """
    if isinstance(ref, os.PathLike):
        return True
    if "/" in ref or os.sep in ref or Path(ref).is_file():
        return True
    if ref.endswith(_YAML_SUFFIXES):
        return Path(ref).stem not in registry.bundled_names()
    return False


def _guard(fn: Any, file: str) -> Any:
    """Run ``fn``; anything but a ScenarioError becomes one (no tracebacks leak)."""
    try:
        return fn()
    except ScenarioError:
        raise
    except RecursionError:
        raise ScenarioError(f"{file}:1: expected a scenario nested at most {_MAX_DEPTH} "
                            "levels deep, found deeper nesting; flatten it") from None
    except Exception as exc:
        log.debug("unexpected error while loading %s", file, exc_info=True)
        raise ScenarioError(_one_line(f"{file}:1: could not load the scenario "
                                      f"({type(exc).__name__}: {exc}); please report this "
                                      "as a bug")) from exc


def _raw_from_ref(ref: str | os.PathLike[str],
                  changes: Mapping[str, Any] | None) -> tuple[dict[str, Any], _Origin, str]:
    if _is_path_ref(ref):
        path = Path(ref).expanduser()
        file = _display(path) if path.is_absolute() else os.fspath(ref)
        label = file
    else:
        name = str(ref)
        path = registry.bundled_path(name)
        file, label = _display(path), name
    data, org = _resolve_file(path, file, label, (), None, "")
    data, org = _apply_extra(data, org, changes)
    return data, org, file


def _raw_from_text(text: str, filename: str, base_dir: Path | None,
                   changes: Mapping[str, Any] | None) -> tuple[dict[str, Any], _Origin]:
    data, org = _compose(text, filename)
    base = base_dir if base_dir is not None else Path.cwd()
    data, org = _resolve_doc(data, org, base, (_Frame(f"<text>:{filename}", filename),))
    return _apply_extra(data, org, changes)


# --------------------------------------------------------------------------- public


def load_raw(ref: str | os.PathLike[str], *,
             changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The fully resolved raw mapping of ``ref`` (after include/extends/changes).

    ``ref`` is a bundled name or a path to a YAML file; ``changes`` are extra
    ``{dotted.path: value}`` overrides applied last. Nothing is validated yet.

    >>> raw = load_raw("csis-base")  # doctest: +SKIP
    >>> raw["campaign"]["turn_days"]  # doctest: +SKIP
    3.5
    """
    return _guard(lambda: copy.deepcopy(_raw_from_ref(ref, changes)[0]), str(ref))


def load_raw_text(text: str, *, filename: str = "<string>", base_dir: Path | None = None,
                  changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Like :func:`load_raw`, from YAML text (relative references resolve in ``base_dir``).

    >>> load_raw_text("name: a\\ntitle: A\\nchanges: {title: B}\\n")
    {'name': 'a', 'title': 'B'}
    """
    return _guard(lambda: copy.deepcopy(_raw_from_text(text, filename, base_dir, changes)[0]),
                  filename)


def load_scenario(ref: str | os.PathLike[str], *,
                  changes: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario: a bundled name (``'csis-base'``) or a YAML file path.

    ``changes`` are extra dotted-path overrides applied last, with the same rules as an
    overlay's ``changes`` (the CLI's ``--set``). Errors are one-line ScenarioErrors.

    >>> s = load_scenario("csis-base", changes={"allies.JPN.role": {"level": "NEUTRAL"}})
    ... # doctest: +SKIP
    """
    def run() -> Scenario:
        data, org, _ = _raw_from_ref(ref, changes)
        return _validate(data, org)

    return _guard(run, str(ref))


def load_scenario_text(text: str, *, filename: str = "<string>", base_dir: Path | None = None,
                       changes: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario from YAML text; errors name ``filename``.

    Relative ``include``/``extends`` paths resolve against ``base_dir`` (default: the
    current folder).

    >>> load_scenario_text("name: t\\ntitle: T\\ncampaign: {horizon_turns: 8}\\n").campaign
    Campaign(turn_days=3.5, horizon_turns=8)
    """
    def run() -> Scenario:
        data, org = _raw_from_text(text, filename, base_dir, changes)
        return _validate(data, org)

    return _guard(run, filename)


_ALLY_CODES = {a.value for a in ALLIES}


def parse_set(expr: str) -> tuple[str, Any]:
    """Parse a ``--set PATH=VALUE`` override; the value is read as (safe) YAML.

    A leading ally code in any case stands for ``allies.<CODE>``, and ``<ally>.role=LEVEL``
    for ``{'level': LEVEL}``.

    >>> parse_set("jpn.role=ACCESS_COMBAT")
    ('allies.JPN.role', {'level': 'ACCESS_COMBAT'})
    >>> parse_set("doctrine.usa.maritime_strike_jassm=false")
    ('doctrine.usa.maritime_strike_jassm', False)
    >>> parse_set("campaign.horizon_turns")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    strait.errors.ScenarioError: --set 'campaign.horizon_turns': expected PATH=VALUE, ...
    """
    fix = "use PATH=VALUE (e.g. jpn.role=NEUTRAL)"
    if not isinstance(expr, str):
        raise ScenarioError(f"--set: expected PATH=VALUE text, found {_describe(expr)}; {fix}")
    shown = _one_line(repr(expr))
    if "=" not in expr:
        raise ScenarioError(f"--set {shown}: expected PATH=VALUE, found no '='; {fix}")
    path, _, text = expr.partition("=")
    path = path.strip()
    if not path:
        raise ScenarioError(f"--set {shown}: expected PATH=VALUE, found no PATH; {fix}")
    if re.search(r"\s", path):
        raise ScenarioError(f"--set {shown}: expected a PATH without spaces, found "
                            f"{path!r}; {fix}")
    try:
        segs = _split_path(path)
    except ValueError:
        raise ScenarioError(f"--set {shown}: expected a dotted PATH with non-empty segments, "
                            f"found {path!r}; {fix}") from None
    if not text.strip():
        raise ScenarioError(f"--set {shown}: expected PATH=VALUE, found no VALUE; {fix} "
                            "(quote empty text as '')")
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(_one_line(f"--set {shown}: expected a YAML value after '=', found "
                                      f"an error ({problem}); {fix}")) from None
    if segs[0].upper() in _ALLY_CODES:
        segs = ["allies", segs[0].upper(), *segs[1:]]
    elif segs[0] == "allies" and len(segs) > 1 and segs[1].upper() in _ALLY_CODES:
        segs[1] = segs[1].upper()
    if len(segs) == 3 and segs[0] == "allies" and segs[2] == "role" and (
        isinstance(value, str | int) and not isinstance(value, bool)
    ):
        value = {"level": value}
    return _fmt_path(segs), value


def scenario_hash(s: Scenario) -> str:
    """SHA-256 (hex) of the scenario's canonical JSON (sorted keys): its identity in results.

    >>> h = scenario_hash(load_scenario_text("name: t\\ntitle: T\\n"))
    >>> len(h), h == scenario_hash(load_scenario_text("title: T\\nname: t\\n"))
    (64, True)
    """
    payload = json.dumps(s.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                         ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
