"""Streaming statistics of one replication: window totals and hourly buckets.

Tallies (per mention: waits, outcomes) are running sums; levels (busy slots, agents on duty) are time
integrals kept by the engine. Nothing here grows with the number of mentions; the hourly buckets grow with
the horizon by a few numbers an hour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

__all__ = ["WindowTotals", "HourlyBuckets", "SUMMARY_COLUMNS"]

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
