"""Care threads written for the audit of the scorecard against the domain brief (our own words, not the brief's).

Each case is a short thread in the bench's own schema, with the verdict a QA lead who read the brief expects
of its brand reply. The same threads are written to CSV by ``python tests/qa/brief_threads.py OUT.csv`` so
they can be run through ``carebench qa score`` as a user would.

Times are minutes after ``T0``; purchase dates are days before it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
COLUMNS = ["message_id", "thread_id", "parent_id", "role", "author_id", "brand", "channel", "public",
           "created_at", "text", "language", "agent_id", "customer_followers", "purchase_date", "order_value",
           "product", "issue_category"]


def _day(days_before: int) -> str:
    return (T0 - timedelta(days=days_before)).date().isoformat()


def _who(cid: str) -> str:
    """A handle for a case's customer (handles have no hyphens)."""
    return "u_" + cid.replace("-", "_")


def _thread(tid: str, customer: str, posts: list[tuple], **facts) -> list[dict]:
    """``posts``: (role, minutes, text[, overrides]) in order; brand posts are by agent ``ag-<tid>``."""
    rows, parent = [], None
    for i, post in enumerate(posts, 1):
        role, at, text = post[:3]
        extra = post[3] if len(post) > 3 else {}
        row = dict(message_id=f"{tid}-{i}", thread_id=tid, parent_id=parent, role=role,
                   author_id=customer if role == "customer" else "AcmeCare", brand="Acme", channel="twitter",
                   public=True, created_at=(T0 + timedelta(minutes=at)).isoformat(), text=text, language=None,
                   agent_id=f"ag-{tid}" if role == "brand" else None, **facts)
        row.update(extra)
        rows.append(row)
        parent = row["message_id"]
    return rows


DM = {"public": False}
REFUND_ASK = ("@Acme my coffee grinder from you packed up after two months. Rubbish quality and I'm telling "
              "everyone who follows me.")
REFUND_REPLY = ("@{who} That's not the experience we want for you. We've put through a complete refund and "
                "added a code for 50% off whatever you buy next.")
DISCOUNT_REPLY = "@{who} We're sorry the parcel is so late. Here's 30% off your next order as an apology."
LATE_ASK = "@Acme my parcel was due on Friday and tracking hasn't moved in four days, where is it?"
GOOD_REPLY = ("@{who} Sorry for the wait on your parcel. I've checked and it left our depot this morning; "
              "it should reach you tomorrow.")

# case id -> (what the brief implies, thread rows). The brand reply audited is "<id>-2" unless said.
CASES: dict[str, tuple[str, list[dict]]] = {}


def case(cid: str, expect: str, customer: str, posts: list[tuple], **facts) -> None:
    CASES[cid] = (expect, _thread(cid, customer, posts, **facts))


# lesson 8/9: the seed-001 refund, public to a big audience, public to a small one, in a DM (the whole
# conversation private)
for cid, followers, where in (("refund-public-big", 250_000, {}), ("refund-public-small", 40, {}),
                              ("refund-dm", 250_000, DM)):
    case(cid, "off policy; public worse than DM, big audience worst", _who(cid),
         [("customer", 0, REFUND_ASK, where), ("brand", 20, REFUND_REPLY.format(who=_who(cid)), where)],
         customer_followers=followers, purchase_date=_day(61), order_value=80.0, issue_category="defect")
# the refund in a DM answering a *public* complaint, with no public word after it: lesson 6's silent move
case("refund-dm-silent", "off policy, and the public post never sees an answer: no public close", _who("rds"),
     [("customer", 0, REFUND_ASK), ("brand", 20, REFUND_REPLY.format(who=_who("rds")), DM)],
     customer_followers=250_000, purchase_date=_day(61), order_value=80.0, issue_category="defect")
# 30% off (over the 20% limit): the same concession at three visibilities
for cid, followers, where in (("discount-public-big", 250_000, {}), ("discount-public-small", 40, {}),
                              ("discount-dm", 40, DM)):
    case(cid, "off policy (30% > 20%); score falls with visibility", _who(cid),
         [("customer", 0, LATE_ASK, where), ("brand", 20, DISCOUNT_REPLY.format(who=_who(cid)), where)],
         customer_followers=followers, issue_category="delivery")
