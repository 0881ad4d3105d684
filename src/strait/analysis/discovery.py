"""Scenario discovery with PRIM: which inputs, in which ranges, make the defence fail.

Given the lanes of a stored study (one row per campaign, with the allies' starting roles
and, when the sweep ran with ``--inputs``, every sampled input), :func:`discover` marks
each lane as a *case of interest* (by default: the campaign ends in PRC victory) and runs
the Patient Rule Induction Method (Friedman and Fisher 1999) as implemented in the EMA
Workbench (:class:`ema_workbench.analysis.prim.Prim`). PRIM peels the input space, a few
per cent of the lanes at a time, into ever smaller boxes in which the cases of interest
are denser; each step of that *peeling trajectory* trades coverage (share of all cases of
interest that lie in the box) against density (share of the box's lanes that are cases
of interest).

Inputs:

* **Role levels** (``<ally>_role_start``): ordinal (0 NEUTRAL ... 6 FULL_COMBAT), so a box
  keeps a contiguous run of levels (e.g. Japan at most 2 ACCESS_NONCOMBAT).
* **Sampled inputs** (columns named by scenario path, e.g.
  ``parameters.antiship.p_hit_subsonic``): continuous.
* Columns with a single value are dropped (nothing to restrict).

Choice of box (:data:`DEFAULT_DENSITY`, :data:`DEFAULT_MAX_RESTRICTED`): among the boxes
that restrict at most ``max_restricted`` inputs, the one with the greatest coverage whose
density reaches the target; if none reaches it, the densest (ties: the greater coverage).
The cap keeps the box interpretable and guards against peeling on noise, which on a
study of a few hundred input draws otherwise yields boxes of twenty or more restrictions
(Bryant and Lempert 2010, "Thinking inside the box", Technological Forecasting and
Social Change 77(1), https://doi.org/10.1016/j.techfore.2009.08.002, judge boxes by
coverage, density *and* interpretability). :meth:`Discovery.select` picks any other
step of the trajectory.

Example:
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> lanes = pd.DataFrame({"p.x1": rng.random(2000),
    ...                       "jpn_role_start": rng.integers(0, 7, 2000)})
    >>> fail = (lanes["p.x1"] > 0.7) & (lanes.jpn_role_start <= 2)
    >>> lanes["outcome"] = np.where(fail, 0, 4)
    >>> d = discover(lanes)
    >>> sorted(r.name for r in d.box)
    ['jpn_role_start', 'p.x1']
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from strait.errors import StraitError
from strait.experiments.store import OUTCOME_NAMES
from strait.scenario.models import RoleLevel

OUTCOME_GROUPS: dict[str, tuple[int, ...]] = {
    "defence_fails": (0,),
    "prc_advantage": (0, 1),
    "not_prc_defeat": (0, 1, 2, 3),
}
"""Named groups of outcome codes accepted as ``outcome``."""

DEFAULT_OUTCOME = "prc_victory"
DEFAULT_DENSITY = 0.8
"""Density target of the default choice of box."""
DEFAULT_MAX_RESTRICTED = 4
"""Most inputs a chosen box may restrict (interpretability; see the module docstring)."""

ROLE_SUFFIX = "_role_start"
LEVEL_NAMES: tuple[str, ...] = tuple(level.name for level in RoleLevel)
"""Role level names by level 0..6 (as :class:`strait.scenario.enums.RoleLevel`)."""


class DiscoveryError(StraitError):
    """Scenario discovery that cannot be set up (bad outcome, no inputs, no cases)."""


def parse_outcome(spec: str | int | Iterable[int | str]) -> tuple[int, ...]:
    """Outcome codes of the case of interest from a name, a group, a code, or a
    comma-separated list of them.

    >>> parse_outcome("prc_victory")
    (0,)
    >>> parse_outcome("0,1")
    (0, 1)
    >>> parse_outcome("prc_advantage")
    (0, 1)
    """
    items: list[int | str]
    if isinstance(spec, str):
        items = [t.strip() for t in spec.split(",") if t.strip()]
    elif isinstance(spec, int | np.integer):
        items = [int(spec)]
    else:
        items = list(spec)
    known = ", ".join([*OUTCOME_NAMES, *OUTCOME_GROUPS])
    if not items:
        raise DiscoveryError(f"--outcome: empty; use one of {known} or codes 0-4, e.g. 0,1")
    codes: set[int] = set()
    for it in items:
        if isinstance(it, int | np.integer) or (isinstance(it, str) and it.isdigit()):
            code = int(it)
            if not 0 <= code < len(OUTCOME_NAMES):
                raise DiscoveryError(f"--outcome: code {code} out of range 0-4 "
                                     "(0 PRC victory ... 4 PRC defeat)")
            codes.add(code)
        elif it in OUTCOME_NAMES:
            codes.add(OUTCOME_NAMES.index(str(it)))
        elif it in OUTCOME_GROUPS:
            codes.update(OUTCOME_GROUPS[str(it)])
        else:
            raise DiscoveryError(f"--outcome: unknown outcome {it!r}; use one of {known} "
                                 "or codes 0-4, e.g. 0,1")
    if len(codes) == len(OUTCOME_NAMES):
        raise DiscoveryError("--outcome: every outcome is a case of interest; nothing to "
                             "discover")
    return tuple(sorted(codes))


def outcome_label(codes: Sequence[int]) -> str:
    """``prc_victory`` or ``prc_victory|stalemate_prc``."""
    return "|".join(OUTCOME_NAMES[c] for c in codes)


def level_label(level: int) -> str:
    """``2 ACCESS_NONCOMBAT``."""
    name = LEVEL_NAMES[level] if 0 <= level < len(LEVEL_NAMES) else "?"
    return f"{level} {name}"


@dataclass(frozen=True)
class Restriction:
    """One restricted input of a box: ``lower <= x <= upper`` of a data range
    ``[full_lower, full_upper]``; for an ordinal role, ``levels`` are the allowed levels."""

    name: str
    kind: str  # "continuous" | "ordinal"
    lower: float
    upper: float
    full_lower: float
    full_upper: float
    levels: tuple[int, ...] = ()

    def describe(self) -> str:
        """``≥ 0.7``, ``0.2 ≤ x ≤ 0.5``, ``≤ 2 ACCESS_NONCOMBAT`` or
        ``2 ACCESS_NONCOMBAT .. 4 LOGISTICS_ISR`` (role levels, both ends included)."""
        lo = self.lower > self.full_lower
        hi = self.upper < self.full_upper
        if self.kind == "ordinal":
            if not self.levels:
                return "no level"
            first, last = level_label(self.levels[0]), level_label(self.levels[-1])
            if len(self.levels) == 1:
                return f"= {first}"
            if lo and hi:
                return f"{first} .. {last}"
            return f"≥ {first}" if lo else f"≤ {last}"
        if lo and hi:
            return f"{_g(self.lower)} ≤ x ≤ {_g(self.upper)}"
        if lo:
            return f"≥ {_g(self.lower)}"
        return f"≤ {_g(self.upper)}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "kind": self.kind, "lower": self.lower,
                             "upper": self.upper, "full_lower": self.full_lower,
                             "full_upper": self.full_upper}
        if self.kind == "ordinal":
            d["levels"] = list(self.levels)
        return d


def _g(x: float) -> str:
    return f"{x:.4g}"


@dataclass(frozen=True)
class Discovery:
    """PRIM's peeling trajectory on one study's lanes and the chosen box.

    ``trajectory`` has one row per step: ``step``, ``coverage``, ``density``, ``mass``,
    ``res_dim`` (number of restricted inputs), ``n`` (lanes in the box), ``k`` (cases of
    interest in the box). ``boxes[i]`` are the restrictions of step ``i``; ``chosen`` is
    the step reported by :attr:`box`, :attr:`coverage` and :attr:`density`.
    """

    outcome: tuple[int, ...]
    n: int
    n_interest: int
    inputs: tuple[str, ...]
    dropped: tuple[str, ...]
    trajectory: pd.DataFrame
    boxes: tuple[tuple[Restriction, ...], ...]
    chosen: int
    density_target: float
    reached_target: bool
    peel_alpha: float
    mass_min: float
    meta: dict[str, Any] = field(default_factory=dict)
    max_restricted: int | None = None

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def base_rate(self) -> float:
        return self.n_interest / self.n

    @property
    def box(self) -> tuple[Restriction, ...]:
        return self.boxes[self.chosen]

    @property
    def coverage(self) -> float:
        return float(self.trajectory["coverage"].iloc[self.chosen])

    @property
    def density(self) -> float:
        return float(self.trajectory["density"].iloc[self.chosen])

    @property
    def n_box(self) -> int:
        return int(self.trajectory["n"].iloc[self.chosen])

    def select(self, step: int) -> Discovery:
        """The same trajectory with step ``step`` chosen (negative counts from the end)."""
        m = len(self.boxes)
        if not -m <= step < m:
            raise DiscoveryError(f"--step: {step} out of range; the trajectory has steps "
                                 f"0-{m - 1}")
        return replace(self, chosen=step % m)

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome_label, "outcome_codes": list(self.outcome),
            "n": self.n, "n_interest": self.n_interest, "base_rate": self.base_rate,
            "inputs": list(self.inputs), "dropped_constant": list(self.dropped),
            "density_target": self.density_target, "reached_target": self.reached_target,
            "peel_alpha": self.peel_alpha, "mass_min": self.mass_min,
            "max_restricted": self.max_restricted, "chosen_step": self.chosen,
            "coverage": self.coverage, "density": self.density,
            "n_box": self.n_box,
            "box": [r.to_dict() for r in self.box],
            "trajectory": [
                {**{k: _plain(v) for k, v in row.items()},
                 "restricted": [r.name for r in self.boxes[i]]}
                for i, row in enumerate(self.trajectory.to_dict("records"))],
            **({"study": self.meta} if self.meta else {}),
        }

    def chart(self, title: str | None = None) -> Any:
        """Altair chart of the trajectory: coverage vs density, coloured by the number
        of restricted inputs, the chosen step ringed."""
        return trajectory_chart(self.trajectory, self.chosen, self.density_target,
                                title or f"PRIM peeling trajectory: {self.outcome_label}")

    def write_png(self, path: str, title: str | None = None) -> None:
        import vl_convert

        png = vl_convert.vegalite_to_png(self.chart(title).to_json(), scale=2)
        with open(path, "wb") as f:
            f.write(png)


def trajectory_chart(trajectory: pd.DataFrame, chosen: int, density_target: float,
                     title: str) -> Any:
    """Coverage against density for each step of a peeling trajectory (columns ``step``,
    ``coverage``, ``density``, ``res_dim``, ``n``), coloured by restricted inputs, step
    ``chosen`` ringed, the density target dashed; also draws stored results
    (``strait report``)."""
    import altair as alt

    d = trajectory[["step", "coverage", "density", "res_dim", "n"]].copy()
    d["chosen"] = d["step"] == chosen
    base = alt.Chart(d).encode(
        x=alt.X("coverage:Q", scale=alt.Scale(domain=[0, 1]), title="coverage"),
        y=alt.Y("density:Q", scale=alt.Scale(domain=[0, 1]), title="density"))
    pts = base.mark_circle(size=60).encode(
        color=alt.Color("res_dim:O", title="restricted inputs"),
        tooltip=["step:Q", "coverage:Q", "density:Q", "res_dim:Q", "n:Q"])
    ring = base.transform_filter(alt.datum.chosen).mark_point(
        size=260, color="black", strokeWidth=2)
    rule = alt.Chart(pd.DataFrame({"d": [density_target]})).mark_rule(
        strokeDash=[4, 4], color="grey").encode(y="d:Q")
    return (rule + pts + ring).properties(
        width=480, height=360, title=alt.TitleParams(title, fontSize=11, limit=900))


def _plain(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def candidate_inputs(lanes: pd.DataFrame,
                     inputs: Sequence[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The input table PRIM peels (every column as float64) and the
    names of candidate columns dropped for being constant.

    Default candidates: every ``<ally>_role_start`` column and every column named by a
    scenario path (containing a dot)."""
    if inputs is None:
        cols = [c for c in lanes.columns if c.endswith(ROLE_SUFFIX) or "." in c]
    else:
        missing = [c for c in inputs if c not in lanes.columns]
        if missing:
            raise DiscoveryError(f"inputs: not in the lanes: {', '.join(missing)}")
        cols = list(inputs)
    x = pd.DataFrame(index=range(len(lanes)))
    dropped: list[str] = []
    for c in cols:
        s = lanes[c].reset_index(drop=True)
        if s.isna().any() or s.nunique() <= 1:
            dropped.append(c)
            continue
        # EMA's Prim peels only int32/int64 and float64 columns (int8, float32 would be
        # silently left out), and its pasting of int64 columns fails under pandas 3
        # (a half-level bound written into an int64 frame): peel every column as float64.
        # An ordinal role then gets a real bound, read back as the levels inside it.
        x[c] = s.astype("float64")
    return x, dropped


