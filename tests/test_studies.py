"""Studies: the DuckDB store, run_study (CRN, paired differences, resume) and the CLI."""

from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import strait
from strait.analysis.roles import LOSSES
from strait.cli import app
from strait.engine import OUTCOMES
from strait.errors import ScenarioError, StudyError
from strait.experiments.store import KEY_LOSSES, OUTCOME_NAMES, StudyStore
from strait.experiments.study import (
    param_sweep_design,
    parse_levels,
    parse_param,
    role_sweep_design,
    run_study,
)
from strait.results import wilson_interval

SCENARIO = "ft-2025-ambiguity"  # JPN and AUS roles are uncertain (priors), PHL and KOR fixed
N = 400
SEED = 7
SRC = Path(__file__).resolve().parents[1] / "src"
VOLATILE = ["study_id", "created", "elapsed_s"]

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def aggregates(cells: pd.DataFrame) -> pd.DataFrame:
    return cells.drop(columns=VOLATILE).reset_index(drop=True)


@pytest.fixture(scope="module")
def design():
    return role_sweep_design(SCENARIO, ("JPN", "AUS"), [0, 6], n=N, seed=SEED, keep_inputs=True)


@pytest.fixture(scope="module")
def played(design, tmp_path_factory):
    db = tmp_path_factory.mktemp("study") / "s.duckdb"
    res = run_study(design, db, workers=1, command="test")
    return db, res


def test_constants_match_the_engine():
    assert OUTCOME_NAMES == OUTCOMES
    assert KEY_LOSSES == LOSSES


def test_design_grid_and_levels():
    d = role_sweep_design(SCENARIO, ["jpn", "aus"], n=10, seed=1)
    assert len(d.cells) == 1 + 49 and d.cells[0].levels == {}
    assert d.cells[1].levels == {"JPN": 0, "AUS": 0} and d.cells[-1].levels == {"JPN": 6,
                                                                                 "AUS": 6}
    assert parse_levels(["NEUTRAL", "3", "full_combat", "3"]) == (0, 3, 6)
    p = param_sweep_design("csis-base", *parse_param("parameters.antiship.p_hit_subsonic=0.04,"
                                                     "0.08"), n=10, seed=1)
    assert [c.changes for c in p.cells] == [{"parameters.antiship.p_hit_subsonic": 0.04},
                                            {"parameters.antiship.p_hit_subsonic": 0.08}]


# ---------------------------------------------------------------------------- store


def test_store_round_trip(played, design, tmp_path):
    db, res = played
    assert res.played == list(range(5)) and not res.resumed
    with StudyStore(db, create=False) as store:
        info = store.study(res.study_id)
        cells = store.cells(res.study_id)
        lanes = store.lanes(res.study_id)
        paths = store.export(res.study_id, tmp_path / "out")
    assert info["status"] == "done" and info["command"] == "test"
    assert info["scenario"] == SCENARIO and info["seed"] == SEED and info["n_per_cell"] == N
    assert info["strait_version"] == strait.__version__
    assert info["design"]["cells"] == design.to_dict()["cells"]
    assert list(cells["cell"]) == list(range(5))
    assert list(cells["label"]) == ["scenario roles", "JPN 0, AUS 0", "JPN 0, AUS 6",
                                    "JPN 6, AUS 0", "JPN 6, AUS 6"]
    assert cells["is_reference"].tolist() == [True, False, False, False, False]
    assert (cells["n"] == N).all() and (cells["seed"] == SEED).all()
    p = cells[[f"p_{o}" for o in OUTCOME_NAMES]].sum(axis=1)
    assert np.allclose(p, 1.0)
    assert (cells["p_prc_victory_low"] <= cells["p_prc_victory"]).all()
    assert (cells["p_prc_victory"] <= cells["p_prc_victory_high"]).all()
    assert len(lanes) == 5 * N and "forces.CHN.ground_battalions" in lanes.columns
    # exports: the same cells and lanes, the study's metadata in each file
    assert [q.name for q in paths] == [f"study-{res.study_id}-cells.parquet",
                                       f"study-{res.study_id}-lanes.parquet"]
    back = pq.read_table(paths[0])
    assert back.schema.metadata[b"strait.seed"] == str(SEED).encode()
    json_cols = ["levels", "changes"]
    pd.testing.assert_frame_equal(back.to_pandas().drop(columns=json_cols),
                                  cells.drop(columns=json_cols), check_dtype=False)
    for c in json_cols:
        assert back.column(c).to_pylist() == [None if pd.isna(v) else v for v in cells[c]]
    assert pq.read_metadata(paths[1]).num_rows == 5 * N
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_remove_study(design, tmp_path):
    small = role_sweep_design(SCENARIO, ["JPN"], [0], n=50, seed=1, keep_lanes=True)
    db = tmp_path / "s.duckdb"
    a = run_study(small, db, workers=1)
    b = run_study(small, db, workers=1)  # no resume: a second study
    assert b.study_id == a.study_id + 1
    with StudyStore(db) as store:
        store.remove(a.study_id)
        assert list(store.studies()["id"]) == [b.study_id]
        assert store.cells(a.study_id).empty and store.n_lanes(a.study_id) == 0
        assert len(store.cells(b.study_id)) == 2
        with pytest.raises(StudyError, match="not in"):
            store.study(a.study_id)


