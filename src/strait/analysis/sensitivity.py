"""Global sensitivity of a campaign metric to a scenario's uncertain inputs and the allies' roles.

Three methods, all through SALib (a maintained, tested implementation of the estimators):

``delta`` (given data)
    One ordinary run of the scenario (``strait.run``, ``n`` lanes). Each lane's sampled
    inputs (:meth:`RunResults.inputs`) and its allies' starting roles are the sample as it
    is; inputs that do not vary are dropped. Reports Borgonovo's moment-independent delta
    (Plischke et al. 2013 given-data estimator, bias-reduced, bootstrap interval) and the
    given-data first-order Sobol index S1 (variance of the class means), both from
    ``SALib.analyze.delta``. Indices are relative to the scenario's own input distributions.

``sobol`` (Saltelli sample, Jansen/Saltelli 2010 estimators, ``SALib.analyze.sobol``)
    SALib draws ``base * (D + 2)`` points over a chosen subset of D inputs, each uniform
    over its support (``Param.support()``); first-order S1 and total ST with bootstrap
    intervals. Indices are relative to those uniform ranges, not the scenario's priors.

``morris`` (elementary effects, ``SALib.analyze.morris``)
    ``base`` trajectories of D + 1 points over the same supports; mu* (importance, with a
    bootstrap interval) and sigma (interaction / non-linearity).

The metric of one lane is the indicator of outcome 0 (``prc_victory``), of outcome 4
(``prc_defeat``) or the US aircraft lost. For ``sobol`` and ``morris`` each sample point is
played as ``k`` campaigns (default 32) with the point's inputs fixed and its own dice; the
metric of the point is their mean, so dice noise (variance / k) stays in the output and
inflates ST and sigma a little: :attr:`Sensitivity.noise_share` reports its share.

Allied roles are categorical levels 0-6; each ally's role is one input, named
``allies.<CODE>.role``. In ``delta`` its values are the lane's starting level (SALib
conditions on equal-count classes of the ranked sample, so a class can straddle two
adjacent levels; with 7 levels and up to 48 classes that affects at most 6 classes). In
``sobol``/``morris`` SALib samples ``u`` uniform on [0, 1) and the level is
``min(floor(7u), 6)``, so every level is equally likely (the role's support, not its
prior); allies not chosen keep their prior draw.

How points are played: the scenario is compiled once and every point's k campaigns are k
lanes of an ordinary engine block (256 points of 32 campaigns per 8192-lane block); the
chosen inputs are handed to the engine's per-lane sampler as the point's values instead
of a draw, and roles are forced through the engine's ``roles`` argument. A lane so played
is bit-identical to ``strait.run(scenario, changes={path: value}, roles=...)`` of the same
block (tested), but the compiled structure keeps the scenario's expected values for its
structural choices, as it does in any run where that input is drawn per lane.

Example:
    >>> from strait.analysis.sensitivity import ishigami_problem, sobol_sample, sobol_indices
    >>> import numpy as np
    >>> prob = ishigami_problem()
    >>> x = sobol_sample(prob, 256, seed=1)
    >>> x.shape
    (1280, 3)
"""

from __future__ import annotations

import copy
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from strait.errors import StudyError

METHODS = ("delta", "sobol", "morris")
METRICS = {
    "prc_victory": "P(PRC victory)",
    "prc_defeat": "P(PRC defeat)",
    "usa_aircraft_lost": "US aircraft lost",
}
ESTIMATORS = {
    "delta": "given-data delta and S1, Plischke et al. 2013 classes, bias-reduced",
    "sobol": "Saltelli 2010 / Jansen S1 and ST, SALib",
    "morris": "Morris elementary effects (mu*, sigma), SALib",
}
ALLY_CODES = ("JPN", "AUS", "PHL", "KOR")
ROLE_PATHS = tuple(f"allies.{a}.role" for a in ALLY_CODES)
N_LEVELS = 7
DEFAULT_K = 32
DEFAULT_N_NUMERIC = 8
DEFAULT_ROLES = ("allies.JPN.role", "allies.AUS.role")
MIN_DELTA_LANES = 500
MIN_BASE = 4
LANES_PER_BLOCK = 8192


