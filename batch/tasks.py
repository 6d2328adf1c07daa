"""What a Dask worker runs: one replication of one point, returned as its summary row.

Kept tiny and importable on its own: a worker on another machine needs carebench installed, nothing else.
The scenario travels as JSON text (small, and the same bytes for every replication of a point); each worker
parses a point's scenario once and keeps the last few.
"""

from __future__ import annotations

from functools import lru_cache

from sim.engine import simulate_replication
from sim.scenario import Scenario

__all__ = ["run_one"]


@lru_cache(maxsize=32)
def _scenario(scenario_json: str) -> Scenario:
    return Scenario.model_validate_json(scenario_json)


def run_one(scenario_json: str, rep: int, seed: int) -> dict:
    """Replication ``rep`` of the scenario, its streams from ``SeedSequence(seed, spawn_key=(rep, input))``."""
    return simulate_replication(_scenario(scenario_json), rep, seed).summary_row()
