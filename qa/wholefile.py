"""What needs the whole file, kept small while batches stream past: issues, templates, consistency.

Issues group replies by their customer's problem across the file, templates are texts pasted across issues,
and consistency compares treatment within issues. None of them can be decided batch by batch, and a million
replies with their texts do not fit in memory. So, per reply, this keeps only what they need: one MinHash
signature of the reply's text and (when the data gives no issue category) of its customer's words, and a few
small columns for the comparisons (brand, channel, agent, followers, five outcomes). :meth:`WholeFile.finish`
then groups, finds templates and runs the statistics once; :func:`apply` adds the results to each batch's
replies when they are scored (phase three).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .consistency import FINDING_COLUMNS, OUTCOMES, consistency_findings, group_names, has_category, issue_ids
from .evidence import Item, dumps_more
from .memory import concat_categories
from .similarity import TextGrouper
from .templates import EchoFn, distinct_per_group, overuse

if TYPE_CHECKING:
    from .rulebook import Rulebook

__all__ = ["WholeFile", "Whole", "apply", "with_items"]

_KEEP_STRINGS = ("reply_id", "brand", "issue_category", "channel", "agent_id")
_FEW_VALUES = ("brand", "issue_category", "channel", "agent_id")


@dataclass
class Whole:
    """Per reply (by position in the run): issue, template and overuse; the findings; cross-batch repeats."""

    issue: np.ndarray
    template_id: np.ndarray  # reply id of the template's first reply, or None
    template_issues: np.ndarray
    overuse: np.ndarray
    findings: pd.DataFrame
    repeat_pos: np.ndarray  # message positions of customer posts that repeat an earlier one (sorted)
    repeats: pd.DataFrame  # the repeats found across batches (qa.repeats.REPEAT_COLUMNS + pos)


class WholeFile:
    """Accumulates the compact per-reply data of every batch; see the module docstring."""

    def __init__(self, book: Rulebook, spill_dir: str | Path | None = None):
        s = book.consistency
        self.settings = s
        # replies without a category only; signatures past a few MB wait in files in spill_dir
        self.issues = TextGrouper(s.similarity, n=1, min_len=4, spill_dir=spill_dir)
        self.templates = TextGrouper(s.template_similarity, spill_dir=spill_dir)
        self._parts: list[pd.DataFrame] = []

    def add(self, t: pd.DataFrame) -> None:
        """Keep what the whole-file analyses need from a batch's reply table (phase one's output)."""
        brand = t["brand"].fillna("").astype(str).to_numpy()
        rest = ~has_category(t["issue_category"])
        if rest.any():
            self.issues.add(t["customer_text"].fillna("").astype(str).to_numpy()[rest].tolist(), brand[rest])
        self.templates.add(t["text"].fillna("").astype(str).tolist(), brand)
        part = pd.DataFrame({c: t[c].astype("string[pyarrow]") for c in _KEEP_STRINGS})
        for c in _FEW_VALUES:  # a byte or two a reply instead of a string (shared strings in finish)
            part[c] = part[c].astype("category")
        part["customer_followers"] = pd.to_numeric(t["customer_followers"], errors="coerce").astype("float32")
        for c in OUTCOMES:
            if c in t.columns:
                part[c] = t[c].astype("boolean")
        self._parts.append(part)

    def finish(self, echo_of: EchoFn | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                      pd.DataFrame]:
        """(issue, template id, issues per template, overuse, consistency findings) per reply in order.

        ``echo_of(positions)`` says whether those replies reuse their customer's words (template candidates
        only); None when the customers' words are not available.
        """
        s = self.settings
        if not self._parts:
            empty = np.zeros(0)
            return empty.astype(object), empty.astype(object), empty, empty.astype(bool), pd.DataFrame(
                columns=FINDING_COLUMNS)
        t = concat_categories(self._parts)  # brand, category, channel, agent stay categories (shared strings)
        self._parts = []
        ids = t["reply_id"].astype(str)  # one Arrow buffer, not a Python string per reply
        issue = issue_ids(t["brand"], t["issue_category"], ids, self.issues.groups())
        lab = self.templates.groups()
        in_group, over = overuse(lab, issue, s, echo_of)
        template_id = np.where(in_group, group_names(ids, lab), None)
        spread = distinct_per_group(lab, issue)
        findings = consistency_findings(t, issue, s) if len(t) else pd.DataFrame(columns=FINDING_COLUMNS)
        return issue, template_id, spread, over, findings


def with_items(evidence: tuple[Item, ...] | str, items: tuple[Item, ...]) -> tuple[Item, ...] | str:
    """A reply's evidence with ``items`` added: a tuple of items, or their JSON (a streamed run's spill)."""
    return dumps_more(evidence, items) if isinstance(evidence, str) else evidence + items


def apply(t: pd.DataFrame, whole: Whole) -> pd.DataFrame:
    """Add the whole-file columns to a batch of phase one's reply table (rows found by their ``pos``)."""
    pos = t["pos"].to_numpy(dtype=np.int64)
    t["issue"] = pd.array(whole.issue[pos], dtype="string")
    tid = whole.template_id[pos]
    t["template_id"] = pd.array(tid, dtype="string")
    over = whole.overuse[pos]
    t["template_overuse"] = over
    ev = t["evidence"].to_numpy().copy()
    rows = np.flatnonzero(over)
    made: dict[tuple, Item] = {}  # one (frozen) item per template and issue count, shared by its replies
    for j, name, issues in zip(rows.tolist(), tid[rows].tolist(), whole.template_issues[pos[rows]].tolist()):
        item = made.get((name, issues))
        if item is None:
            item = made[name, issues] = Item("template_overuse", note=f"same text as reply {name}, sent to "
                                                                     f"{int(issues)} different issues")
        ev[j] = with_items(ev[j], (item,))
    if len(whole.repeat_pos):  # a reply answering a post that repeats an earlier one by content
        first, last = t["first_pending"].to_numpy(), t["last_pending"].to_numpy()
        order = np.argsort(whole.repeat_pos, kind="stable")
        rep_pos = whole.repeat_pos[order]
        lo = np.searchsorted(rep_pos, np.maximum(first, 0), side="left")
        hi = np.searchsorted(rep_pos, np.maximum(last, 0), side="right")
        hit = (first >= 0) & (hi > lo)
        if hit.any():
            t["customer_repeated"] = t["customer_repeated"].to_numpy(dtype=bool) | hit
            r = whole.repeats  # columns as object arrays once: a pandas lookup per hit costs ~50 us
            of_id, kind, of_channel = (r[c].to_numpy(dtype=object) for c in ("of_message_id", "kind", "of_channel"))
            answered = order[lo[hit]]  # per hit, the first repeating post the reply answered
            for j, k in zip(np.flatnonzero(hit).tolist(), answered.tolist()):
                ev[j] = with_items(ev[j], (Item("customer_repeated", note=f"the customer's post repeats their post "
                                           f"{of_id[k]} ({kind[k]}, {of_channel[k]})"),))
    t["evidence"] = ev
    return t