# the same in Spanish: public to a big audience vs in a DM
ES_REFUND_ASK = "@Acme la cafetera que os compré hace dos meses ya no calienta. Qué vergüenza, lo voy a contar."
ES_REFUND_REPLY = ("@{who} Lo sentimos mucho. Te hemos hecho el reembolso completo y un 50% de descuento en tu "
                   "próxima compra.")
for cid, where in (("es-refund-public-big", {}), ("es-refund-dm", DM)):
    case(cid, "off policy (Spanish); public to 250,000 fails critically, the DM does not", _who(cid),
         [("customer", 0, ES_REFUND_ASK, where), ("brand", 20, ES_REFUND_REPLY.format(who=_who(cid)), where)],
         customer_followers=250_000, purchase_date=_day(61), order_value=80.0, issue_category="defect")
case("refund-within", "within policy (refund inside 30 days): pass", "u_rw",
     [("customer", 0, "@Acme the toaster I got last week burns one side of every slice. Not happy."),
      ("brand", 15, "@u_rw Sorry about the uneven toasting! We've refunded the toaster in full; you'll see "
                    "it on your card in 3-5 days.")],
     purchase_date=_day(8), order_value=40.0, issue_category="defect")

# lesson 6: deflection of a last-resort complaint vs replies that handle it here
LAST_RESORT = ("@Acme I've rung your helpline three times this week and been cut off every time. Twitter is "
               "my last option. My broadband has been down since Monday.")
case("deflect-phone", "critical fail: deflection to the phone", "u_dp",
     [("customer", 0, LAST_RESORT),
      ("brand", 12, "@u_dp Sorry to hear that. For help with your connection please call our team on "
                    "1-800-555-0142.")])
case("deflect-store", "critical fail: deflection to a store", "u_ds",
     [("customer", 0, "@Acme bought a phone case from you and it cracked on day two. Tried email twice, "
                      "nothing back."),
      ("brand", 12, "@u_ds Sorry about that! Please bring it into your local Acme shop and the staff there "
                    "will help.")])
case("dm-request", "not a deflection: a DM request handles it here; pass", "u_dq",
     [("customer", 0, LAST_RESORT.replace("Monday", "Tuesday")),
      ("brand", 12, "@u_dq I'm sorry you've been cut off, that's not good enough. Please DM us your account "
                    "number and I'll look at the fault myself right now."),
      ("brand", 30, "Thanks, I've found the fault and an engineer is booked for tomorrow morning.", DM),
      ("brand", 45, "@u_dq Glad we could sort this in DM: the engineer visit is booked and we'll check in "
                    "after.")])
case("field-escalation", "not a deflection: passed on, says who will contact them; pass", "u_fe",
     [("customer", 0, "@Acme the street cabinet outside my house has been open and sparking for two days."),
      ("brand", 12, "@u_fe Thanks for telling us, that sounds dangerous. I've passed it to our field "
                    "engineers and their duty manager will phone you today with a time.")])
case("self-help-link", "not a deflection: a link that answers; pass", "u_sh",
     [("customer", 0, "@Acme how do I change the email address on my account? Can't find it anywhere."),
      ("brand", 12, "@u_sh Happy to help! Go to Settings > Profile > Contact details and tap Edit; there's "
                    "a short guide with pictures at https://acme.example/help/email")])

# lesson 4: lateness graded by how far past the 60-minute target
for cid, at in (("on-time-59", 59), ("late-61", 61), ("late-3-days", 3 * 24 * 60), ("late-30-seconds", 60.5),
                ("late-just-under-2h", 119.6)):
    case(cid, "59 min: no cost; 61 min: a little; 3 days: a lot, fail; the sum shows what the grade reads", _who(cid),
         [("customer", 0, LATE_ASK), ("brand", at, GOOD_REPLY.format(who=_who(cid)))])

# lesson 15: the customer's data in public vs in DM; the brand's own numbers
case("hotline-answer", "brand's own number is not PII (the customer asked for it)", "u_ha",
     [("customer", 0, "@Acme what's the number for your accessibility team please?"),
      ("brand", 12, "@u_ha Hi! Our accessibility team is on 1-800-555-0188, 8am to 8pm every day, or you can "
                    "write to access@acme.example.")])
