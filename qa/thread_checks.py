"""Thread checks: response latency, customer posts left unanswered, threads moved to DM and never closed.

Lessons 1, 2, 4 and 6 of the domain brief: once a brand answers, every customer expects an answer; not every
post needs one (thanks, closings); a mild post turns angry while it waits; a conversation moved to DM should
come back publicly with the resolution. Working on a whole thread in time order:

* a customer post that needs a reply (:mod:`qa.closings`) is *pending* until the brand next answers that
  customer in the thread (the reply's parent says whom it answers; a reply with no known parent answers every
  pending post, as in a one-customer thread); a post that needs none (thanks, goodbye) never is;
* a brand reply's *latency* is its time minus the oldest pending post's (the customer's wait for a first
  response); a reply with nothing pending (a follow-up, a "you're welcome") has no latency;
* a *repeat* is a customer post made while an earlier one is still pending (they had to ask again); repeats
  by content, across threads and channels, are found by :mod:`qa.repeats`;
* posts still pending at the end are *unanswered*;
* a public reply that moves the conversation to DM (a DM request, or private brand messages after it) with no
  public brand message after the private part (other than another DM request) has *no public close*;
* a public brand reply that comes *back from DM* (a private message of its thread before it, and no public
  customer post since) is the public close of a matter handled in private, whatever its words.

Pure functions over sorted columns, one pass, so they scale to millions of messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .checks.base import CheckSpec, declare

__all__ = ["ThreadTiming", "thread_timing", "no_public_close", "back_from_dm", "UNANSWERED_COLUMNS"]

declare(CheckSpec("late_response", "late_response", description="answered after the first-response target",
                  evidence=False, grade_by="minutes_late", kind="thread"))
declare(CheckSpec("customer_repeated", "customer_repeated", kind="thread", evidence=False,
                  description="the customer had to post again before this reply (while waiting, or the same "
                              "complaint again elsewhere)"))
declare(CheckSpec("no_public_close", "no_public_close", kind="thread", evidence=False, context="where",
                  description="moved the conversation to DM and never came back publicly (lesson 6)"))

UNANSWERED_COLUMNS = ["message_id", "thread_id", "brand", "channel", "created_at", "repeat", "repeat_of",
                      "thread_has_brand_reply", "text"]


@dataclass
class ThreadTiming:
    """Per message (aligned with the input rows) and the unanswered customer posts."""

    latency_minutes: np.ndarray  # float, NaN except on brand replies that answered something pending
    repeats_before: np.ndarray  # int, on brand replies: pending customer posts beyond the first
    first_pending: np.ndarray  # int, on brand replies: row of the oldest post it answered (-1: none)
    last_pending: np.ndarray  # int, on brand replies: row of the newest post it answered (-1: none)
    unanswered: pd.DataFrame  # UNANSWERED_COLUMNS plus ``row`` (the message's row in the input)
    no_reply_needed: int  # customer posts that needed no reply (thanks, closings)


def thread_timing(messages: pd.DataFrame, needs_reply: np.ndarray | None = None) -> ThreadTiming:
    """Timing of every thread; ``messages`` sorted by thread_id then created_at (as readers return them).

    ``needs_reply`` (one bool per row, read on customer posts) says which posts wait for an answer; by
    default every one does.
    """
    # About 65 lines: one pass over the rows carrying each thread's waiting posts per customer; split, that
    # state would travel between the parts.
    n = len(messages)
    threads = messages["thread_id"].to_numpy()
    brand = messages["role"].to_numpy() == "brand"
    needs = np.ones(n, dtype=bool) if needs_reply is None else np.asarray(needs_reply, dtype=bool)
    with_brand = pd.Series(brand).groupby(threads).transform("any").to_numpy() if n else np.zeros(0, bool)
    owed = needs & _owed_a_reply(messages, threads, brand, with_brand)
    epoch = pd.Timestamp(0, tz="UTC")
    minutes = ((messages["created_at"] - epoch) / pd.Timedelta(minutes=1)).to_numpy(dtype="float64")
    latency = np.full(n, np.nan)
    repeats = np.zeros(n, dtype=np.int64)
    first_p = np.full(n, -1, dtype=np.int64)
    last_p = np.full(n, -1, dtype=np.int64)
    repeat_flag = np.zeros(n, dtype=bool)
    unanswered: list[int] = []
    # the loop reads Python lists: indexing a numpy array makes a numpy scalar per read
    threads_l, brand_l, needs_l, minutes_l = threads.tolist(), brand.tolist(), owed.tolist(), minutes.tolist()
    ids_l, authors_l, parents_l = (_column(messages, c, n) for c in ("message_id", "author_id", "parent_id"))
    pending: dict[object, list[int]] = {}  # per customer (author id): their posts waiting, oldest first
    whose: dict[object, object] = {}  # message id -> the customer it belongs to (a brand reply: the one it answers)
    prev = None
    for i in range(n):
        t = threads_l[i]
        if t != prev:
            for rows in pending.values():
                unanswered.extend(rows)
            pending, whose, prev = {}, {}, t
        if brand_l[i]:
            answered, who = _answered(pending, whose.get(parents_l[i], _UNKNOWN))
            if answered:
                latency[i] = minutes_l[i] - minutes_l[answered[0]]
                repeats[i] = len(answered) - 1
                first_p[i], last_p[i] = answered[0], answered[-1]
            whose[ids_l[i]] = who
        else:
            whose[ids_l[i]] = authors_l[i]
            if needs_l[i]:
                waiting = pending.setdefault(authors_l[i], [])
                if waiting:
                    repeat_flag[i] = True
                waiting.append(i)
    for rows in pending.values():
        unanswered.extend(rows)
    unanswered.sort()
    idx = np.asarray(unanswered, dtype=np.int64)
    has_reply = with_brand[idx]
    un = pd.DataFrame({
        "message_id": messages["message_id"].to_numpy()[idx],
        "thread_id": threads[idx],
        "brand": messages["brand"].to_numpy()[idx],
        "channel": messages["channel"].to_numpy()[idx],
        "created_at": messages["created_at"].to_numpy()[idx],
        "repeat": repeat_flag[idx],
        "repeat_of": pd.array([pd.NA] * len(idx), dtype="string"),
        "thread_has_brand_reply": has_reply,
        "text": messages["text"].to_numpy()[idx],
        "row": idx,
    })
    no_reply = int((~needs & ~brand).sum())
    return ThreadTiming(latency, repeats, first_p, last_p, un, no_reply)


TIMELINE_CHANNELS = frozenset({"twitter", "x"})  # where customers talk to each other by replying and @handles
_LEADING_HANDLES = re.compile(r"^(?:\s*@\w+)+")


def _owed_a_reply(messages: pd.DataFrame, threads: np.ndarray, brand: np.ndarray,
                  with_brand: np.ndarray) -> np.ndarray:
    """Per row: False on a customer post the brand owes nothing because it answers another customer.

    Where several customers post in a thread the brand takes part in, on a timeline (Twitter/X: a public
    exchange between customers), a post that replies to another customer's post, or opens a conversation that
    only other customers reply to, without naming the brand (@handle), is between customers; every other post is
    addressed to the brand. On a brand's page (Facebook, Instagram) every comment is addressed to the brand, a
    "same here" under another's comment included. Threads of one customer, or with no brand message
    (``with_brand``, per row), are left as they are.
    """
    n = len(messages)
    owed = np.ones(n, dtype=bool)
    if n == 0 or "author_id" not in messages.columns or "parent_id" not in messages.columns:
        return owed
    author = messages["author_id"]
    customer = ~brand
    others = author.where(customer).groupby(threads).transform("nunique").to_numpy() > 1
    on_timelines = messages["channel"].astype(str).str.lower().isin(TIMELINE_CHANNELS).to_numpy() \
        if "channel" in messages.columns else np.zeros(n, dtype=bool)
    candidates = np.flatnonzero(customer & others & with_brand & on_timelines)
    if not len(candidates):
        return owed
    row_of = dict(zip(messages["message_id"].tolist(), range(n)))
    handles = {"@" + str(h).lower() for h in author[brand].dropna().unique()}
    parents, authors, texts = messages["parent_id"].tolist(), author.tolist(), messages["text"].tolist()
    answered_by_customers = {parents[i] for i in candidates.tolist()}
    answered_by_brand = {parents[i] for i in np.flatnonzero(brand).tolist()}
    ids = messages["message_id"].tolist()
    for i in candidates.tolist():
        p = row_of.get(parents[i]) if isinstance(parents[i], str) else None
        if p is None:  # a post opening a conversation: to another customer when only customers take it up
            to_customer = ids[i] in answered_by_customers and ids[i] not in answered_by_brand
        else:
            to_customer = not brand[p] and authors[p] != authors[i]
        if to_customer:  # the handles a reply starts with are added by the platform: only the words count
            body = _LEADING_HANDLES.sub("", str(texts[i] or "")).lower()
            owed[i] = any(h in body for h in handles)
    return owed


_UNKNOWN = object()  # a reply whose parent is not a message of its thread


def _column(messages: pd.DataFrame, name: str, n: int) -> list[object]:
    return messages[name].tolist() if name in messages.columns else [None] * n


def _answered(pending: dict[object, list[int]], addressee: object) -> tuple[list[int], object]:
    """The pending posts a brand reply answers (taken out of ``pending``), and the customer it answers.

    A reply answers the customer whose post (or whose thread of replies) it replies to: under one public post
    several customers comment, and answering one leaves the others waiting (lesson 1). When its parent is
    unknown, it answers every pending post, as a reply in a one-customer thread does.
    """
    if addressee is not _UNKNOWN:
        return pending.pop(addressee, []), addressee
    if len(pending) == 1:
        (who, rows), = pending.items()
        pending.clear()
        return rows, who
    rows = sorted(r for waiting in pending.values() for r in waiting)
    pending.clear()
    return rows, _UNKNOWN


def no_public_close(thread: np.ndarray, is_brand: np.ndarray, public: np.ndarray,
                    dm_request: np.ndarray) -> np.ndarray:
    """Per message: True on a public brand reply that moved the thread to DM and was never closed publicly.

    ``dm_request`` is the check's verdict per message (True, False, or NaN/None when unknown or not a reply).
    Rows sorted by thread then time. "Moved to DM": the reply asks to go to DM, or a private brand message
    follows it. "Closed": a public brand message after both the reply and the last private brand message,
    that is not itself a DM request, or that *returns* from the private part (comes after a private brand
    message): once the conversation has been private, a public message is the way back even when it mentions
    the DM ("sorted this in DM: your refund is on its way"), and it does not move the thread again.
    A thread can also move silently: a customer's public post answered first in private (no public brand
    message before it); that private reply carries the flag, since the public sees no answer at all.
    """
    n = len(thread)
    if n == 0:
        return np.zeros(0, dtype=bool)
    dm = pd.array(dm_request, dtype="boolean").fillna(False).to_numpy(dtype=bool)
    row = np.arange(n)
    codes = pd.factorize(thread)[0]
    private_brand = is_brand & ~public
    last_private = _per_thread(np.where(private_brand, row, -1), codes, "max")
    private_before = _before(np.where(private_brand, row, -1), codes) >= 0  # a private brand message earlier
    returns = is_brand & public & private_before
    closer = is_brand & public & (~dm | returns)
    # the last closing message of each thread, and whether some private brand message comes after row i
    last_close = _per_thread(np.where(closer, row, -1), codes, "max")
    moved = is_brand & public & ((dm & ~returns) | (last_private > row))
    public_brand_before = _before(np.where(is_brand & public, row, -1), codes) >= 0
    public_post_before = _before(np.where(~is_brand & public, row, -1), codes) >= 0
    first_private = private_brand & ~private_before
    moved |= first_private & public_post_before & ~public_brand_before
    after = np.maximum(row, last_private)
    return moved & (last_close <= after)


def back_from_dm(thread: np.ndarray, is_brand: np.ndarray, public: np.ndarray,
                 answered_last: np.ndarray | None = None) -> np.ndarray:
    """Per message: True on a public brand reply that follows the thread's private part (lesson 6's way back).

    A private message (the brand's or the customer's) came earlier in its thread, and no public post the reply
    answers came after the last such message: the reply closes, in public, what was handled in private ("All
    done, enjoy your week!"), and answers no new public complaint. ``answered_last`` (per message: the row of
    the newest post a brand reply answers, -1 for none; :class:`ThreadTiming`'s ``last_pending``) says which
    posts it answers: where several customers comment under one post, another customer's public post after the
    DM is theirs, not the one this close comes back to. Without it, any public customer post after the private
    part counts. Rows sorted by thread then time.
    """
    n = len(thread)
    if n == 0:
        return np.zeros(0, dtype=bool)
    row = np.arange(n)
    codes = pd.factorize(thread)[0]
    last_private = _before(np.where(~public, row, -1), codes)
    if answered_last is None:
        answered_last = _before(np.where(~is_brand & public, row, -1), codes)
    return is_brand & public & (last_private >= 0) & (answered_last < last_private)


def _per_thread(values: np.ndarray, codes: np.ndarray, how: str) -> np.ndarray:
    return pd.Series(values).groupby(codes).transform(how).to_numpy()


def _before(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Per row: the largest of ``values`` (row numbers, or -1) at earlier rows of its thread (-1 when none).

    Rows are sorted by thread, and the values are row numbers, so a running maximum over the whole array is
    the latest such row so far; it belongs to this thread when it is not before the thread's first row (numpy
    alone: a groupby per call cost as much as the rest of the rule).
    """
    n = len(values)
    if n == 0:
        return values
    row = np.arange(n)
    first = np.maximum.accumulate(np.where(np.r_[True, codes[1:] != codes[:-1]], row, 0))
    latest = np.maximum.accumulate(values)
    earlier = np.r_[-1, latest[:-1]]
    return np.where(earlier >= first, earlier, -1)
