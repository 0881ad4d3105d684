"""The description of a run that every results file carries, built in one place.

:func:`run_metadata` builds it (scenario name and hash, seed, number of campaigns, the
``--set`` changes, turn length, horizon, strait version, creation time);
:func:`to_parquet` / :func:`from_parquet` store it in, and read it back from, the
key-value metadata of a Parquet file (keys ``strait.<name>``). The Parquet files of
``strait.run(out=...)`` and ``strait run --out``, their trajectory sidecars, and the
``metadata`` object of ``strait run --json`` all come from :func:`run_metadata`.

Example:
    >>> m = run_metadata(scenario="csis-base", scenario_hash="ab12", seed=1, n=100,
    ...                  changes=["jpn.role=NEUTRAL"], turn_days=3.5, horizon_turns=12,
    ...                  created="2024-01-01T00:00:00+00:00")
    >>> from_parquet(to_parquet(m), "x.parquet") == m
    True
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from strait.errors import ResultsError

PREFIX = "strait."
REQUIRED = ("scenario", "scenario_hash", "seed")
"""Keys every strait results file has had from the start."""
KEYS = (*REQUIRED, "n", "changes", "turn_days", "horizon_turns", "strait_version", "created")
"""Every metadata key, in order."""


def format_changes(changes: Mapping[str, Any] | Iterable[str] | None) -> list[str]:
    """``--set`` changes as ``path=value`` strings (a mapping's values JSON-encoded)."""
    if not changes:
        return []
    if isinstance(changes, Mapping):
        return [f"{k}={v if isinstance(v, str) else json.dumps(v, default=str)}"
                for k, v in changes.items()]
    return [str(c) for c in changes]


def run_metadata(*, scenario: str, scenario_hash: str, seed: int, n: int,
                 changes: Mapping[str, Any] | Iterable[str] | None = None,
                 turn_days: float, horizon_turns: int,
                 created: str | None = None) -> dict[str, Any]:
    """The metadata of one run (plain JSON-able values, keys in :data:`KEYS` order)."""
    from strait import __version__

    return {
        "scenario": str(scenario),
        "scenario_hash": str(scenario_hash),
        "seed": int(seed),
        "n": int(n),
        "changes": format_changes(changes),
        "turn_days": float(turn_days),
        "horizon_turns": int(horizon_turns),
        "strait_version": __version__,
        "created": created or datetime.now(UTC).isoformat(timespec="seconds"),
    }


def to_parquet(meta: Mapping[str, Any]) -> dict[bytes, bytes]:
    """Parquet key-value metadata: strings as they are, everything else as JSON."""
    out = {}
    for key in KEYS:
        if key in meta:
            v = meta[key]
            text = v if isinstance(v, str) else json.dumps(v)
            out[(PREFIX + key).encode()] = text.encode()
    return out


def from_parquet(raw: Mapping[bytes, bytes] | None,
                 path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read :func:`to_parquet` metadata back; a foreign or corrupt file is a ResultsError."""
    raw = raw or {}
    if any((PREFIX + k).encode() not in raw for k in REQUIRED):
        raise ResultsError(f"{path}: Parquet file without strait run metadata; "
                           "expected a file written by `strait run --out`")
    meta: dict[str, Any] = {}
    for key in KEYS:
        value = raw.get((PREFIX + key).encode())
        if value is None:
            continue
        try:
            text = value.decode()
            if key in ("scenario", "scenario_hash", "strait_version", "created"):
                meta[key] = text
            elif key in ("seed", "n", "horizon_turns"):
                meta[key] = int(text)
            elif key == "turn_days":
                meta[key] = float(text)
            else:
                meta[key] = json.loads(text)
                if not isinstance(meta[key], list):
                    raise ValueError(text)
        except (ValueError, UnicodeDecodeError):
            raise ResultsError(f"{path}: corrupt strait metadata ({key} {value[:40]!r}); "
                               "re-run `strait run --out` to regenerate the file") from None
    return meta


__all__ = ["KEYS", "format_changes", "from_parquet", "run_metadata", "to_parquet"]
