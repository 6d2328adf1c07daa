"""Customer posts that need no reply: thanks, acknowledgements, closings (lesson 2 of the domain brief).

"Fine, thanks" after the brand's answer is not an unanswered post, and a brand that replies "you're welcome"
to it is not late. The words are data (``policies/no_reply_needed.yaml``, one list per language the phrase
files cover); the rule is here: a post needs no reply when it asks nothing, holds at least one closing and
nothing else but filler words. Anything else (a question, a complaint, a word we do not know) needs a reply,
so a doubt always counts the post as waiting.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from .concessions import literal_trie

__all__ = ["needs_reply", "ClosingRule", "closing_rule"]

DATA_FILE = Path(__file__).parent / "policies" / "no_reply_needed.yaml"
_HANDLES_LINKS = re.compile(r"https?://\S+|www\.\S+|[@#]\w+")
_LETTER = re.compile(r"[^\W\d_]")
_QUESTION = re.compile(r"[?？¿]")
_SPACED = re.compile(r"[A-Za-zÀ-ÿ]")  # languages written with spaces get word boundaries


def _alternation(items: list[str]) -> str:
    """The items as one pattern matching the longest that fits, as a trie: one branch per character is tried
    instead of every item at every position."""
    return literal_trie(sorted(set(items)))


def _pattern(items: list[str]) -> re.Pattern[str] | None:
    spaced = [i.lower() for i in items if _SPACED.search(i)]
    other = [i.lower() for i in items if not _SPACED.search(i)]
    parts = []
    if spaced:
        parts.append(rf"(?<!\w)(?:{_alternation(spaced)})(?!\w)")
    if other:  # Japanese and symbols: no spaces between words, so no boundaries
        parts.append(f"(?:{_alternation(other)})")
    return re.compile("|".join(parts)) if parts else None


class ClosingRule:
    """Compiled closings and filler words of every language in the data file."""

    def __init__(self, data: dict):
        self.max_length = int(data.get("max_length", 160))
        langs = [v for v in data.values() if isinstance(v, dict)]
        anchors = [w for lang in langs for key in ("phrases", "words") for w in lang.get(key) or []]
        anchors += [str(s) for s in data.get("symbols") or []]
        self.anchor = _pattern(anchors)
        self.filler = _pattern([w for lang in langs for w in lang.get("filler") or []])

    def needs_reply(self, text: str) -> bool:
        """False only for a post that is nothing but thanks, acknowledgement or goodbye."""
        if not text or len(text) > self.max_length or _QUESTION.search(text) or self.anchor is None:
            return True
        s = _HANDLES_LINKS.sub(" ", text.lower())
        s, found = self.anchor.subn(" ", s)
        if not found:
            return True
        if self.filler is not None:
            s = self.filler.sub(" ", s)
        return bool(_LETTER.search(s))


@lru_cache(maxsize=1)
def closing_rule() -> ClosingRule:
    with open(DATA_FILE, encoding="utf-8") as fh:
        return ClosingRule(yaml.safe_load(fh))


def needs_reply(text: str) -> bool:
    """Whether a customer post waits for an answer (see :class:`ClosingRule`)."""
    return closing_rule().needs_reply(text)
