"""Running a group of phrase patterns on a reply: case-folded, gated by the prefilter, merged in order.

A :class:`Group` holds one group's patterns from every language file. A :class:`Reading` is one text as the
checks read it: lower-cased once and scanned once (:mod:`qa.checks.prefilter`), so that each group a check
asks about runs only the patterns whose words the text holds, and a group none of whose patterns can match
costs a dictionary lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from qa.checks.clauses import first_chars, required_clauses
from qa.checks.prefilter import Gate, Scanner
from qa.memo import Memo

__all__ = ["Group", "Reading", "alternation", "alternatives", "led"]

_FLAGS = re.IGNORECASE | re.MULTILINE


def _fold_pattern(pattern: str) -> str:
    """Lower-case the literal characters of ``pattern``, leaving escapes (``\\S``, ``\\W``) as they are."""
    out, escaped = [], False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out)


_UNSPLITTABLE = re.compile(r"\\[1-9]|\(\?P=|^\(\?[aiLmsux]+\)")  # a back-reference, a global flag


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (``a|b(c|d)`` gives ``a`` and ``b(c|d)``), or ``[pattern]``.

    A group is the alternation of its patterns, so a pattern ``a|b`` in it is the patterns ``a`` and ``b``, one
    after the other: the same matches, in the same order. Apart, each is gated by its own words and searched
    alone: "sorry" no longer runs "I can only imagine|we hear you|that must be" because "must" is in the reply.
    A pattern with a back-reference or a global inline flag is left whole."""
    if "|" not in pattern or _UNSPLITTABLE.search(pattern):
        return [pattern]
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1 + (pattern[i + 1 : i + 2] == "^")
            i += pattern[i : i + 1] == "]"  # a "]" first in a class is a member
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts if all(parts) else [pattern]


_UNJOINED = re.compile("")  # marks a set of patterns not joined yet
JOINS_KEPT = 512  # joined sets of patterns kept per group
# A set of patterns is joined (compiled as one alternation: 3-8 ms) at its JOIN_AT-th search. Searched one by one
# it costs 6-10 µs more a search, so a join repays itself after several hundred searches: on the 45,000 replies of
# a generated file 1,053 sets are met, 755 twice or more, 117 a hundred times or more (86% of the searches).
# Modelled on those counts, joining at the 2nd search costs 2.3-4.5 s, at the 32nd 0.7-1.4 s, at the 256th 0.4-0.75 s
JOIN_AT = 256


def alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def led(patterns: list[str], flags: int = re.MULTILINE) -> str:
    """The alternation of ``patterns`` (to compile with ``flags``) led by a lookahead for what their matches start
    with, when known (:func:`~qa.checks.clauses.first_chars`): most start with ``\\b`` or an optional word, so
    ``re`` tries them at every position; the lookahead fails at once at most. The same matches, sooner."""
    firsts: set[str] = set()
    for p in patterns:
        found = first_chars(p, flags)
        if found is None:
            return patterns[0] if len(patterns) == 1 else alternation(patterns)
        firsts |= found
    lead = "".join(sorted(re.escape(c) if len(c) == 1 else c for c in firsts))
    return f"(?=[{lead}])(?:{alternation(patterns)})"


class _Compiled:
    """One pattern, compiled case-folded for lower-cased text (about three times faster in Python's ``re``
    than ``IGNORECASE``), and with ``IGNORECASE`` for the rare text whose length ``lower()`` changes (compiled
    on first need); a pattern with a case-sensitive part (``(?-i:CAT)``) runs on the original text only."""

    __slots__ = ("fold", "_fold_i", "exact", "_pattern")

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern
        self.exact = re.compile(led([pattern], _FLAGS), _FLAGS) if "(?-i:" in pattern else None
        self.fold = None if self.exact else re.compile(led([_fold_pattern(pattern)]), re.MULTILINE)
        self._fold_i: re.Pattern[str] | None = None

    def on(self, text: str, lower: str) -> tuple[re.Pattern[str], str]:
        if self.exact is not None:
            return self.exact, text
        if len(lower) == len(text):
            return self.fold, lower  # type: ignore[return-value]
        if self._fold_i is None:
            self._fold_i = re.compile(led([self._pattern], _FLAGS), _FLAGS)
        return self._fold_i, text


def _alternate(runs: list[tuple[re.Pattern[str], str]]) -> Iterator[re.Match[str]]:
    """The matches ``a|b|c`` would give, from the patterns run one by one: leftmost first, the earlier pattern
    on a tie, the scan resuming after each match. Each pattern's next match is remembered while it still lies
    ahead, so a pattern is searched about once per match it makes, not once per position."""
    heads = []
    for index, (rx, hay) in enumerate(runs):
        m = rx.search(hay)
        if m is not None:
            heads.append((m.start(), index, m))
    pos = 0
    while heads:
        _, _, best = min(heads)  # by start, then pattern: (start, index) is unique, so a match is never compared
        yield best
        pos = best.end() if best.end() > best.start() else best.end() + 1
        moved = []
        for start, index, m in heads:
            if start < pos:
                rx, hay = runs[index]
                m = rx.search(hay, pos) if pos <= len(hay) else None
                if m is None:
                    continue
                start = m.start()
            moved.append((start, index, m))
        heads = moved


