"""Experiments: running blocks of lanes on executors (serial, process pool, Ray) and
studies stored in DuckDB."""
from strait.experiments.executors import (
    BLOCK_SIZE,
    EXECUTORS,
    Executor,
    ProcessExecutor,
    RayExecutor,
    SerialExecutor,
    block_rng,
    make_executor,
    run_scenario,
    use_executor,
)

__all__ = ["BLOCK_SIZE", "EXECUTORS", "Executor", "ProcessExecutor", "RayExecutor",
           "SerialExecutor", "block_rng", "make_executor", "run_scenario", "use_executor"]
