"""Repeated lines inside a document: the first copy stays, later copies go.

A repeat is judged against every earlier line, kept or removed, so the second
copy of a removed caption, or a repeat of the lifted headline, is a `dup` too.
"""
from __future__ import annotations

import re

from ..document import Document

NAME = "dup_lines"
EXACT = "dup.exact"
NORMALIZED = "dup.normalized"
MIN_CHARS = 8  # shorter lines ("Trả lời", "1") repeat by nature; other rules judge them
MIN_WORDS = 3  # so do speaker labels of an interview ("Phóng viên", "Ông Nguyễn An")

_NON_WORD = re.compile(r"[\W_]+")


def line_key(text: str) -> str:
    """Equal for lines that differ only in case, punctuation and spacing. Tone marks count."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def decide(doc: Document) -> dict[int, str]:
    earlier = sorted([(r.line, r.text) for r in doc.removed] + [(l.no, l.text) for l in doc.lines])
    kept = {line.no for line in doc.lines}
    seen_exact: set[str] = set()
    seen_key: set[str] = set()
    out: dict[int, str] = {}
    for no, text in earlier:
        key = line_key(text)
        if no in kept and len(key) >= MIN_CHARS and len(key.split()) >= MIN_WORDS:
            if text in seen_exact:
                out[no] = EXACT
            elif key in seen_key:
                out[no] = NORMALIZED
        seen_exact.add(text)
        seen_key.add(key)
    return out


def apply(doc: Document) -> Document:
    return doc.drop(decide(doc))
