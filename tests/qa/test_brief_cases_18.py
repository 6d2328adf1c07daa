"""The scorecard on ``brief_threads_18``: every lesson that implies a verdict, in fresh words, verdicts written first.

Each audited reply's verdict (pass or fail, score band, criteria it must and must not fail) and the customer
posts a QA lead lists as waiting or as needing nothing are in ``brief_threads_18`` beside the threads, written
before the tool was run (on main 48 of the 58 matched). The round's fix, each case of it failing before:
courtesy alone in answer to a *complaint* owes a next step even when the reply does not apologise and the customer
asks nothing ("estamos aquí para lo que necesites" to a week locked out, "we're always here to help" to a kettle
lid that snapped, "we appreciate your feedback" to a half-hour queue): ``no_next_step`` now reads a problem
reported in words (``ClosingRule.complains``, the ``complaint`` lists of ``policies/no_reply_needed.yaml``),
unless the post says it is solved ("already sorted, just venting"). Verdicts the round leaves are in ``LEFT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qa.api import score_file
from qa.closings import closing_rule
from qa.courtesy import courtesy_only

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import assert_verdict  # noqa: E402
from brief_threads_18 import ANSWERED, LEFT, UNANSWERED, VERDICTS, write_csv  # noqa: E402


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief18") / "threads.csv"
    write_csv(str(path))
    return score_file(path)


@pytest.mark.parametrize("rid", sorted(set(VERDICTS) - set(LEFT)))
def test_each_reply_gets_the_qa_leads_verdict(result, rid):
    assert_verdict(VERDICTS[rid], result.scores.set_index("reply_id").loc[rid])


def test_waiting_and_answered_posts_are_listed_as_a_qa_lead_lists_them(result):
    waiting = set(result.unanswered["message_id"])
    assert UNANSWERED - set(LEFT) <= waiting
    assert not ANSWERED & waiting


def test_the_left_verdicts_are_still_as_reported(result):
    """What the round left, as the README says: if one of these changes, the README is out of date."""
    scores = result.scores.set_index("reply_id")
    assert scores.loc["dm-curt-postcode-2", "score"] == 80 and scores.loc["dm-curt-postcode-2", "passed"]
    assert scores.loc["lt-90-2", "score"] == 89 and scores.loc["lt-90-2", "compensation"] == True  # noqa: E712
    assert "un-two-questions-3" not in set(result.unanswered["message_id"])


@pytest.mark.parametrize("post", [
    "the lid of the kettle snapped off the first time I used it", "my order never arrived and nobody answers",
    "Stood 35 minutes in the queue with one till open. Ridiculous.", "on hold for an hour, this is a joke",
    "the app keeps crashing when I pay", "llevo una semana sin poder entrar en la app",
    "me habéis cobrado dos veces y el dinero sigue sin volver", "el pedido no ha llegado y nadie contesta",
    "la lavadora está rota desde el lunes", "qué vergüenza de servicio",
])
def test_a_problem_in_words_is_a_complaint(post):
    assert closing_rule().complains(post)


@pytest.mark.parametrize("post", [
    "got the app working after reinstalling it twice, what a morning", "Already sorted, just venting. Big bummer.",
    "love the new shop in Sevilla", "just filled in the form, thank you", "I sure can!",
    "hoy he visto vuestro anuncio en el metro y me he reído", "ya está solucionado, había un error en mi tarjeta",
    "see you later", "el técnico vino por la tarde", "",
])
def test_no_problem_or_a_solved_one_is_no_complaint(post):
    assert not closing_rule().complains(post)


@pytest.mark.parametrize("text", ["We hear you, thanks for flagging this!", "Thanks for raising this with us.",
                                  "Agradecemos tus comentarios, un saludo.", "Quedamos a tu disposición."])
def test_thanks_for_flagging_or_raising_is_courtesy(text):
    assert courtesy_only(text)


def test_flagging_something_on_the_account_is_more_than_courtesy():
    assert not courtesy_only("We've flagged your account for a callback.")
