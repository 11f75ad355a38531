"""Inputs of every kind of wrong, each a real file: read in the right encoding, or rejected with a
reason and a message that names the file and the line (or row); the run goes on, unless --strict."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import time
import unicodedata

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
import ftfy  # noqa: F401  (registers the sloppy-windows-1252 codec)

from cleaner.config import Config
from cleaner.pipeline import build, judge
from cleaner.readers import RawDoc, Reject, list_files, read_file, read_inputs
from cleaner.readers.base import MAX_LINE_CHARS

from robustness_helpers import VI, cli, rows, to_cp1258

JSON_LINES = "\n".join(json.dumps({"id": f"j{i}", "text": f"Dòng số {i} của bài báo về thời tiết."}, ensure_ascii=False)
                       for i in range(3000))


def _zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


# name -> bytes of the file; the expectation is (reason, words the message must hold) or ("ok", encoding)
CASES = {
    "noise.txt": (VI.encode() + b"\x81\x8d\x8f\x90 x\n", ("decode_error", ["noise.txt", "line 5", "0x81"])),
    "cp1258.txt": (to_cp1258(VI), ("ok", "cp1258")),
    "western.txt": ("Le café «Chez René» a fermé; l’été dernier, 3 €.\n".encode("cp1252"), ("ok", "windows-1252")),
    "mixed.txt": (VI.encode() + "Ông nói: “tốt”".encode() + b" \x93quoted\x94\n", ("ok", "utf-8+windows-1252")),
    "utf16-bom.txt": (VI.encode("utf-16"), ("ok", "utf-16")),
    "utf16le.txt": (VI.encode("utf-16-le"), ("ok", "utf-16-le")),
    "utf16be.txt": (VI.encode("utf-16-be"), ("ok", "utf-16-be")),
    "utf8-bom.txt": (b"\xef\xbb\xbf" + VI.encode(), ("ok", "utf-8-sig")),
    "nul.txt": (VI.encode() + b"more text\x00after a NUL\n", ("binary", ["nul.txt", "line 5", "NUL"])),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, ("binary", ["image.txt", "NUL"])),
    "empty.txt": (b"", ("empty", ["empty.txt"])),
    "blank.txt": (b"  \n\t\r\n \n", ("empty", ["blank.txt"])),
    "trunc.txt.gz": (_half(gzip.compress(JSON_LINES.encode())), ("read_error", ["trunc.txt.gz", "end-of-stream"])),
    "trunc.txt.zst": (_half(_zst(JSON_LINES.encode())), ("read_error", ["trunc.txt.zst", "truncated"])),
    "corrupt.txt.gz": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 200, ("read_error", ["corrupt.txt.gz"])),
}


@pytest.fixture()
def bad_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in CASES.items():
        (folder / name).write_bytes(data)
    return folder


def test_every_bad_text_file_is_read_or_rejected_with_its_reason(bad_folder):
    got = {item.source: item for item in read_inputs([str(bad_folder)])}
    assert set(got) == set(CASES), "every file gives exactly one item"
    for name, (_, (want, detail)) in CASES.items():
        item = got[name]
        if want == "ok":
            assert isinstance(item, RawDoc), f"{name}: {getattr(item, 'detail', '')}"
            assert item.encoding == detail, name
            assert "Hà Nội" in item.text or "café" in item.text, name
            assert unicodedata.is_normalized("NFC", item.text) or detail != "cp1258"
        else:
            assert isinstance(item, Reject) and item.reason == want, f"{name}: {getattr(item, 'detail', 'read')}"
            for word in detail:
                assert word in item.detail, f"{name}: {word!r} not in {item.detail!r}"


def test_cp1258_is_normalized_and_equals_the_utf8_text(bad_folder):
    (doc,) = read_file(bad_folder / "cp1258.txt", "cp1258.txt")
    assert doc.text == VI and doc.encoding == "cp1258"


def test_windows_1252_mojibake_of_utf8_is_repaired_by_the_pipeline(tmp_path):
    """UTF-8 read as Windows-1252 and saved again as UTF-8 is valid UTF-8; the unicode pass undoes it."""
    line = "Người dân ở Hà Nội cho biết giá xăng tăng mạnh trong tuần này."
    moji = line.encode().decode("sloppy-windows-1252")  # as browsers do it: undefined bytes become C1 controls
    assert moji != line and "Ã" in moji
    path = tmp_path / "moji.txt"
    path.write_text(f"Tiêu đề bài báo hôm nay\n\n{moji}\n{line}\n", encoding="utf-8")
    (raw,) = read_file(path, "moji.txt")
    assert raw.encoding == "utf-8"
    doc = judge(build(Config()), raw)
    assert line in doc.text and moji not in doc.text


def test_a_50_mb_line_is_rejected_fast_and_named(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.write("Tiêu đề\n".encode())
        f.write(b"a" * 50_000_000)
        f.write(b"\nend\n")
    start = time.perf_counter()
    (item,) = read_file(path, "huge.txt")
    assert time.perf_counter() - start < 10
    assert item.reason == "too_long" and "huge.txt: line 2 is 50,000,000 characters" in item.detail
    ok = tmp_path / "long-ok.txt"
    ok.write_text("x " * (MAX_LINE_CHARS // 2 - 10), encoding="utf-8")
    assert isinstance(next(read_file(ok, "long-ok.txt")), RawDoc), "a line just under the limit is read"


def test_jsonl_every_kind_of_bad_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\n".join([
        json.dumps({"id": "a", "text": VI}).encode(),
        b"{not json",
        b'"just a string"',
        b"[1, 2]",
        json.dumps({"id": "d", "body": "no text"}).encode(),
        json.dumps({"text": 42}).encode(),
        json.dumps({"text": ["a", "list"]}).encode(),
        json.dumps({"text": None}).encode(),
        b'{"text": "lone \\ud800 surrogate"}',
        b'{"text": "NUL \x00 raw"}',
        b"[" * 100_000,
        json.dumps({"text": "x" * (MAX_LINE_CHARS + 1)}).encode(),
        b'{"text": "' + to_cp1258("Tiếng Việt có dấu, người dân Hà Nội") + b'"}',
    ]) + b"\n")
    got = list(read_inputs([str(path)]))
    assert [g.source for g in got] == [f"c.jsonl:{i}" for i in range(1, 14)]
    assert isinstance(got[0], RawDoc) and got[0].encoding == "utf-8"
    assert isinstance(got[-1], RawDoc) and got[-1].encoding == "cp1258" and got[-1].text.startswith("Tiếng Việt")
    assert [(g.reason) for g in got[1:-1]] == ["bad_json", "bad_json", "bad_json", "no_text", "no_text", "no_text",
                                                "no_text", "decode_error", "binary", "bad_json", "too_long"]
    for g in got[1:-1]:
        assert g.detail.startswith(f"{g.source}: "), "a reject names the file and line"
    assert "`text` is a int" in got[5].detail and "surrogate" in got[8].detail


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_jsonl_in_utf16(tmp_path, codec):
    lines = [json.dumps({"id": str(i), "text": f"{VI} {i}"}, ensure_ascii=False) for i in range(3)]
    (tmp_path / "u.jsonl").write_bytes("\n".join(lines).encode(codec))
    got = list(read_inputs([str(tmp_path / "u.jsonl")]))
    assert [g.id for g in got] == ["0", "1", "2"] and all(g.text.startswith(VI) for g in got)


@pytest.mark.parametrize("suffix,compress", [(".gz", gzip.compress), (".zst", _zst)])
def test_truncated_jsonl_stream_keeps_what_came_before_and_names_the_line(tmp_path, suffix, compress):
    data = compress(JSON_LINES.encode())
    (tmp_path / f"t.jsonl{suffix}").write_bytes(data[: len(data) // 2])
    got = list(read_inputs([str(tmp_path)]))
    assert isinstance(got[-1], Reject) and got[-1].reason == "read_error", got[-1].source
    assert got[-1].detail.startswith(f"t.jsonl{suffix}: line {len(got)}: cannot read on")
    assert all(isinstance(d, RawDoc) for d in got[:-1]) and len(got) > 10 or suffix == ".zst"
    assert [d.id for d in got[:-1]] == [f"j{i}" for i in range(len(got) - 1)], "no partial line was taken as a document"


def test_multi_frame_zstd_is_read_whole(tmp_path):
    (tmp_path / "m.jsonl.zst").write_bytes(_zst(JSON_LINES[:5000].encode()) + _zst(JSON_LINES[5000:].encode()))
    got = list(read_inputs([str(tmp_path)]))
    assert len(got) == 3000 and all(isinstance(d, RawDoc) for d in got)


def test_parquet_without_text_or_with_a_wrong_type(tmp_path):
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "a-none.parquet")
    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "b-int.parquet")
    pq.write_table(pa.table({"text": pa.array(["Một bài", "Hai bài"]).dictionary_encode()}), tmp_path / "c-dict.parquet")
    pq.write_table(pa.table({"text": pa.array(["Ba bài"], pa.large_string())}), tmp_path / "d-large.parquet")
    (tmp_path / "e-junk.parquet").write_bytes(b"PAR1 this is not parquet at all")
    data = (tmp_path / "c-dict.parquet").read_bytes()
    (tmp_path / "f-trunc.parquet.zst").write_bytes(_zst(data)[:-20])
    got = {g.source: g for g in read_inputs([str(tmp_path)])}
    assert got["a-none.parquet"].reason == "no_text" and "no such column" in got["a-none.parquet"].detail
    assert got["b-int.parquet"].reason == "no_text" and "`text` is int64" in got["b-int.parquet"].detail
    assert got["c-dict.parquet:1"].text == "Hai bài" and got["d-large.parquet:0"].text == "Ba bài"
    assert got["e-junk.parquet:0"].reason == "read_error" and got["e-junk.parquet:0"].detail.startswith("e-junk.parquet: row 0")
    assert got["f-trunc.parquet.zst:0"].reason == "read_error"


def test_a_file_that_disappears_or_turns_unreadable_after_listing(tmp_path):
    for name in ("a.txt", "b.txt", "c.jsonl"):
        (tmp_path / name).write_text(json.dumps({"text": VI}) if name.endswith("jsonl") else VI, encoding="utf-8")
    listed = list(list_files([str(tmp_path)]))
    (tmp_path / "a.txt").unlink()  # gone
    (tmp_path / "b.txt").unlink()
    (tmp_path / "b.txt").mkdir()  # replaced by something that cannot be read as a file
    (tmp_path / "c.jsonl").unlink()
    got = [item for path, source in listed for item in read_file(path, source)]
    assert [(g.source, g.reason) for g in got] == [("a.txt", "read_error"), ("b.txt", "read_error"),
                                                   ("c.jsonl:1", "read_error")]
    assert "No such file" in got[0].detail and "a.txt" in got[0].detail
    assert "Is a directory" in got[1].detail


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions; "
                                               "the replaced-by-a-folder case above covers unreadable files")
def test_a_file_without_read_permission(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(VI, encoding="utf-8")
    path.chmod(0)
    (item,) = read_file(path, "secret.txt")
    assert item.reason == "read_error" and "Permission denied" in item.detail


def test_symlink_loops_neither_hang_nor_duplicate(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(VI, encoding="utf-8")
    os.symlink("..", root / "sub" / "up")  # folder loop
    os.symlink(root / "sub", root / "again")  # a second way to the same folder
    (root / "x").mkdir()
    os.symlink("../y", root / "x" / "toy")  # x/toy -> y, y/tox -> x: a two-link loop
    (root / "y").mkdir()
    os.symlink("../x", root / "y" / "tox")
    os.symlink("self.txt", root / "self.txt")  # a file symlink that points at itself
    os.symlink("nowhere.txt", root / "dangling.txt")
    start = time.perf_counter()
    got = {g.source: g for g in read_inputs([str(root)])}
    assert time.perf_counter() - start < 5
    assert sorted(got) == ["again/a.txt", "dangling.txt", "self.txt"]
    assert got["self.txt"].reason == "read_error" and "symbolic links" in got["self.txt"].detail
    assert got["dangling.txt"].reason == "read_error" and "dangling.txt" in got["dangling.txt"].detail


# ---------------------------------------------------------------- through the command line


def test_cli_records_each_bad_input_and_goes_on(bad_folder, tmp_path):
    (bad_folder / "good.txt").write_text(VI, encoding="utf-8")
    (tmp_path / "nodedup.toml").write_text("[clean]\ndedup = false\n")  # the good files all hold one text
    r = cli("clean", str(bad_folder), "--out", str(tmp_path / "o"), "--name", "bad", "--no-progress",
            "--config", str(tmp_path / "nodedup.toml"))
    assert r.returncode == 0, r.stderr
    version = tmp_path / "o" / "bad" / "v1.0.0"
    rejects = {x["source"]: x for x in rows(version, "rejects")}
    docs = {x["source"]: x for x in rows(version, "data")}
    for name, (_, (want, detail)) in CASES.items():
        if want == "ok":
            assert docs[name]["encoding"] == detail, name
        else:
            assert rejects[name]["reason"] == want, name
            assert name in r.stderr, f"the warning names {name}"
    assert docs["good.txt"]["encoding"] == "utf-8"
    assert "Hà Nội" in docs["cp1258.txt"]["text"]


def test_cli_strict_stops_at_the_first_bad_input(bad_folder, tmp_path):
    r = cli("clean", str(bad_folder), "--out", str(tmp_path / "o"), "--name", "bad", "--strict", "--no-progress")
    assert r.returncode == 1
    assert "--strict" in r.stderr and "blank.txt: empty" in r.stderr  # the first bad file in sorted order
    assert not (tmp_path / "o" / "bad" / "v1.0.0").exists()


def test_cli_fail_on_rejects_writes_the_version_and_exits_3(bad_folder, tmp_path):
    r = cli("clean", str(bad_folder), "--out", str(tmp_path / "o"), "--name", "bad", "--fail-on-rejects", "--no-progress")
    assert r.returncode == 3, r.stderr
    assert "--fail-on-rejects" in r.stderr and (tmp_path / "o" / "bad" / "v1.0.0" / "manifest.json").exists()
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(VI, encoding="utf-8")
    ok = cli("clean", str(good), "--out", str(tmp_path / "o"), "--name", "good", "--fail-on-rejects", "--no-progress")
    assert ok.returncode == 0, ok.stderr
    shutil.rmtree(good)
