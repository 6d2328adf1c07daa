"""Grouping similar short texts without comparing all pairs: MinHash signatures and LSH banding.

Comparing every reply with every other is O(n^2): a million replies would take days. MinHash estimates the
Jaccard similarity of two texts' shingle sets from k small integers each; LSH banding puts texts whose
signatures agree on a whole band into one bucket, so only texts sharing a bucket are compared. Candidates are
then verified (estimated Jaccard >= threshold) and joined into groups (single link, connected components).
Work and memory are O(n x k). Hashing is stable across runs and machines (crc32, fixed seeds), so group ids
do not change between runs of the same data.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["shingles", "minhash_signatures", "similarity_groups", "text_groups", "TextGrouper", "NUM_PERM"]

NUM_PERM = 32
_PRIME = (1 << 31) - 1
_rng = np.random.default_rng(20240501)  # fixed: signatures must not change between runs
_A = _rng.integers(1, _PRIME, NUM_PERM, dtype=np.int64)
_B = _rng.integers(0, _PRIME, NUM_PERM, dtype=np.int64)
_BAND_MIX = _rng.integers(1, 1 << 62, NUM_PERM, dtype=np.uint64) | np.uint64(1)

_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"[@#]\w+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def shingles(text: str, n: int = 2, min_len: int = 1) -> set[str]:
    """Word n-grams of a text, lower-cased, without URLs, @handles and numbers (they differ per customer)."""
    text = _HANDLE.sub(" ", _URL.sub(" ", text.lower()))
    words = [w for w in _WORD.findall(text) if len(w) >= min_len]
    if n <= 1 or len(words) < n:
        return set(words)
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


_VOCAB_LIMIT = 1_000_000  # shingle -> crc32 remembered; a bounded cache (cleared when full), so memory stays flat
_PAIR_CHUNK = 16_384  # candidate pairs verified at a time: 2 x 128 bytes of signature each
_SHINGLE_CHUNK = 16_384  # shingle occurrences hashed at a time: 3 x 4 kB of temporaries each


def _minhash_into(docs: Iterable[set[str]], out: np.ndarray, chunk: int) -> int:
    """Write the MinHash signature of each document of ``docs`` into the next row of ``out``; returns rows.

    Work is done ``chunk`` shingle occurrences at a time, and only each shingle's crc32 is remembered (a
    bounded cache): the 32 permuted hashes are computed per chunk, so memory does not grow with the text.
    An empty document gets a signature of its own (the row number stands in as its only shingle).
    """
    vocab: dict[str, int] = {}
    row = 0
    it = iter(docs)
    done = False
    while not done:
        crcs: list[int] = []
        offsets: list[int] = []
        while len(crcs) < chunk:
            d = next(it, None)
            if d is None:
                done = True
                break
            offsets.append(len(crcs))
            if not d:  # unique, so empty texts never look alike
                d = {f"\x00empty{row + len(offsets) - 1}"}
            if len(vocab) > _VOCAB_LIMIT:
                vocab.clear()
            for sh in d:
                c = vocab.get(sh)
                if c is None:
                    c = vocab[sh] = zlib.crc32(sh.encode("utf-8"))
                crcs.append(c)
        if not offsets:
            break
        x = np.asarray(crcs, dtype=np.int64)
        h = (x[:, None] * _A[None, :] + _B[None, :]) % _PRIME
        out[row:row + len(offsets)] = np.minimum.reduceat(h, np.asarray(offsets, dtype=np.int64), axis=0)
        row += len(offsets)
    return row


def minhash_signatures(docs: Sequence[set[str]], chunk: int = 16_384) -> np.ndarray:
    """(len(docs), NUM_PERM) uint32 MinHash signatures (each value < 2^31); an empty document gets a
    signature of its own."""
    sig = np.empty((len(docs), NUM_PERM), dtype=np.uint32)
    _minhash_into(docs, sig, chunk)
    return sig


def _bands_for(threshold: float) -> tuple[int, int]:
    """(bands, rows) whose S-curve threshold (1/b)^(1/r) sits a little below ``threshold``."""
    best = (NUM_PERM, 1)
    for r in (1, 2, 4, 8):
        b = NUM_PERM // r
        t = (1.0 / b) ** (1.0 / r)
        if t <= threshold * 0.85:
            best = (b, r)
    return best


def similarity_groups(sig: np.ndarray, threshold: float, blocks: Sequence | None = None) -> np.ndarray:
    """Group label per document: documents joined by verified similar pairs share a label.

    ``blocks`` (optional, one key per document) keeps groups inside a block, e.g. one brand. Labels are the
    smallest document index in the group, so they are stable for a given input order.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(sig)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    block_key = np.zeros(n, dtype=np.uint64)
    codes = np.zeros(n, dtype=np.int64)
    if blocks is not None:
        codes = np.unique(np.asarray(blocks, dtype=object).astype(str), return_inverse=True)[1].astype(np.int64)
        with np.errstate(over="ignore"):
            block_key = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    b, r = _bands_for(threshold)
    # Inside a bucket documents are chained in an order of their own (a hash of the whole signature), not
    # in input order: verification is not transitive, so the pairs checked, hence the groups, must not
    # depend on the order texts arrive in (batches of a streamed file, or one list).
    with np.errstate(over="ignore"):
        canon = (sig.astype(np.uint64) * _BAND_MIX).sum(axis=1)
    edges = np.zeros(0, dtype=np.int64)  # verified pairs, as a * n + c, deduplicated band after band
    for band in range(b):
        cols = slice(band * r, band * r + r)
        with np.errstate(over="ignore"):
            key = (sig[:, cols].astype(np.uint64) * _BAND_MIX[cols]).sum(axis=1) ^ block_key
        order = np.lexsort((canon, key))
        k = key[order]
        del key
        same = k[1:] == k[:-1]
        del k
        if not same.any():
            continue
        # chain each document to the previous one in its bucket and to the bucket's first one
        starts = np.r_[0, np.flatnonzero(~same) + 1]
        first = np.repeat(order[starts], np.diff(np.r_[starts, n]))
        prev_i, cur_i = order[:-1][same], order[1:][same]
        a = np.concatenate([prev_i, first[1:][same]])
        c = np.concatenate([cur_i, cur_i])
        del first, prev_i, cur_i, order, same
        keep = a != c
        pair = np.unique(a[keep] * n + c[keep])
        del a, c, keep
        pair = pair[~np.isin(pair, edges, assume_unique=True)] if len(edges) else pair
        a, c = pair // n, pair % n
        ok = np.zeros(len(pair), dtype=bool)
        for i in range(0, len(pair), _PAIR_CHUNK):  # verify in slices: a slice of pairs costs 2 x 128 bytes each
            sl = slice(i, i + _PAIR_CHUNK)
            est = (sig[a[sl]] == sig[c[sl]]).mean(axis=1)
            ok[sl] = (est >= threshold) & (codes[a[sl]] == codes[c[sl]])
        if ok.any():
            edges = np.union1d(edges, pair[ok])
    if not len(edges):
        return np.arange(n, dtype=np.int64)
    a, c = edges // n, edges % n
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (a, c)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    # label = smallest member index
    first_of = np.full(comp.max() + 1, n, dtype=np.int64)
    np.minimum.at(first_of, comp, np.arange(n))
    return first_of[comp]


