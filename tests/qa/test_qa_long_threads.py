"""A reply is read with the recent thread (``CONTEXT_POSTS``), so a thread of thousands of messages costs time and
memory in proportion to its length, not its square (a 30,000-message thread took over 600 CPU s and 16 GB
before; about 10 s and 550 MB with the window)."""

from __future__ import annotations

from qa.checks.base import CONTEXT_POSTS
from qa.detection import language_detector
from qa.learned.contexts import reply_contexts
from qa.repeats import RepeatFinder
from qa.replies import score_batch
from qa.rulebook import load_rulebook
from qa.verdicts import specs, text_checks


def _reply_table(messages):
    """Phase one's reply table, which keeps the customer text each reply was read with."""
    book = load_rulebook(None)
    return score_batch(messages, book, text_checks(), specs(), language_detector()[0],
                       RepeatFinder(book.threads)).table


def _long_thread(build, posts: int):
    rows = []
    for i in range(posts):
        rows.append(dict(role="customer", text=f"customer post number {i} about my parcel", at=2 * i))
        rows.append(dict(role="brand", text=f"brand answer number {i}", at=2 * i + 1, agent_id="a1"))
    return build(rows)


def test_a_reply_is_read_with_the_latest_posts_only(build):
    extra = 7
    m = _long_thread(build, CONTEXT_POSTS + extra)
    scores = _reply_table(m)
    last = scores["customer_text"].iloc[-1].split("\n")
    assert len(last) == CONTEXT_POSTS
    assert last[0] == f"customer post number {extra} about my parcel"
    assert last[-1] == f"customer post number {CONTEXT_POSTS + extra - 1} about my parcel"
    early = scores["customer_text"].iloc[3].split("\n")  # shorter threads are read whole, as before
    assert len(early) == 4 and early[0].startswith("customer post number 0 ")
    # the learned layer's contexts read the same window, so training and scoring see the same thread
    contexts = reply_contexts(m)
    assert [c.customer_text for c in contexts] == scores["customer_text"].tolist()
    assert len(contexts[-1].earlier_brand_texts) == CONTEXT_POSTS
    assert contexts[-1].earlier_brand_texts[-1] == f"brand answer number {CONTEXT_POSTS + extra - 2}"
    assert contexts[2].earlier_brand_texts == ("brand answer number 0", "brand answer number 1")


def test_stored_context_grows_linearly_with_the_thread(build):
    """The customer text kept per reply is bounded, so the scores of a long thread hold about
    replies x CONTEXT_POSTS posts, not replies^2 / 2."""
    n = 4 * CONTEXT_POSTS
    scores = _reply_table(_long_thread(build, n))
    kept = sum(t.count("\n") + 1 for t in scores["customer_text"])
    assert kept <= n * CONTEXT_POSTS
    assert kept < n * (n + 1) // 2 / 2
