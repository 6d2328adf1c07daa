"""What the QA report shows, gathered a chunk of scored replies at a time so a million replies never sit in
memory: summary counts, the worst replies, template groups, pass rates. Used the same way by an in-memory
run, a streamed run and ``carebench qa report`` re-reading a folder, so the three reports agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ReportBuilder", "ReportData", "WORST_N", "worst_order", "worst_candidates"]

WORST_N = 20


def worst_order(scores: pd.DataFrame) -> pd.DataFrame:
    """Worst first: failed, lowest score, lowest score before critical failures, highest precedent risk."""
    key = pd.DataFrame({
        "passed": scores["passed"].astype(bool) if "passed" in scores.columns else ~scores["auto_fail"].astype(bool),
        "score": scores["score"],
        "raw": scores["score_without_critical"] if "score_without_critical" in scores.columns else scores["score"],
        "risk": -pd.to_numeric(scores["precedent_risk"], errors="coerce").fillna(0.0),
        "id": scores["reply_id"].astype(str),
    }, index=scores.index)
    order = key.sort_values(["passed", "score", "raw", "risk", "id"], kind="stable").index
    return scores.loc[order]


def worst_candidates(scores: pd.DataFrame, n: int) -> pd.DataFrame:
    """The rows of ``scores`` that can be among its ``n`` worst (:func:`worst_order`): those whose (failed,
    score) is at most the n-th smallest, ties kept, in their order; sorting them alone gives the same head."""
    if len(scores) <= n or n <= 0:
        return scores
    passed = (scores["passed"].astype(bool) if "passed" in scores.columns else
              ~scores["auto_fail"].astype(bool)).to_numpy(dtype=bool)
    score = pd.to_numeric(scores["score"], errors="coerce").astype("float64").to_numpy()
    if np.isnan(score).any():  # where sorting puts a missing score: not worth reproducing
        return scores
    failed = ~passed
    k = int(failed.sum())
    if k >= n:
        keep = failed & (score <= np.partition(score[failed], n - 1)[n - 1])
    else:
        keep = failed | (passed & (score <= np.partition(score[passed], n - k - 1)[n - k - 1]))
    return scores[keep]


def _known_true(s: pd.Series) -> tuple[int, int]:
    b = s.astype("boolean")
    return int(b.sum()), int(b.notna().sum())


@dataclass
class ReportData:
    """Everything the report's blocks read (see :func:`qa.report.build_blocks`)."""

    counts: dict[str, Any]
    worst: pd.DataFrame
    threads: pd.DataFrame  # messages of the worst replies' threads
    templates: pd.DataFrame
    consistency: pd.DataFrame
    aggregates: dict[str, pd.DataFrame]
    unanswered: pd.DataFrame  # the first unanswered posts, repeats first
    repeats: pd.DataFrame  # the first repeats across threads or channels
    broken_rows: list[tuple[int, str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    checks_run: tuple[str, ...] = ()
    check_errors: int = 0


class ReportBuilder:
    """Add scored replies chunk by chunk (:meth:`add`); :meth:`data` assembles the report's content."""

    def __init__(self, flag_columns: list[str], worst_n: int = WORST_N):
        self.flag_columns = flag_columns
        self.worst_n = worst_n
        self.n = 0
        self.score_sum = 0.0
        self.passed = self.critical = self.off_policy = self.high_risk = 0
        self.rates: dict[str, list[int]] = {}
        self.worst = pd.DataFrame()
        self.templates: dict[str, list[Any]] = {}  # template id -> [replies, issues, example]
        self.un_total = self.un_repeats = 0
        self.un_first: list[pd.DataFrame] = []  # unanswered repeats, then (below) the other unanswered posts
        self.un_other: list[pd.DataFrame] = []
        self.repeats_total = 0
        self.repeats_kinds: dict[str, int] = {}
        self.repeats_first: list[pd.DataFrame] = []

    def add(self, s: pd.DataFrame) -> None:
        if s.empty:
            return
        self.n += len(s)
        self.score_sum += float(s["score"].sum())
        self.passed += int(s["passed"].astype(bool).sum()) if "passed" in s.columns else 0
        self.critical += int(s["auto_fail"].astype(bool).sum())
        self.off_policy += int((s["policy_status"] == "off_policy").sum())
        self.high_risk += int(s["failed_criteria"].fillna("").str.contains("off_policy_high_precedent").sum())
        for c in self.flag_columns:
            if c in s.columns:
                k, n = _known_true(s[c])
                acc = self.rates.setdefault(c, [0, 0])
                acc[0] += k
                acc[1] += n
        top = worst_order(worst_candidates(s, self.worst_n)).head(self.worst_n)
        self.worst = worst_order(pd.concat([self.worst, top])).head(self.worst_n) if len(self.worst) else top
        if "template_overuse" in s.columns:
            tpl = s[s["template_overuse"].astype(bool)]  # a plain loop: a groupby of many small groups costs more
            for tid, text, issue in zip(tpl["template_id"].astype(str).tolist(), tpl["text"].tolist(),
                                        tpl["issue"].astype(str).tolist()):
                if not isinstance(tid, str):  # a missing id: no group (as groupby drops it)
                    continue
                acc = self.templates.get(tid)
                if acc is None:
                    acc = self.templates[tid] = [0, set(), str(text)]
                acc[0] += 1
                acc[1].add(issue)

    def add_unanswered(self, un: pd.DataFrame) -> None:
        self.un_total += len(un)
        rep = un[un["repeat"].astype(bool)]
        self.un_repeats += len(rep)
        if sum(len(x) for x in self.un_first) < 20:
            self.un_first.append(rep.head(20))
        if sum(len(x) for x in self.un_other) < 20:
            self.un_other.append(un[~un["repeat"].astype(bool)].head(20))

    def add_repeats(self, r: pd.DataFrame) -> None:
        self.repeats_total += len(r)
        for k, v in r["kind"].value_counts().items():
            self.repeats_kinds[str(k)] = self.repeats_kinds.get(str(k), 0) + int(v)
        other = r[r["kind"] != "same thread"]
        if sum(len(x) for x in self.repeats_first) < 20:
            self.repeats_first.append(other.head(20))

    def counts(self) -> dict[str, Any]:
        return {"replies": self.n, "mean_score": self.score_sum / self.n if self.n else float("nan"),
                "passed": self.passed, "critical": self.critical, "off_policy": self.off_policy,
                "high_precedent": self.high_risk, "rates": {k: tuple(v) for k, v in self.rates.items()},
                "unanswered": self.un_total, "unanswered_repeats": self.un_repeats,
                "repeats": self.repeats_total, "repeat_kinds": dict(self.repeats_kinds)}

    def template_table(self) -> pd.DataFrame:
        rows = [(tid, n, len(issues), ex) for tid, (n, issues, ex) in self.templates.items()]
        t = pd.DataFrame(rows, columns=["template_id", "replies", "issues", "example"])
        return t.sort_values(["replies", "template_id"], ascending=[False, True]).head(15).reset_index(drop=True)

    def data(self, threads: pd.DataFrame, consistency: pd.DataFrame, aggregates: dict[str, pd.DataFrame],
             broken_rows: list[tuple[int, str]], meta: dict[str, Any], checks_run: tuple[str, ...],
             check_errors: int) -> ReportData:
        first = [x for x in (*self.un_first, *self.un_other) if len(x)]
        reps = [x for x in self.repeats_first if len(x)]
        return ReportData(self.counts(), self.worst, threads, self.template_table(), consistency, aggregates,
                          pd.concat(first).head(20) if first else pd.DataFrame(),
                          pd.concat(reps).head(20) if reps else pd.DataFrame(), broken_rows, meta, checks_run,
                          check_errors)


def worst_threads(messages: pd.DataFrame, worst: pd.DataFrame) -> pd.DataFrame:
    """The messages of the worst replies' threads (only those: grouping every thread costs an index each)."""
    if messages is None or not len(messages) or not len(worst):
        return pd.DataFrame()
    return messages[messages["thread_id"].astype(str).isin(worst["thread_id"].astype(str).unique())]

