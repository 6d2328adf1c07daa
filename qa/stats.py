"""Statistics of the consistency analysis: rate intervals, multiple-testing control, stratified 2x2 tables.

Textbook formulas, written out so each is tested against an independent computation
(``tests/qa/test_qa_consistency.py``): Wilson score intervals, Benjamini-Hochberg q-values, two-sided Fisher
p-values, and the Mantel-Haenszel family for many sparse strata.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["Z95", "wilson", "bh", "bh_within", "fisher_two_sided", "mantel_haenszel"]

Z95 = 1.959964


def wilson(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``k`` events in ``n`` (arrays)."""
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return centre - half, centre + half


def bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values)."""
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def fisher_two_sided(k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-sided Fisher exact p-value of each 2x2 table (twice the smaller tail, at most 1)."""
    N, K = n1 + n2, k1 + k2
    from scipy import stats  # here, not at import: scipy.stats costs ~0.5 s to import (every CLI call)

    lo = stats.hypergeom.cdf(k1, N, K, n1)
    hi = stats.hypergeom.sf(k1 - 1, N, K, n1)
    return np.minimum(1.0, 2 * np.minimum(lo, hi))


def mantel_haenszel(a: np.ndarray, n1: np.ndarray, c: np.ndarray, n0: np.ndarray, group: np.ndarray,
                    z: float = Z95) -> pd.DataFrame:
    """Stratified 2x2 statistics per ``group``: one row of arrays per stratum, ``a`` events of ``n1`` at the
    level, ``c`` events of ``n0`` in the rest.

    Returns, per group (sorted): ``strata`` (informative ones, both sides present), ``rd`` (Mantel-Haenszel
    risk difference), ``rd_low, rd_high`` (Sato 1989 variance), ``or_mh, or_low, or_high`` (Robins, Breslow and
    Greenland 1986), ``chi2, p_value`` (Cochran-Mantel-Haenszel, continuity-corrected, 1 df). Formulas as in
    Rothman, Greenland and Lash, *Modern Epidemiology* (3rd ed.), ch. 15.
    """
    a, n1, c, n0 = (np.asarray(x, dtype=float) for x in (a, n1, c, n0))
    N = n1 + n0
    ok = (n1 > 0) & (n0 > 0)
    a, n1, c, n0, N, group = a[ok], n1[ok], c[ok], n0[ok], N[ok], np.asarray(group)[ok]
    b, d = n1 - a, n0 - c
    m1 = a + c
    terms = pd.DataFrame({
        "g": group, "strata": 1.0,
        # risk difference (weights n1 n0 / N) and Sato's variance parts
        "rd_num": (a * n0 - c * n1) / N, "w": n1 * n0 / N,
        "P": (n1 ** 2 * c - n0 ** 2 * a + n1 * n0 * (n0 - n1) / 2) / N ** 2,
        "Q": (a * (n0 - c) + c * (n1 - a)) / (2 * N),
        # odds ratio and the RBG variance parts
        "R": a * d / N, "S": b * c / N,
        "PR": (a + d) / N * a * d / N, "PS_QR": ((a + d) / N * b * c / N + (b + c) / N * a * d / N),
        "QS": (b + c) / N * b * c / N,
        # CMH: observed minus expected events at the level, and the hypergeometric variance
        "o_e": a - n1 * m1 / N,
        "v": np.where(N > 1, n1 * n0 * m1 * (N - m1) / (N ** 2 * np.maximum(N - 1, 1)), 0.0),
    })
    g = terms.groupby("g", sort=True).sum()
    out = pd.DataFrame(index=g.index)
    out["strata"] = g["strata"].astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        rd = g["rd_num"] / g["w"]
        se_rd = np.sqrt(np.maximum(rd * g["P"] + g["Q"], 0.0)) / g["w"]
        out["rd"], out["rd_low"], out["rd_high"] = rd, rd - z * se_rd, rd + z * se_rd
        R, S = g["R"], g["S"]
        or_mh = R / S
        se_ln = np.sqrt(g["PR"] / (2 * R ** 2) + g["PS_QR"] / (2 * R * S) + g["QS"] / (2 * S ** 2))
        out["or_mh"] = or_mh
        out["or_low"] = np.exp(np.log(or_mh) - z * se_ln)
        out["or_high"] = np.exp(np.log(or_mh) + z * se_ln)
        chi2 = np.maximum(np.abs(g["o_e"]) - 0.5, 0.0) ** 2 / g["v"]
    out["chi2"] = chi2
    from scipy import stats

    out["p_value"] = np.where(g["v"] > 0, stats.chi2.sf(chi2.fillna(0.0), 1), 1.0)
    return out


def bh_within(p: np.ndarray, family: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg q-values computed separately within each family (e.g. one brand and issue)."""
    out = np.empty(len(p))
    for idx in pd.Series(np.arange(len(p))).groupby(np.asarray(family), sort=False).indices.values():
        out[idx] = bh(p[idx])
    return out
