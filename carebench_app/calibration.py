"""Agreement between the automatic checks and human reviewers, per check.

The human label of a reviewed verdict is the automatic one when confirmed and its opposite when disputed, so
each review is one (auto, human) pair. Precision and recall take the human label as the truth; Cohen's kappa
measures agreement beyond chance. A check with few reviews gets wide uncertainty: the counts are shown beside
every figure so nobody trusts a precision of 1.0 from two reviews.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["cohen_kappa", "calibration_table", "CALIBRATION_COLUMNS"]

CALIBRATION_COLUMNS = ["check", "reviewed", "confirmed", "disputed", "tp", "fp", "fn", "tn",
                       "precision", "recall", "kappa"]


def _ratio(num: int, den: int) -> float:
    return num / den if den else math.nan


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    """Cohen's kappa of two binary raters from their 2x2 table (NaN with no pairs; 1.0 when both raters
    are constant and equal, since they then agree perfectly and chance agreement is undefined)."""
    n = tp + fp + fn + tn
    if n == 0:
        return math.nan
    observed = (tp + tn) / n
    p_auto_yes, p_human_yes = (tp + fp) / n, (tp + fn) / n
    expected = p_auto_yes * p_human_yes + (1 - p_auto_yes) * (1 - p_human_yes)
    if expected == 1.0:
        return 1.0 if observed == 1.0 else math.nan
    return (observed - expected) / (1 - expected)


def calibration_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per check from a reviews table (columns ``check``, ``auto_verdict``, ``human_verdict``,
    ``decision``): counts, precision, recall and Cohen's kappa."""
    rows = []
    for check, g in sorted(reviews.groupby("check"), key=lambda kv: kv[0]) if len(reviews) else []:
        auto = g["auto_verdict"].astype(bool)
        human = g["human_verdict"].astype(bool)
        tp = int((auto & human).sum())
        fp = int((auto & ~human).sum())
        fn = int((~auto & human).sum())
        tn = int((~auto & ~human).sum())
        rows.append({
            "check": check,
            "reviewed": len(g),
            "confirmed": int((g["decision"] == "confirm").sum()),
            "disputed": int((g["decision"] == "dispute").sum()),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": _ratio(tp, tp + fp),
            "recall": _ratio(tp, tp + fn),
            "kappa": cohen_kappa(tp, fp, fn, tn),
        })
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)
