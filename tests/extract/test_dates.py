"""Dates: one line at a time (table in cases.toml), and the choice over whole sample documents."""
import tomllib
from pathlib import Path

import pytest

from cleaner.extract import dates

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["date_line"], ids=lambda c: c["text"][:40])
def test_date_line(case):
    found = dates.scan_line(case["text"])
    rule = dates.classify(found) if found else None
    if not case["want"]:
        assert found is None or rule is None
    else:
        assert found is not None and found.when.iso() == case["want"]
        assert rule == case["rule"]


@pytest.mark.parametrize("case", CASES["dateline"], ids=lambda c: c["text"][:40])
def test_dateline(case):
    found = dates.dateline_day(case["text"])
    if not case["want"]:
        assert found is None
    else:
        day, month, year = case["want"]
        assert found == (day, month, year or None)


def test_year_from_url_needs_the_same_month():
    url = "http://baohagiang.vn/tin-noi-bat/202305/hoi-nghi-69872e3/"
    assert dates.year_from_url(url, 5) == 2023
    assert dates.year_from_url(url, 11) is None
    assert dates.year_from_url(None, 5) is None


@pytest.mark.parametrize("paragraph, lead, day, month, want", [
    ("Sáng 13/02, Ủy ban MTTQ tổ chức chương trình nhân dịp Tết Nguyên đán Bính Ngọ năm 2026.", "", 13, 2, 2026),
    ("Chiều 30/12, tổ chức Hội nghị tổng kết công tác năm 2022, triển khai nhiệm vụ công tác năm 2023.",
     "(ĐCSVN) - Tính đến ngày 28/12/2022, thiên tai đã làm 175 người chết", 30, 12, 2022),
    ("Chiều 9-2, đồng chí Nguyễn Văn Sơn đã đến thăm, tặng quà Tết các gia đình chính sách.", "", 9, 2, None),
    ("Sáng 5/1, hội nghị tổng kết công tác năm 2023 được tổ chức.", "", 5, 1, None),  # the year before
    ("Sáng 12/5, hội thảo về mục tiêu đến năm 2030 của tỉnh.", "", 12, 5, None),  # a target year
    ("Sáng 12/5, hội nghị năm 2022 bàn kế hoạch năm 2023.", "", 12, 5, None),  # two years: not sure
])
def test_year_from_text(paragraph, lead, day, month, want):
    assert dates.year_from_text(day, month, paragraph, lead) == want


def test_make_date_validates():
    assert dates.make_date(2024, 2, 29) is not None
    assert dates.make_date(2023, 2, 29) is None
    assert dates.make_date(1899, 1, 1) is None
    assert dates.make_time(12, 5, "AM") == (0, 5)
    assert dates.make_time(1, 30, "PM") == (13, 30)
    assert dates.make_time(25, 0, None) is None
