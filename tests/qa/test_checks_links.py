"""Link evidence for ``deflection`` (issue #9): a URL's host and path tell a contact page, a ticket form, a
community board or a help site's home page (a referral) from an article, docs or a thread (self-help).

Every reply and address here is made up for the test from the definitions in LABELING.md and from how help
sites lay out their addresses (none is copied from real data). The replies' words are kept neutral ("More
options:", "See") so that the address alone decides; the existing exceptions (a link described as a way to
message the brand, the brand's next step after the link) are checked on link-only hits too.
"""

from __future__ import annotations

import pytest

from check_helpers import find, words
from qa.checks import ReplyContext, link_pages, links
from qa.checks.deflection import Deflection

# (address, kind of page it opens): kinds that are a referral channel
REFERRAL_PAGES = [
    ("https://support.example.com/hc/en-us/requests/new", "ticket form"),
    ("https://www.example.com/contact-us/", "contact page"),
    ("https://example.com/en-gb/help/contact.html", "contact page"),
    ("https://help.example.com/s/contactsupport?utm_source=tw", "contact page"),
    ("https://help.example.com/hc/es/articles/115000123-Contact-us", "contact page"),
    ("https://web.archive.org/web/20190101000000/https://www.example.com/contact-us", "contact page"),
    ("https://web.archive.org/web/20190101000000id_/http://example.com/support/", "help-site home page"),
    ("https://www.google.com/url?q=https://example.com/contact&sa=D", "contact page"),
    ("https://support.example.com/", "help-site home page"),
    ("https://support.example.com/hc/en-us", "help-site home page"),
    ("https://www.example.com/en-us/customer-service", "help-site home page"),
    ("help.example.co.uk", "help-site home page"),
    ("https://forums.example.com/", "community board"),
    ("https://community.example.com/t5/Billing/bd-p/billing", "community board"),
    ("https://support.example.com/hc/en-us/requests", "ticket form"),
    ("https://help.example.com/hc/en-us/articles/2045-How-to-contact-customer-support", "contact page"),
    ("https://www.example.com/help/live-chat-with-an-agent-88", "contact page"),
    ("https://www.example.com/help/reporting-abuse-4411", "report form"),
    ("https://safety.example.com/AbuseReport", "report form"),
]

# (address, kind or None): pages that are not a referral by their address
OTHER_PAGES = [
    ("https://help.example.com/hc/en-us/articles/360001234-Reset-your-password", "article"),
    ("https://support.example.com/en-us/HT201234", "article"),
    ("https://docs.example.com/api/contact", "article"),
    ("https://example.com/docs/crm/contact", "article"),
    ("https://help.example.com/kb/reset-sln1234.html", "article"),
    ("https://community.example.com/t5/Billing/Refund-timing/td-p/123456", "article"),
    ("https://help.example.com/hc/en-us/articles/2046-Update-your-contact-details", "article"),
    ("https://help.example.com/hc/en-us/articles/2047-How-to-use-group-chat", "article"),
    ("https://ideas.example.com/", "feedback or ideas site"),
    ("https://example.uservoice.com/forums/1234-general", "feedback or ideas site"),
    ("https://www.example.com/support/request-a-callback", "callback request"),
    ("https://twitter.com/messages/compose?recipient_id=123", "message link"),
    ("https://example.com/ideas/", None),  # a shop's inspiration page, not an ideas board
    ("https://example.com/about/community", None),  # a company page, not a forum
    ("https://example.com/tickets", None),  # may sell seats: a ticket list counts only on a help site
    ("https://www.example.com/", None),  # a brand's home page is not a help site
]


@pytest.mark.parametrize(("url", "kind"), REFERRAL_PAGES + OTHER_PAGES)
def test_kind_of_page_from_its_address(url: str, kind: str | None) -> None:
    (link,) = links.links(f"@1 See {url} thanks")
    found = link_pages.kind_of(link)
    assert (found.name if found else None) == kind
    assert (found is not None and found.referral) == ((url, kind) in REFERRAL_PAGES)


def test_link_offsets_and_trailing_punctuation() -> None:
    text = "@1 Sorry! (https://www.example.com/contact-us). Or https://support.example.com/hc/en-us/arti…"
    first, cut = links.links(text)
    assert text[first.start:first.end] == first.url == "https://www.example.com/contact-us"
    assert cut.truncated and cut.segments == ("hc", "en-us")  # the cut segment is dropped ...
    assert link_pages.kind_of(cut) is None  # ... and a cut address is never a front page


