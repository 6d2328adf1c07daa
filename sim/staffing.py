"""Staffing over the week: how many agents, and conversation slots, are on duty at each minute.

A constant ``agents`` is one level forever; a roster is a step function over the 10,080 minutes of a week
(minute 0 is Monday 00:00), repeating. Agents whose shift ends finish the conversation in hand: the engine
lowers capacity at once but never interrupts a conversation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .arrivals import WEEK_MINUTES
from .scenario import WEEKDAYS, Staffing

__all__ = ["Level", "StaffingPlan"]


@dataclass(frozen=True)
class Level:
    """Who is on duty from a minute of the week on: agents and their conversation slots."""

    agents: int
    slots: int


class StaffingPlan:
    """The weekly step function of agents and slots on duty."""

    def __init__(self, staffing: Staffing) -> None:
        if staffing.roster is None:
            assert staffing.agents is not None
            self._breaks = [0]
            self._levels = [Level(staffing.agents, staffing.agents * staffing.concurrency)]
            return
        delta_a: dict[int, int] = {}
        delta_s: dict[int, int] = {}
        for shift in staffing.roster:
            for day in shift.weekdays:
                start = (WEEKDAYS.index(day) * 1440 + shift.start_minute) % WEEK_MINUTES
                end = (start + shift.length_minutes) % WEEK_MINUTES
                for minute, sign in ((start, 1), (end, -1)):
                    delta_a[minute] = delta_a.get(minute, 0) + sign * shift.agents
                    delta_s[minute] = delta_s.get(minute, 0) + sign * shift.agents * shift.concurrency
                if end < start:  # wraps past Sunday midnight: on duty at minute 0 too
                    delta_a[0] = delta_a.get(0, 0) + shift.agents
                    delta_s[0] = delta_s.get(0, 0) + shift.agents * shift.concurrency
        a = s = 0
        self._breaks, self._levels = [], []
        for minute in sorted(set(delta_a) | {0}):
            a += delta_a.get(minute, 0)
            s += delta_s.get(minute, 0)
            if self._levels and self._levels[-1] == Level(a, s):
                continue
            self._breaks.append(minute)
            self._levels.append(Level(a, s))

    @property
    def constant(self) -> bool:
        return len(self._levels) == 1

    def level_at(self, t: float) -> Level:
        """Who is on duty at minute ``t`` (any real time; the week repeats)."""
        m = t % WEEK_MINUTES
        idx = 0
        for i, b in enumerate(self._breaks):
            if b <= m:
                idx = i
        return self._levels[idx]

    def changes(self, start: float) -> Iterator[tuple[float, Level]]:
        """Times after ``start`` at which the level changes, with the new level, forever."""
        if self.constant:
            return
        week = (start // WEEK_MINUTES) * WEEK_MINUTES
        while True:
            for b, level in zip(self._breaks, self._levels):
                t = week + b
                if t > start:
                    yield t, level
            week += WEEK_MINUTES

    def weekly_paid_agent_hours(self) -> float:
        """Agent-hours on duty per week (for comparing rosters at equal paid hours)."""
        ends = self._breaks[1:] + [WEEK_MINUTES]
        return sum(lvl.agents * (e - b) for b, e, lvl in zip(self._breaks, ends, self._levels)) / 60.0
