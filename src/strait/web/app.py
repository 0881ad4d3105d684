"""The FastAPI application behind ``strait serve``: the JSON API and the page.

Routes (every ``/api`` route checks the bearer token when the server has one):

=====================================  ==============================================
``GET /``                              the dashboard page (offline: no CDN)
``GET /api/health``                    version, queue and limits
``GET /api/scenarios``                 bundled scenarios
``GET /api/scenarios/{name}``          a scenario, its allies and their role ladders
``GET /api/scenarios/{name}/sources``  every number with its source
``POST /api/scenarios/validate``       validate uploaded YAML text
``POST /api/whatif``                   play a what-if (roles per ally)
``POST /api/whatif/table``             its per-campaign rows (Parquet or CSV)
``GET /api/studies``                   stored studies (in the server's ``--db``)
``GET /api/studies/{id}``              a study: cells, analyses, report charts
``GET /api/studies/{id}/cells``        its cells (Parquet or CSV)
``GET /api/studies/{id}/report``       its HTML report
=====================================  ==============================================

Simulations run off the event loop: one thread feeds the engine's process pool (kept
warm between what-ifs), and at most ``max_pending`` what-ifs wait or run; more are
refused with 429. The schema is at ``/openapi.json``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from strait import __version__
from strait.errors import StraitError, StudyError
from strait.web import service
from strait.web.service import RoleChoice, ServeConfig

log = logging.getLogger(__name__)

_T = TypeVar("_T")

MAX_BODY_BYTES = 2_000_000
"""Largest request body (an uploaded scenario is capped at 200 kB by default)."""


# --------------------------------------------------------------------------- models


class ErrorOut(BaseModel):
    """Every refusal: one line naming the field, the problem and the fix."""

    detail: str


class HealthOut(BaseModel):
    version: str
    max_n: int
    max_pending: int
    pending: int
    studies: bool


class ScenarioInfo(BaseModel):
    name: str
    title: str
    family: str | None = None
    extends: str | None = None


class Rung(BaseModel):
    """One level of an ally's role ladder and what it means in law and in the engine."""

    level: str
    value: int
    access: str
    participation: str
    summary: str
    legal_hook: str


class AllyInfo(BaseModel):
    code: str
    name: str
    role: dict[str, Any] = Field(description="The scenario's role: {level} or {prior}.")
    probabilities: list[float] = Field(description="P(level) for levels 0-6.")
    ladder: list[Rung]


class OutcomeInfo(BaseModel):
    key: str
    label: str
    description: str


class ScenarioDetail(BaseModel):
    name: str
    title: str
    description: str
    turn_days: float
    horizon_turns: int
    provenance: str
    allies: list[AllyInfo]
    outcomes: list[OutcomeInfo]


class SourceRow(BaseModel):
    path: str
    value: str
    unit: str
    provenance: str
    cited: str
    source: str
    title: str
    url: str
    at: str
    assumption: str


class UploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario_yaml: str = Field(max_length=1_000_000, description="Scenario YAML text.")


class WhatIfIn(BaseModel):
    """A what-if: a scenario (bundled name or uploaded YAML), N, seed and allied roles."""

    model_config = ConfigDict(extra="forbid")

    scenario: str | None = Field(default="csis-base", max_length=200,
                                 description="Bundled scenario name (GET /api/scenarios).")
    scenario_yaml: str | None = Field(default=None, max_length=1_000_000,
                                      description="Your own scenario as YAML text (wins over "
                                      "scenario); it may extend a bundled one.")
    n: int = Field(default=10_000, ge=1, description="Campaigns (at most the server's "
                   "--max-n).")
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="Root seed.")
    roles: dict[str, RoleChoice] = Field(
        default_factory=dict, description="Per ally code (JPN, AUS, PHL, KOR): a certain "
        "level or a prior; allies left out keep the scenario's role.",
        examples=[{"JPN": {"level": "NEUTRAL"}}])


class OutcomeOut(BaseModel):
    key: str
    label: str
    probability: float
    low: float = Field(description="Wilson 95 % interval, lower end.")
    high: float


class Histogram(BaseModel):
    edges: list[float]
    counts: list[int]


class LossOut(BaseModel):
    side: str
    column: str
    label: str
    mean: float
    quantiles: dict[str, float]
    histogram: Histogram


class TimelineOut(BaseModel):
    campaigns: int
    fields: list[str] = []
    turns: list[dict[str, float | None]]


