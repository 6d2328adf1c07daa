"""Rules and learned model together: the one place where the QA pipeline meets :mod:`qa.learned`.

The model reads the reply's words only, so its probabilities depend on the text alone: they are computed for a
whole batch of replies at once, once per distinct text (brand templates repeat all day), before any rule
runs; combining is then a comparison per reply. A reply is flagged when a rule fires or the model's
probability reaches the check's threshold (chosen for precision when the model was trained). The finding
says which (``source``: rule, model, both); a verdict from the model alone carries as evidence the words of
the reply that weighed most in its score, as character spans.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np

from qa.checks.base import Evidence, Finding, ReplyContext

from .features import vectorise, word_weights
from .model import CheckModel, LearnedModel

__all__ = ["BatchScores", "combine", "combine_one", "uncertainty", "TOP_WORDS"]

TOP_WORDS = 3  # words shown as a model verdict's evidence


class BatchScores:
    """The model's probability per check for each text of a batch, computed once per distinct text."""

    def __init__(self, model: LearnedModel, texts: Sequence[str], positions: Sequence[int] | None = None) -> None:
        """``texts[j]`` is reply ``positions[j]`` (default ``j``): the pipeline passes its brand rows' texts and
        their row numbers in the message table, and combines by row number."""
        self.model = model
        index: dict[str, int] = {}
        rows = np.fromiter((index.setdefault(t, len(index)) for t in texts), dtype=np.int64, count=len(texts))
        self.texts: dict[int, str] | Sequence[str] = texts
        if positions is not None:
            size = int(max(positions, default=-1)) + 1
            self.row = np.full(size, -1, dtype=np.int64)
            self.row[np.asarray(positions, dtype=np.int64)] = rows
            self.texts = dict(zip((int(p) for p in positions), texts))
        else:
            self.row = rows
        unique = list(index)
        x = vectorise(unique) if unique else None
        self.proba = {name: (cm.proba(x) if x is not None else np.zeros(0)) for name, cm in model.checks.items()}
        # The same as Python lists, for joining reply by reply: indexing a list is several times cheaper than
        # indexing an array and converting the numpy scalar (the join ran once per check of every reply).
        self._rows: list[int] = self.row.tolist()
        self._values = {name: (model.checks[name], values.tolist()) for name, values in self.proba.items()}
        # Joined findings shared by the replies whose rule finding is a shared one (``settled``: "nothing found")
        # and whose rounded probability is the same, when the model does not flag them: by the rule finding's id
        # (kept alive beside it, so the id is never another's), then the rounded probability.
        self._shared: dict[int, tuple[Finding, dict[float, Finding]]] = {}

    def combine_all(self, findings: Sequence[Mapping[str, Finding]]) -> list[dict[str, Finding]]:
        """:meth:`combine` of every finding of every reply (``findings[i]``: reply ``i``'s, by check name), a
        check at a time: the checks without a model are copied in C, and a model check's loop reads the
        probability, rounded for the whole batch at once, from lists (half the cost of a call per finding)."""
        out = [dict(per_reply) for per_reply in findings]
        rows = self._rows
        for name, (cm, values) in self._values.items():
            rounded = _rounded(values)
            flags = cm.threshold < 1.0
            threshold = cm.threshold
            shared = self._shared
            for i, joined in enumerate(out):
                finding = joined.get(name)
                if finding is None or finding.verdict is None:
                    continue
                if finding.check is not name and finding.check != name:
                    joined[name] = self.combine(i, finding)
                    continue
                row = rows[i]
                p = values[row]
                if finding.verdict or type(finding.detail) is not MappingProxyType or (flags and p >= threshold):
                    joined[name] = _join(cm, finding, p, self.texts, i)
                    continue
                entry = shared.get(id(finding))  # _join_shared, inlined with the rounding done for the batch
                if entry is None or entry[0] is not finding:
                    entry = shared[id(finding)] = (finding, {})
                r = rounded[row]
                found = entry[1].get(r)
                joined[name] = found if found is not None else self._join_shared(cm, finding, p)
        return out

    def p(self, check: str, i: int) -> float | None:
        """Probability that reply ``i`` does ``check``; None when the model has no classifier for it."""
        values = self.proba.get(check)
        return None if values is None else float(values[self.row[i]])

    def combine(self, i: int, finding: Finding) -> Finding:
        found = self._values.get(finding.check)
        if found is None or finding.verdict is None:
            return finding
        cm, values = found
        p = values[self._rows[i]]
        if finding.verdict or type(finding.detail) is not MappingProxyType or _says(cm, p):
            return _join(cm, finding, p, self.texts, i)
        return self._join_shared(cm, finding, p)

    def _join_shared(self, cm: CheckModel, finding: Finding, p: float) -> Finding:
        """:func:`_join` of a shared, read-only rule finding the model does not overturn: the same for every
        reply with the same rounded probability, so built once per batch and shared (read-only too). Most
        replies get one per check: a new finding each cost its allocation and the collector's passes over
        them while a caller holds the batch."""
        rounded = round(p, 4)
        entry = self._shared.get(id(finding))
        if entry is None or entry[0] is not finding:
            entry = self._shared[id(finding)] = (finding, {})
        joined = entry[1].get(rounded)
        if joined is None:
            detail = MappingProxyType({**finding.detail, "model_probability": rounded,
                                       "model_threshold": cm.threshold})
            joined = entry[1][rounded] = Finding(finding.check, finding.verdict, finding.evidence, detail,
                                                 finding.source)
        return joined


