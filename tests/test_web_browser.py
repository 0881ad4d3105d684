"""The dashboard in a real browser (Debian's chromium through Playwright): a what-if's
numbers update in place and match ``strait.run`` with the same seed and N; pinning
compares two configurations side by side; a stored study opens with its heatmap,
sensitivity and VOI bars and PRIM box; the page asks nothing of the network but the
server.

With ``STRAIT_SCREENSHOT=PATH`` the test also saves the page as a PNG there (how
docs/img/dashboard.png is made)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import strait
from strait.web.app import create_app
from strait.web.service import ServeConfig

CHROMIUM = "/usr/bin/chromium"
N, SEED = 4000, 11


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(cfg: ServeConfig) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    app = create_app(cfg, warm=False)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and th.is_alive(), "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(timeout=10)


@pytest.fixture(scope="module")
def server(web_study_db: Path) -> Iterator[str]:
    yield from _serve(ServeConfig(db=web_study_db, workers=1))


def _pct(p: float) -> str:
    return f"{100 * p:.1f} %"


NEEDS_CHROMIUM = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Debian's chromium is installed by .ci/run and by make test as root (in CI this "
           "test never skips)")


@NEEDS_CHROMIUM
def test_dashboard_whatif_compare_and_study(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = strait.run("csis-base", n=N, seed=SEED, workers=1).summary()
    neutral = strait.run("csis-base", n=N, seed=SEED, workers=1,
                         changes=["jpn.role=NEUTRAL"]).summary()
    assert base.outcome_probabilities != neutral.outcome_probabilities
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            page.click("#sources summary")  # every number with its source
            expect(page.locator("#sources-body")).to_contain_text(
                "The First Battle of the Next War", timeout=30_000)
            page.click("#sources summary")
            page.fill("#n", str(N))
            page.fill("#seed", str(SEED))

            # 1. the scenario as it is (Japan grants bases for combat), then pin it
            page.click("#run")
            row = "#current tr[data-key='prc_victory'] td.p"
            expect(page.locator(row)).to_have_text(
                _pct(base.outcome_probabilities["prc_victory"]), timeout=30_000)
            page.click("#pin")
            expect(page.locator("#pinned")).to_be_visible()

            # 2. Japan neutral: the legal meaning is shown, the numbers change in place
            page.select_option("#mode-JPN", "level")
            page.select_option("#level-JPN", "NEUTRAL")
            expect(page.locator("#meaning-JPN")).to_contain_text("1960 exchange of notes")
            page.select_option("#mode-AUS", "prior")  # a prior shows the level being edited
            page.focus("#p-AUS-FULL_COMBAT")
            expect(page.locator("#meaning-AUS")).to_contain_text("6 FULL_COMBAT")
            page.select_option("#mode-AUS", "scenario")
            page.evaluate("window.__kept = 42")  # a reload would lose it
            page.click("#run")
            for key, p in neutral.outcome_probabilities.items():
                expect(page.locator(f"#current tr[data-key='{key}'] td.p")).to_have_text(
                    _pct(p), timeout=30_000)
            assert page.evaluate("window.__kept") == 42  # updated in place, not reloaded
            expect(page.locator("#current code.cmd")).to_have_text(
                f"strait run csis-base -n {N} --seed {SEED} --set jpn.role=NEUTRAL")
            expect(page.locator("#current .subtitle")).to_contain_text(
                f"csis-base · {N:,} campaigns · seed {SEED} · strait {strait.__version__}")

            # 3. side by side: pinned keeps the base numbers, the delta table shows both
            expect(page.locator("#pinned tr[data-key='prc_victory'] td.p")).to_have_text(
                _pct(base.outcome_probabilities["prc_victory"]))
            cells = page.locator("#delta-table tr[data-key='prc_victory'] td")
            expect(cells.nth(1)).to_have_text(_pct(base.outcome_probabilities["prc_victory"]))
            expect(cells.nth(2)).to_have_text(
                _pct(neutral.outcome_probabilities["prc_victory"]))
            d = 100 * (neutral.outcome_probabilities["prc_victory"]
                       - base.outcome_probabilities["prc_victory"])
            expect(cells.nth(3)).to_have_text(f"{'+' if d >= 0 else ''}{d:.1f}")
            for box in ("current", "pinned"):
                for chart in ("outcomes", "losses", "timeline"):
                    page.wait_for_selector(f"#{box}-chart-{chart} svg", timeout=30_000)
            shot = os.environ.get("STRAIT_SCREENSHOT")
            if shot:
                page.screenshot(path=shot, full_page=False)

            # 4. a stored study: heatmap, sensitivity bars, VOI bars, PRIM box
            page.select_option("#study", "1")
            page.click("#open-study")
            for chart in ("heatmap", "sensitivity", "voi", "discovery"):
                page.wait_for_selector(f"#study-chart-{chart} svg", timeout=30_000)
            expect(page.locator("#prim-box")).to_contain_text("jpn_role_start")
            expect(page.locator("#study-view")).to_contain_text(
                "strait sweep ft-2025-ambiguity --allies jpn,aus --levels 0,3,6 -n 300 "
                "--seed 3")
            captions = page.locator("#study-view figcaption")
            assert captions.count() >= 6
            for i in range(captions.count()):  # every chart states scenario, N, seed, version
                assert captions.nth(i).inner_text().startswith(
                    f"ft-2025-ambiguity · 300 campaigns per cell · seed 3 · strait "
                    f"{strait.__version__}")
            heat = page.inner_text("#study-chart-heatmap")
            assert "P(PRC victory)" in heat and "300 campaigns per cell" in heat
        finally:
            browser.close()
    assert errors == []
    remote = [u for u in requests if not u.startswith((server, "data:", "blob:"))]
    assert remote == []


@NEEDS_CHROMIUM
def test_page_sends_the_token_from_its_address() -> None:
    from playwright.sync_api import expect, sync_playwright

    token = "page-token-123"
    for url in _serve(ServeConfig(token=token, workers=1)):
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--headless", "--no-sandbox"])
            try:
                page = browser.new_page()
                page.goto(url + "/")  # no token: the API refuses, the page says why
                expect(page.locator("#error")).to_contain_text("authorization: expected "
                                                               "'Bearer <token>'")
                page = browser.new_page()  # (a hash change alone would not reload)
                page.goto(url + "/#token=" + token)
                page.wait_for_selector("body[data-ready='1']", timeout=30_000)
                assert "token" not in page.url  # taken out of the address bar
                expect(page.locator("#scenario")).to_contain_text("csis-base")
                assert page.locator("#error").inner_text() == ""
            finally:
                browser.close()
