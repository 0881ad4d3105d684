"""Running summaries for runs too large to keep their per-campaign table in memory.

A streamed run (see :func:`strait.run`) writes its rows to Parquet block by block and
feeds every block to a :class:`RunningSummary`, so that ``results.summary()`` still works
while memory stays flat however many campaigns are played:

* outcome counts and probabilities, shares (timings hit, allies struck, roles
  escalated), role means and loss means are **exact** (running counts and sums);
* loss medians and 5-95 % bands, and timing medians, come from a **uniform random
  sample** of at most :data:`SAMPLE_SIZE` campaigns (bottom-k sampling: each campaign
  gets a uniform key from a generator seeded with the run seed and kept apart from the
  engine's random numbers; the campaigns with the smallest keys are kept). With ``k``
  campaigns sampled, a reported quantile ``q`` lies between the run's true quantiles
  ``q - e`` and ``q + e`` with ``e = 1.5 / sqrt(k)`` (three standard errors at the
  median): about ±0.4 percentile points at the default ``k = 131,072``. A run of no
  more than ``k`` campaigns is summarised exactly.

Same seed, same summary: the sample depends only on the seed and ``n``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from strait.engine import OUTCOMES

SAMPLE_SIZE = 1 << 17
"""Campaigns kept for the medians and 5-95 % bands of a streamed run."""

TIMING_COLUMNS = ("fleet_destroyed_turn", "lrasm_out_turn", "shore_asm_out_turn")
ALLIES = ("jpn", "aus", "phl", "kor")
_SAMPLE_TAG = 0x5A4D  # spawn key of the sampling generator (apart from the engine's)


def rank_error(k: int) -> float:
    """Documented bound on the quantile (rank) error of a sample of ``k`` campaigns."""
    return 1.5 / math.sqrt(k) if k > 0 else math.inf


class RunningSummary:
    """Counts, sums and a bounded uniform sample of a run's campaigns, block by block."""

    def __init__(self, seed: int, sample_size: int | None = None,
                 sample_columns: tuple[str, ...] = ()) -> None:
        self.k = int(sample_size or SAMPLE_SIZE)
        self.n = 0
        self.outcomes = np.zeros(len(OUTCOMES), dtype=np.int64)
        self.sums: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.columns = tuple(dict.fromkeys((*sample_columns, *TIMING_COLUMNS)))
        self._rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_SAMPLE_TAG,)))
        self._keys = np.empty(0)
        self._sample: dict[str, np.ndarray] = {}
        self._threshold = math.inf

    # ------------------------------------------------------------------------ feeding

    def add(self, cols: Mapping[str, np.ndarray]) -> None:
        """Take one block of per-campaign columns (in lane order)."""
        m = len(cols["outcome"])
        self.n += m
        self.outcomes += np.bincount(cols["outcome"], minlength=len(OUTCOMES))[:len(OUTCOMES)]
        for col in self.columns:
            if col in cols and col not in TIMING_COLUMNS:
                self._sum(col, cols[col])
        for col in TIMING_COLUMNS:
            if col in cols:
                self._count(col + ">=0", cols[col] >= 0)
        for ally in ALLIES:
            if f"{ally}_struck" in cols:
                self._count(f"{ally}_struck", cols[f"{ally}_struck"])
                self._count(f"{ally}_escalated", cols[f"{ally}_role_change_turn"] >= 0)
                self._sum(f"{ally}_role_start", cols[f"{ally}_role_start"])
                self._sum(f"{ally}_role_end", cols[f"{ally}_role_end"])
        self._take_sample(cols, m)

    def _sum(self, key: str, x: np.ndarray) -> None:
        self.sums[key] = self.sums.get(key, 0.0) + float(np.sum(x, dtype=np.float64))

    def _count(self, key: str, hit: np.ndarray) -> None:
        self.counts[key] = self.counts.get(key, 0) + int(np.count_nonzero(hit))

    def _take_sample(self, cols: Mapping[str, np.ndarray], m: int) -> None:
        keys = self._rng.random(m)
        pick = np.nonzero(keys < self._threshold)[0]
        if pick.size == 0:
            return
        self._keys = np.concatenate([self._keys, keys[pick]])
        for col in self.columns:
            if col in cols:
                part = np.asarray(cols[col])[pick]
                old = self._sample.get(col)
                self._sample[col] = part if old is None else np.concatenate([old, part])
        if self._keys.size >= 2 * self.k:
            self._prune()

    def _prune(self) -> None:
        """Keep the ``k`` smallest keys (and their rows)."""
        if self._keys.size <= self.k:
            return
        keep = np.argpartition(self._keys, self.k - 1)[:self.k]
        keep.sort()  # stable lane order, so the result does not depend on partition order
        self._keys = self._keys[keep]
        self._sample = {c: v[keep] for c, v in self._sample.items()}
        self._threshold = float(self._keys.max())

    # ------------------------------------------------------------------------ reading

    def sample(self) -> dict[str, np.ndarray]:
        """The sampled campaigns' values, by column (at most ``k`` rows)."""
        self._prune()
        return dict(self._sample)

    def outcome_counts(self) -> dict[str, int]:
        return {name: int(self.outcomes[i]) for i, name in enumerate(OUTCOMES)}

    def mean(self, key: str) -> float:
        return self.sums[key] / self.n if self.n else math.nan

    def share(self, key: str) -> float:
        return self.counts[key] / self.n if self.n else math.nan


__all__ = ["SAMPLE_SIZE", "RunningSummary", "rank_error"]
