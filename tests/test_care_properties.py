"""Invariants of the full care model (Hypothesis).

1. The engine with no optional parts is the validated core: the care model's parts with every feature off
   (``care_parts=True``) reproduce the queueing core's parts exactly, mention by mention: the same streams, the same
   order of events. So the Erlang C/A validation carries over to them.
2. Conservation with every feature on: each post (first posts, repeats, escalations, further posts) ends
   answered, abandoned, skipped by triage, unseen by listening, or open at the end; waits are never negative.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import make_scenario
from sim.engine import simulate_replication
from test_properties import common, dists, scenario

rosters = st.one_of(
    st.none(),
    st.builds(
        lambda a, b, c: [
            {"name": "day", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "06:00",
             "end": "18:00", "agents": a, "concurrency": c},
            {"name": "night", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "18:00",
             "end": "06:00", "agents": b},
        ],
        st.integers(1, 6), st.integers(0, 4), st.integers(1, 3),
    ),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patience=st.one_of(st.none(), dists), concurrency=st.integers(1, 3), roster=rosters, **common)
def test_engine_with_no_optional_parts_is_the_validated_core(patience, concurrency, roster, **kw):
    sc = scenario(patience=patience, concurrency=concurrency, **kw)
    if roster is not None:
        sc = sc.model_copy(update={"staffing": sc.staffing.model_copy(update={"agents": None, "roster": None})})
        sc = make_scenario(**{**sc.model_dump(), "staffing": {"roster": roster, "concurrency": concurrency}})
    core, full = [], []
    a = simulate_replication(sc, on_outcome=core.append)
    b = simulate_replication(sc, on_outcome=full.append, care_parts=True)
    assert b.care is not None and a.care is None
    assert [(o.id, o.answered) for o in core] == [(o.id, o.answered) for o in full]
    for x, y in zip(core, full):
        assert abs(x.wait_minutes - y.wait_minutes) < 1e-9
    for k in ("arrivals", "answered", "abandoned", "sla_hits", "waited"):
        assert getattr(a.totals, k) == getattr(b.totals, k), k
    assert abs(a.totals.busy_slot_minutes - b.totals.busy_slot_minutes) < 1e-6 * (1 + a.totals.busy_slot_minutes)


def full_scenario(seed, rate, agents, order, reply, impatience, excite, public_fix, horizon, shrink):
    return make_scenario(
        seed=seed,
        horizon_days=horizon,
        warmup_days=0.1,
        max_drain_days=0.5,
        volume={"mentions_per_hour": rate, "self_excitation": {"branching_ratio": 0.4, "memory_minutes": 20,
                                                                "excite": excite},
                "incidents": [{"name": "outage", "start_day": 0.05, "jump_per_hour": 3 * rate,
                               "decay_minutes": 60, "fix_after_minutes": 30}]},
        handling={"handle_minutes": {"dist": "exponential", "mean": 4}},
        channels=[{"name": "public_post", "share": 0.6}, {"name": "private_message", "share": 0.4}],
        intents=[{"name": "question", "share": 0.4}, {"name": "complaint", "share": 0.4},
                 {"name": "vent", "share": 0.2, "reply_need": 0.3}],
        languages=[{"name": "en", "share": 0.7}, {"name": "fr", "share": 0.3}],
        listening={"tagged_share": 0.6, "coverage": 0.5,
                   "discovery_delay_minutes": {"dist": "exponential", "mean": 20}},
        customers={"patience_minutes": {"dist": "exponential", "mean": 30}, "on_impatience": impatience,
                   "extra_posts_mean": 0.5, "also_phone": 0.2, "followers": {"minimum": 10, "alpha": 1.2}},
        staffing={"teams": [{"name": "en", "agents": agents, "languages": ["en"],
                             "concurrency": {"private_message": 2}},
                            {"name": "fr", "agents": 1, "languages": ["fr"], "training": 0.3}],
                  "shrinkage": shrink},
        policy={"order": order, "reply": reply, "public_fix": public_fix,
                "resolution": {"in_thread": 1, "dm": 1, "phone": 1, "escalate": 1},
                "compensation": {"within_rate": 0.3, "beyond_rate": 0.05, "influence_slope": 1,
                                 "pressure_slope": 0.2}},
        phone={"contacts_per_hour": 20}, migration={"weekly_rate": 1}, costs={},
    )


impatience = st.one_of(
    st.sampled_from(["withdraw", "repeat", "escalate", "phone"]),
    st.fixed_dictionaries({"withdraw": st.floats(0, 1), "repeat": st.floats(0, 1), "escalate": st.floats(0.01, 1),
                           "phone": st.floats(0, 1)}),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), rate=st.floats(5, 120), agents=st.integers(1, 10),
       order=st.sampled_from(["fifo", "longest_wait", "deadline", "influence"]),
       reply=st.sampled_from(["all", "triage"]), impatience=impatience,
       excite=st.sampled_from(["all", "unanswered"]), public_fix=st.booleans(), horizon=st.floats(0.05, 0.4),
       shrink=st.floats(0, 0.5))
def test_every_post_is_accounted_for(**kw):
    outcomes, messages = [], []
    r = simulate_replication(full_scenario(**kw), on_outcome=outcomes.append, on_message=messages.append)
    tot, care = r.totals, r.care
    ends = tot.answered + tot.abandoned + care["skipped"] + care["unseen"] + care["open_at_end"]
    assert care["open_at_end"] >= 0
    assert ends == tot.arrivals
    assert tot.arrivals == care["first_posts"] + care["repeats"] + care["escalations"] + care["extra_posts"]
    assert tot.answered >= care["answered_by_fix"]
    assert len(outcomes) == tot.answered + tot.abandoned + care["skipped"] + care["unseen"]
    assert all(o.wait_minutes >= 0 for o in outcomes)
    assert care["comp_beyond"] == care["precedents_public"] + care["precedents_private"]
    assert care["triggered"] <= care["first_posts"]
    assert sum(m.role == "customer" for m in messages) == tot.arrivals
    assert sum(m.role == "brand" for m in messages) <= tot.answered
    if not kw["public_fix"]:
        assert care["answered_by_fix"] == 0
    if kw["reply"] == "all":
        assert care["skipped"] == 0
    assert int(r.hours["arrivals"].sum()) == tot.arrivals
