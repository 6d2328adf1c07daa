"""The text-check gaps the brief audit found (README "Known gaps"), each closed as a family of meaning.

Hand-written replies in our own words, positives and near misses for each family:
* a percentage off given as a code or off a future purchase is a discount, and its percentage is read;
* an amount without a currency sign beside a credit or voucher ("150 in store credit") is read as money;
* Spanish "un cupón del 30%" is a discount of 30%, so the rulebook's 20% limit judges it;
* in-person places with the brand's name before the place ("your local Acme shop"), and the other telephone
  verbs ("ring", "phone") sending the customer to a team or line, are deflections (LABELING.md);
* a refund of a double charge stays compensation (LABELING.md: any refund, whatever the reason).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from check_helpers import find

from qa.api import load_policy
from qa.concessions import from_finding
from qa.policy_checks import judge_concessions

BOOK = load_policy()
AT = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)


def _conceded(text: str, lang: str = "en") -> dict[str, tuple[float | None, float | None]]:
    """kind -> (amount, percent) of each concession the reply makes, as the pipeline reads them."""
    return {c.kind: (c.amount, c.percent) for c in from_finding(find("compensation", text, lang=lang), text, lang)}


def _status(text: str, lang: str = "en", days: int = 45, category: str | None = None) -> str:
    f = find("compensation", text, lang=lang)
    facts = {"purchase_date": (AT - timedelta(days=days)).date(), "issue_category": category}
    return judge_concessions(from_finding(f, text, lang), facts, AT, "twitter", BOOK).status


@pytest.mark.parametrize("text, percent", [
    ("So sorry about the scratched lens. We've added a refund for the case and a code for 40% off anything "
     "you order next.", 40.0),
    ("Apologies for the mix-up! Here's a voucher for 15% off, valid until June.", 15.0),
    ("That's not good enough from us. We've emailed you a one-time code worth 35% off your next basket.", 35.0),
    ("We've set up 25% off whatever you book next as a thank-you for waiting.", 25.0),
])
def test_a_percentage_off_a_later_purchase_is_a_discount_with_its_percentage(text, percent):
    found = _conceded(text)
    assert found.get("discount", (None, None))[1] == percent, found


@pytest.mark.parametrize("text", [
    "Our 20% off everything sale ends on Sunday night, so there's still time!",
    "The code for 30% off was in last month's newsletter and has now expired.",
    "You can get 10% off a future order by joining the loyalty club on our website.",
])
def test_a_public_promotion_or_an_expired_code_is_no_discount_given(text):
    assert "discount" not in _conceded(text)


def test_the_percentage_decides_the_policy_verdict():
    assert _status("Sorry for the wait! Here's a voucher for 15% off.") == "within"
    assert _status("Sorry for the wait! We've added a code for 45% off whatever you buy next.") == "off_policy"


@pytest.mark.parametrize("text, amount", [
    ("We've put 150 in store credit on your account for the trouble.", 150.0),
    ("We've added a store credit of 120 to your account.", 120.0),
    ("Please accept 60 in account credit as an apology.", 60.0),
])
def test_an_amount_without_a_currency_sign_beside_a_credit_is_money(text, amount):
    assert _conceded(text).get("store_credit", (None, None))[0] == amount


def test_a_count_of_days_beside_a_credit_is_no_amount():
    assert _conceded("We've added a service credit of 3 days to your plan.").get("store_credit") == (None, None)


def test_a_bare_amount_over_the_credit_limit_is_off_policy_and_under_it_within():
    """Store credit after 30 days is allowed up to 100 (default rulebook): 150 is over, 80 is not."""
    assert _status("We've put 150 in store credit on your account for the trouble.") == "off_policy"
    assert _status("We've put 80 in store credit on your account for the trouble.") == "within"


@pytest.mark.parametrize("text, percent", [
    ("Sentimos mucho el retraso. Te enviamos un cupón del 30% para tu próxima compra.", 30.0),
    ("¡Perdona las molestias! Aquí tienes un código de descuento del 35% para el siguiente pedido.", 35.0),
])
def test_spanish_coupon_of_a_percentage_is_a_discount_judged_by_its_percentage(text, percent):
    assert _conceded(text, "es").get("discount", (None, None))[1] == percent
    assert _status(text, "es") == "off_policy"


def test_spanish_coupon_of_a_money_value_stays_a_voucher_within_its_limit():
    text = "Lamentamos el retraso. Te enviamos un cupón de 10 € por las molestias."
    found = _conceded(text, "es")
    assert "discount" not in found and found["voucher"][0] == 10.0
    assert _status(text, "es") == "within"
    assert _status("Lamentamos el retraso. Aquí tienes un vale por el 15% en tu próxima compra.", "es") == "within"


@pytest.mark.parametrize("text", [
    "Could you carry it down to your nearest Zenith store? They'll swap it on the spot.",
    "Please pop into any Orbit branch with the receipt and the team will sort it.",
    "Best thing is to bring the headphones back into a Lumo shop near you.",
    "Sorry to hear that! Do take them to the nearest Vantage service centre and they'll check it over.",
])
def test_an_in_person_place_with_the_brands_name_is_a_deflection(text):
    assert find("deflection", text).verdict is True


@pytest.mark.parametrize("text", [
    "Head to the App Store and download the latest version, that fixes the crash.",
    "We've asked our Leeds store to put one aside for you; it's ready for collection from 2pm.",
    "I'll take it to the depot team myself and chase the courier for you.",
])
def test_self_help_or_the_brand_acting_is_no_in_person_deflection(text):
    assert find("deflection", text).verdict is False


@pytest.mark.parametrize("text", [
    "Please ring our billing department and quote your reference.",
    "You'd need to phone the Orbit helpline for that one, sorry.",
    "Give our returns team a ring and they'll arrange it.",
])
def test_the_other_telephone_verbs_are_a_deflection(text):
    assert find("deflection", text).verdict is True


@pytest.mark.parametrize("text", [
    "We'll ring you back before 5pm with an update.",
    "I can phone our warehouse team right now and chase it for you.",
    "Our engineer will phone you when he's ten minutes away.",
    "Did the team ring you yesterday as promised?",
])
def test_the_brand_ringing_is_no_deflection(text):
    assert find("deflection", text).verdict is False


@pytest.mark.parametrize("text", [
    "Llévalos a cualquier tienda Orbit con el ticket de compra y te los cambian.",
    "Tráelo a tu tienda Lumo más cercana, por favor.",
    "Por favor, llama a nuestro servicio de atención al cliente y te ayudarán.",
    "Telefonea al departamento de facturación para anular el cargo.",
])
def test_spanish_in_person_and_telephone_referrals_are_deflections(text):
    assert find("deflection", text, lang="es").verdict is True


@pytest.mark.parametrize("text", [
    "Te llamaremos mañana a primera hora para confirmarlo.",
    "Lo llevamos nosotros a tu tienda de siempre y te avisamos cuando esté.",
    "Nuestro equipo te llamará esta tarde.",
])
def test_spanish_brand_acting_is_no_deflection(text):
    assert find("deflection", text, lang="es").verdict is False


def test_a_refund_of_a_double_charge_is_compensation_judged_by_the_rulebook():
    """LABELING.md: a refund, whatever the wording and whether or not the brand was right to give it. The rulebook
    judges it as any refund: within policy inside the 30-day window, unknown without a purchase date."""
    text = "Sorry for charging you twice. I've refunded the second payment; it's back with you in three days."
    assert find("compensation", text).verdict is True
    assert _status(text, days=10) == "within"
    f = find("compensation", text)
    assert judge_concessions(from_finding(f, text, "en"), {}, AT, "twitter", BOOK).status == "unknown"
