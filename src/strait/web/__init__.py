"""``strait serve``: a local web page and JSON API over the same engine and study store.

A thin face, like the CLI: it loads scenarios with :mod:`strait.scenario`, plays them with
:func:`strait.run`, reads studies from :class:`strait.experiments.store.StudyStore` and
draws with the report's and the analysis modules' Altair charts. It has no model logic.

* :mod:`strait.web.service` turns API requests into calls of the public API and results
  into plain dictionaries (no web framework needed; testable on its own);
* :mod:`strait.web.charts` draws a what-if's charts (Vega-Lite specifications);
* :mod:`strait.web.app` is the FastAPI application (imported only by ``strait serve``
  and the tests: ``import strait`` never imports FastAPI).

Example:
    >>> from strait.web.service import ServeConfig, check_bind
    >>> check_bind(ServeConfig(host="127.0.0.1"))
    >>> check_bind(ServeConfig(host="0.0.0.0"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    strait.web.service.ServeError: --host: 0.0.0.0 is not a loopback address...
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The FastAPI application (see :func:`strait.web.app.create_app`)."""
    from strait.web.app import create_app as _create

    return _create(*args, **kwargs)
