"""Customers: their patience, and what they do when it runs out or while they wait.

What an impatient customer does is a small object chosen by name (:data:`IMPATIENCE`: withdraw, repeat,
escalate, phone, or a weighted :class:`Mix`); it acts through :class:`sim.ports.CustomerPort` (repost, call).
:class:`Withdrawing` is the queueing core's customer (an impatient mention just leaves); :class:`CaseCustomers`
the care model's, which implements the port: reposts within ``max_repeats``, calls, and a repeat some time after
being sent to the phone. :class:`ExtraPosts` (further posts about an unanswered problem) and :class:`PileOn` (the
bystanders a public escalation attracts) are parts of their own, present only when the scenario asks for them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Protocol

import numpy as np

from .clock import timers
from .distributions import Exponential, block_stream
from .entities import ABANDONED, ANSWERED, ESCALATION, EXTRA, PENDING, REPEAT, SKIPPED, UNSEEN, WAITING
from .ports import Books, CustomerPort, Enter, Scheduler
from .random import Streams, uniforms
from .scenario import Customers, Policy

__all__ = ["ImpatienceBehaviour", "Withdraw", "Repeat", "Escalate", "Phone", "Mix", "IMPATIENCE", "make_impatience",
           "Withdrawing", "CaseCustomers", "ExtraPosts", "PileOn"]


class ImpatienceBehaviour(Protocol):
    def on_impatience(self, port: CustomerPort, m) -> None: ...


class Withdraw:
    """The mention leaves the queue unanswered; nothing else follows."""

    def on_impatience(self, port: CustomerPort, m) -> None:
        return None


class Repeat:
    """The customer posts again about the same problem (up to ``customers.max_repeats`` times)."""

    def on_impatience(self, port: CustomerPort, m) -> None:
        port.repost(m, escalate=False)


class Escalate:
    """A public escalation: a louder repeat post that attracts posts by others (raising later volume)."""

    def on_impatience(self, port: CustomerPort, m) -> None:
        port.repost(m, escalate=True)


class Phone:
    """The customer gives up on social and calls the phone line (a phone contact)."""

    def on_impatience(self, port: CustomerPort, m) -> None:
        port.phone_switch(m)


IMPATIENCE: dict[str, type] = {"withdraw": Withdraw, "repeat": Repeat, "escalate": Escalate, "phone": Phone}


class Mix:
    """Draws one behaviour per impatient customer with the given weights (names sorted: deterministic)."""

    def __init__(self, weights: dict[str, float], rng: np.random.Generator) -> None:
        names = sorted(weights)
        total = sum(weights[n] for n in names)
        self._cum = list(itertools.accumulate(weights[n] / total for n in names))[:-1]
        self._behaviours = [IMPATIENCE[n]() for n in names]
        self._u = block_stream(lambda n: rng.random(n))

    def on_impatience(self, port: CustomerPort, m) -> None:
        u = next(self._u)
        i = 0
        for c in self._cum:
            if u < c:
                break
            i += 1
        self._behaviours[i].on_impatience(port, m)


def make_impatience(spec: str | dict[str, float], rng: np.random.Generator | None = None) -> ImpatienceBehaviour:
    """The behaviour registered under ``spec``, or a :class:`Mix` of weighted names (needs ``rng``)."""
    if isinstance(spec, str):
        return IMPATIENCE[spec]()
    if rng is None:
        raise ValueError("a mix of impatience behaviours needs a random stream")
    return Mix(spec, rng)


def _still_waiting(m) -> bool:
    """Whether ``m``'s patience timer still matters to :class:`Withdrawing` (answered and abandoned are final)."""
    return m.state == WAITING


def _unresolved(m) -> bool:
    """Whether ``m``'s patience timer still matters to :class:`CaseCustomers`: it does nothing for a post
    answered or already abandoned (states a post never leaves)."""
    st = m.state
    return st != ANSWERED and st != ABANDONED


class Withdrawing:
    """The queueing core's customers: a mention still waiting when its patience ends leaves the queue."""

    def __init__(self, clock: Scheduler, books: Books, queue) -> None:
        # most waiting mentions are answered before their patience ends: their timers are dropped unseen
        self._timers = timers(clock, self._impatient, _still_waiting)
        self._abandon = books.abandon
        self._queue = queue

    def on_wait(self, m) -> None:
        """``m`` starts waiting now: its customer gives up at the end of its patience."""
        if m.patience != math.inf:
            self._timers.schedule(m.patience, m)

    def _impatient(self, m) -> None:
        if m.state != WAITING:
            return
        m.state = ABANDONED
        self._queue.discard(m)
        self._abandon(m)


