from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.model.train import read_folder
from cleaner.review.export import export, label_lines, label_of_rule
from cleaner.review.store import ShownLine, Version

ROOT = Path(__file__).resolve().parents[2]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def read_labels(folder: Path, name: str) -> list[str]:
    return [r.split("\t", 1)[0] for r in (folder / "labels" / name).read_text(encoding="utf-8").split("\n") if r]


def score(version: Path, samples: Path) -> str:
    if not SCORE.exists():
        pytest.skip("../shared/eval/score.py is not beside the checkout")
    done = subprocess.run([sys.executable, str(SCORE), str(version), "--samples", str(samples)],
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_label_of_rule_covers_every_family():
    assert label_of_rule("model.caption") == "caption" and label_of_rule("model.weird") == "other"
    assert label_of_rule("dup.exact") == "dup" and label_of_rule("dedup.frequent_line") == "other"
    assert label_of_rule("title.kicker") == "title" and label_of_rule("unicode.empty") == "other"


def test_label_lines_mark_first():
    lines = [ShownLine(1, "a", None), ShownLine(2, "b", "byline.x"), ShownLine(3, "", None, True)]
    assert label_lines(lines, {}) == ["keep", "byline", "blank"]
    assert label_lines(lines, {1: "nav", 2: "keep"}) == ["nav", "keep", "blank"]


def test_export_only_marked_then_all(dataset, tmp_path):
    v = Version(dataset)
    kept = [e for e in v.entries if not e.rejected]
    target = kept[1]
    _, lines, _ = v.lines(target.id)
    gone = next(l for l in lines if l.rule)
    plain = next(l for l in lines if not l.rule and not l.blank)
    v.mark(target.id, gone.no, "keep")
    v.mark(target.id, plain.no, "related")
    done = export(v, tmp_path / "x")
    assert done["documents"] == 1 and done["approximate"] == 0
    name = os.path.basename(target.source)
    assert sorted(p.name for p in (tmp_path / "x" / "raw").iterdir()) == [name]
    labels = read_labels(tmp_path / "x", name.replace(".txt", ".tsv"))
    raw = (tmp_path / "x" / "raw" / name).read_text(encoding="utf-8").split("\n")[:-1]
    assert len(labels) == len(raw) == len(lines)
    assert labels[gone.no - 1] == "keep" and labels[plain.no - 1] == "related"
    assert [l for i, l in enumerate(labels, 1) if i not in (gone.no, plain.no)] == \
        label_lines([l for l in lines if l.no not in (gone.no, plain.no)], {})
    prov = (tmp_path / "x" / "provenance.tsv").read_text(encoding="utf-8").splitlines()
    assert prov[0].startswith("file\tsource_key") and prov[1].split("\t")[:2] == [name, target.source_key]
    articles = read_folder(tmp_path / "x")  # what `cleaner train` reads
    assert [a.name for a in articles] == [name] and articles[0].group == target.source_key

    done = export(v, tmp_path / "all", all=True)
    assert done["documents"] == len(kept)
    names = {p.name for p in (tmp_path / "all" / "raw").iterdir()}
    assert names == {os.path.basename(e.source) if e.source.endswith(".txt") else "extra.jsonl_1.txt" for e in kept}
    assert len(read_folder(tmp_path / "all")) == len(kept)


def test_score_counts_one_keep_mark_as_one_false_positive(dataset, tmp_path):
    """score.py matches a record to a raw file by the basename of `source`: the export names files so."""
    v = Version(dataset)
    target = [e for e in v.entries if not e.rejected and e.source.endswith(".txt")][2]
    _, lines, _ = v.lines(target.id)
    gone = next(l for l in lines if l.rule)
    v.mark(target.id, gone.no, label_of_rule(gone.rule))  # agrees with the version: nothing wrong
    export(v, tmp_path / "before")
    out = score(v.folder, tmp_path / "before")
    assert "documents labelled: 1, found in dataset: 1" in out and " fp 0 fn 0 " in out, out
    v.mark(target.id, gone.no, "keep")  # the last mark wins: this removed line should have been kept
    export(v, tmp_path / "after")
    out = score(v.folder, tmp_path / "after")
    assert " fp 1 fn 0 " in out and f"removed {os.path.basename(target.source)}:{gone.no} [keep]" in out, out


def test_cli_export(dataset, tmp_path, capsys):
    v = Version(dataset)
    e = next(e for e in v.entries if not e.rejected)
    v.mark(e.id, 1, "keep")
    assert main(["review", str(dataset), "--export", str(tmp_path / "ex")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "ex")
    assert len(list((tmp_path / "ex" / "labels").glob("*.tsv"))) == 1
    assert main(["review", str(dataset), "--all"]) == 2
    assert main(["review", str(dataset), "--version", "9.9.9", "--export", str(tmp_path / "no")]) == 2


def test_export_without_inputs_warns(dataset, tmp_path):
    v = Version(dataset, inputs=[])
    said = []
    done = export(v, tmp_path / "x", all=True, warn=said.append)
    assert done["approximate"] > 0 and "blank lines are lost" in said[0]


def test_cli_port_in_use(dataset, capsys):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["review", str(dataset), "--port", str(busy.getsockname()[1])]) == 2
    assert "choose another --port" in capsys.readouterr().err
