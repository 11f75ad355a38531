"""Authors from bylines, in the forms Vietnamese news pages write them.

"Tin, ảnh: Duy Tuấn - Hoàng Tuyến", "Tác giả: X", a bare name after the last
paragraph ("Quỳnh Anh", "NGỌC VÂN"), "Thu Thảo (Theo Ancient Origins)",
"Theo N.H (Tiền Phong)", "Thu Hòa/VOV4", "Hà Văn Hồng – Hội Nông dân huyện X",
a dated byline in the head ("BIẾN ĐỔI KHÍ HẬU - Thanh Tùng - 18:51 31/05/2022"),
a name in capitals glued to the last sentence ("... giai đoạn mới. BĂNG PHƯƠNG").
Names in capitals become Title Case. "PV", "Nhóm PV", "TTXVN" are not people.
A line with no label counts only after the body and only when every syllable
is a personal-name syllable; a sentence that names a person is not a byline.
"""
from __future__ import annotations

from functools import lru_cache
import unicodedata
from dataclasses import dataclass, field

from . import dates, outlets
from .data import rx, section, words
from .view import Seen, View

TIN_ANH = "byline.tin_anh"
LABEL = "byline.label"
THEO_PAREN = "byline.theo_paren"
NAME_PAREN = "byline.name_paren"
NAME_SLASH = "byline.name_slash"
BARE = "byline.bare_name"
DATED = "byline.dated"
TRAILING_CAPS = "byline.trailing_caps"

_TIN_ANH = rx("authors", "tin_anh")
_LABEL = rx("authors", "label")
_THEO_PAREN = rx("authors", "theo_paren")
_NAME_PAREN = rx("authors", "name_paren")
_NAME_SLASH = rx("authors", "name_slash")
_NAME_SPLIT = rx("authors", "name_split")
_SEGMENTS = rx("authors", "segment_split")
_TRAILING_CAPS = rx("authors", "trailing_caps", 0)
_INITIALS = rx("authors", "initials", 0)
_NAME_PREFIX = rx("authors", "name_prefix", 0)


@dataclass(frozen=True)
class Byline:
    rule: str
    authors: tuple[str, ...] = ()
    photos: tuple[str, ...] = ()  # names the byline credits with the photos
    outlet: str | None = None
    non_person: bool = False  # the byline names no person ("PV", "TTXVN")


def title_case(name: str) -> str:
    """NFC; a name in capitals in Title Case, Vietnamese letters kept; other names as written.

    >>> title_case("GIANG NAM"), title_case("ĐÌNH VĂN"), title_case("Nguyễn Thị Tuyết Trinh"), title_case("N.H")
    ('Giang Nam', 'Đình Văn', 'Nguyễn Thị Tuyết Trinh', 'N.H')
    """
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if _INITIALS.match(name.replace(" ", "")) or name.upper() != name:
        return name
    if " " not in name and len(name) <= 5:
        return name  # "NVCC", "FIFA", "TTXVN": an acronym
    return " ".join(w[:1] + w[1:].lower() for w in name.split())


def is_non_person(text: str) -> bool:
    return " ".join(text.split()).casefold().strip(".") in words("authors", "non_persons")


def is_name(text: str, *, lexicon: bool = False, initials: bool = False) -> bool:
    """A personal name: 1-5 capitalized syllables (all in capitals or all Title Case).

    With `lexicon`, at least two syllables, every one a personal-name syllable, and not a place.

    >>> is_name("Duy Tuấn"), is_name("VĂN DƯƠNG"), is_name("đồng chí Nguyễn Văn Sơn"), is_name("Hội Nông dân")
    (True, True, False, False)
    >>> is_name("Việt Nam", lexicon=True), is_name("Quỳnh Anh", lexicon=True), is_name("Biến Đổi Khí Hậu", lexicon=True)
    (False, True, False)
    """
    text = " ".join(text.split())
    if initials and _INITIALS.match(text.replace(" ", "")):
        return True
    syllables = text.split()
    if not 1 <= len(syllables) <= section("authors")["max_name_words"] or is_non_person(text):
        return False
    if syllables[0].casefold() in words("authors", "media_words"):
        return False  # "Video Việt Nam": a player label
    upper = text.upper() == text
    for s in syllables:
        if not s.isalpha() or not s[0].isupper() or not (upper or s[1:].islower() or s[1:] == ""):
            return False
    if upper and len(syllables) == 1 and len(text) <= 4:
        return False  # "PV", "BTV", "TTO": a code, not a name
    if lexicon:
        known = words("authors", "name_syllables")
        return (len(syllables) >= 2 and all(s.casefold() in known for s in syllables)
                and text.casefold() not in words("authors", "places"))
    return True


