"""The version's writers: rows given as Arrow tables, however they are cut, make the same bytes as the
same rows given one at a time (the write tasks hand the main process tables; the files must not show it)."""
from __future__ import annotations

import hashlib

import pyarrow as pa
from hypothesis import example, given, settings, strategies as st

from cleaner.publish.parquet import ShardWriter, TableWriter
from profiles import examples

SCHEMA = pa.schema([("id", pa.string()), ("n", pa.int64()), ("tags", pa.list_(pa.string()))])


def rows(n: int) -> list[dict]:
    return [{"id": f"doc-{i}", "n": i * 7 % 5, "tags": [f"t{i % 3}"] * (i % 4)} for i in range(n)]


def cut(records: list[dict], sizes: list[int]) -> list[pa.Table]:
    """The rows as tables of the given sizes (cycled), the last one what is left."""
    out, at, k = [], 0, 0
    while at < len(records):
        size = sizes[k % len(sizes)]
        out.append(pa.Table.from_pylist(records[at:at + size], schema=SCHEMA))
        at, k = at + size, k + 1
    return out


def digests(folder) -> list[tuple[str, str]]:
    return [(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in sorted(folder.iterdir())]


@settings(max_examples=examples(40), deadline=None)
@given(n=st.integers(0, 60), shard_rows=st.integers(1, 25), row_group_rows=st.integers(1, 9),
       sizes=st.lists(st.integers(0, 17), min_size=1, max_size=4).filter(any))
@example(n=20, shard_rows=7, row_group_rows=3, sizes=[5])  # a table across a row group and a shard's end
@example(n=0, shard_rows=4, row_group_rows=2, sizes=[1])
def test_a_shard_writer_fed_tables_writes_the_files_it_writes_row_by_row(tmp_path_factory, n, shard_rows,
                                                                         row_group_rows, sizes):
    by_row, by_table = tmp_path_factory.mktemp("rows"), tmp_path_factory.mktemp("tables")
    one = ShardWriter(by_row, "train", SCHEMA, shard_rows, row_group_rows)
    for record in rows(n):
        one.add(record)
    many = ShardWriter(by_table, "train", SCHEMA, shard_rows, row_group_rows)
    for table in cut(rows(n), sizes):
        many.add_table(table)
    assert [p.name for p in one.close()] == [p.name for p in many.close()]
    assert digests(by_row) == digests(by_table)
    assert len(digests(by_row)) == max(1, -(-n // shard_rows))


@settings(max_examples=examples(20), deadline=None)
@given(n=st.integers(0, 40), batch_rows=st.integers(1, 9), sizes=st.lists(st.integers(0, 17), min_size=1,
                                                                          max_size=4).filter(any))
@example(n=10, batch_rows=4, sizes=[3, 0])
def test_a_table_writer_fed_tables_writes_the_file_it_writes_row_by_row(tmp_path_factory, n, batch_rows, sizes):
    folder = tmp_path_factory.mktemp("table")
    one = TableWriter(folder / "rows.parquet", SCHEMA, batch_rows)
    for record in rows(n):
        one.add(record)
    many = TableWriter(folder / "tables.parquet", SCHEMA, batch_rows)
    for table in cut(rows(n), sizes):
        many.add_table(table)
    a, b = one.close(), many.close()
    assert a.read_bytes() == b.read_bytes()
