"""Tone checks (empathy, blame, personalisation) and language_mismatch."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.checks import CHECKS, ReplyContext


def verdict(check: str, text: str, customer: str = "", **kw: str) -> bool | None:
    return CHECKS[check].run(ReplyContext("r", text, customer_text=customer, **kw)).verdict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@1 I'm so sorry about the delay, that's really frustrating.", True),
        ("@1 We apologise for the inconvenience caused.", True),
        ("@1 Lamentamos mucho la situación, te ofrecemos una disculpa.", True),
        ("@1 Your order ships tomorrow.", False),
        ("@1 Tu tarjeta llegará el lunes.", False),
    ],
)
def test_empathy(text: str, expected: bool) -> None:
    assert verdict("empathy", text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@1 You should have read the terms before booking.", True),
        ("@1 As we already said, you failed to update the app.", True),
        ("@1 Es tu responsabilidad revisar tus movimientos.", True),
        ("@1 Let's get this sorted for you. Which app version are you on?", False),
        ("@1 Te ayudamos con gusto, ¿qué error aparece?", False),
    ],
)
def test_blame(text: str, expected: bool) -> None:
    assert verdict("blame", text) is expected


def test_personalisation_takes_up_the_customers_words() -> None:
    customer = "My Galaxy S9 screen keeps flickering after the update"
    f = CHECKS["personalisation"].run(
        ReplyContext("r", "@1 Sorry about the flickering screen! Does it happen in safe mode too?", customer_text=customer)
    )
    assert f.verdict is True
    assert {"flickering", "screen"} <= set(f.detail["shared_words"])


def test_template_reply_is_not_personalised_and_no_customer_text_is_undetermined() -> None:
    template = "@1 We're sorry to hear this. Please DM us more details so we can help further."
    assert verdict("personalisation", template, "My Galaxy S9 screen keeps flickering") is False
    assert verdict("personalisation", template, "") is None


MISMATCH_CASES = [
    # (customer_language, reply_language, reply, customer_text, expected)
    ("es", "en", "@1 We offer support in English only. Please visit our site.", "Hola, necesito ayuda con mi cuenta", True),
    ("es", "es", "@1 Hola, ¿en qué podemos ayudarte?", "Hola, necesito ayuda con mi cuenta", False),
    ("und", "en", "@1 How can we help today?", "ok", None),
    ("es", "und", "@1 Thanks!", "Hola, necesito ayuda con mi cuenta", None),
    # The reply adds a translation into the customer's language: not a mismatch.
    (
        "es",
        "en",
        "@1 We can only help in English here, sorry about that.\nSolo podemos ayudarte en inglés por aquí, disculpa las molestias.",
        "Hola, necesito ayuda con mi cuenta bancaria por favor",
        False,
    ),
    # The customer wrote English elsewhere in the thread: the English reply is in a language they used.
    (
        "es",
        "en",
        "@1 Let's check your settings first, which version are you running?",
        "I need help with the update please, my phone is slow\nTodavía no funciona nada, qué hago ahora",
        False,
    ),
]


@pytest.mark.parametrize(("customer_lang", "reply_lang", "reply", "customer", "expected"), MISMATCH_CASES)
def test_language_mismatch(customer_lang: str, reply_lang: str, reply: str, customer: str, expected: bool | None) -> None:
    ctx = ReplyContext("r", reply, customer_text=customer, customer_language=customer_lang, reply_language=reply_lang)
    f = CHECKS["language_mismatch"].run(ctx)
    assert f.verdict is expected
    if expected:
        assert f.evidence and reply[f.evidence[0].start : f.evidence[0].end] == f.evidence[0].text
        assert f.detail == {"customer_language": customer_lang, "reply_language": reply_lang}


def test_what_should_have_happened_is_not_blame() -> None:
    # "debió llegarte" (it should have reached you) blames no one; "debiste" (you should have) does.
    assert verdict("blame", "@1 Lamentamos la situación, la notificación debió llegarte por correo.") is False
    assert verdict("blame", "@1 Debiste reportarlo en cuanto lo notaste.") is True


def test_lowering_keeps_the_token_class_of_every_character() -> None:
    """Personalisation finds its tokens in the lower-cased reply: right only if lowering a character to one
    character never changes whether it is a word character, a digit, a letter or one of the token's marks."""
    import re
    import sys

    classes = [re.compile(p) for p in (r"\w", r"\d", r"[^\W\d_]", r"[@#/'’-]")]
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        low = ch.lower()
        if low != ch and len(low) == 1:
            assert [bool(c.match(ch)) for c in classes] == [bool(c.match(low)) for c in classes], hex(cp)


def _shared_by_token(masked: str, customer: frozenset[str]) -> list[tuple[int, int]]:
    """Personalisation's definition: each token lower-cased alone, skipped words left out, stems compared."""
    from qa.checks.tone import WORD, _skip_words, _stem

    skip = _skip_words()
    found = []
    for m in WORD.finditer(masked):
        word = m[0].lower()
        if word in skip or (word.isdigit() and len(word) < 2):
            continue
        if _stem(word) in customer:
            found.append(m.span())
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Delayed", "DELAYS", "the", "Thanks", "5", "٣", "BA198", "İstanbul", "ΟΔΟΣ",
                                 "ΣΑΣ.Β", "Straße", "ǅemal", "K", "o'clock", "x-ray", "@Order", "#tag", "a/b",
                                 " ", "  ", ".", "\n", "’", "-", "ﬁle"]), max_size=14).map("".join),
       st.lists(st.sampled_from(["delay", "the", "5", "٣", "ba198", "istan", "i̇stan", "οδος", "οδοσ", "σασ",
                                 "ςας", "β", "stra", "straß", "ǆemal", "k", "o'clo", "x-ray", "order", "file"]),
                max_size=6).map(frozenset))
def test_personalisation_words_are_those_of_lowering_each_token(text: str, customer: frozenset[str]) -> None:
    """The lower-cased pass (each word's stem looked up once) finds the spans lowering each token alone finds,
    also where lowering changes the length (İ) or depends on the neighbours (Σ), and the customer's stems are
    each word's :func:`_stem`."""
    from qa.checks.tone import WORD, _customer_stems, _shared, _stem

    assert _shared(text, customer) == _shared_by_token(text, customer)
    assert _customer_stems(text) == frozenset(_stem(w) for w in WORD.findall(text.lower()))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["ab", "a", "B", "1", "22", "_", "é", "٣", "Σ", "-", "'", "’", "@", "#", "/",
                                 ".", " ", "\n", "x9", "_1"]), max_size=16).map("".join))
def test_fast_word_pattern_finds_the_words_of_the_definition(text: str) -> None:
    """The word pattern written to start with a word character finds the spans of the plain definition."""
    from qa.checks.tone import WORD, _TOKEN

    assert [m.span() for m in _TOKEN.finditer(text)] == [m.span() for m in WORD.finditer(text)]


def test_personalisation_does_not_count_no_yes_on_as_taking_up_the_customers_words() -> None:
    """no/yes/on are stopwords; YAML once read them as booleans, so they counted as the customer's own words."""
    reply = "@1 We're sorry! No, we have no outage on our side, yes we checked."
    assert verdict("personalisation", reply, "No signal on my phone, yes again") is False
