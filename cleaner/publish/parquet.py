"""Parquet shards the way the Hub wants them: one explicit schema, zstd, page index, content-defined chunking."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..fsmode import make_dirs, no_world_write

WRITE_OPTIONS = dict(compression="zstd", compression_level=3, write_page_index=True,
                     use_content_defined_chunking=True, write_statistics=True)


class ShardWriter:
    """Streams rows into `folder/{prefix}-{i:05d}-of-{n:05d}.parquet`, a new shard every `shard_rows` rows.

    Rows are buffered one row group at a time, so memory does not grow with the corpus.
    An empty table gets one empty shard that carries the schema, unless the caller drops it.
    """

    def __init__(self, folder: Path, prefix: str, schema: pa.Schema, shard_rows: int, row_group_rows: int):
        self.folder, self.prefix, self.schema = folder, prefix, schema
        self.shard_rows, self.row_group_rows = shard_rows, row_group_rows
        self.buffer: list[dict] = []
        self.parts: list[tuple[Path, int]] = []  # (temporary path, rows)
        self.writer: pq.ParquetWriter | None = None
        self.rows_in_shard = 0
        make_dirs(folder)

    def add(self, record: dict) -> None:
        self.buffer.append(record)
        if len(self.buffer) >= self.row_group_rows:
            self._flush()

    def _open(self) -> None:
        path = self.folder / f".part-{len(self.parts):05d}.parquet"
        self.writer = pq.ParquetWriter(path, self.schema, **WRITE_OPTIONS)
        no_world_write(path)
        self.parts.append((path, 0))
        self.rows_in_shard = 0

    def _flush(self) -> None:
        while self.buffer:
            if self.writer is None:
                self._open()
            room = self.shard_rows - self.rows_in_shard
            chunk, self.buffer = self.buffer[:room], self.buffer[room:]
            self.writer.write_table(pa.Table.from_pylist(chunk, schema=self.schema), row_group_size=self.row_group_rows)
            self.rows_in_shard += len(chunk)
            path, rows = self.parts[-1]
            self.parts[-1] = (path, rows + len(chunk))
            if self.rows_in_shard >= self.shard_rows:
                self.writer.close()
                self.writer = None

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
            self.writer.close()
            self.writer = None
        n = len(self.parts)
        out = []
        for i, (path, _) in enumerate(self.parts):
            final = self.folder / f"{self.prefix}-{i:05d}-of-{n:05d}.parquet"
            os.replace(path, final)
            out.append(final)
        return out


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
        self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd", compression_level=1)
        no_world_write(self.tmp)
        self.buffer: list[dict] = []
        self.rows = 0

    def add(self, row: dict) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=self.schema))
            self.rows += len(self.buffer)
            self.buffer = []

    def close(self) -> Path:
        self._flush()
        self.writer.close()
        os.replace(self.tmp, self.path)
        no_world_write(self.path)
        return self.path


def iter_rows(path: Path, batch_rows: int = 1024, columns: list[str] | None = None):
    """The rows of a Parquet file, a batch at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=columns):
        yield from batch.to_pylist()