class WhatIfOut(BaseModel):
    scenario: str
    scenario_hash: str
    n: int
    seed: int
    strait_version: str
    roles: dict[str, dict[str, Any]]
    command: str = Field(description="The strait run command that gives the same numbers.")
    elapsed_s: float
    subtitle: str
    outcomes: list[OutcomeOut]
    losses: list[LossOut]
    timeline: TimelineOut
    charts: dict[str, dict[str, Any]] = Field(description="Vega-Lite specifications.")


class StudyInfo(BaseModel):
    id: int
    name: str | None = None
    scenario: str
    seed: int
    n_per_cell: int
    n_cells: int
    strait_version: str
    created: str
    status: str


class BoxRow(BaseModel):
    input: str
    range: str


class StudyOut(BaseModel):
    id: int
    name: str
    scenario: str
    seed: int
    n_per_cell: int
    strait_version: str
    status: str
    subtitle: str
    reference: str
    command: str
    commands: list[str]
    cells: list[dict[str, Any]]
    analyses: list[str]
    discovery_box: list[BoxRow]
    charts: dict[str, dict[str, Any]]


StudyId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Study id (strait study list).")]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "a body that is not JSON"},
    401: {"model": ErrorOut, "description": "missing or wrong bearer token"},
    404: {"model": ErrorOut, "description": "no such scenario or study"},
    409: {"model": ErrorOut, "description": "the study file is locked by a running study"},
    413: {"model": ErrorOut, "description": "request body over 2 MB"},
    422: {"model": ErrorOut, "description": "invalid input (one line: field, problem, fix)"},
    429: {"model": ErrorOut, "description": "too many what-ifs waiting; retry shortly"},
}


# ---------------------------------------------------------------------------- state


