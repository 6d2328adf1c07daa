"""Rulebook checks on one reply: concessions against the allowed ones, and never-acceptable phrases.

Pure functions of a reply's concessions, its case facts and the rulebook. A concession is within policy when
some rule lists its kind and every condition of that rule holds; otherwise its *departure* (0-1) says how far
off it is, from the closest rule, so a refund on day 31 departs less than one on day 300. Facts the data does
not give (no purchase date in twcs) make the verdict ``unknown`` rather than a guess.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .checks.base import CheckSpec, Evidence, Finding, declare
from .concessions import Concession
from .language import latin1_bytes

if TYPE_CHECKING:
    from .rulebook import ConcessionRule, Rulebook

__all__ = ["PolicyVerdict", "judge_concessions", "never_acceptable", "days_since_purchase"]

declare(CheckSpec("off_policy", "off_policy", criterion="off_policy_compensation", kind="policy",
                  description="a concession the rulebook does not allow (empty when a needed fact is missing)"))
declare(CheckSpec("never_acceptable", "never_acceptable", kind="policy",
                  description="a phrase the rulebook never accepts"))


@dataclass(frozen=True)
class PolicyVerdict:
    """``status`` is "" (no concession), "within", "off_policy" or "unknown"; ``departure`` is 0-1."""

    status: str
    departure: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


_NO_CONCESSION = PolicyVerdict("", 0.0)  # frozen: one object shared by the replies that concede nothing


def days_since_purchase(facts: dict[str, Any], at: datetime | None) -> float | None:
    pd_ = facts.get("purchase_date")
    if pd_ is None or at is None or (isinstance(pd_, float) and math.isnan(pd_)):
        return None
    try:
        purchase = pd_.date() if hasattr(pd_, "date") else pd_
        return float((at.date() - purchase).days)
    except (TypeError, ValueError, AttributeError):
        return None


def _grow(base: float, excess: float, scale: float) -> float:
    """A breach's severity: ``base`` at the limit, rising to 1 as the excess reaches ``scale``."""
    return min(1.0, base + (1.0 - base) * min(1.0, excess / max(scale, 1e-9)))


def _rule_departure(rule: ConcessionRule, c: Concession, days: float | None, category: str | None,
                    channel: str, book: Rulebook) -> tuple[float, bool, list[str]]:
    """(departure, depends on unknown facts, reasons) of concession ``c`` under one rule."""
    d = book.departure
    sev: list[float] = []
    reasons: list[str] = []
    unknown = False
    if rule.channels is not None and channel not in rule.channels:
        sev.append(d.kind_never_allowed)
        reasons.append(f"{c.kind} not allowed on {channel}")
    if rule.categories is not None:
        if not category:
            unknown = True
        elif category not in rule.categories:
            sev.append(d.kind_never_allowed)
            reasons.append(f"{c.kind} not allowed for {category}")
    if rule.max_days_since_purchase is not None or rule.min_days_since_purchase is not None:
        if days is None:
            unknown = True
        elif rule.max_days_since_purchase is not None and days > rule.max_days_since_purchase:
            lim = rule.max_days_since_purchase
            sev.append(_grow(d.outside_window_base, days - lim, lim))
            reasons.append(f"{c.kind} {days:.0f} days after purchase (limit {lim})")
        elif rule.min_days_since_purchase is not None and days < rule.min_days_since_purchase:
            lim = rule.min_days_since_purchase
            sev.append(_grow(d.outside_window_base, lim - days, lim))
            reasons.append(f"{c.kind} only {days:.0f} days after purchase (from day {lim})")
    if rule.max_percent is not None and c.percent is not None and c.percent > rule.max_percent:
        sev.append(_grow(d.over_limit_base, c.percent - rule.max_percent, rule.max_percent))
        reasons.append(f"{c.kind} {c.percent:g}% (limit {rule.max_percent:g}%)")
    if rule.max_amount is not None and c.amount is not None and c.amount > rule.max_amount:
        sev.append(_grow(d.over_limit_base, c.amount - rule.max_amount, rule.max_amount))
        reasons.append(f"{c.kind} {c.amount:g} (limit {rule.max_amount:g})")
    return (max(sev) if sev else 0.0), unknown, reasons


def judge_concessions(concessions: list[Concession], facts: dict[str, Any], at: datetime | None, channel: str,
                      book: Rulebook) -> PolicyVerdict:
    """Judge every concession of one reply; departures of several combine as 1 - prod(1 - d)."""
    if not concessions:
        return _NO_CONCESSION
    days = days_since_purchase(facts, at)
    category = facts.get("issue_category") or None
    if isinstance(category, float):
        category = None
    keep = 1.0
    reasons: list[str] = []
    any_unknown = False
    for c in concessions:
        rules = [r for r in book.concessions if c.kind in r.kinds]
        if not rules:
            dep, unk, why = book.departure.kind_never_allowed, False, [f"{c.kind} is not in the rulebook"]
        else:
            judged = [_rule_departure(r, c, days, category, channel, book) for r in rules]
            # the closest rule decides; among equals, one that needs no unknown fact
            dep, unk, why = min(judged, key=lambda t: (t[0], t[1]))
        if dep == 0.0 and unk:
            any_unknown = True
            dep = book.departure.unknown_facts
            why = [f"{c.kind}: case facts needed to judge it are missing"]
        keep *= 1.0 - dep
        reasons.extend(why)
    departure = 1.0 - keep
    hard = [r for r in reasons if "missing" not in r]
    if hard:
        status = "off_policy"
    elif any_unknown:
        status = "unknown"
    else:
        status = "within"
    return PolicyVerdict(status, round(departure, 6), tuple(reasons))


