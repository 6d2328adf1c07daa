"""``not_our_team``: the reply says this team or channel cannot help with the matter.

"We can't access accounts here", "we're just the social media team", "we only support English on this
channel", "por este medio no contamos con facultades". A deflection that does not say so is not this check.
"""

from __future__ import annotations

from qa.checks.base import Finding, ReplyContext, register, settled
from qa.checks.phrases import evidence, phrasebook, reply_lang

__all__ = ["NotOurTeam"]


class NotOurTeam:
    name = "not_our_team"
    nothing = settled(name, False)  # the shared finding of most replies

    def run(self, ctx: ReplyContext) -> Finding:
        book = phrasebook()
        found = book.read(ctx.text).spans(book.get(self.name), reply_lang(ctx))
        if not found:
            return self.nothing
        return Finding(self.name, True, evidence(ctx.text, found))


register(NotOurTeam())
