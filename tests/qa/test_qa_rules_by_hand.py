"""Each rule of the rubric and the thread checks on threads written by hand from the domain brief's lessons.

The threads are ours (the brief's situations, our words); the expected verdicts follow from the brief and the
default rulebook, computed here independently of the code (points, grades, visibility by its formula).
"""

from __future__ import annotations

import math

import pytest

from qa.api import load_policy
from qa.checks.base import Finding, ReplyContext
from qa.pipeline import score_messages

BOOK = load_policy()
CRIT = BOOK.scorecard.criteria


def _row(result, reply_id):
    return result.scores.set_index("reply_id").loc[reply_id]


def _vis(followers: float) -> float:  # visibility of a public reply, as the precedent module documents it
    return 0.4 + 0.6 * min(1.0, math.log10(1 + followers) / math.log10(1 + 1_000_000))


REFUND_THREAD = [  # lesson 8: full refund and half off, 61 days after purchase; policy: store credit after 30
    dict(message_id="c1", role="customer", at=0, customer_followers=250_000, purchase_date="2024-03-01",
         issue_category="defect", text="@Acme the kettle I bought from you in March has stopped heating. "
                                       "Not impressed, and my followers will hear about it."),
    dict(message_id="r1", role="brand", author_id="Acme", agent_id="Acme/AB", at=25,
         text="@pat We're really sorry about the kettle! We've issued you a full refund and we'd love to offer "
              "50% off your next purchase too."),
]


@pytest.mark.parametrize("public", [True, False])
def test_the_seed_001_refund_fails_in_public_and_scores_better_still_off_policy_in_dm(build, public):
    rows = [dict(r, public=public) for r in REFUND_THREAD]
    row = _row(score_messages(build(rows), BOOK), "r1")
    assert row["policy_status"] == "off_policy" and "off_policy_compensation" in row["flags"]
    if public:
        risk = 1.0 * _vis(250_000) * 0.9  # departure 1 (both breaches maxed) x visibility x discount's 0.9
        assert row["precedent_risk"] == pytest.approx(risk, abs=1e-5) and risk >= BOOK.precedent.high
        assert row["score"] == 0 and not row["passed"]
        assert row["auto_fail_reasons"] == "off_policy_high_precedent"
    else:
        risk = 1.0 * BOOK.precedent.private_visibility * 0.9
        assert row["precedent_risk"] == pytest.approx(risk, abs=1e-5)
        # 100 - off-policy weight - the precedent grade its risk reaches
        grade = max(share for at, share in CRIT["precedent_risk"].grades.items() if risk >= at)
        expected = 100 - CRIT["off_policy_compensation"].weight - CRIT["precedent_risk"].weight * grade
        assert row["score"] == pytest.approx(expected) and row["score"] > 0 and not row["auto_fail"]
        assert not row["passed"]  # still below the pass mark: off policy is off policy
        assert "private reply on twitter" in " ".join(i.note for i in row["evidence"])


def test_a_phone_deflection_of_a_complaint_is_a_critical_failure(build):
    r = score_messages(build([
        dict(role="customer", text="@Acme third time my order is wrong. This is my last try before I give up."),
        dict(message_id="r1", role="brand", at=10,
             text="@pat Sorry about that. Please ring our support line on 1-800-555-0199 and they will sort it out."),
    ]), BOOK)
    row = _row(r, "r1")
    assert row["deflection"] and row["auto_fail"] and row["score"] == 0 and not row["passed"]
    assert "critical: deflection" in row["score_explained"]
    assert any(i.check == "deflection" and "1-800-555-0199" in i.text for i in row["evidence"])


