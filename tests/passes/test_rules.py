"""The rules and title passes on shapes found in tests/fixtures/heldout3: what must go and what must stay."""
from __future__ import annotations

from pathlib import Path

from cleaner.config import Config
from cleaner.document import from_text
from cleaner.passes import rules, title
from cleaner.pipeline import build

CLEANER = build(Config())
HELDOUT3 = Path(__file__).resolve().parents[1] / "fixtures" / "heldout3"
LEDE = ("(Baothanhhoa.vn) - Sáng 30/12, Tỉnh ủy, HĐND, UBND tỉnh tổ chức hội nghị công bố nghị quyết "
        "của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã.")
BODY = "Theo nghị quyết, thị xã Nghi Sơn sau sắp xếp có 28 đơn vị hành chính cấp xã, gồm 16 phường và 12 xã."


def kept(text: str) -> list[str]:
    return CLEANER.clean(from_text("id", "src", text)).text.split("\n")


def test_a_caption_shaped_sentence_that_reports_speech_is_body():
    raw = (HELDOUT3 / "raw" / "x016.txt").read_text(encoding="utf-8")
    line = "Đồng chí Đỗ Trọng Hưng phát biểu chỉ đạo hội nghị, yêu cầu các cấp ủy, chính quyền sớm ổn định tổ chức bộ máy."
    caption = "Đồng chí Đỗ Trọng Hưng, Bí thư Tỉnh ủy phát biểu chỉ đạo hội nghị."
    assert line in raw and caption in raw
    out = kept(raw)
    assert line in out and caption not in out
    assert rules.reports_speech(line) and not rules.reports_speech(caption)


def test_a_date_line_under_the_headline_is_not_the_headline():
    text = "\n".join(["Báo Hà Tĩnh", "Hà Tĩnh ra quân thu hoạch lúa hè thu chạy bão", "Cập nhật: 17:20 05/09/2024", "", LEDE])
    doc = CLEANER.clean(from_text("id", "src", text))
    assert doc.meta["title"] == "Hà Tĩnh ra quân thu hoạch lúa hè thu chạy bão"
    assert doc.meta["published"] == "2024-09-05T17:20"
    assert not title.looks_like_title("Thứ bảy, 02/11/2024 22:40 (GMT+07:00)")


def test_decimal_table_cells_stay():
    cells = ["Thu nội địa", "1.345,1", "93,6", "Thu từ dầu thô", "48,2", "104,8"]
    out = kept("\n".join([LEDE, "Bảng: Kết quả thu ngân sách 10 tháng năm 2024", *cells, BODY]))
    assert all(c in out for c in cells)


def test_a_tail_rule_takes_nothing_above_the_last_paragraph():
    text = "\n".join(["Chiều 18.5, Đảng ủy Quân sự tỉnh tổ chức hội nghị sơ kết giữa nhiệm kỳ.", "A0000", *["Tin, ảnh: Duy Tuấn"] * 7,
                      "Hòa bình là khát vọng của nhân dân, ủy ban đã họp bàn nhiều lần về vấn đề này."])
    first = CLEANER.clean(from_text("id", "src", text))
    assert CLEANER.clean(from_text("id", "src", first.text)).text == first.text
