"""Readers turn inputs into a stream of raw documents or rejects; nothing is read twice or held.

    for item in read_inputs(["corpus/", "more.jsonl.zst"]):
        RawDoc(...) or Reject(...)

Folders are walked recursively in sorted order; `.txt` files are one document
each, `.jsonl` one per line, `.parquet` one per row. Any of them may end in
`.gz` or `.zst`. What is found but not read is counted (`scan(..., skipped=)`):
dotfiles, hidden folders and other extensions.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import UsageError
from .base import COMPRESSIONS, NOT_A_FILE, OUTSIDE_INPUT, RawDoc, Reject, kind_of, not_a_file, shown
from .jsonl import read_jsonl
from .parquet import read_parquet
from .text import read_text

__all__ = ["RawDoc", "Reject", "Found", "read_file", "read_inputs", "list_files", "scan", "skipped_label"]

_READERS = {"txt": read_text, "jsonl": read_jsonl, "parquet": read_parquet}


@dataclass(frozen=True)
class Found:
    """A file found among the inputs, with its source name; `reject` when it is refused unopened."""
    path: Path
    source: str
    reject: Reject | None = None


def skipped_label(name: str) -> str:
    """How a file that is not an input is counted in the summary: `dotfile`, its extension (`.json`,
    `.json.gz`), or `no extension`."""
    if name.startswith("."):
        return "dotfile"
    low, comp = name.lower(), ""
    for c in COMPRESSIONS:
        if low.endswith(c) and len(low) > len(c):
            low, comp = low[: -len(c)], c
            break
    return f".{low.rsplit('.', 1)[1]}{comp}" if "." in low else (comp or "no extension")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def input_labels(inputs: tuple[str, ...] | list[str]) -> list[str]:
    """A short name for each INPUT that tells it from the others: its last path component, or as many
    of the last ones as it takes (`x/data` and `y/data`). Never more of the path than that, so a
    dataset does not hold the folders of the machine it was made on.

    >>> input_labels(["/srv/A", "B", "/x/data", "/y/data", "p1.jsonl"])
    ['A', 'B', 'x/data', 'y/data', 'p1.jsonl']
    """
    paths = [Path(os.path.abspath(g)).parts[1:] or ("root",) for g in inputs]
    labels: list[str | None] = [None] * len(paths)
    k = 1
    while any(label is None for label in labels):
        open_ = [i for i, label in enumerate(labels) if label is None]
        counts = Counter(p[-k:] for p in set(paths))  # an INPUT given twice is one input
        for i in open_:
            if counts[paths[i][-k:]] == 1 or k >= len(paths[i]):
                labels[i] = "/".join(paths[i][-k:])
        k += 1
    return labels


def _source(label: str | None, rel: str) -> str:
    """`rel` alone with one INPUT; with several, prefixed by the INPUT's label (`A/a.txt`, `B/a.txt`)."""
    return shown(rel if label is None else f"{label}/{rel}")


def _refuse(path: Path, source: str, reason: str, why: str) -> Found:
    return Found(path, source, Reject(source, reason, f"{source}: {why}"))


def _checked(path: Path, source: str, real_root: str, follow_symlinks: bool) -> Found:
    """A file of a folder input: refused if it is a symlink leading out of the folder (unless followed
    by choice) or not a regular file; otherwise to be read."""
    if os.path.islink(path) and not follow_symlinks:
        target = os.path.realpath(path)
        if not _inside(target, real_root):
            return _refuse(path, source, OUTSIDE_INPUT, f"a symlink to {shown(target)}, outside the input folder: "
                                                        f"not followed (--follow-symlinks follows it)")
    problem = not_a_file(path)
    return _refuse(path, source, NOT_A_FILE, problem) if problem else Found(path, source)


