"""Phrase data per language, loaded once from ``qa/phrases/<lang>.yaml`` and compiled into one regex per group.

A check never lists words itself: it asks for a named group (``("deflection", "phone")``) and gets one compiled
pattern holding that group's patterns from every language file. Matching every language at once is cheap and
avoids trusting a language guess on a 40-character reply; adding a language is adding a file. Shared fragments
(``%LINK%``, ``%PHONE%``) come from ``_macros.yaml``. A pattern that does not compile is reported with its file
and group, so a QA lead editing the data sees where the mistake is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from qa.checks.base import Evidence, ReplyContext

__all__ = [
    "PHRASES_DIR",
    "PhraseError",
    "Group",
    "Phrasebook",
    "phrasebook",
    "required_literals",
    "spans",
    "evidence",
    "reply_lang",
]

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

PHRASES_DIR = Path(__file__).resolve().parent.parent / "phrases"
_FLAGS = re.IGNORECASE | re.MULTILINE
_MACRO = re.compile(r"%([A-Z][A-Z0-9_]*)%")


class PhraseError(ValueError):
    """A phrase file is malformed: the message names the file and the group."""


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


def _fold_pattern(pattern: str) -> str:
    """Lower-case the literal characters of ``pattern``, leaving escapes (``\\S``, ``\\W``) as they are."""
    out, escaped = [], False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out)


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


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


class _Scanner:
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
        out = self._recent.get(lower)
        if out is not None:
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
            self._recent.clear()
        self._recent[lower] = out
        return out


class _Subset:
    """The active patterns of a group, compiled for speed: case-folded on lower-cased text, case-sensitive
    parts apart."""

    __slots__ = ("fold", "fold_i", "exact")

    def __init__(self, patterns: list[str]) -> None:
        fold = [p for p in patterns if "(?-i:" not in p]
        exact = [p for p in patterns if "(?-i:" in p]
        self.fold = re.compile(_alternation([_fold_pattern(p) for p in fold]), re.MULTILINE) if fold else None
        self.fold_i = re.compile(_alternation(fold), _FLAGS) if fold else None
        self.exact = re.compile(_alternation(exact), _FLAGS) if exact else None

    def runs(self, text: str, lower: str) -> list[tuple[re.Pattern[str], str]]:
        runs = []
        if self.fold is not None:
            if len(lower) == len(text):
                runs.append((self.fold, lower))
            else:
                runs.append((self.fold_i, text))  # type: ignore[arg-type]
        if self.exact is not None:
            runs.append((self.exact, text))
        return runs


_LOWER: dict[str, str] = {}


def _lower(text: str) -> str:
    """``text.lower()``, remembered for the last few texts: every group a reply's checks search lower-cases it."""
    out = _LOWER.get(text)
    if out is None:
        if len(_LOWER) >= 32:
            _LOWER.clear()
        out = _LOWER[text] = text.lower()
    return out


_MAX_SUBSETS = 4096  # compiled pattern subsets kept per group; a bounded cache, cleared when full


class Group:
    """One group's patterns, per language and all together, each pattern gated by its own literals.

    Matching runs on the lower-cased reply with case-folded patterns, about three times faster in Python's
    ``re`` than ``IGNORECASE``; the few patterns with a case-sensitive part (``(?-i:CAT)``) run on the original
    text. Match offsets are the same in both, since we only fold texts whose length ``lower()`` keeps. Only
    the patterns whose required literals occur in the reply are alternated and run (the subset's compiled
    regex is cached): a pattern without its literals cannot match, so the result is the same as running all
    of them, in the same order.

    ``lang`` narrows a search to one language's patterns (the reply's, when it was told with confidence):
    half the work for a bilingual phrasebook. ``None``, or a language without patterns for this group,
    searches all of them.
    """

    __slots__ = ("name", "pattern", "_patterns", "_langs", "_always", "_id", "_scanner", "_subsets")

    def __init__(self, name: str, by_lang: dict[str, list[str]], scanner: _Scanner | None = None) -> None:
        """``scanner``: shared by the groups of one phrasebook, so that a reply is scanned once for all."""
        self.name = name
        self._scanner = scanner = scanner or _Scanner()
        self._patterns = [p for ps in by_lang.values() for p in ps]
        self._langs = [lang for lang, ps in by_lang.items() for _ in ps]
        self.pattern = re.compile(_alternation(self._patterns), _FLAGS)  # the whole group, for reference and tests
        self._id = scanner.groups = scanner.groups + 1
        always = []
        for index, p in enumerate(self._patterns):
            gate = required_literals(p)
            if gate is None:
                always.append(index)
            else:
                scanner.add(self._id, index, gate)
        self._always = frozenset(always)
        self._subsets: dict[tuple[int, ...], _Subset] = {}

    def _runs(self, text: str, lang: str | None = None) -> list[tuple[re.Pattern[str], str]]:
        lower = _lower(text)
        active = self._scanner.active(lower).get(self._id)
        if active is None and not self._always:
            return []
        indices = self._always.union(active) if active else self._always
        if lang and lang in self._langs:
            langs = self._langs
            key = tuple(sorted(i for i in indices if langs[i] == lang))
        else:
            key = tuple(sorted(indices))
        if not key:
            return []
        subset = self._subsets.get(key)
        if subset is None:
            if len(self._subsets) >= _MAX_SUBSETS:
                self._subsets.clear()
            subset = self._subsets[key] = _Subset([self._patterns[i] for i in key])
        return subset.runs(text, lower)

    def finditer(self, text: str, lang: str | None = None) -> Iterator[re.Match[str]]:
        """Matches in text order (offsets index ``text``; the matched string may be lower-cased)."""
        runs = self._runs(text, lang)
        if len(runs) == 1:
            return runs[0][0].finditer(runs[0][1])
        return iter(sorted((m for rx, t in runs for m in rx.finditer(t)), key=lambda m: m.start()))

    def search(self, text: str, lang: str | None = None) -> re.Match[str] | None:
        for rx, t in self._runs(text, lang):
            m = rx.search(t)
            if m:
                return m
        return None


