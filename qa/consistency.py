"""Consistency across cases: the same issue should get the same treatment, whoever asks and wherever.

Lessons 7, 8 and 10 of the domain brief. Replies are grouped by *issue*: the issue category when the data
gives one, otherwise the customer's words grouped by MinHash similarity (:mod:`qa.similarity`), always within
one brand. Inside each issue, each level of a dimension (a channel, an agent, a customer-influence band) is
compared with the rest of the issue on binary outcomes (a concession given, off policy, deflected, moved to DM):

* effect size: the difference in rates with a 95% Newcombe (Wilson score) interval, and Cohen's h;
* how sure: a two-sided Fisher exact p-value (twice the smaller tail), and a Benjamini-Hochberg q-value over
  every comparison made, so that scanning thousands of agent x issue cells does not manufacture findings.

A weak effect spread over many issues (influencers get a little more everywhere) is invisible issue by issue.
So each level is also compared with the rest *pooled over all issues of a brand*, stratified by issue so that
a level meeting more of the generous issues is not mistaken for a generous level (Cochran-Mantel-Haenszel):

* effect size: the Mantel-Haenszel risk difference with Sato's variance (valid for many sparse strata) and the
  Mantel-Haenszel common odds ratio with the Robins-Breslow-Greenland interval;
* how sure: the CMH chi-square test with continuity correction (as R's ``mantelhaen.test``).

These rows have ``issue = "<brand>|*"`` and ``method = "cmh"``; per-issue rows have ``method = "fisher"``. Both
kinds share one Benjamini-Hochberg family. A finding is reported when ``q <= alpha`` and the difference is at
least ``min_effect``.

Template overuse: near-identical replies (Jaccard of word pairs >= ``template_similarity``) sent to at least
``template_min_issues`` different issues: the same text pasted onto different problems. Unless more than
``template_max_echo`` of them reuse a word of their customer's posts: those are a canned answer to one problem
(worded differently by each customer, hence split into several issues by text similarity).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .rulebook import ConsistencySettings
from .similarity import shingles, text_groups

__all__ = ["issue_groups", "template_overuse", "consistency_findings", "influence_band", "stratified_comparisons",
           "mantel_haenszel", "OUTCOMES", "DIMENSIONS", "FINDING_COLUMNS"]

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
                   "confidence", "example_reply_ids", "summary", "method", "strata", "odds_ratio", "or_ci_low",
                   "or_ci_high"]
Z95 = 1.959964


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
        lab = text_groups(list(texts), s.similarity, blocks=list(brand[rest]), n=1, min_len=4)
        ids = replies["reply_id"].astype(str).to_numpy()[rest]
        out[rest] = pd.Series(brand[rest]) .add("|sim:").add(pd.Series(ids[lab])).to_numpy()
    return out


def template_overuse(replies: pd.DataFrame, issue: pd.Series, s: ConsistencySettings) -> tuple[pd.Series, pd.Series]:
    """(template id or NA, overuse flag) per reply."""
    texts = replies["text"].fillna("").astype(str).to_list()
    lab = text_groups(texts, s.template_similarity, blocks=replies["brand"].fillna("").astype(str).to_list())
    lab_s = pd.Series(lab, index=replies.index)
    size = lab_s.map(lab_s.value_counts())
    issues = pd.Series(issue.to_numpy(), index=replies.index).groupby(lab).transform("nunique")
    ids = replies["reply_id"].astype(str).to_numpy()
    template_id = pd.Series(ids[lab], index=replies.index, dtype="string").where(size >= 2)
    # A canned answer to one problem picks up the customer's own words ("the outage in your area"); a text
    # pasted onto anything does not. Where issues come from text similarity, one problem worded three ways
    # looks like three issues, so the group must also mostly ignore what its customers wrote.
    overuse = ((size >= 2) & (issues >= s.template_min_issues)).to_numpy(dtype=bool, copy=True)
    if "customer_text" in replies.columns and overuse.any():
        cust = replies["customer_text"].fillna("").astype(str).to_numpy()
        cand = np.flatnonzero(overuse)  # only candidate groups: usually a small share of the replies
        k = s.echo_min_letters
        echo = np.fromiter((bool(cust[i]) and bool(shingles(texts[i], n=1, min_len=k)
                                                   & shingles(cust[i], n=1, min_len=k)) for i in cand),
                           bool, len(cand))
        echo_share = pd.Series(echo).groupby(lab[cand]).transform("mean").to_numpy()
        overuse[cand] = echo_share <= s.template_max_echo
    return template_id, pd.Series(overuse, index=replies.index, dtype=bool)


def _wilson(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
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


def mantel_haenszel(a: np.ndarray, n1: np.ndarray, c: np.ndarray, n0: np.ndarray, group: np.ndarray,
                    z: float = Z95) -> pd.DataFrame:
    """Stratified 2x2 statistics per ``group``: one row of arrays per stratum, ``a`` events of ``n1`` at the
    level, ``c`` events of ``n0`` in the rest.

    Returns, per group (sorted): ``strata`` (informative ones, both sides present), ``rd`` (Mantel-Haenszel
    risk difference), ``rd_low, rd_high`` (Sato 1989 variance), ``or_mh, or_low, or_high`` (Robins, Breslow and
    Greenland 1986), ``chi2, p_value`` (Cochran-Mantel-Haenszel, continuity-corrected, 1 df). Formulas as in
    Rothman, Greenland and Lash, *Modern Epidemiology* (3rd ed.), ch. 15.
    """
    a, n1, c, n0 = (np.asarray(x, dtype=float) for x in (a, n1, c, n0))
    N = n1 + n0
    ok = (n1 > 0) & (n0 > 0)
    a, n1, c, n0, N, group = a[ok], n1[ok], c[ok], n0[ok], N[ok], np.asarray(group)[ok]
    b, d = n1 - a, n0 - c
    m1 = a + c
    terms = pd.DataFrame({
        "g": group, "strata": 1.0,
        # risk difference (weights n1 n0 / N) and Sato's variance parts
        "rd_num": (a * n0 - c * n1) / N, "w": n1 * n0 / N,
        "P": (n1 ** 2 * c - n0 ** 2 * a + n1 * n0 * (n0 - n1) / 2) / N ** 2,
        "Q": (a * (n0 - c) + c * (n1 - a)) / (2 * N),
        # odds ratio and the RBG variance parts
        "R": a * d / N, "S": b * c / N,
        "PR": (a + d) / N * a * d / N, "PS_QR": ((a + d) / N * b * c / N + (b + c) / N * a * d / N),
        "QS": (b + c) / N * b * c / N,
        # CMH: observed minus expected events at the level, and the hypergeometric variance
        "o_e": a - n1 * m1 / N,
        "v": np.where(N > 1, n1 * n0 * m1 * (N - m1) / (N ** 2 * np.maximum(N - 1, 1)), 0.0),
    })
    g = terms.groupby("g", sort=True).sum()
    out = pd.DataFrame(index=g.index)
    out["strata"] = g["strata"].astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        rd = g["rd_num"] / g["w"]
        se_rd = np.sqrt(np.maximum(rd * g["P"] + g["Q"], 0.0)) / g["w"]
        out["rd"], out["rd_low"], out["rd_high"] = rd, rd - z * se_rd, rd + z * se_rd
        R, S = g["R"], g["S"]
        or_mh = R / S
        se_ln = np.sqrt(g["PR"] / (2 * R ** 2) + g["PS_QR"] / (2 * R * S) + g["QS"] / (2 * S ** 2))
        out["or_mh"] = or_mh
        out["or_low"] = np.exp(np.log(or_mh) - z * se_ln)
        out["or_high"] = np.exp(np.log(or_mh) + z * se_ln)
        chi2 = np.maximum(np.abs(g["o_e"]) - 0.5, 0.0) ** 2 / g["v"]
    out["chi2"] = chi2
    out["p_value"] = np.where(g["v"] > 0, stats.chi2.sf(chi2.fillna(0.0), 1), 1.0)
    return out


def stratified_comparisons(d: pd.DataFrame, s: ConsistencySettings) -> pd.DataFrame:
    """Each level of one dimension vs the rest of its brand, pooled over issues (strata); see the module doc.

    ``d`` has one row per reply: ``brand, issue, level, y`` (0/1) and ``reply_id``. Returns one row per
    (brand, level) with enough replies on both sides, in the columns of :data:`FINDING_COLUMNS` that are
    statistics (no q-value yet).
    """
    cell = d.groupby(["brand", "issue", "level"], sort=True).agg(n1=("y", "size"), a=("y", "sum")).reset_index()
    tot = d.groupby(["brand", "issue"]).agg(N=("y", "size"), m1=("y", "sum"))
    cell = cell.join(tot, on=["brand", "issue"])
    cell["n0"], cell["c"] = cell["N"] - cell["n1"], cell["m1"] - cell["a"]
    cell = cell[cell["n0"] > 0]  # a stratum where the level is alone says nothing about it
    if cell.empty:
        return pd.DataFrame()
    key = cell["brand"].astype(str) + "\x00" + cell["level"].astype(str)
    mh = mantel_haenszel(cell["a"], cell["n1"], cell["c"], cell["n0"], key.to_numpy())
    sums = cell.assign(key=key).groupby("key", sort=True).agg(
        brand=("brand", "first"), level=("level", "first"), n_level=("n1", "sum"), k_level=("a", "sum"),
        n_rest=("n0", "sum"), k_rest=("c", "sum"), levels=("level", "size"))
    t = sums.join(mh)
    # one informative issue: the per-issue comparison already is this test
    t = t[(t["strata"] >= 2) & (t["n_level"] >= s.min_level_size) & (t["n_rest"] >= s.min_level_size)
          & (t["n_level"] + t["n_rest"] >= s.min_group_size)]
    t = t[(t["k_level"] + t["k_rest"] > 0) & (t["k_level"] + t["k_rest"] < t["n_level"] + t["n_rest"])]
    if t.empty:
        return pd.DataFrame()
    # with two levels in a brand, A-vs-rest and B-vs-rest are one test: keep the level treated better
    n_lv = d.groupby("brand")["level"].nunique()
    two = t["brand"].map(n_lv).to_numpy() == 2
    t = t[~two | (t["rd"] > 0) | ((t["rd"] == 0) & ~t.duplicated("brand"))]
    ex = d[d["y"] == 1].groupby(["brand", "level"])["reply_id"].agg(lambda v: ";".join(v.iloc[:5]))
    n1, k1, n2, k2 = (t[c].to_numpy(float) for c in ("n_level", "k_level", "n_rest", "k_rest"))
    return pd.DataFrame({
        "issue": t["brand"].astype(str) + "|*", "brand": t["brand"], "level": t["level"],
        "n_level": t["n_level"], "k_level": t["k_level"], "n_rest": t["n_rest"], "k_rest": t["k_rest"],
        "rate_level": k1 / n1, "rate_rest": k2 / n2, "difference": t["rd"], "ci_low": t["rd_low"],
        "ci_high": t["rd_high"], "cohens_h": 2 * np.arcsin(np.sqrt(k1 / n1)) - 2 * np.arcsin(np.sqrt(k2 / n2)),
        "p_value": t["p_value"], "method": "cmh", "strata": t["strata"], "odds_ratio": t["or_mh"],
        "or_ci_low": t["or_low"], "or_ci_high": t["or_high"],
        "example_reply_ids": [ex.get((b, lv), "") for b, lv in zip(t["brand"], t["level"])],
    }).reset_index(drop=True)


def consistency_findings(replies: pd.DataFrame, issue: pd.Series, s: ConsistencySettings) -> pd.DataFrame:
    """Every significant, material difference in treatment within an issue; see the module docstring."""
    base = pd.DataFrame({"issue": issue.to_numpy(), "brand": replies["brand"].to_numpy(),
                         "reply_id": replies["reply_id"].astype(str).to_numpy()})
    base["channel"] = replies["channel"].astype("string").to_numpy()
    base["agent_id"] = replies["agent_id"].astype("string").to_numpy()
    base["influence"] = influence_band(replies["customer_followers"], s.influence_bands).to_numpy()
    tables = []
    pooled: list[pd.DataFrame] = []
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
            pc = stratified_comparisons(d, s)
            if len(pc):
                pooled.append(pc.assign(dimension=dim, outcome=outcome))
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
    if not tables and not pooled:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    parts = [_per_issue_statistics(pd.concat(tables, ignore_index=True))] if tables else []
    t = pd.concat([*parts, *pooled], ignore_index=True)
    t["q_value"] = _bh(t["p_value"].to_numpy(float))
    t["confidence"] = 1.0 - t["q_value"]
    t = t[(t["q_value"] <= s.alpha) & (t["difference"].abs() >= s.min_effect)].copy()
    t["summary"] = [_summary(r) for r in t.itertuples()]
    t = t.sort_values(["q_value", "difference"], ascending=[True, False], key=lambda c: c if c.name == "q_value"
                      else c.abs()).reset_index(drop=True)
    for c in ("rate_level", "rate_rest", "difference", "ci_low", "ci_high", "cohens_h", "odds_ratio", "or_ci_low",
              "or_ci_high"):
        t[c] = t[c].astype(float).round(4)
    return t[FINDING_COLUMNS]


def _per_issue_statistics(t: pd.DataFrame) -> pd.DataFrame:
    """Fisher p-value, Newcombe interval, Cohen's h and the sample odds ratio of each level-vs-rest table."""
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
    one = mantel_haenszel(k1, n1, k2, n2, np.arange(len(t)))  # one stratum: the sample odds ratio
    t["odds_ratio"], t["or_ci_low"], t["or_ci_high"] = (one[c].to_numpy() for c in ("or_mh", "or_low", "or_high"))
    t["method"], t["strata"] = "fisher", 1
    return t


def _summary(r) -> str:
    what = OUTCOMES[r.outcome]
    dim = DIMENSIONS[r.dimension]
    issue = str(r.issue).split("|", 1)[-1]
    if r.method == "cmh":
        return (f"all issues ({r.brand}, {r.strata} compared issue by issue): {dim} {r.level} {what} in "
                f"{r.k_level}/{r.n_level} replies vs {r.k_rest}/{r.n_rest} for the rest (same-issue difference "
                f"{r.difference:+.0%}, 95% CI {r.ci_low:+.0%} to {r.ci_high:+.0%}; odds ratio {r.odds_ratio:.2g}, "
                f"q={_fmt_q(r.q_value)})")
    return (f"{issue} ({r.brand}): {dim} {r.level} {what} in {r.k_level}/{r.n_level} replies vs "
            f"{r.k_rest}/{r.n_rest} for the rest ({r.difference:+.0%}, 95% CI {r.ci_low:+.0%} to "
            f"{r.ci_high:+.0%}, q={_fmt_q(r.q_value)})")


def _fmt_q(q: float) -> str:
    return f"{q:.1e}" if q < 0.001 else f"{q:.3f}" if not math.isnan(q) else "nan"
