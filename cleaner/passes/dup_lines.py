"""Repeated lines inside a document: the first copy stays, later copies go.

A later line found whole inside an earlier, longer one (`dup.contained`) is a copy too: pages that
repeat their article often join or split its paragraphs differently the second time.

A repeat is judged against every earlier line, kept or removed, so the second
copy of a removed caption, or a repeat of the lifted headline, is a `dup` too.
"""
from __future__ import annotations

from functools import lru_cache

from ..dedup.hashing import words
from ..document import Document

NAME = "dup_lines"
EXACT = "dup.exact"
NORMALIZED = "dup.normalized"
CONTAINED = "dup.contained"
CONTAINED_MIN_WORDS = 8  # a later line this long found whole inside an earlier one is a copy (a page that
# repeats its article, with paragraphs joined differently); shorter lines are phrases that recur by nature
MIN_CHARS = 8  # shorter lines ("Trả lời", "1") repeat by nature; other rules judge them
MIN_WORDS = 3  # so do speaker labels of an interview ("Phóng viên", "Ông Nguyễn An")


@lru_cache(maxsize=8192)  # asked of one line by this pass, the structural steps and the line model
def line_key(text: str) -> str:
    """Equal for lines that differ only in case, punctuation and spacing. Tone marks count."""
    return " ".join(words(text))


def decide(doc: Document) -> dict[int, str]:
    earlier = sorted([(r.line, r.text) for r in doc.removed] + [(l.no, l.text) for l in doc.lines])
    kept = {line.no for line in doc.lines}
    seen_exact: set[str] = set()
    seen_key: set[str] = set()
    out: dict[int, str] = {}
    earlier_keys = " | "  # every earlier key between separators no key holds: one substring search finds a part
    for no, text in earlier:
        key = line_key(text)
        syllables = key.split()
        if no in kept and len(key) >= MIN_CHARS and len(syllables) >= MIN_WORDS:
            if text in seen_exact:
                out[no] = EXACT
            elif key in seen_key:
                out[no] = NORMALIZED
            elif len(syllables) >= CONTAINED_MIN_WORDS and f" {key} " in earlier_keys:
                out[no] = CONTAINED  # inside a longer earlier key (an equal one is in seen_key)
        seen_exact.add(text)
        seen_key.add(key)
        earlier_keys += f"{key} | "
    return out


def apply(doc: Document) -> Document:
    return doc.drop(decide(doc))
