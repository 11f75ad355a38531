import tomllib
from pathlib import Path

import pytest

from cleaner.extract import authors, dates

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["byline"], ids=lambda c: c["text"][:40])
def test_byline(case):
    found = authors.parse(case["text"], lexicon=True)
    got = list(found.authors) if found else []
    assert got == case["want"]
    if case.get("rule") and found is not None:
        assert found.rule == case["rule"]
    if "photos" in case:
        assert list(found.photos) == case["photos"]
    if "outlet" in case:
        assert found.outlet == case["outlet"]


@pytest.mark.parametrize("text, want", [
    ("BIẾN ĐỔI KHÍ HẬU - Thanh Tùng - 18:51 31/05/2022", ["Thanh Tùng"]),  # d007: the section is not a name
    ("PV•28/01/2025 08:22", []),  # d028: PV is not a person
])
def test_dated_byline(text, want):
    assert list(authors.dated(dates.scan_line(text)).authors) == want


@pytest.mark.parametrize("text, want", [
    ("Đồng thời động viên cán bộ, chiến sĩ hoàn thành xuất sắc nhiệm vụ trong giai đoạn mới. BĂNG PHƯƠNG", ["Băng Phương"]),  # d050
    ("Hội nghị kết thúc tốt đẹp. VIỆT NAM", []),
    ("Các đại biểu đã thống nhất với đề xuất của UBND tỉnh. Xin cảm ơn", []),
])
def test_trailing_caps(text, want):
    found = authors.trailing_caps(text)
    assert (list(found.authors) if found else []) == want


@pytest.mark.parametrize("raw, want", [("GIANG NAM", "Giang Nam"), ("ĐÌNH VĂN", "Đình Văn"), ("HỮU PHÚC", "Hữu Phúc"),
                                       ("Nguyễn Thị Tuyết Trinh", "Nguyễn Thị Tuyết Trinh"), ("NVCC", "NVCC")])
def test_title_case_keeps_vietnamese_letters(raw, want):
    assert authors.title_case(raw) == want


@pytest.mark.parametrize("text, want", [
    ("Nguyễn Thị Hương - Công chức VH-XH", ["Nguyễn Thị Hương"]),  # heldout h014: the office after the name
    ("ThS.BS Nguyễn Thị Mai", ["Nguyễn Thị Mai"]),  # heldout h021: the academic title is not the name
    ("Ngọc Diệp (thực hiện)", ["Ngọc Diệp"]),  # heldout h010: the interviewer under a Q&A
])
def test_byline_forms_from_unseen_outlets(text, want):
    found = authors.parse(text, lexicon=False)
    assert (list(found.authors) if found else []) == want


@pytest.mark.parametrize("text, want", [
    ("Hoàng An", ("Hoàng An",)), ("Hà Phong", ("Hà Phong",)), ("PGS.TS Lê Văn Tâm", ("Lê Văn Tâm",)),
    ("Bóng đá Việt Nam", None), ("Hà Nội", None), ("Thể Thao", None), ("Xin cảm ơn anh!", None),
])
def test_head_name(text, want):
    assert authors.head_name(text) == want
