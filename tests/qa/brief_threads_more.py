"""More care threads for the audit against the domain brief: the variants a judge would plausibly write.

Other channels (facebook, instagram), DMs and public posts, late by minutes and by days, each kind of
deflection beside a DM move, a hand-off that says who will call and a self-help article, concessions inside and
outside the rulebook, the customer's data beside the brand's own, repeats across channels, closings and praise
that need no reply, "we're just the social team" in other words, English and Spanish. Our own words throughout.
Added to ``brief_threads``'s table, so that every case runs in the one file a user would score.
"""

from __future__ import annotations

MORE: list[tuple[str, str, str, list[tuple], dict]] = []
"""(case id, what the brief implies, customer handle, posts, case facts): ``brief_threads`` adds them to its
table (a purchase date is given as ``purchase_days_before``)."""


def case(cid: str, expect: str, customer: str, posts: list[tuple], **facts) -> None:
    MORE.append((cid, expect, customer, posts, facts))


FB, IG = {"channel": "facebook"}, {"channel": "instagram"}
FB_DM = {"channel": "facebook", "public": False}
IG_DM = {"channel": "instagram", "public": False}


def on(where: dict, posts: list[tuple]) -> list[tuple]:
    """The posts with ``where`` (a channel, a privacy) on each of them unless a post says otherwise."""
    return [(*p[:3], {**where, **(p[3] if len(p) > 3 else {})}) for p in posts]


# ---- lesson 2: praise and closings need no reply; a courtesy reply to them owes no empathy -----------------
case("m-praise-update", "praise: a thank-you reply keeps full marks", "u_m_pu",
     [("customer", 0, "@Acme honestly loving the new update, so much smoother 😍"),
      ("brand", 40, "@u_m_pu That's great to hear, thank you! We'll pass it on to the developers.")])
case("m-praise-airline", "praise: a thank-you reply keeps full marks", "u_m_pa",
     on(FB, [("customer", 0, "Best airline ever!! Crew on my Lisbon flight were absolute stars"),
             ("brand", 30, "Thank you so much for the kind words, we'll share them with the team!")]))
case("m-praise-es", "praise (Spanish): a thank-you reply keeps full marks", "u_m_pe",
     on(IG, [("customer", 0, "Me encanta la app nueva, sois los mejores 👏"),
             ("brand", 30, "¡Muchísimas gracias! Se lo diremos al equipo.")]))
case("m-praise-late", "praise answered two days later: nothing was owed, so nothing is late", "u_m_pl",
     [("customer", 0, "@Acme great job on the new store layout, well done team"),
      ("brand", 2 * 24 * 60, "@u_m_pl Thank you, we're really pleased you like it!")])
case("m-praise-mixed", "praise with a complaint: a courtesy reply shows no empathy", "u_m_pm",
     [("customer", 0, "@Acme love you guys but my order is late again"),
      ("brand", 20, "@u_m_pm Thank you, we love you too! Have a lovely day.")])
case("m-sarcasm", "sarcasm is a complaint: a courtesy reply shows no empathy", "u_m_sc",
     [("customer", 0, "@Acme great, another delay. Brilliant service as always"),
      ("brand", 20, "@u_m_sc Thank you, we love you too! Have a lovely day.")])
case("m-sarcasm-es", "sarcasm (Spanish) is a complaint: a courtesy reply shows no empathy", "u_m_se",
     [("customer", 0, "@Acme genial, otra vez sin servicio. Los mejores, como siempre"),
      ("brand", 20, "@u_m_se ¡Gracias a ti! Que tengas un buen día.")])
case("m-praise-unanswered", "praise left unanswered: not waiting", "u_m_pn",
     on(IG, [("customer", 0, "Absolutely love my new headphones from you, best purchase this year")]))
case("m-closing-fb", "closing on facebook: not waiting", "u_m_cf",
     on(FB, [("customer", 0, "Is the Baker Street shop open on Sunday?"),
             ("brand", 20, "Hi! Yes, Baker Street is open 10am to 4pm on Sundays."),
             ("customer", 30, "perfect, that worked out 👍")]))
