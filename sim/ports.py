"""The small interfaces the parts of the engine talk through (layer 1: they import nothing of the model).

A part (a volume source, an intake, a gate, a desk, a customer behaviour, a response policy, a tally) is given
what it needs of the others as one of these at wiring time (:mod:`sim.assembly`), never the whole engine. So
each part can be read, tested and replaced on its own, and a part that is absent costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Scheduler", "Books", "Counter", "Enter", "CustomerPort", "Desk", "Starter", "fan_out"]


class Scheduler(Protocol):
    """The clock as parts see it (:class:`sim.clock.Clock`)."""

    now: float

    def schedule(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None: ...

    def schedule_urgent(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None: ...


class Books(Protocol):
    """The engine's accounting of the measured window: parts report what happens to a mention; the engine keeps
    the totals, the hourly buckets, the per-mention outcomes and knows when every measured mention has ended."""

    t_end: float  # end of the measured window (minutes; it starts at 0)
    t_stop: float  # nothing is scheduled after this (the window plus the drain)

    def admit(self, m: Any) -> None:
        """A mention has been posted (counted if it is in the window)."""

    def first_response(self, m: Any, t: float) -> float | None:
        """``m`` gets its first response at ``t``: its wait if it is measured, else None."""

    def abandon(self, m: Any) -> None:
        """``m``'s customer stopped waiting (at the end of its patience)."""

    def close(self, m: Any, t: float = 0.0) -> None:
        """``m`` ended without a reply and without waiting: skipped by triage or never found."""


class Counter(Protocol):
    """The care model's named counters (:data:`sim.tallies.CARE_COUNTERS`), counted in the window only."""

    def count(self, name: str, t: float, n: int = 1) -> None: ...


# A step on a post's way to an agent: a gate (listening, public fix, triage) or the desk itself.
# ``enter(post, t, patience_scheduled)``; a gate either handles the post or passes it to the next step.
Enter = Callable[[Any, float, bool], None]


class CustomerPort(Protocol):
    """What customers' behaviours and response policies may ask of the customers' part."""

    def repost(self, m: Any, escalate: bool) -> None:
        """``m``'s customer posts again now (a repeat, or a public escalation), within ``max_repeats``."""

    def phone_switch(self, m: Any) -> None:
        """``m``'s customer gives up on social and calls."""

    def repeat_later(self, m: Any, t: float) -> None:
        """``m``'s customer, sent to the phone, may post again later."""


class Desk(Protocol):
    """Routing and staffing: who answers a post, what waits, and how many agents are on duty."""

    unit: int  # capacity units per agent (concurrency is counted in integers)

    @property
    def size(self) -> int:
        """Mentions waiting."""

    def take(self, m: Any, t: float, patience_scheduled: bool = False) -> None:
        """``m`` reaches the team at ``t``: an agent takes it now, or it waits."""

    def oldest_arrival(self) -> float | None:
        """Arrival time of the longest-waiting mention (None if none waits)."""

    def start(self) -> None:
        """Schedule the roster's changes (called once, when the run starts)."""


class Starter(Protocol):
    """A part with events to schedule when the run starts (volume sources, incidents, weekly ledgers)."""

    def start(self) -> None: ...


def fan_out(*callbacks: Callable | None) -> Callable:
    """One callable that calls each of ``callbacks`` that is present, in order (the callback itself if only one
    is), so an observer that is absent costs nothing at the place that notifies."""
    present = [c for c in callbacks if c is not None]
    if not present:
        raise ValueError("fan_out needs at least one callback")
    if len(present) == 1:
        return present[0]
    if len(present) == 2:
        a, b = present

        def both(*args):
            a(*args)
            b(*args)

        return both

    def each(*args):
        for c in present:
            c(*args)

    return each
