"""Metadata from plain text: fields the passes found, and the input's own fields, into the record.

Each filled field names the rule that filled it in `meta_rules`.
"""
from __future__ import annotations

from ..document import Document

NAME = "extract"
INPUT_RULE = "input.field"
STRING_FIELDS = ("title", "url", "published", "domain", "outlet", "page_date")


def apply(doc: Document) -> Document:
    """The input's own fields win; otherwise what the passes lifted (the headline) is kept."""
    values: dict = {}
    rules: list[dict] = []
    for name in STRING_FIELDS:
        given = doc.fields.get(name)
        if isinstance(given, str) and given.strip():
            values[name] = given.strip()
            rules.append({"field": name, "rule": INPUT_RULE})
    if "title" not in values and doc.meta.get("title"):
        values["title"] = doc.meta["title"]
        rules.append({"field": "title", "rule": "title.headline"})
    return doc.with_meta(**values, meta_rules=tuple(rules))
