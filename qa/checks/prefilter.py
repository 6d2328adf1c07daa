"""Which patterns of a phrasebook can match a reply, found in one pass over it (a prefilter for speed).

Python's ``re`` tries every alternative at every position, which made the checks ten times too slow. Each
pattern is gated by literals one of which every match must contain (:func:`required_literals`); one scan of
the lower-cased reply with a trie-shaped regex of all literals (:class:`Scanner`) tells which patterns can
match, and only those run. The result is the same as running every pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["required_literals", "Scanner"]

try:  # the regex parser: private, so we degrade to "no prefilter" if it ever moves
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
    from re._constants import (  # type: ignore[attr-defined]
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        SUBPATTERN,
    )
except ImportError:  # pragma: no cover
    _sre_parse = None

_FLAGS = re.IGNORECASE | re.MULTILINE


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


def _required(items: Iterable) -> frozenset[str] | None:  # type: ignore[type-arg]
    """Literals (2+ characters, lower case) one of which every match of the parsed pattern contains, or None.

    Literal runs are extended through small classes (``ll[áa]m`` gives ``llám`` and ``llam``), so accented
    alternatives keep a selective literal.
    """
    candidates: list[frozenset[str]] = []
    runs: list[str] = [""]

    def flush() -> None:
        nonlocal runs
        if min(len(r) for r in runs) >= 2:
            candidates.append(frozenset(r.lower() for r in runs))
        runs = [""]

    for op, av in items:
        if op is LITERAL:
            runs = [r + chr(av) for r in runs]
            continue
        if op is IN:
            chars = _small_class(av)
            if chars is not None and len(runs) * len(chars) <= 16:
                runs = [r + c for r in runs for c in chars]
                continue
        if op is BRANCH and runs != [""]:
            # The parser factors "can't|cant" into "can" + ("'t"|"t"): carry the run through such branches.
            tails = _literal_strings(av[1])
            if tails is not None and len(runs) * len(tails) <= 16:
                runs = [r + t for r in runs for t in tails]
                continue
        flush()
        req: frozenset[str] | None = None
        if op is SUBPATTERN:
            req = _required(av[-1])
        elif op is BRANCH:
            subs = [_required(b) for b in av[1]]
            req = None if any(x is None for x in subs) else frozenset().union(*subs)  # type: ignore[arg-type]
        elif op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1:
            req = _required(av[2])
        if req:
            candidates.append(req)
    flush()
    if not candidates:
        return None
    return min(candidates, key=_gate_cost)


# Short function words are in nearly every reply: a gate on them filters nothing.
_COMMON = frozenset(
    "a al an and are as at be by de del di do el en es for he i if in is it la las le les lo los me my mi "
    "no not of on or our por que se si so su te the to tu un una us we y you your".split()
)


def _gate_cost(literals: frozenset[str]) -> float:
    """Rough chance that a reply contains one of ``literals``: lower is a more selective gate."""
    return sum(1.0 if lit.strip() in _COMMON else 26.0 ** -(len(lit) - 1) for lit in literals)


def required_literals(pattern: str) -> frozenset[str] | None:
    """A prefilter for ``pattern``: it cannot match a text whose lower-case form contains none of these.

    Python's ``re`` tries every alternative at every position, which made the checks ten times too slow; a
    substring test on the lower-cased reply skips most groups for most replies. None means "always run".
    """
    if _sre_parse is None:
        return None
    try:
        return _required(_sre_parse.parse(pattern, _FLAGS))
    except Exception:  # pragma: no cover - a pattern the parser rejects was rejected at compile time already
        return None



def _trie_regex(literals: Iterable[str]) -> str:
    """One regex matching the longest of ``literals`` that starts at a position (a trie of alternations).

    Python's ``re`` tries the alternatives of a flat ``a|b|c`` one by one; nested by common prefix, it tests
    about one branch per character instead of a thousand.
    """
    trie: dict = {}  # type: ignore[type-arg]
    for lit in literals:
        node = trie
        for ch in lit:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        children = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not children:
            return ""
        body = children[0] if len(children) == 1 and len(children[0]) == len(re.escape(children[0][:1])) else None
        alt = "(?:" + "|".join(children) + ")" if body is None else body
        return alt + "?" if end else alt

    return build(trie)


class Scanner:
    """Every required literal of a phrasebook, found in the lower-cased reply in one pass.

    Each pattern is gated by its own literals (see :func:`required_literals`), so a group of forty patterns
    runs only the two or three whose anchor words the reply holds, not all forty because one pattern starts
    with "on". The scan reports, at each position, the longest literal starting there; a shorter literal
    starting at the same position is its prefix, so it is present too (``prefixes``).
    """

    __slots__ = ("rx", "prefixes", "postings", "groups", "_recent")

    def __init__(self) -> None:
        self.groups = 0  # groups registered: each gets the next number as its id
        self.rx: re.Pattern[str] | None = None
        self.prefixes: dict[str, tuple[tuple[int, int], ...]] = {}
        # literal -> ((group id, pattern index), ...): which patterns the literal opens
        self.postings: dict[str, list[tuple[int, int]]] = {}
        self._recent: dict[str, dict[int, set[int]]] = {}

    def add(self, group_id: int, index: int, literals: frozenset[str]) -> None:
        for lit in literals:
            self.postings.setdefault(lit, []).append((group_id, index))
        self.rx = None
        self._recent.clear()

    def _compile(self) -> re.Pattern[str]:
        lits = sorted(self.postings)
        # Every pattern a found literal opens, through itself and the shorter literals it starts with.
        self.prefixes = {
            m: tuple(dict.fromkeys(p for lit in lits if m.startswith(lit) for p in self.postings[lit])) for m in lits
        }
        self.rx = re.compile("(?=(" + _trie_regex(lits) + "))") if lits else re.compile(r"(?!)")
        return self.rx

    def active(self, lower: str) -> dict[int, set[int]]:
        """Pattern indices per group whose literals occur in ``lower``.

        Remembered for the last few texts: a reply's checks also search pieces of it (the words before a
        number, an offer's sentence) between searches of the whole, which must not scan the whole again.
        """
        out = self._recent.pop(lower, None)
        if out is not None:
            self._recent[lower] = out  # most recent last: the whole reply outlives the pieces searched between
            return out
        rx = self.rx or self._compile()
        out = {}
        prefixes = self.prefixes
        for found in set(rx.findall(lower)):
            for group_id, index in prefixes[found]:
                if group_id in out:
                    out[group_id].add(index)
                else:
                    out[group_id] = {index}
        if len(self._recent) >= 32:
            del self._recent[next(iter(self._recent))]  # the least recently used
        self._recent[lower] = out
        return out
