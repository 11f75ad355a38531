"""Language: langdetect, seeded, on a bounded sample of the kept text."""
from __future__ import annotations

from functools import cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from ..document import Document

NAME = "lang"
UNKNOWN = "und"
SEED = 0


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


def detect(text: str, chars: int) -> tuple[str, float]:
    """(language code, probability); `und` with 0.0 when there is nothing to judge."""
    detector = _factory().create()
    detector.append(sample(text, chars))
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNKNOWN, 0.0
    return best.lang, round(best.prob, 4)


def apply(doc: Document, chars: int) -> Document:
    lang, prob = detect(doc.text, chars)
    return doc.with_meta(lang=lang, lang_prob=prob)
