"""Which literals every match of a phrase pattern must hold: the *clauses* that gate a pattern (a prefilter).

Python's ``re`` tries every alternative at every position, which made the checks ten times too slow. Each
pattern is gated by clauses: sets of literals such that every match holds at least one literal of each clause
(``\\b(?:we|I)\\s+can(?:not|'t)\\s+(?:see|access)`` needs ``can`` and one of ``see``/``access``). They are read
from the pattern's parse tree (``re._parser``); :mod:`qa.checks.prefilter` finds them in a reply in one pass.
A pattern cannot match a text lacking one of its clauses, so gating by them changes no result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["Clauses", "required_clauses", "required_literals", "is_word", "first_chars"]

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
        CATEGORY_DIGIT,
        CATEGORY_NOT_WORD,
        CATEGORY_SPACE,
        CATEGORY_WORD,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        NEGATE,
        RANGE,
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


def is_word(ch: str) -> bool:
    """What ``re`` counts as a word character (``\\w``, Unicode)."""
    return ch.isalnum() or ch == "_"


def _non_word_class(av: list) -> bool:  # type: ignore[type-arg]
    """A class (``IN`` item) all of whose members are non-word characters (``[\\s,.]``)."""
    for op, x in av:
        if op is LITERAL and not is_word(chr(x)):
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
        return (sub_op is IN and _non_word_class(sub_av)) or (sub_op is LITERAL and not is_word(chr(sub_av)))
    return False


def _zero_width(item: tuple) -> bool:  # type: ignore[type-arg]
    """A lookaround or an anchor: it consumes nothing, so the character next to it is its neighbour's."""
    return item[0] in (ASSERT, ASSERT_NOT, AT)


def _edge_bounded(items: list, side: int) -> bool:  # type: ignore[type-arg]
    """Whether the sequence ``items``, when it matches, ends (``side`` -1: the character next after it is then
    preceded by) or starts (+1) with a non-word character: its last (first) item bounds, or is a group or a
    branch all of whose alternatives do, or a repeat (at least once) of such a thing."""
    if not items:
        return False
    op, av = item = items[-1] if side < 0 else items[0]
    if _bounds(item, side) and not _zero_width(item):
        return True
    if op is SUBPATTERN:
        return _edge_bounded(list(av[-1]), side)
    if op is BRANCH:
        return all(_edge_bounded(list(alt), side) for alt in av[1])
    if op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1:
        return _edge_bounded(list(av[2]), side)
    return False


def _bounded(items: list, k: int, side: int, edge: bool) -> bool:  # type: ignore[type-arg]
    """Whether a non-word character or the text's edge is next to item ``k`` on ``side`` (-1 before, +1 after),
    looking past what consumes nothing (lookarounds, anchors) and past optional parts that end (start) with a
    non-word character: ``\\s+(?:the\\s+)?DM`` has one before ``DM`` either way. ``edge``: the items are
    bounded at that end of the sequence."""
    j = k + side
    while 0 <= j < len(items):
        item = items[j]
        op, av = item
        if _bounds(item, side) or _edge_bounded([item], side):
            return True
        if _zero_width(item) or (op in (MAX_REPEAT, MIN_REPEAT) and av[0] == 0 and _edge_bounded(list(av[2]), side)):
            j += side  # consumes nothing, or something that ends (starts) with a non-word character
            continue
        return False
    return edge


def _literals(runs: list[str], left: bool, right: bool) -> frozenset[str] | None:
    """The runs as literals: lower-cased, marked ``\\b`` at an end where the pattern puts a non-word character
    or the text's edge next to a word character. None when a run is shorter than 2 characters or changes
    length when lower-cased (it gates nothing)."""
    out = []
    for run in runs:
        low = run.lower()
        if len(run) < 2 or len(low) != len(run) or "\\" in run:
            return None
        out.append(("\\b" if left and is_word(low[0]) else "") + low + ("\\b" if right and is_word(low[-1]) else ""))
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
        return _bounded(items, k, -1, left)

    def after(k: int) -> bool:
        return _bounded(items, k, +1, right)

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


# Two letters that few words hold, though the phrase data looks for them inside words ("DMで": a direct message).
_RARE_PAIRS = frozenset({"dm"})


