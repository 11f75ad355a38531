"""Metadata from plain text: title, URLs, publication date, authors, photo credits, outlet.

Each extractor is a module of small pure functions over a `View` of the
document (every line in raw order, kept or removed with its rule); patterns and
word lists are data (patterns.toml, outlets.toml). The input's own fields
win; otherwise a field is filled only when a rule is sure, and `meta_rules`
names, for each filled field, the rule (`family.name`) that filled it.
"""
from __future__ import annotations

from typing import Any

from ..document import Document
from . import authors, credits, dates, outlets, title, urls
from .view import View

NAME = "extract"
INPUT_RULE = "input.field"
STRING_FIELDS = ("title", "url", "published", "domain", "outlet", "page_date")
LIST_FIELDS = ("authors", "urls", "photo_credits")


def _given(doc: Document) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in STRING_FIELDS:
        value = doc.fields.get(name)
        if isinstance(value, str) and value.strip():
            out[name] = value.strip()
    for name in LIST_FIELDS:
        value = doc.fields.get(name)
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            out[name] = tuple(v.strip() for v in value if v.strip())
    return out


def extract(doc: Document) -> tuple[dict[str, Any], dict[str, str], int | None]:
    """(values, field -> rule, the headline's line number) found in the text alone."""
    view = View.of(doc)
    values: dict[str, Any] = {}
    rules: dict[str, str] = {}

    def put(field: str, value: Any, rule: str | None) -> None:
        if value and rule and field not in values:
            values[field] = value
            rules[field] = rule

    lifted = doc.meta.get("title")
    lifted_rule = next((r.rule for r in doc.removed if r.rule.startswith("title.") and r.text == lifted), None)
    headline, rule, headline_no = title.find(view, lifted, lifted_rule or "title.headline")
    put("title", headline, rule)

    found_urls = urls.all_urls(view)
    put("urls", tuple(found_urls), urls.FOUND)
    url, rule = urls.article_url(view)
    put("url", url, rule)
    if url:
        put("domain", urls.host(url), urls.DOMAIN)

    when = dates.published(view, headline_no, url)
    if when["published"]:
        put("published", when["published"].iso(), when["published_rule"])
    if when["page_date"] and (not when["published"] or when["page_date"] != when["published"]):
        put("page_date", when["page_date"].iso(), when["page_rule"])

    byline = authors.find(view)
    put("authors", byline.authors, byline.rule)

    photos = tuple(dict.fromkeys(byline.photos + credits.find(view)))
    put("photo_credits", photos, authors.TIN_ANH if byline.photos else credits.CAPTION)

    put("outlet", outlets.dateline_outlet(view), outlets.DATELINE_CODE)
    put("outlet", byline.outlet, byline.outlet_rule)
    put("outlet", outlets.by_domain(values.get("domain")), outlets.DOMAIN)
    put("outlet", outlets.theo_line(view), outlets.THEO_BAO)
    put("outlet", outlets.source_code(view), outlets.SOURCE_CODE)
    return values, rules, headline_no


def apply(doc: Document) -> Document:
    """The input's own fields win; the text fills the rest where a rule is sure.

    A kept line found to be the headline leaves the body under the finder's rule: a record's title is
    never also a line of its text, so cleaning the record again (with that title) changes nothing."""
    given = _given(doc)
    found, found_rules, headline_no = extract(doc)
    if "title" not in given and headline_no is not None and found_rules["title"] != title.GLUED and len(doc.lines) > 1:
        if any(line.no == headline_no for line in doc.lines):
            doc = doc.drop({headline_no: found_rules["title"]})
    values = {**found, **given}
    rules = [{"field": name, "rule": INPUT_RULE if name in given else found_rules[name]} for name in values]
    order = ("title", "url", "published", "authors", "urls", "domain", "outlet", "photo_credits", "page_date")
    rules.sort(key=lambda r: order.index(r["field"]) if r["field"] in order else len(order))
    return doc.with_meta(**values, meta_rules=tuple(rules))
