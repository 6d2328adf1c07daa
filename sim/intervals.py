"""Confidence intervals of a KPI's mean across replications that stay inside the KPI's range.

Each KPI declares its kind once, in :data:`KPI_KINDS`: a *proportion* lies in [0, 1]; a *count*, *time* or
*amount* is non-negative; *other* is unbounded. The interval of the mean is the Student-t interval (n - 1
degrees of freedom) built on a transformed scale and mapped back (the delta method, as used for survival
curves' log and logit intervals):

- proportion: logit scale, ``logit(m) ± t * se / (m (1 - m))``, back through the logistic function;
- count, time, amount: log scale, ``log(m) ± t * se / m``, back through exp (a relative interval);
- other: the plain Student-t interval ``m ± t * se``.

So a proportion's interval is always inside (0, 1) and a count's always above 0, however few replications;
for many replications it agrees with the plain t interval. When every replication gives the same value the
interval is that value (there is no variation to measure). Paired differences (common random numbers) use the
paired t interval; a difference of proportions is clipped to [-1, 1], which changes no coverage because the
true difference lies in that range. Below :data:`FEW_REPLICATIONS` an interval rests mostly on the normal
approximation: :func:`few_replications_warning` says so, and the CLI, the app and the batch summaries show it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = ["KPI_KINDS", "KINDS", "FEW_REPLICATIONS", "Interval", "kind_of", "mean_interval", "kpi_interval",
           "interval_from_moments", "paired_difference", "difference_from_moments", "few_replications_warning"]

KINDS = ("proportion", "count", "time", "amount", "other")

# The one declaration of each KPI's kind (the columns of summary.csv); a test checks every column has one.
KPI_KINDS: dict[str, str] = {
    "arrivals": "count", "answered": "count", "abandoned": "count", "open_at_end": "count",
    "p_wait": "proportion", "service_level": "proportion", "asa_minutes": "time",
    "mean_wait_all_minutes": "time", "abandon_rate": "proportion", "occupancy": "proportion",
    # the full care model's measures (README, "Scenario reference")
    "first_posts": "count", "repeats": "count", "escalations": "count", "extra_posts": "count",
    "triggered": "count", "skipped": "count", "unseen": "count", "handled": "count", "answered_by_fix": "count",
    "fix_posts": "count", "translated": "count", "resolutions": "count", "deflections": "count",
    "dm_moves": "count", "field_cases": "count", "phone_contacts": "count", "phone_switches": "count",
    "dual_contacts": "count", "worked_twice": "count", "comp_within": "count", "comp_beyond": "count",
    "precedents_public": "count", "precedents_private": "count", "response_rate": "proportion",
    "frt_p50_minutes": "time", "frt_p90_minutes": "time", "frt_p99_minutes": "time",
    "compensation_amount": "amount", "precedent_audience": "count", "agent_hours": "time",
    "phone_contacts_total": "count", "cost_total": "amount", "cost_per_resolution": "amount",
    "social_share_first_week": "proportion", "social_share_last_week": "proportion",
    "frt_top_decile_minutes": "time", "frt_other_deciles_minutes": "time", "monday_8am_backlog": "count",
    "max_oldest_open_hours": "time", "handle_minutes": "time", "handle_minutes_per_reply": "time",
}

FEW_REPLICATIONS = 5  # below this many replications an interval is shown with a warning
_LOW = {"proportion": 0.0, "count": 0.0, "time": 0.0, "amount": 0.0, "other": -math.inf}
_HIGH = {"proportion": 1.0, "count": math.inf, "time": math.inf, "amount": math.inf, "other": math.inf}


@dataclass(frozen=True)
class Interval:
    """A mean (or mean difference) over ``n`` replications and its confidence interval [low, high]."""

    n: int
    mean: float
    low: float
    high: float
    method: str

    @property
    def half_width(self) -> float:
        """Half the interval's width (it need not be symmetric about the mean)."""
        return (self.high - self.low) / 2.0


def kind_of(column: str) -> str:
    """The declared kind of a KPI column; ``other`` (an unbounded t interval) when none is declared."""
    return KPI_KINDS.get(column, "other")


def _t_quantile(level: float, df: int) -> float:
    from scipy import stats  # imported here: it costs most of a second at start-up

    return float(stats.t.ppf(0.5 + level / 2.0, df))


