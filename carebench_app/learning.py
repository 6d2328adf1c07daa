"""The workbench's side of the learned layer (:mod:`qa.learned`): which model scores a file, what that model
says about one reply, and the reviews turned into training labels.

A model is the one shipped with carebench, a ``*.npz`` written by ``carebench qa train`` in the data folder, or
an uploaded one (staged privately like reply files). It is named in URLs and cache keys by the digest of its
bytes, never by its path, and loaded once per digest (``qa.learned.load_model``: no pickle, no code runs).
Everything the model decides is :mod:`qa.learned`'s: this module only picks the model and asks it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["ModelChoice", "shipped", "in_folder", "choice_of", "load", "describe", "opinion", "training_labels",
           "SHIPPED_LABEL"]

SHIPPED_LABEL = "shipped model"
_lock = threading.Lock()
_loaded: dict[str, Any] = {}  # digest -> qa.learned.LearnedModel (a handful of small arrays per model)


@dataclass(frozen=True)
class ModelChoice:
    """A model the Open page offers: ``path`` is what ``qa.api.score_file(model=...)`` takes."""

    label: str  # as the pages show it: "shipped model", "retrained.npz"
    path: str  # "default" for the shipped model, else the model file's path
    digest: str  # first 12 hex digits of the file's SHA-256: its name in URLs, caches and reviews

    @property
    def name(self) -> str:
        """How a review records the model: its label and digest (two files of one name stay apart)."""
        return f"{self.label} {self.digest}"


def _digest(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


def shipped() -> ModelChoice | None:
    """The model shipped with carebench, or None when the learned layer is not installed."""
    try:
        from qa.learned import DEFAULT_MODEL
    except ImportError:
        return None
    return ModelChoice(SHIPPED_LABEL, "default", _digest(DEFAULT_MODEL)) if DEFAULT_MODEL.is_file() else None


def in_folder(folder: str | Path) -> list[Path]:
    """Model files (``*.npz``) directly in ``folder`` (the data folder), by name."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.npz") if p.is_file()) if folder.is_dir() else []


def choice_of(path: str | Path, label: str | None = None) -> ModelChoice:
    """A model file as a choice, loaded once to refuse a bad file here (``ModelError``: one line)."""
    choice = ModelChoice(label or Path(path).name, str(path), _digest(path))
    load(choice)
    return choice


def load(choice: ModelChoice):  # noqa: ANN201 - qa.learned.LearnedModel, imported lazily
    """The model of ``choice``, loaded once per digest (so a refresh or a moved file reuses it)."""
    with _lock:
        model = _loaded.get(choice.digest)
    if model is None:
        from qa.learned import resolve_model

        model = resolve_model(choice.path)
        with _lock:
            _loaded[choice.digest] = model
    return model


def describe(choice: ModelChoice) -> str:
    """One line of the model's provenance: what it was trained on and how it did on groups it never saw."""
    prov = load(choice).meta.get("provenance", {})
    parts = []
    for check, rep in (prov.get("checks") or {}).items():
        cv = (rep.get("cross_validated") or {}).get("rules+model")
        if cv:
            parts.append(f"{check} P {cv['precision']:.2f} / R {cv['recall']:.2f}")
    trained = f"trained on {prov['replies']:,} labelled replies" if "replies" in prov else "no training record"
    source = f" from {prov['labels_file']}" if prov.get("labels_file") else ""
    held = f"; rules + model, leave-{prov.get('groups', 'group')}s-out: " + ", ".join(parts) if parts else \
        "; no check had enough labels for a classifier (the rules decide alone)"
    return f"{choice.label} ({choice.digest}): {trained}{source}{held}."


def opinion(choice: ModelChoice, text: str, check: str) -> bool | None:
    """What the model alone says about ``check`` on a reply of ``text`` (None: it has no classifier for the
    check, or training switched it off). Asked through ``qa.learned.combine_one`` with a rule verdict of
    "no", so the model's own threshold decides exactly as it does when scoring."""
    from qa.checks.base import Finding
    from qa.learned import BatchScores, combine_one

    model = load(choice)
    cm = model.checks.get(check)
    if cm is None or cm.threshold >= 1.0:
        return None
    p = BatchScores(model, [text]).p(check, 0)
    return bool(combine_one(model, Finding(check, False), p, text).verdict)


def training_labels(reviews: pd.DataFrame) -> pd.DataFrame:
    """Reviews (the store's table) as the labels CSV ``carebench qa train --labels`` reads: ``reply_id`` and
    1/0/empty per check the learned layer trains (``qa.learned.labels_from_reviews``; the latest decision on a
    verdict wins). Reviews of other flags (scorecard criteria) are left out: no model learns them."""
    from qa.learned import labels_from_reviews
    from qa.learned.data import LABEL_CHECKS

    trainable = reviews[reviews["check"].isin(LABEL_CHECKS)]
    if trainable.empty:
        return pd.DataFrame(columns=["reply_id"])
    labels = labels_from_reviews(trainable[["reply_id", "check", "human_verdict", "reviewed_at"]])
    return labels[["reply_id", *[c for c in LABEL_CHECKS if c in labels.columns]]]
