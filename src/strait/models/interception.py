"""Method of Pk with layered, magazine-limited interception, and the CSIS anti-ship missile chain.

Layer ℓ with single-shot kill probability p_ℓ, k_ℓ shots per threat and interceptor stock I_ℓ::

    engaged_ℓ   = min(M_ℓ, I_ℓ / k_ℓ)                             (engaged_threats)
    M_{ℓ+1}     = (M_ℓ − engaged_ℓ) + Binomial(engaged_ℓ, s_ℓ)
    s_ℓ         = (1 − p_ℓ)^k_ℓ                                  (layer_survival_probability)
    I_ℓ        −= engaged_ℓ · k_ℓ

:func:`intercept` is one layer with the binomial drawn by its normal approximation: the form the
engine's strike kernel (:func:`strait.engine.kernels.base_effects`) runs at every base of every
lane. :func:`layered_interception` is the same arithmetic in whole missiles with exact binomial
draws.

Sources:
    M. F. Cancian, M. Cancian, E. Heginbotham, *The First Battle of the Next War: Wargaming a
    Chinese Invasion of Taiwan*, CSIS (Jan 2023), pp. 29-32 and 79-81, Table 1 —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan
    (PDF: https://csis-website-prod.s3.amazonaws.com/s3fs-public/publication/230109_Cancian_FirstBattle_NextWar.pdf);
    CSIS wargame analysis (Vermilion) — https://www.vermilionchina.com/p/csis-wargame-analysis
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from strait.models._common import (
    COUNT_EPS,
    FloatArray,
    as_count,
    as_float,
    binomial_normal,
    jit,
    nonneg,
    ufunc,
)

__all__ = [
    "csis_hit_probability",
    "engaged_threats",
    "expected_leak_fraction",
    "intercept",
    "layer_survival_probability",
    "layered_interception",
]

Layer = tuple[ArrayLike, ArrayLike, ArrayLike]


@jit
def _engaged(threats: float, stock: float, shots_per_threat: float) -> float:
    if shots_per_threat <= 0.0:
        return 0.0
    return min(threats, max(stock, 0.0) / shots_per_threat)


@jit
def _survival(pk: float, shots_per_threat: float) -> float:
    survive: float = (1.0 - min(max(pk, 0.0), 1.0)) ** max(shots_per_threat, 0.0)
    return survive


_engaged_u = ufunc(_engaged, 3)
_survival_u = ufunc(_survival, 2)


def engaged_threats(
    threats: ArrayLike, stock: ArrayLike, shots_per_threat: ArrayLike
) -> FloatArray:
    """Threats a magazine-limited layer engages: ``min(threats, stock / shots_per_threat)``.

    A layer fires ``shots_per_threat`` interceptors at each threat it engages until its
    ``stock`` runs out (``stock = inf`` never does); ``shots_per_threat <= 0`` engages
    nothing, a negative stock counts as empty. Continuous (expected) threats;
    :func:`layered_interception` floors it to whole missiles. Element by element the scalar
    form that :func:`intercept` (and so the strike kernel) uses.

    Source: method of Pk, Cancian et al., *The First Battle of the Next War*, CSIS (2023),
    pp. 29-32 — https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> print(engaged_threats([10.0, 10.0, 10.0], [6.0, 40.0, 6.0], [2.0, 2.0, 0.0]))
    [ 3. 10.  0.]
    """
    return as_float(_engaged_u(threats, stock, shots_per_threat))


def layer_survival_probability(pk: ArrayLike, shots_per_threat: ArrayLike) -> FloatArray:
    """Chance an engaged threat survives a layer: ``(1 − pk)^shots_per_threat``.

    Independent shots of single-shot kill probability ``pk`` (clipped to [0, 1]); negative
    shots count as none. Element by element the scalar form that :func:`intercept` (and so
    the strike kernel) uses.

    Source: Cancian et al., CSIS (2023), pp. 30-31 (Pk 0.70, two rounds → 0.91 killed) —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> print(np.round(layer_survival_probability([0.7, 0.7, 1.0], [1.0, 2.0, 2.0]), 4))
    [0.3  0.09 0.  ]
    """
    return as_float(_survival_u(pk, shots_per_threat))


@jit
def intercept(
    threats: float, stock: float, pk: float, shots_per_threat: float, z: float
) -> tuple[float, float]:
    """One defensive layer at one base, with the kills drawn at standard-normal draw ``z``.

    ::

        engaged = min(threats, stock / shots_per_threat)          (engaged_threats)
        killed  ≈ Binomial(engaged, 1 − (1 − pk)^shots_per_threat) (normal approximation)
        leakers = threats − killed,   stock_after = stock − engaged · shots_per_threat

    Scalar and compiled: the strike kernel (:func:`strait.engine.kernels.base_effects`) calls
    it for every base of every lane. Counts are continuous (expected missiles), and the
    binomial is :func:`strait.models._common.binomial_normal`, so ``0 ≤ killed ≤ engaged``.

    Source: method of Pk, Cancian et al., *The First Battle of the Next War*, CSIS (2023),
    pp. 29-32 — https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    Returns:
        ``(leakers, stock_after)``.

    Example: 10 missiles, 6 interceptors fired two per missile at Pk 0.5: 3 engaged, each killed
    with probability 0.75; at ``z = 0`` the mean 2.25 are killed and all 6 interceptors spent.

    >>> intercept(10.0, 6.0, 0.5, 2.0, 0.0)
    (7.75, 0.0)
    """
    eng = _engaged(threats, stock, shots_per_threat)
    killed = binomial_normal(eng, 1.0 - _survival(pk, shots_per_threat), z)
    return threats - killed, stock - eng * shots_per_threat


def layered_interception(
    rng: np.random.Generator, threats: ArrayLike, layers: Sequence[Layer]
) -> tuple[FloatArray, list[FloatArray]]:
    """Pass a raid through successive defensive layers with finite magazines.

    ``layers`` is a sequence of ``(pk, shots_per_threat, stock)`` applied in order (outer layer
    first). For each layer::

        engaged   = floor(min(threats, stock / shots_per_threat))   # magazine-limited
        threats   = (threats − engaged) + Binomial(engaged, (1 − pk)^shots_per_threat)
        stock    −= engaged · shots_per_threat

    ``threats`` is floored to whole missiles; ``stock`` may be ``np.inf`` (never runs out); a
    layer with ``shots_per_threat <= 0`` engages nothing. Every argument broadcasts over lanes.
    Values are whole numbers held in float64 arrays.

    Source: method of Pk, Cancian et al., *The First Battle of the Next War*, CSIS (2023),
    pp. 29-32 — https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    Returns:
        ``(leakers, stocks_after)`` — threats surviving every layer (≤ threats), and one array of
        remaining interceptors per layer (≥ 0).

    Example: 10 threats, an outer layer with 6 interceptors fired 2 per threat at Pk 1 (engages
    3, kills 3), and a terminal layer that cannot kill (Pk 0) with unlimited stock:

    >>> rng = np.random.default_rng(1)
    >>> leak, stocks = layered_interception(rng, [10.0], [(1.0, 2, 6.0), (0.0, 1, np.inf)])
    >>> print(leak, stocks[0], stocks[1])
    [7.] [0.] [inf]
    """
    M = as_count(threats).astype(np.float64)
    stocks_after: list[FloatArray] = []
    for pk, shots_per_threat, stock in layers:
        k = as_float(shots_per_threat)
        S = nonneg(stock)
        k_pos = k > 0.0
        engaged = np.floor(engaged_threats(M, S, k) + COUNT_EPS)  # whole missiles
        survive = layer_survival_probability(pk, k)
        through = rng.binomial(engaged.astype(np.int64), survive)
        M = M - engaged
        M += through
        left = S - np.where(k_pos, engaged * k, 0.0)
        stocks_after.append(np.maximum(np.broadcast_to(left, M.shape), 0.0))
    return M, stocks_after


def expected_leak_fraction(
    pk: ArrayLike, shots_per_threat: ArrayLike, engagement_opportunities: ArrayLike
) -> FloatArray:
    """Expected fraction of threats surviving an unsaturated defence.

    ``(1 − pk)^(shots_per_threat · engagement_opportunities)`` — each opportunity fires
    ``shots_per_threat`` independent interceptors of single-shot kill probability ``pk``;
    magazines are assumed deep enough (use :func:`layered_interception` when they are not).

    Source: Cancian et al., CSIS (2023), pp. 30-31 (Pk 0.70, two rounds → 0.91; subsonic
    missiles allow two opportunities) —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    >>> print(np.round(expected_leak_fraction(0.7, 2, [1, 2]), 4))
    [0.09   0.0081]
    """
    exponent = nonneg(shots_per_threat) * nonneg(engagement_opportunities)
    return layer_survival_probability(pk, exponent)


def _check_prob(name: str, value: float, upper: float = 1.0) -> float:
    v = float(value)
    if not 0.0 <= v <= upper:
        raise ValueError(f"{name} must lie in [0, {upper}], got {value!r}")
    return v


def csis_hit_probability(
    supersonic: bool,
    launch_failure: float = 0.15,
    interceptor_pk: float = 0.7,
    interceptors_per_threat: int = 2,
    guidance_failure: float = 0.10,
    terminal_defence: float = 0.70,
    fat_tail: float = 0.05,
    *,
    engagement_opportunities: int | None = None,
    tail_terminal_defence: float = 0.0,
) -> float:
    """Average probability that one anti-ship cruise missile fired at a defended ship hits.

    Composition of the CSIS chain (Cancian et al. 2023, pp. 30-32, 79-81, Table 1), per missile,
    with the two 5 % fat tails applied per salvo::

        normal   = (1 − launch_failure)
                   · (1 − interceptor_pk)^(interceptors_per_threat · opportunities)
                   · (1 − guidance_failure) · (1 − terminal_defence)
        defender_failure = (1 − launch_failure) · (1 − guidance_failure)
                           · (1 − tail_terminal_defence)
        p = (1 − 2·fat_tail) · normal + fat_tail · defender_failure + fat_tail · 0

    * ``opportunities`` = 1 for a supersonic missile (≈2,400 km/h sea-skimmer seen at ~20 km) and
      2 for a subsonic one (shoot-look-shoot-shoot); override with ``engagement_opportunities``.
    * 0.70 single-shot Pk, two interceptors per missile → 0.91 kill per opportunity.
    * Defender catastrophic failure (probability ``fat_tail``; "no AEW / no reaction"): the
      ship neither engages nor defends terminally (``tail_terminal_defence = 0``), so every
      missile that launches and guides hits. Attacker catastrophic error (probability
      ``fat_tail``): the salvo scores nothing.

    What this gives (defaults): **5.68 % supersonic, 3.99 % subsonic**, against the report's
    averages of **7.4 % and 5.6 %** (p. 81) — both ≈1.7 percentage points short. The plain
    product without tails is 2.07 % / 0.19 %; if terminal defence still works in a defender-
    failure salvo (``tail_terminal_defence=0.7``) the result is 3.01 % / 1.31 %. The gap between
    the two speeds (1.69 pp) does match the report's 1.8 pp, so what is missing looks like a
    speed-independent term that the printed factor list does not spell out (by its die ranges,
    Table 1's d20 rows other than the task-force-destroyed roll already average 1.05 hits per
    25-missile salvo = 4.2 %, twice the plain product). No reading of the printed factors at
    their printed values reaches both averages: the defender tail can add at most
    ``fat_tail·(1 − launch_failure)·(1 − guidance_failure)`` = 3.8 pp. For calibration,
    ``fat_tail ≈ 0.072`` (both tails 7.2 %) gives 7.28 % / 5.67 %, both report averages within
    0.15 pp; that is a fitted value, not a CSIS figure.

    Source: M. F. Cancian, M. Cancian, E. Heginbotham, *The First Battle of the Next War:
    Wargaming a Chinese Invasion of Taiwan*, CSIS (2023) —
    https://www.csis.org/analysis/first-battle-next-war-wargaming-chinese-invasion-taiwan

    Raises:
        ValueError: a probability outside [0, 1], or ``fat_tail`` outside [0, 0.5].

    >>> round(csis_hit_probability(True), 4), round(csis_hit_probability(False), 4)
    (0.0568, 0.0399)
    >>> round(csis_hit_probability(True, fat_tail=0.0), 4)
    0.0207
    """
    lf = _check_prob("launch_failure", launch_failure)
    pk = _check_prob("interceptor_pk", interceptor_pk)
    gf = _check_prob("guidance_failure", guidance_failure)
    td = _check_prob("terminal_defence", terminal_defence)
    tail = _check_prob("fat_tail", fat_tail, upper=0.5)
    ttd = _check_prob("tail_terminal_defence", tail_terminal_defence)
    shots = float(interceptors_per_threat)
    if shots < 0:
        raise ValueError(f"interceptors_per_threat must be >= 0, got {interceptors_per_threat!r}")
    if engagement_opportunities is None:
        opps = 1 if supersonic else 2
    else:
        opps = engagement_opportunities
    if opps < 0:
        raise ValueError(f"engagement_opportunities must be >= 0, got {opps!r}")

    flies_and_guides = (1.0 - lf) * (1.0 - gf)
    area_leak: float = (1.0 - pk) ** (shots * opps)
    normal = flies_and_guides * area_leak * (1.0 - td)
    defender_failure = flies_and_guides * (1.0 - ttd)
    return (1.0 - 2.0 * tail) * normal + tail * defender_failure
