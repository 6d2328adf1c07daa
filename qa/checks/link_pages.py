"""Page kinds for ``deflection``: what a link's host and path say about the page it opens.

A reply's link often decides its label (``LABELING.md``): a contact page, a ticket or report form, a
community's board or a help site's *home* page sends the customer elsewhere (a referral channel); an article,
a knowledge-base entry, a doc or a forum thread that answers is self-help; a link that opens a private message
to the brand is a ``dm_request``; a callback request is the brand's next step. Help sites lay out their
addresses in a few common ways (``/contact-us``, ``/hc/en-us/requests/new``, ``/hc/en-us/articles/360-slug``,
``support.brand.com/`` alone, ``/t5/board/td-p/123`` for a thread), so the host and the path's segments tell the
kind of page without opening it. The word lists were written from those layouts and the definitions, not from
labelled replies.

Kinds are pluggable: :data:`KINDS` is tried in order and the first kind whose test holds names the page
(:func:`register_kind`). Pure code: no I/O, no phrase files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from qa.checks.links import LOCALE, LONG_NUMBER, Link, iter_links

__all__ = ["PageKind", "KINDS", "register_kind", "kind_of", "referrals", "forget"]


@dataclass(frozen=True, slots=True)
class PageKind:
    """A kind of page: its ``name``, whether sending the customer there is a referral, and its test."""

    name: str
    referral: bool
    test: Callable[[Link], bool]


# ------------------------------------------------------------------------------------------------- kinds ----

def _words(*names: str) -> frozenset[str]:
    return frozenset(names)


CONTACT = _words("contact", "contact-us", "contactus", "contact_us", "contact-support", "contactsupport",
                 "contact_support", "contact-form", "contactform", "contact-center", "contact-centre",
                 "contact-options", "contact-page", "get-in-touch", "getintouch", "reach-us", "call-us", "email-us",
                 "chat-with-us",
                 "contacto", "contactanos", "contáctanos", "contactenos", "contáctenos", "fale-conosco", "kontakt",
                 "contactez-nous", "nous-contacter", "livechat", "live-chat", "chat-support", "chat-now",
                 "chat-with-an-agent")
_CONTACT_HOSTS = _words("contact", "contactus", "livechat", "getsupport")
# A request for the brand to call the customer: the brand takes the next step (LABELING.md: "send us your details
# here and we'll call you" is not a deflection), so it is named before the contact pages it often sits under.
CALLBACK = _words("callback", "call-back", "callbacks", "request-a-callback", "request-callback", "callmeback",
                  "call-me-back", "schedule-a-call", "request-a-call")
# An article's subject read from its slug's words ("/articles/360-how-to-contact-customer-support"): a page
# whose subject is reaching the brand's people is a contact page, one whose subject is reporting abuse, spam or
# fraud is a report form elsewhere (LABELING.md: forms elsewhere); an article on anything else is self-help.
# Words that make "contact" the customer's own data or a product feature keep the page an article.
_REACH = _words("contact", "contacting", "chat")
_PEOPLE = _words("us", "support", "customer", "service", "team", "care", "agent", "agents", "specialist",
                 "specialists", "representative", "advisor", "advisors", "live", "someone")
_OWN_DATA = _words("details", "detail", "info", "information", "list", "lists", "sync", "lens", "lenses", "contacts",
                   "card", "cards", "import", "export", "edit", "update", "change", "add", "delete", "remove",
                   "manage", "group", "groups", "settings", "feature", "features", "enable", "disable", "email",
                   "address", "number", "preferences", "history", "block", "blocked")
_REPORT = _words("report", "reporting", "reports", "reportabuse", "abusereport")
_ABUSE = _words("abuse", "spam", "phishing", "fraud", "scam", "scams", "violation", "violations", "infringement",
                "copyright", "trademark", "reportabuse", "abusereport")
_SLUG_WORD = re.compile(r"[a-z0-9]+")


def _slug_words(link: Link) -> list[frozenset[str]]:
    """The words of each segment that reads as a title ("how-to-contact-us", "abuse_report")."""
    return [frozenset(_SLUG_WORD.findall(s)) for s in link.segments if "-" in s or "_" in s or s in _ABUSE]


TICKET = _words("submit-a-request", "submit_a_request", "submitarequest", "submit-request", "submitrequest",
                "support-request", "supportrequest",
                "support_request", "new-request", "new-ticket", "newticket", "create-ticket", "open-a-ticket",
                "open-ticket", "submit-a-ticket", "submit-ticket", "support-ticket", "create-case", "new-case",
                "open-a-case", "open-case", "submit-a-case", "service-request", "web-to-case")
_NEW = _words("new", "create", "add", "submit", "open")
_TICKET_LISTS = _words("requests", "request", "tickets", "ticket", "cases", "case")
FEEDBACK = _words("feedback", "feedbacks", "feature-request", "feature-requests", "featurerequest", "featurerequests",
                  "feature_request", "feature_requests", "product-feedback", "submit-feedback", "share-feedback",
                  "give-feedback", "send-feedback", "suggestion-box", "sugerencias", "quejas")
# Words that name an ideas or voting board only on a help or community site ("brand.com/ideas" may be a shop's
# inspiration page; "community.brand.com/ideas" is a voting board).
IDEAS = _words("ideas", "idea", "suggestions", "wishlist", "idb-p")
_FEEDBACK_HOSTS = ("uservoice.com", "ideas.aha.io", "canny.io")
SELF_HELP = _words("articles", "article", "kb", "knowledgebase", "knowledge-base", "knowledge", "knowledgecenter",
                   "docs", "doc", "documentation", "solutions", "answer", "answers", "faq", "faqs", "guides", "guide",
                   "how-to", "howto", "tutorials", "tutorial", "manuals", "manual", "troubleshooting",
                   "troubleshooter", "technotes", "technote", "pages", "blog", "news", "status")
COMMUNITY_HOSTS = _words("community", "communities", "forum", "forums", "discussions", "discuss", "comunidad", "foro",
                         "foros")
_FORUM = _words("forum", "forums", "discussions", "discuss", "foro", "foros", "t5")  # a forum wherever it sits
_COMMUNITY = _words("community", "communities", "comunidad")  # a forum only on a help site ("/about/community")
HELP_HOSTS = _words("help", "support", "helpcenter", "helpdesk", "care", "customercare", "customerservice",
                    "customersupport", "ayuda", "soporte", "getsupport", "mysupport", "supportcenter")
HELP = _words("help", "support", "helpcenter", "help-center", "help-centre", "helpcentre", "customer-service",
              "customerservice", "customer-support", "customersupport", "customer-care", "customercare", "helpdesk",
              "help-desk", "ayuda", "soporte", "centro-de-ayuda", "atencion-al-cliente", "servicio-al-cliente",
              "mysupport", "my-support", "support-center", "supportcenter")
_HELP_PLATFORMS = ("zendesk.com", "freshdesk.com", "helpscoutdocs.com", "helpshift.com", "desk.com", "kayako.com",
                   "gorgias.help", "intercom.help", "helpjuice.com", "happyfox.com")
_SCAFFOLD = _words("hc", "s", "home", "index", "default", "welcome", "main", "portal", "start", "app", "web", "site",
                   "global", "intl")
_THREAD = _words("td-p", "m-p", "ta-p", "thread", "threads", "t", "topic", "topics", "post", "posts", "questions",
                 "question", "p")
_ARTICLE_ID = re.compile(r"(?:^|[-_/])(?:ht|kb|ts)\d{3,}")  # support.vendor.com/en-us/HT201234, /kb/KB123456
_MESSAGE_HOSTS = ("m.me", "messenger.com")


def _host_under(link: Link, domains: tuple[str, ...]) -> bool:
    return any(link.host == d or link.host.endswith("." + d) for d in domains)


def _before_articles(link: Link) -> tuple[str, ...]:
    """The segments before the first article or docs segment: "/docs/api/contact" documents a contact object,
    it is not a contact page."""
    seg = link.segments
    if link.labels[0] in SELF_HELP:  # docs.brand.com, kb.brand.com
        return ()
    cut = next((i for i, s in enumerate(seg) if s in SELF_HELP), len(seg))
    return seg[:cut]


def _message(link: Link) -> bool:
    """A link that opens a private message to the brand (a ``dm_request``, not a referral)."""
    twitter = link.host in ("twitter.com", "mobile.twitter.com", "x.com") and link.segments[:1] == ("messages",)
    return twitter or _host_under(link, _MESSAGE_HOSTS)


def _callback(link: Link) -> bool:
    return any(s in CALLBACK for s in link.segments)


def _contact(link: Link) -> bool:
    seg = _before_articles(link)
    chat = _help_site(link) and "chat" in seg  # "support.brand.com/chat"; "/features/chat" is a product page
    return (link.labels[0] in _CONTACT_HOSTS or chat or any(s in CONTACT for s in seg)
            or any(w & _REACH and w & _PEOPLE and not w & _OWN_DATA for w in _slug_words(link)))


def _report(link: Link) -> bool:
    return any(w & _REPORT and w & _ABUSE for w in _slug_words(link)) or any(
        s in ("reportabuse", "abusereport") for s in link.segments)


def _ticket(link: Link) -> bool:
    seg = _before_articles(link)
    if any(s in TICKET for s in seg) or any(a in _TICKET_LISTS and b in _NEW for a, b in zip(seg, seg[1:])):
        return True
    # A help site's list of requests or tickets ("support.brand.com/hc/en-us/requests"); "brand.com/tickets" may
    # sell seats, so only on a help site, and not one ticket ("/requests/123456").
    return bool(seg) and seg[-1] in _TICKET_LISTS and _help_site(link) and not _specific(link)


def _feedback(link: Link) -> bool:
    seg = _before_articles(link)
    if link.labels[0] in FEEDBACK or link.labels[0] in IDEAS or _host_under(link, _FEEDBACK_HOSTS):
        return True
    return any(s in FEEDBACK for s in seg) or (
        any(s in IDEAS for s in seg) and (_help_site(link) or _at_community(link)))


def _specific(link: Link) -> bool:
    """The page is one article, thread or post (an id or a thread marker in its path), not a front page."""
    return (any(LONG_NUMBER.search(s) or s in _THREAD for s in link.segments)
            or bool(_ARTICLE_ID.search("/".join(link.segments))))


def _help_site(link: Link) -> bool:
    return (link.labels[0] in HELP_HOSTS or _host_under(link, _HELP_PLATFORMS)
            or any(s in HELP for s in link.segments))


def _at_community(link: Link) -> bool:
    return (link.labels[0] in COMMUNITY_HOSTS or any(s in _FORUM for s in link.segments)
            or (_help_site(link) and any(s in _COMMUNITY for s in link.segments)))


def _self_help(link: Link) -> bool:
    return (link.labels[0] in SELF_HELP or any(s in SELF_HELP for s in link.segments)
            or ((_help_site(link) or _at_community(link)) and _specific(link)))


def _community(link: Link) -> bool:
    """A community's front page or a board (post your question there); a thread or a community's own article is
    read, not a referral. Tried before articles: "answers.vendor.com/en-us/product/forum" is a forum's board."""
    return _at_community(link) and not _specific(link) and not any(s in SELF_HELP for s in link.segments)


