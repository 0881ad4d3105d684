"""The bundled scenarios and library fragments shipped with strait.

Bundled scenarios live in ``strait/scenario/data/scenarios/<name>.yaml``; library
fragments (partial scenario mappings merged in by ``include:``) in
``strait/scenario/data/library/<name>.yaml``. A scenario's name is its file stem.

Example:
    >>> from strait.scenario.registry import list_scenarios
    >>> [i.name for i in list_scenarios()]  # doctest: +SKIP
    ['csis-base', 'csis-japan-neutral', ...]
"""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from strait.errors import ScenarioError

__all__ = [
    "LIBRARY_DIR",
    "SCENARIO_DIR",
    "ScenarioInfo",
    "bundled_names",
    "bundled_path",
    "library_names",
    "library_path",
    "list_scenarios",
]

log = logging.getLogger(__name__)

_DATA = Path(__file__).resolve().parent / "data"
SCENARIO_DIR: Path = _DATA / "scenarios"
"""Folder of the bundled scenarios (one ``<name>.yaml`` each)."""
LIBRARY_DIR: Path = _DATA / "library"
"""Folder of the library fragments (one ``<name>.yaml`` each)."""

_SUFFIXES = (".yaml", ".yml")
_TOP_KEYS = ("name", "title", "family", "extends")
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ScenarioInfo:
    """A bundled scenario, as listed by ``strait scenario list`` (top keys only).

    ``name`` is the file stem (what ``load_scenario`` and ``extends:`` accept).
    """

    name: str
    title: str
    family: str | None
    extends: str | None
    path: Path


def _names(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    out: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix in _SUFFIXES and p.is_file() and not p.name.startswith("."):
            out.setdefault(p.stem, p)
    return out


def bundled_names() -> list[str]:
    """Names of the bundled scenarios, sorted.

    >>> isinstance(bundled_names(), list)
    True
    """
    return sorted(_names(SCENARIO_DIR))


def library_names() -> list[str]:
    """Names of the library fragments, sorted.

    >>> isinstance(library_names(), list)
    True
    """
    return sorted(_names(LIBRARY_DIR))


def _did_you_mean(name: str, options: list[str]) -> str:
    match = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if not match:
        low = {o.lower(): o for o in options}
        match = [low[name.lower()]] if name.lower() in low else []
    return f" (did you mean '{match[0]}'?)" if match else ""


def _strip_suffix(name: str) -> str:
    for s in _SUFFIXES:
        if name.endswith(s):
            return name[: -len(s)]
    return name


def bundled_path(name: str) -> Path:
    """Path of the bundled scenario ``name`` (a ``.yaml`` suffix is tolerated).

    Raises :class:`ScenarioError` for an unknown name, with a did-you-mean:

    >>> bundled_path("no-such-scenario")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    strait.errors.ScenarioError: unknown scenario 'no-such-scenario'...
    """
    found = _names(SCENARIO_DIR)
    key = _strip_suffix(str(name))
    if key in found:
        return found[key]
    raise ScenarioError(
        f"unknown scenario '{name}'{_did_you_mean(key, list(found))}; "
        "`strait scenario list` shows all"
    )


def library_path(name: str) -> Path:
    """Path of the library fragment ``name`` (a ``.yaml`` suffix is tolerated).

    >>> library_path("no-such-fragment")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    strait.errors.ScenarioError: unknown library fragment 'no-such-fragment'...
    """
    found = _names(LIBRARY_DIR)
    key = _strip_suffix(str(name))
    if key in found:
        return found[key]
    known = ", ".join(found) or "none"
    raise ScenarioError(
        f"unknown library fragment '{name}'{_did_you_mean(key, list(found))}; "
        f"known fragments: {known}"
    )


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _top_scalars(path: Path) -> dict[str, str]:
    """The top-level scalar values of ``_TOP_KEYS`` in a YAML file, from the event stream.

    Nested collections are skipped without being built, so listing stays fast.
    """
    out: dict[str, str] = {}
    depth = 0
    key: str | None = None  # the pending top-level key (None: expecting a key)
    expecting_key = True
    text = path.read_text(encoding="utf-8-sig")
    try:
        for ev in yaml.parse(text, Loader=_YamlLoader):
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth == 2:  # a nested value of a top-level key: skip it
                    expecting_key = True
                continue
            if isinstance(ev, yaml.CollectionEndEvent):
                depth -= 1
                continue
            if depth == 1 and isinstance(ev, yaml.ScalarEvent):
                if expecting_key:
                    key = ev.value
                    expecting_key = False
                else:
                    if key in _TOP_KEYS and key not in out:
                        out[key] = ev.value
                    expecting_key = True
            elif depth == 1 and isinstance(ev, yaml.AliasEvent):
                expecting_key = not expecting_key
    except yaml.YAMLError as exc:
        from strait.scenario.loader import yaml_error_message

        raise ScenarioError(yaml_error_message(exc, display_path(path), text)) from None
    return out


def list_scenarios() -> list[ScenarioInfo]:
    """The bundled scenarios, sorted by name (reads only their top-level keys).

    >>> all(i.path.suffix == ".yaml" for i in list_scenarios())
    True
    """
    infos: list[ScenarioInfo] = []
    for name, path in sorted(_names(SCENARIO_DIR).items()):
        top = _top_scalars(path)
        if top.get("name") not in (None, name):
            log.warning("%s: 'name: %s' differs from the file name; listed as '%s'",
                        display_path(path), top["name"], name)
        infos.append(
            ScenarioInfo(
                name=name,
                title=top.get("title") or name,
                family=top.get("family"),
                extends=top.get("extends"),
                path=path,
            )
        )
    return infos
