"""``deflection``: the reply sends the customer elsewhere instead of handling the matter here.

Real deflections are rarely "call 1-800-..." in full. They are "tell us more here: <link>" to a contact form,
a fragment of a multi-part reply carrying only phone numbers, opening hours or IVR menu options, "have you asked
the seller?", or "use the link from above" pointing at a contact link given earlier. Each of these is a group
of patterns in the phrase files; a brand telephone number or e-mail address written out is a referral too, and
so is a link whose address names a contact page, a ticket or report form, a community board or a help site's
home page (:mod:`qa.checks.link_pages`; an article's address is self-help and makes nothing on its own).

Not deflections (LABELING.md): continuing by DM (that is ``dm_request``); a self-help link that answers; the
brand passing the case on or promising to call ("send us your details here: <link> and we'll call you");
numbers the brand calls *from*; routine self-service places (ATM, app); the opening hours of this very channel
("we're here on Twitter Mon-Fri 8-8", group ``own_hours``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import islice

from qa.checks import entities, link_pages
from qa.checks.base import Finding, ReplyContext, register, settled
from qa.checks.matching import Reading
from qa.checks.phrases import evidence, phrasebook, reply_lang

__all__ = ["Deflection"]

# Group name in the phrase files -> channel reported in the finding's detail.
_CHANNELS = {
    "contact_link": "link",
    "phone": "phone",
    "email": "email",
    "visit": "store",
    "other_party": "other_party",
}


_REFERRALS = (*_CHANNELS, "earlier_link")  # the groups that can make a reply a deflection
_GROUPS = (*_REFERRALS, "brand_next_step", "brand_acts", "sender_list", "own_hours")

MAX_PER_GROUP = 20  # referrals of one kind kept as evidence; also bounds the work on a pathological reply


class _Spans:
    """Sorted spans with bisection lookups, so that testing each hit against them is not a scan (linear)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.ends = sorted(e for _, e in self.spans)

    def start_in(self, lo: int, hi: int) -> bool:
        """Some span starts in [lo, hi]."""
        i = bisect_left(self.starts, lo)
        return i < len(self.starts) and self.starts[i] <= hi

    def end_in(self, lo: int, hi: int) -> bool:
        i = bisect_left(self.ends, lo)
        return i < len(self.ends) and self.ends[i] <= hi

    def covers(self, pos: int) -> bool:
        """Some span has start <= pos < end (spans of one group rarely nest: the latest start decides)."""
        i = bisect_right(self.starts, pos)
        return bool(i) and pos < self.spans[i - 1][1]


def _first(hits: list[tuple[int, int]], keep: Callable[[tuple[int, int]], bool]) -> list[tuple[int, int]]:
    if not hits:
        return []  # most groups find nothing: no generator to build
    return list(islice((h for h in hits if keep(h)), MAX_PER_GROUP))


@lru_cache(maxsize=64)
def _customer_keys(customer_text: str) -> frozenset[str]:
    """The customer's own numbers and addresses: cached, since each brand reply of a thread reads the same posts."""
    found = entities.phones(customer_text) + entities.emails(customer_text)
    return frozenset(e.key for e in found)


def _to_brand(r: Reading, lang: str | None) -> _Spans:
    """Spans of the phrases that make a link a way to reach the brand itself (see ``Deflection.run``)."""
    book = phrasebook()
    return _Spans(r.spans(book.get("dm_request", "message_link"), lang)
                  + r.spans(book.get("dm_request", "details_link"), lang))


