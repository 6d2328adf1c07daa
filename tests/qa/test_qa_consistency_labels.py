"""Consistency findings a QA lead can act on on a small audit: strong (survive the correction over every
comparison) and suggestive (significant only within their own brand and issue), with counts in words."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qa.consistency import consistency_findings
from qa.rulebook import ConsistencySettings

S = ConsistencySettings()


def _null_issues(rng: np.random.Generator, families: int) -> pd.DataFrame:
    """Issues where nobody is treated differently: concessions independent of agent, channel and audience."""
    rows = []
    for f in range(families):
        brand, issue = f"B{f % 3}", f"i{f}"
        for j in range(int(rng.integers(12, 21))):
            rows.append({"reply_id": f"{f}-{j}", "brand": brand, "issue_category": issue,
                         "channel": ["twitter", "facebook"][int(rng.integers(2))],
                         "agent_id": f"{brand}/a{int(rng.integers(3))}",
                         "customer_followers": float(rng.lognormal(6, 2)),
                         "concession": bool(rng.random() < 0.3)})
    return pd.DataFrame(rows)


def _planted(n_vip: int, n_rest: int) -> pd.DataFrame:
    """One brand and issue: every influencer got 20% off for a late delivery, nobody else did."""
    rows = [{"reply_id": f"v{j}", "brand": "B0", "issue_category": "late-delivery", "channel": "twitter",
             "agent_id": f"B0/a{j % 2}", "customer_followers": 250_000.0, "concession": True} for j in range(n_vip)]
    rows += [{"reply_id": f"o{j}", "brand": "B0", "issue_category": "late-delivery", "channel": "twitter",
              "agent_id": f"B0/a{j % 2}", "customer_followers": 300.0, "concession": False} for j in range(n_rest)]
    return pd.DataFrame(rows)


def _findings(t: pd.DataFrame) -> pd.DataFrame:
    return consistency_findings(t, t["brand"] + "|cat:" + t["issue_category"], S)


def test_four_of_four_vs_none_of_eight_is_suggestive_on_a_large_audit_and_says_so_in_words():
    t = pd.concat([_null_issues(np.random.default_rng(7), 150), _planted(4, 8)], ignore_index=True)
    f = _findings(t)
    hit = f[(f["issue"] == "B0|cat:late-delivery") & (f["dimension"] == "influence") & (f["outcome"] == "concession")]
    assert len(hit) == 1
    row = hit.iloc[0]
    # Fisher by hand: 4 of 4 among the 4 influencers, 0 of 8 others: P = 1 / C(12, 4), doubled
    assert row["p_value"] == pytest.approx(2 / math.comb(12, 4))
    assert row["q_value"] > S.alpha >= row["q_within"]  # lost in the whole file, clear in its own family
    assert row["strength"] == "suggestive" and row["comparisons"] > 100
    assert "4 of 4 replies to customers with >=100k followers gave a concession, against 0 of 8" in row["summary"]
    assert row["summary"].count("suggestive") == 1 and "check before acting" in row["summary"]


def test_the_same_difference_with_more_replies_is_strong():
    t = pd.concat([_null_issues(np.random.default_rng(7), 150), _planted(20, 40)], ignore_index=True)
    f = _findings(t)
    row = f[(f["issue"] == "B0|cat:late-delivery") & (f["dimension"] == "influence")].iloc[0]
    assert row["strength"] == "strong" and row["q_value"] <= S.alpha
    assert "20 of 20" in row["summary"] and "strong: significant after correcting" in row["summary"]


def test_suggestive_findings_under_the_null_stay_rare():
    """With nothing planted, a family shows a suggestive finding at most about alpha of the time (BH within the
    family controls it there); 400 families, the bound is the 99.9% upper limit of Binomial(400, 0.05)."""
    t = _null_issues(np.random.default_rng(11), 400)
    f = _findings(t)
    assert (f["strength"] == "strong").sum() == 0
    families = f.loc[f["strength"] == "suggestive", "issue"].nunique()
    assert families <= 400 * 0.05 + 3.09 * math.sqrt(400 * 0.05 * 0.95)


def test_suggestive_findings_can_be_switched_off():
    t = pd.concat([_null_issues(np.random.default_rng(7), 150), _planted(4, 8)], ignore_index=True)
    off = consistency_findings(t, t["brand"] + "|cat:" + t["issue_category"], S.model_copy(update={"suggestive": False}))
    assert (off["strength"] == "strong").all()
