"""Run safety (issue 11): a rerun after a crash reuses a shard only if nothing that shaped it changed,
Ctrl-C stops a run at once and the rerun resumes, a full disk is a clear error and never an abort.
Real subprocesses, real signals, a real tmpfs and real rule-pack files; nothing is mocked."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cleaner.config import Config
from cleaner.engine import _fingerprint, plan
from cleaner.publish.version import list_versions
from cleaner.rulepack import load_pack

from robustness_helpers import rows, write_corpus

ARGS = ("--name", "news", "--version", "1.0.0", "--no-progress")


def _sigint_default() -> None:
    # A run started from a terminal has SIGINT at its default; a test run in the background (`pytest &`)
    # inherits it ignored, and Python keeps an ignored SIGINT ignored. Start the runs as a terminal would.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(inputs: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(inputs), "--out", str(out), *ARGS, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_sigint_default)


def finish(proc: subprocess.Popen, timeout: float = 300) -> str:
    """The stderr of a run; a run (or a worker it left) that hangs is killed and the test fails."""
    try:
        return proc.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"cleaner (pid {proc.pid}) did not finish in {timeout} s")


def run_ok(inputs: Path, out: Path, *extra: str) -> Path:
    proc = start(inputs, out, *extra)
    err = finish(proc)
    assert proc.returncode == 0, err[-3000:]
    return out / "news" / "v1.0.0"


def tables(version: Path) -> dict:
    """Every row of every table of a version, and the per-document content hashes."""
    return {"data": rows(version, "data"), "rejects": rows(version, "rejects"), "removals": rows(version, "removals"),
            "hashes": pq.read_table(version / "hashes.parquet").to_pylist()}


def work(out: Path) -> Path:
    return out / "news" / ".work-v1.0.0"


def finished_shards(out: Path) -> list[Path]:
    return sorted((work(out) / "clean").glob("[0-9]*.json")) if (work(out) / "clean").is_dir() else []


def wait_for_a_finished_shard(proc: subprocess.Popen, out: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not finished_shards(out) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before any shard finished: make the corpus larger"
    assert finished_shards(out), f"no shard finished in {timeout} s"


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid`, from /proc."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def alive(pid: int) -> bool:
    """Running (a zombie has ended; only its parent, gone too, could reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


# ---------------------------------------------------------------- 1. what shaped a shard

PACK = """
[pack]
name = "my-site"
version = "1.0.0"
language = "vi"

[[rules]]
id = "site.country"
pattern = '{pattern}'
examples = ["{example}"]
keeps = ["Hà Nội"]
"""
OLD_RULE = PACK.format(pattern="^Việt Nam hôm nay 2099$", example="Việt Nam hôm nay 2099")  # matches no line
NEW_RULE = PACK.format(pattern="Việt Nam", example="Du lịch Việt Nam")  # matches many


def test_a_rule_pack_edited_between_crash_and_rerun_is_not_mixed_with_old_shards(corpus, tmp_path):
    pack = tmp_path / "my-site.toml"
    pack.write_text(OLD_RULE, encoding="utf-8")
    rules = ("--rules", "vi-news", "--rules", str(pack))
    out = tmp_path / "crashed"
    proc = start(corpus, out, *rules, "--workers", "1")  # shards in order, one at a time
    old = start(corpus, tmp_path / "old", *rules)  # the uninterrupted run with the old pack, alongside
    wait_for_a_finished_shard(proc, out)
    os.killpg(proc.pid, signal.SIGKILL)
    finish(proc)
    assert not (out / "news" / "v1.0.0").exists()
    finished = finished_shards(out)
    assert finished, "the crash left no finished shard to reuse"
    kept = [line["text"] for f in finished for r in pq.read_table(f.with_suffix(".parquet")).to_pylist()
            for line in r["_lines"]]
    assert any("Việt Nam" in t for t in kept), "a finished shard must hold lines the edited rule removes"
    err = finish(old)
    assert old.returncode == 0, err[-3000:]

    pack.write_text(NEW_RULE, encoding="utf-8")  # a real edit of the pack between the crash and the rerun
    rerun = run_ok(corpus, out, *rules, "--workers", "1")
    fresh = run_ok(corpus, tmp_path / "fresh", *rules)
    assert tables(rerun) == tables(fresh)
    assert tables(rerun) != tables(tmp_path / "old" / "news" / "v1.0.0")
    assert any(r["rule"] == "site.country" for r in rows(rerun, "removals"))
    manifest = json.loads((rerun / "manifest.json").read_text(encoding="utf-8"))
    assert [p["sha256"] for p in manifest["rule_packs"] if p["name"] == "my-site"] == [load_pack(str(pack)).sha256]


def test_the_work_fingerprint_covers_what_shapes_a_shard_and_nothing_else(tmp_path, examples):
    pack = tmp_path / "my-site.toml"
    pack.write_text(OLD_RULE, encoding="utf-8")
    config = Config(inputs=(str(examples),), out=str(tmp_path), rule_packs=("vi-news", str(pack)))
    shards = plan(config)

    def fp(c: Config = config) -> str:
        return _fingerprint(c, shards, [load_pack(p) for p in c.rule_packs])

    base = fp()
    same = [Config(**{**config.to_dict(), k: v}) for k, v in
            (("workers", 7), ("progress", False), ("force", True), ("engine", "ray"))]
    assert all(fp(c) == base for c in same), "how the run is shown or spread does not change a shard"
    changed = {k: v for k, v in (("strict", True), ("lang", "vi"), ("dedup", False), ("lang_sample_chars", 80),
                                 ("frequent_line_min_docs", 9), ("near_dup_shingle", 4), ("shard_bytes", 1 << 20))}
    for key, value in changed.items():
        assert fp(Config(**{**config.to_dict(), key: value})) != base, key
    pack.write_text(OLD_RULE.replace('version = "1.0.0"', 'version = "1.0.0"\ndescription = "edited"'),
                    encoding="utf-8")
    assert fp() != base, "the pack's bytes, not its name or path"


# ---------------------------------------------------------------- 2. Ctrl-C

@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    """3,000 documents (about 8 MB of JSONL in 4 files, 8 shards): a run takes 15-40 s on 2 cores."""
    return write_corpus(tmp_path_factory.mktemp("big") / "in", docs=3000, files=4)


def test_ctrl_c_stops_at_once_leaves_no_worker_and_the_rerun_resumes(big_corpus, tmp_path):
    out = tmp_path / "interrupted"
    reference = run_ok(big_corpus, tmp_path / "ref", "--workers", "2")
    # (that the run was stopped mid-stage, not at its end, is asserted below: 1 <= finished shards < all)

    proc = start(big_corpus, out, "--workers", "2")
    wait_for_a_finished_shard(proc, out)
    workers = children(proc.pid)
    assert len(workers) >= 2, workers
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends (here to the run only, not to its workers)
    try:
        err = proc.communicate(timeout=5)[1]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the run did not stop within 5 s of SIGINT")
    took = time.monotonic() - sent
    assert proc.returncode == 130, err[-3000:]
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err[-3000:]
    n = len(finished_shards(out))
    total = json.loads((work(out) / "plan.json").read_text(encoding="utf-8"))["shards"]
    assert lines[0] == f"cleaner: interrupted: {n} of {total} shards finished; run the same command again to resume"
    assert 1 <= n < total
    time.sleep(0.2)
    assert not [w for w in workers if alive(w)], "a worker outlived the interrupted run"
    assert not (out / "news" / "v1.0.0").exists() and list_versions(out / "news") == []

    # the rerun reuses the finished shards: mark one's saved summary, and the rerun prints the mark
    marked = finished_shards(out)[0]
    summary = json.loads(marked.read_text(encoding="utf-8"))
    marker = "reused shard " + marked.stem
    summary["warnings"] = [marker]
    marked.write_text(json.dumps(summary), encoding="utf-8")
    rerun = start(big_corpus, out, "--workers", "2")
    err = finish(rerun)
    assert rerun.returncode == 0, err[-3000:]
    assert f"warning: {marker}" in err, "the rerun did not reuse the shards that finished"
    assert tables(out / "news" / "v1.0.0") == tables(reference)
    print(f"stopped {took:.2f} s after SIGINT with {n} of {total} shards finished")


def test_ctrl_c_stops_a_single_worker_run_too(big_corpus, tmp_path):
    out = tmp_path / "one"
    proc = start(big_corpus, out, "--workers", "1")
    wait_for_a_finished_shard(proc, out)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        err = proc.communicate(timeout=5)[1]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("a --workers 1 run did not stop within 5 s of SIGINT")
    assert proc.returncode == 130 and "shards finished; run the same command again to resume" in err, err[-3000:]
    assert time.monotonic() - sent < 5


# ---------------------------------------------------------------- 3. a full disk

@pytest.fixture()
def tmpfs(tmp_path):
    """A real tmpfs, mounted for the test and resized by it (needs root and mount permission)."""
    mnt = tmp_path / "fs"
    mnt.mkdir()

    def mount(kib: int, remount: bool = False) -> None:
        options = f"remount,size={kib}k" if remount else f"size={kib}k"
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)], capture_output=True, text=True)
        if r.returncode != 0:
            if remount:
                pytest.fail(f"cannot resize the tmpfs: {r.stderr.strip()}")
            pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or 'mount failed'}); "
                        f"the full-disk path is not exercised")

    try:
        yield mnt, mount
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def assert_full_disk_failure(proc: subprocess.Popen, err: str, out: Path) -> None:
    assert proc.returncode == 1, f"exit {proc.returncode} (134 is SIGABRT): {err[-3000:]}"
    assert "no space left on the device" in err and "no version was written" in err, err[-3000:]
    assert "Traceback" not in err and "Check failed" not in err, err[-3000:]
    dataset = out / "news"
    assert not (dataset / "v1.0.0").exists()
    assert not list(dataset.glob(".staging-*")), "the staging folder is cleaned up"
    assert list_versions(dataset) == []


