"""Link evidence: what a URL's host and path say about the page it opens, for ``deflection``.

A reply's link often decides its label (``LABELING.md``): a contact page, a ticket, feedback or idea form, a
community's board or a help site's *home* page sends the customer elsewhere (a referral channel); an article,
a knowledge-base entry or a doc that answers is self-help; a link that opens a private message to the brand is
a ``dm_request``. Help sites lay out their addresses in a few common ways (``/contact-us``,
``/hc/en-us/requests/new``, ``/hc/en-us/articles/360-slug``, ``support.brand.com/`` alone, ``/t5/board/td-p/123``
for a forum thread), so the host and the path's segments tell the kind of page without opening it. Short links
(``t.co``, ``bit.ly``) tell nothing and stay unknown. Wrappers (``web.archive.org/web/<time>/<url>``, redirectors
with the target in the query) are read for the address inside.

Kinds and wrappers are pluggable: :data:`KINDS` is tried in order and the first kind whose test holds names
the page (:func:`register_kind`); :data:`UNWRAPPERS` maps a host to the function that reads the address
inside. Pure code: no I/O, no phrase files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["Link", "PageKind", "KINDS", "UNWRAPPERS", "register_kind", "links", "referrals", "kind_of", "forget"]

# Where a URL may start: a scheme, "www.", or a bare host whose first label names a help site (lower case).
_BARE_HINTS = ("help.", "support.", "care.", "community.", "forum.", "forums.", "feedback.", "ideas.", "contact.")
_HINTS = ("www.", *_BARE_HINTS)
# Short links say nothing of their page: skipped before they are read (most links of a tweet export are these).
_SHORT = tuple(f"{scheme}://{host}/" for scheme in ("https", "http")
               for host in ("t.co", "bit.ly", "goo.gl", "ow.ly", "buff.ly", "tinyurl.com", "spr.ly", "lnkd.in"))
_STOP = re.compile(r"[\s<>\"'“”‘’]")  # where a URL written in a reply ends
_BARE_HOST = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+){2,}$")  # support.brand.com: a bare host needs two dots
_TRAIL = ".,;:!?)]}*"  # punctuation after a URL that belongs to the sentence
_ELLIPSIS = ("…", "...")  # a display URL cut short: its last segment is incomplete
_EXTENSION = re.compile(r"\.(?:html?|php|aspx?|jsp|shtml|cfm)$")
_LOCALE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2,4})?$")  # en, en-us, es_MX, zh-hant
_LONG_NUMBER = re.compile(r"\d{4,}")  # an id: a specific article, thread or post, not a site's front page


@dataclass(frozen=True, slots=True)
class Link:
    """One URL of a reply: ``text[start:end]`` as written, and the host and path segments of the page it opens
    (inside any wrapper), lower-cased, without ``www.``, file extensions or an incomplete last segment."""

    start: int
    end: int
    url: str
    host: str
    segments: tuple[str, ...]
    truncated: bool  # the address was cut short ("support.brand.com/hc/en-us/arti…"): its front page is unknown

    @property
    def labels(self) -> tuple[str, ...]:
        """The host's labels, the first one first: ``help.brand.com`` -> (``help``, ``brand``, ``com``)."""
        return tuple(self.host.split("."))


@dataclass(frozen=True, slots=True)
class PageKind:
    """A kind of page: its ``name``, whether sending the customer there is a referral, and its test."""

    name: str
    referral: bool
    test: Callable[[Link], bool]


# ---------------------------------------------------------------------------------------------- wrappers ----

def _archived(parts) -> str | None:  # noqa: ANN001 - a urlsplit result
    """``web.archive.org/web/20170101000000id_/https://support.brand.com/contact`` -> the archived address."""
    m = re.match(r"/web/[^/]+/(.+)$", parts.path + (f"?{parts.query}" if parts.query else ""))
    if not m:
        return None
    inner = re.sub(r"^(https?):/+", r"\1://", m.group(1))
    return inner if "://" in inner else f"http://{inner}"


def _redirect_target(parts) -> str | None:  # noqa: ANN001
    """A redirector's target, given in its query (``google.com/url?q=<url>``, Outlook safe links ``?url=``)."""
    query = parse_qs(parts.query)
    for key in ("q", "u", "url", "target"):
        if query.get(key) and query[key][0].startswith(("http://", "https://")):
            return query[key][0]
    return None


# host (without www.) or a suffix of it -> reads the address inside; tried up to twice (an archived redirect)
UNWRAPPERS: dict[str, Callable] = {
    "web.archive.org": _archived,
    "google.com": _redirect_target,
    "l.facebook.com": _redirect_target,
    "lm.facebook.com": _redirect_target,
    "safelinks.protection.outlook.com": _redirect_target,
}


def _unwrapper(host: str) -> Callable | None:
    if host in UNWRAPPERS:
        return UNWRAPPERS[host]
    for suffix, fn in UNWRAPPERS.items():
        if host.endswith("." + suffix):
            return fn
    return None


# ----------------------------------------------------------------------------------------------- reading ----

def _parse(url: str, truncated: bool) -> tuple[str, tuple[str, ...], bool] | None:
    """Host, path segments and truncation of the page ``url`` opens, wrappers read; None if it is not a URL."""
    for _ in range(3):
        try:
            parts = urlsplit(url if "://" in url[:12] else f"http://{url}")
            host = (parts.hostname or "").removeprefix("www.")
        except ValueError:  # a malformed port or IPv6 literal
            return None
        fn = _unwrapper(host)
        inner = fn(parts) if fn else None
        if not inner:
            break
        url = inner
    if "." not in host:
        return None
    raw = [unquote(s).lower() for s in parts.path.split("/") if s]
    if truncated and raw:
        raw.pop()  # the last segment was cut: it may say anything
    segments = tuple(_EXTENSION.sub("", s) for s in raw)
    return host, segments, truncated


