"""Executors: split a run into fixed-size blocks and play them serially, in a local process
pool or on a Ray cluster — with bit-identical results.

The seeding contract: lanes are cut into blocks of :data:`BLOCK_SIZE`; block ``i`` draws
from ``numpy.random.default_rng(SeedSequence(seed, spawn_key=(cell, i)))``. A lane's
numbers therefore depend only on (seed, cell, its block, its place in the block, and the
block's size — which differs from BLOCK_SIZE only for the last block of a run) — never on
which executor played it, how many workers ran or in which order blocks finished — so the
same seed and ``n`` give bit-identical results everywhere.

One protocol, three executors (:class:`Executor`):

* :class:`SerialExecutor` plays every block in this process.
* :class:`ProcessExecutor` plays them in a local process pool (kept between runs, since
  starting processes and compiling the engine costs more than a small run). A worker that
  dies mid-block (killed, out of memory) breaks the pool: the pool is rebuilt and the
  blocks that were lost are played again, so no block is lost or counted twice.
* :class:`RayExecutor` (``pip install 'strait[ray]'``; Ray is imported only when used)
  plays them as Ray tasks on a cluster (``address``) or a local Ray instance. Ray retries a
  task whose worker process or node died (``max_retries``); a block lost beyond that is
  submitted again. Before any work, a tiny task on every node checks that its workers
  import the same strait version as this process.

Every executor keeps at most ``window`` blocks (2 × workers) submitted but not yet handed
back, and hands results back in block order through a small reorder buffer: the driver's
memory does not grow with ``n``.

Example:
    >>> import strait
    >>> a = strait.run("csis-base", n=3000, seed=7, executor="serial")
    >>> b = strait.run("csis-base", n=3000, seed=7, executor=SerialExecutor())
    >>> a.table.equals(b.table)
    True
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from strait.engine import compile_structure, play_block
from strait.errors import EngineError, ExecutorError
from strait.scenario.models import Scenario

log = logging.getLogger(__name__)

BLOCK_SIZE = 8192
"""Lanes per block (part of the seeding contract: changing it changes results)."""

EXECUTORS = ("serial", "process", "ray")
"""The executor names ``strait.run(executor=...)`` and ``--executor`` accept."""

MAX_RESTARTS = 5
"""How many times one run may rebuild a broken process pool or resubmit lost Ray blocks."""


def block_rng(seed: int, block: int, cell: int = 0) -> np.random.Generator:
    """The generator of block ``block`` of study cell ``cell`` under root ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(cell, block)))


@dataclass(frozen=True)
class BlockTask:
    """One block to play."""

    block: int
    start: int
    size: int


def blocks(n: int, block_size: int = BLOCK_SIZE) -> list[BlockTask]:
    """Cut ``n`` lanes into blocks."""
    return [BlockTask(i, s, min(block_size, n - s)) for i, s in enumerate(range(0, n, block_size))]


# ------------------------------------------------------------------------------ jobs


@dataclass(frozen=True)
class Job:
    """Work an executor maps over blocks: ``init(payload)`` prepares a worker once per
    ``key`` (e.g. compiles a scenario), then ``fn(arg)`` plays one block. ``init`` and
    ``fn`` are module-level functions (they travel by name to processes and Ray workers).
    """

    key: str
    init: Callable[[Any], None]
    payload: Any
    fn: Callable[[Any], Any]


_READY: dict[str, str] = {}
"""Per worker process: ``init`` name → the job key it was last prepared for."""


def _prepare(key: str, init: Callable[[Any], None], payload: Any) -> None:
    name = f"{init.__module__}.{init.__qualname__}"
    if _READY.get(name) != key:
        init(payload)
        _READY[name] = key


def _call(key: str, init: Callable[[Any], None], payload: Any, fn: Callable[[Any], Any],
          arg: Any) -> Any:
    """Run one block in a worker (process pool): prepare once per job key, then play."""
    _prepare(key, init, payload)
    return fn(arg)


def _ray_call(key: str, init: Callable[[Any], None], payload_box: list[Any],
              fn: Callable[[Any], Any], arg: Any) -> Any:
    """Run one block in a Ray worker; the payload arrives boxed (an object reference inside a
    list is not fetched by Ray) and is fetched only when this worker was not prepared."""
    name = f"{init.__module__}.{init.__qualname__}"
    if _READY.get(name) != key:
        import ray

        init(ray.get(payload_box[0]))
        _READY[name] = key
    return fn(arg)


