"""Readers turn inputs into a stream of raw documents or rejects; nothing is read twice or held.

    for item in read_inputs(["corpus/", "more.jsonl.zst"]):
        RawDoc(...) or Reject(...)

Folders are walked recursively in sorted order; `.txt` files are one document
each, `.jsonl` one per line, `.parquet` one per row. Any of them may end in
`.gz` or `.zst`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..errors import UsageError
from .base import RawDoc, Reject, kind_of
from .jsonl import read_jsonl
from .parquet import read_parquet
from .text import read_text

__all__ = ["RawDoc", "Reject", "read_file", "read_inputs", "list_files"]

_READERS = {"txt": read_text, "jsonl": read_jsonl, "parquet": read_parquet}


def list_files(inputs: tuple[str, ...] | list[str], skip: tuple[str, ...] = ()) -> Iterator[tuple[Path, str]]:
    """(file, source name relative to its input root) for every readable file, in a stable order.

    Symlinked folders are followed, but a folder already walked (a symlink loop, or two links to
    one place) is walked once, so a loop cannot trap the run and no file is read twice. A broken
    or looping file symlink is listed and becomes a `read_error` reject naming it. Folders in
    `skip` (the output folder, when it lies inside an input folder) are not walked.
    """
    skipped = {_dir_key(Path(p)) for p in skip} - {None}
    for given in inputs:
        root = Path(given)
        if root.is_dir():
            seen = {_dir_key(root)} | skipped
            for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
                keep = []
                for d in sorted(d for d in dirnames if not d.startswith(".")):
                    key = _dir_key(Path(dirpath) / d)
                    if key is not None and key not in seen:
                        seen.add(key)
                        keep.append(d)
                dirnames[:] = keep
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    if not name.startswith(".") and kind_of(path):
                        yield path, path.relative_to(root).as_posix()
        elif root.is_file():
            if not kind_of(root):
                raise UsageError(f"{given}: not a .txt, .jsonl or .parquet file (optionally .gz or .zst)")
            yield root, root.name
        else:
            raise UsageError(f"{given}: no such file or folder")


def _dir_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def read_file(path: Path, source: str, start: int = 0, stop: int | None = None,
              first_line: int = 1) -> Iterator[RawDoc | Reject]:
    """The documents of one input file, named after `source`; of a plain JSONL file, those of the lines
    that start in bytes [start, stop), the first of them being line `first_line`."""
    if (start, stop, first_line) != (0, None, 1):
        return read_jsonl(path, source, start, stop, first_line)
    return _READERS[kind_of(path)](path, source)


def read_inputs(inputs: tuple[str, ...] | list[str]) -> Iterator[RawDoc | Reject]:
    for path, source in list_files(inputs):
        yield from read_file(path, source)
