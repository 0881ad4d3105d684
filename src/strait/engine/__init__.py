"""The campaign engine: a vectorised Monte Carlo over 3.5-day turns.

Where things are decided:

==============  =============================================
politics        :mod:`strait.engine.phases.politics`
missile strikes :mod:`strait.engine.phases.strikes`
sorties         :mod:`strait.engine.phases.sorties`
air battle      :mod:`strait.engine.phases.air`
anti-ship       :mod:`strait.engine.phases.antiship`
submarines      :mod:`strait.engine.phases.subs`
amphibious lift :mod:`strait.engine.phases.lift`
ground war      :mod:`strait.engine.phases.ground`
termination     :mod:`strait.engine.phases.termination`
==============  =============================================
"""

from strait.engine.compile import Structure, compile_structure
from strait.engine.loop import TRAJECTORY_FIELDS, play_block
from strait.engine.phases.termination import (
    PRC_DEFEAT,
    PRC_VICTORY,
    STALEMATE_DEFENCE,
    STALEMATE_INDETERMINATE,
    STALEMATE_PRC,
)

OUTCOMES: tuple[str, ...] = ("prc_victory", "stalemate_prc", "stalemate_indeterminate",
                             "stalemate_defence", "prc_defeat")
"""Outcome names by code (CSIS p.84-85)."""

OUTCOME_LABELS: dict[str, str] = {
    "prc_victory": "PRC victory",
    "stalemate_prc": "Stalemate leaning PRC",
    "stalemate_indeterminate": "Stalemate, indeterminate",
    "stalemate_defence": "Stalemate leaning against PRC",
    "prc_defeat": "PRC defeat",
}

__all__ = ["OUTCOMES", "OUTCOME_LABELS", "PRC_DEFEAT", "PRC_VICTORY", "STALEMATE_DEFENCE",
           "STALEMATE_INDETERMINATE", "STALEMATE_PRC", "TRAJECTORY_FIELDS", "Structure",
           "compile_structure", "play_block"]
