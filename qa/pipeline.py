"""The QA pipeline: a run in three phases over batches of whole threads, and the in-memory entry point.

1. :meth:`Audit.add` scores a batch of whole threads with everything the thread alone decides
   (:mod:`qa.replies`) and keeps, in :class:`~qa.wholefile.WholeFile`, only what the whole-file analyses need;
2. :meth:`Audit.finish` groups issues and templates, runs the consistency statistics and finds repeats
   across batches, once;
3. :meth:`Audit.complete` adds those results to a batch's replies and scores them (:mod:`qa.scorecard`).

:func:`score_messages` runs the three phases on messages already in memory (the app, the tests, the
simulator's reply log); :mod:`qa.stream` runs them on a file of any size, batch by batch, with bounded memory.
No file I/O here. Checks come from the registry (:mod:`qa.verdicts`), language detection from
:mod:`qa.language` when it exists ("und" otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .checks.base import Check
from .closings import forget as forget_answers
from .consistency import FINDING_COLUMNS
from .detection import language_detector
from .evidence import Item, forget_item_json
from .memory import release
from .replies import Batch, score_batch
from .repeats import REPEAT_COLUMNS, KeepFn, RepeatFinder
from .scorecard import AGGREGATE_BY, aggregate, score_replies
from .templates import echo_flags
from .thread_checks import UNANSWERED_COLUMNS
from .verdicts import specs, text_checks
from .wholefile import Whole, WholeFile, apply, with_items

if TYPE_CHECKING:
    from .rulebook import Rulebook

__all__ = ["QAResult", "Audit", "score_messages", "registered_checks", "language_detector", "score_columns",
           "SCORE_COLUMNS", "thread_batches", "BATCH_MESSAGES"]

ProgressFn = Callable[[int, int], None]
BATCH_MESSAGES = 50_000  # messages scored at a time (whole threads): bounds phase one's working memory


def score_columns(checks: dict[str, Check] | None = None) -> list[str]:
    """The columns of ``scores.csv`` in order: the contract first, the text checks' columns from the registry."""
    check_cols = [s.column for s in specs().values() if s.kind == "text" and (checks is None or s.name in checks)]
    return ["reply_id", "thread_id", "score", *check_cols, "customer_language", "reply_language", "precedent_risk",
            "flags", "evidence", "passed", "score_explained", "brand", "channel", "public", "agent_id", "created_at",
            "customer_followers", "issue_category", "auto_fail", "auto_fail_reasons", "failed_criteria",
            "score_without_critical", "latency_minutes", "minutes_late", "late_response", "customer_repeated",
            "no_public_close", "concessions", "policy_status", "policy_reasons", "off_policy", "departure",
            "visibility", "claimability", "never_acceptable", "issue", "template_id", "template_overuse", "text"]


SCORE_COLUMNS = score_columns()


@dataclass
class QAResult:
    """Everything one QA run produces; see the README's QA section for the columns."""

    scores: pd.DataFrame
    messages: pd.DataFrame
    broken_rows: list[tuple[int, str]] = field(default_factory=list)
    consistency: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FINDING_COLUMNS))
    aggregates: dict[str, pd.DataFrame] = field(default_factory=dict)
    unanswered: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNANSWERED_COLUMNS))
    repeats: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPEAT_COLUMNS))
    check_errors: list[tuple[str, str, str]] = field(default_factory=list)
    checks_run: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)


def registered_checks() -> dict[str, Check]:
    """The checks registered in :mod:`qa.checks` (its modules imported so that they register)."""
    return text_checks()


