"""Executors: serial, process pool and Ray give bit-identical results; a killed worker
process costs no block; bad executor input is a one-line error."""

from __future__ import annotations

import os
import random
import signal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import strait
from _studies import stored
from strait.cli import app
from strait.errors import ExecutorError
from strait.experiments.executors import (
    NodeReport,
    ProcessExecutor,
    SerialExecutor,
    check_nodes,
    make_executor,
    run_scenario,
    split_address,
)
from strait.experiments.store import StudyStore
from strait.experiments.study import role_sweep_design, run_study

SCENARIO = "ft-2025-ambiguity"
SEED = 11

runner = CliRunner()


def sweep_design():
    """A small role sweep (3 cells) that keeps its lanes; 2 blocks per cell."""
    return role_sweep_design(SCENARIO, ("JPN",), [0, 6], n=12_000, seed=SEED, keep_lanes=True)



@pytest.fixture(scope="module")
def serial_sweep(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    db = tmp_path_factory.mktemp("serial") / "s.duckdb"
    run_study(sweep_design(), db, executor="serial")
    return stored(db)


def assert_same_study(a: tuple[pd.DataFrame, pd.DataFrame],
                      b: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    pd.testing.assert_frame_equal(a[0], b[0], check_exact=True)
    pd.testing.assert_frame_equal(a[1], b[1], check_exact=True)
    assert len(a[1]) == 3 * 12_000


@pytest.mark.parametrize("executor, workers", [("serial", None), ("process", 1),
                                               ("process", 2)])
def test_sweep_is_bit_identical_across_executors(executor, workers, serial_sweep, tmp_path):
    db = tmp_path / "s.duckdb"
    run_study(sweep_design(), db, executor=executor, workers=workers)
    assert_same_study(serial_sweep, stored(db))
    # the Ray executor is compared with this same serial sweep on a two-node cluster in
    # tests/test_ray_cluster.py


def test_blocks_finishing_out_of_order_are_handed_back_in_order():
    s = strait.load_scenario(SCENARIO)
    got = [t.block for t, _, _ in run_scenario(s, 9 * 512, 3, executor=ProcessExecutor(2),
                                               block_size=512)]
    assert got == list(range(9))


def test_a_killed_worker_process_loses_no_block():
    """SIGKILL a pool worker at a random (seeded) block: the pool is rebuilt, the blocks it
    lost are played again, and the run equals an uninterrupted one, block for block."""
    s = strait.load_scenario(SCENARIO)
    n, size = 24 * 512, 512
    whole = [c for _, c, _ in run_scenario(s, n, SEED, executor="serial", block_size=size)]
    rng = random.Random(20261130)
    for _ in range(2):  # two kills at different points, a bounded number of tries
        ex = ProcessExecutor(2)
        kill_at = rng.randrange(0, 16)
        got = []
        for k, (task, cols, _) in enumerate(run_scenario(s, n, SEED, executor=ex,
                                                         block_size=size)):
            if k == kill_at:
                os.kill(rng.choice(ex.pids()), signal.SIGKILL)
            got.append((task.block, cols))
        assert ex.restarts >= 1
        assert [b for b, _ in got] == list(range(24))  # none lost, none twice
        for (_, a), b in zip(got, whole, strict=True):
            for c in b:
                np.testing.assert_array_equal(a[c], b[c])


def test_a_pool_that_keeps_dying_is_a_one_line_error(monkeypatch):
    from strait.experiments import executors

    s = strait.load_scenario(SCENARIO)
    ex = ProcessExecutor(2, max_restarts=1)
    monkeypatch.setattr(executors, "_play", _die)
    with pytest.raises(ExecutorError, match="worker processes died 2 times"):
        list(run_scenario(s, 4 * 512, SEED, executor=ex, block_size=512))


def _die(args: object) -> object:
    os._exit(9)


def test_choosing_executors():
    assert isinstance(make_executor(None, 1), SerialExecutor)
    assert isinstance(make_executor(None, None), ProcessExecutor)
    assert make_executor("ray", address="127.0.0.1:6379").name == "ray"
    with pytest.raises(ExecutorError, match="--executor: expected one of serial, process, ray"):
        make_executor("dask")
    with pytest.raises(ExecutorError, match="needs --executor ray"):
        make_executor("process", address="127.0.0.1:6379")
    with pytest.raises(ExecutorError, match="--address: expected HOST:PORT"):
        make_executor("ray", address="headnode")
    assert split_address("ray://[::1]:10001") == ("::1", 10001)
    with strait.use_executor("serial"):
        assert strait.run(SCENARIO, n=200, seed=1).meta["executor"] == "serial"
    assert strait.run(SCENARIO, n=200, seed=1, workers=2).meta["executor"] == "process"


def test_nodes_without_strait_or_with_another_version_are_one_line_errors():
    check_nodes([NodeReport("127.0.0.1", strait.__version__)], strait.__version__, "auto")
    with pytest.raises(ExecutorError) as e:
        check_nodes([NodeReport("10.0.0.7", None, "ModuleNotFoundError: No module named "
                                                  "'strait'")], "0.1.0", "10.0.0.5:6379")
    assert "cannot import strait" in str(e.value) and "pip install 'strait[ray]==0.1.0'" \
        in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(ExecutorError, match=r"run strait 0\.0\.9, this process runs strait "
                                            r"0\.1\.0; install strait 0\.1\.0 on every node"):
        check_nodes([NodeReport("10.0.0.7", "0.0.9")], "0.1.0", "10.0.0.5:6379")
    with pytest.raises(ExecutorError, match="no node with a free CPU"):
        check_nodes([], "0.1.0", "10.0.0.5:6379")


def test_unreachable_cluster_is_one_line_exit_2_and_leaves_no_study(tmp_path):
    db = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["sweep", SCENARIO, "--allies", "jpn", "--levels", "0,6", "-n",
                              "500", "--executor", "ray", "--address", "127.0.0.1:1",
                              "--db", str(db)])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --address 127.0.0.1:1: no Ray "
                                                   "cluster answers there"), res.stderr
    assert "ray start --head" in lines[0]
    assert not db.exists() or StudyStore(db, create=False).studies().empty
    res = runner.invoke(app, ["run", SCENARIO, "-n", "500", "--executor", "nope"])
    assert res.exit_code == 2 and res.stderr.startswith("error: --executor: expected one of")


