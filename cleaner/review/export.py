"""Turn reviewed documents into labelled articles in the layout of ../shared/samples.

`DIR/raw/NAME.txt` holds the document's raw lines joined by `\\n`; `DIR/labels/NAME.tsv` one
`LABEL<TAB>line` row per raw line; `DIR/provenance.tsv` each file's `source_key` (domain, else outlet,
else `unknown`). NAME is the basename of the document's `source`, so `score.py VERSION --samples DIR`
finds each record by its file name, and `cleaner train DIR` reads the folder as it is.

A line's label is its mark; else the family of the rule that removed it, in the samples' label set;
else `keep` (`blank` for an empty line).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Callable

from .store import REMOVE_LABELS, ShownLine, Version

# rule families that are not labels themselves
FAMILY_LABEL = {"unicode": "other", "dedup": "other", "model": None, "boilerplate": "other"}


def label_of_rule(rule: str) -> str:
    """The samples' label for a removal rule.

    >>> [label_of_rule(r) for r in ("caption.photo_credit", "model.byline", "dedup.frequent_line", "unicode.empty", "x.y")]
    ['caption', 'byline', 'other', 'other', 'other']
    """
    family, _, rest = rule.partition(".")
    if family == "model":
        return rest if rest in REMOVE_LABELS else "other"
    if family in REMOVE_LABELS:
        return family
    return FAMILY_LABEL.get(family) or "other"


def label_lines(lines: list[ShownLine], marks: dict[int, str]) -> list[str]:
    """One label per line: the mark, else the removal rule's label, else keep (blank for an empty line).

    >>> label_lines([ShownLine(1, "a", "nav.menu"), ShownLine(2, "", None, True), ShownLine(3, "b", None)], {1: "keep"})
    ['keep', 'blank', 'keep']
    """
    out = []
    for line in lines:
        if line.blank:
            out.append("blank")
        elif line.no in marks:
            out.append(marks[line.no])
        elif line.rule is not None:
            out.append(label_of_rule(line.rule))
        else:
            out.append("keep")
    return out


_UNSAFE = re.compile(r"[^\w.\-]+")


def file_name(source: str, taken: set[str]) -> str:
    """The raw file's name: the source's basename (`a/b.txt` -> `b.txt`; `x.jsonl:3` -> `x.jsonl_3.txt`),
    made unique among `taken`.

    >>> file_name("a/b.txt", set()), file_name("x.jsonl:3", set()), file_name("b.txt", {"b.txt"})
    ('b.txt', 'x.jsonl_3.txt', 'b_2.txt')
    """
    base = os.path.basename(source.replace("\\", "/")) or "doc"
    if not base.endswith(".txt"):
        base = _UNSAFE.sub("_", base) + ".txt"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[:-4]}_{n}.txt"
    taken.add(name)
    return name


def export(version: Version, out: str | Path, all: bool = False, warn: Callable[[str], None] | None = None) -> dict:
    """Write every marked document (or every kept one, with `all`) to `out`; returns counts."""
    warn = warn or (lambda m: print(m, file=sys.stderr))
    root = Path(out)
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "labels").mkdir(parents=True, exist_ok=True)
    ids = [e.id for e in version.entries if not e.rejected] if all else version.marked_ids()
    taken: set[str] = set()
    provenance = ["file\tsource_key\tid\tsource"]
    approximate = 0
    for id in ids:
        row, lines, exact = version.lines(id)
        if not exact:
            approximate += 1
        name = file_name(row["source"], taken)
        labels = label_lines(lines, version.marks.of(id))
        texts = [l.text if l.raw is None else l.raw for l in lines]
        (root / "raw" / name).write_text("".join(t + "\n" for t in texts), encoding="utf-8")
        (root / "labels" / name.replace(".txt", ".tsv")).write_text(
            "".join(f"{lab}\t{t}\n" for lab, t in zip(labels, texts)), encoding="utf-8")
        entry = version.by_id[id]
        provenance.append("\t".join(_cell(c) for c in (name, entry.source_key, id, row["source"])))
    (root / "provenance.tsv").write_text("\n".join(provenance) + "\n", encoding="utf-8")
    if approximate:
        warn(f"warning: {approximate} document(s) exported without their raw input (not found where the manifest "
             f"says): their blank lines are lost, so line numbers may not match the version's `removed`")
    return {"documents": len(ids), "approximate": approximate, "folder": str(root)}


def _cell(value: str) -> str:
    return str(value).replace("\t", " ").replace("\n", " ")
