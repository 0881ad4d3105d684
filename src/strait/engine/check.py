"""The lane-independence checker: one lane is one campaign, whatever its neighbours do.

In the spirit of Gymnasium's ``check_env``: :func:`check_lanes` plays a block of a
scenario, then replays a few *probe* lanes in other circumstances and requires their
results to be bit-identical:

* **alone** — the probe played by itself (every random number still drawn for the block);
* **never compacted** and **compacted every turn** — finished lanes kept or dropped;
* **other roles** — every other lane's starting roles forced to other levels;
* **other parameters** — every other lane given another lane's sampled inputs.

Any difference means something a lane computes depends on other lanes (a mean over the
block, a shared draw, a compaction bug), which would break the seeding contract and every
sweep and sensitivity index built on the lanes.

>>> report = check_lanes("csis-base", n=64, probes=2)
>>> report.ok, report.variants
(True, ('alone', 'never compacted', 'compacted every turn', 'other roles', 'other parameters'))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from strait.engine.compile import Structure, compile_structure
from strait.engine.loop import play_block
from strait.errors import EngineError
from strait.scenario.models import ALLIES, Scenario

VARIANTS = ("alone", "never compacted", "compacted every turn", "other roles",
            "other parameters")


@dataclass(frozen=True)
class LaneReport:
    """What :func:`check_lanes` found: ``mismatches`` lists ``(variant, lane, column)``."""

    scenario: str
    n: int
    probes: tuple[int, ...]
    variants: tuple[str, ...] = VARIANTS
    mismatches: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def raise_if_failed(self) -> None:
        if self.mismatches:
            v, lane, col = self.mismatches[0]
            raise EngineError(f"scenario '{self.scenario}': lane {lane} changes when played "
                              f"{v!r} (column {col}, +{len(self.mismatches) - 1} more); a "
                              "lane's result must not depend on other lanes")


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0, 0)))


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def check_lanes(scenario: str | Scenario | Structure, n: int = 256, seed: int = 0,
                probes: int = 6) -> LaneReport:
    """Play ``scenario`` and replay ``probes`` lanes five other ways; compare bit for bit.

    ``scenario`` is a bundled name, a :class:`Scenario` or a compiled :class:`Structure`.
    """
    if isinstance(scenario, Structure):
        struct = scenario
    else:
        if isinstance(scenario, str):
            from strait.scenario.loader import load_scenario

            scenario = load_scenario(scenario)
        struct = compile_structure(scenario)
    if n < 2 or probes < 1:
        raise EngineError(f"check_lanes: expected n >= 2 and probes >= 1, found n={n}, "
                          f"probes={probes}")
    base, _ = play_block(struct, n, _rng(seed))
    picks = tuple(int(i) for i in np.unique(np.linspace(0, n - 1, min(probes, n)).astype(int)))
    report = LaneReport(struct.scenario.name, n, picks)

    def compare(variant: str, cols: dict[str, np.ndarray], rows: Any) -> None:
        for c, v in base.items():
            for lane, r in zip(picks, rows, strict=True):
                if not _same(v[lane:lane + 1], cols[c][r:r + 1]):
                    report.mismatches.append((variant, lane, c))

    for lane in picks:
        cols, _ = play_block(struct, n, _rng(seed), lanes=np.array([lane]))
        for c, v in base.items():
            if not _same(v[lane:lane + 1], cols[c][0:1]):
                report.mismatches.append(("alone", lane, c))
    for variant, frac in (("never compacted", 0.0), ("compacted every turn", 1.01)):
        cols, _ = play_block(struct, n, _rng(seed), compact_below=frac)
        compare(variant, cols, picks)
    # other lanes' roles forced elsewhere, the probes' kept
    other = np.ones(n, dtype=bool)
    other[list(picks)] = False
    roles = np.stack([base[f"{a.value.lower()}_role_start"] for a in ALLIES], axis=1)
    roles = roles.astype(np.int8)
    roles[other] = (roles[other] + 3) % 7
    cols, _ = play_block(struct, n, _rng(seed), roles=roles)
    compare("other roles", cols, picks)
    # other lanes play with another lane's sampled inputs
    src = np.arange(n)
    src[other] = np.roll(src[other], 1)
    cols, _ = play_block(struct, n, _rng(seed), params_from=src)
    compare("other parameters", cols, picks)
    return report


def inputs_read(scenario: Scenario | Structure, n: int = 512, seed: int = 0) -> set[str]:
    """Dotted paths of every scenario field the engine read compiling and playing ``n``
    campaigns of ``scenario`` (catalogue parameters count when a phase reads them)."""
    struct = scenario if isinstance(scenario, Structure) else compile_structure(scenario)
    reads: set[str] = set()
    play_block(struct, n, _rng(seed), reads=reads)
    return reads | struct.reads.paths


def unused_inputs(scenario: Scenario | Structure, n: int = 512, seed: int = 0) -> list[str]:
    """Fields the scenario sets that no part of the engine read: inputs with no effect.

    Reads are recorded while compiling and while playing ``n`` campaigns, so a parameter
    read only in circumstances this scenario never reaches (US reinforcements when the US
    stays out) is reported too: in this scenario it changes nothing.

    >>> from strait.scenario.loader import load_scenario
    >>> unused_inputs(load_scenario("csis-base"))  # read only under dispersed basing
    ['parameters.sorties.dispersal_sortie_factor', 'parameters.strikes.dispersal_parking_factor']
    """
    from strait.engine.inputs import scenario_leaves

    struct = scenario if isinstance(scenario, Structure) else compile_structure(scenario)
    read = inputs_read(struct, n, seed)
    reads = struct.reads
    return [leaf for leaf in scenario_leaves(struct.scenario)
            if leaf not in read and not reads.covers(leaf)]


__all__ = ["VARIANTS", "LaneReport", "check_lanes", "inputs_read", "unused_inputs"]
