"""One replication of a care operation on a simpy clock.

The model is event-driven on simpy's environment: arrivals, completions, abandonments and roster changes are
timeouts with callbacks (no process per mention), which keeps a million mentions in seconds. Time is minutes;
minute 0 is Monday 00:00 and the start of the measured window; the run starts at ``-warmup``. Mentions that
arrive in the window are followed until answered or abandoned (at most ``max_drain_days`` after it), while
arrivals and staffing carry on so the tail sees a realistic load.

A mention is *answered* when an agent takes it (its first response starts); the agent then holds one of
its conversation slots for the handle time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import simpy
from simpy.events import URGENT

from .arrivals import PoissonArrivals, weekly_rates
from .customers import make_impatience
from .distributions import block_stream
from .mention import ABANDONED, ANSWERED, WAITING, Mention
from .metrics import HourlyBuckets, WindowTotals
from .queues import make_discipline
from .random import Streams
from .scenario import Scenario
from .staffing import StaffingPlan

__all__ = ["CareOperation", "ReplicationResult", "simulate_replication", "Outcome"]

HOUR = 60.0


@dataclass(frozen=True)
class Outcome:
    """How one measured mention ended: the per-mention record written with ``--records``."""

    id: int
    channel: str
    arrival_minute: float
    wait_minutes: float
    answered: bool
    handle_minutes: float


@dataclass
class ReplicationResult:
    """The results of one replication: window totals and hourly buckets."""

    rep: int
    seed: int
    totals: WindowTotals
    hours: pd.DataFrame
    care: dict[str, float] | None = None  # the full care model's measures (None for the queueing core)
    tables: dict[str, pd.DataFrame] | None = None  # its breakdowns: by intent and channel, week, decile

    def summary_row(self) -> dict[str, float]:
        return {"rep": self.rep, "seed": self.seed, **self.totals.kpis(), **(self.care or {})}


class CareOperation:
    """The state and event handlers of one replication. Build it, then call :meth:`run`."""

    def __init__(
        self,
        scenario: Scenario,
        rep: int = 0,
        seed: int | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        sc = scenario
        self.scenario = sc
        self.rep = rep
        self.seed = sc.seed if seed is None else seed
        streams = Streams(self.seed, rep)
        self.env = env = simpy.Environment(initial_time=-sc.warmup_minutes)
        self.t_end = sc.horizon_minutes
        self.t_stop = self.t_end + sc.max_drain_days * 1440.0
        self.sla_target = sc.sla.target_minutes
        self.on_outcome = on_outcome

        # inputs: one stream each, so features never shift each other's draws
        rates = weekly_rates(sc.volume.mentions_per_hour, sc.volume.hourly_profile, sc.volume.weekly_profile)
        self._arrival_times = PoissonArrivals(rates, streams.rng("arrivals")).times(env.now)
        channels = sc.channels or []
        self.channel_names = [c.name for c in channels] or ["default"]
        dists = [c.handle_minutes or sc.handling.handle_minutes for c in channels] or [sc.handling.handle_minutes]
        self._handle = [d.stream(streams.rng(f"handle:{name}")) for d, name in zip(dists, self.channel_names)]
        if len(channels) > 1:
            total = sum(c.share for c in channels)
            self._channel_cum = list(itertools.accumulate(c.share / total for c in channels[:-1]))
            rng = streams.rng("channel")
            self._channel_u = block_stream(lambda n: rng.random(n))
        else:
            self._channel_cum = None
        patience = sc.customers.patience_minutes
        self._patience = patience.stream(streams.rng("patience")) if patience is not None else None
        self.behaviour = make_impatience(sc.customers.on_impatience)
        self.queue = make_discipline(sc.policy.order)

        # staffing and levels
        self.plan = StaffingPlan(sc.staffing)
        level = self.plan.level_at(env.now)
        self.capacity = level.slots
        self.agents = level.agents
        self.busy = 0
        self._last_t = env.now
        self._busy_area = 0.0
        self._staffed_area = 0.0
        self._agent_area = 0.0

        # results
        self.totals = WindowTotals()
        n_hours = max(1, math.ceil(self.t_end / HOUR - 1e-9))
        self.hours = HourlyBuckets.empty(n_hours)
        self._hour_edges = [min(HOUR * (i + 1), self.t_end) for i in range(n_hours)]
        self._open_measured = 0
        self._next_id = 0
        self.done = env.event()
        self._past_window = False

    # ---- levels -------------------------------------------------------------------------------------
    def _advance(self, t: float) -> None:
        """Integrate busy slots, staffed slots and agents up to time ``t``."""
        dt = t - self._last_t
        if dt > 0:
            busy = self.busy
            cap = self.capacity
            self._busy_area += busy * dt
            self._staffed_area += (cap if cap > busy else busy) * dt
            self._agent_area += self.agents * dt
            self._last_t = t

    # ---- events -------------------------------------------------------------------------------------
    def _schedule_next_arrival(self) -> None:
        t_next = next(self._arrival_times, None)
        if t_next is None or t_next > self.t_stop:
            return
        ev = self.env.timeout(t_next - self.env.now)
        ev.callbacks.append(self._arrive)

    def _arrive(self, _ev) -> None:
        env = self.env
        t = env.now
        if self._channel_cum is None:
            ch = 0
        else:
            u = next(self._channel_u)
            ch = 0
            for c in self._channel_cum:
                if u < c:
                    break
                ch += 1
        handle = next(self._handle[ch])
        patience = next(self._patience) if self._patience is not None else math.inf
        measured = 0.0 <= t < self.t_end
        self._next_id += 1
        m = Mention(self._next_id, t, ch, handle, patience, measured)
        if measured:
            tot = self.totals
            tot.arrivals += 1
            self.hours.arrivals[int(t // HOUR)] += 1
            self._open_measured += 1
        if self.busy < self.capacity:
            self._start(m, t)
        else:
            if measured:
                self.totals.waited += 1
            self.queue.push(m)
            if patience != math.inf:
                to = env.timeout(patience, m)
                to.callbacks.append(self._impatient)
        self._schedule_next_arrival()

    def _start(self, m: Mention, t: float) -> None:
        """An agent takes ``m`` now: its first response, and a slot busy for its handle time."""
        self._advance(t)
        self.busy += 1
        m.state = ANSWERED
        m.answered_at = t
        if m.measured:
            self._resolved(m, self._count_answer(m.arrival, t), True)
        ev = self.env.timeout(m.handle, m)
        ev.callbacks.append(self._complete)

    def _count_answer(self, posted: float, t: float) -> float:
        """Tally a measured mention posted at ``posted`` answered at ``t``; return its wait."""
        wait = t - posted
        tot = self.totals
        tot.answered += 1
        tot.wait_answered += wait
        if wait <= self.sla_target:
            tot.sla_hits += 1
            self.hours.sla_hits[int(posted // HOUR)] += 1
        if t < self.t_end:
            self.hours.answered[int(t // HOUR)] += 1
        return wait

    def _complete(self, ev) -> None:
        t = self.env.now
        self._advance(t)
        self.busy -= 1
        if self.busy < self.capacity and self.queue.size:
            m = self.queue.pop()
            if m is not None:
                self._start(m, t)

    def _impatient(self, ev) -> None:
        m: Mention = ev._value
        if m.state != WAITING:
            return
        m.state = ABANDONED
        self.queue.discard(m)
        if m.measured:
            tot = self.totals
            tot.abandoned += 1
            tot.wait_abandoned += m.patience
            self._resolved(m, m.patience, False)
        self.behaviour.on_impatience(self, m)

    def _resolved(self, m: Mention, wait: float, answered: bool) -> None:
        self._open_measured -= 1
        if self.on_outcome is not None:
            self.on_outcome(
                Outcome(m.id, self.channel_names[m.channel], m.arrival, wait, answered, m.handle)
            )
        if self._past_window and self._open_measured == 0 and not self.done.triggered:
            self.done.succeed()

    def _staffing_change(self, ev) -> None:
        level = ev._value
        t = self.env.now
        self._advance(t)
        self.capacity = level.slots
        self.agents = level.agents
        q = self.queue
        while self.busy < self.capacity and q.size:
            m = q.pop()
            if m is None:
                break
            self._start(m, t)
        self._schedule_staffing_change()

    def _schedule_staffing_change(self) -> None:
        nxt = next(self._changes, None)
        if nxt is not None and nxt[0] <= self.t_stop:
            ev = self.env.timeout(nxt[0] - self.env.now, nxt[1])
            ev.callbacks.append(self._staffing_change)

    def _schedule_tick(self, t: float, idx: int) -> None:
        """Hourly snapshots go first among events at the same instant: the end of an hour sees the
        state before a shift starting on the hour takes its first mention."""
        tick = simpy.Event(self.env)
        tick._ok, tick._value = True, idx
        tick.callbacks.append(self._hour_tick)
        self.env.schedule(tick, URGENT, t - self.env.now)

    def _hour_tick(self, ev) -> None:
        """Close one hourly bucket (or open the window at minute 0)."""
        idx = ev._value
        t = self.env.now
        self._advance(t)
        if idx >= 0:  # close hour idx; at idx -1 (minute 0) just drop what the warm-up accumulated
            h = self.hours
            h.busy_slot_minutes[idx] = self._busy_area
            h.staffed_slot_minutes[idx] = self._staffed_area
            h.agent_minutes[idx] = self._agent_area
            h.backlog[idx] = self.queue.size
            oldest = self.queue.oldest_arrival()
            h.oldest_open_minutes[idx] = t - oldest if oldest is not None else 0.0
            self.totals.busy_slot_minutes += self._busy_area
            self.totals.staffed_slot_minutes += self._staffed_area
        self._busy_area = self._staffed_area = self._agent_area = 0.0
        nxt = idx + 1
        if nxt < len(self._hour_edges):
            self._schedule_tick(self._hour_edges[nxt], nxt)
        else:
            self._past_window = True
            if self._open_measured == 0 and not self.done.triggered:
                self.done.succeed()

    # ---- running ------------------------------------------------------------------------------------
    def run(self, progress: Callable[[float], None] | None = None, step_minutes: float = 1440.0) -> ReplicationResult:
        """Simulate to the end of the window and until its mentions are resolved (or the drain limit).

        ``progress`` is called with the simulated minutes done so far, about once per ``step_minutes``.
        """
        env = self.env
        self._changes = self.plan.changes(env.now)
        self._schedule_staffing_change()
        self._schedule_next_arrival()
        self._schedule_tick(0.0, -1)
        stop = env.timeout(self.t_stop - env.now)
        stop.callbacks.append(lambda _ev: None if self.done.triggered else self.done.succeed())
        t0 = env.now
        if progress is None:
            env.run(until=self.done)
        else:
            while not self.done.triggered:
                env.run(until=min(env.now + step_minutes, self.t_stop + 1.0))
                progress(min(env.now, self.t_end) - t0)
        interval_minutes = [e - HOUR * i for i, e in enumerate(self._hour_edges)]
        return ReplicationResult(self.rep, self.seed, self.totals, self.hours.frame(interval_minutes))


def simulate_replication(
    scenario: Scenario,
    rep: int = 0,
    seed: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    progress: Callable[[float], None] | None = None,
    on_message: Callable[[dict], None] | None = None,
    full: bool | None = None,
) -> ReplicationResult:
    """Run replication ``rep`` of ``scenario`` (streams derived from ``(seed, rep)``).

    The queueing core runs unless a care feature is on (or ``full`` is True): then :class:`sim.care.FullOperation`.
    ``on_message`` receives every customer post and brand reply of the measured window (full model only).
    """
    if full is None:
        full = scenario.care_features or on_message is not None
    if full:
        from .care import FullOperation

        return FullOperation(scenario, rep, seed, on_outcome, on_message).run(progress)
    return CareOperation(scenario, rep, seed, on_outcome).run(progress)
