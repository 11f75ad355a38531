"""The headline: what the title pass lifted, or the title-like line next to the page's date.

The order of trust: the input's own title field (in __init__), then a labelled title line of a
crawler's record ("Title: X", "TIÊU ĐỀ: X"), then the line
nearest the date or dated byline in the page head (a headline sits just above
or below it, while menus and breadcrumbs sit further up), then the pass's
pick, then a headline after a kicker ("GIA LAI:"), a first line followed by the
body, or a headline glued before a dateline code.
"""
from __future__ import annotations

import re

from . import dates, outlets
from .data import rx, section, words
from .view import Seen, View

NEAR_DATE = "title.near_date"
AFTER_KICKER = "title.after_kicker"
FIRST_LINE = "title.first_line"
GLUED = "title.glued_dateline"
LABELLED = "title.labelled"

_END = re.compile(r"[.…;,:]$")
_NAV = rx("title", "nav_marks")
_LABELLED = rx("title", "labelled")
_FIELD_LABEL = rx("title", "field_labels")
_GLUED = re.compile(r"^(.{10,200}?)\s+\(([^()]{2,30})\)\s*[-–—]\s+\S")


def is_field_label(text: str) -> bool:
    """A labelled field of a crawler's record other than the title: 'Description: ...', 'Source: Chính Phủ'.

    >>> is_field_label("Source: Chính Phủ"), is_field_label("Giá xăng: tăng mạnh từ chiều nay")
    (True, False)
    """
    return _FIELD_LABEL.match(text) is not None


def looks_like_title(text: str) -> bool:
    """A headline's shape: a few words, no sentence or list ending, not page chrome, not a date.

    >>> looks_like_title("Sư đoàn 5 tiếp nhận hơn 3.000 chiến sĩ mới năm 2026"), looks_like_title("GIA LAI:")
    (True, False)
    >>> looks_like_title("Quốc phòng - An ninh > Tin tức Quốc Phòng"), looks_like_title("12:17, 22/08/2023")
    (False, False)
    """
    conf = section("title")
    n = len(text.split())
    if not (len(text) <= conf["max_chars"] and conf["min_words"] <= n <= conf["max_words"]):
        return False
    if _END.search(text) or not any(c.isalpha() for c in text) or _NAV.search(text) or is_field_label(text):
        return False
    low = text.casefold()
    if any(low.startswith(start) for start in words("title", "nav_starts")):
        return False
    return dates.scan_line(text) is None


def is_kicker(text: str) -> bool:
    return text.endswith(":") and 1 <= len(text.split()) <= section("title")["kicker_max_words"] and "." not in text


def _candidate(line: Seen) -> bool:
    return (line.kept or line.family == "title") and looks_like_title(line.text)


def near_date(view: View) -> Seen | None:
    """The title-like head line closest to the first date line in the head (above wins a tie)."""
    head = view.head
    anchor = next((l for l in head if (d := dates.scan_line(l.text)) is not None and dates.classify(d)), None)
    if anchor is None:
        return None
    conf = section("title")
    near = [l for l in head if _candidate(l) and -conf["above"] <= l.no - anchor.no <= conf["below"]]
    longer = [l for l in near if len(l.text.split()) >= conf["short_words"]]
    near = longer or near
    if not near:
        return None
    return min(near, key=lambda l: (abs(l.no - anchor.no), l.no > anchor.no))


def after_kicker(view: View) -> Seen | None:
    head = [l for l in view.head if l.kept or l.family == "title"]
    for first, second in zip(head, head[1:]):
        if is_kicker(first.text) and looks_like_title(second.text):
            return second
    return None


def first_line(view: View) -> Seen | None:
    """A title-like first line directly followed by a body paragraph."""
    kept = [l for l in view.useful if l.kept]
    if len(kept) >= 2 and kept[0].no < (view.paragraphs[0].no if view.paragraphs else 0):
        if looks_like_title(kept[0].text) and kept[1] == view.paragraphs[0]:
            return kept[0]
    return None


def glued(view: View) -> str | None:
    """'An ninh trật tự Vây bắt tên trộm trốn vào rẫy keo (QNO) - N.V.L. ...': the headline before a code."""
    if not view.paragraphs:
        return None
    first = view.paragraphs[0]
    if first != next((l for l in view.useful if l.kept), None):
        return None
    m = _GLUED.match(first.text)
    if not m or not (outlets.by_code(m.group(2)) or (m.group(2).isupper() and len(m.group(2)) <= 6)):
        return None
    text = m.group(1).strip()
    low = text.casefold()
    for name in sorted(section("title")["sections"], key=len, reverse=True):
        if low.startswith(name + " ") and text[len(name) + 1:][:1].isupper():
            text = text[len(name) + 1:]
            break
    return text if looks_like_title(text) else None


def labelled(view: View) -> tuple[str, int] | None:
    """'Title: X', 'TIÊU ĐỀ: X' in the head of a crawler's record: (X, line number)."""
    for line in view.head:
        m = _LABELLED.match(line.text.strip())
        if m and looks_like_title(m.group(1).strip()):
            return m.group(1).strip(), line.no
    return None


def find(view: View, lifted: str | None, lifted_rule: str | None) -> tuple[str | None, str | None, int | None]:
    """(title, rule, line number) of the headline; `lifted` is what the title pass took."""
    found = labelled(view)
    if found:
        return found[0], LABELLED, found[1]
    line = near_date(view)
    if line is not None:
        return line.text, line.rule if line.family == "title" else NEAR_DATE, line.no
    if lifted:
        no = next((l.no for l in view.lines if l.family == "title" and l.text == lifted), None)
        return lifted, lifted_rule, no
    for finder, rule in ((after_kicker, AFTER_KICKER), (first_line, FIRST_LINE)):
        line = finder(view)
        if line is not None:
            return line.text, rule, line.no
    text = glued(view)
    if text:
        return text, GLUED, view.paragraphs[0].no
    return None, None, None