# ------------------------------------------------------------------------------ results


@dataclass
class Sensitivity:
    """Ranked indices of one analysis (``table``: one row per input, most influential first).

    Columns: ``input`` and, by method, ``S1, S1_conf, ST, ST_conf`` (sobol),
    ``mu_star, mu_star_conf, sigma`` (morris), ``delta, delta_conf, S1, S1_conf`` (delta);
    ``*_conf`` is the half-width of the 95 % bootstrap interval.
    """

    method: str
    metric: str
    scenario: str
    seed: int
    base: int  # base sample N (sobol, morris) or lanes (delta)
    campaigns: int  # campaigns played in all
    k: int  # campaigns per sample point (1 for delta)
    table: pd.DataFrame
    noise_share: float | None = None
    elapsed_s: float = 0.0
    version: str = field(default_factory=lambda: _version())

    @property
    def estimator(self) -> str:
        return ESTIMATORS[self.method]

    @property
    def rank_column(self) -> str:
        return RANK_COLUMNS[self.method]

    def title(self) -> str:
        what = (f"{self.base:,} lanes" if self.method == "delta"
                else f"N = {self.base:,} × {self.k} campaigns per point")
        return (f"Sensitivity of {METRICS[self.metric]} — {self.method}: {self.estimator}; "
                f"{self.scenario}, {what}, seed {self.seed}, strait {self.version}")

    def lines(self, width: int = 80, top: int | None = None) -> list[str]:
        """The ranked table as text, at most ``width`` columns."""
        import textwrap

        out = textwrap.wrap(self.title(), width=width)
        table_cols: dict[str, list[tuple[str, str | None]]] = {
                "sobol": [("S1", "S1_conf"), ("ST", "ST_conf")],
                "morris": [("mu_star", "mu_star_conf"), ("sigma", None)],
                "delta": [("delta", "delta_conf"), ("S1", "S1_conf")]}
        cols = table_cols[self.method]
        num_w = 16
        label_w = width - 4 - num_w * len(cols)
        head = f"{'#':>3} {'input':<{label_w}}" + "".join(
            f"{(c if c != 'mu_star' else 'mu*') + (' ±95%' if cf else ''):>{num_w}}"
            for c, cf in cols)
        out += ["", head]
        tab = self.table if top is None else self.table.head(top)
        fmt = _fmt_for(self.table, [c for c, _ in cols])
        for i, (_, r) in enumerate(tab.iterrows(), start=1):
            name = str(r["input"])
            if len(name) > label_w:
                name = "…" + name[-(label_w - 1):]
            text = f"{i:>3} {name:<{label_w}}"
            for c, cf in cols:
                cell = fmt(r[c]) + (f" ±{fmt(r[cf])}" if cf else "")
                text += f"{cell:>{num_w}}"
            out.append(text.rstrip())
        if top is not None and len(self.table) > top:
            out.append(f"    … {len(self.table) - top} more inputs (--json for all)")
        out.append("")
        if self.noise_share is not None:
            out += textwrap.wrap(
                f"Dice noise: {100 * self.noise_share:.0f} % of the variance of the point "
                f"means ({self.k} campaigns per point), so an input with no effect shows "
                f"ST or sigma of about that share; raise --k to lower it.", width=width)
        out.append(f"{self.campaigns:,} campaigns in {self.elapsed_s:.1f} s.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method, "estimator": self.estimator, "metric": self.metric,
            "scenario": self.scenario, "seed": self.seed, "base": self.base, "k": self.k,
            "campaigns": self.campaigns, "noise_share": self.noise_share,
            "elapsed_s": self.elapsed_s, "version": self.version,
            "indices": [{k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                         for k, v in row.items()}
                        for row in self.table.to_dict(orient="records")],
        }

    def chart(self, top: int = 20) -> Any:
        """An Altair bar chart of the ranked index with its interval."""
        return ranked_chart(self.table, self.method, self.title(), top)

    def write_png(self, path: str | os.PathLike[str], top: int = 20) -> None:
        import vl_convert

        png = vl_convert.vegalite_to_png(self.chart(top).to_json(), scale=2)
        with open(path, "wb") as f:
            f.write(png)


