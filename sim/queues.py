"""Queue disciplines: which waiting mention an agent takes next.

A discipline is a small object with ``push``, ``pop``, ``discard`` and ``oldest_arrival``, chosen by name
from the scenario's ``policy.order``. Mentions that leave the queue (abandon) are marked by the engine and
discarded lazily, so leaving costs O(1).
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from .mention import WAITING, Mention

__all__ = ["Discipline", "Fifo", "DISCIPLINES", "make_discipline"]


class Discipline(Protocol):
    size: int

    def push(self, m: Mention) -> None: ...
    def pop(self) -> Mention | None: ...
    def discard(self, m: Mention) -> None: ...
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


DISCIPLINES: dict[str, type] = {"fifo": Fifo}


def make_discipline(name: str) -> Discipline:
    """The discipline registered under ``name``."""
    return DISCIPLINES[name]()
