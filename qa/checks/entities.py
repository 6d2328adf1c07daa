"""Phone numbers, e-mail addresses, identifiers and postal addresses found in a text, with their spans.

Shared by ``deflection`` (a brand number is a referral) and ``pii_exposed`` (a customer's number is personal
data). The shapes are language-independent regexes from ``_macros.yaml``; the words around them (``order``,
``folio``, ``our``) come from the per-language phrase files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

import phonenumbers
from phonenumbers import Leniency, PhoneNumber, PhoneNumberMatch, PhoneNumberMatcher, PhoneNumberType

from qa.checks.phrases import Group, phrasebook

__all__ = ["Entity", "phones", "phone_numbers", "emails", "identifiers", "addresses", "digits", "luhn_ok",
           "preceded_by", "unmasked", "may_contain", "REGIONS"]

_NON_DIGIT = re.compile(r"\D")
_ID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{4,30}")
# A booking or reference code in capitals: letters and at least one digit ("ABX7Q2", "KQ7ZTB"), which a word never is.
_CODE_VALUE = re.compile(r"(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{5,10}")
# A run of digits (spaces and hyphens inside), not part of a word, a path, a decimal or an @handle. Written to
# start with the digit (the lookbehinds after it, one character wider), so that ``re`` skips to the digits
# instead of trying the lookbehinds at every position: the same matches as
# ``(?<![\w/.#@])(?<![A-Za-z]-)\d[\d \-]{4,22}\d(?![\w/])`` (a test compares them).
_DIGIT_RUN = re.compile(r"\d(?<![\w/.#@]\d)(?<![A-Za-z]-\d)[\d \-]{4,22}\d(?![\w/])")
# Every alternative starts with a character ("_", "h", "w", "@"), so that ``re`` skips to them; the @handle's
# lookbehind, ``(?<![\w.+\-])@``, is written after its "@" to that end.
_MASK = re.compile(r"__\w+?__|https?://\S+|www\.\S+|@(?<![\w.+\-]@)\w+")
# A digit that is not part of an @handle, a digit after a capital (a code such as "ABX7Q2"), or an e-mail-like
# "x@y.z": without any of them a text has no entity. Written to start with one character class, the digit or the
# "@" (``(?<![@\w])\d|[A-Z]\d|\w@\w+\.`` with the lookbehinds after it), which ``re`` skips to instead of
# trying the lookbehinds at every position.
_MAY_HAVE = re.compile(r"[\d@](?:(?<=\d)(?<![@\w]\d)|(?<=[A-Z]\d)|(?<=\w@)\w+\.)")
# Every telephone number the PHONE macro finds holds two digits in a row (see _macros.yaml).
_TWO_DIGITS = re.compile(r"\d\d")
# Every e-mail address the EMAIL macro finds has an "@" between an address character and "domain." (see
# _macros.yaml): an @handle or a lone "@" does not.
_EMAIL_AT = re.compile(r"@(?<=[\w.+\-]@)[\w\-]+\.")


_LAST_ASKED: list[tuple[str, bool]] = [("", False)]  # the last text asked about, with its answer (one tuple:
# replaced whole, so a thread never reads one text's answer for another): deflection and PII both ask


def may_contain(text: str) -> bool:
    """Cheap test: could ``text`` hold a phone, e-mail, identifier or address at all? (Most replies cannot.)"""
    last = _LAST_ASKED[0]
    if last[0] is text:
        return last[1]
    answer = _MAY_HAVE.search(text) is not None
    _LAST_ASKED[0] = (text, answer)
    return answer


@dataclass(frozen=True)
class Entity:
    """One thing found in a text: its kind, span, and a normalised key to compare across posts."""

    kind: str  # phone | business_phone | email | identifier | number | card | address
    start: int
    end: int
    key: str


def digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


def luhn_ok(number: str) -> bool:
    """Payment card check digit: tells a card number from any other 13-19 digit string."""
    total, parity = 0, len(number) % 2
    for i, ch in enumerate(number):
        d = ord(ch) - 48
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# The vanity alternative of the PHONE macro, written to start with its "8" (``re`` skips to it; the pattern tried
# at every position costs about 20 us a reply): found wherever PHONE finds a vanity number.
_VANITY = re.compile(r"8(?:(?<=\b18)|(?<=\b1[ .\-]8))\d\d[ .\-]?[A-Za-z]{4,}\b", re.IGNORECASE)


def _may_hold_phone(text: str) -> bool:
    """Whether ``text`` can hold a number :func:`phones` keeps: seven digits close together (PHONE puts at most
    two characters between two of a number's digits), a short code's "*" or a vanity number. Most texts with digits
    hold none of them (a date, "24/7", "2-3 days"), and PHONE need not run."""
    return "*" in text or _ENOUGH_DIGITS.search(text) is not None or _VANITY.search(text) is not None


def phones(text: str) -> list[Entity]:
    """Telephone numbers: 7 to 13 digits, short codes like ``*4444``, vanity numbers like ``1-800-FLOWERS``."""
    if _TWO_DIGITS.search(text) is None or not _may_hold_phone(text):
        return []
    return _phones(text)


def _phones(text: str) -> list[Entity]:
    """:func:`phones` without the cheap tests first: the reference a test compares it with."""
    rx = phrasebook().macros["PHONE"]
    out = []
    for m in rx.finditer(text):
        raw = m.group(0)
        n = digits(raw)
        vanity = any(c.isalpha() for c in raw)
        if raw.startswith("*") or vanity or 7 <= len(n) <= 13:
            out.append(Entity("phone", m.start(), m.end(), n or raw.lower()))
    return out


# Where to read numbers written without a country code, by the reply's language (libphonenumber needs a region).
REGIONS = {"en": ("US", "GB"), "es": ("MX", "ES"), "pt": ("BR", "PT"), "fr": ("FR",), "de": ("DE",)}
_BUSINESS = frozenset({PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST, PhoneNumberType.PREMIUM_RATE,
                       PhoneNumberType.UAN, PhoneNumberType.VOICEMAIL})
_ENOUGH_DIGITS = re.compile(r"\d(?:\D{0,3}\d){6}")  # 7 digits, 3 or fewer others between: starts with a digit


_VERIFIED: dict[tuple[str, str], PhoneNumber | None] = {}  # (candidate, region) -> its number, or None
_KINDS: dict[tuple[str, str], str] = {}  # (candidate, region) -> "phone" or "business_phone"
_UNSEEN = object()
VERIFIED_KEPT = 4096  # candidates remembered: past it, forgotten and parsed again


class _Matcher(PhoneNumberMatcher):
    """``PhoneNumberMatcher`` that remembers each candidate's parse and verification by (candidate, region):
    at ``POSSIBLE`` leniency the library's ``_parse_and_verify`` reads nothing but those two (not the text
    around the candidate, not the count of tries), and brands write the same few numbers all day. Parsing is
    most of the matcher's time. The ``PhoneNumber`` of a remembered match is shared: callers only read it."""

    def _parse_and_verify(self, candidate: str, offset: int) -> PhoneNumberMatch | None:
        if self.leniency != Leniency.POSSIBLE:
            return super()._parse_and_verify(candidate, offset)
        key = (candidate, self.preferred_region)
        number = _VERIFIED.get(key, _UNSEEN)
        if number is _UNSEEN:
            match = super()._parse_and_verify(candidate, offset)
            number = None if match is None else match.number
            if len(_VERIFIED) >= VERIFIED_KEPT:
                _VERIFIED.clear()
            _VERIFIED[key] = number
        return None if number is None else PhoneNumberMatch(offset, candidate, number)