def strip_title(text: str) -> str:
    """A writer's name without the academic or professional title before it.

    >>> strip_title("ThS.BS Nguyễn Thị Mai"), strip_title("PGS.TS Lê Văn Tâm"), strip_title("Thanh Hà")
    ('Nguyễn Thị Mai', 'Lê Văn Tâm', 'Thanh Hà')
    """
    text = " ".join(text.split())
    m = _NAME_PREFIX.match(text)
    return text[m.end():].strip() if m else text


@lru_cache(maxsize=8192)  # asked of one line by the structural steps, extraction and the line model
def head_name(text: str) -> tuple[str, ...] | None:
    """A head line that is only a byline: personal names (each syllable a name syllable), an academic
    title before them allowed. 'Hoàng An', 'ThS.BS Nguyễn Thị Mai', 'Hà Phong - Minh Anh'.

    >>> head_name("Hoàng An"), head_name("ThS.BS Nguyễn Thị Mai"), head_name("Bóng đá Việt Nam"), head_name("Hà Nội")
    (('Hoàng An',), ('Nguyễn Thị Mai',), None, None)
    """
    text = " ".join(text.split())
    if len(text) > section("authors")["max_line_chars"]:
        return None
    names = _names(strip_title(text), lexicon=True)
    return names or None


def split_names(text: str) -> list[str]:
    return [part.strip(" .") for part in _NAME_SPLIT.split(text.strip()) if part.strip(" .")]


def _names(text: str, *, lexicon: bool = False, initials: bool = False) -> tuple[str, ...] | None:
    """All parts of a name list, when every part is a name or a non-person ("PV"); None otherwise."""
    parts = split_names(text)
    if not parts:
        return None
    names = []
    for part in parts:
        if is_non_person(part):
            continue
        if not is_name(part, lexicon=lexicon, initials=initials):
            return None
        names.append(title_case(part))
    return tuple(names)


def parse(text: str, *, bare: bool = True, lexicon: bool = True) -> Byline | None:
    """The byline `text` is, or None. `bare`: accept a line with no label; `lexicon`: check its syllables.

    >>> parse("Tin, ảnh: Duy Tuấn - Hoàng Tuyến").authors
    ('Duy Tuấn', 'Hoàng Tuyến')
    >>> parse("Theo N.H (Tiền Phong)")
    Byline(rule='byline.theo_paren', authors=('N.H',), photos=(), outlet='Tiền Phong', non_person=False)
    >>> parse("Hà Văn Hồng – Hội Nông dân huyện Lạng Giang").authors
    ('Hà Văn Hồng',)
    >>> parse("Theo ông Grushko, các đồng minh châu Âu cần hiểu rằng an ninh rất quan trọng.") is None
    True
    """
    text = " ".join(text.split())
    if len(text) > section("authors")["max_line_chars"]:
        return None
    m = _TIN_ANH.match(text)
    if m:
        names = _names(m.group(1), initials=True)
        return _made(TIN_ANH, names, photos=True) if names is not None else None
    m = _LABEL.match(text)
    if m:
        names = _names(m.group(1), initials=True)
        return _made(LABEL, names) if names is not None else None
    m = _THEO_PAREN.match(text)
    if m:
        names = _names(m.group(1), initials=True)
        if names:
            return Byline(THEO_PAREN, names, outlet=outlets.by_code(m.group(2)) or m.group(2).strip())
        return None
    if not bare:
        return None
    m = _NAME_PAREN.match(text)
    if m and not text.casefold().startswith("theo "):
        names = _names(m.group(1), lexicon=lexicon)
        return Byline(NAME_PAREN, names) if names else None
    m = _NAME_SLASH.match(text)
    if m:
        names = _names(m.group(1), lexicon=lexicon)
        code = m.group(2)
        if names and code.upper() == code:
            return Byline(NAME_SLASH, names, outlet=outlets.by_code(code))
        return None
    return _bare(strip_title(text), lexicon=lexicon)


