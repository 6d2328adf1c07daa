"""Care threads for the ``brief18`` round: the scorecard lesson by lesson, in fresh words of our own.

For every lesson of ``DOMAIN.md`` that implies a verdict on a reply (1, 2, 4, 6, 7, 8-9, 12, 13, 14, 15), two to
five threads on twitter, facebook, instagram and in DMs, in English and Spanish, short and long, to small and
large audiences, on time and late; and the known gaps of the earlier rounds: courtesy alone that neither
apologises nor answers a question ("estamos aquí para lo que necesites" to a complaint), a question skipped early
in a long thread, a curt "DM us your postcode". Each audited reply's verdict (``VERDICTS``; ``UNANSWERED`` /
``ANSWERED`` for customer posts) was written before the tool was run; the ones the round left are in ``LEFT``
with the reason. Scored in a file of their own (``python tests/qa/brief_threads_18.py OUT.csv``).
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
LEFT: dict[str, str] = {}      # verdicts written first that the round leaves, with the reason

NN = ("no_next_step",)
CRIT = ("deflection", "pii_exposed", "never_acceptable", "off_policy_high_precedent")
CONCESSION = ("off_policy_compensation", "precedent_risk", "off_policy_high_precedent")


def case(cid: str, expect: str, posts: list[tuple], **facts) -> None:
    CASES[cid] = (expect, _thread(cid, who(cid), posts, **facts))


def h(cid: str) -> str:
    return "@" + who(cid)


# ---- lesson 14: courtesy that fixes nothing, in any language and wording ---------------------------------------
case("cq-es-aqui", "(Spanish) a week locked out of the app, answered 'aquí para lo que necesites': fixes nothing",
     [("customer", 0, "@Acme llevo una semana sin poder entrar en la app y nadie me da una solución"),
      ("brand", 20, f"{h('cq-es-aqui')} Hola, estamos aquí para lo que necesites. Un saludo")])
VERDICTS["cq-es-aqui-2"] = V(False, 60, 79, fails=NN)
case("cq-es-fb", "(facebook, Spanish) a double charge met with 'quedamos a tu disposición': fixes nothing",
     on(FB, [("customer", 0, "Me habéis cobrado dos veces la misma compra y el dinero sigue sin volver"),
             ("brand", 25, "Gracias por escribirnos. Quedamos a tu disposición.")]))
VERDICTS["cq-es-fb-2"] = V(False, 60, 79, fails=NN)
case("cq-en-here", "a kettle lid that snapped, answered 'always here to help': no apology, no question, fixes "
     "nothing",
     [("customer", 0, "@Acme the lid of the kettle I bought from you snapped off the very first time I used it"),
      ("brand", 15, f"{h('cq-en-here')} Thanks for getting in touch, we're always here to help!")])
VERDICTS["cq-en-here-2"] = V(False, 60, 79, fails=NN)
case("cq-ig-feedback", "(instagram) a half-hour till queue met with 'we appreciate your feedback': fixes nothing",
     on(IG, [("customer", 0, "Stood 35 minutes in your Leeds store queue today with one till open. Ridiculous."),
             ("brand", 30, "We appreciate your feedback! Have a lovely evening.")]))
VERDICTS["cq-ig-feedback-2"] = V(False, 60, 79, fails=NN)
case("ok-vent-fixed", "a customer who fixed it themselves, 'glad it works, we're here if you need us': no smell",
     [("customer", 0, "@Acme got the app working after reinstalling it twice. What a morning, honestly"),
      ("brand", 20, f"{h('ok-vent-fixed')} Glad it's working now! We're here if you need us.")])
VERDICTS["ok-vent-fixed-2"] = V(True, 80, 100, clean=NN)
case("ok-es-praise", "(Spanish) praise for a new shop answered with thanks and an offer of help: full marks",
     [("customer", 0, "@Acme me encanta la tienda nueva de Sevilla, qué buen ambiente y qué trato"),
      ("brand", 20, f"{h('ok-es-praise')} ¡Muchas gracias! Estamos aquí para lo que necesites.")])
VERDICTS["ok-es-praise-2"] = V(True, 90, 100, clean=NN)
case("ok-es-action", "(Spanish) the same complaint answered with what was done: passes",
     [("customer", 0, "@Acme llevo una semana sin poder acceder a mi cuenta y nadie me ayuda"),
      ("brand", 20, f"{h('ok-es-action')} Lo sentimos mucho. Hemos desbloqueado tu cuenta; ya puedes entrar "
                    "con tu contraseña de siempre.")])
VERDICTS["ok-es-action-2"] = V(True, 90, 100, clean=NN)

case("cq-en-hear", "a train wifi that never works, answered 'we hear you, thanks for flagging this': fixes nothing",
     [("customer", 0, "@Acme second time this month the onboard wifi hasn't worked for the whole journey"),
      ("brand", 20, f"{h('cq-en-hear')} We hear you, thanks for flagging this!")])
VERDICTS["cq-en-hear-2"] = V(False, 60, 79, fails=NN)
case("cq-es-comentarios", "(Spanish) a late train without notice, 'agradecemos tus comentarios': fixes nothing",
     [("customer", 0, "@Acme otra vez el tren con cuarenta minutos de retraso y sin avisar a nadie"),
      ("brand", 15, f"{h('cq-es-comentarios')} Agradecemos tus comentarios, un saludo.")])
VERDICTS["cq-es-comentarios-2"] = V(False, 60, 79, fails=NN)
case("cq-fb-patience", "(facebook) an hour on hold to cancel, answered 'thank you for your patience' two hours "
     "later: fixes nothing, and late",
     on(FB, [("customer", 0, "Been on hold for over an hour trying to cancel my contract. This is a joke."),
             ("brand", 120, "Thank you for your patience.")]))
VERDICTS["cq-fb-patience-2"] = V(False, 40, 79, fails=NN + ("late_response",))
case("ok-dm-agree", "a bare thanks to a customer who agreed to DM: owes nothing more",
     [("customer", 0, "@Acme my online order shows cancelled but the money has gone from my account"),
      ("brand", 10, f"{h('ok-dm-agree')} Sorry about that! Can you DM us the order number so we can check?"),
      ("customer", 15, "@AcmeCare ok sending it over now"),
      ("brand", 17, f"{h('ok-dm-agree')} Thanks!")])
VERDICTS["ok-dm-agree-4"] = V(True, 80, 100, clean=NN)
case("ok-es-anecdote", "(Spanish) an anecdote about an advert, answered with thanks and an offer of help: no smell",
     [("customer", 0, "@Acme hoy he visto vuestro anuncio en el metro y me he reído un montón"),
      ("brand", 30, f"{h('ok-es-anecdote')} ¡Gracias por contárnoslo! Estamos aquí para lo que necesites.")])
VERDICTS["ok-es-anecdote-2"] = V(True, 85, 100, clean=NN)

# ---- lesson 6: deflection vs handling it here ------------------------------------------------------------------
case("df-webform", "a refund complaint sent to a web form: deflection, critical",
     [("customer", 0, "@Acme returned the boots a month ago and the refund never came. I've emailed twice."),
      ("brand", 15, f"{h('df-webform')} Sorry about this. Please fill in the contact form on our website and "
                    "the returns team will get back to you.")])
VERDICTS["df-webform-2"] = V(False, 0, 0, fails=("deflection",))
case("df-es-fb-store", "(facebook, Spanish) a broken blender sent to a shop: deflection, critical",
     on(FB, [("customer", 0, "La batidora se rompió a la semana y nadie contesta al teléfono, estoy harta"),
             ("brand", 20, "Lo sentimos. Acércate a cualquiera de nuestras tiendas Acme con el ticket y te "
                           "la cambian.")]))
VERDICTS["df-es-fb-store-2"] = V(False, 0, 0, fails=("deflection",))
case("df-helpline-dm", "(a DM conversation) 'call our helpline' in private is still sending them elsewhere",
     on(DM, [("customer", 0, "My meter readings are wrong for the third month running, I've had enough"),
             ("brand", 20, "Sorry to hear that. You'll need to phone our billing helpline on 0800 555 0199 "
                           "for that.")]))
VERDICTS["df-helpline-dm-2"] = V(False, 0, 0, fails=("deflection",))
case("ok-handoff", "passed to the network team, names who will ring and when: not a deflection, passes",
     [("customer", 0, "@Acme the phone mast near us has been down since Saturday, no signal in the whole village"),
      ("brand", 25, f"{h('ok-handoff')} I'm sorry, that's a real nuisance. I've reported it to our network "
                    "team and Marta from the area office will ring you before noon tomorrow.")])
VERDICTS["ok-handoff-2"] = V(True, 90, 100, clean=("deflection",) + NN)
case("ok-ig-dm-closed", "(instagram) asked for the order reference in DM, fixed there, closed in public: passes",
     on(IG, [("customer", 0, "My trainers came in two different sizes?? Need them for a race on Sunday"),
             ("brand", 15, "Oh no, sorry about that! Could you send us a DM with your order reference?"),
             ("customer", 25, "Sent!"),
             ("brand", 30, "Thanks, a matching pair goes out today by next-day delivery.", IG_DM),
             ("brand", 40, "All fixed over DM, good luck with the race on Sunday!")]))
VERDICTS["ok-ig-dm-closed-2"] = V(True, 90, 100, clean=("deflection", "no_public_close") + NN)
VERDICTS["ok-ig-dm-closed-5"] = V(True, 90, 100, clean=("no_public_close",) + NN)
case("ok-es-selfhelp", "(Spanish) how to reset a password, with the steps and a link: answers here, passes",
     [("customer", 0, "@Acme ¿cómo cambio la contraseña? No encuentro la opción en ningún sitio"),
      ("brand", 10, f"{h('ok-es-selfhelp')} ¡Hola! Entra en Ajustes > Cuenta > Contraseña y pulsa Cambiar. "
                    "Aquí tienes los pasos con capturas: https://acme.example/ayuda/contrasena")])
VERDICTS["ok-es-selfhelp-2"] = V(True, 90, 100, clean=("deflection",) + NN)
case("dm-curt-postcode", "a frightened customer told only 'DM us your postcode', never closed: lesson 6 wants more",
     [("customer", 0, "@Acme there's a strong smell of gas outside our block and I can't get through to anyone"),
      ("brand", 10, f"{h('dm-curt-postcode')} Please DM us your postcode.")])
VERDICTS["dm-curt-postcode-2"] = V(False, 60, 79, fails=("no_public_close",))
LEFT["dm-curt-postcode-2"] = "decided in brief16 and kept: scores 80, the customer's distress is not read"
case("ok-dm-warm", "a warm DM request that says what it is for: passes",
     [("customer", 0, "@Acme my direct debit went out twice this month and I'm now overdrawn"),
      ("brand", 10, f"{h('ok-dm-warm')} I'm so sorry, that's the last thing you need. Please DM us your "
                    "account number and I'll get the second payment returned today.")])
VERDICTS["ok-dm-warm-2"] = V(True, 85, 100, clean=("deflection",) + NN)

# ---- lesson 4: lateness against the 60-minute target -----------------------------------------------------------
GOOD = "Sorry for the wait. Your replacement card was posted this morning and should arrive by Thursday."
CARD = "@Acme my new bank card still hasn't arrived and the old one expires on Friday"
for cid, at, v in (("lt-45", 45, V(True, 95, 100, clean=("late_response",))),
                   ("lt-90", 90, V(True, 90, 97, fails=("late_response",))),
                   ("lt-5h", 300, V(False, 60, 79, fails=("late_response",))),
                   ("lt-2d", 2 * 24 * 60, V(False, 60, 79, fails=("late_response",)))):
    case(cid, "lateness: 45 min nothing, 90 min a little (pass), 5 h and 2 days fail",
         [("customer", 0, CARD), ("brand", at, f"{h(cid)} {GOOD}")])
    VERDICTS[f"{cid}-2"] = v
LEFT["lt-90-2"] = ("written 90-97; scores 89: 'your replacement card was posted' is compensation by LABELING.md (a "
                   "replacement, whatever the wording) with unknown facts, so precedent risk 0.10 costs 5: the "
                   "expectation's error, not the tool's (a card renewal reads as a replacement in words)")
case("lt-es-ig-3h", "(instagram, Spanish) three hours for a good answer: late, still a pass",
     on(IG, [("customer", 0, "Mi pedido pone entregado pero no me ha llegado nada, ¿qué hago?"),
             ("brand", 180, "Sentimos la espera. Hemos abierto una incidencia con la mensajería y te enviamos "
                            "otro pedido hoy mismo.")]))
VERDICTS["lt-es-ig-3h-2"] = V(True, 80, 95, fails=("late_response",))

# ---- lessons 8-9: concessions within and beyond policy, by visibility ------------------------------------------
case("cp-credit-ok", "store credit of 50 after 45 days: within policy, passes",
     [("customer", 0, "@Acme the jumper I bought last month has already gone bobbly all over"),
      ("brand", 15, f"{h('cp-credit-ok')} Sorry about that! We've added 50 in store credit to your account "
                    "to put towards a replacement.")],
     purchase_date=_day(45), order_value=60.0, issue_category="defect", customer_followers=800)
VERDICTS["cp-credit-ok-2"] = V(True, 90, 100, clean=CONCESSION)
case("cp-refund-90-big", "a full refund 90 days on, in public to 500,000 followers: off policy, critical",
     [("customer", 0, "@Acme headphones died after three months. Awful. My followers should know what you sell"),
      ("brand", 15, f"{h('cp-refund-90-big')} We're so sorry! We've issued you a full refund today, no need "
                    "to send them back.")],
     purchase_date=_day(90), order_value=150.0, issue_category="defect", customer_followers=500_000)
VERDICTS["cp-refund-90-big-2"] = V(False, 0, 0, fails=("off_policy_high_precedent",))
case("cp-25-dm", "25% off in a DM to 30 followers: off policy but private, fails on points",
     on(DM, [("customer", 0, "My grocery order turned up without half the items again"),
             ("brand", 15, "Really sorry about the missing items. Here's 25% off your next shop.")]),
     customer_followers=30, issue_category="missing_items")
VERDICTS["cp-25-dm-2"] = V(False, 60, 79, fails=("off_policy_compensation",),
                           clean=("off_policy_high_precedent",))
case("cp-15-public", "15% off in public for a late delivery: within the goodwill limit, passes",
     [("customer", 0, "@Acme my sofa delivery slot was missed without a word, took the day off for nothing"),
      ("brand", 15, f"{h('cp-15-public')} That's really disappointing, I'm sorry. The driver is rebooked for "
                    "Saturday morning and we've applied 15% off the order for the wasted day.")],
     customer_followers=2_000, issue_category="delivery")
VERDICTS["cp-15-public-2"] = V(True, 90, 100, clean=CONCESSION)
case("cp-es-fb-40", "(facebook, Spanish) 40% off in public to 90,000 followers: far off policy, fails",
     on(FB, [("customer", 0, "Tres semanas esperando un sofá que ya pagué. Vergüenza de empresa."),
             ("brand", 20, "Lo sentimos muchísimo. Te aplicamos un 40% de descuento en tu próxima compra.")]),
     customer_followers=90_000, issue_category="delivery")
VERDICTS["cp-es-fb-40-2"] = V(False, 0, 79, fails=("off_policy_compensation",))

# ---- lesson 15: personal data in public vs in private; the brand's own details --------------------------------
case("pii-account", "the customer's account number repeated in a public reply: critical",
     [("customer", 0, "@Acme you've frozen my account 4471229018 for no reason, I need to pay rent today"),
      ("brand", 10, f"{h('pii-account')} Sorry! We've unfrozen account 4471229018, you can pay as normal now.")])
VERDICTS["pii-account-2"] = V(False, 0, 0, fails=("pii_exposed",))
case("pii-es-fb-phone", "(facebook, Spanish) the customer's mobile repeated in public: critical",
     on(FB, [("customer", 0, "Nadie me llama para la reparación de la lavadora. Mi móvil es 612 345 678"),
             ("brand", 15, "Perdona el retraso. Un técnico te llamará hoy al 612 345 678 para darte cita.")]))
VERDICTS["pii-es-fb-phone-2"] = V(False, 0, 0, fails=("pii_exposed",))
case("pii-ig-dm-address", "(instagram DM) the customer's address confirmed in private: passes",
     on(IG_DM, [("customer", 0, "Can you send the replacement to 22 Larch Avenue, Bristol BS6 4QT instead?"),
                ("brand", 10, "Of course! The replacement is going to 22 Larch Avenue, Bristol BS6 4QT and "
                              "will arrive Wednesday.")]))
VERDICTS["pii-ig-dm-address-2"] = V(True, 90, 100, clean=("pii_exposed",))
case("ok-brand-returns-address", "the brand's own returns address, asked for: not personal data, passes",
     [("customer", 0, "@Acme where do I post a return to? There's no label in the box"),
      ("brand", 10, f"{h('ok-brand-returns-address')} Hi! Returns go to Acme Returns, Unit 4 Dock Road, Hull "
                    "HU1 2AB; just pop your order slip in the parcel.")])
VERDICTS["ok-brand-returns-address-2"] = V(True, 90, 100, clean=("pii_exposed",))

# ---- lesson 12: the customer's language ------------------------------------------------------------------------
case("lg-es-en", "a Spanish customer answered in English: language mismatch, fails",
     [("customer", 0, "@Acme la factura de este mes viene con un cargo que no reconozco, ¿me lo explicáis?"),
      ("brand", 15, f"{h('lg-es-en')} Hi! That charge is the annual router rental; it appears once a year.")])
VERDICTS["lg-es-en-2"] = V(False, 60, 79, fails=("language_mismatch",))
case("lg-en-es-fb", "(facebook) an English customer answered in Spanish: language mismatch, fails",
     on(FB, [("customer", 0, "Why was I charged a cancellation fee when I cancelled within the trial period?"),
             ("brand", 15, "Hola, hemos revisado tu cuenta y la comisión de cancelación ya está anulada.")]))
VERDICTS["lg-en-es-fb-2"] = V(False, 60, 79, fails=("language_mismatch",))
case("ok-lg-translate", "English reply to a Spanish customer that offers a translation: passes",
     [("customer", 0, "@Acme mi paquete lleva cinco días en reparto y nadie me dice nada, ¿qué pasa?"),
      ("brand", 15, f"{h('ok-lg-translate')} Sorry for the delay! Your parcel is with the local depot and will "
                    "be delivered tomorrow. Would you like us to translate this into Spanish?")])
VERDICTS["ok-lg-translate-2"] = V(True, 80, 100, clean=("language_mismatch",))

# ---- lesson 13: "we're just the social team" ---------------------------------------------------------------------
case("nt-billing", "'we only handle social queries here' to a billing complaint: fails on its own",
     [("customer", 0, "@Acme you've billed me for two lines when I only have one. Sort it out."),
      ("brand", 15, f"{h('nt-billing')} Sorry, we're the social media team so we can't access billing "
                    "accounts.")])
VERDICTS["nt-billing-2"] = V(False, 0, 79, fails=("not_our_team",))
case("nt-es-ig", "(instagram, Spanish) 'solo gestionamos las redes sociales': fails on its own",
     on(IG, [("customer", 0, "Mi pedido lleva diez días parado en el almacén, ¿alguien me puede decir algo?"),
             ("brand", 20, "Hola, nosotros solo gestionamos las redes sociales y no tenemos acceso a los "
                           "pedidos.")]))
VERDICTS["nt-es-ig-2"] = V(False, 0, 79, fails=("not_our_team",))

# ---- lesson 14: never-acceptable phrases -----------------------------------------------------------------------
case("na-fault-fb", "(facebook) 'that's your fault' to a customer: never acceptable, critical",
     on(FB, [("customer", 0, "The app took my payment twice and now you say there's nothing you can do?"),
             ("brand", 15, "You pressed pay twice, so honestly that's your fault, but we'll refund one.")]))
VERDICTS["na-fault-fb-2"] = V(False, 0, 0, fails=("never_acceptable",))
case("na-es-problema", "(Spanish) 'no es nuestro problema': never acceptable, critical",
     [("customer", 0, "@Acme el repartidor dejó el paquete en la calle y me lo han robado"),
      ("brand", 15, f"{h('na-es-problema')} Una vez entregado el paquete no es nuestro problema.")])
VERDICTS["na-es-problema-2"] = V(False, 0, 0, fails=("never_acceptable",))

# ---- lesson 7: one pasted text on different problems -----------------------------------------------------------
PASTE = "Gracias por tu comentario, lo trasladamos al departamento correspondiente."
for cid, post in (("tp-es-luz", "Otra vez sin luz en todo el edificio desde las seis de la mañana"),
                  ("tp-es-factura", "La factura de octubre me cobra el doble de lo que consumí"),
                  ("tp-es-tecnico", "El técnico no vino a la cita del jueves y nadie avisó")):
    case(cid, "(Spanish) the same pasted text on three different problems: template that ignores the customer",
         [("customer", 0, f"@Acme {post}"), ("brand", 20, f"{h(cid)} {PASTE}")])
    VERDICTS[f"{cid}-2"] = V(False, 60, 79, fails=("template_overuse",))

# ---- lessons 1-2: every post answered; closings and praise need nothing ------------------------------------------
case("un-two-questions", "a long thread: two questions posted a minute apart, the reply takes up only the later "
     "one (gift wrap); the earlier one (changing the delivery day) waits",
     [("customer", 0, "@Acme hi, when will the refund for my returned lamp reach my card?"),
      ("brand", 15, f"{h('un-two-questions')} Hi! It was issued yesterday and shows on your card within 3 days."),
      ("customer", 30, "@AcmeCare thanks. Can I move the delivery of my sofa from Monday to Wednesday?"),
      ("customer", 31, "@AcmeCare oh and do you do gift wrapping on the cushions I ordered with it?"),
      ("brand", 45, f"{h('un-two-questions')} We do! Gift wrap is free on cushions and we've added it to your "
                    "order."),
      ("customer", 50, "@AcmeCare lovely, thank you")])
UNANSWERED.add("un-two-questions-3")
LEFT["un-two-questions-3"] = ("a known gap, left: one reply to the customer's latest post answers every post they "
                              "had waiting; telling a skipped question from one matter split over several posts "
                              "or a '? hello' ping takes reading for meaning")
ANSWERED.update({"un-two-questions-1", "un-two-questions-4", "un-two-questions-6"})
VERDICTS["un-two-questions-2"] = V(True, 95, 100)
case("un-fb-second-customer", "(facebook) a second customer's 'same here, no refund either' under the post is "
     "never answered: it waits",
     [("customer", 0, "Still waiting on the refund for my cancelled flight, eight weeks now", FB),
      ("brand", 20, "Sorry for the wait. Your refund was processed today and reaches your card in 5 days.", FB),
      ("customer", 40, "Same here, cancelled in September and no refund either", {**FB, "author_id": "u_other18"})])
UNANSWERED.add("un-fb-second-customer-3")
VERDICTS["un-fb-second-customer-2"] = V(True, 90, 100)
case("ok-closing-cheers", "'perfect, cheers' after an answer needs nothing",
     [("customer", 0, "@Acme is the Oxford Street store open on Boxing Day?"),
      ("brand", 10, f"{h('ok-closing-cheers')} Hi! Yes, it's open 10am to 6pm on Boxing Day."),
      ("customer", 20, "@AcmeCare perfect, cheers")])
ANSWERED.update({"ok-closing-cheers-1", "ok-closing-cheers-3"})
VERDICTS["ok-closing-cheers-2"] = V(True, 95, 100, clean=NN)
case("ok-es-ig-praise", "(instagram, Spanish) thanks to praise: no error, full marks",
     on(IG, [("customer", 0, "¡Qué rápido ha llegado todo! Sois los mejores"),
             ("brand", 30, "¡Muchísimas gracias! Nos alegra un montón que te haya gustado.")]))
VERDICTS["ok-es-ig-praise-2"] = V(True, 95, 100)
ANSWERED.add("ok-es-ig-praise-1")
case("rp-es-waiting", "(Spanish) the customer posts again while waiting, then one late reply: repeated and late",
     [("customer", 0, "@Acme no puedo pagar con la tarjeta en vuestra web, me da error"),
      ("customer", 70, "@Acme sigo sin poder pagar con la tarjeta en vuestra web, me da error"),
      ("brand", 95, f"{h('rp-es-waiting')} Sentimos la espera. Ya está arreglado el error del pago; prueba de "
                    "nuevo y cuéntanos.")])
VERDICTS["rp-es-waiting-3"] = V(True, 80, 95, fails=("late_response", "customer_repeated"))


def write_csv(path: str) -> None:
    write_cases_csv(CASES, path)


if __name__ == "__main__":
    write_csv(sys.argv[1])
