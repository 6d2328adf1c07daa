"""Phrase families written from the definitions (verbs x objects x channels), in English and Spanish.

Every reply here is made up for the test; none is copied from real data or from the generator. Each case asserts
the verdict and the evidence span, so a pattern that fires for the wrong words fails too.
"""

from __future__ import annotations

import pytest

from qa.checks import CHECKS, ReplyContext


def run(check: str, text: str, *, customer: str = "", reply_language: str = "und", customer_language: str = "und"):  # type: ignore[no-untyped-def]
    ctx = ReplyContext(
        "r", text, customer_text=customer, reply_language=reply_language, customer_language=customer_language
    )
    return CHECKS[check].run(ctx)


def evidence(check: str, text: str, **kw: str) -> list[str]:
    f = run(check, text, **kw)
    assert f.verdict is True, (check, text, f)
    for e in f.evidence:
        assert text[e.start : e.end] == e.text
    return [e.text for e in f.evidence]


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("@1 We've gone ahead and refunded the delivery charge to your card.", "fee_waiver", "refunded"),
        ("@1 You'll receive a full refund within five working days.", "refund", "refund"),
        ("@1 Happy to pop a replacement kettle in the post for you today.", "replacement", "replacement kettle"),
        ("@1 We've popped 3,000 bonus miles into your account for the wait.", "points", "bonus miles"),
        ("@1 We've knocked $10 off your next bill for the trouble.", "discount", "$10 off your next bill"),
        ("@1 A $15 gift card is headed your way by e-mail.", "voucher", "gift card"),
        ("@1 Te devolveremos el importe completo a tu tarjeta.", "refund", "Te devolveremos"),
        ("@1 Dejamos $300 de saldo a favor en tu monedero.", "credit", "saldo a favor"),
        ("@1 Te mandamos un cupón de 15% para tu siguiente visita.", "voucher", "cupón"),
        ("@1 Te sumamos 800 puntos a tu cuenta por la espera.", "points", "800 puntos"),
        ("@1 Ya va en camino una licuadora nueva como reemplazo.", "replacement", "nueva"),
        ("@1 No se te cobrará la comisión por esta ocasión.", "fee_waiver", "comisión"),
        ("@1 Te exoneramos del recargo de este mes.", "fee_waiver", "exoneramos"),
    ],
)
def test_compensation_families(text: str, kind: str, words: str) -> None:
    f = run("compensation", text)
    assert f.verdict is True, text
    assert kind in f.detail["kinds"]
    assert any(words.lower() in e.text.lower() for e in f.evidence), [e.text for e in f.evidence]


@pytest.mark.parametrize(
    "text",
    [
        "@1 Our refund policy allows returns within 30 days of purchase.",
        "@1 If you send it back unused within 30 days you'll get a full refund.",
        "@1 We'll refund the fare if the flight ends up cancelled.",
        "@1 You can request a refund from the orders page.",
        "@1 We'll see if we can refund the delivery charge.",
        "@1 Si el cargo no es reconocido, se te reembolsará.",
        "@1 Puedes solicitar tu reembolso en la sección de pedidos.",
        "@1 La promoción te da 20% de descuento en compras mayores a $500.",
        "@1 Te invitamos a consultar el estado de tu solicitud en la app.",
    ],
)
def test_conditional_offers_and_policies_are_not_compensation(text: str) -> None:
    assert run("compensation", text).verdict is False, text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("@1 From Twitter we're not able to see order histories, sorry.", "From Twitter we're not able"),
        ("@1 This account is only for general product questions.", "This account is only for"),
        ("@1 We're only able to help with timetable questions here.", "We're only able to help"),
        ("@1 We don't have visibility of your account details.", "We don't have visibility of your"),
        ("@1 That's handled by a separate team so we can't see the status.", "handled by a separate team"),
        ("@1 Desde Twitter no tenemos acceso a tu historial de compras.", "Desde Twitter no tenemos"),
        ("@1 Este canal es únicamente informativo, gracias.", "Este canal es únicamente informativo"),
        ("@1 Somos el equipo de redes sociales y no podemos modificar pedidos.", "Somos el equipo de redes sociales"),
        ("@1 Por esta red social no nos es posible consultar tu saldo.", "Por esta red social no nos es posible"),
        ("@1 Eso lo gestiona otra área, por lo que no podemos verlo.", "Eso lo gestiona otra"),
    ],
)
def test_not_our_team_families(text: str, words: str) -> None:
    assert words in evidence("not_our_team", text)


@pytest.mark.parametrize(
    "text",
    [
        "@1 We can't wait to see you at the store!",
        "@1 Por este medio te compartimos la liga de ayuda.",
    ],
)
def test_not_our_team_negatives(text: str) -> None:
    assert run("not_our_team", text).verdict is False


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("@1 Te sugerimos acudir a tu sucursal más cercana.", "Te sugerimos acudir a tu sucursal"),
        ("@1 Escríbenos al correo ayuda@tienda-ejemplo.mx con tus datos.", "Escríbenos al correo ayuda@tienda-ejemplo.mx"),
        ("@1 Esto lo ve el área de cobranza, contáctalos directamente.", "contáctalos"),
        ("@1 Comunícate con el área correspondiente para darle seguimiento.", "Comunícate con el área correspondiente"),
        ("@1 En el menú telefónico elige la opción 3 y después la 1.", "opción 3"),
        ("@1 Puedes comunicarte con nosotros aquí: https://ayuda.ejemplo.com/contacto", "https://ayuda.ejemplo.com/contacto"),
        ("@1 This one sits with our accounts team, please contact them directly.", "contact them"),
    ],
)
def test_deflection_families(text: str, words: str) -> None:
    assert any(words in e for e in evidence("deflection", text)), text


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("@1 Tu comentario se ha compartido con el área correspondiente.", ""),
        ("@1 Encontramos el pedido 55120987 registrado a lucia.p@correo-ejemplo.com.", "mi pedido 55120987 no llega"),
        ("@1 Te llamaremos hoy al 55 8765 4321.", ""),
        ("@1 We'll call you back on 0161 496 0000 this afternoon.", ""),
    ],
)
def test_not_deflection(text: str, customer: str) -> None:
    assert run("deflection", text, customer=customer).verdict is False, text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("@1 We've found order 62100975 registered to someone@example.net.", "62100975"),
        ("@1 We've found order 62100975 registered to someone@example.net.", "someone@example.net"),
        ("@1 Our courier has your address as 77 Orchard Rise, Millbrook. Thanks!", "77 Orchard Rise, Millbrook"),
        ("@1 Te llamaremos hoy al +34 600 11 22 33.", "+34 600 11 22 33"),
    ],
)
def test_pii_said_theirs(text: str, value: str) -> None:
    assert value in evidence("pii_exposed", text)


def test_pii_brand_numbers_stay_out() -> None:
    assert run("pii_exposed", "@1 Call us on 0800 123 4567 for help.").verdict is False
    assert run("pii_exposed", "@1 Please call your local store on 0161 496 0000.").verdict is False


def test_spanish_phrase_in_reply_told_english_is_found() -> None:
    text = "@1 Thanks for waiting, we checked it. Te devolveremos el importe a tu tarjeta hoy mismo, saludos."
    f = run("compensation", text, reply_language="en", customer_language="es")
    assert f.verdict is True
    assert f.evidence[0].text == "Te devolveremos"
