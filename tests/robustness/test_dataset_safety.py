"""Dataset folders as hostile input: hand-edited cards and manifests that point outside their version,
mistyped paths that must not become hub requests, umask 000, control characters bound for the terminal,
a damaged parent version, damaged manifests, and an output folder that cannot be written.

Every input is made for real: a version written by `cleaner clean`, then edited or damaged on disk; real
FIFOs, symlinks, mounts and umasks, in real subprocesses. The hub is the local stand-in of tests/hubserver.py,
or a closed local port when nothing may reach it.
"""
from __future__ import annotations

import hashlib
import json
import re
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import cleaner
from cleaner.publish.manifest import DamagedVersion, OutsideVersion

from hubserver import HubServer  # tests/hubserver.py (tests/ is on pytest's pythonpath)
from robustness_helpers import VI, cli

TOKEN = "hf_datasetSafetyTestToken"
WRITES = ("POST", "PUT", "DELETE", "PATCH")
SHARD = "data/train-00000-of-00001.parquet"
OSC, CLEAR = "\x1b]0;pwned\x07", "\x1b[2J"


# ---------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def built(tmp_path_factory, examples) -> Path:
    """OUT/vi with v1.0.0 of the bundled examples, written by the real CLI."""
    out = tmp_path_factory.mktemp("built") / "out"
    r = cli("clean", str(examples), "--out", str(out), "--name", "vi", "--no-progress")
    assert r.returncode == 0, r.stderr
    return out / "vi"


@pytest.fixture()
def dataset(built, tmp_path) -> Path:
    """A private copy of OUT/vi to damage."""
    copy = tmp_path / "out" / "vi"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def no_hub_env(home: Path) -> dict:
    """Hub variables aimed at a port nobody listens on: any request would be a connection error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(HF_ENDPOINT=f"http://127.0.0.1:{closed_port()}", HF_HUB_DISABLE_XET="1", HF_HOME=str(home / "hf"),
               HF_DATASETS_CACHE=str(home / "hf-datasets"), NO_COLOR="1")
    return env


def run(*args, env: dict | None = None, cwd=None, timeout: float = 120, umask: int | None = None):
    """The CLI in a subprocess; a hang (a FIFO opened blocking) fails the test instead of blocking it."""
    try:
        return subprocess.run([sys.executable, "-m", "cleaner", *map(str, args)], capture_output=True, text=True,
                              env=env or dict(os.environ), cwd=cwd, timeout=timeout,
                              preexec_fn=None if umask is None else (lambda: os.umask(umask)))
    except subprocess.TimeoutExpired:
        pytest.fail(f"cleaner {' '.join(map(str, args))} did not finish in {timeout} s")


def load_in_subprocess(name: str, env: dict, cwd: Path, timeout: float = 120) -> dict:
    """cleaner.load(name) in a fresh process: the exception's class names and message, or the row count."""
    script = ("import json, sys, cleaner\n"
              "try:\n"
              "    print(json.dumps({'rows': len(cleaner.load(sys.argv[1]))}))\n"
              "except Exception as e:\n"
              "    print(json.dumps({'types': [c.__name__ for c in type(e).__mro__], 'message': str(e)}))\n")
    try:
        r = subprocess.run([sys.executable, "-c", script, name], capture_output=True, text=True, env=env, cwd=cwd,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"cleaner.load({name!r}) did not finish in {timeout} s")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_manifest(version: Path, change) -> None:
    path = version / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def rehash(version: Path, rel: str) -> None:
    """Make the manifest entry of `rel` match the file again (so that only the check under test can refuse it)."""
    def change(m):
        for e in m["files"]:
            if e["path"] == rel:
                e.update(sha256=sha256(version / rel), bytes=(version / rel).stat().st_size)
    edit_manifest(version, change)


def one_line_error(r: subprocess.CompletedProcess, *named: str) -> str:
    assert r.returncode == 1, (r.returncode, r.stderr[-3000:])
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cleaner: error: "), r.stderr[-3000:]
    for name in named:
        assert name in lines[0], (name, lines[0])
    return lines[0]


