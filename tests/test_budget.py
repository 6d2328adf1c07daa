"""The work estimate (sim/budget.py) against independent truth: Poisson and Hawkes means, the drain law of an
overloaded desk; and the refusals it drives in the CLI. Intervals are 99.9% ones (|z| < 3.29)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from carebench.cli import main
from helpers import make_scenario
from sim.budget import CEILING_SLACK, estimate_work, new_posts, refusal
from sim.results import run

Z999 = 3.29


def test_organic_volume_is_the_exact_integral_of_the_profiles_over_any_span():
    """A partial week starting mid-day with both profiles: simulated arrivals over 30 replications match the
    estimate as a Poisson total (the estimate integrates the hour-of-week rate exactly)."""
    hourly = [0.2] * 7 + [1.5] * 10 + [0.8] * 7
    weekly = [1.3, 1.1, 1.0, 1.0, 0.9, 0.4, 0.3]
    sc = make_scenario(horizon_days=2.3, warmup_days=0.4, replications=30,
                       volume={"mentions_per_hour": 50.0, "hourly_profile": hourly, "weekly_profile": weekly},
                       staffing={"agents": 5})
    expected = new_posts(sc, 0.0, sc.horizon_minutes)
    flat = 50.0 * 2.3 * 24  # what a weekly mean would say: the profile makes the span differ from it
    assert abs(expected - flat) > 0.05 * flat
    total = run(sc, reps=30, seed=3).summary["arrivals"].sum()
    z = (total - 30 * expected) / math.sqrt(30 * expected)
    assert abs(z) < Z999, (total, 30 * expected)


@pytest.mark.slow
def test_hawkes_cascades_and_incidents_follow_the_branching_mean():
    """Self-excitation (every post excites) and an incident: window posts of a stationary Hawkes process are
    (immigrants) / (1 - ratio), with variance (immigrants) / (1 - ratio)^3 per replication."""
    ratio = 0.5
    sc = make_scenario(horizon_days=1.0, warmup_days=2.0, replications=30,
                       volume={"mentions_per_hour": 20.0,
                               "self_excitation": {"branching_ratio": ratio, "memory_minutes": 30, "excite": "all"},
                               "incidents": [{"name": "outage", "start_day": 0.3, "jump_per_hour": 120,
                                              "decay_minutes": 60}]},
                       staffing={"agents": 20})
    expected = new_posts(sc, 0.0, sc.horizon_minutes)
    immigrants = 20.0 * 24 + 120 / 60 * 60
    assert expected == pytest.approx(immigrants / (1 - ratio))
    total = run(sc, reps=30, seed=5).summary["arrivals"].sum()
    z = (total - 30 * expected) / math.sqrt(30 * immigrants / (1 - ratio) ** 3)
    assert abs(z) < Z999, (total, 30 * expected)


def test_overloaded_desk_with_patience_drains_as_its_customers_give_up():
    """One agent who takes the first post and is busy for ever after: the run goes on after the window until the
    last customer of the window gives up. With exponential patience m and Poisson arrivals (rate l, window T) that
    drain D is Gumbel: P(D <= d) = exp(-l m (1 - exp(-T/m)) exp(-d/m)). The replications' drains follow that
    law, and the estimate's drain lies between its median and its 99.9% quantile (it errs on the side of more
    work). (With an agent answering, FIFO would serve the most patient customers first and shorten the drain.)"""
    lam, m, horizon = 10.0, 60.0, 144.0  # per minute, minutes, minutes
    sc = make_scenario(horizon_days=horizon / 1440, warmup_days=0.0, replications=20,
                       volume={"mentions_per_hour": lam * 60},
                       handling={"handle_minutes": {"dist": "deterministic", "value": 1e6}},
                       customers={"patience_minutes": {"dist": "exponential", "mean": m}}, staffing={"agents": 1})
    ends: dict[int, float] = {}

    def on_outcome(rep, o):
        ends[rep] = max(ends.get(rep, 0.0), o.arrival_minute + o.wait_minutes)

    run(sc, reps=20, seed=8, on_outcome=on_outcome)
    drains = np.array([ends[r] - horizon for r in range(20)])
    scale = lam * m * (1 - math.exp(-horizon / m))
    law = stats.gumbel_r(loc=m * math.log(scale), scale=m)  # P(D <= d) = exp(-scale e^{-d/m})
    assert stats.kstest(drains, law.cdf).pvalue > 0.001
    est = estimate_work(sc, 1)
    assert est.overloaded
    drain = (est.span_days - sc.horizon_days) * 1440
    assert law.median() <= drain <= law.ppf(0.999), (law.median(), drain, law.ppf(0.999))


def test_without_patience_an_overloaded_desk_runs_the_whole_drain_period():
    sc = make_scenario(horizon_days=1.0, max_drain_days=30.0, volume={"mentions_per_hour": 600.0},
                       handling={"handle_minutes": {"dist": "exponential", "mean": 10.0}}, staffing={"agents": 1})
    est = estimate_work(sc, 2)
    assert est.overloaded and est.span_days == pytest.approx(31.0)
    assert est.new_posts == pytest.approx(2 * 600 * 31 * 24)
    stable = estimate_work(make_scenario(horizon_days=1.0, volume={"mentions_per_hour": 6.0},
                                         handling={"handle_minutes": {"dist": "exponential", "mean": 10.0}},
                                         staffing={"agents": 5}), 2)
    assert not stable.overloaded and stable.span_days == pytest.approx(1.0)


def test_refusals_say_how_much_and_how_to_go_on():
    sc = make_scenario(horizon_days=365.0, volume={"mentions_per_hour": 10_000.0}, staffing={"agents": 500})
    why = refusal(estimate_work(sc, 5), max_mentions=30e6)
    assert why and "438.0 million posts" in why and "--max-mentions 440000000" in why and "\n" not in why
    assert refusal(estimate_work(sc, 5), max_mentions=5e8) is None
    bomb = make_scenario(customers={"patience_minutes": {"dist": "exponential", "mean": 1.0},
                                    "on_impatience": "escalate", "max_repeats": 100,
                                    "escalation_extra_mentions": 100.0}, horizon_days=10.0)
    est = estimate_work(bomb, 1)
    assert est.at_most == pytest.approx(est.new_posts * (1 + 100 * 101))
    assert "could make it up to" in refusal(est, max_mentions=est.new_posts * 2)
    assert refusal(est, max_mentions=est.at_most / CEILING_SLACK) is None


def test_cli_refuses_before_running_and_the_flag_raises_the_limit(tmp_path, capsys):
    args = ["simulate", "scenarios/erlang-check.yaml", "--no-plots", "--set", "horizon_days=0.05"]
    assert main([*args, "--out", str(tmp_path / "a"), "--max-mentions", "100"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("carebench: scenarios/erlang-check.yaml: the run would simulate about") and "\n" not in err
    assert not (tmp_path / "a").exists()
    assert main([*args, "--out", str(tmp_path / "b"), "--max-mentions", "1e6"]) == 0
