"""The web API (``strait serve``): what-ifs give the numbers of ``strait run`` with the same
seed, refusals are one-line 4xx, tokens are enforced, studies open by id."""

from __future__ import annotations

import json
import shlex

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import strait
from strait.cli import app as cli
from strait.web.app import create_app
from strait.web.service import ServeConfig

runner = CliRunner()


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(ServeConfig(max_n=20_000, workers=1), warm=False)) as c:
        yield c


def test_whatif_matches_strait_run_and_its_command(client, tmp_path):
    body = {"scenario": "csis-base", "n": 3000, "seed": 5,
            "roles": {"JPN": {"level": "NEUTRAL"}}}
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    ref = strait.run("csis-base", n=3000, seed=5, workers=1,
                     changes=["jpn.role=NEUTRAL"]).summary()
    for o in got["outcomes"]:
        assert o["probability"] == pytest.approx(ref.outcome_probabilities[o["key"]], abs=0)
        assert (o["low"], o["high"]) == pytest.approx(ref.outcome_intervals[o["key"]])
    med = {d["column"]: d["quantiles"]["p50"] for d in got["losses"]}
    assert med["usa_aircraft_lost"] == pytest.approx(ref.losses["usa_aircraft_lost"]["median"])
    assert {d["side"] for d in got["losses"]} == {"US", "Japan", "PRC", "Taiwan"}
    assert got["roles"]["JPN"] == {"level": "NEUTRAL"}
    assert got["command"] == "strait run csis-base -n 3000 --seed 5 --set jpn.role=NEUTRAL"
    # the command the page shows gives the same numbers from a terminal
    out = tmp_path / "s.json"
    res = runner.invoke(cli, [*shlex.split(got["command"])[1:], "-q", "--json", str(out)])
    assert res.exit_code == 0, res.output
    from_cli = json.loads(out.read_text())
    assert from_cli["outcome_probabilities"] == {o["key"]: o["probability"]
                                                 for o in got["outcomes"]}
    assert from_cli["scenario_hash"] == got["scenario_hash"]
    # every chart states scenario, N, seed and version
    assert set(got["charts"]) == {"outcomes", "losses", "timeline"}
    for spec in got["charts"].values():
        text = json.dumps(spec)
        for needle in ("csis-base", "3,000 campaigns", "seed 5", f"strait {strait.__version__}",
                       "JPN=NEUTRAL"):
            assert needle in text
    assert got["timeline"]["campaigns"] == 200 and got["timeline"]["turns"][0]["day"] == 3.5


def test_prior_roles_and_their_command(client):
    prior = {"NEUTRAL": 0.25, "ACCESS_COMBAT": 0.75}
    r = client.post("/api/whatif", json={"n": 1000, "seed": 2, "roles": {"JPN": {"prior": prior}}})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["command"] == ("strait run csis-base -n 1000 --seed 2 --set "
                              "'jpn.role={prior: {NEUTRAL: 0.25, ACCESS_COMBAT: 0.75}}'")
    ref = strait.run("csis-base", n=1000, seed=2, workers=1,
                     changes={"allies.JPN.role": {"prior": prior}}).summary()
    assert {o["key"]: o["probability"] for o in got["outcomes"]} == ref.outcome_probabilities


@pytest.mark.parametrize(("body", "needle"), [
    ({"n": 20_001}, "at most 20,000 campaigns (this server's --max-n)"),
    ({"n": 10, "scenario": "csis-bsae"}, "did you mean 'csis-base'"),
    ({"n": 10, "roles": {"JPN": {"level": "ALLY"}}}, "roles.JPN: expected a level name"),
    ({"n": 10, "roles": {"XXX": {"level": "NEUTRAL"}}}, "roles: expected an ally code"),
    ({"n": 10, "roles": {"JPN": {"prior": {"NEUTRAL": 0.4}}}}, "sum to 1"),
    ({"n": 10, "scenario_yaml": "name: x\ntitle: X\nextends: /etc/passwd\n"},
     "uploaded scenarios cannot read files"),
    ({"n": 10, "scenario_yaml": "name: x\ntitle: X\ninclude: [../secret.yaml]\n"},
     "uploaded scenarios cannot read files"),
    ({"n": 10, "scenario_yaml": "a: &x [1]\nb: *x\n"}, "anchor or alias"),
    ({"n": 10, "scenario_yaml": "name: x\ntitle: X\n" + "#" * 200_001}, "at most 200,000 bytes"),
    ({"n": 10, "scenario_yaml": "name: x\ntitel: X\n"}, "upload.yaml:2: titel"),
])
def test_bad_input_is_a_one_line_4xx(client, body, needle):
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert needle in detail and "\n" not in detail and "Traceback" not in detail


def test_uploaded_scenario_runs_and_validates(client):
    text = "name: short-war\ntitle: Short war\nextends: csis-base\ncampaign: {horizon_turns: 6}\n"
    v = client.post("/api/scenarios/validate", json={"scenario_yaml": text})
    assert v.status_code == 200 and v.json()["horizon_turns"] == 6
    r = client.post("/api/whatif", json={"scenario_yaml": text, "n": 500, "seed": 1})
    assert r.status_code == 200, r.text
    assert r.json()["scenario"] == "short-war"
    assert r.json()["command"].startswith("strait run upload.yaml -n 500 --seed 1")


