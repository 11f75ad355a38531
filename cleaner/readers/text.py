"""A `.txt` file is one document."""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Iterator

from .base import (EMPTY, MAX_DOC_BYTES, READ_ERROR, STREAM_ERRORS, TOO_LARGE, RawDoc, Reject, decode, long_line, shown,
                   open_binary)


def read_text(path: Path, source: str) -> Iterator[RawDoc | Reject]:
    try:
        with open_binary(path) as f:
            plain = getattr(f, "raw", None)
            if isinstance(plain, io.FileIO) and os.fstat(f.fileno()).st_size > MAX_DOC_BYTES:
                data = b""  # over the limit by its size: not read at all
                too_large = True
            else:
                data = f.read(MAX_DOC_BYTES + 1)
                too_large = len(data) > MAX_DOC_BYTES
    except STREAM_ERRORS as e:
        yield Reject(source, READ_ERROR, f"{shown(str(path))}: cannot read: {e}")
        return
    if too_large:
        yield Reject(source, TOO_LARGE, f"{source}: over {MAX_DOC_BYTES >> 20} MiB: not one document; "
                                        f"split it into one file per document")
        return
    text, encoding, reject = decode(data, source)
    if reject:
        yield reject
    elif not text.strip():
        yield Reject(source, EMPTY, f"{source}: empty or whitespace only")
    else:
        yield long_line(text, source) or RawDoc(source=source, text=text, encoding=encoding)
