"""The scorecard: a rubric with severity, as contact-centre QA forms have it, and aggregates.

Each reply starts at 100 and loses a criterion's weight (points) for each criterion it fails; a graded
criterion (lateness by minutes past the target, precedent risk by its value) loses the share of its weight its
grades give. A failed *critical* criterion fails the reply on its own and sets its score to 0. A reply passes
with no critical failure and a score of at least the rulebook's pass mark. Undetermined criteria (no language
could be told, no check registered) cost nothing. Every score comes with its explanation, a short sum a
person can check: ``100 - 20 off-policy compensation - 5 precedent risk (risk 0.09) = 75; fail (pass mark 80)``.

Criteria are objects in :mod:`qa.criteria`, named by the rulebook; the weights, grades and pass mark are the
rulebook's, so a QA lead changes the rubric without touching code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from .criteria import Criterion, criteria
from .excuses import excuses
from .rulebook import CriterionRule, Rulebook

__all__ = ["score_replies", "points_lost", "aggregate", "AGGREGATE_BY", "SCORE_RESULT_COLUMNS", "grade_shares"]

SCORE_RESULT_COLUMNS = ["score", "passed", "auto_fail", "auto_fail_reasons", "failed_criteria", "score_explained",
                        "score_without_critical"]


def grade_shares(values: np.ndarray, grades: dict[float, float]) -> np.ndarray:
    """Share of the weight lost per value: that of the highest grade at or below it (0 below the first)."""
    at = np.fromiter(grades, dtype="float64")
    share = np.r_[0.0, np.fromiter(grades.values(), dtype="float64")]
    v = np.nan_to_num(values, nan=-np.inf)
    return share[np.searchsorted(at, v, side="right")]


def _label(name: str) -> str:
    return name.replace("_", " ")


def _shown(value: float, digits: int, grades: dict[float, float]) -> str:
    """``value`` rounded to ``digits`` decimals, with more digits where rounding would carry it across a grade
    (59.6 minutes late shows as 59.6, not 60, which would read as the next grade): a reader who checks the
    value against the grades ("from this value up") finds the share that was charged."""
    for d in range(digits, digits + 4):
        text = f"{value:.{d}f}"
        if all((value >= at) == (float(text) >= at) for at in grades):
            return text
    return f"{value:g}"


def _detail(crit: Criterion, value: float, grades: dict[float, float]) -> str:
    if crit.unit == "min late":
        if value < 120:
            return f" ({_shown(value, 0 if value >= 1 else 1, grades)} min late)"  # 0.5, not "0 min late"
        hours = {at / 60: share for at, share in grades.items()}
        return f" ({_shown(value / 60, 1, hours)} h late)"
    if crit.unit:
        return f" ({crit.unit} {_shown(value, 2, grades)})"
    return ""


def _points(crit: Criterion, rule: CriterionRule, failed: np.ndarray, table: pd.DataFrame) -> tuple[np.ndarray,
                                                                                                   np.ndarray | None]:
    """(points lost per reply, grading values or None)."""
    values = crit.value(table) if rule.grades else None
    if values is None:
        return np.where(failed, rule.weight, 0.0), None
    return np.where(failed, rule.weight * grade_shares(values, rule.grades), 0.0), values


def _excused(table: pd.DataFrame, bad: np.ndarray, rule: CriterionRule | None,
             seen: dict[str, dict[int, bool]]) -> Iterator[tuple[int, str]]:
    """(row, reason) for each reply that fails the criterion but is excused by one of the rule's excuses
    (:mod:`qa.excuses`); read on the failing replies only, each excuse at most once per reply of the table
    (``seen``: several criteria accept the same excuse, and an excuse's patterns run over the whole reply)."""
    if rule is None or not rule.excused_when:
        return
    rows = np.flatnonzero(bad)
    known = excuses()
    for name in rule.excused_when:
        if not rows.size:
            return
        answers = seen.setdefault(name, {})
        new = [i for i in rows.tolist() if i not in answers]
        if new:
            excuse = known[name]  # only the columns it reads: a row slice of the whole table costs more than the asks
            asked = table[[c for c in excuse.columns if c in table.columns]].iloc[new]
            answers.update(zip(new, excuse.applies(asked).to_numpy(dtype=bool).tolist()))
        hit = np.fromiter((answers[i] for i in rows.tolist()), dtype=bool, count=rows.size)
        for i in rows[hit].tolist():
            yield i, known[name].reason
        rows = rows[~hit]


Failure = tuple[str, Criterion, Any, np.ndarray, np.ndarray, Any]


def _failures(table: pd.DataFrame, book: Rulebook,
              excused: dict[int, list[tuple[str, str]]] | None = None) -> Iterator[Failure]:
    """(name, criterion, rule or None, failed per reply, points lost per reply, grading values or None) for
    every criterion some reply fails; replies a rule excuses do not fail it, and ``excused`` gets their
    (criterion, reason) by row."""
    rules = book.scorecard.criteria
    seen: dict[str, dict[int, bool]] = {}  # excuse -> row -> holds: asked once per table
    for name, crit in criteria().items():
        rule = rules.get(name)
        if rule is None and crit.derived:  # a criterion made of other verdicts: listed only when used
            continue
        bad = crit.failed(table, book).fillna(False).to_numpy(dtype=bool)
        let_off = list(_excused(table, bad, rule, seen))
        if let_off:
            bad = bad.copy()  # it may be a view of the verdict column, which keeps the check's label
        for i, reason in let_off:
            bad[i] = False
            if excused is not None:
                excused.setdefault(i, []).append((name, reason))
        if not bad.any():
            continue
        pts, values = _points(crit, rule, bad, table) if rule is not None else (np.zeros(len(table)), None)
        yield name, crit, rule, bad, pts, values


def points_lost(table: pd.DataFrame, book: Rulebook) -> pd.DataFrame:
    """Points each reply lost per criterion of the rubric (a column per criterion some reply fails): the terms
    of ``score_explained`` as numbers, for a viewer that shows each criterion's part of the score."""
    return pd.DataFrame({name: pts for name, _, rule, _, pts, _ in _failures(table, book) if rule is not None},
                        index=table.index)


def score_replies(table: pd.DataFrame, book: Rulebook,
                  excused: dict[int, list[tuple[str, str]]] | None = None) -> pd.DataFrame:
    """``score`` (0-100), ``passed``, ``auto_fail`` (a critical failure) and its reasons, ``failed_criteria``
    (every failed criterion, weighted or not), ``score_explained`` and ``score_without_critical``. ``excused``,
    when given, gets the (criterion, reason) the rulebook excused, by row position (for the evidence)."""
    n = len(table)
    lost = np.zeros(n)
    critical = np.zeros(n, dtype=bool)
    failed_names: list[list[str]] = [[] for _ in range(n)]
    crit_names: list[list[str]] = [[] for _ in range(n)]
    terms: list[list[str]] = [[] for _ in range(n)]
    excused = {} if excused is None else excused
    for name, crit, rule, bad, pts, values in _failures(table, book, excused):
        rows = np.flatnonzero(bad).tolist()  # Python ints and floats below: numpy scalars cost ~10x per row
        for i in rows:
            failed_names[i].append(name)
        if rule is None:
            continue
        lost += pts
        if rule.critical:
            critical |= bad
            for i in rows:
                crit_names[i].append(name)
        label, lost_here = _label(name), pts.tolist()
        if values is None:  # an ungraded criterion loses one weight: one string, shared
            shown: dict[float, str] = {}
            for i in rows:
                if lost_here[i] > 0:
                    text = shown.get(lost_here[i])
                    if text is None:
                        text = shown[lost_here[i]] = f"{lost_here[i]:g} {label}"
                    terms[i].append(text)
            continue
        vals = values.tolist()
        for i in rows:
            if lost_here[i] > 0:
                terms[i].append(f"{lost_here[i]:g} {label}" + _detail(crit, vals[i], rule.grades))
    raw = np.round(np.clip(100.0 - lost, 0.0, 100.0), 1)
    score = np.where(critical, 0.0, raw)
    passed = ~critical & (score >= book.scorecard.pass_mark)
    explained = _explanations(terms, lost, raw, crit_names, passed, book.scorecard.pass_mark)
    for i, notes in excused.items():  # few replies: the reason follows the sum
        explained[i] += "".join(f" ({_label(name)} not charged: {reason})" for name, reason in notes)
    return pd.DataFrame({
        "score": score,
        "passed": passed,
        "auto_fail": critical,
        "auto_fail_reasons": [";".join(a) for a in crit_names],
        "failed_criteria": [";".join(a) for a in failed_names],
        "score_explained": explained,
        "score_without_critical": raw,
    }, index=table.index)


def _explanations(terms: list[list[str]], lost: np.ndarray, raw: np.ndarray, critical: list[list[str]],
                  passed: np.ndarray, mark: float) -> list[str]:
    """:func:`_explain` per reply, each distinct explanation built once (most replies share theirs)."""
    memo: dict[tuple, str] = {}
    out = []
    for t, x, r, c, p in zip(terms, lost.tolist(), raw.tolist(), critical, passed.tolist()):
        key = (tuple(t), x, r, tuple(c), p)
        text = memo.get(key)
        if text is None:
            if len(memo) >= 100_000:  # bounded: graded criteria make many distinct sums
                memo.clear()
            text = memo[key] = _explain(t, x, r, c, p, mark)
        out.append(text)
    return out


def _explain(terms: list[str], lost: float, raw: float, critical: list[str], passed: bool, mark: float) -> str:
    total = "100" + "".join(f" - {t}" for t in terms) + (f" = {raw:g}" if terms else "")
    if lost > 100:
        total += " (a score is never below 0)"
    if critical:
        return f"{total}; critical: {', '.join(_label(c) for c in critical)} -> 0; fail"
    return f"{total}; {'pass' if passed else f'fail (pass mark {mark:g})'}"


AGGREGATE_BY = ("agent_id", "channel", "brand")


def aggregate(scores: pd.DataFrame, by: str, rates: list[str] | None = None) -> pd.DataFrame:
    """Per level of ``by``: replies, mean/median/p10 score, pass and critical-failure rates, the rate of each
    verdict in ``rates`` (default: every declared flag), off-policy count, precedent risk, latency."""
    if scores.empty or by not in scores.columns:
        return pd.DataFrame()
    if rates is None:
        from .verdicts import flag_specs

        rates = [s.column for s in flag_specs().values()]
    key = scores[by].astype("string").fillna("(unknown)")
    g = scores.groupby(key, sort=True)
    out = pd.DataFrame({
        "replies": g.size(),
        "mean_score": g["score"].mean().round(1),
        "median_score": g["score"].median().round(1),
        "p10_score": g["score"].quantile(0.1).round(1),
    })
    if "passed" in scores.columns:
        out["pass_rate"] = g["passed"].mean().round(4)
    out["auto_fail_rate"] = g["auto_fail"].mean().round(4)
    for col in rates:
        if col in scores.columns:
            out[f"{col}_rate"] = scores[col].astype("boolean").astype("Float64").groupby(key).mean().round(4)
    if "policy_status" in scores.columns:
        out["off_policy"] = (scores["policy_status"] == "off_policy").groupby(key).sum()
    out["mean_precedent_risk"] = g["precedent_risk"].mean().round(4)
    out["max_precedent_risk"] = g["precedent_risk"].max().round(4)
    if "latency_minutes" in scores.columns:
        out["median_latency_minutes"] = g["latency_minutes"].median().round(1)
    out.index.name = by
    return out.reset_index().sort_values("mean_score", kind="stable").reset_index(drop=True)
