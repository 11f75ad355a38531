"""What readers yield, and the byte-level checks they share."""
from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import zstandard

KINDS = ("txt", "jsonl", "parquet")
COMPRESSIONS = (".gz", ".zst", ".zstd")

# Reasons a document is rejected; the same strings appear in the rejects table and the summary.
DECODE_ERROR = "decode_error"
BINARY = "binary"
EMPTY = "empty"
BAD_JSON = "bad_json"
NO_TEXT = "no_text"
READ_ERROR = "read_error"


@dataclass(frozen=True)
class RawDoc:
    source: str
    text: str
    id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reject:
    source: str
    reason: str
    detail: str
    id: str | None = None


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    for c in COMPRESSIONS:
        if name.endswith(c):
            name = name[: -len(c)]
            break
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    return suffix if suffix in KINDS else None


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed as its name says."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")
    if name.endswith((".zst", ".zstd")):
        raw = open(path, "rb")
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))
    return open(path, "rb")


def derive_id(source: str) -> str:
    return hashlib.blake2b(source.encode("utf-8"), digest_size=8).hexdigest()


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head) > 0.1


def decode(data: bytes, where: str) -> tuple[str | None, Reject | None]:
    """UTF-8 text (a BOM is dropped), or a reject that names the line of the first bad byte."""
    if looks_binary(data):
        return None, Reject(where, BINARY, f"{where}: binary data (NUL or control bytes), not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return None, Reject(where, DECODE_ERROR, f"{where}: line {line}: not valid UTF-8 (byte {data[e.start]:#04x} at offset {e.start})")