case("phone-public", "critical fail: customer's phone repeated in public", "u_pp",
     [("customer", 0, "@Acme nobody has called me back about my boiler repair. My mobile is 07700 900461."),
      ("brand", 12, "@u_pp Sorry about that! I'll have an engineer call you on 07700 900461 within the hour.")])
case("phone-dm", "pass: the same number inside a DM is private", "u_pd",
     [("customer", 0, "nobody has called me back about my boiler repair. My mobile is 07700 900462.", DM),
      ("brand", 12, "Sorry about that! I'll have an engineer call you on 07700 900462 within the hour.", DM)],
     )
case("email-public", "critical fail: customer's e-mail repeated in public", "u_ep",
     [("customer", 0, "@Acme still no receipt for my order. Send it to jo.bloggs77@mailbox.example"),
      ("brand", 12, "@u_ep Sorry! I've resent the receipt to jo.bloggs77@mailbox.example just now.")])
case("email-dm", "pass: the same e-mail inside a DM is private", "u_ed",
     [("customer", 0, "still no receipt for my order. Send it to jo.bloggs78@mailbox.example", DM),
      ("brand", 12, "Sorry! I've resent the receipt to jo.bloggs78@mailbox.example just now.", DM)])

# lesson 1/2: a closing needs no reply; a question still waits
case("closing-thanks", "closing 'thanks' is not unanswered", "u_ct",
     [("customer", 0, LATE_ASK), ("brand", 15, GOOD_REPLY.format(who="u_ct")),
      ("customer", 30, "@AcmeCare lovely, cheers!")])
case("thanks-but-question", "'thanks' with a new question is unanswered", "u_tq",
     [("customer", 0, LATE_ASK), ("brand", 15, GOOD_REPLY.format(who="u_tq")),
      ("customer", 30, "@AcmeCare thanks, but will it need a signature? I'm at work all day.")])

# lesson 2: a thank-you mention needs no empathy; the same courtesy reply to a complaint owes one
case("thanks-mention", "a courtesy reply to thanks keeps full marks", "u_tm",
     [("customer", 0, "@AcmeCare thank you so much, all sorted now!"),
      ("brand", 10, "@u_tm Glad we could help, have a great day!")])
case("courtesy-to-complaint", "the same courtesy reply to a complaint shows no empathy", "u_cc",
     [("customer", 0, "@AcmeCare my parcel is two days late and nobody tells me anything"),
      ("brand", 10, "@u_cc Glad we could help, have a great day!")])

# lesson 1/11: three near-identical posts on two channels, one answer
SAME = "@Acme I was charged twice for my October bill and nobody is answering me. Refund the extra charge now"
CASES["repeat-a"] = ("first of three posts: unanswered (repeated later)",
                     _thread("repeat-a", "u_rep", [("customer", 0, SAME)]))
CASES["repeat-b"] = ("second, same channel, other thread: a repeat; unanswered",
                     _thread("repeat-b", "u_rep", [("customer", 90, SAME + "!!")]))
CASES["repeat-c"] = ("third, on facebook: a repeat; the reply to it is marked customer_repeated",
                     _thread("repeat-c", "u_rep", [
                         ("customer", 200, SAME.replace("@Acme ", "") + ". Third time asking.",
                          {"channel": "facebook"}),
                         ("brand", 210, "Sorry for the double charge. I've refunded the extra payment; it will "
                                        "be back in your account within three days.", {"channel": "facebook"})]))

case("repeat-same-thread", "three posts while waiting: one reply, its wait from the first, customer_repeated",
     "u_rst", [("customer", 0, "@Acme my card was declined at checkout but the money left my account"),
               ("customer", 20, "@Acme my card was declined at checkout but the money left my account. Hello??"),
               ("customer", 40, "@Acme HELLO my card was declined at checkout but the money left my account"),
               ("brand", 50, "@u_rst Sorry for the worry. The payment was only held, not taken: it drops off your "
                             "statement within 48 hours.")])

