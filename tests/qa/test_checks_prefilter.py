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


_UNGATED: dict[tuple[int, str | None], Group | None] = {}


def _reference(group: Group, text: str, lang: str | None) -> list[tuple[int, int]]:
    """The same group compiled whole, no prefilter, narrowed to ``lang`` the way Group narrows."""
    key = (id(group), lang)
    if key not in _UNGATED:
        langs = set(group._langs)
        keep = [p for p, lg in zip(group._patterns, group._langs) if not lang or lang not in langs or lg == lang]
        ungated = _Scanner()
        ungated.gated = False  # every pattern always runs: no prefilter at all
        _UNGATED[key] = Group(group.name, {"xx": keep}, ungated) if keep else None
    whole = _UNGATED[key]
    return [m.span() for m in whole.finditer(text)] if whole is not None else []


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


def _active(scanner: _Scanner, text: str, piece: bool = False) -> dict[int, list[int]]:
    """Active pattern indices of every group (1 to 2) holding one."""
    found = {g: list(scanner.active(text, g, piece)) for g in {g for g, _ in scanner._where}}
    return {g: v for g, v in found.items() if v}


def test_scanner_reports_literals_inside_and_overlapping_others() -> None:
    scanner = _Scanner()
    scanner.add(1, 0, (frozenset({"cannot"}),))
    scanner.add(1, 1, (frozenset({"can"}),))
    scanner.add(1, 2, (frozenset({"not"}),))
    scanner.add(2, 0, (frozenset({"all"}),))
    scanner.add(2, 1, (frozenset({"call"}),))
    assert _active(scanner, "we cannot call") == {1: [0, 1, 2], 2: [0, 1]}
    assert _active(scanner, "nothing") == {1: [2]}
    assert _active(scanner, "") == {}


def test_scanner_runs_a_pattern_only_when_every_clause_holds() -> None:
    scanner = _Scanner()
    scanner.add(1, 0, (frozenset({"refund"}), frozenset({"we", "us"})))
    scanner.add(1, 1, ())  # nothing required: always runs
    assert _active(scanner, "a refund policy") == {1: [1]}
    assert _active(scanner, "we refund it") == {1: [0, 1]}
    scanner.gated = False
    assert _active(scanner, "nothing at all") == {1: [0, 1]}


def test_required_clauses_are_conjunctions_of_alternatives() -> None:
    from qa.checks.clauses import required_clauses

    clauses = required_clauses(r"(?:we|our team)\s+(?:can't|cannot)\s+(?:access|see)(?=\w+ here)")
    # "we" is in most replies: a clause holding it filters nothing and is left out.
    assert set(clauses) == {frozenset({" here"}), frozenset({"\\bcan't\\b", "\\bcannot\\b"}),
                            frozenset({"\\baccess", "\\bsee"})}
    assert clauses[0] == frozenset({"\\bcan't\\b", "\\bcannot\\b"})  # whole words: the most selective first
    assert required_clauses(r"\b(?:we|I)\s+can't") == (frozenset({"\\bcan't"}),)  # "I" is too short to gate
    assert required_clauses(r"\d+\s*%") == ()
    assert required_clauses(r"(?!refund)\w+") == ()  # a negative lookahead requires nothing


def test_whole_word_literals_are_found_at_word_boundaries_only() -> None:
    """``\\bdm`` is in "dm me" and "(DM)" but not in "admin"; a piece of a reply is gated by its own edges
    (the words before a number may start inside a word of the reply: "dm" cut from "admin")."""
    from qa.checks.clauses import required_clauses

    assert required_clauses(r"(?<![@\w])DMs?\b") == (frozenset({"\\bdm"}),)
    assert required_clauses(r"\b(?:dm|md)\b") == (frozenset({"\\bdm\\b", "\\bmd\\b"}),)
    assert required_clauses(r"\b(?:no|nunca)\b") == ()  # "no" is in most Spanish replies: nothing to gate on
    scanner = _Scanner()
    scanner.add(1, 0, required_clauses(r"(?<![@\w])DMs?\b"))
    assert _active(scanner, "please (DM) us") == _active(scanner, "dm") == {1: [0]}
    assert _active(scanner, "an admin will help") == {}
    assert _active(scanner, "an admin will help", piece=True) == {}
    assert _active(scanner, "an admin will help"[4:], piece=True) == {1: [0]}


