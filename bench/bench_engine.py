"""Engine benchmark: campaigns per second and peak memory for csis-base.

Prints, for 10^6 lanes (table kept in memory, one worker and all workers) and 10^7
lanes (too large to keep: streamed to a temporary Parquet file with running summaries,
all workers): wall time, campaigns/s, peak resident memory (of this process plus its
workers), and the ratios against the targets (>= 50,000 campaigns/s with both cores of
a 2-core machine, <= 1 GB peak whatever the number of lanes). Then the role sweep
(``strait validate roles``): every level of every ally, 4 x 7 cells of 10,000 campaigns
plus the baseline run, all workers, against its 20 s target. Run with ``make bench``;
not part of the test suite. Options: ``--sizes 1000000,10000000``
``--scenario csis-base`` ``--workers 2`` (only that many workers) ``--only engine|roles``
(one section) ``--sweep-n 10000`` (campaigns per cell of the role sweep).

``--only web`` starts ``strait serve`` on a free loopback port and measures, end to end
over HTTP, a what-if of 10,000 campaigns (target <= 1 s with a warm process pool), then
100 concurrent what-ifs (distinct seeds and Japanese roles): how many answered, how many
were refused with a 4xx (the bounded queue), p50/p95 latency and the server's peak
memory (server process plus its engine workers, as PSS and as summed RSS); the burst
runs against the default queue (16) and against a server with room for all 100.

``--only executors``: the same study (ft-2025-ambiguity, Japan at levels 0 and 6: 3 cells of
``--executor-n`` = 10^5 campaigns each) on the local process pool and on Ray started on this
machine, with 1 and 2 workers (best of ``--rounds`` x ``--repeats``, the set-ups
interleaved, each timed run started once the machine is nearly idle, engine warm in every
worker): the 2-worker/1-worker scaling (target >= 1.8x on 2 cores) and Ray's overhead
against the pool (target <= 15 %); then the driver's peak memory (this process only, the
workers excluded) for runs of 10^6 and 10^7 campaigns (``--memory-sizes``) kept as running
summaries, on each executor: flat as n grows. As root, Ray runs inside a network namespace
of its own (loopback only), as in the tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

TARGET_RATE = 50_000
TARGET_MEM_GB = 1.0
TARGET_SWEEP_S = 20.0


def _child(scenario: str, n: int, workers: int) -> None:
    import tempfile

    import strait
    from strait import api

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bench.parquet") if api.streams(n) else None
        t0 = time.perf_counter()
        res = strait.run(scenario, n=n, seed=12345, workers=workers, out=out)
        p = res.summary().outcome_probabilities["prc_victory"]
        dt = time.perf_counter() - t0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{dt:.3f} {self_kb} {kids_kb} {p:.4f} {'streamed' if res.streamed else 'kept'}")


def _sweep_child(scenario: str, n: int, workers: int) -> None:
    import strait
    from strait.analysis.roles import role_sweep

    t0 = time.perf_counter()  # compile and warm the engine outside the timed sweep
    strait.run(scenario, n=100, seed=1, workers=1)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    sweep = role_sweep(scenario, n=n, seed=0, workers=workers or None)
    dt = time.perf_counter() - t0
    cells = sum(len(c) for c in sweep.cells.values())
    print(f"{dt:.3f} {warm:.3f} {cells} {len(sweep.flagged())}")


def _role_sweep_section(scenario: str, n: int, workers: int) -> None:
    out = subprocess.run([sys.executable, __file__, "--sweep-child", scenario, str(n),
                          str(workers)], capture_output=True, text=True, check=True).stdout.split()
    dt, warm, cells, flagged = float(out[0]), float(out[1]), int(out[2]), int(out[3])
    lanes = (cells + 1) * n  # the cells and the baseline run that fixes the other allies
    shown = workers or os.cpu_count() or 1
    print()
    print(f"role sweep — {cells} cells x {n:,} campaigns + baseline, {shown} workers "
          f"(engine warm-up {warm:.1f} s, not counted)")
    print(f"{'seconds':>8} {'campaigns/s':>12} {'flagged':>7} {'time/target':>11}")
    print(f"{dt:>8.2f} {lanes / dt:>12,.0f} {flagged:>7} {dt / TARGET_SWEEP_S:>11.2f}")


TARGET_STUDY_S = 15.0
"""Japan x Australia study (49 cells x 10,000 campaigns) on 2 cores."""


def _study_child(n: int, workers: int) -> None:
    import tempfile

    import strait
    from strait.experiments.store import StudyStore
    from strait.experiments.study import role_sweep_design, run_study

    strait.run("ft-2025-ambiguity", n=100, seed=1, workers=1)  # warm the engine
    with tempfile.TemporaryDirectory() as tmp:
        design = role_sweep_design("ft-2025-ambiguity", ["JPN", "AUS"], None, n=n, seed=0)
        t0 = time.perf_counter()
        with StudyStore(os.path.join(tmp, "bench.duckdb")) as store:
            res = run_study(design, store, workers=workers or None)
        dt = time.perf_counter() - t0
    print(f"{dt:.3f} {len(res.cells)}")


def _study_section(n: int, workers: int) -> None:
    out = subprocess.run([sys.executable, __file__, "--study-child", str(n), str(workers)],
                         capture_output=True, text=True, check=True).stdout.split()
    dt, cells = float(out[0]), int(out[1])
    shown = workers or os.cpu_count() or 1
    print()
    print(f"study — ft-2025-ambiguity, Japan x Australia: {cells} cells (incl. the reference) "
          f"x {n:,} campaigns, {shown} workers, stored in DuckDB")
    print(f"{'seconds':>8} {'campaigns/s':>12} {'time/target':>11}")
    print(f"{dt:>8.2f} {cells * n / dt:>12,.0f} {dt / TARGET_STUDY_S:>11.2f}")


TARGET_VOI_S = 10.0
"""Value of information for 4 allies on 10^5 lanes, beyond the runs."""
TARGET_SOBOL_S = 60.0
"""Sobol with 8 inputs at a base sample of 1,024."""


def _analysis_child(n: int, workers: int) -> None:
    import numpy as np

    import strait
    from strait.analysis.lexicographic import lexicographic_table
    from strait.analysis.sensitivity import sensitivity
    from strait.analysis.voi import default_credibility, voi_table

    strait.run("ft-2025-ambiguity", n=100, seed=1, workers=1)  # warm the engine
    # VOI: two US options on the same 10^5 campaigns, each ally's role as a variable
    base = strait.run("ft-2025-ambiguity", n=n, seed=0, workers=workers or None).table
    alt = strait.run("ft-2025-ambiguity", n=n, seed=0, workers=workers or None,
                     changes={"doctrine.usa.basing": "dispersed"}).table
    U = np.stack([-(base.outcome == 0).to_numpy(float), -(alt.outcome == 0).to_numpy(float)],
                 axis=1)
    killed = np.stack([-base.usa_killed.to_numpy(float), -alt.usa_killed.to_numpy(float)],
                      axis=1)
    variables = {a: base[f"{a}_role_start"].to_numpy() for a in ("jpn", "aus", "phl", "kor")}
    cred = {a: default_credibility() for a in variables}
    t0 = time.perf_counter()  # what strait voi computes: scalar values, then the rule's pairs
    voi_table(U, variables, credibility=cred)
    lexicographic_table(U, killed, variables, credibility=cred)
    voi_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    s = sensitivity("ft-2025-ambiguity", "sobol", base=1024, seed=0, workers=workers or None)
    sobol_s = time.perf_counter() - t0
    print(f"{voi_s:.3f} {sobol_s:.3f} {s.campaigns}")


def _analysis_section(n: int, workers: int) -> None:
    out = subprocess.run([sys.executable, __file__, "--analysis-child", str(n), str(workers)],
                         capture_output=True, text=True, check=True).stdout.split()
    voi_s, sobol_s, camps = float(out[0]), float(out[1]), int(out[2])
    print()
    print(f"analysis — ft-2025-ambiguity: value of information for 4 allies on {n:,} lanes "
          "(beyond the runs; EVPI, EVPPI exact and regression, EVSI, 200 bootstrap "
          "resamples, scalar and lexicographic); Sobol, 8 inputs, base 1,024 "
          f"({camps:,} campaigns)")
    print(f"{'what':>8} {'seconds':>8} {'time/target':>11}")
    print(f"{'voi':>8} {voi_s:>8.2f} {voi_s / TARGET_VOI_S:>11.2f}")
    print(f"{'sobol':>8} {sobol_s:>8.2f} {sobol_s / TARGET_SOBOL_S:>11.2f}")


TARGET_SCALING = 1.8
TARGET_RAY_OVERHEAD = 0.15


def _idle_share(seconds: float = 1.0) -> float:
    """Share of all cores idle over the next ``seconds`` (from /proc/stat)."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat") as fh:
            v = [int(x) for x in fh.readline().split()[1:]]
        return v[3] + v[4], sum(v)

    i0, t0 = sample()
    time.sleep(seconds)
    i1, t1 = sample()
    return (i1 - i0) / max(t1 - t0, 1)


