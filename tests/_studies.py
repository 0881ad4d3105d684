"""Helpers shared by the executor and Ray cluster tests: a stored study, comparable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from strait.experiments.store import StudyStore

VOLATILE = ["study_id", "created", "elapsed_s"]
"""Stored cell columns that differ between equal studies (ids, timestamps, timings)."""


def stored(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stored cells (without ids and timings) and lanes of the only study in ``db``,
    which must have finished."""
    with StudyStore(db, create=False) as store:
        (sid,) = store.studies()["id"]
        assert store.study(sid)["status"] == "done"
        cells = store.cells(sid).drop(columns=VOLATILE).reset_index(drop=True)
        lanes = store.lanes(sid).drop(columns=["study_id"]).reset_index(drop=True)
    return cells, lanes
