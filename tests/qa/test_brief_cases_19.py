"""The scorecard on ``brief_threads_19``: combinations the earlier rounds held thinly, verdicts written first.

Each audited reply's verdict, the customer posts a QA lead lists as waiting or needing nothing, the posts that are
and are not repeats, and the consistency findings expected are in ``brief_threads_19`` beside the threads, written
before the tool was run (on main 67 of 84 matched; now 81, the 3 left in ``LEFT``). The round's fixes, each case
of it failing before: a free upgrade worded "upgraded your season ticket to first class" is a concession (three
cases, graded by audience); closings such as "brill, ta", "I'll keep an eye out for it", "cheers, you're a star",
"perfecto, ya me ha llegado", "vale, quedo a la espera" need no reply; "the store team will deal with it this
afternoon" is no never-acceptable phrase (``never_acceptable_unless`` in the rulebook); the same complaint again
with a few words before it ("os lo escribí ayer en twitter: ...") is a repeat by containment
(``threads.repeat_containment``); "please start a live chat on our website" is a deflection. Verdicts left are
in ``LEFT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from carebench_shared.config import ConfigError
from qa.api import load_policy, score_file
from qa.closings import closing_rule
from qa.policy_checks import never_acceptable
from qa.repeats import _matches

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import assert_verdict  # noqa: E402
from brief_threads_19 import (ANSWERED, FINDINGS, LEFT, NO_FINDING, NOT_REPEATS, REPEATS,  # noqa: E402
                              UNANSWERED, VERDICTS, write_csv)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief19") / "threads.csv"
    write_csv(str(path))
    return score_file(path)


@pytest.mark.parametrize("rid", sorted(set(VERDICTS) - set(LEFT)))
def test_each_reply_gets_the_qa_leads_verdict(result, rid):
    assert_verdict(VERDICTS[rid], result.scores.set_index("reply_id").loc[rid])


def test_waiting_and_answered_posts_are_listed_as_a_qa_lead_lists_them(result):
    waiting = set(result.unanswered["message_id"])
    assert UNANSWERED - set(LEFT) <= waiting
    assert not ANSWERED & waiting


def test_repeats_and_look_alikes(result):
    found = set(result.repeats["message_id"])
    assert REPEATS <= found
    assert not NOT_REPEATS & found
    rep = result.repeats.set_index("message_id")
    assert rep.loc["rp-es-fb-1", "kind"] == "other channel" and rep.loc["rp-es-fb-1", "of_message_id"] == "rp-es-tw-1"


def test_consistency_findings_give_counts_in_words_and_none_for_the_near_miss(result):
    cons = result.consistency
    for brand, (a, b) in FINDINGS.items():
        if f"finding:{brand}" in LEFT:
            continue
        rows = cons[(cons["brand"] == brand) & cons["summary"].str.contains(a, regex=False)
                    & cons["summary"].str.contains(b, regex=False)]
        assert len(rows) and set(rows["strength"]) <= {"strong", "suggestive"}
    assert not (cons["brand"].isin(NO_FINDING)).any()


def test_the_same_upgrade_scores_lower_the_more_visible(result):
    s = result.scores.set_index("reply_id")["score_without_critical"]
    assert s["pr-upgrade-dm-2"] > s["pr-upgrade-small-2"] > s["pr-upgrade-big-2"]


def test_the_left_verdicts_are_still_as_reported(result):
    """What the round left, as the README says: if one of these changes, the README is out of date."""
    assert "un-skipped-first-1" not in set(result.unanswered["message_id"])
    assert not (result.consistency["brand"] == "Nube").any()  # LEFT["finding:Nube"]
    row = result.scores.set_index("reply_id").loc["dm-curt-es-2"]
    assert row["score"] == 80 and row["passed"]


@pytest.mark.parametrize("text", ["We'll deal with it this afternoon.", "Our team will deal with it today.",
                                  "Don’t worry, we’ll deal with it.", "We can deal with it over DM."])
def test_the_brand_dealing_with_it_is_no_phrase(text):
    assert not never_acceptable(text, load_policy()).verdict


@pytest.mark.parametrize("text", ["That's the policy, deal with it.", "You'll just have to deal with it.",
                                  "We'll deal with it. Please calm down.", "We will deal with it, deal with it."])
def test_deal_with_it_said_to_the_customer_is_still_caught(text):
    assert never_acceptable(text, load_policy()).verdict


def test_a_wrong_innocent_wording_is_refused_in_one_line(tmp_path):
    text = (Path(load_policy.__code__.co_filename).parent / "policies" / "default.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace('"we can deal with it",', '"",', 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_policy(bad)
    assert "bad.yaml:" in str(err.value) and "never_acceptable_unless" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("post", ["brill, ta", "ok I'll keep an eye out for it", "cheers, you're a star",
                                  "perfecto, ya me ha llegado", "vale, ya lo tengo, gracias", "vale, quedo a la espera",
                                  "ok great, I'll wait for the email then", "ok, lo espero entonces"])
def test_closings_need_no_reply(post):
    assert not closing_rule().needs_reply(post)


@pytest.mark.parametrize("post", ["ta, but it still hasn't come", "I'll keep an eye out but this is the third time",
                                  "ya me ha llegado pero roto", "you're a star, can you also check my refund?",
                                  "quedo a la espera de una solución", "I'll wait, but this is the last time"])
def test_closings_with_more_in_them_still_need_one(post):
    assert closing_rule().needs_reply(post)


def _sig(words: set[int], width: int = 256) -> np.ndarray:
    """A MinHash-like signature by hand: with one word per slot position (exact minima) for a fixed word set."""
    rng = np.random.default_rng(0)
    table = rng.integers(0, 2**32, size=(1000, width))
    return table[sorted(words)].min(axis=0)


def test_containment_makes_a_repeat_only_for_long_enough_posts():
    short, longer = set(range(12)), set(range(12)) | {500, 501, 502, 503, 504}   # 12 of 12 in 17: J = 0.71
    sig = np.stack([_sig(short), _sig(longer)])
    key, t = np.array([1, 1]), np.array([0.0, 10.0])
    assert not len(_matches(key, t, sig, 0.8)[0])                                # Jaccard alone: no
    assert len(_matches(key, t, sig, 0.8, np.array([12, 17]), 0.9, 8)[0]) == 1    # contained: a repeat
    assert not len(_matches(key, t, sig, 0.8, np.array([12, 17]), 0.9, 13)[0])   # too short to count
    other = set(range(6)) | set(range(600, 611))                                  # half shared: no repeat
    sig2 = np.stack([_sig(short), _sig(other)])
    assert not len(_matches(key, t, sig2, 0.8, np.array([12, 17]), 0.9, 8)[0])
