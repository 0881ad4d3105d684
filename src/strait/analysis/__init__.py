"""Analysis of run results: validation against the published record.

:mod:`strait.analysis.validation` holds the CSIS targets (:data:`TARGETS`), their checks
and :func:`run_validation`. Analysis reads per-lane results (:class:`strait.RunResults`)
and the closed-form models, never engine internals.
"""

from strait.analysis.validation import (
    TARGETS,
    Check,
    NotMeasured,
    ScenarioResult,
    Target,
    TargetResult,
    ValidationReport,
    evaluate_target,
    report_from_results,
    run_validation,
    summarise_scenario,
    target,
    validation_scenarios,
)

__all__ = [
    "TARGETS",
    "Check",
    "NotMeasured",
    "ScenarioResult",
    "Target",
    "TargetResult",
    "ValidationReport",
    "evaluate_target",
    "report_from_results",
    "run_validation",
    "summarise_scenario",
    "target",
    "validation_scenarios",
]
