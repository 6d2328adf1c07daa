"""Repeats by content: a customer posting (nearly) the same complaint again, in a thread, another thread or
on another channel (lessons 1 and 11 of the domain brief: every repeated post needs a reply; an angry
customer is often on several channels at once, and is then worked twice).

Two posts are the same complaint when they come from one customer of one brand and the Jaccard similarity of
their words (estimated from MinHash signatures, :mod:`qa.similarity`) reaches ``threads.repeat_similarity``,
or when the shorter (``threads.repeat_containment_min_words`` words or more) lies almost whole in the longer
(``threads.repeat_containment``): "I wrote this yesterday on twitter: <the same complaint>".
The words are compared as a customer retyping a complaint in a hurry spells them (:func:`spelled_words`):
apostrophes and accents left out, a letter typed once or twice ("hasnt arived", "eror", "que pasa"), so a
near-identical post with typos is still the same complaint;
posts shorter than ``threads.repeat_min_words`` words, and posts that need no reply (thanks), are not
compared. A later post is a repeat *of* the earliest such post.

Posts arrive batch by batch (whole threads at a time). Pairs inside a batch are found at once; for pairs
across batches the finder keeps the signatures of the posts whose author appears in other batches too (the
reader says which, or every post is kept), so memory follows the customers who post more than once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .similarity import word_signatures
from .words import words

if TYPE_CHECKING:
    from .rulebook import ThreadSettings

__all__ = ["RepeatFinder", "REPEAT_COLUMNS", "author_keys", "spelled_words"]

REPEAT_COLUMNS = ["message_id", "thread_id", "channel", "created_at", "of_message_id", "of_thread_id",
                  "of_channel", "of_created_at", "similarity", "kind"]
KeepFn = Callable[[np.ndarray], np.ndarray]
MAX_LAG = 20  # earlier posts of one customer compared with each post (a bot posting all day is capped)
_APOSTROPHES = str.maketrans("", "", "'’`´")
_DOUBLED = re.compile(r"(\w)\1+")


@lru_cache(maxsize=65_536)
def _spelling(word: str) -> str:
    """``word`` without accents, each run of one letter written once ("arrived" and "arived": "arived")."""
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return _DOUBLED.sub(r"\1", word)


def spelled_words(text: str) -> list[str]:
    """The words of ``text`` (:func:`qa.words.words`) as compared for repeats: apostrophes dropped ("hasn't" is
    "hasnt", not "hasn" and "t"), accents and doubled letters folded (:func:`_spelling`)."""
    return [_spelling(w) for w in words(text.translate(_APOSTROPHES))]


def author_keys(brand: np.ndarray, author: np.ndarray) -> np.ndarray:
    """A stable 64-bit key per (brand, author): one customer of one brand."""
    both = pd.Series(brand, dtype="object").astype(str) + "\x00" + pd.Series(author, dtype="object").astype(str)
    return pd.util.hash_array(both.to_numpy(dtype=object), categorize=False)


def _matches(key: np.ndarray, order_time: np.ndarray, sig: np.ndarray, threshold: float,
             size: np.ndarray | None = None, contain: float = 1.0, contain_min: int = 1
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(post, earliest similar earlier post of the same key, estimated similarity), as row numbers.

    With ``size`` (distinct words per post), a pair whose shorter post has at least ``contain_min`` words and
    lies in the longer one for a share ``contain`` or more is similar too: from the Jaccard estimate J and the
    two sizes, the shared words are J / (1 + J) x (a + b)."""
    order = np.lexsort((np.arange(len(key)), order_time, key))
    k, s = key[order], sig[order]
    n = size[order].astype(float) if size is not None else None
    best = np.full(len(order), -1, dtype=np.int64)
    sim = np.zeros(len(order))
    for lag in range(1, min(MAX_LAG, len(order) - 1) + 1):
        same = np.flatnonzero(k[lag:] == k[:-lag])
        if not len(same):
            break
        i = same + lag
        if 4 * len(same) > len(order) - lag:  # a quarter or more pair up: compare whole shifted matrices
            agree = np.count_nonzero(s[lag:] == s[:-lag], axis=1)[same]
        else:
            agree = np.count_nonzero(s[i] == s[same], axis=1)
        est = agree / s.shape[1]  # the share of equal minima (exactly the mean of the comparisons)
        hit = est >= threshold
        if n is not None:
            a, b = n[i], n[same]
            small = np.minimum(a, b)
            shared = est / (1.0 + est) * (a + b)
            hit |= (small >= contain_min) & (shared >= contain * small)
        best[i[hit]] = i[hit] - lag  # larger lags come later: the earliest match wins
        sim[i[hit]] = est[hit]
    found = np.flatnonzero(best >= 0)
    return order[found], order[best[found]], sim[found]


