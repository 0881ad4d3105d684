"""Where a value came from, and the one-line message form every loader error takes.

Each value read from a scenario file carries an :class:`_Origin` (file, line, and the
origins of its children), kept through ``include``/``extends``/``changes`` merges so an
error can name the file and line that supplied the value::

    FILE:LINE: FIELD.PATH: expected ..., found ...; FIX

The small text helpers here (:func:`_describe`, :func:`_suggest`, paths) are shared by
the YAML reader, the overlay resolver and the validation-error translator.

Example:
    >>> str(_fail(_Origin("s.yaml", 4), "campaign.turn_days", "expected a number, found 'x'"))
    "s.yaml:4: campaign.turn_days: expected a number, found 'x'"
    >>> _fmt_path(_split_path("allies.JPN.escalation[0].probability"))
    'allies.JPN.escalation[0].probability'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from strait.errors import ScenarioError


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
