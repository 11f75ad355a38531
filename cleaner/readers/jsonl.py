"""A `.jsonl` file holds one JSON object per line with a `text` field; other fields are carried along."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .base import BAD_JSON, EMPTY, NO_TEXT, READ_ERROR, RawDoc, Reject, decode, open_binary


def read_jsonl(path: Path, source: str) -> Iterator[RawDoc | Reject]:
    n = 0
    try:
        with open_binary(path) as f:
            for n, raw in enumerate(f, 1):
                if raw.strip():
                    yield parse_line(raw, f"{source}:{n}")
    except (OSError, EOFError, ValueError) as e:  # truncated or corrupt compressed stream
        yield Reject(f"{source}:{n + 1}", READ_ERROR, f"{source}: line {n + 1}: cannot read on: {e}")


def parse_line(raw: bytes, where: str) -> RawDoc | Reject:
    line, reject = decode(raw, where)
    if reject:
        return reject
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return Reject(where, BAD_JSON, f"{where}: not JSON: {e.msg} at column {e.colno}")
    if not isinstance(obj, dict):
        return Reject(where, BAD_JSON, f"{where}: a JSON {type(obj).__name__}, not an object")
    doc_id = obj.get("id")
    doc_id = None if doc_id is None else str(doc_id)
    text = obj.get("text")
    if not isinstance(text, str):
        what = "no `text` field" if text is None else f"`text` is a {type(text).__name__}, not a string"
        return Reject(where, NO_TEXT, f"{where}: {what}", doc_id)
    if not text.strip():
        return Reject(where, EMPTY, f"{where}: `text` is empty", doc_id)
    fields = {k: v for k, v in obj.items() if k not in ("text", "id")}
    return RawDoc(source=where, text=text, id=doc_id, fields=fields)
