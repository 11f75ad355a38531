"""Issue 14, what a user hits in the first hour: each item through the CLI in a subprocess, as typed."""
from __future__ import annotations

import json
import re
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


# -- 2. answers a script can read -------------------------------------------------------------------

def test_version_flag():
    import cleaner

    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"cleaner {cleaner.__version__}"


def test_rules_lists_every_rule_with_where_it_comes_from(tmp_path):
    r = run("rules", "--json")
    assert r.returncode == 0, r.stderr
    table = {row["id"]: row for row in json.loads(r.stdout)}
    assert table["date.only"]["origin"] == "vi-news" and "15/05/2016 06:25" in table["date.only"]["examples"]
    assert table["caption.run"]["origin"] == "step" and table["caption.run"]["description"]
    assert table["dedup.frequent_line"]["origin"] == "step"
    assert table["model.caption"]["origin"] == "model"
    (tmp_path / "my.toml").write_text(PACK, encoding="utf-8")
    text = run("rules", "--rules", str(tmp_path / "my.toml"))
    assert text.returncode == 0, text.stderr
    line = next(l for l in text.stdout.splitlines() if l.startswith("other.ma_tin "))
    assert "my-site" in line and "story code" in line
    assert any(l.startswith("caption.run ") and "disabled" in l for l in text.stdout.splitlines())
    assert any(l.startswith("keep.1 ") and "keep" in l for l in text.stdout.splitlines())


def test_every_step_id_in_the_code_is_in_the_catalogue():
    from cleaner.catalog import step_rules
    from cleaner.passes import boilerplate, dup_lines, title

    listed = {s["id"] for s in step_rules()}
    for module in (boilerplate, dup_lines, title):
        ids = {v for k, v in vars(module).items() if k.isupper() and isinstance(v, str)
               and __import__("re").fullmatch(r"[a-z]+\.[a-z_]+", v)}
        assert ids <= listed, ids - listed


