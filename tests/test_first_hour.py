"""Issue 14, what a user hits in the first hour: each item through the CLI in a subprocess, as typed."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parent.parent
BODY = ("Hôm nay trời đẹp, người dân Hà Nội đổ ra đường đi chơi rất đông vui và hào hứng. "
        "Nhiều gia đình đưa con nhỏ đến công viên để vui chơi, chụp ảnh kỷ niệm cùng nhau.")


def run(*args, cwd=None, input=None):
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=cwd,
                          input=input, timeout=300)


def removals(version: Path) -> list[dict]:
    rows = []
    for f in sorted((version / "removals").glob("*.parquet")):
        rows += pq.read_table(f).to_pylist()
    return rows


def documents(version: Path) -> list[dict]:
    return [r for f in sorted((version / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]


@pytest.fixture
def corpus(tmp_path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(f"15/05/2016 06:25\n\n{BODY}\n\nMã tin: 12345 đặc biệt\n", encoding="utf-8")
    return src


PACK = '''
[pack]
name = "my-site"
version = "1.0.0"
language = "vi"

disable = ["caption.run"]

[[rules]]
id = "other.ma_tin"
description = "The site's story code."
pattern = '^Mã tin: \\d+'
examples = ["Mã tin: 12345 đặc biệt"]
keeps = []

[[keep]]
pattern = '^Hôm nay trời đẹp'
examples = ["Hôm nay trời đẹp, người dân"]
'''


# -- 1. rule packs that add ------------------------------------------------------------------------

def test_a_users_pack_adds_to_the_default_pack(tmp_path, corpus):
    (tmp_path / "my.toml").write_text(PACK, encoding="utf-8")
    r = run("clean", str(corpus), "--rules", str(tmp_path / "my.toml"), "--out", str(tmp_path / "o"), "--name", "x",
            "--no-progress", "--workers", "1", "--model", "none")
    assert r.returncode == 0, r.stderr
    rules = {row["text"]: row["rule"] for row in removals(tmp_path / "o" / "x" / "v1.0.0")}
    assert rules["15/05/2016 06:25"] == "date.only", "the default vi-news rules still apply"
    assert rules["Mã tin: 12345 đặc biệt"] == "other.ma_tin", "and the pack's own rule"
    manifest = json.loads((tmp_path / "o" / "x" / "v1.0.0" / "manifest.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in manifest["rule_packs"]] == ["vi-news", "my-site"]

    only = run("clean", str(corpus), "--rules", str(tmp_path / "my.toml"), "--no-default-rules",
               "--out", str(tmp_path / "o"), "--name", "y", "--no-progress", "--workers", "1", "--model", "none")
    assert only.returncode == 0, only.stderr
    rules = {row["text"]: row["rule"] for row in removals(tmp_path / "o" / "y" / "v1.0.0")}
    assert rules.get("15/05/2016 06:25") != "date.only"


def test_a_keep_pattern_wins_over_every_rule_and_the_model(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    # "Ảnh: ĐÌNH VĂN" is caption.credit_only in vi-news; "Quỳnh Anh" after the body a bare-name byline
    (src / "a.txt").write_text(f"{BODY}\n\nẢnh: ĐÌNH VĂN\n\n{BODY} Thêm.\n\nQuỳnh Anh\n", encoding="utf-8")
    (tmp_path / "keep.toml").write_text('''
[pack]
name = "keeps"
version = "1.0.0"
language = "vi"

[[keep]]
pattern = '^Ảnh: ĐÌNH VĂN$'
examples = ["Ảnh: ĐÌNH VĂN"]

[[keep]]
pattern = '^Quỳnh Anh$'
examples = ["Quỳnh Anh"]
''', encoding="utf-8")
    for model in ("none", "vi-news"):
        base = run("clean", str(src), "--out", str(tmp_path / "o"), "--name", f"b{model}", "--no-progress",
                   "--model", model, "--workers", "1")
        assert base.returncode == 0, base.stderr
        gone = {row["text"] for row in removals(tmp_path / "o" / f"b{model}" / "v1.0.0")}
        assert {"Ảnh: ĐÌNH VĂN", "Quỳnh Anh"} <= gone, "without the keep, both go"
        r = run("clean", str(src), "--rules", str(tmp_path / "keep.toml"), "--out", str(tmp_path / "o"),
                "--name", f"k{model}", "--no-progress", "--model", model, "--workers", "1")
        assert r.returncode == 0, r.stderr
        text = documents(tmp_path / "o" / f"k{model}" / "v1.0.0")[0]["text"]
        assert "Ảnh: ĐÌNH VĂN" in text.split("\n") and "Quỳnh Anh" in text.split("\n")


def test_disable_turns_a_rule_or_step_off_and_an_unknown_id_is_named(tmp_path, corpus):
    (tmp_path / "off.toml").write_text('[pack]\nname = "off"\nversion = "1.0.0"\nlanguage = "vi"\n'
                                       'disable = ["date.only", "model.caption", "caption.run"]\n', encoding="utf-8")
    r = run("clean", str(corpus), "--rules", str(tmp_path / "off.toml"), "--out", str(tmp_path / "o"), "--name", "x",
            "--no-progress", "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert "15/05/2016 06:25" not in {row["text"] for row in removals(tmp_path / "o" / "x" / "v1.0.0")
                                      if row["rule"] == "date.only"}
    (tmp_path / "bad.toml").write_text('[pack]\nname = "bad"\nversion = "1.0.0"\nlanguage = "vi"\n'
                                       'disable = ["caption.runn"]\n', encoding="utf-8")
    bad = run("clean", str(corpus), "--rules", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "o"), "--name", "y",
              "--no-progress")
    assert bad.returncode == 1
    assert "caption.runn" in bad.stderr and "caption.run?" in bad.stderr and "bad.toml" in bad.stderr


def test_a_pack_that_reuses_a_rule_id_or_a_pack_name_is_refused(tmp_path, corpus):
    (tmp_path / "dup.toml").write_text('''[pack]
name = "dup"
version = "1.0.0"
language = "vi"

[[rules]]
id = "date.only"
pattern = '^x$'
examples = ["x"]
keeps = []
''', encoding="utf-8")
    r = run("clean", str(corpus), "--rules", str(tmp_path / "dup.toml"), "--out", str(tmp_path / "o"), "--no-progress")
    assert r.returncode == 1 and "date.only" in r.stderr and "vi-news" in r.stderr and "dup.toml" in r.stderr
    (tmp_path / "same.toml").write_text('[pack]\nname = "vi-news"\nversion = "1.0.0"\nlanguage = "vi"\n',
                                        encoding="utf-8")
    s = run("clean", str(corpus), "--rules", str(tmp_path / "same.toml"), "--out", str(tmp_path / "o"), "--no-progress")
    assert s.returncode == 1 and "'vi-news'" in s.stderr and "same.toml" in s.stderr