_HINT_WORDS = tuple(h[:-1] for h in _BARE_HINTS)


def _bare_hint(low: str) -> bool:
    """Whether a full stop of the text follows a bare-host hint word ("support.brand.com")."""
    i = low.find(".")
    while i != -1:
        if low.endswith(_HINT_WORDS, 0, i):
            return True
        i = low.find(".", i + 1)
    return False


def _starts(low: str, hints: list[str]) -> list[int]:
    """Where URLs may start in the lower-cased text: found with ``str.find`` (a regex over every reply cost
    more than the whole deflection check); ``hints`` are the bare-host hints the text holds."""
    starts: list[int] = []
    i = low.find("://")
    while i != -1:
        s = i
        while s > 0 and low[s - 1].isalpha():
            s -= 1
        if low[s:i] in ("http", "https"):
            starts.append(s)
        i = low.find("://", i + 3)
    for hint in hints:
        i = low.find(hint)
        while i != -1:
            if not i or not (low[i - 1].isalnum() or low[i - 1] in "@.-/_"):
                starts.append(i)
            i = low.find(hint, i + 1)
    return sorted(set(starts)) if hints else starts


_PARSED: dict[tuple[str, bool], tuple[str, tuple[str, ...], bool] | None] = {}  # addresses repeat all day
_MEMO_SIZE = 4096


def links(text: str, low: str | None = None) -> list[Link]:
    """Every URL of ``text`` (cheap when there is none: most replies); ``low`` is ``text.lower()`` if the caller
    has it."""
    low = text.lower() if low is None else low
    if "://" not in low and "www." not in low and not _bare_hint(low):
        return []  # most replies: a few substring tests (a list of hints tested one by one cost 5x more)
    hints = [h for h in _HINTS if h in low]
    found: list[Link] = []
    covered = -1
    for start in _starts(low, hints):
        if start < covered:
            continue  # "www." or "support." inside a URL already read
        if low.startswith(_SHORT, start):
            continue
        stop = _STOP.search(text, start)
        raw = text[start : stop.start() if stop else len(text)]
        covered = start + len(raw)
        truncated = raw.endswith(_ELLIPSIS)
        url = raw.rstrip("….") if truncated else raw.rstrip(_TRAIL)
        bare = not low.startswith(("http", "www."), start)
        if not url or (bare and not _BARE_HOST.match(url.split("/", 1)[0].lower())) or "@" in url.split("/", 1)[0]:
            continue
        key = (url, truncated)
        parsed = _PARSED[key] if key in _PARSED else _PARSED.setdefault(key, _parse(url, truncated))
        if len(_PARSED) > _MEMO_SIZE:
            _PARSED.clear()
        if parsed is not None:
            found.append(Link(start, start + len(url), url, *parsed))
    return found


# ------------------------------------------------------------------------------------------------- kinds ----

def _words(*names: str) -> frozenset[str]:
    return frozenset(names)


CONTACT = _words("contact", "contact-us", "contactus", "contact_us", "contact-support", "contactsupport",
                 "contact_support", "contact-form", "contactform", "contact-center", "contact-centre", "contact-options",
                 "contact-page", "get-in-touch", "getintouch", "reach-us", "call-us", "email-us", "chat-with-us",
                 "contacto", "contactanos", "contáctanos", "contactenos", "contáctenos", "fale-conosco", "kontakt",
                 "contactez-nous", "nous-contacter", "livechat", "live-chat", "chat-support", "chat-now", "chat-with-an-agent")
_CONTACT_HOSTS = _words("contact", "contactus", "livechat", "getsupport")
# A request for the brand to call the customer: the brand takes the next step (LABELING.md: "send us your details
# here and we'll call you" is not a deflection), so it is named before the contact pages it often sits under.
CALLBACK = _words("callback", "call-back", "callbacks", "request-a-callback", "request-callback", "callmeback",
                  "call-me-back", "schedule-a-call", "request-a-call")
# A help-centre article whose whole title is a way to contact the brand ("/articles/360-contact-us").
_CONTACT_SLUG = re.compile(
    r"^(?:\d+[-_])?(?:how[-_]to[-_])?(?:contact|reach|get[-_]in[-_]touch[-_]with)[-_]"
    r"(?:us|support|customer[-_](?:service|support|care)|our[-_]support[-_]team)$")
TICKET = _words("submit-a-request", "submit_a_request", "submitarequest", "submit-request", "submitrequest", "support-request", "supportrequest",
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
            or any(_CONTACT_SLUG.match(s) for s in link.segments))


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
    return (any(_LONG_NUMBER.search(s) or s in _THREAD for s in link.segments)
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
    return all(s in HELP or s in _SCAFFOLD or _LOCALE.match(s) for s in link.segments)


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


def referrals(text: str, low: str | None = None) -> list[tuple[Link, PageKind]]:
    """The links of ``text`` whose page is a referral channel (contact, ticket, community, help-site home)."""
    found = links(text, low)
    if not found:
        return []
    return [(link, kind) for link in found if (kind := _memo_kind(link)) is not None and kind.referral]