class CaseCustomers:
    """The care model's customers: patience counted from the post, the impatience behaviour for customers who
    need a reply, and :class:`sim.ports.CustomerPort` (reposts, calls, repeats after a deflection).

    ``post(case, kind, t, patience_factor)`` (the intake) and ``count`` (the care counters) are wired by
    :mod:`sim.assembly`.
    """

    def __init__(self, cu: Customers, policy: Policy, streams: Streams, clock: Scheduler, books: Books,
                 count: Callable) -> None:
        self._behaviour = make_impatience(cu.on_impatience, streams.rng("impatience"))
        self._max_repeats = cu.max_repeats
        self._repeat_factor = cu.repeat_patience_factor
        self._deflect_repeat = policy.deflect_repeat
        self._deflect_delay = policy.deflect_repeat_delay_minutes
        self._deflect_u = uniforms(streams.rng("deflect"))
        self._gap_u = uniforms(streams.rng("repeat"))
        self._clock = clock
        self._timers = timers(clock, self._impatient, _unresolved)  # answered posts' timers are dropped unseen
        self._abandon = books.abandon
        self._t_stop = books.t_stop
        self._count = count
        self.post: Callable = None  # wired once the intake exists (customers post again)

    def on_wait(self, m) -> None:
        """``m``'s customer waits from its post; they give up at the end of its patience."""
        if m.patience != math.inf:
            now = self._clock.now
            self._timers.schedule(max(0.0, m.posted + m.patience - now), m)

    def _impatient(self, m) -> None:
        st = m.state
        if st == WAITING or st == PENDING:
            if st == WAITING:
                m.queue.discard(m)
            m.state = ABANDONED
            self._abandon(m)
        elif st != SKIPPED and st != UNSEEN:
            return  # answered in time
        if m.case.need:
            self._behaviour.on_impatience(self, m)

    # ---- CustomerPort
    def repost(self, m, escalate: bool) -> None:
        case = m.case
        if case.reposts >= self._max_repeats or case.resolved:
            return
        case.reposts += 1
        case.tagged = True
        self.post(case, ESCALATION if escalate else REPEAT, self._clock.now, self._repeat_factor)

    def phone_switch(self, m) -> None:
        t = self._clock.now
        self._count("phone_switches", t)
        self._count("phone_contacts", t)

    def repeat_later(self, m, t: float) -> None:
        if next(self._deflect_u) < self._deflect_repeat:
            gap = -math.log(1.0 - next(self._gap_u)) * self._deflect_delay
            if t + gap <= self._t_stop:
                self._clock.schedule(gap, self._repeat_after_deflection, m)

    def _repeat_after_deflection(self, m) -> None:
        case = m.case
        if case.reposts < self._max_repeats:
            case.reposts += 1
            self.post(case, REPEAT, self._clock.now, self._repeat_factor)


class ExtraPosts:
    """Further posts about a problem while it is unanswered (a geometric number, gaps from the scenario): wraps
    the intake's ``new_case`` so that every new problem whose customer needs a reply draws them."""

    def __init__(self, cu: Customers, streams: Streams, clock: Scheduler, t_stop: float, new_case: Callable,
                 post: Callable) -> None:
        p = cu.extra_posts_mean / (1 + cu.extra_posts_mean)
        rx = streams.rng("extra_posts")
        self._n = block_stream(lambda n: rx.geometric(1 - p, n) - 1)
        gap = cu.extra_post_gap_minutes or Exponential(dist="exponential", mean=30.0)
        self._gap = gap.stream(streams.rng("extra_posts:gap"))
        self._clock = clock
        self._t_stop = t_stop
        self._new_case = new_case
        self._post = post

    def new_case(self, t: float, cluster: int = 0, triggered: bool = False, bystander: bool = False):
        case = self._new_case(t, cluster, triggered, bystander)
        if case.need:
            at = t
            for _ in range(next(self._n)):
                at += next(self._gap)
                if at > self._t_stop:
                    break
                self._clock.schedule(at - t, self._arrive, case)
        return case

    def _arrive(self, case) -> None:
        if not case.resolved:
            self._post(case, EXTRA, self._clock.now)


class PileOn:
    """A public escalation attracts Poisson(``escalation_extra_mentions``) posts by bystanders over
    ``escalation_memory_minutes``. A step on a post's way in. Bystanders expect no reply of their own and
    trigger no posts themselves, so a pile-on never feeds on itself (volume would explode)."""

    def __init__(self, cu: Customers, streams: Streams, clock: Scheduler, t_stop: float, nxt: Enter) -> None:
        rn, rg = streams.rng("escalation:count"), streams.rng("escalation:gap")
        self._n = block_stream(lambda n: rn.poisson(cu.escalation_extra_mentions, n))
        self._gap = block_stream(lambda n: rg.exponential(cu.escalation_memory_minutes, n))
        self._clock = clock
        self._t_stop = t_stop
        self._next = nxt
        self.new_case: Callable = None  # wired once the intake exists

    def enter(self, m, t: float, patience_scheduled: bool = False) -> None:
        if m.kind == ESCALATION:
            for _ in range(next(self._n)):
                gap = next(self._gap)
                if t + gap <= self._t_stop:
                    self._clock.schedule(gap, self._arrive, m)
        self._next(m, t, patience_scheduled)

    def _arrive(self, m) -> None:
        self.new_case(self._clock.now, m.case.cluster, triggered=True, bystander=True)
