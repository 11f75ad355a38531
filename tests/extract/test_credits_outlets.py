import tomllib
from pathlib import Path

import pytest

from cleaner.extract import credits, outlets

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["credit"], ids=lambda c: c["text"][:40])
def test_credit(case):
    assert list(credits.credit(case["text"])) == case["want"]


@pytest.mark.parametrize("case", CASES["dateline_code"], ids=lambda c: c["text"][:40])
def test_dateline_code(case):
    code, _ = outlets.split_dateline_code(case["text"])
    assert (code or "") == case["code"]
    assert (outlets.by_code(code) or "") == case["want"]


def test_domain_table():
    assert outlets.by_domain("baohagiang.vn") == "Báo Hà Giang"
    assert outlets.by_domain("m.ngoisao.vn") == "Ngôi Sao"
    assert outlets.by_domain("notanoutlet.vn") is None
    assert outlets.by_domain("vnexpress.net.evil.com") is None


def test_outlet_table_is_well_formed():
    from cleaner.extract.data import outlet_table

    seen_codes: dict[str, str] = {}
    for outlet in outlet_table():
        assert outlet["name"] and isinstance(outlet["codes"], list) and isinstance(outlet["domains"], list)
        for code in outlet["codes"]:
            key = " ".join(code.split()).casefold()
            assert seen_codes.setdefault(key, outlet["name"]) == outlet["name"], f"code {code} names two outlets"
