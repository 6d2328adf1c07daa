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


def test_a_reply_answers_the_customer_it_replies_to_and_leaves_the_others_waiting(build):
    """Lesson 1: comments of several customers under one post; answering one does not answer the others."""
    m = build([
        dict(message_id="ann1", author_id="ann", text="@Acme my parcel never came", at=0),
        dict(message_id="bob1", author_id="bob", text="@Acme same here, three weeks now", at=10),
        dict(message_id="ann2", author_id="ann", text="@Acme hello?", at=20),          # Ann asks again
        dict(message_id="to_ann", role="brand", author_id="Acme", parent_id="ann2", text="@ann sorry, checking",
             at=60),
        dict(message_id="bob2", author_id="bob", text="@Acme and me??", at=70),        # Bob asks again
        dict(message_id="ann3", author_id="ann", text="@Acme any news?", at=80),
        dict(message_id="more", role="brand", author_id="Acme", parent_id="to_ann", text="@ann it ships today",
             at=90),                                                                    # Acme's own thread to Ann
    ])
    t = thread_timing(m)
    row = dict(zip(m["message_id"], range(len(m))))
    assert t.latency_minutes[row["to_ann"]] == pytest.approx(60)  # Ann's wait, from her first post
    assert t.repeats_before[row["to_ann"]] == 1  # her own "hello?", not Bob's post
    assert t.latency_minutes[row["more"]] == pytest.approx(10)  # answers Ann's "any news?"
    un = t.unanswered.set_index("message_id")
    assert list(un.index) == ["bob1", "bob2"]  # Bob is still waiting, in time order
    assert bool(un.loc["bob2", "repeat"]) and not bool(un.loc["bob1", "repeat"])


def test_a_reply_whose_parent_is_unknown_answers_every_waiting_post(build):
    m = build([
        dict(message_id="ann1", author_id="ann", text="@Acme my parcel never came", at=0),
        dict(message_id="bob1", author_id="bob", text="@Acme same here", at=10),
        dict(message_id="r", role="brand", author_id="Acme", text="@ann @bob sorry, checking", at=40),
    ])
    t = thread_timing(m)
    assert t.unanswered.empty and t.latency_minutes[2] == pytest.approx(40) and t.repeats_before[2] == 1


def test_several_customers_in_the_pipeline_one_answered(build):
    from qa.api import load_policy
    from qa.pipeline import score_messages

    r = score_messages(build([
        dict(message_id="ann1", author_id="ann", channel="facebook", text="My order is two weeks late", at=0),
        dict(message_id="bob1", author_id="bob", channel="facebook", text="Mine too, and nobody answers", at=5),
        dict(message_id="to_ann", role="brand", author_id="Acme", channel="facebook", parent_id="ann1",
             text="Sorry Ann, we're checking your order now and will update you here today.", at=30),
    ]), load_policy())
    assert list(r.unanswered["message_id"]) == ["bob1"]
    assert not bool(r.scores.set_index("reply_id").loc["to_ann", "customer_repeated"])


def test_customers_talking_among_themselves_are_owed_no_reply(build):
    m = build([
        dict(message_id="post", role="brand", author_id="Acme", text="Delivery slots for December are open!", at=0),
        dict(message_id="ann1", author_id="ann", parent_id="post", text="@Acme the site won't load", at=5),
        dict(message_id="bob1", author_id="bob", parent_id="ann1", text="@ann @Acme same, queue of 20 min", at=6),
        dict(message_id="cat1", author_id="cat", parent_id="ann1", text="@ann it works now for me", at=7),
        dict(message_id="dan1", author_id="dan", parent_id="ann1", text="@ann still broken, @Acme please fix", at=8),
        dict(message_id="to_ann", role="brand", author_id="Acme", parent_id="ann1", text="@ann sorry, try again?",
             at=20),
    ])
    t = thread_timing(m)
    # Bob and Cat answer Ann (the handles a reply starts with are the platform's); Dan names the brand in his words
    assert list(t.unanswered["message_id"]) == ["dan1"]


def test_a_comment_other_customers_and_the_brand_answer_is_owed_its_reply(build):
    """The first comment under a post (its parent, the post, not in the data) that another customer takes up is
    still addressed to the brand when the brand answers it too."""
    m = build([
        dict(message_id="ann1", author_id="ann", channel="facebook", text="My order is two weeks late", at=0),
        dict(message_id="bob1", author_id="bob", channel="facebook", parent_id="ann1", text="Same here", at=5),
        dict(message_id="to_ann", role="brand", author_id="Acme", channel="facebook", parent_id="ann1",
             text="Sorry Ann, checking your order now.", at=30),
    ])
    t = thread_timing(m)
    assert t.latency_minutes[2] == pytest.approx(30)
    assert list(t.unanswered["message_id"]) == ["bob1"]  # a "same here" on the brand's page waits for it too
    on_twitter = m.assign(channel="twitter")
    t = thread_timing(on_twitter)
    assert t.latency_minutes[2] == pytest.approx(30)
    assert list(t.unanswered["message_id"]) == []  # on a timeline Bob answered Ann, not the brand


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["thanks", "Thanks!", "all sorted", "great", "but", "my order is late",
                                          "love you guys", "?", "ok", " ", ", ", "👍", "gracias", "@brand"]),
                         max_size=6).map("".join), max_size=12))
def test_remembered_answers_are_the_rules_own(posts: list[str]) -> None:
    """Which posts need a reply is remembered by text (the thread timing and the tone checks both ask): asked
    again, after a batch forgets, or with the memo full, the answer is the rule's own."""
    from qa import closings

    rule = closings.closing_rule()
    for text in posts + posts:
        assert closings.needs_reply(text) is rule.needs_reply(text)
    closings.forget()
    assert not closings._ANSWERS
    limit = closings._ANSWERS.limit
    closings._ANSWERS.limit = 3  # full every few posts: it starts over
    try:
        for text in reversed(posts):
            assert closings.needs_reply(text) is rule.needs_reply(text)
            assert len(closings._ANSWERS) <= 3
    finally:
        closings._ANSWERS.limit = limit
        closings.forget()
