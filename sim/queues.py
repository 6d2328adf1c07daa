"""Queue disciplines: which waiting mention an agent takes next.

A discipline is a small object with the methods of :class:`Discipline`, chosen by name from the scenario's
``policy.order``. Mentions that leave the queue (abandon, answered by a public fix) are marked by the engine and
discarded lazily, so leaving costs O(1). FIFO orders any :class:`~sim.entities.Mention`; the keyed disciplines
order the care model's :class:`~sim.entities.Post` (they read its case, deadline or followers), and a scenario
that names one is run with the care model's parts (:mod:`sim.assembly`), so every order works in every scenario.
"""

from __future__ import annotations

import heapq
from abc import ABC, abstractmethod
from collections import deque
from typing import Protocol

from .entities import WAITING, Mention

__all__ = ["Discipline", "Fifo", "LongestWait", "Deadline", "InfluenceFirst", "DISCIPLINES", "make_discipline"]


class Discipline(Protocol):
    """What the desks use of a queue; ``size`` counts the mentions still waiting."""

    size: int

    def push(self, m: Mention) -> None: ...
    def pop(self) -> Mention | None: ...
    def discard(self, m: Mention) -> None: ...
    def peek_key(self): ...  # the key of the mention pop() would return (smaller first); None if empty
    def oldest_arrival(self) -> float | None: ...


class Fifo:
    """First come, first served."""

    def __init__(self) -> None:
        self._q: deque[Mention] = deque()
        self.size = 0

    def push(self, m: Mention) -> None:
        self._q.append(m)
        self.size += 1

    def pop(self) -> Mention | None:
        q = self._q
        while q:
            m = q.popleft()
            if m.state == WAITING:
                self.size -= 1
                return m
        return None

    def discard(self, m: Mention) -> None:
        """``m`` left the queue (its state is no longer WAITING); it is dropped when reached."""
        self.size -= 1

    def oldest_arrival(self) -> float | None:
        q = self._q
        while q and q[0].state != WAITING:
            q.popleft()
        return q[0].arrival if q else None

    def peek_key(self) -> float | None:
        """The priority key of the mention :meth:`pop` would return (smaller first); None if empty."""
        q = self._q
        while q and q[0].state != WAITING:
            q.popleft()
        return q[0].arrival if q else None


class _Keyed(ABC):
    """A heap ordered by ``key(m)`` (ties by mention id, so order is deterministic), with lazy discards.

    A FIFO side list answers :meth:`oldest_arrival` without scanning the heap.
    """

    def __init__(self) -> None:
        self._h: list = []
        self._fifo: deque[Mention] = deque()
        self.size = 0

    @staticmethod
    @abstractmethod
    def key(m: Mention):
        """The sort key of ``m``: smaller goes first."""

    def push(self, m: Mention) -> None:
        heapq.heappush(self._h, (self.key(m), m.id, m))
        self._fifo.append(m)
        self.size += 1

    def _clean(self) -> None:
        h = self._h
        while h and h[0][2].state != WAITING:
            heapq.heappop(h)

    def pop(self) -> Mention | None:
        self._clean()
        if not self._h:
            return None
        self.size -= 1
        return heapq.heappop(self._h)[2]

    def discard(self, m: Mention) -> None:
        self.size -= 1

    def peek_key(self):
        self._clean()
        return self._h[0][0] if self._h else None

    def oldest_arrival(self) -> float | None:
        q = self._fifo
        while q and q[0].state != WAITING:
            q.popleft()
        return q[0].arrival if q else None


class LongestWait(_Keyed):
    """The customer who has waited longest on the problem first (counting from the problem's first post)."""

    @staticmethod
    def key(m):
        return m.case.start


class Deadline(_Keyed):
    """Earliest deadline first: the post time plus the intent's SLA target."""

    @staticmethod
    def key(m):
        return m.deadline


class InfluenceFirst(_Keyed):
    """The largest audience first (followers), then the earliest post."""

    @staticmethod
    def key(m):
        return (-m.followers, m.posted)


DISCIPLINES: dict[str, type] = {"fifo": Fifo, "longest_wait": LongestWait, "deadline": Deadline,
                                "influence": InfluenceFirst}


def make_discipline(name: str) -> Discipline:
    """The discipline registered under ``name``."""
    return DISCIPLINES[name]()