def _clean(values: Iterable[float]) -> np.ndarray:
    x = np.asarray(list(values) if not hasattr(values, "__array__") else values, dtype=float)
    return x[~np.isnan(x)]


def mean_interval(values: Iterable[float], kind: str = "other", level: float = 0.95) -> Interval:
    """The mean of ``values`` (NaNs dropped) and its interval on the scale of ``kind`` (see the module doc)."""
    x = _clean(values)
    n = len(x)
    if n == 0:
        return interval_from_moments(0, math.nan, math.nan, math.nan, math.nan, kind, level)
    sd = float(x.std(ddof=1)) if n > 1 else math.nan
    return interval_from_moments(n, float(x.mean()), sd, float(x.min()), float(x.max()), kind, level)


def interval_from_moments(n: int, mean: float, sd: float, minimum: float, maximum: float, kind: str = "other",
                          level: float = 0.95) -> Interval:
    """:func:`mean_interval` from a sample's size, mean, standard deviation (n - 1) and extremes.

    For summaries computed elsewhere (a database's aggregates) rather than from the values themselves.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown KPI kind {kind!r}; expected one of {', '.join(KINDS)}")
    m = mean
    if n < 2:
        return Interval(n, m if n else math.nan, math.nan, math.nan, "none")
    se = sd / math.sqrt(n)
    if se == 0.0:
        return Interval(n, m, m, m, "no variation")
    t = _t_quantile(level, n - 1)
    if kind == "other" or minimum < _LOW[kind] or maximum > _HIGH[kind]:  # outside the range: unbounded t
        return Interval(n, m, m - t * se, m + t * se, "t")
    if kind == "proportion":
        scaled = t * se / (m * (1.0 - m))
        centre = math.log(m / (1.0 - m))
        return Interval(n, m, _expit(centre - scaled), _expit(centre + scaled), "logit t")
    scaled = t * se / m
    return Interval(n, m, m * math.exp(-scaled), m * math.exp(scaled), "log t")


def _expit(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def kpi_interval(values: Iterable[float], column: str, level: float = 0.95) -> Interval:
    """:func:`mean_interval` with the kind declared for ``column``."""
    return mean_interval(values, kind_of(column), level)


def paired_difference(a: Iterable[float], b: Iterable[float], kind: str = "other",
                      level: float = 0.95) -> Interval:
    """Mean of B - A over paired replications (same seed and index) and its paired t interval.

    Pairs with a NaN on either side are dropped. For proportions the interval is clipped to [-1, 1].
    """
    xa = np.asarray(list(a), dtype=float)
    xb = np.asarray(list(b), dtype=float)
    if xa.shape != xb.shape:
        raise ValueError(f"paired samples differ in length ({len(xa)} and {len(xb)})")
    d = xb - xa
    d = d[~np.isnan(d)]
    n = len(d)
    sd = float(d.std(ddof=1)) if n > 1 else math.nan
    return difference_from_moments(n, float(d.mean()) if n else math.nan, sd, kind, level)


def difference_from_moments(n: int, mean: float, sd: float, kind: str = "other", level: float = 0.95) -> Interval:
    """:func:`paired_difference` from the differences' size, mean and standard deviation (n - 1)."""
    if n < 2:
        return Interval(n, mean if n else math.nan, math.nan, math.nan, "none")
    se = sd / math.sqrt(n)
    if se == 0.0:
        return Interval(n, mean, mean, mean, "no variation")
    half = _t_quantile(level, n - 1) * se
    if kind == "proportion":
        return Interval(n, mean, max(mean - half, -1.0), min(mean + half, 1.0), "paired t, clipped to [-1, 1]")
    return Interval(n, mean, mean - half, mean + half, "paired t")


def few_replications_warning(n: int) -> str | None:
    """A one-line warning when ``n`` replications are too few for an interval to mean much, else None."""
    if n >= FEW_REPLICATIONS:
        return None
    if n < 2:
        return f"{n} replication: no confidence interval; run at least {FEW_REPLICATIONS}"
    return (f"only {n} replications: the intervals are wide and rest on a normal approximation; "
            f"run at least {FEW_REPLICATIONS} (10 or more for tight intervals)")
