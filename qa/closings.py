"""Customer posts that need no reply: thanks, acknowledgements, closings and praise (lesson 2 of the brief).

"Fine, thanks" after the brand's answer is not an unanswered post, and a brand that replies "you're welcome"
to it is not late. The words are data (``policies/no_reply_needed.yaml``, one list per language the phrase
files cover); the rule is here: a post needs no reply when it asks nothing, holds at least one closing and
nothing else but filler words. Praise needs none either, whatever it praises ("best airline ever"): a post
that asks nothing, holds a praise phrase and none of the vetoes (a complaint, a request, a contrast, a question
word, a sarcasm marker: "love you guys but my order is late", "great, another delay"). Anything else needs a
reply, so a doubt always counts the post as waiting.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from .concessions import literal_trie
from .memo import Memo

__all__ = ["needs_reply", "ClosingRule", "closing_rule", "forget"]

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
        self.praise = _pattern([w for lang in langs for w in lang.get("praise") or []])
        self.veto = _pattern([w for lang in langs for w in lang.get("veto") or []])
        self.complaint = _pattern([w for lang in langs for w in lang.get("complaint") or []])
        self.solved = _pattern([w for lang in langs for w in lang.get("solved") or []])

    def needs_reply(self, text: str) -> bool:
        """False only for a post that is nothing but thanks, acknowledgement or goodbye, or only praise."""
        if not text or len(text) > self.max_length or _QUESTION.search(text) or self.anchor is None:
            return True
        lower = _HANDLES_LINKS.sub(" ", text.lower().replace("\u2019", "'"))
        return self._more_than_closings(lower) and not self._praise_only(lower)

    @staticmethod
    def asks(text: str) -> bool:
        """Whether the post holds a question mark (what :meth:`needs_reply` reads first)."""
        return bool(text) and _QUESTION.search(text) is not None

    def grateful(self, text: str) -> bool:
        """Thanks or praise with none of the vetoes and no question ("thank you for changing my booking so fast,
        all perfect"): a post that needs a reply by :meth:`needs_reply` (it says more than thanks), yet one that
        courtesy answers in full (:mod:`qa.courtesy`)."""
        if not text or _QUESTION.search(text) or self.anchor is None:
            return False
        lower = _HANDLES_LINKS.sub(" ", text.lower().replace("\u2019", "'"))
        found = self.anchor.search(lower) is not None or (self.praise is not None and
                                                           self.praise.search(lower) is not None)
        return found and (self.veto is None or self.veto.search(lower) is None)

    def complains(self, text: str) -> bool:
        """Whether the post reports a problem in words ("the lid snapped off", "sigo sin poder entrar", "nobody
        answers") and does not say it is solved ("already sorted, just venting"): a complaint, which courtesy
        alone does not answer (:class:`qa.criteria.NoNextStep`)."""
        if not text or self.complaint is None:
            return False
        lower = _HANDLES_LINKS.sub(" ", text.lower().replace("\u2019", "'"))
        return self.complaint.search(lower) is not None and (self.solved is None or
                                                             self.solved.search(lower) is None)

    def _more_than_closings(self, lower: str) -> bool:
        s, found = self.anchor.subn(" ", lower)
        if not found:
            return True
        if self.filler is not None:
            s = self.filler.sub(" ", s)
        return bool(_LETTER.search(s))

    def _praise_only(self, lower: str) -> bool:
        """Praise of anything, with no complaint, request, contrast or sarcasm beside it."""
        return (self.praise is not None and self.praise.search(lower) is not None
                and (self.veto is None or self.veto.search(lower) is None))


@lru_cache(maxsize=1)
def closing_rule() -> ClosingRule:
    with open(DATA_FILE, encoding="utf-8") as fh:
        return ClosingRule(yaml.safe_load(fh))


# Answers by text, shared by the thread timing (every customer post of a batch) and the tone checks (the posts
# before each reply): a post is judged once, not once more per reply after it. Emptied when a batch starts and
# ends and after phase one (:func:`forget`), so it holds one batch's posts at most; bounded all the same.
ANSWERS_KEPT = 65_536
_ANSWERS = Memo(lambda text: closing_rule().needs_reply(text), ANSWERS_KEPT)


def needs_reply(text: str) -> bool:
    """Whether a customer post waits for an answer (see :class:`ClosingRule`); remembered by text."""
    return _ANSWERS[text]


def forget() -> None:
    """Drop the remembered answers (a run's phase one is over; a benchmark's repeat starts cold)."""
    _ANSWERS.clear()
