"""One replication of a care operation: the clock, the measured window, and the parts the scenario names.

The engine owns what every configuration shares: the event clock (:mod:`sim.clock`), the measured window and
its drain, the time-weighted levels and hourly snapshots, and the books of the window (arrivals, first responses,
abandonments, per-mention outcomes; :class:`sim.ports.Books`). Everything else is a part wired by
:mod:`sim.assembly` from the scenario: where posts come from, what they are, what customers do, who answers
and how. There is no process per mention: every arrival, completion, abandonment and roster change is one event
with a callback, which keeps a million mentions to a few seconds. No I/O here.

Time is minutes; minute 0 is Monday 00:00 and the start of the measured window; the run starts at ``-warmup``.
Mentions that arrive in the window are followed until answered or abandoned (at most ``max_drain_days`` after
it), while arrivals and staffing carry on so the tail sees a realistic load. A mention is *answered* when an
agent takes it (its first response starts); the agent then holds capacity for the handle time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from .assembly import assemble
from .clock import Clock
from .entities import ANSWERED
from .metrics import HOUR, HourlyBuckets, WindowTotals
from .random import Streams
from .scenario import Scenario

__all__ = ["Engine", "ReplicationResult", "simulate_replication", "Outcome"]


class Outcome(NamedTuple):
    """How one measured mention ended: the per-mention record written with ``--records``. A named tuple, not a
    frozen dataclass: one is built per mention, and a tuple builds in a third of the time (about 0.3 CPU s of a
    planner's replication of 200,000 posts, measured)."""

    id: int
    channel: str
    arrival_minute: float
    wait_minutes: float
    answered: bool
    handle_minutes: float


_tuple_new = tuple.__new__


@dataclass
class ReplicationResult:
    """The results of one replication: window totals and hourly buckets (and the care model's measures)."""

    rep: int
    seed: int
    totals: WindowTotals
    hours: pd.DataFrame
    care: dict[str, float] | None = None  # the care parts' measures (None for the queueing core)
    tables: dict[str, pd.DataFrame] | None = None  # their breakdowns: by intent and channel, week, decile

    def summary_row(self) -> dict[str, float]:
        return {"rep": self.rep, "seed": self.seed, **self.totals.kpis(), **(self.care or {})}


class Engine:
    """The state and event handlers of one replication. Build it, then call :meth:`run`.

    ``care_parts``: None builds the parts the scenario names (the queueing core's when it names nothing beyond
    it); True builds the care model's parts even then (they reproduce the core mention by mention); False asks
    for the core's and is refused (ValueError) when the scenario names more.
    ``on_message`` receives a :class:`sim.messages.SimMessage` for every post and reply of the window (it needs
    the care parts, which it then brings). ``clock`` replaces the event clock (benchmarks compare clocks).
    """

    def __init__(
        self,
        scenario: Scenario,
        rep: int = 0,
        seed: int | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_message: Callable | None = None,
        care_parts: bool | None = None,
        clock: Clock | None = None,
    ) -> None:
        sc = scenario
        self.scenario = sc
        self.rep = rep
        self.seed = sc.seed if seed is None else seed
        self.streams = Streams(self.seed, rep)
        self.clock = clock if clock is not None else Clock(-sc.warmup_minutes)
        self.t_end = sc.horizon_minutes
        self.t_stop = self.t_end + sc.max_drain_days * 1440.0
        self.sla_target = sc.sla.target_minutes
        self.on_outcome = on_outcome
        self.channel_names = [c.name for c in sc.channels or []] or ["default"]
        self.totals = WindowTotals()
        n_hours = max(1, math.ceil(self.t_end / HOUR - 1e-9))
        self.hours = HourlyBuckets.empty(n_hours)
        self._hour_edges = [min(HOUR * (i + 1), self.t_end) for i in range(n_hours)]
        self._open_measured = 0
        self._past_window = False
        self.done = False
        self.parts = assemble(self, on_message, care_parts)
        self.levels = self.parts.levels
        self.desk = self.parts.desk

    # ---- the books (sim.ports.Books) ----------------------------------------------------------------
    def admit(self, m) -> None:
        if m.measured:
            self.totals.arrivals += 1
            self.hours.arrivals[int(m.arrival // HOUR)] += 1
            self._open_measured += 1

    def first_response(self, m, t: float) -> float | None:
        m.state = ANSWERED
        m.answered_at = t
        if not m.measured:
            return None
        wait = t - m.arrival
        tot = self.totals
        tot.answered += 1
        tot.wait_answered += wait
        if wait <= self.sla_target:
            tot.sla_hits += 1
            self.hours.sla_hits[int(m.arrival // HOUR)] += 1
        if t < self.t_end:
            self.hours.answered[int(t // HOUR)] += 1
        self._resolved(m, wait, True)
        return wait

    def abandon(self, m) -> None:
        if m.measured:
            tot = self.totals
            tot.abandoned += 1
            tot.wait_abandoned += m.patience
            self._resolved(m, m.patience, False)

    def close(self, m, t: float = 0.0) -> None:
        self._resolved(m, 0.0, False)

    def _resolved(self, m, wait: float, answered: bool) -> None:
        """A measured mention has ended; the run ends when the last one of the window has."""
        self._open_measured -= 1
        if self.on_outcome is not None:  # Outcome(...) without the Python frame of a named tuple's __new__
            self.on_outcome(_tuple_new(Outcome, (m.id, self.channel_names[m.channel], m.arrival, wait, answered,
                                                 m.handle)))
        if self._past_window and self._open_measured == 0:
            self._end()

    def _end(self, _value=None) -> None:
        if not self.done:
            self.done = True
            self.clock.stop()

    # ---- hourly snapshots ---------------------------------------------------------------------------
    def _schedule_tick(self, t: float, idx: int) -> None:
        """Hourly snapshots go first among events at the same instant: the end of an hour sees the state
        before a shift starting on the hour takes its first mention."""
        self.clock.schedule_urgent(t - self.clock.now, self._hour_tick, idx)

    def _hour_tick(self, idx: int) -> None:
        """Close one hourly bucket (or open the window at minute 0)."""
        t = self.clock.now
        lv = self.levels
        lv.advance(t)
        if idx >= 0:  # close hour idx; at idx -1 (minute 0) just drop what the warm-up accumulated
            h = self.hours
            h.busy_slot_minutes[idx] = lv.busy_area
            h.staffed_slot_minutes[idx] = lv.staffed_area
            h.agent_minutes[idx] = lv.agent_area
            h.backlog[idx] = self.desk.size
            oldest = self.desk.oldest_arrival()
            h.oldest_open_minutes[idx] = t - oldest if oldest is not None else 0.0
            self.totals.busy_slot_minutes += lv.busy_area
            self.totals.staffed_slot_minutes += lv.staffed_area
        lv.reset_areas()
        nxt = idx + 1
        if nxt < len(self._hour_edges):
            self._schedule_tick(self._hour_edges[nxt], nxt)
        else:
            self._past_window = True
            if self._open_measured == 0:
                self._end()

    # ---- running ------------------------------------------------------------------------------------
    def run(self, progress: Callable[[float], None] | None = None, step_minutes: float = 1440.0) -> ReplicationResult:
        """Simulate to the end of the window and until its mentions are resolved (or the drain limit).

        ``progress`` is called with the simulated minutes done so far, about once per ``step_minutes``.
        """
        clock = self.clock
        for part in self.parts.starters:  # in the order their first events have always been scheduled
            part.start()
        self._schedule_tick(0.0, -1)
        clock.schedule(self.t_stop - clock.now, self._end)
        t0 = clock.now
        if progress is None:
            clock.run()
        else:
            while not self.done:
                clock.run(until=min(clock.now + step_minutes, self.t_stop + 1.0))
                progress(min(clock.now, self.t_end) - t0)
        interval_minutes = [e - HOUR * i for i, e in enumerate(self._hour_edges)]
        result = ReplicationResult(self.rep, self.seed, self.totals, self.hours.frame(interval_minutes))
        if self.parts.finish is not None:
            self.parts.finish(result)
        return result


def simulate_replication(
    scenario: Scenario,
    rep: int = 0,
    seed: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    progress: Callable[[float], None] | None = None,
    on_message: Callable | None = None,
    care_parts: bool | None = None,
) -> ReplicationResult:
    """Run replication ``rep`` of ``scenario`` (streams derived from ``(seed, rep)``); see :class:`Engine`."""
    return Engine(scenario, rep, seed, on_outcome, on_message, care_parts).run(progress)
