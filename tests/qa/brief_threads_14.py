"""Care threads for the ``brief14`` round of the audit against the domain brief: our own words, not the brief's.

Four gaps the last round left (an answer that offers a phone number as an option, a text pasted onto unrelated
problems, the customer's e-mail or booking code they never posted, a public "sorted in DM" close) and further
variants of the brief's lessons, in English and Spanish, on twitter, facebook and instagram, public and in DM.
Scored in a file of their own (``python tests/qa/brief_threads_14.py OUT.csv``), so that the template cases
here and in ``brief_threads`` do not meet.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import _thread, write_cases_csv  # noqa: E402

CASES: dict[str, tuple[str, list[dict]]] = {}
"""case id -> (what a QA lead expects, thread rows); the audited brand reply is ``<id>-2`` unless said."""


def case(cid: str, expect: str, posts: list[tuple], **facts) -> None:
    CASES[cid] = (expect, _thread(cid, "u_" + cid.replace("-", "_"), posts, **facts))


FB, IG, DM = {"channel": "facebook"}, {"channel": "instagram"}, {"public": False}
FB_DM, IG_DM = {"channel": "facebook", "public": False}, {"channel": "instagram", "public": False}


def on(where: dict, posts: list[tuple]) -> list[tuple]:
    return [(*p[:3], {**where, **(p[3] if len(p) > 3 else {})}) for p in posts]


# ---- gap 1: the reply answers, then offers a phone line as an option (lesson 6: not "instead of") ----------
case("ans-phone", "answers the refund question, phone only an option: not a critical deflection",
     [("customer", 0, "@Acme where is my refund for the sofa you cancelled? it's been over a week now"),
      ("brand", 20, "@u_ans_phone Sorry for the wait! Your refund went back to your card on Monday and should "
                    "show within 3-5 working days. If you'd rather rearrange the replacement delivery, you can "
                    "also call us on 0800 123 4567.")])
case("ans-phone-fb", "answers when the parcel comes, phone only an option: not a critical deflection",
     on(FB, [("customer", 0, "When is my fridge freezer actually arriving? Order placed two weeks ago."),
             ("brand", 25, "Hi, thanks for waiting. Your fridge freezer has been dispatched and is due with you "
                           "on Thursday between 8am and 1pm. Alternatively, if that slot doesn't suit, ring our "
                           "delivery team on 0345 600 7788 to change it.")]))
case("ans-phone-es", "(Spanish) answers, phone only an option: not a critical deflection",
     on(IG, [("customer", 0, "¿Dónde está mi reembolso? Devolví las zapatillas hace diez días"),
             ("brand", 30, "¡Hola! Tu reembolso se emitió el lunes y lo verás en tu tarjeta en 3-5 días "
                           "hábiles. Si prefieres hablarlo por teléfono, también puedes llamarnos al "
                           "900 123 456.")]))
case("cond-phone", "no answer, only 'if you'd like help, call': still a critical deflection",
     [("customer", 0, "@Acme where is my refund for the sofa you cancelled? it's been over a week now"),
      ("brand", 20, "@u_cond_phone Sorry to hear that. If you'd rather speak to someone, you can call us on "
                    "0800 123 4567.")])
case("cond-phone-es", "(Spanish) no answer, only 'si prefieres, llámanos': still a critical deflection",
     on(IG, [("customer", 0, "¿Dónde está mi reembolso? Devolví las zapatillas hace diez días"),
             ("brand", 30, "¡Hola! Lo sentimos. Si lo prefieres, puedes llamarnos al 900 123 456.")]))

# ---- gap 2: one text pasted onto unrelated problems (lessons 7 and 14) ---------------------------------------
PASTE = "@{who} Hi there, we appreciate you getting in touch. Our team is always working hard for our customers."
for cid, post in (("tpl-login", "@Acme your app logs me out every single time I switch screens"),
                  ("tpl-charge", "@Acme I was charged twice for the same delivery slot last night"),
                  ("tpl-mould", "@Acme the bread I bought this morning has green mould on it"),
                  ("tpl-staff", "@Acme the checkout assistant in Leeds was really rude to my mum")):
    case(cid, "the same pasted text on unrelated problems: fails", [
        ("customer", 0, post), ("brand", 20, PASTE.format(who="u_" + cid.replace("-", "_")))])
PASTE_ES = "¡Hola! Gracias por escribirnos, hemos trasladado tu comentario al departamento correspondiente."
for cid, post in (("tpl-es-wifi", "El router se desconecta cada noche a las diez, ya no sé qué hacer"),
                  ("tpl-es-factura", "¿Por qué me habéis subido la factura este mes sin avisar?"),
                  ("tpl-es-tecnico", "El técnico no vino el jueves y nadie me llamó para cambiar la cita")):
    case(cid, "(Spanish, facebook) the same pasted text on unrelated problems: fails",
         on(FB, [("customer", 0, post), ("brand", 20, PASTE_ES)]))
# a canned answer to one incident, taking up each customer's own words, is the brief's lesson 7 done right
FIX = "@{who} Sorry about the {what}: the outage is fixed now; restart the app and it will load again."
for cid, post, what in (("fix-a", "@Acme app won't load at all this morning??", "app not loading"),
                        ("fix-b", "@Acme is the app down? blank screen for me", "blank screen"),
                        ("fix-c", "@Acme the app just spins forever, anyone else?", "app spinning")):
    case(cid, "one known fix shared with every customer of an incident: passes", [
        ("customer", 0, post), ("brand", 20, FIX.format(who="u_" + cid.replace("-", "_"), what=what))])

# ---- gap 3: the customer's e-mail or booking code, never posted by them, in public (lesson 15) --------------
MAIL_ASK = "@Acme I still haven't received the confirmation for my order, can you check?"
case("pii-mail", "the customer's e-mail in a public reply: fails critically",
     [("customer", 0, MAIL_ASK),
      ("brand", 20, "@u_pii_mail Sorry about that! We've sent it again to jane.doe@example.com, do check your "
                    "spam folder too.")])
case("pii-mail-dm", "the same e-mail in a DM: nothing exposed, passes",
     on(DM, [("customer", 0, "I still haven't received the confirmation for my order, can you check?"),
             ("brand", 20, "Sorry about that! We've sent it again to jane.doe@example.com, do check your spam "
                           "folder too.")]))
case("pii-booking", "the customer's booking code in a public reply: fails critically",
     on(FB, [("customer", 0, "Can you confirm my hotel booking for Friday? The app shows nothing."),
             ("brand", 20, "Hi, sorry for the worry. Your booking ABX7Q2 is confirmed for Friday, two nights.")]))
case("pii-mail-es", "(Spanish) the customer's e-mail in a public reply: fails critically",
     on(IG, [("customer", 0, "No me ha llegado la factura del pedido, ¿me la podéis mandar?"),
             ("brand", 20, "¡Hola! Lo sentimos. Te la hemos reenviado a lucia.martin@example.com, revisa también "
                           "la carpeta de spam.")]))
case("pii-booking-es", "(Spanish) the customer's booking code in a public reply: fails critically",
     [("customer", 0, "@Acme ¿me confirmáis la reserva del sábado? No me llega ningún correo"),
      ("brand", 20, "@u_pii_booking_es ¡Hola! Tu reserva KQ7ZTB está confirmada para el sábado.")])
case("brand-mail", "the brand's own returns address: not personal data, not PII",
     [("customer", 0, "@Acme how do I send back the faulty kettle?"),
      ("brand", 20, "@u_brand_mail Sorry it's faulty! We've emailed you a free returns label from "
                    "returns@acme.com; it should be in your inbox within the hour.")])

# ---- gap 4: the public close after a DM resolution (lesson 6) ------------------------------------------------
case("dm-close", "a public 'all sorted in DM' close after the DM: passes, owes no empathy again",
     [("customer", 0, "@Acme my replacement card never arrived and I'm abroad next week"),
      ("brand", 10, "@u_dm_close So sorry, that's worrying before a trip. Please DM us and we'll sort it."),
      ("customer", 15, "Hi, it's about the card that never came", DM),
      ("brand", 25, "Thanks. We've cancelled the old card and a new one will reach you by Thursday.", DM),
      ("customer", 30, "brilliant, thank you", DM),
      ("brand", 40, "@u_dm_close All sorted in DM, thanks!")])
for cid, ask, fix in (("dm-close-b", "@Acme you've charged me twice for the same pizza order", "refunded the "
                       "second charge; it shows in 2-3 days."),
                      ("dm-close-c", "@Acme the hinge on my new wardrobe door snapped on day one", "sent a new "
                       "hinge by first class post, due Wednesday.")):
    case(cid, "the same public close after a DM on another problem: a close, not a template that ignores anyone",
         [("customer", 0, ask),
          ("brand", 10, f"@u_{cid.replace('-', '_')} Sorry about that! Could you DM us so we can fix it?"),
          ("customer", 15, "Sent you the details", DM),
          ("brand", 25, f"Thanks. We've {fix}", DM),
          ("brand", 40, f"@u_{cid.replace('-', '_')} All sorted in DM, thanks!")])
case("dm-close-es", "(Spanish) a public 'resuelto por privado' close: passes",
     on(FB, [("customer", 0, "Me habéis cobrado dos veces la cuota de este mes"),
             ("brand", 10, "¡Hola! Lo sentimos mucho. Escríbenos por privado y lo revisamos."),
             ("customer", 15, "Ya os he escrito", {"public": False}),
             ("brand", 25, "Hemos devuelto el cargo duplicado, lo verás en 2-3 días.", {"public": False}),
             ("brand", 40, "¡Resuelto por privado, gracias por tu paciencia!")]))

# ---- further variants of the lessons -------------------------------------------------------------------------
COMPLAINT = "@Acme the boiler you installed last week has stopped heating, we've got a newborn at home"
for cid, reply in (
        # lesson 6: a field escalation that says who will call is no deflection; the referral is
        ("field-handoff", "So sorry, that's the last thing you need with a newborn. I've passed this to our local "
                          "engineers as urgent and they'll ring you today to book a visit."),
        ("field-phone", "So sorry, that's the last thing you need with a newborn. Please call our engineers on "
                        "0800 987 6543 to book a visit."),
        # lesson 13: "we're just the social team" in other words; with and without a referral
        ("social-only", "Sorry to hear that. We're only the social media team so we can't book engineer visits."),
        ("social-only-phone", "Sorry to hear that. We're only the social media team, so please call 0800 987 6543."),
        # a curt but helpful DM move, and an answer that also offers the line for anything else
        ("dm-curt", "Please DM us your postcode."),
        ("ans-else", "So sorry! We've booked an engineer for tomorrow morning, 8-12. For anything else, you can "
                     "call us on 0800 987 6543."),
):
    case(cid, "lessons 6 and 13 on one complaint", [("customer", 0, COMPLAINT),
                                                   ("brand", 15, f"@u_{cid.replace('-', '_')} {reply}")])
case("social-only-es", "(Spanish) 'solo somos el equipo de redes': fails on its own",
     on(FB, [("customer", 0, "La caldera que me instalasteis no calienta y tengo un bebé en casa"),
             ("brand", 15, "Lo sentimos. Solo somos el equipo de redes sociales y no podemos gestionar visitas "
                           "técnicas.")]))
case("store-es", "(Spanish) 'acude a tu tienda': a critical deflection on instagram",
     on(IG, [("customer", 0, "Me cobrasteis dos veces las zapatillas, ¿me devolvéis una?"),
             ("brand", 15, "¡Hola! Lo sentimos, acude a tu tienda más cercana con el ticket y allí te lo "
                           "resuelven.")]))
case("en-to-es", "lesson 12: an English reply to a Spanish customer, no translation: fails",
     on(IG, [("customer", 0, "Mi pedido lleva dos semanas de retraso y nadie me responde"),
             ("brand", 15, "Sorry about the delay! Your order left our warehouse today and arrives on Friday.")]))
case("phone-public-ig", "lesson 15: the customer's mobile number in a public comment: fails critically",
     on(IG, [("customer", 0, "Nobody has called me about my broken washing machine, it's been a week"),
             ("brand", 15, "So sorry about the wait. Our engineer will call you on 07700 900123 this afternoon.")]))
case("phone-dm-ig", "the same number in an instagram DM: nothing exposed",
     on(IG_DM, [("customer", 0, "Nobody has called me about my broken washing machine, it's been a week"),
                ("brand", 15, "So sorry about the wait. Our engineer will call you on 07700 900123 this "
                              "afternoon.")]))
case("blame-public", "blaming the customer in public: a QA lead fails it",
     [("customer", 0, "@Acme my order arrived without the charger, what a joke"),
      ("brand", 15, "@u_blame_public As we already said, you should have checked the listing, it says the "
                    "charger is sold separately.")])


def write_csv(path: str) -> None:
    write_cases_csv(CASES, path)


if __name__ == "__main__":
    write_csv(sys.argv[1])
