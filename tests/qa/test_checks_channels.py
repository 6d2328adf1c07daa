"""deflection, dm_request and not_our_team on made-up replies, including LABELING.md's settled cases."""

from __future__ import annotations

import pytest

from qa.checks import CHECKS, ReplyContext


def run(check: str, text: str, customer: str = "", earlier: tuple[str, ...] = ()) -> bool | None:
    ctx = ReplyContext("r1", text, customer_text=customer, earlier_brand_texts=earlier)
    return CHECKS[check].run(ctx).verdict


DEFLECTIONS = [
    "@1 Please call us at 1-800-555-0142 so a specialist can look into it. ^KM",
    "@1 That's worrying. Please contact us here: https://example.com/contact -Ana",
    "@1 Sorry for the trouble! Contact us by phone or chat: https://example.com/help ^RT",
    "@1 We're available 24/7 at 0800 123 4567 (calls are charged at local rate).",
    "@1 Please reach out to the seller, they can tell you where the parcel is.",
    "@1 Have you asked the seller yet? They hold the tracking details.",
    "@1 Did you call your local store about the refund?",
    "@1 I'd suggest popping into your local store and speaking with one of my colleagues.",
    "@1 You can email us at help@example.com with the receipt attached.",
    "@1 That is a question for our partner Skynet Wifi, please report it to them at 1.877.555.0100.",
    "@1 Te pedimos comunicarte al 55 1234 5678 de lunes a viernes de 9:00 a 18:00 h.",
    "@1 Del interior sin costo 800 123 4567\nHorarios de atención: de lunes a sábado de 07:00 a 21:00 h",
    "@1 3. Ingresa por la opción 1-2-3 del menú.",
    "@1 ¿Ya te comunicaste al CAT para levantar tu aclaración?",
    "@1 Te sugerimos validarlo directamente con el comercio donde hiciste la compra.",
    "@1 Será necesario que acudas a una sucursal con tu identificación oficial.",
    "@1 Envíanos un correo a ayuda@ejemplo.mx con tu caso.",
    "@1 Please suggest this feature in our Community at https://example.com/ideas and get votes from others.",
]

NOT_DEFLECTIONS = [
    "@1 Please DM us your order number so we can check this for you.",
    "@1 Let's troubleshoot: restart the app, then follow the steps here: https://example.com/fix-sync",
    "@1 Send us your details here: https://example.com/callback and we'll call you back today.",
    "@1 Thanks, I've passed this on to our delivery team and they will contact you tomorrow.",
    "@1 We can contact our Executive team who will be in touch as soon as possible.",
    "@1 You can pay at any ATM or in the app in a few seconds.",
    "@1 They call us the friendliest airline for a reason!",
    "@1 Gracias por escribirnos, seguimos a tus órdenes por este medio.",
    "@1 If you need anything else, don't hesitate to contact us. Have a great day!",
    "@1 Citibank nunca te llamará desde ese número, no compartas tus datos.",
]


@pytest.mark.parametrize("text", DEFLECTIONS)
def test_deflections(text: str) -> None:
    assert run("deflection", text) is True


@pytest.mark.parametrize("text", NOT_DEFLECTIONS)
def test_not_deflections(text: str) -> None:
    assert run("deflection", text) is False


def test_phone_hours_fragment_of_a_multi_part_reply_is_a_deflection_and_its_tail_is_not() -> None:
    assert run("deflection", "@1 (2/2) 800 555 0199, Monday to Friday 8am-8pm.") is True
    assert run("deflection", "@1 (2/2) Hope this helps, have a lovely evening!") is False


def test_customer_number_quoted_back_is_not_a_referral() -> None:
    customer = "My number is 07700 900123 and nobody called me back"
    assert run("deflection", "@1 Thanks, is 07700 900123 still the best number?", customer) is False


def test_link_from_above_is_a_deflection_only_when_the_earlier_link_was_a_contact_link() -> None:
    reply = "@1 Please use the link from above so that we can help."
    contact = ("@1 Please reach out to us directly here: https://example.com/contact",)
    self_help = ("@1 Here's how to reset it: https://example.com/reset",)
    assert run("deflection", reply, earlier=contact) is True
    assert run("deflection", reply, earlier=self_help) is False


def test_deflection_detail_names_the_channels() -> None:
    ctx = ReplyContext("r", "@1 Call us on 0800 123 4567 or visit your nearest store.")
    finding = CHECKS["deflection"].run(ctx)
    assert set(finding.detail["channels"]) == {"phone", "store"}


