"""Language: langdetect, seeded, on a bounded sample of the kept text, with a probability that says how sure.

langdetect's own probability is about how the sampled n-grams vote, not about
how much text there was: on a ten-word line it can say 1.0. So the reported
probability is langdetect's times a length factor that reaches 1 at
`FULL_LETTERS` letters, and a text with fewer than `MIN_LETTERS` letters is
`und` with 0.0. langdetect runs once per document on a sample of at most
`chars` characters (blocks from the start, the middle and the end). Only when
the sample looks mixed (langdetect is unsure, or the blocks differ in how many
of their letters are non-ASCII) is each block asked alone; the language of most
letters wins, with that share as its probability. Cost stays bounded.

Before langdetect, a cascade: Vietnamese says what it is in its letters. ơ, ư, ă, đ
and the precomposed tone-marked vowels of Unicode's Vietnamese range (ạ, ả, ấ, ...,
ỹ; not à, á, é, ô, which French and Portuguese use too) make up a median 18% of the
letters of a block of Vietnamese news, and no other language writes them. When
every block of the sample has at least `VI_DENSITY` of its letters from that set
and the sample has at least `VI_MIN_LETTERS` letters, the text is `vi` without
asking langdetect, with probability the length factor times how far the sparsest
block's density reaches `VI_DENSITY` (so 1.0 on a long clear sample, as langdetect
would say). Everything else (unaccented Vietnamese, other languages, mixed or
short text) goes to langdetect as before (`bench/lang_agreement.py` measures how
often the two paths agree).
"""
from __future__ import annotations

from functools import cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from ..document import Document

NAME = "lang"
UNKNOWN = "und"
SEED = 0
MIN_LETTERS = 20  # fewer letters than this: nothing to judge
FULL_LETTERS = 200  # from this many letters on, the sample is long enough to trust langdetect
_LINK_MARKS = ("http://", "https://", "www.", "@")  # URLs and e-mail addresses say nothing of the language


def words_only(text: str) -> str:
    """The text without its URL and e-mail tokens (a scan over whitespace-separated tokens: linear time)."""
    low = text.lower()
    if not any(m in low for m in _LINK_MARKS):
        return text
    return " ".join(t for t in text.split() if not any(m in t.lower() for m in _LINK_MARKS))


@cache
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = SEED  # each detector starts from this seed: same text, same answer
    return factory


SURE = 0.95  # below this, the sample is taken to be mixed and its blocks vote
UNEVEN = 0.15  # blocks whose shares of non-ASCII letters differ by more than this look mixed too
BLOCKS = 3


MIN_BLOCK = 100  # a text shorter than BLOCKS blocks of this size is one block


def blocks(text: str, chars: int) -> list[str]:
    """At most `chars` characters in all: blocks from the start, the middle and the end (or the whole text)."""
    if len(text) < BLOCKS * MIN_BLOCK:
        return [text[:chars]]
    size = min(chars, len(text)) // BLOCKS
    starts = [0, (len(text) - size) // 2, len(text) - size]
    return [text[s: s + size] for s in starts]


def sample(text: str, chars: int) -> str:
    return "\n".join(blocks(text, chars))


def letters(text: str) -> int:
    return sum(map(str.isalpha, words_only(text)))


def _langdetect(text: str) -> tuple[str, float]:
    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNKNOWN, 0.0
    return best.lang, best.prob


def _uneven(parts: list[str]) -> bool:
    shares = []
    for part in parts:
        alpha = [c for c in part if c.isalpha()]
        if alpha:
            shares.append(sum(not c.isascii() for c in alpha) / len(alpha))
    return bool(shares) and max(shares) - min(shares) > UNEVEN


def _vote(parts: list[str]) -> tuple[str, float]:
    """The language of most letters among the blocks, and its share of them."""
    votes: dict[str, int] = {}
    for part in parts:
        lang = _langdetect(part)[0]
        votes[lang] = votes.get(lang, 0) + letters(part)
    total = sum(votes.values()) or 1
    lang = max(sorted(votes), key=lambda k: votes[k])
    return lang, votes[lang] / total


VI_LETTERS = frozenset("ơưăđƠƯĂĐ") | frozenset(chr(c) for c in range(0x1EA0, 0x1EFA))
VI_DENSITY = 0.10  # every block at least this share of Vietnamese-only letters: clearly Vietnamese
VI_MIN_LETTERS = 60  # and at least this many letters in the sample


def vi_density(text: str) -> float:
    """Share of the letters of `text` that only Vietnamese writes (0.0 with no letter).

    >>> round(vi_density("Hội nghị sơ kết"), 2), vi_density("Le café de la gare")
    (0.33, 0.0)
    """
    alpha = sum(map(str.isalpha, text))
    return sum(map(VI_LETTERS.__contains__, text)) / alpha if alpha else 0.0  # VI_LETTERS are all letters


def _clear_vietnamese(parts: list[str], n: int) -> float | None:
    """The cascade's first step: the probability that a clearly Vietnamese sample is `vi`, or None."""
    if n < VI_MIN_LETTERS:
        return None
    sparsest = min(vi_density(p) for p in parts)
    if sparsest < VI_DENSITY:
        return None
    return min(1.0, sparsest / VI_DENSITY)


def detect(text: str, chars: int) -> tuple[str, float]:
    """(language code, probability); `und` with 0.0 when there is too little text to judge.

    >>> detect("Ok", 600)
    ('und', 0.0)
    >>> lang, prob = detect("Hội nghị sơ kết giữa nhiệm kỳ", 600); (lang, prob < 0.5)
    ('vi', True)
    """
    parts = [words_only(p) for p in blocks(text, chars)]
    picked = "\n".join(parts)
    n = sum(map(str.isalpha, picked))
    if n < MIN_LETTERS:
        return UNKNOWN, 0.0
    clear = _clear_vietnamese(parts, n)
    if clear is not None:
        return "vi", round(clear * min(1.0, n / FULL_LETTERS), 4)
    return _langdetect_sample(parts, picked, n)


def detect_langdetect(text: str, chars: int) -> tuple[str, float]:
    """`detect` without the cascade: langdetect on every text (the reference `bench/lang_agreement.py` uses)."""
    parts = [words_only(p) for p in blocks(text, chars)]
    picked = "\n".join(parts)
    n = sum(map(str.isalpha, picked))
    if n < MIN_LETTERS:
        return UNKNOWN, 0.0
    return _langdetect_sample(parts, picked, n)


def _langdetect_sample(parts: list[str], picked: str, n: int) -> tuple[str, float]:
    lang, prob = _langdetect(picked)
    if lang == UNKNOWN:
        return UNKNOWN, 0.0
    if len(parts) > 1 and (prob < SURE or _uneven(parts)):
        lang, prob = _vote(parts)
    return lang, round(prob * min(1.0, n / FULL_LETTERS), 4)


def apply(doc: Document, chars: int) -> Document:
    lang, prob = detect(doc.text, chars)
    return doc.with_meta(lang=lang, lang_prob=prob)
