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
kinds share one Benjamini-Hochberg family. A finding is *strong* when ``q <= alpha`` and the difference is at
least ``min_effect``.

A small audit makes that family large next to its evidence: 4 of 4 influencers given 20% off against 0 of 8
other customers (Fisher p = 0.004) does not survive a correction over thousands of comparisons, yet a QA lead
wants to see it. So each finding also gets a q-value within its own family, the comparisons made in one brand
and one issue (``q_within``); one that passes there but not over the whole file is listed as *suggestive*
(``strength``), with the counts in words, so it reads as a lead to check rather than a verdict.

Template overuse lives in :mod:`qa.templates` (re-exported here).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .consistency_cells import Layout, examples, issue_cells, name_cells, pooled_table, sorted_codes
from .memory import shared_strings, value_codes
from .similarity import text_groups
from .stats import Z95, bh, bh_within, fisher_two_sided, mantel_haenszel, wilson
from .templates import template_overuse

if TYPE_CHECKING:
    from .rulebook import ConsistencySettings

__all__ = ["issue_groups", "template_overuse", "consistency_findings", "influence_band", "stratified_comparisons",
           "mantel_haenszel", "OUTCOMES", "DIMENSIONS", "FINDING_COLUMNS", "issue_ids", "has_category", "group_names"]

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
                   "or_ci_high", "strength", "q_within", "comparisons", "comparisons_within"]


def influence_band(followers: pd.Series, bands: tuple[int, ...]) -> pd.Series:
    """Follower counts cut into labelled bands ("<1k", "1k-10k", ...); unknown counts stay missing."""
    def fmt(x: int) -> str:
        return f"{x // 1_000_000}M" if x >= 1_000_000 and x % 1_000_000 == 0 else (
            f"{x // 1000}k" if x >= 1000 and x % 1000 == 0 else str(x))
    edges = [-np.inf, *bands, np.inf]
    labels = [f"<{fmt(bands[0])}"] + [f"{fmt(a)}-{fmt(b)}" for a, b in zip(bands, bands[1:])] + [f">={fmt(bands[-1])}"]
    f = pd.to_numeric(followers, errors="coerce").astype("float64")
    return pd.cut(f, edges, labels=labels, right=False).astype("string")


def has_category(category: pd.Series) -> np.ndarray:
    """Replies whose issue is given by the data (a non-blank category)."""
    cat = category.astype("string")
    return (cat.notna() & (cat.str.strip() != "")).to_numpy(dtype=bool)