# ------------------------------------------------------------- statistics and CRN


def test_paired_intervals_equal_a_hand_computation(played):
    db, res = played
    with StudyStore(db, create=False) as store:
        cells = store.cells(res.study_id).set_index("cell")
        lanes = store.lanes(res.study_id)
    ref = lanes[lanes["cell"] == 0].reset_index(drop=True)
    z = 1.959964
    for i in (1, 4):  # JPN 0, AUS 0 and JPN 6, AUS 6
        cell = lanes[lanes["cell"] == i].reset_index(drop=True)
        for metric in ("prc_victory", "prc_defeat", "usa_ships_lost"):
            if metric in OUTCOME_NAMES:
                code = OUTCOME_NAMES.index(metric)
                d = (cell["outcome"] == code).astype(float) - (ref["outcome"] == code)
            else:
                d = cell[metric].astype(float) - ref[metric].astype(float)
            mean = d.mean()
            half = z * d.std(ddof=1) / math.sqrt(len(d))
            r = cells.loc[i]
            assert r[f"d_{metric}"] == pytest.approx(mean, abs=1e-12)
            assert r[f"d_{metric}_low"] == pytest.approx(mean - half, abs=1e-9)
            assert r[f"d_{metric}_high"] == pytest.approx(mean + half, abs=1e-9)
        k = int((cell["outcome"] == 0).sum())
        assert (r["p_prc_victory_low"], r["p_prc_victory_high"]) == pytest.approx(
            wilson_interval(k, N))
        assert r["usa_ships_lost_p50"] == pytest.approx(np.percentile(
            cell["usa_ships_lost"].astype(float), 50))
    # the reference against itself: zero, with a zero-width interval
    assert cells.loc[0, "d_prc_victory"] == 0 and cells.loc[0, "d_prc_victory_high"] == 0
    # forcing JPN to NEUTRAL moves P(PRC victory) clearly (otherwise the test is moot)
    assert cells.loc[1, "d_prc_victory_low"] > 0


def test_common_random_numbers(played, design, tmp_path):
    db, res = played
    with StudyStore(db, create=False) as store:
        lanes = store.lanes(res.study_id)
    ref = lanes[lanes["cell"] == 0].reset_index(drop=True)
    # a lane's reference run is a plain strait.run with the study's seed
    plain = strait.run(SCENARIO, n=N, seed=SEED, workers=1).table
    assert (ref["outcome"].to_numpy() == plain["outcome"].to_numpy()).all()
    for i, spec in enumerate(design.cells[1:], start=1):
        cell = lanes[lanes["cell"] == i].reset_index(drop=True)
        # the swept allies start where the cell puts them ...
        for ally, level in spec.levels.items():
            assert (cell[f"{ally.lower()}_role_start"] == level).all()
        # ... the others start where they did in the reference run, lane by lane
        for col in ("phl_role_start", "kor_role_start"):
            assert (cell[col].to_numpy() == ref[col].to_numpy()).all()
        # and every cell draws the same inputs (same seed)
        inputs = [c for c in lanes.columns if "." in c]
        pd.testing.assert_frame_equal(cell[inputs], ref[inputs])
    # a cell played again (a second study, same design) is bit-identical
    again = run_study(design, tmp_path / "again.duckdb", workers=1)
    with StudyStore(db, create=False) as store:
        first = store.cells(res.study_id)
    pd.testing.assert_frame_equal(aggregates(first), aggregates(again.cells))
    # and one cell played by hand equals the stored one
    roles = ref[["jpn_role_start", "aus_role_start", "phl_role_start",
                 "kor_role_start"]].to_numpy(dtype=np.int64, copy=True)
    roles[:, 0], roles[:, 1] = 6, 0
    by_hand = strait.run(SCENARIO, n=N, seed=SEED, workers=1, roles=roles).table
    stored = lanes[lanes["cell"] == 3].reset_index(drop=True)
    assert (by_hand["outcome"].to_numpy() == stored["outcome"].to_numpy()).all()


