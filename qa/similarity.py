"""Grouping similar short texts without comparing all pairs: MinHash signatures and LSH banding.

Comparing every reply with every other is O(n^2): a million replies would take days. MinHash estimates the
Jaccard similarity of two texts' shingle sets from k small integers each; LSH banding puts texts whose
signatures agree on a whole band into one bucket, so only texts sharing a bucket are compared. Candidates are
then verified (estimated Jaccard >= threshold) and joined into groups (single link, connected components).
Work and memory are O(n x k). Hashing is stable across runs and machines (crc32 of each word, n-grams
combined arithmetically, multiply-shift permutations with fixed seeds), so groups do not change between runs.
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Iterator, Sequence
from hashlib import blake2b
from itertools import islice
from pathlib import Path
from typing import IO

import numpy as np

from .words import has_word_in, shingles, words  # re-exported: the groupers' words

__all__ = ["words", "has_word_in", "shingles", "minhash_signatures", "text_signatures", "word_signatures",
           "similarity_groups", "text_groups", "TextGrouper", "NUM_PERM"]

NUM_PERM = 32
_rng = np.random.default_rng(20240501)  # fixed: signatures must not change between runs
_MUL = _rng.integers(1, 1 << 63, NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd: multiply-shift hashing
_ADD = _rng.integers(0, 1 << 63, NUM_PERM, dtype=np.uint64)
_BAND_MIX = _rng.integers(1, 1 << 62, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_K = np.uint64(0x9E3779B97F4A7C15)  # combines word hashes into n-gram hashes
_SHIFT = np.uint64(32)

_VOCAB_LIMIT = 1_000_000  # word -> crc32 remembered; a bounded cache (cleared when full), so memory stays flat
_PAIR_CHUNK = 16_384  # candidate pairs verified at a time: 2 x 128 bytes of signature each
_ROW_CHUNK = 65_536  # signatures widened to uint64 at a time (16 MB)
_SPILL_BYTES = 32 << 20  # signatures a TextGrouper holds in memory before it moves them to a file
_DOC_BLOCK = 128  # documents hashed at a time: their n-gram x permutation table stays in the CPU cache


class _Vocab(dict):
    """crc32 of each word, remembered (bounded): stable across runs and machines."""

    def hashes(self, ws: list[str]) -> list[int]:
        if len(self) > _VOCAB_LIMIT:
            self.clear()
        out = list(map(self.get, ws))
        if None in out:
            for i, h in enumerate(out):
                if h is None:
                    out[i] = self[ws[i]] = zlib.crc32(ws[i].encode("utf-8"))
        return out  # type: ignore[return-value]


def _grams(h: np.ndarray, lens: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(n-gram hashes, n-grams per document) from the word hashes ``h`` of documents of ``lens`` words.

    An n-gram's hash combines its words' (``h1 * K + h2``, modulo 2^64); a document with fewer than ``n``
    words keeps its words, as :func:`shingles` does. Repeated n-grams are kept: they do not change a minimum.
    """
    if n <= 1 or not len(h):
        return h, lens
    doc = np.repeat(np.arange(len(lens)), lens)
    ends = np.cumsum(lens)
    g = h.copy()
    with np.errstate(over="ignore"):
        for k in range(1, n):
            g[:-k] = g[:-k] * _K + h[k:]
    short = lens[doc] < n
    keep = short | (np.arange(len(h)) + n - 1 < ends[doc])
    counts = np.where(lens < n, lens, np.maximum(lens - n + 1, 0))
    return np.where(short, h, g)[keep], counts


def _signatures(vals: np.ndarray, counts: np.ndarray, out: np.ndarray) -> None:
    """MinHash rows of documents with ``counts`` n-gram hashes each (all > 0), in order, into ``out``."""
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    with np.errstate(over="ignore"):
        perm = vals[:, None] * _MUL[None, :]
        perm += _ADD
        perm >>= _SHIFT
    out[:] = np.minimum.reduceat(perm, starts, axis=0)


