"""Mention volume: a Poisson process whose rate follows an hour-of-week profile.

Time is in minutes; minute 0 is Monday 00:00. The rate is piecewise constant by hour of the week, and
arrival times are drawn exactly by inverting the integrated rate (no thinning, no rejected draws).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np

from .distributions import block_stream

__all__ = ["WEEK_MINUTES", "weekly_rates", "PoissonArrivals"]

WEEK_MINUTES = 7 * 24 * 60


def weekly_rates(
    mentions_per_hour: float,
    hourly_profile: Sequence[float] | None = None,
    weekly_profile: Sequence[float] | None = None,
) -> np.ndarray:
    """168 arrival rates per minute (Monday 00-01 first) whose mean over the week is the given rate."""
    hourly = np.ones(24) if hourly_profile is None else np.asarray(hourly_profile, dtype=float)
    daily = np.ones(7) if weekly_profile is None else np.asarray(weekly_profile, dtype=float)
    shape = np.outer(daily, hourly).ravel()
    return mentions_per_hour / 60.0 * shape / shape.mean()


class PoissonArrivals:
    """Inter-arrival times of a Poisson process with 168 hourly rates repeating each week."""

    def __init__(self, rates: np.ndarray, rng: np.random.Generator) -> None:
        self.rates = [float(r) for r in rates]
        self.constant = len(set(self.rates)) == 1
        self._unit = block_stream(lambda n: rng.exponential(1.0, n))

    def times(self, start: float) -> Iterator[float]:
        """Arrival times after ``start`` (minutes), in order, forever (none if the rate is zero)."""
        unit = self._unit
        rates = self.rates
        if self.constant:
            if rates[0] <= 0:
                return
            mean_gap = 1.0 / rates[0]
            t = start
            for e in unit:
                t += e * mean_gap
                yield t
            return
        if max(rates) <= 0:
            return
        t = start
        reuse_until = seg_end = rate = -math.inf  # the hour segment last looked up serves while t < reuse_until
        for e in unit:
            # walk hour segments, spending the unit-rate exponential e against the integrated rate
            while True:
                if t >= reuse_until:  # t never decreases: it has left the segment (or is in the warm-up)
                    hour = int((t % WEEK_MINUTES) // 60) % 168  # % again: float rounding can give 10080.0
                    seg_end = (t // 60 + 1) * 60
                    rate = rates[hour]
                    # For t >= 0 every step above is exact, so any later t before seg_end gives this hour and
                    # end: most arrivals of an hour skip them. Not before 0 (the warm-up), where t % WEEK rounds
                    # and t just below an hour's end can give the next hour: there it is looked up each time.
                    reuse_until = seg_end if t >= 0 else -math.inf
                room = rate * (seg_end - t)
                if e <= room:
                    t += e / rate
                    break
                e -= room
                t = seg_end
            yield t
