"""Resolving a scenario document: ``extends``, ``include`` and ``changes``.

``include:`` merges library fragments (or relative ``.yaml`` files) in order, then the
file's own keys on top; ``extends:`` starts from a parent scenario (bundled name or
relative path) and merges the overlay on top; ``changes:`` (dotted path -> new value)
is applied last, and so are a caller's extra changes (the CLI's ``--set``). Plain keys
merge and may add keys; a ``changes`` path only changes what is there: each key on it
must exist in the resolved base or be a field of the schema's fixed sections (see
:func:`_apply_change`; there are no other exceptions). Origins follow every value
through the merges. Cycles are reported with their chain. Nothing
here modifies its inputs: merges and changes copy what they touch.

Example:
    >>> from strait.scenario._yaml import _compose
    >>> data, org = _compose("name: a\\ntitle: A\\nchanges: {campaign.horizon_turns: 8}\\n",
    ...                      "a.yaml")
    >>> data, org = _resolve_doc(data, org, Path("."), ())
    >>> data["campaign"], org.kids["campaign"].kids["horizon_turns"].line
    ({'horizon_turns': 8}, 3)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strait.errors import ScenarioError
from strait.scenario import registry
from strait.scenario._origin import (
    _describe,
    _fail,
    _fmt_path,
    _Origin,
    _split_path,
    _suggest,
)
from strait.scenario._schema import (
    _MISSING,
    _child_type,
    _match_key,
    _model_keys,
    _unwrap,
)
from strait.scenario._yaml import _compose, _read
from strait.scenario.models import Param, RoleSpec, Scenario

log = logging.getLogger(__name__)

_YAML_SUFFIXES = (".yaml", ".yml")
_DIRECTIVES = ("extends", "include", "changes")
_SET_FILE = "--set"

_display = registry.display_path


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


_KEYS_SHOWN = 12


def _no_such_key(vorg: _Origin, path: str, seg: str, where: str, base: str,
                 cur: Mapping[Any, Any], fields: list[str]) -> ScenarioError:
    """The error for a changes path that names a key ``base`` does not have."""
    options = sorted({str(k) for k in cur} | set(fields))
    hint = _suggest(seg, options)
    hint = f" ({hint})" if hint else ""
    if options:
        shown = ", ".join(options[:_KEYS_SHOWN])
        if len(options) > _KEYS_SHOWN:
            shown += f", +{len(options) - _KEYS_SHOWN} more"
        keys = f"the keys there are: {shown}"
    else:
        keys = "there are no keys there"
    return _fail(vorg, path, f"expected an existing key, found no '{seg}' {where} in "
                 f"{base}{hint}; {keys}; write to an existing key (or add it in the base "
                 "scenario, or as plain keys in an overlay file)")


def _apply_change(data: dict[str, Any], org: _Origin, path: Any, value: Any,
                  vorg: _Origin, base: str) -> tuple[dict[str, Any], _Origin]:
    """``data`` with ``data[path] = value`` (dotted path); ``vorg`` is the entry's origin.

    Every key on the path must exist in ``data`` (the scenario ``base`` names), except
    the fields of the schema's fixed sections, which every resolved scenario has (at
    their defaults when not written). A key of an open mapping (base groups, force
    placements and classes, parameters, allies, sources, role levels) that ``data``
    lacks is an error: ``changes`` and ``--set`` change what is there and never add
    (adding a base group where a placement was meant is a silent, wrong result). A
    whole value may be replaced (a list, a ``{value: ..}`` over a ``{dist: ..}``, a
    mapping with keys of its own). The inputs are not modified: containers along the
    path are copied.
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
                if seg not in fields:  # only a fixed schema field exists without being written
                    at = f"under {where}" if done else "at the top level"
                    raise _no_such_key(vorg, path, seg, at, base, cur, fields)
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
    raise AssertionError(f"{path!r}: a dotted path splits into at least one segment")


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


def _name_of(data: Mapping[str, Any], file: str) -> str:
    """How an error names a resolved scenario: its ``name``, else its file."""
    name = data.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else file


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
    base: str | None = None  # what the changes apply to, as errors name it
    if "extends" in directives:
        ref, via = directives["extends"]
        path, file, base = _ref_target(ref, "extends", via, base_dir)
        result, rorg = _resolve_file(path, file, base, stack, via, "extends")
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
        if base is None:  # no extends: the changes apply to this document's own keys
            base = _name_of(result, org.file)
        for path_key, value in changes.items():
            result, rorg = _apply_change(result, rorg, path_key, value,
                                         via.kids.get(path_key) or via, base)
    return result, rorg


def _apply_extra(data: dict[str, Any], org: _Origin,
                 changes: Mapping[str, Any] | None) -> tuple[dict[str, Any], _Origin]:
    if not changes:
        return data, org
    if not isinstance(changes, Mapping):
        raise ScenarioError(f"{_SET_FILE}: expected a mapping of dotted path -> value, found "
                            f"{_describe(changes)}")
    base = _name_of(data, org.file)
    for i, (path, value) in enumerate(changes.items(), start=1):
        data, org = _apply_change(data, org, path, value, _Origin(_SET_FILE, i), base)
    return data, org

