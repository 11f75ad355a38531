"""Lift the headline: the first body line that reads like a title leaves the body for `title`."""
from __future__ import annotations

import re

from ..document import Document

NAME = "title"
RULE = "title.headline"
MAX_CHARS = 200
MAX_WORDS = 35
MIN_WORDS = 3
_SENTENCE_END = re.compile(r"[.…;,:]$")


def looks_like_title(text: str) -> bool:
    words = text.split()
    return (len(text) <= MAX_CHARS and MIN_WORDS <= len(words) <= MAX_WORDS
            and not _SENTENCE_END.search(text) and any(c.isalpha() for c in text))


def decide(doc: Document) -> dict[int, str]:
    lines = doc.lines
    given = doc.fields.get("title")
    if isinstance(given, str) and given.strip():
        for line in lines[:3]:
            if line.text.casefold() == given.strip().casefold():
                return {line.no: RULE}
        return {}
    if len(lines) < 3:
        return {}
    first, second = lines[0], lines[1]
    if looks_like_title(first.text) and len(second.text) > len(first.text):
        return {first.no: RULE}
    return {}


def apply(doc: Document) -> Document:
    decisions = decide(doc)
    doc = doc.drop(decisions)
    if decisions:
        (no,) = decisions
        text = next(r.text for r in doc.removed if r.line == no)
        doc = doc.with_meta(title=text)
    return doc
