"""Volume: where posts come from. Organic Poisson arrivals, self-excitation (Hawkes), incidents, migration.

Each source calls ``new_case(t, cluster, triggered=False, bystander=False)`` (the intake, see
:mod:`sim.intake`) for every new customer problem; ``cluster`` is the 1-based incident a post belongs to (0:
none). Sources that are not in the scenario are not built, so they cost nothing.

Self-excitation uses the cluster (branching) form of a Hawkes process: each first post draws its Poisson number
of triggered posts and their exponential delays at once; with ``excite: unanswered`` a triggered post is born
only if its parent is still unanswered when it comes (exact thinning of the parent's kernel by "not yet
answered"). An incident adds Poisson(J x decay) immigrants with exponential delays, the exact form of a jump in
the intensity that decays as exp(-t/decay).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from .arrivals import PoissonArrivals
from .clock import side_scheduler
from .distributions import block_stream
from .entities import FIRST
from .ports import Enter, Scheduler
from .random import Streams, uniforms
from .scenario import Incident, Migration, Phone, SelfExcitation

__all__ = ["OrganicVolume", "SelfExcitationStep", "Incidents", "MigrationShift", "SocialShare", "WEEK"]

WEEK = 7 * 1440.0


class OrganicVolume:
    """The baseline stream of posts: a Poisson process with the scenario's hour-of-week rates.

    ``sink(t)`` receives each arrival time (the intake, or migration's thinning in front of it).
    """

    def __init__(self, clock: Scheduler, times: Iterator[float], t_stop: float, sink: Callable[[float], None]):
        self._clock = clock
        self._times = times
        self._t_stop = t_stop
        self._sink = sink
        self._schedule = side_scheduler(clock)  # the next arrival is always pending: off the heap
        self._on_arrival = self._arrive  # bound once, not once per arrival

    def start(self) -> None:
        self._schedule_next()

    def _schedule_next(self) -> None:
        t_next = next(self._times, None)
        if t_next is None or t_next > self._t_stop:
            return
        self._schedule(t_next - self._clock.now, self._on_arrival)

    def _arrive(self, _value) -> None:
        clock = self._clock
        self._sink(clock.now)
        t_next = next(self._times, None)  # _schedule_next inline: a third of all events come here
        if t_next is None or t_next > self._t_stop:
            return
        self._schedule(t_next - clock.now, self._on_arrival)


class SelfExcitationStep:
    """A step on a post's way in (see :data:`sim.ports.Enter`): a problem's first post draws the posts it
    triggers. Only first posts excite (repeats act through the escalation pile-on): with reposts exciting too, an
    understaffed desk would make the branching ratio exceed 1 and volume explode."""

    def __init__(self, spec: SelfExcitation, streams: Streams, clock: Scheduler, t_stop: float, nxt: Enter):
        rc, rg = streams.rng("excitation:count"), streams.rng("excitation:gap")
        self._kids = block_stream(lambda n: rc.poisson(spec.branching_ratio, n))
        self._gap = block_stream(lambda n: rg.exponential(spec.memory_minutes, n))
        self._all = spec.excite == "all"
        self._clock = clock
        self._t_stop = t_stop
        self._next = nxt
        self.new_case: Callable = None  # wired once the intake exists (posts trigger posts)

    def enter(self, m, t: float, patience_scheduled: bool = False) -> None:
        if m.kind == FIRST and not m.case.bystander:
            schedule = self._clock.schedule
            for _ in range(next(self._kids)):
                gap = next(self._gap)
                if t + gap <= self._t_stop:
                    schedule(gap, self._arrive, m)
        self._next(m, t, patience_scheduled)

    def _arrive(self, parent) -> None:
        """A triggered post, dropped when its parent was answered before it came (``excite: unanswered``)."""
        t = self._clock.now
        if not self._all and 0 <= parent.answered_at <= t:
            return
        self.new_case(t, parent.case.cluster, triggered=True)


class Incidents:
    """Incidents and viral spikes: at each start, Poisson(jump x decay) posts with exponential delays.

    ``fix`` (the public-fix policy, when present) schedules each incident's fix beside its start, in the same
    order, so ties between events keep the order they always had.
    """

    def __init__(self, incidents: list[Incident], streams: Streams, clock: Scheduler, t_stop: float,
                 new_case: Callable, fix=None) -> None:
        self.incidents = incidents
        self._streams = streams
        self._clock = clock
        self._t_stop = t_stop
        self._new_case = new_case
        self._fix = fix

    def start(self) -> None:
        now = self._clock.now
        for k, inc in enumerate(self.incidents, start=1):
            start = inc.start_day * 1440.0
            if start >= now:
                self._clock.schedule(start - now, self._start_incident, k)
            if self._fix is not None:
                self._fix.schedule_fix(k, inc, start)

    def _start_incident(self, k: int) -> None:
        inc = self.incidents[k - 1]
        rng = self._streams.rng(f"incident:{inc.name}")
        n = rng.poisson(inc.jump_per_hour / 60.0 * inc.decay_minutes)
        now = self._clock.now
        for gap in rng.exponential(inc.decay_minutes, n).tolist():
            if now + gap <= self._t_stop:
                self._clock.schedule(gap, self._arrive, k)

    def _arrive(self, k: int) -> None:
        self._new_case(self._clock.now, k, triggered=True)


class SocialShare:
    """Social's share of all contacts (social and phone): at the start, now, and their ratio (the factor by which
    migration has scaled social volume). Without migration it never moves."""

    def __init__(self, mentions_per_hour: float, phone: Phone | None) -> None:
        self.start = self.now = 1.0
        if phone is not None and mentions_per_hour + phone.contacts_per_hour > 0:
            self.start = self.now = mentions_per_hour / (mentions_per_hour + phone.contacts_per_hour)
        self.factor = 1.0


class MigrationShift:
    """Channel migration: weekly, social's share of contacts moves with the speed and generosity gap between
    social and phone and the audience of visible precedents (logistic in the share). A lower share thins the
    organic stream; a higher one adds a stream of customers won from the phone at (factor - 1) times its rates."""

    def __init__(self, spec: Migration, phone: Phone, share: SocialShare, rates: np.ndarray, streams: Streams,
                 clock: Scheduler, t_stop: float, new_case: Callable) -> None:
        self._spec = spec
        self._phone = phone
        self._share = share
        self._rates = rates
        self._thin = uniforms(streams.rng("migration:thin"))
        self._rng = streams.rng("migration:arrivals")
        self._gen = 0
        self._clock = clock
        self._t_stop = t_stop
        self._new_case = new_case

    def organic(self, t: float) -> None:
        """An organic post, dropped at random when migration has lowered social's share."""
        factor = self._share.factor
        if factor >= 1.0 or next(self._thin) < factor:
            self._new_case(t, 0)

    def week_closed(self, row: dict) -> None:
        """Move the share after a week (``row``: that week's figures, see :class:`sim.tallies.WeekLedger`)."""
        mig, ph, share = self._spec, self._phone, self._share
        frt = row["mean_first_response_minutes"]
        speed = 0.0 if math.isnan(frt) or ph.mean_wait_minutes <= 0 else \
            max(-1.0, min(1.0, (ph.mean_wait_minutes - frt) / ph.mean_wait_minutes))
        generosity = row["compensation_per_resolution"] - ph.compensation_rate
        drive = mig.speed_weight * speed + mig.generosity_weight * generosity + \
            mig.precedent_weight * row["precedent_audience"] / mig.audience_scale
        s = share.now
        s = s + mig.weekly_rate * drive * s * (1 - s)
        s0 = share.start
        share.now = min(max(s, 0.01), 0.99, s0 * mig.max_factor)
        share.factor = share.now / s0
        self._restart()

    def _restart(self) -> None:
        """(Re)start the stream of customers won from the phone line. A Poisson stream is memoryless, so starting
        afresh when the factor changes is exact; no events are spent while social has gained nothing."""
        self._gen += 1
        f = self._share.factor
        if f > 1.0:
            self._times = PoissonArrivals(self._rates * (f - 1.0), self._rng).times(self._clock.now)
            self._schedule_migrated(self._gen)

    def _schedule_migrated(self, gen: int) -> None:
        t_next = next(self._times, None)
        if t_next is None or t_next > self._t_stop:
            return
        self._clock.schedule(t_next - self._clock.now, self._arrive_migrated, gen)

    def _arrive_migrated(self, gen: int) -> None:
        """A customer who used to call (dropped if the stream was restarted since it was drawn)."""
        if gen != self._gen:
            return
        self._new_case(self._clock.now, 0)
        self._schedule_migrated(gen)
