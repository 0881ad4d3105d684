"""Fuzzing the web API against its own OpenAPI schema (schemathesis): whatever a client
sends, the server answers without a 5xx, with a documented status and content type,
and a body that matches the schema. Runs are
kept small (--max-n 200, few examples per operation) so this stays fast."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from strait.web.app import create_app
from strait.web.service import ServeConfig


def _operations(db: Path | None) -> dict[str, object]:
    app = create_app(ServeConfig(db=db, workers=1, max_n=200), warm=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    ops = {}
    for result in schema.get_all_operations():
        op = result.ok()
        ops[op.label] = op
    return ops


LABELS = sorted(_operations(None))


def test_every_route_is_fuzzed():
    assert "POST /api/whatif" in LABELS and "GET /api/studies/{study_id}" in LABELS
    assert len(LABELS) == 11


@pytest.fixture(scope="module")
def operations(web_study_db: Path) -> dict[str, object]:
    return _operations(web_study_db)


CASES = [(label, GenerationMode.POSITIVE) for label in LABELS] + [
    (label, GenerationMode.NEGATIVE) for label in LABELS  # those that take input
    if label.startswith("POST") or "{" in label or label.endswith("/cells")]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_api_never_answers_5xx_and_matches_its_schema(operations, label, mode):
    op = operations[label]

    @given(case=op.as_strategy(mode))  # type: ignore[attr-defined]
    @settings(max_examples=20, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call()
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        # semantic refusals of schema-valid requests (an unknown scenario name, n above
        # the cap) are deliberate one-line 4xx answers, so positive_data_acceptance is off
        case.validate_response(response, checks=[
            checks.not_a_server_error, checks.status_code_conformance,
            checks.content_type_conformance, checks.response_schema_conformance])
        if mode is GenerationMode.NEGATIVE and op.method.upper() == "POST":
            assert 400 <= response.status_code < 500, (case.body, response.text[:300])

    check()
