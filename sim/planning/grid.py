"""The week cut into planning intervals, and staffing levels per interval as a scenario roster.

Minute 0 is Monday 00:00, as in the simulator. A staffing level per interval reaches the simulator through the
scenario's own ``staffing.roster`` format: one shift per run of equal level within a day, the same runs on
several days folded into one shift with several weekdays. The roster is a step function, so the simulator
needs no change to run a requirement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.scenario import WEEKDAYS, Shift

__all__ = ["WEEK_MINUTES", "WeekGrid", "DAY_NAMES"]

WEEK_MINUTES = 7 * 1440
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def clock(minute: int) -> str:
    """``HH:MM`` of a minute of the day (1440 is ``24:00``)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class WeekGrid:
    """Intervals of ``interval`` minutes over the week; ``interval`` divides a day."""

    interval: int

    def __post_init__(self) -> None:
        if self.interval < 1 or 1440 % self.interval:
            raise ValueError(f"an interval of {self.interval} minutes does not divide a day (try 15, 30 or 60)")

    @property
    def count(self) -> int:
        return WEEK_MINUTES // self.interval

    @property
    def per_day(self) -> int:
        return 1440 // self.interval

    def start(self, k: int) -> int:
        """Minute of the week at which interval ``k`` starts."""
        return k * self.interval

    def label(self, k: int) -> str:
        """``Mon 08:30`` for the interval starting then."""
        day, slot = divmod(k, self.per_day)
        return f"{DAY_NAMES[day % 7]} {clock(slot * self.interval)}"

    def window(self, horizon_minutes: float) -> int:
        """How many intervals of the week the measured window touches (all of them from a week on)."""
        return min(self.count, int(np.ceil(horizon_minutes / self.interval - 1e-9)))

    def occurrences(self, horizon_minutes: float) -> np.ndarray:
        """How often each interval of the week falls in a measured window of ``horizon_minutes`` (from Monday)."""
        n = int(np.ceil(horizon_minutes / self.interval - 1e-9))
        return np.bincount(np.arange(n) % self.count, minlength=self.count)

    def fill_outside(self, levels: np.ndarray, inside: int) -> np.ndarray:
        """Levels for the whole week from the first ``inside`` intervals: outside the window (warm-up, drain) each
        interval repeats the same time of day of the window's days in turn, or the last level if the window is
        shorter than a day."""
        out = levels.copy()
        days = inside // self.per_day
        for k in range(inside, self.count):
            if days:
                day, slot = divmod(k, self.per_day)
                out[k] = levels[(day % days) * self.per_day + slot]
            else:
                out[k] = levels[inside - 1]
        return out

    # ---- rosters ------------------------------------------------------------------------------------
    def roster(self, levels: Sequence[int], prefix: str = "") -> list[Shift]:
        """The roster whose agents on duty in interval ``k`` are ``levels[k]`` (levels for the whole week)."""
        if len(levels) != self.count:
            raise ValueError(f"expected {self.count} levels, got {len(levels)}")
        runs: dict[tuple[int, int, int], list[str]] = {}
        for day in range(7):
            row = [int(v) for v in levels[day * self.per_day:(day + 1) * self.per_day]]
            slot = 0
            while slot < self.per_day:
                end = slot
                while end < self.per_day and row[end] == row[slot]:
                    end += 1
                a, b = slot * self.interval, end * self.interval
                # a shift cannot run 00:00-24:00 (it would start and end at the same time): two halves
                for lo, hi in ([(a, b)] if b - a < 1440 else [(0, 720), (720, 1440)]):
                    if row[slot] > 0:
                        runs.setdefault((lo, hi, row[slot]), []).append(WEEKDAYS[day])
                slot = end
        return [
            Shift(name=f"{prefix}{clock(a).replace(':', '')}-{clock(b).replace(':', '')}x{n}", weekdays=days,
                  start=clock(a), end=clock(b), agents=n)
            for (a, b, n), days in sorted(runs.items())
        ]

    def levels(self, roster: Sequence[Shift]) -> np.ndarray:
        """Mean agents on duty in each interval under ``roster`` (exact when shifts start on the grid)."""
        minute = np.zeros(WEEK_MINUTES + 1)
        for shift in roster:
            for day in shift.weekdays:
                a = WEEKDAYS.index(day) * 1440 + shift.start_minute
                b = a + shift.length_minutes
                for lo, hi in ((a, min(b, WEEK_MINUTES)), (max(0, a - WEEK_MINUTES), b - WEEK_MINUTES)):
                    if hi > lo:
                        minute[lo] += shift.agents
                        minute[hi] -= shift.agents
        per_minute = np.cumsum(minute)[:WEEK_MINUTES]
        return per_minute.reshape(self.count, self.interval).mean(axis=1)
