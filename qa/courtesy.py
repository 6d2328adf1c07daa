"""Replies that are nothing but courtesy: lesson 14's "polished replies that fix nothing".

A reply offers the customer something to act on or wait for when it answers, says what the brand did or will
do, asks for what it needs, moves to DM, links to steps, concedes or refers. Telling every such thing apart
would take reading for meaning; the courtesy that fixes nothing is a small, closed vocabulary instead (an
apology, empathy, thanks, a greeting, a generic "we're here if you need anything"). So a reply is *courtesy
only* when every word of it is in the phrase files' ``courtesy`` word list (every language's, merged), leaving
aside @handles and #tags, the name the reply greets or addresses ("Hi Sam", ", Sam!") and an agent's sign-off
("^JD", "-Anna"). A question mark, a digit or a link is always something more (a question, a time, an order
number, steps). Any other word ("fixed", "engineer", "tomorrow", "revisando") makes the reply more than
courtesy: the rule errs towards not charging. Pure code: no I/O beyond the phrase files.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["courtesy_only", "vocabulary"]

_MORE = re.compile(r"[?¿？\d]|https?://|www\.")  # a question, a number or time, a link: more than courtesy
_TAGS = re.compile(r"[@#]\w+")
_SIGN_OFF = re.compile(r"(?:^|[\s.!])(?:[\^*~]\s*[A-Za-z]|[/–—-]\s*[A-Z])[A-Za-z]{0,15}(?:\s+[A-Z][A-Za-z]{0,15})?"
                       r"[\s.!]*$")  # "^JD", "*jv", "-Anna", ".-DC"; a dash before a lower-case word is no name
_GREETED = re.compile(r"\b(?:hi|hello|hey|dear|morning|evening|hola|buenas|buenos\s+d[ií]as)\s+"
                      r"([^\W\d_][\w'’-]*)", re.IGNORECASE)
_ADDRESSED = re.compile(r",\s*([^\W\d_a-z][^\W\d_]*)\s*(?=,|[.!]*\s*$)")  # "..., Sam!" (not "Fixed, thanks")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The ``courtesy`` words of every phrase file, lower-cased (curly apostrophes as straight ones)."""
    from qa.checks.phrases import phrasebook

    return frozenset(w.replace("’", "'") for w in phrasebook().words.get("courtesy", frozenset()))


_NAME_WORDS = 4  # words a greeted name, an addressed name and a two-word sign-off can hold at most


@lru_cache(maxsize=4096)
def courtesy_only(text: str) -> bool:
    """Whether ``text`` holds words, and every one is courtesy (or a name or sign-off, as above); cached: the
    same few apologies make most of such replies. Most replies hold many other words: counted first, so that
    the name and sign-off patterns run only on the few that may be courtesy alone."""
    text = _TAGS.sub(" ", text)  # before the digits: "@115712" is a handle, not a number
    if _MORE.search(text):
        return False
    other = _others(text)
    if other is None or len(other) > _NAME_WORDS:
        return False
    if not other:
        return True
    text = _SIGN_OFF.sub(" ", text)
    names = {m.group(1).lower() for m in _GREETED.finditer(text)}
    names.update(m.group(1).lower() for m in _ADDRESSED.finditer(text))
    rest = _others(text)
    return rest is not None and not rest - names


@lru_cache(maxsize=1)
def _run() -> re.Pattern[str]:
    """Courtesy words and what lies between words, as long as it lasts (lower case): the scan stops at the
    first other word, in ``re``, so a reply with something to say costs one match."""
    words = sorted(vocabulary())  # first: it loads the phrase files, and with them qa.checks whole
    from qa.concessions import literal_trie  # (imported first, qa.concessions would meet itself half made)

    return re.compile(rf"(?:[^\w']+|'|(?:{literal_trie(words)})(?![\w']))*")


_ANY_WORD = re.compile(r"[\w']+")


def _others(text: str) -> set[str] | None:
    """The words of ``text`` that are not courtesy (lower-cased), up to one more than a name can hold; None
    when it holds no word at all."""
    low = text.lower().replace("’", "'")
    run, other, at = _run(), set(), 0
    while len(other) <= _NAME_WORDS:
        at = run.match(low, at).end()  # type: ignore[union-attr]  # it matches, if only the empty string
        word = _ANY_WORD.match(low, at)
        if word is None:
            break
        other.add(word.group(0))
        at = word.end()
    return other if other or _WORD.search(low) else None