def test_whole_word_marks_look_past_lookarounds_and_optional_words() -> None:
    """A literal is whole-word on a side when a non-word character is there however the pattern matches: after
    lookbehinds (which consume nothing), after an optional word that ends in a space; not when an optional part
    may leave a word character next to it. Two characters of a script without spaces are a word that gates."""
    from qa.checks.clauses import required_clauses

    assert required_clauses(r"(?<![@\w])(?<!\d\s)(?-i:PMs?)\b") == (frozenset({"\\bpm"}),)
    assert required_clauses(r"\bvia\s+(?:the\s+|a\s+)?DMs?") == (frozenset({"\\bvia\\b"}), frozenset({"\\bdm"}))
    assert required_clauses(r"\bvia\s+(?:the|a)?DMs?") == (frozenset({"\\bvia\\b"}), frozenset({"dm"}))  # "theDM"
    assert set(required_clauses(r"(?:返品|交換)(?:を|の)手続")) == {frozenset({"返品", "交換"}), frozenset({"を手続", "の手続"})}
    assert required_clauses(r"(?:DM|ＤＭ)(?:で|へ)") == (frozenset({"dm", "ｄｍ"}),)  # "dm": few words hold it
    assert required_clauses(r"(?:re|on)(?:で|へ)") == ()  # two Latin letters: in most replies
    scanner = _Scanner()
    scanner.add(1, 0, required_clauses(r"\bvia\s+(?:the\s+)?DMs?"))
    assert _active(scanner, "via the DM") == _active(scanner, "via DM") == {1: [0]}
    assert _active(scanner, "via theDM") == {}


def test_an_unmasked_copy_shares_the_reply_scan_only_when_that_gates_it() -> None:
    """Blanking a link or mask cut off by non-word characters adds no literal: the copy may use the reply's scan.
    Blanking one glued to a word ("__email__dm") makes a word edge the reply lacks: the copy is scanned itself."""
    from qa.checks import entities
    from qa.checks.clauses import required_clauses

    scanner = _Scanner()
    scanner.add(1, 0, required_clauses(r"(?<![@\w])DMs?\b"))
    scanner.add(2, 0, required_clauses(r"\border\b"))
    for text, shared in [("@brand order via https://x.co/dm?q=1 ok", True), ("see __email__dm now", False),
                         ("@a dm", True), ("order:__email__ x", True), ("x __email__order", False)]:
        blanked = entities._MASK.sub(lambda m: " " * len(m.group(0)), text)
        assert scanner.scan(text) is not None
        scanner.share(blanked, text, [m.span() for m in entities._MASK.finditer(text)])
        assert (scanner._recent.get(blanked) is scanner._recent[text]) == shared, text
        fresh = _Scanner()
        fresh._where, fresh._clauses = scanner._where, scanner._clauses
        own, used = _active(fresh, blanked), _active(scanner, blanked)
        assert all(set(v) <= set(used.get(g, [])) for g, v in own.items()), text  # never fewer than its own scan


def test_a_pattern_of_alternatives_is_searched_as_its_alternatives() -> None:
    """``a|b`` in a group is the patterns ``a`` and ``b``: each gated and searched alone, the same matches."""
    import re

    from qa.checks.matching import alternatives

    assert alternatives(r"\bsorry\b|\bwe hear you\b(?:\s|$)") == [r"\bsorry\b", r"\bwe hear you\b(?:\s|$)"]
    assert alternatives(r"[|(]x|y\|z|(a|b)") == [r"[|(]x", r"y\|z", r"(a|b)"]
    assert alternatives(r"[]|)]|q") == [r"[]|)]", "q"]
    for whole in (r"(a)|\1", r"(?i)a|b", r"a||b", r"x(?:a|b)"):  # a back-reference, a global flag, an empty one
        assert alternatives(whole) == [whole]
    pattern = r"\bthat must be\b|\bsorry\b|\b(?:so|very) sorry\b|\bsorry(?: about)?"
    group = Group("t", {"en": [pattern]})
    assert len(group._patterns) == 4
    for text in REPLIES + ["So sorry about that must be sorry", "that must be so sorry, very sorry about it"]:
        expected = [m.span() for m in re.finditer(pattern, text, re.IGNORECASE | re.MULTILINE)]
        assert _all_spans(group, text, None) == expected, text