def test_lateness_costs_more_the_later_the_reply(build):
    target = BOOK.first_response_target_minutes
    rows = []
    for k, wait in enumerate([target + 1, 3 * 1440]):
        rows += [dict(thread_id=f"t{k}", author_id=f"customer{k}", role="customer", at=0,
                      text="@Acme my parcel never came, can you check?"),
                 dict(thread_id=f"t{k}", message_id=f"r{k}", role="brand", at=wait,
                      text="@pat Sorry for the wait: the parcel left our depot and arrives tomorrow.")]
    r = score_messages(build(rows), BOOK)
    late = CRIT["late_response"]
    one_min, three_days = _row(r, "r0"), _row(r, "r1")
    assert three_days["minutes_late"] == pytest.approx(3 * 1440 - target)
    lost = [100 - x["score_without_critical"] for x in (one_min, three_days)]
    assert "late_response" in one_min["flags"] and "late_response" in three_days["flags"]
    # the late-response share of each: its grade at 1 minute and at three days
    grade = [max(s for at, s in late.grades.items() if m >= at) for m in (1, 3 * 1440 - target)]
    assert lost == pytest.approx([late.weight * g for g in grade])  # nothing else is wrong with either reply
    assert grade[0] < grade[1] == 1.0


def test_a_customer_email_repeated_in_public_is_exposed_and_says_where(build):
    r = score_messages(build([
        dict(role="customer", text="@Acme no confirmation yet, my address is jo.moss@example.org"),
        dict(message_id="r1", role="brand", at=5,
             text="@jo We have resent the confirmation to jo.moss@example.org just now."),
    ]), BOOK)
    row = _row(r, "r1")
    assert row["pii_exposed"] and row["auto_fail"] and "pii_exposed" in row["auto_fail_reasons"]
    item = next(i for i in row["evidence"] if i.check == "pii_exposed")
    assert item.text == "jo.moss@example.org" and item.note == "public reply on twitter"


class _Spy:
    """A check that only records where the pipeline says each reply was posted."""

    name = "where_spy"
    seen: dict[str, tuple[bool, str]] = {}

    def run(self, ctx: ReplyContext) -> Finding:
        self.seen[ctx.reply_id] = (ctx.public, ctx.channel)
        return Finding(self.name, False)


def test_checks_are_told_whether_a_reply_is_public(build):
    spy = _Spy()
    score_messages(build([
        dict(thread_id="a", role="customer", text="@Acme help with my bill please"),
        dict(thread_id="a", message_id="pub", role="brand", text="@x Happy to help here."),
        dict(thread_id="a", message_id="dm", role="brand", public=False, text="Here in private now."),
        dict(thread_id="b", role="customer", channel="whatsapp", text="hello, my bill again"),
        dict(thread_id="b", message_id="wa", role="brand", channel="whatsapp", text="Hi, we can help."),
    ]), BOOK, checks={"where_spy": spy})
    assert spy.seen == {"pub": (True, "twitter"), "dm": (False, "twitter"), "wa": (False, "whatsapp")}


def test_a_phone_number_repeated_inside_a_dm_is_not_exposed(build):
    r = score_messages(build([
        dict(role="customer", public=False, text="call me back on 07700 900123 please"),
        dict(message_id="r1", role="brand", public=False, at=3, text="Sure, we'll call 07700 900123 at 4pm."),
    ]), BOOK)
    assert not _row(r, "r1")["pii_exposed"]


def test_the_same_comment_three_times_is_recognised_as_repeats(build):
    post = "@Acme my washing machine has leaked all over the kitchen floor and nobody answers"
    r = score_messages(build([
        dict(thread_id="t1", message_id="p1", channel="twitter", text=post, at=0),
        dict(thread_id="t2", message_id="p2", channel="facebook", text=post.replace("@Acme ", ""), at=50),
        dict(thread_id="t3", message_id="p3", channel="twitter", text=post + "!!", at=90),
        dict(thread_id="t3", message_id="r3", role="brand", text="@pat So sorry, an engineer will call today.",
             at=95),
        dict(thread_id="t4", message_id="x1", author_id="someone_else", text=post, at=30),  # another customer
    ]), BOOK)
    reps = r.repeats.set_index("message_id")
    assert set(reps.index) == {"p2", "p3"} and set(reps["of_message_id"]) == {"p1"}
    assert reps.loc["p2", "kind"] == "other channel" and reps.loc["p3", "kind"] == "other thread"
    row = _row(r, "r3")
    assert row["customer_repeated"] and "customer_repeated" in row["flags"]
    assert "repeats their post p1" in " ".join(i.note for i in row["evidence"])
    un = r.unanswered.set_index("message_id")
    assert set(un.index) == {"p1", "p2", "x1"} and un.loc["p2", "repeat"] and not un.loc["p1", "repeat"]