def _smallest_ids(ids: np.ndarray | pd.Series, labels: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """``name_of(some_labels)``: the smallest id (as text) among the members of each of those labels' groups,
    one shared string per group."""
    first = pd.Series(ids).astype(str).reset_index(drop=True).groupby(np.asarray(labels)).min()
    names, known = first.to_numpy(dtype=object), first.index.to_numpy()
    return lambda some: names[np.searchsorted(known, some)]


def group_names(ids: np.ndarray | pd.Series, labels: np.ndarray) -> np.ndarray:
    """Each member's group named by its smallest id (as text): the same name whatever order replies came in.
    An object array; the members of a group share one string."""
    labels = np.asarray(labels)
    if not len(labels):
        return np.zeros(0, dtype=object)
    return _smallest_ids(ids, labels)(labels)


def issue_ids(brand: np.ndarray | pd.Series, category: pd.Series, reply_ids: np.ndarray | pd.Series,
              text_labels: np.ndarray) -> np.ndarray:
    """``brand|cat:<category>`` where the category is known, else ``brand|sim:<reply id>``, naming its group of
    similar customer texts; ``text_labels`` numbers the groups of those replies, in their order.

    An object array in which the replies of one issue share one string: names are built per issue, not per
    reply (a million replies fall into far fewer issues)."""
    if not len(category):
        return np.zeros(0, dtype=object)
    b_code, b_name = value_codes(pd.Series(brand).reset_index(drop=True))
    b_name = np.append(b_name, "").astype(object)  # a missing brand (code -1) is ""
    c_code, c_name = value_codes(category.reset_index(drop=True))
    has = has_category(category)
    key = np.zeros(len(b_code), dtype=np.int64)
    key[has] = c_code[has]
    rest = ~has
    if rest.any():
        key[rest] = np.asarray(text_labels, dtype=np.int64)
    # one name per (brand, category) and per (brand, text group)
    code, uniq = pd.factorize(pd.MultiIndex.from_arrays([has, b_code, key]))
    u_has, u_brand, u_key = (uniq.get_level_values(i).to_numpy() for i in range(3))
    names = np.empty(len(uniq), dtype=object)
    brands = b_name[u_brand]
    for j in np.flatnonzero(u_has):
        names[j] = f"{brands[j]}|cat:{c_name[u_key[j]]}"
    if rest.any():
        name_of = _smallest_ids(pd.Series(reply_ids).reset_index(drop=True)[rest], text_labels)
        sim = np.flatnonzero(~u_has)
        for j, m in zip(sim, name_of(u_key[sim])):
            names[j] = f"{brands[j]}|sim:{m}"
    return names[code]


def issue_groups(replies: pd.DataFrame, s: ConsistencySettings) -> pd.Series:
    """An issue id per reply: ``brand|cat:<category>`` when known, else ``brand|sim:<id>`` by customer text."""
    brand = replies["brand"].fillna("").astype(str).to_numpy()
    rest = ~has_category(replies["issue_category"])
    texts = replies["customer_text"].fillna("").astype(str).to_numpy()[rest] if rest.any() else []
    lab = text_groups(list(texts), s.similarity, blocks=list(brand[rest]), n=1, min_len=4)
    out = issue_ids(brand, replies["issue_category"], replies["reply_id"].astype(str).to_numpy(), lab)
    return pd.Series(out, index=replies.index, dtype="string")


def _brand_values(brand: pd.Series) -> np.ndarray:
    """The brand column as ``to_numpy()`` gives it, with shared strings when it holds text."""
    if isinstance(brand.dtype, (pd.CategoricalDtype, pd.StringDtype)):
        return shared_strings(brand)
    return brand.to_numpy()


def stratified_comparisons(d: pd.DataFrame, s: ConsistencySettings) -> pd.DataFrame:
    """Each level of one dimension vs the rest of its brand, pooled over issues (strata); see the module doc.

    ``d`` has one row per reply: ``brand, issue, level, y`` (0/1) and ``reply_id``. Returns one row per
    (brand, level) with enough replies on both sides, in the columns of :data:`FINDING_COLUMNS` that are
    statistics (no q-value yet).
    """
    ids = d["reply_id"].astype(str).reset_index(drop=True)
    (b, bn), (i, _), (lv, ln) = (sorted_codes(d[c]) for c in ("brand", "issue", "level"))
    return pooled_table(Layout(b, i, lv, bn, ln, sorted_codes(ids)[0], ids), d["y"].to_numpy(), s)


def consistency_findings(replies: pd.DataFrame, issue: pd.Series, s: ConsistencySettings) -> pd.DataFrame:
    """Every significant, material difference in treatment within an issue; see the module docstring.

    (About 65 lines: the codes and the per-dimension layouts it builds are shared by every outcome's pass.)"""
    # per reply: sorted codes of each column (their strings once) and the ids in one Arrow buffer, not a
    # Python string per reply and column (the run's peak on a million replies), nor a string groupby per test
    issue_c, issue_n = sorted_codes(issue)
    brand_c, brand_n = sorted_codes(_brand_values(replies["brand"]))
    ids = replies["reply_id"].astype(str).reset_index(drop=True)
    rank = sorted_codes(ids)[0]
    levels = {dim: sorted_codes(shared_strings(v)) for dim, v in (
        ("channel", replies["channel"]), ("agent_id", replies["agent_id"]),
        ("influence", influence_band(replies["customer_followers"], s.influence_bands)))}
    layouts: dict[str, tuple[np.ndarray, Layout]] = {}  # per dimension, for outcomes known on all its rows

    def layout(dim: str, rows: np.ndarray) -> Layout:
        lv, ln = levels[dim]
        return Layout(brand_c[rows], issue_c[rows], lv[rows], brand_n, ln, rank[rows],
                      ids.take(rows).reset_index(drop=True))

    tables = []
    pooled: list[pd.DataFrame] = []
    for outcome in OUTCOMES:
        if outcome not in replies.columns:
            continue
        y = replies[outcome].astype("boolean")
        known, y = y.notna().to_numpy(), y.fillna(False).to_numpy(dtype=np.int64)
        for dim in DIMENSIONS:
            if dim not in layouts:
                rows = np.flatnonzero((levels[dim][0] >= 0) & (issue_c >= 0))
                layouts[dim] = rows, layout(dim, rows)
            rows, lay = layouts[dim]
            if not known[rows].all():  # this outcome is unknown for some of them: their own cells
                rows = rows[known[rows]]
                lay = layout(dim, rows)
            if not len(rows):
                continue
            yr = y[rows]
            pc = pooled_table(lay, yr, s)
            if len(pc):
                pooled.append(pc.assign(dimension=dim, outcome=outcome))
            cell = issue_cells(lay, yr)
            tot = cell.groupby("ic").agg(N=("n_level", "sum"), K=("k_level", "sum"), levels=("lc", "size"))
            cell = cell.join(tot, on="ic")
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
                        ((cell["rate_level"] == cell["rate_rest"]) & ~cell.duplicated("ic"))]
            cell = name_cells(cell, lay, issue_n).assign(dimension=dim, outcome=outcome)
            hit = np.flatnonzero(yr == 1)
            ex = examples([lay.i[hit], lay.lv[hit]], lay.rank[hit], lay.ids.take(hit).reset_index(drop=True))
            cell["example_reply_ids"] = [ex.get(k, "") for k in zip(cell["ic"].tolist(), cell["lc"].tolist())]
            tables.append(cell.drop(columns=["ic", "lc", "bc"]))
    if not tables and not pooled:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    parts = [_per_issue_statistics(pd.concat(tables, ignore_index=True))] if tables else []
    t = pd.concat([*parts, *pooled], ignore_index=True)
    return _label_findings(t, s)


