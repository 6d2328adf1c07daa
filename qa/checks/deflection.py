"""``deflection``: the reply sends the customer elsewhere instead of handling the matter here.

Real deflections are rarely "call 1-800-..." in full. They are "tell us more here: <link>" to a contact form,
a fragment of a multi-part reply carrying only phone numbers, opening hours or IVR menu options, "have you asked
the seller?", or "use the link from above" pointing at a contact link given earlier. Each of these is a group
of patterns in the phrase files; a brand telephone number or e-mail address written out is a referral too.

Not deflections (LABELING.md): continuing by DM (that is ``dm_request``); a self-help link that answers; the
brand passing the case on or promising to call ("send us your details here: <link> and we'll call you");
numbers the brand calls *from*; routine self-service places (ATM, app).
"""

from __future__ import annotations

from qa.checks import entities
from qa.checks.base import Finding, ReplyContext, register
from qa.checks.phrases import evidence, phrasebook, reply_lang, spans

__all__ = ["Deflection"]

# Group name in the phrase files -> channel reported in the finding's detail.
_CHANNELS = {
    "contact_link": "link",
    "phone": "phone",
    "email": "email",
    "visit": "store",
    "other_party": "other_party",
}


def _followed_by(span: tuple[int, int], nexts: list[tuple[int, int]], window: int = 40) -> bool:
    return any(span[1] - 5 <= n[0] <= span[1] + window for n in nexts)


def _after(span: tuple[int, int], befores: list[tuple[int, int]], window: int = 80) -> bool:
    """A span (the brand's next step) ends at most ``window`` characters before ``span`` starts."""
    return any(span[0] - window <= b[1] <= span[0] for b in befores)


def _starts_in(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(o[0] <= span[0] < o[1] for o in others)


def _customer_keys(customer_text: str) -> set[str]:
    found = entities.phones(customer_text) + entities.emails(customer_text)
    return {e.key for e in found}


class Deflection:
    name = "deflection"

    def run(self, ctx: ReplyContext) -> Finding:
        book, text, lang = phrasebook(), ctx.text, reply_lang(ctx)
        found: list[tuple[int, int]] = []
        channels: list[str] = []

        # A link described as a way to message the brand is a dm_request (settled), not a contact page: nothing
        # found inside such a phrase ("write to us here: <link>") is a referral.
        to_brand = spans(book.get("dm_request", "message_link"), text, lang)

        def add(group: str, hits: list[tuple[int, int]]) -> None:
            hits = [h for h in hits if not _starts_in(h, to_brand)]
            if hits:
                found.extend(hits)
                if _CHANNELS.get(group, group) not in channels:
                    channels.append(_CHANNELS.get(group, group))

        next_step = spans(book.get(self.name, "brand_next_step"), text, lang)
        links = [
            s
            for s in spans(book.get(self.name, "contact_link"), text, lang)
            if not _followed_by(s, next_step)
            and not _after(s, next_step)
            and not entities.preceded_by(book.get(self.name, "brand_acts"), text, s[0], 40)
        ]
        add("contact_link", links)
        brand_acts = book.get(self.name, "brand_acts")
        senders = spans(book.get(self.name, "sender_list"), text, lang)
        after_senders = senders[0][1] if senders else len(text) + 1  # numbers listed after it are senders
        for group in ("phone", "email", "visit", "other_party"):
            hits = spans(book.get(self.name, group), text, lang)
            if group in ("phone", "email"):
                hits = [h for h in hits if h[0] < after_senders]
            add(group, [h for h in hits if not entities.preceded_by(brand_acts, text, h[0], 40)])

        # A brand number or address written out, not the customer's own and not a sender to watch out for.
        if entities.may_contain(text):
            plain = entities.unmasked(text)  # URLs and masks blanked, offsets kept
            written = entities.phones(plain) + entities.emails(plain)
            customer = _customer_keys(ctx.customer_text) if written else set()
            not_referral = book.get("not_referral")
            for ent in written:
                if ent.start >= after_senders or ent.key in customer or entities.preceded_by(not_referral, text, ent.start):
                    continue
                add("phone" if ent.kind == "phone" else "email", [(ent.start, ent.end)])

        # "Use the link from above": a deflection when an earlier brand post gave a contact link or number.
        back = spans(book.get(self.name, "earlier_link"), text, lang)
        if back and any(self._refers(earlier) for earlier in ctx.earlier_brand_texts):
            add("earlier_link", back)

        return Finding(self.name, bool(found), evidence(text, found), {"channels": tuple(channels)})

    def _refers(self, earlier: str) -> bool:
        book = phrasebook()
        return bool(
            spans(book.get(self.name, "contact_link"), earlier) or spans(book.get(self.name, "phone"), earlier)
        )


register(Deflection())
