"""Readers over real files written by the tests: every input document is read or rejected, never lost."""
from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from cleaner.errors import UsageError
from cleaner.readers import RawDoc, Reject, list_files, read_inputs

ARTICLE = "Tiêu đề bài báo\n\nĐoạn thân bài thứ nhất của bài báo.\r\nĐoạn thứ hai.\n"


def test_folder_of_txt_recursive_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    got = list(read_inputs([str(tmp_path)]))
    assert [d.source for d in got] == ["1.txt", "b/2.txt"]
    assert all(isinstance(d, RawDoc) and d.text == ARTICLE for d in got)


@pytest.mark.parametrize("suffix,compress", [(".gz", gzip.compress), (".zst", lambda b: zstandard.ZstdCompressor().compress(b))])
def test_compressed_inputs(tmp_path, suffix, compress):
    (tmp_path / f"a.txt{suffix}").write_bytes(compress(ARTICLE.encode()))
    rows = "\n".join(json.dumps({"text": ARTICLE, "id": i}) for i in range(3)).encode()
    (tmp_path / f"b.jsonl{suffix}").write_bytes(compress(rows))
    got = list(read_inputs([str(tmp_path)]))
    assert [(d.source, d.id) for d in got] == [(f"a.txt{suffix}", None)] + [(f"b.jsonl{suffix}:{i + 1}", str(i)) for i in range(3)]
    assert all(d.text == ARTICLE for d in got)


def test_jsonl_fields_and_every_kind_of_bad_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\n".join([
        json.dumps({"id": "a", "text": "Xin chào", "url": "http://x.vn/a", "title": "T"}).encode(),
        b"{not json",
        b"[1, 2]",
        json.dumps({"id": "d"}).encode(),
        json.dumps({"text": 42}).encode(),
        b"",
        json.dumps({"text": "   "}).encode(),
        b'{"text": "\x81\x8d bad"}',  # bytes no encoding of the ladder has
        b'{"text": "caf\xe9 cr\xe8me"}',  # Windows-1252: read, and the encoding recorded
    ]) + b"\n")
    got = list(read_inputs([str(path)]))
    assert isinstance(got[0], RawDoc) and got[0].fields == {"url": "http://x.vn/a", "title": "T"}
    assert isinstance(got[-1], RawDoc) and got[-1].text == "café crème" and got[-1].encoding == "windows-1252"
    rejects = [(r.source, r.reason) for r in got[1:-1]]
    assert rejects == [("c.jsonl:2", "bad_json"), ("c.jsonl:3", "bad_json"), ("c.jsonl:4", "no_text"),
                       ("c.jsonl:5", "no_text"), ("c.jsonl:7", "empty"), ("c.jsonl:8", "decode_error")]
    assert all("c.jsonl:" in r.detail for r in got[1:-1]), "a reject names the file and line"


def test_parquet_rows_and_missing_column(tmp_path):
    pq.write_table(pa.table({"text": ["Một", None, "Ba"], "id": ["x", "y", "z"], "url": ["u", None, None]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "b.parquet")
    got = list(read_inputs([str(tmp_path)]))
    assert [(d.source, type(d).__name__) for d in got] == [
        ("a.parquet:0", "RawDoc"), ("a.parquet:1", "Reject"), ("a.parquet:2", "RawDoc"), ("b.parquet", "Reject")]
    assert got[0].fields == {"url": "u"} and got[0].id == "x"
    assert got[3].reason == "no_text" and "text" in got[3].detail


def test_bad_text_files(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    (tmp_path / "latin.txt").write_bytes("Dòng một\nDòng hai ".encode("utf-8") + b"\xe0\xe1 x\n")
    (tmp_path / "noise.txt").write_bytes("Dòng một\nDòng hai ".encode("utf-8") + b"\x81\x8d\x8f x\n")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Có BOM".encode())
    got = {r.source: r for r in read_inputs([str(tmp_path)])}
    assert got["bin.txt"].reason == "binary"
    assert got["empty.txt"].reason == "empty" and got["blank.txt"].reason == "empty"
    # UTF-8 with two stray Windows-1252 bytes is read, each bad byte as Windows-1252
    assert got["latin.txt"].text == "Dòng một\nDòng hai àá x\n" and got["latin.txt"].encoding == "utf-8+windows-1252"
    assert got["noise.txt"].reason == "decode_error" and "line 2" in got["noise.txt"].detail
    assert isinstance(got["bom.txt"], RawDoc) and got["bom.txt"].text == "Có BOM" and got["bom.txt"].encoding == "utf-8-sig"


def test_truncated_gzip_is_a_reject_not_a_crash(tmp_path):
    data = gzip.compress("\n".join(json.dumps({"text": f"dòng {i}"}) for i in range(2000)).encode())
    (tmp_path / "t.jsonl.gz").write_bytes(data[: len(data) // 2])
    got = list(read_inputs([str(tmp_path)]))
    assert isinstance(got[-1], Reject) and got[-1].reason == "read_error"
    assert all(isinstance(d, RawDoc) for d in got[:-1]) and len(got) > 1


def test_missing_input_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        list(list_files([str(tmp_path / "nope")]))
