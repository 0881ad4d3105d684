"""Shared hypothesis settings and strategies for the model tests (kept local: no global profile)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

#: Applied to every property test here; small arrays, modest example counts, suite stays fast.
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LANES = 5


def counts(max_value: float = 200.0) -> st.SearchStrategy[np.ndarray]:
    """Float arrays of non-negative force sizes (lanes,)."""
    return hnp.arrays(
        np.float64, LANES, elements=st.floats(0.0, max_value, allow_nan=False, width=64)
    )


def whole(max_value: int = 200) -> st.SearchStrategy[np.ndarray]:
    """Float arrays of whole non-negative counts (lanes,)."""
    return hnp.arrays(np.float64, LANES, elements=st.integers(0, max_value).map(float))


def probs() -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, LANES, elements=st.floats(0.0, 1.0, allow_nan=False))


def rates(max_value: float = 5.0) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, LANES, elements=st.floats(0.0, max_value, allow_nan=False))


seeds = st.integers(0, 2**32 - 1)
