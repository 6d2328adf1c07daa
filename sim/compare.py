"""Two scenarios run with common random numbers, and their KPI differences with confidence intervals.

Both scenarios use the same seed and replication indices, so every stochastic input they share draws the
same values (see :mod:`sim.random`); differences are then paired per replication, which gives far tighter
intervals than comparing two independent means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .intervals import kind_of, paired_difference
from .results import KPI_LABELS, RunResult, run
from .scenario import Scenario

__all__ = ["Comparison", "compare"]


@dataclass
class Comparison:
    """The runs of scenarios A and B and their paired KPI differences."""

    a: RunResult
    b: RunResult
    level: float = 0.95

    def table(self) -> pd.DataFrame:
        """One row per KPI: means of A and B, B - A with its confidence interval, and whether it excludes 0.

        The interval is :func:`sim.intervals.paired_difference` (clipped to [-1, 1] for proportions).
        """
        sa, sb = self.a.summary, self.b.summary
        rows = []
        for col in [c for c in sa.columns if c not in ("rep", "seed")]:
            a, b = sa[col].astype(float), sb[col].astype(float)
            iv = paired_difference(a, b, kind_of(col), self.level)
            rows.append({
                "kpi": KPI_LABELS.get(col, col),
                "column": col,
                "a_mean": float(a.mean()),
                "b_mean": float(b.mean()),
                "difference": iv.mean,
                "ci_low": iv.low,
                "ci_high": iv.high,
                "significant": bool(iv.low > 0 or iv.high < 0),
            })
        return pd.DataFrame(rows)


def compare(
    a: Scenario,
    b: Scenario,
    reps: int | None = None,
    seed: int | None = None,
    progress: Callable[[str, int, float], None] | None = None,
) -> Comparison:
    """Run A and B with the same seed and replications (default: A's) and pair their results."""
    reps = a.replications if reps is None else reps
    seed = a.seed if seed is None else seed
    runs = []
    for label, sc in (("A", a), ("B", b)):
        cb = (lambda rep, m, label=label: progress(label, rep, m)) if progress else None
        runs.append(run(sc, reps=reps, seed=seed, progress=cb))
    return Comparison(*runs)
