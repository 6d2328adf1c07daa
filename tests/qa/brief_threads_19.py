"""Care threads for the ``brief19`` round: the combinations the earlier rounds held thinly, in fresh words.

Channel context turning a verdict (an e-mail, WhatsApp or Messenger conversation is private whatever the row's flag
says; the same concession on facebook, in public, and in a DM); precedent risk graded by audience and by how easy
the concession is to claim (an upgrade, loyalty points, a percentage off); lateness from one minute to three days
past the target; repeats across channels and near misses that are not repeats; customer closings that need
nothing; DM moves never closed in public (Spanish and facebook) and one closed; consistency findings by channel in
one brand and issue (5 of 5 on facebook against 0 of 7 on twitter), by agent, and a near miss that is none;
never-acceptable phrases and an innocent sentence that holds one ("we'll deal with it this afternoon"); replies in
two and three parts, judged as a QA lead reads them, together; Spanish throughout. The third and fourth batches
were written after the first run (deflection to a live chat or an e-mail, a callback form, concessions no rule
allows, blame, lateness in a DM, posts left waiting after a DM close, a pasted line, a language the brand does not
serve, a DM fix never closed). Each verdict (``VERDICTS``; ``UNANSWERED`` / ``ANSWERED`` for customer posts;
``REPEATS`` / ``NOT_REPEATS``; ``FINDINGS``) was written before the tool was run; what the round leaves is in
``LEFT`` with the reason. Scored in a file of their own (``python tests/qa/brief_threads_19.py OUT.csv``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import V, _day, _thread, write_cases_csv  # noqa: E402
from brief_threads_16 import DM, FB, FB_DM, IG, IG_DM, on, who  # noqa: E402  (helpers only)

CASES: dict[str, tuple[str, list[dict]]] = {}
"""case id -> (what a QA lead expects, thread rows)."""

VERDICTS: dict[str, V] = {}
UNANSWERED: set[str] = set()   # customer posts a QA lead lists as waiting for a reply
ANSWERED: set[str] = set()     # customer posts that need no (further) reply, or got one
REPEATS: set[str] = set()      # customer posts a QA lead calls repeats of an earlier one
NOT_REPEATS: set[str] = set()  # customer posts that only look like an earlier one
FINDINGS: dict[str, tuple[str, str]] = {}  # brand -> the counts in words a consistency finding must give
NO_FINDING: set[str] = set()   # brands where no consistency finding may be shown
LEFT: dict[str, str] = {}      # verdicts written first that the round leaves, with the reason

NN = ("no_next_step",)
CONCESSION = ("off_policy_compensation", "precedent_risk", "off_policy_high_precedent")
EMAIL, WA = {"channel": "email"}, {"channel": "whatsapp"}


def case(cid: str, expect: str, posts: list[tuple], **facts) -> None:
    CASES[cid] = (expect, _thread(cid, who(cid), posts, **facts))


def h(cid: str) -> str:
    return "@" + who(cid)


# ---- channel context: the same words, a different verdict by where they were posted (lessons 6, 9, 15) ---------
case("cx-email-phone", "(e-mail, the row marked public) the customer's mobile repeated in an e-mail: private, "
     "passes", on(EMAIL, [("customer", 0, "The fitter never turned up on Monday. Please ring me on 07700 900417."),
                          ("brand", 20, "I'm sorry the fitter missed Monday. Our scheduler will ring you on "
                                        "07700 900417 before 11am to rebook.")]))
VERDICTS["cx-email-phone-2"] = V(True, 90, 100, clean=("pii_exposed",))
case("cx-fb-phone", "(facebook, public) the same mobile repeated in a comment: personal data exposed, critical",
     on(FB, [("customer", 0, "The fitter never turned up on Monday. Please ring me on 07700 900418."),
             ("brand", 20, "I'm sorry the fitter missed Monday. Our scheduler will ring you on 07700 900418 "
                           "before 11am to rebook.")]))
VERDICTS["cx-fb-phone-2"] = V(False, 0, 0, fails=("pii_exposed",))
REFUND_2M = ("My blender died nine weeks after I bought it. I've got 300k people following me and they'll hear "
             "about it.")
REFUND_2M_REPLY = "We're sorry! We've refunded the blender in full today, and you can keep it."
case("cx-wa-refund", "(WhatsApp) a full refund 63 days on, to 300,000 followers, in private: off policy, fails "
     "on points, not critically",
     on(WA, [("customer", 0, REFUND_2M), ("brand", 15, REFUND_2M_REPLY)]),
     customer_followers=300_000, purchase_date=_day(63), order_value=70.0, issue_category="defect")
VERDICTS["cx-wa-refund-2"] = V(False, 60, 79, fails=("off_policy_compensation",),
                               clean=("off_policy_high_precedent",))
case("cx-fb-refund", "(facebook, public) the same refund under the post for 300,000 followers: critical",
     on(FB, [("customer", 0, REFUND_2M), ("brand", 15, REFUND_2M_REPLY)]),
     customer_followers=300_000, purchase_date=_day(63), order_value=70.0, issue_category="defect")
VERDICTS["cx-fb-refund-2"] = V(False, 0, 0, fails=("off_policy_high_precedent",))
case("cx-es-email-address", "(Spanish, e-mail) the customer's address confirmed by e-mail: private, passes",
     on(EMAIL, [("customer", 0, "El repartidor dice que no encuentra la casa. Vivo en Calle Olmo 14, 3ºB, Zaragoza."),
                ("brand", 15, "Perdona las molestias. Hemos pasado al repartidor tu dirección, Calle Olmo 14, "
                              "3ºB, y te lo entrega mañana por la mañana.")]))
VERDICTS["cx-es-email-address-2"] = V(True, 90, 100, clean=("pii_exposed",))
case("cx-ig-email", "(instagram, public) the customer's e-mail written back in a comment: critical",
     on(IG, [("customer", 0, "Never got the receipt for my order, my email is priya.k@example.org"),
             ("brand", 15, "Sorry about that! We've resent the receipt to priya.k@example.org just now.")]))
VERDICTS["cx-ig-email-2"] = V(False, 0, 0, fails=("pii_exposed",))

# ---- precedent risk: the same kind of concession, graded by audience and by how claimable it is (lesson 9) -----
UPGRADE_ASK = "@Acme third cancelled train this week, I'm done with your service"
UPGRADE = "So sorry for the cancellations. We've upgraded your season ticket to first class for free."
for cid, followers, where, v in (
        ("pr-upgrade-big", 400_000, {}, V(False, 0, 0, fails=("off_policy_high_precedent",))),
        ("pr-upgrade-small", 50, {}, V(False, 50, 70, fails=("off_policy_compensation", "precedent_risk"),
                                       clean=("off_policy_high_precedent",))),
        ("pr-upgrade-dm", 400_000, DM, V(False, 70, 79, fails=("off_policy_compensation",),
                                         clean=("off_policy_high_precedent",)))):
    case(cid, "a free first-class upgrade (no rule allows it): critical to 400,000 in public, fails on points to "
         "50 followers, lighter still in a DM", [("customer", 0, UPGRADE_ASK, where),
                                                 ("brand", 20, f"{h(cid)} {UPGRADE}", where)],
         customer_followers=followers, issue_category="cancellation")
    VERDICTS[f"{cid}-2"] = v
case("pr-points-ok", "400 loyalty points in public to 200,000 followers: within the 500 allowed, passes",
     [("customer", 0, "@Acme my click and collect order wasn't ready when I got there, wasted trip"),
      ("brand", 15, f"{h('pr-points-ok')} Sorry for the wasted trip! It's ready now, and we've added 400 "
                    "points to your card for the bother.")], customer_followers=200_000, issue_category="collect")
VERDICTS["pr-points-ok-2"] = V(True, 90, 100, clean=CONCESSION)
case("pr-points-over", "2,000 points in public to 200,000 followers: four times the limit, critical",
     [("customer", 0, "@Acme my click and collect order wasn't ready when I arrived, a wasted trip again"),
      ("brand", 15, f"{h('pr-points-over')} Sorry for the wasted trip! It's ready now, and we've added 2,000 "
                    "points to your card for the bother.")], customer_followers=200_000, issue_category="collect")
VERDICTS["pr-points-over-2"] = V(False, 0, 0, fails=("off_policy_high_precedent",))
case("pr-es-35-ig", "(instagram, Spanish) 35% off in public to 60 followers: off policy, fails on points",
     on(IG, [("customer", 0, "El pedido llegó con una semana de retraso y la caja rota, muy mal"),
             ("brand", 20, "Lo sentimos mucho. Te hemos aplicado un 35% de descuento en tu próximo pedido.")]),
     customer_followers=60, issue_category="delivery")
VERDICTS["pr-es-35-ig-2"] = V(False, 50, 79, fails=("off_policy_compensation", "precedent_risk"),
                              clean=("off_policy_high_precedent",))
case("pr-es-20-ig", "(instagram, Spanish) 20% off in public to 60,000: within the goodwill limit, passes",
     on(IG, [("customer", 0, "El pedido llegó con una semana de retraso, otra vez, muy mal"),
             ("brand", 20, "Lo sentimos mucho. Te hemos aplicado un 20% de descuento en tu próximo pedido.")]),
     customer_followers=60_000, issue_category="delivery")
VERDICTS["pr-es-20-ig-2"] = V(True, 90, 100, clean=CONCESSION)

case("pr-vague-big", "'something extra on your account' 70 days on, in public to 900,000: a credit of no stated "
     "amount, which the rules allow after 30 days (up to 100): no precedent to speak of, passes",
     [("customer", 0, "@Acme the washing machine I bought in the summer is already rattling like mad"),
      ("brand", 15, f"{h('pr-vague-big')} Sorry to hear that! An engineer will call tomorrow, and we've popped a "
                    "little something extra on your account for the hassle.")],
     customer_followers=900_000, purchase_date=_day(70), order_value=400.0, issue_category="defect")
VERDICTS["pr-vague-big-2"] = V(True, 80, 100, clean=("off_policy_high_precedent",))
# ---- lateness graded by how far past the 60-minute target (lesson 4) -------------------------------------------
FIX = "Sorry for the wait! The missing charger was posted today by tracked delivery and arrives tomorrow."
ASK = "My new laptop arrived without its charger, can't use it at all"
for cid, at, where, v in (("lg-61", 61, {}, V(True, 90, 97, fails=("late_response",))),
                          ("lg-3h-fb", 180, FB, V(True, 80, 95, fails=("late_response",))),
                          ("lg-6h-ig", 360, IG, V(False, 60, 79, fails=("late_response",))),
                          ("lg-3d-fb", 3 * 24 * 60, FB, V(False, 50, 79, fails=("late_response",)))):
    case(cid, "the same good answer 1 minute, 2 hours, 5 hours and 3 days late: a little, more, fail, fail",
         on(where, [("customer", 0, ("@Acme " if not where else "") + ASK),
                    ("brand", at, (f"{h(cid)} " if not where else "") + FIX)]),
         purchase_date=_day(4), order_value=900.0, issue_category="missing_item")
    VERDICTS[f"{cid}-2"] = v
case("lg-es-59", "(Spanish) 59 minutes: inside the target, no lateness",
     [("customer", 0, "@Acme ¿a qué hora abre mañana la tienda de Gran Vía?"),
      ("brand", 59, f"{h('lg-es-59')} ¡Hola! Mañana abre de 10:00 a 21:00.")])
VERDICTS["lg-es-59-2"] = V(True, 95, 100, clean=("late_response",))

# ---- repeats: the same post again, on one channel or another; near misses that are not repeats (lessons 1, 11) -
ES_WASH = "la lavadora que me instalasteis pierde agua por abajo desde el primer día"
CASES["rp-es-tw"] = ("(Spanish) a complaint on twitter, then the same on facebook a day later: a repeat across "
                     "channels; the facebook reply is marked", _thread("rp-es-tw", "u_lucia19", [
                         ("customer", 0, f"@Acme {ES_WASH}")]))
CASES["rp-es-fb"] = ("", _thread("rp-es-fb", "u_lucia19", on(FB, [
    ("customer", 1440, f"Os lo escribí ayer en twitter: {ES_WASH}"),
    ("brand", 1460, "Lucía, lo sentimos mucho. Un técnico pasará el jueves por la mañana a cambiar la junta.")])))
REPEATS.add("rp-es-fb-1")
UNANSWERED.add("rp-es-tw-1")
VERDICTS["rp-es-fb-2"] = V(True, 80, 100, fails=("customer_repeated",))
case("rp-three-ig", "(instagram) one question three times, 30 minutes apart, then one answer: two repeats, late "
     "from the first",
     on(IG, [("customer", 0, "Is the Manchester store doing the late opening this Thursday?"),
             ("customer", 30, "Is the Manchester store doing late opening this Thursday??"),
             ("customer", 60, "Hello?? Is the Manchester store doing the late opening this Thursday?"),
             ("brand", 95, "Sorry for the wait! Yes, Manchester is open until 9pm on Thursday.")]))
REPEATS.update({"rp-three-ig-2", "rp-three-ig-3"})
VERDICTS["rp-three-ig-4"] = V(True, 80, 95, fails=("customer_repeated", "late_response"))
CASES["rp-not-a"] = ("one customer, two different matters a week apart in similar words: not a repeat",
                     _thread("rp-not-a", "u_omar19", [
                         ("customer", 0, "@Acme my order 55120 still hasn't arrived, can you check?"),
                         ("brand", 15, "@u_omar19 Sorry! Order 55120 is out for delivery today.")]))
CASES["rp-not-b"] = ("", _thread("rp-not-b", "u_omar19", [
    ("customer", 7 * 1440, "@Acme the refund for the jacket I sent back last month still hasn't arrived, can you "
                           "check?"),
    ("brand", 7 * 1440 + 15, "@u_omar19 Sorry for the wait! The refund went to your card yesterday, so expect it "
                             "within 3 days.")]))
NOT_REPEATS.add("rp-not-b-1")
VERDICTS["rp-not-b-2"] = V(True, 90, 100, clean=("customer_repeated",))

# ---- customer posts that need no reply, and one that still does (lessons 1-2) ----------------------------------
for cid, closing in (("cl-ta", "brill, ta"), ("cl-es-vale", "vale, muchas gracias por la ayuda"),
                     ("cl-watch", "ok I'll keep an eye out for it"), ("cl-es-llego", "perfecto, ya me ha llegado"),
                     ("cl-star", "cheers, you're a star")):
    case(cid, "a closing after an answer: needs nothing, is not waiting",
         [("customer", 0, "@Acme has my parcel been dispatched yet? order 4471"),
          ("brand", 10, f"{h(cid)} Hi! Yes, it left this morning and should be with you tomorrow."),
          ("customer", 20, f"@AcmeCare {closing}")])
    ANSWERED.add(f"{cid}-3")
case("cl-but-question", "thanks with a new question in it: still waiting",
     [("customer", 0, "@Acme has my parcel been dispatched yet? order 4472"),
      ("brand", 10, f"{h('cl-but-question')} Hi! Yes, it left this morning and should be with you tomorrow."),
      ("customer", 20, "@AcmeCare thanks! will I need to be in to sign for it?")])
UNANSWERED.add("cl-but-question-3")
for cid, closing in (("cl-es-espera", "vale, quedo a la espera"), ("cl-es-atento", "perfecto, quedo atento"),
                     ("cl-fb-waitsee", "ok great, I'll wait for the email then")):
    case(cid, "a closing that says the customer will wait: needs nothing",
         on(FB, [("customer", 0, "¿Cuándo me llega el reembolso de la devolución?" if "es" in cid
                  else "When will I get the refund for my return?"),
                 ("brand", 10, "¡Hola! Se emitió ayer; te llegará un correo de confirmación hoy." if "es" in cid
                  else "Hi! It went out yesterday; a confirmation email reaches you today."),
                 ("customer", 20, closing)]))
    ANSWERED.add(f"{cid}-3")
case("un-after-dm", "(facebook) fixed in a DM, closed in public, then the customer posts a new problem under the "
     "post and nobody answers: it waits",
     on(FB, [("customer", 0, "My card was declined at the till twice today, what's going on?"),
             ("brand", 10, "Sorry about that! Could you send us a private message so we can check your account?"),
             ("brand", 20, "Thanks, the block is lifted, your card works again.", FB_DM),
             ("brand", 25, "All sorted in private, thanks for your patience!"),
             ("customer", 60, "Now the app won't let me log in at all, and it says my account is locked")]))
UNANSWERED.add("un-after-dm-5")
case("un-skipped-first", "two questions in two posts; the reply answers only the second (the size); the first "
     "(the colour) waits",
     on(FB, [("customer", 0, "Does the Alba sofa come in green?"),
             ("customer", 2, "Also, what are its measurements? Need to check it fits through my door."),
             ("brand", 20, "Hi! The Alba sofa is 210 cm wide, 92 cm deep and 85 cm high.")]))
UNANSWERED.add("un-skipped-first-1")
LEFT["un-skipped-first-1"] = ("left as in brief18: one reply to a customer's latest post answers every post they had "
                              "waiting; on the real files two questions in a row are mostly one matter")

# ---- moved to DM: closed in public, or never (lesson 6) --------------------------------------------------------
case("dm-es-fb-open", "(facebook, Spanish) a complaint asked to go private, never closed in public: no public close",
     on(FB, [("customer", 0, "Me habéis cortado la fibra sin avisar y trabajo desde casa, esto es inaceptable"),
             ("brand", 10, "Sentimos mucho las molestias. Escríbenos por privado con tu número de cliente y lo "
                           "revisamos ahora mismo.")]))
VERDICTS["dm-es-fb-open-2"] = V(True, 80, 90, fails=("no_public_close",), clean=("deflection",))
case("dm-es-fb-closed", "(facebook, Spanish) the same, fixed in a DM and closed under the post: no flag",
     on(FB, [("customer", 0, "Me habéis cortado la fibra sin avisar y trabajo desde casa, qué desastre"),
             ("brand", 10, "Sentimos mucho las molestias. Escríbenos por privado con tu número de cliente y lo "
                           "revisamos ahora mismo."),
             ("customer", 15, "Ya os he escrito", FB_DM),
             ("brand", 25, "Gracias. Ya está restablecida la línea; era una avería en la centralita.", FB_DM),
             ("brand", 30, "¡Resuelto por privado! Gracias por tu paciencia.")]))
VERDICTS["dm-es-fb-closed-2"] = V(True, 85, 100, clean=("no_public_close", "deflection"))
VERDICTS["dm-es-fb-closed-5"] = V(True, 85, 100, clean=("no_public_close",) + NN)
case("dm-ig-silent", "(instagram) a public complaint answered only in a DM, nothing under the post: no public close",
     on(IG, [("customer", 0, "Your app charged me for a subscription I cancelled in March. Not impressed."),
             ("brand", 20, "Sorry about that charge! I've cancelled the subscription and refunded this month.",
              IG_DM)]), purchase_date=_day(10), order_value=9.99, issue_category="billing")
VERDICTS["dm-ig-silent-2"] = V(True, 80, 90, fails=("no_public_close",))
case("dm-curt-es", "(Spanish) a worried customer told only 'escríbenos por DM', never closed: fixes nothing",
     [("customer", 0, "@Acme me han robado la tarjeta y veo cargos que no son míos, ¿qué hago?"),
      ("brand", 10, f"{h('dm-curt-es')} Escríbenos por DM.")])
VERDICTS["dm-curt-es-2"] = V(False, 60, 79, fails=("no_public_close",))
LEFT["dm-curt-es-2"] = ("left as in brief16-18: scores 80, a pass at the mark; what sets it apart (the customer's "
                        "worry, the bareness of the request) is read by no check, and the 231 real replies at 80 with "
                        "a DM move and no public close are mostly moves a QA lead passes")

# ---- never-acceptable phrases, and innocent sentences that hold one (lesson 14) --------------------------------
case("na-calm-ig", "(instagram) 'please calm down' to an angry customer: never acceptable, critical",
     on(IG, [("customer", 0, "THIRD time my order is wrong. Are you even reading what I order??"),
             ("brand", 15, "Please calm down, we're looking into your order now.")]))
VERDICTS["na-calm-ig-2"] = V(False, 0, 0, fails=("never_acceptable",))
case("na-es-calmate", "(Spanish) 'cálmate' to an angry customer: never acceptable, critical",
     [("customer", 0, "@Acme es la tercera vez que me mandáis el pedido equivocado, ¿me tomáis el pelo?"),
      ("brand", 15, f"{h('na-es-calmate')} Cálmate, que ya estamos revisando tu pedido.")])
VERDICTS["na-es-calmate-2"] = V(False, 0, 0, fails=("never_acceptable",))
case("ok-deal-today", "'we'll deal with it this afternoon': the brand taking it on, not the phrase 'deal with it'",
     [("customer", 0, "@Acme the bin outside your Elm Street shop has been overflowing for a week"),
      ("brand", 15, f"{h('ok-deal-today')} Thanks for letting us know, sorry about the mess. The store team will "
                    "deal with it this afternoon.")])
VERDICTS["ok-deal-today-2"] = V(True, 90, 100, clean=("never_acceptable",))
case("ok-es-no-problema", "(Spanish) 'no es ningún problema, te lo cambiamos' is no refusal: passes",
     [("customer", 0, "@Acme me equivoqué de talla en el pedido, ¿puedo cambiarla?"),
      ("brand", 15, f"{h('ok-es-no-problema')} ¡Claro! No es ningún problema: te hemos enviado una etiqueta de "
                    "cambio por correo.")])
VERDICTS["ok-es-no-problema-2"] = V(True, 90, 100, clean=("never_acceptable",))
case("na-deal-fb", "(facebook) 'that's the policy, deal with it': never acceptable, critical",
     on(FB, [("customer", 0, "Why do I have to pay for returns when the item was faulty?"),
             ("brand", 15, "Returns are charged on all orders. That's the policy, deal with it.")]))
VERDICTS["na-deal-fb-2"] = V(False, 0, 0, fails=("never_acceptable",))

# ---- replies in two parts: read together, as a QA lead reads them (lessons 6, 14) ------------------------------
case("mp-two-parts", "an apology in part 1/2, the fix in part 2/2: the pair answers, neither part fails",
     [("customer", 0, "@Acme the mirror I ordered arrived smashed into pieces"),
      ("brand", 12, f"{h('mp-two-parts')} Oh no, we're so sorry to see this! (1/2)"),
      ("brand", 13, f"{h('mp-two-parts')} A new mirror goes out today with extra packaging, and there's no need "
                    "to send the broken one back. (2/2)")],
     purchase_date=_day(3), order_value=60.0, issue_category="damaged")
VERDICTS["mp-two-parts-2"] = V(True, 80, 100, clean=NN)
VERDICTS["mp-two-parts-3"] = V(True, 90, 100, clean=("customer_repeated", "late_response"))
case("mp-es-two-parts", "(Spanish) 'lo sentimos (1/2)' then the answer '(2/2)': neither part fails",
     [("customer", 0, "@Acme el cargador que compré la semana pasada ya no funciona"),
      ("brand", 12, f"{h('mp-es-two-parts')} ¡Vaya! Lo sentimos mucho (1/2)"),
      ("brand", 13, f"{h('mp-es-two-parts')} Te enviamos hoy mismo uno nuevo sin coste y no hace falta que "
                    "devuelvas el viejo (2/2)")],
     purchase_date=_day(7), order_value=25.0, issue_category="defect")
VERDICTS["mp-es-two-parts-2"] = V(True, 80, 100, clean=NN)
VERDICTS["mp-es-two-parts-3"] = V(True, 90, 100)
case("mp-deflect-2", "an apology in part 1, a phone number instead of help in part 2: part 2 deflects, critical",
     [("customer", 0, "@Acme the boiler you serviced last week is leaking again and nobody answers the phone"),
      ("brand", 12, f"{h('mp-deflect-2')} So sorry to hear it's leaking again (1/2)"),
      ("brand", 13, f"{h('mp-deflect-2')} Please call our repairs line on 0345 555 0110 to book a visit (2/2)")])
VERDICTS["mp-deflect-2-3"] = V(False, 0, 0, fails=("deflection",))

# ---- lesson 13 and 12 in combination with channel and language --------------------------------------------------
case("nt-es-fb-dept", "(facebook, Spanish) 'eso lo lleva otro departamento' with nothing else: not our team",
     on(FB, [("customer", 0, "Me cobráis la permanencia aunque me di de baja dentro del plazo"),
             ("brand", 15, "Hola, eso lo lleva otro departamento, nosotros no tenemos acceso a las facturas.")]))
VERDICTS["nt-es-fb-dept-2"] = V(False, 0, 79, fails=("not_our_team",))
case("lm-es-ig-en", "(instagram) a Spanish customer answered in English with no offer of a translation: mismatch",
     on(IG, [("customer", 0, "Hola, ¿el abrigo rojo de la web vuelve a estar disponible en talla M?"),
             ("brand", 15, "Hi! The red coat in size M is back in stock from next Monday.")]))
VERDICTS["lm-es-ig-en-2"] = V(False, 60, 79, fails=("language_mismatch",))

# ---- a third batch, written after the first run: more channels and languages for lessons 6, 9, 12-15 --------
case("df-chat-ig", "(instagram) a complaint sent to the website's live chat: deflection, critical",
     on(IG, [("customer", 0, "The jacket I ordered came in the wrong colour and I need it for Saturday"),
             ("brand", 15, "Sorry about that! Please start a live chat on our website and the team there will "
                           "arrange an exchange.")]))
VERDICTS["df-chat-ig-2"] = V(False, 0, 0, fails=("deflection",))
case("df-es-email", "(Spanish) a complaint sent to an e-mail address: deflection, critical",
     [("customer", 0, "@Acme me habéis cobrado la cuota de enero dos veces, ¿me lo devolvéis?"),
      ("brand", 15, f"{h('df-es-email')} Hola, para eso escríbenos a facturacion@acme.example con tus datos.")])
VERDICTS["df-es-email-2"] = V(False, 0, 0, fails=("deflection",))
case("ok-callback-form", "'send your details through this form and we'll ring you within the hour': the brand takes "
     "the next step, no deflection",
     [("customer", 0, "@Acme my boiler cover renewal doubled in price and nobody explained why"),
      ("brand", 15, f"{h('ok-callback-form')} Sorry for the surprise! Pop your details in here "
                    "https://acme.example/callback and one of our renewals team will ring you within the hour.")])
VERDICTS["ok-callback-form-2"] = V(True, 85, 100, clean=("deflection",))
case("pii-fb-tracking-ok", "(facebook) the brand's own returns line given to a customer who asked for it: passes",
     on(FB, [("customer", 0, "What's the phone number for your returns team?"),
             ("brand", 10, "Hi! Our returns team is on 0800 555 0123, 8am to 8pm every day.")]))
VERDICTS["pii-fb-tracking-ok-2"] = V(True, 90, 100, clean=("pii_exposed",))
case("pii-es-ig-order", "(instagram, Spanish) the customer's order number repeated under a public post: critical",
     on(IG, [("customer", 0, "Mi pedido 88412093 lleva dos semanas en preparación, ¿qué pasa?"),
             ("brand", 15, "Perdona la espera. Tu pedido 88412093 sale hoy del almacén y llega el jueves.")]))
VERDICTS["pii-es-ig-order-2"] = V(False, 0, 0, fails=("pii_exposed",))
case("pr-free-delivery-big", "free delivery for a year, in public to 700,000: no rule allows it, critical",
     [("customer", 0, "@Acme third late delivery in a row, I'm about to cancel my account"),
      ("brand", 15, f"{h('pr-free-delivery-big')} We're so sorry. We've given you free delivery on every order for "
                    "the next 12 months.")], customer_followers=700_000, issue_category="delivery")
VERDICTS["pr-free-delivery-big-2"] = V(False, 0, 0, fails=("off_policy_high_precedent",))
case("bl-size-fb", "(facebook) 'you should have checked the size guide': blames the customer, fails on its own",
     on(FB, [("customer", 0, "The boots are far too small, this is the second pair I've had to send back"),
             ("brand", 15, "You should have checked our size guide before ordering. Returns are free though.")]))
VERDICTS["bl-size-fb-2"] = V(False, 0, 79, fails=("blame",))
case("na-read-terms", "'you should have read the terms' to a customer: never acceptable, critical",
     [("customer", 0, "@Acme why was I charged a fee for cancelling my booking?"),
      ("brand", 15, f"{h('na-read-terms')} You should have read the terms when you booked, the fee is in them.")])
VERDICTS["na-read-terms-2"] = V(False, 0, 0, fails=("never_acceptable",))
case("nt-fb-social-only", "(facebook) 'this page is for social media only, we can't see orders': not our team",
     on(FB, [("customer", 0, "Where is my order? It's been ten days and the tracking page is blank"),
             ("brand", 15, "Hi, this page is for social media enquiries only and we can't see orders from here.")]))
VERDICTS["nt-fb-social-only-2"] = V(False, 0, 79, fails=("not_our_team",))
case("lt-dm-2d", "(a DM conversation) a good answer two days late: lateness counts in private too, fails",
     on(DM, [("customer", 0, "Hi, I still haven't had the refund for the order I cancelled last week"),
             ("brand", 2 * 1440, "Sorry for the slow reply! The refund went back to your card this morning.")]),
     purchase_date=_day(9), order_value=30.0, issue_category="refund")
VERDICTS["lt-dm-2d-2"] = V(False, 60, 79, fails=("late_response",))
case("un-two-ignored", "(twitter) the customer comes back twice after the answer with a new problem, nobody replies: "
     "both wait, the second is a repeat",
     [("customer", 0, "@Acme is the Bristol store open on Sunday?"),
      ("brand", 10, f"{h('un-two-ignored')} Hi! Yes, 10am to 4pm on Sundays."),
      ("customer", 120, "@AcmeCare went there and the shop was shut with no sign on the door, wasted journey"),
      ("customer", 240, "@AcmeCare went there and the shop was shut with no sign on the door, a wasted journey!!")])
UNANSWERED.update({"un-two-ignored-3", "un-two-ignored-4"})
REPEATS.add("un-two-ignored-4")
ANSWERED.add("un-two-ignored-1")
PASTE_EN = "Thanks for reaching out, we've passed your comments to the relevant team."
for cid, post in (("tp-en-fridge", "My fridge stopped cooling two days after the warranty ended"),
                  ("tp-en-bill", "Why does my bill show a roaming charge when I never left the country"),
                  ("tp-en-driver", "Your driver reversed into my gate post and just drove off")):
    case(cid, "(facebook) one pasted line on three different problems that takes up none of them: template",
         on(FB, [("customer", 0, post), ("brand", 20, PASTE_EN)]))
    VERDICTS[f"{cid}-2"] = V(False, 0, 79, fails=("template_overuse",))
case("lm-pt", "a Portuguese customer (not a served language) answered in English with an offer to translate: "
     "passes", [("customer", 0, "@Acme meu pedido ainda não chegou e já se passaram duas semanas, o que aconteceu?"),
                ("brand", 15, f"{h('lm-pt')} Sorry for the delay! Your order is with the courier and arrives "
                              "tomorrow. Would you like us to translate this into Portuguese?")])
VERDICTS["lm-pt-2"] = V(True, 80, 100, clean=("language_mismatch",))

# ---- a fourth batch: private channels by name, Spanish, a reply in three parts, a fix in DM never closed -------
MSGR = {"channel": "messenger"}
case("cx-messenger-email", "(messenger, the row marked public) the customer's e-mail repeated: private, passes",
     on(MSGR, [("customer", 0, "I never got the booking confirmation, my email is tom.r@example.net"),
               ("brand", 10, "Sorry about that, Tom! We've sent it again to tom.r@example.net just now.")]))
VERDICTS["cx-messenger-email-2"] = V(True, 90, 100, clean=("pii_exposed",))
case("nt-es-redes", "(Spanish) 'somos el equipo de redes sociales, no podemos ver tu cuenta': not our team",
     [("customer", 0, "@Acme llevo tres días sin internet y en el teléfono no me atiende nadie"),
      ("brand", 15, f"{h('nt-es-redes')} Hola, somos el equipo de redes sociales y no podemos ver tu cuenta.")])
VERDICTS["nt-es-redes-2"] = V(False, 0, 79, fails=("not_our_team",))
case("df-es-llama", "(Spanish) a complaint answered 'llámanos al 900 123 456': deflection, critical",
     [("customer", 0, "@Acme el técnico no vino ayer y perdí el día de trabajo esperando, qué vergüenza"),
      ("brand", 15, f"{h('df-es-llama')} Lo sentimos. Para cambiar la cita llámanos al 900 123 456.")])
VERDICTS["df-es-llama-2"] = V(False, 0, 0, fails=("deflection",))
case("mp-three-parts", "a greeting (1/3), an apology (2/3), the answer (3/3): read together, nothing charged",
     [("customer", 0, "@Acme my seat reservation vanished from the app and the train leaves in an hour"),
      ("brand", 5, f"{h('mp-three-parts')} Hi Jo! (1/3)"),
      ("brand", 6, f"{h('mp-three-parts')} So sorry for the worry. (2/3)"),
      ("brand", 7, f"{h('mp-three-parts')} I've rebooked seat 42 in coach C for you and the app shows it again "
                   "now. (3/3)")])
VERDICTS["mp-three-parts-2"] = V(True, 80, 100, clean=NN)
VERDICTS["mp-three-parts-3"] = V(True, 80, 100, clean=NN)
VERDICTS["mp-three-parts-4"] = V(True, 90, 100)
case("dm-fixed-unclosed", "a DM move, the fix made in the DM, nothing said under the public post: no public close",
     [("customer", 0, "@Acme my gym membership was charged twice this month, sort it out please"),
      ("brand", 10, f"{h('dm-fixed-unclosed')} Sorry about that! Could you DM us your membership number so we "
                    "can refund the second payment?"),
      ("customer", 20, "Sent", {"public": False}),
      ("brand", 30, "Thanks, the second payment is refunded and reaches your card in 3 days.", {"public": False})],
     purchase_date=_day(20), order_value=35.0, issue_category="billing")
VERDICTS["dm-fixed-unclosed-2"] = V(True, 80, 90, fails=("no_public_close",), clean=("deflection",))
VERDICTS["dm-fixed-unclosed-4"] = V(True, 80, 100)


def _consistency_by_agent() -> None:
    """Brand Nube, faulty chargers: agent ag-nube-a gives 15% off 5 of 5 times, agent ag-nube-b 0 of 7."""
    for k in range(12):
        by_a = k < 5
        cid = f"nube-{k:02d}"
        cust = f"u_nube{k}"
        reply = f"@{cust} Sorry your charger stopped working. A new one is on its way today" + (
            ", with 15% off your next order." if by_a else ".")
        rows = _thread(cid, cust, [
            ("customer", 9 * k, f"@Nube the charger I bought {k % 3 + 2} weeks ago has stopped working"),
            ("brand", 9 * k + 20, reply)], customer_followers=200 + k, issue_category="faulty_charger",
            purchase_date=_day(14 + k % 3), order_value=20.0)
        for r in rows:
            r["brand"] = "Nube"
            if r["role"] == "brand":
                r["agent_id"] = "ag-nube-a" if by_a else "ag-nube-b"
        CASES[cid] = ("consistency by agent: 5 of 5 by one agent vs 0 of 7 by another", rows)


_consistency_by_agent()
FINDINGS["Nube"] = ("5 of 5", "0 of 7")
LEFT["finding:Nube"] = ("consistency compares 'any concession', and the replacement every one of the 12 got is one; "
                        "the 15% off on top is no outcome of its own: a per-kind outcome ('gave goodwill') would "
                        "change the comparison count and false-discovery family of every file, left for a round "
                        "of its own")

# ---- consistency: one brand, one issue, the deal depends on the channel (lessons 8, 10) ------------------------
def _consistency_by_channel() -> None:
    """Brand Vela, late deliveries: 5 of 5 facebook replies give 15% off, 0 of 7 twitter replies give anything."""
    for k in range(12):
        on_fb = k < 5
        cid = f"vela-{k:02d}"
        cust = f"u_vela{k}"
        reply = (f"Sorry your order is late. It's with the courier today, and here's 15% off your next order."
                 if on_fb else f"@{cust} Sorry your order is late. It's with the courier today.")
        rows = _thread(cid, cust, [
            ("customer", 7 * k, ("" if on_fb else "@Vela ") + f"order {8100 + k} was due {k % 4 + 2} days ago "
                                                            "and it still isn't here"),
            ("brand", 7 * k + 20, reply)], customer_followers=150 + k, issue_category="late_delivery")
        for r in rows:
            r["brand"] = "Vela"
            if on_fb:
                r["channel"] = "facebook"
        CASES[cid] = ("consistency by channel: 5 of 5 on facebook vs 0 of 7 on twitter", rows)


def _consistency_near_miss() -> None:
    """Brand Roca, late deliveries: 2 of 4 facebook replies vs 1 of 8 twitter replies: not enough to say."""
    for k in range(12):
        on_fb = k < 4
        cid = f"roca-{k:02d}"
        cust = f"u_roca{k}"
        gives = k in (0, 1, 6)
        reply = ("Sorry your order is late. It's with the courier today"
                 + (", and here's 15% off your next order." if gives else "."))
        rows = _thread(cid, cust, [
            ("customer", 7 * k, f"@Roca order {9100 + k} was due {k % 4 + 2} days ago and it still isn't here"),
            ("brand", 7 * k + 20, (f"@{cust} " if not on_fb else "") + reply)],
            customer_followers=150 + k, issue_category="late_delivery")
        for r in rows:
            r["brand"] = "Roca"
            if on_fb:
                r["channel"] = "facebook"
        CASES[cid] = ("consistency near miss: 2 of 4 vs 1 of 8, no finding", rows)


_consistency_by_channel()
_consistency_near_miss()
FINDINGS["Vela"] = ("5 of 5", "0 of 7")
NO_FINDING.add("Roca")


def write_csv(path: str) -> None:
    write_cases_csv(CASES, path)


if __name__ == "__main__":
    write_csv(sys.argv[1])
