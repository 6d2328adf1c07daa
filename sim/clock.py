"""The simulation clock: one heap of events (and a side slot for one more), processed in (time, priority,
sequence) order.

An event is a callback and a value, scheduled ``delay`` minutes after :attr:`Clock.now`. Order is simpy's:
earlier time first; at the same time :data:`URGENT` before :data:`NORMAL`; then the order in which events were
scheduled (a counter), so ties are deterministic and never broken by chance. An event's time is computed as
``now + delay``, exactly as simpy computes it, so the engine gives the same results to the last bit as it did on
simpy's ``Environment``.

Why the engine owns this clock rather than using simpy: simpy's public API makes every event an object (a
``Timeout``: construction, a method call to schedule it, a list of callbacks to walk) and has no public way to
schedule an urgent event at a later time, which the hourly snapshots need; the engine used to write simpy's
private attributes for both. This heap holds plain tuples and calls one function per event. The README
("How the model works") gives the measurement of both.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from itertools import count
from typing import Any

__all__ = ["Clock", "Timers", "timers", "side_scheduler", "URGENT", "NORMAL"]

URGENT = 0  # before every NORMAL event at the same instant (hourly snapshots)
NORMAL = 1


class _Stop(Exception):
    """Raised by a stop marker to leave :meth:`Clock.run` (costs nothing per event)."""


def _stop(_value: Any) -> None:
    raise _Stop


class Clock:
    """A discrete-event clock: :meth:`schedule` callbacks, then :meth:`run` them in time order.

    ``now`` is the time of the event being processed (minutes); callbacks receive the value they were scheduled
    with. Nothing here knows what the events mean.
    """

    __slots__ = ("now", "_heap", "_side", "_seq", "_run")

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self._heap: list[tuple] = []
        self._side: tuple | None = None  # one event held off the heap (see schedule_side)
        self._seq = count()
        self._run = 0  # which call of run() a time limit belongs to (a stale one is ignored)

    def schedule(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call ``callback(value)`` at ``now + delay`` (``delay`` >= 0), after events already due then."""
        heappush(self._heap, (self.now + delay, NORMAL, next(self._seq), callback, value))

    def schedule_urgent(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Like :meth:`schedule`, but before every NORMAL event at that instant."""
        heappush(self._heap, (self.now + delay, URGENT, next(self._seq), callback, value))

    def schedule_side(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Exactly :meth:`schedule` (same time, same place in the order), but held in a side slot beside the heap
        when the slot is free: a stream that always has its next event pending (the organic arrivals: a third
        of all events) then costs one key comparison per event instead of a heap push and pop."""
        event = (self.now + delay, NORMAL, next(self._seq), callback, value)
        if self._side is None:
            self._side = event
        else:
            heappush(self._heap, event)

    def stop(self) -> None:
        """End :meth:`run` after the events due now that were scheduled before this call (simpy's order when
        a run waits for an event that succeeds now)."""
        heappush(self._heap, (self.now, NORMAL, next(self._seq), _stop, None))

    @property
    def pending(self) -> int:
        """Events scheduled and not yet processed."""
        return len(self._heap) + (self._side is not None)

    def run(self, until: float | None = None) -> None:
        """Process events in order until :meth:`stop`, until none is left, or (if given) until time ``until``:
        events at ``until`` itself are left for the next run, as simpy's ``run(until=...)`` does."""
        heap = self._heap
        self._run += 1
        if until is not None:
            if until <= self.now:
                raise ValueError(f"until ({until}) must be later than now ({self.now})")
            heappush(heap, (self.now + (until - self.now), URGENT, next(self._seq), self._limit, self._run))
        try:
            while True:  # the next event is the smaller key of the heap's top and the side slot's event
                side = self._side
                if side is None:
                    if not heap:
                        return
                    t, _, _, callback, value = heappop(heap)
                elif heap and heap[0] < side:  # keys are unique (the sequence), so callbacks are never compared
                    t, _, _, callback, value = heappop(heap)
                else:
                    self._side = None
                    t, _, _, callback, value = side
                self.now = t
                callback(value)
        except _Stop:
            pass

    def _limit(self, run: int) -> None:
        if run == self._run:
            raise _Stop


class Timers:
    """Timers of one kind that are mostly moot when they fall due (a customer's patience: most customers are
    answered first), kept off the clock's heap until close to their time.

    :meth:`schedule` reserves the event's place in the clock's order at once (its time ``now + delay`` and its
    sequence number, exactly what :meth:`Clock.schedule` would give it) but files it in a bucket of ``width``
    minutes. When a bucket's time comes (an urgent event at its start, before anything else due then), the
    timers whose ``live(value)`` still holds go on the heap under their reserved key; the others are dropped
    unseen. So the live ones fire at the same time and in the same order as if scheduled directly (results are
    the same to the last bit), and a moot timer costs a list append instead of a heap push and pop on a heap
    that the pending timers made deep. ``live`` must be False only for a value whose timer would do nothing
    from then on (a mention answered: a state it never leaves).
    """

    __slots__ = ("_clock", "_heap", "_seq", "_callback", "_live", "_width", "_buckets")

    def __init__(self, clock: Clock, callback: Callable[[Any], None], live: Callable[[Any], bool],
                 width: float = 10.0) -> None:
        self._clock = clock
        self._heap = clock._heap  # the clock's own heap and counter (never replaced): one look-up less each
        self._seq = clock._seq
        self._callback = callback
        self._live = live
        self._width = width
        self._buckets: dict[float, list[tuple]] = {}

    def schedule(self, delay: float, value: Any) -> None:
        """Call ``callback(value)`` at ``now + delay`` if ``live(value)`` still holds shortly before then."""
        now = self._clock.now
        t = now + delay
        seq = next(self._seq)
        width = self._width
        start = (t // width) * width
        if start > t:  # rounding
            start -= width
        if start <= now:  # its bucket is open (or was never needed): straight onto the heap
            heappush(self._heap, (t, NORMAL, seq, self._callback, value))
            return
        bucket = self._buckets.get(start)
        if bucket is None:
            bucket = self._buckets[start] = []
            heappush(self._heap, (start, URGENT, next(self._seq), self._open, start))
        bucket.append((t, NORMAL, seq, self._callback, value))  # the heap's event, ready to push

    def _open(self, start: float) -> None:
        heap, live = self._heap, self._live
        for event in self._buckets.pop(start):
            if live(event[4]):
                heappush(heap, event)


class _Direct:
    """:class:`Timers` for a clock that is not a :class:`Clock` (benchmarks' other clocks): plain events."""

    def __init__(self, clock, callback: Callable[[Any], None]) -> None:
        self._schedule = clock.schedule
        self._callback = callback

    def schedule(self, delay: float, value: Any) -> None:
        self._schedule(delay, self._callback, value)


def side_scheduler(clock) -> Callable[[float, Callable[[Any], None], Any], None]:
    """``clock``'s :meth:`Clock.schedule_side` (its ``schedule`` if it is not a :class:`Clock`)."""
    return clock.schedule_side if isinstance(clock, Clock) else clock.schedule


def timers(clock, callback: Callable[[Any], None], live: Callable[[Any], bool]) -> Timers | _Direct:
    """Mostly-moot timers calling ``callback`` on ``clock`` (see :class:`Timers`)."""
    return Timers(clock, callback, live) if isinstance(clock, Clock) else _Direct(clock, callback)
