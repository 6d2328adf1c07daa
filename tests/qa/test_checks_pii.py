"""pii_exposed: the customer's data repeated in public; the brand's own numbers and names are not personal data."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qa.checks import CHECKS, ReplyContext


def finding(text: str, customer: str = ""):  # type: ignore[no-untyped-def]
    return CHECKS["pii_exposed"].run(ReplyContext("r", text, customer_text=customer))


@pytest.mark.parametrize(
    ("reply", "customer", "leaked"),
    [
        ("@1 We'll call you on 07700 900123 in the next hour.", "My number is 07700 900 123, call me", "07700 900123"),
        ("@1 We've e-mailed jane.doe@example.org with the label.", "reach me at Jane.Doe@example.org", "jane.doe@example.org"),
        ("@1 Your order number is 304-1234567-7654321, it ships today.", "", "304-1234567-7654321"),
        ("@1 Order 88812345 was dispatched this morning.", "where is order 88812345??", "88812345"),
        ("@1 The courier tried 12 Baker Street twice today.", "I live at 12 Baker Street and nobody came", "12 Baker Street"),
        ("@1 Tu folio 7781234 ya está en revisión.", "", "7781234"),
        ("@1 Is the card 4111 1111 1111 1111 still blocked?", "", "4111 1111 1111 1111"),
    ],
)
def test_customer_data_in_reply_is_exposed(reply: str, customer: str, leaked: str) -> None:
    f = finding(reply, customer)
    assert f.verdict is True
    assert [e.text for e in f.evidence] == [leaked]


@pytest.mark.parametrize(
    ("reply", "customer"),
    [
        ("@1 Hi Maria! Please call us on 0800 123 4567, we're open 24/7.", "Maria here, my order never came"),
        ("@1 You can write to help@brand.example and we'll reply within a day.", "how do I complain"),
        ("@1 Could you DM us your order number? Please don't share it here.", "my order is late"),
        ("@1 Our store is at 200 High Street, next to the station.", "where is your store?"),
        ("@1 Hi John Smith, thanks for flying with us!", "John Smith: great flight"),
        ("@1 Please send us __email__ in a DM.", "my mail is __email__"),
        ("@1 Error XY-52914-3 means the account is on hold: https://example.com/a/52914?id=88812345", "I get XY-52914-3"),
        ("@1 Llámanos al 55 1234 5678, nuestro horario es de 9 a 18 h.", "ya llamé al 55 1234 5678 y nada"),
    ],
)
def test_brand_data_names_and_masks_are_not_exposed(reply: str, customer: str) -> None:
    assert finding(reply, customer).verdict is False


def test_evidence_points_into_the_reply() -> None:
    reply = "@1 Thanks — we'll text 07700 900123 once order 88812345 ships."
    f = finding(reply, "order 88812345, phone 07700900123")
    assert f.verdict is True
    assert {e.text for e in f.evidence} == {"07700 900123", "88812345"}
    for e in f.evidence:
        assert reply[e.start : e.end] == e.text


_PHONE_TEXTS = [
    "Call 1-800-555-0142 or +44 20 7946 0958, Mon-Fri 9:00-17:00.",
    "Llámanos al 55 5555 0000 o al (81) 8123-4567; pedido 304-1234567-7654321.",
    "Ruf uns an: 030 123456-78, Fax 030/1234 5679, Seite 12/05/2024.",
    "Appelez le 01 23 45 67 89 ou le +33 (0)1 23 45 67 89 ext. 12.",
    "Ligue 0800 123 4567 ou (11) 91234-5678 às 10:30 pm.",
    "٠١٢٣٤٥٦٧٨٩ and ０８００ １２３ ４５６７ and 1-800-FLOWERS and 12:45 h",
    "$1,234,567.89 off, 20% 5551234567% 2024-12-07 [555] 123 4567 (555 123-4567",
    "call 1-800-555-0142 again: 1-800-555-0142\n+1 (800) 555-0142 x 123 / 800.555.0142",
]


@pytest.mark.parametrize("region", ["US", "GB", "MX", "ES", "BR", "PT", "FR", "DE"])
def test_remembered_phone_parses_match_as_the_library(region: str) -> None:
    """The matcher that remembers each candidate's parse finds what ``PhoneNumberMatcher`` finds (spans, raw
    strings, numbers), first from empty and then from what it remembered, in every region the checks use."""
    from phonenumbers import Leniency, PhoneNumberMatcher

    from qa.checks import entities

    def found(matcher_class: type, text: str) -> list[tuple]:  # type: ignore[type-arg]
        matches = matcher_class(text, region, leniency=Leniency.POSSIBLE)
        return [(m.start, m.end, m.raw_string, m.number) for m in matches]

    entities._VERIFIED.clear()
    for _ in range(2):
        for text in _PHONE_TEXTS:
            assert found(entities._Matcher, text) == found(PhoneNumberMatcher, text), text
    assert entities._VERIFIED  # the second pass read remembered parses


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["1-800-555-0142", "+44 20 7946 0958", "(55) 5555 0000", "0800 123 4567", "10:30",
                                 "12/05/2024", " ", "/", "-", ".", "x", "ext. 12", "٣٤٥٦", "１２３", "%", "$", "€",
                                 "pág. 123", "[", "]", "(", ")", "7", "55", "a", "é", "\n", "+", "#", "*4444"]),
                max_size=12).map("".join), st.sampled_from(["US", "GB", "MX", "ES", "BR", "FR", "DE"]))
def test_remembered_phone_parses_match_the_library_on_any_text(text: str, region: str) -> None:
    from phonenumbers import Leniency, PhoneNumberMatcher

    from qa.checks import entities

    def found(matcher_class: type) -> list[tuple]:  # type: ignore[type-arg]
        matches = matcher_class(text, region, leniency=Leniency.POSSIBLE)
        return [(m.start, m.end, m.raw_string, m.number) for m in matches]

    want = found(PhoneNumberMatcher)
    assert found(entities._Matcher) == want
    assert found(entities._Matcher) == want  # again, from what it remembered


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["1", "23", "456", " ", "-", "a", "B", "_", "/", ".", "#", "@", "+", "x@y.z",
                                 "\n", "é", "٣"]), max_size=18).map("".join))
def test_fast_entity_patterns_agree_with_their_plain_forms(text: str) -> None:
    """The entity patterns written to start with a character ``re`` can skip to find what their plain forms
    (lookbehinds first) find, and the e-mail guard passes every text the EMAIL macro finds an address in."""
    import re

    from qa.checks import entities
    from qa.checks.phrases import phrasebook

    plain_run = re.compile(r"(?<![\w/.#@])(?<![A-Za-z]-)\d[\d \-]{4,22}\d(?![\w/])")
    assert [m.span() for m in entities._DIGIT_RUN.finditer(text)] == [m.span() for m in plain_run.finditer(text)]
    plain_may = re.compile(r"\d(?<![@\w]\d)|(?<=[A-Z])\d|@(?<=\w@)\w+\.")
    assert (entities._MAY_HAVE.search(text) is None) == (plain_may.search(text) is None)
    plain_enough = re.compile(r"(?:\d\D{0,3}){7}")
    assert (entities._ENOUGH_DIGITS.search(text) is None) == (plain_enough.search(text) is None)
    if phrasebook().macros["EMAIL"].search(text):
        assert entities._EMAIL_AT.search(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["1", "8", "00", "456", "7890", " ", "-", ".", "(", ")", "+", "*", "Flowers", "ſ",
                                 "K", "a", "/", "\n", "٣"]), max_size=16).map("".join))
@example("call 1-800-FLOWERS now")
@example("1 800Banamex")
@example("1-800-ſKſK")
@example("dial *4444")
@example("+1 (800) 956-4442")
def test_phones_skip_only_texts_without_a_number_they_keep(text: str) -> None:
    """The cheap tests in front of the PHONE macro (seven digits close together, a "*", a vanity number) never
    hide a number: ``phones`` finds what the macro alone, filtered the same way, finds."""
    from qa.checks import entities

    assert entities.phones(text) == (entities._phones(text) if entities._TWO_DIGITS.search(text) else [])