def signed_shards(out: Path) -> int:
    return len(list((work(out) / "sign").glob("[0-9]*.json"))) if (work(out) / "sign").is_dir() else 0


def test_a_disk_that_fills_during_the_parquet_write_is_a_clear_error_three_times_out_of_three(big_corpus, tmpfs):
    mnt, mount = tmpfs
    corpus_kib = sum(p.stat().st_size for p in big_corpus.glob("*.jsonl")) // 1024
    total = len(plan(Config(inputs=(str(big_corpus),), workers=2)))
    # Grow the disk until the work folder fits: each failed run keeps the shards it finished, so the
    # first run whose map stages all finish fails in the final write, with a few hundred KB free.
    kib = corpus_kib * 3 // 4
    mount(kib)
    for _ in range(12):
        proc = start(big_corpus, mnt, "--workers", "2")
        err = finish(proc)
        assert_full_disk_failure(proc, err, mnt)
        if signed_shards(mnt) == total:
            break
        kib = kib * 21 // 20
        mount(kib, remount=True)
    else:
        pytest.fail(f"the work folder did not fit in {kib} KiB")
    free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
    codes = [proc.returncode]
    for _ in range(2):  # the same command again, twice: the write stage fails the same way
        proc = start(big_corpus, mnt, "--workers", "2")
        err = finish(proc)
        codes.append(proc.returncode)
        assert_full_disk_failure(proc, err, mnt)
        assert signed_shards(mnt) == total, "the finished shards are kept for the rerun"
    assert codes == [1, 1, 1]
    print(f"tmpfs {kib} KiB, {free // 1024} KiB free when the final write began; exits {codes}")


def test_a_disk_too_small_for_the_work_folder_is_a_clear_error_three_times_out_of_three(big_corpus, tmpfs):
    mnt, mount = tmpfs
    corpus_kib = sum(p.stat().st_size for p in big_corpus.glob("*.jsonl")) // 1024
    mount(corpus_kib // 4)
    codes = []
    for _ in range(3):
        proc = start(big_corpus, mnt, "--workers", "2")
        err = finish(proc)
        codes.append(proc.returncode)
        assert_full_disk_failure(proc, err, mnt)
        assert signed_shards(mnt) == 0, "the clean stage itself did not fit"
    assert codes == [1, 1, 1]
