"""The fluid start against closed forms: a rate that steps between 2 posts a minute and nothing, half a week
each. With exponential handling of mean h the work in service after a step down decays as ``b0 exp(-t/h)`` (the
M_t/M/inf mean), so a 30-minute interval right after it carries ``b0 h / 30 (1 - exp(-30/h))`` agents' worth;
with patient customers the fluid queue holds the wait at ``-patience ln(goal)`` minutes and the step reaches the
agents that much later, ``goal`` of the posts staying until their turn. The values are chosen away from whole
numbers, so that the rounding up to agents does not hide an error.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.planning.erlang import QueueModel
from sim.planning.fluid import fluid_agents, target_wait

RATES = np.array([2.0] * 168 + [0.0] * 168)  # posts per minute in each half-hour of the week
HANDLE = 6.0


def after_step(b0: float, start: float, end: float) -> float:
    """Mean work in service over minutes [start, end) after a step down from ``b0``."""
    return b0 * HANDLE / (end - start) * (math.exp(-start / HANDLE) - math.exp(-end / HANDLE))


def test_nobody_gives_up_the_work_follows_the_infinite_server_mean():
    model = QueueModel(handle=HANDLE, target=1.0)
    assert target_wait(model, 0.8) == 0.0
    agents = fluid_agents(RATES, 30, model, 0.8)
    assert agents[100] == 12  # steady: rate x handle
    assert agents[168] == math.ceil(after_step(12.0, 0, 30)) == 3
    assert agents[0] == math.ceil(12.0 - after_step(12.0, 0, 30)) == 10  # the rise after the quiet half
    assert agents[200] == 0


def test_patient_customers_keep_the_peak_agents_for_the_target_wait():
    model = QueueModel(handle=HANDLE, target=60.0, patience=240.0)
    w = target_wait(model, 0.8)
    assert w == pytest.approx(-240.0 * math.log(0.8))  # 53.6 min: 80% still there when their turn comes
    agents = fluid_agents(RATES, 30, model, 0.8)
    b0 = 0.8 * 2.0 * HANDLE  # 9.6 agents' worth: the 20% who give up need nobody
    assert agents[100] == math.ceil(b0) == 10
    assert agents[168] == 10  # the backlog of the busy half is still served at full strength
    late = (w - 30) * b0 + b0 * HANDLE * (1 - math.exp(-(60 - w) / HANDLE))
    assert agents[169] == math.ceil(late / 30) == 9
    assert target_wait(model, 0.5) == 0.0  # a wait of 166 min would miss the 60-minute target: no lag