def test_a_study_stopped_by_an_executor_error_is_marked_failed_and_resumes(tmp_path,
                                                                         monkeypatch):
    from strait.experiments import executors

    db = tmp_path / "s.duckdb"
    real = executors._play
    calls = {"n": 0}

    def flaky(args):
        calls["n"] += 1
        if calls["n"] == 4:  # in the third cell
            raise ExecutorError("executor process: worker processes died 6 times in one run")
        return real(args)

    monkeypatch.setattr(executors, "_play", flaky)
    with pytest.raises(ExecutorError):
        run_study(sweep_design(), db, executor="serial")
    with StudyStore(db, create=False) as store:
        (sid,) = store.studies()["id"]
        assert store.study(sid)["status"] == "failed"
        assert len(store.done_cells(sid)) == 1
    monkeypatch.setattr(executors, "_play", real)
    res = run_study(sweep_design(), db, executor="serial", resume=True)
    assert res.resumed and res.study_id == sid and res.played == [1, 2]


def _init_marks(folder: str) -> None:
    os.environ["STRAIT_TEST_MARKS"] = folder


def _mark(i: int) -> int:
    Path(os.environ["STRAIT_TEST_MARKS"], str(i)).touch()
    return i


@pytest.mark.parametrize("make", [lambda: ProcessExecutor(2), SerialExecutor])
def test_at_most_two_blocks_per_worker_are_in_flight(make, tmp_path):
    """While the consumer holds the first result, the workers have started no more blocks
    than the window (2 x workers): a slow consumer does not pile results up in memory."""
    import time

    from strait.experiments.executors import Job

    ex = make()
    it = ex.imap(Job(str(tmp_path), _init_marks, str(tmp_path), _mark), list(range(40)))
    assert next(it) == 0
    time.sleep(1.0)  # ample time to play every block if nothing held them back
    started = len(list(tmp_path.iterdir()))
    assert started == (1 if ex.workers == 1 else 2 * ex.workers), started
    assert list(it) == list(range(1, 40))
    assert len(list(tmp_path.iterdir())) == 40


def test_ray_is_imported_only_when_used():
    import subprocess
    import sys

    code = ("import sys, strait\n"
            "strait.run('csis-base', n=300, seed=1, executor='process', workers=2)\n"
            "print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[-1] == "False"
