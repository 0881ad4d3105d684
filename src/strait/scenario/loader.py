"""Loading scenarios: YAML files, ``include``, ``extends`` overlays and ``changes``.

A scenario file is read with a safe YAML composer that remembers, for every key, the
file and line it came from. ``include:`` merges library fragments (or relative
``.yaml`` files) in order, then the file's own keys on top; ``extends:`` starts from a
parent scenario (bundled name or relative path) and merges the overlay on top;
``changes:`` (dotted path -> new value) is applied last. Origins follow every value
through these merges, so an error points at the file and line that supplied the value.

This module holds the public functions; the work is done in :mod:`._yaml` (reading
with line tracking), :mod:`._overlay` (include, extends, changes), :mod:`._errors`
(validation errors to messages), :mod:`._schema` (paths through data and schema) and
:mod:`._origin` (origins and the message form).

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
description, family, sources, campaign, allies, bases, forces, doctrine, parameters, \
analysis), found \
unknown key 'titel'; did you mean 'title'?
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml

from strait.errors import ScenarioError
from strait.scenario import registry
from strait.scenario._errors import _validate
from strait.scenario._origin import _describe, _fmt_path, _one_line, _Origin, _split_path
from strait.scenario._overlay import (
    _YAML_SUFFIXES,
    _apply_extra,
    _display,
    _Frame,
    _resolve_doc,
    _resolve_file,
)
from strait.scenario._yaml import _MAX_DEPTH, _compose, yaml_error_message
from strait.scenario.models import ALLIES, Scenario

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


_T = TypeVar("_T")


def _guard(fn: Callable[[], _T], file: str) -> _T:
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
