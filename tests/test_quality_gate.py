"""Quality gate: boilerplate precision and recall on the labelled samples must not fall below pinned floors.

Scored as `../shared/eval/score.py` does: a line labelled anything but `keep` or `blank` must be
removed; a document the pipeline rejects counts as every line removed. Floors sit a little
below what the current passes reach; raise them when the passes get better, never lower them
to let a change through.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.config import Config
from cleaner.pipeline import build, judge
from cleaner.readers import RawDoc, Reject, read_inputs

REMOVE = {"title", "caption", "byline", "date", "source", "nav", "comment", "related", "dup", "other"}
PRECISION_FLOOR = 0.99  # reached 1.000
RECALL_FLOOR = 0.98  # reached 0.994


def test_boilerplate_floors(shared_samples: Path):
    cleaner = build(Config(inputs=(str(shared_samples / "raw"),)))
    tp = fp = fn = 0
    for raw in read_inputs([str(shared_samples / "raw")]):
        assert isinstance(raw, RawDoc)
        result = judge(cleaner, raw)
        gone = None if isinstance(result, Reject) else {r.line for r in result.removed}  # a reject: all removed
        labels = shared_samples / "labels" / f"{Path(raw.source).stem}.tsv"
        rows = [r.split("\t", 1) for r in labels.read_text(encoding="utf-8").split("\n") if r != ""]
        for n, (label, _) in enumerate(rows, 1):
            if label == "blank":
                continue
            want = label in REMOVE
            got = True if gone is None else n in gone
            tp += want and got
            fp += got and not want
            fn += want and not got
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= PRECISION_FLOOR, f"precision {precision:.3f} < {PRECISION_FLOOR} (tp {tp} fp {fp})"
    assert recall >= RECALL_FLOOR, f"recall {recall:.3f} < {RECALL_FLOOR} (tp {tp} fn {fn})"
