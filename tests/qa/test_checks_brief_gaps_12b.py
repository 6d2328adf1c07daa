"""Text-check gaps the second brief audit's variants found (``brief_threads_more``), each closed as a family.

Hand-written replies in our own words, positives and the near misses that must stay quiet:
* an address the brand delivers or sends something to is the customer's (LABELING.md: a postal address in
  public), while an address the customer is told to send something to is the brand's;
* "this is a social media page only", "we only look after social media", "we have no access to ..." say the
  team cannot help (``not_our_team``);
* "contact the delivery company" sends the customer to another company (``deflection``);
* Spanish "te enviamos otro" (a replacement), "te hemos devuelto los gastos de envío" (a refund) and "sin coste"
  are compensation.
"""

from __future__ import annotations

import pytest
from check_helpers import find


@pytest.mark.parametrize("text, lang", [
    ("Sorry! We'll deliver it to 22 Oak Road, Bristol tomorrow.", "en"),
    ("Sorry for the wait! Your sofa is booked for delivery to 14 Elm Grove on Tuesday.", "en"),
    ("Good news, the replacement was dispatched to 3 Mill Lane this morning.", "en"),
    ("¡Perdona! Lo enviamos a Calle Mayor 12 mañana.", "es"),
    ("Te lo entregaremos en Calle Sol 8 el lunes.", "es"),
])
def test_an_address_the_brand_delivers_to_is_the_customers(text, lang):
    assert find("pii_exposed", text, lang=lang).verdict


@pytest.mark.parametrize("text, lang", [
    ("Please send the return to 4 Dock Road, Hull, and we'll refund you when it arrives.", "en"),
    ("Our Briggate store at 12 Briggate Street is open until 6 today.", "en"),
    ("Sorry! We'll deliver it to 22 Oak Road, Bristol tomorrow.", "en"),  # in a DM: nothing is exposed
    ("Envíalo a Calle Mayor 12 y te devolvemos el dinero.", "es"),
])
def test_an_address_the_customer_sends_to_or_a_private_reply_is_not_exposed(text, lang):
    public = "deliver it to" not in text
    assert not find("pii_exposed", text, lang=lang, public=public).verdict


@pytest.mark.parametrize("text", [
    "Sorry, this is a social media page only and we can't help with bills.",
    "Apologies, we only look after social media, so we can't see orders.",
    "Sorry, we have no access to account details.",
    "I'm sorry, I only deal with Facebook queries.",
])
def test_saying_this_team_cannot_help_is_not_our_team(text):
    assert find("not_our_team", text, lang="en").verdict


@pytest.mark.parametrize("text", [
    "This is our Facebook page: follow us for news and offers.",
    "We only deliver on weekdays, so it arrives Monday.",
    "We have no record of a second payment, so nothing was taken twice.",
    "We only look after the order once it reaches our warehouse, and it's there now.",
])
def test_near_misses_of_not_our_team_stay_quiet(text):
    assert not find("not_our_team", text, lang="en").verdict


@pytest.mark.parametrize("text", [
    "Sorry! Please contact the delivery company directly.",
    "You'll need to get in touch with the finance company that set up the loan.",
])
def test_sending_the_customer_to_another_company_is_a_deflection(text):
    assert find("deflection", text, lang="en").verdict


def test_a_company_mentioned_without_sending_the_customer_there_is_not():
    assert not find("deflection", "The delivery company has your parcel and it arrives today.", lang="en").verdict


@pytest.mark.parametrize("text", [
    "¡Perdona! Te enviamos otro hoy mismo.",
    "Lo sentimos, te hemos devuelto los gastos de envío.",
    "La reparación de la funda es sin coste para ti.",
])
def test_spanish_replacements_and_refunded_fees_are_compensation(text):
    assert find("compensation", text, lang="es").verdict


@pytest.mark.parametrize("text", [
    "Te enviamos otro mensaje con los pasos.",
    "Te hemos enviado otro correo con el enlace.",
    "Si no llega, revisaremos si te devolvemos los gastos de envío.",
])
def test_near_misses_of_spanish_compensation_stay_quiet(text):
    assert not find("compensation", text, lang="es").verdict


@pytest.mark.parametrize("text", [
    "Unfortunately the social team doesn't have access to billing.",
    "That's not something our team handles, it's a different department.",
])
def test_the_social_team_lacking_access_or_another_department_is_not_our_team(text):
    assert find("not_our_team", text, lang="en").verdict


@pytest.mark.parametrize("text", [
    "It is a different colour from the photo, sorry: we'll swap it.",
    "That is a separate order, so it ships on its own.",
    "The team has no record of a second payment.",
])
def test_a_different_thing_or_a_record_is_not_not_our_team(text):
    assert not find("not_our_team", text, lang="en").verdict


@pytest.mark.parametrize("text", ["We've credited £10 to your account for the trouble.",
                                  "As a goodwill gesture we've added £15 to your account."])
def test_money_credited_to_the_account_is_a_credit_with_its_amount(text):
    from qa.concessions import from_finding

    found = {c.kind: c.amount for c in from_finding(find("compensation", text, lang="en"), text, "en")}
    assert found.get("store_credit") in (10.0, 15.0), found


def test_money_the_customer_added_is_not_a_credit():
    assert not find("compensation", "You added £10 to your account yesterday, so the balance is £12.", lang="en").verdict


@pytest.mark.parametrize("text", ["Para eso tienes que llamar al servicio de atención al cliente.",
                                  "Debes llamar a atención al cliente para cambiarlo."])
def test_spanish_you_have_to_call_customer_service_is_a_deflection(text):
    assert find("deflection", text, lang="es").verdict


@pytest.mark.parametrize("text", ["Tienes que esperar a que llegue el técnico mañana.",
                                  "Hay que reiniciar el router y ya funciona."])
def test_spanish_you_have_to_without_a_channel_is_not(text):
    assert not find("deflection", text, lang="es").verdict
