"""Which patterns of a phrasebook can match a reply, found in one pass over it (a prefilter for speed).

Each pattern is gated by its clauses (:mod:`qa.checks.clauses`: sets of literals every match holds one of).
One Aho-Corasick pass over the lower-cased reply (``pyahocorasick``, in C) finds every literal of the
phrasebook; a pattern runs only when each of its clauses has a literal in the reply. A pattern cannot match a
text lacking one of its clauses, so the result is the same as running every pattern.
"""

from __future__ import annotations

import re
from itertools import chain
from operator import itemgetter

import ahocorasick

from qa.checks.clauses import Clauses, is_word
from qa.language import latin1_bytes

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


class _EdgeTable(dict):  # type: ignore[type-arg]
    """``str.translate`` table: a non-word character becomes the edge mark, a word character stays. Filled on
    first sight of each character (bounded: past the limit, characters are classified without being kept)."""

    LIMIT = 20_000

    def __missing__(self, code: int) -> int:
        value = code if is_word(chr(code)) else 0
        if len(self) < self.LIMIT:
            self[code] = value
        return value


_TABLE = _EdgeTable()


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
    for key, number in keys.items():
        automaton.add_word(key, number)
    automaton.make_automaton()
    return automaton


class Gate:
    """What one text's scan found: the patterns that can match it, by group id (indices ascending), or
    ``None`` when the gate does not apply to the text and every pattern runs."""

    __slots__ = ("groups",)

    def __init__(self, groups: dict[int, list[int]] | None) -> None:
        self.groups = groups