def scan(inputs: tuple[str, ...] | list[str], skip: tuple[str, ...] = (), follow_symlinks: bool = False,
         skipped: Counter | None = None) -> Iterator[Found]:
    """Every input file, in a stable order, with its source name; files refused unopened carry their reject.

    Symlinked folders are followed when they stay inside the input folder (or always, with
    `follow_symlinks`), but a folder already walked (a symlink loop, two links to one place, a folder
    given twice) is walked once, so a loop cannot trap the run and no file is read twice. A symlink
    leading out of its input folder is refused (`outside_input`); a FIFO, socket or device, found or
    given, is refused (`not_a_file`) without being opened. A broken or looping file symlink is
    listed and becomes a `read_error` reject naming it. Folders in `skip` (the output folder) are not
    walked. Files not read are counted in `skipped` by `skipped_label`.
    """
    skipped = Counter() if skipped is None else skipped
    out = {_dir_key(Path(p)) for p in skip} - {None}  # never walked below an input (one may be an input itself)
    seen: set = set()  # folders walked
    labels = input_labels(inputs) if len(inputs) > 1 else [None] * len(inputs)
    for given, label in zip(inputs, labels):
        root = Path(given)
        if root.is_dir():
            key = _dir_key(root)
            if key in seen:
                continue
            seen.add(key)
            yield from _walk(root, label, seen, out, follow_symlinks, skipped)
        elif os.path.lexists(root) and not root.is_dir():
            if not kind_of(root):
                raise UsageError(f"{shown(given)}: not a .txt, .jsonl or .parquet file (optionally .gz or .zst)")
            source = shown(root.name if label is None else label)
            problem = not_a_file(root)
            yield _refuse(root, source, NOT_A_FILE, problem) if problem else Found(root, source)
        else:
            raise UsageError(f"{shown(given)}: no such file or folder")


def _walk(root: Path, label: str | None, seen: set, out: set, follow_symlinks: bool,
          skipped: Counter) -> Iterator[Found]:
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        keep, refused = [], []
        for d in sorted(dirnames):
            path = Path(dirpath) / d
            if d.startswith("."):
                skipped["hidden folder"] += 1
                continue
            if os.path.islink(path) and not follow_symlinks and not _inside(os.path.realpath(path), real_root):
                source = _source(label, path.relative_to(root).as_posix())
                refused.append(_refuse(path, source, OUTSIDE_INPUT,
                                       f"a symlink to the folder {shown(os.path.realpath(path))}, outside the "
                                       f"input folder: not followed (--follow-symlinks follows it)"))
                continue
            key = _dir_key(path)
            if key is not None and key not in seen and key not in out:
                seen.add(key)
                keep.append(d)
        dirnames[:] = keep
        yield from refused
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or not kind_of(path):
                skipped[skipped_label(name)] += 1
                continue
            yield _checked(path, _source(label, path.relative_to(root).as_posix()), real_root, follow_symlinks)


def list_files(inputs: tuple[str, ...] | list[str], skip: tuple[str, ...] = (),
               follow_symlinks: bool = False) -> Iterator[tuple[Path, str]]:
    """(file, source name) of every file `scan` would read (those refused unopened left out)."""
    for found in scan(inputs, skip, follow_symlinks):
        if found.reject is None:
            yield found.path, found.source


def _dir_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def read_file(path: Path, source: str, start: int = 0, stop: int | None = None,
              first_line: int = 1) -> Iterator[RawDoc | Reject]:
    """The documents of one input file, named after `source`; of a plain JSONL file, those of the lines
    that start in bytes [start, stop), the first of them being line `first_line`. A FIFO, socket or
    device is refused before it is opened (it may have replaced the file since it was listed)."""
    problem = not_a_file(path)
    if problem:
        return iter([Reject(source, NOT_A_FILE, f"{source}: {problem}")])
    if (start, stop, first_line) != (0, None, 1):
        return read_jsonl(path, source, start, stop, first_line)
    return _READERS[kind_of(path)](path, source)


def read_inputs(inputs: tuple[str, ...] | list[str], follow_symlinks: bool = False) -> Iterator[RawDoc | Reject]:
    for found in scan(inputs, follow_symlinks=follow_symlinks):
        if found.reject is not None:
            yield found.reject
        else:
            yield from read_file(found.path, found.source)