@dataclass(frozen=True)
class Phrasebook:
    """Compiled patterns per ``(check, group)`` path, and word lists per name, across all languages."""

    languages: tuple[str, ...]
    patterns: dict[tuple[str, ...], Group] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    macros: dict[str, re.Pattern[str]] = field(default_factory=dict)
    _groups: dict[tuple[str, ...], tuple[tuple[str, Group], ...]] = field(default_factory=dict, compare=False, repr=False)

    def get(self, *path: str) -> Group | None:
        """The combined pattern of one group, or None when no language defines it."""
        return self.patterns.get(path)

    def groups(self, *prefix: str) -> Iterator[tuple[str, Group]]:
        """``(name, pattern)`` of each sub-group under ``prefix`` (the kinds of compensation, say), in file order."""
        found = self._groups.get(prefix)
        if found is None:
            n = len(prefix)
            found = self._groups[prefix] = tuple(
                (path[n], rx) for path, rx in self.patterns.items() if len(path) == n + 1 and path[:n] == prefix
            )
        return iter(found)


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise PhraseError(f"{where}: unknown macro %{name}%")
        return macros[name]

    return _MACRO.sub(sub, pattern)


def _walk(node: Any, path: tuple[str, ...], out: dict[tuple[str, ...], list[str]], where: str) -> None:
    if isinstance(node, list):
        if not all(isinstance(p, str) for p in node):
            raise PhraseError(f"{where}: group {'.'.join(path)} must be a list of strings")
        out.setdefault(path, []).extend(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            _walk(value, (*path, str(key)), out, where)
    else:
        raise PhraseError(f"{where}: group {'.'.join(path)} must be a list or a mapping")


_WORD_LISTS = ("stopwords", "generic")


def load(directory: Path = PHRASES_DIR) -> Phrasebook:
    """Read every ``<lang>.yaml`` in ``directory`` (files starting with ``_`` are shared data) and compile them."""
    macros_file = directory / "_macros.yaml"
    macros: dict[str, str] = {}
    if macros_file.exists():
        macros = {str(k): str(v) for k, v in (yaml.safe_load(macros_file.read_text("utf-8")) or {}).items()}
    # Macros may use other macros (none do today, but one level is cheap to allow).
    macros = {k: _expand(v, macros, str(macros_file)) for k, v in macros.items()}

    raw: dict[tuple[str, ...], dict[str, list[str]]] = {}
    words: dict[str, set[str]] = {name: set() for name in _WORD_LISTS}
    languages = []
    for file in sorted(directory.glob("*.yaml")):
        if file.name.startswith("_"):
            continue
        data = yaml.safe_load(file.read_text("utf-8")) or {}
        if not isinstance(data, dict):
            raise PhraseError(f"{file}: top level must be a mapping")
        lang = str(data.get("language", file.stem))
        languages.append(lang)
        # A language's own fragments (verb families, say), usable as %NAME% in that file only.
        local = dict(macros)
        for k, v in (data.get("macros") or {}).items():
            local[str(k)] = _expand(str(v), local, f"{file} macros.{k}")
        for key, value in data.items():
            if key in ("language", "macros"):
                continue
            if key in _WORD_LISTS:
                words[key].update(str(w).lower() for w in value or ())
                continue
            per_file: dict[tuple[str, ...], list[str]] = {}
            _walk(value, (str(key),), per_file, str(file))
            for path, patterns in per_file.items():
                for p in patterns:
                    expanded = _expand(p, local, f"{file} {'.'.join(path)}")
                    try:
                        re.compile(expanded, _FLAGS)
                    except re.error as exc:
                        raise PhraseError(f"{file}: group {'.'.join(path)}: bad pattern {p!r}: {exc}") from exc
                    raw.setdefault(path, {}).setdefault(lang, []).append(expanded)
    scanner = _Scanner()
    patterns = {path: Group(".".join(path), by_lang, scanner) for path, by_lang in raw.items()}
    compiled_macros = {k: re.compile(v, _FLAGS) for k, v in macros.items()}
    return Phrasebook(tuple(languages), patterns, {k: frozenset(v) for k, v in words.items()}, compiled_macros)


@lru_cache(maxsize=1)
def phrasebook() -> Phrasebook:
    """The packaged phrase data, loaded and compiled on first use."""
    return load()


def reply_lang(ctx: ReplyContext) -> str | None:
    """The reply's language to narrow pattern searches to, or None (search every language's patterns).

    Every language is searched when the reply's language is undetermined (short replies mostly are: see
    :mod:`qa.language`), and when it differs from the customer's (a Spanish phrase inside a reply told as
    English, a bilingual reply).
    """
    lang = ctx.reply_language
    if lang in ("", "und"):
        return None
    if ctx.customer_language not in ("", "und", lang):
        return None
    return lang


def spans(rx: Group | re.Pattern[str] | None, text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Non-empty match spans of ``rx`` in ``text`` (none when the group is not defined).

    ``lang``: search only that language's patterns (see :class:`Group`).
    """
    if rx is None:
        return []
    found = rx.finditer(text, lang) if isinstance(rx, Group) else rx.finditer(text)
    return [m.span() for m in found if m.end() > m.start()]


def evidence(text: str, found: list[tuple[int, int]]) -> tuple[Evidence, ...]:
    """Evidence for spans, merged where they overlap, trimmed of surrounding blanks, in text order."""
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out = []
    for start, end in merged:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Evidence(start, end, text[start:end]))
    return tuple(out)
