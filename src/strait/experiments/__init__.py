"""Experiments: running blocks of lanes on executors (serial, process pool)."""
from strait.experiments.executors import BLOCK_SIZE, block_rng, run_scenario

__all__ = ["BLOCK_SIZE", "block_rng", "run_scenario"]
