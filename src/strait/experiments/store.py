"""The study store: one DuckDB file (default ``studies.duckdb``) that keeps every study.

Tables:

``strait_meta``
    ``key``/``value`` rows that mark the file as a strait study store: ``format``,
    ``schema_version`` and the ``strait_version`` that created it.
``studies``
    One row per study: ``id``, ``name``, ``scenario``, ``scenario_hash``, ``seed``,
    ``n_per_cell``, ``n_cells``, ``strait_version``, ``design`` (JSON text),
    ``design_key`` (SHA-256 of the design: how ``--resume`` finds a study), ``command``
    (the command line, when run from the CLI), ``created`` (ISO time) and ``status``
    (``running`` until every cell is stored, then ``done``; ``failed`` when the run
    stopped with an error — ``--resume`` continues a ``running`` or ``failed`` study).
``cells``
    One row per finished cell (primary key ``study_id, cell``): its ``label``, whether it
    is the reference cell, the forced role ``levels`` and parameter ``changes`` (JSON),
    ``seed`` and ``n``; per outcome ``p_<outcome>`` with a Wilson 95 % interval
    (``_low``/``_high``); per key loss (:data:`KEY_LOSSES`) ``_mean``, ``_p05``, ``_p50``,
    ``_p95``; and, paired lane by lane against the reference cell (same seed),
    ``d_<metric>`` = mean of (this cell − reference) with a 95 % interval
    (mean ± 1.96 × standard error of the per-lane differences) for P(PRC victory),
    P(PRC defeat) and each key loss.
``lanes`` (optional)
    One row per campaign of each cell when the study keeps lanes: ``study_id``, ``cell``,
    ``lane``, every results column and, when asked, every sampled input (columns named by
    scenario path). Columns are added as studies need them; other studies read NULL.

Guarantees:

* **One transaction per cell.** A cell's aggregate row and its lanes are written in one
  transaction: after a crash (even SIGKILL) a cell is either fully there or absent, and
  ``run_study(..., resume=True)`` plays only the absent ones.
* **One-line errors** (:class:`strait.errors.StudyError`) for a file that is not a study
  store or is corrupt, one written by another strait version, one locked by another
  process, and an unknown study id — each names the file and the fix.
* **Exports** (:meth:`StudyStore.export`) write Parquet files with the study's metadata
  in the Parquet key-value metadata (keys ``strait.<name>``), via a temporary file that
  is renamed into place.

Example:
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "s.duckdb")
    >>> with StudyStore(path) as store:
    ...     store.studies().empty
    True
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from strait.errors import StudyError

DEFAULT_DB = "studies.duckdb"
FORMAT = "strait-study"
SCHEMA_VERSION = "1"

OUTCOME_NAMES: tuple[str, ...] = ("prc_victory", "stalemate_prc", "stalemate_indeterminate",
                                  "stalemate_defence", "prc_defeat")
"""Outcome names by code 0..4 (as ``strait.engine.OUTCOMES``; checked by the tests)."""

KEY_LOSSES: tuple[str, ...] = ("usa_aircraft_lost", "usa_ships_lost", "chn_ships_lost")
"""Loss columns aggregated per cell (as ``strait.analysis.roles.LOSSES``)."""

DIFF_METRICS: tuple[str, ...] = ("prc_victory", "prc_defeat", *KEY_LOSSES)
"""Metrics with a paired difference against the reference cell."""

STATUS_RUNNING = "running"
STATUS_DONE = "done"
STATUS_FAILED = "failed"


def _cell_columns() -> list[tuple[str, str]]:
    cols = [("study_id", "INTEGER NOT NULL"), ("cell", "INTEGER NOT NULL"),
            ("label", "VARCHAR NOT NULL"), ("is_reference", "BOOLEAN NOT NULL"),
            ("levels", "VARCHAR"), ("changes", "VARCHAR"), ("seed", "BIGINT NOT NULL"),
            ("n", "INTEGER NOT NULL")]
    for o in OUTCOME_NAMES:
        cols += [(f"p_{o}", "DOUBLE"), (f"p_{o}_low", "DOUBLE"), (f"p_{o}_high", "DOUBLE")]
    for c in KEY_LOSSES:
        cols += [(f"{c}_{s}", "DOUBLE") for s in ("mean", "p05", "p50", "p95")]
    for m in DIFF_METRICS:
        cols += [(f"d_{m}", "DOUBLE"), (f"d_{m}_low", "DOUBLE"), (f"d_{m}_high", "DOUBLE")]
    cols += [("elapsed_s", "DOUBLE"), ("created", "VARCHAR")]
    return cols


CELL_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _cell_columns())
"""Every column of the ``cells`` table, in order."""

STUDY_COLUMNS: tuple[str, ...] = ("id", "name", "scenario", "scenario_hash", "seed",
                                  "n_per_cell", "n_cells", "strait_version", "design",
                                  "design_key", "command", "created", "status")

_ANALYSES = ("CREATE TABLE analyses (study_id INTEGER NOT NULL, kind VARCHAR NOT NULL, "
             "created VARCHAR NOT NULL, command VARCHAR, result VARCHAR NOT NULL)")
"""Analyses of a study (``kind``: e.g. ``discovery``), their result as JSON."""

_SCHEMA = [
    "CREATE TABLE strait_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    """CREATE TABLE studies (
        id INTEGER PRIMARY KEY, name VARCHAR, scenario VARCHAR NOT NULL,
        scenario_hash VARCHAR NOT NULL, seed BIGINT NOT NULL, n_per_cell INTEGER NOT NULL,
        n_cells INTEGER NOT NULL, strait_version VARCHAR NOT NULL, design VARCHAR NOT NULL,
        design_key VARCHAR NOT NULL, command VARCHAR, created VARCHAR NOT NULL,
        status VARCHAR NOT NULL)""",
    "CREATE TABLE cells (" + ", ".join(f'"{n}" {t}' for n, t in _cell_columns())
    + ", PRIMARY KEY (study_id, cell))",
    "CREATE TABLE lanes (study_id INTEGER NOT NULL, cell INTEGER NOT NULL, "
    "lane INTEGER NOT NULL)",
    _ANALYSES,
]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def canonical_json(obj: Any) -> str:
    """JSON text with sorted keys (the form hashed into a design key)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def design_key(design: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(design).encode("utf-8")).hexdigest()


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _describe(err: BaseException) -> str:
    return " ".join(str(err).split())


