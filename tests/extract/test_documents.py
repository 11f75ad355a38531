"""Whole sample documents through the pipeline: the metadata record and the rule behind each field."""
from pathlib import Path

import pytest

from cleaner import pipeline
from cleaner.config import Config
from cleaner.document import from_text

RAW = Path(__file__).resolve().parents[3] / "shared" / "samples" / "raw"  # ../shared beside the checkout
pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason="labelled samples not present")


@pytest.fixture(scope="module")
def clean():
    cleaner = pipeline.build(Config())

    def run(name: str):
        path = RAW / name
        return cleaner.clean(from_text(name, str(path), path.read_text(encoding="utf-8")))
    return run


def rules(doc) -> dict:
    return {r["field"]: r["rule"] for r in doc.meta["meta_rules"]}


def test_source_line_gives_url_domain_and_dateline_year(clean):
    doc = clean("001_7c610d985df96e1a.txt")
    assert doc.meta["url"].startswith("http://baohagiang.vn/tin-noi-bat/202305/")
    assert doc.meta["domain"] == "baohagiang.vn"
    assert doc.meta["published"] == "2023-05-18"  # "Chiều 18.5" + /202305/
    assert doc.meta["authors"] == ("Duy Tuấn", "Hoàng Tuyến")
    assert doc.meta["outlet"] == "Báo Hà Giang"
    assert rules(doc)["url"] == "url.source_line" and rules(doc)["published"] == "date.dateline_url_year"


def test_page_clock_is_not_the_publication_date(clean):
    doc = clean("003_e464a7bea3537786.txt")
    assert doc.meta["published"] == "2021-04-07"
    assert doc.meta["page_date"] == "2024-04-20T12:52"


def test_year_from_a_full_date_in_the_lead(clean):
    assert clean("d008.txt").meta["published"] == "2022-12-30"


def test_dateline_without_a_year_gives_no_date(clean):
    for name in ("d025.txt", "d036.txt", "d024.txt"):  # "Sáng 13-3", "Chiều 9-2", "Ngày 11/6": no year anywhere
        assert clean(name).meta.get("published") is None


def test_body_dates_are_not_the_publication_date(clean):
    doc = clean("d001.txt")  # "tháng 8/2023" in a caption, "hôm 16/3" in the body
    assert doc.meta.get("published") is None


def test_pv_is_not_a_person(clean):
    doc = clean("d028.txt")
    assert doc.meta.get("authors", ()) == ()
    assert doc.meta["published"] == "2025-01-28T08:22"


def test_every_filled_field_names_its_rule(clean):
    for path in sorted(RAW.glob("*.txt")):
        doc = clean(path.name)
        named = rules(doc)
        for field in ("title", "url", "published", "authors", "urls", "domain", "outlet", "photo_credits", "page_date"):
            if doc.meta.get(field):
                assert field in named, (path.name, field)
                family, _, name = named[field].partition(".")
                assert family and name, named[field]
