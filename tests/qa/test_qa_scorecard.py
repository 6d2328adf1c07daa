"""The rubric by hand: points per criterion, grades, critical criteria, the pass mark, the explanation's sum;
aggregates."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from qa.rulebook import Rulebook
from qa.scorecard import aggregate, grade_shares, score_replies

BOOK = Rulebook.model_validate({
    "languages": ("en",), "first_response_target_minutes": 60.0,
    "scorecard": {"pass_mark": 80, "criteria": {
        "deflection": {"weight": 30, "critical": True},
        "language_mismatch": {"weight": 20},
        "late_response": {"weight": 30, "grades": {0: 0.2, 60: 0.4, 240: 0.7, 1440: 1.0}},
        "precedent_risk": {"weight": 20, "grades": {0.05: 0.25, 0.2: 0.5, 0.5: 1.0}},
        "pii_exposed": {"weight": 40},
    }},
})


def _table(**cols):
    base = {"deflection": [None], "late_response": [None], "minutes_late": [np.nan], "language_mismatch": [None],
            "pii_exposed": [None], "policy_status": [""], "precedent_risk": [0.0]}
    base.update(cols)
    n = max(len(v) for v in base.values())
    return pd.DataFrame({k: (v * n if len(v) == 1 else v) for k, v in base.items()})


def test_points_are_lost_per_failed_criterion_and_undetermined_costs_nothing():
    t = _table(deflection=[False, False, False], language_mismatch=[True, None, True],
               pii_exposed=[False, False, True])
    s = score_replies(t, BOOK)
    assert list(s["score"]) == [80.0, 100.0, 40.0]  # 100-20; nothing judged lost; 100-20-40
    assert list(s["passed"]) == [True, True, False]  # 80 is the pass mark itself
    assert set(s.loc[2, "failed_criteria"].split(";")) == {"pii_exposed", "language_mismatch"}


def test_lateness_is_graded_by_minutes_past_the_target():
    # 1 minute late (61 after the post), 2 hours late, 3 days late
    t = _table(late_response=[True, True, True], minutes_late=[1.0, 120.0, 3 * 1440.0 - 60])
    s = score_replies(t, BOOK)
    assert list(s["score"]) == [100 - 30 * 0.2, 100 - 30 * 0.4, 100 - 30 * 1.0]
    assert "1 min late" in s.loc[0, "score_explained"] and "71.0 h late" in s.loc[2, "score_explained"]


def test_precedent_risk_is_graded_by_its_value():
    s = score_replies(_table(precedent_risk=[0.01, 0.06, 0.3, 0.85]), BOOK)
    assert list(s["score"]) == [100.0, 95.0, 90.0, 80.0]
    assert "precedent risk (risk 0.85)" in s.loc[3, "score_explained"]


def test_a_critical_failure_fails_the_reply_on_its_own_and_says_why():
    s = score_replies(_table(deflection=[True], late_response=[True], minutes_late=[30.0]), BOOK)
    row = s.iloc[0]
    assert row["score"] == 0 and not row["passed"] and row["auto_fail"]
    assert row["auto_fail_reasons"] == "deflection" and row["score_without_critical"] == 100 - 30 - 6
    assert row["score_explained"] == "100 - 30 deflection - 6 late response (30 min late) = 64; " \
                                     "critical: deflection -> 0; fail"


def test_the_explanation_is_a_sum_a_person_can_check():
    rng = np.random.default_rng(1)
    n = 200
    t = _table(deflection=list(rng.random(n) < 0.1), language_mismatch=list(rng.random(n) < 0.3),
               pii_exposed=list(rng.random(n) < 0.2), late_response=list(rng.random(n) < 0.4),
               minutes_late=list(rng.uniform(0.5, 3000, n)), precedent_risk=list(rng.uniform(0, 1, n)))
    s = score_replies(t, BOOK)
    for raw, text, score, crit in zip(s["score_without_critical"], s["score_explained"], s["score"], s["auto_fail"]):
        head = text.split(";")[0].split("=")[0]
        terms = [float(x) for x in re.findall(r" - ([\d.]+) ", head)]
        assert max(0.0, 100 - sum(terms)) == pytest.approx(raw, abs=0.051)
        assert score == (0 if crit else raw)
        assert text.endswith("pass") == (not crit and raw >= 80)


def test_grade_shares_take_the_highest_grade_reached():
    got = grade_shares(np.array([-1, 0, 59.9, 60, 1e9, np.nan]), {0: 0.2, 60: 0.4, 1440: 1.0})
    assert list(got) == [0.0, 0.2, 0.2, 0.4, 1.0, 0.0]


def test_the_short_form_of_earlier_rulebooks_still_reads():
    book = Rulebook.model_validate({"languages": ["en"], "first_response_target_minutes": 60, "scorecard": {
        "weights": {"deflection": 30, "pii_exposed": 10}, "auto_fail": ["pii_exposed"]}})
    assert book.scorecard.criteria["pii_exposed"].critical and book.scorecard.criteria["deflection"].weight == 30
    s = score_replies(_table(pii_exposed=[True], deflection=[False]), book)
    assert s.loc[0, "score"] == 0 and s.loc[0, "auto_fail_reasons"] == "pii_exposed"


def test_aggregates_per_agent():
    scores = pd.DataFrame({"agent_id": ["a", "a", "b"], "score": [50.0, 100.0, 80.0], "auto_fail": [True, False, False],
                           "passed": [False, True, True],
                           "deflection": pd.array([True, None, False], dtype="boolean"),
                           "policy_status": ["off_policy", "", ""], "precedent_risk": [0.6, 0.0, 0.1]})
    agg = aggregate(scores, "agent_id").set_index("agent_id")
    assert agg.loc["a", "replies"] == 2 and agg.loc["a", "mean_score"] == 75.0
    assert agg.loc["a", "auto_fail_rate"] == 0.5 and agg.loc["a", "off_policy"] == 1
    assert agg.loc["a", "pass_rate"] == 0.5 and agg.loc["b", "pass_rate"] == 1.0
    assert agg.loc["a", "deflection_rate"] == 1.0  # the undetermined reply is not counted
    assert agg.loc["b", "deflection_rate"] == 0.0
    assert list(agg.index) == ["a", "b"]  # lowest mean score first
    assert agg.loc["a", "max_precedent_risk"] == pytest.approx(0.6)


def test_weights_outside_their_range_are_refused_and_the_largest_allowed_stay_finite():
    """Points are bounded to 0-100 per criterion (an astronomically large weight once overflowed the sum and left
    a failing reply at 100); at the top of the range, failing everything scores 0, never NaN."""
    from pydantic import ValidationError

    for bad in (1e308, float("inf"), float("nan"), -1.0, 100.5):
        with pytest.raises(ValidationError):
            Rulebook.model_validate({"languages": ("en",), "first_response_target_minutes": 60.0,
                                     "scorecard": {"criteria": {"deflection": {"weight": bad}}}})
    top = Rulebook.model_validate({
        "languages": ("en",), "first_response_target_minutes": 60.0,
        "scorecard": {"pass_mark": 0, "criteria": {
            "deflection": {"weight": 100}, "language_mismatch": {"weight": 100}, "pii_exposed": {"weight": 100},
            "late_response": {"weight": 100, "grades": {0: 1.0}},
            "precedent_risk": {"weight": 100, "grades": {0: 1.0}}}},
    })
    s = score_replies(_table(deflection=[True], language_mismatch=[True], pii_exposed=[True], late_response=[True],
                             minutes_late=[1e300], precedent_risk=[1.0]), top)
    assert s.loc[0, "score"] == 0.0 and np.isfinite(s["score_without_critical"]).all()
    assert s.loc[0, "score_explained"].startswith("100 - 100 deflection") and "never below 0" in \
        s.loc[0, "score_explained"]
