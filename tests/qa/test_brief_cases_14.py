"""The scorecard on ``brief_threads_14``: the four gaps the last audit left, and their near misses.

Expectations come from the domain brief, ``LABELING.md`` and the rulebook's numbers, not from the code's output:
* lesson 6: deflection is sending the customer elsewhere *instead of* handling the matter; a reply that answers
  and then offers a phone line as an option keeps its flag (the part with the number is one) but is not a
  critical failure; "if you'd rather, call us" with no answer still is;
* lessons 7 and 14: one text pasted onto unrelated problems, taking up nothing the customer said, fails;
* lesson 15: the customer's e-mail or booking code in a public reply is personal data even when the customer
  never posted it; in a DM nothing is exposed; the brand's own address is not personal data;
* lesson 6: the public "sorted in DM" close owes no empathy or personalisation again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qa.api import load_policy, score_file
from qa.excuses import holds

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads_14 import write_csv  # noqa: E402

BOOK = load_policy()
CRIT = BOOK.scorecard.criteria


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief14") / "threads.csv"
    write_csv(str(path))
    return score_file(path).scores.set_index("reply_id")


def _sum_checks(row) -> None:  # noqa: ANN001
    """The explanation's terms add up to the score before a critical failure."""
    text = row["score_explained"].split(";")[0]
    terms = [float(t.split()[0]) for t in text.split(" = ")[0].split(" - ")[1:]]
    assert row["score_without_critical"] == pytest.approx(max(0.0, 100 - sum(terms)))


# ---- gap 1: an answer first, a phone line only as an option --------------------------------------------------
@pytest.mark.parametrize("rid", ["ans-phone-2", "ans-phone-fb-2", "ans-phone-es-2"])
def test_an_answer_that_offers_a_phone_line_as_an_option_is_flagged_but_not_failed(scores, rid):
    row = scores.loc[rid]
    assert row["deflection"] == True  # noqa: E712  (LABELING.md: the part carrying the number is a deflection)
    assert not row["auto_fail"] and row["passed"] and row["score"] >= BOOK.scorecard.pass_mark
    assert "deflection" not in row["failed_criteria"].split(";")
    assert "deflection not charged" in row["score_explained"]
    _sum_checks(row)


@pytest.mark.parametrize("rid", ["cond-phone-2", "cond-phone-es-2"])
def test_a_phone_line_offered_with_no_answer_is_still_critical(scores, rid):
    row = scores.loc[rid]
    assert row["deflection"] == True and row["auto_fail"] and row["score"] == 0  # noqa: E712
    assert "deflection" in row["auto_fail_reasons"].split(";")


@pytest.mark.parametrize("text", [
    "Your refund was processed on Friday. If you'd rather talk it through, call us on 0800 111 2222.",
    "We've rebooked you on the 9:40 train. Alternatively, our travel desk is on 0345 222 3333.",
    "Your parcel is out for delivery today. If that doesn't suit, ring 0333 444 5555 to move it.",
    "Tu pedido ha sido enviado y llegará el jueves. Si lo prefieres, llámanos al 900 111 222.",
    "Hemos emitido el reembolso. Si necesitas cambiar la fecha de recogida, llama al 900 333 444.",
    "Your replacement was dispatched today; if it hasn't arrived by Monday, give us a ring on 0800 111 2222.",
    "Your order is due on Tuesday. You can also check with our team on 0800 111 2222.",
    "Tu reembolso se emitió ayer. También puedes consultarlo en el 900 111 222.",
    "Hemos enviado el repuesto hoy; si aún no te llega el lunes, llámanos al 900 111 222.",
    "We've refunded the delivery charge. For future orders, our store team can help on 0800 111 2222.",
    "Ya hemos reprogramado la entrega. La próxima vez también puedes gestionarlo en el 900 111 222.",
])
def test_the_answer_first_excuse_holds_for_answers_in_other_words(text):
    assert holds("reply_answers_first", text)