RANK_COLUMNS = {"sobol": "ST", "morris": "mu_star", "delta": "delta"}
"""The index each method ranks by; its interval is the column ``<index>_conf``."""


def ranked_chart(table: pd.DataFrame, method: str, title: str, top: int = 20) -> Any:
    """Bar chart of ``table`` (rows ranked, columns ``input``, the method's index and
    ``<index>_conf``) with each bar's interval; also draws stored results
    (``strait report``).

    >>> t = pd.DataFrame({"input": ["a", "b"], "delta": [0.2, 0.1],
    ...                   "delta_conf": [0.02, 0.01]})
    >>> ranked_chart(t, "delta", "test").to_dict()["title"]["text"]
    'test'
    """
    import altair as alt

    col = RANK_COLUMNS[method]
    conf = f"{col}_conf"
    d = table.head(top)[["input", col]].copy()
    err = table.head(top)[conf].fillna(0.0) if conf in table else 0.0
    d["low"], d["high"] = d[col] - err, d[col] + err
    y = alt.Y("input:N", sort=list(d["input"]), title=None, axis=alt.Axis(labelLimit=360))
    bars = alt.Chart(d).mark_bar().encode(x=alt.X(f"{col}:Q", title=col), y=y)
    rule = alt.Chart(d).mark_rule().encode(x="low:Q", x2="high:Q", y=y)
    return (bars + rule).properties(
        width=420, height=max(120, 18 * len(d)),
        title=alt.TitleParams(title, fontSize=11, limit=900))


def _version() -> str:
    from strait import __version__

    return __version__


def _fmt_for(table: pd.DataFrame, cols: list[str]) -> Any:
    big = max((float(np.nanmax(np.abs(table[c].to_numpy(dtype=float))))
               for c in cols if len(table) and np.isfinite(table[c].to_numpy(dtype=float)).any()),
              default=0.0)
    if big >= 100:
        return lambda v: "nan" if not np.isfinite(v) else f"{v:.0f}"
    if big >= 10:
        return lambda v: "nan" if not np.isfinite(v) else f"{v:.1f}"
    return lambda v: "nan" if not np.isfinite(v) else f"{v:.3f}"


# ------------------------------------------------------------------- SALib wrappers


def problem(names: Sequence[str], bounds: Sequence[tuple[float, float]]) -> dict[str, Any]:
    """A SALib problem definition."""
    return {"num_vars": len(names), "names": list(names),
            "bounds": [[float(lo), float(hi)] for lo, hi in bounds]}


