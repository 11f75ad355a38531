"""Invariants of the whole pipeline on arbitrary text: nothing lost, nothing counted twice, stable."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings, strategies as st

from cleaner.config import Config
from cleaner.document import from_text, split_lines
from cleaner.pipeline import build, judge, to_record
from cleaner.readers import RawDoc
from profiles import examples

CLEANER = build(Config())

# Lines shaped like scraped news: body sentences, junk, repeats, odd Unicode.
JUNK = ["Tin, ảnh: Duy Tuấn", "Ảnh: Kim Hồng |", "Ý kiến bạn đọc", "Trả lời", "12:17, 22/08/2023", "Các tin khác:",
        "Trang chủ", "Chia sẻ", "<img src=\"a.jpg\">", "Theo TTXVN", "Quảng cáo", "", "   ", "\u200b", "\u00a0"]
BODY = ["Chiều 18.5, Đảng ủy Quân sự tỉnh tổ chức hội nghị sơ kết giữa nhiệm kỳ.",
        "Hoà bình là khát vọng của nhân dân, uỷ ban đã họp bàn nhiều lần về vấn đề này.",
        "Các đại biểu dự hội nghị", "Ông nói: “Chúng tôi sẽ làm hết sức mình”"]
# What ends a line (document.split_lines), and entities that decode to a line break inside a line.
BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085"]
ENTITY_BREAKS = ["Hà Nội&#10;Đà Nẵng", "a&#13;b", "Theo&#x2028;TTXVN", "x&#133;y", "&#8233;"]
line = st.one_of(st.sampled_from(JUNK + BODY), st.text(max_size=60))
doc_text = st.lists(line, max_size=25).map(lambda ls: "\n".join(ls)) | st.text(max_size=300)
# the same, with every kind of line break between lines and entities that decode to one inside a line
any_line = st.one_of(st.sampled_from(JUNK + BODY + ENTITY_BREAKS), st.text(max_size=60))
doc_text_breaks = doc_text | st.lists(st.tuples(any_line, st.sampled_from(BREAKS)), max_size=25).map(
    lambda ps: "".join(l + b for l, b in ps))


def nonblank(text: str) -> set[int]:
    return {no for no, t in enumerate(split_lines(text), 1) if t.strip()}


@settings(max_examples=examples(300))
@given(doc_text_breaks)
@example("Tiêu đề bài báo\rNgười dân ở Đà Nẵng&#10;cho biết\u2028họ đã chuẩn bị\u0085Theo TTXVN\r\n")
def test_every_nonblank_raw_line_is_kept_or_removed_exactly_once(text):
    doc = CLEANER.clean(from_text("id", "src", text))
    kept = [line.no for line in doc.lines]
    gone = [r.line for r in doc.removed]
    assert len(set(kept)) == len(kept) and len(set(gone)) == len(gone)
    assert not set(kept) & set(gone)
    assert set(kept) | set(gone) == nonblank(text)
    assert doc.text == "\n".join(line.text for line in doc.lines)
    assert len(split_lines(doc.text)) == len(doc.lines) or not doc.lines, "no line break inside a kept line"
    assert all(r.rule.count(".") == 1 for r in doc.removed), "every removal names a family.rule id"


@settings(max_examples=examples(200))
@given(doc_text)
# the body started past the head window until the counters went; the extracted title stayed in the text
@example("Các đại biểu dự hội nghị\nÔng nói: “Chúng tôi sẽ làm hết sức mình”\n0\n0\n0\n0\n0\n0\n0\n"
         "Chiều 18.5, Đảng ủy Quân sự tỉnh tổ chức hội nghị sơ kết giữa nhiệm kỳ.")
# the headline next to the date left the body after the structural decisions, which it had changed
@example("12:17, 22/08/2023\n000A{\n0\n0000000000 0 A")
# found by the line-break strategy: a date line and the headline leave, and `00000` was a tail fragment
# only on the second cleaning
@example("12:17, 22/08/2023\nHà Nội Đà Nẵng\n00000\nÔng nói: “Chúng tôi sẽ làm hết sức mình”")
# found by the explore profile: on a page with no paragraph the tail window was the last eight lines, so
# eight bylines kept the outlet code `A0` out of it, and once they were gone it was in
@example("0\nA0\n" + "\n".join(["Tin, ảnh: Duy Tuấn"] * 8))
def test_cleaning_the_output_again_changes_nothing(text):
    first = CLEANER.clean(from_text("id", "src", text))
    fields = {"title": first.meta["title"]} if first.meta.get("title") else {}
    second = CLEANER.clean(from_text("id", "src", first.text, fields))
    assert second.text == first.text
    assert not second.removed


def test_record_matches_the_contract(examples):
    raw = RawDoc(source="001.txt", text=(examples / "001_7c610d985df96e1a.txt").read_text(encoding="utf-8"))
    rec = to_record(judge(CLEANER, raw))
    assert rec["source"] == "001.txt" and rec["id"] and rec["lang"] == "vi" and 0.5 < rec["lang_prob"] <= 1
    assert rec["title"] and rec["title"] not in rec["text"].split("\n")
    assert all(set(r) == {"line", "rule", "text"} for r in rec["removed"])


def test_language_filter_rejects_other_languages():
    cleaner = build(Config(lang="vi"))
    english = RawDoc(source="en.txt", text="The quick brown fox jumps over the lazy dog.\nIt was a sunny day in London and everyone was outside.")
    got = judge(cleaner, english)
    assert got.reason == "lang" and "en" in got.detail


def test_language_detection_is_seeded():
    text = "Hôm nay trời đẹp. Today is a nice day. Aujourd'hui il fait beau."
    results = {judge(CLEANER, RawDoc(source="m.txt", text=text)).meta["lang_prob"] for _ in range(5)}
    assert len(results) == 1
