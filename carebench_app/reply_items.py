"""A reply's cards as data: one :class:`Item` per check or scorecard criterion (verdict, the points it cost,
its evidence and where it came from) and the score as the sum that produced it. Plain Python over a scored
file's queue row, so the Reply page, its tests and the benchmark read the same thing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import evidence as ev
from . import explain
from .qa_service import QAView, flag_list

__all__ = ["Item", "items_of", "score_line"]


@dataclass(frozen=True)
class Item:
    """One card of a reply: a check or criterion, its verdict, what it cost, its evidence and its source."""

    name: str
    verdict: bool | None  # True: the reply does it (flagged); None: undetermined
    points: float  # score points it cost this reply (0 when not flagged or its weight is 0)
    marks: tuple[ev.Mark, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""


def _registered() -> dict[str, Any]:
    try:
        from qa.pipeline import registered_checks

        return registered_checks()
    except ImportError:
        return {}


def _failed(row: pd.Series) -> list[str]:
    return flag_list(row.get("failed_criteria")) if "failed_criteria" in row.index else flag_list(row.get("flags"))


def items_of(view: QAView, row: pd.Series) -> list[Item]:
    """The cards of ``row`` (a row of ``view.queue``): flagged ones first, the costliest first, then the
    verdicts that are not flagged, then the undetermined ones."""
    failed = _failed(row)
    costs = {t.name: t.points for t in _terms(row, failed)}
    found = ev.marks(row.get("evidence"))
    registered = _registered()
    out = []
    for name in view.items:
        raw = row.get(f"_v_{name}")
        v = None if raw is None or raw is pd.NA else bool(raw)
        mine = tuple(m for m in found if m.check == name)
        out.append(Item(name, v, costs.get(name, 0.0) if v else 0.0, mine, tuple(ev.notes(row.get("evidence"), name)),
                        explain.source(name, row, registered, view.columns, {m.source for m in mine})))
    rank = {True: 0, False: 1, None: 2}
    return sorted(out, key=lambda i: (rank[i.verdict], -i.points))


def _num(v: Any) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f


def _terms(row: pd.Series, failed: list[str]) -> list[explain.Term]:
    """Each failed criterion's part of the score, as the QA module's scorecard counted it (``_pts_`` columns)."""
    points = {name: _num(row.get(f"_pts_{name}")) for name in failed}
    return [explain.Term(name, 0.0 if math.isnan(p) else p) for name, p in points.items()]


def score_line(view: QAView, row: pd.Series) -> str:
    """The reply's score as the short sum that produced it: the QA module's own explanation when the table
    carries one (``score_explained``), else rebuilt from the points each failed criterion cost."""
    for column in ("score_explained", "score_sum"):
        given = row.get(column)
        if isinstance(given, str) and given.strip():
            return given.strip()
    failed = _failed(row)
    auto = flag_list(row.get("auto_fail_reasons")) if row.get("auto_fail") in (True, 1, "true", "True") else []
    return explain.score_sum(float(row["score"]), _terms(row, failed), auto)
