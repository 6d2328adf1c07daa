"""Which replications each point needs: a fixed number, or rounds until the stopping rule is met.

The rule is decided on replications ``0 .. k-1`` only, whatever order they finished in, so the same
experiment asks for the same replications on 1 worker or 16, and a rerun after an interruption replays the
same decisions from the runs already stored.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.intervals import kpi_interval

from .experiment import Experiment, Point, Stopping

__all__ = ["Plan", "rule_met"]


def rule_met(values: dict[str, list[float]], stopping: Stopping, level: float) -> bool:
    """Whether every KPI of the rule has an interval no wider than its half-width (NaN intervals are not)."""
    for kpi, goal in stopping.half_width.items():
        width = kpi_interval(values[kpi], kpi, level).half_width
        if not width <= goal:  # NaN (one value, or no values) is not met
            return False
    return True


class Plan:
    """Target replications per point; grows by rounds while the stopping rule is not met."""

    def __init__(self, experiment: Experiment, points: list[Point],
                 finished: Callable[[Point], set[int]], values: Callable[[Point, str, int], list[float]]) -> None:
        self.experiment = experiment
        self.points = points
        self._finished = finished
        self._values = values
        self.target = {p.key: experiment.replications for p in points}
        stopping = experiment.stopping
        self.step = (stopping.step or experiment.replications) if stopping else 0
        self.cap = stopping.max_replications if stopping else experiment.replications

    def missing(self, point: Point) -> list[int]:
        """Replications below the point's target that are not finished, in order."""
        done = self._finished(point)
        return [r for r in range(self.target[point.key]) if r not in done]

    def advance(self, point: Point) -> list[int]:
        """After runs of ``point`` finished: apply the rule to every complete round; the replications to add."""
        stopping = self.experiment.stopping
        while stopping is not None and not self.missing(point) and self.target[point.key] < self.cap:
            k = self.target[point.key]
            values = {kpi: self._values(point, kpi, k) for kpi in stopping.half_width}
            if rule_met(values, stopping, self.experiment.level):
                break
            self.target[point.key] = min(k + self.step, self.cap)
        return self.missing(point)

    def complete(self, point: Point) -> bool:
        """No replication is missing and the rule (if any) asks for no more."""
        if self.missing(point):
            return False
        stopping = self.experiment.stopping
        k = self.target[point.key]
        if stopping is None or k >= self.cap:
            return True
        values = {kpi: self._values(point, kpi, k) for kpi in stopping.half_width}
        return rule_met(values, stopping, self.experiment.level)

    @property
    def planned(self) -> int:
        """Replications wanted now over all points (grows as rounds are added)."""
        return sum(self.target.values())
