"""Replications and their summary: KPIs per replication, means and confidence intervals across them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from .engine import Outcome, ReplicationResult, simulate_replication
from .intervals import kpi_interval, mean_interval
from .messages import SimMessage
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

# measures of the full care model, shown when it ran (see README, Scenario reference)
CARE_KPI_LABELS = {
    "response_rate": "response rate",
    "frt_p50_minutes": "first response p50 (min)",
    "frt_p90_minutes": "first response p90 (min)",
    "skipped": "skipped (triage)",
    "unseen": "unseen (listening)",
    "handled": "handled by agents",
    "answered_by_fix": "answered by public fix",
    "repeats": "repeat posts",
    "escalations": "public escalations",
    "phone_contacts": "phone contacts created",
    "comp_beyond": "off-policy concessions",
    "precedent_audience": "precedent audience",
    "cost_per_resolution": "cost per resolution",
    "frt_top_decile_minutes": "first response, top decile",
    "frt_other_deciles_minutes": "first response, others",
    "social_share_last_week": "social share, last week",
}


def mean_ci(values: pd.Series, level: float = 0.95) -> tuple[float, float]:
    """Mean and the half-width of its plain Student-t interval (NaN half-width for one value).

    Kept for callers of the old API; KPI tables use :func:`sim.intervals.kpi_interval`, which respects ranges.
    """
    iv = mean_interval(values, "other", level)
    return iv.mean, iv.half_width


@dataclass
class RunResult:
    """All replications of one scenario."""

    scenario: Scenario
    replications: list[ReplicationResult]

    @property
    def summary(self) -> pd.DataFrame:
        """One row per replication, the columns of ``summary.csv``."""
        rows = [r.summary_row() for r in self.replications]
        extra = [k for k in rows[0] if k not in SUMMARY_COLUMNS] if rows else []
        return pd.DataFrame(rows, columns=SUMMARY_COLUMNS + extra)

    def table(self, name: str) -> pd.DataFrame | None:
        """A breakdown of the full care model over all replications (``breakdown``, ``weeks``, ``fairness``)."""
        parts = [r.tables[name].assign(rep=r.rep) for r in self.replications if r.tables and name in r.tables]
        return pd.concat(parts, ignore_index=True) if parts else None

    @property
    def hours(self) -> pd.DataFrame:
        """Hourly results of every replication, with a ``rep`` column."""
        return pd.concat([r.hours.assign(rep=r.rep) for r in self.replications], ignore_index=True)

    def kpi_table(self, level: float = 0.95) -> pd.DataFrame:
        """Mean and confidence interval of each KPI across replications, inside the KPI's range.

        ``ci_low``/``ci_high`` come from :func:`sim.intervals.kpi_interval` (they need not be symmetric about
        the mean); ``ci_half_width`` is half their distance.
        """
        summary = self.summary
        rows = []
        labels = dict(KPI_LABELS)
        labels.update({k: v for k, v in CARE_KPI_LABELS.items() if k in summary.columns})
        for col, label in labels.items():
            iv = kpi_interval(summary[col], col, level)
            rows.append({"kpi": label, "column": col, "mean": iv.mean, "ci_half_width": iv.half_width,
                         "ci_low": iv.low, "ci_high": iv.high, "method": iv.method})
        return pd.DataFrame(rows)


def run(
    scenario: Scenario,
    reps: int | None = None,
    seed: int | None = None,
    on_outcome: Callable[[int, Outcome], None] | None = None,
    progress: Callable[[int, float], None] | None = None,
    on_message: Callable[[int, SimMessage], None] | None = None,
) -> RunResult:
    """Run ``reps`` replications (default: the scenario's) with streams from ``(seed, rep)``.

    ``on_outcome(rep, outcome)`` receives every measured mention's outcome; ``progress(rep, minutes)`` the
    simulated minutes done in the current replication; ``on_message(rep, message)`` every post and reply of the
    window as a :class:`sim.messages.SimMessage` (the reply log; it runs the care model's parts).
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
                on_message=(lambda msg, rep=rep: on_message(rep, msg)) if on_message else None,
            )
        )
    return RunResult(scenario, results)
