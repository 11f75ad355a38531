"""Faults: a run killed at random moments and rerun, two runs of one version at once, a full disk,
an input that vanishes mid-run. Real subprocesses and real file systems; nothing is mocked."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.errors import CleanerError
from cleaner.publish.version import VersionBusy, list_versions, version_lock

from robustness_helpers import VI, cli, rows

ARGS = ("--name", "news", "--version", "1.0.0", "--no-progress")


def start(inputs: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(inputs), "--out", str(out), *ARGS, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def reap(proc: subprocess.Popen, timeout: float = 120) -> tuple[str, str]:
    """The output of a run; if it or a worker it left hangs, its whole process group is killed and the test fails."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"cleaner (pid {proc.pid}) or a worker it left did not finish in {timeout} s")


def assert_whole(version: Path) -> None:
    """A visible version is complete: its manifest lists every file, with the right bytes."""
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        data = (version / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]


def fingerprint(version: Path) -> dict:
    """What must not depend on how the run went: every row, and the sha256 of every data and rejects file."""
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    return {"documents": rows(version, "data"), "rejects": rows(version, "rejects"),
            "files": sorted((e["path"], e["sha256"]) for e in manifest["files"]
                            if e["path"].startswith(("data/", "rejects/")))}


def test_sigkill_at_random_moments_then_rerun_gives_the_same_dataset(corpus, tmp_path):
    reference = start(corpus, tmp_path / "ref")  # the uninterrupted run, alongside
    out = tmp_path / "killed"
    rng = random.Random(int(os.environ.get("KILL_SEED", "0")) or None)
    kills = []
    for _ in range(3):
        proc = start(corpus, out)
        time.sleep(rng.uniform(0.5, 3.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills.append("killed")
        else:
            kills.append(f"finished ({proc.returncode})")
        reap(proc, timeout=30)
        deadline = time.monotonic() + 10
        while group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("a worker outlived the killed run")
        # between runs, whatever is visible is a whole version, or nothing
        for _, version in list_versions(out / "news"):
            assert_whole(version)
    final = start(corpus, out)
    stdout, stderr = reap(final)
    version = out / "news" / "v1.0.0"
    if final.returncode == 1 and "already exists" in stderr:
        pass  # a killed run had got as far as publishing: the rerun refuses to overwrite it, as it should
    else:
        assert final.returncode == 0, stderr
    ref_err = reap(reference)[1]
    assert reference.returncode == 0, ref_err
    assert "killed" in kills, "the corpus is too small for any kill to land mid-run"
    assert_whole(version)
    assert fingerprint(version) == fingerprint(tmp_path / "ref" / "news" / "v1.0.0"), kills
    leftovers = [p.name for p in (out / "news").iterdir() if p.name.startswith((".staging", ".replaced"))]
    assert not leftovers, leftovers


def test_two_runs_of_one_version_at_once_one_wins(examples, tmp_path):
    a, b = start(examples, tmp_path), start(examples, tmp_path)
    errors = [reap(p)[1] for p in (a, b)]
    results = [(p.returncode, err) for p, err in zip((a, b), errors)]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "another cleaner run is writing this version" in loser
    assert_whole(tmp_path / "news" / "v1.0.0")


def test_a_held_lock_refuses_the_run_at_once(tmp_path, examples):
    final = tmp_path / "news" / "v1.0.0"
    with version_lock(final):
        r = cli("clean", str(examples), "--out", str(tmp_path), *ARGS)
        with pytest.raises(VersionBusy):
            with version_lock(final):
                pass
    assert r.returncode == 1 and "another cleaner run is writing this version now" in r.stderr
    assert not final.exists()
    assert cli("clean", str(examples), "--out", str(tmp_path), *ARGS).returncode == 0, "the lock is released"


@pytest.fixture()
def tiny_fs(tmp_path):
    """A real 120 KiB tmpfs, mounted for the test (needs root and mount permission)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({r.stderr.strip() or 'mount failed'}); "
                    f"the full-disk path is not exercised")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_fails_clearly_and_publishes_nothing(corpus, tiny_fs):
    r = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(corpus), "--out", str(tiny_fs), *ARGS],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stderr[-2000:]
    assert "no space left" in r.stderr and "no version was written" in r.stderr, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    dataset = tiny_fs / "news"
    assert not (dataset / "v1.0.0").exists()
    assert not list(dataset.glob(".staging-*")), "the staging folder is cleaned up"
    assert list_versions(dataset) == []


def test_an_input_that_vanishes_mid_run_is_a_reject_not_a_crash(corpus, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for part in sorted(corpus.glob("*.jsonl"))[:4]:
        shutil.copy(part, src)
    last = sorted(src.glob("*.jsonl"))[-1]
    proc = start(src, tmp_path / "out", "--workers", "1")  # shards in order: the last is not read yet
    first_shard = tmp_path / "out" / "news" / ".work-v1.0.0" / "clean" / "00000.json"
    deadline = time.monotonic() + 60
    while not first_shard.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    last.unlink()
    stdout, stderr = reap(proc)
    assert proc.returncode == 0, stderr
    version = tmp_path / "out" / "news" / "v1.0.0"
    gone = [r for r in rows(version, "rejects") if r["source"].startswith(last.name)]
    assert [r["reason"] for r in gone] == ["read_error"] and "No such file" in gone[0]["detail"]
    assert last.name in stderr
    assert_whole(version)