class TextGrouper:
    """Texts added a batch at a time and grouped once at the end, as :func:`text_groups` groups one list.

    Only what the grouping needs is kept: one uint32 signature per distinct (block, text) and, per text added,
    the index of its distinct entry. Distinct texts are remembered up to ``memo_limit`` at a time (templates
    repeat all day); past it an identical text gets a new entry, which its identical signature puts in the
    same group anyway, so memory stays bounded without changing any group.
    """

    def __init__(self, threshold: float, n: int = 2, min_len: int = 1, memo_limit: int = 200_000):
        self.threshold, self.n, self.min_len, self.memo_limit = threshold, n, min_len, memo_limit
        self._memo: dict[tuple, int] = {}
        self._sigs: list[np.ndarray] = []
        self._has_words: list[np.ndarray] = []
        self._blocks: list[str] = []  # per distinct entry
        self._inverse: list[np.ndarray] = []
        self._count = 0  # distinct entries so far
        self.size = 0  # texts added so far

    def add(self, texts: Sequence[str], blocks: Sequence | None = None) -> None:
        keys = zip(blocks, texts) if blocks is not None else (("", t) for t in texts)
        inverse = np.empty(len(texts), dtype=np.int64)
        new: list[tuple] = []
        memo = self._memo
        for i, k in enumerate(keys):
            j = memo.get(k)
            if j is None:
                if len(memo) >= self.memo_limit:
                    memo.clear()
                j = memo[k] = self._count + len(new)
                new.append(k)
            inverse[i] = j
        if new:
            has = np.zeros(len(new), dtype=bool)

            def docs():
                for j, (_, t) in enumerate(new):
                    sh = shingles(t, n=self.n, min_len=self.min_len)
                    if sh:
                        has[j] = True
                        yield sh

            sig = np.empty((len(new), NUM_PERM), dtype=np.uint32)
            sig = sig[:_minhash_into(docs(), sig, _SHINGLE_CHUNK)]
            self._sigs.append(sig)
            self._has_words.append(has)
            self._blocks.extend(str(b) for b, _ in new)
            self._count += len(new)
        self._inverse.append(inverse)
        self.size += len(texts)

    def groups(self) -> np.ndarray:
        """Label per text added, in order: the index of the first text of its group."""
        m = self.size
        if m == 0:
            return np.zeros(0, dtype=np.int64)
        inverse = np.concatenate(self._inverse)
        has_words = np.concatenate(self._has_words) if self._has_words else np.zeros(0, bool)
        sig = np.empty((int(has_words.sum()), NUM_PERM), dtype=np.uint32)
        row = 0
        while self._sigs:  # moved into one matrix chunk by chunk: the peak is the matrix plus one chunk
            part = self._sigs.pop(0)
            sig[row:row + len(part)] = part
            row += len(part)
        first_row = np.full(self._count, m, dtype=np.int64)
        np.minimum.at(first_row, inverse, np.arange(m))
        idx = np.flatnonzero(has_words)
        lab = np.arange(self._count)
        if len(idx):
            blocks = [self._blocks[j] for j in idx]
            g = similarity_groups(sig, self.threshold, blocks=blocks if any(blocks) else None)
            lab[idx] = idx[g]
        del sig
        # entries are numbered in order of first occurrence, so a group's smallest entry has its first text
        out = first_row[lab[inverse]]
        alone = ~has_words[inverse]  # texts without words never look alike (as in minhash_signatures)
        out[alone] = np.flatnonzero(alone)
        return out


def text_groups(texts: Sequence[str], threshold: float, blocks: Sequence | None = None, n: int = 2,
                min_len: int = 1) -> np.ndarray:
    """:func:`similarity_groups` of ``texts`` by word ``n``-gram MinHash, each distinct (block, text) once.

    Templates and repeated customer posts make most texts duplicates; identical texts in one block always
    share a group, so only distinct ones are shingled, hashed and banded. Labels are those
    :func:`similarity_groups` gives on the full list: the smallest index of the group.
    """
    grouper = TextGrouper(threshold, n=n, min_len=min_len)
    grouper.add(texts, blocks)
    return grouper.groups()