@pytest.mark.parametrize("text", [
    "If you'd rather speak to someone, please call us on 0800 111 2222.",  # no answer
    "Sorry about that. Alternatively, you can pop into any of our stores.",  # no answer
    "Please call 0800 111 2222. Your refund will then be processed.",  # the referral first, no option word
    "If you prefer, call us on 0800 111 2222 and your order will be refunded.",  # the option before the answer
    "Lo sentimos. Si lo prefieres, puedes llamarnos al 900 111 222.",
    "If it hasn't arrived, you can also call us on 0800 111 2222.",  # a contingency with no answer
    "Your refund depends on the store, so please call them on 0800 111 2222.",  # no option offered
])
def test_the_answer_first_excuse_does_not_hold_without_an_answer_then_an_option(text):
    assert not holds("reply_answers_first", text)


# ---- gap 2: a text pasted onto unrelated problems -------------------------------------------------------------
@pytest.mark.parametrize("rid", ["tpl-login-2", "tpl-charge-2", "tpl-mould-2", "tpl-staff-2", "tpl-es-wifi-2",
                                 "tpl-es-factura-2", "tpl-es-tecnico-2"])
def test_one_text_pasted_onto_unrelated_problems_fails(scores, rid):
    row = scores.loc[rid]
    assert row["template_overuse"] == True and row["personalisation"] == False  # noqa: E712
    assert not row["passed"] and row["score"] < BOOK.scorecard.pass_mark
    assert "template_ignores_customer" in row["failed_criteria"].split(";")
    _sum_checks(row)


def test_the_pasted_text_fails_even_with_an_apology():
    """Template overuse with no personalisation weighs more than 100 - pass mark minus the lightest fault: an
    apology does not save a text that ignores the customer's problem."""
    lost = CRIT["template_overuse"].weight + CRIT["template_ignores_customer"].weight + \
        CRIT["no_personalisation"].weight
    assert 100 - lost < BOOK.scorecard.pass_mark


def test_a_shared_fix_that_takes_up_each_customers_words_scores_above_the_paste(scores):
    """Lesson 7's public fix (the same outage answer, naming each customer's symptom) is not the paste."""
    for rid in ("fix-a-2", "fix-b-2", "fix-c-2"):
        row = scores.loc[rid]
        assert row["passed"], row["score_explained"]
        assert row["score"] > scores.loc["tpl-login-2", "score"]


# ---- gap 3: the customer's e-mail or booking code they never posted -------------------------------------------
@pytest.mark.parametrize("rid", ["pii-mail-2", "pii-booking-2", "pii-mail-es-2", "pii-booking-es-2"])
def test_the_customers_email_or_booking_code_in_public_fails_critically(scores, rid):
    row = scores.loc[rid]
    assert row["pii_exposed"] == True and row["auto_fail"] and row["score"] == 0  # noqa: E712
    assert row["deflection"] == False, "the brand sending to the customer's address is no referral"  # noqa: E712


def test_the_same_email_in_a_dm_and_the_brands_own_address_pass(scores):
    for rid in ("pii-mail-dm-2", "brand-mail-2"):
        row = scores.loc[rid]
        assert row["pii_exposed"] == False and row["passed"], row["score_explained"]  # noqa: E712
        assert row["deflection"] == False  # noqa: E712


# ---- gap 4: the public close after a DM ----------------------------------------------------------------------
@pytest.mark.parametrize("rid", ["dm-close-6", "dm-close-es-5", "dm-close-b-5", "dm-close-c-5"])
def test_the_public_close_after_a_dm_keeps_full_marks(scores, rid):
    row = scores.loc[rid]
    assert row["score"] == 100 and row["passed"], row["score_explained"]
    assert "not charged: a public close of a matter settled in private" in row["score_explained"]
    assert not row["no_public_close"]


