"""The scorecard judged as a QA lead who read the domain brief would judge it, on our own threads.

The threads (``brief_threads.py``) are the brief's worst cases and their near misses, in our words: the same
refund in public and in a DM, to a big and a small audience; 61 minutes and three days late; the brand's own
hotline and the customer's number; a closing "thanks" and a real follow-up; one complaint three times on two
channels; a DM move that comes back publicly and one that does not; a small audit's influencer discounts.
Expectations come from the brief and the rulebook's numbers, not from the code's output.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qa.api import load_policy, score_file
from qa.report import render
from qa.thread_checks import no_public_close

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import CASES, write_csv  # noqa: E402

BOOK = load_policy()
CRIT = BOOK.scorecard.criteria


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    """The threads written to CSV and read as a user's file is (``carebench qa score`` reads it the same way)."""
    path = tmp_path_factory.mktemp("brief") / "threads.csv"
    write_csv(str(path))
    return score_file(path)


@pytest.fixture(scope="module")
def scores(result):
    return result.scores.set_index("reply_id")


def test_every_case_has_its_reply_scored(scores):
    brand_ids = {r["message_id"] for _, thread in CASES.values() for r in thread if r["role"] == "brand"}
    assert brand_ids == set(scores.index)


def _public_risk(departure: float, followers: int, claimability: float) -> float:
    """Precedent risk from the rulebook's numbers: departure x visibility (log followers above the public floor)
    x claimability (an amount or percentage stated)."""
    s = BOOK.precedent
    reach = math.log10(1 + followers) / math.log10(1 + s.full_reach_followers)
    return departure * (s.public_floor + (1 - s.public_floor) * reach) * claimability


def test_the_same_off_policy_concession_scores_lower_the_more_visible(scores):
    """Lessons 8-9: the refund plus 50% off (or a discount over the limit) in a DM, in public to 40 followers, in
    public to 250,000: all off policy and under the pass mark; the big audience fails critically."""
    for kind in ("refund", "discount"):
        dm, small, big = (scores.loc[f"{kind}-{w}-2"] for w in ("dm", "public-small", "public-big"))
        for row in (dm, small, big):
            assert row["policy_status"] == "off_policy" and not row["passed"]
        assert dm["precedent_risk"] < small["precedent_risk"] < big["precedent_risk"]
        assert BOOK.precedent.high <= big["precedent_risk"]
        assert big["auto_fail"] and big["score"] == 0 and "off_policy_high_precedent" in big["auto_fail_reasons"]
        assert not dm["auto_fail"]
        assert small["auto_fail"] == (small["precedent_risk"] >= BOOK.precedent.high)
        assert big["score"] <= small["score"] < dm["score"]
        # both public risks may reach the top grade of the precedent criterion (0.5): then they score the same
        assert big["score_without_critical"] <= small["score_without_critical"] < dm["score_without_critical"]
    # The refund 61 days after purchase departs fully (0.6 at the 30-day limit + 0.4 x 31/30, capped at 1); the
    # code for 50% off whatever they buy next is a stated discount (claimability 0.9): even 40 followers in
    # public put it over the high mark. 30% off a late parcel departs 0.5 + 0.5 x 10/20 = 0.75: under it.
    claim = BOOK.precedent.claimability
    refund_small, discount_small = scores.loc["refund-public-small-2"], scores.loc["discount-public-small-2"]
    assert refund_small["precedent_risk"] == pytest.approx(_public_risk(1.0, 40, claim["discount"]), abs=1e-4)
    assert refund_small["auto_fail"] and "off_policy_high_precedent" in refund_small["auto_fail_reasons"]
    assert discount_small["precedent_risk"] == pytest.approx(_public_risk(0.75, 40, claim["discount"]), abs=1e-4)
    assert not discount_small["auto_fail"] and discount_small["score"] > 0
    assert scores.loc["refund-within-2", "policy_status"] == "within" and scores.loc["refund-within-2", "passed"]
    silent = scores.loc["refund-dm-silent-2"]  # the DM refund to a public complaint: lesson 6 as well
    assert silent["no_public_close"] and silent["policy_status"] == "off_policy"
    assert any(i.check == "no_public_close" and "answered a public post only in private on twitter" in i.note
               for i in silent["evidence"])
    assert silent["score"] == pytest.approx(scores.loc["refund-dm-2", "score"] - CRIT["no_public_close"].weight)
    es_pub, es_dm = scores.loc["es-refund-public-big-2"], scores.loc["es-refund-dm-2"]
    assert es_pub["policy_status"] == es_dm["policy_status"] == "off_policy"
    assert es_pub["auto_fail"] and not es_dm["auto_fail"] and not es_dm["passed"] and es_dm["score"] > 0