def test_scenarios_show_ladders_with_legal_meaning(client):
    names = [s["name"] for s in client.get("/api/scenarios").json()]
    assert "csis-base" in names and "ft-2025-ambiguity" in names
    d = client.get("/api/scenarios/csis-base").json()
    jpn = next(a for a in d["allies"] if a["code"] == "JPN")
    assert [r["level"] for r in jpn["ladder"]][:4] == ["NEUTRAL", "DIPLOMATIC",
                                                       "ACCESS_NONCOMBAT", "ACCESS_COMBAT"]
    assert "1960 exchange of notes" in jpn["ladder"][0]["legal_hook"]
    assert jpn["role"] == {"level": "ACCESS_COMBAT"}
    src = client.get("/api/scenarios/csis-base/sources").json()
    assert any(row["source"] == "csis2023" for row in src)
    assert client.get("/api/scenarios/..%2Fetc").status_code == 404


def test_results_download(client):
    import io

    import pandas as pd

    body = {"n": 300, "seed": 4, "roles": {"JPN": {"level": "NEUTRAL"}}}
    pq = client.post("/api/whatif/table?format=parquet", json=body)
    csv = client.post("/api/whatif/table?format=csv", json=body)
    assert pq.status_code == csv.status_code == 200
    a = pd.read_parquet(io.BytesIO(pq.content))
    b = pd.read_csv(io.BytesIO(csv.content))
    ref = strait.run("csis-base", n=300, seed=4, workers=1, changes=["jpn.role=NEUTRAL"]).table
    assert len(a) == len(b) == 300
    assert (a["outcome"].to_numpy() == ref["outcome"].to_numpy()).all()
    assert (b["usa_aircraft_lost"].to_numpy() == pytest.approx(ref["usa_aircraft_lost"]))


def test_oversized_body_is_refused_before_it_is_parsed(client):
    r = client.post("/api/whatif", content=b'{"scenario_yaml": "' + b"#" * 3_000_000 + b'"}',
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"].startswith("body: expected at most 2,000,000 bytes, found 3,000,")


def test_full_queue_is_refused_with_429(client):
    q = client.app.state.runner
    q.pending = q.cfg.max_pending
    try:
        r = client.post("/api/whatif", json={"n": 10, "seed": 99})
    finally:
        q.pending = 0
    assert r.status_code == 429 and "--max-pending" in r.json()["detail"]


def test_token_is_checked_on_every_api_call():
    cfg = ServeConfig(host="0.0.0.0", token="s3cret-token", workers=1)
    with TestClient(create_app(cfg, warm=False)) as c:
        assert c.get("/api/scenarios").status_code == 401
        bad = c.get("/api/scenarios", headers={"Authorization": "Bearer wrong-token"})
        assert bad.status_code == 401 and "different token" in bad.json()["detail"]
        assert c.post("/api/whatif", json={"n": 10}).status_code == 401
        assert c.get("/api/studies/1").status_code == 401
        ok = c.get("/api/scenarios", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        assert c.get("/").status_code == 200  # the page itself; it sends the token


def test_serve_refuses_open_address_without_token():
    r = runner.invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "--token" in lines[0] and lines[0].startswith("error: --host")
    r = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--token", "short"])
    assert r.exit_code == 2 and "at least 8 characters" in r.output
    r = runner.invoke(cli, ["serve", "--db", "/nonexistent/s.duckdb"])
    assert r.exit_code == 2 and "no study file" in r.output


def test_import_strait_does_not_import_fastapi():
    import subprocess
    import sys

    code = "import strait, sys; strait.run; print('fastapi' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_studies_by_id(web_study_db):
    cfg = ServeConfig(db=web_study_db, workers=1)
    with TestClient(create_app(cfg, warm=False)) as c:
        lst = c.get("/api/studies").json()
        assert [s["id"] for s in lst] == [1] and lst[0]["n_cells"] == 10
        s = c.get("/api/studies/1").json()
        assert {"heatmap", "sensitivity", "voi", "discovery"} <= set(s["charts"])
        assert s["analyses"] == ["discovery", "sensitivity", "voi"]
        assert any(b["input"] == "jpn_role_start" for b in s["discovery_box"])
        assert "ft-2025-ambiguity · 300 campaigns per cell · seed 3" in json.dumps(
            s["charts"]["heatmap"], ensure_ascii=False)
        assert s["command"] == ("strait sweep ft-2025-ambiguity --allies jpn,aus --levels "
                                "0,3,6 -n 300 --seed 3")
        csv = c.get("/api/studies/1/cells?format=csv")
        assert csv.status_code == 200 and csv.text.count("\n") == 11
        pq = c.get("/api/studies/1/cells?format=parquet")
        assert pq.content[:4] == b"PAR1"
        rep = c.get("/api/studies/1/report")
        assert rep.status_code == 200 and "data:image/png;base64," in rep.text
        missing = c.get("/api/studies/7")
        assert missing.status_code == 404 and "7" in missing.json()["detail"]


def test_study_file_locked_by_a_running_study_is_409(web_study_db, tmp_path):
    import shutil
    import subprocess
    import sys

    db = tmp_path / "busy.duckdb"
    shutil.copy(web_study_db, db)
    holder = subprocess.Popen(  # another process holds the file, as a running sweep does
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with TestClient(create_app(ServeConfig(db=db, workers=1), warm=False)) as c:
            r = c.get("/api/studies/1")
            assert r.status_code == 409, r.text
            assert "locked by process" in r.json()["detail"]
    finally:
        holder.kill()
        holder.wait()
