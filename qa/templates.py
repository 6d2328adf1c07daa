"""Template overuse: the same text pasted onto different problems (lesson 7 and 14 of the domain brief).

Near-identical replies (Jaccard of word pairs >= ``template_similarity``, :mod:`qa.similarity`) sent to at
least ``template_min_issues`` different issues are overuse, unless more than ``template_max_echo`` of them
reuse a word of their customer's posts: those are a canned answer to one problem ("the outage in your area"),
which text similarity splits into several issues because each customer words it differently, while a text
pasted onto anything ("your feedback has been shared with the team") ignores what the customer wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .checks.base import CheckSpec, declare
from .similarity import text_groups
from .words import shingles, words

if TYPE_CHECKING:
    from .rulebook import ConsistencySettings

__all__ = ["overuse", "echoes", "echo_flags", "template_overuse"]

declare(CheckSpec("template_overuse", "template_overuse", kind="file", evidence=False,
                  description="near-identical text sent to different problems"))

EchoFn = Callable[[np.ndarray], np.ndarray]


def echoes(text: str, customer_text: str, min_letters: int) -> bool:
    """Whether a reply reuses a word (of at least ``min_letters`` letters) of its customer's posts."""
    return bool(customer_text) and bool(shingles(text, n=1, min_len=min_letters)
                                        & shingles(customer_text, n=1, min_len=min_letters))


def echo_flags(texts: Iterable[str], customer_texts: Iterable[str | None], min_letters: int) -> np.ndarray:
    """:func:`echoes` of each (reply, customer text) pair; the word set of a reply text is made once per
    distinct text (the candidates are templates: few texts, many replies)."""
    memo: dict[str, set[str]] = {}
    theirs: dict[str, list[str]] = {}  # a thread's replies share their customer's text: its words once
    out = []
    for text, cust in zip(texts, customer_texts):
        if not cust:
            out.append(False)
            continue
        own = memo.get(text)
        if own is None:
            own = memo[text] = shingles(text, n=1, min_len=min_letters)
        if not own:
            out.append(False)
            continue
        said = theirs.get(cust)
        if said is None:
            said = theirs[cust] = words(cust, min_letters)
        out.append(not own.isdisjoint(said))  # qa.words.has_word_in, its words kept
    return np.array(out, dtype=bool)


def distinct_per_group(labels: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per row, how many distinct non-missing ``values`` its group (``labels``) holds: ``groupby(labels)
    .transform("nunique")`` in integer arrays (that on a million string issue ids cost about 0.6 KB a row)."""
    labels = np.asarray(labels)
    if not len(labels):
        return np.zeros(0, dtype=np.int64)
    codes = pd.factorize(pd.Series(values, dtype=object))[0]  # -1: missing, not counted
    g, lab_of_row = np.unique(labels, return_inverse=True)
    known = codes >= 0
    pairs = np.unique(lab_of_row[known].astype(np.int64) * (int(codes.max()) + 1) + codes[known])
    per_group = np.bincount(pairs // (int(codes.max()) + 1), minlength=len(g)) if len(pairs) else \
        np.zeros(len(g), dtype=np.int64)
    return per_group[lab_of_row].astype(np.int64)


def overuse(labels: np.ndarray, issue: np.ndarray, s: ConsistencySettings,
            echo_of: EchoFn | None) -> tuple[np.ndarray, np.ndarray]:
    """(in a group of at least two near-identical replies, template overuse) per reply.

    ``labels``: the text group of each reply (:func:`qa.similarity.text_groups`); ``issue``: its issue id;
    ``echo_of(rows)``: whether each of those replies echoes its customer's words, asked only for the
    candidates (usually a small share); None when the customers' words are not known (the old rule).
    """
    labels = np.asarray(labels)
    size = np.unique(labels, return_inverse=True, return_counts=True)
    size = size[2][size[1]]
    issues = distinct_per_group(labels, issue)
    in_group = size >= 2
    out = (in_group & (issues >= s.template_min_issues)).copy()
    if echo_of is not None and out.any():
        cand = np.flatnonzero(out)
        echo = np.asarray(echo_of(cand), dtype=bool)
        share = pd.Series(echo).groupby(labels[cand]).transform("mean").to_numpy()
        out[cand] = share <= s.template_max_echo
    return in_group, out


def template_overuse(replies: pd.DataFrame, issue: pd.Series, s: ConsistencySettings) -> tuple[pd.Series, pd.Series]:
    """(template id or NA, overuse flag) per reply of a table with ``text``, ``brand``, ``reply_id`` and,
    when known, ``customer_text``."""
    texts = replies["text"].fillna("").astype(str).to_list()
    lab = text_groups(texts, s.template_similarity, blocks=replies["brand"].fillna("").astype(str).to_list())
    echo_of = None
    if "customer_text" in replies.columns:
        cust = replies["customer_text"].fillna("").astype(str).to_numpy()

        def echo_of(rows: np.ndarray) -> np.ndarray:
            return echo_flags([texts[i] for i in rows], cust[rows], s.echo_min_letters)

    in_group, over = overuse(lab, issue.to_numpy(), s, echo_of)
    ids = replies["reply_id"].astype(str).to_numpy()
    names = pd.Series(ids).groupby(lab).transform("min").to_numpy()  # named by its smallest reply id
    template_id = pd.Series(names, index=replies.index, dtype="string").where(in_group)
    return template_id, pd.Series(over, index=replies.index, dtype=bool)