def ishigami_problem() -> dict[str, Any]:
    """The Ishigami test function's inputs (three uniforms on [-π, π])."""
    return problem(["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3)


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami function; S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244."""
    y: np.ndarray = (np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2
                     + b * x[:, 2] ** 4 * np.sin(x[:, 0]))
    return y


def sobol_sample(prob: dict[str, Any], base: int, seed: int) -> np.ndarray:
    """Saltelli's sample: ``base * (D + 2)`` rows (first and total order only)."""
    from SALib.sample import sobol as sobol_sampler

    x: np.ndarray = sobol_sampler.sample(prob, int(base), calc_second_order=False,
                                         scramble=True, seed=int(seed))
    return x


def sobol_indices(prob: dict[str, Any], y: np.ndarray, seed: int,
                  resamples: int = 200) -> pd.DataFrame:
    """S1, ST and their 95 % bootstrap half-widths, one row per input (unranked)."""
    from SALib.analyze import sobol as sobol_analyzer

    si = sobol_analyzer.analyze(prob, np.asarray(y, dtype=float), calc_second_order=False,
                                num_resamples=resamples, conf_level=0.95, seed=int(seed))
    return pd.DataFrame({"input": prob["names"], "S1": si["S1"], "S1_conf": si["S1_conf"],
                         "ST": si["ST"], "ST_conf": si["ST_conf"]})


def morris_sample(prob: dict[str, Any], base: int, seed: int) -> np.ndarray:
    """``base`` Morris trajectories of D + 1 points on a 4-level grid."""
    from SALib.sample import morris as morris_sampler

    x: np.ndarray = morris_sampler.sample(prob, int(base), num_levels=4, seed=int(seed))
    return x


def morris_indices(prob: dict[str, Any], x: np.ndarray, y: np.ndarray, seed: int,
                   resamples: int = 200) -> pd.DataFrame:
    from SALib.analyze import morris as morris_analyzer

    si = morris_analyzer.analyze(prob, x, np.asarray(y, dtype=float), num_resamples=resamples,
                                 conf_level=0.95, num_levels=4, seed=int(seed))
    return pd.DataFrame({"input": prob["names"], "mu_star": si["mu_star"],
                         "mu_star_conf": si["mu_star_conf"], "sigma": si["sigma"],
                         "mu": si["mu"]})


def _classes(x: np.ndarray, categorical: bool, m: int) -> tuple[np.ndarray, int]:
    """Conditioning classes of one input: its levels (categorical) or ``m`` equal-count
    slices of its ranks (ties kept together, so a class never splits one value)."""
    if categorical:
        _, cls = np.unique(x, return_inverse=True)
        return cls.astype(np.intp), int(cls.max()) + 1
    order = np.argsort(x, kind="stable")
    ranks = np.empty(x.size, dtype=np.intp)
    ranks[order] = np.arange(x.size)
    # ties: every lane of a value takes the class of the value's first rank
    _, first, inv = np.unique(x, return_index=True, return_inverse=True)
    ranks = ranks[first][inv]
    cls = np.minimum(ranks * m // x.size, m - 1)
    _, cls = np.unique(cls, return_inverse=True)
    return cls.astype(np.intp), int(cls.max()) + 1


def _output_bins(y: np.ndarray, max_bins: int = 20) -> tuple[np.ndarray, int]:
    """The output's values (few distinct values) or ``max_bins`` equal-count bins."""
    vals, inv = np.unique(y, return_inverse=True)
    if vals.size <= max_bins:
        return inv.astype(np.intp), int(vals.size)
    edges = np.unique(np.quantile(y, np.linspace(0, 1, max_bins + 1)[1:-1]))
    b = np.searchsorted(edges, y, side="right")
    return b.astype(np.intp), int(edges.size) + 1


def _delta_s1(cls: np.ndarray, nc: int, yb: np.ndarray, nb: int, y: np.ndarray
              ) -> tuple[float, float]:
    n = y.size
    joint = np.bincount(cls * nb + yb, minlength=nc * nb).reshape(nc, nb).astype(float)
    nm = joint.sum(axis=1)
    ok = nm > 0
    f = joint.sum(axis=0) / n
    fm = joint[ok] / nm[ok, None]
    delta = float(0.5 * np.sum(nm[ok] / n * np.abs(fm - f).sum(axis=1)))
    sums = np.bincount(cls, weights=y, minlength=nc)
    var = float(y.var())
    s1 = float(np.sum(nm[ok] / n * (sums[ok] / nm[ok] - y.mean()) ** 2) / var) if var else 0.0
    return delta, s1


def delta_indices(x: pd.DataFrame, y: np.ndarray, seed: int, resamples: int = 50,
                  categorical: Sequence[str] = ROLE_PATHS) -> pd.DataFrame:
    """Given-data delta and S1 of every column of ``x`` (one row per column, unranked).

    Plischke, Borgonovo & Smith (2013) class estimator: lanes are split into conditioning
    classes of each input (``M`` equal-count rank slices, M as in SALib; a categorical
    input's classes are its levels); delta is the mean total-variation distance between
    the output's distribution in a class and overall (exact for a discrete output such as
    an indicator; ``usa_aircraft_lost`` is cut into 20 equal-count bins), S1 the share of
    variance of the class means. Both are bias-reduced with ``resamples`` bootstrap
    resamples (2·estimate − mean of the resamples; Plischke 2013 eq. 30) and come with the
    95 % half-width from the bootstrap spread. No kernel density (SALib's delta smooths
    the output with a Gaussian kernel, which for a 0/1 output gives every input the same
    delta), and vectorised, so 100 inputs × 20,000 lanes take about a second.
    """
    y = np.asarray(y, dtype=float)
    n = y.size
    expo = 2.0 / (7.0 + math.tanh((1500.0 - n) / 500.0))
    m = int(min(math.ceil(n ** expo), 48))
    yb, nb = _output_bins(y)
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(11,)))
    boot = rng.integers(0, n, size=(resamples, n))
    rows = []
    z = 1.959963984540054
    for c in x.columns:
        cls, nc = _classes(x[c].to_numpy(dtype=float), c in categorical, m)
        d0, s0 = _delta_s1(cls, nc, yb, nb, y)
        bd = np.empty(resamples)
        bs = np.empty(resamples)
        for r in range(resamples):
            i = boot[r]
            bd[r], bs[r] = _delta_s1(cls[i], nc, yb[i], nb, y[i])
        rows.append({"input": c, "delta": 2 * d0 - bd.mean(), "delta_conf": z * bd.std(ddof=1),
                     "S1": 2 * s0 - bs.mean(), "S1_conf": z * bs.std(ddof=1)})
    return pd.DataFrame(rows, columns=["input", "delta", "delta_conf", "S1", "S1_conf"])


def rank(table: pd.DataFrame, column: str) -> pd.DataFrame:
    return table.sort_values(column, ascending=False, kind="stable",
                             na_position="last").reset_index(drop=True)


# ------------------------------------------------------------------------ inputs


def _norm(path: str) -> str:
    """``allies.JPN.escalation[0].probability`` -> ``allies.JPN.escalation.0.probability``."""
    return path.replace("[", ".").replace("]", "")


def role_path(name: str) -> str | None:
    """``allies.JPN.role``, ``jpn.role``, ``JPN`` -> ``allies.JPN.role``; else None."""
    n = name.strip()
    for a in ALLY_CODES:
        if n.lower() in (a.lower(), f"{a.lower()}.role", f"allies.{a.lower()}.role"):
            return f"allies.{a}.role"
    return None


def scenario_inputs(scenario: Any) -> dict[str, Any]:
    """Every uncertain number of a scenario by path (``[i]`` written ``.i``), with its Param."""
    return {_norm(p): prm for p, prm in scenario.iter_params() if prm.value is None}


def resolve_inputs(scenario: Any, names: Sequence[str]) -> list[str]:
    """Check ``--inputs`` paths: each must be an uncertain number or an ally's role."""
    known = scenario_inputs(scenario)
    out: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        rp = role_path(name)
        if rp is not None:
            out.append(rp)
            continue
        p = _norm(name)
        if p not in known:
            import difflib

            fixed = {_norm(q) for q, _ in scenario.iter_params()}
            why = ("is fixed in this scenario (it does not vary)" if p in fixed
                   else "is not a number of this scenario")
            near = difflib.get_close_matches(p, list(known), n=1)
            hint = f"; did you mean {near[0]}?" if near else ""
            raise StudyError(f"--inputs: '{name}' {why}{hint} (see 'strait scenario sources "
                             f"{scenario.name}', or use allies.JPN.role for a role)")
        lo, hi = known[p].support()
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise StudyError(f"--inputs: '{name}' has an unbounded distribution "
                             f"(support {lo:g} to {hi:g}); sobol and morris sample each input "
                             "over its support: give it low/high bounds, or use --method delta")
        out.append(p)
    if len(set(out)) != len(out):
        raise StudyError("--inputs: an input is named twice; name each once")
    if len(out) < 2:
        raise StudyError(f"--inputs: expected at least 2 inputs, found {len(out)}; e.g. "
                         "--inputs parameters.antiship.p_hit_subsonic,allies.JPN.role")
    return out


def default_inputs(scenario: Any, n_numeric: int = DEFAULT_N_NUMERIC) -> list[str]:
    """The ``n_numeric`` bounded inputs with the widest spread relative to their mean
    (coefficient of variation of a 4,096-lane draw, seed 0), then JPN and AUS roles."""
    from strait.experiments.inputs import sampled_inputs

    known = scenario_inputs(scenario)
    x = sampled_inputs(scenario, 4096, 0)
    cv: dict[str, float] = {}
    for c in x.columns:
        p = known.get(_norm(c))
        if p is None:
            continue
        lo, hi = p.support()
        sd, mu = float(x[c].std()), float(x[c].mean())
        if not (math.isfinite(lo) and math.isfinite(hi)) or sd == 0:
            continue
        cv[_norm(c)] = sd / max(abs(mu), 1e-12)
    best = sorted(cv, key=lambda c: (-cv[c], c))[:n_numeric]
    return [*best, *DEFAULT_ROLES]


# ------------------------------------------------------------- playing sample points


class _PerLane:
    """Stands in for a Param in the compiled structure: the engine's per-lane sampler asks
    it for ``n`` values and gets the design's values for the block's lanes."""

    value = None
    dist = "design"

    def __init__(self, values: np.ndarray, param: Any) -> None:
        self.values = np.asarray(values, dtype=np.float64)
        self.param = param

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if n != self.values.shape[0]:
            raise StudyError(f"sensitivity: block of {n} lanes got {self.values.shape[0]} values")
        return self.values.copy()

    def mean(self) -> float:
        return float(self.param.mean())

    def support(self) -> tuple[float, float]:
        lo, hi = self.param.support()
        return (float(lo), float(hi))


_W: dict[str, Any] = {}


def _init(scenario: Any) -> None:
    from strait.engine import compile_structure

    _W["struct"] = compile_structure(scenario)


def _play(args: tuple[int, int, list[str], np.ndarray, np.ndarray, int, list[str]]
          ) -> dict[str, np.ndarray]:
    """Play one block of lanes with the design's per-lane values."""
    from strait.engine import play_block
    from strait.engine.compile import LaneInput
    from strait.experiments.executors import block_rng

    block, seed, paths, values, roles, cell, columns = args
    base = _W["struct"]
    struct = copy.copy(base)
    specs = {g: dict(ps) for g, ps in base.param_specs.items()}
    lane_inputs = list(base.lane_inputs)
    where = {_norm(li.path.split(":", 1)[1] if li.path.startswith("slot.") else li.path): i
             for i, li in enumerate(lane_inputs)}
    for j, path in enumerate(paths):
        parts = path.split(".")
        if parts[0] == "parameters" and len(parts) == 3 and parts[2] in specs.get(parts[1], {}):
            specs[parts[1]][parts[2]] = _PerLane(values[:, j], specs[parts[1]][parts[2]])
        elif path in where:
            li = lane_inputs[where[path]]
            lane_inputs[where[path]] = LaneInput(li.path, _PerLane(values[:, j], li.param),
                                                 li.integer)
        else:
            raise StudyError(f"--inputs: '{path}' is not drawn per lane by the engine; "
                             "choose another input (see 'strait sensitivity --method delta')")
    struct.param_specs = specs
    struct.lane_inputs = lane_inputs
    n = values.shape[0]
    cols, _ = play_block(struct, n, block_rng(seed, block, cell), roles=roles)
    return {c: np.asarray(cols[c]) for c in columns}


def play_design(scenario: Any, paths: Sequence[str], values: np.ndarray, roles: np.ndarray,
                seed: int, *, workers: int | None = 1, cell: int = 0,
                columns: Sequence[str] = ("outcome", "usa_aircraft_lost")) -> pd.DataFrame:
    """Play one campaign per row of ``values`` (lanes × len(paths)) with those inputs fixed
    and the starting roles ``roles`` ((lanes, 4) levels); returns the chosen result columns.

    Lanes are cut into blocks of :data:`LANES_PER_BLOCK` exactly as ``strait.run`` cuts
    them, so a block whose lanes share one value plays as ``strait.run`` with that value.
    """
    values = np.asarray(values, dtype=np.float64)
    n = values.shape[0]
    if values.ndim != 2 or values.shape[1] != len(paths) or roles.shape != (n, 4):
        raise StudyError("sensitivity: design and roles do not match")
    tasks = [(b, int(seed), list(paths), values[s:s + LANES_PER_BLOCK],
              np.ascontiguousarray(roles[s:s + LANES_PER_BLOCK]), cell, list(columns))
             for b, s in enumerate(range(0, n, LANES_PER_BLOCK))]
    from strait.experiments.executors import make_executor, scenario_job

    # the executor set by strait.use_executor (the CLI's --executor), else serial for
    # workers=1 and a local process pool otherwise; results do not depend on it
    ex = make_executor(None, workers)
    parts = list(ex.imap(scenario_job(scenario, fn=_play, init=_init), tasks))
    return pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in columns})


