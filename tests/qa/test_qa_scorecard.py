"""Scorecard arithmetic by hand: weights, undetermined criteria, auto-fail; aggregates."""

from __future__ import annotations

import pandas as pd
import pytest

from qa.rulebook import Rulebook
from qa.scorecard import aggregate, score_replies

BOOK = Rulebook.model_validate({
    "languages": ("en",), "first_response_target_minutes": 60.0,
    "scorecard": {"weights": {"deflection": 30.0, "late_response": 10.0, "language_mismatch": 20.0,
                              "pii_exposed": 40.0},
                  "auto_fail": ("pii_exposed",)},
})


def _table(**cols):
    base = {"deflection": [None], "late_response": [None], "language_mismatch": [None], "pii_exposed": [None],
            "policy_status": [""], "precedent_risk": [0.0]}
    base.update(cols)
    n = max(len(v) for v in base.values())
    return pd.DataFrame({k: (v * n if len(v) == 1 else v) for k, v in base.items()})


def test_weighted_score_over_judged_criteria():
    t = _table(deflection=[True, False, True], late_response=[False, False, True],
               language_mismatch=[None, False, None], pii_exposed=[False, False, False])
    s = score_replies(t, BOOK)
    # row 0: judged 30+10+40=80, lost 30 -> 62.5; row 1: nothing lost -> 100; row 2: lost 40 of 80 -> 50
    assert list(s["score"]) == [62.5, 100.0, 50.0]
    assert s.loc[0, "failed_criteria"] == "deflection"
    assert set(s.loc[2, "failed_criteria"].split(";")) == {"deflection", "late_response"}


def test_auto_fail_sets_zero_and_says_why():
    s = score_replies(_table(deflection=[False], pii_exposed=[True]), BOOK)
    assert s.loc[0, "score"] == 0 and bool(s.loc[0, "auto_fail"])
    assert s.loc[0, "auto_fail_reasons"] == "pii_exposed"


def test_nothing_judged_is_not_a_failure():
    s = score_replies(_table(), BOOK)
    assert s.loc[0, "score"] == 100 and not s.loc[0, "auto_fail"]


def test_aggregates_per_agent():
    scores = pd.DataFrame({"agent_id": ["a", "a", "b"], "score": [50.0, 100.0, 80.0], "auto_fail": [True, False, False],
                           "deflection": pd.array([True, None, False], dtype="boolean"),
                           "policy_status": ["off_policy", "", ""], "precedent_risk": [0.6, 0.0, 0.1]})
    agg = aggregate(scores, "agent_id").set_index("agent_id")
    assert agg.loc["a", "replies"] == 2 and agg.loc["a", "mean_score"] == 75.0
    assert agg.loc["a", "auto_fail_rate"] == 0.5 and agg.loc["a", "off_policy"] == 1
    assert agg.loc["a", "deflection_rate"] == 1.0  # the undetermined reply is not counted
    assert agg.loc["b", "deflection_rate"] == 0.0
    assert list(agg.index) == ["a", "b"]  # lowest mean score first
    assert agg.loc["a", "max_precedent_risk"] == pytest.approx(0.6)
