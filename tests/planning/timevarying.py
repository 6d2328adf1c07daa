"""The time-varying validation case (shared by its test and the README table's script).

A daily profile with a 4x peak (the rate rises from 1 at 04:00 to 4 at 16:00 and back, smoothly), Poisson
arrivals, exponential handling and no abandonment: the M_t/M/s_t queue of Feldman, Mandelbaum, Massey & Whitt.
The requirement searched by simulation is evaluated on replications independent of the search's; so is plain
per-interval Erlang C (the stationary formula on each interval's own arrival rate).
"""

from __future__ import annotations

import math

import numpy as np

from sim.planning.grid import WeekGrid
from sim.planning.measure import Counting, Runner, estimate
from sim.planning.demand import TeamRule
from sim.planning.requirement import Settings, Target, plan_requirement, with_levels

from helpers import make_scenario

PROFILE = [1 + 1.5 * (1 - math.cos(2 * math.pi * (h + 0.5 - 4) / 24)) for h in range(24)]  # 1 .. 4


def scenario(handle: float, load: float, seed: int = 3, patience: float | None = None):
    """Mean offered load ``load`` Erlangs with mean handling ``handle`` minutes; one measured day after one warm-up
    day with the same profile."""
    return make_scenario(
        name=f"tv-{handle:g}", seed=seed, horizon_days=1.0, warmup_days=0.25,
        volume={"mentions_per_hour": 60.0 * load / handle, "hourly_profile": PROFILE},
        handling={"handle_minutes": {"dist": "exponential", "mean": handle}},
        customers={"patience_minutes": None if patience is None else {"dist": "exponential", "mean": patience}},
        staffing={"agents": 1}, sla={"target_minutes": 1.0, "goal": 0.8},
    )


def evaluate(sc, levels: np.ndarray, target: Target, interval: int, reps: int, seed: int, jobs: int = 1):
    """Service level per interval of ``sc`` staffed at ``levels`` on replications of ``seed``."""
    grid = WeekGrid(interval)
    staffed = with_levels(sc, grid, levels)
    counting = Counting(interval, grid.count, target.minutes, TeamRule.of(staffed))
    with Runner(jobs) as runner:
        counts = runner.run(staffed, range(reps), seed, counting)
    return estimate(counts, grid.occurrences(sc.horizon_minutes))


def validate(handle: float, load: float, target: Target, interval: int = 60, search_reps: int = 32,
             check_reps: int = 64, jobs: int = 1, min_volume: float = 50.0, patience: float | None = None) -> dict:
    """Search the requirement, then measure it and per-interval Erlang C on fresh replications."""
    sc = scenario(handle, load, patience=patience)
    settings = Settings(interval=interval, first_reps=4, max_reps=search_reps, final_min_reps=search_reps,
                        precision=0.01, min_volume=min_volume, jobs=jobs)
    req = plan_requirement(sc, target, settings)
    w = req.window
    ours = evaluate(sc, req.levels, target, interval, check_reps, seed=1000 + sc.seed, jobs=jobs)
    erlang = evaluate(sc, req.erlang, target, interval, check_reps, seed=1000 + sc.seed, jobs=jobs)
    erlang_c, c_levels = erlang, req.erlang
    if patience is not None:  # plain Erlang C: the same per-interval formula, ignoring that customers give up
        from sim.planning.erlang import QueueModel

        c = QueueModel(handle=handle, target=target.minutes)
        c_levels = np.array([[c.agents_for(r * handle, target.goal, floor=1) for r in req.rates]])
        erlang_c = evaluate(sc, c_levels, target, interval, check_reps, seed=1000 + sc.seed, jobs=jobs)
    busy = ours.arrivals[0, :w] >= min_volume
    return {"req": req, "ours": ours, "erlang": erlang, "erlang_c": erlang_c, "busy": busy, "window": w,
            "erlang_c_levels": c_levels, "dev_erlang_c": erlang_c.service_level[0, :w][busy] - target.goal,
            "dev_ours": ours.service_level[0, :w][busy] - target.goal,
            "dev_erlang": erlang.service_level[0, :w][busy] - target.goal}