class StudyStore:
    """A study file, open for reading and writing (DuckDB holds it for this process).

    ``create``: make the file if it does not exist (``False`` for verbs that only read).
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB, *, create: bool = True):
        from strait import __version__

        self.path = Path(path)
        self.version = __version__
        fix_db = "or give another --db file"
        if self.path.is_dir():
            raise StudyError(f"study file {self.path}: is a folder; give a file such as "
                             f"{self.path / DEFAULT_DB}")
        if not self.path.exists() and not create:
            raise StudyError(f"study file {self.path}: not found; run a study first (e.g. "
                             f"strait sweep csis-base --db {self.path}) {fix_db}")
        if not self.path.parent.exists():
            raise StudyError(f"study file {self.path}: folder {self.path.parent} does not "
                             "exist; create it first or give another --db file")
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise self._open_error(exc) from None
        try:
            self._check_or_init()
        except StudyError:
            self.con.close()
            raise
        except duckdb.Error as exc:
            self.con.close()
            raise StudyError(f"study file {self.path}: corrupt or unreadable "
                             f"({_describe(exc)}); move it aside {fix_db}") from None

    def _open_error(self, exc: duckdb.Error) -> StudyError:
        msg = _describe(exc)
        if "lock" in msg.lower():
            pid = re.search(r"PID (\d+)", msg)
            who = f"process {pid.group(1)}" if pid else "another process"
            return StudyError(f"study file {self.path}: locked by {who} (a study may be "
                              "running); wait for it to finish, or give another --db file")
        if "not a valid DuckDB" in msg or "version" in msg.lower():
            return StudyError(f"study file {self.path}: not a study file strait can read "
                              f"({msg}); move it aside or give another --db file")
        return StudyError(f"study file {self.path}: corrupt or unreadable ({msg}); move it "
                          "aside or give another --db file")

    def _check_or_init(self) -> None:
        tables = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if not tables:
            with self.transaction():
                for stmt in _SCHEMA:
                    self.con.execute(stmt)
                self.con.executemany("INSERT INTO strait_meta VALUES (?, ?)",
                                     [("format", FORMAT), ("schema_version", SCHEMA_VERSION),
                                      ("strait_version", self.version)])
            return
        if "strait_meta" not in tables:
            raise StudyError(f"study file {self.path}: a DuckDB file but not a strait study "
                             "file (no strait_meta table); give another --db file")
        meta = dict(self.con.execute("SELECT key, value FROM strait_meta").fetchall())
        if meta.get("format") != FORMAT or not {"studies", "cells", "lanes"} <= tables:
            raise StudyError(f"study file {self.path}: not a strait study file (format "
                             f"{meta.get('format')!r}); give another --db file")
        found = meta.get("strait_version")
        if found != self.version or meta.get("schema_version") != SCHEMA_VERSION:
            raise StudyError(f"study file {self.path}: written by strait {found} (schema "
                             f"{meta.get('schema_version')}), this is strait {self.version} "
                             f"(schema {SCHEMA_VERSION}); read it with strait {found}, or "
                             "give a new --db file (results of different versions are not "
                             "comparable)")
        if "analyses" not in tables:  # files from before analyses were stored with studies
            self.con.execute(_ANALYSES)

    # ----------------------------------------------------------------- plumbing

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> StudyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is committed together, or rolled back on an exception."""
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def _df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        return self.con.execute(sql, list(params)).df()

    # ------------------------------------------------------------------ studies

    def create_study(self, *, name: str | None, scenario: str, scenario_hash: str, seed: int,
                     n_per_cell: int, n_cells: int, design: Mapping[str, Any],
                     command: str | None = None) -> int:
        """A new study row (status ``running``); returns its id."""
        with self.transaction():
            row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM studies").fetchone()
            sid = int(row[0]) if row else 1
            self.con.execute(
                "INSERT INTO studies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sid, name, scenario, scenario_hash, int(seed), int(n_per_cell), int(n_cells),
                 self.version, canonical_json(design), design_key(design), command, now(),
                 STATUS_RUNNING])
        return sid

    def find_study(self, key: str) -> int | None:
        """The newest study with this design key (unfinished ones — running, failed —
        first), if any."""
        row = self.con.execute(
            "SELECT id FROM studies WHERE design_key = ? "
            "ORDER BY (status <> ?) DESC, id DESC LIMIT 1", [key, STATUS_DONE]).fetchone()
        return None if row is None else int(row[0])

    def set_status(self, study_id: int, status: str) -> None:
        with self.transaction():
            self.con.execute("UPDATE studies SET status = ? WHERE id = ?", [status, study_id])

    def studies(self) -> pd.DataFrame:
        """Every study, with ``cells_done`` (cells stored so far)."""
        return self._df(
            "SELECT s.*, (SELECT count(*) FROM cells c WHERE c.study_id = s.id) AS cells_done "
            "FROM studies s ORDER BY s.id")

    def study(self, study_id: int) -> dict[str, Any]:
        """One study's row as a dict (``design`` parsed); unknown id is a StudyError."""
        df = self._df("SELECT * FROM studies WHERE id = ?", [int(study_id)])
        if df.empty:
            known = [int(i) for i in self.studies()["id"]]
            hint = (f"studies in this file: {', '.join(map(str, known))}" if known
                    else "this file holds no study yet")
            raise StudyError(f"study {study_id}: not in {self.path} ({hint}); see 'strait "
                             "study list'")
        row: dict[str, Any] = {str(k): _plain(v) for k, v in df.iloc[0].to_dict().items()}
        row["design"] = json.loads(row["design"])
        return row

    def remove(self, study_id: int) -> None:
        """Delete a study with its cells and lanes (one transaction)."""
        self.study(study_id)
        with self.transaction():
            for table, col in (("lanes", "study_id"), ("cells", "study_id"),
                               ("analyses", "study_id"), ("studies", "id")):
                self.con.execute(f"DELETE FROM {table} WHERE {col} = ?", [int(study_id)])

    # ----------------------------------------------------------------- analyses

    def add_analysis(self, study_id: int, kind: str, result: Mapping[str, Any],
                     command: str | None = None) -> None:
        """Store an analysis of study ``study_id`` (e.g. ``kind="discovery"``); a later
        analysis of the same kind supersedes it in :meth:`analyses`."""
        self.study(study_id)
        with self.transaction():
            self.con.execute("INSERT INTO analyses VALUES (?, ?, ?, ?, ?)",
                             [int(study_id), kind, now(), command, canonical_json(result)])

    def analyses(self, study_id: int) -> dict[str, dict[str, Any]]:
        """The latest stored analysis of each kind for ``study_id``: ``{kind: result}``,
        each result with the ``command`` that made it."""
        rows = self.con.execute(
            "SELECT kind, result, command FROM analyses WHERE study_id = ? "
            "ORDER BY created, rowid", [int(study_id)]).fetchall()
        return {str(k): {**json.loads(r), "command": c} for k, r, c in rows}

    # -------------------------------------------------------------------- cells

    def done_cells(self, study_id: int) -> set[int]:
        rows = self.con.execute("SELECT cell FROM cells WHERE study_id = ?",
                                [int(study_id)]).fetchall()
        return {int(r[0]) for r in rows}

    def write_cell(self, row: Mapping[str, Any], lanes: pd.DataFrame | None = None) -> None:
        """Store one cell's aggregates (and its lanes) in one transaction."""
        missing = [c for c in CELL_COLUMNS if c not in row]
        if missing:
            raise StudyError(f"cell row: missing {', '.join(missing)}")
        values = [_sql_value(row[c]) for c in CELL_COLUMNS]
        with self.transaction():
            self.con.execute(f"INSERT INTO cells VALUES ({', '.join('?' * len(values))})",
                             values)
            if lanes is not None and not lanes.empty:
                self._insert_lanes(lanes)

    def _insert_lanes(self, lanes: pd.DataFrame) -> None:
        self.con.register("_strait_lanes", lanes)
        try:
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'lanes'").fetchall()}
            types = self.con.execute("DESCRIBE SELECT * FROM _strait_lanes").fetchall()
            for name, typ, *_ in types:
                if name not in have:
                    self.con.execute(f"ALTER TABLE lanes ADD COLUMN {_q(name)} {typ}")
            self.con.execute("INSERT INTO lanes BY NAME SELECT * FROM _strait_lanes")
        finally:
            self.con.unregister("_strait_lanes")

    def cells(self, study_id: int) -> pd.DataFrame:
        """A study's stored cells, in cell order."""
        return self._df("SELECT * FROM cells WHERE study_id = ? ORDER BY cell", [int(study_id)])

    def lanes(self, study_id: int) -> pd.DataFrame:
        """A study's stored lanes (only the columns it filled), in cell and lane order."""
        df = self._df("SELECT * FROM lanes WHERE study_id = ? ORDER BY cell, lane",
                      [int(study_id)])
        return df.dropna(axis=1, how="all") if not df.empty else df

    def n_lanes(self, study_id: int) -> int:
        row = self.con.execute("SELECT count(*) FROM lanes WHERE study_id = ?",
                               [int(study_id)]).fetchone()
        return int(row[0]) if row else 0

    # ------------------------------------------------------------------- export

    def export(self, study_id: int, out_dir: str | os.PathLike[str]) -> list[Path]:
        """Write ``study-<id>-cells.parquet`` (and ``-lanes.parquet`` when the study kept
        lanes) to ``out_dir``; the study's row is in each file's key-value metadata."""
        info = self.study(study_id)
        out = Path(out_dir)
        if out.exists() and not out.is_dir():
            raise StudyError(f"--out {out}: is a file; give a folder (created if missing)")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudyError(f"--out {out}: cannot create the folder ({exc.strerror}); give "
                             "a writable folder") from None
        kv = {f"strait.{k}": (v if isinstance(v, str) else canonical_json(v))
              for k, v in info.items() if v is not None}
        kv_sql = "{" + ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in kv.items()) + "}"
        written = []
        parts: list[tuple[str, str]] = [("cells", "SELECT * FROM cells WHERE study_id = ? "
                                                  "ORDER BY cell")]
        if self.n_lanes(study_id):
            cols = self.lanes(study_id).columns  # only the columns this study filled
            parts.append(("lanes", f"SELECT {', '.join(_q(c) for c in cols)} FROM lanes "
                                   "WHERE study_id = ? ORDER BY cell, lane"))
        for what, sql in parts:
            dest = out / f"study-{study_id}-{what}.parquet"
            tmp = dest.with_name(dest.name + ".tmp")
            try:
                self.con.execute(f"COPY ({sql}) TO {_lit(str(tmp))} "
                                 f"(FORMAT parquet, KV_METADATA {kv_sql})", [int(study_id)])
                os.replace(tmp, dest)
            except (duckdb.Error, OSError) as exc:
                tmp.unlink(missing_ok=True)
                raise StudyError(f"--out {out}: cannot write {dest.name} ({_describe(exc)}); "
                                 "give a writable folder") from None
            written.append(dest)
        return written


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def _plain(v: Any) -> Any:
    """A pandas/numpy scalar as a plain Python value (NaN/NA as None)."""
    if v is None or v is pd.NA:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _sql_value(v: Any) -> Any:
    v = _plain(v)
    if isinstance(v, dict | list):
        return canonical_json(v)
    return v


__all__ = ["CELL_COLUMNS", "DEFAULT_DB", "DIFF_METRICS", "KEY_LOSSES", "OUTCOME_NAMES",
           "STATUS_DONE", "STATUS_FAILED", "STATUS_RUNNING", "STUDY_COLUMNS", "StudyStore",
           "canonical_json", "design_key"]
