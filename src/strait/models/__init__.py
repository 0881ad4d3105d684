"""Closed-form, vectorised building blocks of the campaign engine.

Every function is pure (randomness only through a ``numpy.random.Generator`` argument ``rng``),
works on scalars or arrays shaped ``(n_lanes, ...)`` with numpy broadcasting, returns float64,
and never returns a negative loss or one larger than the force it is subtracted from. Each
docstring gives the equation, its public source and a worked example.

Modules: :mod:`~strait.models.salvo` (Hughes salvo model), :mod:`~strait.models.lanchester`
(square and linear laws), :mod:`~strait.models.interception` (layered Pk, CSIS missile chain),
:mod:`~strait.models.airbase` (aircraft on the ground, runway closure),
:mod:`~strait.models.sorties` (RAND sortie rate, tankers), :mod:`~strait.models.submarine`
(Koopman search, SSN patrols).
"""

from strait.models.airbase import (
    aircraft_destroyed_on_ground,
    apron_kill_fraction,
    open_fraction,
    runway_closure_days,
)
from strait.models.interception import (
    csis_hit_probability,
    expected_leak_fraction,
    layered_interception,
)
from strait.models.lanchester import linear_law, square_law, square_law_exact
from strait.models.salvo import allocate_hits, salvo_exchange, salvo_hits
from strait.models.sorties import effective_sorties, sortie_rate_per_day, tanker_factor
from strait.models.submarine import koopman_detection_probability, submarine_patrol

__all__ = [
    "aircraft_destroyed_on_ground",
    "allocate_hits",
    "apron_kill_fraction",
    "csis_hit_probability",
    "effective_sorties",
    "expected_leak_fraction",
    "koopman_detection_probability",
    "layered_interception",
    "linear_law",
    "open_fraction",
    "runway_closure_days",
    "salvo_exchange",
    "salvo_hits",
    "sortie_rate_per_day",
    "square_law",
    "square_law_exact",
    "submarine_patrol",
    "tanker_factor",
]
