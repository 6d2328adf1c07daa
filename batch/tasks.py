"""What a Dask worker runs: one replication of one point, returned as its summary row.

Kept tiny and importable on its own: a worker on another machine needs carebench installed, nothing else.
The simulator is imported inside the functions, not at the top: the Dask scheduler unpickles each task's
function reference, and importing the simulator there would cost it about 80 MiB for nothing (measured by
``benchmarks/bench_batch.py``). The scenario travels as JSON text (small, the same for every replication of a
point); each worker parses a point's scenario once and keeps the last few.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["run_one"]


@lru_cache(maxsize=32)
def _scenario(scenario_json: str):
    from sim.scenario import Scenario

    return Scenario.model_validate_json(scenario_json)


def run_one(scenario_json: str, rep: int, seed: int) -> dict:
    """Replication ``rep`` of the scenario, its streams from ``SeedSequence(seed, spawn_key=(rep, input))``."""
    from sim.engine import simulate_replication

    return simulate_replication(_scenario(scenario_json), rep, seed).summary_row()