class Audit:
    """One QA run: phase one batch by batch, then the whole-file phase, then scoring (module docstring)."""

    def __init__(self, book: Rulebook, checks: dict[str, Check] | None = None,
                 keep_authors: KeepFn | set[str] | None = None, model: Any = None, spill_dir: Any = None):
        self.book = book
        self.model = model  # a qa.learned.LearnedModel combined with the rules, or None
        self.checks = registered_checks() if checks is None else checks
        self.specs = specs()
        self.detect = language_detector()[0]
        self.repeat_finder = RepeatFinder(book.threads, keep_authors)
        self.whole_file = WholeFile(book, spill_dir)  # spill_dir: a folder for its temporary files
        self.replies = self.messages = self.no_reply_needed = 0
        self.errors: list[tuple[str, str, str]] = []
        self._brand_memo: dict[str, str] = {}
        self._repeats: list[pd.DataFrame] = []  # repeats by content found inside batches (few rows)

    def add(self, messages: pd.DataFrame) -> Batch:
        """Phase one on a batch of whole threads; the reply table gets ``pos``, its rows' place in the run."""
        b = score_batch(messages, self.book, self.checks, self.specs, self.detect, self.repeat_finder,
                        self.messages, self._brand_memo, self.model)
        return self.absorb(b, len(messages))

    def absorb(self, b: Batch, n_messages: int) -> Batch:
        """Keep what the whole file needs of a batch scored here or in a worker (:mod:`qa.parallel`), in
        batch order; ``n_messages``: the batch's message count."""
        b.table["pos"] = np.arange(self.replies, self.replies + len(b.table), dtype=np.int64)
        self.whole_file.add(b.table)
        self.replies += len(b.table)
        self.messages += n_messages
        self.no_reply_needed += b.no_reply_needed
        self.errors += b.errors
        if len(b.repeats):
            self._repeats.append(b.repeats)
        return b

    def finish(self, echo_of: Callable[[np.ndarray], np.ndarray] | None) -> Whole:
        """Phase two; ``echo_of(positions)``: whether those replies reuse their customer's words."""
        self._brand_memo.clear()  # phase one's language memo: no more replies to detect
        forget_answers()  # and its memo of which customer posts need a reply
        forget_item_json()  # and its evidence JSON memo: phase two's peak is the run's
        issue, tid, spread, over, findings = self.whole_file.finish(echo_of)
        frames = [f for f in [*self._repeats, self.repeat_finder.finish()] if len(f)]
        if frames:  # each repeat once: the earliest earlier post wins
            found = pd.concat(frames, ignore_index=True).sort_values(["pos", "of_created_at", "of_message_id"],
                                                                     kind="stable").drop_duplicates("pos")
        else:
            found = pd.DataFrame(columns=[*REPEAT_COLUMNS, "pos"])
        found = found.reset_index(drop=True)
        rep = found["pos"].to_numpy(dtype=np.int64)
        return Whole(issue, tid, spread, over, findings, rep, found)

    def complete(self, table: pd.DataFrame, whole: Whole) -> pd.DataFrame:
        """Phase three on a batch of phase one's replies: whole-file columns, score, flags; the final columns."""
        t = apply(table, whole)
        excused: dict[int, list[tuple[str, str]]] = {}
        t = pd.concat([t, score_replies(t, self.book, excused)], axis=1)
        if excused:  # the reason a flagged criterion was not charged, beside the flag's own evidence
            ev = t["evidence"].to_numpy().copy()
            for j, notes in excused.items():
                ev[j] = with_items(ev[j], tuple(Item(name, note=f"not charged: {reason}") for name, reason in notes))
            t["evidence"] = ev
        t["flags"] = t["failed_criteria"]
        return t[[c for c in score_columns(self.checks) if c in t.columns]]

    def meta(self) -> dict[str, Any]:
        card = self.book.scorecard
        rubric = ", ".join(f"{name} {rule.weight:g}" + (" (critical)" if rule.critical else "")
                           + (" graded" if rule.grades else "") for name, rule in card.criteria.items())
        return {"policy": self.book.name, "replies": int(self.replies), "messages": int(self.messages),
                "checks": list(self.checks), "no_reply_needed": int(self.no_reply_needed),
                "rubric": {"pass_mark": card.pass_mark, "criteria": rubric}}


