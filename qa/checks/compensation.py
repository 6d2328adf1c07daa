"""``compensation``: the reply offers or confirms a refund, credit, voucher, discount, free item, replacement,
fee waiver, points or upgrade, whatever the wording ("we'll hook you up", "a new one is on its way").

The kinds are sub-groups of ``compensation`` in the phrase files, so a brand's own idiom is one line of data.
An offer preceded in its sentence by a refusal or a maybe ("we're unable to offer a refund", "we'll see if we
can refund") does not count (group ``negation``), nor one made on a condition stated after it in the sentence
("we'll refund it if the item comes back unused": group ``condition``), nor a sentence that explains a public
policy, price or promotion ("refunds are available within 30 days of purchase": group ``policy``, searched in
the whole sentence). Every kind's pattern needs an offer or confirmation verb or form. The detail gives ``kind`` (the first offered), all ``kinds``, and
``amount``/``currency``/``percent`` where the offer's sentence states them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from qa.checks.base import Finding, ReplyContext, register, settled
from qa.checks.phrases import evidence, phrasebook, reply_lang

__all__ = ["Compensation", "KINDS"]

KINDS = ("refund", "credit", "voucher", "discount", "free_item", "replacement", "fee_waiver", "points", "upgrade")

_SENTENCE_END = re.compile(r"[.!?\n](?=\s|$)")
_AMOUNT = re.compile(
    r"(?P<pre>[$£€])\s?(?P<n1>\d[\d,]*(?:\.\d{1,2})?)"
    r"|(?P<n2>\d[\d,]*(?:\.\d{1,2})?)\s?(?P<post>USD|EUR|GBP|MXN|dollars?|pounds?|euros?|pesos?)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?%")
_CURRENCY = {"$": "USD", "£": "GBP", "€": "EUR", "dollar": "USD", "pound": "GBP", "euro": "EUR", "peso": "MXN"}


MAX_PER_KIND = 20  # offers of one kind kept as evidence: more says nothing new, and bounds the work per reply
SENTENCE_MAX = 400  # characters read either side of an offer: a "sentence" without stops is not read whole


class _Sentences:
    """Sentence bounds of one text, found in one pass: a lookup per offer is a bisection, so a reply is read in
    linear time however many offers it holds (rescanning from the start for each offer was quadratic)."""

    def __init__(self, text: str) -> None:
        self.n = len(text)
        self.starts = [m.start() for m in _SENTENCE_END.finditer(text)]
        self.ends = [start + 1 for start in self.starts]  # a sentence end is one character: no second pass

    def around(self, start: int, end: int) -> tuple[int, int]:
        i = bisect_right(self.ends, start)
        left = self.ends[i - 1] if i else 0
        j = bisect_left(self.starts, end)
        right = self.starts[j] if j < len(self.starts) else self.n
        return max(left, start - SENTENCE_MAX), min(right, end + SENTENCE_MAX)


def _amounts(sentence: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    m = _AMOUNT.search(sentence)
    if m:
        number = (m.group("n1") or m.group("n2")).replace(",", "")
        unit = (m.group("pre") or m.group("post") or "").lower().rstrip("s")
        out["amount"] = float(number)
        out["currency"] = _CURRENCY.get(unit, unit.upper())
    p = _PERCENT.search(sentence)
    if p:
        out["percent"] = float(p.group(1).replace(",", "."))
    return out


class Compensation:
    name = "compensation"
    nothing = settled(name, False)  # the shared finding of most replies

    def run(self, ctx: ReplyContext) -> Finding:
        book, text = phrasebook(), ctx.text
        r = book.read(text)
        if not r.can_match(*book.named(self.name, KINDS).values()):
            return self.nothing  # no kind's words in the reply (most replies): one test for all kinds
        kinds = [(kind, rx) for kind, rx in book.groups(self.name) if kind in KINDS and r.active(rx)]
        if not kinds:  # no kind's words in the reply: nothing can be offered (most replies)
            return self.nothing
        lang = reply_lang(ctx)
        negation = book.get(self.name, "negation")
        condition = book.get(self.name, "condition")
        policy = book.get(self.name, "policy")
        hits: list[tuple[int, int, str]] = []
        sentences: _Sentences | None = None
        for kind, rx in kinds:
            kept = 0
            for m in r.finditer(rx, lang):
                if kept >= MAX_PER_KIND:
                    break
                sentences = sentences or _Sentences(text)
                left, right = sentences.around(m.start(), m.end())
                # The pieces around an offer are searched with the reply's own gate (``within``).
                if negation is not None and negation.search(text[left : m.start()], lang, text):
                    continue
                if condition is not None and condition.search(text[m.end() : right], lang, text):
                    continue
                if policy is not None and policy.search(text[left:right], lang, text):
                    continue
                hits.append((m.start(), m.end(), kind))
                kept += 1
        hits.sort()
        detail: dict[str, Any] = {}
        if hits:
            kinds = tuple(dict.fromkeys(k for _, _, k in hits))
            detail = {"kind": kinds[0], "kinds": kinds}
            sentences = sentences or _Sentences(text)
            for start, end, _ in hits:
                left, right = sentences.around(start, end)
                found = _amounts(text[left:right])
                for key, value in found.items():
                    detail.setdefault(key, value)
        if not hits:
            return self.nothing
        return Finding(self.name, True, evidence(text, [(s, e) for s, e, _ in hits]), detail)


register(Compensation())