@pytest.mark.parametrize("text", [
    "All sorted in DM, thanks!", "Glad we could sort this out over DM 😊", "Resolved via private message, enjoy "
    "your trip!", "¡Resuelto por privado, gracias!", "Nos alegra haberlo podido solucionar por DM.",
    "Thanks for chatting with us over DM, glad it's all sorted now!", "Gracias por escribirnos por privado, ¡ya está "
    "solucionado!"])
def test_the_dm_close_excuse_holds_for_closes_in_other_words(text):
    assert holds("closes_after_dm", text)


@pytest.mark.parametrize("text", [
    "Please DM us your order number.", "Thanks, we've replied to your DM.", "Thanks for getting in touch!",
    "Escríbenos por privado y lo revisamos.", "We'll look into it in DM if you send your order number.",
    "Reach out via DM and we'll get that sorted for you.", "Escríbenos por privado y quedará solucionado."])
def test_the_dm_close_excuse_does_not_hold_for_requests_or_plain_thanks(text):
    assert not holds("closes_after_dm", text)


def test_the_first_public_reply_of_the_same_thread_is_charged_as_before(scores):
    """The excuse reads the close's words: the brand's DM request to the complaint is charged as before."""
    row = scores.loc["dm-close-es-2"]
    assert row["personalisation"] == False and "no_personalisation" in row["failed_criteria"].split(";")  # noqa: E712


# ---- further variants of the lessons ---------------------------------------------------------------------------
def test_one_complaint_answered_six_ways_is_ordered_as_a_qa_lead_would(scores):
    """Lessons 6 and 13 on one complaint: a hand-off that says who will call > an answer with the line for
    anything else > a curt DM move > "we're only the social team" > a referral to the phone (critical)."""
    s = scores["score"]
    assert s["field-handoff-2"] >= s["ans-else-2"] > s["dm-curt-2"] > s["social-only-2"] > s["field-phone-2"]
    assert scores.loc["field-handoff-2", "passed"] and scores.loc["ans-else-2", "passed"]
    assert scores.loc["field-handoff-2", "deflection"] == False  # noqa: E712  (a field escalation)
    for rid in ("field-phone-2", "social-only-phone-2"):
        assert scores.loc[rid, "auto_fail"] and "deflection" in scores.loc[rid, "auto_fail_reasons"].split(";")


@pytest.mark.parametrize("rid", ["social-only-2", "social-only-es-2", "en-to-es-2", "blame-public-2"])
def test_faults_that_fail_on_their_own_fail_without_being_critical(scores, rid):
    """Not our team (lesson 13), a reply not in the customer's language (12), blame: each fails the reply."""
    row = scores.loc[rid]
    assert not row["passed"] and not row["auto_fail"] and 0 < row["score"] < BOOK.scorecard.pass_mark
    _sum_checks(row)


def test_blaming_the_customer_weighs_more_than_the_pass_margin():
    assert CRIT["blame"].weight > 100 - BOOK.scorecard.pass_mark


@pytest.mark.parametrize("rid, flag", [("store-es-2", "deflection"), ("phone-public-ig-2", "pii_exposed")])
def test_a_store_referral_or_the_customers_phone_in_public_fail_critically(scores, rid, flag):
    row = scores.loc[rid]
    assert row[flag] == True and row["auto_fail"] and row["score"] == 0  # noqa: E712


def test_the_customers_phone_in_an_instagram_dm_exposes_nothing(scores):
    row = scores.loc["phone-dm-ig-2"]
    assert row["pii_exposed"] == False and row["passed"]  # noqa: E712


@pytest.mark.parametrize("text", [
    "We've booked an engineer for Monday. For anything else, call us on 0800 111 2222.",
    "Tu reembolso ya está procesado. Para cualquier otra duda, llámanos al 900 111 222."])
def test_an_answer_then_the_line_for_anything_else_is_an_option(text):
    assert holds("reply_answers_first", text)
