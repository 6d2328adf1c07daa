"""Families of meaning added after a fourth probe written from LABELING.md's definitions (issue #9, probes 16).

Ninety replies were written from the definitions before the rules were run on them; the rules as they were found
deflection 17 of 30, not_our_team 10 of 15, compensation 13 of 15, and in a second, Spanish batch deflection 12 of
20, not_our_team 5 of 10. Each miss is below with the words that must now trigger it; each new family has made-up
negatives sharing its words that must stay quiet (quiet before the change too). On the 2,765 real labelled replies
these families change no verdict (tools/measure_checks.py --diff: one evidence span).
"""

from __future__ import annotations

import pytest

from check_helpers import find, words

# (check, reply, words expected in the evidence): each missed by the rules before this round
POSITIVES = [
    ('deflection', '@1 Our colleagues over at @AcmeHelp are best placed for this one, give them a shout.',
     'colleagues over at @acmehelp are'),
    ('deflection', "@1 The quickest way to sort this is our webchat, it's open till 9pm.",
     'quickest way to sort this is our webchat'),
    ('deflection', '@1 Swing by the service desk on level 2 and the team will sort your tag.',
     'swing by the service desk'),
    ('deflection', "@1 This one's for your card issuer, they'll be able to tell you why it was declined.",
     "this one's for your card issuer"),
    ('deflection', '@1 Email the address on your invoice and accounts will pick it up.',
     'email the address on your invoice'),
    ('deflection', '@1 Please log the fault through our repairs portal so an engineer can be booked.',
     'log the fault through our repairs portal'),
    ('deflection', '@1 Best bet is to head back to the shop with your receipt.',
     'best bet is to head back to the shop'),
    ('deflection', '@1 Your landlord or managing agent will need to report the outage to us.',
     'your landlord or managing agent will need to report'),
    ('deflection', '@1 The dealership that serviced your car can look at the warning light for you.',
     'the dealership that serviced your car can look at'),
    ('deflection', "@1 Drop our care line a call and they'll book you in.",
     'drop our care line a call'),
    ('deflection', '@1 Pásate por la tienda donde compraste el equipo y te lo cambian.',
     'pásate por la tienda'),
    ('deflection', '@1 Dirígete al módulo de atención en el aeropuerto para tu reembolso.',
     'dirígete al módulo'),
    ('deflection', '@1 Levanta un reporte en nuestro portal de clientes y te daremos seguimiento.',
     'levanta un reporte en nuestro portal'),
    ('not_our_team', "@1 This account only shares news and updates, so we can't look into orders here.",
     'this account only shares news'),
    ('not_our_team', "@1 The team on here doesn't deal with billing, sorry.",
     "the team on here doesn't deal with"),
    ('not_our_team', "@1 I'm afraid refunds aren't something we can process over Twitter.",
     "aren't something we can process over twitter"),
    ('not_our_team', "@1 As the UK team we can't see orders placed on the US site.",
     "as the uk team we can't see"),
    ('not_our_team', '@1 Unfortunately we have no visibility of store stock from this account.',
     'no visibility of store stock from this account'),
    ('compensation', '@1 Please enjoy a free month of Premium on us.',
     'enjoy a free month'),
    ('compensation', '@1 Hemos anulado la comisión por pago tardío.',
     'hemos anulado la comisión'),
    # a second, Spanish batch: deflection 12 of 20, not_our_team 5 of 10 found before
    ('deflection', '@1 Te pedimos contactar a tu ejecutivo, él tiene tu expediente.',
     'te pedimos contactar a tu ejecutivo'),
    ('deflection', '@1 La aclaración la debes hacer con el comercio donde realizaste la compra.',
     'debes hacer con el comercio'),
    ('deflection', '@1 Esto lo tiene que revisar la aseguradora, por favor contáctala.',
     'esto lo tiene que revisar la aseguradora'),
    ('deflection', '@1 Deberás solicitarlo al emisor de tu tarjeta.',
     'deberás solicitarlo al emisor'),
    ('deflection', '@1 Ese reembolso lo gestiona la agencia de viajes, consúltalo con ellos.',
     'lo gestiona la agencia de viajes'),
    ('deflection', '@1 Te sugerimos hablar con el gerente de la sucursal.',
     'te sugerimos hablar con el gerente'),
    ('deflection', '@1 ¿Ya lo reportaste a la línea de emergencias de tu tarjeta?',
     '¿ya lo reportaste a la línea de emergencias de tu tarjeta?'),
    ('deflection', '@1 Escríbele a nuestro equipo de soporte técnico a través de soporte.acme.es.',
     'escríbele a nuestro equipo de soporte'),
    ('not_our_team', '@1 Nosotros solo gestionamos las redes sociales, no vemos tu contrato.',
     'solo gestionamos las redes sociales'),
    ('not_our_team', '@1 Ese trámite no lo podemos hacer por aquí.',
     'no lo podemos hacer por aquí'),
    ('not_our_team', '@1 Aquí no manejamos temas de facturación.',
     'aquí no manejamos'),
    ('not_our_team', '@1 No está en nuestras manos, lo decide el comercio.',
     'no está en nuestras manos'),
    ('not_our_team', '@1 Eso no depende de nosotros sino del banco emisor.',
     'no depende de nosotros'),
]

