"""Precision and recall of the QA verdicts against a labels file (the generator's, or hand labels).

Labels are one row per reply, keyed by ``reply_id``, with 1/0/True/False per check and empty where the
labeller could not tell (those rows do not count for that check). A prediction that is undetermined counts
as "not flagged", so abstaining costs recall rather than being hidden.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["predictions", "precision_recall", "predicted", "markdown_table"]


def predictions() -> dict[str, str]:
    """Label column -> the scores column holding that verdict: every verdict the registry declares."""
    from .verdicts import verdict_columns

    return {c: c for c in verdict_columns()}


def _as_bool(s: pd.Series) -> pd.Series:
    low = s.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[low.isin(["1", "true", "1.0", "yes"])] = True
    out[low.isin(["0", "false", "0.0", "no"])] = False
    return out


def predicted(scores: pd.DataFrame, label: str) -> pd.Series | None:
    col = predictions().get(label)
    if col is None or col not in scores.columns:
        return None
    return _as_bool(scores[col])


def precision_recall(scores: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """One row per check present in both: positives, tp, fp, fn, precision, recall, F1; or 'not run'."""
    s = scores.assign(reply_id=scores["reply_id"].astype(str)).set_index("reply_id")
    lab = labels.assign(reply_id=labels["reply_id"].astype(str)).set_index("reply_id")
    common = lab.index.intersection(s.index)
    rows = []
    for label in predictions():
        if label not in lab.columns:
            continue
        y = _as_bool(lab.loc[common, label])
        pred = predicted(s.loc[common], label)
        if pred is None or pred.isna().all():
            rows.append({"check": label, "labelled": int(y.notna().sum()), "positives": int(y.fillna(False).sum()),
                         "tp": None, "fp": None, "fn": None, "precision": None, "recall": None, "f1": None,
                         "note": "not run"})
            continue
        known = y.notna()
        yk, pk = y[known].astype(bool), pred[known].fillna(False).astype(bool)
        tp, fp, fn = int((yk & pk).sum()), int((~yk & pk).sum()), int((yk & ~pk).sum())
        prec = tp / (tp + fp) if tp + fp else float("nan")
        rec = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
        rows.append({"check": label, "labelled": int(known.sum()), "positives": int(yk.sum()), "tp": tp, "fp": fp,
                     "fn": fn, "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                     "note": ""})
    out = pd.DataFrame(rows)
    if len(out):
        out[["tp", "fp", "fn"]] = out[["tp", "fp", "fn"]].astype("Int64")
    return out


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub Markdown table of ``df`` (empty cells for missing values)."""
    def cell(v) -> str:
        return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)
    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)