def _wait_quiet(share: float = 0.85, patience: float = 90.0) -> float:
    """Wait (up to ``patience`` s) until the machine is nearly idle, so other work does not
    take the cores a timed run needs: Linux shares the CPU between sessions (autogroups),
    so one busy process elsewhere halves what two local workers get. Returns the idle
    share seen last."""
    end = time.monotonic() + patience
    idle = _idle_share()
    while idle < share and time.monotonic() < end:
        idle = _idle_share()
    return idle


def _executors_child(executor: str, workers: int, n: int, repeats: int) -> None:
    """Times of ``repeats`` studies of 3 cells x ``n`` on a warm executor, each started
    once the machine is nearly idle, with the idle share seen before it."""
    import tempfile

    from strait.experiments.executors import make_executor
    from strait.experiments.study import role_sweep_design, run_study

    ex = make_executor(executor, workers)
    ex.start()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = role_sweep_design("ft-2025-ambiguity", ["JPN"], [0, 6], n=2 * 8192, seed=1)
        run_study(warm, os.path.join(tmp, "warm.duckdb"), executor=ex)  # workers compile
        for r in range(repeats):
            design = role_sweep_design("ft-2025-ambiguity", ["JPN"], [0, 6], n=n, seed=0)
            idle = _wait_quiet()
            t0 = time.perf_counter()
            run_study(design, os.path.join(tmp, f"s{r}.duckdb"), executor=ex)
            out.append(f"{time.perf_counter() - t0:.3f}:{100 * idle:.0f}")
    print(" ".join(out))


