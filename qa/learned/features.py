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
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from qa.language import latin1_bytes

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


def _masked(text: str) -> str:
    """Lower case; ``@handle`` -> the token ``atuser``; a link's scheme -> the token ``urlx``."""
    text = text.lower().replace("&amp;", "&")
    if "@" in text:
        text = _HANDLE.sub(" atuser ", text)
    if "http" in text or "www." in text:
        text = _LINK_START.sub(" urlx ", text)
    return text


def normalise(text: str) -> str:
    """:func:`_masked`, and digits -> ``0``."""
    return _DIGIT.sub("0", _masked(text))


@lru_cache(maxsize=4)
def _vectoriser(norm: str | None = "l2", low: int = 1, high: int = 2) -> HashingVectorizer:
    return HashingVectorizer(analyzer="word", ngram_range=(low, high), n_features=N_FEATURES,
                             alternate_sign=False, token_pattern=_TOKEN, lowercase=False, norm=norm,
                             dtype=np.float32)


# ASCII bytes as the hashing reads them after :func:`normalise`: a word character (``\\w``) stays, a digit becomes
# ``0``, anything else a space, so that ``split()`` gives the words the token pattern finds.
_ASCII_WORDS = bytes(ord("0") if chr(c).isdigit() else c if (chr(c).isalnum() or c == ord("_")) else ord(" ")
                     for c in range(128)) + bytes(range(128, 256))


# The same for every Latin-1 character: its only decimal digits are ASCII ones.
_LATIN1_WORDS = _ASCII_WORDS[:128] + bytes(c if chr(c).isalnum() else ord(" ") for c in range(128, 256))
_OTHER_NON_WORD = re.compile(r"[^\x00-\x7f\w]+")  # a non-ASCII character that is not a word character
_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a decimal digit outside ASCII (Arabic-Indic, Devanagari...)


def _words(text: str) -> list[str]:
    """The words of ``normalise(text)`` as the token pattern finds them (a test compares the two on every kind
    of text), about three times faster: the ASCII characters are mapped in one C call (``bytes.translate``
    on the UTF-8 bytes: a byte of a longer character is left alone), the other non-word characters blanked
    by one regex, and the result split, instead of a regex pass for digits and one for the words."""
    norm = _masked(text)
    if (raw := latin1_bytes(norm)) is not None:  # ASCII or Latin-1 (English, Spanish...): one table, in C
        return raw.translate(_LATIN1_WORDS).decode("latin-1").split()
    if _OTHER_DIGIT.search(norm):  # rare: the slow way
        return _WORD.findall(_DIGIT.sub("0", norm))
    mapped = norm.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS).decode("utf-8", "surrogatepass")
    return _OTHER_NON_WORD.sub(" ", mapped).split()


class _Ids(dict):  # type: ignore[type-arg]
    """Word -> its number in a batch, given on first sight (``list(ids)`` is then the words by number). Keyed
    and valued by strings and ints only: a dict the garbage collector does not track."""

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        return number


def _bucket(feature: str) -> int:
    """The hash bucket of ``feature`` as ``FeatureHasher`` computes it: MurmurHash3, seed 0, of the UTF-8 bytes,
    its absolute value modulo :data:`N_FEATURES`."""
    return abs(murmurhash3_32(feature, seed=0)) % N_FEATURES


def vectorise(texts: list[str]) -> sp.csr_matrix:
    """One L2-normalised row of hashed word 1-2-grams per text: exactly what :func:`_vectoriser`'s
    ``HashingVectorizer.transform`` gives (a test compares them), several times faster on a batch.

    The vectoriser feeds ``FeatureHasher`` a generator of ``(feature, 1)`` per word and per bigram, joins every
    bigram into a new string and hashes each occurrence. Here the words of the whole batch are numbered (one
    dictionary lookup a word), each distinct word and each distinct pair of word numbers is hashed once (brand
    replies share most of their words), and the rows are built by numpy from the numbers: no Python object per
    word pair, so nothing for the garbage collector to walk. The matrix then goes through the same steps as in
    scikit-learn (duplicates summed, L2 rows), so it is the same."""
    if not texts:
        return _vectoriser().transform([])
    ids = _Ids()
    numbers: list[int] = []
    lengths: list[int] = []
    for text in texts:
        words = _words(text)
        numbers += map(ids.__getitem__, words)
        lengths.append(len(words))
    vocabulary = list(ids)
    word = np.asarray(numbers, dtype=np.int64)
    row = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    word_bucket = np.fromiter(map(_bucket, vocabulary), dtype=np.int64, count=len(vocabulary))
    within = row[:-1] == row[1:]  # a word and the next one of the same text: a bigram
    size = max(len(vocabulary), 1)
    pairs, pair_of = np.unique(word[:-1][within] * size + word[1:][within], return_inverse=True)
    pair_bucket = np.fromiter((_bucket(f"{vocabulary[p // size]} {vocabulary[p % size]}") for p in pairs.tolist()),
                              dtype=np.int64, count=len(pairs))
    rows = np.concatenate([row, row[:-1][within]])
    cols = np.concatenate([word_bucket[word], pair_bucket[pair_of]]).astype(np.int32)
    x = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(texts), N_FEATURES))
    x.sum_duplicates()
    x.indices = x.indices.astype(np.int32, copy=False)
    x.indptr = x.indptr.astype(np.int32, copy=False)
    return normalize(x, norm="l2", copy=False)


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