def test_json_summaries_of_clean_versions_and_diff(tmp_path, examples):
    out = tmp_path / "o"
    r = run("clean", str(examples), "--out", str(out), "--name", "vi", "--no-progress", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["version_dir"] == str(out / "vi" / "v1.0.0")
    assert summary["read"] == summary["kept"] + sum(summary["rejected"].values())
    assert summary["lines_removed"]["date.only"] >= 1 and summary["seconds"] > 0
    (tmp_path / "my.toml").write_text(PACK, encoding="utf-8")
    r2 = run("clean", str(examples), "--out", str(out), "--name", "vi", "--version", "1.1.0", "--no-progress",
             "--rules", str(tmp_path / "my.toml"), "--json")
    assert r2.returncode == 0, r2.stderr
    versions = json.loads(run("versions", str(out / "vi"), "--json").stdout)
    assert [v["version"] for v in versions] == ["1.0.0", "1.1.0"] and versions[1]["parent"] == "1.0.0"
    d = run("diff", str(out / "vi"), "1.0.0", "1.1.0", "--json")
    assert d.returncode == 0, d.stderr
    diff = json.loads(d.stdout)
    assert diff["old"] == "1.0.0" and diff["new"] == "1.1.0" and "packs_changed" in diff


def test_clean_reads_standard_input_as_text_or_jsonl(tmp_path):
    r = run("clean", "-", "--out", str(tmp_path / "o"), "--name", "one", "--no-progress", "--json",
            input=f"15/05/2016 06:25\n\n{BODY}\n")
    assert r.returncode == 0, r.stderr
    [doc] = documents(tmp_path / "o" / "one" / "v1.0.0")
    assert doc["text"] == BODY and doc["removed"][0]["rule"] == "date.only"
    texts = [BODY, "Giá xăng dầu trong nước được điều chỉnh tăng nhẹ từ chiều nay theo quyết định của liên bộ.",
             "Đội tuyển bóng đá quốc gia đã có buổi tập đầu tiên trên sân Mỹ Đình để chuẩn bị cho trận đấu tới."]
    lines = "".join(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    j = run("clean", "-", "--format", "jsonl", "--out", str(tmp_path / "o"), "--name", "many", "--no-progress",
            input=lines)
    assert j.returncode == 0, j.stderr
    assert sorted(d["id"] for d in documents(tmp_path / "o" / "many" / "v1.0.0")) == ["d0", "d1", "d2"]


def test_clean_text_returns_the_row_and_writes_nothing(tmp_path):
    code = ("import cleaner, json; print(json.dumps(cleaner.clean_text("
            f"{'15/05/2016 06:25' + chr(10) * 2 + BODY!r}, id='x1', url='https://e.vn/a.html')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)
    assert row["id"] == "x1" and row["text"] == BODY and row["url"] == "https://e.vn/a.html"
    assert row["removed"] == [{"line": 1, "rule": "date.only", "text": "15/05/2016 06:25"}]
    assert row["cluster_size"] == 1 and not any(tmp_path.iterdir())
    import cleaner
    assert "clean_text" in cleaner.__all__


def test_push_dry_run_as_json(tmp_path, examples):
    import os

    from hubserver import HubServer

    r = run("clean", str(examples), "--out", str(tmp_path / "o"), "--name", "vi", "--no-progress")
    assert r.returncode == 0, r.stderr
    with HubServer(tmp_path / "storage", {"hf_testtoken0123456789": "tester"}) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
        env.update(HF_ENDPOINT=server.url, HF_HUB_DISABLE_XET="1", HF_HOME=str(tmp_path / "hf"),
                   HF_TOKEN="hf_testtoken0123456789", NO_COLOR="1")
        p = subprocess.run([sys.executable, "-m", "cleaner", "push", str(tmp_path / "o" / "vi"), "--repo", "org/vi",
                            "--dry-run", "--json"], capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout)
    assert plan["dry_run"] and not plan["sent"] and plan["tag"] == "v1.0.0" and plan["create_repo"]
    assert {"README.md", "manifest.json"} <= {f["path"] for f in plan["upload"]}


# -- 3. a run that keeps nothing fails; --lang and --license are checked -----------------------------

def test_a_run_that_keeps_nothing_exits_1(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Ảnh: TTXVN\n", encoding="utf-8")
    r = run("clean", str(src), "--out", str(tmp_path / "o"), "--no-progress")
    assert r.returncode == 1 and "no document was kept" in r.stderr
    assert not list((tmp_path / "o").glob("*/v*"))


@pytest.mark.parametrize("flag,value,hint", [("--lang", "vn", "did you mean vi?"), ("--lang", "xx", "vi"),
                                             ("--license", "cc-by-4", "did you mean cc-by-4.0?"),
                                             ("--license", "MIT", "did you mean mit?")])
def test_lang_and_license_are_checked_against_known_codes(tmp_path, corpus, flag, value, hint):
    r = run("clean", str(corpus), "--out", str(tmp_path / "o"), flag, value, "--no-progress")
    assert r.returncode == 2 and f"{flag} {value!r}" in r.stderr and hint in r.stderr
    assert not (tmp_path / "o").exists()


# -- 4. help and errors ----------------------------------------------------------------------------

def commands() -> list[str]:
    from cleaner.cli import _parser
    return list(_parser()._subparsers._group_actions[0].choices)


@pytest.mark.parametrize("command", commands())
def test_every_subcommand_has_examples_and_every_argument_help(command):
    from cleaner.cli import _parser

    r = run(command, "--help")
    assert r.returncode == 0 and "examples:" in r.stdout and f"cleaner {command}" in r.stdout.split("examples:")[1]
    sub = _parser()._subparsers._group_actions[0].choices[command]
    assert not sub.allow_abbrev
    bare = [a.dest for a in sub._actions if not a.help]
    assert not bare, f"arguments of {command} without help: {bare}"


def test_an_abbreviated_or_mistyped_flag_is_refused_with_a_did_you_mean(tmp_path, corpus):
    r = run("clean", str(corpus), "--out", str(tmp_path / "o"), "--no-prog")
    assert r.returncode == 2 and "--no-prog" in r.stderr and "did you mean --no-progress?" in r.stderr
    r = run("clean", str(corpus), "--out", str(tmp_path / "o"), "--worker", "1")
    assert r.returncode == 2 and "did you mean --workers?" in r.stderr
    assert not (tmp_path / "o").exists()


def test_config_errors_are_usage_errors_naming_the_key(tmp_path, corpus):
    (tmp_path / "typo.toml").write_text('[clean]\nnmae = "x"\n', encoding="utf-8")
    r = run("clean", str(corpus), "--config", str(tmp_path / "typo.toml"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "'nmae'" in r.stderr and "did you mean name?" in r.stderr
    for line, key in [('workers = "two"', "workers"), ("force = 1", "force"), ("rule_packs = 3", "rule_packs"),
                      ('near_dup_threshold = "high"', "near_dup_threshold")]:
        (tmp_path / "type.toml").write_text(f"[clean]\n{line}\n", encoding="utf-8")
        r = run("clean", str(corpus), "--config", str(tmp_path / "type.toml"), "--out", str(tmp_path / "o"))
        assert r.returncode == 2, (line, r.stderr)
        assert f"{key} must be" in r.stderr and "type.toml" in r.stderr and "Traceback" not in r.stderr


def test_paths_in_a_config_file_are_relative_to_it(tmp_path, corpus):
    conf = tmp_path / "project"
    conf.mkdir()
    (conf / "my.toml").write_text(PACK, encoding="utf-8")
    (conf / "clean.toml").write_text('[clean]\ninputs = ["../in"]\nout = "out"\nname = "x"\n'
                                     'rule_packs = ["my.toml"]\nmodel = "none"\nworkers = 1\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run("clean", "--config", "../project/clean.toml", "--no-progress", cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    version = conf / "out" / "x" / "v1.0.0"
    assert version.is_dir() and not (elsewhere / "out").exists()
    assert "other.ma_tin" in {row["rule"] for row in removals(version)}


# -- 5. the removal audit covers rejected documents --------------------------------------------------

def test_the_audit_covers_rejected_documents(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(f"15/05/2016 06:25\n\n{BODY}\n", encoding="utf-8")
    (src / "b.txt").write_text(f"Thứ hai, ngày 04/03/2013\n\n{BODY}\n", encoding="utf-8")  # a duplicate of a
    (src / "c.txt").write_text("Ảnh: TTXVN\n\n12:17, 22/08/2023\n", encoding="utf-8")  # no body left
    r = run("clean", str(src), "--out", str(tmp_path / "o"), "--name", "x", "--no-progress", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["rejected"] == {"duplicate": 1, "no_body": 1}
    rows = removals(tmp_path / "o" / "x" / "v1.0.0")
    by_source = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append((row["rule"], row["text"], row["kept"]))
    pair = [by_source["a.txt"], by_source["b.txt"]]
    assert [(rule, kept) for [(rule, _, kept)] in pair] in ([("date.only", True), ("date.only", False)],
                                                           [("date.only", False), ("date.only", True)])
    assert sorted(by_source["c.txt"]) == [("caption.credit_only", "Ảnh: TTXVN", False),
                                          ("date.only", "12:17, 22/08/2023", False)]
    assert summary["stats"]["lines_removed"] == {"date.only": 1}
    assert summary["stats"]["lines_removed_rejected"] == {"caption.credit_only": 1, "date.only": 2}
    assert "and 3 from rejected documents" in r.stderr
    [v] = json.loads(run("versions", str(tmp_path / "o" / "x"), "--json").stdout)
    assert v["lines_removed"] == len(rows) == 4 and v["lines_removed_rejected"] == 3 and v["rejected"] == 2


# -- 6. the card ------------------------------------------------------------------------------------

def test_the_card_and_manifest_hold_no_machine_path_and_describe_everything(tmp_path, examples):
    import shutil

    src = tmp_path / "secret-home" / "corpus"
    shutil.copytree(examples, src)
    (tmp_path / "my.toml").write_text(PACK, encoding="utf-8")
    out = tmp_path / "secret-out"
    for version, extra in (("1.0.0", ()), ("1.1.0", ("--rules", str(tmp_path / "my.toml")))):
        r = run("clean", str(src), "--out", str(out), "--name", "vi", "--version", version, "--no-progress", *extra)
        assert r.returncode == 0, r.stderr
    folder = out / "vi" / "v1.1.0"
    for name in ("manifest.json", "README.md", "CHANGELOG.md"):
        text = (folder / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text and "secret-home" not in text, name
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["inputs"] == ["corpus"] and manifest["config"]["rule_packs"] == ["my.toml"]
    card = (folder / "README.md").read_text(encoding="utf-8")
    for section in ("## Uses", "## Limitations", "## Personal information", "## Columns"):
        assert section in card
    assert "`authors`" in card.split("## Personal information")[1].split("##")[0]
    table = card.split("### Lines removed, by rule\n")[1].split("| rule | lines |")[1].split("\n\n")[0]
    by_rule = [row for row in table.splitlines() if row.startswith("| `")]
    counts = [int(row.rsplit("|", 2)[1]) for row in by_rule]
    assert counts == sorted(counts, reverse=True) and counts
    assert not any("title." in row for row in by_rule), "the headline moved to `title`: it is not junk"
    assert "moved to `title`" in card
    from cleaner.schema import load_json_schema
    columns = card.split("## Columns")[1]
    for schema in ("document", "rejects", "removals"):
        for column in load_json_schema(schema)["properties"]:
            assert f"| `{column}` |" in columns, (schema, column)
    assert "rejected after cleaning" in columns.split("### `removals`")[1]


# -- 7. diff and CHANGELOG name documents and say what changed ------------------------------------------

def test_diff_names_documents_by_source_and_says_what_changed(tmp_path, corpus):
    (corpus / "b.txt").write_text("Giá xăng dầu trong nước được điều chỉnh tăng nhẹ từ chiều nay theo quyết định "
                                  "của liên bộ Công Thương và Tài chính, áp dụng trên toàn quốc.\n", encoding="utf-8")
    base = ("--out", str(tmp_path / "o"), "--name", "x", "--no-progress", "--workers", "1", "--model", "none")
    assert run("clean", str(corpus), *base).returncode == 0
    (tmp_path / "v2.toml").write_text(PACK.replace('disable = ["caption.run"]', 'disable = ["date.only", "date.labelled"]'),
                                      encoding="utf-8")
    r = run("clean", str(corpus), *base, "--version", "1.1.0", "--rules", str(tmp_path / "v2.toml"))
    assert r.returncode == 0, r.stderr
    d = run("diff", str(tmp_path / "o" / "x"), "1.0.0", "1.1.0")
    assert d.returncode == 0, d.stderr
    line = next(l for l in d.stdout.splitlines() if "(a.txt)" in l)
    assert "lines restored: 1 (was date.only)" in line and "lines removed: 5 (other.ma_tin)" in line
    assert "(b.txt)" not in d.stdout, "an unchanged document is not listed"
    changelog = (tmp_path / "o" / "x" / "v1.1.0" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "(a.txt)" in changelog and "lines restored: 1 (was date.only)" in changelog
    data = json.loads(run("diff", str(tmp_path / "o" / "x"), "1.0.0", "1.1.0", "--json").stdout)
    [changed] = data["changed"]
    assert data["sources"][changed] == "a.txt" and data["details"][changed]


# -- 8. progress -----------------------------------------------------------------------------------

def test_no_lock_file_is_left_and_hidden_rejects_are_counted(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(f"{BODY}\n", encoding="utf-8")
    for i in range(25):
        (src / f"bad{i:02d}.txt").write_bytes(b"")  # empty: rejected
    r = run("clean", str(src), "--out", str(tmp_path / "o"), "--name", "x", "--no-progress", "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("warning: rejected") == 20
    assert "warning: 5 more rejects not shown; see the rejects table" in r.stderr
    assert "\033[" not in r.stderr, "no colour when standard error is not a terminal"
    assert not list((tmp_path / "o" / "x").glob(".*.lock")), list((tmp_path / "o" / "x").iterdir())


def on_a_terminal(*args, env=None, cwd=None) -> tuple[int, str]:
    """`cleaner ARGS` with standard error on a pseudo-terminal of 100x24 (as a user's terminal has a size),
    read while it runs (a bar writes more than a terminal buffers); the exit code and what it wrote."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    p = subprocess.Popen([sys.executable, "-m", "cleaner", *args], stdout=subprocess.DEVNULL, stderr=child, env=env,
                         cwd=cwd)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return p.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_warning_and_error_are_in_colour_on_a_terminal_only(tmp_path):
    import os

    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(f"{BODY}\n", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}

    code, err = on_a_terminal("clean", str(src), "--out", str(tmp_path / "o"), "--no-progress", "--workers", "1",
                              env=env)
    assert code == 0 and "\033[33mwarning\033[0m: rejected bad.txt" in err
    code, err = on_a_terminal("clean", str(src), "--out", str(tmp_path / "o"), "--no-progress", env=env)
    assert code == 1 and "cleaner: \033[31merror\033[0m: " in err
    code, err = on_a_terminal("clean", str(src), "--out", str(tmp_path / "o"), "--no-progress",
                              env={**env, "NO_COLOR": "1"})
    assert code == 1 and "\033[" not in err


STAGES = ("clean", "lines", "sign", "dedup", "write")
FRAME = re.compile(r"^(\w+): +\d+%\|[^|]*\| (\d+)/(\d+) docs \[[\d:]+<[\d:?]+, (\?|[\d,]+) docs/s\]$")


def bar_frames(err: str) -> list[tuple[str, int, int]]:
    """(stage, count, total) of every bar frame drawn; a frame in another shape fails the test."""
    out = []
    for frame in re.split(r"[\r\n]+", err):
        if frame.split(":")[0] in STAGES and ("|" in frame or "/s" in frame):  # not the summary's `lines:`
            m = FRAME.match(frame.rstrip())
            assert m, f"not a bar of whole documents with one rate: {frame!r}"
            out.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return out


def articles(src: Path, n: int = 12) -> None:
    """`n` distinct articles d00.txt... (no two near duplicates), each ending in the line FREQUENT."""
    src.mkdir(exist_ok=True)
    for i in range(n):
        body = " ".join(SENTENCES[(i + k) % 12] for k in range(0, 12, 5)) + f" Câu chuyện số {i} được kể lại."
        other = SENTENCES[(i + 3) % 12] + " " + SENTENCES[(i + 7) % 12]
        (src / f"d{i:02d}.txt").write_text(f"{body}\n\n{other}\n\n{FREQUENT}\n", encoding="utf-8")


def test_the_bar_counts_every_document_in_labelled_stages_with_one_rate(tmp_path):
    import os

    articles(tmp_path / "in")
    (tmp_path / "in" / "bad.txt").write_bytes(b"")  # a reject: read and written, never signed
    # tqdm's own settings: draw every update, so that what is drawn does not depend on the clock
    env = {**os.environ, "TQDM_MININTERVAL": "0", "TQDM_MINITERS": "1"}
    code, err = on_a_terminal("clean", "in", "--out", "o", "--name", "x", "--workers", "1", env=env, cwd=tmp_path)
    assert code == 0, err
    frames = bar_frames(err)
    assert [s for s in STAGES if any(f[0] == s for f in frames)] == list(STAGES), "every stage labelled"
    for stage, total in zip(STAGES, (13, 12, 12, 12, 13)):
        counts = sorted({n for s, n, t in frames if s == stage and t == total})
        assert counts[-1] == total and {s for s, _, t in frames if s == stage and t != total} == set(), stage
        if stage in ("clean", "sign", "write"):  # the maps and the writer move a document at a time
            assert counts == list(range(total + 1)), (stage, counts)

    # worker processes report through a shared counter: the same labelled bars, whole, to the last document
    (tmp_path / "shards.toml").write_text("[clean]\nfiles_per_shard = 4\n", encoding="utf-8")
    code, err = on_a_terminal("clean", "in", "--out", "o", "--name", "x", "--version", "1.0.1", "--workers", "2",
                              "--config", "shards.toml", env=env, cwd=tmp_path)
    assert code == 0, err
    frames = bar_frames(err)
    assert ("clean", 13, 13) in frames and ("sign", 12, 12) in frames and ("write", 13, 13) in frames

    # --no-progress on a terminal, and no terminal at all: no bar
    code, err = on_a_terminal("clean", "in", "--out", "o", "--name", "x", "--version", "1.0.2", "--no-progress",
                              env=env, cwd=tmp_path)
    assert code == 0 and not bar_frames(err) and "docs/s" not in err
    r = run("clean", "in", "--out", "o", "--name", "x", "--version", "1.0.3", cwd=tmp_path)
    assert r.returncode == 0 and "docs/s" not in r.stderr and "\r" not in r.stderr
    assert r.stderr.startswith("warning: rejected bad.txt"), r.stderr


# -- skipped issue item 4: the NAME folder loads as its latest version, never a merge -----------------------

def test_load_dataset_on_the_name_folder_loads_the_latest_version_only(tmp_path, examples):
    out = tmp_path / "o"
    for version in ("1.0.0", "1.1.0"):
        r = run("clean", str(examples), "--out", str(out), "--name", "vi", "--version", version, "--no-progress")
        assert r.returncode == 0, r.stderr
    code = ("import datasets, json, sys; ds = datasets.load_dataset(sys.argv[1], split='train'); "
            "print(json.dumps([len(ds), len(set(ds['id']))]))")
    env = {**__import__("os").environ, "HF_DATASETS_CACHE": str(tmp_path / "cache"), "HF_DATASETS_OFFLINE": "1"}
    r = subprocess.run([sys.executable, "-c", code, str(out / "vi")], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    rows, ids = json.loads(r.stdout)
    kept = json.loads((out / "vi" / "v1.1.0" / "manifest.json").read_text(encoding="utf-8"))["stats"]["documents_kept"]
    assert rows == ids == kept, "one version's rows, not both versions merged"
    card = (out / "vi" / "README.md").read_text(encoding="utf-8")
    assert "v1.1.0/data/train-" in card and "v1.0.0/data" not in card


def test_the_readme_rule_pack_example_loads_and_does_what_it_says():
    from cleaner.rulepack import parse_pack

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Rule packs of your own")[1]
    example = section.split("```toml\n")[1].split("```")[0]
    pack = parse_pack(example.encode("utf-8"), "README.md")
    assert pack.disable == ("caption.run",) and [r.id for r in pack.rules] == ["other.ma_tin"] and pack.keep


# -- issue item 3: explain OUT/NAME reads the version's own decisions ---------------------------------------

SENTENCES = [
    "Hôm nay trời đẹp, người dân Hà Nội đổ ra đường đi chơi rất đông vui và hào hứng.",
    "Giá xăng dầu trong nước tiếp tục tăng mạnh từ chiều nay theo quyết định của liên bộ.",
    "Đội tuyển bóng đá quốc gia đã có trận thắng thuyết phục trước đối thủ mạnh trong khu vực.",
    "Nhiều trường học ở miền núi vẫn thiếu giáo viên và cơ sở vật chất cho năm học mới.",
    "Thành phố lên kế hoạch mở rộng mạng lưới xe buýt điện để giảm ô nhiễm không khí.",
    "Nông dân đồng bằng sông Cửu Long đang tất bật thu hoạch vụ lúa đông xuân năm nay.",
    "Bệnh viện tuyến tỉnh tiếp nhận thêm trang thiết bị hiện đại phục vụ người bệnh.",
    "Ngành du lịch kỳ vọng đón lượng khách quốc tế tăng mạnh vào dịp cuối năm.",
    "Các doanh nghiệp xuất khẩu thủy sản gặp khó khăn do đơn hàng sụt giảm đáng kể.",
    "Mưa lớn kéo dài khiến nhiều tuyến đường ở vùng trũng bị ngập sâu trong nước.",
    "Sinh viên năm cuối tham gia ngày hội việc làm với hàng nghìn vị trí tuyển dụng.",
    "Lễ hội văn hóa truyền thống thu hút đông đảo người dân và du khách tham dự.",
]
FREQUENT = "Đọc báo Hà Nội mới mỗi ngày"


@pytest.fixture
def explained_version(tmp_path) -> Path:
    """OUT/x v1.0.0 of: 12 articles ending in one site line (removed as dedup.frequent_line, which a
    per-file explain cannot see), a duplicate pair, a document with no body left, and one with a control
    sequence. Cleaned with --model none, so that the site line is left for the dedup stage."""
    src = tmp_path / "in"
    articles(src)
    (src / "a.txt").write_text(f"15/05/2016 06:25\n\n{BODY}\n", encoding="utf-8")
    (src / "b.txt").write_text(f"Thứ hai, ngày 04/03/2013\n\n{BODY}\n", encoding="utf-8")  # a duplicate of a
    (src / "c.txt").write_text("Ảnh: TTXVN\n\n12:17, 22/08/2023\n", encoding="utf-8")  # no body left
    (src / "e.txt").write_text(f"{SENTENCES[0]} Tin\x1b]0;pwned\x07 mới {SENTENCES[5]}\n", encoding="utf-8")
    (tmp_path / "c.toml").write_text("[clean]\nfrequent_line_min_docs = 3\nfrequent_line_min_source_docs = 5\n",
                                     encoding="utf-8")
    r = run("clean", "in", "--out", "o", "--name", "x", "--config", "c.toml", "--model", "none", "--no-progress",
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return tmp_path / "o" / "x"


def test_explain_a_version_shows_its_site_boilerplate_with_the_rules_description(tmp_path, explained_version):
    rules = {r["id"]: r for r in json.loads(run("rules", "--json").stdout)}
    r = run("explain", "o/x", "--source", "d03.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("== d03.txt  id ") and lines[0].endswith("o/x/v1.0.0: kept")
    at = next(i for i, l in enumerate(lines) if FREQUENT in l)
    assert lines[at].split() [:2] == ["5", "dedup.frequent_line"]
    frequent = rules["dedup.frequent_line"]
    assert lines[at + 1].strip() == f"{frequent['origin']}: {frequent['description']}"
    assert [l.split()[:2] for l in lines if l[:5].strip().isdigit()][:4] == [["1", "keep"], ["2", "blank"],
                                                                             ["3", "keep"], ["4", "blank"]]
    assert "\033[" not in r.stdout, "no colour when standard output is not a terminal"
    # the per-file explain cannot see the corpus: it keeps the line the dataset removed
    per_file = run("explain", "in/d03.txt", "--model", "none", cwd=tmp_path)
    assert per_file.returncode == 0 and next(l for l in per_file.stdout.splitlines() if FREQUENT in l).split()[1] == "keep"
    coloured = run("explain", "o/x", "--source", "d03.txt", "--color", "always", cwd=tmp_path)
    assert "\033[31mdedup.frequent_line" in coloured.stdout


def test_explain_a_version_says_why_a_document_was_rejected(tmp_path, explained_version):
    rules = {r["id"]: r for r in json.loads(run("rules", "--json").stdout)}
    kept = {d["source"]: d["id"] for d in documents(explained_version / "v1.0.0")}
    [original] = [s for s in ("a.txt", "b.txt") if s in kept]
    copy = "b.txt" if original == "a.txt" else "a.txt"
    r = run("explain", "o/x", "--source", copy, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()[0]
    assert "rejected (duplicate)" in head and head.endswith(f"duplicate_of {kept[original]}")
    assert "date.only" in r.stdout, "a reject's removed lines come from the removals table"
    [no_body] = [row for row in removals(explained_version / "v1.0.0") if row["source"] == "c.txt"][:1]
    r = run("explain", "o/x", "--version", "1.0.0", "--id", no_body["id"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "rejected (no_body)" in r.stdout.splitlines()[0]
    credit = rules["caption.credit_only"]
    assert f"vi-news: {credit['description']}" in r.stdout and "caption.credit_only" in r.stdout
    e = run("explain", "o/x", "--source", "e.txt", cwd=tmp_path)
    assert "\\x1b]0;pwned\\x07" in e.stdout and "\x1b]" not in e.stdout, "scraped control codes are escaped"
    # the raw inputs moved: the version still answers, and says its line numbers may be approximate
    (tmp_path / "in").rename(tmp_path / "gone")
    r = run("explain", "o/x", "--source", "d03.txt", cwd=tmp_path)
    assert r.returncode == 0 and "raw input was not found" in r.stdout and "dedup.frequent_line" in r.stdout


@pytest.mark.parametrize("args, names", [
    (("--id", "nope"), "id 'nope'"),
    (("--source", "d3.txt"), "source 'd3.txt'; did you mean 'd03.txt'?"),
    (("--version", "9.9.9", "--id", "nope"), "no version 9.9.9; have v1.0.0"),
    (("--id", "nope", "--source", "a.txt"), "give --id ID or --source SRC (one of them)"),
    ((), "give --id ID or --source SRC (one of them)"),
])
def test_explain_a_version_errors_name_what_is_missing(tmp_path, explained_version, args, names):
    r = run("explain", "o/x", *args, cwd=tmp_path)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("cleaner: error: ") and names in r.stderr, r.stderr


# -- issue item 8: the card a push sends names the hub repo and its revision -------------------------------

def test_the_pushed_card_loads_the_pushed_version_from_the_hub(tmp_path, examples):
    import os

    from hubserver import HubServer

    r = run("clean", str(examples), "--out", str(tmp_path / "o"), "--name", "vi", "--no-progress")
    assert r.returncode == 0, r.stderr
    local = (tmp_path / "o" / "vi" / "v1.0.0" / "README.md").read_bytes()
    with HubServer(tmp_path / "storage", {"hf_testtoken0123456789": "tester"}) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
        env.update(HF_ENDPOINT=server.url, HF_HUB_DISABLE_XET="1", HF_HOME=str(tmp_path / "hf"),
                   HF_DATASETS_CACHE=str(tmp_path / "cache"), HF_TOKEN="hf_testtoken0123456789", NO_COLOR="1")
        p = subprocess.run([sys.executable, "-m", "cleaner", "push", str(tmp_path / "o" / "vi"), "--repo", "org/vi"],
                           capture_output=True, text=True, env=env, timeout=300)
        assert p.returncode == 0, p.stderr
        assert "\r" not in p.stderr and "it/s" not in p.stderr, "no huggingface_hub bars when not on a terminal"
        repo = server.repo("org/vi")
        files = repo["commits"][repo["tags"]["v1.0.0"]]["files"]
        card = server.store.blob_path(files["README.md"]["sha256"]).read_text(encoding="utf-8")
        section = card.split("## Load it\n")[1].split("\n## ")[0]
        assert 'load_dataset("org/vi", revision="v1.0.0", split="train")' in section
        assert 'cleaner.load("org/vi", version="1.0.0")' in section
        assert "path/to" not in card and str(tmp_path) not in card
        assert (tmp_path / "o" / "vi" / "v1.0.0" / "README.md").read_bytes() == local, "the local card stays"
        # the card's code, run as a user would paste it, loads the pushed version
        code = section.split("```python\n")[1].split("```")[0] + (
            "import json\nprint(json.dumps({n: len(globals()[n]) for n in ('ds', 'rejects', 'removals') "
            "if n in globals()}))\n")
        q = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert q.returncode == 0, q.stderr
    version = tmp_path / "o" / "vi" / "v1.0.0"
    want = {"ds": len(documents(version)), "removals": len(removals(version))}  # the examples have no rejects:
    assert json.loads(q.stdout) == want and "rejects" not in section           # no config, no line for it
