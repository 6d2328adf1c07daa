"""Thread checks: response latency against the first-response target, and customer posts left unanswered.

Lessons 1 and 4 of the domain brief: once a brand answers, every customer expects an answer, and a mild post
turns angry while it waits. Working on a whole thread in time order:

* a customer post is *pending* until the brand next writes in the thread;
* a brand reply's *latency* is its time minus the oldest pending post's (the customer's wait for a first
  response); a reply with nothing pending (a follow-up) has no latency;
* a *repeat* is a customer post made while an earlier one is still pending (they had to ask again);
* posts still pending at the end are *unanswered*; unanswered repeats are the violations.

Pure function over sorted columns, one pass, so it scales to millions of messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ThreadTiming", "thread_timing"]


@dataclass
class ThreadTiming:
    """Per message (aligned with the input rows) and the unanswered customer posts."""

    latency_minutes: np.ndarray  # float, NaN except on brand replies that answered something pending
    repeats_before: np.ndarray  # int, on brand replies: pending customer posts beyond the first
    unanswered: pd.DataFrame  # message_id, thread_id, created_at, repeat


def thread_timing(messages: pd.DataFrame) -> ThreadTiming:
    """Timing of every thread; ``messages`` sorted by thread_id then created_at (as readers return them)."""
    n = len(messages)
    threads = messages["thread_id"].to_numpy()
    brand = (messages["role"].to_numpy() == "brand")
    epoch = pd.Timestamp(0, tz="UTC")
    minutes = ((messages["created_at"] - epoch) / pd.Timedelta(minutes=1)).to_numpy(dtype="float64")
    latency = np.full(n, np.nan)
    repeats = np.zeros(n, dtype=np.int64)
    repeat_flag = np.zeros(n, dtype=bool)
    pending: list[int] = []
    unanswered: list[int] = []
    prev = None
    for i in range(n):
        t = threads[i]
        if t != prev:
            unanswered.extend(pending)
            pending = []
            prev = t
        if brand[i]:
            if pending:
                latency[i] = minutes[i] - minutes[pending[0]]
                repeats[i] = len(pending) - 1
                pending = []
        else:
            if pending:
                repeat_flag[i] = True
            pending.append(i)
    unanswered.extend(pending)
    idx = np.asarray(unanswered, dtype=np.int64)
    un = pd.DataFrame({
        "message_id": messages["message_id"].to_numpy()[idx],
        "thread_id": threads[idx],
        "brand": messages["brand"].to_numpy()[idx],
        "created_at": messages["created_at"].to_numpy()[idx],
        "repeat": repeat_flag[idx],
        "thread_has_brand_reply": pd.Series(brand).groupby(threads).transform("any").to_numpy()[idx]
        if n else np.zeros(0, dtype=bool),
        "text": messages["text"].to_numpy()[idx],
    })
    return ThreadTiming(latency, repeats, un)
