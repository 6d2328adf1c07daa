"""The care-operation simulator: scenarios in, KPIs and hourly results out. No file or CLI code here."""

from .engine import CareOperation, Outcome, ReplicationResult, simulate_replication
from .results import RunResult, mean_ci, run
from .scenario import Scenario

__all__ = [
    "CareOperation",
    "Outcome",
    "ReplicationResult",
    "RunResult",
    "Scenario",
    "mean_ci",
    "run",
    "simulate_replication",
]
