"""What readers yield, and the byte-level checks they share."""
from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import zstandard

from . import encoding

KINDS = ("txt", "jsonl", "parquet")
COMPRESSIONS = (".gz", ".zst", ".zstd")

# Reasons a document is rejected; the same strings appear in the rejects table and the summary.
DECODE_ERROR = encoding.DECODE_ERROR
BINARY = encoding.BINARY
EMPTY = "empty"
BAD_JSON = "bad_json"
NO_TEXT = "no_text"
READ_ERROR = "read_error"
TOO_LARGE = "too_large"
TOO_LONG = "too_long"
# Reasons that mean the input itself is bad (not a judgement of the cleaning): `--fail-on-rejects` counts these.
INPUT_REASONS = frozenset({DECODE_ERROR, BINARY, EMPTY, BAD_JSON, NO_TEXT, READ_ERROR, TOO_LARGE, TOO_LONG})

# A news document is never this big; a bigger one is a dump or a blob, rejected before it costs memory.
MAX_DOC_BYTES = 64 << 20
# Nor is a paragraph this long (a minified page, base64...). The passes are linear, but a 50 MB
# line would take a minute; it is rejected with its line number instead.
MAX_LINE_CHARS = 1_000_000

# What reading a damaged file or compressed stream can raise.
STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


@dataclass(frozen=True)
class RawDoc:
    source: str
    text: str
    id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None  # how the bytes were decoded (utf-8, cp1258, ...); None when the input was text already


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


class _ZstdStream(io.RawIOBase):
    """Decompressed zstd frames, one after another; a stream that stops inside a frame raises EOFError
    (the library's own reader would end quietly and a truncated file would pass for a short one)."""

    def __init__(self, raw: IO[bytes]):
        self.raw, self.dec, self.pending = raw, None, b""
        self.buf, self.pos, self.in_frame = b"", 0, False

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while self.pos >= len(self.buf):
            data, self.pending = (self.pending, b"") if self.pending else (self.raw.read(1 << 17), b"")
            if not data:
                if self.in_frame:
                    raise EOFError("zstd stream ended inside a frame (truncated file?)")
                return 0
            if self.dec is None or self.dec.eof:
                self.dec = zstandard.ZstdDecompressor().decompressobj()
            try:
                self.buf, self.pos = self.dec.decompress(data), 0
            except zstandard.ZstdError as e:
                raise OSError(f"corrupt zstd stream: {e}") from None
            self.in_frame = not self.dec.eof
            if self.dec.eof:
                self.pending = self.dec.unused_data
        n = min(len(b), len(self.buf) - self.pos)
        b[:n] = self.buf[self.pos:self.pos + n]
        self.pos += n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed as its name says (buffered, so `peek` works)."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return io.BufferedReader(gzip.open(path, "rb"))
    if name.endswith((".zst", ".zstd")):
        return io.BufferedReader(_ZstdStream(open(path, "rb")))
    return open(path, "rb")


def derive_id(source: str) -> str:
    return hashlib.blake2b(source.encode("utf-8"), digest_size=8).hexdigest()


def decode(data: bytes, where: str) -> tuple[str | None, str | None, Reject | None]:
    """(text, encoding, None), or (None, None, a reject naming `where` and the line) for bytes that are not text."""
    text, how, problem = encoding.decode(data)
    if text is None:
        return None, None, Reject(where, how, f"{where}: {problem}")
    return text, how, None


def long_line(text: str, where: str, doc_id: str | None = None) -> Reject | None:
    """A reject when a line of `text` is longer than MAX_LINE_CHARS, naming the first such line."""
    if len(text) <= MAX_LINE_CHARS:
        return None
    start, no = 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            return Reject(where, TOO_LONG, f"{where}: line {no} is {end - start:,} characters long "
                                           f"(limit {MAX_LINE_CHARS:,}): not prose; split it into lines", doc_id)
        start, no = end + 1, no + 1
    return None
