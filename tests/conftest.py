"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def web_study_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real study (JPN x AUS role sweep) with a stored PRIM discovery, global
    sensitivity and VOI, made by the same API and commands a user runs."""
    from typer.testing import CliRunner

    from strait.cli import app
    from strait.experiments.study import role_sweep_design, run_study

    db = tmp_path_factory.mktemp("webstudy") / "studies.duckdb"
    design = role_sweep_design("ft-2025-ambiguity", ["JPN", "AUS"], [0, 3, 6], n=300,
                               seed=3, name="japan-australia", keep_lanes=True,
                               keep_inputs=True)
    run_study(design, db, workers=1)
    runner = CliRunner()
    for args in (["discover", "1", "--db", str(db)],
                 ["sensitivity", "ft-2025-ambiguity", "--method", "delta", "-n", "600",
                  "--study", "1", "--db", str(db)],
                 ["voi", "ft-2025-ambiguity", "-d", "dispersed=doctrine.usa.basing=dispersed",
                  "-n", "1000", "--bootstrap", "10", "-q", "--study", "1", "--db", str(db)]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (args, r.output, r.exception)
    return db
