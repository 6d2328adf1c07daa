"""Running one text check on a made-up reply, for the tests of the phrase families."""

from __future__ import annotations

from qa.checks import CHECKS, Finding, ReplyContext


def find(check: str, text: str, customer: str = "", public: bool = True, brand: str = "",
         lang: str = "und") -> Finding:
    """``check``'s finding on ``text`` as a public tweet (unless ``public`` is False) answering ``customer``."""
    ctx = ReplyContext("r", text, customer_text=customer, public=public, brand=brand, channel="twitter",
                       reply_language=lang, customer_language=lang)
    return CHECKS[check].run(ctx)


def words(finding: Finding) -> str:
    """The finding's evidence, lower-cased, pieces joined by " | "."""
    return " | ".join(e.text for e in finding.evidence).lower()
