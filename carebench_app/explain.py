"""What the numbers on a reply mean, in words: each check's definition, the rulebook terms behind it, where its
verdict came from, the score as the short sum that produced it, and precedent risk.

Definitions follow the labelling guide (``LABELING.md``) and the rulebook; they live here once, keyed by the
name a check or scorecard criterion has in the scores table, so every card, filter and legend reads the same
text. Nothing here scores a reply: the sum is the QA module's own (``score_explained``, or the points per
criterion its scorecard counted), and a test checks it adds up to the score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFINITIONS", "definition", "rule_terms", "source", "Term", "score_sum",
           "precedent_level", "precedent_words", "label"]

DEFINITIONS: dict[str, str] = {
    "deflection": "The reply sends the customer somewhere else instead of dealing with it here: a phone number, "
                  "an e-mail address, a store or branch, another team or company, a contact page or form. Not "
                  "a deflection: asking to continue by DM, a self-help link or steps that answer the question, "
                  "or saying the brand has passed the case on and will get in touch.",
    "dm_request": "The reply moves the conversation to private messages (\"send us a DM\", \"check your DMs\", "
                  "\"follow us so we can DM you\"). Only mentioning an earlier DM is not a request. Not a fault "
                  "in itself: private data belongs in private.",
    "pii_exposed": "The reply shows the customer's personal data in public: their phone number, e-mail, postal "
                   "address, or an order, booking, ticket, account or card number. The brand's own numbers and "
                   "addresses, and greeting the customer by name, are not personal data.",
    "compensation": "The reply offers or confirms something of value: a refund, credit, voucher, discount, "
                    "points, a free item or service, a replacement, an upgrade or a waived fee. \"We'll look into "
                    "it\" is not an offer. Whether the offer was allowed is the off-policy criterion.",
    "not_our_team": "The reply says this team or channel cannot help (\"we're just the social team\", \"we can't "
                    "see accounts from here\"). Deflecting without saying so is a deflection only.",
    "language_mismatch": "The reply is in another language than the customer wrote in. Undetermined when the "
                         "customer's text or the reply is too short or mixed to tell.",
    "late_response": "The first reply came later than the rulebook's first-response target after the customer's "
                     "post.",
    "customer_repeated": "The customer had to post again before this reply came.",
    "off_policy_compensation": "A concession the rulebook does not allow for this case (wrong kind, past the "
                               "time window, over the limit). Undetermined when the case facts needed to judge "
                               "it (purchase date, category) are not in the data.",
    "high_precedent_risk": "Precedent risk at or above the rulebook's threshold: an off-policy concession that "
                           "many people can see and easily ask for too.",
    "template_overuse": "Nearly the same text was sent to customers with different problems: a canned reply "
                        "that does not answer this customer.",
    "never_acceptable": "The reply uses a phrase the rulebook never accepts (\"calm down\", \"not our problem\").",
    "blame": "The reply blames the customer for the problem.",
    "no_empathy": "The reply shows no acknowledgement of the customer's trouble (no apology, no sympathy).",
    "no_personalisation": "Nothing in the reply is specific to this customer's problem.",
}

_LABELS = {"pii_exposed": "personal data exposed", "dm_request": "DM request", "not_our_team": "not our team",
           "no_empathy": "no empathy", "no_personalisation": "no personalisation"}


def label(name: str) -> str:
    """A check's name as a reader says it."""
    return _LABELS.get(name, name.replace("_", " "))


def definition(name: str) -> str:
    """What ``name`` means; a criterion's own description when this module has none."""
    if name in DEFINITIONS:
        return DEFINITIONS[name]
    try:
        from qa.criteria import criteria

        crit = criteria().get(name)
        if crit is not None and getattr(crit, "description", ""):
            return str(crit.description)[:1].upper() + str(crit.description)[1:] + "."
    except ImportError:
        pass
    return "No definition is recorded for this check."


def _rules(book: Any) -> Mapping[str, Any]:
    """The rubric's criteria by name (weight, critical, grades)."""
    return dict(getattr(getattr(book, "scorecard", None), "criteria", None) or {})


def _concession_rules(book: Any) -> list[str]:
    return [f"allowed: {r.note}" for r in getattr(book, "concessions", []) or [] if getattr(r, "note", "")]


def _never(book: Any) -> list[str]:
    phrases = getattr(book, "never_acceptable", {}) or {}
    return [f"never acceptable ({lang}): " + ", ".join(f"\"{p}\"" for p in words[:6])
            for lang, words in phrases.items()]


# Rulebook settings that decide a check, in words (beyond its weight and auto-fail, which every check has).
_TERMS: dict[str, Callable[[Any], list[str]]] = {
    "late_response": lambda b: [f"target: a first reply within {b.first_response_target_minutes:g} min"],
    "language_mismatch": lambda b: ["languages the brand serves: " + ", ".join(b.languages)],
    "off_policy_compensation": _concession_rules,
    "compensation": _concession_rules,
    "high_precedent_risk": lambda b: [f"flagged from a precedent risk of {b.precedent.high:g}"],
    "never_acceptable": _never,
    "template_overuse": lambda b: [
        f"the same text (similarity {b.consistency.template_similarity:g}) in {b.consistency.template_min_issues}"
        " or more different issue groups"],
}


