"""The Python API: ``strait.run`` arguments and errors, summaries, and results files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import strait
from strait.engine import OUTCOMES
from strait.errors import EngineError, ResultsError, ScenarioError, StraitError
from strait.results import COLUMNS, RunResults, read_results, wilson_interval, write_results
from strait.scenario.loader import load_scenario
from strait.scenario.models import LiftClass


def _one_line(e: pytest.ExceptionInfo) -> str:
    msg = str(e.value)
    assert "\n" not in msg and msg.strip() == msg and msg
    return msg


@pytest.fixture(scope="module")
def res() -> RunResults:
    return strait.run("csis-base", n=600, seed=7, workers=1, trajectories=5)


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize("n", [0, -1, -10_000])
def test_n_must_be_positive(n):
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=n, workers=1)
    msg = _one_line(e)
    assert msg.startswith("n:") and str(n) in msg


@pytest.mark.parametrize("n", [2.5, "100", None])
def test_n_must_be_an_integer(n):
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=n, workers=1)
    assert _one_line(e).startswith("n:")


def test_seed_must_be_non_negative():
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=10, seed=-1, workers=1)
    assert "seed" in _one_line(e)


def test_unknown_scenario():
    with pytest.raises(ScenarioError) as e:
        strait.run("no-such-scenario", n=10, workers=1)
    assert "no-such-scenario" in _one_line(e)


@pytest.mark.parametrize("changes", [
    {"parameters.air.no_such_parameter": 1.0},
    ["parameters.air.no_such_parameter=1.0"],
])
def test_bad_change_path_names_the_path(changes):
    with pytest.raises(ScenarioError) as e:
        strait.run("csis-base", n=10, workers=1, changes=changes)
    assert "parameters.air.no_such_parameter" in _one_line(e)


def test_bad_change_value_names_the_path():
    with pytest.raises(ScenarioError) as e:
        strait.run("csis-base", n=10, workers=1,
                   changes={"parameters.antiship.p_hit_subsonic": 1.5})
    assert "p_hit_subsonic" in _one_line(e)


def test_malformed_set_expression():
    with pytest.raises(ScenarioError) as e:
        strait.run("csis-base", n=10, workers=1, changes=["campaign.horizon_turns"])
    assert "PATH=VALUE" in _one_line(e)


def test_no_pla_lift_is_an_engine_error():
    no_lift = {f"forces.CHN.lift.{c.value}": 0 for c in LiftClass}
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=10, workers=1, changes=no_lift)
    assert "forces.CHN.lift" in _one_line(e)


def test_changes_on_a_built_scenario_are_refused():
    s = load_scenario("csis-base")
    with pytest.raises(EngineError) as e:
        strait.run(s, n=10, workers=1, changes=["jpn.role=NEUTRAL"])
    _one_line(e)


@pytest.mark.parametrize("roles", [np.zeros((10, 3)), np.zeros((9, 4)), np.full((10, 4), 7),
                                   np.full((10, 4), -1)])
def test_bad_forced_roles(roles):
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=10, workers=1, roles=roles)
    assert "roles" in _one_line(e)


def test_n_zero_with_empty_roles_is_an_engine_error():
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=0, workers=1, roles=np.zeros((0, 4), dtype=np.int8))
    assert _one_line(e).startswith("n:")


def test_every_deliberate_error_is_a_strait_error():
    for exc in (EngineError, ScenarioError, ResultsError):
        assert issubclass(exc, StraitError)


# ----------------------------------------------------------------------------- running


def test_a_scenario_object_runs():
    s = load_scenario("csis-base")
    a = strait.run(s, n=64, seed=1, workers=1)
    b = strait.run("csis-base", n=64, seed=1, workers=1)
    assert_frame_equal(a.table, b.table, check_exact=True)


def test_progress_callback_reaches_n():
    seen: list[tuple[int, int]] = []
    strait.run("csis-base", n=100, seed=1, workers=1, progress=lambda d, n: seen.append((d, n)))
    assert seen[-1] == (100, 100)


def test_table_has_documented_columns(res):
    assert len(res.table) == 600 and res.n == 600
    missing = [c for c in COLUMNS if c not in res.table]
    assert not missing


def test_trajectories_shape(res):
    assert res.trajectories.shape[:2] == (5, res.meta["horizon_turns"])


# ----------------------------------------------------------------------------- summary


def test_summary_probabilities_sum_to_one(res):
    s = res.summary()
    assert s.n == 600
    assert set(s.outcome_probabilities) == set(OUTCOMES)
    assert math.isclose(sum(s.outcome_probabilities.values()), 1.0, abs_tol=1e-12)
    counts = res.outcome_counts()
    assert sum(counts.values()) == 600
    for k, p in s.outcome_probabilities.items():
        assert p == counts[k] / 600


def test_wilson_intervals_contain_the_estimate(res):
    s = res.summary()
    for k, p in s.outcome_probabilities.items():
        lo, hi = s.outcome_intervals[k]
        assert 0.0 <= lo <= p <= hi <= 1.0, k
        assert hi - lo > 0


@pytest.mark.parametrize("n", [1, 7, 100, 10_000])
def test_wilson_interval_properties(n):
    for x in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        lo, hi = wilson_interval(x, n)
        assert 0.0 <= lo <= x / n <= hi <= 1.0
    assert wilson_interval(0, n)[0] == 0.0 and wilson_interval(n, n)[1] == 1.0
    assert all(math.isnan(v) for v in wilson_interval(0, 0))


@pytest.mark.parametrize(("x", "n"), [(0, 69), (0, 600), (4, 4), (10, 10)])
def test_wilson_interval_edges_contain_the_estimate(x, n):
    lo, hi = wilson_interval(x, n)
    assert lo <= x / n <= hi


def test_wilson_interval_known_value():
    lo, hi = wilson_interval(5, 100)
    assert (round(lo, 4), round(hi, 4)) == (0.0215, 0.1118)


def test_summary_losses_are_ordered(res):
    s = res.summary()
    for col, q in s.losses.items():
        assert q["p05"] <= q["median"] <= q["p95"], col
    d = s.to_dict()
    assert d["n"] == 600 and set(d["outcome_intervals"]) == set(OUTCOMES)


# ---------------------------------------------------------------------------------- io


def test_write_read_round_trip(res, tmp_path):
    path = write_results(res, tmp_path / "run.parquet")
    assert path.exists() and not list(tmp_path.glob("*.tmp"))
    back = read_results(path)
    assert back.scenario_name == res.scenario_name
    assert back.scenario_hash == res.scenario_hash
    assert back.seed == res.seed
    assert_frame_equal(back.table, res.table, check_exact=True)
    assert back.summary().outcome_probabilities == res.summary().outcome_probabilities


def test_run_out_writes_the_same_table(tmp_path):
    out = tmp_path / "direct.parquet"
    r = strait.run("csis-base", n=200, seed=4, workers=1, out=out)
    assert out.exists() and not list(tmp_path.glob("*.tmp"))
    back = read_results(out)
    assert back.seed == 4 and back.scenario_hash == r.scenario_hash
    assert_frame_equal(back.table, r.table, check_exact=True)


def test_run_out_without_table_in_memory(tmp_path):
    out = tmp_path / "lean.parquet"
    r = strait.run("csis-base", n=100, seed=4, workers=1, out=out, keep_table=False)
    assert r.table.empty
    assert len(read_results(out).table) == 100


def test_read_missing_file(tmp_path):
    with pytest.raises(ResultsError) as e:
        read_results(tmp_path / "nope.parquet")
    assert "nope.parquet" in _one_line(e)


@pytest.mark.parametrize("content", [b"", b"not parquet at all\n" * 50, b"PAR1garbagePAR1"])
def test_read_corrupt_file(tmp_path, content):
    p = tmp_path / "bad.parquet"
    p.write_bytes(content)
    with pytest.raises(ResultsError) as e:
        read_results(p)
    assert "bad.parquet" in _one_line(e)


def test_read_truncated_results_file(res, tmp_path):
    p = write_results(res, tmp_path / "cut.parquet")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ResultsError) as e:
        read_results(p)
    _one_line(e)


def test_read_parquet_with_partial_strait_metadata(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "partial.parquet"
    t = pa.table({"outcome": [0, 1]}).replace_schema_metadata({b"strait.scenario_hash": b"x"})
    pq.write_table(t, p)
    with pytest.raises(ResultsError) as e:
        read_results(p)
    _one_line(e)


def test_read_parquet_without_strait_metadata(tmp_path):
    p = tmp_path / "other.parquet"
    pd.DataFrame({"outcome": [0, 1]}).to_parquet(p)
    with pytest.raises(ResultsError) as e:
        read_results(p)
    assert "metadata" in _one_line(e)


def test_every_result_column_is_documented() -> None:
    from strait.results import COLUMNS

    res = strait.run("csis-base", n=50, seed=1, workers=1)
    assert set(res.table.columns) == set(COLUMNS)


# --------------------------------------------------------------- schema and metadata


def test_engine_output_is_the_declared_schema() -> None:
    from strait.engine import compile_structure, play_block
    from strait.engine.outputs import SCHEMA
    from strait.experiments.executors import block_rng

    cols, _ = play_block(compile_structure(load_scenario("csis-base")), 300, block_rng(3, 0))
    assert list(cols) == [c.name for c in SCHEMA]
    assert {k: str(v.dtype) for k, v in cols.items()} == {c.name: c.dtype for c in SCHEMA}
    res = strait.run("csis-base", n=300, seed=3, workers=1)
    assert list(res.table.columns) == [c.name for c in SCHEMA]
    assert [str(t) for t in res.table.dtypes] == [c.dtype for c in SCHEMA]
    assert all(c.unit and c.meaning for c in SCHEMA) and set(COLUMNS) == {c.name for c in SCHEMA}


def test_api_metadata_round_trip(tmp_path) -> None:
    out = tmp_path / "m.parquet"
    r = strait.run("csis-base", n=120, seed=9, workers=1, out=out,
                   changes={"allies.JPN.role": {"level": "NEUTRAL"}})
    back = read_results(out)
    assert back.meta == r.metadata
    assert back.meta["changes"] == ['allies.JPN.role={"level": "NEUTRAL"}']
    assert back.meta["n"] == 120 and back.meta["turn_days"] == r.meta["turn_days"]
    assert write_results(r, tmp_path / "w.parquet") and (
        read_results(tmp_path / "w.parquet").meta == r.metadata)


@pytest.mark.parametrize(("key", "value"), [(b"strait.n", b"many"),
                                            (b"strait.changes", b"{not json"),
                                            (b"strait.n", b"3")])
def test_corrupt_strait_metadata_is_one_line(res, tmp_path, key, value):
    import pyarrow.parquet as pq

    t = res.to_arrow()
    t = t.replace_schema_metadata({**t.schema.metadata, key: value})
    p = tmp_path / "corrupt.parquet"
    pq.write_table(t, p)
    with pytest.raises(ResultsError) as e:
        read_results(p)
    assert "corrupt.parquet" in _one_line(e)


@pytest.mark.parametrize("workers", [0, -3, 1.5])
def test_workers_must_be_at_least_one(workers):
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=10, workers=workers)
    assert _one_line(e).startswith("workers:")


def test_bad_out_path_is_refused_before_the_run(tmp_path):
    with pytest.raises(ResultsError) as e:
        strait.run("csis-base", n=10, workers=1, out=tmp_path)
    assert "is a folder" in _one_line(e)
    with pytest.raises(ResultsError) as e:
        strait.run("csis-base", n=10, workers=1, out=tmp_path / "no" / "x.parquet")
    assert "does not exist" in _one_line(e)
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / f"{tmp_path.name}.tmp").exists()


def test_failed_run_leaves_no_file(tmp_path, monkeypatch):
    import strait.api

    def boom(*a, **k):
        yield from ()
        raise EngineError("x: boom")

    monkeypatch.setattr(strait.api, "run_scenario", boom)
    with pytest.raises(EngineError):
        strait.run("csis-base", n=10, workers=1, out=tmp_path / "r.parquet")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------- streaming


@pytest.fixture(scope="module")
def kept() -> RunResults:
    return strait.run("csis-base", n=20_000, seed=21, workers=1)


def _streamed(monkeypatch, tmp_path, sample: int) -> RunResults:
    import strait.api
    import strait.results.stream

    monkeypatch.setattr(strait.api, "TABLE_BUDGET_BYTES", 10_000)  # a low test threshold
    monkeypatch.setattr(strait.results.stream, "SAMPLE_SIZE", sample)
    with pytest.raises(EngineError) as e:
        strait.run("csis-base", n=20_000, seed=21, workers=1)
    assert "out=" in _one_line(e)
    return strait.run("csis-base", n=20_000, seed=21, workers=1, out=tmp_path / "s.parquet")


def test_streamed_summary_agrees_with_the_kept_table(kept, monkeypatch, tmp_path):
    from strait.results.stream import rank_error

    k = 2_000
    s = _streamed(monkeypatch, tmp_path, k)
    assert s.streamed and s.table.empty and s.n == 20_000
    a, b = kept.summary(), s.summary()
    assert b.outcome_probabilities == a.outcome_probabilities  # exact
    assert b.outcome_intervals == a.outcome_intervals
    e = rank_error(k)
    for col, q in a.losses.items():
        x = kept.table[col].to_numpy(dtype=float)
        for key, p in (("median", 0.5), ("p05", 0.05), ("p95", 0.95)):
            lo, hi = np.quantile(x, [max(0.0, p - e), min(1.0, p + e)])
            assert lo <= b.losses[col][key] <= hi, (col, key)
        assert math.isclose(b.losses[col]["mean"], q["mean"], rel_tol=1e-9, abs_tol=1e-9)
    for key, v in a.timings.items():
        if key.endswith("_share"):
            assert b.timings[key] == v
    for ally, r in a.roles.items():
        for key, v in r.items():
            assert math.isclose(b.roles[ally][key], v, rel_tol=1e-12, abs_tol=1e-12)
    back = read_results(tmp_path / "s.parquet")
    assert_frame_equal(back.table, kept.table, check_exact=True)


def test_streamed_summary_is_exact_when_the_sample_holds_every_campaign(kept, monkeypatch,
                                                                         tmp_path):
    s = _streamed(monkeypatch, tmp_path, 50_000)
    a, b = kept.summary(), s.summary()
    for col, q in a.losses.items():
        for key in ("median", "p05", "p95"):
            assert b.losses[col][key] == q[key], (col, key)
    assert {k: v for k, v in b.timings.items() if not math.isnan(v)} == {
        k: v for k, v in a.timings.items() if not math.isnan(v)}


def test_keep_table_false_still_summarises():
    r = strait.run("csis-base", n=300, seed=2, workers=1, keep_table=False)
    assert r.table.empty and r.n == 300
    assert math.isclose(sum(r.summary().outcome_probabilities.values()), 1.0)
    with pytest.raises(ResultsError):
        r.to_arrow()