def _made(rule: str, names: tuple[str, ...], photos: bool = False) -> Byline:
    return Byline(rule, names, names if photos else (), non_person=not names)


def _bare(text: str, *, lexicon: bool) -> Byline | None:
    """'Phương Anh - Trung Nghĩa', 'NGỌC VÂN', 'Hà Văn Hồng – Hội Nông dân huyện X' (the affiliation is dropped)."""
    segments = [s for s in _SEGMENTS.split(text) if s]
    names: list[str] = []
    for i, segment in enumerate(segments):
        found = _names(segment, lexicon=lexicon)
        if found:
            names.extend(found)
        elif names and segment[:1].isupper():
            break  # the writer's organization after the name(s): "X - Công chức VH-XH"
        else:
            return None
    return Byline(BARE, tuple(names)) if names else None


def dated(line: dates.DateLine) -> Byline | None:
    """Names in the byline part of a dated byline; sections in capitals are not names.

    >>> dated(dates.scan_line("BIẾN ĐỔI KHÍ HẬU - Thanh Tùng - 18:51 31/05/2022")).authors
    ('Thanh Tùng',)
    >>> dated(dates.scan_line("PV•28/01/2025 08:22"))
    Byline(rule='byline.dated', authors=(), photos=(), outlet=None, non_person=True)
    """
    segments = [s for s in _SEGMENTS.split(line.before) if s]
    names: list[str] = []
    non_person = False
    for segment in segments:
        if is_non_person(segment):
            non_person = True
        elif is_name(segment) and (segment.upper() != segment or len(segments) == 1):
            names.append(title_case(segment))
    if names:
        return Byline(DATED, tuple(names))
    return Byline(DATED, non_person=True) if non_person else None


def trailing_caps(text: str) -> Byline | None:
    """A name in capitals after the last sentence of the last paragraph.

    >>> trailing_caps("Đồng thời động viên cán bộ hoàn thành nhiệm vụ trong giai đoạn mới. BĂNG PHƯƠNG").authors
    ('Băng Phương',)
    >>> trailing_caps("Hội nghị đã thành công. Xin cảm ơn") is None
    True
    """
    m = _TRAILING_CAPS.search(text)
    if not m:
        return None
    name = m.group(1)
    if name.upper() != name or not is_name(name, lexicon=True):
        return None
    return Byline(TRAILING_CAPS, (title_case(name),))


@dataclass
class Found:
    authors: tuple[str, ...] = ()
    rule: str | None = None
    photos: tuple[str, ...] = ()
    outlet: str | None = None
    outlet_rule: str | None = None
    lines: list[int] = field(default_factory=list)


def find(view: View) -> Found:
    """The first byline by trust: labelled anywhere, dated in the head, then bare after the body."""
    tried: list[tuple[Seen, Byline]] = []
    for line in view.useful:  # labelled bylines and bylines a rule removed as such
        by = parse(line.text, bare=line.family == "byline", lexicon=False)
        if by is not None:
            tried.append((line, by))
    for line in view.head:
        scanned = dates.scan_line(line.text)
        if scanned is not None and dates.classify(scanned) == dates.BYLINE:
            by = dated(scanned)
            if by is not None:
                tried.append((line, by))
    for line in view.tail:
        by = parse(line.text, lexicon=True)
        if by is not None:
            tried.append((line, by))
    late = [(line, by) for line in view.late if line not in view.tail and (by := parse(line.text, lexicon=True))]
    if len(late) == 1:  # more than one short name line after paragraphs: not sure which is the byline
        tried.extend(late)
    if not any(by.authors for _, by in tried) and view.paragraphs:
        last = view.paragraphs[-1]
        if last == next((l for l in reversed(view.useful) if l.kept), None):
            by = trailing_caps(last.text)
            if by is not None:
                tried.append((last, by))
    out = Found()
    for line, by in tried:
        if by.outlet and out.outlet is None:
            out.outlet, out.outlet_rule = by.outlet, outlets.BYLINE
        if by.photos and not out.photos:
            out.photos = by.photos
        if by.authors and not out.authors:
            out.authors, out.rule = by.authors, by.rule
            out.lines.append(line.no)
    return out
