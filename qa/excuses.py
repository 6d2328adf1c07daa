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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from qa.checks.matching import Group
from qa.checks.prefilter import Scanner

__all__ = ["Excuse", "ThreadExcuse", "excuses", "excuse_names", "holds", "DATA_FILE"]

DATA_FILE = Path(__file__).parent / "policies" / "excuses.yaml"
_READS = {"customer": "customer_text", "reply": "text"}
_SETTINGS = ("reason", "reads", "then", "concessions")  # an excuse's keys that are not a language's patterns


def latest_post(customer_text: str) -> str:
    """The customer's latest post before the reply (the last non-empty line of their posts, joined by lines)."""
    lines = [line for line in customer_text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, as the cache of _holds keys it (the fields'
class Excuse:  # hash would hash each compiled pattern's code on every ask: 2% of a whole `qa score`)
    """Applies to the replies whose ``reads`` text ("customer": their latest post; "reply") matches ``pattern``
and then, after that match, each of ``then`` in turn; ``reason`` is shown in their explanation and evidence."""

    name: str
    reason: str
    reads: str
    pattern: re.Pattern[str]
    then: tuple[re.Pattern[str], ...] = ()
    # ``pattern``'s patterns as a phrase group (None: ``pattern`` is searched): each alternative searched only when
    # the text holds every literal it requires, as the text checks are gated; the same first match
    finder: Group | None = field(default=None, compare=False)
    kinds: tuple[str, ...] = ()  # when given: it applies only to replies whose concessions are all of these

    @property
    def columns(self) -> tuple[str, ...]:
        """The reply table's columns :meth:`applies` reads."""
        return (_READS[self.reads], "concessions") if self.kinds else (_READS[self.reads],)

    def holds(self, text: str) -> bool:
        if self.reads == "customer":
            text = latest_post(text)
        if not text:
            return False
        m = self.pattern.search(text) if self.finder is None else self.finder.search(text)
        if m is None:
            return False
        at = m.end()
        for part in self.then:
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

    @property
    def columns(self) -> tuple[str, ...]:
        """The reply table's columns :meth:`applies` reads."""
        return (self.fact,)

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
    return Excuse(name, spec["reason"], spec["reads"], _compiled(spec), then, _finder(name, spec),
                  tuple(spec.get("concessions", ())))


_LINE_ANCHOR = re.compile(r"(?<!\[)\^|\$")  # ``^`` or ``$`` (or one in a class): a group would search MULTILINE


def _finder(name: str, spec: dict) -> Group | None:
    """The first part's patterns as a phrase group with its own scanner (:mod:`qa.checks.matching`): the
    alternation split into its alternatives, each searched (case-folded, led by its first characters) only when
    the text holds a literal of each of its clauses, the matches merged as the alternation gives them. Most
    replies hold the words of none ("great" and "sorted" but no "DM"): about seven times less time than the
    whole alternation behind a gate of one word per pattern. None when a pattern anchors to a line."""
    by_lang = {key: list(items) for key, items in spec.items() if key not in _SETTINGS}
    if any(_LINE_ANCHOR.search(p) for ps in by_lang.values() for p in ps):
        return None
    return Group(f"excuse.{name}", by_lang, Scanner())


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
