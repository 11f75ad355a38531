"""Repeated lines inside a document: the first copy stays, later copies go.

A later line found whole inside an earlier, longer one (`dup.contained`) is a copy too: pages that
repeat their article often join or split its paragraphs differently the second time.

A repeat is judged against every earlier line, kept or removed, so the second
copy of a removed caption, or a repeat of the lifted headline, is a `dup` too.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document

NAME = "dup_lines"
EXACT = "dup.exact"
NORMALIZED = "dup.normalized"
CONTAINED = "dup.contained"
CONTAINED_MIN_WORDS = 8  # a later line this long found whole inside an earlier one is a copy (a page that
# repeats its article, with paragraphs joined differently); shorter lines are phrases that recur by nature
WINDOW = 4  # words of the index that finds the earlier lines a line may be inside
MIN_CHARS = 8  # shorter lines ("Trả lời", "1") repeat by nature; other rules judge them
MIN_WORDS = 3  # so do speaker labels of an interview ("Phóng viên", "Ông Nguyễn An")

_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)  # asked of one line by this pass, the structural steps and the line model
def line_key(text: str) -> str:
    """Equal for lines that differ only in case, punctuation and spacing. Tone marks count."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def decide(doc: Document) -> dict[int, str]:
    earlier = sorted([(r.line, r.text) for r in doc.removed] + [(l.no, l.text) for l in doc.lines])
    kept = {line.no for line in doc.lines}
    seen_exact: set[str] = set()
    seen_key: set[str] = set()
    out: dict[int, str] = {}
    windows: dict[tuple[str, ...], list[str]] = {}  # first words of a window -> earlier keys holding it
    for no, text in earlier:
        key = line_key(text)
        words = key.split()
        if no in kept and len(key) >= MIN_CHARS and len(words) >= MIN_WORDS:
            if text in seen_exact:
                out[no] = EXACT
            elif key in seen_key:
                out[no] = NORMALIZED
            elif len(words) >= CONTAINED_MIN_WORDS and _inside(key, windows.get(tuple(words[:WINDOW]), ())):
                out[no] = CONTAINED
        seen_exact.add(text)
        seen_key.add(key)
        for i in range(max(len(words) - WINDOW + 1, 0)):
            windows.setdefault(tuple(words[i:i + WINDOW]), []).append(key)
    return out


def _inside(key: str, earlier: list[str]) -> bool:
    """`key` is a whole-word part of one of the earlier (longer) keys."""
    padded = f" {key} "
    return any(len(e) > len(key) and padded in f" {e} " for e in earlier)


def apply(doc: Document) -> Document:
    return doc.drop(decide(doc))