class Deflection:
    name = "deflection"
    nothing = settled(name, False, channels=())  # the shared finding of most replies

    # About 80 lines: the early return for replies with no referral words comes first, then one pass over the
    # referrals with the exceptions next to the rule they qualify (kept together so the verdict reads top down).
    def run(self, ctx: ReplyContext) -> Finding:
        book, text = phrasebook(), ctx.text
        g = book.named(self.name, _GROUPS)
        r = book.read(text)
        numbers = entities.may_contain(text)
        # links to contact, form, community or help-home pages
        pages = link_pages.referrals(text, r.lower, MAX_PER_GROUP)
        if not numbers and not pages and not r.can_match(*(g[k] for k in _REFERRALS)):
            return self.nothing  # no referral words, no number: most replies
        lang = reply_lang(ctx)
        found: list[tuple[int, int]] = []
        channels: list[str] = []

        # A link described as a way to message the brand is a dm_request (settled), and one to leave details for
        # the brand to act on is the brand's next step, not a contact page: nothing found inside such a phrase
        # ("write to us here: <link>", "share your details here: <link>") is a referral.
        to_brand: list[_Spans] = []  # found on the first hit: most replies that get this far have none

        def add(group: str, hits: list[tuple[int, int]]) -> None:
            if not hits:
                return
            if not to_brand:
                to_brand.append(_to_brand(r, lang))
            hits = [h for h in hits if not to_brand[0].covers(h[0])]
            if hits:
                found.extend(hits)
                if _CHANNELS.get(group, group) not in channels:
                    channels.append(_CHANNELS.get(group, group))

        brand_acts = g["brand_acts"]
        contact = r.spans(g["contact_link"], lang)
        kept_pages: list[str] = []
        if pages:
            to_brand.append(_to_brand(r, lang))
        if contact or pages:
            next_step = _Spans(r.spans(g["brand_next_step"], lang))

            def referral(s: tuple[int, int]) -> bool:
                return (not next_step.start_in(s[1] - 5, s[1] + 40)  # the brand's next step follows the link
                        and not next_step.end_in(s[0] - 80, s[0])  # ... or comes just before it
                        and not entities.preceded_by(brand_acts, text, s[0], 40))

            add("contact_link", _first(contact, referral))
            # A link whose address names a referral page, whatever words come before it (qa.checks.links).
            for link, kind in pages:
                # "send us a note here: <link>" (a dm_request): the message phrase ends just before the link
                if to_brand and to_brand[0].end_in(link.start - 8, link.start):
                    continue
                before = len(found)
                add("contact_link", _first([(link.start, link.end)], referral))
                if len(found) > before:  # not the brand's next step, not inside a link to message the brand
                    kept_pages.append(kind.name)
        senders = r.spans(g["sender_list"], lang)
        after_senders = senders[0][1] if senders else len(text) + 1  # numbers listed after it are senders
        for group in ("phone", "email", "visit", "other_party"):
            limit = after_senders if group in ("phone", "email") else len(text) + 1
            hits = r.spans(g[group], lang)
            if hits and group == "phone" and g["own_hours"]:
                # Opening hours of this very channel ("we're here on Twitter Mon-Fri 8-8") send no one anywhere;
                # searched only when a phone phrase was found (most replies with a number have none).
                own_hours = _Spans(r.spans(g["own_hours"], lang))
                hits = [h for h in hits if not own_hours.covers(h[0])]
            add(group, _first(hits, lambda h: h[0] < limit and not entities.preceded_by(brand_acts, text, h[0], 40)))

        # A brand number or address written out, not the customer's own and not a sender to watch out for.
        if numbers:
            plain = entities.unmasked(text)  # URLs and masks blanked, offsets kept
            written = entities.phones(plain) + entities.emails(plain)
            customer = _customer_keys(ctx.customer_text) if written else set()
            not_referral = book.get("not_referral")
            kept = [ent for ent in islice((ent for ent in written if ent.start < after_senders
                                           and ent.key not in customer
                                           and not entities.preceded_by(not_referral, text, ent.start)),
                                          MAX_PER_GROUP)]
            for ent in kept:
                add("phone" if ent.kind == "phone" else "email", [(ent.start, ent.end)])

        # "Use the link from above": a deflection when an earlier brand post gave a contact link or number.
        back = r.spans(g["earlier_link"], lang)
        if back and any(self._refers(earlier) for earlier in ctx.earlier_brand_texts):
            add("earlier_link", back)

        if not found:
            return self.nothing
        detail = {"channels": tuple(channels)}
        if kept_pages:
            detail["pages"] = tuple(dict.fromkeys(kept_pages))
        return Finding(self.name, True, evidence(text, found), detail)

    def _refers(self, earlier: str) -> bool:
        book = phrasebook()
        r = book.read(earlier)
        return bool(r.spans(book.get(self.name, "contact_link")) or r.spans(book.get(self.name, "phone"))
                    or link_pages.referrals(earlier, limit=1))


register(Deflection())
