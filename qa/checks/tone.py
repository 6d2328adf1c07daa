"""Per-reply tone: ``empathy``, ``blame`` and ``personalisation``. Simple on purpose, and honest about it.

* ``empathy``: the reply acknowledges a feeling or apologises ("sorry", "that's frustrating", "lamentamos").
* ``blame``: the reply puts the fault on the customer ("you should have", "as we already said", "es tu
  responsabilidad").
* ``personalisation``: the reply takes up something specific from the customer's posts (a content word or a
  number they used) rather than only template words. Undetermined when there is no customer text to compare.
  It is a word-overlap heuristic: it cannot tell a paraphrase from a template.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.checks.base import Evidence, Finding, ReplyContext, register, settled
from qa.checks.phrases import evidence, phrasebook, reply_lang

__all__ = ["Empathy", "Blame", "Personalisation"]


class _PhraseCheck:
    name = ""

    def run(self, ctx: ReplyContext) -> Finding:
        book = phrasebook()
        found = book.read(ctx.text).spans(book.get(self.name), reply_lang(ctx))
        if not found:
            return settled(self.name, False)  # one dictionary lookup: the check's name is the subclass's
        return Finding(self.name, True, evidence(ctx.text, found))


class Empathy(_PhraseCheck):
    name = "empathy"
    polarity = "quality"  # registry: True is good; the scorecard flags its absence


class Blame(_PhraseCheck):
    name = "blame"


_TOKEN = re.compile(r"(?<![@#\w/])(?:[^\W\d_][\w'’-]{2,}|\w*\d\w*)", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_HAS_DIGIT = re.compile(r"\d")
_STEM = 5  # crude stemming by prefix: "delayed"/"delays", "cancelar"/"cancelación"


def _stem(word: str) -> str:
    """Prefix of a word; numbers and codes ("BA198", "11.1") are compared whole."""
    if word.isalpha():  # most words: no digit, no regex needed
        return word[:_STEM]
    return word if _HAS_DIGIT.search(word) else word[:_STEM]


@lru_cache(maxsize=2048)
def _customer_stems(customer_text: str) -> frozenset[str]:
    """Stems of the customer's words; cached, since a thread's posts are read again for each brand reply."""
    return frozenset(_stem(w) for w in _TOKEN.findall(_URL.sub(" ", customer_text.lower())))


@lru_cache(maxsize=1)
def _skip_words() -> frozenset[str]:
    book = phrasebook()
    return book.words.get("stopwords", frozenset()) | book.words.get("generic", frozenset())


class Personalisation:
    name = "personalisation"
    nothing = settled(name, False, shared_words=())  # the shared finding of most replies
    no_customer = settled(name, None)
    polarity = "quality"  # registry: True is good; the scorecard flags its absence

    def run(self, ctx: ReplyContext) -> Finding:
        if not ctx.customer_text.strip():
            return self.no_customer
        skip = _skip_words()
        customer = _customer_stems(ctx.customer_text)
        text = ctx.text
        masked = _URL.sub(lambda m: " " * len(m.group(0)), text) if "http" in text or "www." in text else text
        found = []
        has_digit = _HAS_DIGIT.search
        for m in _TOKEN.finditer(masked):
            word = m[0].lower()
            if word in skip or (word.isdigit() and len(word) < 2):
                continue
            # _stem(word), inlined: this loop runs for every word of every reply
            if (word[:_STEM] if word.isalpha() or not has_digit(word) else word) in customer:
                found.append(m.span())
        if not found:
            return self.nothing
        ev: tuple[Evidence, ...] = evidence(text, found)
        return Finding(self.name, bool(found), ev, {"shared_words": tuple(e.text for e in ev)})


register(Empathy())
register(Blame())
register(Personalisation())