def _label_findings(t: pd.DataFrame, s: ConsistencySettings) -> pd.DataFrame:
    """q-values over every comparison and within each brand-and-issue family; keep strong and suggestive."""
    p = t["p_value"].to_numpy(float)
    t["q_value"] = bh(p)
    t["q_within"] = bh_within(p, t["issue"].astype(str).to_numpy())
    t["comparisons"] = len(t)
    t["comparisons_within"] = t.groupby("issue")["p_value"].transform("size")
    t["confidence"] = 1.0 - t["q_value"]
    material = t["difference"].abs() >= s.min_effect
    strong = material & (t["q_value"] <= s.alpha)
    suggestive = material & ~strong & (t["q_within"] <= s.alpha) if s.suggestive else strong & False
    t = t[strong | suggestive].copy()
    t["strength"] = np.where(strong[strong | suggestive], "strong", "suggestive")
    t["summary"] = [_summary(r) for r in t.itertuples()]
    t = t.sort_values(["strength", "q_value", "difference", "issue", "dimension", "level", "outcome"],
                      ascending=[True, True, False, True, True, True, True],
                      key=lambda c: c.abs() if c.name == "difference" else c, kind="stable").reset_index(drop=True)
    for c in ("rate_level", "rate_rest", "difference", "ci_low", "ci_high", "cohens_h", "odds_ratio", "or_ci_low",
              "or_ci_high"):
        t[c] = t[c].astype(float).round(4)
    return t[FINDING_COLUMNS]


def _per_issue_statistics(t: pd.DataFrame) -> pd.DataFrame:
    """Fisher p-value, Newcombe interval, Cohen's h and the sample odds ratio of each level-vs-rest table."""
    n1, k1 = t["n_level"].to_numpy(float), t["k_level"].to_numpy(float)
    n2, k2 = t["n_rest"].to_numpy(float), t["k_rest"].to_numpy(float)
    p1, p2 = k1 / n1, k2 / n2
    t["p_value"] = fisher_two_sided(k1, n1, k2, n2)
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    diff = p1 - p2
    t["difference"] = diff
    t["ci_low"] = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    t["ci_high"] = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    t["cohens_h"] = 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))
    one = mantel_haenszel(k1, n1, k2, n2, np.arange(len(t)))  # one stratum: the sample odds ratio
    t["odds_ratio"], t["or_ci_low"], t["or_ci_high"] = (one[c].to_numpy() for c in ("or_mh", "or_low", "or_high"))
    t["method"], t["strata"] = "fisher", 1
    return t


_WHO = {"channel": "replies on {}", "agent_id": "replies by agent {}",
        "influence": "replies to customers with {} followers"}


def _summary(r) -> str:
    """The finding in words a QA lead can check: counts "k of n", the difference and how sure it is."""
    what = OUTCOMES[r.outcome]
    who = _WHO[r.dimension].format(r.level)
    where = (f"all issues of {r.brand}, compared issue by issue ({r.strata} issues)" if r.method == "cmh"
             else f"{str(r.issue).split('|', 1)[-1].split(':', 1)[-1]} ({r.brand})")
    counts = (f"{r.k_level} of {r.n_level} {who} {what}, against {r.k_rest} of {r.n_rest} other replies "
              f"({'same-issue ' if r.method == 'cmh' else ''}difference {r.difference:+.0%}, 95% CI "
              f"{r.ci_low:+.0%} to {r.ci_high:+.0%}; p = {_fmt_q(r.p_value)})")
    if r.strength == "strong":
        among = ("as the only comparison" if r.comparisons == 1 else
                 f"after correcting for all {r.comparisons:,} comparisons")
        sure = f"strong: significant {among} (q = {_fmt_q(r.q_value)})"
    else:
        among = ("as the only comparison in this brand and issue" if r.comparisons_within == 1 else
                 f"among the {r.comparisons_within} comparisons in this brand and issue")
        sure = (f"suggestive: significant {among} "
                f"(q = {_fmt_q(r.q_within)}), not after correcting for all {r.comparisons:,} (q = "
                f"{_fmt_q(r.q_value)}); check before acting")
    return f"{where}: {counts}. {sure}"


def _fmt_q(q: float) -> str:
    return f"{q:.1e}" if q < 0.001 else f"{q:.3f}" if not math.isnan(q) else "nan"
