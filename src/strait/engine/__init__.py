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
from strait.outcomes import GLOSSARY, OUTCOME_DESCRIPTIONS, OUTCOME_LABELS, OUTCOMES

__all__ = ["GLOSSARY", "OUTCOMES", "OUTCOME_DESCRIPTIONS", "OUTCOME_LABELS", "PRC_DEFEAT",
           "PRC_VICTORY", "STALEMATE_DEFENCE", "STALEMATE_INDETERMINATE", "STALEMATE_PRC",
           "TRAJECTORY_FIELDS", "Structure", "compile_structure", "play_block"]
