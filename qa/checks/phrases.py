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
from qa.checks.prefilter import Scanner, required_literals

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


PHRASES_DIR = Path(__file__).resolve().parent.parent / "phrases"
_FLAGS = re.IGNORECASE | re.MULTILINE
_MACRO = re.compile(r"%([A-Z][A-Z0-9_]*)%")


class PhraseError(ValueError):
    """A phrase file is malformed: the message names the file and the group."""


def _fold_pattern(pattern: str) -> str:
    """Lower-case the literal characters of ``pattern``, leaving escapes (``\\S``, ``\\W``) as they are."""
    out, escaped = [], False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out)


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


class _Compiled:
    """One pattern, compiled twice: case-folded for lower-cased text (about three times faster in Python's
    ``re`` than ``IGNORECASE``) and with ``IGNORECASE`` for texts whose length ``lower()`` changes; a pattern
    with a case-sensitive part (``(?-i:CAT)``) runs on the original text only."""

    __slots__ = ("fold", "fold_i", "exact")

    def __init__(self, pattern: str) -> None:
        self.exact = re.compile(pattern, _FLAGS) if "(?-i:" in pattern else None
        self.fold = None if self.exact else re.compile(_fold_pattern(pattern), re.MULTILINE)
        self.fold_i = None if self.exact else re.compile(pattern, _FLAGS)

    def on(self, text: str, lower: str) -> tuple[re.Pattern[str], str]:
        if self.exact is not None:
            return self.exact, text
        if len(lower) == len(text):
            return self.fold, lower  # type: ignore[return-value]
        return self.fold_i, text  # type: ignore[return-value]


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
        heads.sort(key=lambda h: (h[0], h[1]))
        _, _, best = heads[0]
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


class _Alternation:
    """Active patterns that keep occurring together (a brand's macros), compiled as one case-folded alternation:
    faster than running them one by one once the compile is paid back."""

    __slots__ = ("fold", "fold_i")

    def __init__(self, patterns: list[str]) -> None:
        self.fold = re.compile("|".join(f"(?:{_fold_pattern(p)})" for p in patterns), re.MULTILINE)
        self.fold_i = re.compile(_alternation(patterns), _FLAGS)

    def on(self, text: str, lower: str) -> tuple[re.Pattern[str], str]:
        return (self.fold, lower) if len(lower) == len(text) else (self.fold_i, text)


_COMPILE_AFTER = 20  # a subset of active patterns seen this often gets its own compiled alternation
_MAX_SUBSETS = 4096  # subsets counted or compiled per group; a bounded cache, cleared when full


_LOWER: dict[str, str] = {}


def _lower(text: str) -> str:
    """``text.lower()``, remembered for the last few texts: every group a reply's checks search lower-cases it."""
    out = _LOWER.get(text)
    if out is None:
        if len(_LOWER) >= 32:
            _LOWER.clear()
        out = _LOWER[text] = text.lower()
    return out


class Group:
    """One group's patterns, per language and all together, each pattern gated by its own literals.

    Matching runs on the lower-cased reply with case-folded patterns, about three times faster in Python's
    ``re`` than ``IGNORECASE``; the few patterns with a case-sensitive part (``(?-i:CAT)``) run on the original
    text. Match offsets are the same in both, since we only fold texts whose length ``lower()`` keeps. Only
    the patterns whose required literals occur in the reply run, each compiled once, their matches merged as
    the alternation of the group would give them (:func:`_alternate`): a pattern without its literals cannot
    match, so the result is the same as running all of them, in the same order. (Compiling an alternation of
    each new subset of active patterns cost more than all the matching: most replies make a new subset.)

    ``lang`` narrows a search to one language's patterns (the reply's, when it was told with confidence):
    half the work for a bilingual phrasebook. ``None``, or a language without patterns for this group,
    searches all of them.
    """

    __slots__ = ("name", "pattern", "_patterns", "_langs", "_always", "_id", "_scanner", "_compiled", "_subsets",
                 "_exact")

    def __init__(self, name: str, by_lang: dict[str, list[str]], scanner: Scanner | None = None) -> None:
        """``scanner``: shared by the groups of one phrasebook, so that a reply is scanned once for all."""
        self.name = name
        self._scanner = scanner = scanner or Scanner()
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
        self._compiled: dict[int, _Compiled] = {}
        self._subsets: dict[tuple[int, ...], _Alternation | int] = {}  # compiled, or how often seen so far
        self._exact = frozenset(i for i, p in enumerate(self._patterns) if "(?-i:" in p)

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
        if len(key) > 1:
            seen = self._subsets.get(key, 0)
            if isinstance(seen, _Alternation):
                return [seen.on(text, lower)]
            if len(self._subsets) >= _MAX_SUBSETS:
                self._subsets.clear()
            if seen + 1 >= _COMPILE_AFTER and not self._exact.intersection(key):
                alt = self._subsets[key] = _Alternation([self._patterns[i] for i in key])
                return [alt.on(text, lower)]
            self._subsets[key] = seen + 1
        runs = []
        for i in key:
            c = self._compiled.get(i)
            if c is None:
                c = self._compiled[i] = _Compiled(self._patterns[i])
            runs.append(c.on(text, lower))
        return runs

    def finditer(self, text: str, lang: str | None = None) -> Iterator[re.Match[str]]:
        """Matches in text order (offsets index ``text``; the matched string may be lower-cased)."""
        runs = self._runs(text, lang)
        if len(runs) == 1:
            return runs[0][0].finditer(runs[0][1])
        return _alternate(runs)

    def search(self, text: str, lang: str | None = None) -> re.Match[str] | None:
        """The leftmost match (the earlier pattern on a tie), as the group's alternation would find it."""
        best = None
        for rx, t in self._runs(text, lang):
            m = rx.search(t)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


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
    scanner = Scanner()
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
