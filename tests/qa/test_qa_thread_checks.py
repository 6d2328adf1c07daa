"""Thread timing on hand-made threads, and invariants on generated ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.thread_checks import thread_timing


def test_latency_repeats_and_unanswered_by_hand(build):
    m = build([
        dict(role="customer", text="where is my parcel", at=0),
        dict(role="customer", text="hello??", at=30),           # a repeat while waiting
        dict(role="brand", text="on its way", at=95),            # waited 95 min since the first post
        dict(role="customer", text="thanks", at=100),
        dict(role="brand", text="you're welcome", at=110),       # 10 min
        dict(role="brand", text="one more thing", at=120),       # follow-up: nothing pending
        dict(role="customer", text="it did not come", at=200),
        dict(role="customer", text="anyone??", at=260),          # unanswered repeat
        dict(thread_id="t2", role="customer", text="other thread", at=5),   # never answered, not a repeat
    ])
    t = thread_timing(m)
    by_text = dict(zip(m["text"], range(len(m))))
    assert t.latency_minutes[by_text["on its way"]] == pytest.approx(95)
    assert t.repeats_before[by_text["on its way"]] == 1
    assert t.latency_minutes[by_text["you're welcome"]] == pytest.approx(10)
    assert np.isnan(t.latency_minutes[by_text["one more thing"]])
    un = t.unanswered.set_index("text")
    assert set(un.index) == {"it did not come", "anyone??", "other thread"}
    assert bool(un.loc["anyone??", "repeat"]) and not bool(un.loc["it did not come", "repeat"])
    assert not bool(un.loc["other thread", "thread_has_brand_reply"])


def test_generated_late_replies_and_unanswered_repeats_are_found_exactly(small_generated):
    from qa.api import load_policy
    from qa.pipeline import score_messages

    r = score_messages(small_generated.messages, load_policy())
    s = r.scores.set_index("reply_id")
    lab = small_generated.labels.set_index("reply_id")
    for col in ("late_response", "customer_repeated", "no_public_close"):
        assert lab[col].sum() >= 5, col
        assert (s.loc[lab.index, col].fillna(False).astype(bool) == lab[col]).all(), col
    posts = small_generated.post_labels
    truth = set(posts.loc[posts["unanswered_repeat"], "message_id"])
    found = set(r.unanswered.loc[r.unanswered["repeat"], "message_id"])
    assert truth and found == truth
    assert set(r.unanswered["message_id"]) == set(posts.loc[posts["unanswered"], "message_id"])
    # closing posts ("got it, thank you") are neither unanswered nor waiting
    closings = set(posts.loc[~posts["needs_reply"], "message_id"])
    assert closings and not closings & set(r.unanswered["message_id"])
    assert r.meta["no_reply_needed"] == len(closings)
    # the same complaint posted again in new threads: each later copy is a repeat of the first
    copies = posts[posts["repeat_of"].fillna("") != ""].set_index("message_id")["repeat_of"]
    got = r.repeats.set_index("message_id")["of_message_id"]
    assert len(copies) >= 3 and (got.reindex(copies.index) == copies).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.booleans(), st.integers(0, 5000)),
                min_size=1, max_size=40))
def test_every_customer_post_is_answered_or_listed_and_waits_are_not_negative(build, posts):
    rows = [dict(thread_id=t, role="brand" if b else "customer", at=at, text=f"m{i}") for i, (t, b, at) in
            enumerate(posts)]
    m = build(rows)
    t = thread_timing(m)
    lat = t.latency_minutes[~np.isnan(t.latency_minutes)]
    assert (lat >= 0).all()
    # a customer post is unanswered exactly when no brand message follows it in its thread
    for i, r in m.iterrows():
        if r["role"] != "customer":
            continue
        later = m[(m["thread_id"] == r["thread_id"]) & (m.index > i) & (m["role"] == "brand")]
        assert (r["message_id"] in set(t.unanswered["message_id"])) == later.empty