def _memory_child(executor: str, workers: int, n: int) -> None:
    """Peak resident memory of the driver alone for a run of ``n`` kept as summaries."""
    import strait
    from strait.experiments.executors import make_executor

    ex = make_executor(executor, workers)
    ex.start()  # Ray's start-up is not part of the rate
    t0 = time.perf_counter()
    res = strait.run("ft-2025-ambiguity", n=n, seed=0, executor=ex, keep_table=False)
    dt = time.perf_counter() - t0
    p = res.summary().outcome_probabilities["prc_victory"]
    print(f"{dt:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} {p:.4f}")


def _netns_prefix(executor: str) -> tuple[list[str], str | None]:
    """``ip netns exec NS`` for Ray when root (Ray stays on loopback), else nothing."""
    import shutil

    if executor != "ray" or os.geteuid() != 0 or shutil.which("ip") is None:
        return [], None
    ns = f"strait-bench-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"], check=True)
    return ["ip", "netns", "exec", ns], ns


def _in_child(executor: str, args: list[str]) -> list[str]:
    prefix, ns = _netns_prefix(executor)
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    try:
        return subprocess.run([*prefix, sys.executable, __file__, *args], capture_output=True,
                              text=True, check=True, env=env).stdout.split()
    finally:
        if ns is not None:
            out = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
            for pid in out.stdout.split():
                try:
                    os.kill(int(pid), 9)
                except ProcessLookupError:
                    pass
            subprocess.run(["ip", "netns", "delete", ns], check=False)