def phone_numbers(text: str, language: str = "und", limit: int = 500) -> list[Entity]:
    """Telephone numbers by ``phonenumbers`` (libphonenumber), read in the regions of ``language`` (US and
    Mexico when unknown), at most ``limit``. Toll-free, shared-cost, premium-rate and universal-access numbers
    are ``business_phone``: no customer has one."""
    if not _ENOUGH_DIGITS.search(text):
        return []
    out: dict[tuple[int, int], Entity] = {}
    for region in REGIONS.get(language, ("US", "MX")):
        for m in islice(_Matcher(text, region, leniency=Leniency.POSSIBLE), limit):
            if (m.start, m.end) in out:
                continue
            kind = _KINDS.get((m.raw_string, region))
            if kind is None:  # typed once per candidate and region, as parsed once (:class:`_Matcher`)
                kind = "business_phone" if phonenumbers.number_type(m.number) in _BUSINESS else "phone"
                if len(_KINDS) >= VERIFIED_KEPT:
                    _KINDS.clear()
                _KINDS[(m.raw_string, region)] = kind
            out[(m.start, m.end)] = Entity(kind, m.start, m.end, str(m.number.national_number))
    return sorted(out.values(), key=lambda e: e.start)


def emails(text: str) -> list[Entity]:
    if _EMAIL_AT.search(text) is None:  # a literal "@" first: ``re`` skips to it (the pattern tries every word)
        return []
    rx = phrasebook().macros["EMAIL"]
    return [Entity("email", m.start(), m.end(), m.group(0).lower().rstrip(".")) for m in rx.finditer(text)]