# ``text.lower()`` of the last few texts: every group a reply's checks search lower-cases it
_lower = Memo(str.lower, 32).__getitem__


class Group:
    """One group's patterns, per language and all together, each pattern gated by its own clauses.

    Matching runs on the lower-cased reply with case-folded patterns, about three times faster in Python's
    ``re`` than ``IGNORECASE``; the few patterns with a case-sensitive part (``(?-i:CAT)``) run on the original
    text. Match offsets are the same in both, since we only fold texts whose length ``lower()`` keeps. Only
    the patterns whose clauses the reply holds run (:mod:`qa.checks.prefilter`), each compiled once, their
    matches merged as the alternation of the group would give them (:func:`_alternate`): a pattern without
    its literals cannot match, so the result is the same as running all of them, in the same order.

    ``lang`` narrows a search to one language's patterns (the reply's, when it was told with confidence):
    half the work for a bilingual phrasebook. ``None``, or a language without patterns for this group,
    searches all of them. ``within``: the whole reply when ``text`` is a piece of it (the words before a
    number): the piece is then gated by its own scan, remembered apart from the replies' (see
    :class:`~qa.checks.prefilter.Scanner`).
    """

    __slots__ = ("name", "id", "_whole", "_patterns", "_langs", "_scanner", "_compiled", "_by_lang", "_joins",
                 "_plans", "_sighted")

    def __init__(self, name: str, by_lang: dict[str, list[str]], scanner: Scanner | None = None) -> None:
        """``scanner``: shared by the groups of one phrasebook, so that a reply is scanned once for all."""
        self.name = name
        self._scanner = scanner = scanner or Scanner()
        by_lang = {lang: [part for p in ps for part in alternatives(p)] for lang, ps in by_lang.items()}
        self._patterns = [p for ps in by_lang.values() for p in ps]
        self._langs = [lang for lang, ps in by_lang.items() for _ in ps]
        self._by_lang = {lang: frozenset(i for i, lg in enumerate(self._langs) if lg == lang) for lang in by_lang}
        self._whole: re.Pattern[str] | None = None
        self.id = scanner.groups = scanner.groups + 1  # this group's number in its phrasebook's scanner
        for index, p in enumerate(self._patterns):
            scanner.add(self.id, index, required_clauses(p))
        self._compiled: dict[int, _Compiled] = {}
        self._joins: dict[tuple[int, ...], re.Pattern[str] | None] = {}
        self._plans: dict[tuple[tuple[int, ...], str | None], tuple[re.Pattern[str] | None, tuple[int, ...]]] = {}
        self._sighted: dict[tuple[int, ...], int] = {}  # searches of the sets not joined yet (see :meth:`_plan`)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole group as one ``IGNORECASE`` alternation: the reference the fast path must agree with."""
        if self._whole is None:
            self._whole = re.compile(alternation(self._patterns), _FLAGS)
        return self._whole

    def runs(self, active: Sequence[int], text: str, lower: str, lang: str | None) -> list[tuple[re.Pattern[str], str]]:
        """(compiled pattern, text to run it on) for the ``active`` patterns of ``lang`` (see the class)."""
        if type(active) is not tuple:
            active = tuple(active)  # the scanner's sets are tuples already; a caller may pass a list
        plan = self._plans.get((active, lang))
        if plan is None:
            plan = self._plan(active, lang)
        joined, mine = plan
        if joined is not None and len(lower) == len(text):
            return [(joined, lower)]
        runs = []
        compiled = self._compiled
        for i in mine:
            c = compiled.get(i)
            if c is None:
                c = compiled[i] = _Compiled(self._patterns[i])
            runs.append(c.on(text, lower))
        return runs

    def _plan(self, active: tuple[int, ...], lang: str | None) -> tuple[re.Pattern[str] | None, tuple[int, ...]]:
        """The patterns of ``active`` that ``lang`` searches, and their joined alternation when there are
        several (None: search them one by one), remembered per (``active``, ``lang``): a group meets the same
        few sets all day, so a search costs one lookup instead of narrowing and joining again."""
        mine = active
        if lang and lang in self._by_lang:
            own = self._by_lang[lang]
            mine = tuple(i for i in active if i in own)
        joined = None
        if len(mine) > 1:
            joined = self._joins.get(mine, _UNJOINED)
            if joined is _UNJOINED:
                seen = self._sighted.get(mine, 0) + 1
                if seen < JOIN_AT:
                    # searched one by one, the plan not kept, until its JOIN_AT-th search (see JOIN_AT): a big group's
                    # join takes milliseconds to compile, and it meets many sets only a few times in a file
                    if len(self._sighted) >= JOINS_KEPT:
                        self._sighted.clear()
                    self._sighted[mine] = seen
                    return None, mine
                self._sighted.pop(mine, None)
                joined = self._join(mine)
        if len(self._plans) >= JOINS_KEPT:
            self._plans.clear()  # as the joins: a pathological stream of new sets starts over
        plan = self._plans[(active, lang)] = (joined, mine)
        return plan

    def _join(self, active: tuple[int, ...]) -> re.Pattern[str] | None:
        """The ``active`` patterns as one case-folded alternation, compiled once per set (a few hundred sets
        recur): one pass of ``re`` over the text instead of one per pattern and their merging in Python
        (:func:`_alternate`), the same matches. None (search them one by one) when a pattern has a
        case-sensitive part or a back-reference, or the alternation does not compile (a group name twice)."""
        patterns = [self._patterns[i] for i in active]
        joined: re.Pattern[str] | None = None
        if not any("(?-i:" in p or _UNSPLITTABLE.search(p) for p in patterns):
            try:
                joined = re.compile(led([_fold_pattern(p) for p in patterns]), re.MULTILINE)
            except re.error:
                joined = None
        if len(self._joins) >= JOINS_KEPT:
            self._joins.clear()  # a pathological stream of new sets: start over rather than grow
        self._joins[active] = joined
        return joined

    def _runs(self, text: str, lang: str | None, within: str | None) -> list[tuple[re.Pattern[str], str]]:
        active = self._scanner.active(text, self.id, within is not None)
        return self.runs(active, text, _lower(text), lang) if active else []

    def finditer(self, text: str, lang: str | None = None, within: str | None = None) -> Iterator[re.Match[str]]:
        """Matches in text order (offsets index ``text``; the matched string may be lower-cased)."""
        return _matches(self._runs(text, lang, within))

    def search(self, text: str, lang: str | None = None, within: str | None = None) -> re.Match[str] | None:
        """The leftmost match (the earlier pattern on a tie), as the group's alternation would find it."""
        return _first(self._runs(text, lang, within))


