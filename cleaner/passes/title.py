"""Lift the headline: the last title-like line of the page head leaves the body for `title`.

The head is the run of kept lines before the first line that reads like body
text. Site names, menus and section labels can come before the headline, so
the headline is the *last* title-like line of the head, not the first; the
lines before it are left for the boilerplate pass (`nav.before_title`). A
short line ending in ':' just before the headline ("GIA LAI:") is its kicker:
it leaves the body as `title.kicker` but is not part of the title text.
"""
from __future__ import annotations

from functools import lru_cache
import re

from ..document import Document, Line
from ..extract.authors import head_name
from ..extract.dates import scan_line
from ..extract.title import is_field_label

NAME = "title"
RULE = "title.headline"
KICKER = "title.kicker"
MAX_CHARS = 200
MAX_WORDS = 35
MIN_WORDS = 3
HEAD_LINES = 8  # the headline is looked for among the first kept lines only
BODY_MIN_CHARS = 160  # a line this long is body text whatever its punctuation
BODY_MIN_WORDS = 8  # a line ending in a full stop is body text from this many words
KICKER_MAX_CHARS = 60
DATELINE_MAX_CHARS = 30  # "(Dân trí) - ", "LITHUANIA - ", "VOV.VN - " open the lede
# Caption rules whose lines have a headline's shape ("Thủ tướng X gặp Y"): they run after the
# headline is lifted, so a headline in that shape is a title, not a caption.
HEADLINE_SHAPED_RULES = frozenset({"caption.person_action", "caption.group_scene"})
BREADCRUMB_MARKS = (">", "»", "›")  # "> Thổ Nhĩ Kỳ dốc sức ...": a link in a breadcrumb or list, not a headline
SENTENCE_ENDS = (".", "…", ";", ",", ":")  # a line ending so goes on, or is a sentence: not a headline
_DASH = re.compile(r"\s*[-–—]\s")


@lru_cache(maxsize=8192)  # asked of one line by the title pass, the structural steps and the line model
def looks_like_title(text: str) -> bool:
    """A headline's shape; a date line ("Cập nhật: 17:20 05/09/2024") under the headline is not one.

    >>> looks_like_title("Hà Tĩnh ra quân thu hoạch lúa hè thu"), looks_like_title("Đăng lúc: 20/11/2024")
    (True, False)
    """
    if len(text) > MAX_CHARS or text.endswith(SENTENCE_ENDS) or text.startswith(BREADCRUMB_MARKS):
        return False  # the cheap tests first
    return (MIN_WORDS <= len(text.split()) <= MAX_WORDS and any(c.isalpha() for c in text)
            and not is_field_label(text) and scan_line(text) is None)


def has_dateline(text: str) -> bool:
    """A lede opened by a dateline or outlet tag: '(Dân trí) - ...', 'MOROCCO - ...'.

    >>> has_dateline("MOROCCO - Các nhà khoa học tìm thấy"), has_dateline("Hà Nội - Hải Phòng")
    (True, False)
    >>> has_dateline("UBND XÃ HỢP THANH - HUYỆN MỸ ĐỨC")
    False
    """
    if text.startswith("("):
        close = text.find(")")
        return 2 < close <= DATELINE_MAX_CHARS
    m = _DASH.search(text[:DATELINE_MAX_CHARS + 3])
    tag = text[:m.start()] if m else ""
    rest = text[m.end():] if m else ""
    # "UBND XÃ HỢP THANH - HUYỆN MỸ ĐỨC" is a masthead in capitals, not a tag before a lede
    return any(c.isalpha() for c in tag) and tag == tag.upper() and rest != rest.upper()


@lru_cache(maxsize=8192)  # asked of one line dozens of times a document, by most passes
def looks_like_body(text: str) -> bool:
    """Body text: long, or a sentence with a full stop, or a lede with a dateline."""
    if len(text) >= BODY_MIN_CHARS or has_dateline(text):
        return True
    return text.endswith(".") and not text.endswith("..") and len(text.split()) >= BODY_MIN_WORDS


def head(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The kept lines before the first body line, if the body starts among the first `HEAD_LINES`."""
    for i, line in enumerate(lines[:HEAD_LINES + 1]):
        if looks_like_body(line.text):
            return lines[:i]
    return ()


def _given(lines: tuple[Line, ...], given: str) -> dict[int, str]:
    """The head line that is the input's own title (a lone line is not a head: it is the body)."""
    for line in head(lines):
        if line.text.casefold() == given.strip().casefold():
            return {line.no: RULE}
    return {}


def decide(doc: Document) -> dict[int, str]:
    lines = doc.lines
    given = doc.fields.get("title")
    if isinstance(given, str) and given.strip():
        return _given(lines, given)
    top = head(lines)
    for i in range(len(top) - 1, -1, -1):
        if looks_like_title(top[i].text) and not head_name(top[i].text):  # a byline under the headline
            out = {top[i].no: RULE}
            before = top[i - 1].text if i else ""
            if before.endswith(":") and len(before) <= KICKER_MAX_CHARS:
                out[top[i - 1].no] = KICKER
            return out
    return {}


def apply(doc: Document) -> Document:
    decisions = decide(doc)
    doc = doc.drop(decisions)
    headline = [r.text for r in doc.removed if decisions.get(r.line) == RULE]
    if headline:
        doc = doc.with_meta(title=" ".join(headline))
    return doc
