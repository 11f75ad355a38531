"""Language: langdetect, seeded, on a bounded sample of the kept text, with a probability that says how sure.

langdetect's own probability is about how the sampled n-grams vote, not about
how much text there was: on a ten-word line it can say 1.0. So the reported
probability is langdetect's times a length factor that reaches 1 at
`FULL_LETTERS` letters, and a text with fewer than `MIN_LETTERS` letters is
`und` with 0.0. A mixed document gets the language of most of its lines,
weighted by their letters (a few lines spread through it are voted on), and
the share of letters in that language lowers the probability too.
"""
from __future__ import annotations

import re
from functools import cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from ..document import Document

NAME = "lang"
UNKNOWN = "und"
SEED = 0
MIN_LETTERS = 20  # fewer letters than this: nothing to judge
FULL_LETTERS = 200  # from this many letters on, the sample is long enough to trust langdetect
LINE_MIN_LETTERS = 40  # lines shorter than this are not voted on one by one
MAX_LINES = 6  # lines voted on, at most (cost stays bounded)
_NOT_WORDS = re.compile(r"\S*(?:https?://|www\.|@)\S*", re.IGNORECASE)  # URLs and e-mail addresses say nothing


@cache
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = SEED  # each detector starts from this seed: same text, same answer
    return factory


def sample(text: str, chars: int) -> str:
    """At most `chars` characters: the start, and as much from the middle, so cost is bounded."""
    if len(text) <= chars:
        return text
    half = chars // 2
    mid = len(text) // 2
    return text[:half] + "\n" + text[mid: mid + chars - half]


def letters(text: str) -> int:
    return sum(c.isalpha() for c in _NOT_WORDS.sub(" ", text))


def _langdetect(text: str) -> tuple[str, float]:
    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNKNOWN, 0.0
    return best.lang, best.prob


def shares(text: str, chars: int) -> dict[str, float]:
    """Language -> share of letters, over up to `MAX_LINES` longer lines spread through the text."""
    lines = [line for line in text.split("\n") if letters(line) >= LINE_MIN_LETTERS]
    if len(lines) < 2:
        return {}
    step = max(1, len(lines) // MAX_LINES)
    lines = lines[::step][:MAX_LINES]
    total = sum(letters(line[:chars]) for line in lines)
    out: dict[str, float] = {}
    for line in lines:
        lang = _langdetect(line[:chars])[0]
        out[lang] = out.get(lang, 0.0) + letters(line[:chars]) / total
    return out


def detect(text: str, chars: int) -> tuple[str, float]:
    """(language code, probability); `und` with 0.0 when there is too little text to judge.

    >>> detect("Ok", 600)
    ('und', 0.0)
    >>> lang, prob = detect("Hội nghị sơ kết giữa nhiệm kỳ", 600); (lang, prob < 0.5)
    ('vi', True)
    """
    text = _NOT_WORDS.sub(" ", text)
    picked = sample(text, chars)
    n = letters(picked)
    if n < MIN_LETTERS:
        return UNKNOWN, 0.0
    lang, prob = _langdetect(picked)
    if lang == UNKNOWN:
        return UNKNOWN, 0.0
    votes = shares(text, chars)
    if votes:
        top = max(sorted(votes), key=lambda k: votes[k])
        if top != lang and votes[top] > votes.get(lang, 0.0):
            lang, prob = top, votes[top]  # most of the text is in another language than the sample's n-grams say
        else:
            prob *= votes.get(lang, 0.0)
    return lang, round(prob * min(1.0, n / FULL_LETTERS), 4)


def apply(doc: Document, chars: int) -> Document:
    lang, prob = detect(doc.text, chars)
    return doc.with_meta(lang=lang, lang_prob=prob)