@pytest.mark.parametrize("cid", ["deflect-phone", "es-deflect-phone", "deflect-store"])
def test_a_deflection_of_a_last_resort_post_fails_critically(scores, cid):
    row = scores.loc[f"{cid}-2"]
    assert row["deflection"] and row["auto_fail"] and row["score"] == 0 and "critical: deflection" in \
        row["score_explained"]


@pytest.mark.parametrize("reply", ["dm-request-2", "es-dm-request-2", "field-escalation-2", "self-help-link-2"])
def test_handling_it_here_is_not_deflection_and_passes(scores, reply):
    """Lesson 6: a DM request, a hand-off that says who will call, a link that answers."""
    row = scores.loc[reply]
    assert not row["deflection"] and row["passed"], row["score_explained"]


def test_lateness_is_graded_61_minutes_passes_three_days_fails(scores):
    on_time, late, very = (scores.loc[f"{c}-2"] for c in ("on-time-59", "late-61", "late-3-days"))
    assert not on_time["late_response"] and on_time["score"] == 100
    w = CRIT["late_response"]
    first = w.grades[min(w.grades)]
    assert late["late_response"] and late["score"] == pytest.approx(100 - w.weight * first) and late["passed"]
    assert very["late_response"] and very["score"] == pytest.approx(100 - w.weight) and not very["passed"]


def _grade(name: str, value: float) -> float:
    return max((s for at, s in CRIT[name].grades.items() if value >= at), default=0.0)


_TERM = re.compile(r" - ([\d.]+) ([a-z ]+?)(?: \((risk ([\d.]+)|([\d.]+) (min|h) late)\))?(?= - | =)")


def test_every_explanation_is_a_sum_a_person_can_check_against_the_rubric(scores):
    """The terms add up to the score, each ungraded term is its criterion's weight, and each graded term is
    what the rulebook's grades give for the value the sum *shows* (59.6 min late, not "60 min late", which
    would read as the next grade; half a minute late is not "0 min late")."""
    checked_graded = 0
    for rid, row in scores.iterrows():
        text = row["score_explained"]
        head = text.split(";")[0]
        total = float(head.split(" = ")[1]) if " = " in head else 100.0
        terms = _TERM.findall(head)
        assert 100 - sum(float(t[0]) for t in terms) == pytest.approx(total, abs=0.05), text
        assert (row["score"] == 0) if row["auto_fail"] else row["score"] == pytest.approx(total), text
        for points, label, _, risk, late, unit in terms:
            name = label.replace(" ", "_")
            if risk:
                assert float(points) == pytest.approx(CRIT[name].weight * _grade(name, float(risk))), text
                checked_graded += 1
            elif late:
                minutes = float(late) * (60 if unit == "h" else 1)
                assert float(points) == pytest.approx(CRIT[name].weight * _grade(name, minutes)), text
                assert minutes > 0, text
                checked_graded += 1
            else:
                assert float(points) == CRIT[name].weight, text
    assert checked_graded >= 10
    assert "(59.6 min late)" in scores.loc["late-just-under-2h-2", "score_explained"]
    assert "(0.5 min late)" in scores.loc["late-30-seconds-2", "score_explained"]


@pytest.mark.parametrize("public_id, private_id", [("phone-public-2", "phone-dm-2"),
                                                   ("email-public-2", "email-dm-2")])
def test_the_customers_data_is_exposed_in_public_only(scores, public_id, private_id):
    pub, dm = scores.loc[public_id], scores.loc[private_id]
    assert pub["pii_exposed"] and pub["auto_fail"] and "pii_exposed" in pub["auto_fail_reasons"]
    assert any(i.check == "pii_exposed" and "public reply on twitter" in i.note for i in pub["evidence"])
    assert not dm["pii_exposed"] and dm["passed"] and dm["score"] == 100


def test_the_brands_own_hotline_and_address_are_not_personal_data(scores):
    assert not scores.loc["hotline-answer-2", "pii_exposed"]


def test_spanish_email_in_public_is_exposed(scores):
    assert scores.loc["es-email-public-2", "pii_exposed"]


