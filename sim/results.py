"""Replications and their summary: KPIs per replication, means and confidence intervals across them."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from .engine import Outcome, ReplicationResult, simulate_replication
from .metrics import SUMMARY_COLUMNS
from .scenario import Scenario

__all__ = ["RunResult", "run", "mean_ci", "KPI_LABELS"]

KPI_LABELS = {
    "arrivals": "arrivals",
    "answered": "answered",
    "abandoned": "abandoned",
    "p_wait": "P(wait)",
    "service_level": "service level",
    "asa_minutes": "ASA (min)",
    "mean_wait_all_minutes": "mean wait, all (min)",
    "abandon_rate": "abandon rate",
    "occupancy": "occupancy",
}


def mean_ci(values: pd.Series, level: float = 0.95) -> tuple[float, float]:
    """Mean and the half-width of its Student-t confidence interval (NaN half-width for one value)."""
    x = values.dropna().astype(float)
    n = len(x)
    if n == 0:
        return math.nan, math.nan
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan
    from scipy import stats  # imported here: it costs most of a second at start-up

    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return mean, half


@dataclass
class RunResult:
    """All replications of one scenario."""

    scenario: Scenario
    replications: list[ReplicationResult]

    @property
    def summary(self) -> pd.DataFrame:
        """One row per replication, the columns of ``summary.csv``."""
        return pd.DataFrame([r.summary_row() for r in self.replications], columns=SUMMARY_COLUMNS)

    @property
    def hours(self) -> pd.DataFrame:
        """Hourly results of every replication, with a ``rep`` column."""
        return pd.concat([r.hours.assign(rep=r.rep) for r in self.replications], ignore_index=True)

    def kpi_table(self, level: float = 0.95) -> pd.DataFrame:
        """Mean and confidence half-width of each KPI across replications."""
        summary = self.summary
        rows = []
        for col, label in KPI_LABELS.items():
            mean, half = mean_ci(summary[col], level)
            rows.append({"kpi": label, "column": col, "mean": mean, "ci_half_width": half})
        return pd.DataFrame(rows)


def run(
    scenario: Scenario,
    reps: int | None = None,
    seed: int | None = None,
    on_outcome: Callable[[int, Outcome], None] | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> RunResult:
    """Run ``reps`` replications (default: the scenario's) with streams from ``(seed, rep)``.

    ``on_outcome(rep, outcome)`` receives every measured mention's outcome; ``progress(rep, minutes)`` the
    simulated minutes done in the current replication.
    """
    reps = scenario.replications if reps is None else reps
    results = []
    for rep in range(reps):
        results.append(
            simulate_replication(
                scenario,
                rep,
                seed,
                on_outcome=(lambda o, rep=rep: on_outcome(rep, o)) if on_outcome else None,
                progress=(lambda m, rep=rep: progress(rep, m)) if progress else None,
            )
        )
    return RunResult(scenario, results)
