"""Thread checks: response latency, customer posts left unanswered, threads moved to DM and never closed.

Lessons 1, 2, 4 and 6 of the domain brief: once a brand answers, every customer expects an answer; not every
post needs one (thanks, closings); a mild post turns angry while it waits; a conversation moved to DM should
come back publicly with the resolution. Working on a whole thread in time order:

* a customer post that needs a reply (:mod:`qa.closings`) is *pending* until the brand next writes in the
  thread; a post that needs none (thanks, goodbye) never is;
* a brand reply's *latency* is its time minus the oldest pending post's (the customer's wait for a first
  response); a reply with nothing pending (a follow-up, a "you're welcome") has no latency;
* a *repeat* is a customer post made while an earlier one is still pending (they had to ask again); repeats
  by content, across threads and channels, are found by :mod:`qa.repeats`;
* posts still pending at the end are *unanswered*;
* a public reply that moves the conversation to DM (a DM request, or private brand messages after it) with no
  public brand message after the private part (other than another DM request) has *no public close*.

Pure functions over sorted columns, one pass, so they scale to millions of messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .checks.base import CheckSpec, declare

__all__ = ["ThreadTiming", "thread_timing", "no_public_close", "UNANSWERED_COLUMNS"]

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
    n = len(messages)
    threads = messages["thread_id"].to_numpy()
    brand = messages["role"].to_numpy() == "brand"
    needs = np.ones(n, dtype=bool) if needs_reply is None else np.asarray(needs_reply, dtype=bool)
    epoch = pd.Timestamp(0, tz="UTC")
    minutes = ((messages["created_at"] - epoch) / pd.Timedelta(minutes=1)).to_numpy(dtype="float64")
    latency = np.full(n, np.nan)
    repeats = np.zeros(n, dtype=np.int64)
    first_p = np.full(n, -1, dtype=np.int64)
    last_p = np.full(n, -1, dtype=np.int64)
    repeat_flag = np.zeros(n, dtype=bool)
    pending: list[int] = []
    unanswered: list[int] = []
    prev = None
    # the loop reads Python lists: indexing a numpy array makes a numpy scalar per read
    threads_l, brand_l, needs_l, minutes_l = threads.tolist(), brand.tolist(), needs.tolist(), minutes.tolist()
    for i in range(n):
        t = threads_l[i]
        if t != prev:
            unanswered.extend(pending)
            pending = []
            prev = t
        if brand_l[i]:
            if pending:
                latency[i] = minutes_l[i] - minutes_l[pending[0]]
                repeats[i] = len(pending) - 1
                first_p[i], last_p[i] = pending[0], pending[-1]
                pending = []
        elif needs_l[i]:
            if pending:
                repeat_flag[i] = True
            pending.append(i)
    unanswered.extend(pending)
    idx = np.asarray(unanswered, dtype=np.int64)
    has_reply = pd.Series(brand).groupby(threads).transform("any").to_numpy()[idx] if n else np.zeros(0, bool)
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
