"""What readers yield, and the byte-level checks they share."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import zstandard

from ..document import LINE_BREAK
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
OUTSIDE_INPUT = "outside_input"  # a symlink inside an input folder that leads out of it (without --follow-symlinks)
NOT_A_FILE = "not_a_file"  # a FIFO, socket or device: never opened (a FIFO would block the run, /dev/zero never ends)
LEGACY_ENCODING = encoding.LEGACY_ENCODING
# Reasons that mean the input itself is bad (not a judgement of the cleaning): `--fail-on-rejects` counts these.
INPUT_REASONS = frozenset({DECODE_ERROR, BINARY, EMPTY, BAD_JSON, NO_TEXT, READ_ERROR, TOO_LARGE, TOO_LONG,
                           OUTSIDE_INPUT, NOT_A_FILE, LEGACY_ENCODING})

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
    notes: tuple[str, ...] = ()  # warnings about a document that was read (an id that had to be converted)


@dataclass(frozen=True)
class Reject:
    source: str
    reason: str
    detail: str
    id: str | None = None
    removed: tuple = ()  # a document rejected after cleaning: its removals (document.Removal), for the audit


def shown(name: str) -> str:
    """A file name as text that can be written anywhere: bytes that are not UTF-8 (kept by the file
    system as surrogate escapes) become backslash escapes, so b"caf\\xe9.txt" is shown `caf\\xe9.txt`.

    >>> shown("caf\\udce9.txt")
    'caf\\\\xe9.txt'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def not_a_file(path: Path | str) -> str | None:
    """Why `path` (followed if a symlink) must not be opened: a FIFO, socket or device; None for a regular
    file, and for a path that cannot be stat-ed (its reader then records the read_error)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
            else "a character device" if stat.S_ISCHR(st.st_mode) else "a block device" if stat.S_ISBLK(st.st_mode)
            else "not a regular file")
    return f"{kind}, not a regular file: not opened"


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


def id_of(value: Any, where: str) -> tuple[str | None, str | None]:
    """(id, note) for an input's own `id` value: a string as it is; a whole number as its decimal digits
    (`1` -> "1"); any other JSON value (true, 1.5, a list, an object) as its compact JSON text
    (`true` -> "true", `{"a": 1}` -> '{"a":1}'), never a Python repr. A missing, null or empty id gives
    None (the id is then derived from the source). The note, a warning, says when the value was not a string.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
        except (TypeError, ValueError):
            text = str(value)
    kind = ("a boolean" if isinstance(value, bool) else "a number" if isinstance(value, (int, float))
            else "an array" if isinstance(value, (list, tuple)) else "an object" if isinstance(value, dict)
            else f"a {type(value).__name__}")
    return text, f"{where}: `id` is {kind}, not a string: used as {text!r}"


def derive_id(source: str) -> str:
    return hashlib.blake2b(source.encode("utf-8"), digest_size=8).hexdigest()


def decode(data: bytes, where: str) -> tuple[str | None, str | None, Reject | None]:
    """(text, encoding, None), or (None, None, a reject naming `where` and the line) for bytes that are not text."""
    text, how, problem = encoding.decode(data)
    if text is None:
        return None, None, Reject(where, how, f"{where}: {problem}")
    return text, how, None


def long_line(text: str, where: str, doc_id: str | None = None) -> Reject | None:
    """A reject when a line of `text` is longer than MAX_LINE_CHARS, naming the first such line (lines
    end where `document.split_lines` ends them)."""
    if len(text) <= MAX_LINE_CHARS:
        return None
    start, no = 0, 1
    for m in [*LINE_BREAK.finditer(text), None]:
        end = len(text) if m is None else m.start()
        if end - start > MAX_LINE_CHARS:
            return Reject(where, TOO_LONG, f"{where}: line {no} is {end - start:,} characters long "
                                           f"(limit {MAX_LINE_CHARS:,}): not prose; split it into lines", doc_id)
        if m is not None:
            start, no = m.end(), no + 1
    return None
