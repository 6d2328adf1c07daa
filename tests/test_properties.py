"""Invariants of the simulator under random scenarios (Hypothesis): nothing lost, no negative waits,
and with common random numbers one more agent never lowers the service level (FIFO, no abandonment)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import make_scenario
from sim.engine import simulate_replication

dists = st.one_of(
    st.builds(lambda m: {"dist": "exponential", "mean": m}, st.floats(0.2, 10)),
    st.builds(lambda m, s: {"dist": "lognormal", "mean": m, "sd": s}, st.floats(0.2, 10), st.floats(0.1, 10)),
    st.builds(lambda m, k: {"dist": "gamma", "mean": m, "shape": k}, st.floats(0.2, 10), st.floats(0.3, 5)),
    st.builds(lambda v: {"dist": "deterministic", "value": v}, st.floats(0.0, 10)),
)
profiles = st.one_of(st.none(), st.lists(st.floats(0.0, 3.0), min_size=24, max_size=24).filter(lambda p: sum(p) > 0))
common = dict(
    rate=st.floats(1, 300),
    agents=st.integers(1, 12),
    handle=dists,
    hourly=profiles,
    horizon=st.floats(0.05, 0.6),
    warmup=st.floats(0, 0.2),
    seed=st.integers(0, 2**32 - 1),
)


def scenario(rate, agents, handle, hourly, horizon, warmup, seed, patience=None, concurrency=1):
    return make_scenario(
        seed=seed,
        horizon_days=horizon,
        warmup_days=warmup,
        volume={"mentions_per_hour": rate, "hourly_profile": hourly},
        handling={"handle_minutes": handle},
        customers={"patience_minutes": patience},
        staffing={"agents": agents, "concurrency": concurrency},
        max_drain_days=0.5,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patience=st.one_of(st.none(), dists), concurrency=st.integers(1, 3), **common)
def test_every_arrival_is_answered_abandoned_or_open_and_waits_are_not_negative(patience, concurrency, **kw):
    outcomes = []
    result = simulate_replication(scenario(patience=patience, concurrency=concurrency, **kw),
                                  on_outcome=outcomes.append)
    tot = result.totals
    assert tot.answered + tot.abandoned + tot.open_at_end == tot.arrivals
    assert tot.open_at_end >= 0
    assert len(outcomes) == tot.answered + tot.abandoned
    assert sum(o.answered for o in outcomes) == tot.answered
    assert all(o.wait_minutes >= 0 for o in outcomes)
    assert all(0 <= o.arrival_minute < kw["horizon"] * 1440 for o in outcomes)
    assert int(result.hours["arrivals"].sum()) == tot.arrivals
    assert tot.sla_hits <= tot.answered
    if patience is None:
        assert tot.abandoned == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**common)
def test_one_more_agent_never_lowers_service_level(**kw):
    seen_fewer, seen_more = {}, {}
    fewer = simulate_replication(scenario(**kw), on_outcome=lambda o: seen_fewer.__setitem__(o.id, o)).totals
    more = simulate_replication(scenario(**{**kw, "agents": kw["agents"] + 1}),
                                on_outcome=lambda o: seen_more.__setitem__(o.id, o)).totals
    assert more.arrivals == fewer.arrivals  # common random numbers: the same mentions
    assert more.sla_hits >= fewer.sla_hits
    # mention by mention: whoever was answered with fewer agents is answered no later with more
    for mention_id, o in seen_fewer.items():
        assert mention_id in seen_more
        assert seen_more[mention_id].wait_minutes <= o.wait_minutes + 1e-9