def rule_terms(book: Any, name: str) -> list[str]:
    """The rulebook's terms for ``name`` in words: the points it costs, whether it fails a reply outright, how
    it is graded, its settings."""
    if book is None:
        return []
    rule = _rules(book).get(name)
    w = float(getattr(rule, "weight", 0.0) or 0.0)
    out = [f"costs up to {w:g} of the 100 score points" if w > 0
           else "weight 0: shown for review, it does not change the score"]
    if getattr(rule, "critical", False):
        out.append("critical: a reply that fails it fails outright and scores 0")
    grades = getattr(rule, "grades", None)
    if grades:
        out.append("graded: " + ", ".join(f"from {at:g}, {100 * share:g}% of its points"
                                          for at, share in grades.items()))
    try:
        out += _TERMS.get(name, lambda b: [])(book)
    except AttributeError:  # a rulebook layout this viewer does not know: the weight alone is shown
        pass
    return out


# Where a criterion's verdict comes from when it is not a registered check of its own.
_DERIVED = {
    "late_response": "thread timing: minutes from the customer's post to the first reply, against the rulebook",
    "customer_repeated": "thread timing: customer posts between the first post and this reply",
    "off_policy_compensation": "the rulebook's concession rules applied to the offer and the case facts",
    "high_precedent_risk": "precedent risk (departure x visibility x claimability) against the rulebook",
    "template_overuse": "consistency: similar replies compared across issue groups of the whole file",
    "never_acceptable": "the rulebook's list of phrases never accepted",
}


_LEARNED = {"model": "the learned model (qa.learned) alone: no rule matched; its evidence is the words that "
                      "weighed most",
            "both": "the rules, and the learned model (qa.learned) agrees"}


def source(name: str, row: Mapping[str, Any], registered: Mapping[str, Any], columns: Mapping[str, str],
           tags: set[str] = frozenset()) -> str:
    """Where the verdict on ``name`` came from: the table's own ``<name>_source`` when it has one, the
    learned model when the evidence is tagged so (rule, model or both), else the registered check that
    produced the column, else how the criterion is derived."""
    given = row.get(f"{name}_source")
    if isinstance(given, str) and given.strip():
        return _LEARNED.get(given.strip(), given.strip())
    for tag in ("model", "both"):
        if tag in tags:
            return _LEARNED[tag]
    column = columns.get(name, name)
    check = registered.get(column)
    if check is not None:
        inverted = f" (it fails when `{column}` is false)" if column != name else ""
        return f"rules: the `{column}` check in `{type(check).__module__}`{inverted}"
    return _DERIVED.get(name, "the QA module's scorecard")


@dataclass(frozen=True)
class Term:
    """One criterion's part of a reply's score."""

    name: str
    points: float  # score points lost (0 when its weight is 0)


def score_sum(score: float, terms: list[Term], auto_fail: list[str]) -> str:
    """The score as the short sum that produced it, e.g. ``100 − 15.4 off policy compensation − 7.7 late
    response = 76.9`` (with a real minus sign); an auto-fail says so instead."""
    if auto_fail:
        return f"auto-fail ({', '.join(label(a) for a in auto_fail)}): score 0"
    costly = [t for t in terms if t.points > 0.05]
    if not costly:
        return f"100: no criterion with a weight failed = {score:g}"
    parts = " ".join(f"\u2212 {t.points:.1f} {label(t.name)}" for t in sorted(costly, key=lambda t: -t.points))
    return f"100 {parts} = {score:g}"


def precedent_level(risk: float, high: float) -> str:
    if risk >= high:
        return "high"
    return "moderate" if risk >= high / 2 else "low"


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def precedent_words(row: Mapping[str, Any], high: float) -> str:
    """Precedent risk in a sentence: how far off policy, how visible, how easy to claim."""
    risk = _num(row.get("precedent_risk"))
    concessions = str(row.get("concessions") or "").replace(";", ", ")
    if risk is None:
        return "Not computed for this reply."
    if not concessions:
        return "No concession in this reply, so it sets no precedent."
    departure, vis, claim = (_num(row.get(k)) for k in ("departure", "visibility", "claimability"))
    if not departure:
        return f"The concession ({concessions}) is within policy, so it sets no precedent."
    followers = _num(row.get("customer_followers"))
    public = row.get("public") not in (False, 0, "false", "False")
    audience = ("a private message, seen by the customer alone" if not public else
                f"a public reply, seen by about {followers:,.0f} followers and anyone who searches"
                if followers is not None else "a public reply to a customer whose audience is unknown")
    how = "easy" if (claim or 0) >= 0.75 else "fairly easy" if (claim or 0) >= 0.5 else "hard"
    far = ("as far off policy as it gets" if departure >= 0.99 else "well beyond policy" if departure >= 0.6
           else "beyond policy")
    return (f"{precedent_level(risk, high).capitalize()} ({risk:.2f} of 1; flagged from {high:g}): "
            f"{concessions}, {far} (departure {departure:.2f}), in {audience} (visibility {vis:.2f}), "
            f"{how} for others to ask for too (claimability {claim:.2f}).")
