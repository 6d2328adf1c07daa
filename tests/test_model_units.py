"""Exact behaviour with deterministic inputs, and the statistics of each random input."""

from __future__ import annotations

import math
from itertools import islice

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import DATA, make_scenario, t_interval
from sim.arrivals import PoissonArrivals, weekly_rates
from sim.distributions import Deterministic, Empirical, Exponential, Gamma, Lognormal
from sim.engine import simulate_replication
from sim.random import Streams
from sim.results import run
from sim.staffing import StaffingPlan


# ---- exact traces -----------------------------------------------------------------------------------
def test_single_agent_waits_follow_lindley_recursion():
    """FIFO, one agent, deterministic 2-minute handling: w[k+1] = max(0, w[k] + 2 - gap[k+1])."""
    outcomes = []
    sc = make_scenario(handling={"handle_minutes": {"dist": "deterministic", "value": 2.0}},
                       volume={"mentions_per_hour": 25.0}, staffing={"agents": 1}, horizon_days=0.5)
    simulate_replication(sc, on_outcome=outcomes.append)
    arrivals = [o.arrival_minute for o in sorted(outcomes, key=lambda o: o.id)]
    waits = [o.wait_minutes for o in sorted(outcomes, key=lambda o: o.id)]
    assert len(arrivals) > 100
    expected = [0.0]
    for prev, cur in zip(arrivals, arrivals[1:]):
        expected.append(max(0.0, expected[-1] + 2.0 - (cur - prev)))
    assert waits == pytest.approx(expected, abs=1e-9)


def test_same_seed_same_results_and_replications_differ():
    sc = make_scenario(horizon_days=0.3, customers={"patience_minutes": {"dist": "exponential", "mean": 2.0}})
    a, b = run(sc, reps=3), run(sc, reps=3)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.hours, b.hours)
    assert a.summary["arrivals"].nunique() > 1
    c = run(sc, reps=1, seed=99)
    assert c.summary.loc[0, "arrivals"] != a.summary.loc[0, "arrivals"] or not c.summary.equals(a.summary.head(1))


def test_roster_office_hours_leave_the_weekend_backlog_for_monday():
    """Weekdays 09-17 only, nobody waits-out: weekend mentions are answered from Monday 09:00."""
    roster = [{"name": "day", "weekdays": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00",
               "agents": 4}]
    sc = make_scenario(horizon_days=14, volume={"mentions_per_hour": 6.0},
                       handling={"handle_minutes": {"dist": "exponential", "mean": 5.0}},
                       staffing={"roster": roster}, sla={"target_minutes": 60, "goal": 0.8})
    outcomes = []
    hours = simulate_replication(sc, on_outcome=outcomes.append).hours
    monday_9am = 7 * 1440 + 9 * 60  # second Monday; hour 176 (08:00-09:00) closes then
    waiting = [o.arrival_minute for o in outcomes
               if o.arrival_minute < monday_9am <= o.arrival_minute + o.wait_minutes]
    before = hours[hours.hour == 7 * 24 + 8].iloc[0]
    assert before.agents_on_duty == 0
    assert before.backlog == len(waiting) > 300  # everything since Friday 17:00 waits
    assert before.oldest_open_minutes == pytest.approx(monday_9am - min(waiting))
    assert 60 * 60 < before.oldest_open_minutes <= 64 * 60
    assert hours[hours.hour == 7 * 24 + 10].iloc[0].agents_on_duty == 4
    # four agents, 5-minute handling: about 48 answered an hour against 6 arriving
    assert hours[hours.hour == 7 * 24 + 12].iloc[0].backlog < before.backlog - 4 * 30


def test_agents_finish_the_conversation_in_hand_when_their_shift_ends():
    """A 30-minute conversation started before 17:00 keeps its slot busy after the shift ends."""
    roster = [{"name": "day", "weekdays": ["mon"], "start": "09:00", "end": "17:00", "agents": 1}]
    outcomes = []
    sc = make_scenario(horizon_days=1, volume={"mentions_per_hour": 30.0},
                       handling={"handle_minutes": {"dist": "deterministic", "value": 25.0}},
                       staffing={"roster": roster}, max_drain_days=7)
    hours = simulate_replication(sc, on_outcome=outcomes.append).hours
    answers = sorted(o.arrival_minute + o.wait_minutes for o in outcomes if o.answered)
    # one agent, 25-minute conversations from 09:00: the last starts at 16:55 and ends at 17:20
    assert [t for t in answers if t < 1440] == pytest.approx([540 + 25 * k for k in range(20)])
    h17 = hours[hours.hour == 17].iloc[0]
    assert h17.agents_on_duty == 0
    assert h17.staffed_slots * 60 == pytest.approx(20.0)  # the 20 minutes of overtime count as staffed
    assert h17.occupancy == pytest.approx(1.0)


