"""Excuses: facts of a thread that keep a reply from failing a scorecard criterion its text check still flags.

A text check judges the reply's words, as ``LABELING.md`` defines them: "you can reach us on 0800 ..." is a
``deflection`` whatever was asked. The scorecard judges the reply as a QA lead would, and lesson 6's failure is
sending a customer elsewhere *instead of* handling their matter: giving the number to a customer who asked
"what's your phone number?" answers them. A rulebook names the excuses a criterion accepts
(``scorecard.criteria.deflection.excused_when``); an excused reply keeps its flag, loses no points for it, and
its explanation says why. Each excuse is an object here, by name, so a brand adds one without touching the
scorecard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

__all__ = ["Excuse", "CustomerAskedForContact", "excuses", "excuse_names"]

CONTACT_QUESTIONS = Path(__file__).parent / "policies" / "contact_questions.yaml"


@dataclass(frozen=True)
class Excuse:
    """``applies(table)``: True on the replies the excuse covers; ``reason`` is shown in their explanation."""

    name: str
    reason: str

    def applies(self, table: pd.DataFrame) -> pd.Series:
        raise NotImplementedError


@lru_cache(maxsize=1)
def _contact_question() -> re.Pattern[str]:
    with open(CONTACT_QUESTIONS, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return re.compile("|".join(f"(?:{p})" for lang in data.values() for p in lang), re.IGNORECASE)


@lru_cache(maxsize=4096)
def asks_for_contact(customer_text: str) -> bool:
    """Whether the customer's latest post (the last line of their posts) asks how to reach the brand."""
    lines = [line for line in customer_text.splitlines() if line.strip()]
    return bool(lines) and _contact_question().search(lines[-1]) is not None


@dataclass(frozen=True)
class CustomerAskedForContact(Excuse):
    """The customer's latest post asked for the brand's number, e-mail or address, or how to call or write."""

    def applies(self, table: pd.DataFrame) -> pd.Series:
        if "customer_text" not in table.columns:
            return pd.Series(False, index=table.index)
        texts = table["customer_text"].fillna("").astype(str)
        return pd.Series([asks_for_contact(t) for t in texts.tolist()], index=table.index, dtype=bool)


_EXCUSES = (CustomerAskedForContact("customer_asked_for_contact",
                                    "the customer asked how to reach the brand"),)


def excuses() -> dict[str, Excuse]:
    return {e.name: e for e in _EXCUSES}


def excuse_names() -> list[str]:
    return sorted(excuses())
