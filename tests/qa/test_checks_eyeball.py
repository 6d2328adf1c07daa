"""Families added after reading real link replies by eye (IBM CDP, Spanish bank replies) against LABELING.md.

Every reply here is made up for the test, in our own words; none is copied from real data. Each case asserts the
verdict and the evidence span.
"""

from __future__ import annotations

import pytest

from qa.checks import CHECKS, ReplyContext


def run(check: str, text: str):  # type: ignore[no-untyped-def]
    return CHECKS[check].run(ReplyContext("r", text))


def evidence(check: str, text: str) -> list[str]:
    f = run(check, text)
    assert f.verdict is True, (check, text, f)
    for e in f.evidence:
        assert text[e.start : e.end] == e.text
    return [e.text for e in f.evidence]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Asking whether the customer used a contact channel, naming it by its link (settled case).
        (
            "@1 Oh no! Did you already get in touch with our billing team here? https://help.example.org/billing",
            "get in touch with our billing team here? https://help.example.org/billing",
        ),
        # A link whose address is a contact page, whatever the words around it.
        (
            "@1 If the tips above change nothing, follow the on-screen options at https://example.net/s/contactsupport?src=tw",
            "https://example.net/s/contactsupport?src=tw",
        ),
        ("@1 You're welcome to reach the right people: www.example.com/contact-us/ .", "www.example.com/contact-us/"),
        ("@1 Please chat with us by following the prompts on our help site.", "chat with us by following the prompts"),
        # Reporting to another team, or through a report form elsewhere.
        ("@1 You can report the listing to our safety team using the page linked in our bio.", "report the listing to our safety team"),
        ("@1 We'd encourage you to fill out the online report form on our site.", "fill out the online report form"),
        # Feedback sent to a tool or form elsewhere.
        ("@1 Not possible yet, sorry! Try sending your ideas to our feedback form so the team sees them.", "sending your ideas to our feedback form"),
        # Spanish: a phone referral by region; a report to the authorities.
        ("@1 Para ese trámite puedes llamarnos desde el interior de la República en horario hábil.", "llamarnos desde el interior"),
        ("@1 Lamentamos lo sucedido, te sugerimos presentar tu denuncia ante el Ministerio Público.", "presentar tu denuncia ante el Ministerio Público"),
        ("@1 Por seguridad, acude a la fiscalía más cercana con tus documentos.", "acude a la fiscalía"),
    ],
)
def test_new_deflection_families(text: str, words: str) -> None:
    found = evidence("deflection", text)
    assert any(words in e or e in words for e in found), found


def test_reporting_to_another_team_with_the_report_verb() -> None:
    text = "@1 To report that kind of spam to the appropriate security team, please see https://example.org/help/spam"
    assert any("report that kind of spam to the appropriate security team" in e for e in evidence("deflection", text))


@pytest.mark.parametrize(
    "text",
    [
        # The brand itself passed the matter on (an escalation): not a referral.
        "@1 This has been reported to our network team, and we'll update you here tomorrow.",
        # The customer leaves details and the brand reaches out (settled case): not a deflection.
        "@1 Sorry about the outage! Share your details here so we can reach out today: https://example.com/requests/new",
        "@1 Leave your number at https://example.com/contact-us and we'd be glad to reach out within the hour.",
        # A self-help article whose address merely mentions contacts.
        "@1 Here's how to sync your phone contacts: https://help.example.com/articles/sync-contacts",
        # Voting and plain information links, no channel.
        "@1 Good news: the feature is rolling out this month, details at https://example.com/blog/update",
    ],
)
def test_still_not_deflection(text: str) -> None:
    f = run("deflection", text)
    assert f.verdict is False, (text, f.evidence)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("@1 We'd like to give you travel funds for a future trip.", "give you travel funds"),
        ("@1 We're offering an extension of your travel funds through next year.", "offering an extension of your travel funds"),
        ("@1 We've issued $120 in travel funds to your account.", "issued $120 in travel funds"),
    ],
)
def test_travel_funds_are_credit(text: str, words: str) -> None:
    f = run("compensation", text)
    assert f.verdict is True and f.detail["kind"] == "credit", f
    assert any(words in e.text for e in f.evidence), f.evidence


def test_travel_funds_explained_or_refused_are_not_compensation() -> None:
    assert run("compensation", "@1 Sorry, we can't offer travel funds on basic fares.").verdict is False
    assert run("compensation", "@1 Travel funds are valid for twelve months from the date of issue.").verdict is False


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "@1 That's something that needs to be handled by our account security specialists by e-mail.",
            "needs to be handled by our account security specialists",
        ),
        ("@1 This can only be resolved by our billing department, sorry.", "can only be resolved by our billing department"),
    ],
)
def test_handled_by_another_team_is_not_our_team(text: str, words: str) -> None:
    found = evidence("not_our_team", text)
    assert any(words in e for e in found), found


def test_handled_here_is_not_not_our_team() -> None:
    assert run("not_our_team", "@1 Our team handled it yesterday; the refund is on its way.").verdict is False
