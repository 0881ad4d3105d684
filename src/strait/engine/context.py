"""What a phase needs besides state and params: the compiled structure and per-turn scratch."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from strait.engine.compile import Structure
from strait.engine.draws import Draws


@dataclass
class TurnContext:
    """Per-turn values phases hand to later phases (sorties flown, hits this turn...)."""

    struct: Structure
    draws: Draws
    turn: int
    turn_days: float
    us_active: bool
    scratch: dict[str, np.ndarray] = field(default_factory=dict)