case("m-closing-es", "closing (Spanish): not waiting", "u_m_ce",
     on(IG, [("customer", 0, "¿Hacéis envíos a Canarias?"),
             ("brand", 20, "¡Hola! Sí, enviamos a Canarias en 3-5 días laborables."),
             ("customer", 30, "genial, mil gracias")]))
case("m-thanks-but-es", "thanks with a new question (Spanish): waiting", "u_m_tb",
     on(IG, [("customer", 0, "¿Hacéis envíos a Ceuta?"),
             ("brand", 20, "¡Hola! Sí, enviamos a Ceuta en 5-7 días laborables."),
             ("customer", 30, "gracias, pero ¿cuánto cuesta el envío?")]))

# ---- lesson 1: answering one post and not the next --------------------------------------------------------
case("m-second-question", "a second question after the answer: waiting", "u_m_sq",
     on(FB, [("customer", 0, "Do you price match other retailers?"),
             ("brand", 15, "Hi! Yes, we match any UK retailer's price on identical items."),
             ("customer", 25, "OK and does that apply to online-only shops too")]))

# ---- lesson 4: late by minutes and by days, other channels --------------------------------------------------
ASK_FB = "My washing machine delivery was booked for today and nobody has turned up or called."
REPLY_FB = "So sorry nobody turned up. I've checked and the van is running late; it'll be with you by 6pm."
for cid, at in (("m-fb-55min", 55), ("m-fb-70min", 70), ("m-fb-2days", 2 * 24 * 60)):
    case(cid, "facebook: 55 min free, 70 min a little, 2 days a lot and fails", "u_" + cid.replace("-", "_"),
         on(FB, [("customer", 0, ASK_FB), ("brand", at, REPLY_FB)]))
case("m-es-late-day", "late by a day (Spanish, instagram): fails", "u_m_ld",
     on(IG, [("customer", 0, "Mi pedido de zapatillas debía llegar el lunes y sigue sin aparecer."),
             ("brand", 26 * 60, "Perdona la espera. Tu pedido de zapatillas sale hoy y llegará mañana.")]))

# ---- lesson 6: each kind of deflection, beside handling it here ----------------------------------------------
LAST = "I've been trying to sort this refund for three weeks and nobody answers the phone. You're my last hope."
case("m-deflect-email", "deflection to e-mail: critical", "u_m_de",
     on(FB, [("customer", 0, LAST),
             ("brand", 10, "Sorry to hear that. Please email refunds@acme.example with your details.")]))
case("m-deflect-dept", "deflection to another department: critical", "u_m_dd",
     [("customer", 0, "@Acme " + LAST),
      ("brand", 10, "@u_m_dd Sorry about this. You'll need to contact our refunds department directly.")])
case("m-deflect-courier", "deflection to another company: critical", "u_m_dk",
     on(IG, [("customer", 0, "My parcel says delivered but it isn't here. I've had no reply from anyone."),
             ("brand", 10, "Sorry! Please get in touch with the courier, as they handle missing parcels.")]))
case("m-deflect-es-store", "deflection to a store (Spanish): critical", "u_m_ds",
     on(FB, [("customer", 0, "El móvil que compré tiene la pantalla rota de fábrica y nadie me contesta."),
             ("brand", 10, "Lo sentimos. Acércate a tu tienda más cercana y allí te lo revisan.")]))
case("m-deflect-es-email", "deflection to e-mail (Spanish): critical", "u_m_dz",
     [("customer", 0, "@Acme llevo un mes esperando el reembolso y nadie me responde."),
      ("brand", 10, "@u_m_dz Lo sentimos. Escríbenos a reembolsos@acme.example y lo revisarán.")])
case("m-dm-fb", "a DM move on facebook, closed publicly: pass", "u_m_df",
     on(FB, [("customer", 0, "My direct debit was taken twice this month, what is going on?"),
             ("brand", 10, "Sorry about that! Please send us a private message with your account number and "
                           "we'll sort it."),
             ("brand", 30, "Thanks, I've refunded the second payment; it'll be back in 3 days.", {"public": False}),
             ("brand", 35, "All sorted by private message, thanks for your patience!")]))
