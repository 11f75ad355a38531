"""Metadata on real text (issue 12): published only from a date line, header, label or dateline; a title is
never a tag, breadcrumb, link or labelled field of another kind; a site's home is not the article's URL."""
from __future__ import annotations

import pytest

from cleaner.config import Config
from cleaner.document import from_text
from cleaner.pipeline import build, to_record

BODY = ("Sáng 24/1, Quốc hội đã biểu quyết thông qua Luật Đất đai sửa đổi với 432 đại biểu tán thành, chiếm "
        "87,63% tổng số đại biểu Quốc hội.\nLuật có hiệu lực từ ngày 1/1/2025, trừ một số điều khoản có hiệu lực "
        "sớm hơn theo quy định của luật này.")


@pytest.fixture(scope="module")
def cleaner():
    return build(Config())


def record(cleaner, text: str) -> dict:
    return to_record(cleaner.clean(from_text("x", "x.txt", text)))


def test_a_breadcrumb_glued_to_the_date_gives_the_date_and_the_headline_after_it(cleaner):
    r = record(cleaner, "Thời sựChính trịThứ tư, 24/1/2024, 17:22\n"
                        "Quốc hội thông qua luật đất đai sửa đổi với đa số phiếu tán thành\n" + BODY)
    assert r["published"] == "2024-01-24T17:22"
    assert r["title"] == "Quốc hội thông qua luật đất đai sửa đổi với đa số phiếu tán thành"


def test_a_date_the_sentence_is_about_is_no_published_date(cleaner):
    r = record(cleaner, "Đức cha dâng lễ tại nhà thờ xứ Tân Bình\nNgày 21.4.2024 là ngày hồng phúc với giáo xứ "
                        "Tân Bình, giáo hạt Tuyên Quang, khi lần đầu tiên đón Đức cha đến kinh lý.\n" + BODY)
    assert r["published"] is None


def test_a_crawlers_labelled_record_gives_its_title_url_and_time(cleaner):
    r = record(cleaner, "LIÊN KẾT: https://zingnews.vn/sudio-ra-mat-loat-san-pham-post1023099.html\n"
                        "CHUYÊN MỤC: Đời sống\nTIÊU ĐỀ: Sudio ra mắt loạt sản phẩm tai nghe tại Việt Nam\n"
                        "THỜI GIAN: 10:00 09/12/2019\nNỘI DUNG:\n" + BODY)
    assert r["title"] == "Sudio ra mắt loạt sản phẩm tai nghe tại Việt Nam"
    assert r["url"] == "https://zingnews.vn/sudio-ra-mat-loat-san-pham-post1023099.html"
    assert r["published"].startswith("2019-12-09")


def test_no_other_labelled_field_is_a_title_and_a_two_digit_year_stamp_is_read(cleaner):
    r = record(cleaner, "Source: Chính Phủ\nDescription: 08/08/20 09:38 GMT+7\n" + BODY)
    assert r["title"] is None or not r["title"].lower().startswith(("description", "source"))
    assert r["published"] == "2020-08-08T09:38"


def test_an_arrow_link_is_no_headline_and_goes_as_a_related_link(cleaner):
    r = record(cleaner, "> Thổ Nhĩ Kỳ dốc sức tìm kiếm các nạn nhân\n" + BODY)
    assert r["title"] is None
    assert [(x["line"], x["rule"]) for x in r["removed"]] == [(1, "related.arrow_link")]


def test_a_sites_home_is_not_the_articles_url(cleaner):
    r = record(cleaner, BODY + "\nhttp://baolamdong.vn")
    assert r["url"] is None and "http://baolamdong.vn" in r["urls"]
