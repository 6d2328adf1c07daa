"""Comparing two scenarios with common random numbers, until ``sim.compare`` exists.

Both scenarios run with the same seed, so replication *r* of each draws from the same streams per stochastic
input (arrivals, handle times, patience): the per-replication differences cancel most of the noise, and their
mean with a Student-t interval says how sure we are of each change. The lead's ``sim.compare.compare`` is meant
to replace this module; the page only calls :func:`compare`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sim.results import KPI_LABELS, RunResult, mean_ci, run
from sim.scenario import Scenario

__all__ = ["compare", "paired_differences", "COMPARE_COLUMNS"]

COMPARE_COLUMNS = ["kpi", "column", "a_mean", "b_mean", "difference", "ci_low", "ci_high", "significant"]


def paired_differences(a: RunResult, b: RunResult, level: float = 0.95) -> pd.DataFrame:
    """Per KPI: both means, the mean of B minus A over paired replications and its confidence interval.

    ``significant`` is True when the interval excludes zero.
    """
    sa, sb = a.summary.set_index("rep"), b.summary.set_index("rep")
    reps = sa.index.intersection(sb.index)
    rows = []
    for col, label in KPI_LABELS.items():
        diff = sb.loc[reps, col].astype(float) - sa.loc[reps, col].astype(float)
        mean, half = mean_ci(diff, level)
        low, high = mean - half, mean + half
        rows.append({"kpi": label, "column": col, "a_mean": float(sa.loc[reps, col].mean()),
                     "b_mean": float(sb.loc[reps, col].mean()), "difference": mean, "ci_low": low,
                     "ci_high": high, "significant": bool(low > 0 or high < 0) if half == half else False})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def compare(a: Scenario, b: Scenario, reps: int, seed: int,
            progress: Callable[[int, float], None] | None = None) -> pd.DataFrame:
    """Run ``a`` and ``b`` for ``reps`` replications each from the same ``seed`` and compare them pairwise."""
    ra = run(a, reps=reps, seed=seed, progress=(lambda r, m: progress(r, m)) if progress else None)
    rb = run(b, reps=reps, seed=seed, progress=(lambda r, m: progress(reps + r, m)) if progress else None)
    return paired_differences(ra, rb)
