"""Staffing over the week: how many agents, and conversation slots, are on duty at each minute.

A constant ``agents`` is one level forever; a roster is a step function over the 10,080 minutes of a week
(minute 0 is Monday 00:00), repeating. Agents whose shift ends finish the conversation in hand: the engine
lowers capacity at once but never interrupts a conversation.

Skilled teams (:class:`TeamState`) count their capacity in integer units: one agent is ``unit`` units, and a
conversation of a channel with concurrency c takes ``unit / c`` of them (``unit`` is the least common multiple
of every concurrency), so concurrency never accumulates rounding errors.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from math import gcd

from .arrivals import WEEK_MINUTES
from .scenario import WEEKDAYS, Staffing, Team

__all__ = ["Level", "StaffingPlan", "TeamState", "make_teams", "merged_changes", "lcm"]


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


def lcm(values: Iterable[int]) -> int:
    """Least common multiple of positive integers."""
    out = 1
    for v in values:
        out = out * v // gcd(out, v)
    return out


class TeamState:
    """A team on duty: its skills, its plan, and its capacity and load in integer units (see the module doc)."""

    def __init__(self, idx: int, spec: Team, default_conc: int, channels: list[str], unit: int, shrinkage: float,
                 staffing: Staffing) -> None:
        self.idx = idx
        self.name = spec.name
        self.langs = None if spec.languages is None else set(spec.languages)
        self.chans = None if spec.channels is None else {channels.index(c) for c in spec.channels}
        self.tier = spec.tier
        self.training = spec.training
        self.handle_factor = 1 + staffing.untrained_handle_extra * (1 - spec.training)
        conc = spec.concurrency or {}
        self.weights = [unit // conc.get(c, default_conc) for c in channels]
        self.unit = unit
        self.avail = 1 - shrinkage
        self.queues: list = []  # (queue, translated, weight) of the classes this team may take from
        # the whole-staff team of a scenario without teams keeps each shift's own concurrency (slots)
        self.use_slots = staffing.teams is None
        conc1 = staffing.concurrency if self.use_slots else 1
        self.plan = StaffingPlan(Staffing.model_construct(agents=spec.agents, roster=spec.roster, concurrency=conc1))
        self.slot_units = unit // default_conc
        self.agents = 0
        self.units = 0.0
        self.cap = 0.0
        self.busy = 0

    def set_level(self, level: Level) -> None:
        self.agents = level.agents
        units = level.slots * self.slot_units if self.use_slots else level.agents * self.unit
        self.units = units * self.avail
        self.cap = self.units + 1e-9

    def serves(self, lang: str, ch: int, tier: int) -> bool | None:
        """True natively, False through translation, None not at all."""
        if tier > self.tier or (self.chans is not None and ch not in self.chans):
            return None
        return self.langs is None or lang in self.langs


def make_teams(staffing: Staffing, channels: list[str]) -> tuple[list[TeamState], int]:
    """The teams of ``staffing`` (one team of all agents when it names none) and the capacity unit."""
    st = staffing
    if st.teams is not None:
        specs = st.teams
    else:
        specs = [Team.model_construct(name="all", agents=st.agents, roster=st.roster, languages=None, channels=None,
                                      tier=99, training=1.0, concurrency=None)]
    unit = lcm({st.concurrency} | {c for t in specs for c in (t.concurrency or {}).values()})
    teams = [TeamState(i, t, st.concurrency, channels, unit, st.shrinkage, st) for i, t in enumerate(specs)]
    return teams, unit


def merged_changes(teams: list[TeamState], start: float) -> Iterator[tuple[float, tuple[int, Level]]]:
    """Roster changes of every team after ``start``, merged in time order: ``(time, (team index, level))``."""

    def tagged(i, team):
        for t, level in team.plan.changes(start):
            yield t, i, level

    for t, i, level in heapq.merge(*(tagged(i, team) for i, team in enumerate(teams))):
        yield t, (i, level)