@pytest.mark.parametrize("text", [
    "@1 Thanks, we have support. Thanks again!",  # a sentence, not a host
    "@1 Write to help.desk@example.com please",  # an e-mail address, not a host
    "@1 The support.It team is on it",  # one dot: not a bare host
    "@1 Sorry! https://t.co/AbC123xyz",  # a short link says nothing of its page: not read
])
def test_not_links(text: str) -> None:
    assert links.links(text) == []


# Replies whose neutral words say nothing: the address decides.
@pytest.mark.parametrize(("text", "page"), [
    ("@1 Sorry about the double charge. More options: https://support.example.com/hc/en-us/requests/new",
     "ticket form"),
    ("@1 So sorry for the wait, Sam. https://web.archive.org/web/20190101000000/https://www.example.com/contact-us/",
     "contact page"),
    ("@1 For anything technical, see https://help.example.com/ ^JD", "help-site home page"),
    ("@1 Other players may know more: https://forums.example.com/", "community board"),
])
def test_referral_page_makes_a_deflection(text: str, page: str) -> None:
    found = find("deflection", text)
    assert found.verdict is True
    assert found.detail["pages"] == (page,) and found.detail["channels"] == ("link",)
    assert words(found).startswith("https://")  # the address is the evidence


@pytest.mark.parametrize("text", [
    # self-help that answers, docs, a thread, a short link
    "@1 This should sort it: https://help.example.com/hc/en-us/articles/360001234-Reset-your-password",
    "@1 The field is described at https://docs.example.com/api/contact",
    "@1 Others fixed it this way: https://community.example.com/t5/Billing/Refund-timing/td-p/123456",
    "@1 Sorry to hear that! https://t.co/AbC123xyz",
    "@1 Sorry! https://support.example.com/hc/en-us/arti…",
    # the brand's next step after the link (settled: not a deflection)
    "@1 Share your details at https://support.example.com/hc/en-us/requests/new and we'll call you today.",
    # a link described as a way to message the brand (settled: a dm_request)
    "@1 Send us a note here: https://www.example.com/contact-us",
    # the brand calls back; an ideas board by its address alone; a DM link
    "@1 Leave your number at https://www.example.com/support/request-a-callback",
    "@1 Thanks for the idea! https://ideas.example.com/",
    "@1 Tap https://twitter.com/messages/compose?recipient_id=123",
])
def test_not_a_deflection_by_its_address(text: str) -> None:
    assert find("deflection", text).verdict is False


def test_dm_style_link_is_a_dm_request() -> None:
    assert find("dm_request", "@1 Send us a note here: https://www.example.com/contact-us").verdict is True


def test_earlier_contact_page_makes_use_the_link_above_a_referral() -> None:
    earlier = "@1 Sorry for the trouble. https://support.example.com/hc/en-us/requests/new"
    ctx = ReplyContext("r", "@1 Please use the link from above, thanks!", earlier_brand_texts=(earlier,))
    assert Deflection().run(ctx).verdict is True
    quiet = ReplyContext("r", "@1 Please use the link from above, thanks!",
                         earlier_brand_texts=("@1 https://help.example.com/hc/en-us/articles/123456-reset",))
    assert Deflection().run(quiet).verdict is False


def test_register_kind_adds_a_kind_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link_pages, "KINDS", list(link_pages.KINDS))  # the memo is keyed by the list: restored after
    store_finder = link_pages.PageKind("store finder", False, lambda link: "store-locator" in link.segments)
    link_pages.register_kind(store_finder, before="contact page")
    (link,) = links.links("https://example.com/contact/store-locator")
    assert link_pages.kind_of(link) is store_finder
    assert find("deflection", "@1 Sorry! https://example.com/contact/store-locator").verdict is False


def test_a_reply_of_many_links_keeps_a_bounded_evidence() -> None:
    from qa.checks.deflection import MAX_PER_GROUP

    text = "@1 " + " ".join(f"https://support.example.com/hc/en-us/requests/new?n={i}" for i in range(500))
    found = find("deflection", text)
    assert found.verdict is True and len(found.evidence) == MAX_PER_GROUP
