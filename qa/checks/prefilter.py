"""Which patterns of a phrasebook can match a reply, found in one pass over it (a prefilter for speed).

Each pattern is gated by its clauses (:mod:`qa.checks.clauses`: sets of literals every match holds one of).
One Aho-Corasick pass over the lower-cased reply (``pyahocorasick``, in C) finds every literal of the
phrasebook; a pattern runs only when each of its clauses has a literal in the reply. A pattern cannot match a
text lacking one of its clauses, so the result is the same as running every pattern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import reduce
from operator import itemgetter, or_
from typing import Any

import ahocorasick

from qa.checks.clauses import Clauses, is_word
from qa.language import latin1_bytes
from qa.memo import Memo

__all__ = ["Scanner", "Gate", "gate_applies"]


# Characters that ``re.IGNORECASE`` matches to a letter that ``str.lower`` does not give (the long s, the
# Kelvin and Ångström signs, dotless and dotted i, final sigma...): a text holding one is searched ungated.
_SPECIAL_FOLD = re.compile("[\u017f\u212a\u212b\u0131\u0130\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u1e9b\ufb05\ufb06]")


def gate_applies(text: str, lower: str) -> bool:
    """Whether literals found in ``lower`` (``text.lower()``) decide which patterns can match ``text``."""
    return len(lower) == len(text) and (lower.isascii() or _SPECIAL_FOLD.search(lower) is None)


_second = itemgetter(1)
_EDGE = "\x00"  # stands for every non-word character, and for the text's edges, in the scanned form
_NON_WORD = re.compile(r"\W")


# ``str.translate`` table: a non-word character becomes the edge mark, a word character stays; each character
# classified on first sight
_TABLE = Memo(lambda code: code if is_word(chr(code)) else 0, 20_000)


def _key(literal: str) -> str:
    """What the automaton looks for in :func:`_scanned` text: ``literal`` with its non-word characters and
    ``\\b`` marks as the edge mark (``\\bcan't`` is ``∅can∅t``)."""
    left, right = literal.startswith("\\b"), literal.endswith("\\b") and len(literal) > 2
    core = literal[2 if left else 0 : len(literal) - (2 if right else 0)]
    key = _NON_WORD.sub(_EDGE, core)
    return (_EDGE if left else "") + key + (_EDGE if right else "")


# Per Latin-1 character (ASCII included): a word character stays, any other becomes the edge mark.
_LATIN1_EDGES = bytes(c if is_word(chr(c)) else 0 for c in range(256))
# The same for UTF-8 bytes: an ASCII byte is mapped, a byte of a longer character left as it is.
_UTF8_EDGES = _LATIN1_EDGES[:128] + bytes(range(128, 256))
_OTHER_NON_WORD = re.compile(r"[^\x00-\x7f\w]")  # a non-ASCII character that is not a word character


def _scanned(lower: str) -> str:
    """``lower`` with every non-word character as the edge mark, and one at each end: a literal marked as a
    whole word at an end is then found only where the text has a word boundary there. An ASCII or Latin-1 text
    (English, Spanish, French...) is mapped as bytes (one C call); another as its UTF-8 bytes (its ASCII
    characters), then its other non-word characters by one regex: three times faster than character by
    character (:func:`_scanned_by_table`)."""
    if (raw := latin1_bytes(lower)) is not None:
        return _EDGE + raw.translate(_LATIN1_EDGES).decode("latin-1") + _EDGE
    mapped = lower.encode("utf-8", "surrogatepass").translate(_UTF8_EDGES).decode("utf-8", "surrogatepass")
    return _EDGE + _OTHER_NON_WORD.sub(_EDGE, mapped) + _EDGE


def _scanned_by_table(lower: str) -> str:
    """:func:`_scanned` character by character through :data:`_TABLE`: the reference a test compares with."""
    return _EDGE + lower.translate(_TABLE) + _EDGE


def _automaton(keys: dict[str, int]) -> "ahocorasick.Automaton | None":
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, value in keys.items():
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton


class Gate:
    """What one text's scan found: ``sat``, a bit per clause of the phrasebook that the text holds a literal of
    (see :class:`Scanner`), or ``None`` when the gate does not apply to the text and every pattern runs."""

    __slots__ = ("sat",)

    def __init__(self, sat: int | None) -> None:
        self.sat = sat


class Scanner:
    """Every literal of a phrasebook's clauses, found in the lower-cased reply in one Aho-Corasick pass.

    Each clause of each pattern is one bit, numbered pattern after pattern (so a group's clauses are one run
    of bits), and each literal the automaton finds gives the bits of the clauses it belongs to: a text's scan
    is the OR of its hits, ``sat``. A pattern can match when all its clauses' bits are set. A group's share
    of ``sat`` (a shift and a mask) decides which of its patterns run, remembered per group (shares recur:
    most replies give most groups nothing, "refund" alone or "refund" and "we"), so a reply pays for the
    groups its checks ask about, not for every pattern its words touch: a group of forty patterns runs only
    the one or two whose words the reply holds, not all forty because one pattern starts with "on".
    A check asking about several groups at once (:meth:`union`) is told no by one AND when the scan holds
    no first clause of any of their patterns.

    Literals marked as whole words (``\\bdm``) are found only at word boundaries of the text searched. A
    piece of a reply (the words before a number) is gated by its own scan (its edges are the text's edges
    for a pattern searched in it), remembered apart from the whole replies' (``piece=True``), so that the
    pieces of one reply do not push the reply out. A piece is short: scanning it costs less than scanning
    the whole reply without the marks, as this did before, and gates more.
    """

    __slots__ = ("groups", "gated", "_where", "_clauses", "_built", "_strict", "_every", "_unfiltered",
                 "_recent", "_pieces", "readings", "_double_edge", "bits", "_firsts", "_unions")

    # A group's remembered shares of ``sat``: past it, forgotten and learnt again. The busiest group meets a new
    # share every few replies (its patterns' words combine freely): about 4,000 in 27,000 replies.
    SHARES_KEPT = 8192

    def __init__(self) -> None:
        self.groups = 0  # groups registered: each gets the next number as its id
        self.gated = True  # False: every pattern runs on every text (the reference the tests compare with)
        self._where: list[tuple[int, int]] = []  # pattern number -> (group id, index in its group)
        self._clauses: list[Clauses] = []
        self._built = False
        self._recent: dict[str, Gate] = {}
        self._pieces: dict[str, Gate] = {}
        self.readings: dict[str, object] = {}  # the phrasebook's last readings (``Phrasebook.read``)
        # group id -> (its first clause bit, mask of its bits, each pattern's bits from there, active by share:
        # tuples of ints, which the garbage collector stops tracking)
        self.bits: dict[int, tuple[int, int, tuple[int, ...], dict[int, tuple[int, ...]]]] = {}

    def add(self, group_id: int, index: int, clauses: Clauses) -> None:
        """Gate pattern ``index`` of group ``group_id`` by ``clauses`` (empty: it always runs). A group adds
        its patterns in order, one group after another."""
        self._where.append((group_id, index))
        self._clauses.append(tuple(clauses))
        self._built = False
        self.forget()

    def _build(self) -> None:
        # One automaton key per literal form (literals with the same key are found together); its value is
        # the bits of every clause holding one of its literals.
        key_bits: dict[str, int] = {}
        needs: list[int] = []  # per pattern: the bits of its clauses
        firsts: list[int] = []  # per pattern: the bit of its first clause (0: it has none)
        bit = 0
        for clauses in self._clauses:
            need = 0
            firsts.append(1 << bit if clauses else 0)
            for clause in clauses:
                for key in {_key(lit) for lit in clause}:
                    key_bits[key] = key_bits.get(key, 0) | 1 << bit
                need |= 1 << bit
                bit += 1
            needs.append(need)
        self._strict = _automaton(key_bits)
        self._double_edge = any(_EDGE * 2 in key for key in key_bits)  # see :meth:`share`
        ranges: dict[int, tuple[int, int]] = {}
        for number, (group_id, _) in enumerate(self._where):
            ranges[group_id] = (ranges.get(group_id, (number, number))[0], number + 1)
        self.bits = {}
        self._firsts: dict[int, int | None] = {}  # per group: its patterns' first-clause bits (see :meth:`union`)
        self._unions: dict[tuple[Any, ...], int | None] = {}
        for group_id, (first, end) in ranges.items():
            group_needs = needs[first:end]
            lo = min((n & -n).bit_length() - 1 for n in group_needs if n) if any(group_needs) else 0
            own = tuple(n >> lo for n in group_needs)
            self.bits[group_id] = (lo, reduce(or_, own), own, {0: tuple(i for i, n in enumerate(own) if not n)})
            self._firsts[group_id] = reduce(or_, firsts[first:end]) if all(firsts[first:end]) else None
        self._every = {group_id: tuple(range(end - first)) for group_id, (first, end) in ranges.items()}
        self._unfiltered = {group_id: self._every[group_id] for group_id, (first, end) in ranges.items()
                            if not any(needs[first:end])}
        self._built = True

    def scan(self, text: str, piece: bool = False, lower: str | None = None) -> Gate:
        """What ``text``'s scan found (``piece``: a piece of a reply, remembered apart), remembered for the
        last few texts: a reply's checks search it group after group. ``lower``: ``text.lower()`` when the
        caller has it already."""
        memo = self._pieces if piece else self._recent
        gate = memo.get(text)
        if gate is None:
            if not self._built:
                self._build()
            if lower is None:
                lower = text.lower()
            gate = Gate(self._scan(lower) if self.gated and gate_applies(text, lower) else None)
            if len(memo) >= 32:
                del memo[next(iter(memo))]  # the oldest
            memo[text] = gate
        return gate

    def share(self, blanked: str, text: str, spans: list[tuple[int, int]]) -> None:
        """Let ``blanked`` (``text`` with ``spans`` replaced by as many spaces: links and masks blanked) use
        ``text``'s scan, when that gates it too: then no literal of ``blanked`` is missing from ``text``. It is
        so when each span is cut from its neighbours by a non-word character (a space, an ``@``...) on both
        sides and no literal holds two non-word characters in a row: a literal that touches a blanked span then
        meets a non-word character there in ``text`` too. More patterns may run on ``blanked`` than its own scan
        would allow (never fewer), so the matches are the same; the scan of a reply's unmasked copy is saved."""
        if not self._built:
            self._build()
        gate = self._recent.get(text)
        if gate is None or self._double_edge or blanked in self._recent:
            return  # ``text`` not scanned (nothing to save: it would be scanned for this alone), or no need
        n = len(text)
        for start, end in spans:
            if is_word(text[start]) and (end - start < 2 or (start and is_word(text[start - 1]))):
                return
            if is_word(text[end - 1]) and end < n and is_word(text[end]):
                return
        if len(self._recent) >= 32:
            del self._recent[next(iter(self._recent))]  # the oldest
        self._recent[blanked] = gate

    def _scan(self, lower: str) -> int:
        """The bits of the clauses ``lower`` holds a literal of: the OR of the hits' values, gathered in C."""
        automaton = self._strict
        if automaton is None or not lower:
            return 0
        return reduce(or_, map(_second, automaton.iter(_scanned(lower))), 0)

    def union(self, groups: tuple[Any, ...]) -> int | None:
        """The bits of the first clause of every pattern of ``groups`` (:class:`~qa.checks.matching.Group` or
        None; a scan holding none of these bits lets no pattern of theirs run), or None when one of them has a
        pattern without clauses. Remembered per tuple: a check asks about the same groups on every reply."""
        found = self._unions.get(groups, 0)
        if found == 0:
            firsts = [self._firsts[g.id] for g in groups if g is not None]
            found = self._unions[groups] = None if None in firsts else reduce(or_, firsts, 0)
        return found

    def forget(self) -> None:
        """Drop what was remembered of texts seen (a benchmark's repeat starts cold)."""
        self._recent.clear()
        self._pieces.clear()
        self.readings.clear()

    def patterns(self, gate: Gate, group_id: int) -> Sequence[int]:
        """Indices (ascending) of the patterns of group ``group_id`` that can match the text of ``gate``."""
        sat = gate.sat
        if sat is None:
            return self._every[group_id]
        lo, mask, _, known = self.bits[group_id]
        share = sat >> lo & mask
        found = known.get(share)
        return found if found is not None else self.learn(group_id, share)

    def learn(self, group_id: int, share: int) -> tuple[int, ...]:
        """The patterns of group ``group_id`` all of whose clause bits ``share`` (its part of a scan) holds,
        remembered (bounded: a pathological stream of shares starts over rather than grows)."""
        _, _, own, known = self.bits[group_id]
        if len(known) >= self.SHARES_KEPT:
            zero = known[0]
            known.clear()
            known[0] = zero
        found = known[share] = tuple(i for i, need in enumerate(own) if need & share == need)
        return found

    def active(self, text: str, group_id: int, piece: bool = False) -> Sequence[int]:
        """Indices (ascending) of the patterns of group ``group_id`` that can match ``text`` (``piece``: a
        piece of a reply, see the class)."""
        if not self._built:
            self._build()
        every = self._unfiltered.get(group_id)
        if every is not None:
            return every  # nothing to gate the group on: no scan needed
        return self.patterns(self.scan(text, piece), group_id)

