"""Versions as a user lives with them: v1.0.0, a rule changes, v1.1.0, and what changed between them."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import datasets
import pyarrow.parquet as pq
import pytest

import cleaner
from cleaner.config import Config
from cleaner.publish import versions

EXTRA_PACK = """
[pack]
name = "test-extra"
version = "1.0.0"
language = "vi"

[[rules]]
id = "other.ukraine_line"
description = "A made-up rule for the test: lines that mention Ukraine."
pattern = 'Ukraine'
examples = ["Ukraine sẵn sàng"]
keeps = ["Việt Nam"]
"""


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory, examples):
    tmp = tmp_path_factory.mktemp("versions")
    (tmp / "extra.toml").write_text(EXTRA_PACK, encoding="utf-8")
    base = dict(inputs=(str(examples),), out=str(tmp / "out"), name="vi", progress=False, shard_rows=2)
    v1, _ = cleaner.clean(Config(**base, version="1.0.0"))
    v2, _ = cleaner.clean(Config(**base, version="1.1.0", rule_packs=("vi-news", str(tmp / "extra.toml"))))
    return tmp / "out" / "vi", v1, v2


def docs(folder):
    return {r["id"]: r for f in sorted((folder / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()}


def test_diff_names_exactly_the_documents_that_changed(two_versions):
    dataset, v1, v2 = two_versions
    a, b = docs(v1), docs(v2)
    want_changed = sorted(i for i in b if i in a and a[i] != b[i])
    assert want_changed, "the extra rule changes some documents"
    d = cleaner.diff(dataset, "1.0.0", "1.1.0")
    assert d.changed == want_changed
    assert d.added == sorted(set(b) - set(a)) and d.removed == sorted(set(a) - set(b))
    assert d.unchanged == len(b) - len(want_changed) - len(d.added)
    assert d.rules["other.ukraine_line"][0] == 0 and d.rules["other.ukraine_line"][1] > 0
    assert any("test-extra" in p for p in d.packs_changed)


def test_new_version_knows_its_parent_and_says_what_changed(two_versions):
    dataset, v1, v2 = two_versions
    manifest = json.loads((v2 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parent"] == "1.0.0" and manifest["schema"]["$id"] == "cleaner/document/1"
    changelog = (v2 / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "v1.1.0 (against v1.0.0)" in changelog and "other.ukraine_line" in changelog
    assert "## Changelog" in (v2 / "README.md").read_text(encoding="utf-8")
    assert json.loads((v1 / "manifest.json").read_text(encoding="utf-8"))["parent"] is None


def test_unchanged_files_are_hard_linked(two_versions):
    _, v1, v2 = two_versions
    manifest = json.loads((v2 / "manifest.json").read_text(encoding="utf-8"))
    old = {e["path"]: e["sha256"] for e in json.loads((v1 / "manifest.json").read_text())["files"]}
    same = [e["path"] for e in manifest["files"] if old.get(e["path"]) == e["sha256"]]
    assert same and manifest["hard_linked"] == len([p for p in same if p not in ("README.md", "CHANGELOG.md")])
    for path in same:
        if path not in ("README.md", "CHANGELOG.md"):
            assert os.stat(v1 / path).st_ino == os.stat(v2 / path).st_ino


def test_removal_audit_loads_as_its_own_config(two_versions):
    _, _, v2 = two_versions
    audit = datasets.load_dataset(str(v2), "removals", split="train")
    rows = docs(v2)
    assert audit.num_rows == sum(len(r["removed"]) for r in rows.values())
    assert set(audit.column_names) == {"id", "source", "line", "rule", "text", "kept"}


def test_cli_versions_diff_and_bump(two_versions, tmp_path, examples):
    dataset, _, _ = two_versions
    run = lambda *a: subprocess.run([sys.executable, "-m", "cleaner", *a], capture_output=True, text=True)
    listed = run("versions", str(dataset))
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[1].startswith("1.0.0") and lines[2].startswith("1.1.0 ") and " 1.0.0 " in lines[2]
    shown = run("diff", str(dataset), "1.0.0", "1.1.0")
    assert shown.returncode == 0 and "documents changed:" in shown.stdout and "other.ukraine_line" in shown.stdout
    assert run("diff", str(dataset), "1.0.0", "9.9.9").returncode == 2
    out = tmp_path / "o"
    first = run("clean", str(examples), "--out", str(out), "--name", "b", "--bump", "minor", "--no-progress")
    second = run("clean", str(examples), "--out", str(out), "--name", "b", "--bump", "patch", "--no-progress")
    assert first.stdout.strip().endswith("v0.1.0") and second.stdout.strip().endswith("v0.1.1"), (first.stderr, second.stderr)
    both = run("clean", str(examples), "--out", str(out), "--name", "b", "--bump", "patch", "--version", "2.0.0")
    assert both.returncode == 2


@pytest.mark.parametrize("latest,part,want", [(None, "patch", "0.0.1"), ("1.2.3", "patch", "1.2.4"),
                                              ("1.2.3", "minor", "1.3.0"), ("1.2.3", "major", "2.0.0")])
def test_bump(tmp_path, latest, part, want):
    if latest:
        (tmp_path / f"v{latest}").mkdir()
        (tmp_path / f"v{latest}" / "manifest.json").write_text("{}")
        (tmp_path / "v0.9.0").mkdir()
        (tmp_path / "v0.9.0" / "manifest.json").write_text("{}")
    assert versions.bump(tmp_path, part) == want


def test_schema_changes_are_reported():
    old = {"properties": {"id": {"type": "string"}, "x": {"type": "string"}}}
    new = {"properties": {"id": {"type": "string"}, "y": {"type": "integer"}, "x": {"type": "integer"}}}
    assert versions._schema_changes(old, new) == ["added column `y`", "column `x` changed type"]
