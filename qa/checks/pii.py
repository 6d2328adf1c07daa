"""``pii_exposed``: the public reply reveals the customer's personal data.

Personal data is the customer's phone, e-mail, postal address, or an order, booking, ticket, account or card
number. We call a value in the reply the customer's when the customer's own posts contain it (the reply quotes
it back), or when the reply calls it theirs ("your order number is 123-456789", "we'll call you back on ...",
"registered to ...": group ``pii.possessive``), or when it is an order, booking, account, case or ticket number
(group ``pii.id_theirs``: brands have no order numbers of their own); a valid card number is always personal.
Addresses are found by street words (``pii.address``) or after "your address is" (``pii.address_intro``). The brand's own hotline, support e-mail or store address is not personal data, nor is "your order"
without the number, nor greeting the customer by name (we never look at names). twcs masking tokens
(``__email__``) are not data.
"""

from __future__ import annotations

import re

from qa.checks import entities
from qa.checks.base import Finding, ReplyContext, register
from qa.checks.phrases import evidence, phrasebook

__all__ = ["PiiExposed"]

_SPACES = re.compile(r"\s+")


class PiiExposed:
    name = "pii_exposed"
    context = "where"  # registry: the verdict depends on where the reply was posted

    def run(self, ctx: ReplyContext) -> Finding:
        if not entities.may_contain(ctx.text):
            return Finding(self.name, False, (), {"kinds": ()})
        book = phrasebook()
        text = entities.unmasked(ctx.text)  # same length: masking tokens become blanks
        candidates = (
            entities.phones(text) + entities.emails(text) + entities.identifiers(text) + entities.addresses(text)
        )
        if not candidates:
            return Finding(self.name, False, (), {"kinds": ()})
        customer = entities.unmasked(ctx.customer_text)
        customer_digits = {e.key for e in entities.phones(customer) + entities.identifiers(customer)}
        customer_digit_runs = " ".join(entities.digits(w) for w in customer.split())
        customer_emails = {e.key for e in entities.emails(customer)}
        customer_flat = _SPACES.sub(" ", customer.lower())
        possessive, brand_own = book.get("pii", "possessive"), book.get("pii", "brand_own")
        id_theirs, to_customer = book.get("pii", "id_theirs"), book.get("pii", "to_customer")

        found: list[tuple[int, int]] = []
        kinds: list[str] = []
        for ent in candidates:
            if any(s[0] <= ent.start < s[1] for s in found):
                continue
            if ent.kind == "email":
                theirs = ent.key in customer_emails
            elif ent.kind == "address":
                theirs = ent.key in customer_flat
            else:
                theirs = ent.key in customer_digits or (
                    len(ent.key) >= 6 and ent.key.isdigit() and ent.key in customer_digit_runs
                )
            said_theirs = ent.kind in ("identifier", "card", "number", "address") and (
                entities.preceded_by(possessive, text, ent.start, 40)
                or (ent.kind == "identifier" and entities.preceded_by(id_theirs, text, ent.start, 30))
            )
            # "your address as ...", "order 123...": said theirs just before, whatever brand words come earlier.
            said_close = ent.kind in ("identifier", "address") and (
                entities.preceded_by(possessive, text, ent.start, 24)
                or entities.preceded_by(id_theirs, text, ent.start, 24)
            )
            brands = entities.preceded_by(brand_own, text, ent.start, 50)
            if (
                ent.kind == "card"
                or entities.preceded_by(to_customer, text, ent.start, 50)
                or said_close
                or ((theirs or said_theirs) and not brands)
            ):
                found.append((ent.start, ent.end))
                kinds.append(ent.kind)
        return Finding(self.name, bool(found), evidence(ctx.text, found), {"kinds": tuple(kinds)})


register(PiiExposed())
