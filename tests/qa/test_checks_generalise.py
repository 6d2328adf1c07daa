"""The rule families of issue #9, each with made-up replies and a negative counterpart.

Every sentence here is written for the test from the definitions in LABELING.md (none is copied from real
data). Each positive asserts the words that triggered it, so a family firing for the wrong words fails too.
"""

from __future__ import annotations

import pytest

from check_helpers import find, words

# (family, positive reply, words in its evidence, negative counterpart)
DEFLECTION_FAMILIES = [
    ("message-the-brand link is not a referral", None, None,
     "@1 So sorry, Jo! Drop us a note here: https://example.com/help/message so we can sort it."),
    ("contact page link", "@1 So sorry, Jo! Please reach out directly to our team here: https://example.com/contact",
     "reach out directly to our team here", "@1 So sorry, Jo! Send us a quick note here: https://example.com/m"),
    ("reachable here", "@1 Our team can be reached 24/7 here: https://example.com/chat ^AB", "reached 24/7 here",
     "@1 We have reached out to the team and will update you here. ^AB"),
    ("question naming another company", "@1 Did you already contact Parcelnet about the missing box?",
     "contact Parcelnet", "@1 Did you already try restarting the router?"),
    ("question naming staff in person", "@1 Sorry! Did you speak to anyone at the station about it?",
     "speak to anyone at the station", "@1 Sorry! Did you get to the station on time in the end?"),
    ("in-person crew", "@1 Please speak with a member of the cabin crew on board for help with the seat.",
     "cabin crew", "@1 The cabin crew have been told about the broken seat and will fix it at the gate."),
    ("a manager next time you're in", "@1 Please let the store manager know next time you're in.",
     "let the store manager know", "@1 The store manager knows and will call you tomorrow."),
    ("another company by name", "@1 Your mailbox is run by Fastmail, please contact Fastmail directly for access.",
     "contact Fastmail directly", "@1 Fastmail is a partner of ours; we have asked them to restore access."),
    ("feature-request site", "@1 Love it! Please submit this as a feature request at https://ideas.example.com",
     "submit this as a feature request", "@1 Love it! We have passed your idea to the product team ourselves."),
    ("help-site home page", "@1 For technical help, please visit our Help Center.", "visit our Help Center",
     "@1 This Help Center article explains the steps: https://example.com/help/article-42"),
    ("contact button on a page", "@1 Head to https://example.com/account and click on 'Contact us' for help.",
     "click on 'Contact us", "@1 Head to https://example.com/account and click Save to keep the change."),
    ("hours of service are not a referral by themselves", None, None,
     "@1 The new timetable starts on Monday, so the early train runs again."),
    ("question about what the customer did, no channel", None, None,
     "@1 Did you try logging out and back in after the update?"),
    ("es: question whether they went to a branch", "@1 ¿Ya acudiste a sucursal con tu identificación?",
     "acudiste a sucursal", "@1 ¿Ya intentaste actualizar la aplicación?"),
    ("es: question whether they called the phone line", "@1 ¿Te comunicaste a los teléfonos que te dimos?",
     "comunicaste a los teléfonos", "@1 ¿Te llegó el código que te enviamos?"),
    ("es: the branch will do it", "@1 La sucursal deberá darte una respuesta por escrito.", "La sucursal deberá",
     "@1 Lamentamos lo ocurrido, ya revisamos tu caso y te escribimos por DM."),
    ("es: another company", "@1 Te sugerimos contactarte con el negocio donde hiciste la compra.",
     "contactarte con el negocio", "@1 Ya validamos la compra con el negocio y el cargo se reflejará hoy."),
    ("es: the authorities", "@1 Será necesario hacer el reporte con las entidades correspondientes de tu localidad.",
     "entidades correspondientes", "@1 Ya levantamos el reporte por ti y te daremos seguimiento."),
    ("es: fraud-alert senders are not a referral", None, None,
     "@1 Si detectamos movimientos extraños te avisaremos por:\nLlamada del 800 000 1111\nSMS del número 12345"),
]


@pytest.mark.parametrize(("family", "positive", "expected", "negative"), DEFLECTION_FAMILIES,
                         ids=[f[0] for f in DEFLECTION_FAMILIES])
