"""Safety: names and versions cannot leave the output folder, rule packs are data whose regexes
cannot hang a run, a hub token never lands in a dataset, and nothing written is world-writable."""
from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.config import resolve
from cleaner.document import from_text
from cleaner.errors import RulePackError, UsageError
from cleaner.passes import rules as rules_pass
from cleaner.rulepack import load_pack, parse_pack

from robustness_helpers import cli, rows

BAD_NAMES = ["../../etc", "..", ".", "/abs", "a/b", "a\\b", "a b", "a\nb", "-rf", ".hidden", "a..b", "ä", "x" * 101,
             "name\x00", ""]
BAD_VERSIONS = ["1.0/../..", "1.0", "/1.0.0", "../1.0.0", "v1.0.0", "1.0.0 ", "01.0.0", "1.0.0-rc1", "\u0661.0.0",
                "1.0.0\n", ""]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_odd_names_are_refused(name):
    with pytest.raises(UsageError, match="--name"):
        resolve(None, inputs=("x",), name=name)


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_odd_versions_are_refused(version):
    with pytest.raises(UsageError, match="--version"):
        resolve(None, inputs=("x",), version=version)


def test_a_config_file_cannot_smuggle_a_path_in(tmp_path, examples):
    (tmp_path / "c.toml").write_text('[clean]\nname = "../../escaped"\n', encoding="utf-8")
    r = cli("clean", str(examples), "--out", str(tmp_path / "o"), "--config", str(tmp_path / "c.toml"))
    assert r.returncode == 2 and "--name" in r.stderr
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "o").exists()


# ---------------------------------------------------------------- rule packs are data

CATASTROPHIC = """
[pack]
name = "hostile"
version = "1.0.0"
language = "vi"

[[rules]]
id = "junk.nested_plus"
pattern = '(a+)+$'
examples = ["aaaa"]
keeps = ["b"]
"""


def test_a_catastrophic_regex_runs_in_linear_time(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(CATASTROPHIC, encoding="utf-8")
    pack = load_pack(str(path))
    line = "a" * 200_000 + "!"  # Python's re would backtrack for ever on this line
    doc = from_text("d", "d.txt", f"Tiêu đề\n{line}\n{'a' * 50}")
    start = time.perf_counter()
    out = rules_pass.apply(doc, pack.rules)
    assert time.perf_counter() - start < 10  # linear: well under a second; backtracking: never ends
    assert [r.line for r in out.removed] == [3], "the line ending in '!' does not match; the one of a's does"
    assert [l.no for l in out.lines] == [1, 2]


def test_a_catastrophic_regex_through_the_cli_finishes(tmp_path):
    pack = tmp_path / "hostile.toml"
    pack.write_text(CATASTROPHIC, encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Giá xăng tăng mạnh tại Hà Nội hôm nay.\nNgười dân lo lắng.\n" + "a" * 5_000 + "!\n"
                               + "a" * 3_000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    r = cli("clean", str(src), "--out", str(tmp_path / "o"), "--name", "h", "--rules", str(pack),
            "--rules", "vi-news", "--model", "none", "--no-progress", timeout=60)  # the pack's rule first
    assert r.returncode == 0, r.stderr
    assert time.perf_counter() - start < 30
    (row,) = rows(tmp_path / "o" / "h" / "v1.0.0", "data")
    assert [(r["line"], r["rule"]) for r in row["removed"]] == [(4, "junk.nested_plus")]


def test_a_long_token_is_cleaned_in_bounded_time():
    """A quadratic step on a long token once took over a minute at 100k characters; at 400k it would take
    a quarter of an hour. Linear, it is a fraction of a second: the bound has room for a loaded machine."""
    code = ("from cleaner.config import Config; from cleaner.pipeline import build, judge; "
            "from cleaner.readers import RawDoc; "
            "judge(build(Config()), RawDoc('a.txt', 'Giá xăng tăng mạnh.\\n' + 'a' * 400_000 + '!'))")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize("pattern,why", [(r"(a)\1", "backreference"), (r"(?=a)b", "lookahead"),
                                         (r"(?<!a)b", "lookbehind")])
def test_patterns_re2_cannot_run_are_refused_at_load(pattern, why):
    toml = CATASTROPHIC.replace("'(a+)+$'", f"'{pattern}'")
    with pytest.raises(RulePackError, match="not valid RE2"):
        parse_pack(toml.encode(), f"{why}.toml")


def test_a_rule_pack_is_never_executed(tmp_path):
    """TOML is parsed as data: a pack holding Python code is refused by the schema, never run."""
    canary = tmp_path / "canary"
    evil = CATASTROPHIC + f'\nhook = "__import__(\'pathlib\').Path({str(canary)!r}).touch()"\n'
    with pytest.raises(RulePackError):
        parse_pack(evil.encode(), "evil.toml")
    py = tmp_path / "evil.py"
    py.write_text(f"import pathlib; pathlib.Path({str(canary)!r}).touch()\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="not a TOML rule pack"):
        load_pack(str(py))
    assert not canary.exists()


# ---------------------------------------------------------------- secrets and permissions

def test_the_hub_token_never_lands_in_the_dataset_or_the_output(tmp_path, examples):
    token = "hf_" + secrets.token_urlsafe(24)
    r = cli("clean", str(examples), "--out", str(tmp_path / "o"), "--name", "t", "--no-progress",
            env={"HF_TOKEN": token, "HUGGING_FACE_HUB_TOKEN": token})
    assert r.returncode == 0, r.stderr
    assert token not in r.stdout and token not in r.stderr
    files = [p for p in (tmp_path / "o").rglob("*") if p.is_file()]
    assert any(p.name == "manifest.json" for p in files)
    for path in files:
        assert token.encode() not in path.read_bytes(), f"the token is in {path}"


def _clean_with_umask(umask: int, examples: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", "clean", str(examples), "--out", str(out), "--name", "u",
                           "--no-progress"], capture_output=True, text=True, preexec_fn=lambda: os.umask(umask))


@pytest.mark.parametrize("umask", [0o002, 0o022, 0o000])
def test_nothing_written_is_world_writable(tmp_path, examples, umask):
    r = _clean_with_umask(umask, examples, tmp_path / "o")
    assert r.returncode == 0, r.stderr
    version = tmp_path / "o" / "u" / "v1.0.0"
    paths = [version, *version.rglob("*")]
    assert len(paths) > 5
    for path in paths:
        mode = path.lstat().st_mode
        assert not mode & stat.S_IWOTH, f"{path} is world-writable ({stat.filemode(mode)}) under umask {umask:03o}"
        if umask == 0o022:
            assert not mode & stat.S_IWGRP, "the user's umask is respected"
        if umask == 0o002 and path.is_file():
            assert mode & stat.S_IWGRP, "the user's umask is respected (group may write)"