def test_patterns_searched_as_one_alternation_match_as_one_by_one(monkeypatch) -> None:
    """Several patterns of a group that can match are run as one compiled alternation: the same matches, in
    the same order, as searching them one by one and merging (``_alternate``), for every group (each set
    joined at its first search here)."""
    from qa.checks import matching
    from qa.checks.matching import _alternate, _Compiled, _first

    monkeypatch.setattr(matching, "JOIN_AT", 1)

    texts = REPLIES + [" ".join(REPLIES), "DM us. Call us. Email us. Visit a store. Sorry! " * 3]
    joined = 0
    for group in phrasebook().patterns.values():
        every = list(range(len(group._patterns)))
        for text in texts:
            lower = text.lower()
            runs = group.runs(every, text, lower, None)
            one_by_one = [_Compiled(p).on(text, lower) for p in group._patterns]
            joined += len(runs) < len(one_by_one)
            assert [m.span() for m in _alternate(runs)] == [m.span() for m in _alternate(one_by_one)], group.name
            first, reference = _first(runs), _first(one_by_one)
            assert (first and first.span()) == (reference and reference.span()), group.name
    assert joined > 100  # most groups were searched joined


def test_a_set_is_searched_one_by_one_until_its_join_at_th_search() -> None:
    """A set of patterns is compiled as one alternation only at its ``JOIN_AT``-th search (a join costs
    milliseconds to compile): the searches before run the patterns one by one; both give the group's matches."""
    from qa.checks.matching import JOIN_AT, _alternate
    from qa.checks.phrases import load

    assert JOIN_AT > 1
    group = load().get("not_our_team")  # a fresh phrasebook: no set met yet
    assert group is not None
    every = tuple(range(len(group._patterns)))
    text = "Sorry, we cannot access accounts here; we're just the social media team. " * 2
    lower = text.lower()
    before = [group.runs(every, text, lower, None) for _ in range(JOIN_AT - 1)]
    first, again = before[-1], group.runs(every, text, lower, None)
    assert all(len(runs) == len(every) > 1 for runs in before)  # one by one,
    assert len(again) == 1  # then the joined alternation
    whole = [m.span() for m in group.pattern.finditer(text)]
    assert whole
    assert [m.span() for m in _alternate(first)] == [m.span() for m in again[0][0].finditer(again[0][1])] == whole


def test_first_characters_of_a_pattern() -> None:
    """What every match starts with, looking past anchors, lookarounds and optional parts; unknown (None) for a
    class by category, a pattern that can match empty, or letters matched in either case."""
    from qa.checks.clauses import first_chars

    assert first_chars(r"\b(?:so\s+|very\s+)?sorry\b") == frozenset("sv")
    assert first_chars(r"(?<![@\w])dms?\b") == frozenset("d")
    assert first_chars(r"\bl[íi]nea|\bcall") == frozenset("lc")
    assert first_chars(r"(?:ab)*c") == frozenset("ac")
    assert first_chars(r"(?:^|[.!?]|@\w+)\s*call") == frozenset([".", "!", "?", "@", "\\s", "c"])
    for unknown in (r"\w+", r"(?:ab)*", r"a?", r"[^a]b", r".x", r"(?i:a)b", r"(?i)ab"):
        assert first_chars(unknown) is None, unknown


def test_led_patterns_match_as_the_plain_ones() -> None:
    """Every phrase pattern led by the lookahead for its first characters finds the same matches as itself:
    case-folded on lower-cased text, and with ``IGNORECASE`` on the text as written."""
    import re

    from qa.checks.matching import _fold_pattern, led

    texts = REPLIES + [" ".join(REPLIES), "DM us. Call us. Email us. Sorry! Dial 1-800-FLOWERS\n\tnow. " * 3]
    led_count = 0
    for group in phrasebook().patterns.values():
        for p in group._patterns:
            both = [(p, re.IGNORECASE | re.MULTILINE, texts)]
            if "(?-i:" not in p:
                both.append((_fold_pattern(p), re.MULTILINE, [t.lower() for t in texts]))
            for pattern, flags, cases in both:
                fast, plain = re.compile(led([pattern], flags), flags), re.compile(pattern, flags)
                led_count += fast.pattern != pattern
                for text in cases:
                    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], p
    assert led_count > 600  # most patterns are led


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["@", "a", "_", "__", ".", "+", "-", "/", ":", " ", "h", "w", "1", "é", "http://",
                                 "https://", "www.", "__email__", "@Brand", "x@y.co", "\n"]), max_size=20).map("".join))
