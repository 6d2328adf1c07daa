"""The staffing formulas against exact references: Erlang C and Erlang A measures of every case of the reference
table to 1e-9, and the smallest staffing meeting a goal (tests/data/erlang_staffing_reference.csv)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.planning.erlang import QueueModel, erlang_a, erlang_c_service_level, erlang_c_wait_probability, smallest

from helpers import DATA

REFERENCE = pd.read_csv(DATA / "erlang_reference.csv", comment="#").set_index("case_id")
STAFFING = pd.read_csv(DATA / "erlang_staffing_reference.csv", comment="#").set_index("case_id")


def model_of(case) -> QueueModel:
    patience = None if case.model == "erlang_c" else float(case.mean_patience_minutes)
    return QueueModel(handle=float(case.mean_handle_minutes), target=float(case.sla_target_minutes), patience=patience)


@pytest.mark.parametrize("case_id", list(REFERENCE.index))
def test_measures_match_the_reference(case_id):
    c = REFERENCE.loc[case_id]
    n, load = int(c.agents), float(c.offered_load_erlangs)
    if c.model == "erlang_c":
        assert erlang_c_wait_probability(n, load) == pytest.approx(c.p_wait, abs=1e-9)
        sl = erlang_c_service_level(n, load, c.mean_handle_minutes, c.sla_target_minutes)
    else:
        r = erlang_a(n, load, c.mean_handle_minutes, c.mean_patience_minutes, c.sla_target_minutes)
        assert r.p_wait == pytest.approx(c.p_wait, abs=1e-9)
        assert r.p_abandon == pytest.approx(c.p_abandon, abs=1e-9)
        sl = r.service_level
    assert sl == pytest.approx(c.service_level, abs=1e-9)
    assert model_of(c).service_level(load, n) == pytest.approx(c.service_level, abs=1e-9)


@pytest.mark.parametrize("case_id", list(STAFFING.index))
def test_smallest_staffing_meeting_the_goal(case_id):
    c = STAFFING.loc[case_id]
    m = model_of(c)
    load = float(c.arrivals_per_minute * c.mean_handle_minutes)
    n = int(c.agents)
    assert c.published_service_level >= c.goal  # the published value meets the goal at n ...
    assert m.service_level(load, n - 1) < c.goal  # ... and by the formulas one agent fewer does not
    assert m.agents_for(load, float(c.goal)) == n
    for hint in (0, n - 1, n, n + 7, 5 * n + 3):  # wherever the search starts
        assert m.agents_for(load, float(c.goal), hint=hint) == n


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    c = REFERENCE.loc["V02"]
    exact = erlang_c_service_level(12, 10.0, 1.0, 0.5)
    assert erlang_a(12, 10.0, 1.0, 1e7, 0.5).service_level == pytest.approx(exact, abs=1e-5)
    assert exact == pytest.approx(c.service_level, abs=1e-9)


def test_service_level_is_monotone_and_load_for_inverts_it():
    for patience in (None, 5.0, 240.0):
        m = QueueModel(handle=6.0, target=60.0 if patience != 5.0 else 1.0, patience=patience)
        levels = [m.service_level(150.0, n) for n in range(100, 220, 7)]
        assert all(b >= a - 1e-12 for a, b in zip(levels, levels[1:]))
        loads = [m.service_level(x, 160) for x in (20.0, 100.0, 150.0, 159.0)]
        assert all(b <= a + 1e-12 for a, b in zip(loads, loads[1:]))
        for sl in (0.3, 0.8, 0.95):
            x = m.load_for(160, sl)
            assert m.service_level(x, 160) == pytest.approx(sl, abs=1e-6)


def test_heavy_overload_stays_finite():
    r = erlang_a(300, 1200.0, 6.0, 240.0, 60.0)
    assert 0.0 <= r.service_level < 0.3 and math.isfinite(r.p_abandon) and 0.7 < r.p_abandon < 1


def test_concurrency_and_shrinkage_make_servers():
    m = QueueModel(handle=6.0, target=1.0, concurrency=3, shrinkage=0.15)
    assert [m.servers(a) for a in (0, 1, 2, 10)] == [0, 2, 5, 25]  # floor(a x 3 x 0.85)
    assert m.service_level(10.0, 1) == 0.0  # two servers cannot carry ten Erlangs without patience


@pytest.mark.parametrize("target,floor,cap,hint", [(0, 0, None, None), (37, 0, None, 3), (37, 40, None, 0),
                                                    (37, 0, 20, 50), (1000, 2, None, 999), (5, 5, 5, 9)])
def test_smallest_finds_the_threshold(target, floor, cap, hint):
    calls = []

    def ok(m):
        calls.append(m)
        return m >= target

    expected = max(target, floor) if cap is None else min(max(target, floor), cap)
    assert smallest(ok, floor, cap, hint) == expected
    assert len(calls) <= 4 + 2 * math.log2(abs((hint or 0) - target) + 2)