class _Runner:
    """Runs simulations off the event loop, one at a time (they share the engine's warm
    process pool), with at most ``max_pending`` waiting or running."""

    def __init__(self, cfg: ServeConfig):
        self.cfg = cfg
        self.pending = 0
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="strait-sim")
        self.cache: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def restart(self) -> None:
        """Drop queued work at shutdown; a fresh thread serves the app if it starts again
        (test clients start and stop the same app many times)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="strait-sim")

    async def submit(self, fn: Callable[[], _T]) -> _T:
        if self.pending >= self.cfg.max_pending:
            raise HTTPException(429, f"busy: {self.pending} what-ifs are waiting or running "
                                f"(this server's --max-pending is {self.cfg.max_pending}); "
                                "retry in a moment")
        self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, fn)
        finally:
            self.pending -= 1

    def remember(self, key: str, value: dict[str, Any]) -> None:
        self.cache[key] = value
        self.cache.move_to_end(key)
        while len(self.cache) > 64:
            self.cache.popitem(last=False)


def _warm(cfg: ServeConfig) -> None:
    """Compile the engine in this process (forked workers inherit it) and start the pool
    on the default scenario, so the first what-if answers as fast as the next."""
    import altair  # noqa: F401  (the first what-if's charts should not wait for it)

    import strait

    strait.run("csis-base", n=256, seed=0, workers=1)
    strait.run("csis-base", n=10_000, seed=0, workers=cfg.workers)


# ------------------------------------------------------------------------------ app


def create_app(cfg: ServeConfig | None = None, *, warm: bool = True) -> FastAPI:
    """The application for ``cfg`` (default: loopback, no token, no study file)."""
    cfg = cfg or ServeConfig()
    service.check_bind(cfg)
    runner = _Runner(cfg)
    study_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            await asyncio.get_running_loop().run_in_executor(runner.pool, _warm, cfg)
        yield
        runner.restart()
        _stop_engine_pool()

    app = FastAPI(
        title="strait", version=__version__, lifespan=lifespan,
        docs_url=None, redoc_url=None,  # the page works offline; the schema is /openapi.json
        description="What-ifs over the strait engine and its stored studies. Every answer "
        "states scenario, N, seed and strait version, and a what-if carries the strait run "
        "command that reproduces it.")
    app.state.runner = runner

    def auth(request: Request) -> None:
        if cfg.token is None:
            return
        got = request.headers.get("authorization", "")
        scheme, _, value = got.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.encode(),
                                                                 cfg.token.encode()):
            raise HTTPException(401, "authorization: expected 'Bearer <token>' with this "
                                "server's --token, found " + ("none" if not got else
                                                              "a different token"),
                                headers={"WWW-Authenticate": "Bearer"})

    api = [Depends(auth)]

    @app.middleware("http")
    async def _body_limit(request: Request, call_next: Callable[[Request], Any]) -> Any:
        size = request.headers.get("content-length", "")
        if size.isdigit() and int(size) > MAX_BODY_BYTES:
            return JSONResponse({"detail": f"body: expected at most {MAX_BODY_BYTES:,} bytes, "
                                           f"found {int(size):,}; send a shorter request"},
                                status_code=413)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _one_line_errors(exc.errors())}, status_code=422)

    @app.exception_handler(StraitError)
    async def _strait_error(request: Request, exc: StraitError) -> JSONResponse:
        status = 422
        if isinstance(exc, StudyError):  # a study file another strait is writing: busy
            status = 409 if "locked by" in str(exc) else 404
        return JSONResponse({"detail": " ".join(str(exc).split())}, status_code=status)

    # ------------------------------------------------------------------ page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(_asset("index.html"))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: Annotated[str, Path(pattern=r"^(app\.js|style\.css|vega\.js)$")]
               ) -> Response:
        if name == "vega.js":
            return Response(_vega_bundle(), media_type="text/javascript",
                            headers={"Cache-Control": "max-age=86400"})
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(_asset(name), media_type=kind)

    # ------------------------------------------------------------- scenarios

    @app.get("/api/health", response_model=HealthOut, dependencies=api, responses=_ERRORS)
    def health() -> dict[str, Any]:
        """Version, limits and how many what-ifs are waiting or running."""
        return {"version": __version__, "max_n": cfg.max_n, "max_pending": cfg.max_pending,
                "pending": runner.pending, "studies": bool(cfg.db and cfg.db.is_file())}

    @app.get("/api/scenarios", response_model=list[ScenarioInfo], dependencies=api,
             responses=_ERRORS)
    def scenarios() -> list[dict[str, Any]]:
        """The bundled scenarios (``strait scenario list``)."""
        return service.scenario_list()

    @app.get("/api/scenarios/{name}", response_model=ScenarioDetail, dependencies=api,
             responses=_ERRORS)
    def scenario(name: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
        """A scenario, its allies' roles and every rung of their ladders with its legal
        meaning (``strait scenario show``, ``strait roles``)."""
        return service.scenario_detail(_bundled(name))

    @app.get("/api/scenarios/{name}/sources", response_model=list[SourceRow],
             dependencies=api, responses=_ERRORS)
    def sources(name: Annotated[str, Path(max_length=200)]) -> list[dict[str, Any]]:
        """Every number of the scenario with its source (``strait scenario sources``)."""
        return service.scenario_sources(_bundled(name))

    @app.post("/api/scenarios/validate", response_model=ScenarioDetail, dependencies=api,
              responses=_ERRORS)
    def validate(body: UploadIn) -> dict[str, Any]:
        """Validate an uploaded scenario like any file (``strait scenario validate``)."""
        return service.scenario_detail(service.load_uploaded(body.scenario_yaml,
                                                             cfg.max_yaml_bytes))

    # -------------------------------------------------------------- what-if

    def _check_n(body: WhatIfIn) -> None:
        if body.n > cfg.max_n:
            raise HTTPException(422, f"n: expected at most {cfg.max_n:,} campaigns (this "
                                f"server's --max-n), found {body.n:,}; run larger what-ifs "
                                f"from the terminal: strait run ... -n {body.n}")

    @app.post("/api/whatif", response_model=WhatIfOut, dependencies=api, responses=_ERRORS)
    async def whatif(body: WhatIfIn) -> dict[str, Any]:
        """Play a what-if: outcome probabilities with Wilson 95 % intervals, loss
        distributions for the US, Japan, the PRC and Taiwan, a typical campaign, charts
        and the ``strait run`` command that gives the same numbers."""
        _check_n(body)
        key = body.model_dump_json()
        hit = runner.cache.get(key)
        if hit is not None:
            return hit
        out = await runner.submit(lambda: service.whatif(
            body.scenario, body.scenario_yaml, body.n, body.seed, body.roles,
            max_yaml_bytes=cfg.max_yaml_bytes, workers=cfg.workers,
            trajectories=cfg.trajectories))
        runner.remember(key, out)
        return out

    @app.post("/api/whatif/table", dependencies=api,
              responses={**_ERRORS, 200: {"content": {"application/vnd.apache.parquet": {},
                                                      "text/csv": {}},
                                          "description": "one row per campaign"}})
    async def whatif_table(body: WhatIfIn,
                           format: Literal["parquet", "csv"] = Query("parquet")) -> Response:
        """The what-if's per-campaign rows (``strait run ... --out FILE``)."""
        _check_n(body)
        data = await runner.submit(lambda: service.results_table(
            body.scenario, body.scenario_yaml, body.n, body.seed, body.roles, fmt=format,
            max_yaml_bytes=cfg.max_yaml_bytes, workers=cfg.workers))
        kind = "text/csv" if format == "csv" else "application/vnd.apache.parquet"
        return Response(data, media_type=kind, headers={
            "Content-Disposition": f'attachment; filename="whatif.{format}"'})

    # -------------------------------------------------------------- studies

    @app.get("/api/studies", response_model=list[StudyInfo], dependencies=api,
             responses=_ERRORS)
    def studies() -> list[dict[str, Any]]:
        """The studies stored in this server's --db (``strait study list``)."""
        with study_lock:
            return service.study_list(cfg.db)

    @app.get("/api/studies/{study_id}", response_model=StudyOut, dependencies=api,
             responses=_ERRORS)
    def study(study_id: StudyId) -> dict[str, Any]:
        """A study: cells, stored analyses and the report's charts (role heatmap, VOI,
        deterrence, sensitivity, PRIM) as Vega-Lite specifications."""
        with study_lock:
            return service.study_detail(cfg.db, study_id)

    @app.get("/api/studies/{study_id}/cells", dependencies=api,
             responses={**_ERRORS, 200: {"content": {"application/vnd.apache.parquet": {},
                                                     "text/csv": {}},
                                         "description": "one row per cell"}})
    def study_cells(study_id: StudyId,
                    format: Literal["parquet", "csv"] = Query("csv")) -> Response:
        """The study's cells as CSV or Parquet."""
        with study_lock:
            data = service.study_cells(cfg.db, study_id, format)
        kind = "text/csv" if format == "csv" else "application/vnd.apache.parquet"
        return Response(data, media_type=kind, headers={
            "Content-Disposition": f'attachment; filename="study-{study_id}.{format}"'})

    @app.get("/api/studies/{study_id}/report", dependencies=api,
             responses={**_ERRORS, 200: {"content": {"text/html": {}},
                                         "description": "self-contained HTML"}})
    def study_report(study_id: StudyId) -> HTMLResponse:
        """The study's self-contained HTML report (``strait report``)."""
        with study_lock:
            return HTMLResponse(service.study_report(cfg.db, study_id))

    return app


