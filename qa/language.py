"""Language identification for short social-care posts, with an honest "und" for texts too short to tell.

Tweets are short and noisy: handles, links, emoji, hashtags, twcs masking tokens (``__email__``) and agent
signatures (``^HSB``, ``-JD``, ``*AFM``) carry no language but fool n-gram models. We strip them, decide the
script first (kana means Japanese, Hangul Korean, Han alone Chinese), and only then ask py3langid (a naive Bayes
model shipped inside its wheel, so nothing is downloaded at run time) about Latin/Cyrillic/Arabic text, after
CLD2 (``pycld2``, also model-in-wheel) has settled the plain cases five times faster. Below a
minimum of words, or when the model is not sure, the answer is ``"und"``: a wrong guess on "Yes" or "No" would
turn into a false ``language_mismatch``, which costs more than an undetermined one.

The model is restricted to languages a brand's care team plausibly meets; close relatives outside the set
(Galician, Catalan) then fold into their big neighbour, which is what a reviewer would do too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import islice

try:
    import pycld2 as _pycld2
except ImportError:  # pragma: no cover - py3langid alone still works, only slower
    _pycld2 = None

__all__ = [
    "UND",
    "LANGUAGES",
    "clean",
    "latin1_bytes",
    "detect",
    "detect_scored",
    "segment_languages",
    "thread_language",
]

UND = "und"

# Languages the statistical model may answer (ISO 639-1). CJK, Korean, Thai, Greek, Hebrew and a few more are
# decided by script before the model is asked.
LANGUAGES: tuple[str, ...] = (
    "en", "es", "pt", "fr", "de", "it", "nl", "sv", "da", "no", "fi", "pl", "cs", "sk", "hu", "ro",
    "tr", "id", "ms", "tl", "vi", "ru", "uk", "bg", "sr", "ar", "fa", "ur", "hi", "he", "el", "ca",
)

_LANGUAGE_SET = frozenset(LANGUAGES)

MIN_WORDS = 3  # fewer Latin-script words than this is "und": "Yes", "No worries", "DM sent"
MIN_LETTERS = 12
MIN_CJK = 3  # CJK carries a word per character or two
MIN_CONFIDENCE = 0.80  # py3langid's calibrated probability below which we do not guess
FAST_MIN_CHARS = 40  # shorter texts go to py3langid, whose confidence is calibrated for length
MAX_CHARS = 400  # a long thread tells no more than its first tweet-lengths; the model's cost grows with length

# Links, @handles, #hashtags and twcs masking tokens (__email__): no language in them. Each alternative starts
# with a plain character, so that re skips to the next h, H, w, W, @, # or _ instead of trying every position
# (as IGNORECASE would: "ſ" matches "s" there, hence [sSſ]). Bare domains (brand.com/help) are looked for only
# when a ".com"-like ending is there: a pattern starting with ``\w+`` would be tried at every word of every post.
_NOISE = re.compile(
    r"h[tT][tT][pP][sSſ]?://\S+|H[tT][tT][pP][sSſ]?://\S+|w[wW][wW]\.\S+|W[wW][wW]\.\S+|@\w+|#\w+|__\w+?__"
)
_DOMAIN_END = re.compile(r"\.(?:com|co|org|net|mx|es)\b", re.IGNORECASE)
_DOMAIN = re.compile(r"\b\w+\.(?:com|co|org|net|mx|es)(?:/\S*)?\b", re.IGNORECASE)
# Agent signatures at the end of a post (^HSB, -JD, *AFM, /CH, ~Derrick, - Kirsten, .-SV, TY - Jayne) and part
# markers (2/2, (1/3)). Applied repeatedly from the end, since a post may end "... ^Kit 2/2". Each needs one of
# the marks of _TAIL_MARK: a post ending without one is not scanned.
_TAIL = re.compile(
    r"(?:\s*\(?\d\s*/\s*\d\)?|\s*(?:[\^*~/–—]|\s-|\.-)\s?[A-Za-zÁÉÍÓÚÑáéíóúñ][\w.]{0,15}"
    r"(?:\s[A-Z][a-z]{1,12})?)\s*$"
)
_TAIL_MARK = re.compile(r"[-/^*~–—]")
_TAIL_WINDOW = 48
_LEAD_PART = re.compile(r"^\s*\(?\d\s*/\s*\d\)?:?")
_WORD = re.compile(r"[^\W\d_]{2,}")


# Emoji, pictographs, kaomoji parts: no language owns them; nor do digits. Combining marks (Devanagari vowel
# signs, Arabic harakat, Thai tones) are not ``\w`` but belong to their letters, so they are kept. ASCII and
# Latin-1 text (most posts) goes through bytes.translate with the same characters, several times faster.
_DROP = re.compile(
    r"(?:[^\w\s.,;:!?¿¡'\"()\-–—\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
    r"\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f]|\d)+"
)
_LATIN1_DROP = bytes(32 if _DROP.fullmatch(chr(c)) else c for c in range(256))


def latin1_bytes(text: str) -> bytes | None:
    """``text`` encoded as Latin-1, or None when a character lies beyond it: one C call (``max(text)`` compares
    character by character in Python objects, 20 times slower on a tweet)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


