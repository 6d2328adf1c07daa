"""The pipeline's own plumbing: each text's language detected once, and the same answers as detecting per reply."""

from __future__ import annotations

from collections import Counter

import pytest

from qa import language
from qa.api import load_policy
from qa.pipeline import score_messages


@pytest.fixture(scope="module")
def untagged(small_generated):
    # as read from twcs: no language given, so every language is detected
    return small_generated.messages.assign(language=None)


def test_languages_match_detecting_every_reply_from_scratch(untagged):
    """Independent truth: qa.language run on each reply and on the customer's posts before it."""
    got = score_messages(untagged, load_policy(), checks={}).scores.set_index("reply_id")
    m = untagged.reset_index(drop=True)
    checked = 0
    for _, th in m.groupby("thread_id", sort=False):
        posts: list[str] = []
        for r in th.itertuples():
            if r.role == "customer":
                posts.append(r.text)
                continue
            row = got.loc[str(r.message_id)]
            assert row["reply_language"] == language.detect(r.text)
            expected = language.thread_language(posts) if posts else "und"
            assert row["customer_language"] == expected, (posts, r.text)
            checked += 1
    assert checked == len(got)


def test_each_text_is_detected_once(untagged, monkeypatch):
    calls: Counter[str] = Counter()
    real = language.detect

    def counting(text: str) -> str:
        calls[text] += 1
        return real(text)

    monkeypatch.setattr(language, "detect", counting)
    score_messages(untagged, load_policy(), checks={})
    assert calls, "the pipeline did not use qa.language.detect"
    brand_texts = set(untagged.loc[untagged["role"] == "brand", "text"])
    # a brand text (templates recur across threads) once per run; a customer post once per thread
    assert max(n for t, n in calls.items() if t in brand_texts) == 1
    per_thread = untagged[untagged["role"] == "customer"].groupby("text")["thread_id"].nunique()
    assert all(calls[t] <= per_thread.get(t, 1) + (t in brand_texts) for t in calls)


def test_given_languages_are_used_without_detection(small_generated, monkeypatch):
    monkeypatch.setattr(language, "detect", lambda text: pytest.fail("detected a language that was given"))
    m = small_generated.messages
    assert m["language"].notna().all()
    got = score_messages(m, load_policy(), checks={}).scores
    assert (got["reply_language"] == m.loc[m["role"] == "brand", "language"].to_numpy()).all()


def test_no_replies_gives_an_empty_table_with_the_contract_columns(small_generated):
    m = small_generated.messages
    got = score_messages(m[m["role"] == "customer"], load_policy())
    assert got.scores.empty
    assert {"reply_id", "thread_id", "score", "deflection", "language_mismatch", "flags"} <= set(got.scores.columns)
