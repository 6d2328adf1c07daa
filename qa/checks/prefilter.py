"""Which patterns of a phrasebook can match a reply, found in one pass over it (a prefilter for speed).

Python's ``re`` tries every alternative at every position, which made the checks ten times too slow. Each
pattern is gated by *clauses*: sets of literals such that every match holds at least one literal of each
clause (:func:`required_clauses`; ``\\b(?:we|I)\\s+can(?:not|'t)\\s+(?:see|access)`` needs ``can`` and one of
``see``/``access``). One Aho-Corasick pass over the lower-cased reply (``pyahocorasick``, in C) finds every
literal of the phrasebook; a pattern runs only when each of its clauses has a literal in the reply. A pattern
cannot match a text lacking one of its clauses, so the result is the same as running every pattern.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from itertools import chain
from operator import itemgetter

import ahocorasick

__all__ = ["required_clauses", "required_literals", "Scanner", "Gate", "gate_applies"]

try:  # the regex parser: private, so we degrade to "no prefilter" if it ever moves
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
    from re._constants import (  # type: ignore[attr-defined]
        ASSERT,
        ASSERT_NOT,
        AT,
        AT_BEGINNING,
        AT_BEGINNING_LINE,
        AT_BEGINNING_STRING,
        AT_BOUNDARY,
        AT_END,
        AT_END_LINE,
        AT_END_STRING,
        BRANCH,
        CATEGORY,
        CATEGORY_NOT_WORD,
        CATEGORY_SPACE,
        CATEGORY_WORD,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        NEGATE,
        SUBPATTERN,
    )
except ImportError:  # pragma: no cover
    _sre_parse = None

_FLAGS = re.IGNORECASE | re.MULTILINE
Clauses = tuple[frozenset[str], ...]


def _small_class(av: list) -> list[str] | None:  # type: ignore[type-arg]
    """The characters of a class like ``[áa]`` (literals only, at most 4), else None."""
    if len(av) > 4 or any(op is not LITERAL for op, _ in av):
        return None
    return [chr(c) for _, c in av]


def _literal_strings(branches: list) -> list[str] | None:  # type: ignore[type-arg]
    """Every string a branch of pure literals can match (``'t|t`` gives ``'t`` and ``t``), else None."""
    out: list[str] = []
    for branch in branches:
        strings = [""]
        for op, av in branch:
            if op is LITERAL:
                strings = [x + chr(av) for x in strings]
            elif op is IN and (chars := _small_class(av)) is not None:
                strings = [x + c for x in strings for c in chars]
            else:
                return None
        out.extend(strings)
    return out


def _is_word(ch: str) -> bool:
    """What ``re`` counts as a word character (``\\w``, Unicode)."""
    return ch.isalnum() or ch == "_"


def _non_word_class(av: list) -> bool:  # type: ignore[type-arg]
    """A class (``IN`` item) all of whose members are non-word characters (``[\\s,.]``)."""
    for op, x in av:
        if op is LITERAL and not _is_word(chr(x)):
            continue
        if op is CATEGORY and x in (CATEGORY_SPACE, CATEGORY_NOT_WORD):
            continue
        return False
    return True


def _bounds(item: tuple, side: int) -> bool:  # type: ignore[type-arg]
    """Whether ``item``, just before (``side`` -1) or just after (+1) a literal run, puts a non-word character
    or the text's edge next to it: ``\\b``, ``^``/``$``, ``\\s+``, ``(?<!\\w)``, ``(?![\\w/])``."""
    op, av = item
    if op is AT:
        return av in (AT_BOUNDARY, *((AT_BEGINNING, AT_BEGINNING_LINE, AT_BEGINNING_STRING) if side < 0 else
                                     (AT_END, AT_END_LINE, AT_END_STRING)))
    if op is ASSERT_NOT and av[0] == side and len(av[1]) == 1:
        sub_op, sub_av = av[1][0]
        return sub_op is IN and (CATEGORY, CATEGORY_WORD) in sub_av and (NEGATE, None) not in sub_av
    if op is IN:
        return _non_word_class(av)
    if op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1:
        sub_op, sub_av = av[2][0]
        return (sub_op is IN and _non_word_class(sub_av)) or (sub_op is LITERAL and not _is_word(chr(sub_av)))
    return False


