"""A real two-node Ray cluster (head + one worker node, one CPU each), on loopback only.

Ray advertises the host's network address even when told ``--node-ip-address=127.0.0.1``,
so the head, the worker node and every driver run inside a network namespace made for
this test run (``ip netns``), where the only interface is ``lo``; the namespace and every
process in it are removed afterwards, even when a test fails. One cluster serves every
pytest-xdist worker. Needs root (``ip netns``); CI runs as root.

What is checked: the nodes register as 127.0.0.1; ``strait sweep --executor ray
--address`` stores exactly what the serial executor stores; a Ray worker process killed
mid-block, a worker node lost mid-sweep and a driver killed with SIGKILL (then
``--resume``) lose and duplicate nothing; a cluster whose workers run another strait
version is a one-line error with exit 2 that leaves no study behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import pytest

from _studies import stored
from strait.experiments.store import StudyStore
from strait.experiments.study import role_sweep_design, run_study

SCENARIO = "ft-2025-ambiguity"
SEED = 11
PORT = 6379  # free: the namespace has its own ports
RAY = Path(sys.executable).with_name("ray")
ROOT_REASON = ("needs root to make a network namespace (ip netns) that keeps the Ray "
               "cluster on loopback; CI runs as root")


@dataclass
class Cluster:
    ns: str
    address: str
    env: dict[str, str]
    temp: str

    def cmd(self, *args: str | Path) -> list[str]:
        return ["ip", "netns", "exec", self.ns, *map(str, args)]

    def run(self, *args: str | Path, timeout: float = 120, check: bool = True
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.cmd(*args), env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=check)

    def popen(self, *args: str | Path) -> subprocess.Popen[str]:
        return subprocess.Popen(self.cmd(*args), env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)

    def strait(self, *args: str | Path) -> list[str]:
        return [sys.executable, "-m", "strait", *map(str, args)]

    def pids(self) -> list[int]:
        out = subprocess.run(["ip", "netns", "pids", self.ns], capture_output=True,
                             text=True).stdout
        return [int(p) for p in out.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _kill(pids: list[int]) -> None:
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _start(ns: str) -> Cluster:
    temp = tempfile.mkdtemp(prefix="sray", dir="/tmp")  # short: Ray's socket paths
    # token authentication on, with a token of this cluster's own (not ~/.ray's)
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
           "RAY_USAGE_STATS_ENABLED": "0", "RAY_health_check_period_ms": "1000",
           "RAY_health_check_failure_threshold": "3", "PYTHONPATH": str(
               Path(__file__).resolve().parents[1] / "src")}
    c = Cluster(ns, f"127.0.0.1:{PORT}", env, temp)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"],
                       check=True)
        common = ["--num-cpus=1", "--node-ip-address=127.0.0.1",
                  "--object-store-memory=200000000", "--disable-usage-stats"]
        c.run(RAY, "start", "--head", f"--port={PORT}", "--include-dashboard=false",
              f"--temp-dir={temp}", *common)
        c.run(RAY, "start", f"--address={c.address}", *common)
    except BaseException:
        _stop(c)
        raise
    return c


def _stop(c: Cluster) -> None:
    _kill(c.pids())  # every process of the cluster lives in the namespace
    subprocess.run(["ip", "netns", "delete", c.ns], check=False)
    shutil.rmtree(c.temp, ignore_errors=True)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, worker_id) -> Iterator[Cluster]:
    """One cluster for the whole test run, shared by the pytest-xdist workers: the first
    to need it starts it, the last to finish stops it (a count under a file lock)."""
    if os.geteuid() != 0:
        pytest.skip(ROOT_REASON)
    if shutil.which("ip") is None or not RAY.exists():
        pytest.fail("the Ray cluster tests need iproute2 ('ip') and Ray (make installs "
                    ".[ray]); install them instead of skipping")
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base  # the run's own folder
    state, lock = shared / "ray-cluster.json", shared / "ray-cluster.lock"
    with _locked(lock):
        if state.exists():
            info = json.loads(state.read_text())
            c = Cluster(**info["cluster"])
        else:
            c = _start(f"strait-ray-{secrets.token_hex(4)}")
            info = {"cluster": asdict(c), "users": 0}
        info["users"] += 1
        state.write_text(json.dumps(info))
    try:
        yield c
    finally:
        with _locked(lock):
            info = json.loads(state.read_text())
            info["users"] -= 1
            if info["users"] == 0:
                _stop(c)
                state.unlink()
            else:
                state.write_text(json.dumps(info))


def _sweep_args(db: Path, n: int, *extra: str) -> list[str]:
    return ["sweep", SCENARIO, "--allies", "jpn", "--levels", "0,6", "-n", str(n), "--seed",
            str(SEED), "--lanes", "--db", str(db), *extra]


def _design(n: int):
    return role_sweep_design(SCENARIO, ("JPN",), [0, 6], n=n, seed=SEED, keep_lanes=True)



_SERIAL: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}


def serial(n: int, tmp: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    if n not in _SERIAL:
        db = tmp / f"serial-{n}.duckdb"
        run_study(_design(n), db, executor="serial")
        _SERIAL[n] = stored(db)
    return _SERIAL[n]


def assert_same(a: tuple[pd.DataFrame, pd.DataFrame], b: tuple[pd.DataFrame, pd.DataFrame],
                n: int) -> None:
    pd.testing.assert_frame_equal(a[0], b[0], check_exact=True)
    pd.testing.assert_frame_equal(a[1], b[1], check_exact=True)
    assert len(b[1]) == 3 * n and not b[1].duplicated(["cell", "lane"]).any()


def test_nodes_are_on_loopback(cluster):
    code = (f"import json, ray; ray.init(address='{cluster.address}', log_to_driver=False); "
            "print(json.dumps([[n['NodeManagerAddress'], n['Resources'].get('CPU')] "
            "for n in ray.nodes() if n['Alive']]))")
    out = cluster.run(sys.executable, "-c", code).stdout.strip().splitlines()[-1]
    nodes = json.loads(out)
    # head + worker node (a third joins for a while in the lost-node test)
    assert len(nodes) >= 2 and all(ip == "127.0.0.1" and cpu == 1 for ip, cpu in nodes)


def test_sweep_on_the_cluster_equals_serial(cluster, tmp_path):
    n = 12_000
    db = tmp_path / "ray.duckdb"
    res = cluster.run(*cluster.strait(*_sweep_args(db, n, "--executor", "ray", "--address",
                                                   cluster.address, "-q")))
    assert f"study 1 stored in {db}" in res.stdout
    assert_same(serial(n, tmp_path), stored(db), n)


def test_a_killed_ray_worker_loses_no_block(cluster, tmp_path):
    """SIGKILL Ray worker processes while they play a block (seeded choice of when and
    which, at most two): Ray retries the task; the study equals the serial one."""
    n = 40_000
    db = tmp_path / "ray.duckdb"
    rng = random.Random(7)
    proc = cluster.popen(*cluster.strait(*_sweep_args(db, n, "--address", cluster.address)))
    kills = 0
    deadline = time.monotonic() + 90
    try:
        time.sleep(rng.uniform(0.5, 2.0))
        while kills < 2 and proc.poll() is None and time.monotonic() < deadline:
            busy = [p for p in cluster.pids() if _cmdline(p).startswith("ray::_ray_call")]
            if busy:
                _kill([rng.choice(sorted(busy))])
                kills += 1
                time.sleep(rng.uniform(0.2, 1.0))
            else:
                time.sleep(0.05)
        _out, err = proc.communicate(timeout=180)
    finally:
        _kill(descendants(proc.pid))
    assert proc.returncode == 0, err
    assert kills >= 1, "no block was running to kill; make the sweep longer"
    assert_same(serial(n, tmp_path), stored(db), n)


def test_a_lost_worker_node_loses_no_block(cluster, tmp_path):
    """A third node joins and is killed (all its processes) while it plays a block: its
    blocks are played again elsewhere; nothing lost or doubled."""
    n = 40_000
    db = tmp_path / "ray.duckdb"
    node = cluster.popen(RAY, "start", f"--address={cluster.address}", "--num-cpus=1",
                         "--node-ip-address=127.0.0.1", "--object-store-memory=200000000",
                         "--block")
    try:
        code = (f"import ray, time; ray.init(address='{cluster.address}', log_to_driver=False)\n"
                "t = time.time()\n"
                "while sum(n['Alive'] for n in ray.nodes()) < 3 and time.time() - t < 60:\n"
                "    time.sleep(0.2)\n"
                "print(sum(n['Alive'] for n in ray.nodes()))")
        assert cluster.run(sys.executable, "-c", code).stdout.split()[-1] == "3"
        proc = cluster.popen(*cluster.strait(*_sweep_args(db, n, "--address",
                                                          cluster.address, "-w", "3")))
        try:
            # kill the node while it plays a block (its worker process is busy)
            end = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < end and not any(
                    _cmdline(p).startswith("ray::_ray_call") for p in descendants(node.pid)):
                time.sleep(0.05)
            assert proc.poll() is None, "the sweep ended before the third node took a block"
            assert any(_cmdline(p).startswith("ray::_ray_call")
                       for p in descendants(node.pid)), "the third node never took a block"
            _kill(descendants(node.pid))  # the node and every worker process on it
            _out, err = proc.communicate(timeout=240)
        finally:
            _kill(descendants(proc.pid))
        assert proc.returncode == 0, err
    finally:
        _kill(descendants(node.pid))
    assert_same(serial(n, tmp_path), stored(db), n)


def test_a_driver_killed_with_sigkill_resumes_on_the_cluster(cluster, tmp_path):
    n = 40_000
    db = tmp_path / "ray.duckdb"
    rng = random.Random(3)
    args = _sweep_args(db, n, "--address", cluster.address)
    proc = cluster.popen(*cluster.strait(*args))
    try:
        assert proc.stderr is not None
        seen = []  # a node killed by an earlier test may still be listed: a warning first
        while not (line := proc.stderr.readline()).startswith("stored cell") and line:
            seen.append(line)
        assert line.startswith("stored cell 1/3"), "".join(seen) + line + proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.3))
        _kill(descendants(proc.pid))
        proc.wait(timeout=30)
    finally:
        _kill(descendants(proc.pid))
    with StudyStore(db, create=False) as store:
        info = store.studies().iloc[0]
        assert info["status"] == "running" and 1 <= info["cells_done"] < 3
    res = cluster.run(*cluster.strait(*args, "--resume", "-q"))
    assert "resumed, played" in res.stdout
    assert_same(serial(n, tmp_path), stored(db), n)


@pytest.mark.parametrize("version, needle", [
    ("0.0.0", "run strait 0.0.0, this process runs strait"),
    (None, "cannot import strait (ModuleNotFoundError"),
])
def test_workers_with_another_strait_are_one_line_exit_2(cluster, tmp_path, version, needle):
    """The check task's answer is replaced (as a node with another strait would answer):
    one line naming the node and the fix, exit 2, and no study in the file."""
    db = tmp_path / "ray.duckdb"
    report = (f"e.NodeReport('127.0.0.1', {version!r}, \"ModuleNotFoundError: No module "
              "named 'strait'\")")
    code = ("import sys; import strait.experiments.executors as e\n"
            f"e.RayExecutor.probe = lambda self: [{report}]\n"
            "from strait.cli import main; sys.argv[0] = 'strait'; main()")
    res = cluster.run(sys.executable, "-c", code, *_sweep_args(db, 500, "--address",
                                                              cluster.address),
                      check=False)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --executor ray: the workers on "
                                                   "node 127.0.0.1"), res.stderr
    assert needle in lines[0] and "pip install 'strait[ray]==" in lines[0]
    assert not db.exists() or StudyStore(db, create=False).studies().empty
