"""Families of meaning added after a probe written from LABELING.md's definitions (issue #9, meaning round).

Each sentence is made up for the test: ways brands send people elsewhere, say this team cannot help, or give
something back, worded as LABELING describes them but not as the earlier families were written. Each positive
asserts the words that triggered it; each family has negatives that share its words and must stay quiet.
"""

from __future__ import annotations

import pytest

from check_helpers import assert_found, assert_quiet

# (check, reply, words expected in the evidence)
POSITIVES = [
    ("deflection", "@1 Your router is supplied by your internet provider, so they'll be best placed to help.",
     "they'll be best placed to help"),
    ("deflection", "@1 Your landlord would be the best person to advise on the meter.", "landlord would be the best"),
    ("deflection", "@1 Please raise a support case through the portal and the engineers will pick it up.",
     "raise a support case through the portal"),
    ("deflection", "@1 We'd suggest contacting your card issuer about the declined payment.",
     "contacting your card issuer"),
    ("deflection", "@1 It would be best to speak with the hotel directly about the room.", "speak with the hotel"),
    ("deflection", "@1 Please post this on our developer forum so the product team sees it.",
     "post this on our developer forum"),
    ("deflection", "@1 Please reach out to the number on your bill and they can go through the charges.",
     "reach out to the number on your bill"),
    ("deflection", "@1 Have you tried speaking with the pharmacist at your local store?",
     "have you tried speaking with the pharmacist"),
    ("deflection", "@1 Please speak to the driver or the station staff next time this happens.", "speak to the driver"),
    ("deflection", "@1 Puedes levantar tu reporte en el portal de clientes: https://ejemplo.com/reporte",
     "levantar tu reporte"),
    ("deflection", "@1 Es necesario que te pongas en contacto con el comercio donde realizaste la compra.",
     "pongas en contacto con el comercio"),
    ("deflection", "@1 Marca a nuestra banca telefónica y un ejecutivo te ayudará.", "marca a nuestra banca telefónica"),
    ("not_our_team", "@1 Unfortunately the social team can't make changes to bookings.", "the social team can't"),
    ("not_our_team", "@1 Twitter isn't a safe place for account details, so we can't help here.", "we can't help here"),
    ("not_our_team", "@1 We aren't able to look at individual accounts over Twitter.",
     "we aren't able to look at individual accounts over twitter"),
    ("not_our_team", "@1 This channel can't be used for complaints, sorry.", "this channel can't be used for"),
    ("not_our_team", "@1 I don't have the tools to check payments from this account.",
     "i don't have the tools to check payments from this account"),
    ("not_our_team", "@1 Unfortunately, Twitter support can't reset passwords.", "twitter support can't"),
    ("not_our_team", "@1 Sadly we can't help with that through Facebook.", "we can't help with that through facebook"),
    ("not_our_team", "@1 The team on here has no access to your personal data.", "the team on here has no"),
    ("not_our_team", "@1 That's not something we're able to do over social, sorry!",
     "not something we're able to do over social"),
    ("deflection", "@1 Te sugerimos solicitar la reposición de tu tarjeta en cualquier sucursal.",
     "solicitar la reposición de tu tarjeta en cualquier sucursal"),
    ("deflection", "@1 Este trámite se realiza únicamente en ventanilla.", "únicamente en ventanilla"),
    ("deflection", "@1 Te invitamos a visitar nuestro Centro de Servicio más cercano.", "visitar nuestro centro de servicio"),
    ("deflection", "@1 Puedes presentar tu reclamación ante la Unidad Especializada de Atención a Usuarios.",
     "ante la unidad especializada"),
    ("deflection", "@1 El seguimiento lo puedes dar en el chat de nuestra página web.", "lo puedes dar en el chat"),
    ("deflection", "@1 La paquetería es la responsable; te recomendamos contactarlos con tu número de guía.",
     "contactarlos"),
    ("deflection", "@1 Te pedimos acercarte con el gerente de la tienda para revisar tu caso.",
     "acercarte con el gerente"),
    ("deflection", "@1 Por favor ingresa a nuestra página y llena el formulario de aclaraciones.",
     "llena el formulario de aclaraciones"),
    ("deflection", "@1 Puedes solicitar la aclaración llamando a Superlínea.", "llamando a superlínea"),
    ("deflection", "@1 Te pedimos que te comuniques con tu ejecutivo de cuenta.", "te comuniques con tu"),
    ("deflection", "@1 Revisa con tu banco emisor, ya que el rechazo viene de su lado.", "con tu banco"),
    ("deflection", "@1 Para más información visita cualquiera de nuestras tiendas.",
     "visita cualquiera de nuestras tiendas"),
    ("deflection", "@1 Solicítalo en el mostrador de documentación el día de tu vuelo.", "solicítalo en el mostrador"),
    ("not_our_team", "@1 Nosotros no tenemos acceso al sistema de reembolsos.", "no tenemos acceso al sistema"),
    ("deflection", "@1 We've passed this on. Please call our billing team on 0800 555 0100.", "0800 555 0100"),
    ("deflection", "@1 We're here to help! Please call us Mon-Fri 8-8.", "please call us"),
    ("deflection", "@1 We're here for you. Our phone team is open Mon-Fri 8-8.", "mon-fri 8"),
    ("deflection", "@1 Estamos aquí de lunes a viernes; para aclaraciones marca al 55 1234 5678.", "marca al"),
    ("not_our_team", "@1 Sorry, but account specific questions can't be handled on Twitter.",
     "can't be handled on twitter"),
    ("not_our_team", "@1 Unfortunately we're limited in what we can do on social media.",
     "we're limited in what we can do on"),
    ("not_our_team", "@1 Desafortunadamente no podemos atender este tipo de solicitudes por Twitter.",
     "no podemos atender este tipo de solicitudes por twitter"),
    ("not_our_team", "@1 Este canal no cuenta con acceso a la información de tu cuenta.",
     "este canal no cuenta con acceso"),
    ("compensation", "@1 A refund for the missing item has been issued.", "a refund for the missing item has been issued"),
    ("compensation", "@1 We've added a month of service to your account at no charge.", "at no charge"),
    ("compensation", "@1 I've sent you a code for a free drink.", "for a free d"),
    ("compensation", "@1 The delivery fee's been refunded.", "fee's been refunded"),
    ("compensation", "@1 Ya se realizó la devolución de tu dinero.", "se realizó la devolución"),
    ("compensation", "@1 A $20 credit is now on your account for the trouble.", "$20 credit is now on"),
    ("compensation", "@1 Sorry for the wait! Enjoy $10 off your next order.", "$10 off your next"),
    ("compensation", "@1 We've gone ahead and reimbursed the cost of the taxi.", "we've gone ahead and reimbursed"),
    ("compensation", "@1 We've comped your meal, enjoy!", "we've comped your meal"),
    ("compensation", "@1 We'll cover the cost of the repair.", "we'll cover the cost of"),
    ("compensation", "@1 Sorry! Happy to refund you in full today.", "refund you"),
]

