"""Hashed word features of a reply, and which words of a reply weighed most in a linear model's score.

A reply becomes a sparse vector of hashed word unigrams and bigrams (scikit-learn's ``HashingVectorizer``,
MurmurHash3): the model file then holds coefficients for hash buckets, never a word of the training replies.
Before hashing, text is normalised so that what varies between replies of one kind does not split the
evidence: lower case, ``@handles`` to one token, digits to ``0`` (a phone number keeps its shape), and the
punctuation inside links to spaces (``/contact-us`` gives the words ``contact us``). Character n-grams were
measured too (leave-brands-out, dev labels): no better, five times slower.

The spec (:data:`SPEC`) is written into every model file and checked on load: a model hashed another way
would score nonsense.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["SPEC", "N_FEATURES", "normalise", "vectorise", "word_spans", "word_weights"]

HASH_BITS = 18
N_FEATURES = 1 << HASH_BITS
SPEC = {"kind": "hashed-words", "version": 1, "hash_bits": HASH_BITS, "ngram_range": [1, 2],
        "normalise": "lower,handles,digits,links"}

_HANDLE = re.compile(r"@\w+")
_LINK_START = re.compile(r"https?://|www\.")
_DIGIT = re.compile(r"\d")
_TOKEN = r"(?u)\b\w+\b"
_WORD = re.compile(_TOKEN)


def normalise(text: str) -> str:
    """Lower case; ``@handle`` -> ``@u``; digits -> ``0``; a link's scheme -> the token ``urlx``."""
    text = text.lower().replace("&amp;", "&")
    text = _HANDLE.sub(" atuser ", text)
    text = _LINK_START.sub(" urlx ", text)
    return _DIGIT.sub("0", text)


@lru_cache(maxsize=4)
def _vectoriser(norm: str | None = "l2", low: int = 1, high: int = 2) -> HashingVectorizer:
    return HashingVectorizer(analyzer="word", ngram_range=(low, high), n_features=N_FEATURES,
                             alternate_sign=False, token_pattern=_TOKEN, lowercase=False, norm=norm,
                             dtype=np.float32)


def vectorise(texts: list[str]) -> sp.csr_matrix:
    """One L2-normalised row of hashed word 1-2-grams per text."""
    return _vectoriser().transform([normalise(t) for t in texts])


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text``: normalising keeps offsets for every word but handles and
    link schemes, so words are found on the original text."""
    return [m.span() for m in _WORD.finditer(text)]


def word_weights(text: str, coef: np.ndarray) -> list[tuple[float, int, int]]:
    """``(weight, start, end)`` per word of ``text``: the coefficient of the word's own bucket plus half of
    each bigram it is part of. Ranks words by how much they pushed the score up."""
    spans = word_spans(text)
    if not spans:
        return []
    words = [normalise(text[s:e]).strip() for s, e in spans]
    uni = _vectoriser(None, 1, 1).transform(words)
    bigrams = [f"{a} {b}" for a, b in zip(words, words[1:])]
    bi = _vectoriser(None, 2, 2).transform(bigrams) if bigrams else None
    uni_w = np.asarray(uni @ coef).ravel()
    bi_w = np.asarray(bi @ coef).ravel() if bi is not None else np.zeros(0)
    out = []
    for i, (s, e) in enumerate(spans):
        w = uni_w[i]
        if i > 0:
            w += bi_w[i - 1] / 2
        if i < len(bi_w):
            w += bi_w[i] / 2
        out.append((float(w), s, e))
    return out