def test_a_closing_thanks_waits_for_nothing_a_follow_up_question_does(result):
    un = set(result.unanswered["message_id"])
    assert "closing-thanks-3" not in un and "es-closing-3" not in un
    assert "thanks-but-question-3" in un


def test_a_courtesy_reply_to_thanks_owes_no_empathy_but_one_to_a_complaint_does(scores):
    """Lesson 2: a thank-you mention needed no reply; answering it kindly is not an error (no empathy or
    personalisation expected: nothing to apologise for, nothing of theirs to take up). The same words to a
    complaint fail both, and since ``brief18`` fix nothing the complaint reported (``no_next_step``, lesson 14)."""
    thanks, complaint = scores.loc["thanks-mention-2"], scores.loc["courtesy-to-complaint-2"]
    assert thanks["score"] == 100 and thanks["passed"] and thanks["failed_criteria"] == ""
    assert pd.isna(thanks["empathy"]) and pd.isna(thanks["personalisation"])
    assert {"no_empathy", "no_personalisation", "no_next_step"} <= set(complaint["failed_criteria"].split(";"))
    assert complaint["score"] == 100 - sum(CRIT[c].weight for c in ("no_empathy", "no_personalisation", "no_next_step"))
    assert not complaint["passed"]


def test_one_complaint_three_times_on_two_channels(result, scores):
    rep = result.repeats.set_index("message_id")
    assert rep.loc["repeat-b-1", "of_message_id"] == "repeat-a-1" and rep.loc["repeat-b-1", "kind"] == "other thread"
    assert rep.loc["repeat-c-1", "of_message_id"] == "repeat-a-1" and rep.loc["repeat-c-1", "kind"] == "other channel"
    assert scores.loc["repeat-c-2", "customer_repeated"]
    un = result.unanswered.set_index("message_id")
    # lesson 1: every repeated post needs a reply; the two on twitter had none
    assert {"repeat-a-1", "repeat-b-1"} <= set(un.index) and un.loc["repeat-b-1", "repeat"]


def test_three_posts_while_waiting_are_repeats_and_the_wait_counts_from_the_first(result, scores):
    row = scores.loc["repeat-same-thread-4"]
    assert row["customer_repeated"] and row["latency_minutes"] == pytest.approx(50)
    assert not row["late_response"] and row["passed"]
    rep = result.repeats.set_index("message_id")
    assert set(rep.index) >= {"repeat-same-thread-2", "repeat-same-thread-3"}
    assert (rep.loc[["repeat-same-thread-2", "repeat-same-thread-3"], "kind"] == "same thread").all()
    assert not set(result.unanswered["message_id"]) & {f"repeat-same-thread-{i}" for i in (1, 2, 3)}


@pytest.mark.parametrize("cid, returns", [("dm-closed", "dm-closed-5"), ("dm-request", "dm-request-4"),
                                          ("es-dm-request", "es-dm-request-4")])
def test_a_dm_move_that_comes_back_publicly_is_closed_even_when_the_close_mentions_the_dm(scores, cid, returns):
    """Lesson 6. The public close says where it was sorted ("sorted in DM", "resuelto por privado"), which the
    DM-request check reads as a DM request; the close is still a close, and it moved nothing itself."""
    assert not scores.loc[f"{cid}-2", "no_public_close"]
    assert not scores.loc[returns, "no_public_close"]


def test_a_dm_move_that_never_comes_back_is_flagged(scores):
    row = scores.loc["dm-not-closed-2"]
    assert row["no_public_close"] and "no_public_close" in row["failed_criteria"]
    assert not scores.loc["dm-not-closed-4", "no_public_close"]  # the private reply moved nothing


def test_a_conversation_private_from_the_start_owes_no_public_close(scores):
    for rid in ("refund-dm-2", "discount-dm-2", "phone-dm-2", "email-dm-2"):
        assert not scores.loc[rid, "no_public_close"], rid


