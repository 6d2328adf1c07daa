"""``language_mismatch``: the reply is written in a language other than the customer's.

It reads ``ctx.customer_language`` and ``ctx.reply_language`` (filled by the caller with
:func:`qa.language.thread_language` and :func:`qa.language.detect`) and is undetermined (None) when either is
``"und"``. Before saying True it looks closer, because a false mismatch is worse than none: a reply that also
speaks the customer's language (it "adds a translation") is not a mismatch, nor is a reply in a language the
customer used elsewhere in the thread.
"""

from __future__ import annotations

import re

from qa.checks.base import Evidence, Finding, ReplyContext, register, settled
from qa.language import UND, segment_languages

__all__ = ["LanguageMismatch"]

_LEAD = re.compile(r"^(?:\s*@\w+)*\s*")


class LanguageMismatch:
    name = "language_mismatch"

    def __init__(self) -> None:
        # (customer, reply language) -> the shared finding when that pair settles it without reading the texts
        # (either undetermined, or both the same: nearly every reply); a dozen languages make few pairs
        self._settled: dict[tuple[str, str], Finding] = {}

    def run(self, ctx: ReplyContext) -> Finding:
        customer, reply = ctx.customer_language, ctx.reply_language
        found = self._settled.get((customer, reply))
        if found is not None:
            return found
        detail = {"customer_language": customer, "reply_language": reply}
        if customer == UND or reply == UND or customer == reply:
            found = settled(self.name, None if UND in (customer, reply) else False, **detail)
            if len(self._settled) < 1024:  # bounded: language codes come from the data
                self._settled[(customer, reply)] = found
            return found
        if customer in segment_languages(ctx.text) or (
            ctx.customer_text and reply in segment_languages(ctx.customer_text)
        ):
            return settled(self.name, False, **detail)
        start = _LEAD.match(ctx.text).end()  # type: ignore[union-attr]
        end = len(ctx.text.rstrip())
        ev = (Evidence(start, end, ctx.text[start:end]),) if end > start else ()
        return Finding(self.name, True, ev, detail)


register(LanguageMismatch())
