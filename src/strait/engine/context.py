"""What a phase needs besides state and params: the structure, the turn's draws and flows.

:class:`Flows` is the typed contract between phases within a turn: each field is written
by one phase and read by later ones. A field is unset until its producer runs, and
reading it earlier raises ``AttributeError`` naming it, so an ordering mistake fails
loudly instead of falling back to a default.

>>> import numpy as np
>>> f = Flows()
>>> f.cap_sorties
Traceback (most recent call last):
...
AttributeError: 'Flows' object has no attribute 'cap_sorties'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from strait.engine.compile import Doctrine, Structure
from strait.engine.draws import Draws


class Flows:
    """Per-turn quantities handed from one phase to the next (producer -> readers)."""

    __slots__ = (
        "base_hits",
        "bomber_sorties",
        "cap_sorties",
        "carrier_cap",
        "ended",
        "fleet_exposure",
        "lift_start",
        "lift_sunk",
        "pla_sorties",
        "pla_sorties_raw",
        "pool_cap",
        "slot_cap",
        "slot_sorties",
        "slot_weight",
        "strike_sorties",
        "targeting",
    )

    # loop, at the start of the turn
    lift_start: np.ndarray  # (n, L) lift afloat when the turn began
    # strikes
    base_hits: np.ndarray  # (n, B) PRC missiles that leaked through at each base
    # sorties
    slot_sorties: np.ndarray  # (n, S) fighter sorties flown from each slot
    cap_sorties: np.ndarray  # (n,) quality-weighted coalition CAP sorties
    pool_cap: np.ndarray  # (n, K) CAP sorties per coalition pool
    slot_weight: np.ndarray  # (n, S) quality-weighted CAP sorties per slot
    slot_cap: np.ndarray  # (n, S) CAP sorties per slot (aircraft, not quality-weighted)
    carrier_cap: np.ndarray  # (n,) carrier CAP sorties
    strike_sorties: np.ndarray  # (n,) fighter anti-ship strike sorties
    bomber_sorties: np.ndarray  # (n,) bomber sorties
    pla_sorties: np.ndarray  # (n,) quality-weighted PLA fighter sorties
    pla_sorties_raw: np.ndarray  # (n,) PLA fighter sorties
    targeting: np.ndarray  # (n,) kill-chain quality of coalition anti-ship fires, 0..1
    # antiship
    fleet_exposure: np.ndarray  # (n,) share of the amphibious fleet sailing this turn
    # antiship and subs (accumulated)
    lift_sunk: np.ndarray  # (n, L) lift ships sunk this turn
    # termination
    ended: np.ndarray  # (n,) bool lanes that ended this turn


@dataclass
class TurnContext:
    """The compiled structure, this turn's draws and number, and the flows between phases."""

    struct: Structure
    draws: Draws
    turn: int
    turn_days: float
    us_active: bool
    flows: Flows = field(default_factory=Flows)

    @property
    def doctrine(self) -> Doctrine:
        """The compiled doctrine (the switches phases may read)."""
        return self.struct.doctrine


__all__ = ["Flows", "TurnContext"]