def _executors_section(n: int, repeats: int, memory_sizes: str, rounds: int) -> None:
    try:
        import ray  # noqa: F401
        names = ["process", "ray"]
    except ImportError:
        names = ["process"]
        print("(Ray not installed: pip install 'strait[ray]' to bench it)")
    print()
    print(f"executors — ft-2025-ambiguity, Japan 0/6 study: 3 cells x {n:,} campaigns, "
          f"best of {rounds} rounds x {repeats}, warm workers; load average now "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'executor':>8} {'workers':>7} {'seconds':>8} {'campaigns/s':>12} "
          f"{'all runs (s @ % idle before)':>28}")
    t: dict[tuple[str, int], float] = {}
    runs: dict[tuple[str, int], list[str]] = {}
    # rounds interleave the four set-ups, so a busy spell on the machine hits all of them
    for _ in range(rounds):
        for name in names:
            for w in (1, 2):
                out = _in_child(name, ["--executors-child", name, str(w), str(n),
                                       str(repeats)])
                runs.setdefault((name, w), []).extend(out)
    for (name, w), got in runs.items():
        t[name, w] = min(float(x.split(":")[0]) for x in got)
        print(f"{name:>8} {w:>7} {t[name, w]:>8.2f} {3 * n / t[name, w]:>12,.0f}  "
              + " ".join(f"{float(x.split(':')[0]):.1f}@{x.split(':')[1]}" for x in got))
    for name in names:
        ratio = t[name, 1] / t[name, 2]
        print(f"scaling {name}, 2 workers vs 1: {ratio:.2f}x (target >= {TARGET_SCALING}x: "
              f"{'met' if ratio >= TARGET_SCALING else 'NOT met'})")
    if "ray" in names:
        for w in (1, 2):
            over = t["ray", w] / t["process", w] - 1
            print(f"Ray overhead vs the process pool, {w} worker(s): {100 * over:+.1f} % "
                  f"(target <= {100 * TARGET_RAY_OVERHEAD:.0f} %: "
                  f"{'met' if over <= TARGET_RAY_OVERHEAD else 'NOT met'})")
    print()
    print("driver peak memory (this process only), runs kept as running summaries, "
          "2 workers")
    print(f"{'executor':>8} {'campaigns':>11} {'seconds':>8} {'campaigns/s':>12} "
          f"{'driver MB':>10}")
    for name in names:
        for size in (int(x) for x in memory_sizes.split(",")):
            out = _in_child(name, ["--memory-child", name, "2", str(size)])
            dt, kb = float(out[0]), int(out[1])
            print(f"{name:>8} {size:>11,} {dt:>8.1f} {size / dt:>12,.0f} {kb / 1024:>10.0f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--workers", type=int, default=0, help="only this many workers")
    ap.add_argument("--scenario", default="csis-base")
    ap.add_argument("--only", choices=("engine", "roles", "study", "analysis", "web",
                                       "executors"),
                    default=None, help="run only this section")
    ap.add_argument("--executor-n", type=int, default=100_000,
                    help="campaigns per cell of the executors study")
    ap.add_argument("--repeats", type=int, default=2,
                    help="executors study: timed studies per executor start")
    ap.add_argument("--rounds", type=int, default=2,
                    help="executors study: rounds over the four set-ups (best time kept)")
    ap.add_argument("--memory-sizes", default="1000000,10000000",
                    help="executors: run sizes for the driver's peak memory")
    ap.add_argument("--executors-child", nargs=4)
    ap.add_argument("--memory-child", nargs=3)
    ap.add_argument("--sweep-n", type=int, default=10_000, help="campaigns per sweep cell")
    ap.add_argument("--child", nargs=3)
    ap.add_argument("--sweep-child", nargs=3)
    ap.add_argument("--study-child", nargs=2)
    ap.add_argument("--analysis-child", nargs=2)
    a = ap.parse_args()
    if a.executors_child:
        e = a.executors_child
        _executors_child(e[0], int(e[1]), int(e[2]), int(e[3]))
        return
    if a.memory_child:
        _memory_child(a.memory_child[0], int(a.memory_child[1]), int(a.memory_child[2]))
        return
    if a.child:
        _child(a.child[0], int(a.child[1]), int(a.child[2]))
        return
    if a.analysis_child:
        _analysis_child(int(a.analysis_child[0]), int(a.analysis_child[1]))
        return
    if a.study_child:
        _study_child(int(a.study_child[0]), int(a.study_child[1]))
        return
    if a.sweep_child:
        _sweep_child(a.sweep_child[0], int(a.sweep_child[1]), int(a.sweep_child[2]))
        return
    cores = os.cpu_count() or 1
    py = sys.version.split()[0]
    print(f"strait engine benchmark — scenario {a.scenario}, {cores} cores, python {py}")
    if a.only in (None, "engine"):
        _engine_section(a.scenario, a.sizes, a.workers, cores)
    if a.only in (None, "roles"):
        _role_sweep_section(a.scenario, a.sweep_n, a.workers)
    if a.only in (None, "study"):
        _study_section(a.sweep_n, a.workers)
    if a.only in (None, "analysis"):
        _analysis_section(100_000, a.workers)
    if a.only in (None, "web"):
        _web_section(a.workers)
    if a.only in (None, "executors"):
        _executors_section(a.executor_n, a.repeats, a.memory_sizes, a.rounds)


