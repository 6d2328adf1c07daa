"""compensation: offers and confirmations of any kind, with kind and amount; refusals and public offers are not."""

from __future__ import annotations

import pytest

from qa.checks import CHECKS, ReplyContext


def finding(text: str):  # type: ignore[no-untyped-def]
    return CHECKS["compensation"].run(ReplyContext("r", text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("@1 So sorry! We'll hook you up next time you're in. -Becky", "free_item"),
        ("@1 A new one is on its way to you, it should arrive Friday.", "replacement"),
        ("@1 We've added 500 points to your account for the trouble.", "points"),
        ("@1 We'll waive the late fee this month.", "fee_waiver"),
        ("@1 I've issued a full refund to your card, allow 3-5 days.", "refund"),
        ("@1 We've applied a $25 credit to your bill.", "credit"),
        ("@1 I've sent you a £10 voucher by e-mail.", "voucher"),
        ("@1 We'd like to offer you 50% off your next order.", "discount"),
        ("@1 We've upgraded you to Business for the return flight.", "upgrade"),
        ("@1 Your next burrito is on us!", "free_item"),
        ("@1 Te reembolsaremos el cargo en las próximas 48 horas.", "refund"),
        ("@1 Hemos bonificado la comisión por anualidad de este año.", "fee_waiver"),
        ("@1 Te enviaremos un nuevo equipo sin costo esta semana.", "replacement"),
        # Handed over, or given as an apology, without a first-person verb.
        ("@1 Here are 750 loyalty points for your next order.", "points"),
        ("@1 Please accept 300 points with our apologies.", "points"),
        ("@1 As a small apology, 1,200 reward points are yours.", "points"),
        ("@1 Sorry about that! 400 points toward your next visit.", "points"),
        ("@1 Here's a $10 credit for your trouble.", "credit"),
        ("@1 Please accept this £5 gift card.", "voucher"),
        ("@1 You can see your replacement or refund options here: https://t.co/abc", "refund"),
        ("@1 Acepta estos 200 puntos, de verdad lo sentimos.", "points"),
        ("@1 Como muestra de disculpa, sumamos 150 puntos a tu cuenta.", "points"),
    ],
)
def test_offers_are_found_with_their_kind(text: str, kind: str) -> None:
    f = finding(text)
    assert f.verdict is True
    assert f.detail["kind"] == kind


def test_amount_and_percent_are_read_from_the_offer() -> None:
    f = finding("@1 We've applied a $25.50 credit to your bill.")
    assert f.detail["amount"] == 25.5 and f.detail["currency"] == "USD"
    f = finding("@1 Full refund done, and we'd like to offer you 50% off your next order.")
    assert f.detail["kinds"] == ("refund", "discount")
    assert f.detail["percent"] == 50.0


@pytest.mark.parametrize(
    "text",
    [
        "@1 We'll look into it and see what we can do.",
        "@1 We're unable to offer a refund as the ticket was non-refundable.",
        "@1 We wouldn't offer a complimentary upgrade for a cancelled flight.",
        "@1 It's our annual promo: every burrito is $3 tonight!",
        "@1 The 6 pack is half price at the moment, which is why it's cheaper.",
        "@1 Have you received the refund we mentioned?",
        "@1 Lamentamos la situación, revisaremos tu caso.",
        # Points and options that are a programme's rules or someone else's to decide, not an offer.
        "@1 You earn 100 points for your next order when you review this one.",
        "@1 Members collect 2 points for every dollar spent.",
        "@1 Please contact our billing team to review your refund options.",
        "@1 Acumulas puntos con cada compra en tienda.",
    ],
)
def test_refusals_maybes_and_public_offers_are_not_compensation(text: str) -> None:
    assert finding(text).verdict is False


def test_evidence_is_the_offer_words() -> None:
    text = "@1 Sorry about that! We'll hook you up."
    (ev,) = finding(text).evidence
    assert ev.text == "hook you up" and text[ev.start : ev.end] == ev.text


def test_a_language_added_by_data_alone_japanese() -> None:
    f = finding("@1 ご迷惑をおかけしました。返品や交換をご希望の場合は、こちらのURLをご覧ください。")
    assert f.verdict is True and f.detail["kind"] == "replacement"