case("m-dm-ig-open", "a DM move on instagram never closed publicly: no_public_close", "u_m_di",
     on(IG, [("customer", 0, "The jacket I ordered came with a broken zip, really disappointed"),
             ("brand", 10, "Oh no, sorry about the zip! Check your DMs, we've sent you a message."),
             ("brand", 20, "Hi again, a new jacket goes out today by express.", {"public": False})]))
case("m-handoff", "a hand-off that says who will call: not deflection; pass", "u_m_ho",
     [("customer", 0, "@Acme there's been water pouring from the meter box outside my flat since last night."),
      ("brand", 10, "@u_m_ho Thanks for flagging this, sorry for the worry. I've logged it with our emergency "
                    "crew and the duty supervisor will ring you within the hour.")])
case("m-handoff-es", "a hand-off that says who will call (Spanish): pass", "u_m_hs",
     [("customer", 0, "@Acme el poste de delante de mi casa está inclinado y los cables cuelgan."),
      ("brand", 10, "@u_m_hs Gracias por avisarnos, lo sentimos. Hemos pasado el aviso al equipo técnico y "
                    "te llamarán hoy para darte una hora.")])
case("m-selfhelp", "a self-help article that answers: pass", "u_m_sh",
     on(FB, [("customer", 0, "How do I reset the router to factory settings? The lights are all orange."),
             ("brand", 10, "Sorry it's playing up! Hold the reset button for 15 seconds until the lights "
                           "flash; the full steps are here: https://acme.example/help/router-reset")]))
case("m-selfhelp-es", "a self-help article (Spanish): pass", "u_m_se2",
     on(IG, [("customer", 0, "¿Cómo cambio la contraseña del wifi? No lo encuentro en la app."),
             ("brand", 10, "¡Hola! En la app ve a Ajustes > Wifi > Contraseña; aquí tienes la guía paso a "
                           "paso: https://acme.example/ayuda/contrasena-wifi")]))
case("m-asked-number", "the customer asked how to call: giving the number answers them, not critical", "u_m_an",
     [("customer", 0, "@Acme what's your phone number? I want to add my partner to our account."),
      ("brand", 10, "@u_m_an Hi! You can reach us on 0800 555 0100, 8am-8pm every day.")])
case("m-asked-email-es", "asked for the e-mail (Spanish): giving it answers them, not critical", "u_m_ae",
     [("customer", 0, "@Acme ¿cuál es vuestro correo de atención al cliente?"),
      ("brand", 10, "@u_m_ae ¡Hola! Es clientes@acme.example y respondemos en 24 horas.")])
case("m-asked-shop", "asked where the nearest shop is: the locator answers", "u_m_as",
     on(FB, [("customer", 0, "Where's your nearest shop to Leeds station?"),
             ("brand", 10, "Hi! Our Briggate store is a 5 minute walk from the station, open 9-6 today.")]))
case("m-complaint-number", "a complaint that mentions calling gets a number: still critical", "u_m_cn",
     [("customer", 0, "@Acme my bill doubled this month and I can't get through on the phone. Sort it out."),
      ("brand", 10, "@u_m_cn Sorry about that. Please call our billing team on 0800 555 0133.")])

# ---- lesson 7: one known fix for a common issue vs one pasted text on anything --------------------------------
FIX = "Sorry for the login trouble! It's a known fault this morning: update the app to version 5.2 and it's fixed."
for k, post in enumerate(("can't login to the app, keeps saying error 503",
                          "app login broken again?? stuck on the spinner",
                          "is the app login down for everyone or just me")):
    case(f"m-fix-{k}", "one known fix shown to everyone with the issue: not template overuse", f"u_m_fix{k}",
         on(FB, [("customer", 0, post), ("brand", 10 + k, FIX)]))