def clean(text: str) -> str:
    """Return the words of ``text`` that carry its language: no handles, links, emoji, masks or signature."""
    text = html.unescape(text or "") if "&" in (text or "") else (text or "")
    text = _NOISE.sub(" ", text)
    if _DOMAIN_END.search(text):
        text = _DOMAIN.sub(" ", text)
    text = text.strip()
    # Signature marks (^ * ~ /) are symbols: strip the tail before the symbols go. Only the last characters
    # can hold a signature, and scanning the whole text with an end-anchored pattern is slow.
    tail = text[-_TAIL_WINDOW:]
    if _TAIL_MARK.search(tail):
        head = text[:-_TAIL_WINDOW]
        for _ in range(3):
            stripped = _TAIL.sub("", tail).rstrip()
            if stripped == tail:
                break
            tail = stripped
        text = head + tail
    text = _LEAD_PART.sub("", text)
    if (raw := latin1_bytes(text)) is not None:  # a dropped run becomes spaces, not one: the same once split
        text = raw.translate(_LATIN1_DROP).decode("latin-1")
    else:
        text = _DROP.sub(" ", text)
    return " ".join(text.split())  # splits where re's \s matches: as a \s+ pattern would, only faster


_SCRIPTS = {
    "kana": re.compile(r"[\u3040-\u30ff\uff66-\uff9f]"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "georgian": re.compile(r"[\u10a0-\u10ff]"),
    "armenian": re.compile(r"[\u0530-\u058f]"),
}
_FIRST_SCRIPT = "\u0370"  # no script of _SCRIPTS starts before Greek
_NOT_LETTER = re.compile(r"[\W\d_]+")
_LATIN1_NOT_LETTER = bytes(c for c in range(256) if _NOT_LETTER.fullmatch(chr(c)))


def _script_counts(text: str) -> tuple[int, dict[str, int]]:
    """Number of letters, and letters per script that decides a language by itself (Latin text: none)."""
    if (raw := latin1_bytes(text)) is not None:  # ASCII or Latin-1: no script of _SCRIPTS; C deletes the rest
        return len(raw.translate(None, _LATIN1_NOT_LETTER)), {}
    letters = len(_NOT_LETTER.sub("", text))
    if max(text) < _FIRST_SCRIPT:
        return letters, {}
    return letters, {name: n for name, rx in _SCRIPTS.items() if (n := len(rx.findall(text)))}


def _enough_words(words: str) -> bool:
    """Whether ``words`` holds ``MIN_WORDS`` words of two letters or more (stops counting there)."""
    return next(islice(_WORD.finditer(words), MIN_WORDS - 1, None), None) is not None


_SCRIPT_LANG = {"hangul": "ko", "thai": "th", "greek": "el", "hebrew": "he", "georgian": "ka", "armenian": "hy"}


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    """py3langid's packaged model, restricted to ``LANGUAGES``, loaded once (cached on disk: qa.language_model)."""
    from .language_model import load_identifier

    return load_identifier(LANGUAGES)


def detect_scored(text: str) -> tuple[str, float]:
    """Return ``(language, confidence)``; ``("und", 0.0)`` when the text is too short or too mixed to tell.

    Cached by text: brands paste the same templates all day, and a thread's customer posts are read again for
    each brand reply in it.
    """
    return _detect_cached(text or "")


@lru_cache(maxsize=8192)
def _detect_cached(text: str) -> tuple[str, float]:
    words = clean(text)
    if not words:
        return UND, 0.0
    letters, scripts = _script_counts(words)
    if letters == 0:
        return UND, 0.0
    cjk = scripts.get("kana", 0) + scripts.get("han", 0)
    if cjk >= MIN_CJK and cjk >= 0.3 * letters:
        return ("ja" if scripts.get("kana", 0) else "zh"), 1.0
    for script, lang in _SCRIPT_LANG.items():
        n = scripts.get(script, 0)
        if n >= 4 and n >= 0.5 * letters:
            return lang, 1.0
    if letters < MIN_LETTERS or not _enough_words(words):
        return UND, 0.0
    return _classify(words[:MAX_CHARS])


# Common function words of the languages CLD2 is asked about most (none that is also a common English word:
# "a", "as", "do", "die", "e"). CLD2 is sure of English on some short Spanish sentences ("Perdona la demora,
# estamos revisando la incidencia.", 98%); when more distinct function words of another language than of CLD2's
# answer are there (two at least), py3langid decides instead. Words several languages share count for each of
# them: a tie never overrules CLD2, and nor does py3langid when it is not sure either (a text in two languages).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "the and you your we our is are this that with have please thanks sorry it of to for will can be",
    "es": "el la los las de del en por para que con una estamos gracias nos muy pero está hola lo su tu le es "
          "un al se te",
    "pt": "os de da em dos das por para que com uma estamos obrigado obrigada nos muito mas não você um ao se te",
    "fr": "le la les de des du en et par pour que avec une nous merci très mais est vous un au se te",
    "it": "il la gli di del della per che con una siamo grazie ci molto è un al si ti",
    "de": "der das und ist wir sie mit ein eine danke bitte nicht für zu den dem",
}.items()}
# Per language, the other languages' function words: a text holding none of them (most) is settled at once.
_FOREIGN_WORDS = {lang: frozenset().union(*(w for other, w in _FUNCTION_WORDS.items() if other != lang)) - own
                  for lang, own in _FUNCTION_WORDS.items()}