def test_deflection_families(family: str, positive: str | None, expected: str | None, negative: str) -> None:
    if positive is not None:
        f = find("deflection", positive)
        assert f.verdict is True, family
        assert expected.lower() in words(f).lower(), (family, words(f))
    assert find("deflection", negative).verdict is False, (family, words(find("deflection", negative)))


@pytest.mark.parametrize("text", [
    "@1 Sorry about that! Send us a note here: https://example.com/m so our team can help.",
    "@1 That's not right. Please write to us at the link and we'll look into it.",
    "@1 Please tell us more: https://example.com/form",
])
def test_a_link_to_message_the_brand_is_a_dm_request_not_a_deflection(text: str) -> None:
    assert find("dm_request", text).verdict is True
    assert find("deflection", text).verdict is False


@pytest.mark.parametrize("text", [
    "@1 Could you share some details here so we can help? https://example.com/requests/new",
    "@1 Please send us your details here: https://example.com/form and we'll give you a call.",
    "@1 Sorry to hear it. You can share your info here so someone on our team can reach out: https://example.com/f",
])
def test_details_left_on_a_form_for_the_brand_to_act_are_neither_a_dm_nor_a_deflection(text: str) -> None:
    """LABELING: "send us your details here: <link> and we'll call you" is no deflection, the brand takes the
    next step; nor is it a move to private messages (a form is not a conversation)."""
    assert find("dm_request", text).verdict is False
    assert find("deflection", text).verdict is False


@pytest.mark.parametrize(("positive", "negative"), [
    ("@1 This is something for our Billing team, I'm afraid.", "@1 This is something we can fix right away."),
    ("@1 Issues like these are handled off social media for your security.",
     "@1 Issues like these are handled quickly once we have your order number."),
    ("@1 We don't have that information here, sorry.", "@1 We don't have that information yet, sorry."),
    ("@1 Sorry for not being able to sort your booking via this channel.",
     "@1 Sorry for the wait, your booking is sorted now."),
    ("@1 Lo sentimos, no tenemos manera de validar ese movimiento por aquí.",
     "@1 Ya validamos ese movimiento y se reflejará mañana."),
])
def test_not_our_team_families(positive: str, negative: str) -> None:
    assert find("not_our_team", positive).verdict is True, positive
    assert find("not_our_team", negative).verdict is False, negative


@pytest.mark.parametrize(("positive", "negative"), [
    ("@1 So sorry! We'd love to make amends, we've added a treat to your account.",
     "@1 So sorry! We'll look into what happened at that store."),
    ("@1 Thanks for flying with us! DM your member number for a little surprise.",
     "@1 Thanks for flying with us! DM your member number so we can check the booking."),
    ("@1 We've waived the change fee for you this time.",
     "@1 In most cases the change fee will be waived for any changes made this month."),
])
def test_compensation_families(positive: str, negative: str) -> None:
    assert find("compensation", positive).verdict is True, positive
    assert find("compensation", negative).verdict is False, negative


def test_pii_only_in_public_replies_and_says_so() -> None:
    text = "@1 We'll call you back on 415 555 0134 within the hour."
    public = find("pii_exposed", text, lang="en")
    assert public.verdict is True and "415 555 0134" in words(public)
    assert public.detail["because"] == "public reply on twitter"
    private = find("pii_exposed", text, public=False, lang="en")
    assert private.verdict is False and "private" in private.detail["because"]


@pytest.mark.parametrize(("positive", "negative"), [
    ("@1 Is 415 555 0134 still the best number to reach you?", "@1 Call us on 1-800-555-0199, we're open 24/7."),
    ("@1 Your order 4410-99812 was sent to jo.doe@example.org yesterday.",
     "@1 Write to help@acmestore.example and the team will reply."),
    ("@1 We have your address as 12 Mill Lane, Upton.", "@1 Our shop is at 12 Mill Lane, Upton."),
])
def test_pii_customer_values_and_the_brands_own(positive: str, negative: str) -> None:
    customer = "my number is 415 555 0134"
    assert find("pii_exposed", positive, customer=customer, brand="AcmeStoreHelp", lang="en").verdict is True, positive
    assert find("pii_exposed", negative, customer=customer, brand="AcmeStoreHelp", lang="en").verdict is False, negative


def test_business_numbers_are_never_the_customers() -> None:
    """A toll-free number is a business's even when the reply says 'your': libphonenumber types it."""
    f = find("pii_exposed", "@1 Your line 1-800-555-0199 is the one to call for repairs.", lang="en")
    assert f.verdict is False
