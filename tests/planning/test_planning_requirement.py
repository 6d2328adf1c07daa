"""The simulated requirement against exact references, and the parts it is made of.

Stationary cases: with a constant arrival rate every interval is the same steady-state queue, so the iterative
search through the simulator must end at the smallest Erlang C / Erlang A staffing that meets the goal, in
every interval. The goals are placed between the exact service levels of n - 1 and n agents with margins many
times the simulation's standard error at the replications used (sized so a correct search passes under almost
any seed), and the simulated service level must contain the exact one within a 99.9% family-wise interval.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.planning.demand import TeamRule, forecast_rates, groups_of
from sim.planning.erlang import QueueModel
from sim.planning.grid import WeekGrid
from sim.planning.measure import Counting, count_replication
from sim.planning.requirement import Settings, Target, plan_requirement, with_levels

from helpers import make_scenario


def stationary(patience: float | None):
    return make_scenario(
        name="stationary", seed=7, horizon_days=1.0, warmup_days=0.05,
        volume={"mentions_per_hour": 600.0},
        handling={"handle_minutes": {"dist": "exponential", "mean": 1.0}},
        customers={"patience_minutes": None if patience is None else {"dist": "exponential", "mean": patience}},
        staffing={"agents": 20}, sla={"target_minutes": 0.5, "goal": 0.8},
    )


# The load of V02 (Erlang C, 10 Erlangs, T = 0.5 min): SL(12) = 0.835, SL(13) = 0.936; and of V08 (Erlang A,
# patience 3 min): SL(12) = 0.919, SL(13) = 0.961. Goals half-way, at a utilisation whose relaxation time (about
# 10 minutes) is short against the 4-hour intervals, so that each interval is close to its steady state; a
# replication's estimate of one interval has a standard deviation of about 0.03, so 16 replications put the
# margins at four standard errors or more.
@pytest.mark.parametrize("patience,goal", [(None, 0.89), (3.0, 0.94)])
def test_stationary_requirement_is_the_smallest_erlang_staffing(patience, goal):
    sc = stationary(patience)
    model = QueueModel(handle=1.0, target=0.5, patience=patience)
    n = model.agents_for(10.0, goal)
    assert n == 13 and model.service_level(10.0, 12) < goal - 0.02 < goal + 0.02 < model.service_level(10.0, 13)
    settings = Settings(interval=240, first_reps=16, max_reps=16, final_min_reps=16, jobs=1)
    req = plan_requirement(sc, Target(goal, 0.5), settings)
    assert req.status == "converged"
    assert (req.erlang[0] == 13).all()  # the start: Erlang on the (constant) forecast
    assert (req.levels[0, : req.window] == 13).all(), req.levels[0, : req.window]
    # the simulated service level at the requirement agrees with the exact one (99.9% over the 6 intervals)
    from scipy import stats

    est, w = req.estimate, req.window
    t = stats.t.ppf(1 - 0.001 / 2 / w, est.reps - 1)
    half = t * est.spread[0, :w] / np.sqrt(est.reps)
    assert np.all(np.abs(est.service_level[0, :w] - model.service_level(10.0, 13)) <= half)


@pytest.mark.slow
@pytest.mark.parametrize("start", [9, 17])
def test_the_search_finds_it_from_a_wrong_start(start):
    sc = stationary(3.0)
    settings = Settings(interval=240, first_reps=4, max_reps=16, final_min_reps=16, jobs=1)
    req = plan_requirement(sc, Target(0.94, 0.5), settings, start=np.full((1, 42), start))
    assert req.status == "converged" and len(req.iterations) > 2
    assert (req.levels[0, : req.window] == 13).all(), req.levels[0, : req.window]


def test_forecast_follows_the_profiles():
    sc = make_scenario(volume={"mentions_per_hour": 30.0, "hourly_profile": [1] * 12 + [3] * 12,
                               "weekly_profile": [2, 1, 1, 1, 1, 1, 1]})
    rates = forecast_rates(sc, WeekGrid(30))
    assert rates.shape == (336,)
    assert rates.mean() * 60 == pytest.approx(30.0)
    assert rates[0] * 3 == pytest.approx(rates[24])  # Monday noon is 3x Monday midnight
    assert rates[0] == pytest.approx(2 * rates[48])  # Monday is twice Tuesday
    from sim.arrivals import weekly_rates  # the simulator's own definition

    hourly = weekly_rates(30.0, [1] * 12 + [3] * 12, [2, 1, 1, 1, 1, 1, 1])
    assert np.allclose(np.repeat(hourly, 2), rates)


def test_levels_reach_the_simulator_as_a_roster():
    grid = WeekGrid(30)
    levels = np.random.default_rng(3).integers(0, 9, size=(1, grid.count))
    levels[0, 0] = 4
    sc = with_levels(make_scenario(staffing={"agents": 3, "concurrency": 2}), grid, levels)
    assert sc.staffing.agents is None and sc.staffing.roster
    assert np.array_equal(grid.levels(sc.staffing.roster), levels[0])
    assert {s.concurrency for s in sc.staffing.roster} == {2}  # each shift carries the staff's concurrency
    from sim.staffing import StaffingPlan  # the simulator's reading of the roster, interval by interval

    plan = StaffingPlan(sc.staffing)
    assert [plan.level_at(grid.start(k) + 1).agents for k in range(grid.count)] == list(levels[0])


def team_scenario():
    return make_scenario(
        name="teams", seed=2, horizon_days=0.5,
        volume={"mentions_per_hour": 120.0},
        handling={"handle_minutes": {"dist": "exponential", "mean": 4.0}},
        channels=[{"name": "public_post", "share": 0.7}, {"name": "private_message", "share": 0.3}],
        languages=[{"name": "en", "share": 0.8}, {"name": "es", "share": 0.2}],
        intents=[{"name": "question", "share": 0.7}, {"name": "spam", "share": 0.3}],
        policy={"reply": "triage", "skip": ["spam"]},
        customers={"patience_minutes": {"dist": "exponential", "mean": 30.0}},
        staffing={"teams": [{"name": "english", "agents": 4, "languages": ["en"]},
                            {"name": "spanish", "agents": 1, "languages": ["es"]}]},
        sla={"target_minutes": 15.0, "goal": 0.8},
    )


def test_posts_are_counted_by_home_team_and_skipped_ones_left_out():
    sc = team_scenario()
    rule = TeamRule.of(sc)
    assert rule.home("es", "public_post", "question") == (1, False)
    assert rule.home("fr", "public_post", "question") == (0, True)  # nobody native: the first that translates
    outcomes = []
    from sim.engine import simulate_replication

    simulate_replication(sc, 0, 5, on_outcome=outcomes.append)
    counts = count_replication(sc, 0, 5, Counting(30, 336, 15.0, rule))
    answered_or_waited = sum(1 for o in outcomes if o.answered or o.wait_minutes > 0)
    assert counts.arrivals.sum() == answered_or_waited  # every post that reached a queue has a team
    assert counts.left_out == len(outcomes) - answered_or_waited > 0  # the skipped spam
    share = counts.arrivals.sum(axis=1) / counts.arrivals.sum()
    assert 0.1 < share[1] < 0.3  # Spanish: a fifth of the posts
    groups = groups_of(sc, 15.0)
    assert [g.name for g in groups] == ["english", "spanish"]
    assert sum(g.share for g in groups) == pytest.approx(0.7)  # spam is nobody's work


def _estimate_at(levels_shape, sl, half):
    from sim.planning.measure import Estimate

    ones = np.ones(levels_shape)
    return Estimate(arrivals=100 * ones, service_level=sl * ones, half_width=half * ones, spread=half * ones,
                    occupancy=np.ones(levels_shape[1]), reps=8, left_out=0.0)


def test_settling_stops_when_the_moves_left_are_what_its_test_flags_by_chance():
    from sim.planning.requirement import _Search

    search = _Search(stationary(None), Target(0.8, 0.5), Settings(interval=30, precision=0.03))
    w = search.window
    assert w == 48  # one day of half hours: 2.5% of 48 estimates is 1.2, so one raise is chance, two are not
    levels = np.full((1, search.grid.count), 13)
    est = _estimate_at(levels.shape, 0.8, 0.01)
    raised = levels.copy()
    est.service_level[0, 3] = 0.78  # short by more than its half-width, less than the precision
    raised[0, 3] += 1
    assert search.moves_within_noise(levels, raised, est)
    est.service_level[0, 9] = 0.78
    raised[0, 9] += 1
    assert not search.moves_within_noise(levels, raised, est)
    # moves down are left when the intervals are over the goal by less than the precision, not when by more
    lowered = levels.copy()
    lowered[0, [20, 30]] -= 1
    est = _estimate_at(levels.shape, 0.8, 0.01)
    est.service_level[0, [20, 30]] = 0.82
    assert search.moves_within_noise(levels, lowered, est)
    est.service_level[0, 20] = 0.84
    assert not search.moves_within_noise(levels, lowered, est)
    # a raise of an interval short by more than the precision is noise only as the one move of the round (1 of 48)
    est = _estimate_at(levels.shape, 0.8, 0.01)
    est.service_level[0, 3] = 0.76
    raised = levels.copy()
    raised[0, 3] += 1
    assert search.moves_within_noise(levels, raised, est)
    raised[0, 30] -= 1
    est.service_level[0, 30] = 0.82
    assert not search.moves_within_noise(levels, raised, est)
