"""The scorecard on ``brief_threads_16``: the verdicts a QA lead who read the domain brief gives, written first.

Each audited reply's verdict (pass or fail, score band, criteria it must and must not fail) and the customer
posts a QA lead lists as waiting, as repeats, or as needing nothing, are in ``brief_threads_16`` beside the
threads; they were written before the tool was run. The rounds's fixes, each with a case that failed before:
* a status update about a refund already under way ("your refund was issued yesterday") is no new concession:
  not charged as off policy or as a precedent (excuse ``reports_refund_status``), while a refund granted now is;
* the way back from DM is judged per customer: another customer's public post after the DM does not take the
  excuse from the close to the one who was in the DM;
* near-identical repeats with typos, dropped apostrophes and accents are repeats, on one channel or two;
* "sentimos la espera / el retraso" is empathy; an engineer booked to the customer's street address exposes it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from qa.api import load_policy, score_file
from qa.excuses import excuses, holds
from qa.repeats import spelled_words

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import assert_verdict, failed_criteria  # noqa: E402
from brief_threads_16 import ANSWERED, LEFT, REPEATS, UNANSWERED, VERDICTS, write_csv  # noqa: E402
from check_helpers import find  # noqa: E402

BOOK = load_policy()
CRIT = BOOK.scorecard.criteria


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief16") / "threads.csv"
    write_csv(str(path))
    return score_file(path)


@pytest.fixture(scope="module")
def scores(result):
    return result.scores.set_index("reply_id")



@pytest.mark.parametrize("rid", sorted(VERDICTS))
def test_each_reply_gets_the_qa_leads_verdict(scores, rid):
    assert_verdict(VERDICTS[rid], scores.loc[rid])


def test_waiting_answered_and_repeated_posts_are_listed_as_a_qa_lead_lists_them(result):
    waiting = set(result.unanswered["message_id"])
    assert UNANSWERED <= waiting
    assert not ANSWERED & waiting
    assert REPEATS <= set(result.repeats["message_id"])
    assert not set(LEFT) & (UNANSWERED | ANSWERED | REPEATS | set(VERDICTS))  # a known gap is not asserted


def test_every_explanation_adds_up(scores):
    for rid, row in scores.iterrows():
        head = row["score_explained"].split(";")[0]
        if "=" not in head:
            assert row["score_without_critical"] == 100, rid
            continue
        terms, total = head.split("=")
        lost = sum(float(t.split()[0]) for t in terms.split(" - ")[1:])
        assert float(total.split()[0]) == pytest.approx(max(0.0, 100 - lost)), rid


# ---- the refund status excuse ---------------------------------------------------------------------------------
def test_a_refund_status_keeps_its_flag_and_says_why_it_is_not_charged(scores):
    for rid in ("st-refund-2", "st-refund-big-2", "st-refund-es-2"):
        row = scores.loc[rid]
        assert row["compensation"] == True and row["policy_status"] == "off_policy"  # noqa: E712 (labels: a refund)
        assert "not charged: the reply reports the status of a refund already under way" in row["score_explained"]
    new = scores.loc["st-refund-new-2"]  # the same refund granted today to the same audience: critical
    assert new["auto_fail"] and "off_policy_high_precedent" in failed_criteria(new), new["score_explained"]


@pytest.mark.parametrize("text", [
    "Your refund was issued yesterday and should be back on your card within 3-5 working days.",
    "We processed your refund on Monday, so it should show by Friday.", "Your refund is on its way.",
    "Your card refund has already been processed.", "Tu reembolso se emitió ayer.",
    "Tu devolución ya está procesada.", "Ya hemos tramitado tu reembolso el lunes."])
def test_the_refund_status_excuse_reads_statuses(text):
    assert holds("reports_refund_status", text)


@pytest.mark.parametrize("text", [
    "We've refunded you in full today as a goodwill gesture.", "We've issued a full refund.",
    "We'll refund your order.", "Here's a full refund and 20% off your next order.",
    "Te hemos devuelto el importe completo.", "Te reembolsamos el pedido."])
def test_the_refund_status_excuse_does_not_read_a_refund_granted_now(text):
    assert not holds("reports_refund_status", text)


def test_the_refund_status_excuse_covers_refunds_alone():
    """"Your refund went out, and here's 30% off" is charged for the discount."""
    excuse = excuses()["reports_refund_status"]
    table = pd.DataFrame({"text": ["Your refund was issued yesterday."] * 3,
                          "concessions": ["refund", "refund;discount 30%", "refund 80"]})
    assert excuse.applies(table).tolist() == [True, False, True]


# ---- the curt DM move never closed (a QA lead fails it; left, see brief_threads_16.LEFT_VERDICTS) -----------
def test_a_curt_dm_move_never_closed_sits_at_the_pass_mark_and_a_kind_one_above(scores):
    """The decision this round measured and kept: no public close alone never fails a reply (its weight is
    under 100 - pass mark), and with no empathy and no personalisation it reaches the pass mark exactly."""
    curt, kind = scores.loc["dm-curt-fb-2"], scores.loc["dm-kind-fb-2"]
    lost = CRIT["no_public_close"].weight + CRIT["no_empathy"].weight + CRIT["no_personalisation"].weight
    assert curt["score"] == 100 - lost == BOOK.scorecard.pass_mark and curt["passed"], curt["score_explained"]
    assert {"no_public_close", "no_empathy", "no_personalisation"} <= failed_criteria(curt)
    assert kind["score"] > curt["score"] and "no_public_close" in failed_criteria(kind)


# ---- back from DM, per customer -------------------------------------------------------------------------------
def test_the_close_to_the_customer_in_the_dm_is_excused_though_another_posted_after_it(scores):
    row = scores.loc["dm-multi-7"]
    assert "not charged: a public close after the matter was handled in private messages" in row["score_explained"]


# ---- repeats spelled in a hurry -------------------------------------------------------------------------------
def test_repeats_compare_words_as_spelled_in_a_hurry():
    assert spelled_words("still hasn't arrived, error") == spelled_words("still hasnt arived, eror")
    assert spelled_words("¿Qué pasa? además") == spelled_words("que pasa?? ademas")
    assert spelled_words("@Acme https://x.co/a order") == ["order"]


# ---- text checks the cases needed -----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["¡Sentimos la espera!", "Sentimos el retraso.", "Sentimos muchísimo lo ocurrido"])
def test_sentimos_with_what_is_regretted_is_empathy(text):
    assert find("empathy", text).verdict


@pytest.mark.parametrize("text, exposed", [
    ("We've rebooked the engineer to 14 Elm Grove for 8am tomorrow.", True),
    ("An engineer will visit you at 14 Elm Grove at 8am.", True),
    ("El técnico pasará por Calle Mayor 12 mañana.", True),
    ("Please bring it to our engineers at 14 Elm Grove.", False)])
def test_a_visit_booked_to_a_street_address_is_the_customers(text, exposed):
    assert find("pii_exposed", text).verdict == exposed
