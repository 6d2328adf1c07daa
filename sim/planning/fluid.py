"""Fluid staffing of a time-varying queue: the agents that keep every post's wait at the level that meets the goal,
after Liu & Whitt (2012, "Stabilizing customer abandonment in many-server queues with time-varying arrivals",
Operations Research 60(6)).

Why: the stationary formulas staff each interval for its own arrivals. When customers are patient and the target
is long (60 minutes with a mean patience of 4 hours), the fewest agents keep a queue on purpose: a post waits
``w`` minutes and is answered if it is still there, so about ``exp(-w / patience)`` are answered in time, and the
goal is met at ``w = -patience x ln(goal)``. The agents on duty at time ``t`` then answer the posts that
arrived at ``t - w``, not those arriving now: after an evening peak the backlog of the peak still needs the
peak's agents for ``w`` minutes, which no interval-by-interval formula sees (and which the simulation's
interval-by-interval correction reaches only a few agents per iteration). With short handling the same lag is
the handling time itself (the modified offered load). In the fluid model posts enter service at rate
``lam(t - w) x P(patience > w)`` and leave it at rate ``busy / handle``; the agents needed are those that keep
all of that work in service.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import lfilter

from .erlang import QueueModel, smallest

__all__ = ["target_wait", "fluid_agents"]


def target_wait(model: QueueModel, goal: float) -> float:
    """The wait (minutes) at which the fluid model answers ``goal`` of the posts in time: ``-patience ln(goal)``
    when that is within the target (the goal is met by the patient ones, the rest give up); otherwise 0 (the
    goal needs short queues, which is the stationary formulas' business)."""
    if model.patience is None:
        return 0.0
    w = -model.patience * math.log(goal)
    return w if w <= model.target else 0.0


def fluid_agents(rates: np.ndarray, interval: int, model: QueueModel, goal: float) -> np.ndarray:
    """Agents per interval of the week (``rates``: posts per minute in each interval, the week repeating) that
    keep the fluid queue's wait at :func:`target_wait`; the mean work in service over each interval, in agents."""
    w = target_wait(model, goal)
    answered = goal if w > 0 else 1.0  # the share that stays until its turn
    per_minute = np.repeat(np.asarray(rates, dtype=float), interval)
    lag = int(round(w))
    entering = answered * np.roll(per_minute, lag)  # posts per minute reaching an agent
    decay = math.exp(-1.0 / model.handle)
    gain = model.handle * (1.0 - decay)
    # exact for a rate constant over the minute: b[t] = b[t-1] decay + entering[t] gain, a first-order filter;
    # starting from the week's mean, the second pass of the week has forgotten the start
    busy = np.asarray(entering.mean() * model.handle)
    for _ in range(2):
        busy, _ = lfilter([gain], [1.0, -decay], entering, zi=[decay * float(busy.flat[-1])])
    work = busy.reshape(-1, interval).mean(axis=1)
    return np.array([smallest(lambda m, x=x: model.servers(m) >= x - 1e-9, 0) if x > 0 else 0 for x in work],
                    dtype=np.int64)