def _rounded(values: list[float]) -> list[float]:
    """``[round(p, 4) for p in values]``, computed by numpy: the nearest integer to ``p * 1e4`` divided by ``1e4``
    is Python's correctly rounded answer unless ``p * 1e4`` lies within rounding error of a half (then asked
    of ``round`` itself); a test compares the two on millions of values."""
    if not values:
        return []
    scaled = np.asarray(values, dtype=np.float64) * 1e4
    out = (np.rint(scaled) / 1e4).tolist()
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[i] = round(values[i], 4)
    return out


def _evidence(text: str, weight: np.ndarray) -> tuple[Evidence, ...]:
    """The words that pushed the score up most, merged where adjacent, in text order."""
    ranked = sorted((w for w in word_weights(text, weight) if w[0] > 0), reverse=True)[:TOP_WORDS]
    spans = sorted((s, e) for _, s, e in ranked)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and text[merged[-1][1]:s].strip() == "":
            merged[-1][1] = e
        else:
            merged.append([s, e])
    return tuple(Evidence(s, e, text[s:e]) for s, e in merged)


def combine_one(model: LearnedModel, finding: Finding, p: float | None, text: str) -> Finding:
    """One rule finding joined with the model's probability ``p`` for its check (None: no model for it)."""
    if p is None or finding.verdict is None:
        return finding
    return _join(model.checks[finding.check], finding, p, (text,), 0)


def _says(cm: CheckModel, p: float) -> bool:
    """Whether the model flags a reply of probability ``p`` (a threshold of 1.0: switched off when trained)."""
    return p >= cm.threshold and cm.threshold < 1.0


def _join(cm: CheckModel, finding: Finding, p: float, texts: Sequence[str] | Mapping[int, str], i: int) -> Finding:
    """:func:`combine_one` once the check's model is known; the reply's text (``texts[i]``) is read only for a
    verdict of the model alone (its evidence)."""
    threshold = cm.threshold
    says = _says(cm, p)
    detail = {**finding.detail, "model_probability": round(p, 4), "model_threshold": threshold}
    # Findings built directly: ``dataclasses.replace`` costs several times more, once per check of every reply.
    if finding.verdict:
        return Finding(finding.check, True, finding.evidence, detail, "both" if says else "rule")
    if not says:
        return Finding(finding.check, finding.verdict, finding.evidence, detail, finding.source)
    return Finding(finding.check, True, _evidence(texts[i], cm.weight), detail, "model")


def combine(contexts: Sequence[ReplyContext], findings: Sequence[Mapping[str, Finding]],
            model: LearnedModel) -> list[dict[str, Finding]]:
    """Rule findings per reply (by check) joined with the model, the whole batch scored at once."""
    return BatchScores(model, [c.text for c in contexts]).combine_all(findings)


def uncertainty(model: LearnedModel, texts: Sequence[str]) -> np.ndarray:
    """Per reply, how unsure the model is about its most doubtful check, in (0, 1]: 1 when a probability sits
    on its threshold, falling with the distance in log-odds. Reviewing the most uncertain replies first
    teaches a retrained model most ("review these next")."""
    if not texts or not model.checks:
        return np.zeros(len(texts))
    scores = BatchScores(model, texts)
    margin = np.full(len(texts), np.inf)
    for name, cm in model.checks.items():
        if cm.threshold > 1.0 - 1e-9:
            continue
        p = np.clip(scores.proba[name][scores.row], 1e-9, 1 - 1e-9)
        t = min(max(cm.threshold, 1e-9), 1 - 1e-9)
        margin = np.minimum(margin, np.abs(np.log(p / (1 - p)) - math.log(t / (1 - t))))
    return np.where(np.isfinite(margin), np.exp(-margin), 0.0)
