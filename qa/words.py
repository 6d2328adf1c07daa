"""The words a text is compared by (templates, issues, repeats, echoes): lower-cased runs of letters, without
the URLs, @handles and #tags that differ from one customer to the next. Its own module: every grouper and test
of shared words reads texts through it, a few times a reply, so it is kept fast (:func:`words`).
"""

from __future__ import annotations

import re

from .language import latin1_bytes

__all__ = ["words", "has_word_in", "shingles"]

# URLs, @handles, #tags: dropped. The alternatives start with different characters, so their order does not
# change a match. A text without "http" or "www." can only hold the last two: their pattern alone skips ahead
# to an @ or # (the whole one stops at every h and w), twice as fast.
_SKIP = re.compile(r"[@#]\w+|https?://\S+|www\.\S+")
_HANDLES = re.compile(r"[@#]\w+")
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)  # a word: a run of letters
# Latin-1 text: each byte that _LETTERS takes kept, every other one a space (the same runs, split in C)
_LATIN1_LETTERS = bytes(c if _LETTERS.fullmatch(chr(c)) else 32 for c in range(256))


def _plain(text: str) -> str:
    """``text`` lower-cased, its URLs, @handles and #tags blanked (they differ per customer)."""
    low = text.lower()
    if "http" in low or "www." in low:
        return _SKIP.sub(" ", low)
    return _HANDLES.sub(" ", low) if "@" in low or "#" in low else low


def _runs(plain: str) -> list[str]:
    """The runs of letters of ``plain`` (``_LETTERS.findall``; Latin-1 text through ``bytes.translate``, 4x
    faster)."""
    raw = latin1_bytes(plain)
    return _LETTERS.findall(plain) if raw is None else raw.translate(_LATIN1_LETTERS).decode("latin-1").split()


def words(text: str, min_len: int = 1) -> list[str]:
    """The words of a text, lower-cased, without URLs, @handles and numbers (they differ per customer)."""
    out = _runs(_plain(text))
    return [w for w in out if len(w) >= min_len] if min_len > 1 else out


def has_word_in(text: str, vocabulary: set[str] | frozenset[str], min_len: int = 1) -> bool:
    """Whether a word of ``text`` that :func:`words` keeps is in ``vocabulary`` (no word list made)."""
    return not vocabulary.isdisjoint(words(text, min_len))


def shingles(text: str, n: int = 2, min_len: int = 1) -> set[str]:
    """Word n-grams of a text (its words themselves when it has fewer than ``n``), see :func:`words`."""
    ws = words(text, min_len)
    if n <= 1 or len(ws) < n:
        return set(ws)
    if n == 2:
        return set(map(" ".join, zip(ws, ws[1:])))
    return {" ".join(ws[i:i + n]) for i in range(len(ws) - n + 1)}
