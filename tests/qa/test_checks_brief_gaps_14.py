"""Text-check gaps of the ``brief14`` audit, each closed as a family: the customer's e-mail the brand sent
something to, and booking codes in capitals (LABELING.md: an e-mail address or a booking number in public is
``pii_exposed``; the brand's own address is not, and the brand sending to the customer is no ``deflection``).

Hand-written replies in our own words, positives and the near misses that must stay quiet.
"""

from __future__ import annotations

import pytest
from check_helpers import find


@pytest.mark.parametrize("text, lang", [
    ("Sorry! We've sent it again to jane.doe@example.com, check your spam folder too.", "en"),
    ("We have emailed the tickets to j.smith@example.co.uk again.", "en"),
    ("The invoice has been re-sent to sam_b@example.net this morning.", "en"),
    ("We sent the voucher to your email jane.doe@example.com yesterday.", "en"),
    ("The order confirmation went to jane.doe@example.com on Monday.", "en"),
    ("Te la hemos reenviado a lucia.martin@example.com, revisa el spam.", "es"),
    ("Te hemos mandado la factura a lucia@example.com.", "es"),
])
def test_the_customers_email_the_brand_sent_something_to_is_exposed_and_no_referral(text, lang):
    assert find("pii_exposed", text, lang=lang, brand="Acme").verdict
    assert not find("deflection", text, lang=lang, brand="Acme").verdict


@pytest.mark.parametrize("text, lang", [
    ("Please email your receipt to returns@acme.com and we'll refund you.", "en"),  # the brand's, and a referral
    ("We've sent it again to returns@acme.com for the team to check.", "en"),  # the brand's own domain
    ("Envía la factura a devoluciones@acme.es y te lo reembolsamos.", "es"),
])
def test_the_brands_own_address_is_not_the_customers(text, lang):
    assert not find("pii_exposed", text, lang=lang, brand="Acme").verdict


def test_the_customers_email_in_a_private_reply_exposes_nothing():
    assert not find("pii_exposed", "We've sent it again to jane.doe@example.com.", lang="en", public=False).verdict


@pytest.mark.parametrize("text, lang", [
    ("Hi, your booking ABX7Q2 is confirmed for Friday.", "en"),
    ("Your booking ref QX4T9 is confirmed.", "en"),
    ("Your confirmation code is ZX8K2L, show it at the desk.", "en"),
    ("¡Hola! Tu reserva KQ7ZTB está confirmada para el sábado.", "es"),
    ("Tu localizador es XK7P2Q, preséntalo en el mostrador.", "es"),
])
def test_a_booking_code_in_capitals_with_a_digit_is_the_customers(text, lang):
    assert find("pii_exposed", text, lang=lang).verdict


@pytest.mark.parametrize("text, lang", [
    ("Your booking is confirmed for Friday, see you then!", "en"),  # no code
    ("Use code SAVE20 at checkout for 20% off.", "en"),  # a public promotion code, no id word
    ("Check the COVID19 rules before you fly.", "en"),
    ("Your booking Abx7q2 is confirmed.", "en"),  # not a code in capitals, fewer than three digits
    ("Tu reserva está confirmada para el sábado.", "es"),
])
def test_words_and_public_codes_are_not_booking_codes(text, lang):
    assert not find("pii_exposed", text, lang=lang).verdict