# ------------------------------------------------------------------------- protocol


@runtime_checkable
class Executor(Protocol):
    """Plays a :class:`Job` over a list of block arguments and yields the results in order.

    Implementations: :class:`SerialExecutor`, :class:`ProcessExecutor`,
    :class:`RayExecutor`. ``workers`` is how many blocks run at once.
    """

    name: str

    @property
    def workers(self) -> int: ...

    def start(self) -> None:
        """Connect and check (a no-op where there is nothing to connect to); raises
        :class:`ExecutorError` with a one-line message on failure."""

    def imap(self, job: Job, args: Sequence[Any]) -> Iterator[Any]:
        """``job.fn(a)`` for each ``a`` of ``args``, yielded in the order of ``args``."""
        ...


class SerialExecutor:
    """Play every block in this process, one after another."""

    name = "serial"

    @property
    def workers(self) -> int:
        return 1

    def start(self) -> None:
        return None

    def imap(self, job: Job, args: Sequence[Any]) -> Iterator[Any]:
        job.init(job.payload)  # cheap; this process's state may have been changed since
        _READY[f"{job.init.__module__}.{job.init.__qualname__}"] = job.key
        for a in args:
            yield job.fn(a)

    def __repr__(self) -> str:
        return "SerialExecutor()"


def _window(workers: int, n_tasks: int) -> int:
    return max(1, min(2 * workers, n_tasks))


class ProcessExecutor:
    """Play blocks in a local pool of ``workers`` processes (``None`` = every core).

    The pool is kept between runs (a study's cells, a role sweep). At most 2 × workers
    blocks are in flight. A worker that dies mid-block breaks the pool; it is rebuilt and
    the lost blocks are played again (at most :data:`MAX_RESTARTS` times per run).
    """

    name = "process"

    def __init__(self, workers: int | None = None, *, max_restarts: int = MAX_RESTARTS,
                 inline_single: bool = False):
        self._workers = max(1, int(workers)) if workers is not None else (os.cpu_count() or 1)
        self.max_restarts = max_restarts
        self.inline_single = inline_single
        """Play a run of one block in this process (no pool to start for a small run)."""
        self.restarts = 0
        """Pool rebuilds so far (after a worker died)."""

    @property
    def workers(self) -> int:
        return self._workers

    def start(self) -> None:
        return None

    def pids(self) -> list[int]:
        """The process ids of the pool's workers (empty before the first run)."""
        pool = _POOL.get("pool")
        procs = getattr(pool, "_processes", None) or {}
        return sorted(int(p) for p in procs)

    def imap(self, job: Job, args: Sequence[Any]) -> Iterator[Any]:
        n = len(args)
        workers = max(1, min(self._workers, n))
        if workers == 1 and self.inline_single:
            yield from SerialExecutor().imap(job, args)
            return
        window = _window(workers, n)
        pool = _pool(workers)
        pending: dict[Future[Any], int] = {}
        ready: dict[int, Any] = {}
        submitted = yielded = 0
        restarts = 0

        def submit(i: int) -> None:
            pending[pool.submit(_call, job.key, job.init, job.payload, job.fn, args[i])] = i

        try:
            while yielded < n:
                broken = False
                lost: list[int] = []
                while submitted < n and submitted - yielded < window:
                    try:
                        submit(submitted)
                    except (BrokenProcessPool, RuntimeError):
                        broken = True
                        lost.append(submitted)
                        submitted += 1
                        break
                    submitted += 1
                if not broken and yielded not in ready:
                    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                    for f in done:
                        i = pending.pop(f)
                        try:
                            ready[i] = f.result()
                        except BrokenProcessPool:
                            broken = True
                            lost.append(i)
                if broken:  # every block still in flight is lost with the pool
                    lost += pending.values()
                    pending.clear()
                    restarts += 1
                    self.restarts += 1
                    if restarts > self.max_restarts:
                        _drop_pool()
                        raise ExecutorError(
                            f"executor process: worker processes died {restarts} times in "
                            "one run (out of memory? killed?); use fewer --workers, or "
                            "--executor serial")
                    log.warning("a worker process died; rebuilding the pool and playing "
                                "%d lost block(s) again", len(lost))
                    _drop_pool()
                    pool = _pool(workers)
                    for i in sorted(lost):
                        submit(i)
                while yielded in ready:
                    yield ready.pop(yielded)
                    yielded += 1
        finally:
            for f in pending:
                f.cancel()

    def __repr__(self) -> str:
        return f"ProcessExecutor(workers={self._workers})"