class RepeatFinder:
    """Customer posts added a batch at a time; :meth:`add` returns the repeats inside the batch and
    :meth:`finish` those across batches."""

    def __init__(self, settings: ThreadSettings, keep_authors: KeepFn | set[str] | None = None):
        self.threshold = settings.repeat_similarity
        self.min_words = settings.repeat_min_words
        self.contain, self.contain_min = settings.repeat_containment, settings.repeat_containment_min_words
        # which authors' posts are kept for pairs across batches (a set of names or a test on an array of
        # names); None keeps every post
        if isinstance(keep_authors, (set, frozenset)):
            names = keep_authors
            keep_authors = lambda a: pd.Series(a, dtype=object).isin(names).to_numpy()  # noqa: E731
        self.keep = keep_authors
        self._kept: list[pd.DataFrame] = []
        self._sigs: list[np.ndarray] = []

    def add(self, messages: pd.DataFrame, offset: int, needs_reply: np.ndarray) -> pd.DataFrame:
        """Repeats among the customer posts of ``messages`` (rows ``offset`` + i of the whole file)."""
        role = messages["role"].to_numpy()
        rows = np.flatnonzero((role != "brand") & np.asarray(needs_reply, dtype=bool))
        # a customer with one post in the whole file repeats nothing and is repeated by nobody: skip them
        # (their author has one post in this batch and does not post in other batches)
        authors = messages["author_id"].to_numpy(dtype=object)[rows]
        several = pd.Series(authors).duplicated(keep=False).to_numpy()
        elsewhere = np.ones(len(rows), dtype=bool) if self.keep is None else np.asarray(self.keep(authors), bool)
        rows, elsewhere = rows[several | elsewhere], elsewhere[several | elsewhere]
        post_words = [spelled_words(t) for t in messages["text"].to_numpy()[rows]]
        size = np.fromiter((len(set(ws)) for ws in post_words), np.int32, len(post_words))
        ok = size >= self.min_words
        rows, elsewhere, size = rows[ok], elsewhere[ok], size[ok]
        if not len(rows):
            return pd.DataFrame(columns=REPEAT_COLUMNS)
        sig, _ = word_signatures([ws for ws, keep in zip(post_words, ok) if keep], n=1)
        sub = messages.iloc[rows].reset_index(drop=True)
        posts = pd.DataFrame({
            "pos": rows + offset,
            "key": author_keys(sub["brand"].to_numpy(), sub["author_id"].to_numpy()),
            "minute": ((sub["created_at"] - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(minutes=1)).to_numpy(),
            **{c: sub[c].astype("string") for c in ("message_id", "thread_id", "channel")},
            "created_at": sub["created_at"],
            "size": size,
        })
        found = self._pairs(posts, sig)
        if elsewhere.any():
            self._kept.append(posts[elsewhere])
            self._sigs.append(sig[elsewhere])
        return found

    def take(self) -> tuple[list[pd.DataFrame], list[np.ndarray]]:
        """The posts (and signatures) kept so far for pairs across batches, handed over and forgotten (a
        worker process's finder, :mod:`qa.parallel`)."""
        kept, sigs = self._kept, self._sigs
        self._kept, self._sigs = [], []
        return kept, sigs

    def absorb(self, kept: list[pd.DataFrame], sigs: list[np.ndarray]) -> None:
        """Posts kept by another finder on a later batch (what its :meth:`take` gave), in batch order."""
        self._kept += kept
        self._sigs += sigs

    def finish(self) -> pd.DataFrame:
        """Repeats whose earlier post is in another batch (pairs found by :meth:`add` again included)."""
        if not self._kept:
            return pd.DataFrame(columns=[*REPEAT_COLUMNS, "pos"])
        posts = pd.concat(self._kept, ignore_index=True)
        sig = np.concatenate(self._sigs) if len(self._sigs) > 1 else self._sigs[0]
        self._kept, self._sigs = [], []
        return self._pairs(posts, sig)

    def _pairs(self, posts: pd.DataFrame, sig: np.ndarray) -> pd.DataFrame:
        if not len(posts):
            return pd.DataFrame(columns=[*REPEAT_COLUMNS, "pos"])
        later, earlier, sim = _matches(posts["key"].to_numpy(), posts["minute"].to_numpy(), sig, self.threshold,
                                       posts["size"].to_numpy(), self.contain, self.contain_min)
        a, b = posts.iloc[later].reset_index(drop=True), posts.iloc[earlier].reset_index(drop=True)
        out = pd.DataFrame({
            "message_id": a["message_id"], "thread_id": a["thread_id"], "channel": a["channel"],
            "created_at": a["created_at"], "of_message_id": b["message_id"], "of_thread_id": b["thread_id"],
            "of_channel": b["channel"], "of_created_at": b["created_at"], "similarity": np.round(sim, 3),
            "pos": a["pos"],
        })
        out["kind"] = np.where(out["channel"] != out["of_channel"], "other channel",
                               np.where(out["thread_id"] != out["of_thread_id"], "other thread", "same thread"))
        return out[[*REPEAT_COLUMNS, "pos"]]

