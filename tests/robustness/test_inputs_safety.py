"""Issue 11, inputs: no input can corrupt, leak or hang a run. Every input is made for real (symlinks,
FIFOs, sockets, device files, non-UTF-8 file names, a 256 MB line) and the CLI is run in a subprocess."""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.readers import Reject, read_inputs, scan

from robustness_helpers import VI, cli, rows

VI2 = VI.replace("Hà Nội", "Hải Phòng").replace("Đà Nẵng", "Cần Thơ")
VI3 = ("Mưa lớn kéo dài khiến nhiều tuyến đường ở thành phố Huế bị ngập sâu.\n\n"
       "Chính quyền địa phương đã huy động lực lượng hỗ trợ người dân di chuyển đến nơi an toàn.\n"
       "Dự báo trong hai ngày tới, lượng mưa sẽ giảm dần và nước rút chậm.\n")


def _clean(src, out: Path, *flags: str, name: str = "t", timeout: float = 120) -> subprocess.CompletedProcess:
    srcs = [str(s) for s in (src if isinstance(src, (list, tuple)) else [src])]
    return cli("clean", *srcs, "--out", str(out), "--name", name, "--no-progress", "--workers", "1", *flags,
               timeout=timeout)


@contextlib.contextmanager
def _deadline(seconds: int):
    """Fail (not hang) if the block takes longer: SIGALRM interrupts a blocking open() of a FIFO."""
    def expired(*_):
        raise TimeoutError(f"still running after {seconds}s: something opened a FIFO or read a device")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _read_count(stderr: str) -> int:
    return int(re.search(r"documents: read (\d+),", stderr).group(1))


# ---------------------------------------------------------------- 1. symlinks out of an input folder

