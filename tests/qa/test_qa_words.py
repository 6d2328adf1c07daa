"""The fast paths of the words a text is grouped by (``qa.words``) give what their regex definitions give."""

from __future__ import annotations

import random
import re

import numpy as np

from qa import similarity as sim
from qa import words as qa_words

# the definitions, written out: URLs, @handles and #tags blanked in the lower-cased text, then runs of letters
_SKIP = re.compile(r"https?://\S+|www\.\S+|[@#]\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


def _defined_words(text: str, min_len: int) -> list[str]:
    low = text.lower()
    return [w for w in _LETTERS.findall(_SKIP.sub(" ", low)) if len(w) >= min_len]


def _texts(n: int, seed: int) -> list[str]:
    """Random texts over the characters where the Latin-1 table and the regex could disagree: letters, digits
    and numbers that are not digits (² ¼), marks, spaces of all kinds, the URL/handle starters, and characters
    beyond Latin-1 (Turkish dotted I, long s, Kelvin sign, Greek, CJK, an emoji)."""
    rnd = random.Random(seed)
    pieces = list("aZéÉßÿµªº_19²¼½ \t\n\xa0\x85\x1c@#.:/-'")
    pieces += ["http://", "https://x.y/z", "www.", "İ", "ı", "ſ", "\u212a", "λ", "中", "😀", "ǅ", "ﬁ"]
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(n)]


def test_words_are_the_runs_of_letters_the_regex_finds_latin1_or_not() -> None:
    texts = _texts(20_000, 7) + ["@Kim see https://x.example/y for the PARCEL", "abc@def #tag ok", "seehttp://x",
                                 "Ünïcödé ÀÖØöøÿ words", "²nd ¼ cup", "İSTANBUL ııı ſtraße"]
    for t in texts:
        for k in (1, 4):
            want = _defined_words(t, k)
            assert qa_words.words(t, k) == want, (t, k)
            vocab = set(want[:1]) | {"zz"}
            assert qa_words.has_word_in(t, vocab, k) == (not vocab.isdisjoint(want)), (t, k)


def test_signatures_from_known_words_equal_those_from_the_texts() -> None:
    texts = _texts(600, 3) + ["the parcel never came", "", "@kim 123"]
    for n in (1, 2):
        want, has = sim.text_signatures(texts, n=n)
        got, got_has = sim.word_signatures([qa_words.words(t) for t in texts], n=n)
        assert np.array_equal(got, want) and np.array_equal(got_has, has)
