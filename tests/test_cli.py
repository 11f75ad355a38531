"""The CLI as a user runs it: a real subprocess, real files, exit codes and messages."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import _parser

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=cwd)


def test_clean_prints_the_version_folder_and_a_summary(tmp_path, examples):
    r = run("clean", str(examples), "--out", str(tmp_path), "--name", "vi", "--version", "1.0.0", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(tmp_path / "vi" / "v1.0.0")
    assert re.search(r"documents: read \d+, kept \d+, rejected 0", r.stderr)
    assert "lines removed" in r.stderr or "removed" in r.stderr
    again = run("clean", str(examples), "--out", str(tmp_path), "--name", "vi", "--version", "1.0.0", "--no-progress")
    assert again.returncode == 1 and "--force" in again.stderr


@pytest.mark.parametrize("flag,value", [("--name", "../../etc"), ("--name", "/abs"), ("--name", "a b"),
                                        ("--version", "1.0/../.."), ("--version", "1.0")])
def test_bad_names_and_versions_are_usage_errors(tmp_path, examples, flag, value):
    args = {"--name": "ok", "--version": "1.0.0", flag: value}
    r = run("clean", str(examples), "--out", str(tmp_path), "--name", args["--name"], "--version", args["--version"])
    assert r.returncode == 2 and flag in r.stderr
    assert not any(tmp_path.iterdir())


def test_bad_input_warns_and_goes_on_unless_strict(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Hôm nay trời đẹp, người dân Hà Nội đổ ra đường đi chơi rất đông vui.\n", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\xff\xfe\xfa not utf-8")
    r = run("clean", str(src), "--out", str(tmp_path / "o"), "--name", "x", "--no-progress")
    assert r.returncode == 0
    assert "warning: rejected bad.txt" in r.stderr and "rejected 1 (decode_error 1)" in r.stderr
    s = run("clean", str(src), "--out", str(tmp_path / "o"), "--name", "y", "--strict", "--no-progress")
    assert s.returncode == 1 and "bad.txt" in s.stderr and "--strict" in s.stderr
    assert not (tmp_path / "o" / "y").exists() or not any((tmp_path / "o" / "y").glob("v*"))


def test_missing_input_is_a_usage_error(tmp_path):
    r = run("clean", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_explain_shows_each_line_with_its_fate(examples):
    path = examples / "001_7c610d985df96e1a.txt"
    r = run("explain", str(path), "--color", "never")
    assert r.returncode == 0
    raw = path.read_text(encoding="utf-8").split("\n")
    rows = [l for l in r.stdout.splitlines() if not l.startswith("==") and "model p=" not in l]
    assert len(rows) == len(raw)
    assert any(re.match(r"\s+1\s+title\.", l) for l in rows)
    assert any(" keep " in l for l in rows)


def test_every_command_and_flag_is_in_the_readme():
    """Every subcommand (clean, rules, train, push, ... and any added later) has a `### cleaner X` section,
    and every flag of it is named in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _parser()._subparsers._group_actions[0].choices
    assert {"clean", "rules", "train", "explain", "versions", "diff", "push"} <= set(commands)
    missing = [c for c in commands if f"### `cleaner {c}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"
    flags = [f"{c} {o}" for c, sub in commands.items() for a in sub._actions for o in a.option_strings
             if o.startswith("--") and o != "--help" and f"`{o}" not in readme]
    flags += [o for a in _parser()._actions for o in a.option_strings if o == "--version" and "cleaner --version" not in readme]
    assert not flags, f"flags missing from README.md: {flags}"


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tmp_path, examples):
    import shutil

    src = tmp_path / "corpus"
    shutil.copytree(examples, src)
    for version in ("1.0.0", "1.1.0"):
        r = run("clean", str(src), "--out", str(src / "output"), "--name", "vi", "--version", version, "--no-progress")
        assert r.returncode == 0, r.stderr
    assert f"read {len(list(examples.glob('*.txt')))}," in r.stderr, "the first version's Parquet files are not inputs"


def test_every_config_key_is_in_the_readme():
    from dataclasses import fields

    from cleaner.config import Config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Config) if f.name != "inputs" and f"\n{f.name} = " not in readme]
    assert not missing, f"config keys missing from README.md's config file section: {missing}"


def test_a_config_file_sets_the_run_and_flags_win(tmp_path, examples):
    (tmp_path / "c.toml").write_text('[clean]\nname = "fromfile"\nversion = "2.0.0"\nworkers = 1\n', encoding="utf-8")
    r = run("clean", str(examples), "--config", str(tmp_path / "c.toml"), "--out", str(tmp_path / "o"),
            "--version", "2.1.0", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(tmp_path / "o" / "fromfile" / "v2.1.0")
    (tmp_path / "bad.toml").write_text('[clean]\nnot_a_key = 1\n', encoding="utf-8")
    bad = run("clean", str(examples), "--config", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "o"))
    assert bad.returncode == 2 and "not_a_key" in bad.stderr


def test_the_clean_command_imports_neither_datasets_nor_pandas(examples, tmp_path):
    """The program's run needs neither (about a second of its start); `main` called from Python keeps
    the caller's process as it was: pandas stays importable there."""
    script = (
        "import sys\n"
        "from cleaner import cli\n"
        "sys.argv = ['cleaner', 'clean', sys.argv[1], '--out', sys.argv[2], '--name', 'vi', '--no-progress']\n"
        "rc = cli.{entry}\n"
        "print(rc, sorted({{'datasets', 'pandas'}} & set(sys.modules)))\n"
        "import pandas\n")
    r = subprocess.run([sys.executable, "-c", script.format(entry="command()"), str(examples), str(tmp_path / "a")],
                       capture_output=True, text=True)
    assert "\n0 []\n" in r.stdout and "ModuleNotFoundError" in r.stderr, r.stderr
    r = subprocess.run([sys.executable, "-c", script.format(entry="main(sys.argv[1:])"), str(examples),
                        str(tmp_path / "b")], capture_output=True, text=True)
    assert r.returncode == 0 and "\n0 [" in r.stdout and "datasets" not in r.stdout, r.stderr
