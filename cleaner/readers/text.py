"""A `.txt` file is one document."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .base import EMPTY, READ_ERROR, RawDoc, Reject, decode, open_binary


def read_text(path: Path, source: str) -> Iterator[RawDoc | Reject]:
    try:
        with open_binary(path) as f:
            data = f.read()
    except (OSError, EOFError) as e:
        yield Reject(source, READ_ERROR, f"{path}: cannot read: {e}")
        return
    text, reject = decode(data, source)
    if reject:
        yield reject
    elif not text.strip():
        yield Reject(source, EMPTY, f"{source}: empty or whitespace only")
    else:
        yield RawDoc(source=source, text=text)
