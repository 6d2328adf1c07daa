"""Fitting the learned layer: one logistic regression per check over hashed words, its threshold chosen for
precision, and an honest estimate of how the rules and the model do together on groups it never saw.

Pure model code: texts, labels, groups and rule verdicts in; a :class:`LearnedModel` out. Files are read by
``qa.learned.data`` and the CLI.

How a threshold is chosen: the model's verdict joins the rules' (a reply is flagged when a rule fires *or*
the model's probability reaches the threshold). Among thresholds 0.30 .. 0.98, and "off" (rules alone), we
keep the lowest whose joint precision stays at the check's target (:data:`TARGET_PRECISION`) plus a margin,
measured on out-of-fold probabilities of the training data, folds grouped (by brand when there are enough
brands, else by thread): the recall that precision allows. The reported figures are nested: each outer fold's
threshold is chosen inside its training folds only, then applied to the held-out groups.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from .features import vectorise
from .model import CheckModel, LearnedModel

__all__ = ["TrainingSet", "fit", "MIN_POSITIVES", "TARGET_PRECISION", "versions"]

MIN_POSITIVES = 20  # a check with fewer labelled positives gets no model (its rules alone decide)
MIN_GROUPS = 3
TARGET_PRECISION = {"deflection": 0.90, "dm_request": 0.90}
DEFAULT_TARGET = 0.80
C = 10.0  # inverse regularisation: measured leave-brands-out on the dev labels (1, 3, 10, 30)
THRESHOLDS = np.round(np.arange(0.30, 0.99, 0.02), 2)
MARGIN = 0.02  # precision kept above the target when choosing, for the estimate's noise on unseen groups
OFF = 1.0  # the threshold of a check whose model adds nothing (rules alone decide)


@dataclass(frozen=True)
class TrainingSet:
    """Labelled replies: ``labels[check]`` holds 1, 0 or -1 (not labelled) per reply; ``rules[check]`` the
    rules' verdict per reply; ``groups`` what a fold must keep together (brand or thread)."""

    texts: list[str]
    labels: dict[str, np.ndarray]
    rules: dict[str, np.ndarray]
    groups: np.ndarray
    group_kind: str


def _classifier() -> LogisticRegression:
    # dual liblinear: far more hash buckets than replies, so the dual problem is the small one (30x faster)
    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=True, max_iter=5000)


def _scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _confusion(pred: np.ndarray, y: np.ndarray) -> tuple[int, int, int]:
    return int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum()), int((~pred & (y == 1)).sum())


def choose_threshold(proba: np.ndarray, rule: np.ndarray, y: np.ndarray, target: float) -> float:
    """The lowest threshold whose joint verdict (rule or p >= t) keeps precision at ``target`` plus
    :data:`MARGIN` on these (out-of-fold) probabilities: as much recall as that precision allows. OFF when no
    threshold adds a true positive at that precision."""
    best_t, best_tp = OFF, int((rule & (y == 1)).sum())
    for t in THRESHOLDS[::-1]:  # from high to low: ties keep the stricter threshold
        tp, fp, fn = _confusion(rule | (proba >= t), y)
        p, _, _ = _scores(tp, fp, fn)
        if p >= target + MARGIN and tp > best_tp:
            best_t, best_tp = float(t), tp
    return best_t


def _oof(x: sp.csr_matrix, y: np.ndarray, groups: np.ndarray, splits: int) -> np.ndarray:
    """Out-of-fold probabilities, folds grouped."""
    out = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=splits).split(x, y, groups):
        if len(set(y[tr])) < 2:
            continue
        out[te] = _classifier().fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
    return out


def _nested(x: sp.csr_matrix, y: np.ndarray, rule: np.ndarray, groups: np.ndarray, target: float) -> dict:
    """Leave-groups-out precision/recall of rules alone and of rules + model, thresholds chosen inside."""
    n_groups = len(set(groups))
    outer = min(5, n_groups)
    joint = np.zeros(len(y), dtype=bool)
    for tr, te in GroupKFold(n_splits=outer).split(x, y, groups):
        inner = min(4, len(set(groups[tr])))
        if inner < 2 or len(set(y[tr])) < 2:
            joint[te] = rule[te]
            continue
        t = choose_threshold(_oof(x[tr], y[tr], groups[tr], inner), rule[tr], y[tr], target)
        proba = _classifier().fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
        joint[te] = rule[te] | (proba >= t)
    out = {}
    for name, pred in (("rules", rule), ("rules+model", joint)):
        tp, fp, fn = _confusion(pred, y)
        p, r, _ = _scores(tp, fp, fn)
        out[name] = {"precision": round(p, 4), "recall": round(r, 4), "tp": tp, "fp": fp, "fn": fn}
    out["folds"] = outer
    return out


def fit(data: TrainingSet, provenance: dict | None = None, progress=None) -> LearnedModel:  # noqa: ANN001
    """Fit one classifier per check with at least :data:`MIN_POSITIVES` positives; the model's meta records
    counts, nested cross-validated precision/recall, thresholds and library versions."""
    x = vectorise(data.texts)
    checks: dict[str, CheckModel] = {}
    report: dict[str, dict] = {}
    for check, labels in data.labels.items():
        known = labels >= 0
        y = labels[known].astype(int)
        positives = int(y.sum())
        counts = {"labelled": int(known.sum()), "positives": positives}
        groups = data.groups[known]
        if positives < MIN_POSITIVES or len(set(groups)) < MIN_GROUPS or positives == len(y):
            report[check] = {**counts, "model": "none (too few labels)"}
            continue
        xk, rule = x[known], data.rules[check][known].astype(bool)
        target = TARGET_PRECISION.get(check, DEFAULT_TARGET)
        if progress:
            progress(f"{check}: {counts['labelled']} labelled, {positives} positives; cross-validating")
        cv = _nested(xk, y, rule, groups, target)
        t = choose_threshold(_oof(xk, y, groups, min(5, len(set(groups)))), rule, y, target)
        clf = _classifier().fit(xk, y)
        checks[check] = CheckModel(check, clf.coef_.ravel().astype(np.float32), float(clf.intercept_[0]), t)
        report[check] = {**counts, "target_precision": target, "threshold": t, "cross_validated": cv}
    meta = {"provenance": {**(provenance or {}), "groups": data.group_kind, "n_groups": int(len(set(data.groups))),
                           "replies": len(data.texts), "checks": report, "versions": versions()}}
    return LearnedModel(checks, meta)


def versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__}
