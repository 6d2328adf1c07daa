"""The scorecard on the variants of ``brief_threads_more``: other channels, more deflections, praise, excuses.

Expectations come from the domain brief and the rulebook's numbers, not from the code's output. The threads run
in the same file as ``test_brief_cases``'s, as a user's file is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from qa.api import load_policy, score_file
from qa.closings import needs_reply
from qa.excuses import holds
from qa.rulebook import CriterionRule

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import write_csv  # noqa: E402

BOOK = load_policy()
CRIT = BOOK.scorecard.criteria


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief_more") / "threads.csv"
    write_csv(str(path))
    return score_file(path)


@pytest.fixture(scope="module")
def scores(result):
    return result.scores.set_index("reply_id")


# ---- lesson 2: praise needs no reply, and a courtesy reply to it owes no empathy --------------------------
@pytest.mark.parametrize("rid", ["m-praise-update-2", "m-praise-airline-2", "m-praise-es-2", "praise-answered-2"])
def test_a_courtesy_reply_to_praise_keeps_full_marks(scores, rid):
    row = scores.loc[rid]
    assert row["score"] == 100 and row["passed"] and row["failed_criteria"] == "", row["score_explained"]
    assert pd.isna(row["empathy"]) and pd.isna(row["personalisation"])


def test_praise_owed_no_reply_so_a_late_thank_you_is_not_late_and_an_unanswered_one_not_waiting(result, scores):
    late = scores.loc["m-praise-late-2"]
    assert (pd.isna(late["late_response"]) or not late["late_response"]) and late["score"] == 100
    assert "m-praise-unanswered-1" not in set(result.unanswered["message_id"])


@pytest.mark.parametrize("rid", ["m-praise-mixed-2", "m-sarcasm-2", "m-sarcasm-es-2"])
def test_praise_beside_a_complaint_or_sarcasm_is_a_complaint(scores, rid):
    """"love you guys but my order is late", "great, another delay": the same courtesy reply shows no empathy."""
    row = scores.loc[rid]
    assert row["empathy"] == False and "no_empathy" in row["failed_criteria"].split(";")  # noqa: E712


@pytest.mark.parametrize("text", [
    "best airline ever!!", "Loving the new checkout, so quick 😍", "great job on the refit, well done team",
    "Me encanta la app nueva, sois los mejores", "el mejor servicio del mundo 👏"])
def test_praise_of_anything_needs_no_reply(text):
    assert not needs_reply(text)


@pytest.mark.parametrize("text", [
    "love you guys but my order is late", "great, another delay", "brilliant, stuck on hold for an hour",
    "I'd love to know where my parcel is", "best price? do you match other shops",
    "love the update, why did you remove dark mode", "the best thing would be a refund",
    "me encanta, pero el pedido no llega", "genial, otra vez sin luz", "los mejores... cuando funciona",
    "good morning, I want to change my address"])
def test_praise_with_a_complaint_request_or_sarcasm_still_needs_a_reply(text):
    assert needs_reply(text)


# ---- lesson 1: closings in other words, a second question ------------------------------------------------
def test_closings_on_other_channels_wait_for_nothing_and_new_questions_do(result):
    waiting = set(result.unanswered["message_id"])
    assert not {"m-closing-fb-3", "m-closing-es-3"} & waiting
    assert {"m-thanks-but-es-3", "m-second-question-3"} <= waiting


# ---- lesson 6: the channel the customer asked for ----------------------------------------------------------
@pytest.mark.parametrize("rid", ["m-asked-number-2", "m-asked-email-es-2", "m-brand-email-public-2",
                                 "hotline-answer-2"])
def test_giving_the_channel_the_customer_asked_for_is_flagged_but_not_charged(scores, rid):
    """The text check keeps its label (LABELING.md: a number given is a referral); the scorecard does not
    fail the reply for answering the question, and its explanation says why."""
    row = scores.loc[rid]
    assert row["deflection"]
    assert not row["auto_fail"] and row["passed"] and "deflection" not in row["failed_criteria"].split(";")
    assert "deflection not charged: the customer asked how to reach the brand" in row["score_explained"]
    assert any(i.check == "deflection" and i.note == "not charged: the customer asked how to reach the brand"
               for i in row["evidence"])


@pytest.mark.parametrize("rid", ["m-complaint-number-2", "m-deflect-email-2", "m-deflect-dept-2",
                                 "m-deflect-courier-2", "m-deflect-es-store-2", "m-deflect-es-email-2",
                                 "deflect-phone-2", "es-deflect-phone-2", "deflect-store-2"])
def test_sending_a_complaint_elsewhere_still_fails_critically(scores, rid):
    row = scores.loc[rid]
    assert row["deflection"] and row["auto_fail"] and row["score"] == 0, row["score_explained"]
    assert "not charged" not in row["score_explained"]


@pytest.mark.parametrize("text", [
    "what's your phone number? I want to add my partner", "Is there an email for complaints?",
    "how can I contact your billing team", "where do I send the returns form?", "your number please?",
    "¿cuál es vuestro correo de atención al cliente?", "¿tenéis un teléfono de atención?",
    "¿cómo puedo contactar con vosotros?", "me pasáis el número de atención al cliente"])
def test_a_question_about_how_to_reach_the_brand(text):
    assert holds("customer_asked_for_contact", text)


@pytest.mark.parametrize("text", [
    "my bill doubled and I can't get through on the phone", "I've rung your helpline three times",
    "what is going on with my order", "nobody answers your number", "el teléfono no contesta nunca",
    "what's your phone number?\nnever mind, my router is still down and I need it fixed"])
def test_a_complaint_that_mentions_a_channel_is_not_a_question_about_one(text):
    assert not holds("customer_asked_for_contact", text)


def test_a_rulebook_without_the_excuse_charges_the_deflection(tmp_path):
    """The excuse is the rulebook's: a brand that wants every referral charged leaves it out."""
    from qa.scorecard import score_replies

    table = pd.DataFrame({"deflection": [True, True], "customer_text": ["what's your phone number?",
                                                                        "my router is down again"]})
    strict = BOOK.model_copy(update={"scorecard": BOOK.scorecard.model_copy(update={"criteria": {
        "deflection": CriterionRule(weight=30, critical=True)}})})
    assert score_replies(table, strict)["auto_fail"].tolist() == [True, True]
    assert score_replies(table, BOOK)["auto_fail"].tolist() == [False, True]