def _stop_engine_pool() -> None:
    """Stop the engine's worker processes before the server exits. uvicorn ends a server
    stopped by SIGTERM by re-raising the signal, so no exit handler runs, and forked
    workers still holding their own end of the task queue would wait on it for ever."""
    from strait.experiments import executors

    pool = executors._POOL.get("pool")
    if pool is not None:  # wait first: a shutdown without waiting cannot be waited on later
        pool.shutdown(wait=True, cancel_futures=True)
    executors._drop_pool()


def _one_line_errors(errors: Any) -> str:
    """FastAPI's list of validation errors as one line: ``body.n: Input should be ...``."""
    parts = []
    for e in list(errors)[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {e.get('msg', 'invalid')}")
    return " ".join("; ".join(parts).split()) or "invalid request"


def _bundled(name: str) -> Any:
    try:
        return service.load_bundled(name)
    except service.ServeError as exc:
        raise HTTPException(404, str(exc)) from None


def _asset(name: str) -> str:
    return resources.files("strait.web").joinpath("static", name).read_text(encoding="utf-8")


_VEGA: dict[str, str] = {}


def _vega_bundle() -> str:
    """vega, vega-lite and vega-embed as one script, from vl-convert (no network)."""
    if "js" not in _VEGA:
        import vl_convert as vlc

        bundle: Any = vlc.javascript_bundle  # typed as requiring a snippet; None = the default
        _VEGA["js"] = str(bundle(None, vl_version="6.4"))
    return _VEGA["js"]


def openapi_json() -> str:
    """The API schema as JSON text (for docs and tests)."""
    return json.dumps(create_app(warm=False).openapi(), indent=1)