def _literals(runs: list[str], left: bool, right: bool) -> frozenset[str] | None:
    """The runs as literals: lower-cased, marked ``\\b`` at an end where the pattern puts a non-word character
    or the text's edge next to a word character. None when a run is shorter than 2 characters or changes
    length when lower-cased (it gates nothing)."""
    out = []
    for run in runs:
        low = run.lower()
        if len(run) < 2 or len(low) != len(run) or "\\" in run:
            return None
        out.append(("\\b" if left and _is_word(low[0]) else "") + low + ("\\b" if right and _is_word(low[-1]) else ""))
    return frozenset(out)


def _clauses(items: Iterable, left: bool = False, right: bool = False) -> list[frozenset[str]]:  # type: ignore[type-arg]
    """Clauses of the parsed pattern: every match holds a literal of each (lower case, 2+ characters).

    Literal runs are extended through small classes (``ll[áa]m`` gives ``llám`` and ``llam``) and through the
    branches the parser factors out (``can't|cant`` is ``can`` + (``'t``|``t``)), so accented and apostrophe
    variants keep a selective literal. A branch gives one clause: the union of its alternatives' most
    selective clauses. A positive lookaround's literals are in the text too (a search never sees past the
    text it is given), so they count. ``left``/``right``: the items are bounded on that side (see
    :func:`_bounds`), so a literal at that edge is a whole word there.
    """
    items = list(items)
    out: list[frozenset[str]] = []
    runs: list[str] = [""]
    start = 0

    def before(k: int) -> bool:
        return left if k == 0 else _bounds(items[k - 1], -1)

    def after(k: int) -> bool:
        return right if k == len(items) - 1 else _bounds(items[k + 1], +1)

    def flush(end: int) -> None:
        nonlocal runs
        clause = _literals(runs, before(start), after(end)) if runs != [""] else None
        if clause:
            out.append(clause)
        runs = [""]

    for k, (op, av) in enumerate(items):
        if runs == [""]:
            start = k
        if op is LITERAL:
            runs = [r + chr(av) for r in runs]
            continue
        if op is IN:
            chars = _small_class(av)
            if chars is not None and len(runs) * len(chars) <= 16:
                runs = [r + c for r in runs for c in chars]
                continue
        if op is BRANCH and runs != [""]:
            tails = _literal_strings(av[1])
            if tails is not None and len(runs) * len(tails) <= 16:
                runs = [r + t for r in runs for t in tails]
                continue
        flush(k - 1)
        if op is SUBPATTERN:
            out.extend(_clauses(av[-1], before(k), after(k)))
        elif op is ASSERT:
            out.extend(_clauses(av[1]))
        elif op is BRANCH:
            best = [min(c, key=_gate_cost) if (c := _clauses(b, before(k), after(k))) else None for b in av[1]]
            if all(b is not None for b in best):
                out.append(frozenset().union(*best))  # type: ignore[arg-type]
        elif op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1:
            out.extend(_clauses(av[2]))  # repeated: an inner literal may sit between two repetitions
    flush(len(items) - 1)
    return out


# Short function words are in nearly every reply: a gate on them filters nothing.
_COMMON = frozenset(
    "a al an and are as at be by de del di do el en es for he i if in is it la las le les lo los me my mi "
    "no not of on or our por que se si so su te the to tu un una us we y you your".split()
)


def _literal_cost(literal: str) -> float:
    """Rough share of replies holding ``literal``; 1.0 for a common one: a function word, or a piece of two
    letters with no whole-word mark (``re``, ``on``), which most replies hold. Longer is rarer, and each
    whole-word mark (``\\b``) makes a piece rarer."""
    left, right = literal.startswith("\\b"), literal.endswith("\\b") and len(literal) > 2
    core = literal[2 if left else 0 : len(literal) - (2 if right else 0)]
    n = len(core.strip())
    if core.strip(" '’") in _COMMON or (n <= 2 and not (left or right)):
        return 1.0
    return (0.5 if n <= 2 else 0.3 if n == 3 else 0.1 if n == 4 else 0.05 if n == 5 else 0.02) * 0.5 ** (left + right)


