"""``dm_request``: the reply moves the conversation to private messages.

"DM us", "check your DMs", "we've sent you a DM", "follow us so we can DM you", "reply by DM with your order
number" all count, and so does a link described as a way to message the brand (group ``message_link``: "send
us a note here: <link>", "write to us at the link", "tell us more: <link>"). A reply that only thanks for a
DM or refers back to one ("as we said in DM") does not, unless it also says the brand will answer there.
"""

from __future__ import annotations

from qa.checks.base import Finding, ReplyContext, register, settled
from qa.checks.phrases import evidence, phrasebook, reply_lang

__all__ = ["DmRequest"]


_GROUPS = ("request", "message_link", "mention", "ack_only", "will_respond")


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(o[0] <= span[0] and span[1] <= o[1] for o in others)


class DmRequest:
    name = "dm_request"
    nothing = settled(name, False)  # the shared finding of most replies

    def run(self, ctx: ReplyContext) -> Finding:
        book, text = phrasebook(), ctx.text
        g = book.named(self.name, _GROUPS)
        r = book.read(text)
        if not r.can_match(g["request"], g["message_link"], g["mention"], g["ack_only"]):
            return self.nothing  # no word of a request, a link or a mention (most replies)
        lang = reply_lang(ctx)
        ack = r.spans(g["ack_only"], lang)
        found = [s for s in r.spans(g["request"], lang) if not _inside(s, ack)]
        found += r.spans(g["message_link"], lang)
        if not found:
            found = [s for s in r.spans(g["mention"], lang) if not _inside(s, ack)]
            if not found and ack:
                respond = r.spans(g["will_respond"], lang)
                if respond:
                    found = ack + respond
        if not found:
            return self.nothing
        return Finding(self.name, True, evidence(text, found))


register(DmRequest())
