"""Streaming statistics of one replication: window totals and hourly buckets.

Tallies (per mention: waits, outcomes) are running sums; levels (busy slots, agents on duty) are time
integrals (:class:`Levels`). Nothing here grows with the number of mentions; the hourly buckets grow with
the horizon by a few numbers an hour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

__all__ = ["WindowTotals", "HourlyBuckets", "Levels", "LogHistogram", "SUMMARY_COLUMNS", "HOUR"]

HOUR = 60.0

SUMMARY_COLUMNS = [
    "rep",
    "seed",
    "arrivals",
    "answered",
    "abandoned",
    "open_at_end",
    "p_wait",
    "service_level",
    "asa_minutes",
    "mean_wait_all_minutes",
    "abandon_rate",
    "occupancy",
]


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


@dataclass
class WindowTotals:
    """Running sums over the mentions that arrive in the measured window."""

    arrivals: int = 0
    answered: int = 0
    abandoned: int = 0
    waited: int = 0  # found no agent free on arrival
    sla_hits: int = 0  # answered within the SLA target
    wait_answered: float = 0.0  # sum of waits of answered mentions
    wait_abandoned: float = 0.0  # sum of waits of abandoned mentions (their patience)
    busy_slot_minutes: float = 0.0
    staffed_slot_minutes: float = 0.0

    @property
    def open_at_end(self) -> int:
        return self.arrivals - self.answered - self.abandoned

    def kpis(self) -> dict[str, float]:
        """The per-replication KPIs, as in ``summary.csv``."""
        return {
            "arrivals": self.arrivals,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "open_at_end": self.open_at_end,
            "p_wait": _ratio(self.waited, self.arrivals),
            "service_level": _ratio(self.sla_hits, self.arrivals),
            "asa_minutes": _ratio(self.wait_answered, self.answered),
            "mean_wait_all_minutes": _ratio(
                self.wait_answered + self.wait_abandoned, self.answered + self.abandoned
            ),
            "abandon_rate": _ratio(self.abandoned, self.arrivals),
            "occupancy": _ratio(self.busy_slot_minutes, self.staffed_slot_minutes),
        }


class Levels:
    """Time-weighted levels: busy capacity, staffed capacity and agents on duty, integrated over time.

    Parts change ``busy``, ``capacity`` and ``agents``; each calls :meth:`advance` with the current time *before*
    a change, so every interval is weighted by the level that held during it. Staffed capacity counts an agent
    finishing a conversation after the shift (busy above capacity) as staffed. The hourly snapshot reads and
    resets the areas.
    """

    __slots__ = ("busy", "capacity", "agents", "last", "busy_area", "staffed_area", "agent_area")

    def __init__(self, t: float, capacity: float = 0, agents: int = 0) -> None:
        self.busy = 0
        self.capacity = capacity
        self.agents = agents
        self.last = t
        self.busy_area = 0.0
        self.staffed_area = 0.0
        self.agent_area = 0.0

    def advance(self, t: float) -> None:
        """Integrate busy capacity, staffed capacity and agents up to time ``t``."""
        dt = t - self.last
        if dt > 0:
            busy = self.busy
            cap = self.capacity
            self.busy_area += busy * dt
            self.staffed_area += (cap if cap > busy else busy) * dt
            self.agent_area += self.agents * dt
            self.last = t

    def reset_areas(self) -> None:
        self.busy_area = self.staffed_area = self.agent_area = 0.0


@dataclass
class HourlyBuckets:
    """Per-hour results of the measured window (hour 0 starts at minute 0, a Monday 00:00)."""

    arrivals: list[int]
    answered: list[int]
    sla_hits: list[int]  # by the hour the mention arrived in
    backlog: list[int]  # waiting at the end of the hour
    oldest_open_minutes: list[float]  # age of the oldest waiting mention at the end of the hour
    agent_minutes: list[float]
    busy_slot_minutes: list[float]
    staffed_slot_minutes: list[float]

    @classmethod
    def empty(cls, n: int) -> HourlyBuckets:
        ints = [[0] * n for _ in range(4)]
        floats = [[0.0] * n for _ in range(4)]
        return cls(*ints, *floats)

    def frame(self, interval_minutes: list[float]) -> pd.DataFrame:
        """One row per hour: the interval results written to ``intervals.parquet``."""
        df = pd.DataFrame(
            {
                "hour": range(len(self.arrivals)),
                "start_minute": [60.0 * i for i in range(len(self.arrivals))],
                "arrivals": self.arrivals,
                "answered": self.answered,
                "service_level": [_ratio(h, a) for h, a in zip(self.sla_hits, self.arrivals)],
                "backlog": self.backlog,
                "oldest_open_minutes": self.oldest_open_minutes,
                "agents_on_duty": [a / m for a, m in zip(self.agent_minutes, interval_minutes)],
                "staffed_slots": [s / m for s, m in zip(self.staffed_slot_minutes, interval_minutes)],
                "occupancy": [_ratio(b, s) for b, s in zip(self.busy_slot_minutes, self.staffed_slot_minutes)],
            }
        )
        return df


class LogHistogram:
    """A fixed log-spaced histogram of non-negative values (minutes) for percentiles in constant memory.

    Bins are 1/``per_decade`` of a decade wide from ``low`` to ``high``; values below ``low`` fall in bin 0
    (reported as 0), above ``high`` in the last bin. The relative error of a percentile is under one bin
    (about 2.3% at 100 bins per decade).
    """

    __slots__ = ("low", "per_decade", "counts", "n", "_log_low", "_last")

    def __init__(self, low: float = 1e-2, high: float = 1e6, per_decade: int = 100) -> None:
        self.low = low
        self.per_decade = per_decade
        self._log_low = math.log10(low)
        n_bins = int(round((math.log10(high) - self._log_low) * per_decade)) + 2
        self.counts = [0] * n_bins
        self._last = n_bins - 1
        self.n = 0

    def add(self, x: float) -> None:
        if x < self.low:
            i = 0
        else:
            i = int((math.log10(x) - self._log_low) * self.per_decade) + 1
            if i > self._last:
                i = self._last
        self.counts[i] += 1
        self.n += 1

    def quantile(self, q: float) -> float:
        """The ``q`` quantile (upper edge of the bin it falls in; 0 for the lowest bin); NaN if empty."""
        if self.n == 0:
            return math.nan
        target = q * self.n
        run = 0
        for i, c in enumerate(self.counts):
            run += c
            if run >= target and c:
                return 0.0 if i == 0 else 10 ** (self._log_low + i / self.per_decade)
        return 10 ** (self._log_low + self._last / self.per_decade)
