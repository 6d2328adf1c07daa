"""Shared test helpers: scenario building and confidence intervals."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy import stats

from sim.scenario import Scenario

DATA = Path(__file__).parent / "data"


def make_scenario(**fields) -> Scenario:
    """A scenario from plain dicts, with small defaults for what a test does not care about."""
    base = {
        "name": "test",
        "seed": 1,
        "horizon_days": 1.0,
        "warmup_days": 0.0,
        "replications": 1,
        "volume": {"mentions_per_hour": 60.0},
        "handling": {"handle_minutes": {"dist": "exponential", "mean": 1.0}},
        "staffing": {"agents": 2},
        "sla": {"target_minutes": 1.0, "goal": 0.8},
    }
    base.update(fields)
    return Scenario.model_validate(base)


def t_interval(values, family_level: float = 0.999, comparisons: int = 1) -> tuple[float, float]:
    """Mean and Student-t half-width with Bonferroni over ``comparisons`` (family-wise ``family_level``)."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    alpha = (1 - family_level) / comparisons
    half = stats.t.ppf(1 - alpha / 2, n - 1) * x.std(ddof=1) / math.sqrt(n)
    return float(x.mean()), float(half)
