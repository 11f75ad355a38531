"""Pushing versions to a hub and loading them back, against the local stand-in hub in tests/hubserver.py.

The real `huggingface_hub` and `datasets` run unchanged in subprocesses whose environment points them at
the local server (`HF_ENDPOINT`), with Xet off, an isolated `HF_HOME` and a fake token: the client libraries
read their endpoint and cache folders once, at import, so a fresh process is the honest way to aim them.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

import cleaner
from cleaner.config import Config
from cleaner.errors import HubError, UsageError
from cleaner.publish import hub
from cleaner.publish.card import for_hub

from hubserver import HubServer  # tests/hubserver.py (tests/ is on pytest's pythonpath)

ROOT = Path(__file__).resolve().parents[2]
CLEANER = str(Path(sys.executable).with_name("cleaner"))
TOKEN = "hf_cleanerTestToken" + secrets.token_hex(8)  # a string that must never show up anywhere
REPO = "test-org/vi-news"
WRITES = ("POST", "PUT", "DELETE", "PATCH")

# v1.1.0 differs from v1.0.0 by one extra rule pack (lines naming NATO go) and bigger shards (new file names)
EXTRA_PACK = """
[pack]
name = "test-extra"
version = "0.1.0"
language = "vi"

[[rules]]
id = "test.nato"
description = "Any line naming NATO: a deliberate change between two versions."
pattern = 'NATO'
examples = ["Ukraine không gia nhập NATO."]
keeps = ["Hà Nội hôm nay trời nắng."]
"""


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("hub")


@pytest.fixture(scope="module")
def server(work):
    with HubServer(work / "storage", {TOKEN: "tester"}) as s:
        yield s


@pytest.fixture(scope="module")
def versions(work, examples):
    """OUT/vi-news with v1.0.0 (3 data shards) and v1.1.0 (extra rule, 2 data shards); both have rejects."""
    inputs = work / "inputs"
    shutil.copytree(examples, inputs / "txt")
    (inputs / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    (work / "extra.toml").write_text(EXTRA_PACK, encoding="utf-8")
    common = dict(inputs=(str(inputs / "txt"), str(inputs / "bad.jsonl")), out=str(work / "out"), name="vi-news",
                  progress=False, row_group_rows=2)
    cleaner.clean(Config(**common, version="1.0.0", shard_rows=4))
    cleaner.clean(Config(**common, version="1.1.0", shard_rows=6, rule_packs=("vi-news", str(work / "extra.toml"))))
    return work / "out" / "vi-news"


OUTPUTS: list[str] = []  # every stdout/stderr of the CLI runs, checked for the token at the end


def hub_env(work: Path, server: HubServer, token: str | None = TOKEN) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(HF_ENDPOINT=server.url, HF_HUB_DISABLE_XET="1", HF_HOME=str(work / "hf-home"),
               HF_DATASETS_CACHE=str(work / "hf-datasets"), NO_COLOR="1")
    if token:
        env["HF_TOKEN"] = token
    return env


def run_cli(work, server, *args, token: str | None = TOKEN) -> subprocess.CompletedProcess:
    r = subprocess.run([CLEANER, *args], env=hub_env(work, server, token), capture_output=True, text=True,
                       cwd=work, timeout=300)
    OUTPUTS.extend([r.stdout, r.stderr])
    return r


def requests_during(server, action):
    before = len(server.log)
    result = action()
    return result, server.log[before:]


def repo_files(server, repo_id, commit):
    return set(server.repo(repo_id)["commits"][commit]["files"])


def local_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_dry_run_lists_files_and_sends_nothing(work, server, versions):
    r, log = requests_during(server, lambda: run_cli(work, server, "push", str(versions), "--repo", REPO,
                                                       "--version", "1.0.0", "--dry-run"))
    assert r.returncode == 0, r.stderr
    v1 = versions / "v1.0.0"
    card = for_hub((v1 / "README.md").read_text(encoding="utf-8"), REPO, "vi-news", "1.0.0")
    for path in local_files(v1):
        line = next(l for l in r.stdout.splitlines() if f" {path} " in l)
        size = len(card.encode()) if path == "README.md" else (v1 / path).stat().st_size  # the card as sent
        assert f"{size:,} bytes" in line
    assert f"create repo  {REPO} (public)" in r.stdout and "nothing was sent" in r.stdout
    assert log and all(method in ("GET", "HEAD") for method, _, _ in log), log
    assert server.repo(REPO) is None


def test_private_repo_without_a_token_is_refused(work, server, versions):
    r, log = requests_during(server, lambda: run_cli(work, server, "push", str(versions), "--repo", "test-org/secret",
                                                       "--private", token=None))
    assert r.returncode == 1
    assert "private repo needs a token" in r.stderr and "HF_TOKEN" in r.stderr
    assert not [entry for entry in log if entry[0] in WRITES]
    assert server.repo("test-org/secret") is None


def test_push_two_versions_one_commit_each(work, server, versions):
    r1 = run_cli(work, server, "push", str(versions), "--repo", REPO, "--version", "1.0.0")
    assert r1.returncode == 0, r1.stderr
    repo = server.repo(REPO)
    v1_commit = repo["tags"]["v1.0.0"]
    assert repo["branches"]["main"] == v1_commit and len(repo["commits"]) == 2  # the repo's initial commit + ours
    assert repo_files(server, REPO, v1_commit) == local_files(versions / "v1.0.0") | {".gitattributes"}

    r2 = run_cli(work, server, "push", str(versions), "--repo", REPO)  # default: the latest, v1.1.0
    assert r2.returncode == 0, r2.stderr
    repo = server.repo(REPO)
    v2_commit = repo["tags"]["v1.1.0"]
    assert repo["branches"]["main"] == v2_commit and len(repo["commits"]) == 3
    assert repo["commits"][v2_commit]["parent"] == v1_commit
    assert repo_files(server, REPO, v2_commit) == local_files(versions / "v1.1.0") | {".gitattributes"}
    # the old shards are gone from main, still there at the v1.0.0 tag
    assert "data/train-00000-of-00003.parquet" in repo_files(server, REPO, v1_commit)
    assert int(re.search(r"(\d+) deleted", r2.stderr).group(1)) >= 3
    assert repo["private"] is False


def test_each_version_loads_from_the_hub_with_its_rows(work, server, versions):
    script = (
        "import json, sys, cleaner\n"
        "out = {}\n"
        "for v in ('1.0.0', '1.1.0'):\n"
        f"    ds = cleaner.load({REPO!r}, version=v)\n"
        "    out[v] = [list(ds['id']), list(ds['text'])]\n"
        f"out['rejects'] = cleaner.load({REPO!r}, version='1.0.0', config_name='rejects').num_rows\n"
        f"out['main'] = list(cleaner.load({REPO!r})['text'])\n"
        "json.dump(out, sys.stdout)\n")
    r = subprocess.run([sys.executable, "-c", script], env=hub_env(work, server), capture_output=True, text=True,
                       cwd=work, timeout=300)
    OUTPUTS.extend([r.stdout, r.stderr])
    assert r.returncode == 0, r.stderr
    remote = json.loads(r.stdout)
    for version in ("1.0.0", "1.1.0"):
        local = cleaner.load(versions, version=version)
        assert remote[version] == [list(local["id"]), list(local["text"])], version
    assert remote["1.0.0"][1] != remote["1.1.0"][1], "the extra rule changed the texts"
    assert any("NATO" in t for t in remote["1.0.0"][1]) and not any("NATO" in t for t in remote["1.1.0"][1])
    assert remote["main"] == remote["1.1.0"][1], "without a version: main, the version pushed last"
    assert remote["rejects"] == cleaner.load(versions, version="1.0.0", config_name="rejects").num_rows
    tags = {path.split("/resolve/")[1].split("/")[0] for _, path, _ in server.log if "/resolve/" in path}
    assert {"v1.0.0", "v1.1.0"} <= tags, "load_dataset asked for the tagged revisions"


def test_pushing_a_pushed_version_again_is_a_no_op(work, server, versions):
    commits = len(server.repo(REPO)["commits"])
    r, log = requests_during(server, lambda: run_cli(work, server, "push", str(versions), "--repo", REPO,
                                                       "--version", "1.0.0"))
    assert r.returncode == 0, r.stderr
    assert "v1.0.0 is already on the hub" in r.stdout and "nothing to send" in r.stdout
    assert not [entry for entry in log if entry[0] in WRITES]
    assert len(server.repo(REPO)["commits"]) == commits


def test_private_push_with_a_token_hides_the_repo(work, server, versions):
    r = run_cli(work, server, "push", str(versions), "--repo", "test-org/private-news", "--private")
    assert r.returncode == 0, r.stderr
    assert server.repo("test-org/private-news")["private"] is True
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(f"{server.url}/api/datasets/test-org/private-news", timeout=10)
    assert e.value.code == 401
    req = urllib.request.Request(f"{server.url}/api/datasets/test-org/private-news",
                                 headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert json.load(resp)["private"] is True
    # and --private on an existing public repo is refused rather than silently left public
    r = run_cli(work, server, "push", str(versions), "--repo", REPO, "--version", "1.1.0", "--private", "--dry-run")
    assert r.returncode == 1 and "is public" in r.stderr


def test_the_token_never_appears_in_output_manifest_card_or_hub(work, server, versions):
    assert OUTPUTS, "the CLI tests ran first"
    for text in OUTPUTS:
        assert TOKEN not in text
    for path in work.rglob("*"):  # version folders, the hub's storage, the isolated HF_HOME and caches
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


# the planning functions, without a hub

def _files(folder):
    return hub.version_files(folder)


def test_plan_deletes_old_data_files_and_skips_unchanged(versions):
    v1, v2 = versions / "v1.0.0", versions / "v1.1.0"
    remote_files = {f.path: hub.RemoteFile(f.path, f.size, f.sha256 if f.path.endswith(".parquet") else None,
                                           hub.git_blob_oid(f.local)) for f in _files(v1)}
    remote_files["notes/extra.md"] = hub.RemoteFile("notes/extra.md", 3, None, "0" * 40)  # added by hand
    remote_files["stats/old.json"] = hub.RemoteFile("stats/old.json", 3, None, "1" * 40)  # listed in v1's manifest
    remote = hub.RemoteState(exists=True, private=False, head="a" * 40, files=remote_files, tags={"v1.0.0": "a" * 40},
                             manifest_files=frozenset(remote_files) - {"notes/extra.md"})
    plan = hub.plan_push(v2, "1.1.0", REPO, _files(v2), remote, private=False, globs=hub.card_globs(v2))
    assert {"data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet",
            "data/train-00002-of-00003.parquet", "stats/old.json"} <= set(plan.delete)
    assert "notes/extra.md" not in plan.delete and not set(plan.delete) & {f.path for f in _files(v2)}
    # without v1's manifest, only what the card's globs would load goes
    bare = hub.plan_push(v2, "1.1.0", REPO, _files(v2), replace(remote, manifest_files=frozenset()),
                         private=False, globs=("data/train-*.parquet",))
    assert bare.delete == ("data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet",
                           "data/train-00002-of-00003.parquet")
    assert {f.path for f in plan.add} >= {"README.md", "manifest.json", "data/train-00000-of-00002.parquet"}
    assert plan.parent == "a" * 40 and plan.already is None and not plan.create_repo
    same = hub.plan_push(v1, "1.0.0", REPO, _files(v1), remote, private=False)
    assert same.already == "a" * 40 and not same.add and not same.delete
    assert "already on the hub" in same.describe()[0]


def test_plan_refuses_private_on_a_public_repo(versions):
    v1 = versions / "v1.0.0"
    with pytest.raises(HubError, match="is public"):
        hub.plan_push(v1, "1.0.0", REPO, _files(v1), hub.RemoteState(exists=True, private=False), private=True)


def test_a_changed_file_is_not_pushed(versions, tmp_path):
    copy = tmp_path / "v1.0.0"
    shutil.copytree(versions / "v1.0.0", copy)
    with open(copy / "data" / "train-00000-of-00003.parquet", "ab") as f:
        f.write(b"x")
    with pytest.raises(HubError, match="changed since the version was written"):
        hub.version_files(copy)


@pytest.mark.parametrize("repo_id", ["vi-news", "a/b/c", "org/", "/org/name", "org/na..me", "org/name."])
def test_bad_repo_ids_are_usage_errors(repo_id):
    with pytest.raises(UsageError):
        hub.check_repo_id(repo_id)


def test_load_of_a_missing_folder_that_is_no_repo_id_fails_without_network(tmp_path):
    with pytest.raises(UsageError, match="nor a hub repo id"):
        cleaner.load(str(tmp_path / "no" / "such" / "folder"))