def thread_batches(messages: pd.DataFrame, size: int = BATCH_MESSAGES) -> Iterator[pd.DataFrame]:
    """Slices of about ``size`` messages that never split a thread (``messages`` sorted by thread)."""
    m = messages.reset_index(drop=True)
    n = len(m)
    if n == 0:
        yield m
        return
    th = m["thread_id"].to_numpy()
    starts = np.r_[0, np.flatnonzero(th[1:] != th[:-1]) + 1]
    start = 0
    while start < n:
        k = np.searchsorted(starts, start + size, side="left")
        end = int(starts[k]) if k < len(starts) and starts[k] > start else n
        yield m.iloc[start:end]
        start = end


def finish_unanswered(parts: list[pd.DataFrame], whole: Whole) -> pd.DataFrame:
    """Unanswered posts of every batch, with the earlier post each repeats by content; position dropped."""
    un = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*UNANSWERED_COLUMNS, "pos"])
    if len(un):
        of = whole.repeats.set_index("pos")["of_message_id"] if len(whole.repeats) else pd.Series(dtype=object)
        un["repeat_of"] = un["pos"].map(of).astype("string")
        un["repeat"] = un["repeat"].astype(bool) | un["repeat_of"].notna()
    return un.drop(columns="pos")[UNANSWERED_COLUMNS]


def merge_repeats(whole: Whole) -> pd.DataFrame:
    """Every repeat by content once (the earliest earlier post wins), without the position column."""
    return whole.repeats.drop(columns="pos").reset_index(drop=True)[REPEAT_COLUMNS]


def score_messages(messages: pd.DataFrame, book: Rulebook, progress: ProgressFn | None = None,
                   broken_rows: list[tuple[int, str]] | None = None,
                   checks: dict[str, Check] | None = None, model: Any = None,
                   settle: Callable[[], None] | None = None, jobs: Any = 1) -> QAResult:
    """Score every brand reply in ``messages`` (own schema, sorted by thread and time), all in memory.

    ``model``: a :class:`qa.learned.LearnedModel` to combine with the rules (None: rules alone).
    ``checks`` defaults to every registered check; pass a dict to run a subset (benchmarks, tests).
    ``settle``: called between batches (:func:`qa.memory.frozen_heap`), or None. ``jobs``: processes for
    phase one, or :class:`qa.parallel.Workers` already started (the same result; small inputs given a number
    stay in this process).
    """
    from .parallel import batch_messages, phase_one, use_jobs

    m = messages.reset_index(drop=True)
    cust = m[m["role"] != "brand"]
    threads_per_author = cust.groupby("author_id")["thread_id"].nunique()
    audit = Audit(book, checks, keep_authors=set(threads_per_author.index[threads_per_author > 1]), model=model)
    total = int((m["role"] == "brand").sum())
    tables, unanswered = [], []
    if settle is not None:
        settle()
    if isinstance(jobs, int):
        jobs = use_jobs(jobs, len(m))
    size = batch_messages(len(m), jobs if isinstance(jobs, int) else jobs.jobs, BATCH_MESSAGES)
    for _, b in phase_one(audit, thread_batches(m, size), jobs):
        tables.append(b.table)
        unanswered.append(b.unanswered)
        del b
        if settle is not None:
            settle()
        if progress is not None:
            progress(audit.replies, total)
    t = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    del tables
    release()
    s = book.consistency
    texts, cust_texts = t["text"].to_numpy(), t["customer_text"].fillna("").to_numpy()
    whole = audit.finish(lambda rows: echo_flags(texts[rows], cust_texts[rows], s.echo_min_letters))
    scores = audit.complete(t, whole)
    del t
    release()
    return QAResult(scores=scores, messages=m, broken_rows=list(broken_rows or []), consistency=whole.findings,
                    aggregates={by: aggregate(scores, by) for by in AGGREGATE_BY},
                    unanswered=finish_unanswered(unanswered, whole), repeats=merge_repeats(whole),
                    check_errors=audit.errors, checks_run=tuple(audit.checks), meta=audit.meta())
