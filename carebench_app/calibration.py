"""Agreement between the automatic checks and human reviewers, and between reviewers.

Two sources: the reviews of the Reply page (each review is one (automatic, human) pair, the human label being
the team's current verdict, see :class:`carebench_app.store.Review`), and blind calibration sessions, where
several reviewers label the same sample without seeing the checks or each other. Precision and recall take
the human label as the truth, with Wilson 95% intervals; Cohen's kappa measures agreement beyond chance
between two raters and Fleiss' kappa between several. Below a minimum number of reviews no figure is shown:
"not enough reviews" says so instead of a kappa of 1.00 from one review.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

__all__ = ["cohen_kappa", "fleiss_kappa", "wilson", "calibration_table", "CALIBRATION_COLUMNS",
           "session_agreement", "SESSION_COLUMNS", "rater_agreement", "MIN_SESSION_ITEMS", "agreement_over_time",
           "OVER_TIME_COLUMNS", "CHECKS_SERIES", "PERIODS"]

CALIBRATION_COLUMNS = ["check", "reviewed", "confirmed", "disputed", "open", "tp", "fp", "fn", "tn", "precision",
                       "precision 95%", "recall", "recall 95%", "kappa", "status"]
SESSION_COLUMNS = ["check", "items", "reviewers", "agreement", "fleiss kappa", "majority vs check", "kappa vs check",
                   "status"]
MIN_SESSION_ITEMS = 5  # items labelled by every reviewer before a session's agreement is shown
OVER_TIME_COLUMNS = ["period", "series", "reviews", "agreed", "agreement", "low", "high", "status"]
CHECKS_SERIES = "the checks as scored"
PERIODS = {"day": "D", "week": "W", "month": "M"}


def _ratio(num: int, den: int) -> float:
    return num / den if den else math.nan


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion (95% by default); (nan, nan) with no trials."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


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


def fleiss_kappa(counts: np.ndarray) -> float:
    """Fleiss' kappa from an items x categories table of how many raters put each item in each category
    (every item rated by the same number of raters). NaN when there is nothing to compare."""
    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 2 or counts.shape[0] == 0:
        return math.nan
    raters = counts.sum(axis=1)
    n = raters[0]
    if n < 2 or not np.all(raters == n):
        return math.nan
    p_item = ((counts * counts).sum(axis=1) - n) / (n * (n - 1))
    p_cat = counts.sum(axis=0) / counts.sum()
    expected = float((p_cat * p_cat).sum())
    observed = float(p_item.mean())
    if expected == 1.0:
        return 1.0 if observed == 1.0 else math.nan
    return (observed - expected) / (1 - expected)


def _fmt_interval(lo: float, hi: float) -> str:
    return "" if math.isnan(lo) else f"{lo:.2f}-{hi:.2f}"


def calibration_table(reviews: pd.DataFrame, minimum: int = 20) -> pd.DataFrame:
    """One row per check from a reviews table (``check``, ``auto_verdict``, ``human_verdict``, ``decision``,
    optionally ``dispute_status``): counts always; precision, recall (with Wilson intervals) and Cohen's kappa
    only from ``minimum`` reviews of that check up."""
    rows = []
    for check, g in sorted(reviews.groupby("check"), key=lambda kv: kv[0]) if len(reviews) else []:
        auto = g["auto_verdict"].astype(bool)
        human = g["human_verdict"].astype(bool)
        tp, fp = int((auto & human).sum()), int((auto & ~human).sum())
        fn, tn = int((~auto & human).sum()), int((~auto & ~human).sum())
        status = g["dispute_status"] if "dispute_status" in g.columns else pd.Series(dtype=object)
        enough = len(g) >= minimum
        p_lo, p_hi = wilson(tp, tp + fp)
        r_lo, r_hi = wilson(tp, tp + fn)
        rows.append({
            "check": check, "reviewed": len(g),
            "confirmed": int((g["decision"] == "confirm").sum()),
            "disputed": int((g["decision"] == "dispute").sum()),
            "open": int((status == "open").sum()),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": _ratio(tp, tp + fp) if enough else math.nan,
            "precision 95%": _fmt_interval(p_lo, p_hi) if enough else "",
            "recall": _ratio(tp, tp + fn) if enough else math.nan,
            "recall 95%": _fmt_interval(r_lo, r_hi) if enough else "",
            "kappa": cohen_kappa(tp, fp, fn, tn) if enough else math.nan,
            "status": "" if enough else f"not enough reviews ({len(g)} of {minimum})",
        })
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)


def _pairs(labels: pd.DataFrame) -> pd.DataFrame:
    """Items x reviewers (1/0) of one check, for the items every reviewer labelled."""
    wide = labels.pivot_table(index="reply_id", columns="reviewer", values="label", aggfunc="last")
    return wide.dropna().astype(int)


def session_agreement(labels: pd.DataFrame, auto: dict[tuple[str, str], bool],
                      minimum: int = MIN_SESSION_ITEMS) -> pd.DataFrame:
    """Per check of a blind session: reviewers' agreement with each other (share of agreeing pairs, Fleiss'
    kappa) and of their majority with the check (share, Cohen's kappa), over the items every reviewer
    labelled. ``labels`` has ``reviewer``, ``reply_id``, ``check``, ``label``; ``auto`` maps (reply, check) to
    the automatic verdict."""
    rows = []
    for check, g in sorted(labels.groupby("check"), key=lambda kv: kv[0]) if len(labels) else []:
        wide = _pairs(g)
        raters, items = wide.shape[1], wide.shape[0]
        row = {"check": check, "items": items, "reviewers": raters}
        if raters < 2 or items < minimum:
            need = "2 reviewers" if raters < 2 else f"{minimum} items labelled by every reviewer"
            rows.append({**row, "status": f"not enough reviews (needs {need})"})
            continue
        yes = wide.sum(axis=1).to_numpy()
        pair_agree = [float((wide[a] == wide[b]).mean()) for a, b in itertools.combinations(wide.columns, 2)]
        majority = pd.Series(np.where(yes * 2 > raters, 1, np.where(yes * 2 < raters, 0, -1)), index=wide.index)
        decided = majority[majority >= 0]
        machine = pd.Series([int(auto.get((r, check), False)) for r in decided.index], index=decided.index)
        tp, fp = int(((machine == 1) & (decided == 1)).sum()), int(((machine == 1) & (decided == 0)).sum())
        fn, tn = int(((machine == 0) & (decided == 1)).sum()), int(((machine == 0) & (decided == 0)).sum())
        rows.append({**row, "agreement": float(np.mean(pair_agree)),
                     "fleiss kappa": fleiss_kappa(np.column_stack([raters - yes, yes])),
                     "majority vs check": float((machine == decided).mean()) if len(decided) else math.nan,
                     "kappa vs check": cohen_kappa(tp, fp, fn, tn), "status": ""})
    return pd.DataFrame(rows, columns=SESSION_COLUMNS)


def rater_agreement(labels: pd.DataFrame, auto: dict[tuple[str, str], bool]) -> pd.DataFrame:
    """Each reviewer's agreement with the checks over everything they labelled in a session."""
    rows = []
    for (reviewer, check), g in labels.groupby(["reviewer", "check"]):
        human = g["label"].astype(int).to_numpy()
        machine = np.array([int(auto.get((r, check), False)) for r in g["reply_id"]])
        tp, fp = int(((machine == 1) & (human == 1)).sum()), int(((machine == 1) & (human == 0)).sum())
        fn, tn = int(((machine == 0) & (human == 1)).sum()), int(((machine == 0) & (human == 0)).sum())
        rows.append({"reviewer": reviewer, "check": check, "labelled": len(g),
                     "agreement with check": float((machine == human).mean()),
                     "kappa vs check": cohen_kappa(tp, fp, fn, tn)})
    return pd.DataFrame(rows, columns=["reviewer", "check", "labelled", "agreement with check", "kappa vs check"])


def agreement_over_time(reviews: pd.DataFrame, minimum: int = 20, period: str = "week") -> pd.DataFrame:
    """Per period of review time, how often the learned model agreed with the reviewers, beside the checks as
    scored on the same reviews. Each review recorded the model asked when it was saved and what that model
    alone said (``model``, ``model_verdict``), so a retrained model shows as a new series from the day it is
    used. One row per (period, series): reviews, agreements, their share with a Wilson 95% interval, or "not
    enough reviews" below ``minimum`` in that period. Reviews without a model verdict are left out."""
    if reviews.empty or "model_verdict" not in reviews.columns:
        return pd.DataFrame(columns=OVER_TIME_COLUMNS)
    r = reviews[reviews["model_verdict"].notna() & (reviews["model"].astype(str) != "")]
    if r.empty:
        return pd.DataFrame(columns=OVER_TIME_COLUMNS)
    stamps = pd.to_datetime(r["reviewed_at"], utc=True, errors="coerce").dt.tz_convert(None)
    starts = stamps.dt.to_period(PERIODS[period]).dt.start_time
    human = r["human_verdict"].astype(bool)
    said = {CHECKS_SERIES: (r["auto_verdict"].astype(bool), pd.Series(True, index=r.index))}
    for model in sorted(r["model"].unique()):
        said[f"model: {model}"] = (r["model_verdict"].astype(bool), r["model"] == model)
    rows = []
    for start in sorted(starts.dropna().unique()):
        in_period = starts == start
        for series, (verdict, mask) in said.items():
            sel = in_period & mask
            n = int(sel.sum())
            if n == 0:
                continue
            agreed = int((verdict[sel] == human[sel]).sum())
            enough = n >= minimum
            lo, hi = wilson(agreed, n) if enough else (math.nan, math.nan)
            rows.append({"period": pd.Timestamp(start), "series": series, "reviews": n, "agreed": agreed,
                         "agreement": agreed / n if enough else math.nan, "low": lo, "high": hi,
                         "status": "" if enough else f"not enough reviews ({n} of {minimum})"})
    return pd.DataFrame(rows, columns=OVER_TIME_COLUMNS)
