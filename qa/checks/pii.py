"""``pii_exposed``: a public reply reveals the customer's personal data.

Only a public reply can expose data: a private message (``ctx.public`` False: a DM, an e-mail) says nothing to
anyone but the customer, so it is never flagged, and every True verdict says it depends on the channel
(``detail["because"]``: "public reply on <channel>").

Personal data is the customer's phone, e-mail, postal address, or an order, booking, ticket, account or card
number. A value in the reply is the customer's when the customer's own posts contain it (the reply quotes it
back), when the reply calls it theirs ("your order number is 123-456789", "we'll call you back on ...",
"registered to ...", "we'll deliver it to 22 Oak Road": groups ``pii.possessive``, ``pii.to_customer``,
``pii.address_to_customer``), or when it is an order, booking, account,
case or ticket number (``pii.id_theirs``: brands have no order numbers of their own); a valid card number is
always personal. Phone numbers are found and typed by ``phonenumbers`` (Google's libphonenumber metadata, in
the regions of the reply's language): toll-free, shared-cost, premium-rate and "universal access" numbers are
businesses', never a customer's. The brand's own hotline, support e-mail (its domain carries the brand's name)
or store address is not personal data (``pii.brand_own``), nor "your order" without the number, nor the
customer's name. twcs masking tokens (``__email__``) and links are not data.

Linear in the reply: candidates are visited once in text order, and at most :data:`MAX_CANDIDATES` of them.
"""

from __future__ import annotations

import re

from qa.checks import entities
from qa.checks.base import Finding, ReplyContext, register, settled
from qa.checks.phrases import evidence, phrasebook

__all__ = ["PiiExposed", "MAX_CANDIDATES"]

MAX_CANDIDATES = 500  # values examined per reply: a reply with more is pathological, its verdict is long settled
_SPACES = re.compile(r"\s+")
_BRAND_SUFFIX = re.compile(r"(?:help|support|cares?|service|team|_es|es|mx|uk|us)+$", re.IGNORECASE)


def _near(start: int, starts: set[int]) -> bool:
    """A phone match starting at or just before ``start`` (a "+1" or "(" the digit run leaves out)."""
    return any(start - k in starts for k in range(4))


def _brand_token(brand: str) -> str:
    """``AcmeHelp`` -> ``acme``: what a brand's own e-mail domain contains."""
    core = _BRAND_SUFFIX.sub("", re.sub(r"[^A-Za-z]", "", brand))
    return core.lower() if len(core) >= 3 else ""


class PiiExposed:
    name = "pii_exposed"
    nothing = settled(name, False, kinds=())  # the shared finding of most replies
    private = settled(name, False, kinds=(), because="private reply: nothing is exposed")
    context = "where"  # registry: the verdict depends on where the reply was posted

    def run(self, ctx: ReplyContext) -> Finding:
        if not ctx.public:
            return self.private
        if not entities.may_contain(ctx.text):
            return self.nothing
        text = entities.unmasked(ctx.text)  # same length: masking tokens and links become blanks
        phones = entities.phone_numbers(text, ctx.reply_language, limit=MAX_CANDIDATES)
        phone_at = {e.start for e in phones}
        # A bare digit run that libphonenumber reads as a telephone number is judged as one (typed, not guessed).
        ids = [e for e in entities.identifiers(text) if not (e.kind == "number" and _near(e.start, phone_at))]
        ids += entities.addresses(text) + entities.emails(text)
        candidates = sorted(ids + phones, key=lambda e: (e.start, -e.end))[:MAX_CANDIDATES]
        if not candidates:
            return self.nothing
        theirs = _Customer(ctx.customer_text)
        book = phrasebook()
        brand = _brand_token(ctx.brand)
        found: list[tuple[int, int]] = []
        kinds: list[str] = []
        covered = -1
        for ent in candidates:
            if ent.start < covered:
                continue  # inside a value already taken (a phone inside an order number)
            if self._personal(ent, text, theirs, book, brand):
                found.append((ent.start, ent.end))
                kinds.append(ent.kind)
                covered = ent.end
        if not found:
            return self.nothing
        detail = {"kinds": tuple(dict.fromkeys(kinds)),
                  "because": f"public reply{' on ' + ctx.channel if ctx.channel else ''}"}
        return Finding(self.name, True, evidence(ctx.text, found), detail)

    @staticmethod
    def _personal(ent: entities.Entity, text: str, theirs: "_Customer", book, brand: str) -> bool:  # noqa: ANN001
        """Whether ``ent`` is the customer's. Cues close to the value win over brand words further back: "our
        courier has your address as ..." is theirs, "te llamaremos al ..." is a call to them."""
        if ent.kind == "card":
            return True
        if ent.kind == "business_phone":
            return False
        before = entities.preceded_by
        possessive, id_theirs = book.get("pii", "possessive"), book.get("pii", "id_theirs")
        if ent.kind in ("identifier", "address") and (before(possessive, text, ent.start, 24)
                                                      or before(id_theirs, text, ent.start, 24)):
            return True
        if ent.kind == "address" and before(book.get("pii", "address_to_customer"), text, ent.start, 50):
            return True  # the brand delivers or sends something there: the customer's address
        if ent.kind == "email" and brand and brand in ent.key.split("@", 1)[-1]:
            return False  # the brand's own domain, whatever was sent there ("we've sent it to billing@acme.com")
        if before(book.get("pii", "to_customer"), text, ent.start, 50):
            return True
        if before(book.get("pii", "brand_own"), text, ent.start, 50):
            return False
        said = ent.kind in ("identifier", "number", "address") and (
            before(possessive, text, ent.start, 40)
            or (ent.kind == "identifier" and before(id_theirs, text, ent.start, 30)))
        return said or theirs.has(ent)


class _Customer:
    """The customer's own values (from their posts), to tell a value quoted back from a brand's."""

    def __init__(self, customer_text: str) -> None:
        self.text = entities.unmasked(customer_text)
        self._digits: set[str] | None = None

    def has(self, ent: entities.Entity) -> bool:
        if not self.text:
            return False
        if ent.kind == "email":
            return ent.key in self.text.lower()
        if ent.kind == "address":
            return ent.key in _SPACES.sub(" ", self.text.lower())
        if self._digits is None:
            self._digits = {entities.digits(w) for w in self.text.split()}
            self._digits |= {e.key for e in entities.identifiers(self.text)}
            self._digits |= {e.key for e in entities.phone_numbers(self.text, "und", limit=MAX_CANDIDATES)}
            self._runs = " ".join(entities.digits(w) for w in self.text.split())
        return ent.key in self._digits or (len(ent.key) >= 6 and ent.key.isdigit() and ent.key in self._runs)


register(PiiExposed())