def _engine_section(scenario: str, sizes: str, workers: int, cores: int) -> None:
    print(f"{'lanes':>10} {'table':>8} {'workers':>7} {'seconds':>8} {'campaigns/s':>12} "
          f"{'peak GB':>8} {'rate/target':>11} {'mem/target':>10}")
    for n in (int(x) for x in sizes.split(",")):
        # one worker as well only where it takes minutes, not tens of minutes
        ws = [workers] if workers else sorted({1, cores} if n <= 1_000_000 else {cores})
        for w in ws:
            out = subprocess.run([sys.executable, __file__, "--child", scenario, str(n), str(w)],
                                 capture_output=True, text=True, check=True).stdout.split()
            dt, self_kb, kids_kb, kind = float(out[0]), int(out[1]), int(out[2]), out[4]
            # parent + the largest worker (workers run side by side; each reports its own peak)
            peak_gb = (self_kb + kids_kb * (w if w > 1 else 0)) / 1024**2
            rate = n / dt
            print(f"{n:>10} {kind:>8} {w:>7} {dt:>8.2f} {rate:>12,.0f} {peak_gb:>8.2f} "
                  f"{rate / TARGET_RATE:>11.2f} {peak_gb / TARGET_MEM_GB:>10.2f}")


TARGET_WHATIF_S = 1.0


def _web_section(workers: int) -> None:
    """strait serve over loopback: one what-if at a time, then 100 at once, first with the
    default queue (16: the rest are refused with 429), then with room for all 100."""
    _web_server(workers, max_pending=16, single=True)
    _web_server(workers, max_pending=100, single=False)


