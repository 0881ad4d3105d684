"""strait: an open campaign-analysis engine for a Taiwan Strait contingency.

The public API is importable from here; heavy parts (the engine, pandas, numba) load on
first use, so ``import strait`` stays fast and has no side effects.

Example:
    >>> import strait
    >>> s = strait.load_scenario("csis-base")
    >>> s.name
    'csis-base'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from strait.errors import (
    EngineError,
    ExecutorError,
    ResultsError,
    ScenarioError,
    StraitError,
    StudyError,
)

__version__ = "0.1.0"

_LAZY = {
    "run": "strait.api",
    "RunResults": "strait.results",
    "read_results": "strait.results",
    "write_results": "strait.results",
    "load_scenario": "strait.scenario",
    "Executor": "strait.experiments.executors",
    "SerialExecutor": "strait.experiments.executors",
    "ProcessExecutor": "strait.experiments.executors",
    "RayExecutor": "strait.experiments.executors",
    "use_executor": "strait.experiments.executors",
}

if TYPE_CHECKING:  # pragma: no cover
    from strait.api import run
    from strait.experiments.executors import (
        Executor,
        ProcessExecutor,
        RayExecutor,
        SerialExecutor,
        use_executor,
    )
    from strait.results import RunResults, read_results, write_results
    from strait.scenario import load_scenario


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'strait' has no attribute {name!r}")


__all__ = [
    "EngineError",
    "Executor",
    "ExecutorError",
    "ProcessExecutor",
    "RayExecutor",
    "ResultsError",
    "RunResults",
    "ScenarioError",
    "SerialExecutor",
    "StraitError",
    "StudyError",
    "__version__",
    "load_scenario",
    "read_results",
    "run",
    "use_executor",
    "write_results",
]
