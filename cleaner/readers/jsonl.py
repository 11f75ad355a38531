"""A `.jsonl` file holds one JSON object per line with a `text` field; other fields are carried along.

Each line is decoded on its own (UTF-8, else the legacy encodings of `encoding.py`); a file that
starts UTF-16 (BOM, or NULs at every other byte) is read as UTF-16 throughout. A line is read
with a bounded buffer, so a file with no newline cannot fill memory.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, Iterator

from .base import (BAD_JSON, DECODE_ERROR, EMPTY, MAX_DOC_BYTES, NO_TEXT, READ_ERROR, STREAM_ERRORS, TOO_LARGE, RawDoc, Reject,
                   decode, id_of, long_line, open_binary)
from .encoding import sniff_utf16


def read_jsonl(path: Path, source: str, start: int = 0, stop: int | None = None,
               first_line: int = 1) -> Iterator[RawDoc | Reject]:
    """Every line's document; with `start`/`stop` (a plain file only), the lines that start in that byte range."""
    n = first_line - 1
    try:
        with open_binary(path) as f:
            codec = sniff_utf16(f.peek(4096)[:4096])
            if start:
                f.seek(start)
            lines = _text_lines(f, codec) if codec else _byte_lines(f, stop)
            for n, raw in enumerate(lines, first_line):
                where = f"{source}:{n}"
                if raw is None:
                    yield Reject(where, TOO_LARGE, f"{where}: line over {MAX_DOC_BYTES >> 20} MiB: not one document")
                elif raw.strip():
                    if isinstance(raw, str):
                        yield parse_text(raw, where, codec)
                    else:
                        yield parse_line(raw, where)
    except (*STREAM_ERRORS, ValueError) as e:  # truncated or corrupt compressed stream, bad UTF-16
        yield Reject(f"{source}:{n + 1}", READ_ERROR, f"{source}: line {n + 1}: cannot read on: {e}")


CHUNK = 1 << 20


def _byte_lines(f: IO[bytes], stop: int | None = None) -> Iterator[bytes | None]:
    """Lines as bytes (those starting before byte `stop`); None for a line longer than MAX_DOC_BYTES,
    which is skipped, not held: a line longer than a chunk is measured first (read on to its end,
    holding one chunk at a time) and read whole only if it fits, so a 1 GB line costs 1 MiB. A stream
    that cannot seek (a .gz or .zst file) holds up to MAX_DOC_BYTES of it instead."""
    seekable = _plain(f)
    while True:
        if stop is not None and f.tell() >= stop:
            return
        line = f.readline(CHUNK)
        if not line:
            return
        if line.endswith(b"\n") or len(line) < CHUNK:
            yield line
            continue
        if seekable:
            start = f.tell() - len(line)
            length = len(line) + _skip_line(f)
            if length > MAX_DOC_BYTES:
                yield None
                continue
            f.seek(start)
            yield f.read(length)
            continue
        parts, size = [line], len(line)
        while size <= MAX_DOC_BYTES and not parts[-1].endswith(b"\n"):
            part = f.readline(CHUNK)
            if not part:
                break
            parts.append(part)
            size += len(part)
        if size > MAX_DOC_BYTES:
            last = parts[-1]
            parts.clear()
            if not last.endswith(b"\n"):
                _skip_line(f)
            yield None
        else:
            yield b"".join(parts)


def _plain(f: IO[bytes]) -> bool:
    """A file on disk, read as it is (not through a decompressor)."""
    raw = getattr(f, "raw", None)
    return isinstance(raw, io.FileIO) and f.seekable()


def _skip_line(f: IO[bytes]) -> int:
    """Read on to just after the next newline (or the end), one chunk at a time; the bytes passed."""
    passed = 0
    while True:
        chunk = f.readline(CHUNK)
        passed += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return passed


def _text_lines(f: IO[bytes], codec: str) -> Iterator[str | None]:
    text = io.TextIOWrapper(f, encoding=codec, newline="")
    while True:
        line = text.readline(MAX_DOC_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_DOC_BYTES and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = text.readline(1 << 20)
            yield None
        else:
            yield line


def parse_line(raw: bytes, where: str) -> RawDoc | Reject:
    line, encoding, reject = decode(raw, where)
    return reject or parse_text(line, where, encoding)


def parse_text(line: str, where: str, encoding: str | None) -> RawDoc | Reject:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return Reject(where, BAD_JSON, f"{where}: not JSON: {e.msg} at column {e.colno}")
    except RecursionError:
        return Reject(where, BAD_JSON, f"{where}: not JSON: nested too deeply")
    if not isinstance(obj, dict):
        return Reject(where, BAD_JSON, f"{where}: a JSON {type(obj).__name__}, not an object")
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as e:  # "\ud800" is valid JSON but not text, and cannot be written out
        return Reject(where, DECODE_ERROR, f"{where}: a lone surrogate {e.object[e.start]!r} (\\u escape) is not "
                                           f"valid Unicode")
    doc_id, note = id_of(obj.get("id"), where)
    text = obj.get("text")
    if not isinstance(text, str):
        what = "no `text` field" if text is None else f"`text` is a {type(text).__name__}, not a string"
        return Reject(where, NO_TEXT, f"{where}: {what}", doc_id)
    if not text.strip():
        return Reject(where, EMPTY, f"{where}: `text` is empty", doc_id)
    fields = {k: v for k, v in obj.items() if k not in ("text", "id")}
    return long_line(text, where, doc_id) or RawDoc(source=where, text=text, id=doc_id, fields=fields, encoding=encoding,
                                                    notes=(note,) if note else ())
