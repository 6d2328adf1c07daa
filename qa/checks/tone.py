"""Per-reply tone: ``empathy``, ``blame`` and ``personalisation``. Simple on purpose, and honest about it.

* ``empathy``: the reply acknowledges a feeling or apologises ("sorry", "that's frustrating", "lamentamos").
* ``blame``: the reply puts the fault on the customer ("you should have", "as we already said", "es tu
  responsabilidad").
* ``personalisation``: the reply takes up something specific from the customer's posts (a content word or a
  number they used) rather than only template words. Undetermined when there is no customer text to compare.
  It is a word-overlap heuristic: it cannot tell a paraphrase from a template.

Empathy and personalisation are undetermined (not scored) when the customer's posts are nothing but thanks, praise,
acknowledgements or goodbyes (:mod:`qa.closings`, lesson 2 of the domain brief): "Glad it works!" to "thanks,
all sorted" owes no apology and has none of their words to take up.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress
from operator import itemgetter, methodcaller

from qa.checks.base import Evidence, Finding, ReplyContext, register, settled
from qa.checks.phrases import evidence, phrasebook, reply_lang
from qa.closings import needs_reply
from qa.memo import Memo

__all__ = ["Empathy", "Blame", "Personalisation"]


class _PhraseCheck:
    name = ""

    def run(self, ctx: ReplyContext) -> Finding:
        book = phrasebook()
        found = book.read(ctx.text).spans(book.get(self.name), reply_lang(ctx))
        if not found:
            return settled(self.name, False)  # one dictionary lookup: the check's name is the subclass's
        return Finding(self.name, True, evidence(ctx.text, found))


@lru_cache(maxsize=2048)
def courtesy_only(customer_text: str) -> bool:
    """Whether the customer's posts before a reply are only thanks, acknowledgements or goodbyes (they needed no
    reply); cached, since a thread's posts are read again for each brand reply."""
    return bool(customer_text.strip()) and not needs_reply(customer_text)


class Empathy(_PhraseCheck):
    name = "empathy"
    polarity = "quality"  # registry: True is good; the scorecard flags its absence
    courtesy = settled(name, None, customer_posts="only thanks, praise or goodbyes")

    def run(self, ctx: ReplyContext) -> Finding:
        return self.courtesy if courtesy_only(ctx.customer_text) else super().run(ctx)


class Blame(_PhraseCheck):
    name = "blame"


# A word: a letter and two or more word characters, apostrophes or hyphens, or a word-character run holding a
# digit; not inside an @handle, a #tag or a path. ``WORD`` says it plainly; ``_TOKEN`` finds the same spans
# (a test compares them) written to start with the word character instead of the lookbehind, so that ``re``
# skips blanks and punctuation instead of trying the lookbehind at every position.
WORD = re.compile(r"(?<![@#\w/])(?:[^\W\d_][\w'’-]{2,}|\w*\d\w*)", re.UNICODE)
_TOKEN = re.compile(r"\w(?<![@#\w/]\w)(?:(?<=[^\W\d_])[\w'’-]{2,}|(?<=\d)\w*|\w*\d\w*)", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_HAS_DIGIT = re.compile(r"\d")
_STEM = 5  # crude stemming by prefix: "delayed"/"delays", "cancelar"/"cancelación"


def _stem(word: str) -> str:
    """Prefix of a word; numbers and codes ("BA198", "11.1") are compared whole."""
    if word.isalpha():  # most words: no digit, no regex needed
        return word[:_STEM]
    return word if _HAS_DIGIT.search(word) else word[:_STEM]


# Lower-cased word -> its stem, filled on first sight: the same few thousand words make most replies. About 3 MB
# each (this one, every word: all the customer's words are compared; and the reply's); a new number is a new word.
STEMS_KEPT = 16_384
_STEMS = Memo(_stem, STEMS_KEPT)


@lru_cache(maxsize=2048)
def _customer_stems(customer_text: str) -> frozenset[str]:
    """Stems of the customer's words; cached, since a thread's posts are read again for each brand reply."""
    return frozenset(map(_STEMS.__getitem__, _TOKEN.findall(_URL.sub(" ", customer_text.lower()))))


@lru_cache(maxsize=1)
def _skip_words() -> frozenset[str]:
    book = phrasebook()
    return book.words.get("stopwords", frozenset()) | book.words.get("generic", frozenset())


@lru_cache(maxsize=1)
def _reply_stems() -> Memo:
    """The reply's words' stems, None for the words personalisation leaves out (the phrase files' stopwords and
    generic words, single digits): built once the phrase files' word lists are read."""
    skip = _skip_words()
    return Memo(lambda word: None if word in skip or (word.isdigit() and len(word) < 2) else _stem(word),
                STEMS_KEPT)


_CAPITAL_SIGMA = "\u03a3"  # the one character ``str.lower`` maps by its neighbours (final or medial sigma)


def _shared(masked: str, customer: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of the words of ``masked`` whose stem is among ``customer``'s, skipped words left out.

    The tokens are found in the lower-cased text, each word looked up once: the same tokens and spans as in
    ``masked`` itself, and the same words as lower-casing each token, when lowering keeps the length (then it
    maps each character to one, and no character's class changes: a test checks every code point) and the
    text holds no capital sigma. Otherwise each token is lower-cased alone, as the definition says."""
    stems = _reply_stems()
    lower = masked.lower()
    if len(lower) == len(masked) and _CAPITAL_SIGMA not in masked:
        found = list(_TOKEN.finditer(lower))
        words = map(_matched, found)
    else:
        found = list(_TOKEN.finditer(masked))
        words = map(str.lower, map(_matched, found))
    # One flag a token, mapped in C (no Python step per token): a reply holds two dozen of them
    hits = list(map(customer.__contains__, map(stems.__getitem__, words)))
    return list(map(_span, compress(found, hits))) if True in hits else []


_matched, _span = itemgetter(0), methodcaller("span")


class Personalisation:
    name = "personalisation"
    nothing = settled(name, False, shared_words=())  # the shared finding of most replies
    no_customer = settled(name, None)
    courtesy = settled(name, None, customer_posts="only thanks, praise or goodbyes")
    polarity = "quality"  # registry: True is good; the scorecard flags its absence

    def run(self, ctx: ReplyContext) -> Finding:
        if not ctx.customer_text.strip():
            return self.no_customer
        if courtesy_only(ctx.customer_text):
            return self.courtesy
        customer = _customer_stems(ctx.customer_text)
        text = ctx.text
        masked = _URL.sub(lambda m: " " * len(m.group(0)), text) if "http" in text or "www." in text else text
        found = _shared(masked, customer)
        if not found:
            return self.nothing
        ev: tuple[Evidence, ...] = evidence(text, found)
        return Finding(self.name, bool(found), ev, {"shared_words": tuple(e.text for e in ev)})


register(Empathy())
register(Blame())
register(Personalisation())