PASTE = "Thanks for your message. We have forwarded your comments to the relevant department."
for k, post in enumerate(("the shower gel leaked all over my bag in the box",
                          "your driver parked across my drive and blocked me in for an hour",
                          "charged for a subscription I cancelled in March")):
    case(f"m-paste-{k}", "one pasted text on three unrelated problems: template overuse", f"u_m_pst{k}",
         on(IG, [("customer", 0, post), ("brand", 10 + k, PASTE)]))

# ---- lessons 8/9: concessions in and off policy, precedent by audience ----------------------------------------
case("m-credit-within", "store credit 80 after 45 days: within policy, pass", "u_m_cw",
     [("customer", 0, "@Acme the blender I bought a month and a half ago has stopped working."),
      ("brand", 10, "@u_m_cw Sorry the blender gave up! We've added 80 in store credit to your account.")],
     purchase_days_before=45, order_value=80.0, issue_category="defect")
case("m-credit-over", "store credit 150 after 45 days: off policy (over 100)", "u_m_co",
     [("customer", 0, "@Acme the kettle I bought a month and a half ago has started leaking."),
      ("brand", 10, "@u_m_co Sorry about the kettle! We've added 150 in store credit to your account.")],
     purchase_days_before=45, order_value=150.0, issue_category="defect")
case("m-points-within", "300 points as goodwill: within policy", "u_m_pw",
     on(FB, [("customer", 0, "My order turned up with the box crushed, the item is fine but still."),
             ("brand", 10, "Sorry about the crushed box! We've added 300 points to your account as a thank "
                           "you for letting us know.")]))
case("m-es-refund-within", "a Spanish refund a week after purchase: within policy", "u_m_rw",
     on(IG, [("customer", 0, "La plancha que compré la semana pasada no calienta nada."),
             ("brand", 10, "Lo sentimos. Te hemos hecho el reembolso completo de la plancha.")]),
     purchase_days_before=7, order_value=40.0, issue_category="defect")
OFF = "Sorry about this! Here's 40% off your next order and a free month of premium."
for cid, where, followers in (("m-off-fb-big", FB, 2_000_000), ("m-off-fb-small", FB, 12),
                              ("m-off-ig-dm", IG_DM, 2_000_000)):
    case(cid, "40% off (over 20%): off policy; a public post to 2M is worst, the DM least", "u_" +
         cid.replace("-", "_"), on(where, [("customer", 0, "The app charged me twice for the same delivery!!"),
                                           ("brand", 10, OFF)]), customer_followers=followers)

# ---- lesson 11: one case on three channels ---------------------------------------------------------------
CASE_TEXT = "my new fridge freezer arrived with a big dent in the door and I want it swapped"
for k, (where, at) in enumerate(((IG, 0), (FB, 60), ({}, 120))):
    posts = [("customer", at, ("@Acme " if not where else "") + CASE_TEXT)]
    if k == 2:
        posts.append(("brand", at + 10, "@u_m_xc Sorry about the dent! A replacement fridge freezer is booked "
                                       "for Thursday and the driver will take the dented one away."))
    case(f"m-cross-{k}", "the same case on instagram, facebook, twitter: the later two are repeats", "u_m_xc",
         on(where, posts), purchase_days_before=3, order_value=500.0, issue_category="defect")

# ---- lesson 12: language --------------------------------------------------------------------------------
case("m-lang-fb-es-en", "English reply to Spanish on facebook: mismatch, fail", "u_m_l1",
     on(FB, [("customer", 0, "Hola, me cobrasteis dos veces la suscripción de este mes y quiero que me lo "
                             "devolváis."),
             ("brand", 10, "Hi there, sorry for the double charge! We've refunded the second payment today.")]))
case("m-lang-en-es", "Spanish reply to an English customer: mismatch, fail", "u_m_l2",
     [("customer", 0, "@Acme my train ticket refund still hasn't come through after two weeks, any news?"),
      ("brand", 10, "@u_m_l2 Lo sentimos mucho. Tu reembolso ya está procesado y llegará en tres días.")])
