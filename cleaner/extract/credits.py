"""Photo credits: "Ảnh: X" ending a caption or standing alone, "(Ảnh: Công an cung cấp)", "Đồ họa: X".

"Ảnh hưởng" is a word, not a credit: the label must be followed by a colon and
start the line or follow the end of a sentence, a bracket or a dash.
"""
from __future__ import annotations

from .authors import title_case
from .data import rx, section
from .view import View

CAPTION = "caption.photo_credit"

_CREDIT = rx("credits", "credit")
_SPLIT = rx("credits", "split")


def credit(text: str) -> tuple[str, ...]:
    """The names a caption line credits, or ().

    >>> credit("Các đại biểu tham dự hội nghị. Ảnh: Kim Hồng |"), credit("ẢNH: BỘ NGOẠI GIAO")
    (('Kim Hồng',), ('Bộ Ngoại Giao',))
    >>> credit("Người dân ở thành phố Mariupol (Ảnh: Reuters)."), credit("Ảnh hưởng của bão số 3 khiến nhiều nhà bị tốc mái.")
    (('Reuters',), ())
    """
    conf = section("credits")
    if len(text) > conf["max_line_chars"]:
        return ()
    m = _CREDIT.search(text)
    if not m:
        return ()
    value = m.group(1).strip(" .")
    if not value or len(value.split()) > conf["max_words"] or not (value[0].isupper() or value[0].isdigit() or "." in value):
        return ()
    return tuple(title_case(part) for part in _SPLIT.split(value) if part.strip(" ."))


def find(view: View) -> tuple[str, ...]:
    out: list[str] = []
    for line in view.article:
        for name in credit(line.text):
            if name not in out:
                out.append(name)
    return tuple(out)