def _restrictions(lims: pd.DataFrame, init: pd.DataFrame) -> tuple[Restriction, ...]:
    out = []
    for c in init.columns:
        lo, hi = float(lims[c].iloc[0]), float(lims[c].iloc[1])
        flo, fhi = float(init[c].iloc[0]), float(init[c].iloc[1])
        if lo <= flo and hi >= fhi:
            continue
        if c.endswith(ROLE_SUFFIX):
            out.append(Restriction(c, "ordinal", lo, hi, flo, fhi,
                                   tuple(range(int(np.ceil(lo)), int(np.floor(hi)) + 1))))
        else:
            out.append(Restriction(c, "continuous", lo, hi, flo, fhi))
    return tuple(out)


def choose_step(trajectory: pd.DataFrame, density: float,
                max_restricted: int | None = None) -> tuple[int, bool]:
    """Among steps restricting at most ``max_restricted`` inputs (all if None), the step
    of greatest coverage with density ≥ ``density``; if none, the densest (ties: greater
    coverage). Returns ``(step, reached)``."""
    pool = trajectory
    if max_restricted is not None:
        pool = trajectory[trajectory["res_dim"] <= max_restricted]
        if pool.empty:
            pool = trajectory.iloc[:1]
    ok = pool[pool["density"] >= density - 1e-12]
    if not ok.empty:
        best = ok.sort_values(["coverage", "density"], ascending=False, kind="stable")
        return int(best.index[0]), True
    best = pool.sort_values(["density", "coverage"], ascending=False, kind="stable")
    return int(best.index[0]), False


