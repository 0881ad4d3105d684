"""``strait serve`` as a user starts it: a real process on a loopback port that answers
what-ifs through its warm engine pool and leaves no worker behind when stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import psutil
import pytest


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_stops_with_its_workers(sig):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = os.path.join(os.path.dirname(sys.executable), "strait")
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: list[psutil.Process] = []
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                if httpx.get(url + "/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "strait serve did not come up"
                time.sleep(0.2)
        body = {"n": 9000, "seed": 1, "roles": {"JPN": {"level": "NEUTRAL"}}}
        r = httpx.post(url + "/api/whatif", json=body, timeout=60)
        assert r.status_code == 200 and r.json()["n"] == 9000
        workers[:] = psutil.Process(proc.pid).children(recursive=True)
        assert len(workers) == 2  # the engine's process pool (two blocks, two workers)
        proc.send_signal(sig)
        proc.wait(timeout=30)
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert alive == []
    finally:
        for p in [proc, *workers]:  # whatever happened, leave nothing running
            try:
                if p.poll() is None if isinstance(p, subprocess.Popen) else p.is_running():
                    p.kill()
            except psutil.Error:
                pass
        proc.wait()
