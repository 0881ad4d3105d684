"""Small private helpers shared by the model modules (not part of the public API)."""

from __future__ import annotations

import math
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


def check_positive(func: str, name: str, value: ArrayLike, meaning: str,
                   *, allow_zero: bool = False) -> FloatArray:
    """``value`` as float64 if every element is finite and > 0 (``>= 0`` with ``allow_zero``).

    Raises:
        ValueError: one line naming the function, the argument, what it means, the first bad
            value and the fix.

    >>> check_positive("f", "a", [1.0, 2.0], "hits per ship")
    array([1., 2.])
    >>> check_positive("f", "a", [1.0, 0.0], "hits per ship")
    Traceback (most recent call last):
    ...
    ValueError: f: a (hits per ship) must be finite and > 0, got 0.0; pass a positive number
    """
    a = as_float(value)
    ok = np.isfinite(a) & ((a >= 0.0) if allow_zero else (a > 0.0))
    if not ok.all():
        bad = float(a[~ok].flat[0])
        bound = ">= 0" if allow_zero else "> 0"
        fix = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"{func}: {name} ({meaning}) must be finite and {bound}, got {bad!r}; "
                         f"pass {fix} number")
    return a


def lane_shape(*args: Any) -> tuple[int, ...]:
    """Broadcast shape of all arguments: the shape of one independent draw per lane."""
    return np.broadcast_shapes(*(np.shape(a) for a in args))


# --------------------------------------------------------------------- compiled scalar forms
#
# Each mechanism is written once, as a scalar function compiled with numba: the engine's
# kernels call it lane by lane, and the public functions of :mod:`strait.models` are numpy
# ufuncs built from it (``numba.vectorize``). Without numba both stay plain Python.

_numba: Any
try:  # numba is a declared dependency; the fallback keeps strait.models importable without it
    import numba as _numba
except ImportError:  # pragma: no cover
    _numba = None


def jit(fn: Any) -> Any:
    """Compile a scalar model function with numba (cached, GIL released); identity without it."""
    if _numba is None:  # pragma: no cover
        return fn
    return _numba.njit(cache=True, nogil=True)(fn)


class ufunc:
    """A float64 numpy ufunc of ``nargs`` arguments from a compiled scalar function.

    Built (or loaded from numba's cache) on first call, so importing :mod:`strait.models`
    stays cheap in every worker process that only needs the scalar forms.
    """

    __slots__ = ("_nargs", "_scalar", "_u")

    def __init__(self, scalar: Any, nargs: int) -> None:
        self._scalar: Any = scalar
        self._nargs = nargs
        self._u: Any = None

    def _build(self) -> Any:
        if _numba is None:  # pragma: no cover
            return np.vectorize(self._scalar, otypes=[np.float64])
        sig = f"float64({', '.join(['float64'] * self._nargs)})"
        return _numba.vectorize([sig], cache=True)(self._scalar)

    def __call__(self, *args: Any) -> Any:
        if self._u is None:
            self._u = self._build()
        return self._u(*args)


def elementwise(loop: Any, *args: ArrayLike) -> FloatArray:
    """Broadcast ``args`` and apply a compiled 1-D ``loop(*flat_args, out)`` to them.

    For functions the engine calls every turn: a cached ``@jit`` loop loads in milliseconds,
    where building a :class:`ufunc` costs a fraction of a second in every new process.
    """
    arrs = np.broadcast_arrays(*(as_float(a) for a in args))
    flat = [np.ascontiguousarray(a).reshape(-1) for a in arrs]
    out = np.empty(flat[0].size if flat else 1)
    loop(*flat, out)
    return out.reshape(arrs[0].shape)


@jit
def binomial_normal(trials: float, p: float, z: float) -> float:
    """Normal approximation to ``Binomial(trials, p)`` at standard-normal draw ``z``.

    ``m = trials·p``, ``k = m + sqrt(m·(1 − p))·z``, clipped to ``[0, trials]``: the mean and
    variance of the binomial, continuous in ``trials`` (expected, fractional counts).

    >>> binomial_normal(100.0, 0.5, 0.0), binomial_normal(100.0, 0.5, 2.0)
    (50.0, 60.0)
    """
    m = trials * p
    k = m + math.sqrt(max(m * (1.0 - p), 0.0)) * z
    return min(max(k, 0.0), trials)


@jit
def poisson_normal(lam: float, z: float, cap: float) -> float:
    """Normal approximation to ``Poisson(lam)`` at standard-normal draw ``z``, in ``[0, cap]``.

    ``k = λ + sqrt(λ)·z`` with ``λ = max(lam, 0)``, clipped to ``[0, cap]``.

    >>> poisson_normal(4.0, 1.0, 100.0), poisson_normal(4.0, 1.0, 5.0)
    (6.0, 5.0)
    """
    lam = max(lam, 0.0)
    return min(max(lam + math.sqrt(lam) * z, 0.0), cap)