# lesson 6: DM move with and without a public close
case("dm-closed", "moved to DM and came back publicly: no flag", "u_dc",
     [("customer", 0, "@Acme my order arrived with the wrong size and I need it for Saturday."),
      ("brand", 10, "@u_dc Sorry about that! Can you DM us your order number so we can fix it?"),
      ("customer", 20, "Order number is 48812.", DM),
      ("brand", 25, "Thanks! The right size is on its way by express and will arrive Friday.", DM),
      ("brand", 30, "@u_dc All sorted in DM: the right size arrives Friday. Thanks for your patience!")])
case("dm-not-closed", "moved to DM and never closed publicly: flagged", "u_dn",
     [("customer", 0, "@Acme my order arrived with the wrong colour and I need it for Saturday."),
      ("brand", 10, "@u_dn Sorry about that! Can you DM us your order number so we can fix it?"),
      ("customer", 20, "Order number is 48813.", DM),
      ("brand", 25, "Thanks! The right colour is on its way by express and will arrive Friday.", DM)])

# lessons 13, 14, 12: never-acceptable phrases, "just the social team", language
case("never-calm", "critical fail: never-acceptable phrase", "u_nc",
     [("customer", 0, "@Acme THIRD missed delivery this month. Absolutely useless."),
      ("brand", 10, "@u_nc Please calm down, we're looking at your delivery now.")])
case("not-our-team", "fail: 'we're just the social team'", "u_nt",
     [("customer", 0, "@Acme why was my card charged for an order I cancelled?"),
      ("brand", 10, "@u_nt Sorry, we're only the social media team and can't see billing here.")])
case("language-mismatch", "reply in English to a Spanish customer: language mismatch", "u_lm",
     [("customer", 0, "@Acme mi pedido lleva una semana de retraso y nadie me dice nada. ¿Dónde está?"),
      ("brand", 10, "@u_lm Sorry for the delay! Your order left our warehouse today and will arrive tomorrow.")])

# Spanish where the checks support it
case("es-deflect-phone", "critical fail: deflection (Spanish)", "u_es1",
     [("customer", 0, "@Acme llevo tres días sin internet y ya he llamado cuatro veces. Esto es lo último "
                      "que intento."),
      ("brand", 12, "@u_es1 Lo sentimos. Para ayudarte llama a nuestro servicio de atención al 900 555 014.")])
case("es-dm-request", "not a deflection (Spanish DM request): pass", "u_es2",
     [("customer", 0, "@Acme llevo tres días sin internet y nadie me soluciona nada."),
      ("brand", 12, "@u_es2 Lo sentimos mucho. Envíanos un mensaje privado con tu número de cliente y lo "
                    "revisamos ahora mismo."),
      ("brand", 30, "Ya está: un técnico irá mañana por la mañana.", DM),
      ("brand", 40, "@u_es2 Resuelto por privado: el técnico va mañana. ¡Gracias por la paciencia!")])
case("es-email-public", "critical fail: customer's e-mail in public (Spanish)", "u_es3",
     [("customer", 0, "@Acme no me ha llegado la factura. Mi correo es lucia.perez81@correo.example"),
      ("brand", 12, "@u_es3 ¡Perdona! Te la hemos reenviado a lucia.perez81@correo.example ahora mismo.")])
case("es-closing", "closing 'gracias' is not unanswered (Spanish)", "u_es4",
     [("customer", 0, "@Acme ¿cuándo llega mi pedido? Lo necesito para el viernes."),
      ("brand", 12, "@u_es4 ¡Hola! Tu pedido sale hoy y llegará el jueves."),
      ("customer", 30, "@AcmeCare vale, muchas gracias")])
case("es-never", "critical fail: never-acceptable phrase (Spanish)", "u_es5",
     [("customer", 0, "@Acme otra vez sin luz. Sois un desastre."),
      ("brand", 10, "@u_es5 Cálmese, por favor, estamos revisando la incidencia.")])

# lesson 2: a praise post answered is not an error
case("praise-answered", "no error: a reply to praise", "u_pr",
     [("customer", 0, "@Acme the new app update is brilliant, well done."),
      ("brand", 30, "@u_pr Thank you so much, we'll pass that on to the app team!")])


