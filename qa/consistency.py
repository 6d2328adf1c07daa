"""Consistency across cases: the same issue should get the same treatment, whoever asks and wherever.

Lessons 7, 8 and 10 of the domain brief. Replies are grouped by *issue*: the issue category when the data
gives one, otherwise the customer's words grouped by MinHash similarity (:mod:`qa.similarity`), always within
one brand. Inside each issue, each level of a dimension (a channel, an agent, a customer-influence band) is
compared with the rest of the issue on binary outcomes (a concession given, off policy, deflected, moved to DM):

* effect size: the difference in rates with a 95% Newcombe (Wilson score) interval, and Cohen's h;
* how sure: a two-sided Fisher exact p-value (twice the smaller tail), and a Benjamini-Hochberg q-value over
  every comparison made, so that scanning thousands of agent x issue cells does not manufacture findings.

A finding is reported when ``q <= alpha`` and the difference is at least ``min_effect``.

Template overuse: near-identical replies (Jaccard of word pairs >= ``template_similarity``) sent to at least
``template_min_issues`` different issues: the same text pasted onto different problems.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .rulebook import ConsistencySettings
from .similarity import minhash_signatures, shingles, similarity_groups

__all__ = ["issue_groups", "template_overuse", "consistency_findings", "influence_band", "OUTCOMES",
           "DIMENSIONS", "FINDING_COLUMNS"]

OUTCOMES = {
    "concession": "gave a concession",
    "off_policy": "went off policy",
    "deflection": "deflected the customer",
    "dm_request": "moved to DM",
    "not_our_team": "said it was not their team",
}
DIMENSIONS = {"channel": "channel", "agent_id": "agent", "influence": "customer influence"}
FINDING_COLUMNS = ["issue", "brand", "dimension", "level", "outcome", "n_level", "k_level", "n_rest", "k_rest",
                   "rate_level", "rate_rest", "difference", "ci_low", "ci_high", "cohens_h", "p_value", "q_value",
                   "confidence", "example_reply_ids", "summary"]


def influence_band(followers: pd.Series, bands: tuple[int, ...]) -> pd.Series:
    """Follower counts cut into labelled bands ("<1k", "1k-10k", ...); unknown counts stay missing."""
    def fmt(x: int) -> str:
        return f"{x // 1_000_000}M" if x >= 1_000_000 and x % 1_000_000 == 0 else (
            f"{x // 1000}k" if x >= 1000 and x % 1000 == 0 else str(x))
    edges = [-np.inf, *bands, np.inf]
    labels = [f"<{fmt(bands[0])}"] + [f"{fmt(a)}-{fmt(b)}" for a, b in zip(bands, bands[1:])] + [f">={fmt(bands[-1])}"]
    f = pd.to_numeric(followers, errors="coerce").astype("float64")
    return pd.cut(f, edges, labels=labels, right=False).astype("string")


def issue_groups(replies: pd.DataFrame, s: ConsistencySettings) -> pd.Series:
    """An issue id per reply: ``brand|cat:<category>`` when known, else ``brand|sim:<n>`` by customer text."""
    brand = replies["brand"].fillna("").astype(str).to_numpy()
    cat = replies["issue_category"].astype("string")
    out = pd.Series(pd.NA, index=replies.index, dtype="string")
    has = cat.notna() & (cat.str.strip() != "")
    out[has] = pd.Series(brand, index=replies.index)[has] + "|cat:" + cat[has]
    rest = ~has.to_numpy()
    if rest.any():
        texts = replies["customer_text"].fillna("").astype(str).to_numpy()[rest]
        sig = minhash_signatures([shingles(t, n=1, min_len=4) for t in texts])
        lab = similarity_groups(sig, s.similarity, blocks=brand[rest])
        ids = replies["reply_id"].astype(str).to_numpy()[rest]
        out[rest] = pd.Series(brand[rest]) .add("|sim:").add(pd.Series(ids[lab])).to_numpy()
    return out


def template_overuse(replies: pd.DataFrame, issue: pd.Series, s: ConsistencySettings) -> tuple[pd.Series, pd.Series]:
    """(template id or NA, overuse flag) per reply."""
    texts = replies["text"].fillna("").astype(str).to_list()
    sig = minhash_signatures([shingles(t, n=2) for t in texts])
    lab = similarity_groups(sig, s.template_similarity, blocks=replies["brand"].fillna("").astype(str).to_numpy())
    lab_s = pd.Series(lab, index=replies.index)
    size = lab_s.map(lab_s.value_counts())
    issues = pd.Series(issue.to_numpy(), index=replies.index).groupby(lab).transform("nunique")
    ids = replies["reply_id"].astype(str).to_numpy()
    template_id = pd.Series(ids[lab], index=replies.index, dtype="string").where(size >= 2)
    overuse = (size >= 2) & (issues >= s.template_min_issues)
    return template_id, overuse.astype(bool)


def _wilson(k: np.ndarray, n: np.ndarray, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return centre - half, centre + half


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values)."""
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def consistency_findings(replies: pd.DataFrame, issue: pd.Series, s: ConsistencySettings) -> pd.DataFrame:
    """Every significant, material difference in treatment within an issue; see the module docstring."""
    base = pd.DataFrame({"issue": issue.to_numpy(), "brand": replies["brand"].to_numpy(),
                         "reply_id": replies["reply_id"].astype(str).to_numpy()})
    base["channel"] = replies["channel"].astype("string").to_numpy()
    base["agent_id"] = replies["agent_id"].astype("string").to_numpy()
    base["influence"] = influence_band(replies["customer_followers"], s.influence_bands).to_numpy()
    tables = []
    for outcome in OUTCOMES:
        if outcome not in replies.columns:
            continue
        y = replies[outcome].astype("boolean").to_numpy()
        for dim in DIMENSIONS:
            d = base[["issue", "brand", "reply_id", dim]].rename(columns={dim: "level"})
            d["y"] = y
            d = d[d["level"].notna() & d["y"].notna() & d["issue"].notna()]
            if d.empty:
                continue
            d["y"] = d["y"].astype(int)
            cell = d.groupby(["issue", "level"], sort=True).agg(n_level=("y", "size"), k_level=("y", "sum"),
                                                                 brand=("brand", "first")).reset_index()
            tot = cell.groupby("issue").agg(N=("n_level", "sum"), K=("k_level", "sum"), levels=("level", "size"))
            cell = cell.join(tot, on="issue")
            cell = cell[(cell["N"] >= s.min_group_size) & (cell["levels"] >= 2)]
            cell["n_rest"] = cell["N"] - cell["n_level"]
            cell["k_rest"] = cell["K"] - cell["k_level"]
            cell = cell[(cell["n_level"] >= s.min_level_size) & (cell["n_rest"] >= s.min_level_size)]
            cell = cell[(cell["K"] > 0) & (cell["K"] < cell["N"])]  # all-same outcome: nothing to compare
            if cell.empty:
                continue
            # with two levels, A-vs-rest and B-vs-rest are one test: keep the level treated better
            cell["rate_level"] = cell["k_level"] / cell["n_level"]
            cell["rate_rest"] = cell["k_rest"] / cell["n_rest"]
            two = cell["levels"] == 2
            cell = cell[~two | (cell["rate_level"] > cell["rate_rest"]) |
                        ((cell["rate_level"] == cell["rate_rest"]) & ~cell.duplicated("issue"))]
            cell = cell.assign(dimension=dim, outcome=outcome)
            ex = d[d["y"] == 1].groupby(["issue", "level"])["reply_id"].agg(lambda v: ";".join(v.iloc[:5]))
            cell["example_reply_ids"] = [ex.get((i, lv), "") for i, lv in zip(cell["issue"], cell["level"])]
            tables.append(cell)
    if not tables:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    t = pd.concat(tables, ignore_index=True)
    n1, k1 = t["n_level"].to_numpy(float), t["k_level"].to_numpy(float)
    n2, k2 = t["n_rest"].to_numpy(float), t["k_rest"].to_numpy(float)
    p1, p2 = k1 / n1, k2 / n2
    N, K = n1 + n2, k1 + k2
    lo = stats.hypergeom.cdf(k1, N, K, n1)
    hi = stats.hypergeom.sf(k1 - 1, N, K, n1)
    t["p_value"] = np.minimum(1.0, 2 * np.minimum(lo, hi))
    l1, u1 = _wilson(k1, n1)
    l2, u2 = _wilson(k2, n2)
    diff = p1 - p2
    t["difference"] = diff
    t["ci_low"] = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    t["ci_high"] = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    t["cohens_h"] = 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))
    t["q_value"] = _bh(t["p_value"].to_numpy())
    t["confidence"] = 1.0 - t["q_value"]
    t = t[(t["q_value"] <= s.alpha) & (t["difference"].abs() >= s.min_effect)].copy()
    t["summary"] = [_summary(r) for r in t.itertuples()]
    t = t.sort_values(["q_value", "difference"], ascending=[True, False], key=lambda c: c if c.name == "q_value"
                      else c.abs()).reset_index(drop=True)
    for c in ("rate_level", "rate_rest", "difference", "ci_low", "ci_high", "cohens_h"):
        t[c] = t[c].round(4)
    return t[FINDING_COLUMNS]


def _summary(r) -> str:
    what = OUTCOMES[r.outcome]
    dim = DIMENSIONS[r.dimension]
    issue = str(r.issue).split("|", 1)[-1]
    return (f"{issue} ({r.brand}): {dim} {r.level} {what} in {r.k_level}/{r.n_level} replies vs "
            f"{r.k_rest}/{r.n_rest} for the rest ({r.difference:+.0%}, 95% CI {r.ci_low:+.0%} to "
            f"{r.ci_high:+.0%}, q={_fmt_q(r.q_value)})")


def _fmt_q(q: float) -> str:
    return f"{q:.1e}" if q < 0.001 else f"{q:.3f}" if not math.isnan(q) else "nan"
