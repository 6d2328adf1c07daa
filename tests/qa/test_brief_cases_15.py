"""The scorecard on ``brief_threads_15``: lesson 6's way back from DM, read from the thread, not only the words.

Expectations come from the domain brief (lesson 6: "move to DM, then come back publicly with the resolution"),
``LABELING.md`` (``dm_request`` is not 1 when the reply "only mentions a message already exchanged without
moving there") and the rulebook's numbers, not from the code's output:
* a public close after the thread's private part owes no empathy or personalisation again, whatever its words
  ("All done, enjoy the rest of your week!"); the same words to a public complaint, or to a new public post
  after the DM, are charged as before;
* a public close that refers back to a DM ("thanks for chatting with us in DM") is no move to DM: it closes the
  thread, even when the DM itself is not in the file;
* a DM move that never comes back publicly is flagged and charged ``no_public_close``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from qa.api import load_policy, score_file
from qa.excuses import _thread_excuse, holds
from qa.thread_checks import back_from_dm

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads_15 import write_csv  # noqa: E402
from check_helpers import find  # noqa: E402

BOOK = load_policy()
CRIT = BOOK.scorecard.criteria
BACK = "not charged: a public close after the matter was handled in private messages"


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief15") / "threads.csv"
    write_csv(str(path))
    return score_file(path).scores.set_index("reply_id")


def _failed(row) -> list[str]:  # noqa: ANN001
    return row["failed_criteria"].split(";")


# ---- 1: a public close after a DM that does not name the DM -------------------------------------------------
@pytest.mark.parametrize("rid", ["done-dm-6", "done-dm-b-5", "done-dm-c-5", "done-dm-es-5", "done-silent-3"])
def test_a_public_close_after_the_private_part_keeps_full_marks(scores, rid):
    row = scores.loc[rid]
    assert row["score"] == 100 and row["passed"], row["score_explained"]
    assert BACK in row["score_explained"]
    for name in ("no_empathy", "no_personalisation", "template_overuse", "template_ignores_customer"):
        assert name not in _failed(row)
    assert row["public"] and row["dm_request"] == False  # noqa: E712  (no move: nothing left open)
    assert row["no_public_close"] == False  # noqa: E712


def test_the_close_closes_the_thread_it_comes_back_to(scores):
    """The DM request, and the silent move to private, are closed by the public close after them."""
    for rid in ("done-dm-2", "done-dm-es-2", "done-silent-2"):
        assert scores.loc[rid, "no_public_close"] == False, rid  # noqa: E712


def test_the_same_words_to_a_public_complaint_with_no_dm_are_charged(scores):
    row = scores.loc["done-public-2"]
    assert row["empathy"] == False and "no_empathy" in _failed(row)  # noqa: E712
    assert BACK not in row["score_explained"]


def test_a_reply_to_a_new_public_post_after_the_dm_owes_empathy_again(scores):
    """The customer came back in public ("still not back in my account"): that is a new complaint."""
    row = scores.loc["done-again-6"]
    assert row["empathy"] == False and "no_empathy" in _failed(row), row["score_explained"]  # noqa: E712
    assert BACK not in row["score_explained"]


def test_back_from_dm_reads_the_thread_order_and_stays_in_its_thread():
    thread = np.array(["a", "a", "a", "a", "a", "b", "b", "c", "c", "c"])
    brand = np.array([0, 1, 0, 1, 1, 0, 1, 0, 1, 1], dtype=bool)
    public = np.array([1, 1, 0, 1, 1, 1, 1, 0, 1, 1], dtype=bool)
    #   a: post, DM request, private post, public close, another public note  -> both public brand replies return
    #   b: a public post and a public reply (the private post of "a" is another thread's) -> no
    #   c: a private post, then public replies -> yes
    assert back_from_dm(thread, brand, public).tolist() == [
        False, False, False, True, True, False, False, False, True, True]
    customer_again = back_from_dm(np.array(["a"] * 4), np.array([1, 0, 0, 1], dtype=bool),
                                  np.array([0, 0, 1, 1], dtype=bool))
    assert customer_again.tolist() == [False, False, False, False]  # a public post since the private part


def test_a_thread_excuse_must_name_a_fact_the_thread_checks_give():
    with pytest.raises(ValueError, match="unknown thread fact"):
        _thread_excuse("x", {"reason": "r", "reads": "thread", "fact": "no_such_fact"})
    with pytest.raises(TypeError):
        holds("back_from_dm", "All done!")


# ---- 2: a close that refers back to a DM is no move to DM --------------------------------------------------
@pytest.mark.parametrize("cid", ["chat-dm", "chat-dm-b", "chat-dm-c", "chat-dm-es"])
def test_a_close_referring_back_to_a_dm_closes_the_thread(scores, cid):
    close, move = scores.loc[f"{cid}-4"], scores.loc[f"{cid}-2"]
    assert close["dm_request"] == False and close["no_public_close"] == False  # noqa: E712
    assert move["dm_request"] == True and move["no_public_close"] == False  # noqa: E712
    assert "no_public_close" not in _failed(close) and "no_public_close" not in _failed(move)
    assert close["passed"], close["score_explained"]


def test_thanks_for_the_dm_chat_then_a_new_request_is_still_a_move(scores):
    for rid in ("chat-dm-more-2", "chat-dm-more-4"):
        row = scores.loc[rid]
        assert row["dm_request"] == True and "no_public_close" in _failed(row)  # noqa: E712


@pytest.mark.parametrize("text", [
    "Thanks for chatting with us in DM, enjoy your new trainers!", "Thank you for talking to us via DM!",
    "Great chatting with you in DM, enjoy the rest of your week!", "Glad we could sort this out over DM",
    "All sorted in DM, thanks!", "It's all resolved via DM now.", "Resolved via private message, enjoy your trip!",
    "¡Gracias por hablar con nosotros por privado! Que disfrutes del pedido.", "¡Resuelto por privado, gracias!",
    "Ya está solucionado por privado, ¡gracias!"])
def test_a_reference_back_to_a_dm_is_no_dm_request(text):
    assert not find("dm_request", text).verdict


@pytest.mark.parametrize("text", [
    "Thanks for chatting, please continue with us in DM with your order number.", "Let's chat in DM",
    "Thanks for chatting with us in DM. Could you also DM us your postcode?", "Happy to chat with you over DM!",
    "We'll get this sorted in DM", "We can get it all sorted via DM", "It will be resolved via DM",
    "Thanks for getting in touch via DM, we'll reply shortly", "Quedará resuelto por privado",
    "Escríbenos por privado y lo dejamos resuelto."])
def test_a_request_or_promise_to_go_to_dm_is_still_one(text):
    assert find("dm_request", text).verdict


@pytest.mark.parametrize("text", [
    "Thanks for chatting with us in DM, enjoy your new trainers!", "Great speaking with you over DM!",
    "¡Gracias por hablar con nosotros por privado!"])
def test_the_dm_close_excuse_holds_for_thanks_for_the_dm_chat(text):
    assert holds("closes_after_dm", text)


@pytest.mark.parametrize("text", [
    "Happy to chat with you over DM!", "We'll get this sorted in DM", "We can get it all sorted via DM",
    "It will be resolved via DM", "Quedará resuelto por privado"])
def test_the_dm_close_excuse_does_not_hold_for_offers_or_promises(text):
    """An offer or promise to settle it in DM is a move there: it still owes the customer an apology."""
    assert not holds("closes_after_dm", text)


# ---- 3: a DM move that never comes back publicly -----------------------------------------------------------
def test_a_dm_move_never_closed_is_flagged_and_charged(scores):
    gone, back = scores.loc["dm-gone-2"], scores.loc["dm-back-2"]
    assert gone["no_public_close"] == True and "no_public_close" in _failed(gone)  # noqa: E712
    assert f"{CRIT['no_public_close'].weight:g} no public close" in gone["score_explained"]
    assert back["no_public_close"] == False  # noqa: E712
    assert back["score"] - gone["score"] == CRIT["no_public_close"].weight
