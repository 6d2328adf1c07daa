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
from qa.checks.matching import Group, Reading, alternation
from qa.checks.clauses import required_literals
from qa.checks.prefilter import Scanner

__all__ = [
    "PHRASES_DIR",
    "PhraseError",
    "Group",
    "Reading",
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


@dataclass(frozen=True)
class Phrasebook:
    """Compiled patterns per ``(check, group)`` path, and word lists per name, across all languages."""

    languages: tuple[str, ...]
    patterns: dict[tuple[str, ...], Group] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    macros: dict[str, re.Pattern[str]] = field(default_factory=dict)
    scanner: Scanner = field(default_factory=Scanner, compare=False, repr=False)
    _groups: dict[tuple[str, ...], tuple[tuple[str, Group], ...]] = field(default_factory=dict, compare=False, repr=False)
    _named: dict[tuple[str, tuple[str, ...]], dict[str, Group | None]] = field(default_factory=dict, compare=False,
                                                                             repr=False)

    def read(self, text: str) -> Reading:
        """``text`` lower-cased and scanned once, for searching any number of groups (see :class:`Reading`).
        The last few readings are remembered: every check of a reply reads it, and a reading never changes."""
        readings = self.scanner.readings  # forgotten with the scanner's memory of texts
        reading = readings.get(text)
        if reading is None:
            if len(readings) >= 8:
                del readings[next(iter(readings))]  # the oldest
            reading = readings[text] = Reading(self.scanner, text)
        return reading

    def get(self, *path: str) -> Group | None:
        """The combined pattern of one group, or None when no language defines it."""
        return self.patterns.get(path)

    def named(self, check: str, names: tuple[str, ...]) -> dict[str, Group | None]:
        """``{name: self.get(check, name)}`` for ``names``, built once per phrasebook: a check asks for its
        groups on every reply."""
        found = self._named.get((check, names))
        if found is None:
            found = self._named[(check, names)] = {name: self.get(check, name) for name in names}
        return found

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


_WORD_LISTS = ("stopwords", "generic", "courtesy")  # courtesy: qa/courtesy.py


def _word_list(value: Any, where: str) -> list[str]:
    """Lower-cased words; refuses non-strings, since YAML reads a bare no/yes/on/off as a boolean and the word would
    silently become "false" or "true"."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PhraseError(f"{where} must be a list of words")
    for word in value:
        if not isinstance(word, str):
            hint = " (quote it: YAML reads bare no/yes/on/off as booleans)" if isinstance(word, bool) else ""
            raise PhraseError(f"{where}: {word!r} is not a word{hint}")
    return [w.lower() for w in value]


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
                words[key].update(_word_list(value, f"{file}: {key}"))
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
    return Phrasebook(tuple(languages), patterns, {k: frozenset(v) for k, v in words.items()}, compiled_macros,
                      scanner)


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


def spans(rx: Group | re.Pattern[str] | None, text: str, lang: str | None = None,
          within: str | None = None) -> list[tuple[int, int]]:
    """Non-empty match spans of ``rx`` in ``text`` (none when the group is not defined).

    ``lang``: search only that language's patterns; ``within``: the whole reply ``text`` is a piece of (see
    :class:`Group`).
    """
    if rx is None:
        return []
    found = rx.finditer(text, lang, within) if isinstance(rx, Group) else rx.finditer(text)
    return [m.span() for m in found if m.end() > m.start()]


def _trimmed(text: str, start: int, end: int) -> Evidence | None:
    """Evidence for ``text[start:end]`` without its surrounding blanks, or None when only blanks."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Evidence(start, end, text[start:end]) if end > start else None


def evidence(text: str, found: list[tuple[int, int]]) -> tuple[Evidence, ...]:
    """Evidence for spans, merged where they overlap, trimmed of surrounding blanks, in text order."""
    if len(found) == 1:  # most findings: nothing to sort or merge
        one = _trimmed(text, *found[0])
        return () if one is None else (one,)
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(ev for start, end in merged if (ev := _trimmed(text, start, end)) is not None)
