"""The planner's question (a service-level target) and how the requirement search answers it (its settings).

Kept apart from the search itself so the CLI, the app and the roster can read a target without the search."""

from __future__ import annotations

from dataclasses import dataclass

from sim.bounds import MAX_MINUTES

@dataclass(frozen=True)
class Target:
    """Service-level target: ``goal`` of posts answered within ``minutes``. Checked here, whoever makes it (the
    flag, a requirement.csv, the app): minutes of 1e308 overflow Erlang A's formulas."""

    goal: float
    minutes: float

    def __post_init__(self) -> None:
        if not (0 < self.goal < 1) or not (0 < self.minutes <= MAX_MINUTES):
            raise ValueError(f"the goal must lie between 0 and 1 (not included) and the minutes between 0 and "
                             f"{MAX_MINUTES:,.0f} (ten years), as in 0.8@60")

    @classmethod
    def parse(cls, text: str) -> Target:
        """``0.8@60``: 80% within 60 minutes (``80%@60`` works too)."""
        goal, sep, minutes = text.partition("@")
        try:
            g = float(goal[:-1]) / 100 if goal.endswith("%") else float(goal)
            m = float(minutes)
        except ValueError:
            raise ValueError(f"{text!r} is not GOAL@MINUTES such as 0.8@60") from None
        if not sep:
            raise ValueError(f"{text!r} is not GOAL@MINUTES such as 0.8@60")
        try:
            return cls(g, m)
        except ValueError as exc:
            raise ValueError(f"{text!r}: {exc}") from None

    def __str__(self) -> str:
        return f"{self.goal:.0%} within {self.minutes:g} min"


@dataclass(frozen=True)
class Settings:
    """How the requirement is searched for."""

    interval: int = 30  # minutes
    first_reps: int = 2  # replications while exploring (big moves)
    explore_until: float = 0.05  # ... until at most this share of the intervals still moves
    explore_iterations: int = 2  # ... or for this many iterations
    free_iterations: int = 1  # iterations with moves both ways at full replications, then settling (only up)
    damping: float = 0.5  # share of the proposed move taken by free moves after the first (at least one agent)
    settle_damping: float = 1.0  # share of the proposed move down taken by settling (never below the fewest short)
    indifference: float = 0.02  # an interval this close to the goal is not moved, whatever its half-width
    precision: float = 0.03  # wanted 95% half-width of each busy interval's service level
    min_volume: float = 50.0  # posts per interval and replication that make an interval "busy"
    max_reps: int = 32
    final_min_reps: int = 4  # replications of the first settling (then doubled after each settling)
    stage_until: float = 0.1  # a settling stage before the last grows once at most this share of intervals moves
    max_iterations: int = 30  # the default week settles at 21 (4, 8, 16 and 32 replications each settle)
    seed: int | None = None  # default: the scenario's
    jobs: int = 1  # worker processes
