"""Scoring as ../shared/eval/score.py scores a dataset, over the pipeline run in process: one place for
every quality gate (tests/test_quality_gate.py on the samples, tests/test_heldout_gate.py on the held-out set).

Lines: a line labelled anything but `keep` or `blank` must be removed; a rejected document counts as
every line removed. Metadata: title by a case-, tone- and spacing-insensitive skeleton, url without a
trailing slash, published by date (and by time when both give one), authors as a sorted list of
skeletons; a rejected document predicts nothing.
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path

from cleaner import pipeline
from cleaner.config import Config
from cleaner.readers import RawDoc, Reject

REMOVE = {"title", "caption", "byline", "date", "source", "nav", "comment", "related", "dup", "other"}
FIELDS = ("title", "url", "published", "authors")


def skeleton(s) -> str:
    if s is None:
        return ""
    s = unicodedata.normalize("NFD", str(s))
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")
    return " ".join(s.lower().split())


def split_date(v):
    if not v:
        return None, None
    date, _, time = str(v).strip().replace(" ", "T").partition("T")
    return date, (time[:5] if time else None)


def field_hits(field: str, want, got) -> tuple[bool, bool, bool]:
    """(correct, predicted, expected) for one field of one document."""
    if field == "title":
        want, got = skeleton(want) or None, skeleton(got) or None
        return want is not None and got == want, got is not None, want is not None
    if field == "url":
        want = want.rstrip("/") if want else None
        got = str(got).strip().rstrip("/") if got else None
        return want is not None and got == want, got is not None, want is not None
    if field == "published":
        (wd, wt), (gd, gt) = split_date(want), split_date(got)
        return gd is not None and gd == wd and (wt is None or gt is None or wt == gt), gd is not None, wd is not None
    wa, ga = sorted(map(skeleton, want or [])), sorted(map(skeleton, got or []))
    return bool(wa) and wa == ga, bool(ga), bool(wa)


def labels(folder: Path, stem: str) -> list[tuple[str, str]]:
    text = (folder / "labels" / f"{stem}.tsv").read_text(encoding="utf-8")
    return [tuple(r.split("\t", 1)) for r in text.split("\n") if r != ""]


def run(folder: Path, model: str = Config.model) -> dict[str, tuple[set[int] | None, dict]]:
    """Article stem -> (removed raw line numbers, or None for a reject; the record, or {}); `model` as the
    config's (`none`: the rules and structural steps alone)."""
    cleaner = pipeline.build(Config(model=model))
    out = {}
    for path in sorted((folder / "raw").glob("*.txt")):
        result = pipeline.judge(cleaner, RawDoc(source=path.name, text=path.read_text(encoding="utf-8")))
        if isinstance(result, Reject):
            out[path.stem] = (None, {})
        else:
            out[path.stem] = ({r.line for r in result.removed}, pipeline.to_record(result))
    return out


def line_counts(folder: Path, results) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) over every non-blank labelled line."""
    tp = fp = fn = 0
    for stem, (gone, _) in results.items():
        for n, (label, _) in enumerate(labels(folder, stem), 1):
            if label == "blank":
                continue
            want = label in REMOVE
            got = True if gone is None else n in gone
            tp += want and got
            fp += got and not want
            fn += want and not got
    return tp, fp, fn


def meta_tallies(folder: Path, results) -> dict[str, list[int]]:
    """Field (and "overall") -> [correct, predicted, expected]."""
    hits = defaultdict(lambda: [0, 0, 0])
    for line in (folder / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        want = json.loads(line)
        _, record = results[Path(want["file"]).stem]
        for field in FIELDS:
            for i, ok in enumerate(field_hits(field, want.get(field), record.get(field))):
                hits[field][i] += int(ok)
    hits["overall"] = [sum(hits[f][i] for f in FIELDS) for i in range(3)]
    return hits


def assert_line_floors(counts: tuple[int, int, int], precision_floor: float, recall_floor: float) -> None:
    tp, fp, fn = counts
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= precision_floor, f"precision {precision:.3f} < {precision_floor} (tp {tp} fp {fp})"
    assert recall >= recall_floor, f"recall {recall:.3f} < {recall_floor} (tp {tp} fn {fn})"


def assert_field_floor(tallies, field: str, floors: tuple[float, float]) -> None:
    correct, predicted, expected = tallies[field]
    precision = correct / predicted if predicted else 0.0
    recall = correct / expected if expected else 0.0
    p_floor, r_floor = floors
    assert precision >= p_floor, f"{field} precision {precision:.3f} < {p_floor} ({correct}/{predicted})"
    assert recall >= r_floor, f"{field} recall {recall:.3f} < {r_floor} ({correct}/{expected})"
