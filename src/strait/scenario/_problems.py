"""Structured validation problems: what the schema's own checks raise.

Every check in the scenario models that pydantic cannot express as a field constraint
raises :func:`problem`, a :class:`pydantic_core.PydanticCustomError` with a stable
*type* (one of :data:`KINDS`) and a structured context:

* ``expected``: what the field should hold (``"a probability in [0, 1]"``);
* ``found``: what it holds, already described for a reader (``"1.5"``, ``"both"``);
* ``fix``: optional, how to put it right (``"keep one"``);
* ``loc``: optional, where below the validated object the problem lies (keys and list
  indices, e.g. ``("ladder",)`` or ``("allies", "JPN", "ladder", "FULL_COMBAT",
  "us_bases", "combat", 1)``); absent means the object itself.

The loader turns it into ``FILE:LINE: PATH: expected ..., found ...; FIX`` from these
fields alone, never from the message text. Outside the loader (a model built in code)
the rendered message reads the same, without the file and line.

Example:
    >>> err = problem("probability_range", "a probability in [0, 1]", "1.5")
    >>> err.type, err.context["found"], err.message()
    ('probability_range', '1.5', 'expected a probability in [0, 1], found 1.5')
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

__all__ = ["KINDS", "problem"]

KINDS: frozenset[str] = frozenset({
    # Param (a number with its uncertainty and provenance)
    "param_type",  # not a number or a parameter mapping
    "param_not_finite",  # inf or nan in a shape field
    "param_value_or_dist",  # both or neither of 'value' and 'dist'
    "param_dist_fields",  # a distribution without its shape parameters
    "param_dist_shape",  # shape parameters out of order or out of range
    "param_provenance",  # both 'source' and 'assumption', or 'at' without 'source'
    # number kinds
    "count_negative",
    "probability_range",
    "not_positive",
    # roles and ladders
    "role_level_or_prior",
    "prior_not_fixed",
    "prior_sum",
    "ladder_incomplete",
    # cross references and the parameter catalog
    "not_an_ally",
    "unknown_base_group",
    "unknown_source",
    "unknown_parameter",
    "parameter_bounds",
})
"""The stable error types the scenario models raise (``err["type"]``)."""


def problem(kind: str, expected: str, found: str, fix: str = "", *,
            loc: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """A validation error of type ``kind`` with ``expected``/``found``/``fix``/``loc``."""
    if kind not in KINDS:  # pragma: no cover - a programming error
        raise ValueError(f"unknown problem kind {kind!r}")
    ctx: dict[str, Any] = {"expected": expected, "found": found}
    template = "expected {expected}, found {found}"
    if fix:
        ctx["fix"] = fix
        template += "; {fix}"
    if loc:
        ctx["loc"] = tuple(loc)
    return PydanticCustomError(kind, template, ctx)