@pytest.fixture()
def linked(tmp_path):
    """d/ holds a.txt, a link to /etc/passwd named p.txt, a link to /etc, a link to a folder and a file
    outside d, and a link to a folder inside d."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(VI2, encoding="utf-8")
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(VI, encoding="utf-8")
    (d / "sub" / "b.txt").write_text(VI3, encoding="utf-8")
    os.symlink("/etc/passwd", d / "p.txt")
    os.symlink("/etc", d / "etc")
    os.symlink(outside, d / "out-folder")
    os.symlink(outside / "secret.txt", d / "s.txt")
    os.symlink("sub", d / "inner")  # stays inside d: followed (and sub is walked once)
    return d


def test_symlinks_out_of_an_input_folder_are_rejected_and_named(linked, tmp_path):
    r = _clean(linked, tmp_path / "o")
    assert r.returncode == 0, r.stderr
    version = tmp_path / "o" / "t" / "v1.0.0"
    rejects = {x["source"]: x for x in rows(version, "rejects")}
    for name in ("p.txt", "etc", "out-folder", "s.txt"):
        assert rejects[name]["reason"] == "outside_input", name
        assert name in r.stderr, f"a warning names {name}"
    assert "/etc/passwd" in rejects["p.txt"]["detail"]
    docs = rows(version, "data")
    assert sorted(x["source"] for x in docs) == ["a.txt", "inner/b.txt"], "inside links are followed, once"
    texts = "\n".join(x["text"] for x in docs)
    assert "root:" not in texts and "Hải Phòng" not in texts, "nothing outside the folder was read"
    blob = b"".join(p.read_bytes() for p in version.rglob("*") if p.is_file())
    assert b"root:x:0:0" not in blob and "Hải Phòng".encode() not in blob


def test_follow_symlinks_follows_them(linked, tmp_path):
    os.unlink(linked / "etc")  # /etc would be walked whole
    os.unlink(linked / "p.txt")
    r = _clean(linked, tmp_path / "o", "--follow-symlinks")
    assert r.returncode == 0, r.stderr
    version = tmp_path / "o" / "t" / "v1.0.0"
    assert not [x for x in rows(version, "rejects") if x["reason"] == "outside_input"]
    docs = rows(version, "data")
    read = {x["source"] for x in docs} | {x["source"] for x in rows(version, "rejects")}
    assert {"a.txt", "inner/b.txt", "s.txt", "out-folder/secret.txt"} <= read, read
    assert any("Hải Phòng" in x["text"] for x in docs), "the file outside was read (once: the other is a duplicate)"
    assert json.loads((version / "manifest.json").read_text())["config"]["follow_symlinks"] is True


def test_follow_symlinks_is_a_config_key(linked, tmp_path):
    (tmp_path / "c.toml").write_text("[clean]\nfollow_symlinks = true\n", encoding="utf-8")
    os.unlink(linked / "etc")
    os.unlink(linked / "p.txt")
    r = _clean(linked, tmp_path / "o", "--config", str(tmp_path / "c.toml"))
    assert r.returncode == 0, r.stderr
    assert not [x for x in rows(tmp_path / "o" / "t" / "v1.0.0", "rejects") if x["reason"] == "outside_input"]


# ---------------------------------------------------------------- 2. FIFOs, sockets, devices

@pytest.fixture()
def specials(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(VI, encoding="utf-8")
    os.mkfifo(d / "fifo.jsonl")
    os.mkfifo(d / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(d / "sock.txt"))
    if os.geteuid() == 0:  # a real character device node, /dev/zero's numbers
        os.mknod(d / "zero.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    os.symlink("/dev/zero", d / "z.jsonl")
    os.symlink("/dev/urandom", d / "u.txt")
    yield d
    sock.close()


def test_fifos_sockets_and_devices_are_never_opened(specials, tmp_path):
    start = time.perf_counter()
    r = _clean(specials, tmp_path / "o", "--follow-symlinks", timeout=60)  # followed: the links reach the devices
    assert r.returncode == 0, r.stderr
    assert time.perf_counter() - start < 60
    rejects = {x["source"]: x for x in rows(tmp_path / "o" / "t" / "v1.0.0", "rejects")}
    want = {"fifo.jsonl", "fifo.txt", "sock.txt", "z.jsonl", "u.txt"} | ({"zero.txt"} if os.geteuid() == 0 else set())
    assert {s for s, x in rejects.items() if x["reason"] == "not_a_file"} == want
    assert "FIFO" in rejects["fifo.jsonl"]["detail"] and "socket" in rejects["sock.txt"]["detail"]
    assert "character device" in rejects["z.jsonl"]["detail"]
    assert [x["source"] for x in rows(tmp_path / "o" / "t" / "v1.0.0", "data")] == ["a.txt"]


def test_without_follow_the_device_links_are_outside_input(specials, tmp_path):
    r = _clean(specials, tmp_path / "o", timeout=60)
    assert r.returncode == 0, r.stderr
    rejects = {x["source"]: x["reason"] for x in rows(tmp_path / "o" / "t" / "v1.0.0", "rejects")}
    assert rejects["z.jsonl"] == rejects["u.txt"] == "outside_input" and rejects["fifo.txt"] == "not_a_file"


def test_a_fifo_given_directly_is_rejected_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "f.jsonl")
    os.symlink("/dev/zero", tmp_path / "z.jsonl")
    r = _clean([tmp_path / "f.jsonl", tmp_path / "z.jsonl"], tmp_path / "o", timeout=60)
    assert r.returncode == 1, r.stderr
    assert "no document was kept: 2 read, 2 rejected (not_a_file 2)" in r.stderr
    with _deadline(20):  # in this process too: a regression that opens the FIFO fails, it does not hang
        got = list(read_inputs([str(tmp_path / "f.jsonl")]))
        listed = list(scan([str(tmp_path)]))
    assert [(g.source, g.reason) for g in got] == [("f.jsonl", "not_a_file")]
    assert sorted((f.source, f.reject.reason) for f in listed) == [("f.jsonl", "not_a_file"), ("z.jsonl", "outside_input")]


# ---------------------------------------------------------------- 3. --out inside or equal to an input folder

def test_out_equal_to_the_input_folder_never_reads_a_version_back(tmp_path, examples):
    import shutil

    d = tmp_path / "d"
    shutil.copytree(examples, d)
    first = _clean(d, d)
    assert first.returncode == 0, first.stderr
    assert (d / "t" / "v1.0.0" / "manifest.json").exists()
    for flags in (("--version", "1.0.1"), ("--force",)):
        again = _clean(d, d, *flags)
        assert again.returncode == 0, again.stderr
        assert _read_count(again.stderr) == _read_count(first.stderr) == len(list(examples.glob("*.txt")))
    sources = {x["source"] for x in rows(d / "t" / "v1.0.1", "data")} | \
        {x["source"] for x in rows(d / "t" / "v1.0.1", "rejects")}
    assert not [s for s in sources if s.startswith("t/")]


# ---------------------------------------------------------------- 4. ids unique within a version

def test_two_inputs_with_the_same_relative_path_keep_their_root(tmp_path):
    for root, text in (("A", VI), ("B", VI3)):
        (tmp_path / root).mkdir()
        (tmp_path / root / "a.txt").write_text(text, encoding="utf-8")
    r = cli("clean", "A", "B", "--out", "o", "--name", "t", "--no-progress", cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    docs = rows(tmp_path / "o" / "t" / "v1.0.0", "data")
    assert sorted(x["source"] for x in docs) == ["A/a.txt", "B/a.txt"]
    assert len({x["id"] for x in docs}) == 2


def _jsonl(path: Path, objs: list[dict]) -> None:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), encoding="utf-8")


def test_a_repeated_jsonl_id_is_made_unique_whatever_the_shards(tmp_path):
    texts = [VI, VI3, VI2, VI.replace("xăng dầu", "vàng"), VI3.replace("Huế", "Quảng Ngãi")] * 40
    objs = [{"id": "X" if i % 3 == 0 else f"d{i}", "text": f"{t}\nBài số {i} trong loạt bài về thời tiết và giá cả."}
            for i, t in enumerate(texts)]
    objs[5]["id"] = "X#2"  # an input's own id that the made-unique ids must step over
    _jsonl(tmp_path / "c.jsonl", objs)
    (tmp_path / "c.toml").write_text("[clean]\ndedup = false\nshard_bytes = 4000\n", encoding="utf-8")
    got = {}
    for workers in ("1", "2"):
        r = cli("clean", str(tmp_path / "c.jsonl"), "--out", str(tmp_path / "o"), "--name", f"w{workers}",
                "--no-progress", "--workers", workers, "--config", str(tmp_path / "c.toml"))
        assert r.returncode == 0, r.stderr
        docs = rows(tmp_path / "o" / f"w{workers}" / "v1.0.0", "data")
        got[workers] = [(x["source"], x["id"]) for x in docs]
        ids = [x["id"] for x in docs]
        assert len(ids) == len(set(ids)) == len(objs), "every id is unique within the version"
    assert got["1"] == got["2"], "the same ids whatever the number of shards and workers"
    by_source = dict(got["1"])
    assert by_source["c.jsonl:1"] == "X" and by_source["c.jsonl:4"] == "X#3" and by_source["c.jsonl:6"] == "X#2"
    assert "id 'X' was already used" in r.stderr


def test_non_string_ids_are_converted_never_a_python_repr(tmp_path):
    ids = [1, True, {"b": 2, "a": 1}, 1.5, [1, "x"], None, ""]
    _jsonl(tmp_path / "c.jsonl", [{"id": v, "text": f"{VI}\nBài {i}."} for i, v in enumerate(ids)])
    got = [g.id for g in read_inputs([str(tmp_path / "c.jsonl")])]
    assert got[:5] == ["1", "true", '{"a":1,"b":2}', "1.5", '[1,"x"]']
    assert got[5] is None and got[6] is None, "no id: derived from the source"
    notes = [n for g in read_inputs([str(tmp_path / "c.jsonl")]) for n in g.notes]
    assert len(notes) == 5 and "c.jsonl:2: `id` is a boolean" in notes[1]


def test_diff_counts_one_changed_document_of_three(tmp_path):
    (tmp_path / "c.toml").write_text("[clean]\ndedup = false\n", encoding="utf-8")
    a = [{"id": "X", "text": t} for t in (VI, VI2, VI3)]  # one id for all three
    _jsonl(tmp_path / "c.jsonl", a)
    base = ("--out", str(tmp_path / "o"), "--name", "t", "--no-progress", "--config", str(tmp_path / "c.toml"))
    assert cli("clean", str(tmp_path / "c.jsonl"), *base).returncode == 0
    a[1]["text"] = VI2.replace("Hải Phòng", "Nha Trang")
    _jsonl(tmp_path / "c.jsonl", a)
    assert cli("clean", str(tmp_path / "c.jsonl"), *base, "--version", "1.1.0").returncode == 0
    r = cli("diff", str(tmp_path / "o" / "t"), "1.0.0", "1.1.0")
    assert r.returncode == 0, r.stderr
    assert "documents changed: 1:\n  - `X#2` (c.jsonl:2): text changed" in r.stdout  # by source too, and what changed
    assert "documents unchanged: 2" in r.stdout
    assert "documents added: 0" in r.stdout and "documents removed: 0" in r.stdout


# ---------------------------------------------------------------- 5. line breaks

@pytest.mark.parametrize("brk", ["\r", "\r\n", "\u2028", "\u2029", "\u0085"])
def test_every_line_break_ends_a_line(tmp_path, brk):
    text = VI.replace("\n", brk)
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    r = _clean(tmp_path / "a.txt", tmp_path / "o")
    assert r.returncode == 0, r.stderr
    (doc,) = rows(tmp_path / "o" / "t" / "v1.0.0", "data")
    assert doc["text"].count("\n") >= 1 and "Người dân ở Đà Nẵng" in doc["text"]
    assert not set(doc["text"]) & set("\r\u2028\u2029\u0085")


def test_a_line_break_made_by_an_entity_stays_inside_its_line():
    from cleaner.config import Config
    from cleaner.pipeline import build, judge
    from cleaner.readers import RawDoc

    raw = "Tiêu đề bài báo hôm nay\n\nNgười dân ở Đà Nẵng&#10;cho biết&#x2028;họ đã chuẩn bị&#13;cho đợt điều chỉnh.\n"
    doc = judge(build(Config()), RawDoc("a.txt", raw))
    assert "Người dân ở Đà Nẵng cho biết họ đã chuẩn bị cho đợt điều chỉnh." in doc.text.split("\n")
    assert doc.text.count("\n") + 1 == len(doc.lines)


# ---------------------------------------------------------------- 7. file names that are not UTF-8

def test_a_file_name_that_is_not_utf8_is_read_and_escaped(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    fd = os.open(os.fsencode(d) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, VI.encode("utf-8"))
    os.close(fd)
    (d / "b.txt").write_text(VI3, encoding="utf-8")
    r = _clean(d, tmp_path / "o")
    assert r.returncode == 0, r.stderr
    assert sorted(x["source"] for x in rows(tmp_path / "o" / "t" / "v1.0.0", "data")) == ["b.txt", "caf\\xe9.txt"]


# ---------------------------------------------------------------- 8. nothing to read, nothing kept

def test_an_empty_input_folder_exits_1_and_says_what_was_skipped(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    r = _clean(d, tmp_path / "o")
    assert r.returncode == 1 and f"no input files found in {d}" in r.stderr
    for name in ("a.json", "b.json", "c.json", "d.ndjson", "e.jsonl.bz2", "f.xz", ".hidden.txt", "README"):
        (d / name).write_text("{}", encoding="utf-8")
    r = _clean(d, tmp_path / "o")
    assert r.returncode == 1, r.stderr
    assert "(skipped: 3 .json, 1 .bz2, 1 .ndjson, 1 .xz, 1 dotfile, 1 no extension)" in r.stderr
    assert not (tmp_path / "o" / "t" / "v1.0.0").exists()


def test_a_run_that_keeps_nothing_exits_1_and_writes_no_version(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    for i in range(3):
        (d / f"{i}.txt").write_text("", encoding="utf-8")
    (d / "x.jsonl").write_text('{"text": "Quảng cáo"}\n{"text": "Chia sẻ"}\n', encoding="utf-8")
    r = _clean(d, tmp_path / "o")
    assert r.returncode == 1, r.stderr
    assert "no document was kept: 5 read, 5 rejected (empty 3, no_body 2)" in r.stderr
    assert not (tmp_path / "o" / "t" / "v1.0.0").exists()
    assert not list((tmp_path / "o" / "t").glob(".work-*")) and not list((tmp_path / "o" / "t").glob(".staging-*"))


def test_skipped_files_are_counted_in_the_summary_and_the_manifest(tmp_path):
    d = tmp_path / "d"
    (d / ".git").mkdir(parents=True)
    (d / "a.txt").write_text(VI, encoding="utf-8")
    for name in ("x.json", "y.json", ".DS_Store", "notes.md"):
        (d / name).write_text("x", encoding="utf-8")
    r = _clean(d, tmp_path / "o")
    assert r.returncode == 0, r.stderr
    assert "files skipped (not .txt, .jsonl or .parquet): 5 (2 .json, 1 .md, 1 dotfile, 1 hidden folder)" in r.stderr
    manifest = json.loads((tmp_path / "o" / "t" / "v1.0.0" / "manifest.json").read_text())
    assert manifest["stats"]["files_skipped"] == {".json": 2, ".md": 1, "dotfile": 1, "hidden folder": 1}


# ---------------------------------------------------------------- 9. a huge line costs no memory

LINE_MB = 256


def test_a_huge_jsonl_line_is_rejected_in_bounded_memory(tmp_path):
    """A LINE_MB line with no newline (1 GB measured by hand: see the issue's report) through a whole run."""
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as f:
        f.write(json.dumps({"id": "ok", "text": VI}, ensure_ascii=False).encode() + b"\n")
        f.write(b'{"text": "')
        chunk = b"a" * (1 << 20)
        for _ in range(LINE_MB):
            f.write(chunk)
    code = ("import resource, subprocess, sys; "
            "r = subprocess.run([sys.executable, '-m', 'cleaner', 'clean', sys.argv[1], '--out', sys.argv[2], "
            "'--name', 'h', '--no-progress', '--workers', '1', '--config', sys.argv[3]], capture_output=True, text=True); "
            "print(r.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "sys.stderr.write(r.stderr)")
    (tmp_path / "c.toml").write_text("[clean]\nshard_bytes = 1048576\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "o"), str(tmp_path / "c.toml")],
                       capture_output=True, text=True, timeout=300)
    rc, peak_kb = map(int, r.stdout.split())
    assert rc == 0, r.stderr
    assert peak_kb < 300 * 1024, f"peak RSS {peak_kb // 1024} MB for a {LINE_MB} MB line"
    rejects = rows(tmp_path / "o" / "h" / "v1.0.0", "rejects")
    assert [(x["source"], x["reason"]) for x in rejects] == [("huge.jsonl:2", "too_large")]


# ---------------------------------------------------------------- 6. TCVN3 and VNI

LEGACY_TEXTS = [
    VI, VI3,
    "Thủ tướng Chính phủ yêu cầu các bộ, ngành khẩn trương hoàn thiện hồ sơ trình Quốc hội.\n"
    "Ủy ban nhân dân tỉnh Quảng Ninh đã tổ chức lễ đón nhận bằng khen của Đảng và Nhà nước.\n"
    "Ông Nguyễn Văn Được, người dân xã Ứng Hòa, cho biết gia đình ông rất phấn khởi trước tin này.\n",
]
WESTERN = ["Le café «Chez René» a fermé; l’été dernier, la crème brûlée coûtait 3 €.\n",
           "Die Größe der Brücke über den Fluß überraschte Jürgen Müller sehr.\n",
           "El niño comió una piña en la montaña; ¿qué opinión tenía él?\n"]


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
@pytest.mark.parametrize("i", range(len(LEGACY_TEXTS)))
def test_legacy_vietnamese_is_converted_to_unicode(tmp_path, name, i):
    from cleaner.readers.legacy import encode_legacy

    text = LEGACY_TEXTS[i]
    data = encode_legacy(text, name)
    assert data.decode("cp1252", "replace") != text and data.decode("latin-1").encode("latin-1") == data
    (tmp_path / "a.txt").write_bytes(data)
    (tmp_path / "b.jsonl").write_bytes(b'{"id": "j", "text": "' + encode_legacy(text.replace("\n", " "), name) + b'"}\n')
    got = {g.source: g for g in read_inputs([str(tmp_path)])}
    want = text.lower() if name == "tcvn3" and i == 2 else text  # ABC capitals: see legacy_vi.toml
    assert got["a.txt"].encoding == name and got["b.jsonl:1"].encoding == name
    if name == "tcvn3" and i == 2:  # Ủ, Ô, Ư, Q, Đ... of ABC text: lowercase codes for the toned capitals
        assert got["a.txt"].text.lower() == want
    else:
        assert got["a.txt"].text == want and got["b.jsonl:1"].text == text.replace("\n", " ")


def test_legacy_vietnamese_through_a_run_is_vietnamese_not_mojibake(tmp_path):
    from cleaner.readers.legacy import encode_legacy

    d = tmp_path / "d"
    d.mkdir()
    (d / "t.txt").write_bytes(encode_legacy(VI, "tcvn3"))
    (d / "v.txt").write_bytes(encode_legacy(VI3, "vni"))
    r = _clean(d, tmp_path / "o")
    assert r.returncode == 0, r.stderr
    docs = {x["source"]: x for x in rows(tmp_path / "o" / "t" / "v1.0.0", "data")}
    assert docs["t.txt"]["encoding"] == "tcvn3" and "Người dân ở Đà Nẵng" in docs["t.txt"]["text"]
    assert docs["v.txt"]["encoding"] == "vni" and "Chính quyền địa phương" in docs["v.txt"]["text"]
    assert docs["t.txt"]["lang"] == docs["v.txt"]["lang"] == "vi"


@pytest.mark.parametrize("text", WESTERN)
def test_western_windows_1252_is_not_taken_for_legacy_vietnamese(tmp_path, text):
    (tmp_path / "w.txt").write_bytes(text.encode("cp1252"))
    (doc,) = read_inputs([str(tmp_path / "w.txt")])
    assert doc.encoding == "windows-1252" and doc.text == text


def test_windows_1258_and_utf8_vietnamese_are_not_taken_for_tcvn3_or_vni(tmp_path):
    from robustness_helpers import to_cp1258

    for i, text in enumerate(LEGACY_TEXTS):
        (tmp_path / f"c{i}.txt").write_bytes(to_cp1258(text))
        (tmp_path / f"u{i}.txt").write_bytes(text.encode("utf-8"))
    got = {g.source: g for g in read_inputs([str(tmp_path)])}
    for i, text in enumerate(LEGACY_TEXTS):
        assert (got[f"c{i}.txt"].encoding, got[f"c{i}.txt"].text) == ("cp1258", text)
        assert (got[f"u{i}.txt"].encoding, got[f"u{i}.txt"].text) == ("utf-8", text)


def test_text_that_is_tcvn3_only_in_part_is_rejected_not_passed_on(tmp_path):
    from cleaner.readers.legacy import encode_legacy

    half = encode_legacy(VI, "tcvn3") + encode_legacy(VI3, "vni")
    (tmp_path / "m.txt").write_bytes(half)
    (got,) = read_inputs([str(tmp_path / "m.txt")])
    assert isinstance(got, Reject) and got.reason == "legacy_encoding" and got.detail.startswith("m.txt: ")


def test_inputs_that_end_alike_are_told_apart_by_their_last_components_only(tmp_path):
    for parent, text in (("x", VI), ("y", VI3)):
        (tmp_path / parent / "data").mkdir(parents=True)
        (tmp_path / parent / "data" / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "p1.jsonl").write_text(json.dumps({"text": VI2}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = _clean([tmp_path / "x" / "data", tmp_path / "y" / "data", tmp_path / "p1.jsonl"], tmp_path / "o")
    assert r.returncode == 0, r.stderr
    docs = rows(tmp_path / "o" / "t" / "v1.0.0", "data")
    assert sorted(x["source"] for x in docs) == ["p1.jsonl:1", "x/data/a.txt", "y/data/a.txt"]
    assert str(tmp_path) not in (tmp_path / "o" / "t" / "v1.0.0" / "data").joinpath(
        "train-00000-of-00001.parquet").read_bytes().decode("latin-1"), "no machine path in the data"
