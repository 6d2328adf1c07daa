"""The scorecard: a weighted rubric with auto-fail criteria, 0-100 per reply, and aggregates.

As contact-centre QA forms do: each criterion is a yes/no question about a reply ("did it deflect?"); a reply
loses its weight's share of 100 for each criterion it fails. A criterion that is undetermined for a reply
(no language could be told, no check registered) counts neither way: the score is over the criteria that
could be judged. An auto-fail criterion that fails sets the score to 0, whatever the rest.

Criteria are small objects in :data:`CRITERIA`, named by the rulebook; each reads its column of the scores
table and returns True (failed), False or missing (undetermined), so adding one is adding an object.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .rulebook import Rulebook

__all__ = ["Criterion", "CRITERIA", "score_replies", "aggregate", "AGGREGATE_BY"]


@dataclass(frozen=True)
class Criterion:
    """A failed criterion is ``column == True`` (or, with ``threshold``, ``column >= threshold``)."""

    name: str
    column: str
    description: str

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        if self.column not in table.columns:
            return pd.Series(pd.NA, index=table.index, dtype="boolean")
        return table[self.column].astype("boolean")


@dataclass(frozen=True)
class LacksCriterion(Criterion):
    """Fails when a quality check (empathy, personalisation) says the reply lacks it."""

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        if self.column not in table.columns:
            return pd.Series(pd.NA, index=table.index, dtype="boolean")
        return ~table[self.column].astype("boolean")


@dataclass(frozen=True)
class PrecedentCriterion(Criterion):
    """Fails when precedent risk reaches the rulebook's ``precedent.high``."""

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        risk = pd.to_numeric(table.get(self.column), errors="coerce")
        return (risk >= book.precedent.high).astype("boolean").where(risk.notna())


@dataclass(frozen=True)
class OffPolicyCriterion(Criterion):
    """Fails on an off-policy concession; unknown when the facts to judge it are missing."""

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        status = table[self.column].fillna("").astype(str)
        out = pd.Series(status == "off_policy", index=table.index, dtype="boolean")
        return out.mask(status == "unknown", pd.NA)


CRITERIA: dict[str, Criterion] = {c.name: c for c in [
    Criterion("deflection", "deflection", "sent the customer elsewhere instead of handling it here"),
    Criterion("dm_request", "dm_request", "moved the conversation to DM (usually weight 0: not a fault)"),
    Criterion("pii_exposed", "pii_exposed", "revealed the customer's personal data in public"),
    Criterion("compensation", "compensation", "offered compensation (usually weight 0: see off_policy)"),
    Criterion("not_our_team", "not_our_team", "said this team or channel cannot help"),
    Criterion("language_mismatch", "language_mismatch", "answered in another language than the customer's"),
    Criterion("late_response", "late_response", "answered after the first-response target"),
    Criterion("customer_repeated", "customer_repeated", "the customer had to post again before this reply"),
    OffPolicyCriterion("off_policy_compensation", "policy_status", "a concession the rulebook does not allow"),
    PrecedentCriterion("high_precedent_risk", "precedent_risk", "precedent risk at or above precedent.high"),
    Criterion("template_overuse", "template_overuse", "near-identical text sent to different problems"),
    Criterion("never_acceptable", "never_acceptable", "a phrase the rulebook never accepts"),
    Criterion("blame", "blame", "blamed the customer (tone check)"),
    LacksCriterion("no_empathy", "empathy", "showed no empathy (tone check)"),
    LacksCriterion("no_personalisation", "personalisation", "nothing specific to this customer's problem"),
]}


def score_replies(table: pd.DataFrame, book: Rulebook) -> pd.DataFrame:
    """``score`` (0-100), ``auto_fail``, ``auto_fail_reasons`` and ``failed_criteria`` for each reply."""
    weights = book.scorecard.weights
    lost = np.zeros(len(table))
    judged = np.zeros(len(table))
    failed_names: list[list[str]] = [[] for _ in range(len(table))]
    auto = np.zeros(len(table), dtype=bool)
    auto_names: list[list[str]] = [[] for _ in range(len(table))]
    for name, crit in CRITERIA.items():
        f = crit.failed(table, book)
        known = f.notna().to_numpy()
        bad = f.fillna(False).to_numpy(dtype=bool)
        w = weights.get(name, 0.0)
        judged += w * known
        lost += w * bad
        if name in book.scorecard.auto_fail:
            auto |= bad
        for i in np.flatnonzero(bad):
            failed_names[i].append(name)
            if name in book.scorecard.auto_fail:
                auto_names[i].append(name)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(judged > 0, 100.0 * (1.0 - lost / np.where(judged > 0, judged, 1.0)), 100.0)
    score = np.where(auto, 0.0, score)
    return pd.DataFrame({
        "score": np.round(score, 1),
        "auto_fail": auto,
        "auto_fail_reasons": [";".join(a) for a in auto_names],
        "failed_criteria": [";".join(a) for a in failed_names],
    }, index=table.index)


AGGREGATE_BY = ("agent_id", "channel", "brand")
_RATES = ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch",
          "late_response", "template_overuse", "never_acceptable")


def aggregate(scores: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per level of ``by``: replies, mean/median/p10 score, auto-fail rate, check rates, precedent risk."""
    if scores.empty or by not in scores.columns:
        return pd.DataFrame()
    key = scores[by].astype("string").fillna("(unknown)")
    g = scores.groupby(key, sort=True)
    out = pd.DataFrame({
        "replies": g.size(),
        "mean_score": g["score"].mean().round(1),
        "median_score": g["score"].median().round(1),
        "p10_score": g["score"].quantile(0.1).round(1),
        "auto_fail_rate": g["auto_fail"].mean().round(4),
    })
    for col in _RATES:
        if col in scores.columns:
            out[f"{col}_rate"] = scores[col].astype("boolean").astype("Float64").groupby(key).mean().round(4)
    out["off_policy"] = (scores["policy_status"] == "off_policy").groupby(key).sum()
    out["mean_precedent_risk"] = g["precedent_risk"].mean().round(4)
    out["max_precedent_risk"] = g["precedent_risk"].max().round(4)
    if "latency_minutes" in scores.columns:
        out["median_latency_minutes"] = g["latency_minutes"].median().round(1)
    out.index.name = by
    return out.reset_index().sort_values("mean_score", kind="stable").reset_index(drop=True)
