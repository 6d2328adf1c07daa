"""Routing and staffing: which agent takes a post, what waits, and the roster's changes (two desks, one interface).

:class:`SinglePool` is the validated queueing core: every agent answers every mention from one queue, an agent
holds ``concurrency`` conversations at once. :class:`TeamDesk` is the care model's desk: skilled teams (languages,
channels, tier, training, concurrency per channel, shrinkage), a queue per (language, channel, tier) class with
the scenario's discipline, native teams before translating ones. With one team of every agent and no
shrinkage it answers exactly as :class:`SinglePool` does (a property test checks this mention by mention).

Both implement :class:`sim.ports.Desk`. An agent whose shift ends finishes the conversation in hand: capacity
drops at once but no conversation is interrupted. Levels (busy, staffed capacity, agents) are integrated by
:class:`sim.metrics.Levels` before every change.
"""

from __future__ import annotations

from collections.abc import Callable

from .entities import WAITING
from .metrics import Levels, WindowTotals
from .ports import Books, Scheduler
from .queues import Discipline, make_discipline
from .staffing import StaffingPlan, TeamState, merged_changes

__all__ = ["SinglePool", "TeamDesk"]


class SinglePool:
    """One pool of agents and one queue. ``on_wait(m)`` is told when a mention starts waiting (its customer's
    patience starts to run)."""

    unit = 1

    def __init__(self, clock: Scheduler, books: Books, totals: WindowTotals, levels: Levels, plan: StaffingPlan,
                 queue: Discipline, on_wait: Callable) -> None:
        self._clock = clock
        self._schedule = clock.schedule
        self._first_response = books.first_response
        self._t_stop = books.t_stop
        self._totals = totals
        self.levels = levels
        self.plan = plan
        self.queue = queue
        self._on_wait = on_wait
        self._on_complete = self._complete  # bound once, not once per mention
        level = plan.level_at(clock.now)
        levels.capacity = level.slots
        levels.agents = level.agents

    @property
    def size(self) -> int:
        return self.queue.size

    def oldest_arrival(self) -> float | None:
        return self.queue.oldest_arrival()

    def take(self, m, t: float, patience_scheduled: bool = False) -> None:
        lv = self.levels
        if lv.busy < lv.capacity:
            self._start(m, t)
            return
        if m.measured:
            self._totals.waited += 1
        self.queue.push(m)
        self._on_wait(m)

    def _start(self, m, t: float) -> None:
        """An agent takes ``m`` now: its first response, and a slot busy for its handle time."""
        lv = self.levels
        lv.advance(t)
        lv.busy += 1
        self._first_response(m, t)
        self._schedule(m.handle, self._on_complete, m)

    def _complete(self, _m) -> None:
        t = self._clock.now
        lv = self.levels
        lv.advance(t)
        lv.busy -= 1
        if lv.busy < lv.capacity and self.queue.size:
            m = self.queue.pop()
            if m is not None:
                self._start(m, t)

    # ---- the roster
    def start(self) -> None:
        self._changes = self.plan.changes(self._clock.now)
        self._schedule_change()

    def _schedule_change(self) -> None:
        nxt = next(self._changes, None)
        if nxt is not None and nxt[0] <= self._t_stop:
            self._schedule(nxt[0] - self._clock.now, self._staffing_change, nxt[1])

    def _staffing_change(self, level) -> None:
        t = self._clock.now
        lv = self.levels
        lv.advance(t)
        lv.capacity = level.slots
        lv.agents = level.agents
        q = self.queue
        while lv.busy < lv.capacity and q.size:
            m = q.pop()
            if m is None:
                break
            self._start(m, t)
        self._schedule_change()