def metric_of(table: pd.DataFrame, metric: str) -> np.ndarray:
    """The per-lane metric: indicator of outcome 0 / outcome 4, or US aircraft lost."""
    check_metric(metric)
    y: np.ndarray
    if metric == "prc_victory":
        y = (table["outcome"].to_numpy() == 0).astype(float)
    elif metric == "prc_defeat":
        y = (table["outcome"].to_numpy() == 4).astype(float)
    else:
        y = table["usa_aircraft_lost"].to_numpy(dtype=float)
    return y


def check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise StudyError(f"--metric: expected one of {', '.join(METRICS)}, found '{metric}'")


def check_method(method: str) -> None:
    if method not in METHODS:
        raise StudyError(f"--method: expected one of {', '.join(METHODS)}, found '{method}'")


def _design_lanes(scenario: Any, paths: list[str], x: np.ndarray, k: int, seed: int
                  ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Per-lane values of the numeric inputs and roles of all four allies for the sample
    points ``x`` (problem units; a role's column is on [0, 1)), each point ``k`` lanes."""
    from strait.scenario.models import Actor

    known = scenario_inputs(scenario)
    pts = x.shape[0]
    lanes = pts * k
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(7,)))
    roles = np.empty((lanes, 4), dtype=np.int8)
    for a, code in enumerate(ALLY_CODES):
        cdf = np.cumsum(scenario.role_probabilities(Actor(code)))
        cdf[-1] = 1.0 + 1e-12
        roles[:, a] = np.searchsorted(cdf, rng.random(lanes), side="right")
    num_paths: list[str] = []
    num_cols: list[np.ndarray] = []
    for j, p in enumerate(paths):
        col = np.repeat(x[:, j], k)
        if p in ROLE_PATHS:
            roles[:, ROLE_PATHS.index(p)] = np.minimum(np.floor(col * N_LEVELS), N_LEVELS - 1)
        else:
            lo, hi = known[p].support()
            num_paths.append(p)
            num_cols.append(np.clip(col, lo, hi))
    values = np.column_stack(num_cols) if num_cols else np.empty((lanes, 0))
    return num_paths, values, roles


