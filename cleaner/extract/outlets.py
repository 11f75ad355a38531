"""The publishing outlet: from a dateline code, a byline, the article's domain or a 'Theo báo X' line.

Codes and domains are looked up in a table kept as data (outlets.toml); an
unknown code gives no outlet, since a code alone does not say whose it is.
"""
from __future__ import annotations

import re
from functools import cache

from .data import outlet_table
from .view import View

DATELINE_CODE = "outlet.dateline_code"
BYLINE = "outlet.byline"
DOMAIN = "outlet.domain"
THEO_BAO = "outlet.theo_bao"
SOURCE_CODE = "outlet.source_code"

# "(Dân trí) -", "(PLO)-", "(NTO)", "BHG -", "QK2 –", "VOV4.VN -", "TTO -".
_PAREN_CODE = re.compile(r"^\s*\(([^()]{2,30})\)\s*(?:[-–—:]\s*)?")
_CAPS_CODE = re.compile(r"^\s*([^\s()]{2,20}(?: [^\s()]{2,20})?)\s+[-–—]\s+")
_THEO_BAO = re.compile(r"^theo\s+((?:báo|tạp chí|đài|trang|cổng thông tin)\s+[^.,;:!?()]{2,60}?)\.?$", re.IGNORECASE)


def split_dateline_code(text: str) -> tuple[str | None, str]:
    """(code, rest) for a line opening with a dateline code; (None, text) otherwise.

    >>> split_dateline_code("BHG - Chiều 18.5, Đảng ủy Quân sự tỉnh tổ chức hội nghị")
    ('BHG', 'Chiều 18.5, Đảng ủy Quân sự tỉnh tổ chức hội nghị')
    >>> split_dateline_code("(PLO)- Trung vệ Josko Gvardiol giải thích")
    ('PLO', 'Trung vệ Josko Gvardiol giải thích')
    >>> split_dateline_code("Thủ tướng Phạm Minh Chính - người đứng đầu Chính phủ")
    (None, 'Thủ tướng Phạm Minh Chính - người đứng đầu Chính phủ')
    """
    m = _PAREN_CODE.match(text)
    if m:
        return m.group(1).strip(), text[m.end():]
    m = _CAPS_CODE.match(text)
    if m and m.group(1).upper() == m.group(1) and any(c.isalpha() for c in m.group(1)):
        return m.group(1), text[m.end():]
    return None, text


def _key(code: str) -> str:
    return " ".join(code.split()).casefold()


@cache
def _by_code() -> dict[str, str]:
    return {_key(code): o["name"] for o in outlet_table() for code in o["codes"]}


def by_code(code: str | None) -> str | None:
    """The outlet a known code names.

    >>> by_code("Dân trí"), by_code("LITHUANIA")
    ('Dân trí', None)
    """
    return _by_code().get(_key(code)) if code else None


def by_domain(domain: str | None) -> str | None:
    """The outlet of a known domain or of any subdomain of it.

    >>> by_domain("images2.thanhnien.vn"), by_domain("example.com")
    ('Thanh Niên', None)
    """
    if not domain:
        return None
    domain = domain.casefold()
    for outlet in outlet_table():
        for known in outlet["domains"]:
            if domain == known or domain.endswith("." + known):
                return outlet["name"]
    return None


def theo_bao(text: str) -> str | None:
    """'Theo báo Tiền Phong' -> the outlet named after 'Theo'; 'Theo TTXVN' -> the table's name.

    >>> theo_bao("Theo Báo và PTTH Tuyên Quang"), theo_bao("Theo TTXVN"), theo_bao("Theo ông Grushko, an ninh")
    ('Báo và PTTH Tuyên Quang', 'TTXVN', None)
    """
    text = text.strip()
    m = _THEO_BAO.match(text)
    if m:
        name = m.group(1).strip()
        return by_code(name.split(None, 1)[1]) or name[0].upper() + name[1:]
    if text.casefold().startswith("theo "):
        return by_code(text[5:].strip().rstrip("."))
    return None


def dateline_outlet(view: View) -> str | None:
    """The outlet named by the dateline code opening the first body paragraphs."""
    for line in view.paragraphs[:3]:
        code, _ = split_dateline_code(line.text)
        if code:
            return by_code(code)
    return None


def theo_line(view: View) -> str | None:
    found = {o for line in view.tail if (o := theo_bao(line.text))}
    return found.pop() if len(found) == 1 else None


def source_code(view: View) -> str | None:
    """A line after the body that is only a known outlet code ("HYTV")."""
    found = {o for line in view.tail if len(line.text) <= 30 and (o := by_code(line.text.strip(" .")))}
    return found.pop() if len(found) == 1 else None
