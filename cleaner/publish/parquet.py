"""Parquet shards the way the Hub wants them: one explicit schema, zstd, page index, content-defined chunking.

Every Parquet file is written through a `Sink`, a Python file that never fails while Arrow writes to it:
Arrow's content-defined chunking aborts the process (a C++ CHECK, SIGABRT) when a page write fails, so
a full disk must never reach it as a failed write. The sink keeps the first OSError and the writer
raises it in Python, where the run turns it into a clear error."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq

from ..fsmode import make_dirs, no_world_write

WRITE_OPTIONS = dict(compression="zstd", compression_level=3, write_page_index=True,
                     use_content_defined_chunking=True, write_statistics=True)


class Sink:
    """A file opened for writing whose write, flush and close never raise: the first OSError (a full
    disk) is kept, later bytes are dropped (the file is deleted with its version), and `check()`
    raises it. Arrow writes through it (pyarrow wraps it in a PythonFile)."""

    def __init__(self, path: Path):
        self.file = open(path, "wb")
        self.error: OSError | None = None
        self.pos = 0

    def _guard(self, action) -> None:
        if self.error is None:
            try:
                action()
            except OSError as e:
                self.error = e

    def write(self, data) -> int:
        n = memoryview(data).nbytes
        self._guard(lambda: self.file.write(data))
        self.pos += n
        return n

    def tell(self) -> int:
        return self.pos

    def flush(self) -> None:
        self._guard(self.file.flush)

    def writable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self.file.closed

    def close(self) -> None:
        if not self.file.closed:
            self._guard(self.file.close)  # a failed flush inside it still closes the descriptor

    def check(self) -> None:
        if self.error is not None:
            raise self.error


class _Parquet:
    """One Parquet file written through a Sink; `abort()` closes it without raising, after any failure."""

    def __init__(self, path: Path, schema: pa.Schema, **options):
        self.sink = Sink(path)
        try:
            self.writer = pq.ParquetWriter(self.sink, schema, **options)
        except BaseException:
            self.sink.close()
            raise

    def write(self, table: pa.Table, **options) -> None:
        self.writer.write_table(table, **options)
        self.sink.check()

    def close(self) -> None:
        self.writer.close()  # the footer goes through the sink, so it cannot fail inside Arrow
        self.sink.close()
        self.sink.check()

    def abort(self) -> None:
        if self.writer.is_open:
            self.writer.close()
        self.sink.close()


class Rows:
    """Rows waiting to be written, in order: dicts as `add` gets them, or slices of Arrow tables."""

    def __init__(self, schema: pa.Schema):
        self.schema, self.pieces, self.count = schema, [], 0

    def add(self, row: dict) -> None:
        if not self.pieces or not isinstance(self.pieces[-1], list):
            self.pieces.append([])
        self.pieces[-1].append(row)
        self.count += 1

    def add_table(self, table: pa.Table) -> None:
        self.pieces.append(table)
        self.count += len(table)

    def take(self, n: int) -> pa.Table:
        """The first n rows (all there are, at most), as one table of the schema, one chunk a column."""
        out, left = [], n
        while self.pieces and left:
            piece = self.pieces[0]
            head, rest = piece[:left], piece[left:]  # a list or a table: both slice so
            out.append(pa.Table.from_pylist(head, schema=self.schema) if isinstance(piece, list) else head)
            left -= len(head)
            if len(rest):
                self.pieces[0] = rest
            else:
                self.pieces.pop(0)
        self.count -= n - left
        table = out[0] if len(out) == 1 else pa.concat_tables(out)
        return table.cast(self.schema).combine_chunks()


def fill(rows: Rows, table: pa.Table, size: int, flush: Callable[[], None]) -> None:
    """Add the table's rows to `rows` as `add` one at a time would: `flush()` each time `size` are waiting."""
    at = 0
    while at < len(table):
        take = min(size - rows.count, len(table) - at)
        rows.add_table(table.slice(at, take))
        at += take
        if rows.count >= size:
            flush()


