"""Random bytes and random JSONL through the readers, the pipeline and a whole run: nothing crashes,
every document read is kept or rejected, and every raw line of a kept document is in its text or
its `removed` list, exactly once."""
from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import given, settings, strategies as st

from cleaner.config import Config
from cleaner.document import Document, split_lines
from cleaner.engine import run
from cleaner.errors import NothingKept
from cleaner.pipeline import build, judge
from cleaner.readers import RawDoc, Reject, read_file
from profiles import examples

VI_WORDS = ["Hà Nội", "người dân", "giá xăng", "tăng", "Ảnh:", "Theo", "TTXVN", "Đà Nẵng", "bão", "số 5",
            "Chia sẻ", "Bình luận", "\u00a0", "\u200b", "Hoà", "ủy", "Tiáº¿ng", "&amp;", "\t", "  ",
            "&#10;", "&#13;", "&#x2028;", "&#133;"]  # entities that decode to a line break
BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085"]  # every break document.split_lines ends a line at

fragments = st.one_of(st.sampled_from(VI_WORDS), st.text(max_size=12))
lines = st.lists(fragments, max_size=8).map(" ".join)
texts = (st.lists(lines, max_size=12).map("\n".join) | st.lists(lines, max_size=6).map("\r\n".join)
         | st.lists(st.tuples(lines, st.sampled_from(BREAKS)), max_size=12).map(lambda ps: "".join(l + b for l, b in ps)))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=6)
objects = st.fixed_dictionaries({}, optional={"text": texts | json_values, "id": json_values, "title": json_values,
                                              "url": json_values, "published": json_values, "authors": json_values})
jsonl_lines = st.one_of(objects.map(lambda o: json.dumps(o, ensure_ascii=False).encode()),
                        objects.map(lambda o: json.dumps(o).encode()),
                        st.binary(max_size=60), texts.map(lambda t: t.encode("utf-8", "surrogatepass")))
# random bytes, and random text in the encodings the readers try
raw_files = st.one_of(
    st.binary(max_size=400),
    st.tuples(texts, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "cp1252", "utf-8-sig"]))
    .map(lambda t: t[0].encode(t[1], errors="replace")),
)

SETTINGS = settings(max_examples=examples(150))


@cache
def _cleaner():
    return build(Config())


def check_document(raw: RawDoc, out: Document | Reject) -> None:
    """Every non-blank raw line is in the kept lines or in `removed`, exactly once, under its own number."""
    assert isinstance(out, (Document, Reject))
    if isinstance(out, Reject):
        return
    raw_lines = {no: t for no, t in enumerate(split_lines(raw.text), 1) if t.strip()}
    kept = [l.no for l in out.lines]
    gone = [r.line for r in out.removed]
    assert len(kept) + len(gone) == len(set(kept) | set(gone)), "a line is both kept and removed, or twice"
    assert set(kept) | set(gone) == set(raw_lines), "a raw line was lost or invented"
    assert out.text == "\n".join(l.text for l in out.lines)
    assert len(split_lines(out.text)) == len(out.lines) or not out.lines, "no line break inside a kept line"


def read_and_clean(path: Path, source: str) -> tuple[int, int, int]:
    read = kept = rejected = 0
    for item in read_file(path, source):
        read += 1
        assert isinstance(item, (RawDoc, Reject))
        if isinstance(item, Reject):
            assert item.detail.startswith(item.source.split(":")[0]) or str(path) in item.detail
            rejected += 1
            continue
        out = judge(_cleaner(), item)
        check_document(item, out)
        kept += isinstance(out, Document)
        rejected += isinstance(out, Reject)
    assert read == kept + rejected
    return read, kept, rejected


@SETTINGS
@given(data=raw_files)
def test_random_bytes_as_a_text_file(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.txt"
        path.write_bytes(data)
        read, _, _ = read_and_clean(path, "x.txt")
        assert read == 1, "a .txt file is one document, read or rejected"


@SETTINGS
@given(lines=st.lists(jsonl_lines, max_size=8))
def test_random_jsonl(lines):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.jsonl"
        data = b"\n".join(lines)
        path.write_bytes(data)
        read, _, _ = read_and_clean(path, "x.jsonl")
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data[:4096]:
            assert read == sum(1 for line in data.split(b"\n") if line.strip()), "one item per non-blank line"


@settings(max_examples=examples(3))
@given(files=st.lists(raw_files, min_size=1, max_size=4), lines=st.lists(jsonl_lines, max_size=6))
def test_random_inputs_through_a_whole_run(files, lines):
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in"
        src.mkdir()
        for i, data in enumerate(files):
            (src / f"{i}.txt").write_bytes(data)
        (src / "z.jsonl").write_bytes(b"\n".join(lines))
        config = Config(inputs=(str(src),), out=str(Path(d) / "out"), name="fuzz", progress=False)
        try:
            version, stats = run(config, warn=lambda _: None)
        except NothingKept:  # every document rejected: no version is written
            assert not (Path(d) / "out" / "fuzz" / "v1.0.0").exists()
            return
        docs = sum(pq.read_metadata(p).num_rows for p in (version / "data").glob("*.parquet"))
        rejects = sum(pq.read_metadata(p).num_rows for p in (version / "rejects").glob("*.parquet"))
        assert stats.read == stats.kept + stats.rejected_total == docs + rejects
        assert stats.kept == docs
        for row in (r for p in (version / "data").glob("*.parquet") for r in pq.read_table(p).to_pylist()):
            removed = [r["line"] for r in row["removed"]]
            assert row["text"].strip() and len(removed) == len(set(removed)), "a kept document has a body"