def test_staffing_plan_levels_and_paid_hours():
    from sim.scenario import Staffing

    roster = Staffing.model_validate({"roster": [
        {"name": "day", "weekdays": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00",
         "agents": 3},
        {"name": "late", "weekdays": ["sun"], "start": "20:00", "end": "04:00", "agents": 2, "concurrency": 3},
    ]})
    plan = StaffingPlan(roster)
    assert plan.level_at(10 * 60).agents == 3  # Monday 10:00
    assert plan.level_at(8 * 60).agents == 0
    assert plan.level_at(6 * 1440 + 21 * 60).slots == 6  # Sunday 21:00
    assert plan.level_at(2 * 60).agents == 2  # Monday 02:00: Sunday's shift runs past midnight
    assert plan.weekly_paid_agent_hours() == 3 * 8 * 5 + 2 * 8
    changes = list(zip(range(6), plan.changes(0.0)))
    assert [c[1][0] for c in changes][:3] == [4 * 60, 9 * 60, 17 * 60]


# ---- random inputs ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dist,mean,var", [
    (Exponential(dist="exponential", mean=3.0), 3.0, 9.0),
    (Lognormal(dist="lognormal", mean=6.0, sd=4.0), 6.0, 16.0),
    (Gamma(dist="gamma", mean=9.0, shape=2.0), 9.0, 40.5),
    (Empirical(dist="empirical", values=[1.0, 2.0, 10.0], weights=[0.5, 0.3, 0.2]), 3.1,
     0.5 * 1 + 0.3 * 4 + 0.2 * 100 - 3.1**2),
])
def test_distribution_means_and_variances(dist, mean, var):
    assert dist.mean == pytest.approx(mean)
    it = dist.stream(Streams(5, 0).rng("x"))
    x = np.array([next(it) for _ in range(200_000)])
    # CLT interval for the mean at 99.9% (the population variance is known)
    assert abs(x.mean() - mean) < stats.norm.ppf(0.9995) * math.sqrt(var / len(x))
    assert x.min() >= 0


def test_deterministic_and_invalid_distributions():
    it = Deterministic(dist="deterministic", value=4.0).stream(np.random.default_rng(0))
    assert {next(it) for _ in range(10)} == {4.0}
    with pytest.raises(ValueError):
        Empirical(dist="empirical", values=[1.0, -1.0])
    with pytest.raises(ValueError):
        Empirical(dist="empirical", values=[1.0, 2.0], weights=[1.0])
    with pytest.raises(ValueError):
        Exponential(dist="exponential", mean=0.0)


def test_weekly_rates_keep_the_mean_over_the_week():
    hourly = list(range(1, 25))
    weekly = [2, 1, 1, 1, 1, 1, 0.5]
    rates = weekly_rates(60.0, hourly, weekly)
    assert rates.mean() == pytest.approx(1.0)
    assert rates[23] / rates[0] == pytest.approx(24.0)
    assert rates[0] / rates[24] == pytest.approx(2.0)


