"""Excuses: facts of a thread that keep a reply from failing a scorecard criterion its text check still flags.

A text check judges the reply's words, as ``LABELING.md`` defines them: "you can reach us on 0800 ..." is a
``deflection`` whatever was asked. The scorecard judges the reply as a QA lead would, and lesson 6's failure is
sending a customer elsewhere *instead of* handling their matter: giving the number to a customer who asked
"what's your phone number?" answers them. Lesson 12 likewise accepts a reply that "explains and offers a
translation". A rulebook names the excuses a criterion accepts (``scorecard.criteria.<name>.excused_when``); an
excused reply keeps its flag, loses no points for it, and its explanation and evidence say why.

The excuses and their words are data (``policies/excuses.yaml``): each names what it reads (the customer's
latest post or the reply) and its patterns per language, so a brand adds one without touching the scorecard. An
excuse may also name parts that must be found one after the other (``then``: an answer, then the channel offered
as an option), each part with its patterns per language. An excuse that reads the thread (``reads: thread``)
names instead a fact of the thread's structure that the thread checks give per reply (``fact``: the reply comes
back in public from a private exchange), for what no words say: "All done, enjoy your week!" closes a DM. A
text excuse may name the only concessions it covers (``concessions``, kinds): a refund's status excuses the
refund, not a discount given beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

__all__ = ["Excuse", "ThreadExcuse", "excuses", "excuse_names", "holds", "DATA_FILE"]

DATA_FILE = Path(__file__).parent / "policies" / "excuses.yaml"
_READS = {"customer": "customer_text", "reply": "text"}


def latest_post(customer_text: str) -> str:
    """The customer's latest post before the reply (the last non-empty line of their posts, joined by lines)."""
    lines = [line for line in customer_text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@dataclass(frozen=True)
class Excuse:
    """Applies to the replies whose ``reads`` text ("customer": their latest post; "reply") matches ``pattern``
and then, after that match, each of ``then`` in turn; ``reason`` is shown in their explanation and evidence."""

    name: str
    reason: str
    reads: str
    pattern: re.Pattern[str]
    then: tuple[re.Pattern[str], ...] = ()
    gate: tuple[str, ...] | None = None  # words one of which every match of ``pattern`` holds (None: no gate)
    kinds: tuple[str, ...] = ()  # when given: it applies only to replies whose concessions are all of these

    def holds(self, text: str) -> bool:
        if self.reads == "customer":
            text = latest_post(text)
        if not text:
            return False
        if self.gate is not None:  # most replies hold none of the words: the big alternation is not searched
            lower = text.lower()
            if not any(word in lower for word in self.gate):
                return False
        at = 0
        for part in (self.pattern, *self.then):
            m = part.search(text, at)
            if m is None:
                return False
            at = m.end()
        return True

    def applies(self, table: pd.DataFrame) -> pd.Series:
        column = _READS[self.reads]
        if column not in table.columns:
            return pd.Series(False, index=table.index)
        texts = table[column].fillna("").astype(str).tolist()
        if self.kinds:
            given = table["concessions"].fillna("").astype(str).tolist() if "concessions" in table.columns \
                else [""] * len(texts)
            return pd.Series([_only(c, self.kinds) and _holds(self, t) for c, t in zip(given, texts)],
                             index=table.index, dtype=bool)
        return pd.Series([_holds(self, t) for t in texts], index=table.index, dtype=bool)


def _only(concessions: str, kinds: tuple[str, ...]) -> bool:
    """Whether every concession of a reply's ``concessions`` ("refund;discount 50%") is of one of ``kinds``."""
    return all(part.split(" ", 1)[0] in kinds for part in concessions.split(";") if part)


@dataclass(frozen=True)
class ThreadExcuse:
    """Applies to the replies whose thread ``fact`` holds: a column the thread checks add to the reply table
    (:mod:`qa.thread_checks`, :mod:`qa.replies`), True or False per reply; missing, it holds for none."""

    name: str
    reason: str
    fact: str
    reads: str = "thread"

    def applies(self, table: pd.DataFrame) -> pd.Series:
        if self.fact not in table.columns:
            return pd.Series(False, index=table.index)
        return table[self.fact].astype("boolean").fillna(False).astype(bool)


THREAD_FACTS = ("back_from_dm",)  # the facts the thread checks give (a new one: add its column there too)


@lru_cache(maxsize=4096)
def _holds(excuse: Excuse, text: str) -> bool:
    """Cached: a thread's customer posts are read again for each of its replies."""
    return excuse.holds(text)


def _text_excuse(name: str, spec: dict) -> Excuse:
    then = tuple(_compiled(part) for part in spec.get("then", ()))
    return Excuse(name, spec["reason"], spec["reads"], _compiled(spec), then, _gate(spec),
                  tuple(spec.get("concessions", ())))


def _gate(spec: dict) -> tuple[str, ...] | None:
    """The words (lower-cased, as substrings) one of which every match of the excuse's first part holds, from the
    literals each pattern requires (:mod:`qa.checks.clauses`, as the text checks are gated); None when some
    pattern requires none."""
    from qa.checks.clauses import required_literals

    words: set[str] = set()
    for p in _patterns(spec):
        literals = required_literals(p)
        if not literals:
            return None
        words.update(lit.removeprefix("\\b").removesuffix("\\b").lower() for lit in literals)
    return tuple(sorted(words)) if all(words) else None


def _thread_excuse(name: str, spec: dict) -> ThreadExcuse:
    if spec["fact"] not in THREAD_FACTS:
        raise ValueError(f"{DATA_FILE}: excuse {name}: unknown thread fact {spec['fact']!r} "
                         f"(known: {', '.join(THREAD_FACTS)})")
    return ThreadExcuse(name, spec["reason"], spec["fact"])


_KINDS = {"customer": _text_excuse, "reply": _text_excuse, "thread": _thread_excuse}  # by what an excuse reads


@lru_cache(maxsize=1)
def excuses() -> dict[str, Excuse | ThreadExcuse]:
    """Every excuse of the data file, by name."""
    with open(DATA_FILE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {name: _KINDS[spec["reads"]](name, spec) for name, spec in data.items()}


_SETTINGS = ("reason", "reads", "then", "concessions")  # an excuse's keys that are not a language's patterns


def _patterns(spec: dict) -> list[str]:
    """Every language's patterns of ``spec`` (the keys that are not settings)."""
    return [p for key, items in spec.items() if key not in _SETTINGS for p in items]


def _compiled(spec: dict) -> re.Pattern[str]:
    """One pattern of every language's patterns of ``spec``."""
    return re.compile("|".join(f"(?:{p})" for p in _patterns(spec)), re.IGNORECASE)


def excuse_names() -> list[str]:
    return sorted(excuses())


def holds(name: str, text: str) -> bool:
    """Whether excuse ``name`` holds for ``text`` (the customer's posts or the reply, as the excuse reads); for
    an excuse that reads words only."""
    excuse = excuses()[name]
    if not isinstance(excuse, Excuse):
        raise TypeError(f"excuse {name} reads the thread, not a text")
    return excuse.holds(text)
