"""Consistency findings: injected effects recovered, nothing found under the null, statistics by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qa.api import load_policy
from qa.consistency import (
    DIMENSIONS,
    consistency_findings,
    influence_band,
    mantel_haenszel,
    stratified_comparisons,
)
from qa.generator import generate
from qa.pipeline import score_messages
from qa.rulebook import ConsistencySettings
from qa.similarity import minhash_signatures, shingles, similarity_groups

BOOK = load_policy()


@pytest.fixture(scope="module")
def scored():
    gen = generate(6000, seed=2024)
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
    vocab = np.array([f"w{i}" for i in range(5000)])
    docs = [set(rng.choice(vocab, 12)) for _ in range(30_000)]
    g = similarity_groups(minhash_signatures(docs), 0.8)
    assert len(np.unique(g)) > 29_000  # random texts stay apart


def test_text_groups_deduplicates_but_keeps_the_grouping():
    from qa.similarity import text_groups

    docs = ["please send us a dm with your order number and we will check it",
            "the train from leeds was cancelled again this morning",
            "please send us a dm with your order number and we will check it today",
            "the train from leeds was cancelled again this morning",
            "", "", "👍", "👍",  # no words: never alike, even when identical
            "please send us a dm with your order number and we will check it"]
    blocks = ["A", "A", "A", "B", "A", "A", "A", "A", "A"]
    g = text_groups(docs, 0.7, blocks=blocks)
    assert list(g[[0, 2, 8]]) == [0, 0, 0]  # labels: the smallest index of the group
    assert g[1] == 1 and g[3] == 3  # identical texts of different blocks stay apart
    assert list(g[4:8]) == [4, 5, 6, 7]
    # the same partition as hashing every text
    full = similarity_groups(minhash_signatures([shingles(d) for d in docs]), 0.7, blocks=blocks)
    assert list(g) == list(full)


def test_pooled_comparison_finds_the_planted_influencer_effect_in_every_brand(scored):
    """The generator gives customers with >= 100k followers (5% of threads) a concession on their first reply
    with probability 0.5 instead of 0.1, in every issue. Per brand that is about 100 influencer replies spread
    over 6 issues: too few per issue, plenty pooled. The planted same-issue difference is about 0.35 (first
    replies only, and the generous agent's delivery cases concede anyway); with a standard error near 0.05,
    the estimate falls below min_effect (0.2) for one seed in a thousand and the test fails even rarer."""
    gen, r = scored
    f = r.consistency
    brands = sorted(gen.messages["brand"].unique())
    for brand in brands:
        hit = f[(f["issue"] == f"{brand}|*") & (f["dimension"] == "influence") & (f["level"] == ">=100k")
                & (f["outcome"] == "concession")]
        assert len(hit) == 1, brand
        row = hit.iloc[0]
        assert row["method"] == "cmh" and row["strata"] >= 4 and row["q_value"] < 0.01
        assert 0.05 < row["ci_low"] <= row["difference"] <= row["ci_high"]
        assert row["difference"] < 0.6 and row["odds_ratio"] > 2 and row["or_ci_low"] > 1


def test_pooled_comparison_flags_a_shuffled_null_no_more_often_than_its_level(scored):
    """Concessions shuffled within each issue: no level of any dimension is treated differently any more.
    Over 40 shuffles x every (brand, level) comparison, p < 0.05 happens at most 5% of the time (the corrected
    CMH test is conservative); the bound allows three standard errors of the observed rate."""
    _, r = scored
    t = r.scores
    base = pd.DataFrame({"issue": t["issue"].to_numpy(), "brand": t["brand"].to_numpy(),
                         "reply_id": t["reply_id"].to_numpy()})
    levels = {"channel": t["channel"].to_numpy(), "agent_id": t["agent_id"].to_numpy(),
              "influence": influence_band(t["customer_followers"], BOOK.consistency.influence_bands).to_numpy()}
    conc = (t["concessions"] != "").to_numpy()
    groups = list(t.groupby("issue").indices.values())
    rng = np.random.default_rng(5)
    p = []
    for _ in range(40):
        y = conc.copy()
        for idx in groups:
            y[idx] = rng.permutation(y[idx])
        for dim in DIMENSIONS:
            d = base.assign(level=levels[dim], y=y.astype(int))
            p.extend(stratified_comparisons(d[d["level"].notna()], BOOK.consistency)["p_value"])
    p = np.asarray(p)
    assert len(p) > 40 * 30
    rate = (p < 0.05).mean()
    assert rate <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / len(p)), rate
    assert rate > 0.005  # and the test is not dead: it does reject sometimes


def test_mantel_haenszel_one_stratum_is_the_textbook_two_by_two():
    from scipy.stats import chi2_contingency

    a, n1, c, n0 = 12, 40, 5, 60
    got = mantel_haenszel(np.array([a]), np.array([n1]), np.array([c]), np.array([n0]), np.array([0])).iloc[0]
    b, d = n1 - a, n0 - c
    N = n1 + n0
    assert got["or_mh"] == pytest.approx(a * d / (b * c))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)  # Woolf
    assert got["or_low"] == pytest.approx(math.exp(math.log(a * d / (b * c)) - 1.959964 * se))
    assert got["rd"] == pytest.approx(a / n1 - c / n0)
    yates = chi2_contingency([[a, b], [c, d]], correction=True)[0]
    assert got["chi2"] == pytest.approx(yates * (N - 1) / N)  # CMH uses the hypergeometric variance


def _sparse_strata(rng, sims, strata, p0, p1):
    n1 = rng.integers(1, 5, (sims, strata))
    n0 = rng.integers(1, 5, (sims, strata))
    a, c = rng.binomial(n1, p1), rng.binomial(n0, p0)
    g = np.repeat(np.arange(sims), strata)
    return mantel_haenszel(a.ravel(), n1.ravel(), c.ravel(), n0.ravel(), g)


def test_mantel_haenszel_intervals_cover_a_common_effect_in_many_sparse_strata():
    """400 simulated data sets of 150 strata with 2-8 replies each: the 95% intervals cover the common
    risk difference (and, separately, odds ratio) in 95% +- 3 standard errors of the simulations."""
    rng = np.random.default_rng(3)
    sims, strata = 400, 150
    p0 = rng.uniform(0.1, 0.6, (sims, strata))
    got = _sparse_strata(rng, sims, strata, p0, p0 + 0.2)
    cover = ((got["rd_low"] <= 0.2) & (0.2 <= got["rd_high"])).mean()
    band = 3 * math.sqrt(0.05 * 0.95 / sims)
    assert abs(cover - 0.95) <= band, cover
    odds = p0 / (1 - p0) * 3.0
    got = _sparse_strata(rng, sims, strata, p0, odds / (1 + odds))
    cover = ((got["or_low"] <= 3.0) & (3.0 <= got["or_high"])).mean()
    assert abs(cover - 0.95) <= band, cover
    assert abs(np.log(got["or_mh"]).median() - math.log(3.0)) < 0.1  # consistent in sparse data


def test_minhash_signatures_are_the_minimum_of_each_permuted_shingle_hash_across_chunks():
    """The documented hash, written out with Python integers: crc32 per word, an n-gram's words combined as
    h1 * K + h2 (mod 2^64), permutation i = (g * MUL_i + ADD_i) mod 2^64 >> 32; the minimum over the set."""
    import zlib

    from qa import similarity as sim

    texts = ("the parcel never came", "the parcel never came at all", "refund please now", "Refund, please!",
             "@kim see https://x.example/y for the parcel")
    docs = [shingles(t) for t in texts] * 40
    got = sim.minhash_signatures(docs, chunk=37)  # many chunks; words shared across them
    fast, has = sim.text_signatures(list(texts) * 40)
    mask = (1 << 64) - 1
    for i, d in enumerate(docs):
        grams = []
        for sh in d:
            g = 0
            for k, w in enumerate(sh.split(" ")):
                h = zlib.crc32(w.encode())
                g = h if k == 0 else (g * int(sim._K) + h) & mask
            grams.append(g)
        want = [min(((g * int(m) + int(a)) & mask) >> 32 for g in grams) for m, a in zip(sim._MUL, sim._ADD)]
        assert list(got[i]) == want, i
        assert has[i] and list(fast[i]) == want, i  # straight from the text, the same signature
    assert shingles("Refund, please!") == {"refund please"}


def test_template_overuse_is_a_text_that_ignores_its_customers_not_a_canned_answer_to_one_problem():
    from qa.consistency import template_overuse

    generic = "@{} We apologise for any inconvenience caused. Your feedback has been shared with the team."
    canned = "@{} Sorry about the outage in your area, engineers are on site and service is back by six."
    posts = ["the outage in my area has lasted all morning", "is there an outage? nothing loads in my area",
             "no signal since yesterday, outage again?"]
    rows = [(f"g{i}", generic.format(i), p) for i, p in enumerate(posts)]
    rows += [(f"c{i}", canned.format(i), p) for i, p in enumerate(posts)]
    replies = pd.DataFrame(rows, columns=["reply_id", "text", "customer_text"]).assign(brand="B")
    issue = pd.Series([f"B|sim:{i}" for i in range(3)] * 2)  # each wording its own issue, as similarity gives
    tid, over = template_overuse(replies, issue, BOOK.consistency)
    assert tid.nunique() == 2
    assert list(over) == [True] * 3 + [False] * 3
    # without the customers' words the old rule applies: both are overuse
    _, over = template_overuse(replies.drop(columns="customer_text"), issue, BOOK.consistency)
    assert over.all()


def test_echo_flags_answer_as_echoes_pair_by_pair():
    """The batch echo test (word sets remembered per reply text, customer words looked up as found) gives the
    definition's answer, with handles, links, accents, short words and empty customer texts."""
    from qa.templates import echo_flags, echoes

    outage = "Sorry about the outage in your area, we are on it"
    replies = [outage, "Your feedback has been shared with the team",
               "Lo sentimos, la sucursal de Querétaro ya lo revisa", "Ok", outage]
    customers = ["@brand outage again in my area!!", "the app crashes https://outage.example/x", "",
                 "ok ok", "Querétaro sucursal cerrada #outage", None]
    pairs = [(r, c) for r in replies for c in customers]
    for min_letters in (1, 4, 5):
        expected = [echoes(r, c or "", min_letters) for r, c in pairs]
        got = echo_flags([r for r, _ in pairs], [c for _, c in pairs], min_letters)
        assert got.tolist() == expected
        assert any(expected) and not all(expected)
