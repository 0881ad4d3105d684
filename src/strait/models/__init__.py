"""Closed-form, vectorised building blocks of the campaign engine.

Every function is pure (randomness only through a ``numpy.random.Generator`` argument ``rng``
or a standard-normal draw ``z``), returns float64, and never returns a negative loss or one
larger than the force it is subtracted from. Each docstring gives the equation, its public
source and a worked example.

Each mechanism is written once. Where the engine uses it, it is a scalar function compiled
with numba (``intercept``, ``ground_kills``, ``runway_backlog``, ``open_share``,
``sortie_rate``, ``sorties_flown``, ``tanker_demand``, ``tanker_ration``,
``bomber_sortie_rate``): the kernels in :mod:`strait.engine.kernels` call it lane by lane, and
the array functions here (scalars or arrays shaped ``(n_lanes, ...)``, numpy broadcasting)
apply the same compiled scalar element by element. Random counts come in two forms built on
the same parameters: exact draws from ``rng`` (``layered_interception``,
``aircraft_destroyed_on_ground``, ``submarine_patrol``) and the normal approximations at a
given draw ``z`` that the engine plays (``intercept``, ``ground_kills``, ``patrol_kills``,
``patrol_losses``).

Modules: :mod:`~strait.models.salvo` (Hughes salvo model), :mod:`~strait.models.lanchester`
(square and linear laws), :mod:`~strait.models.interception` (layered Pk, CSIS missile chain),
:mod:`~strait.models.airbase` (aircraft on the ground, runway closure),
:mod:`~strait.models.sorties` (RAND sortie rate, tankers), :mod:`~strait.models.submarine`
(Koopman search, SSN patrols).
"""

from strait.models.airbase import (
    aircraft_destroyed_on_ground,
    apron_kill_fraction,
    apron_kill_share,
    ground_kills,
    open_fraction,
    open_share,
    runway_backlog,
    runway_backlog_days,
    runway_closure_days,
    shelter_shots,
)
from strait.models.interception import (
    csis_hit_probability,
    engaged_threats,
    expected_leak_fraction,
    intercept,
    layer_survival_probability,
    layered_interception,
)
from strait.models.lanchester import linear_law, square_law, square_law_exact
from strait.models.salvo import allocate_hits, salvo_exchange, salvo_hits
from strait.models.sorties import (
    bomber_sortie_rate,
    bomber_sorties_per_day,
    effective_sorties,
    sortie_rate,
    sortie_rate_per_day,
    sorties_flown,
    tanker_demand,
    tanker_factor,
    tanker_ration,
)
from strait.models.submarine import (
    koopman_detection_probability,
    patrol_kills,
    patrol_losses,
    submarine_patrol,
)

__all__ = [
    "aircraft_destroyed_on_ground",
    "allocate_hits",
    "apron_kill_fraction",
    "apron_kill_share",
    "bomber_sortie_rate",
    "bomber_sorties_per_day",
    "csis_hit_probability",
    "effective_sorties",
    "engaged_threats",
    "expected_leak_fraction",
    "ground_kills",
    "intercept",
    "koopman_detection_probability",
    "layer_survival_probability",
    "layered_interception",
    "linear_law",
    "open_fraction",
    "open_share",
    "patrol_kills",
    "patrol_losses",
    "runway_backlog",
    "runway_backlog_days",
    "runway_closure_days",
    "salvo_exchange",
    "salvo_hits",
    "shelter_shots",
    "sortie_rate",
    "sortie_rate_per_day",
    "sorties_flown",
    "square_law",
    "square_law_exact",
    "submarine_patrol",
    "tanker_demand",
    "tanker_factor",
    "tanker_ration",
]