class Scanner:
    """Every literal of a phrasebook's clauses, found in the lower-cased reply in one Aho-Corasick pass.

    Each pattern is indexed under its most selective clause; a reply's candidates are the patterns indexed
    under a literal it holds, kept when their other clauses hold too. A group of forty patterns thus runs
    only the one or two whose words the reply holds, not all forty because one pattern starts with "on".
    A group's patterns have consecutive numbers, so its candidates are one slice of the sorted candidates.

    Literals marked as whole words (``\\bdm``) are found only at word boundaries of the text searched. A
    piece of a reply (the words before a number) is gated by its own scan (its edges are the text's edges
    for a pattern searched in it), remembered apart from the whole replies' (``piece=True``), so that the
    pieces of one reply do not push the reply out. A piece is short: scanning it costs less than scanning
    the whole reply without the marks, as this did before, and gates more.
    """

    __slots__ = ("groups", "gated", "_where", "_clauses", "_built", "_strict",
                 "_postings", "_rest", "_always", "_ranges", "_every", "_unfiltered", "_recent", "_pieces",
                 "_info", "readings", "_double_edge", "_always_by_group")

    def __init__(self) -> None:
        self.groups = 0  # groups registered: each gets the next number as its id
        self.gated = True  # False: every pattern runs on every text (the reference the tests compare with)
        self._where: list[tuple[int, int]] = []  # pattern number -> (group id, index in its group)
        self._clauses: list[Clauses] = []
        self._built = False
        self._recent: dict[str, Gate] = {}
        self._pieces: dict[str, Gate] = {}
        self.readings: dict[str, object] = {}  # the phrasebook's last readings (``Phrasebook.read``)

    def add(self, group_id: int, index: int, clauses: Clauses) -> None:
        """Gate pattern ``index`` of group ``group_id`` by ``clauses`` (empty: it always runs). A group adds
        its patterns in order, one group after another."""
        self._where.append((group_id, index))
        self._clauses.append(tuple(clauses))
        self._built = False
        self.forget()

    def _build(self) -> None:
        # One number per key the automaton looks for: literals with the same key are found together.
        strict: dict[str, int] = {}
        ids: dict[str, int] = {}
        for clauses in self._clauses:
            for clause in clauses:
                for lit in clause:
                    if lit not in ids:
                        ids[lit] = strict.setdefault(_key(lit), len(strict))
        self._strict = _automaton(strict)
        self._double_edge = any(_EDGE * 2 in key for key in strict)  # see :meth:`share`
        postings: list[list[int]] = [[] for _ in strict]
        self._rest: list[tuple[frozenset[int], ...]] = []
        always = []
        self._ranges: dict[int, tuple[int, int]] = {}
        for number, (clauses, (group_id, _)) in enumerate(zip(self._clauses, self._where)):
            first, _ = self._ranges.get(group_id, (number, number))
            self._ranges[group_id] = (first, number + 1)
            if not clauses:
                always.append(number)
            else:
                for key_id in sorted({ids[lit] for lit in clauses[0]}):
                    postings[key_id].append(number)
            self._rest.append(tuple(frozenset(ids[lit] for lit in c) for c in clauses[1:]))
        self._postings = [tuple(p) for p in postings]
        # (group id, index, the second clause or None, the clauses after it): most gated patterns have two.
        self._info = [(group_id, index, rest[0] if rest else None, rest[1:])
                      for (group_id, index), rest in zip(self._where, self._rest)]
        self._always = frozenset(always)
        by_group: dict[int, list[int]] = {}
        for number in always:
            by_group.setdefault(self._where[number][0], []).append(self._where[number][1])
        self._always_by_group = tuple(by_group.items())  # what :meth:`_select` adds, not loops over, per text
        self._every = {group_id: list(range(end - first)) for group_id, (first, end) in self._ranges.items()}
        self._unfiltered = {group_id: self._every[group_id] for group_id, (first, end) in self._ranges.items()
                            if all(n in self._always for n in range(first, end))}
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

    def _scan(self, lower: str) -> dict[int, list[int]]:
        """Active pattern indices by group: the patterns indexed under a literal found, whose other clauses
        hold too (the always-run ones included)."""
        automaton = self._strict
        if automaton is None or not lower:
            found: frozenset[int] = frozenset()
        else:  # the key numbers of every hit, gathered in C (a reply has dozens of hits)
            found = frozenset(map(_second, automaton.iter(_scanned(lower))))
        return self._select(found)

    def forget(self) -> None:
        """Drop what was remembered of texts seen (a benchmark's repeat starts cold)."""
        self._recent.clear()
        self._pieces.clear()
        self.readings.clear()

    def _select(self, found: frozenset[int]) -> dict[int, list[int]]:
        """The patterns indexed under a literal of ``found`` whose other clauses hold too, by group. Not
        remembered by ``found``: on distinct replies the memory (a dict and its lists per set, thousands of sets)
        cost more in garbage-collector passes than its hits saved."""
        out: dict[int, list[int]] = {}
        info = self._info
        disjoint = found.isdisjoint
        last = -1
        indices: list[int] = []
        for number in sorted(set(chain.from_iterable(map(self._postings.__getitem__, found)))):
            group_id, index, other, others = info[number]
            if (other is not None and disjoint(other)) or (others and any(map(disjoint, others))):
                continue  # a clause with none of its literals in the text
            if group_id == last:  # a group's numbers are consecutive: its candidates come together
                indices.append(index)
            else:
                indices = out[group_id] = [index]
                last = group_id
        for group_id, always in self._always_by_group:  # no clause: they run on every text, merged in order
            indices = out.get(group_id)
            out[group_id] = list(always) if indices is None else sorted(indices + always)
        return out

    def patterns(self, gate: Gate, group_id: int) -> list[int]:
        """Indices (ascending) of the patterns of group ``group_id`` that can match the text of ``gate``."""
        if gate.groups is None:
            return self._every[group_id]
        return gate.groups.get(group_id, _NONE)

    def active(self, text: str, group_id: int, piece: bool = False) -> list[int]:
        """Indices (ascending) of the patterns of group ``group_id`` that can match ``text`` (``piece``: a
        piece of a reply, see the class)."""
        if not self._built:
            self._build()
        every = self._unfiltered.get(group_id)
        if every is not None:
            return every  # nothing to gate the group on: no scan needed
        return self.patterns(self.scan(text, piece), group_id)


_NONE: list[int] = []
