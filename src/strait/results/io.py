"""Reading and writing results files: per-lane Parquet, trajectory sidecars, JSON.

Every file carries the run metadata of :mod:`strait.results.metadata`. Files are written
atomically (a temporary file next to the target, then a rename), so a run that fails
part-way leaves nothing behind; :func:`check_output_path` checks a destination before a
run starts, so that a bad path costs nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from strait.errors import ResultsError
from strait.results.core import TRAJECTORY_FIELDS, RunResults
from strait.results.metadata import from_parquet, to_parquet
from strait.results.stream import RunningSummary

ROW_GROUP = 131_072
"""Rows per Parquet row group when streaming (about 40 MB of buffered rows)."""


# ------------------------------------------------------------------------ destinations


def check_output_path(path: str | os.PathLike[str], option: str = "out",
                      example: str = "results.parquet") -> Path:
    """``path`` as a Path if a file can be written there, else a one-line ResultsError.

    ``option`` names the argument in the message (``--out``, ``--json``). Nothing is
    created: the checks are a folder given where a file is needed, a missing parent
    folder, and no permission to write in it.
    """
    p = Path(path).expanduser()
    if p.is_dir():
        raise ResultsError(f"{option}: {p} is a folder; give a file name, "
                           f"e.g. {option} {p / example}")
    parent = p.parent
    if not parent.exists():
        raise ResultsError(f"{option}: folder {parent} does not exist; create it first "
                           f"(mkdir -p {parent}) or write somewhere else")
    if not parent.is_dir():
        raise ResultsError(f"{option}: {parent} is not a folder; give a path like "
                           f"{option} {Path('results') / example}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ResultsError(f"{option}: no permission to write in {parent}; choose a folder "
                           "you can write to")
    if p.exists() and not os.access(p, os.W_OK):
        raise ResultsError(f"{option}: {p} exists and is read-only; remove it or choose "
                           "another name")
    return p


def trajectories_path(out: str | os.PathLike[str]) -> Path:
    """Where the trajectories of a run written to ``out`` go: ``OUT.trajectories.parquet``."""
    p = Path(out)
    stem = p.stem if p.suffix == ".parquet" else p.name
    return p.with_name(f"{stem}.trajectories.parquet")


def _tmp(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


# -------------------------------------------------------------------------- per-lane


def arrow_schema(meta: Mapping[str, Any]) -> Any:
    """The Arrow schema of a per-lane file: the declared columns plus the run metadata."""
    import pyarrow as pa

    from strait.results.core import SCHEMA

    return pa.schema([pa.field(c.name, pa.from_numpy_dtype(np.dtype(c.dtype))) for c in SCHEMA],
                     metadata=to_parquet(meta))


class RowWriter:
    """Streams per-lane blocks to a Parquet file in row groups of :data:`ROW_GROUP` rows.

    Written to ``PATH.tmp`` and renamed on :meth:`close` with ``ok=True``; with
    ``ok=False`` (a failed run) the temporary file is removed.
    """

    def __init__(self, path: str | os.PathLike[str], meta: Mapping[str, Any]) -> None:
        import pyarrow.parquet as pq

        self.path = Path(path)
        self.tmp = _tmp(self.path)
        self.schema = arrow_schema(meta)
        self._buf: list[Any] = []
        self._rows = 0
        self._writer = pq.ParquetWriter(self.tmp, self.schema)

    def write(self, cols: Mapping[str, np.ndarray]) -> None:
        import pyarrow as pa

        t = pa.Table.from_arrays([pa.array(cols[f.name]) for f in self.schema],
                                 schema=self.schema)
        self._buf.append(t)
        self._rows += t.num_rows
        if self._rows >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._buf:
            self._writer.write_table(pa.concat_tables(self._buf), row_group_size=ROW_GROUP)
        self._buf, self._rows = [], 0

    def close(self, ok: bool) -> None:
        try:
            if ok:
                self._flush()
        finally:
            self._writer.close()
            if ok:
                os.replace(self.tmp, self.path)
            else:
                self.tmp.unlink(missing_ok=True)


def write_results(results: RunResults, path: str | os.PathLike[str]) -> Path:
    """Write the per-lane table to Parquet (atomically: temp file, then rename)."""
    import pyarrow.parquet as pq

    p = Path(path)
    tmp = _tmp(p)
    pq.write_table(results.to_arrow(), tmp)
    os.replace(tmp, p)
    return p


def _read_table(path: str | os.PathLike[str]) -> tuple[Any, dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = Path(path)
    if not p.exists():
        raise ResultsError(f"{p}: results file not found; run `strait run ... --out {p}` first")
    try:
        t = pq.read_table(p)
    except (pa.ArrowInvalid, OSError) as e:
        raise ResultsError(f"{p}: not a readable Parquet results file ({str(e).splitlines()[0]});"
                           " re-run `strait run` to regenerate it") from None
    return t, from_parquet(t.schema.metadata, p)


def read_results(path: str | os.PathLike[str]) -> RunResults:
    """Read a Parquet file written by :func:`write_results` or ``strait run --out``.

    The run metadata comes back in ``results.meta`` (see ``results.metadata``). Raises
    :class:`ResultsError` (one line) when the file is missing, corrupt, or not a strait
    results file.
    """
    t, meta = _read_table(path)
    if "outcome" not in t.column_names:
        raise ResultsError(f"{path}: not a per-campaign results file (no 'outcome' column); "
                           "expected a file written by `strait run --out`")
    table = t.to_pandas()
    if "n" in meta and meta["n"] != len(table):
        raise ResultsError(f"{path}: corrupt strait results file ({len(table)} rows, metadata "
                           f"says {meta['n']}); re-run `strait run --out`")
    return RunResults(table=table, scenario_name=meta["scenario"],
                      scenario_hash=meta["scenario_hash"], seed=meta["seed"], meta=meta)


# ---------------------------------------------------------------------- trajectories


def trajectories_long(traj: np.ndarray) -> dict[str, np.ndarray]:
    """Trajectories ``(lanes, turns, fields)`` in long form: lane, turn, field, value.

    Turns after a campaign ended (no values) are left out.
    """
    k, horizon, f = traj.shape
    lane, turn = np.meshgrid(np.arange(k), np.arange(horizon), indexing="ij")
    played = ~np.isnan(traj).all(axis=2)
    lane, turn, vals = lane[played], turn[played], traj[played]  # (m,), (m,), (m, f)
    return {"lane": np.repeat(lane, f).astype(np.int32),
            "turn": np.repeat(turn, f).astype(np.int16),
            "field": np.tile(np.asarray(TRAJECTORY_FIELDS[:f], dtype=object), lane.size),
            "value": vals.reshape(-1).astype(np.float64)}


def write_trajectories(traj: np.ndarray, path: str | os.PathLike[str],
                       meta: Mapping[str, Any]) -> Path:
    """Write trajectories in long form (lane, turn, field, value) with the run metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = Path(path)
    long = trajectories_long(traj)
    t = pa.table({"lane": long["lane"], "turn": long["turn"],
                  "field": pa.array(long["field"], pa.string()).dictionary_encode(),
                  "value": long["value"]})
    t = t.replace_schema_metadata(to_parquet(meta))
    tmp = _tmp(p)
    pq.write_table(t, tmp)
    os.replace(tmp, p)
    return p


def read_trajectories(path: str | os.PathLike[str]) -> Any:
    """Read a trajectories file back as a long-form pandas DataFrame (meta in ``.attrs``)."""
    t, meta = _read_table(path)
    if t.column_names != ["lane", "turn", "field", "value"]:
        raise ResultsError(f"{path}: not a strait trajectories file (columns "
                           f"{', '.join(t.column_names)}); expected lane, turn, field, value")
    df = t.to_pandas()
    df["field"] = df["field"].astype(str)
    df.attrs["strait"] = meta
    return df


# ------------------------------------------------------------------------------ JSON


def write_json(doc: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``doc`` as indented JSON, atomically."""
    p = Path(path)
    tmp = _tmp(p)
    try:
        tmp.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        os.replace(tmp, p)
    finally:
        tmp.unlink(missing_ok=True)
    return p


__all__ = ["ROW_GROUP", "RowWriter", "RunningSummary", "arrow_schema", "check_output_path",
           "read_results", "read_trajectories", "trajectories_long", "trajectories_path",
           "write_json", "write_results", "write_trajectories"]
