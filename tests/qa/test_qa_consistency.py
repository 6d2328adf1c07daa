"""Consistency findings: injected effects recovered, nothing found under the null, statistics by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qa.api import load_policy
from qa.consistency import consistency_findings, influence_band
from qa.generator import generate
from qa.pipeline import score_messages
from qa.rulebook import ConsistencySettings
from qa.similarity import minhash_signatures, shingles, similarity_groups

BOOK = load_policy()


@pytest.fixture(scope="module")
def scored():
    gen = generate(3000, seed=2024)
    # text checks off: concessions come from qa.concessions, so this measures the consistency analysis itself
    return gen, score_messages(gen.messages, BOOK, checks={})


def test_generous_agents_are_found_with_their_effect_size(scored):
    gen, r = scored
    f = r.consistency
    for eff in gen.effects:
        if eff["dimension"] != "agent_id":
            continue
        hit = f[(f["dimension"] == "agent_id") & (f["level"] == eff["level"]) & (f["issue"] == eff["issue"])
                & (f["outcome"] == "concession")]
        assert len(hit) == 1, eff
        row = hit.iloc[0]
        # injected: 0.8 on first replies for the agent vs about 0.1-0.15 for the rest
        assert row["difference"] > 0.3 and row["ci_low"] > 0.1 and row["q_value"] < 0.01
        assert row["ci_low"] <= row["difference"] <= row["ci_high"]


def test_no_findings_when_treatment_is_shuffled_within_issues(scored):
    _, r = scored
    t = r.scores.copy()
    rng = np.random.default_rng(5)
    t["customer_followers"] = t["customer_followers"].astype("float64")
    conc = (t["concessions"] != "").to_numpy().copy()
    for issue, idx in t.groupby("issue").indices.items():
        conc[idx] = rng.permutation(conc[idx])
    t["concession"] = conc
    f = consistency_findings(t[["reply_id", "brand", "issue_category", "channel", "agent_id", "customer_followers",
                                "concession"]], t["issue"], BOOK.consistency)
    assert len(f) <= 1  # BH at 5%: under the null, any finding at all happens in at most ~5% of seeds


def test_statistics_of_one_table_by_hand():
    # one issue, 40 replies: agent x gives 8/10 concessions, the other agent 2/30
    replies = pd.DataFrame({
        "reply_id": [str(i) for i in range(40)], "brand": "B", "issue_category": "delivery", "channel": "twitter",
        "agent_id": ["x"] * 10 + ["y"] * 30, "customer_followers": np.nan,
        "concession": [True] * 8 + [False] * 2 + [True] * 2 + [False] * 28,
    })
    issue = pd.Series(["B|cat:delivery"] * 40)
    f = consistency_findings(replies, issue, ConsistencySettings())
    assert len(f) == 1  # two levels: one test, reported for the level treated better
    row = f.iloc[0]
    assert row["level"] == "x" and (row["k_level"], row["n_level"], row["k_rest"], row["n_rest"]) == (8, 10, 2, 30)
    assert row["difference"] == pytest.approx(0.8 - 2 / 30, abs=1e-4)
    # Fisher: P(X >= 8) for X ~ Hypergeometric(N=40, K=10 successes, n=10 draws), doubled
    tail = sum(math.comb(10, k) * math.comb(30, 10 - k) for k in range(8, 11)) / math.comb(40, 10)
    assert row["p_value"] == pytest.approx(min(1, 2 * tail), rel=1e-6)

    def wilson(k, n, z=1.959964):
        p = k / n
        c = (p + z * z / (2 * n)) / (1 + z * z / n)
        h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return c - h, c + h

    (l1, u1), (l2, u2) = wilson(8, 10), wilson(2, 30)
    d = 0.8 - 2 / 30
    assert row["ci_low"] == pytest.approx(d - math.sqrt((0.8 - l1) ** 2 + (u2 - 2 / 30) ** 2), abs=1e-4)
    assert row["ci_high"] == pytest.approx(d + math.sqrt((u1 - 0.8) ** 2 + (2 / 30 - l2) ** 2), abs=1e-4)


def test_small_groups_are_not_compared():
    replies = pd.DataFrame({"reply_id": list("abcde"), "brand": "B", "issue_category": "x", "channel": "twitter",
                            "agent_id": ["p", "p", "q", "q", "q"], "customer_followers": np.nan,
                            "concession": [True, True, False, False, False]})
    assert consistency_findings(replies, pd.Series(["B|cat:x"] * 5), ConsistencySettings()).empty


def test_influence_bands():
    b = influence_band(pd.Series([0, 999, 1000, 50_000, 2_000_000, None]), (1000, 10000, 100000))
    assert list(b.fillna("?")) == ["<1k", "<1k", "1k-10k", "10k-100k", ">=100k", "?"]


def test_similarity_groups_near_duplicates_and_respects_blocks():
    docs = ["please send us a dm with your order number and we will check it",
            "please send us a dm with your order number and we will check it today",
            "please send us a dm with your order number and we will check it",
            "the train from leeds was cancelled again this morning",
            "my card was charged twice for one coffee"]
    sig = minhash_signatures([shingles(d) for d in docs])
    g = similarity_groups(sig, 0.7)
    assert g[0] == g[1] == g[2] and len({g[0], g[3], g[4]}) == 3
    g2 = similarity_groups(sig, 0.7, blocks=["A", "A", "B", "A", "A"])
    assert g2[0] == g2[1] != g2[2]


def test_similarity_scales_without_pairwise_work():
    rng = np.random.default_rng(1)
    vocab = [f"w{i}" for i in range(5000)]
    docs = [set(rng.choice(vocab, 12)) for _ in range(30_000)]
    g = similarity_groups(minhash_signatures(docs), 0.8)
    assert len(np.unique(g)) > 29_000  # random texts stay apart