def text_signatures(texts: Sequence[str], n: int = 2, min_len: int = 1,
                    vocab: _Vocab | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(uint32 MinHash signatures, has words) of each text's word ``n``-grams (:func:`shingles`'s sets).

    Words are hashed once each (a cache), n-grams and the 32 permutations in numpy, a block of documents
    at a time (the words of one block at a time too). A text without words gets a signature of its own and
    ``has words`` False.
    """
    return _word_signatures((words(t, min_len) for t in texts), len(texts), n, vocab)


def word_signatures(word_lists: Sequence[list[str]], n: int = 2,
                    vocab: _Vocab | None = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`text_signatures` of texts whose :func:`words` are already known (``word_lists``)."""
    return _word_signatures(iter(word_lists), len(word_lists), n, vocab)


def _word_signatures(word_lists: Iterator[list[str]], count: int, n: int,
                     vocab: _Vocab | None) -> tuple[np.ndarray, np.ndarray]:
    vocab = _Vocab() if vocab is None else vocab
    sig = np.empty((count, NUM_PERM), dtype=np.uint32)
    has = np.zeros(count, dtype=bool)
    for s in range(0, count, _DOC_BLOCK):
        hs: list[int] = []
        lens = []
        for ws in islice(word_lists, _DOC_BLOCK):
            hashed = vocab.hashes(ws)
            hs.extend(hashed)
            lens.append(len(hashed))
        vals, counts = _grams(np.asarray(hs, dtype=np.uint64), np.asarray(lens, dtype=np.int64), n)
        ok = counts > 0
        rows = np.arange(s, s + len(lens))
        sig[rows[~ok]] = (rows[~ok, None] * 2654435761 + np.arange(NUM_PERM)) % (1 << 32)  # unique per text
        if ok.any():
            block = np.empty((int(ok.sum()), NUM_PERM), dtype=np.uint32)
            _signatures(vals, counts[ok], block)
            sig[rows[ok]] = block
        has[rows] = ok
    return sig, has