# (check, reply): share a new family's words, and are not what the check names
NEGATIVES = [
    ('deflection', '@1 The quickest way to reach us is right here on Twitter, so fire away.'),
    ('deflection', '@1 The best way to sort this is to contact us via DM with your order number.'),
    ('deflection', '@1 Best bet is to restart the app and try again.'),
    ('deflection', '@1 The easiest way is to go to Settings > Account and tap Reset.'),
    ('deflection', '@1 Our friends at @AcmeFlights have confirmed your rebooking.'),
    ('deflection', "@1 We'll reach out to @AcmeCourier for you and update you here."),
    ('deflection', '@1 Your bank can take up to 5 days to show the refund.'),
    ('deflection', '@1 The hotel can check you in from 2pm on the day.'),
    ('deflection', '@1 Your bank may need to approve the payment, it usually takes a minute.'),
    ('deflection', '@1 Our engineer will swing by your home between 8 and 12.'),
    ('deflection', '@1 Head to the app store and update to version 5.2, that fixes it.'),
    ('deflection', '@1 Give them a shout-out from us, they were brilliant!'),
    ('deflection', '@1 Give us a shout if you need anything else.'),
    ('deflection', "@1 We'll email the address on your account with the label today."),
    ('deflection', '@1 Pásate por nuestra tienda online para ver las ofertas de la semana.'),
    ('deflection', '@1 Ya levantamos un reporte en nuestro sistema y te damos seguimiento.'),
    ('not_our_team', "@1 As the events team, we can't wait to see you all there!"),
    ('not_our_team', "@1 There's no visibility of the delivery yet, we'll update you here as soon as it moves."),
    ('not_our_team', '@1 This page posts service updates, so keep an eye on it for the fix.'),
    ('not_our_team', "@1 Refunds aren't something we can process over the phone, but we can do it here in DM."),
    ('not_our_team', "@1 The team on here is happy to help, what's the order number?"),
    ('compensation', "@1 Here's a free guide to setting up your router: https://example.com/guide"),
    ('compensation', '@1 Enjoy a free trial of our new app features this week, open to everyone.'),
    ('compensation', '@1 Hemos anulado el pedido como pediste, no se te cobrará nada.'),
    ('deflection', '@1 ¿Intentaste comprarlo en línea desde la app?'),
    ('deflection', '@1 El comercio ya nos confirmó tu reembolso, llega en 3 días.'),
    ('deflection', '@1 Lo revisamos con el comercio y te avisamos por aquí.'),
    ('deflection', '@1 Nosotros lo gestionamos con la aerolínea, no te preocupes.'),
    ('deflection', '@1 Puedes consultar tu saldo en la app del banco.'),
    ('deflection', '@1 Vamos a hablar con el gerente de la sucursal y te contamos.'),
    ('deflection', '@1 Ya escribimos a nuestro equipo de soporte técnico y te responden hoy.'),
    ('not_our_team', '@1 Aquí no vemos ningún cargo duplicado en tu cuenta, ¿nos mandas captura?'),
    ('not_our_team', '@1 Solo necesitamos tu número de pedido para ayudarte.'),
    ('not_our_team', '@1 Lo podemos hacer por aquí mismo, envíanos tus datos por DM.'),
]


@pytest.mark.parametrize(("check", "text", "evidence"), POSITIVES)
def test_family_finds_the_reply(check: str, text: str, evidence: str) -> None:
    finding = find(check, text)
    assert finding.verdict is True, text
    assert evidence in words(finding)


@pytest.mark.parametrize(("check", "text"), NEGATIVES)
def test_family_stays_quiet(check: str, text: str) -> None:
    assert find(check, text).verdict is False, text