def test_no_public_close_rule_by_hand():
    """Independent cases of the rule (rows: brand?, public?, DM request?) in one thread each."""
    def flags(msgs):
        n = len(msgs)
        return no_public_close(np.zeros(n, dtype=int), np.array([m[0] for m in msgs]),
                               np.array([m[1] for m in msgs]), np.array([m[2] for m in msgs], dtype=object)).tolist()
    C = (False, True, None)  # a customer post
    ask, dm, close, close_dm = (True, True, True), (True, False, False), (True, True, False), (True, True, True)
    assert flags([C, ask, C]) == [False, True, False]  # asked to DM, nothing after
    assert flags([C, ask, dm, close]) == [False, False, False, False]  # back publicly
    assert flags([C, ask, dm, close_dm]) == [False, False, False, False]  # back publicly, mentioning the DM
    # no private part in the data (public archives): a second DM request closes nothing and moves it again
    assert flags([C, ask, C, close_dm]) == [False, True, False, True]
    # private again after the close: the first move is open again, and the close moved it too
    assert flags([C, ask, dm, close, dm]) == [False, True, False, True, False]
    # a public post answered only in private: the private reply moved it; a post written in DM owes nothing
    private_post = (False, False, None)
    assert flags([C, dm]) == [False, True]
    assert flags([C, dm, close]) == [False, False, False]
    assert flags([private_post, dm]) == [False, False]
    assert flags([C, dm, dm]) == [False, True, False]  # the first private reply carries it, once


def test_a_never_acceptable_phrase_fails_whatever_language_the_reply_was_read_as(scores):
    """The Spanish reply is short enough for the language detector to misread; the phrase still counts."""
    for rid in ("never-calm-2", "es-never-2"):
        row = scores.loc[rid]
        assert row["never_acceptable"] and row["auto_fail"], (rid, row["reply_language"])


def test_a_reply_in_another_language_fails_on_its_own():
    """Lesson 12: a reply the customer may not read misses the standard even when nothing else is wrong."""
    assert 100 - CRIT["language_mismatch"].weight < BOOK.scorecard.pass_mark


def test_the_language_mismatch_case_fails(scores):
    row = scores.loc["language-mismatch-2"]
    assert row["language_mismatch"] and not row["passed"]


def test_a_small_audit_shows_the_influencer_gap_in_words_and_no_finding_for_one_discount(result):
    cons = result.consistency
    acme = cons[(cons["issue"] == "Acme|cat:late_delivery") & (cons["dimension"] == "influence")]
    assert len(acme) == 1
    row = acme.iloc[0]
    assert (row["k_level"], row["n_level"], row["k_rest"], row["n_rest"]) == (4, 4, 0, 8)
    assert row["strength"] in ("strong", "suggestive") and "4 of 4" in row["summary"] and "0 of 8" in row["summary"]
    assert not (cons["brand"] == "Bolt").any()  # 1 of 4 against 0 of 8: no finding


def test_the_report_lists_every_kind_of_unanswered_post(result):
    md = render(result, "md")
    section = md.split("## Threads")[1].split("## By agent")[0]
    assert "thanks-but-question-3" in section and "repeat-b-1" in section
    assert section.index("repeat-b-1") < section.index("thanks-but-question-3")  # repeats first
    moved = int((result.scores["no_public_close"] == True).sum())  # noqa: E712
    assert moved >= 2 and f"{moved} replies moved the conversation to DM" in section


def test_a_finding_alone_in_its_family_says_so_in_plain_words(result):
    """Among a large file's comparisons (as with the 12 threads added to 3,000 generated ones: 1,329
    comparisons, q = 0.199) the finding is suggestive, the only comparison of its brand and issue: the summary
    says so instead of "among the 1 comparisons"."""
    from qa.consistency import _summary

    row = result.consistency[result.consistency["issue"] == "Acme|cat:late_delivery"].iloc[0].copy()
    row["strength"], row["comparisons_within"], row["comparisons"], row["q_value"] = "suggestive", 1, 1329, 0.199
    text = _summary(row)
    assert "suggestive: significant as the only comparison in this brand and issue" in text
    assert "4 of 4" in text and "0 of 8" in text and "not after correcting for all 1,329" in text



def test_the_running_latest_earlier_row_matches_its_groupby_definition():
    """qa.thread_checks._before is numpy alone; the plain definition is a per-thread running max shifted by one."""
    from qa.thread_checks import _before

    rng = np.random.default_rng(3)
    n = 5_000
    codes = np.sort(rng.integers(0, 900, n))
    row = np.arange(n)
    for share in (0.05, 0.5, 0.95):
        values = np.where(rng.random(n) < share, row, -1)
        ref = pd.Series(values).groupby(codes).cummax().groupby(codes).shift(1, fill_value=-1).to_numpy()
        assert (_before(values, codes) == ref).all()