@pytest.fixture()
def secret(tmp_path) -> Path:
    """A real Parquet file outside every version folder, holding a secret: what a hostile card or manifest names."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "elsewhere"
    folder.mkdir()
    path = folder / "creds.parquet"
    pq.write_table(pa.table({"text": ["password=hunter2"]}), path)
    return path


@pytest.fixture()
def hub(tmp_path):
    with HubServer(tmp_path / "hub-storage", {TOKEN: "tester"}) as server:
        yield server


def hub_env(tmp_path: Path, server: HubServer) -> dict:
    env = no_hub_env(tmp_path)
    env.update(HF_ENDPOINT=server.url, HF_TOKEN=TOKEN)
    return env


# ---------------------------------------------------------------- 1. only through its own manifest and card

def _card_pointing_at(version: Path, target: str) -> None:
    card = version / "README.md"
    text = card.read_text(encoding="utf-8")
    assert "path: data/train-*.parquet" in text
    card.write_text(text.replace("path: data/train-*.parquet", f"path: {target}", 1), encoding="utf-8")
    rehash(version, "README.md")


@pytest.mark.parametrize("how", ["absolute", "dotdot", "dotdot_inside", "symlinked_folder", "symlinked_file"])
def test_a_card_that_points_outside_is_refused_by_load_and_push(dataset, secret, tmp_path, hub, how):
    version = dataset / "v1.0.0"
    if how == "absolute":
        target = str(secret)
    elif how == "dotdot":
        target = os.path.relpath(secret, version)
    elif how == "dotdot_inside":
        target = "data/../../../elsewhere/creds.parquet"
    elif how == "symlinked_folder":
        (version / "leak").symlink_to(secret.parent, target_is_directory=True)
        target = "leak/*.parquet"
    else:
        (version / "data" / "train-leak.parquet").symlink_to(secret)
        target = "data/train-*.parquet"
    if how != "symlinked_file":
        _card_pointing_at(version, target)
    with pytest.raises(OutsideVersion, match="README.md") as e:
        cleaner.load(dataset)
    assert str(version / "README.md") in str(e.value) and "outside the version folder" in str(e.value)

    before = len(hub.log)
    r = run("push", dataset, "--repo", "test-org/leak", env=hub_env(tmp_path, hub))
    one_line_error(r, "README.md")
    d = run("push", dataset, "--repo", "test-org/leak", "--dry-run", env=hub_env(tmp_path, hub))
    one_line_error(d, "README.md")
    assert not [x for x in hub.log[before:] if x[0] in WRITES] and hub.repo("test-org/leak") is None
    assert not list((tmp_path / "hub-storage").rglob("*creds*"))


def _manifest_listing(version: Path, secret: Path, how: str) -> str:
    if how == "absolute":
        rel = str(secret)
    elif how == "dotdot":
        rel = "data/../../../elsewhere/creds.parquet"
    else:
        (version / "data" / "extra.parquet").symlink_to(secret)
        rel = "data/extra.parquet"
    edit_manifest(version, lambda m: m["files"].append(
        {"path": rel, "sha256": sha256(secret), "bytes": secret.stat().st_size, "rows": 1}))
    return rel


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink_out"])
def test_a_manifest_that_lists_a_file_outside_is_refused(dataset, secret, tmp_path, hub, how):
    """Its sha256 and size are right, so before this check push would have uploaded the secret."""
    rel = _manifest_listing(dataset / "v1.0.0", secret, how)
    env = hub_env(tmp_path, hub)
    for args in (("push", dataset, "--repo", "test-org/leak"), ("push", dataset, "--repo", "test-org/leak", "--dry-run"),
                 ("versions", dataset), ("diff", dataset, "1.0.0", "1.0.0")):
        line = one_line_error(run(*args, env=env), "manifest.json", rel)
        assert "outside the version folder" in line
    assert hub.log == [], "refused before any request"
    assert hub.repo("test-org/leak") is None
    with pytest.raises(OutsideVersion, match="manifest.json"):
        cleaner.load(dataset)


# ---------------------------------------------------------------- 2. a mistyped local path is not a hub name

@pytest.mark.parametrize("name", ["output/vi-nwes", "./x/y", "a/b/c", "/abs/path", "vi-nwes", "output/vi-news/v9"])
def test_a_local_path_that_does_not_exist_never_reaches_the_hub(tmp_path, built, name):
    shutil.copytree(built, tmp_path / "output" / "vi-news", symlinks=True)
    got = load_in_subprocess(name, no_hub_env(tmp_path), cwd=tmp_path)
    assert "DatasetNotFound" in got.get("types", []), got
    assert "FileNotFoundError" in got["types"] and "CleanerError" in got["types"]
    assert "HubError" not in got["types"] and "Connect" not in got["message"], got
    assert got["message"].startswith(f"{name}: no such local dataset folder"), got
    if name == "output/vi-nwes":
        assert "Did you mean output/vi-news?" in got["message"]


def test_an_org_name_goes_to_the_hub_and_a_real_folder_loads_locally(tmp_path, built):
    """The contrast: the same closed port gives a network error for a true ORG/NAME, and a local folder loads."""
    shutil.copytree(built, tmp_path / "output" / "vi-news", symlinks=True)
    env = no_hub_env(tmp_path)
    remote = load_in_subprocess("some-org/vi-nwes", env, cwd=tmp_path)
    assert "HubError" in remote.get("types", []) and "127.0.0.1" in remote["message"], remote
    assert load_in_subprocess("output/vi-news", env, cwd=tmp_path)["rows"] > 0


# ---------------------------------------------------------------- 3. nothing created is world-writable

def test_umask_000_leaves_nothing_world_writable_in_the_out_tree(tmp_path, examples):
    out = tmp_path / "o" / "deep"  # the tool creates o/ and o/deep/ too
    ok = run("clean", examples, "--out", out, "--name", "u", "--no-progress", umask=0o000)
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad"
    shutil.copytree(examples, bad)
    (bad / "zz-empty.txt").write_bytes(b"")
    # --strict stops at the bad input and leaves its work folder (for a rerun): that tree is checked too
    failed = run("clean", bad, "--out", out, "--name", "s", "--strict", "--workers", "1", "--no-progress", umask=0o000)
    assert failed.returncode == 1, failed.stderr
    assert any((out / "s").glob(".work-v*/clean/*")), "the failed run left its work files"
    paths = [tmp_path / "o", *(tmp_path / "o").rglob("*")]
    kinds = {p.name for p in paths}
    assert {"deep", "u", "s", "v1.0.0", "data", "plots", ".work-v1.0.0", "clean"} <= kinds, kinds
    for path in paths:
        mode = path.lstat().st_mode
        assert not mode & stat.S_IWOTH, f"{path} is world-writable ({stat.filemode(mode)}) under umask 000"


# ---------------------------------------------------------------- 4. control characters bound for a terminal

def test_explain_escapes_control_characters_and_keeps_its_colours(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    doc = src / f"bad{CLEAR}name.txt"
    doc.write_text(f"Giá xăng tăng mạnh tại Hà Nội hôm nay\n{OSC}\n{CLEAR}\nhalf\rwritten over\n{VI}", encoding="utf-8")
    r = run("explain", doc, "--color", "always")
    assert r.returncode == 0, r.stderr
    assert "\x1b]" not in r.stdout and CLEAR not in r.stdout and "\r" not in r.stdout and "\x07" not in r.stdout
    assert "\\x1b]0;pwned\\x07" in r.stdout and "\\x1b[2J" in r.stdout
    # a lone \r ends a line (readers): "half" and "written over" are two raw lines, neither rewrites the other
    assert re.search(r"\n\s+4  \S*\s*.*half", r.stdout) and re.search(r"\n\s+5  .*written over", r.stdout)
    assert "== bad\\x1b[2Jname.txt\n" in r.stdout
    assert "\x1b[32mkeep" in r.stdout, "explain's own colour codes still work"


def test_warnings_versions_diff_and_errors_escape_control_characters(tmp_path, examples):
    src = tmp_path / "in"
    shutil.copytree(examples, src)
    (src / f"empty{OSC}.txt").write_bytes(b"")
    out = tmp_path / "out"
    v1 = run("clean", examples, "--out", out, "--name", "vi", "--no-progress")
    assert v1.returncode == 0, v1.stderr
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": f"evil{CLEAR}{OSC}", "text": VI}) + "\n", encoding="utf-8")
    v2 = run("clean", src, hostile, "--out", out, "--name", "vi", "--version", "1.1.0", "--no-progress")
    assert v2.returncode == 0, v2.stderr
    assert "warning: rejected" in v2.stderr and "empty\\x1b]0;pwned\\x07.txt" in v2.stderr
    edit_manifest(out / "vi" / "v1.1.0", lambda m: m.update(created=f"2025{CLEAR}{OSC}"))
    versions = run("versions", out / "vi")
    diff = run("diff", out / "vi", "1.0.0", "1.1.0")
    missing = run("clean", tmp_path / f"nope{CLEAR}", "--out", out, "--name", "x")
    for r, want in ((versions, "2025\\x1b[2J"), (diff, "evil\\x1b[2J\\x1b]0;pwned\\x07"), (missing, "nope\\x1b[2J")):
        text = r.stdout + r.stderr
        assert want in text, text
        assert "\x1b" not in text and "\x07" not in text, text
    for r in (v2, versions, diff):
        assert "\x1b" not in r.stdout + r.stderr


# ---------------------------------------------------------------- 5. hard links only to a parent that still matches

def test_a_corrupted_parent_file_is_not_linked_into_the_next_version(dataset, examples):
    v1 = dataset / "v1.0.0"
    shard = v1 / SHARD
    size, inode = shard.stat().st_size, shard.stat().st_ino
    with open(shard, "r+b") as f:  # in place: same size, same inode, other bytes
        f.seek(size // 2)
        chunk = f.read(64)
        f.seek(size // 2)
        f.write(bytes(b ^ 0xFF for b in chunk))
    assert shard.stat().st_size == size and shard.stat().st_ino == inode
    r = run("clean", examples, "--out", dataset.parent, "--name", "vi", "--bump", "patch", "--no-progress")
    assert r.returncode == 0, r.stderr
    new = dataset / "v1.0.1"
    manifest = json.loads((new / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert sha256(new / entry["path"]) == entry["sha256"], entry["path"]
    assert (new / SHARD).stat().st_ino != inode, "the corrupted file was not linked"
    assert "warning:" in r.stderr and str(shard) in r.stderr and "written afresh" in r.stderr, r.stderr
    assert manifest["hard_linked"] >= 1, "the files that still match are linked as before"
    assert os.stat(new / "hashes.parquet").st_ino == os.stat(v1 / "hashes.parquet").st_ino


# ---------------------------------------------------------------- 6. damaged version folders

def _damage(version: Path, how: str) -> None:
    path = version / "manifest.json"
    if how == "missing_stats_key":
        edit_manifest(version, lambda m: m["stats"].pop("documents_read"))
    elif how == "bad_json":
        path.write_text(path.read_text(encoding="utf-8")[:200], encoding="utf-8")
    elif how == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif how == "files_is_a_string":
        edit_manifest(version, lambda m: m.update(files="data/train-00000-of-00001.parquet"))
    elif how == "stats_is_a_list":
        edit_manifest(version, lambda m: m.update(stats=[1, 2]))
    elif how == "not_utf8":
        path.write_bytes(b"\xff\xfe{" + b"\x00" * 10)
    elif how == "a_folder":
        path.unlink()
        path.mkdir()


DAMAGE = ["missing_stats_key", "bad_json", "fifo", "files_is_a_string", "stats_is_a_list", "not_utf8", "a_folder"]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_manifest_is_a_one_line_error_for_every_command(dataset, examples, tmp_path, how):
    version = dataset / "v1.0.0"
    _damage(version, how)
    env = no_hub_env(tmp_path)
    manifest = str(version / "manifest.json")
    for args in (("versions", dataset), ("diff", dataset, "1.0.0", "1.0.0"),
                 ("push", dataset, "--repo", "test-org/x", "--dry-run"),
                 ("clean", examples, "--out", dataset.parent, "--name", "vi", "--bump", "patch", "--no-progress")):
        one_line_error(run(*args, env=env, timeout=60), manifest)
    assert not (dataset / "v1.0.1").exists()
    got = load_in_subprocess(str(dataset), env, cwd=tmp_path, timeout=60)
    assert "DamagedVersion" in got.get("types", []) and manifest in got["message"], got


def test_a_damaged_hashes_table_is_a_one_line_error_for_diff(dataset):
    (dataset / "v1.0.0" / "hashes.parquet").write_bytes(b"PAR1 not really")
    one_line_error(run("diff", dataset, "1.0.0", "1.0.0"), "hashes.parquet")


def test_an_out_that_is_a_file_is_a_clear_error(tmp_path, examples):
    out = tmp_path / "out"
    out.write_text("I am a file\n", encoding="utf-8")
    line = one_line_error(run("clean", examples, "--out", out, "--name", "vi", "--no-progress"), str(out))
    assert "a file stands where a folder must go" in line and "--out" in line


@pytest.fixture()
def read_only_out(tmp_path):
    """A real read-only file system (a tmpfs remounted -o ro), holding an existing dataset folder `vi`.

    A chmod-0555 folder would not do: the tests run as root, who may write it anyway."""
    mnt = tmp_path / "ro"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or 'mount failed'}); the read-only --out "
                    f"path is not exercised")
    try:
        (mnt / "vi").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True, capture_output=True)
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_read_only_out_is_a_clear_error(read_only_out, examples):
    for name in ("new", "vi"):  # a dataset folder to create, and one that exists (its lock cannot be made)
        line = one_line_error(run("clean", examples, "--out", read_only_out, "--name", name, "--no-progress"),
                              str(read_only_out))
        assert "read-only" in line and "--out" in line, line
