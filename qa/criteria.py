"""The scorecard's criteria: each a yes/no (or graded) question about one reply, named by the rulebook.

Most criteria come straight from the verdict registry (:mod:`qa.verdicts`): "did the reply deflect?" is the
``deflection`` column being True; "did it show empathy?" fails when the quality column ``empathy`` is False. A
few read numbers: precedent risk is graded by its value, and an off-policy concession whose precedent risk is
high is a criterion of its own (critical by default); a reply of courtesy alone that owed more reads the reply's
words and thread (``no_next_step``). Criteria return True (failed), False or missing
(undetermined), and a grading value where the rulebook grades them.

This module knows nothing of rulebook files: the rulebook validates names against :func:`criteria` and the
scorecard passes its settings in, so the import graph stays one-way (rulebook -> criteria <- scorecard).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .rulebook import Rulebook

__all__ = ["Criterion", "ThresholdCriterion", "OffPolicyHighPrecedent", "AllOf", "NoNextStep", "criteria",
           "criterion_names"]


def _missing(table: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.NA, index=table.index, dtype="boolean")


@dataclass(frozen=True)
class Criterion:
    """Fails when the verdict ``column`` says so: True for a flag, False for a quality.

    ``grade_by`` names a numeric column that grades a failure (the rulebook maps its values to the share of
    the weight lost); ``unit`` says how to show that value in a score's explanation.
    """

    name: str
    column: str
    description: str
    polarity: str = "flag"
    grade_by: str = ""
    unit: str = ""

    @property
    def graded(self) -> bool:
        return bool(self.grade_by)

    @property
    def derived(self) -> bool:
        """Made from other verdicts or numbers (not one verdict column): flagged only when the rubric uses it."""
        return False

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        if self.column not in table.columns:
            return _missing(table)
        v = table[self.column].astype("boolean")
        return ~v if self.polarity == "quality" else v

    def value(self, table: pd.DataFrame) -> np.ndarray | None:
        """The grading value per reply (NaN where unknown), or None for a yes/no criterion."""
        if not self.grade_by or self.grade_by not in table.columns:
            return None
        return pd.to_numeric(table[self.grade_by], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


@dataclass(frozen=True)
class ThresholdCriterion(Criterion):
    """Fails when a number reaches its first grade (without grades: the rulebook's ``precedent.high``)."""

    derived = True  # type: ignore[assignment]

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        if self.column not in table.columns:
            return _missing(table)
        risk = pd.to_numeric(table[self.column], errors="coerce")
        rule = book.scorecard.criteria.get(self.name)
        first = min(rule.grades) if rule is not None and rule.grades else book.precedent.high
        return (risk >= first).astype("boolean").where(risk.notna())


@dataclass(frozen=True)
class OffPolicyHighPrecedent(Criterion):
    """An off-policy concession whose precedent risk reaches ``precedent.high``: others will ask for it too."""

    derived = True  # type: ignore[assignment]

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        if "policy_status" not in table.columns or "precedent_risk" not in table.columns:
            return _missing(table)
        status = table["policy_status"].fillna("").astype(str)
        risk = pd.to_numeric(table["precedent_risk"], errors="coerce")
        out = pd.Series((status == "off_policy") & (risk >= book.precedent.high), index=table.index,
                        dtype="boolean")
        return out.mask(status == "unknown", pd.NA)


@dataclass(frozen=True)
class AllOf(Criterion):
    """Fails when every criterion of ``parts`` fails (undetermined when one is and none passes): a fault that
    is worse together than its parts, such as a template pasted onto another problem that also takes up nothing
    the customer wrote (lessons 7 and 14: it ignores the customer). With ``only_where``, it applies only to the
    replies where that column is known: ``latency_minutes``, the replies that answer a customer's post (a
    follow-up such as "was your question resolved?" answers none, so it ignores nothing the customer said)."""

    parts: tuple[str, ...] = ()
    only_where: str = ""
    derived = True  # type: ignore[assignment]

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        known = _cached()
        out = pd.Series(True, index=table.index, dtype="boolean")
        for name in self.parts:
            out = out & known[name].failed(table, book).astype("boolean")  # Kleene logic: False wins over NA
        if self.only_where:
            where = table[self.only_where].notna() if self.only_where in table.columns else False
            out = out & where
        return out


@dataclass(frozen=True)
class NoNextStep(Criterion):
    """A reply to a post that needed one (``latency_minutes`` known: thanks, closings and praise need none) that
    is courtesy alone (:mod:`qa.courtesy`): no answer, action, question, DM move, link, concession or referral,
    only an apology, empathy or thanks (lesson 14: "polished replies that fix nothing are a smell"; lesson 6:
    say what was done and who will be in touch). A reply any of ``parts`` flags offers something (a deflection
    is charged as one, not twice). Charged only where the thread shows something was owed: the reply itself
    apologises or empathises (``empathy``: the brand saw a problem and fixed nothing), or the customer's latest
    post asked a question or reported a problem in words (:meth:`qa.closings.ClosingRule.complains`: "the lid
    snapped off", "sigo sin poder entrar"); a "Thanks!" or "let us know if you need anything" to a chatty post,
    praise, or a customer's own "already sorted, just venting" is no smell (lesson 2). Thanks with no complaint
    word ("thanks for changing my seat so fast") is answered in full by courtesy
    (:meth:`qa.closings.ClosingRule.grateful`)."""

    parts: tuple[str, ...] = ()
    derived = True  # type: ignore[assignment]

    def failed(self, table: pd.DataFrame, book: Rulebook) -> pd.Series:
        from .courtesy import courtesy_only
        from .excuses import latest_post

        if "text" not in table.columns or self.column not in table.columns:
            return _missing(table)
        open_ = table[self.column].notna().to_numpy(dtype=bool, copy=True)
        for name in self.parts:
            if name in table.columns:
                open_ &= ~table[name].astype("boolean").fillna(False).to_numpy(dtype=bool)
        sorry = table["empathy"].astype("boolean").fillna(False).to_numpy(dtype=bool) if "empathy" in table.columns \
            else np.zeros(len(table), dtype=bool)
        posts = table["customer_text"].to_numpy() if "customer_text" in table.columns else np.full(len(table), "")
        texts = table["text"].to_numpy()
        out = np.zeros(len(table), dtype=bool)
        for i in np.flatnonzero(open_).tolist():  # courtesy alone (one regex run, cached) before the posts
            if isinstance(texts[i], str) and courtesy_only(texts[i]):
                post = posts[i] if isinstance(posts[i], str) else ""
                out[i] = _owed(bool(sorry[i]), latest_post(post))
        return pd.Series(out, index=table.index, dtype="boolean")


def _owed(sorry: bool, latest: str) -> bool:
    """Whether a courtesy-only reply owed more (see :class:`NoNextStep`): it apologised, or the customer's
    latest post asked or complained (a problem in words, not said to be solved), and that post is not thanks
    answered in full by courtesy."""
    from .closings import closing_rule

    rule = closing_rule()
    return (sorry or rule.asks(latest) or rule.complains(latest)) and not rule.grateful(latest)


# Criteria that are not one verdict column each.
_NUMERIC = (
    ThresholdCriterion("precedent_risk", "precedent_risk", "precedent risk, graded by its value: the same "
                       "concession costs more the more visible and claimable it is", grade_by="precedent_risk",
                       unit="risk"),
    ThresholdCriterion("high_precedent_risk", "precedent_risk", "precedent risk at or above precedent.high"),
    OffPolicyHighPrecedent("off_policy_high_precedent", "policy_status",
                           "an off-policy concession with high precedent risk"),
    AllOf("template_ignores_customer", "template_overuse", "a text pasted onto different problems that takes "
          "up nothing the customer wrote, in answer to their post", parts=("template_overuse", "no_personalisation"),
          only_where="latency_minutes"),
    NoNextStep("no_next_step", "latency_minutes", "courtesy alone in answer to a post that needed a reply: "
               "nothing to act on or wait for", parts=("dm_request", "deflection", "compensation")),
)


def _cached() -> dict[str, Criterion]:
    """Built on each call (a few dozen objects): a check registered later is seen at once."""
    from .verdicts import specs

    out: dict[str, Criterion] = {}
    for s in specs().values():
        unit = "min late" if s.grade_by == "minutes_late" else ""
        out[s.criterion] = Criterion(s.criterion, s.column, s.description, s.polarity, s.grade_by, unit)
    for c in _NUMERIC:
        out[c.name] = c
    return out


def criteria() -> dict[str, Any]:
    """Every criterion a rulebook may name, by name (from the verdict registry, plus the numeric ones)."""
    return dict(_cached())


def criterion_names() -> list[str]:
    return sorted(_cached())