def discover(lanes: pd.DataFrame, outcome: str | int | Iterable[int | str] = DEFAULT_OUTCOME,
             inputs: Sequence[str] | None = None, threshold: float = DEFAULT_DENSITY,
             peel_alpha: float = 0.05, paste_alpha: float = 0.05, mass_min: float = 0.05,
             step: int | None = None, meta: dict[str, Any] | None = None,
             max_restricted: int | None = None) -> Discovery:
    """Run PRIM on ``lanes`` for the case of interest ``outcome`` and choose a box.

    ``threshold`` is the density target of the choice of box (see the module docstring);
    ``max_restricted`` caps the inputs a chosen box may restrict (default
    :data:`DEFAULT_MAX_RESTRICTED`; 0 or less for no cap); ``step`` overrides the choice.
    ``peel_alpha``/``paste_alpha``/``mass_min`` are PRIM's
    (share peeled per step, share pasted per step, smallest box as a share of lanes).
    """
    if not 0 < threshold <= 1:
        raise DiscoveryError(f"--density: expected a share in (0, 1], found {threshold}")
    if not 0 < peel_alpha < 1:
        raise DiscoveryError(f"peel_alpha: expected a share in (0, 1), found {peel_alpha}")
    if not 0 < mass_min < 1:
        raise DiscoveryError(f"mass_min: expected a share in (0, 1), found {mass_min}")
    codes = parse_outcome(outcome)
    if "outcome" not in lanes.columns or lanes.empty:
        raise DiscoveryError("lanes: no campaigns with an outcome column to analyse")
    x, dropped = candidate_inputs(lanes, inputs)
    if x.shape[1] == 0:
        raise DiscoveryError("no input varies across the lanes; rerun the sweep with "
                             "--lanes --inputs (and sampled parameters or several roles)")
    y = lanes["outcome"].isin(codes).to_numpy(dtype=int)
    k = int(y.sum())
    label = outcome_label(codes)
    if k == 0:
        raise DiscoveryError(f"no lane ends in {label}; nothing to discover (try another "
                             "--outcome, e.g. 0,1)")
    if k == len(y):
        raise DiscoveryError(f"every lane ends in {label}; nothing to discover (try "
                             "another --outcome)")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns about optional extras
        from ema_workbench.analysis import prim as ema_prim

        logging.getLogger("EMA").setLevel(logging.WARNING)
        # Threshold just above 0 on the 0/1 vector: every box is kept with its full
        # trajectory (PRIM would otherwise replace a box below the target by the whole
        # space); the density target is applied when choosing a step.
        alg = ema_prim.Prim(x, y.astype(float), threshold=1e-9, peel_alpha=peel_alpha,
                            paste_alpha=paste_alpha, mass_min=mass_min)
        box = alg.find_box()
    traj = box.peeling_trajectory.reset_index(drop=True)
    traj = pd.DataFrame({
        "step": np.arange(len(traj)), "coverage": traj["coverage"].astype(float),
        "density": traj["density"].astype(float), "mass": traj["mass"].astype(float),
        "res_dim": traj["res_dim"].astype(int), "n": traj["n"].astype(int),
        "k": traj["k"].astype(int)})
    boxes = tuple(_restrictions(lims, alg.box_init) for lims in box.box_lims)
    cap = DEFAULT_MAX_RESTRICTED if max_restricted is None else max_restricted
    chosen, reached = choose_step(traj, threshold, cap if cap > 0 else None)
    d = Discovery(outcome=codes, n=len(y), n_interest=k, inputs=tuple(x.columns),
                  dropped=tuple(dropped), trajectory=traj, boxes=boxes, chosen=chosen,
                  density_target=threshold, reached_target=reached,
                  max_restricted=cap if cap > 0 else None, peel_alpha=peel_alpha,
                  mass_min=mass_min, meta=dict(meta or {}))
    return d if step is None else d.select(step)