def test_an_unknown_excuse_is_refused():
    with pytest.raises(ValueError, match="unknown excuse 'asked_nicely'"):
        CriterionRule(weight=30, excused_when=["asked_nicely"])


@pytest.mark.parametrize("rid", ["m-dm-fb-2", "m-handoff-2", "m-handoff-es-2", "m-selfhelp-2", "m-selfhelp-es-2",
                                 "m-asked-shop-2"])
def test_handling_it_here_on_any_channel_passes(scores, rid):
    row = scores.loc[rid]
    assert not row["deflection"] and row["passed"], row["score_explained"]


def test_a_dm_move_on_instagram_never_closed_publicly_is_flagged(scores):
    assert scores.loc["m-dm-ig-open-2", "no_public_close"] and not scores.loc["m-dm-fb-2", "no_public_close"]


# ---- lesson 4: lateness on facebook and instagram -------------------------------------------------------
def test_lateness_is_graded_on_every_channel(scores):
    w = CRIT["late_response"]
    assert scores.loc["m-fb-55min-2", "score"] == 100
    assert scores.loc["m-fb-70min-2", "score"] == pytest.approx(100 - w.weight * w.grades[0])
    for rid in ("m-fb-2days-2", "m-es-late-day-2"):
        assert not scores.loc[rid, "passed"] and f"{w.weight:g} late response" in scores.loc[rid, "score_explained"]


# ---- lessons 8/9: in and off policy, by audience -------------------------------------------------------------
def test_concessions_in_and_off_policy(scores):
    for rid in ("m-credit-within-2", "m-points-within-2", "m-es-refund-within-2"):
        assert scores.loc[rid, "policy_status"] == "within" and scores.loc[rid, "passed"], rid
    assert scores.loc["m-credit-over-2", "policy_status"] == "off_policy" and not scores.loc["m-credit-over-2",
                                                                                              "passed"]
    big, small, dm = (scores.loc[f"m-off-{w}-2"] for w in ("fb-big", "fb-small", "ig-dm"))
    assert dm["precedent_risk"] < small["precedent_risk"] < big["precedent_risk"]
    assert big["auto_fail"] and not dm["auto_fail"] and not small["passed"] and not dm["passed"]


# ---- lessons 11, 12, 13, 15 --------------------------------------------------------------------------------
def test_one_case_on_three_channels_gives_two_repeats(result, scores):
    rep = result.repeats.set_index("message_id")
    assert (rep.loc[["m-cross-1-1", "m-cross-2-1"], "of_message_id"] == "m-cross-0-1").all()
    assert scores.loc["m-cross-2-2", "customer_repeated"]


def test_language_verdicts(scores):
    for rid in ("m-lang-fb-es-en-2", "m-lang-en-es-2"):
        assert scores.loc[rid, "language_mismatch"] and not scores.loc[rid, "passed"], rid
    assert not scores.loc["m-lang-translation-2", "language_mismatch"]
    short = scores.loc["m-lang-short-2"]
    assert pd.isna(short["language_mismatch"]) and "language_mismatch" not in short["failed_criteria"]


def test_a_reply_that_offers_a_translation_is_flagged_but_not_charged(scores):
    """Lesson 12: answer in the customer's language "or explain and offer a translation"."""
    offer, only = scores.loc["m-lang-offer-2"], scores.loc["m-lang-english-only-2"]
    assert offer["language_mismatch"] and offer["passed"] and "language_mismatch" not in offer["failed_criteria"]
    assert "language mismatch not charged: the reply offers or gives a translation" in offer["score_explained"]
    assert only["language_mismatch"] and only["not_our_team"] and not only["passed"]
    assert {"language_mismatch", "not_our_team"} <= set(only["failed_criteria"].split(";"))


@pytest.mark.parametrize("text", [
    "Would you like us to translate this reply?", "We'd be happy to translate it for you.",
    "Here's a translation: ...", "¿Quieres que te lo traduzcamos?", "Te lo traducimos ahora mismo."])
def test_an_offer_of_a_translation(text):
    assert holds("reply_offers_translation", text)


@pytest.mark.parametrize("text", [
    "Sorry, we only support English on this channel.", "We can't translate messages here.",
    "Our translation app is down today.", "No podemos traducir mensajes."])
def test_saying_what_language_is_served_is_no_offer(text):
    assert not holds("reply_offers_translation", text)


@pytest.mark.parametrize("rid", ["m-social-access-2", "m-social-es-2"])
def test_just_the_social_team_fails(scores, rid):
    assert scores.loc[rid, "not_our_team"] and not scores.loc[rid, "passed"]


def test_personal_data_in_public_only(scores):
    for rid in ("m-order-public-2", "m-order-es-public-2"):
        assert scores.loc[rid, "pii_exposed"] and scores.loc[rid, "auto_fail"], rid
    for rid in ("m-order-dm-2", "m-name-greeting-2", "m-brand-email-public-2"):
        assert not scores.loc[rid, "pii_exposed"], rid