def _help_home(link: Link) -> bool:
    """A help site's front page: a help host or a help segment, and nothing after it but a locale or scaffold."""
    if link.truncated or not _help_site(link):
        return False
    return all(s in HELP or s in _SCAFFOLD or LOCALE.match(s) for s in link.segments)


# Tried in order; the first kind whose test holds names the page. A DM link first (it is never a referral),
# then the forms and pages named in the path, then articles (before the front pages their paths sit under).
# A feedback or ideas site is named but is not a referral by its address alone: LABELING.md makes such a form a
# deflection "unless the brand says it is handling the matter itself and the form is an optional extra", which
# only the words around the link tell (the phrase families read "submit your idea here", "upvote it").
KINDS: list[PageKind] = [
    PageKind("message link", False, _message),
    PageKind("callback request", False, _callback),
    PageKind("contact page", True, _contact),
    PageKind("ticket form", True, _ticket),
    PageKind("report form", True, _report),
    PageKind("feedback or ideas site", False, _feedback),
    PageKind("community board", True, _community),
    PageKind("article", False, _self_help),
    PageKind("help-site home page", True, _help_home),
]


def register_kind(kind: PageKind, before: str | None = None) -> None:
    """Add a kind of page (before the kind named ``before``, or last); a kind of the same name is replaced."""
    forget()
    names = [k.name for k in KINDS]
    if kind.name in names:
        KINDS[names.index(kind.name)] = kind
        return
    KINDS.insert(names.index(before) if before in names else len(KINDS), kind)


