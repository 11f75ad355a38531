"""A `.parquet` file with a `text` column holds one document per row (row numbers are 0-based)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .base import (EMPTY, MAX_DOC_BYTES, NO_TEXT, READ_ERROR, STREAM_ERRORS, TOO_LARGE, RawDoc, Reject, id_of,
                   long_line, open_binary)

BATCH_ROWS = 1024


def _open(path: Path) -> pq.ParquetFile:
    if path.name.lower().endswith((".gz", ".zst", ".zstd")):
        with open_binary(path) as f:
            data = f.read(4 * MAX_DOC_BYTES + 1)
            if len(data) > 4 * MAX_DOC_BYTES:
                raise OSError(f"over {4 * MAX_DOC_BYTES >> 20} MiB once decompressed; store large Parquet "
                              f"files uncompressed (Parquet compresses its own pages)")
            return pq.ParquetFile(pa.BufferReader(data))
    return pq.ParquetFile(path)


def _is_text(t: pa.DataType) -> bool:
    if pa.types.is_dictionary(t):
        t = t.value_type
    return pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", bool)(t)


def read_parquet(path: Path, source: str) -> Iterator[RawDoc | Reject]:
    row = 0
    try:
        pf = _open(path)
        schema = pf.schema_arrow
        if "text" not in schema.names or not _is_text(schema.field("text").type):
            got = f"`text` is {schema.field('text').type}" if "text" in schema.names else "no such column"
            yield Reject(source, NO_TEXT, f"{source}: needs a string column `text` ({got}; "
                                          f"columns: {', '.join(schema.names) or 'none'})")
            return
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            for rec in batch.to_pylist():
                yield _row(rec, f"{source}:{row}")
                row += 1
    except (*STREAM_ERRORS, pa.ArrowException) as e:
        yield Reject(f"{source}:{row}", READ_ERROR, f"{source}: row {row}: cannot read on: {e}")


def _row(rec: dict, where: str) -> RawDoc | Reject:
    doc_id, note = id_of(rec.pop("id", None), where)
    text = rec.pop("text")
    if text is None:
        return Reject(where, NO_TEXT, f"{where}: `text` is null", doc_id)
    if not text.strip():
        return Reject(where, EMPTY, f"{where}: `text` is empty", doc_id)
    if len(text) > MAX_DOC_BYTES:
        return Reject(where, TOO_LARGE, f"{where}: `text` is over {MAX_DOC_BYTES >> 20} MiB: not one document", doc_id)
    return long_line(text, where, doc_id) or RawDoc(source=where, text=text, id=doc_id, fields=rec,
                                                    notes=(note,) if note else ())
