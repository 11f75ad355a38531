from pathlib import Path

import pytest

from cleaner import pipeline
from cleaner.config import Config
from cleaner.document import from_text
from cleaner.extract import title

RAW = Path(__file__).resolve().parents[3] / "shared" / "samples" / "raw"  # ../shared beside the checkout


@pytest.mark.parametrize("text, want", [
    ("Sư đoàn 5 tiếp nhận hơn 3.000 chiến sĩ mới năm 2026", True),  # d013
    ("“Thao trường đổ mồ hôi…”", True),  # d031
    ("GIA LAI:", False),  # d021 kicker
    ("Quốc phòng - An ninh > Tin tức Quốc Phòng", False),  # d013 breadcrumb
    ("Trang chủ Hữu nghị Tấm lòng tương trợ", False),  # d033 menu
    ("18:26 | 12/11/2023 GMT+7", False),  # d033 date
    ("Các đại biểu tham dự hội nghị.", False),  # a caption sentence
])
def test_looks_like_title(text, want):
    assert title.looks_like_title(text) is want


@pytest.mark.skipif(not RAW.is_dir(), reason="labelled samples not present")
@pytest.mark.parametrize("name, want", [
    ("d013.txt", "Sư đoàn 5 tiếp nhận hơn 3.000 chiến sĩ mới năm 2026"),  # below the date, under a site name
    ("d033.txt", "Cuộc chiến trong lòng đất: Hành trình dài phía trước"),  # below the date, under a menu
    ("d047.txt", "Sư đoàn 5 tiếp nhận 3.165 chiến sĩ mới"),  # above the date, under a section label
    ("d014.txt", "Khát vọng về hai thành phố tương lai"),  # after a kicker
    ("d007.txt", "Kiểm tra công tác ứng phó, khắc phục hậu quả sạt lở đất tại Thái Nguyên"),  # above a dated byline
])
def test_headline_of_samples(name, want):
    cleaner = pipeline.build(Config())
    doc = cleaner.clean(from_text(name, name, (RAW / name).read_text(encoding="utf-8")))
    assert doc.meta["title"] == want
