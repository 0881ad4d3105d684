"""``strait serve``: the local dashboard and JSON API (FastAPI + uvicorn, the ``web`` extra).

Binds to 127.0.0.1 by default; any other address needs ``--token`` (every API call then
carries ``Authorization: Bearer TOKEN``), or the server refuses to start.

Example:
    $ strait serve
    $ strait serve --db studies.duckdb --port 8000
    $ strait serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"
"""

from __future__ import annotations

from pathlib import Path

import typer

from strait.errors import StraitError


class MissingExtraError(StraitError):
    """An optional part is not installed."""


def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything "
                             "but loopback needs --token."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    db: Path | None = typer.Option(None, "--db", help="Study file whose studies the page "
                                   "opens (default: studies.duckdb if it exists)."),
    token: str | None = typer.Option(None, "--token", envvar="STRAIT_TOKEN",
                                     help="Bearer token every API call must carry "
                                     "(open the page as http://HOST:PORT/#token=TOKEN)."),
    max_n: int = typer.Option(100_000, "--max-n", help="Largest what-if, in campaigns."),
    max_pending: int = typer.Option(16, "--max-pending", help="What-ifs waiting or running "
                                    "before new ones are refused (HTTP 429)."),
    workers: int | None = typer.Option(None, "--workers", "-w", help="Engine processes "
                                       "(default: every core).", show_default=False),
) -> None:
    """Serve the what-if dashboard and its JSON API on this machine.

    Pick a scenario, set each ally's role (a certain level or a prior), run, pin and
    compare; open stored studies. Every number comes with the strait command that
    reproduces it. The API schema is at /openapi.json.

    Examples:
      strait serve
      strait serve --db studies.duckdb --port 8080
    """
    from strait.web.service import ServeConfig, check_bind

    if db is None and Path("studies.duckdb").is_file():
        db = Path("studies.duckdb")
    if db is not None and not db.exists():
        raise StraitError(f"--db: no study file at {db}; make one with strait sweep or "
                          "leave --db out")
    cfg = ServeConfig(host=host, port=port, db=db, token=token, max_n=max_n,
                      max_pending=max_pending, workers=workers)
    check_bind(cfg)
    try:
        import uvicorn

        from strait.web.app import create_app
    except ImportError as exc:
        raise MissingExtraError(f"serve: the web extra is not installed ({exc.name} missing); "
                                "pip install 'strait[web]'") from None
    app = create_app(cfg)
    typer.echo(f"strait serve: http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
