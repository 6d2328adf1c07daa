"""What a reply concedes: the kind and amount of each concession, so the rulebook can judge it.

The ``compensation`` check (in :mod:`qa.checks`) decides *whether* a reply offers compensation; this module
says *what*: a refund, a 50% discount, 500 points. Policy needs the kind and amount, and precedent risk needs
to know whether the amount is stated. Terms live per language in ``policies/concession_terms.yaml``; a
language is added there, not here. When the check's finding already gives a kind and amount, those win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .checks.base import Evidence, Finding

__all__ = ["Concession", "ConcessionExtractor", "extract_concessions", "from_finding", "literal_trie"]

TERMS_FILE = Path(__file__).parent / "policies" / "concession_terms.yaml"
KIND_ALIASES = {"credit": "store_credit"}  # the compensation check's names -> the rulebook's


@dataclass(frozen=True)
class Concession:
    """One concession named in a reply; ``amount`` in money (or points), ``percent`` for discounts."""

    kind: str
    amount: float | None = None
    percent: float | None = None
    evidence: Evidence | None = None

    @property
    def stated(self) -> bool:
        """True when the reply names how much, which makes the offer easy to cite and claim."""
        return self.amount is not None or self.percent is not None


def _num(s: str) -> float:
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", s):
        return float(re.sub(r"[,.]", "", s))
    return float(s.replace(",", "."))


def literal_trie(literals: list[str]) -> str:
    """One regex for many literals, nested by common prefix: ``re`` then tests about one branch per
    character instead of every literal at every position. Where several fit, it matches the longest (and
    backtracks to shorter ones when what follows the pattern fails), as an alternation sorted longest first."""
    trie: dict = {}  # type: ignore[type-arg]
    for lit in literals:
        node = trie
        for ch in lit:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        children = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not children:
            return ""
        alt = children[0] if len(children) == 1 else "(?:" + "|".join(children) + ")"
        return f"(?:{alt})?" if "" in node else alt

    return build(trie)


def _loose(literal: str) -> str:
    """``literal`` without the prefilter's ``\\b`` marks at its ends."""
    if literal.startswith("\\b"):
        literal = literal[2:]
    if literal.endswith("\\b"):
        literal = literal[:-2]
    return literal


def _gate(patterns: list[str]) -> re.Pattern[str] | None:
    """A regex of the lower-case literals one of which any match of any pattern contains (None: unknown)."""
    try:
        from .checks.phrases import required_literals
    except ImportError:  # the prefilter is an optimisation only
        return None
    found: set[str] = set()
    for p in patterns:
        lits = required_literals(p)
        if not lits:
            return None
        # the text is searched as it is: a literal's whole-word marks (``\\bfree``) are dropped, which only
        # lets more replies through the gate, never fewer
        found |= {_loose(lit) for lit in lits}
    # a literal containing a shorter one adds nothing to the test
    return re.compile(literal_trie(sorted(w for w in found if not any(o != w and o in w for o in found))))


