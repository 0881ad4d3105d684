"""Reading and writing per-lane results as Parquet (with run metadata)."""

from __future__ import annotations

import os
from pathlib import Path

from strait.errors import ResultsError
from strait.results.core import RunResults


def write_results(results: RunResults, path: str | os.PathLike) -> Path:
    """Write the per-lane table to Parquet (atomically: temp file, then rename)."""
    import pyarrow.parquet as pq

    p = Path(path)
    tmp = p.with_suffix(p.suffix + ".tmp")
    pq.write_table(results.to_arrow(), tmp)
    os.replace(tmp, p)
    return p


def read_results(path: str | os.PathLike) -> RunResults:
    """Read a Parquet file written by :func:`write_results`.

    Raises :class:`ResultsError` (one line) when the file is missing, corrupt, or not a
    strait results file.
    """
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
    meta = t.schema.metadata or {}
    keys = (b"strait.scenario", b"strait.scenario_hash", b"strait.seed")
    if any(k not in meta for k in keys) or "outcome" not in t.column_names:
        raise ResultsError(f"{p}: Parquet file without strait run metadata; "
                           "expected a file written by `strait run --out`")
    try:
        seed = int(meta[b"strait.seed"].decode())
    except (ValueError, UnicodeDecodeError):
        raise ResultsError(f"{p}: corrupt strait metadata (seed "
                           f"{meta[b'strait.seed']!r}); re-run `strait run --out`") from None
    return RunResults(table=t.to_pandas(), scenario_name=meta[b"strait.scenario"].decode(),
                      scenario_hash=meta[b"strait.scenario_hash"].decode(), seed=seed)
