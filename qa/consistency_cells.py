"""The consistency analysis's tables of counts, on integer codes: replies and events per cell.

:mod:`qa.consistency` compares, for each outcome (five) and each dimension (three), the levels of a dimension
within issues and pooled over a brand's issues. The cells those comparisons count (brand x issue x level,
brand x issue, issue x level) depend on the dimension alone, not on the outcome; grouping strings with
pandas for each of the fifteen pairs was most of the analysis's time. So each column is turned once into
sorted integer codes (the codes order as the strings do, so every table comes out in the order
``groupby(sort=True)`` gives), a dimension's cells are found once (:class:`Layout`), and an outcome only sums
its events into them. The results are those of the string groupbys, row for row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .stats import mantel_haenszel

if TYPE_CHECKING:
    from .rulebook import ConsistencySettings

__all__ = ["sorted_codes", "Layout", "pooled_table", "issue_cells", "name_cells", "examples"]


def sorted_codes(values) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, -1 where missing; the distinct values, sorted): ordering codes orders the values as
    ``groupby(sort=True)`` does (Python's string order is Arrow's byte order: code points)."""
    codes, uniques = pd.factorize(values if isinstance(values, pd.Series) else np.asarray(values, dtype=object),
                                  sort=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def examples(keys: list[np.ndarray], rank: np.ndarray, ids: pd.Series, first: int = 5) -> dict[tuple, str]:
    """Per group of ``keys`` (code arrays, rows already chosen): the ``first`` smallest ``ids`` (``rank``: their
    sorted order) joined by ";", as ``groupby(keys)["reply_id"].agg(lambda v: ";".join(sorted(v)[:5]))`` gives
    without a Python call and a sort per group."""
    if not len(rank):
        return {}
    order = np.lexsort((rank, *reversed(keys)))
    c = np.stack(keys)[:, order]
    start = np.r_[True, (c[:, 1:] != c[:, :-1]).any(axis=0)]
    nth = np.arange(len(order)) - np.flatnonzero(start)[np.cumsum(start) - 1]
    keep = order[nth < first]
    out: dict[tuple, list[str]] = {}
    for key, rid in zip(zip(*(k[keep].tolist() for k in keys)), ids.take(keep).tolist()):
        out.setdefault(key, []).append(rid)
    return {k: ";".join(v) for k, v in out.items()}


def _sums(inverse: np.ndarray, size: int, y: np.ndarray) -> np.ndarray:
    return np.bincount(inverse, weights=y, minlength=size).astype(np.int64)  # integer counts: exact in float64


class Layout:
    """One dimension's rows grouped into cells, whatever the outcome: (brand, issue, level) with their
    stratum (brand, issue), and (issue, level). ``b``, ``i``, ``lv``: sorted codes per row (-1: missing)."""

    def __init__(self, b: np.ndarray, i: np.ndarray, lv: np.ndarray, brand_names: np.ndarray,
                 level_names: np.ndarray, rank: np.ndarray, ids: pd.Series):
        self.b, self.i, self.lv, self.rank, self.ids = b, i, lv, rank, ids
        self.brand_names, self.level_names = brand_names, level_names
        ni, nl = (int(i.max()) + 1 if len(i) else 1), max(len(level_names), 1)
        ni = max(ni, 1)
        self.full = (b >= 0) & (i >= 0) & (lv >= 0)
        key, self.cell_of = np.unique((b[self.full] * ni + i[self.full]) * nl + lv[self.full], return_inverse=True)
        self.cells = len(key)
        self.n1 = np.bincount(self.cell_of, minlength=self.cells).astype(np.int64)
        cb, ci, cl = key // (ni * nl), key // nl % ni, key % nl
        self.stratum = (b >= 0) & (i >= 0)  # a stratum's totals count its rows of unknown level too
        strata, self.stratum_of = np.unique(b[self.stratum] * ni + i[self.stratum], return_inverse=True)
        self.strata = len(strata)
        self.at = np.searchsorted(strata, cb * ni + ci)
        self.n0 = np.bincount(self.stratum_of, minlength=self.strata).astype(np.int64)[self.at] - self.n1
        self.ok = self.n0 > 0  # a stratum where the level is alone says nothing about it
        self.cb, self.cl = cb[self.ok], cl[self.ok]
        # groups named "brand\0level" in that text's order (what the pooled test groups by); few distinct pairs
        pairs, pinv = np.unique(self.cb * nl + self.cl, return_inverse=True)
        names = [f"{brand_names[p // nl]}\x00{level_names[p % nl]}" for p in pairs.tolist()]
        self.g = pd.factorize(np.asarray(names, dtype=object), sort=True)[0][pinv] if len(names) else pinv
        self.known = (b >= 0) & (lv >= 0)
        self.levels_per_brand = np.bincount(np.unique(b[self.known] * nl + lv[self.known]) // nl,
                                            minlength=len(brand_names))
        self._issue_key, self._issue_of = None, None
        self.nl = nl

    def issue_layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(issue x level keys sorted, cell per row, replies per cell, first known brand code per cell)."""
        if self._issue_key is None:
            key, of = np.unique(self.i * self.nl + self.lv, return_inverse=True)
            first = np.full(len(key), -1, dtype=np.int64)
            has = self.b >= 0  # groupby's "first" skips rows of unknown brand
            cells, at = np.unique(of[has], return_index=True)
            first[cells] = self.b[has][at]
            self._issue_key, self._issue_of = key, of
            self._issue_n, self._issue_brand = np.bincount(of, minlength=len(key)).astype(np.int64), first
        return self._issue_key, self._issue_of, self._issue_n, self._issue_brand


def pooled_table(lay: Layout, y: np.ndarray, s: ConsistencySettings) -> pd.DataFrame:
    """Each level vs the rest of its brand pooled over issues (:func:`qa.consistency.stratified_comparisons`)
    for the events ``y`` (0/1 per row of the layout)."""
    a = _sums(lay.cell_of, lay.cells, y[lay.full])
    m1 = _sums(lay.stratum_of, lay.strata, y[lay.stratum])
    c = m1[lay.at] - a
    if not lay.ok.any():
        return pd.DataFrame()
    a, n1, c, n0 = a[lay.ok], lay.n1[lay.ok], c[lay.ok], lay.n0[lay.ok]
    mh = mantel_haenszel(a, n1, c, n0, lay.g)
    cells = pd.DataFrame({"g": lay.g, "bc": lay.cb, "lc": lay.cl, "n1": n1, "a": a, "n0": n0, "c": c})
    t = cells.groupby("g", sort=True).agg(
        bc=("bc", "first"), lc=("lc", "first"), n_level=("n1", "sum"), k_level=("a", "sum"),
        n_rest=("n0", "sum"), k_rest=("c", "sum"), levels=("lc", "size")).join(mh)
    # one informative issue: the per-issue comparison already is this test
    t = t[(t["strata"] >= 2) & (t["n_level"] >= s.min_level_size) & (t["n_rest"] >= s.min_level_size)
          & (t["n_level"] + t["n_rest"] >= s.min_group_size)]
    t = t[(t["k_level"] + t["k_rest"] > 0) & (t["k_level"] + t["k_rest"] < t["n_level"] + t["n_rest"])]
    if t.empty:
        return pd.DataFrame()
    # with two levels in a brand, A-vs-rest and B-vs-rest are one test: keep the level treated better
    two = lay.levels_per_brand[t["bc"].to_numpy()] == 2
    t = t[~two | (t["rd"] > 0) | ((t["rd"] == 0) & ~t.duplicated("bc"))]
    hit = np.flatnonzero(lay.known & (y == 1))
    ex = examples([lay.b[hit], lay.lv[hit]], lay.rank[hit], lay.ids.take(hit).reset_index(drop=True))
    brand = pd.Series(lay.brand_names[t["bc"].to_numpy()])
    n1, k1, n2, k2 = (t[c].to_numpy(float) for c in ("n_level", "k_level", "n_rest", "k_rest"))
    return pd.DataFrame({
        "issue": brand.astype(str) + "|*", "brand": brand, "level": pd.Series(lay.level_names[t["lc"].to_numpy()]),
        "n_level": t["n_level"].to_numpy(), "k_level": t["k_level"].to_numpy(), "n_rest": t["n_rest"].to_numpy(),
        "k_rest": t["k_rest"].to_numpy(), "rate_level": k1 / n1, "rate_rest": k2 / n2,
        "difference": t["rd"].to_numpy(), "ci_low": t["rd_low"].to_numpy(), "ci_high": t["rd_high"].to_numpy(),
        "cohens_h": 2 * np.arcsin(np.sqrt(k1 / n1)) - 2 * np.arcsin(np.sqrt(k2 / n2)),
        "p_value": t["p_value"].to_numpy(), "method": "cmh", "strata": t["strata"].to_numpy(),
        "odds_ratio": t["or_mh"].to_numpy(), "or_ci_low": t["or_low"].to_numpy(),
        "or_ci_high": t["or_high"].to_numpy(),
        "example_reply_ids": [ex.get(k, "") for k in zip(t["bc"].tolist(), t["lc"].tolist())],
    })


def issue_cells(lay: Layout, y: np.ndarray) -> pd.DataFrame:
    """Per (issue, level), sorted: replies and events (what ``groupby(["issue", "level"]).agg(n_level=("y",
    "size"), k_level=("y", "sum"))`` gives; every row has an issue and a level) with the codes of the issue
    (``ic``), the level (``lc``) and the first known brand of its rows (``bc``, -1: none), which
    :func:`name_cells` turns into text once the cells are filtered."""
    key, of, n_level, first = lay.issue_layout()
    return pd.DataFrame({"ic": key // lay.nl, "lc": key % lay.nl, "n_level": n_level,
                         "k_level": _sums(of, len(key), y), "bc": first})


def name_cells(cell: pd.DataFrame, lay: Layout, issue_names: np.ndarray) -> pd.DataFrame:
    """``issue``, ``level`` and ``brand`` (groupby's "first": missing when no row knows it) as text."""
    return cell.assign(issue=issue_names[cell["ic"].to_numpy()], level=lay.level_names[cell["lc"].to_numpy()],
                       brand=np.append(lay.brand_names, np.nan).astype(object)[cell["bc"].to_numpy()])
