"""A `.parquet` file with a `text` column holds one document per row (row numbers are 0-based)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .base import EMPTY, NO_TEXT, READ_ERROR, RawDoc, Reject, open_binary

BATCH_ROWS = 1024


def _open(path: Path) -> pq.ParquetFile:
    if path.name.lower().endswith((".gz", ".zst", ".zstd")):
        with open_binary(path) as f:
            return pq.ParquetFile(pa.BufferReader(f.read()))
    return pq.ParquetFile(path)


def read_parquet(path: Path, source: str) -> Iterator[RawDoc | Reject]:
    row = 0
    try:
        pf = _open(path)
        schema = pf.schema_arrow
        if "text" not in schema.names or not pa.types.is_string(schema.field("text").type) and not pa.types.is_large_string(schema.field("text").type):
            got = schema.field("text").type if "text" in schema.names else "no such column"
            yield Reject(source, NO_TEXT, f"{source}: needs a string column `text` ({got})")
            return
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            for rec in batch.to_pylist():
                yield _row(rec, f"{source}:{row}")
                row += 1
    except (OSError, EOFError, pa.ArrowException) as e:
        yield Reject(f"{source}:{row}", READ_ERROR, f"{source}: row {row}: cannot read on: {e}")


def _row(rec: dict, where: str) -> RawDoc | Reject:
    doc_id = rec.pop("id", None)
    doc_id = None if doc_id is None else str(doc_id)
    text = rec.pop("text")
    if text is None:
        return Reject(where, NO_TEXT, f"{where}: `text` is null", doc_id)
    if not text.strip():
        return Reject(where, EMPTY, f"{where}: `text` is empty", doc_id)
    return RawDoc(source=where, text=text, id=doc_id, fields=rec)
