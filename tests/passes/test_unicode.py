from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from cleaner.document import from_text
from cleaner.passes import unicode as u

# (raw, normalized): real forms met in scraped Vietnamese news.
CASES = [
    ("Hoà bình", "Hòa bình"),
    ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("UỶ BAN", "ỦY BAN"),
    ("chị Thuý", "chị Thúy"),
    ("khoẻ mạnh", "khỏe mạnh"),
    ("hoạ sĩ", "họa sĩ"),
    ("xoá bỏ", "xóa bỏ"),
    ("quý khách", "quý khách"),  # qu + y: the u is part of the consonant
    ("Quỳnh", "Quỳnh"),
    ("hoàng hôn", "hoàng hôn"),  # closed syllable: the tone stays on a
    ("khuya", "khuya"),
    ("thuyền", "thuyền"),
    ("a\u00a0b", "a b"),
    ("a\u200bb", "ab"),
    ("  nhiều   khoảng   trắng  ", "nhiều khoảng trắng"),
    ("Viá»‡t Nam", "Việt Nam"),  # UTF-8 read as cp1252
    ("Tom &amp; Jerry", "Tom & Jerry"),
    ("Tie\u0302\u0301ng Vie\u0323\u0302t", "Tiếng Việt"),  # decomposed -> NFC
]


@pytest.mark.parametrize("raw,want", CASES)
def test_normalize_line(raw, want):
    assert u.normalize_line(raw) == want


def test_tone_table_moves_every_tone_and_keeps_it():
    for old, new in u.TONE_TABLE.items():
        assert old != new
        strip = lambda s: sorted(c for c in unicodedata.normalize("NFD", s) if unicodedata.combining(c))
        assert strip(old) == strip(new), "a tone mark must be moved, never dropped"
    assert len(u.TONE_TABLE) == 3 * 5 * 3  # oa/oe/uy x five tones x three casings


@given(st.text())
def test_normalize_is_idempotent(text):
    once = u.normalize_line(text)
    assert u.normalize_line(once) == once


@given(st.text(alphabet="aàáảãạoòóỏõọeuùúủũụyỳýỷỹỵqhHQOUĐđ \n", max_size=80))
def test_tone_marks_never_lost(text):
    count = lambda s: sum(1 for c in unicodedata.normalize("NFD", s) if c in u.TONES)
    assert count(u.fix_tones(text)) == count(text)


def test_line_emptied_by_normalization_is_recorded():
    doc = u.apply(from_text("x", "x", "Một dòng\n\u200b\u200b\nHai dòng"))
    assert [l.text for l in doc.lines] == ["Một dòng", "Hai dòng"]
    assert [(r.line, r.rule) for r in doc.removed] == [(2, "unicode.empty")]