# ---------------------------------------------------------------------------- resume


class Interrupted(Exception):
    pass


def test_resume_plays_only_missing_cells(design, played, tmp_path):
    db = tmp_path / "r.duckdb"

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        run_study(design, db, workers=1, progress=stop_after_two)
    with StudyStore(db) as store:
        (sid,) = store.studies()["id"]
        assert store.done_cells(sid) == {0, 1}
        assert store.study(sid)["status"] == "failed"  # stopped by an error: marked, and resumable
    res = run_study(design, db, resume=True, workers=1)
    assert res.resumed and res.study_id == sid and res.played == [2, 3, 4]
    with StudyStore(played[0], create=False) as store:
        whole = store.cells(played[1].study_id)
    pd.testing.assert_frame_equal(aggregates(res.cells), aggregates(whole))
    assert run_study(design, db, resume=True, workers=1).played == []  # done: nothing to do
    # another design does not resume this study
    other = role_sweep_design(SCENARIO, ("JPN", "AUS"), [0, 6], n=N, seed=SEED + 1)
    res2 = run_study(other, db, resume=True, workers=1)
    assert not res2.resumed and res2.study_id != sid


def _sweep_args(db: Path, *how: str) -> list[str]:
    return ["sweep", SCENARIO, "--allies", "jpn,aus", "--levels", "0,3,6", "-n", "3000",
            "--seed", str(SEED), *(how or ("-w", "1")), "--db", str(db)]


