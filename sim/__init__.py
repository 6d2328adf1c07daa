"""The care-operation simulator: scenarios in, KPIs and hourly results out. No file or CLI code here.

One engine (:mod:`sim.engine`) built from parts (:mod:`sim.assembly`); docs/architecture.md draws the layers.
"""

from .engine import Engine, Outcome, ReplicationResult, simulate_replication
from .results import RunResult, mean_ci, run
from .scenario import Scenario

__all__ = [
    "Engine",
    "Outcome",
    "ReplicationResult",
    "RunResult",
    "Scenario",
    "mean_ci",
    "run",
    "simulate_replication",
]
