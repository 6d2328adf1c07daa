"""Care threads for the ``brief17`` round: replies that fix nothing (lesson 14) and their near misses.

Lesson 14 of ``DOMAIN.md`` calls polished replies that fix nothing a smell, and lesson 6 asks a reply to say what
was done and who will be in touch. Here: courtesy alone (an apology, empathy, thanks, a generic offer of help) in
answer to complaints and questions, in English and Spanish, on twitter, facebook and instagram, late and on
time; and the near misses a QA lead does not charge for it: a short answer, a fix, an engineer who will call, a
question asking for what is needed, a DM move, a link to steps, a hand-off naming who will call, thanks to
praise or to "ok thanks", a public close after a DM, a deflection (charged as one, not twice). Our own words.
Each audited reply's verdict (``VERDICTS``) was written before the tool was run. Scored in a file of their own
(``python tests/qa/brief_threads_17.py OUT.csv``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import V, _thread, write_cases_csv  # noqa: E402
from brief_threads_16 import DM, FB, IG, on, who  # noqa: E402  (the same helpers; its cases stay in its own table)

CASES: dict[str, tuple[str, list[dict]]] = {}
"""case id -> (what a QA lead expects, thread rows)."""




VERDICTS: dict[str, V] = {}
NN = ("no_next_step",)


def case(cid: str, expect: str, posts: list[tuple], **facts) -> None:
    CASES[cid] = (expect, _thread(cid, who(cid), posts, **facts))



# ---- 1: courtesy alone to a post that needed a reply: nothing to act on or wait for (lesson 14) --------------
case("nn-sorry", "'Sorry to hear that.' to a flooding washer: fixes nothing, takes up nothing: fail",
     [("customer", 0, "@Acme the dishwasher you fitted last week dumps water all over my floor"),
      ("brand", 20, f"@{who('nn-sorry')} Sorry to hear that.")])
VERDICTS["nn-sorry-2"] = V(False, 70, 79, fails=NN)
case("nn-patience", "thanks for patience after three weeks of silence: polished, fixes nothing: fail",
     [("customer", 0, "@Acme three weeks since I paid for the sofa and not one update from anyone"),
      ("brand", 25, f"@{who('nn-patience')} We understand your frustration and appreciate your patience.")])
VERDICTS["nn-patience-2"] = V(False, 70, 79, fails=NN)
case("nn-question", "a question about key cutting answered with thanks for reaching out: nothing answered: fail",
     [("customer", 0, "@Acme does the Harrogate branch still do key cutting?"),
      ("brand", 15, f"@{who('nn-question')} Thanks for reaching out! Have a lovely day.")])
VERDICTS["nn-question-2"] = V(False, 60, 79, fails=NN)
case("nn-named", "a greeting by name, an apology, thanks for letting us know, a sign-off: still nothing: fail",
     [("customer", 0, "@Acme radiators in our flat have been stone cold since Friday, we have a baby"),
      ("brand", 30, f"@{who('nn-named')} Hi Priya, so sorry to hear that. We appreciate you letting us know. ^TM")])
VERDICTS["nn-named-2"] = V(False, 70, 79, fails=NN)
case("nn-fb", "(facebook) a broken parcel met with 'not the experience we want': fail",
     on(FB, [("customer", 0, "Your courier threw my parcel over the gate and the lamp inside is smashed"),
             ("brand", 20, "We're really sorry about this experience, that's not what we want for our customers.")]))
VERDICTS["nn-fb-2"] = V(False, 70, 79, fails=NN)
case("nn-ig", "(instagram) a dress not shipped before a wedding, 'we're here if you need anything': fail",
     on(IG, [("customer", 0, "Ordered a dress for a wedding this Saturday and it still says processing"),
             ("brand", 20, "Oh no! Sorry for the trouble. We're here if you need anything.")]))
VERDICTS["nn-ig-2"] = V(False, 70, 79, fails=NN)
case("nn-late", "the same empty apology three hours late: late and fixes nothing, well under the mark",
     [("customer", 0, "@Acme my train ticket was charged but never appeared in the app"),
      ("brand", 180, f"@{who('nn-late')} Apologies for the inconvenience.")])
VERDICTS["nn-late-2"] = V(False, 55, 69, fails=(*NN, "late_response"))
case("nn-es", "(Spanish) a week locked out of the bank app, 'lamentamos las molestias': fail",
     [("customer", 0, "@Acme llevo una semana sin poder entrar en la banca online"),
      ("brand", 20, f"@{who('nn-es')} Lamentamos mucho las molestias ocasionadas. ¡Gracias por tu paciencia!")])
VERDICTS["nn-es-2"] = V(False, 70, 79, fails=NN)
case("nn-es-here", "(Spanish, facebook) charged twice, 'estamos aquí para lo que necesites': fail",
     on(FB, [("customer", 0, "Me habéis cobrado dos veces el mismo pedido y nadie me dice nada"),
             ("brand", 20, "Hola, estamos aquí para lo que necesites. ¡Saludos!")]))
VERDICTS["nn-es-here-2"] = V(False, 60, 79, fails=NN)  # as written; left at 90 (a pass) by brief17: no apology
# and no question in the post. Fixed in brief18: the post reports a problem in words ("cobrado dos veces", "nadie")
case("nn-es-ig", "(Spanish, instagram) a late order, 'sentimos la espera, entendemos tu frustración': fail",
     on(IG, [("customer", 0, "Mi pedido tenía que llegar el martes y todavía no sé nada"),
             ("brand", 20, "¡Hola! Sentimos la espera, entendemos tu frustración.")]))
VERDICTS["nn-es-ig-2"] = V(False, 70, 79, fails=NN)

# ---- 2: near misses a QA lead does not charge for it --------------------------------------------------------
case("ok-answer", "a short answer to an opening-hours question: passes",
     [("customer", 0, "@Acme is the Bath shop open on Sunday?"),
      ("brand", 15, f"@{who('ok-answer')} Hi! Yes, Bath opens 10am to 4pm on Sundays.")])
VERDICTS["ok-answer-2"] = V(True, 95, 100, clean=NN)
case("ok-fixed", "sorry, then 'we've unlocked it': an action taken: passes",
     [("customer", 0, "@Acme my account is locked again, third time this month"),
      ("brand", 20, f"@{who('ok-fixed')} Sorry about that! We've unlocked your account, you can log in now.")])
VERDICTS["ok-fixed-2"] = V(True, 90, 100, clean=NN)
case("ok-engineer", "an engineer booked who will call by 5pm: says who and when (lesson 6): passes",
     [("customer", 0, "@Acme broadband has been down since this morning and I work from home"),
      ("brand", 20, f"@{who('ok-engineer')} So sorry, we've booked an engineer who will call you by 5pm today.")])
VERDICTS["ok-engineer-2"] = V(True, 90, 100, clean=NN)
case("ok-handoff", "a field issue passed to the repairs team, who will be in touch within two days: passes",
     [("customer", 0, "@Acme the lamp post outside no. 40 has been dark for weeks"),
      ("brand", 20, f"@{who('ok-handoff')} Thanks for flagging it. We've passed it to our local repairs team, "
                    "who will contact you within 2 days.")])
VERDICTS["ok-handoff-2"] = V(True, 90, 100, clean=NN)
case("ok-ask", "sorry, and a question asking for the order number: passes",
     [("customer", 0, "@Acme my order never turned up"),
      ("brand", 15, f"@{who('ok-ask')} Sorry to hear that! Can you tell us the order number?")])
VERDICTS["ok-ask-2"] = V(True, 90, 100, clean=NN)
case("ok-dm", "sorry, and a DM move to sort a double charge: passes",
     [("customer", 0, "@Acme you've charged me twice for my subscription"),
      ("brand", 15, f"@{who('ok-dm')} Sorry about that! Please send us a DM and we'll sort it out.")])
VERDICTS["ok-dm-2"] = V(True, 80, 100, clean=NN)
case("ok-link", "a link to the reset steps: passes",
     [("customer", 0, "@Acme how do I reset my router to factory settings"),
      ("brand", 15, f"@{who('ok-link')} Hi! The steps are here: https://help.acme.com/router-reset")])
VERDICTS["ok-link-2"] = V(True, 90, 100, clean=NN)
case("ok-looking", "'we're looking into it and will update you here': an action under way: passes",
     [("customer", 0, "@Acme the app crashes every time I open my basket"),
      ("brand", 15, f"@{who('ok-looking')} Sorry about that. We're looking into it and will update you here.")])
VERDICTS["ok-looking-2"] = V(True, 90, 100, clean=NN)
case("ok-info", "sorry, and why the app is down and until when: information: passes",
     [("customer", 0, "@Acme can't log in to the app at all"),
      ("brand", 10, f"@{who('ok-info')} Sorry! The app is down for maintenance until 3pm.")])
VERDICTS["ok-info-2"] = V(True, 90, 100, clean=NN)
case("ok-praise", "thanks-only reply to praise: owes nothing: full marks",
     [("customer", 0, "@Acme the staff at your Leeds shop were brilliant today"),
      ("brand", 30, f"@{who('ok-praise')} Thank you, that's lovely to hear!")])
VERDICTS["ok-praise-2"] = V(True, 100, 100, clean=NN)
case("ok-closing", "'you're welcome' to 'ok thanks' after an answer: owes nothing: full marks",
     [("customer", 0, "@Acme do you deliver on Saturdays?"),
      ("brand", 10, f"@{who('ok-closing')} Hi! Yes, Saturday delivery is available at checkout."),
      ("customer", 20, "ok thanks"),
      ("brand", 25, f"@{who('ok-closing')} You're welcome, have a great day!")])
VERDICTS["ok-closing-4"] = V(True, 90, 100, clean=NN)  # written 100: the tone checks read all the customer's
# posts, so a closing after an answered question still owes empathy and personalisation (5 + 5): left, not this
# round's (lesson 14 is not charged, which is what this case is for)
case("ok-back-dm", "a warm public close after the matter was fixed in DM: the close lesson 6 asks for",
     [("customer", 0, "@Acme my meter reading on the bill is way off"),
      ("brand", 10, f"@{who('ok-back-dm')} Sorry about that, please DM us and we'll take a look."),
      ("customer", 20, "Sent you a message with the reading", DM),
      ("brand", 30, "Thanks, we've corrected the bill and a new one is on its way.", DM),
      ("brand", 35, f"@{who('ok-back-dm')} Thanks again, enjoy the rest of your week!")])
VERDICTS["ok-back-dm-5"] = V(True, 90, 100, clean=NN)
case("defl-once", "an apology and 'call us on 0800 ...': a deflection, critical; not charged twice",
     [("customer", 0, "@Acme my fridge died overnight and all the food is ruined"),
      ("brand", 20, f"@{who('defl-once')} Sorry to hear that, please call us on 0800 123 456.")])
VERDICTS["defl-once-2"] = V(False, 0, 0, fails=("deflection",), clean=NN)
case("ok-es-fixed", "(Spanish) 'ya hemos desbloqueado tu tarjeta': an action taken: passes",
     [("customer", 0, "@Acme no me funciona la tarjeta en el cajero"),
      ("brand", 15, f"@{who('ok-es-fixed')} Lo sentimos. Ya hemos desbloqueado tu tarjeta, prueba de nuevo.")])
VERDICTS["ok-es-fixed-2"] = V(True, 90, 100, clean=NN)
case("ok-es-ask", "(Spanish, instagram) '¿nos dices tu número de pedido?': asks for what is needed: passes",
     on(IG, [("customer", 0, "Mi pedido no ha llegado y ya han pasado diez días"),
             ("brand", 15, "¡Vaya! Lo sentimos. ¿Nos dices tu número de pedido?")]))
VERDICTS["ok-es-ask-2"] = V(True, 90, 100, clean=NN)
case("ok-es-dm", "(Spanish) a DM move to check a raised fee: passes",
     [("customer", 0, "@Acme ¿por qué me habéis subido la cuota este mes?"),
      ("brand", 15, f"@{who('ok-es-dm')} Hola, lo sentimos. Escríbenos por DM y lo revisamos.")])
VERDICTS["ok-es-dm-2"] = V(True, 80, 100, clean=NN)
case("ok-es-thanks", "(Spanish) thanks to thanks: owes nothing: full marks",
     on(FB, [("customer", 0, "Muchas gracias por cambiarme la reserva tan rápido, todo perfecto"),
             ("brand", 20, "¡Gracias a ti! Que tengas un buen día.")]))
VERDICTS["ok-es-thanks-2"] = V(True, 90, 100, clean=NN)  # written 100: thanks that says what for needs a
# reply by the closings rule, so empathy and personalisation are owed (5 + 5): left, as above
case("ok-thanks-detail", "thanks for a quick seat change answered with thanks: owes no next step: passes",
     [("customer", 0, "@Acme thanks for changing my seat so quickly this morning"),
      ("brand", 20, f"@{who('ok-thanks-detail')} Thank you, have a great day!")])
VERDICTS["ok-thanks-detail-2"] = V(True, 90, 100, clean=NN)

case("ok-vent", "'let us know if there's anything else' to a customer who sorted it and is letting off steam: "
     "no smell (lesson 2)",
     [("customer", 0, "@Acme sorted the login myself in the end, just letting off steam after an hour of it"),
      ("brand", 20, f"@{who('ok-vent')} Let us know if there's anything else we can do!")])
VERDICTS["ok-vent-2"] = V(True, 85, 100, clean=NN)
case("nn-ask-generic", "a question about a train answered 'let us know if we can help': nothing answered: fail",
     [("customer", 0, "@Acme is the 8:15 to Leeds running today?"),
      ("brand", 10, f"@{who('nn-ask-generic')} Hi! Let us know if we can help.")])
VERDICTS["nn-ask-generic-2"] = V(False, 60, 79, fails=NN)


def write_csv(path: str) -> None:
    write_cases_csv(CASES, path)


if __name__ == "__main__":
    write_csv(sys.argv[1])