_WORD_BREAKS = bytes(32 if chr(c) in ".,;:!?¿¡'\"()-" else c for c in range(256))
_FUNCTION_WORD = re.compile(r"[^\W\d_]+")


def _contradicted(code: str, words: str) -> bool:
    """Whether more distinct function words of ``words`` belong to another language than to CLD2's ``code``."""
    foreign = _FOREIGN_WORDS.get(code)
    if foreign is None:
        return False
    lower = words.lower()
    raw = latin1_bytes(lower)  # split in C where the text allows (4x faster than findall)
    found = raw.translate(_WORD_BREAKS).decode("latin-1").split() if raw is not None else _FUNCTION_WORD.findall(lower)
    if foreign.isdisjoint(found):  # most texts: tested on the list, no set built
        return False
    tokens = set(found)
    mine = len(_FUNCTION_WORDS[code].intersection(tokens))
    return any(n >= 2 and n > mine for n in map(len, map(tokens.intersection, _FUNCTION_WORDS.values())))


def _fast(words: str) -> tuple[str, float] | None:
    """CLD2's answer when it is sure and names a language of ``LANGUAGES``; None to ask py3langid.

    CLD2 (C++, about 5x faster) settles the plain cases; close relatives it may prefer (Galician for a short
    Mexican Spanish sentence) are outside ``LANGUAGES`` and go to py3langid, which only chooses among them.
    """
    if _pycld2 is None or len(words) < FAST_MIN_CHARS:  # CLD2 is overconfident on a few words
        return None
    try:
        reliable, _, details = _pycld2.detect(words, isPlainText=True, bestEffort=False)
    except _pycld2.error:  # invalid UTF-8 (lone surrogates) and the like
        return None
    _, code, percent, _ = details[0]
    code = code.split("-")[0].lower()  # zh-Hant -> zh
    if reliable and percent >= 90 and code in _LANGUAGE_SET and details[1][1] == "un":
        return code, percent / 100.0
    return None


@lru_cache(maxsize=4096)
def _classify(words: str) -> tuple[str, float]:
    """The models' answer on cleaned text; cached because brands paste the same templates all day."""
    fast = _fast(words)
    if fast is not None and not _contradicted(fast[0], words):
        return fast
    lang, confidence = _identifier().classify(words)
    if confidence < MIN_CONFIDENCE:  # CLD2's answer, overruled only by a sure one (a text in two languages)
        return fast if fast is not None else (UND, float(confidence))
    return str(lang), float(confidence)


def detect(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, or ``"und"`` when it is too short or too mixed to tell."""
    return _detect_cached(text or "")[0]


_SEGMENT = re.compile(r"(?<=[.!?¿¡])\s+|\n+")


def segment_languages(text: str) -> set[str]:
    """Languages of the sentences or lines of ``text`` that can be told apart on their own (and of the whole).

    Used to see whether a reply that "adds a translation" also speaks the customer's language.
    """
    found = {detect(text)}
    for part in _SEGMENT.split(text or ""):
        if part:
            found.add(detect(part))
    found.discard(UND)
    return found


def thread_language(posts: Sequence[str] | Iterable[str]) -> str:
    """The customer's language in a thread: that of their latest post that can be told, else of all joined.

    The latest post wins because a customer who switches language (Spanish first, then English) expects the
    answer in the language they switched to.
    """
    posts = [p for p in posts if p]
    for post in reversed(posts):
        lang = detect(post)
        if lang != UND:
            return lang
    return detect("\n".join(posts)) if len(posts) > 1 else UND