def test_unmasking_blanks_what_the_lookbehind_first_mask_would(text: str) -> None:
    """The mask is written with the @handle's lookbehind after its "@" (so that ``re`` skips to candidates):
    it must blank exactly what the plain form blanks, and ``unmasked`` keeps every offset."""
    import re

    from qa.checks import entities

    plain = re.compile(r"__\w+?__|https?://\S+|www\.\S+|(?<![\w.+\-])@\w+")
    expected = plain.sub(lambda m: " " * len(m.group(0)), text)
    assert entities.unmasked(text) == expected
    assert entities.unmasked(text + "") == expected  # asked again (remembered by identity)


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


@pytest.mark.parametrize("lang", [None, "es"])
def test_a_reading_finds_what_the_whole_groups_find(lang: str | None) -> None:
    """One scan per reply serves every group: the same spans as the ungated groups, and a group the reading
    says cannot match finds nothing."""
    book = phrasebook()
    for text in REPLIES:
        reading = book.read(text)
        for path, group in book.patterns.items():
            want = [s for s in _reference(group, text, lang) if s[1] > s[0]]
            assert reading.spans(group, lang) == want, (path, text)
            if not reading.can_match(group):
                assert _reference(group, text, None) == [], (path, text)


def test_pieces_cut_mid_word_are_gated_by_their_own_scan() -> None:
    """A piece of a reply (the words before a number) may start inside a word, where a whole-word literal of
    the piece is none of the reply's: searching it with ``within`` (gated by the piece's own scan) still finds
    what the ungated group finds."""
    book = phrasebook()
    glued = ["zz adm us your order number", "zz recall us on 1-800-555-0101", "zz xcannot access accounts here",
             "zz leveraged a refund for you", "zz xdm me, llámanos al 55 5555 0000"]  # words cut mid-word below
    pieces = [(text[cut : cut + 40], text) for text in REPLIES[:8] for cut in range(0, len(text), 7)]
    pieces += [(text[cut:], text) for text in glued for cut in range(3, 8)]
    for piece, text in pieces:
        for path, group in book.patterns.items():
            got = [m.span() for m in group.finditer(piece, None, text)]
            assert got == _reference(group, piece, None), (path, piece)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60) | st.text(st.characters(max_codepoint=0x2FF), max_size=60)
       | st.text(st.characters(max_codepoint=0xFF), max_size=60))
def test_scanned_text_maps_every_character_as_the_table_does(text: str) -> None:
    """The scanned form of a text (UTF-8 bytes mapped, then the other non-word characters by a regex) is the
    one the character table gives, for any text: accents, digits of other scripts, marks, emoji."""
    from qa.checks.prefilter import _scanned, _scanned_by_table

    for t in (text, text.lower(), text + "\ud800 ¡x¿ ½ ٣ İ\u0301 😀\u00a0"):
        assert _scanned(t) == _scanned_by_table(t)


def test_can_match_answers_as_asking_each_group() -> None:
    """``can_match`` rules groups out by their patterns' first clauses at once: the same answer as asking each
    group, for single groups and sets of them, also with a pattern that needs no literal (it always runs) and
    on a text holding no literal at all."""
    from qa.checks.matching import Reading

    scanner = _Scanner()
    refund = Group("refund", {"en": [r"\brefund(?:ed)?\b", r"\bmoney back"]}, scanner)
    percent = Group("percent", {"en": [r"\d+\s*%"]}, scanner)  # no literal: always runs
    assert not Reading(scanner, "hello").can_match(refund)
    assert Reading(scanner, "hello").can_match(refund, percent) and Reading(scanner, "").can_match(percent)
    assert Reading(scanner, "we refunded it").can_match(None, refund)
    book = phrasebook()
    groups = list(book.patterns.values())
    sets = [(g,) for g in groups] + [tuple(groups[i::7]) for i in range(7)] + [(None, groups[0]), ()]
    for text in REPLIES + [" ".join(REPLIES), "DM us. Call us. Email us. Visit a store. Sorry!"]:
        reading = book.read(text)
        for some in sets:
            assert reading.can_match(*some) == any(reading.active(g) for g in some), (text, some)