def _processes_naming(path: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(path).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("how", [("-w", "1"), ("--executor", "process", "-w", "2")])
def test_resume_after_sigkill(tmp_path, how):
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    rng = random.Random()
    killed_db = None
    for attempt in range(3):
        db = tmp_path / f"killed-{attempt}.duckdb"
        proc = subprocess.Popen([sys.executable, "-m", "strait", *_sweep_args(db, *how)],
                                env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            assert proc.stderr is not None
            line = proc.stderr.readline()  # "stored cell 1/10": the first cell is committed
            assert line.startswith("stored cell 1/"), line
            assert time.monotonic() < deadline
            time.sleep(rng.uniform(0.0, 0.5))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait(timeout=30)
            if proc.stderr is not None:
                proc.stderr.close()
        assert proc.returncode in (-signal.SIGKILL, 0)
        # its pool workers (same command line) do not outlive it
        end = time.monotonic() + 10
        while _processes_naming(db) and time.monotonic() < end:
            time.sleep(0.1)
        assert not _processes_naming(db)
        with StudyStore(db, create=False) as store:
            done = store.studies()["cells_done"].iloc[0]
        if 1 <= done < 10:
            killed_db = db
            break
    assert killed_db is not None, "the sweep finished before every kill; make cells slower"
    resumed = invoke(*_sweep_args(killed_db, *how), "--resume", "-q")
    assert resumed.exit_code == 0, resumed.output
    assert "resumed, played" in resumed.stdout
    whole = invoke(*_sweep_args(tmp_path / "whole.duckdb"), "-q")
    assert whole.exit_code == 0, whole.output
    with StudyStore(killed_db, create=False) as a, \
            StudyStore(tmp_path / "whole.duckdb", create=False) as b:
        assert list(a.studies()["status"]) == ["done"]
        pd.testing.assert_frame_equal(aggregates(a.cells(1)), aggregates(b.cells(1)))


# ---------------------------------------------------------------------------- errors


def test_corrupt_file(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(StudyError, match="not a study file"):
        StudyStore(bad)
    one_line_error(invoke("study", "list", "--db", str(bad)), "bad.duckdb", "--db")
    one_line_error(invoke("sweep", SCENARIO, "-n", "10", "--db", str(bad)), "bad.duckdb")
    assert bad.read_bytes() == b"not a database" * 100  # left alone
    foreign = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE t (a INTEGER)")
    con.close()
    one_line_error(invoke("study", "list", "--db", str(foreign)), "not a strait study file")


def test_other_version(tmp_path):
    db = tmp_path / "old.duckdb"
    StudyStore(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE strait_meta SET value = '0.0.1' WHERE key = 'strait_version'")
    con.close()
    with pytest.raises(StudyError, match=r"strait 0\.0\.1"):
        StudyStore(db)
    one_line_error(invoke("study", "list", "--db", str(db)), "written by strait 0.0.1",
                   strait.__version__)
    one_line_error(invoke("sweep", SCENARIO, "-n", "10", "--db", str(db), "--resume"),
                   "0.0.1")


def test_locked_file(tmp_path):
    db = tmp_path / "locked.duckdb"
    StudyStore(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        one_line_error(invoke("study", "list", "--db", str(db)), "locked by process",
                       str(holder.pid))
    finally:
        holder.kill()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert invoke("study", "list", "--db", str(db)).exit_code == 0  # free again


@pytest.mark.parametrize(("args", "needles"), [
    (["--allies", "jpn,narnia"], ["unknown ally 'narnia'"]),
    (["--levels", "0,7"], ["level 7 is outside 0-6"]),
    (["--levels", "0,halfway"], ["unknown level 'halfway'"]),
    (["--param", "parameters.antiship.no_such_key=1,2"], ["no_such_key"]),
    (["--param", "parameters.antiship.p_hit_subsonic"], ["expected PATH=v1,v2"]),
    (["--param", "parameters.antiship.p_hit_subsonic=0.1", "--allies", "jpn"], ["not both"]),
    (["-n", "0"], ["-n"]),
])
def test_bad_sweep_input(args, needles, tmp_path):
    db = tmp_path / "s.duckdb"
    one_line_error(invoke("sweep", SCENARIO, "--db", str(db), *args), *needles)


def test_bad_design_input_in_python():
    with pytest.raises(ScenarioError, match="unknown ally"):
        role_sweep_design(SCENARIO, ["XYZ"], n=10)
    with pytest.raises(StudyError, match="outside 0-6"):
        role_sweep_design(SCENARIO, ["JPN"], [-1], n=10)
    with pytest.raises(ScenarioError, match="no_such_key"):
        param_sweep_design(SCENARIO, "parameters.antiship.no_such_key", [1], n=10)


def test_study_verbs(played, tmp_path):
    db, res = played
    sid = str(res.study_id)
    out = invoke("study", "list", "--db", str(db))
    assert out.exit_code == 0 and SCENARIO in out.stdout and "5/5" in out.stdout
    show = invoke("study", "show", sid, "--db", str(db))
    assert show.exit_code == 0, show.output
    assert "JPN ↓  AUS →" in show.stdout and "reference (scenario roles)" in show.stdout
    assert all(len(line) <= 80 for line in show.stdout.splitlines()
               if "command:" not in line and str(db) not in line)
    one_line_error(invoke("study", "show", "99", "--db", str(db)), "study 99")
    one_line_error(invoke("study", "show", "abc", "--db", str(db)), "'abc'")
    one_line_error(invoke("study", "list", "--db", str(tmp_path / "none.duckdb")), "not found")
    exp = invoke("study", "export", sid, "--db", str(db), "--out", str(tmp_path / "x"))
    assert exp.exit_code == 0 and (tmp_path / "x" / f"study-{sid}-cells.parquet").exists()
    for verb in (["sweep"], ["study"], ["study", "show"], ["study", "export"]):
        h = invoke(*verb, "--help")
        assert h.exit_code == 0 and "strait " in h.stdout.split("Example")[-1], verb


def test_sweep_prints_a_grid(tmp_path):
    db = tmp_path / "g.duckdb"
    r = invoke("sweep", SCENARIO, "--allies", "jpn,aus", "--levels", "0,3", "-n", "200",
               "--db", str(db), "-q", "-w", "1")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines if str(db) not in line)
    assert any(line.startswith("0 NEUTRAL") for line in lines)
    assert f"study 1 stored in {db}" in r.stdout
    p = invoke("sweep", "csis-base", "--param", "parameters.antiship.p_hit_subsonic=0.04,0.12",
               "-n", "200", "--db", str(db), "-q", "-w", "1")
    assert p.exit_code == 0, p.output
    assert "reference" in p.stdout and "study 2 stored" in p.stdout