def kind_of(link: Link) -> PageKind | None:
    """The first registered kind whose test holds for ``link``; None when the address tells nothing."""
    return next((k for k in KINDS if k.test(link)), None)


# A page's kind by its address as written: brands paste the same few addresses all day, and a kind costs more
# to tell than the rest of the check. Bounded; emptied when a kind is registered (:func:`forget`).
_KIND_MEMO: dict[tuple[str, bool, int], PageKind | None] = {}
_MEMO_SIZE = 4096


def forget() -> None:
    """Empty the memo of page kinds (after :data:`KINDS` changed)."""
    _KIND_MEMO.clear()


def _memo_kind(link: Link) -> PageKind | None:
    key = (link.url, link.truncated, id(KINDS))
    if key not in _KIND_MEMO:
        if len(_KIND_MEMO) >= _MEMO_SIZE:
            _KIND_MEMO.clear()
        _KIND_MEMO[key] = kind_of(link)
    return _KIND_MEMO[key]


def referrals(text: str, low: str | None = None, limit: int | None = None) -> list[tuple[Link, PageKind]]:
    """The links of ``text`` whose page is a referral channel (contact, ticket, community, help-site home); the
    first ``limit`` of them when given (a pathological reply of thousands of links is not read to its end)."""
    found = ((link, kind) for link in iter_links(text, low) if (kind := _memo_kind(link)) is not None and kind.referral)
    return list(islice(found, limit))