def identifiers(text: str) -> list[Entity]:
    """Values introduced by ``order``, ``account``, ``folio``... (5+ characters, 3+ digits, or a code in capitals
    with letters and a digit: "booking ABX7Q2"), and long digit runs.

    A Luhn-valid 13-19 digit run is a ``card``; other runs of 6+ digits are ``number``.
    """
    book = phrasebook()
    intro = book.get("pii", "id_intro")
    out: list[Entity] = []
    seen: dict[int, int] = {}  # start of an identifier's value -> its end
    if intro is not None:
        for m in intro.finditer(text):
            v = _ID_VALUE.match(text, m.end())
            if v and (sum(c.isdigit() for c in v.group(0)) >= 3 or _CODE_VALUE.fullmatch(v.group(0))):
                seen[v.start()] = v.end()
                out.append(Entity("identifier", v.start(), v.end(), v.group(0).upper().replace("-", "")))
    starts = sorted(seen)
    for m in _DIGIT_RUN.finditer(text):
        n = digits(m.group(0))
        if len(n) < 6 or _inside(m.start(), starts, seen):
            continue
        kind = "card" if 13 <= len(n) <= 19 and luhn_ok(n) else "number"
        out.append(Entity(kind, m.start(), m.end(), n))
    return out


def _inside(pos: int, starts: list[int], spans: dict[int, int]) -> bool:
    """Whether ``pos`` falls in one of ``spans`` (start -> end, sorted ``starts``): a bisection, not a scan."""
    from bisect import bisect_right

    i = bisect_right(starts, pos)
    return bool(i) and pos < spans[starts[i - 1]]


_ADDRESS_VALUE = re.compile(r"[^\n.;!?]{4,80}?(?=\s*(?:[.;!?](?:\s|$)|\n|$))")


def addresses(text: str) -> list[Entity]:
    """Postal addresses: by street words (``pii.address``), or the words after "your address is" / "tu dirección
    es" (``pii.address_intro``) when they hold a digit."""
    book = phrasebook()
    out = []
    rx = book.get("pii", "address")
    if rx is not None:
        out = [Entity("address", m.start(), m.end(), " ".join(m.group(0).lower().split())) for m in rx.finditer(text)]
    intro = book.get("pii", "address_intro")
    if intro is not None:
        for m in intro.finditer(text):
            v = _ADDRESS_VALUE.match(text, m.end())
            if v and any(c.isdigit() for c in v.group(0)) and not any(e.start <= v.start() < e.end for e in out[-8:]):
                out.append(Entity("address", v.start(), v.end(), " ".join(v.group(0).lower().split())))
    return out


def preceded_by(rx: "Group | re.Pattern[str] | None", text: str, start: int, window: int = 60) -> bool:
    """Whether ``rx`` (a pattern anchored with ``$``) matches the words just before ``start`` in its line."""
    if rx is None:
        return False
    lo = max(0, start - window)
    line_start = text.rfind("\n", lo, start) + 1  # searched within the window only: linear in the text
    before = text[max(line_start, lo) : start]
    if isinstance(rx, Group):
        return rx.search(before, None, text) is not None  # gated by the whole text's scan
    return rx.search(before) is not None


_LAST_UNMASKED: list[tuple[str, str]] = [("", "")]  # the last text unmasked, with its result: deflection and PII ask


def unmasked(text: str) -> str:
    """Blank out what is not personal data but looks like it: twcs masking tokens (``__email__``), URLs
    (their ids and query strings) and @handles (twcs writes them as numbers); an e-mail's ``@`` is kept. Offsets are kept: each is replaced by as many spaces.

    The result's phrase searches share ``text``'s scan when that gates them (:meth:`Scanner.share`): a reply
    is then scanned once, not again for its unmasked copy."""
    last = _LAST_UNMASKED[0]
    if last[0] is text:
        return last[1]
    spans = [m.span() for m in _MASK.finditer(text)]
    if not spans:
        out = text
    else:
        parts, at = [], 0
        for start, end in spans:
            parts += (text[at:start], " " * (end - start))
            at = end
        parts.append(text[at:])
        out = "".join(parts)
        phrasebook().scanner.share(out, text, spans)
    _LAST_UNMASKED[0] = (text, out)
    return out
