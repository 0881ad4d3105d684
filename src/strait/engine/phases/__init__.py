"""One module per phase of a turn, in the order they run.

politics -> strikes -> sorties -> air -> antiship -> subs -> lift -> ground -> termination

Each phase is a function ``(state, params, rng-draws, ctx) -> state`` that reads the
arrays it needs and returns the state with its part updated.
"""
from strait.engine.phases import (
    air,
    antiship,
    ground,
    lift,
    politics,
    sorties,
    strikes,
    subs,
    termination,
)

ORDER = (politics, strikes, sorties, air, antiship, subs, lift, ground, termination)

__all__ = ["ORDER", "air", "antiship", "ground", "lift", "politics", "sorties", "strikes",
           "subs", "termination"]