class ShardWriter:
    """Streams rows into `folder/{prefix}-{i:05d}-of-{n:05d}.parquet`, a new shard every `shard_rows` rows.

    Rows are buffered one row group at a time, so memory does not grow with the corpus.
    An empty table gets one empty shard that carries the schema, unless the caller drops it.
    """

    def __init__(self, folder: Path, prefix: str, schema: pa.Schema, shard_rows: int, row_group_rows: int):
        self.folder, self.prefix, self.schema = folder, prefix, schema
        self.shard_rows, self.row_group_rows = shard_rows, row_group_rows
        self.buffer = Rows(schema)
        self.parts: list[tuple[Path, int]] = []  # (temporary path, rows)
        self.writer: _Parquet | None = None
        self.rows_in_shard = 0
        make_dirs(folder)

    def add(self, record: dict) -> None:
        self.buffer.add(record)
        if self.buffer.count >= self.row_group_rows:
            self._flush()

    def add_table(self, table: pa.Table) -> None:
        """The table's rows, written as `add` of each would write them (the same row groups and files)."""
        fill(self.buffer, table, self.row_group_rows, self._flush)

    def _open(self) -> None:
        path = self.folder / f".part-{len(self.parts):05d}.parquet"
        self.parts.append((path, 0))
        self.writer = _Parquet(path, self.schema, **WRITE_OPTIONS)
        no_world_write(path)
        self.rows_in_shard = 0

    def _flush(self) -> None:
        while self.buffer.count:
            if self.writer is None:
                self._open()
            chunk = self.buffer.take(self.shard_rows - self.rows_in_shard)
            self.writer.write(chunk, row_group_size=self.row_group_rows)
            self.rows_in_shard += len(chunk)
            path, rows = self.parts[-1]
            self.parts[-1] = (path, rows + len(chunk))
            if self.rows_in_shard >= self.shard_rows:
                writer, self.writer = self.writer, None
                writer.close()

    def close(self, keep_empty: bool = True) -> list[Path]:
        """Rename the shards to their final names; with no rows, one empty shard or (keep_empty=False) none."""
        self._flush()
        if self.writer is None and not self.parts:
            if not keep_empty:
                if not any(self.folder.iterdir()):
                    self.folder.rmdir()
                return []
            self._open()
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.close()
        n = len(self.parts)
        out = []
        for i, (path, _) in enumerate(self.parts):
            final = self.folder / f"{self.prefix}-{i:05d}-of-{n:05d}.parquet"
            os.replace(path, final)
            out.append(final)
        return out

    def abort(self) -> None:
        """After a failure: close the open file, whatever state it is in (the caller removes the folder)."""
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.abort()


def file_entry(path: Path, root: Path) -> dict:
    """A manifest entry: relative path, sha256, byte size, and rows for Parquet files."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    entry = {"path": path.relative_to(root).as_posix(), "sha256": digest.hexdigest(), "bytes": path.stat().st_size}
    if path.suffix == ".parquet":
        entry["rows"] = pq.ParquetFile(path).metadata.num_rows
    return entry


class TableWriter:
    """Streams rows into one Parquet file, written under a temporary name and renamed when closed whole."""

    def __init__(self, path: Path, schema: pa.Schema, batch_rows: int = 1000):
        self.path, self.schema, self.batch_rows = path, schema, batch_rows
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # pid: an orphaned worker may write too
        make_dirs(path.parent)
        self.writer = _Parquet(self.tmp, schema, compression="zstd", compression_level=1)
        no_world_write(self.tmp)
        self.buffer = Rows(schema)
        self.rows = 0

    def add(self, row: dict) -> None:
        self.buffer.add(row)
        if self.buffer.count >= self.batch_rows:
            self._flush()

    def add_table(self, table: pa.Table) -> None:
        """The table's rows, written as `add` of each would write them."""
        fill(self.buffer, table, self.batch_rows, self._flush)

    def _flush(self) -> None:
        if self.buffer.count:
            n = self.buffer.count
            self.writer.write(self.buffer.take(n))
            self.rows += n

    def close(self) -> Path:
        try:
            self._flush()
            self.writer.close()
        except BaseException:
            self.abort()
            raise
        os.replace(self.tmp, self.path)
        no_world_write(self.path)
        return self.path

    def abort(self) -> None:
        """Close without raising and remove the temporary file (after a failure)."""
        self.writer.abort()
        try:
            self.tmp.unlink()
        except FileNotFoundError:
            pass


def read_table(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file whole (or its `columns`). `pq.read_table` would import `pyarrow.dataset` first,
    0.8 s of every process that reads a table, for the filters and folders no caller here needs."""
    with pq.ParquetFile(path) as f:
        return f.read(columns=columns)


def iter_rows(path: Path, batch_rows: int = 1024, columns: list[str] | None = None):
    """The rows of a Parquet file, a batch at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=columns):
        yield from batch.to_pylist()