# (check, reply that shares a family's words but does not do what the check names)
NEGATIVES = [
    ("deflection", "@1 Our team will be best placed to help once you DM us your order number."),
    ("deflection", "@1 We've spoken with the hotel directly and your room is now confirmed."),
    ("deflection", "@1 Have you tried restarting the app since the update?"),
    ("deflection", "@1 Have you tried messaging us by DM? We can look at the booking there."),
    ("deflection", "@1 We'll call the number on your account this afternoon to confirm."),
    ("deflection", "@1 We've raised a support case for you and the engineers will pick it up."),
    ("deflection", "@1 Ya nos pusimos en contacto con el comercio y el cargo se reembolsará hoy."),
    ("deflection", "@1 Realiza tus pagos en nuestras sucursales automáticas o en la app."),
    ("deflection", "@1 Ya solicitamos la reposición de tu tarjeta; te llegará a domicilio."),
    ("not_our_team", "@1 Your question can't be handled without your order number, could you DM it to us?"),
    ("compensation", "@1 A refund for the missing item can be requested in the app."),
    ("compensation", "@1 The refund you asked about was declined by the bank."),
    ("compensation", "@1 Delivery fees are refunded when an order is cancelled within an hour."),
    ("compensation", "@1 La devolución se realiza en un plazo de 5 a 10 días hábiles si la solicitas."),
    ("deflection", "@1 Visita nuestra página de ayuda con los pasos: https://ejemplo.com/ayuda/articulo-3"),
    ("deflection", "@1 Ya llenamos el formulario de aclaraciones por ti; te escribimos por DM."),
    ("deflection", "@1 Nos comunicaremos con tu ejecutivo de cuenta hoy mismo."),
    ("deflection", "@1 We have sent the details to our billing team at billing@acmecorp.com, they will call you today."),
    ("deflection", "@1 We've passed this to our returns team (returns@acme.com) who will be in touch."),
    ("deflection", "@1 We've escalated this to our billing team on 0800 555 0100 and they will call you back."),
    ("deflection", "@1 We are here on Twitter Mon-Fri 8am-8pm, so leave us a message!"),
    ("deflection", "@1 Our social team is online Monday to Friday 9-5."),
    ("deflection", "@1 Our DMs are open 24/7!"),
    ("deflection", "@1 Estamos en redes de lunes a viernes de 9 a 18 h."),
    ("deflection", "@1 Nuestro horario en redes es de lunes a domingo de 8 a 22 h."),
    ("not_our_team", "@1 The social team can help with that, pop us a DM with your booking reference."),
    ("not_our_team", "@1 We can help here! Which branch did you visit?"),
    ("not_our_team", "@1 We can't wait to see you on board next week!"),
    ("not_our_team", "@1 Sorry about the delay, we can't see any outage in your area right now."),
    ("compensation", "@1 We can't cover the cost of the taxi, sorry."),
    ("compensation", "@1 We cover the cost of return shipping for all orders within 30 days of purchase."),
    ("compensation", "@1 Our prices start from $20 a month."),
    ("compensation", "@1 We'll look into whether we can cover the cost of the repair."),
]


@pytest.mark.parametrize(("check", "text", "evidence"), POSITIVES)
def test_family_finds_the_reply(check: str, text: str, evidence: str) -> None:
    assert_found(check, text, evidence)


@pytest.mark.parametrize(("check", "text"), NEGATIVES)
def test_family_stays_quiet(check: str, text: str) -> None:
    assert_quiet(check, text)