@pytest.mark.parametrize("closing", ["Fine, thanks", "ok great, thank you so much!", "muchas gracias 🙏",
                                     "obrigado pela ajuda", "ありがとうございました"])
def test_a_closing_needs_no_reply_and_a_welcome_is_never_late(build, closing):
    r = score_messages(build([
        dict(role="customer", text="@Acme is the outage in my area fixed yet?", at=0),
        dict(message_id="r1", role="brand", text="@pat Yes, service is back since noon.", at=20),
        dict(role="customer", text=f"@Acme {closing}", at=30),
        dict(message_id="r2", role="brand", text="@pat You're welcome!", at=400),
    ]), BOOK)
    assert r.unanswered.empty and r.meta["no_reply_needed"] == 1
    welcome = _row(r, "r2")
    assert math.isnan(welcome["latency_minutes"]) and "late_response" not in welcome["flags"]


@pytest.mark.parametrize("post", ["Fine, thanks, but the router still drops every hour",
                                  "thanks. when does the engineer come?"])
def test_thanks_with_a_question_or_a_complaint_still_waits(build, post):
    r = score_messages(build([
        dict(role="customer", text="@Acme my internet is down", at=0),
        dict(role="brand", text="@pat We've reset the line.", at=20),
        dict(message_id="last", role="customer", text=f"@Acme {post}", at=30),
    ]), BOOK)
    assert list(r.unanswered["message_id"]) == ["last"]


def test_a_thread_moved_to_dm_without_a_public_close_is_flagged(build):
    thread = [
        dict(role="customer", text="@Acme I was charged twice for one order", at=0),
        dict(message_id="ask", role="brand", text="@pat Sorry! Please send us a DM with your order number.", at=10),
        dict(role="customer", public=False, text="it is 55501234", at=15),
        dict(message_id="dm", role="brand", public=False, text="Thanks, the second charge is now cancelled.", at=20),
    ]
    close = dict(message_id="close", role="brand", at=30,
                 text="@pat Glad we could fix the double charge. Thanks for your patience!")
    open_r = score_messages(build(thread), BOOK)
    row = _row(open_r, "ask")
    assert row["no_public_close"] and "no_public_close" in row["flags"]
    assert row["score"] == pytest.approx(100 - CRIT["no_public_close"].weight - _other_losses(row))
    assert not _row(open_r, "dm")["no_public_close"]  # the private reply itself moved nothing
    closed = score_messages(build([*thread, close]), BOOK)
    assert not _row(closed, "ask")["no_public_close"]


def _other_losses(row) -> float:
    """Points the reply lost to criteria other than no_public_close (read from its explanation)."""
    head = row["score_explained"].split("=")[0]
    terms = [t.strip() for t in head.split(" - ")[1:]]
    return sum(float(t.split()[0]) for t in terms if "no public close" not in t)


def test_a_dm_channel_counts_as_private_even_when_the_file_says_public(build):
    rows = [dict(r, channel="dm") for r in REFUND_THREAD]
    row = _row(score_messages(build(rows), BOOK), "r1")
    assert not row["public"] and row["visibility"] == pytest.approx(BOOK.precedent.private_visibility)


def test_a_never_acceptable_phrase_fails_the_reply(build):
    r = score_messages(build([
        dict(role="customer", text="@Acme this is the worst service ever"),
        dict(message_id="r1", role="brand", text="@pat Please calm down and read our terms.", at=3),
    ]), BOOK)
    row = _row(r, "r1")
    assert row["never_acceptable"] and row["score"] == 0 and "never_acceptable" in row["auto_fail_reasons"]
    assert any(i.check == "never_acceptable" and i.text == "calm down" for i in row["evidence"])