def _bounds(scenario: Any, paths: list[str]) -> list[tuple[float, float]]:
    known = scenario_inputs(scenario)
    return [(0.0, 1.0) if p in ROLE_PATHS else known[p].support() for p in paths]


# --------------------------------------------------------------------------- entry point


def sensitivity(scenario: str | os.PathLike[str] | Any, method: str = "delta", *,
                n: int = 20_000, base: int = 256, inputs: Sequence[str] | None = None,
                metric: str = "prc_victory", seed: int = 0, workers: int | None = None,
                k: int = DEFAULT_K, resamples: int | None = None) -> Sensitivity:
    """Global sensitivity of ``metric`` (see module docstring).

    ``n``: lanes of the one run (``delta``). ``base``: Saltelli base sample N (``sobol``,
    ``base * (D + 2)`` points) or Morris trajectories (``morris``, ``base * (D + 1)``
    points), each played as ``k`` campaigns. ``inputs``: paths for sobol/morris (default
    :func:`default_inputs`); delta uses every varying input and role.
    """
    import strait
    from strait.api import resolve_scenario

    check_method(method)
    check_metric(metric)
    if k < 1:
        raise StudyError(f"k: expected campaigns per point >= 1, found {k}")
    s = resolve_scenario(scenario)
    t0 = time.perf_counter()
    if method == "delta":
        if inputs:
            raise StudyError("--inputs: delta analyses every input the run varies; leave "
                             "--inputs out, or use --method sobol|morris for a subset")
        if n < MIN_DELTA_LANES:
            raise StudyError(f"-n: the delta estimator needs at least {MIN_DELTA_LANES:,} "
                             f"lanes, found {n:,}; use e.g. -n 20000")
        res = strait.run(s, n=n, seed=seed, workers=workers)
        x = res.inputs()
        x.columns = [_norm(c) for c in x.columns]
        for code in ALLY_CODES:
            x[f"allies.{code}.role"] = res.table[f"{code.lower()}_role_start"].to_numpy(float)
        x = x.loc[:, x.nunique() > 1]
        if x.shape[1] == 0:
            raise StudyError(f"scenario '{s.name}': no input varies between lanes")
        y = metric_of(res.table, metric)
        if np.ptp(y) == 0:
            raise StudyError(f"--metric: {metric} is the same in all {n:,} lanes; use more "
                             "lanes or another metric")
        table = rank(delta_indices(x, y, seed, resamples or 50), "delta")
        return Sensitivity("delta", metric, s.name, seed, n, n, 1, table,
                           elapsed_s=time.perf_counter() - t0)
    if base < MIN_BASE:
        raise StudyError(f"--base: the {method} estimator needs a base sample of at least "
                         f"{MIN_BASE}, found {base}; use e.g. --base 256")
    paths = resolve_inputs(s, inputs) if inputs else default_inputs(s)
    prob = problem(paths, _bounds(s, paths))
    unit_prob = problem(paths, [(0.0, 1.0)] * len(paths))
    if method == "sobol":
        if base & (base - 1):
            raise StudyError(f"--base: Saltelli sampling needs a power of two, found {base}; "
                             "use e.g. --base 256")
        unit = sobol_sample(unit_prob, base, seed)
    else:
        unit = morris_sample(unit_prob, base, seed)
    # the sample in problem units (SALib's analysers read the bounds; roles stay on [0, 1))
    lo = np.array([b[0] for b in prob["bounds"]])
    hi = np.array([b[1] for b in prob["bounds"]])
    x = lo + unit * (hi - lo)
    num_paths, values, roles = _design_lanes(s, paths, x, k, seed)
    table_l = play_design(s, num_paths, values, roles, seed, workers=workers, cell=1)
    per_lane = metric_of(table_l, metric).reshape(-1, k)
    y = per_lane.mean(axis=1)
    noise = None
    if k > 1:
        within = float(per_lane.var(axis=1, ddof=1).mean()) / k
        total = float(y.var(ddof=1))
        noise = min(1.0, within / total) if total > 0 else 1.0
    if np.ptp(y) == 0:
        raise StudyError(f"--metric: {metric} is the same at every sample point; try "
                         "another metric or other inputs")
    if method == "sobol":
        table = rank(sobol_indices(prob, y, seed, resamples or 200), "ST")
    else:
        table = rank(morris_indices(prob, x, y, seed, resamples or 200), "mu_star")
    return Sensitivity(method, metric, s.name, seed, base, int(y.size * k), k, table,
                       noise_share=noise, elapsed_s=time.perf_counter() - t0)


__all__ = [
    "METHODS",
    "METRICS",
    "Sensitivity",
    "default_inputs",
    "delta_indices",
    "ishigami",
    "ishigami_problem",
    "morris_indices",
    "morris_sample",
    "play_design",
    "resolve_inputs",
    "sensitivity",
    "sobol_indices",
    "sobol_sample",
]
