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


def assert_found(check: str, text: str, evidence: str) -> None:
    """``check`` flags ``text``, and ``evidence`` is among the words it shows (a family's positive)."""
    finding = find(check, text)
    assert finding.verdict is True, text
    assert evidence in words(finding)


def assert_quiet(check: str, text: str) -> None:
    """``check`` does not flag ``text`` (a family's negative, sharing its words)."""
    assert find(check, text).verdict is False, text
