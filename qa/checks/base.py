"""What every QA check shares: the reply it reads, the finding it returns, and the registry of checks.

A check is a small object with a ``name`` and ``run(ctx) -> Finding``: a pure function of one brand reply in
its thread. Phrase lists live in data files per language, not in code, so a language is added by data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Evidence", "Finding", "ReplyContext", "Check", "CHECKS", "register"]


@dataclass(frozen=True)
class Evidence:
    """The words that triggered a verdict: ``text == reply_text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Finding:
    """One check's verdict on one reply: True (it does it), False, or None (undetermined).

    ``source`` says what found a True verdict: ``rule`` (the phrase rules), ``model`` (the learned layer,
    :mod:`qa.learned`, alone) or ``both``.
    """

    check: str
    verdict: bool | None
    evidence: tuple[Evidence, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)
    source: str = "rule"


@dataclass(frozen=True)
class ReplyContext:
    """A brand reply and what a reviewer would read before it in the thread."""

    reply_id: str
    text: str
    customer_text: str = ""  # the customer's posts in the thread up to this reply, oldest first, joined
    customer_language: str = "und"  # ISO 639-1, or "und"
    reply_language: str = "und"
    earlier_brand_texts: tuple[str, ...] = ()
    brand: str = ""
    channel: str = ""
    public: bool = True
    facts: Mapping[str, Any] = field(default_factory=dict)  # purchase_date, order_value, product, category


class Check(Protocol):
    name: str

    def run(self, ctx: ReplyContext) -> Finding: ...


CHECKS: dict[str, Check] = {}


def register(check: Check) -> Check:
    """Add ``check`` to the registry under its name (used as a decorator on instances' classes)."""
    CHECKS[check.name] = check
    return check