def minhash_signatures(docs: Sequence[set[str]], chunk: int = _DOC_BLOCK) -> np.ndarray:
    """(len(docs), NUM_PERM) uint32 MinHash signatures of shingle sets (as :func:`shingles` gives them: words
    joined by a space). An empty document gets a signature of its own."""
    vocab = _Vocab()
    sig = np.empty((len(docs), NUM_PERM), dtype=np.uint32)
    for s in range(0, len(docs), chunk):
        vals: list[int] = []
        counts = []
        for d in docs[s:s + chunk]:
            for sh in d:
                hs = vocab.hashes(sh.split(" "))
                g = np.uint64(hs[0])
                with np.errstate(over="ignore"):
                    for h in hs[1:]:
                        g = g * _K + np.uint64(h)
                vals.append(int(g))
            counts.append(len(d))
        counts_a = np.asarray(counts, dtype=np.int64)
        ok = counts_a > 0
        rows = np.arange(s, s + len(counts))
        sig[rows[~ok]] = (rows[~ok, None] * 2654435761 + np.arange(NUM_PERM)) % (1 << 32)
        if ok.any():
            block = np.empty((int(ok.sum()), NUM_PERM), dtype=np.uint32)
            _signatures(np.asarray(vals, dtype=np.uint64), counts_a[ok], block)
            sig[rows[ok]] = block
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

    ``blocks`` (optional, one key per document) keeps groups inside a block, e.g. one brand; an integer array
    is taken as the blocks' numbers, other keys are numbered in their sorted order. Labels are the
    smallest document index in the group, so they are stable for a given input order. (One function: the
    band loop frees each band's arrays as it goes, which a split would hold across calls.)
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(sig)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    block_key = np.zeros(n, dtype=np.uint64)
    codes = np.zeros(n, dtype=np.int64)
    if isinstance(blocks, np.ndarray) and blocks.dtype.kind in "iu":  # already numbered (TextGrouper)
        codes = blocks.astype(np.int64)
    elif blocks is not None:  # numbered in sorted order (a Unicode array: 4 bytes a character, transient)
        codes = np.unique(np.asarray(blocks, dtype=object).astype(str), return_inverse=True)[1].astype(np.int64)
    if blocks is not None:
        with np.errstate(over="ignore"):
            block_key = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    b, r = _bands_for(threshold)
    # Inside a bucket documents are chained in an order of their own (a hash of the whole signature), not
    # in input order: verification is not transitive, so the pairs checked, hence the groups, must not
    # depend on the order texts arrive in (batches of a streamed file, or one list).
    canon = np.empty(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(0, n, _ROW_CHUNK):  # in slices: the whole signature as uint64 would cost 256 bytes a text
            canon[i:i + _ROW_CHUNK] = sig[i:i + _ROW_CHUNK].astype(np.uint64) @ _BAND_MIX  # sum of products
    # groups so far (each document's group named by its smallest member): a candidate pair already joined
    # needs no check, and the components of all verified pairs are the same whichever pairs of one group
    # were verified; memory stays a few arrays of n, not a growing list of pairs
    root = np.arange(n, dtype=np.int32)
    by_canon = np.argsort(canon, kind="stable")  # each band sorts by its key in this order: lexsort's result
    for band in range(b):
        cols = slice(band * r, band * r + r)
        with np.errstate(over="ignore"):
            key = (sig[:, cols].astype(np.uint64) @ _BAND_MIX[cols]) ^ block_key  # modulo 2^64, as * and sum
        order = by_canon[np.argsort(key[by_canon], kind="stable")].astype(np.int32)  # lexsort((canon, key))
        k = key[order]
        del key
        same = k[1:] == k[:-1]
        del k
        if not same.any():
            continue
        # chain each document to the previous one in its bucket and to the bucket's first one
        starts = np.r_[0, np.flatnonzero(~same) + 1]
        first = np.repeat(order[starts], np.diff(np.r_[starts, n]))
        # each pair once without sorting them: a document has one previous and one first document, and the
        # two are one pair only for the bucket's second document (the order pairs are checked in, and a
        # pair checked twice, change no component)
        cur_i, prev = order[1:][same], order[:-1][same]
        to_first = first[1:][same]
        other = to_first != prev
        a = np.concatenate([prev, to_first[other]])
        del first, order, same, starts, prev, to_first
        c = np.concatenate([cur_i, cur_i[other]])
        del cur_i, other
        keep = root[a] != root[c]
        a, c = a[keep], c[keep]
        del keep
        if not len(a):
            continue
        ok = np.zeros(len(a), dtype=bool)
        for i in range(0, len(a), _PAIR_CHUNK):  # verify in slices: a slice of pairs costs 2 x 128 bytes each
            sl = slice(i, i + _PAIR_CHUNK)
            est = (sig[a[sl]] == sig[c[sl]]).mean(axis=1)
            ok[sl] = (est >= threshold) & (codes[a[sl]] == codes[c[sl]])
        if ok.any():  # join: the verified pairs, and each document to its group so far
            src = np.concatenate([a[ok], np.arange(n, dtype=np.int32)])
            dst = np.concatenate([c[ok], root])
            graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
            del src, dst
            comp = connected_components(graph, directed=False)[1]
            del graph
            _, smallest, inverse = np.unique(comp, return_index=True, return_inverse=True)  # first = smallest
            root = smallest[inverse].astype(np.int32)
            del comp, smallest, inverse
        del a, c, ok
    return root.astype(np.int64)


class TextGrouper:
    """Texts added a batch at a time and grouped once at the end, as :func:`text_groups` groups one list.

    Only what the grouping needs is kept: one uint32 signature and a block number per distinct (block, text),
    and, per text added, the index of its distinct entry. Distinct texts are remembered by a 16-byte digest
    (not the text), up to ``memo_limit`` at a time (templates repeat all day); past it an identical text gets a
    new entry, which its identical signature puts in the same group anyway, so memory stays bounded without
    changing any group. Past ``_SPILL_BYTES`` the signatures wait in an anonymous temporary file (in
    ``spill_dir`` if given) until :meth:`groups` reads them back: 128 bytes a distinct text, twice in a run.
    """

    def __init__(self, threshold: float, n: int = 2, min_len: int = 1, memo_limit: int = 200_000,
                 spill_dir: str | Path | None = None):
        self.threshold, self.n, self.min_len, self.memo_limit = threshold, n, min_len, memo_limit
        self.spill_dir = spill_dir
        self._spill: IO[bytes] | None = None
        self._spilled = 0  # signature rows in the spill file
        self._held = 0  # signature rows in self._sigs
        self._memo: dict[bytes, int] = {}
        self._vocab = _Vocab()
        self._sigs: list[np.ndarray] = []
        self._has_words: list[np.ndarray] = []
        self._block_code: dict[str, int] = {}  # block name -> number
        self._blocks: list[np.ndarray] = []  # block number per distinct entry
        self._inverse: list[np.ndarray] = []
        self._count = 0  # distinct entries so far
        self.size = 0  # texts added so far

    def add(self, texts: Sequence[str], blocks: Sequence | None = None) -> None:
        names = [str(b) for b in blocks] if blocks is not None else [""] * len(texts)
        inverse = np.empty(len(texts), dtype=np.int64)
        new_texts: list[str] = []
        new_blocks: list[int] = []
        memo, codes = self._memo, self._block_code
        for i, (b, t) in enumerate(zip(names, texts)):
            k = blake2b(f"{len(b)}:{b}\x00{t}".encode("utf-8", "surrogatepass"), digest_size=16).digest()
            j = memo.get(k)
            if j is None:
                if len(memo) >= self.memo_limit:
                    memo.clear()
                j = memo[k] = self._count + len(new_texts)
                new_texts.append(t)
                new_blocks.append(codes.setdefault(b, len(codes)))
            inverse[i] = j
        if new_texts:
            sig, has = text_signatures(new_texts, self.n, self.min_len, self._vocab)
            self._sigs.append(sig[has])
            self._held += len(self._sigs[-1])
            if self._held * NUM_PERM * 4 > _SPILL_BYTES:
                self._to_spill()
            self._has_words.append(has)
            self._blocks.append(np.asarray(new_blocks, dtype=np.int32))
            self._count += len(new_texts)
        self._inverse.append(inverse)
        self.size += len(texts)

    def _to_spill(self) -> None:
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(dir=self.spill_dir)
        for part in self._sigs:
            self._spill.write(np.ascontiguousarray(part, dtype=np.uint32).tobytes())
        self._spilled += self._held
        self._sigs, self._held = [], 0

    def _read_spill(self, into: np.ndarray) -> None:
        """The spilled signature rows, in order, into the first rows of ``into``; the file closed."""
        if self._spill is None:
            return
        self._spill.seek(0)
        buf = memoryview(into[:self._spilled]).cast("B")
        got = 0
        while got < len(buf):
            n = self._spill.readinto(buf[got:])
            if not n:
                raise OSError("signature spill file ended early")
            got += n
        self._spill.close()
        self._spill = None

    def groups(self) -> np.ndarray:
        """Label per text added, in order: the index of the first text of its group. Once: the grouper hands
        over and forgets what it kept (its memo and word cache first, before the grouping's own peak)."""
        m = self.size
        self._memo, self._vocab, self.size = {}, _Vocab(), 0
        if m == 0:
            return np.zeros(0, dtype=np.int64)
        inverse = np.concatenate(self._inverse)
        self._inverse = []
        has_words = np.concatenate(self._has_words) if self._has_words else np.zeros(0, bool)
        self._has_words = []
        sig = np.empty((int(has_words.sum()), NUM_PERM), dtype=np.uint32)
        self._read_spill(sig)
        row, self._spilled, self._held = self._spilled, 0, 0
        while self._sigs:  # moved into one matrix chunk by chunk: the peak is the matrix plus one chunk
            part = self._sigs.pop(0)
            sig[row:row + len(part)] = part
            row += len(part)
        first_row = np.full(self._count, m, dtype=np.int64)
        np.minimum.at(first_row, inverse, np.arange(m))
        idx = np.flatnonzero(has_words)
        lab = np.arange(self._count)
        if len(idx):
            codes = np.concatenate(self._blocks)[idx]
            self._blocks = []
            used = np.unique(codes)
            names = list(self._block_code)  # in number order (insertion order)
            used_names = [names[c] for c in used]
            rank = np.empty(len(used), dtype=np.int64)  # the numbers similarity_groups gives names: sorted order
            rank[sorted(range(len(used)), key=used_names.__getitem__)] = np.arange(len(used))
            blocks = rank[np.searchsorted(used, codes)]
            g = similarity_groups(sig, self.threshold, blocks=blocks if any(used_names) else None)
            lab[idx] = idx[g]
        del sig
        self._blocks, self._count = [], 0
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
