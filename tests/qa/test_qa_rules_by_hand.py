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


@pytest.mark.parametrize("reply, where", [
    ("@pat Sorry about that. Please ring our support line on 1-800-555-0199 and they will sort it out.",
     "1-800-555-0199"),
    ("@pat So sorry! Please take it to your nearest store and they will swap it for you.", "nearest"),
])
def test_a_deflection_of_a_last_resort_complaint_is_a_critical_failure(build, reply, where):
    r = score_messages(build([
        dict(role="customer", text="@Acme third time my order is wrong. This is my last try before I give up."),
        dict(message_id="r1", role="brand", at=10, text=reply),
    ]), BOOK)
    row = _row(r, "r1")
    assert row["deflection"] and row["auto_fail"] and row["score"] == 0 and not row["passed"]
    assert "critical: deflection" in row["score_explained"]
    assert any(i.check == "deflection" and where in i.text for i in row["evidence"])


def _grade(criterion: str, value: float) -> float:
    """The share of a graded criterion's weight that ``value`` costs, read from the rulebook's grades."""
    return max((share for at, share in CRIT[criterion].grades.items() if value >= at), default=0.0)


def test_precedent_risk_grades_the_same_concession_by_audience_and_claimability(build):
    """Policy allows 20% off or 500 points; each reply gives half as much again (30%, 750 points), so each
    departs 0.5 + 0.5 x 0.5 = 0.75 (rulebook: over_limit_base plus the excess's share). Risk = departure x
    visibility x claimability; the score loses the precedent grade that risk reaches, and a high risk fails."""
    sorry = "@pat We're sorry your order is this late."
    cases = {  # reply id: (public, followers, concession text, claimability from the rulebook)
        "dm": (False, 50, "Here's 30% off your next order.", BOOK.precedent.claimability["discount"]),
        "small": (True, 0, "Here's 30% off your next order.", BOOK.precedent.claimability["discount"]),
        "points": (True, 0, "We have added 750 loyalty points to your account.", BOOK.precedent.claimability["points"]),
        "famous": (True, 250_000, "Here's 30% off your next order.", BOOK.precedent.claimability["discount"]),
    }
    rows = []
    for rid, (public, followers, offer, _) in cases.items():
        rows += [dict(thread_id=rid, author_id=f"c-{rid}", role="customer", public=public,
                      customer_followers=followers, text="@Acme my order is two weeks late, what is going on?"),
                 dict(thread_id=rid, message_id=rid, role="brand", public=public, at=5, text=f"{sorry} {offer}")]
    r = score_messages(build(rows), BOOK)
    expected = {}
    for rid, (public, followers, _, claim) in cases.items():
        row = _row(r, rid)
        vis = _vis(followers) if public else BOOK.precedent.private_visibility
        risk = 0.75 * vis * claim
        assert row["policy_status"] == "off_policy" and row["departure"] == pytest.approx(0.75)
        assert row["precedent_risk"] == pytest.approx(risk, abs=1e-5)
        lost = CRIT["precedent_risk"].weight * _grade("precedent_risk", risk)
        assert row["score_without_critical"] == pytest.approx(
            100 - CRIT["off_policy_compensation"].weight - lost - _other_losses(row, "precedent risk",
                                                                                "off policy compensation"))
        expected[rid] = lost
    # the same 30% costs more the more people can see it, and a famous audience fails the reply outright
    assert expected["dm"] < expected["small"] < expected["famous"]
    famous = _row(r, "famous")
    assert famous["score"] == 0 and famous["auto_fail_reasons"] == "off_policy_high_precedent"
    # in front of the same audience, a discount anyone can cite costs more than loyalty points
    assert expected["points"] < expected["small"]


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


def _other_losses(row, *besides: str) -> float:
    """Points the reply lost to criteria other than ``besides`` (read from its explanation)."""
    besides = besides or ("no public close",)
    head = row["score_explained"].split("=")[0]
    terms = [t.strip() for t in head.split(" - ")[1:]]
    return sum(float(t.split()[0]) for t in terms if not any(b in t for b in besides))


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


def test_the_brands_own_numbers_and_addresses_are_not_exposed(build):
    """PII is the customer's data in a public reply: a toll-free line or the brand's support address repeated
    back is the brand's own, a customer's mobile number repeated in public is not."""
    r = score_messages(build([
        dict(thread_id="a", role="customer", text="@Acme I rang 1-800-555-0100 for an hour and nobody picked up"),
        dict(thread_id="a", message_id="line", role="brand", at=5,
             text="@pat Sorry about the wait on 1-800-555-0100 today, we had a system fault there."),
        dict(thread_id="b", author_id="c2", role="customer", text="@Acme no answer to my mails at help@acme.com"),
        dict(thread_id="b", message_id="mail", role="brand", at=5,
             text="@pat Our team at help@acme.com has your case and will reply today."),
        dict(thread_id="c", author_id="c3", role="customer", text="@Acme call me back on 07700 900123 please"),
        dict(thread_id="c", message_id="mobile", role="brand", at=5, text="@pat We'll ring you on 07700 900123."),
    ]), BOOK)
    assert not _row(r, "line")["pii_exposed"] and not _row(r, "mail")["pii_exposed"]
    assert _row(r, "mobile")["pii_exposed"]


def test_a_small_audit_shows_influencer_discounts_as_a_finding_in_words(build):
    """Twelve late deliveries of one brand: the 4 customers with 250,000 followers got 20% off, the 8 with 300
    followers got an apology. Fisher's exact test by hand: p = 2 / C(12, 4) = 0.004, clearly a finding on an
    audit this small, and said with its counts."""
    rows = []
    for i in range(12):
        famous = i < 4
        rows += [dict(thread_id=f"t{i}", author_id=f"c{i}", customer_followers=250_000 if famous else 300,
                      issue_category="late-delivery", at=60 * i, text=f"@Acme parcel {i} is a week late, where is it?"),
                 dict(thread_id=f"t{i}", message_id=f"r{i}", role="brand", agent_id=f"Acme/a{i % 2}", at=60 * i + 10,
                      text="@c Sorry it is late! Here's 20% off your next order." if famous else
                      "@c Sorry it is late, it is on its way and arrives tomorrow.")]
    r = score_messages(build(rows), BOOK)
    hit = r.consistency[r.consistency["dimension"] == "influence"]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (row["k_level"], row["n_level"], row["k_rest"], row["n_rest"]) == (4, 4, 0, 8)
    assert row["p_value"] == pytest.approx(2 / math.comb(12, 4), rel=1e-6)
    assert row["strength"] in ("strong", "suggestive")
    assert "4 of 4 replies to customers with >=100k followers gave a concession, against 0 of 8" in row["summary"]
    assert set(row["example_reply_ids"].split(";")) == {"r0", "r1", "r2", "r3"}