def _common_pair(core: str) -> bool:
    """Whether a piece of one or two characters is in most replies: Latin letters are (``re``, ``on``), except a
    rare pair; two characters of a script written without spaces (``送信``) are a word, not a piece of one."""
    return all(ch < "\u0250" for ch in core) and core not in _RARE_PAIRS


def _literal_cost(literal: str) -> float:
    """Rough share of replies holding ``literal``; 1.0 for a common one: a function word, or a piece of two
    letters with no whole-word mark (``re``, ``on``), which most replies hold. Longer is rarer, and each
    whole-word mark (``\\b``) makes a piece rarer."""
    left, right = literal.startswith("\\b"), literal.endswith("\\b") and len(literal) > 2
    core = literal[2 if left else 0 : len(literal) - (2 if right else 0)]
    n = len(core.strip())
    if core.strip(" '’") in _COMMON or (n <= 2 and not (left or right) and _common_pair(core)):
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


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")  # must stay first in a pattern: nothing is put before it
MAX_FIRST_CHARS = 40  # a wider set filters few positions: not worth the lookahead
_CLASSES = {CATEGORY_SPACE: "\\s", CATEGORY_DIGIT: "\\d"}  # classes selective enough to lead a pattern


def _class_atoms(av: list) -> set[str] | None:  # type: ignore[type-arg]
    """The members of a class (``IN`` item) as characters and ``\\s``/``\\d``, or None (``\\w``, a negation)."""
    atoms: set[str] = set()
    for op, x in av:
        if op is LITERAL:
            atoms.add(chr(x))
        elif op is RANGE and x[1] - x[0] <= 26:
            atoms.update(chr(c) for c in range(x[0], x[1] + 1))
        elif op is CATEGORY and x in _CLASSES:
            atoms.add(_CLASSES[x])
        else:
            return None
    return atoms


def _firsts(items: Iterable, flags: int) -> tuple[set[str], bool] | None:  # type: ignore[type-arg]
    """(what a match of the parsed sequence ``items`` can start with: characters, ``\\s`` or ``\\d``; whether
    it can match empty), or None when a first item is not a literal or a class of them (``\\w``, ``.``...)."""
    found: set[str] = set()
    for op, av in items:
        if op in (AT, ASSERT, ASSERT_NOT):
            continue  # consumes nothing: the next item's character comes first
        if op is LITERAL:
            return found | {chr(av)}, False
        if op is IN:
            atoms = _class_atoms(av)
            return None if atoms is None else (found | atoms, False)
        if op is SUBPATTERN:
            if av[1] & re.IGNORECASE and not flags & re.IGNORECASE:
                return None  # ``(?i:...)``: its letters match in either case, the lookahead's would not
            parts = [av[-1]]
        elif op is BRANCH:
            parts = av[1]
        elif op in (MAX_REPEAT, MIN_REPEAT):
            parts = [av[2]]
        else:
            return None
        empty = False
        for part in parts:
            sub = _firsts(part, flags)
            if sub is None:
                return None
            found |= sub[0]
            empty = empty or sub[1]
        if op in (MAX_REPEAT, MIN_REPEAT) and av[0] == 0:
            empty = True
        if not empty:
            return found, False
    return found, True


@lru_cache(maxsize=8192)  # a pattern is asked again for each joined set it is part of: parsed once
def first_chars(pattern: str, flags: int = re.MULTILINE) -> frozenset[str] | None:
    """What every match of ``pattern`` (compiled with ``flags``) starts with: characters, and ``\\s`` or ``\\d``
    for those classes; None when not known or too many, or when it can match the empty string.

    ``re`` skips to a pattern's possible first characters only when it starts with one: a pattern starting
    with ``\\b`` or an optional group is tried at every position. A lookahead for these characters in front,
    compiled with the same flags (so that its letters fold as the pattern's do: :func:`qa.checks.matching.led`),
    fails at once at the others: the same matches, found sooner."""
    if _sre_parse is None or _GLOBAL_FLAGS.match(pattern):
        return None
    try:
        found = _firsts(_sre_parse.parse(pattern, flags), flags)
    except Exception:  # pragma: no cover - a pattern the parser rejects was rejected at compile time already
        return None
    if found is None or found[1] or not found[0] or len(found[0]) > MAX_FIRST_CHARS:
        return None
    return frozenset(found[0])