def test_poisson_counts_per_hour_of_week_match_the_profile():
    """Counts in each of the 168 hours over 200 weeks against their Poisson means: chi-square at 99.9%."""
    rates = weekly_rates(30.0, [0.2] * 6 + [1.0] * 12 + [2.0] * 6, [1, 1, 1, 1, 1, 0.5, 0.5])
    weeks = 200
    counts = np.zeros(168)
    for t in PoissonArrivals(rates, Streams(3, 0).rng("arrivals")).times(0.0):
        if t >= weeks * 10080:
            break
        counts[int(t // 60) % 168] += 1
    expected = rates * 60 * weeks
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < stats.chi2.ppf(0.999, df=168)


def _times_looked_up_each_step(rates, units, start):
    """The inversion of PoissonArrivals.times with the hour looked up at every step (no reused segment)."""
    rates = [float(r) for r in rates]
    t = start
    for e in units:
        while True:
            hour = int((t % 10080) // 60) % 168
            seg_end = (t // 60 + 1) * 60
            room = rates[hour] * (seg_end - t)
            if e <= room:
                t += e / rates[hour]
                break
            e -= room
            t = seg_end
        yield t


@pytest.mark.parametrize("start", [-1440.0, -0.5, 10079.25])
def test_poisson_times_are_the_same_floats_as_looking_the_hour_up_each_time(start):
    """The segment reused between arrivals changes no time, not even in the last bit (warm-up, zero-rate hours,
    a week's end)."""
    rates = weekly_rates(90.0, [0.0] * 2 + [1.0] * 20 + [3.0] * 2, [1, 1, 1, 1, 1, 0.5, 0.5])
    ours = PoissonArrivals(rates, Streams(5, 0).rng("arrivals")).times(start)
    units = Streams(5, 0).rng("arrivals").exponential(1.0, 4096 * 12).tolist()
    assert list(islice(ours, len(units))) == list(_times_looked_up_each_step(rates, units, start))


def test_poisson_times_in_the_warm_up_look_the_hour_up_at_a_rounding_edge():
    """Just below -60, t % 10080 rounds up to the next hour's start: the hour found there (not the segment's)
    sets the rate, as looking it up each time does."""
    rates = np.full(168, 1.0)
    rates[167] = 50.0
    just_below = math.nextafter(-60.0, -math.inf)
    units = [just_below + 120.0, 1.0, 1.0]
    fake = type("Units", (), {"exponential": lambda self, scale, n: np.array(units + [1.0] * (n - len(units)))})()
    ours = list(islice(PoissonArrivals(rates, fake).times(-120.0), 3))
    assert ours[0] == just_below and int((just_below % 10080) // 60) == 167  # the segment [-120, -60) is 166
    assert ours == list(_times_looked_up_each_step(rates, units, -120.0))


@pytest.mark.slow
@pytest.mark.parametrize("case_id", ["M01", "M02"])
def test_hourly_profile_into_ample_agents_matches_mt_inf_theory(case_id):
    """M_t/M/inf (Eick, Massey & Whitt): mean busy agents per hour of the day in periodic steady state."""
    ref = pd.read_csv(DATA / "mt_inf_reference.csv", comment="#")
    ref = ref[ref.case_id == case_id].sort_values("hour")
    rates = [float(r) for r in ref.hourly_rates_per_minute.iloc[0].split()]
    h = float(ref.mean_handle_minutes.iloc[0])
    sc = make_scenario(seed=7, horizon_days=40, warmup_days=2,
                       volume={"mentions_per_hour": 60 * float(np.mean(rates)), "hourly_profile": rates},
                       handling={"handle_minutes": {"dist": "exponential", "mean": h}},
                       staffing={"agents": 2000}, sla={"target_minutes": 1, "goal": 0.8})
    result = run(sc, reps=8)
    hours = result.hours
    hours["busy"] = hours["occupancy"] * hours["staffed_slots"]
    per_rep = hours.assign(hod=hours.hour % 24).groupby(["rep", "hod"]).busy.mean().unstack()
    misses = []
    for row in ref.itertuples():
        mean, half = t_interval(per_rep[row.hour], comparisons=24 * 2)
        if abs(mean - row.mean_busy_hour_avg) > half:
            misses.append(f"hour {row.hour}: {mean:.3f} ± {half:.3f} vs {row.mean_busy_hour_avg:.3f}")
    assert not misses, misses


def test_follower_counts_are_the_c_librarys_pow_of_each_uniform_so_every_machine_draws_the_same() -> None:
    """numpy's vectorised power takes an AVX-512 path on some CPUs and differs there in the last bit; each
    follower count is the inverse Pareto transform computed with Python floats (the C library's pow)."""
    from sim.intake import follower_draws
    from sim.scenario import Followers

    spec = Followers(minimum=20.0, alpha=1.1)
    draw = follower_draws(spec, Streams(7, 0))
    uniforms = Streams(7, 0).rng("followers").random(3000).tolist()
    for u in uniforms:
        followers, decile = draw()
        assert followers == 20.0 * (1.0 - u) ** (-1.0 / 1.1)
        assert decile == sum(followers >= spec.quantile(q / 10) for q in range(1, 10))