class _Phrases:
    """Phrases found case-insensitively, as one IGNORECASE pattern would find them (longest first).

    Replies in Latin-1 (English, Spanish: nearly all) are searched lower-cased with a case-sensitive pattern:
    ``re`` then skips to the letters that start a phrase instead of trying every phrase at every position.
    The matches are the same: among Latin-1 characters IGNORECASE equates exactly the pairs that lower-case
    alike, and lower-casing keeps them single Latin-1 characters (positions unchanged). A phrase with a
    character beyond Latin-1 that IGNORECASE equates with one inside it (the Kelvin sign, the long s, the
    Greek mu) keeps the slow path; other phrases beyond Latin-1 cannot match such text at all.
    """

    def __init__(self, phrases: tuple[str, ...]):
        ordered = sorted(phrases, key=len, reverse=True)
        self.any_case = re.compile("|".join(re.escape(p) for p in ordered), re.IGNORECASE)
        self.latin: re.Pattern[str] | None = None
        self.lowered: tuple[str, ...] = ()
        self.latin_safe = not any(_folds_into_latin1(ch) for p in ordered for ch in p if ch > _LATIN1_LAST)
        if self.latin_safe:
            self.lowered = tuple(p.lower() for p in ordered if latin1_bytes(p) is not None)
            self.latin = re.compile("|".join(re.escape(p) for p in self.lowered)) if self.lowered else None

    def search(self, text: str) -> tuple[int, int] | None:
        if self.latin_safe and latin1_bytes(text) is not None:
            low = text.lower()
            # a phrase occurs as a substring (str's own search, a fraction of the alternation's cost on a
            # reply without any: nearly all) exactly when the pattern of those escaped phrases matches
            for p in self.lowered:
                if p in low:
                    m = self.latin.search(low) if self.latin is not None else None
                    break
            else:
                m = None
        else:
            m = self.any_case.search(text)
        return m.span() if m else None


_LATIN1_LAST = "\xff"


def _folds_into_latin1(ch: str) -> bool:
    rx = re.compile(re.escape(ch), re.IGNORECASE)
    return any(rx.fullmatch(chr(c)) for c in range(256))


_PATTERNS: dict[tuple[tuple[str, tuple[str, ...]], ...], _Phrases | None] = {}
_last: tuple = ((), None)  # (phrases, matcher) of the rulebook used last, read and replaced whole (threads)
_NOT_FOUND = Finding("never_acceptable", False)


def _matcher(phrases: dict[str, tuple[str, ...]]) -> _Phrases | None:
    """One matcher over every language's phrases, compiled once per rulebook. The last rulebook's is found by
    comparing its phrases with the last ones (the same objects: a pointer test each) instead of hashing them
    all again."""
    global _last
    key = tuple(phrases.items())
    last_key, last_rx = _last
    if key == last_key and last_key:
        return last_rx
    rx = _compiled(phrases)
    _last = (key, rx)
    return rx


def _compiled(phrases: dict[str, tuple[str, ...]]) -> _Phrases | None:
    """A matcher over ``phrases`` kept by content, without touching the last-rulebook shortcut of
    :func:`_matcher` (the innocent wordings are read on the rare reply that holds a phrase)."""
    key = tuple(phrases.items())
    if key not in _PATTERNS:
        every = tuple(p for _, ps in key for p in ps)
        _PATTERNS[key] = _Phrases(every) if every else None
    return _PATTERNS[key]


def never_acceptable(text: str, book: Rulebook) -> Finding:
    """The first never-acceptable phrase in the reply, of any language the rulebook lists.

    The lists are kept per language for the QA lead who writes them, but a reply is held to all of them: a
    phrase is no more acceptable because the language detector misread a short reply ("Cálmese, por favor,
    ..." is read as English with high confidence by CLD2) or the agent wrote in another language.
    """
    rx = _matcher(book.never_acceptable)
    span = rx.search(text) if rx is not None else None
    if span is None:
        return _NOT_FOUND
    if book.never_acceptable_unless:  # read only on the rare reply that holds a phrase
        span = _outside_innocent(text, rx, _compiled(book.never_acceptable_unless))
        if span is None:
            return _NOT_FOUND
    return Finding("never_acceptable", True, (Evidence(span[0], span[1], text[span[0]:span[1]]),))


def _outside_innocent(text: str, rx: _Phrases, innocent: _Phrases | None) -> tuple[int, int] | None:
    """The first phrase of ``rx`` in ``text`` that no innocent wording around it covers ("we'll deal with it
    this afternoon" holds "deal with it", inside "will deal with it"), or None."""
    if innocent is None:
        return rx.search(text)
    covers = [m.span() for m in innocent.any_case.finditer(text)]
    for m in rx.any_case.finditer(text):
        if not any(a <= m.start() and m.end() <= b for a, b in covers):
            return m.span()
    return None