class ConcessionExtractor:
    """Compiled concession terms for every language in the terms file."""

    def __init__(self, terms: dict[str, Any]):
        flags = re.IGNORECASE | re.UNICODE
        self.kinds: dict[str, list[tuple[str, re.Pattern]]] = {}
        for lang, by_kind in terms["kinds"].items():
            self.kinds[lang] = [(kind, re.compile("|".join(f"(?:{p})" for p in pats), flags))
                                for kind, pats in by_kind.items()]
        self.negation = {lang: re.compile("|".join(re.escape(p) for p in pats), flags)
                         for lang, pats in terms["negation"].items()}
        a = terms["amounts"]
        self.money = re.compile(f"{a['currency_before']}|{a['currency_after']}", flags)
        self.percent = re.compile(a["percent"], flags)
        self.points = re.compile(a["points"], flags)
        # one quick test over all languages, as most replies concede nothing: a substring gate (the literals
        # every pattern needs, searched in the lower-cased text), then the same per language and kind, so
        # that a kind's IGNORECASE pattern is tried only where one of its literals is; the regex union
        # (``screen``: each alternative tried at every position) only when no gate could be built
        self.screen = re.compile("|".join(p.pattern for pats in self.kinds.values() for _, p in pats), flags)
        self.gate = _gate([p for by_kind in terms["kinds"].values() for pats in by_kind.values() for p in pats])
        self.kind_gates = {lang: [_gate(list(pats)) for pats in by_kind.values()]
                           for lang, by_kind in terms["kinds"].items()}

    def extract(self, text: str, language: str = "und") -> list[Concession]:
        """The concessions offered in ``text`` (all known languages are tried when ``language`` is unknown)."""
        if not text:
            return []
        low = text.lower()
        if self.gate is not None and not self.gate.search(low):
            return []
        if self.gate is None and not self.screen.search(text):
            return []
        langs = [language] if language in self.kinds else list(self.kinds)
        found: dict[str, Concession] = {}
        for lang in langs:
            neg = self.negation.get(lang)
            for (kind, pat), gate in zip(self.kinds[lang], self.kind_gates[lang]):
                if kind in found or (gate is not None and not gate.search(low)):
                    continue
                for m in pat.finditer(text):
                    before = re.split(r"[.!?¡¿\n]", text[max(0, m.start() - 40): m.start()])[-1]
                    if neg is not None and neg.search(before):
                        continue
                    amount, percent = self._quantities(kind, text, m.start(), m.end())
                    found[kind] = Concession(kind, amount, percent, Evidence(m.start(), m.end(), m.group(0)))
                    break
        return sorted(found.values(), key=lambda c: c.evidence.start if c.evidence else 0)

    def _quantities(self, kind: str, text: str, start: int, end: int) -> tuple[float | None, float | None]:
        """The amount or percentage nearest to the term, within its sentence's reach (60 characters)."""
        lo, hi = max(0, start - 60), min(len(text), end + 60)
        window = text[lo:hi]
        if kind == "points":
            m = self.points.search(window)
            return (_num(m.group(1)) if m else None), None
        if kind == "discount":
            ms = list(self.percent.finditer(window))
            if ms:
                best = min(ms, key=lambda m: abs(lo + m.start() - start))
                return None, float(best.group(1))
        ms = list(self.money.finditer(window))
        if ms:
            best = min(ms, key=lambda m: abs(lo + m.start() - start))
            return _num(best.group(1) or best.group(2)), None
        return None, None


@lru_cache(maxsize=4)
def _extractor(path: str) -> ConcessionExtractor:
    with open(path, encoding="utf-8") as fh:
        return ConcessionExtractor(yaml.safe_load(fh))


def extract_concessions(text: str, language: str = "und") -> list[Concession]:
    """Concessions in ``text`` using the shipped terms file."""
    return list(_extract_shipped(text, language))


@lru_cache(maxsize=8192)
def _extract_shipped(text: str, language: str) -> tuple[Concession, ...]:
    """Remembered by text: brands paste the same templates all day (concessions are immutable, so shared)."""
    return tuple(_extractor(str(TERMS_FILE)).extract(text, language))


def from_finding(finding: Finding | None, text: str, language: str = "und") -> list[Concession]:
    """Concessions for a reply: the compensation finding's kinds/amounts if it gives them, else extracted.

    A finding that says False (no compensation) yields nothing even if terms appear (the check read the
    context, e.g. an existing public offer); an undetermined or missing finding falls back to extraction.
    """
    if finding is not None and finding.verdict is False:
        return []
    extracted = extract_concessions(text, language)
    if finding is None or not finding.detail:
        return extracted
    d = finding.detail
    kinds = d.get("kinds") or ([d["kind"]] if d.get("kind") else [])
    if not kinds:
        return extracted
    ev = finding.evidence[0] if finding.evidence else None
    by_kind = {c.kind: c for c in extracted}
    out = []
    for j, k in enumerate(dict.fromkeys(KIND_ALIASES.get(k, k) for k in kinds)):
        if k in by_kind:  # our reading gives each kind its own amount
            out.append(by_kind[k])
        else:  # the finding's amount belongs to its first kind only
            out.append(Concession(k, d.get("amount") if j == 0 else None, d.get("percent") if j == 0 else None, ev))
    return out
