"""Per-pattern prefilters: running only the patterns whose literals a reply holds finds exactly what the whole
group finds, in the same order, whatever the language narrowing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.checks.phrases import Group, phrasebook
from qa.checks.prefilter import Scanner as _Scanner

# Made-up replies touching many groups at once (overlapping literals: "cannot"/"can", "call"/"all").
REPLIES = [
    "@1 Sorry, we cannot access accounts here. Please call us at 1-800-555-0101, Mon-Fri 9-5, option 2.",
    "@2 We'll send you a replacement and a $10 credit has been applied. DM us your order number.",
    "@3 Lamentamos lo ocurrido, por este medio no podemos ver tu cuenta; llámanos al 55 5555 0000.",
    "@4 Thanks for the DM! We've followed up via DM, check your inbox.",
    "@5 Can you reach out to the seller? We can't see third-party orders from Twitter.",
    "@6 Your next burrito is on us! We'll hook you up, just send us a private message.",
    "@7 Fill out the form here https://example.com/contact and we'll call you back.",
    "@8 Te enviamos un mensaje directo, ¿nos compartes tu número de cliente por DM?",
    "",
    "ok",
]


def _all_spans(group: Group, text: str, lang: str | None) -> list[tuple[int, int]]:
    return [m.span() for m in group.finditer(text, lang)]


def _reference(group: Group, text: str, lang: str | None) -> list[tuple[int, int]]:
    """The same group compiled whole, no prefilter, narrowed to ``lang`` the way Group narrows."""
    langs = set(group._langs)
    keep = [p for p, lg in zip(group._patterns, group._langs) if not lang or lang not in langs or lg == lang]
    if not keep:
        return []
    by_lang = {"xx": keep}
    whole = Group(group.name, by_lang)
    whole._always = frozenset(range(len(keep)))  # every pattern always runs: no prefilter at all
    return [m.span() for m in whole.finditer(text)]


@pytest.mark.parametrize("lang", [None, "en", "es"])
@pytest.mark.parametrize("text", REPLIES)
def test_prefiltered_groups_match_like_whole_groups(text: str, lang: str | None) -> None:
    for path, group in phrasebook().patterns.items():
        assert _all_spans(group, text, lang) == _reference(group, text, lang), path


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(REPLIES[:8]), min_size=1, max_size=3), st.text(max_size=20))
def test_prefilter_on_mixed_texts(parts: list[str], noise: str) -> None:
    text = noise.join(parts)
    for group in phrasebook().patterns.values():
        assert _all_spans(group, text, None) == _reference(group, text, None)


def test_scanner_reports_literals_inside_and_overlapping_others() -> None:
    scanner = _Scanner()
    scanner.add(1, 0, frozenset({"cannot"}))
    scanner.add(1, 1, frozenset({"can"}))
    scanner.add(1, 2, frozenset({"not"}))
    scanner.add(2, 0, frozenset({"all"}))
    scanner.add(2, 1, frozenset({"call"}))
    assert scanner.active("we cannot call") == {1: {0, 1, 2}, 2: {0, 1}}
    assert scanner.active("nothing") == {1: {2}}
    assert scanner.active("") == {}


def test_clean_still_drops_bare_domains_handles_and_entities() -> None:
    from qa.language import clean

    assert clean("@9 Please see example.com/help &amp; our tips #care") == "Please see our tips"
    assert clean("Nothing   to\n strip here") == "Nothing to strip here"


def test_detect_is_cached_by_text_and_answers_alike() -> None:
    from qa.language import _detect_cached, detect

    text = "Thanks for waiting, your parcel should arrive with the courier tomorrow morning."
    first = detect(text)
    hits = _detect_cached.cache_info().hits
    assert detect(text) == first == "en"
    assert _detect_cached.cache_info().hits == hits + 1


def test_personalisation_stems_numbers_whole_and_words_by_prefix() -> None:
    from qa.checks.tone import _stem

    assert _stem("delayed") == _stem("delays") == "delay"
    assert _stem("BA198") == "BA198"
    assert _stem("o'clock") == "o'clo"