_POOL: dict[str, Any] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """The kept process pool of ``workers`` processes (made on first use)."""
    if _POOL.get("workers") != workers or _POOL.get("pool") is None:
        _drop_pool()
        _POOL["pool"] = ProcessPoolExecutor(max_workers=workers, initializer=_watch_parent,
                                            initargs=(os.getpid(),))
        _POOL["workers"] = workers
    pool: ProcessPoolExecutor = _POOL["pool"]
    return pool


def _watch_parent(parent: int) -> None:
    """In a pool worker: exit when the process that made the pool is gone (a driver killed
    with SIGKILL would otherwise leave its workers waiting for work forever)."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="strait-parent-watch", daemon=True).start()


def _drop_pool() -> None:
    pool = _POOL.pop("pool", None)
    _POOL.pop("workers", None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


atexit.register(_drop_pool)


# ------------------------------------------------------------------------------ ray

RAY_HINT = "pip install 'strait[ray]'"


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ExecutorError(f"--executor ray: Ray is not installed here; {RAY_HINT} (or use "
                            "--executor process)") from None
    return ray


def split_address(address: str) -> tuple[str, int] | None:
    """``(host, port)`` of ``HOST:PORT`` or ``ray://HOST:PORT``; ``None`` for ``auto``.

    >>> split_address("ray://10.0.0.5:10001"), split_address("auto")
    (('10.0.0.5', 10001), None)
    """
    text = address.strip()
    if text == "auto":
        return None
    body = text.split("://", 1)[1] if "://" in text else text
    host, sep, port = body.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ExecutorError(f"--address: expected HOST:PORT, ray://HOST:PORT or auto, found "
                            f"{address!r}; e.g. --address 10.0.0.5:6379 (the head node's "
                            "'ray start --head' port)")
    return host.strip("[]"), int(port)


def check_reachable(address: str, timeout: float = 5.0) -> None:
    """A one-line :class:`ExecutorError` unless something listens at ``address``."""
    hp = split_address(address)
    if hp is None:
        return
    try:
        with socket.create_connection(hp, timeout=timeout):
            pass
    except OSError as exc:
        raise ExecutorError(
            f"--address {address}: no Ray cluster answers there ({exc.strerror or exc}); "
            "start one with 'ray start --head --port PORT' and give that node's HOST:PORT, "
            "or leave --address out to start Ray on this machine") from None


@dataclass(frozen=True)
class NodeReport:
    """What the check task found on one node: its address and the strait version its
    workers import (``None`` with ``error`` when they cannot import strait)."""

    node: str
    version: str | None
    error: str = ""


def check_nodes(reports: Sequence[NodeReport], expected: str, address: str) -> None:
    """A one-line :class:`ExecutorError` unless every node imports strait ``expected``.

    >>> check_nodes([NodeReport("10.0.0.7", "0.1.0")], "0.1.0", "auto")
    >>> check_nodes([NodeReport("10.0.0.7", "0.0.9")], "0.1.0", "auto")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    strait.errors.ExecutorError: --executor ray: the workers on node 10.0.0.7 run strait 0.0.9, ...
    """
    if not reports:
        raise ExecutorError(f"--address {address}: the Ray cluster has no node with a free "
                            "CPU; add worker nodes ('ray start --address HEAD:PORT')")
    for r in reports:
        if r.version is None:
            raise ExecutorError(
                f"--executor ray: the workers on node {r.node} cannot import strait "
                f"({r.error}); install it on every node of the cluster (pip install "
                f"'strait[ray]=={expected}'), in the Python environment 'ray start' runs in")
        if r.version != expected:
            raise ExecutorError(
                f"--executor ray: the workers on node {r.node} run strait {r.version}, this "
                f"process runs strait {expected}; install strait {expected} on every node of "
                f"the cluster (pip install 'strait[ray]=={expected}') so results are "
                "comparable")


class RayExecutor:
    """Play blocks as Ray tasks on a cluster, or on a Ray instance started here.

    Args:
        address: ``None`` (start Ray on this machine with ``workers`` CPUs), ``"auto"``
            (the cluster this machine belongs to), ``HOST:PORT`` (a head node's GCS port)
            or ``ray://HOST:PORT`` (Ray Client).
        workers: blocks run at once (default: the cluster's CPUs).
        max_retries: Ray's retries of a task whose worker process or node died.
        connect_timeout: seconds to wait for ``address`` to answer.

    Results come back to this process (the driver): a study's DuckDB file is written here.
    """

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, *,
                 max_retries: int = 3, connect_timeout: float = 5.0,
                 max_restarts: int = MAX_RESTARTS):
        self.address = address
        self._workers = int(workers) if workers is not None else None
        self.max_retries = max_retries
        self.connect_timeout = connect_timeout
        self.max_restarts = max_restarts
        self.resubmitted = 0
        """Blocks submitted again after Ray gave up on them (lost beyond its retries)."""
        self._started = False
        self._payloads: dict[str, Any] = {}
        self._remote: Any = None

    @property
    def workers(self) -> int:
        if self._workers is None:
            self.start()
            ray = _import_ray()
            self._workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        return self._workers

    def probe(self) -> list[NodeReport]:
        """Run the check task once on every alive node (strait's version there)."""
        ray = _import_ray()
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        def strait_version() -> str:  # defined here so it travels by value
            import strait

            return str(strait.__version__)

        remote = ray.remote(num_cpus=0, max_retries=0)(strait_version)
        nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU")]
        refs = [(n["NodeManagerAddress"], remote.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote())
            for n in nodes]
        out = []
        for node, ref in refs:
            try:
                out.append(NodeReport(node, ray.get(ref, timeout=120)))
            except ray.exceptions.RayTaskError as exc:  # the task ran: strait failed there
                cause = getattr(exc, "cause", None) or exc
                out.append(NodeReport(node, None, " ".join(f"{type(cause).__name__}: "
                                                           f"{cause}".split())[:200]))
            except Exception as exc:  # the node left (or never ran it): it plays nothing
                log.warning("node %s did not answer the check (%s); it is left out",
                            node, type(exc).__name__)
        return out

    def start(self) -> None:
        """Connect (or start a local Ray), then check strait on every node."""
        if self._started:
            return
        from strait import __version__

        ray = _import_ray()
        where = self.address or "local"
        if self.address is not None:
            check_reachable(self.address, self.connect_timeout)
        if ray.is_initialized():
            ray.shutdown()
        kw: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING,
                              "configure_logging": False}
        if self.address is None:
            kw.update(num_cpus=self._workers or (os.cpu_count() or 1), include_dashboard=False)
        else:
            kw["address"] = self.address
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            with _quiet_stderr():
                ray.init(**kw)
        except Exception as exc:
            text = " ".join(str(exc).split())
            if "version mismatch" in text.lower():
                raise ExecutorError(
                    f"--address {where}: the cluster runs another Ray or Python version "
                    f"({text[:240]}); run the driver with the cluster's Ray and Python "
                    "versions") from None
            if "auth" in text.lower():
                raise ExecutorError(
                    f"--address {where}: the cluster asks for its authentication token; set "
                    "RAY_AUTH_MODE=token and RAY_AUTH_TOKEN (or ~/.ray/auth_token) here as on "
                    "the head node") from None
            raise ExecutorError(f"--address {where}: cannot connect to Ray ({text[:240]}); "
                                "check the address and that the cluster is up ('ray status' "
                                "on the head node)") from None
        self._started = True
        try:
            check_nodes(self.probe(), __version__, where)
        except ExecutorError:
            self.close()
            raise
        log.info("connected to Ray at %s: %s CPUs", where,
                 ray.cluster_resources().get("CPU", 0))

    def close(self) -> None:
        """Disconnect from Ray (a local Ray instance stops)."""
        if self._started:
            ray = _import_ray()
            ray.shutdown()
            self._started = False
            self._payloads.clear()
            self._remote = None

    def imap(self, job: Job, args: Sequence[Any]) -> Iterator[Any]:
        self.start()
        ray = _import_ray()
        from ray import exceptions as rx

        if self._remote is None:
            self._remote = ray.remote(num_cpus=1, max_retries=self.max_retries)(_ray_call)
        if job.key not in self._payloads:
            self._payloads[job.key] = ray.put(job.payload)
        box = [self._payloads[job.key]]
        n = len(args)
        window = _window(self.workers, n)
        pending: dict[Any, int] = {}
        ready: dict[int, Any] = {}
        submitted = yielded = restarts = 0

        def submit(i: int) -> None:
            pending[self._remote.remote(job.key, job.init, box, job.fn, args[i])] = i

        lost_errors: tuple[type[BaseException], ...] = (
            rx.WorkerCrashedError, rx.NodeDiedError, rx.ObjectLostError,
            rx.OwnerDiedError, rx.TaskUnschedulableError)
        try:
            while yielded < n:
                while submitted < n and submitted - yielded < window:
                    submit(submitted)
                    submitted += 1
                if yielded not in ready:
                    done, _ = ray.wait(list(pending), num_returns=1)
                    for ref in done:
                        i = pending.pop(ref)
                        try:
                            ready[i] = ray.get(ref)
                        except lost_errors as exc:
                            restarts += 1
                            self.resubmitted += 1
                            if restarts > self.max_restarts:
                                raise ExecutorError(
                                    f"--executor ray: block {i} was lost {restarts} times "
                                    f"({type(exc).__name__}); check the cluster's nodes "
                                    "('ray status')") from None
                            log.warning("block %d lost (%s); submitting it again", i,
                                        type(exc).__name__)
                            submit(i)
                        except rx.RayTaskError as exc:
                            cause = getattr(exc, "cause", None)
                            if isinstance(cause, BaseException):
                                raise cause from None
                            raise
                while yielded in ready:
                    yield ready.pop(yielded)
                    yielded += 1
        finally:
            for ref in pending:
                with contextlib.suppress(Exception):
                    ray.cancel(ref)

    def __repr__(self) -> str:
        return f"RayExecutor(address={self.address!r}, workers={self._workers})"


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Hide what Ray prints on connecting (the CLI shows one line of its own)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            sys.stderr.flush()
            os.dup2(null.fileno(), fd)
            try:
                yield
            finally:
                sys.stderr.flush()
                os.dup2(saved, fd)
    finally:
        os.close(saved)


# ------------------------------------------------------------------------- choosing

_DEFAULT: list[Executor] = []
_RAY: dict[tuple[str | None, int | None], RayExecutor] = {}


def make_executor(executor: str | Executor | None = None, workers: int | None = None,
                  address: str | None = None) -> Executor:
    """An executor from a name (``serial``, ``process``, ``ray``), an :class:`Executor` (as
    is), or ``None``: the one set by :func:`use_executor`, else ``serial`` when
    ``workers == 1`` and ``process`` otherwise. ``address`` implies ``ray``.

    >>> make_executor(None, workers=1)
    SerialExecutor()
    >>> make_executor("process", workers=2)
    ProcessExecutor(workers=2)
    """
    if executor is not None and not isinstance(executor, str):
        if not isinstance(executor, Executor):
            raise ExecutorError(f"executor: expected one of {', '.join(EXECUTORS)} or an "
                                f"Executor, found {executor!r}")
        return executor
    if executor is None and address is not None:
        executor = "ray"
    if executor is None:
        if _DEFAULT:
            return _DEFAULT[-1]
        if workers == 1:
            return SerialExecutor()
        return ProcessExecutor(workers, inline_single=True)
    name = executor.strip().lower()
    if name not in EXECUTORS:
        raise ExecutorError(f"--executor: expected one of {', '.join(EXECUTORS)}, found "
                            f"{executor!r}; e.g. --executor process")
    if address is not None and name != "ray":
        raise ExecutorError(f"--address: a Ray cluster address needs --executor ray, found "
                            f"--executor {name}; give --executor ray or leave --address out")
    if name == "serial":
        return SerialExecutor()
    if name == "process":
        return ProcessExecutor(workers)
    if address is not None:
        split_address(address)  # a malformed address fails before anything else
    key = (address, workers)
    if key not in _RAY:  # one connection per address, kept for the process
        _RAY[key] = RayExecutor(address, workers)
    return _RAY[key]


@contextlib.contextmanager
def use_executor(executor: str | Executor | None = None, workers: int | None = None,
                 address: str | None = None) -> Iterator[Executor]:
    """Make ``executor`` the default of every run inside the ``with`` block (analyses
    such as ``strait.analysis.voi.voi`` and ``sensitivity`` call :func:`strait.run`).

    Example:
        >>> import strait
        >>> with use_executor("serial") as ex:
        ...     strait.run("csis-base", n=500, seed=1).meta["executor"]
        'serial'
    """
    ex = make_executor(executor, workers, address)
    ex.start()
    _DEFAULT.append(ex)
    try:
        yield ex
    finally:
        _DEFAULT.remove(ex)


# ----------------------------------------------------------------------- scenarios

_WORKER: dict[str, object] = {}


def _init_worker(scenario: Scenario) -> None:
    _WORKER["struct"] = compile_structure(scenario)


def _play(args: tuple[BlockTask, int, int, int, np.ndarray | None, int]
          ) -> tuple[BlockTask, dict[str, np.ndarray], np.ndarray | None]:
    task, seed, cell, trajectories, roles, dice = args
    struct = _WORKER["struct"]
    rng = block_rng(seed, task.block, cell)
    share = None if dice == 1 else (np.arange(task.size) // dice) * dice
    cols, traj = play_block(struct, task.size, rng,  # type: ignore[arg-type]
                            trajectories=trajectories if task.block == 0 else 0, roles=roles,
                            params_from=share)
    return task, cols, traj


def scenario_job(scenario: Scenario, fn: Callable[[Any], Any] | None = None,
                 init: Callable[[Any], None] | None = None) -> Job:
    """The :class:`Job` that prepares workers with ``scenario`` compiled and plays blocks
    with ``fn`` (default: a block of :func:`run_scenario`)."""
    from strait.scenario.loader import scenario_hash

    return Job(key=scenario_hash(scenario), init=init or _init_worker, payload=scenario,
               fn=fn or _play)


def run_scenario(
    scenario: Scenario,
    n: int,
    seed: int,
    *,
    workers: int | None = None,
    trajectories: int = 0,
    cell: int = 0,
    roles: np.ndarray | None = None,
    block_size: int = BLOCK_SIZE,
    dice_per_draw: int = 1,
    executor: str | Executor | None = None,
    on_block: Callable[[BlockTask, dict[str, np.ndarray]], None] | None = None,
) -> Iterator[tuple[BlockTask, dict[str, np.ndarray], np.ndarray | None]]:
    """Play ``n`` lanes of ``scenario``; yield ``(task, columns, trajectories)`` per block.

    Blocks are yielded in block order whatever order they finish in. ``executor``: a name
    or an :class:`Executor` (see :func:`make_executor`); without one, ``workers=None``
    uses every core in a process pool and ``workers=1`` plays in this process. ``roles``
    (``(n, A)`` ints) forces starting roles. ``dice_per_draw`` > 1 plays each draw of the
    uncertain inputs that many times with different dice (consecutive lanes share a draw;
    it must divide the block size, so groups never straddle blocks).
    """
    if not isinstance(n, int | np.integer) or n <= 0:
        raise EngineError(f"n: expected a number of campaigns > 0, found {n}; use e.g. -n 10000")
    if seed is None or int(seed) < 0:
        raise EngineError(f"seed: expected an integer >= 0, found {seed}")
    if trajectories < 0 or trajectories > block_size:
        raise EngineError(f"trajectories: expected 0 to {block_size} campaigns (they are "
                          f"recorded from the first block), found {trajectories}")
    dice = int(dice_per_draw)
    if dice < 1 or block_size % dice:
        raise EngineError(f"dice_per_draw: expected a divisor of the block size {block_size} "
                          f"(1, 2, 4, ... {block_size}), found {dice_per_draw}; e.g. 32")
    tasks = blocks(int(n), block_size)
    ex = make_executor(executor, workers)
    compile_structure(scenario)  # fail fast in the parent on an unplayable scenario
    args = [(t, int(seed), cell, trajectories,
             None if roles is None else roles[t.start:t.start + t.size], dice) for t in tasks]
    for out in ex.imap(scenario_job(scenario), args):
        if on_block is not None:
            on_block(out[0], out[1])
        yield out

