"""``dm_request``: the reply moves the conversation to private messages.

"DM us", "check your DMs", "we've sent you a DM", "follow us so we can DM you", "reply by DM with your order
number" all count, and so does a link described as a way to message the brand (group ``message_link``: "send
us a note here: <link>", "write to us at the link", "tell us more: <link>"). A reply that only thanks for a
DM or refers back to one ("as we said in DM") does not, unless it also says the brand will answer there.
"""

from __future__ import annotations

from qa.checks.base import Finding, ReplyContext, register
from qa.checks.phrases import evidence, phrasebook, reply_lang, spans

__all__ = ["DmRequest"]


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(o[0] <= span[0] and span[1] <= o[1] for o in others)


class DmRequest:
    name = "dm_request"

    def run(self, ctx: ReplyContext) -> Finding:
        book, text, lang = phrasebook(), ctx.text, reply_lang(ctx)
        ack = spans(book.get(self.name, "ack_only"), text, lang)
        found = [s for s in spans(book.get(self.name, "request"), text, lang) if not _inside(s, ack)]
        found += spans(book.get(self.name, "message_link"), text, lang)
        if not found:
            found = [s for s in spans(book.get(self.name, "mention"), text, lang) if not _inside(s, ack)]
            if not found and ack:
                respond = spans(book.get(self.name, "will_respond"), text, lang)
                if respond:
                    found = ack + respond
        return Finding(self.name, bool(found), evidence(text, found))


register(DmRequest())