def _matches(runs: list[tuple[re.Pattern[str], str]]) -> Iterator[re.Match[str]]:
    if not runs:
        return iter(())
    if len(runs) == 1:
        return runs[0][0].finditer(runs[0][1])
    return _alternate(runs)


def _first(runs: list[tuple[re.Pattern[str], str]]) -> re.Match[str] | None:
    best = None
    for rx, t in runs:
        m = rx.search(t)
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best




class Reading:
    """One text as the checks read it: lower-cased once and scanned once, then searched group by group.

    A check asks ``reading.spans(group, lang)`` for each of its groups; a group none of whose patterns the
    text's words allow costs one dictionary lookup, and ``can_match`` answers without searching at all (a
    check none of whose groups can match has its verdict at once).
    """

    __slots__ = ("text", "lower", "_gate", "_scanner", "_sat", "_bits")

    def __init__(self, scanner: Scanner, text: str) -> None:
        self.text = text
        self.lower = _lower(text)
        self._scanner = scanner
        self._gate: Gate = scanner.scan(text, lower=self.lower)
        self._sat = self._gate.sat
        self._bits = scanner.bits

    def active(self, group: Group | None) -> Sequence[int]:
        """Indices of ``group``'s patterns that can match this text (none for an undefined group)."""
        if group is None:
            return ()
        if self._sat is None:
            return self._scanner.patterns(self._gate, group.id)
        # Scanner.patterns, inlined: a check asks about a reply's groups two dozen times
        lo, mask, _, known = self._bits[group.id]
        share = self._sat >> lo & mask
        found = known.get(share)
        return found if found is not None else self._scanner.learn(group.id, share)

    def can_match(self, *groups: Group | None) -> bool:
        """Whether a pattern of any of ``groups`` can match this text: at once no when the scan holds no first
        clause of any of their patterns (most replies, for most checks), else asked group by group."""
        if self._sat is not None:
            union = self._scanner.union(groups)
            if union is not None and not self._sat & union:
                return False
        return any(self.active(g) for g in groups)

    def finditer(self, group: Group | None, lang: str | None = None) -> Iterator[re.Match[str]]:
        active = self.active(group)
        return _matches(group.runs(active, self.text, self.lower, lang)) if active else iter(())  # type: ignore[union-attr]

    def search(self, group: Group | None, lang: str | None = None) -> re.Match[str] | None:
        active = self.active(group)
        return _first(group.runs(active, self.text, self.lower, lang)) if active else None  # type: ignore[union-attr]

    def spans(self, group: Group | None, lang: str | None = None) -> list[tuple[int, int]]:
        """Non-empty match spans of ``group`` in this text, in text order."""
        active = self.active(group)
        if not active:
            return []
        spans = [m.span() for m in _matches(group.runs(active, self.text, self.lower, lang))]  # type: ignore[union-attr]
        return [s for s in spans if s[1] > s[0]]
