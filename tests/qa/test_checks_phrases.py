"""The phrase data: loaded once, a language added by a file, errors that name the file; and evidence invariants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.checks import CHECKS, ReplyContext, run_all
from qa.checks.phrases import PHRASES_DIR, PhraseError, load, phrasebook, required_literals


def test_packaged_phrasebook_has_english_and_spanish_and_is_cached() -> None:
    book = phrasebook()
    assert {"en", "es"} <= set(book.languages)
    assert phrasebook() is book
    for check in ("deflection", "dm_request", "compensation"):
        assert any(path[0] == check for path in book.patterns)


def _copy_packaged(dst: Path) -> None:
    for f in PHRASES_DIR.glob("*.yaml"):
        (dst / f.name).write_text(f.read_text("utf-8"), "utf-8")


def test_adding_a_language_is_adding_a_file(tmp_path: Path) -> None:
    _copy_packaged(tmp_path)
    text = "@1 Bitte schreiben Sie uns eine Direktnachricht mit Ihrer Bestellnummer."
    assert load(tmp_path).get("dm_request", "request").search(text) is None  # type: ignore[union-attr]
    (tmp_path / "de.yaml").write_text(
        "language: de\ndm_request:\n  request:\n    - '\\bDirektnachricht\\b'\n", "utf-8"
    )
    book = load(tmp_path)
    assert "de" in book.languages
    assert book.get("dm_request", "request").search(text) is not None  # type: ignore[union-attr]


def test_bad_pattern_is_reported_with_file_and_group(tmp_path: Path) -> None:
    _copy_packaged(tmp_path)
    (tmp_path / "xx.yaml").write_text("language: xx\ndeflection:\n  phone:\n    - '(unclosed'\n", "utf-8")
    with pytest.raises(PhraseError, match=r"xx\.yaml: group deflection\.phone"):
        load(tmp_path)


def test_unknown_macro_is_reported(tmp_path: Path) -> None:
    _copy_packaged(tmp_path)
    (tmp_path / "xx.yaml").write_text("language: xx\ndeflection:\n  phone:\n    - '%NOPE%'\n", "utf-8")
    with pytest.raises(PhraseError, match="unknown macro %NOPE%"):
        load(tmp_path)


def test_required_literals_of_simple_patterns() -> None:
    assert required_literals(r"\b(?:refund|credit)\s+you\b") == frozenset({"\\brefund\\b", "\\bcredit\\b"})
    assert required_literals(r"\bhook\s+you\s+up") == frozenset({"\\bhook\\b"})
    assert required_literals(r"\d+\s*%") is None  # nothing literal to require: always run


_WORDS = st.sampled_from(
    "we'll hook you up refund DM us call 0800 123 4567 store seller Lamentamos comunícate al CAT opción 3 "
    "sucursal sorry you should have free on us https://t.co/x @1 ^AB . , ! ? \n".split(" ")
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=25).map(" ".join))
def test_prefilter_never_hides_a_match(text: str) -> None:
    """Every group finds exactly what its plain compiled pattern finds: the fast path loses nothing."""
    for path, group in phrasebook().patterns.items():
        fast = sorted(m.span() for m in group.finditer(text))
        slow = sorted(m.span() for m in group.pattern.finditer(text))
        assert set(slow) <= set(fast), path


SAMPLES = [
    "@1 So sorry! Please DM us your order number, or call 0800 123 4567 (Mon-Fri 9-5). We'll hook you up.",
    "@1 Lamentamos la situación. Comunícate al 55 1234 5678, opción 3, de lunes a viernes.",
    "@1 We can't access accounts here on Twitter, please contact the seller: https://example.com/c",
    "",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_every_finding_has_truthful_evidence(text: str) -> None:
    ctx = ReplyContext("r", text, customer_text="order 12345678, call me on 0800 123 4567", customer_language="en",
                       reply_language="es")
    findings = run_all(ctx)
    assert set(findings) == set(CHECKS)
    for name, f in findings.items():
        assert f.check == name
        assert f.verdict in (True, False, None)
        for e in f.evidence:
            assert text[e.start : e.end] == e.text and e.text.strip() == e.text and e.text
        if f.verdict is False:
            assert f.evidence == ()


def test_checks_are_pure() -> None:
    ctx = ReplyContext("r", SAMPLES[0], customer_text="where is my order")
    assert run_all(ctx) == run_all(ctx)


def test_all_required_checks_are_registered() -> None:
    required = {"deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch",
                "empathy", "blame", "personalisation"}
    assert required <= set(CHECKS)
    assert all(re.fullmatch(r"[a-z_]+", name) for name in CHECKS)


def test_language_macros_are_local_ordered_and_override_shared(tmp_path: Path) -> None:
    (tmp_path / "_macros.yaml").write_text("URL: 'https?://\\S+'\nWORD: 'shared'\n", "utf-8")
    (tmp_path / "xx.yaml").write_text(
        "language: xx\n"
        "macros:\n"
        "  WORD: 'gadget'\n"  # overrides the shared WORD in this file only
        "  GIVE: '\\bwe\\s+send\\s+'\n"
        "  GIFT: '%GIVE%(?:you\\s+)?a\\s+%WORD%'\n"  # uses a macro defined above it
        "compensation:\n"
        "  free_item:\n"
        "    - '%GIFT%'\n",
        "utf-8",
    )
    (tmp_path / "yy.yaml").write_text("language: yy\nnot_our_team:\n  - '%WORD%'\n", "utf-8")
    book = load(tmp_path)
    assert book.get("compensation", "free_item").search("@1 we send you a gadget today") is not None  # type: ignore[union-attr]
    assert book.get("not_our_team").search("a shared thing") is not None  # type: ignore[union-attr]
    assert book.get("not_our_team").search("a gadget") is None  # type: ignore[union-attr]
    (tmp_path / "zz.yaml").write_text("language: zz\nblame:\n  - '%GIFT%'\n", "utf-8")  # xx's macro: not here
    with pytest.raises(PhraseError, match="unknown macro %GIFT%"):
        load(tmp_path)


def test_a_word_yaml_reads_as_a_boolean_is_refused_with_a_hint(tmp_path: Path) -> None:
    _copy_packaged(tmp_path)
    (tmp_path / "xx.yaml").write_text("language: xx\nstopwords: [le, no, la]\n", "utf-8")
    with pytest.raises(PhraseError, match=r"xx\.yaml: stopwords: False is not a word \(quote it"):
        load(tmp_path)