DM_REQUESTS = [
    "@1 Please DM us your booking reference.",
    "@1 Send us a direct message with the e-mail on the account.",
    "@1 Could you check your DMs? We just sent you the next steps.",
    "@1 We've sent you a DM.",
    "@1 Please follow us so we can DM you the details.",
    "@1 Reply by DM with your order number and we'll sort it.",
    "@1 Send us a message by clicking the link below. https://example.com/msg",
    "@1 Let's continue this in DM. https://example.com/dm",
    "@1 Por favor envíanos un mensaje directo con tu número de folio.",
    "@1 Síguenos para poder enviarte las indicaciones por mensaje privado.",
    "@1 Continuamos la atención por DM.",
    "@1 Thanks for the DM! We'll be responding there shortly.",
]

NOT_DM_REQUESTS = [
    "@1 Thanks for the DM!",
    "@1 As we said in DM, the refund is on its way.",
    "@1 Your flight leaves at 5 PM from gate 12.",
    "@1 Glad we could help, enjoy the rest of your day! -PM",
    "@1 Please send us more details about what happened.",
    "@1 Follow us on Instagram for the latest deals!",
    "@1 Gracias por tu mensaje, quedamos a tus órdenes.",
]


@pytest.mark.parametrize("text", DM_REQUESTS)
def test_dm_requests(text: str) -> None:
    assert run("dm_request", text) is True


@pytest.mark.parametrize("text", NOT_DM_REQUESTS)
def test_not_dm_requests(text: str) -> None:
    assert run("dm_request", text) is False


def test_dm_request_is_not_a_deflection() -> None:
    text = "@1 We'd love to help. Please DM us here: https://example.com/dm"
    assert run("dm_request", text) is True
    assert run("deflection", text) is False


NOT_OUR_TEAM = [
    "@1 I'm sorry, we can't access accounts here on Twitter.",
    "@1 We're just the social media team, so we can't see bookings.",
    "@1 We don't have access to your booking from Twitter, sorry.",
    "@1 We only support English on this channel.",
    "@1 That's handled by another team, we can't see it from here.",
    "@1 Por este medio no contamos con facultades para revisar tu cuenta.",
    "@1 En redes sociales brindamos información general sobre nuestros productos.",
]

NOT_NOT_OUR_TEAM = [
    "@1 Could you DM us your account number so we can help?",
    "@1 Please call 0800 123 4567 for help with that.",
    "@1 If this is something we can handle via our social channels, we'd love to try.",
    "@1 Unfortunately this app is no longer supported on iOS 9.",
]


@pytest.mark.parametrize("text", NOT_OUR_TEAM)
def test_not_our_team(text: str) -> None:
    assert run("not_our_team", text) is True


@pytest.mark.parametrize("text", NOT_NOT_OUR_TEAM)
def test_not_not_our_team(text: str) -> None:
    assert run("not_our_team", text) is False


def test_other_company_plus_cannot_see_is_both_deflection_and_not_our_team() -> None:
    text = "@1 We don't have access to the merchant's records, please contact the merchant directly."
    assert run("deflection", text) is True
    assert run("not_our_team", text) is True


def test_numbers_the_brand_contacts_you_from_are_not_a_referral() -> None:
    text = (
        "@1 Únicamente te contactaremos desde los siguientes canales: Mensaje de texto: 67812 "
        "Mensaje de voz: 800 283 3180 Correo electrónico: alertas@banco.example"
    )
    assert run("deflection", text) is False
    assert run("deflection", "@1 We'll only ever text you from 67812 or call from 0800 123 4567.") is False


def test_patterns_narrow_to_the_reply_language_and_fall_back_to_all() -> None:
    text = "@1 Hola, continuamos la atención por mensaje directo."
    for lang in ("es", "und", "fr"):  # fr has no phrase file: every language's patterns are searched
        ctx = ReplyContext("r", text, reply_language=lang)
        assert CHECKS["dm_request"].run(ctx).verdict is True, lang


@pytest.mark.parametrize(
    "text",
    [
        "@1 We'd love to help but are unable to access your account via Twitter.",
        "@1 Due to our privacy policy we're not able to address these concerns over social media.",
        "@1 Unfortunately we're unable to help you with package holiday bookings.",
    ],
)
def test_not_our_team_wordings(text: str) -> None:
    assert run("not_our_team", text) is True


def test_cannot_without_a_channel_is_not_not_our_team() -> None:
    assert run("not_our_team", "@1 We can't wait to see you on board again!") is False
    assert run("not_our_team", "@1 We can't make any promises about that feature, but we've shared it.") is False