def _web_server(workers: int, max_pending: int, single: bool) -> None:
    import asyncio
    import socket
    import statistics
    import threading

    import httpx
    import psutil

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    strait_bin = os.path.join(os.path.dirname(sys.executable), "strait")
    cmd = [strait_bin, "serve", "--port", str(port), "--max-n", "100000",
           "--max-pending", str(max_pending)]
    if workers:
        cmd += ["--workers", str(workers)]
    t_start = time.perf_counter()
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    peak = [0, 0]  # RSS summed (counts pages the forked workers share once per process), PSS
    stop = threading.Event()

    def watch() -> None:  # memory of the server and its engine workers
        proc = psutil.Process(server.pid)
        while not stop.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
                full = [p.memory_full_info() for p in procs]
                peak[0] = max(peak[0], sum(m.rss for m in full))
                peak[1] = max(peak[1], sum(m.pss for m in full))
            except psutil.Error:
                pass
            time.sleep(0.1)

    threading.Thread(target=watch, daemon=True).start()
    try:
        with httpx.Client(base_url=base, timeout=120) as c:
            while True:
                try:
                    if c.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    if server.poll() is not None:
                        raise RuntimeError(server.stderr.read().decode() if server.stderr
                                           else "server exited") from None
                    time.sleep(0.1)
            ready_s = time.perf_counter() - t_start
            timed = []
            for i, level in enumerate(("ACCESS_COMBAT", "NEUTRAL", "NEUTRAL", "ACCESS_COMBAT",
                                       "DEFENSIVE_COMBAT") if single else ()):
                body = {"scenario": "csis-base", "n": 10_000, "seed": 1000 + i,
                        "roles": {"JPN": {"level": level}}}
                t0 = time.perf_counter()
                r = c.post("/api/whatif", json=body)
                timed.append((time.perf_counter() - t0, level, r.status_code,
                              r.json().get("elapsed_s", 0.0)))
        if timed:
            print()
            print(f"web — strait serve on loopback (ready in {ready_s:.1f} s incl. engine "
                  "warm-up): what-if of 10,000 campaigns, csis-base, end to end over HTTP")
            print(f"{'JPN role':>17} {'status':>6} {'seconds':>8} {'engine s':>8} "
                  f"{'time/target':>11}")
            for dt, level, status, eng in timed:
                print(f"{level:>17} {status:>6} {dt:>8.3f} {eng:>8.3f} "
                      f"{dt / TARGET_WHATIF_S:>11.2f}")
            med = statistics.median(d for d, *_ in timed)
            print(f"{'median':>17} {'':>6} {med:>8.3f} {'':>8} {med / TARGET_WHATIF_S:>11.2f}")

        levels = ("ACCESS_COMBAT", "NEUTRAL", "LOGISTICS_ISR", "FULL_COMBAT")

        async def one(client: httpx.AsyncClient, i: int) -> tuple[int, float]:
            body = {"scenario": "csis-base", "n": 10_000, "seed": 5000 + i,
                    "roles": {"JPN": {"level": levels[i % len(levels)]}}}
            t0 = time.perf_counter()
            try:
                r = await client.post("/api/whatif", json=body)
                return r.status_code, time.perf_counter() - t0
            except httpx.HTTPError:
                return -1, time.perf_counter() - t0

        async def burst() -> list[tuple[int, float]]:
            limits = httpx.Limits(max_connections=100)
            async with httpx.AsyncClient(base_url=base, timeout=600, limits=limits) as ac:
                return await asyncio.gather(*(one(ac, i) for i in range(100)))

        t0 = time.perf_counter()
        results = asyncio.run(burst())
        wall = time.perf_counter() - t0
        ok = sorted(dt for st, dt in results if st == 200)
        refused = sorted(dt for st, dt in results if 400 <= st < 500)
        errors = [st for st, _ in results if st == -1 or st >= 500]

        def q(xs: list[float], p: float) -> float:
            return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))] if xs else float("nan")

        print()
        print("web — 100 concurrent what-ifs of 10,000 campaigns (distinct seeds, JPN role "
              f"cycling through {len(levels)} levels), --max-pending {max_pending}")
        print(f"{'answered':>8} {'4xx':>5} {'errors':>6} {'p50 s':>7} {'p95 s':>7} "
              f"{'4xx p95 s':>9} {'wall s':>7} {'peak PSS GB':>11} {'RSS sum GB':>10}")
        print(f"{len(ok):>8} {len(refused):>5} {len(errors):>6} {q(ok, 0.5):>7.2f} "
              f"{q(ok, 0.95):>7.2f} {q(refused, 0.95):>9.3f} {wall:>7.1f} "
              f"{peak[1] / 1024**3:>11.2f} {peak[0] / 1024**3:>10.2f}")
        print("(p50/p95 of the answered ones; peak memory of the server and its engine workers "
              "over the run: PSS counts shared pages once, the RSS sum once per process)")
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)

if __name__ == "__main__":
    main()