def _gate_cost(literals: frozenset[str]) -> float:
    """Rough chance that a reply holds one of ``literals``: lower is a more selective gate."""
    return min(1.0, sum(_literal_cost(lit) for lit in literals))


def _useless(clause: frozenset[str]) -> bool:
    """A clause with a common literal holds in most replies: looking for it costs more than it saves."""
    return any(_literal_cost(lit) >= 1.0 for lit in clause)


def required_clauses(pattern: str) -> Clauses:
    """The prefilter of ``pattern``: clauses ordered most selective first; duplicates, clauses implied by
    another (a superset of it) and clauses too common to filter anything (a function word in them) left out. Empty:
    nothing is required, the pattern always runs."""
    if _sre_parse is None:
        return ()
    try:
        found = _clauses(_sre_parse.parse(pattern, _FLAGS))
    except Exception:  # pragma: no cover - a pattern the parser rejects was rejected at compile time already
        return ()
    kept: list[frozenset[str]] = []
    for clause in sorted(set(found), key=lambda c: (len(c), _gate_cost(c), sorted(c))):
        if not _useless(clause) and not any(k <= clause for k in kept):  # a smaller one implies it
            kept.append(clause)
    return tuple(sorted(kept, key=lambda c: (_gate_cost(c), sorted(c))))


def required_literals(pattern: str) -> frozenset[str] | None:
    """The most selective clause of ``pattern`` (None: it always runs)."""
    clauses = required_clauses(pattern)
    return clauses[0] if clauses else None


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
        value = code if _is_word(chr(code)) else 0
        if len(self) < self.LIMIT:
            self[code] = value
        return value


_TABLE = _EdgeTable()


def _key(literal: str, loose: bool = False) -> str:
    """What the automaton looks for in :func:`_scanned` text: ``literal`` with its non-word characters and
    ``\\b`` marks as the edge mark (``\\bcan't`` is ``∅can∅t``); ``loose``: without the ``\\b`` marks."""
    left, right = literal.startswith("\\b"), literal.endswith("\\b") and len(literal) > 2
    core = literal[2 if left else 0 : len(literal) - (2 if right else 0)]
    key = _NON_WORD.sub(_EDGE, core)
    return key if loose else (_EDGE if left else "") + key + (_EDGE if right else "")


def _scanned(lower: str) -> str:
    """``lower`` with every non-word character as the edge mark, and one at each end: a literal marked as a
    whole word at an end is then found only where the text has a word boundary there."""
    return _EDGE + lower.translate(_TABLE) + _EDGE


