"""Small private helpers shared by the model modules (not part of the public API)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

#: Added before flooring counts so that 2.9999999999 (float round-off in engine state) counts as 3.
COUNT_EPS = 1e-9


def as_float(x: ArrayLike) -> FloatArray:
    """``x`` as a float64 array (no copy when it already is one)."""
    return np.asarray(x, dtype=np.float64)


def as_count(x: ArrayLike) -> NDArray[np.int64]:
    """Non-negative whole counts: ``floor(max(x, 0) + 1e-9)`` as int64 (``x`` must be finite)."""
    a = np.floor(np.maximum(as_float(x), 0.0) + COUNT_EPS)
    return a.astype(np.int64)


def clip01(x: ArrayLike) -> FloatArray:
    """``x`` clipped to the unit interval, float64.

    Returns ``x`` itself (no copy) when it already lies in [0, 1]: treat the result as read-only.
    """
    a = as_float(x)
    if a.size and not (a.min() >= 0.0 and a.max() <= 1.0):
        return np.clip(a, 0.0, 1.0)
    return a


def nonneg(x: ArrayLike) -> FloatArray:
    """``max(x, 0)`` as float64.

    Returns ``x`` itself (no copy) when nothing is negative, which saves an allocation per call
    in the hot loop: treat the result as read-only.
    """
    a = as_float(x)
    if a.size and not a.min() >= 0.0:
        return np.maximum(a, 0.0)
    return a


def inplace(fn: Any, a: Any, *args: Any) -> Any:
    """Apply ufunc ``fn(a, *args)`` writing into ``a`` when ``a`` is a writable float64 ndarray.

    Only call it on an array the caller owns (never on a user's input). Saves one temporary per
    call in the hot loop; falls back to a normal call for numpy scalars, other dtypes, or when the
    other operands would broadcast ``a`` to a larger shape.
    """
    if (
        isinstance(a, np.ndarray)
        and a.dtype == np.float64
        and a.flags.writeable
        and np.broadcast_shapes(a.shape, *(np.shape(x) for x in args)) == a.shape
    ):
        return fn(a, *args, out=a)
    return fn(a, *args)


def lane_shape(*args: Any) -> tuple[int, ...]:
    """Broadcast shape of all arguments: the shape of one independent draw per lane."""
    return np.broadcast_shapes(*(np.shape(a) for a in args))