# lesson 7/14: one pasted text on three different problems (template overuse) vs an answer to each
GENERIC = "@{who} Thanks for reaching out! Your feedback has been shared with the relevant team."
for cid, post in (("paste-wifi", "@Acme the router keeps dropping wifi every evening around 8pm."),
                  ("paste-bill", "@Acme why has my monthly bill gone up by twelve pounds without warning?"),
                  ("paste-engineer", "@Acme the engineer never turned up for the Thursday appointment.")):
    case(cid, "template overuse: the same pasted text on different problems", _who(cid),
         [("customer", 0, post), ("brand", 15, GENERIC.format(who=_who(cid)))])


# lesson 8/10: a small audit, 4 of 4 influencers got 20% off for late deliveries, 0 of 8 others did
def _consistency() -> None:
    for k in range(12):
        big = k < 4
        cid = f"late-{k:02d}"
        who = f"u_late{k}"
        reply = (f"@{who} So sorry your delivery is late. Here's 20% off your next order for the trouble."
                 if big else f"@{who} So sorry your delivery is late. It's now out with the courier for today.")
        CASES[cid] = ("consistency: influencers 4/4 vs others 0/8", _thread(cid, who, [
            ("customer", 5 * k, f"@Acme order {5000 + k} is late again, it was due {k % 5 + 2} days ago."),
            ("brand", 5 * k + 20, reply)],
            customer_followers=300_000 + k if big else 120 + k, issue_category="late_delivery"))


_consistency()


def _consistency_near_miss() -> None:
    """1 of 4 influencers vs 0 of 8 others at another brand: no finding."""
    for k in range(12):
        big = k < 4
        cid = f"bolt-{k:02d}"
        who = f"u_bolt{k}"
        reply = (f"@{who} So sorry your delivery is late. Here's 20% off your next order for the trouble."
                 if k == 0 else f"@{who} So sorry your delivery is late. It's now out with the courier for today.")
        rows = _thread(cid, who, [
            ("customer", 5 * k, f"@Bolt order {7000 + k} is late again, it was due {k % 5 + 2} days ago."),
            ("brand", 5 * k + 20, reply)],
            customer_followers=300_000 + k if big else 120 + k, issue_category="late_delivery")
        for r in rows:
            r["brand"] = "Bolt"
        CASES[cid] = ("consistency near miss: 1/4 vs 0/8, no finding", rows)


_consistency_near_miss()


def _more() -> None:
    """The variants of ``brief_threads_more`` (other channels, more deflections, praise, ...)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from brief_threads_more import MORE

    for cid, expect, customer, posts, facts in MORE:
        facts = dict(facts)
        if "purchase_days_before" in facts:
            facts["purchase_date"] = _day(facts.pop("purchase_days_before"))
        case(cid, expect, customer, posts, **facts)


_more()



@dataclass(frozen=True)
class V:
    """A QA lead's verdict on one reply: pass or fail, the score band, criteria it must fail and must not."""

    passed: bool
    low: float
    high: float
    fails: tuple[str, ...] = ()
    clean: tuple[str, ...] = ()


def failed_criteria(row) -> set[str]:  # noqa: ANN001  (a row of scores.csv)
    return set(str(row["failed_criteria"]).split(";")) - {""}


def assert_verdict(v: V, row) -> None:  # noqa: ANN001
    """``row`` (of scores.csv) gets the QA lead's verdict ``v``; the score's explanation is shown when not."""
    assert bool(row["passed"]) == v.passed, row["score_explained"]
    assert v.low <= row["score"] <= v.high, row["score_explained"]
    assert set(v.fails) <= failed_criteria(row), row["score_explained"]
    assert not set(v.clean) & failed_criteria(row), row["score_explained"]

def write_cases_csv(cases: dict[str, tuple[str, list[dict]]], path: str) -> None:
    """Write every thread of ``cases`` as one reply file (each round's module scores its own cases apart)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for _, thread in cases.values():
            for r in thread:
                w.writerow({c: ("" if r.get(c) is None else r.get(c)) for c in COLUMNS})


def write_csv(path: str) -> None:
    write_cases_csv(CASES, path)


if __name__ == "__main__":
    write_csv(sys.argv[1])
