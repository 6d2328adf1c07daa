"""A mention: one customer post waiting for, or getting, a first response."""

from __future__ import annotations

__all__ = ["Mention", "WAITING", "ANSWERED", "ABANDONED"]

WAITING, ANSWERED, ABANDONED = 0, 1, 2


class Mention:
    """One customer post; times in minutes on the simulation clock."""

    __slots__ = ("id", "arrival", "channel", "handle", "patience", "state", "measured", "answered_at")

    def __init__(self, id: int, arrival: float, channel: int, handle: float, patience: float, measured: bool):
        self.id = id
        self.arrival = arrival
        self.channel = channel
        self.handle = handle
        self.patience = patience
        self.state = WAITING
        self.measured = measured
        self.answered_at = -1.0
