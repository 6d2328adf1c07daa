"""Links of a reply: each URL's place in the text and the host and path of the page it opens.

Wrappers are read for the address inside (``web.archive.org/web/<time>/<url>``; redirectors with the target in
their query: :data:`UNWRAPPERS`, by host). Short links (``t.co``, ``bit.ly``) say nothing of their page and are
not read; a display address cut short ("support.brand.com/hc/en-us/arti…") loses its incomplete last segment.
What kind of page a link opens is :mod:`qa.checks.link_pages`'s question. Pure code: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from qa.memo import Memo

__all__ = ["Link", "UNWRAPPERS", "links", "iter_links", "LOCALE", "LONG_NUMBER"]

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
LOCALE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2,4})?$")  # en, en-us, es_MX, zh-hant
LONG_NUMBER = re.compile(r"\d{4,}")  # an id: a specific article, thread or post, not a site's front page


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


_DOT_LETTER = re.compile(r"\.[a-z]")  # a host's dot; a sentence's full stop is followed by a blank


def _bare_hint(low: str) -> bool:
    """Whether a full stop of the text follows a bare-host hint word ("support.brand.com")."""
    if not _DOT_LETTER.search(low):
        return False  # most replies: one search in C instead of a Python loop over their full stops
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


_PARSED = Memo(lambda key: _parse(*key), 4096)  # (url, truncated) -> what _parse says: addresses repeat all day


def links(text: str, low: str | None = None) -> list[Link]:
    """Every URL of ``text`` (cheap when there is none: most replies); ``low`` is ``text.lower()`` if the caller
    has it."""
    return list(iter_links(text, low))


def iter_links(text: str, low: str | None = None) -> Iterator[Link]:
    """:func:`links` one at a time, so that a caller wanting a few stops reading a huge reply early."""
    low = text.lower() if low is None else low
    if "://" not in low and "www." not in low and not _bare_hint(low):
        return  # most replies: a few substring tests (a list of hints tested one by one cost 5x more)
    hints = [h for h in _HINTS if h in low]
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
        parsed = _PARSED[(url, truncated)]
        if parsed is not None:
            yield Link(start, start + len(url), url, *parsed)