def _automaton(keys: dict[str, list[int]]) -> "ahocorasick.Automaton | None":
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, ids in keys.items():
        automaton.add_word(key, tuple(ids))
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
    piece of a reply (the words before a number) has edges the whole reply lacks, so a piece is gated by
    ``piece=True``, which ignores the marks (its automaton is built on first need).
    """

    __slots__ = ("groups", "gated", "_where", "_clauses", "_built", "_strict", "_loose", "_loose_keys",
                 "_postings", "_rest", "_always", "_ranges", "_every", "_unfiltered", "_recent", "_pieces")

    def __init__(self) -> None:
        self.groups = 0  # groups registered: each gets the next number as its id
        self.gated = True  # False: every pattern runs on every text (the reference the tests compare with)
        self._where: list[tuple[int, int]] = []  # pattern number -> (group id, index in its group)
        self._clauses: list[Clauses] = []
        self._built = False
        self._recent: dict[str, Gate] = {}
        self._pieces: dict[str, Gate] = {}

    def add(self, group_id: int, index: int, clauses: Clauses) -> None:
        """Gate pattern ``index`` of group ``group_id`` by ``clauses`` (empty: it always runs). A group adds
        its patterns in order, one group after another."""
        self._where.append((group_id, index))
        self._clauses.append(tuple(clauses))
        self._built = False
        self._recent.clear()
        self._pieces.clear()

    def _build(self) -> None:
        ids: dict[str, int] = {}
        for clauses in self._clauses:
            for clause in clauses:
                for lit in clause:
                    ids.setdefault(lit, len(ids))
        strict: dict[str, list[int]] = {}
        loose: dict[str, list[int]] = {}
        for lit, i in ids.items():
            strict.setdefault(_key(lit), []).append(i)
            loose.setdefault(_key(lit, loose=True), []).append(i)
        self._strict = _automaton(strict)
        self._loose_keys = loose
        self._loose = None
        postings: list[list[int]] = [[] for _ in ids]
        self._rest: list[tuple[frozenset[int], ...]] = []
        always = []
        self._ranges: dict[int, tuple[int, int]] = {}
        for number, (clauses, (group_id, _)) in enumerate(zip(self._clauses, self._where)):
            first, _ = self._ranges.get(group_id, (number, number))
            self._ranges[group_id] = (first, number + 1)
            if not clauses:
                always.append(number)
            else:
                for lit in clauses[0]:
                    postings[ids[lit]].append(number)
            self._rest.append(tuple(frozenset(ids[lit] for lit in c) for c in clauses[1:]))
        self._postings = [tuple(p) for p in postings]
        self._always = frozenset(always)
        self._every = {group_id: list(range(end - first)) for group_id, (first, end) in self._ranges.items()}
        self._unfiltered = {group_id: self._every[group_id] for group_id, (first, end) in self._ranges.items()
                            if all(n in self._always for n in range(first, end))}
        self._built = True

    def scan(self, text: str, piece: bool = False) -> Gate:
        """What ``text``'s scan found (``piece``: for searching pieces of it), remembered for the last few
        texts: a reply's checks search it group after group."""
        memo = self._pieces if piece else self._recent
        gate = memo.get(text)
        if gate is None:
            if not self._built:
                self._build()
            lower = text.lower()
            gate = Gate(self._scan(lower, piece) if self.gated and gate_applies(text, lower) else None)
            if len(memo) >= 32:
                del memo[next(iter(memo))]  # the oldest
            memo[text] = gate
        return gate

    def _scan(self, lower: str, piece: bool) -> dict[int, list[int]]:
        """Active pattern indices by group: the patterns indexed under a literal found, whose other clauses
        hold too (the always-run ones included)."""
        if piece and self._loose is None:
            self._loose = _automaton(self._loose_keys)
        automaton = self._loose if piece else self._strict
        if automaton is None or not lower:
            found: set[int] = set()
        else:  # the literal ids of every hit, gathered in C (a reply has dozens of hits)
            found = set(chain.from_iterable(map(_second, automaton.iter(_scanned(lower)))))
        candidates = self._always.union(chain.from_iterable(map(self._postings.__getitem__, found)))
        out: dict[int, list[int]] = {}
        rest, where = self._rest, self._where
        for number in sorted(candidates):
            others = rest[number]
            if others and any(map(found.isdisjoint, others)):
                continue  # a clause with none of its literals in the text
            group_id, index = where[number]
            indices = out.get(group_id)
            if indices is None:
                out[group_id] = [index]
            else:
                indices.append(index)
        return out

    def patterns(self, gate: Gate, group_id: int) -> list[int]:
        """Indices (ascending) of the patterns of group ``group_id`` that can match the text of ``gate``."""
        if gate.groups is None:
            return self._every[group_id]
        return gate.groups.get(group_id, _NONE)

    def active(self, text: str, group_id: int, piece: bool = False) -> list[int]:
        """Indices (ascending) of the patterns of group ``group_id`` that can match ``text`` (or, ``piece``,
        a piece of it)."""
        if not self._built:
            self._build()
        every = self._unfiltered.get(group_id)
        if every is not None:
            return every  # nothing to gate the group on: no scan needed
        return self.patterns(self.scan(text, piece), group_id)


_NONE: list[int] = []
