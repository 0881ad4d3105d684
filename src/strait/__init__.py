"""strait: an open campaign-analysis engine for a Taiwan Strait contingency."""
__version__ = "0.1.0"

from strait.api import run
from strait.errors import EngineError, ResultsError, ScenarioError, StraitError, StudyError
from strait.results import RunResults, read_results, write_results
from strait.scenario import load_scenario

__all__ = [
    "EngineError",
    "ResultsError",
    "RunResults",
    "ScenarioError",
    "StraitError",
    "StudyError",
    "__version__",
    "load_scenario",
    "read_results",
    "run",
    "write_results",
]
