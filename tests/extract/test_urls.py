import tomllib
from pathlib import Path

import pytest

from cleaner.extract import urls

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["source_url"], ids=lambda c: c["text"][:40])
def test_source_url(case):
    assert (urls.source_url(case["text"]) or "") == case["want"]


@pytest.mark.parametrize("case", CASES["find_urls"], ids=lambda c: c["text"][:40])
def test_find_urls(case):
    assert urls.find_urls(case["text"]) == case["want"]


@pytest.mark.parametrize("raw, want", [
    ("HTTP://BaoHaGiang.VN/Tin/ABC.html).", "http://baohagiang.vn/Tin/ABC.html"),
    ("  https://vi.wikipedia.org/wiki/Hà_Nội_(định_hướng)  ", "https://vi.wikipedia.org/wiki/Hà_Nội_(định_hướng)"),
    ("www.VietnamPlus.vn/abc?x=1,", "www.vietnamplus.vn/abc?x=1"),
])
def test_normalize_changes_only_case_and_trailing_punctuation(raw, want):
    assert urls.normalize(raw) == want


def test_host_drops_www():
    assert urls.host("http://www.baohagiang.vn/a") == "baohagiang.vn"
    assert urls.host("vov4.vn") == "vov4.vn"