case("m-lang-translation", "reply in the customer's language plus a translation: no mismatch", "u_m_l3",
     [("customer", 0, "@Acme mi paquete llegó abierto y falta uno de los libros que pedí."),
      ("brand", 10, "@u_m_l3 Lo sentimos mucho, te enviamos hoy el libro que falta. (EN: Sorry, we're sending "
                    "the missing book today.)")])
case("m-lang-offer", "English reply that explains and offers a translation (lesson 12): flagged, not charged",
     "u_m_l5", on(FB, [("customer", 0, "Hola, el cargador que me llegó no funciona y quiero que me enviéis otro."),
                       ("brand", 10, "Hi, sorry about the charger! Our Spanish-speaking team is offline right now; "
                                     "a new charger is on its way today. Would you like us to translate this "
                                     "message?")]))
case("m-lang-english-only", "English only 'on this channel' to a Spanish customer: mismatch and not_our_team",
     "u_m_l6", on(FB, [("customer", 0, "Hola, el cargador que compré no carga nada y quiero otro, por favor."),
                       ("brand", 10, "Hi, sorry, we only support English on this channel.")]))
case("m-lang-short", "a very short customer post: language undetermined, no mismatch charged", "u_m_l4",
     [("customer", 0, "@Acme ???"),
      ("brand", 10, "@u_m_l4 Hi! How can we help you today?")])

# ---- lesson 13: "we're just the social team" in other words --------------------------------------------------
case("m-social-access", "'this account can't see bookings': not_our_team, fail", "u_m_sa",
     on(FB, [("customer", 0, "Why has my hotel booking for Friday disappeared from the app?"),
             ("brand", 10, "Sorry, this page can't access bookings, we only handle social media enquiries.")]))
case("m-social-es", "'somos el equipo de redes sociales' (Spanish): not_our_team, fail", "u_m_ss",
     [("customer", 0, "@Acme ¿por qué me habéis cortado la línea si pagué la factura?"),
      ("brand", 10, "@u_m_ss Lo sentimos, somos el equipo de redes sociales y no tenemos acceso a tu "
                    "cuenta.")])

# ---- lesson 15: the customer's data vs the brand's own ----------------------------------------------------
case("m-address-public", "the customer's address in a public reply: critical", "u_m_ap",
     on(FB, [("customer", 0, "Still waiting on my sofa, it's been three weeks!"),
             ("brand", 10, "Sorry for the wait! Your sofa is booked for delivery to 14 Elm Grove, Leeds LS6 2AB "
                           "on Tuesday.")]))
case("m-order-public", "the customer's order number in a public reply: critical", "u_m_op",
     [("customer", 0, "@Acme where is my order?? It's been ten days"),
      ("brand", 10, "@u_m_op Sorry! Order 7734219055 left our warehouse yesterday and arrives Thursday.")])
case("m-order-es-public", "the customer's order number in public (Spanish): critical", "u_m_oe",
     on(IG, [("customer", 0, "¿Dónde está mi pedido? Ya van diez días."),
             ("brand", 10, "¡Perdona! Tu pedido número 5582190377 salió ayer y llega el jueves.")]))
case("m-order-dm", "the order number inside a DM: not exposed, pass", "u_m_od",
     on(IG_DM, [("customer", 0, "Where is my order?? It's been ten days"),
                ("brand", 10, "Sorry! Order 7734219056 left our warehouse yesterday and arrives Thursday.")]))
case("m-name-greeting", "greeting the customer by name is not personal data", "u_m_ng",
     on(FB, [("customer", 0, "My gas meter reading was estimated again even though I sent one in."),
             ("brand", 10, "Hi Priya, sorry about that! I've put your reading on the account and corrected "
                           "the bill.")]))
case("m-brand-email-public", "the brand's own support e-mail and address are not personal data", "u_m_be",
     [("customer", 0, "@Acme where do I send a returned parcel, and is there an email for returns?"),
      ("brand", 10, "@u_m_be Hi! Returns go to Acme Returns, Unit 4, Dock Road, Hull HU1 1AA, and our returns "
                    "email is returns@acme.example")])