class TeamDesk:
    """Skilled teams and a queue per (language, channel, tier) class (see the module doc).

    ``answer(m, t)`` records a first response; ``respond(m, t, team, translated)`` applies the response policy
    and returns the minutes the conversation holds the agent; ``on_wait(m)`` starts the customer's patience.
    """

    def __init__(self, clock: Scheduler, books: Books, totals: WindowTotals, levels: Levels, teams: list[TeamState],
                 unit: int, order: str, tiers: list[int], answer: Callable, respond: Callable,
                 on_wait: Callable) -> None:
        self._clock = clock
        self._schedule = clock.schedule
        self._t_stop = books.t_stop
        self._totals = totals
        self.levels = levels
        self.teams = teams
        self.unit = unit
        self._order = order
        self._tiers = tiers
        self._answer = answer
        self._respond = respond
        self._on_wait = on_wait
        self._classes: dict[tuple, tuple] = {}
        self.queues: list[Discipline] = []
        for team in teams:
            team.set_level(team.plan.level_at(clock.now))
        self._sync_levels()

    def _sync_levels(self) -> None:
        self.levels.capacity = sum(t.units for t in self.teams)
        self.levels.agents = sum(t.agents for t in self.teams)

    def _klass(self, lang: str, ch: int, tier: int) -> tuple:
        """The queue of a class and the teams that answer it: native ones, then those answering through
        translation (each team remembers the queues it may take from, in the order classes appear)."""
        key = (lang, ch, tier)
        got = self._classes.get(key)
        if got is None:
            q = make_discipline(self._order)
            native, translating = [], []
            for team in self.teams:
                s = team.serves(lang, ch, tier)
                if s is None:
                    continue
                (native if s else translating).append(team)
                team.queues.append((q, not s, team.weights[ch]))
            got = self._classes[key] = (q, [(t, False) for t in native] + [(t, True) for t in translating])
            self.queues.append(q)
        return got

    @property
    def size(self) -> int:
        return sum(q.size for q in self.queues)

    def oldest_arrival(self) -> float | None:
        ages = [a for a in (q.oldest_arrival() for q in self.queues) if a is not None]
        return min(ages) if ages else None

    def take(self, m, t: float, patience_scheduled: bool = False) -> None:
        case = m.case
        m.state = WAITING
        q, teams = self._klass(case.lang, case.channel, self._tiers[case.intent])
        for team, translated in teams:
            if team.busy + team.weights[case.channel] <= team.cap:
                self.assign(m, t, team, translated)
                return
        if m.measured:
            self._totals.waited += 1
        q.push(m)
        m.queue = q
        if not patience_scheduled:
            self._on_wait(m)

    def assign(self, m, t: float, team: TeamState, translated: bool) -> None:
        """An agent of ``team`` takes ``m``: the first response, then the response policy, then a slot busy."""
        lv = self.levels
        lv.advance(t)
        w = team.weights[m.channel]
        team.busy += w
        lv.busy += w
        self._answer(m, t)
        handle = self._respond(m, t, team, translated)
        self._schedule(handle, self._complete, (m, team))

    def _complete(self, value) -> None:
        m, team = value
        t = self._clock.now
        self.levels.advance(t)
        w = team.weights[m.channel]
        team.busy -= w
        self.levels.busy -= w
        self._dispatch(team, t)

    def _dispatch(self, team: TeamState, t: float) -> None:
        """Let ``team`` take waiting posts while it has room: best key first across the classes it answers
        natively; only when none of those waits, the best it can answer through translation (the fallback)."""
        while True:
            best = None
            best_key = None
            best_tr = True
            room = team.cap - team.busy
            for q, translated, w in team.queues:
                if q.size and w <= room and (best is None or translated == best_tr or not translated):
                    k = q.peek_key()
                    if k is None:
                        continue
                    if best is None or (best_tr and not translated) or k < best_key:
                        best, best_key, best_tr = q, k, translated
            if best is None:
                return
            self.assign(best.pop(), t, team, best_tr)

    # ---- the rosters of every team
    def start(self) -> None:
        self._changes = merged_changes(self.teams, self._clock.now)
        self._schedule_change()

    def _schedule_change(self) -> None:
        nxt = next(self._changes, None)
        if nxt is not None and nxt[0] <= self._t_stop:
            self._schedule(nxt[0] - self._clock.now, self._staffing_change, nxt[1])

    def _staffing_change(self, value) -> None:
        i, level = value
        t = self._clock.now
        self.levels.advance(t)
        team = self.teams[i]
        team.set_level(level)
        self._sync_levels()
        self._dispatch(team, t)
        self._schedule_change()
