"""The exception tree.

Every error strait raises on purpose derives from :class:`StraitError`. Its message is
one line that names the field, what was expected, what was found and the fix; the CLI
prints it as is and exits with code 2.
"""

from __future__ import annotations


class StraitError(Exception):
    """Base of every deliberate strait error (one-line, user-facing message)."""

    exit_code = 2


class ScenarioError(StraitError):
    """A scenario file or overlay that cannot be loaded, resolved or validated."""


class EngineError(StraitError):
    """A scenario the engine cannot play, or bad run arguments (n <= 0, unknown --set path)."""


class ResultsError(StraitError):
    """A results file that is missing, corrupt or of the wrong kind."""


class StudyError(StraitError):
    """A study (sweep, sensitivity, validation) that cannot be set up or stored."""


class ExecutorError(StraitError):
    """An executor that cannot run: an unreachable Ray cluster, workers without strait or
    with another version, worker processes that keep dying."""
