"""Quality gate on the held-out articles (tests/fixtures/heldout): outlets and sections not in the samples.

Scored as /work/shared/eval/score.py scores a dataset: a line labelled anything but `keep` or
`blank` must be removed, a rejected document counts as every line removed; metadata as in
test_metadata_gate.py (title by skeleton, published by date and by time when both give one,
authors as a sorted list of skeletons).

The first run, before any rule was tuned on these articles, was the honest held-out figure:
boilerplate precision 0.959 recall 0.886, metadata precision 0.969 recall 0.851. Since then the
rules were changed with these articles in view, so they are a development set too; a new
held-out set is needed for an honest figure again. Floors sit a little below what is reached;
raise them when the passes get better, never lower them to let a change through.
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from cleaner import pipeline
from cleaner.config import Config
from cleaner.readers import RawDoc, Reject

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
REMOVE = {"title", "caption", "byline", "date", "source", "nav", "comment", "related", "dup", "other"}
FIELDS = ("title", "url", "published", "authors")
# Reached when pinned (25 articles): boilerplate precision 0.969 recall 0.948;
# metadata precision 1.000 recall 0.986 (title 25/25, published 25/25, authors 23/24).
PRECISION_FLOOR = 0.96
RECALL_FLOOR = 0.93
META_FLOORS = {"overall": (0.97, 0.95), "title": (0.95, 0.95), "published": (0.95, 0.92), "authors": (0.95, 0.90)}
# Known misses, kept as strict expected failures: (article, raw line number) of body lines still removed.
KNOWN_FAILURES = {
    ("h011", 30): "an inline 'Xem thêm' box takes every later line as a teaser (rules.py `rest`)",
    ("h021", 16): "a heading listed first in a table of contents is a dup of it (passes/dup_lines.py)",
    ("h008", 18): "'Thượng tá X chỉ đạo lực lượng ...' has a caption's shape (caption.person_action)",
    ("h017", 20): "'Chủ tịch X phát biểu khai mạc lễ hội, nhấn mạnh ...' has a caption's shape",
}


def skeleton(s):
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


def judge_field(field, want, got):
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


def labels(stem: str) -> list[tuple[str, str]]:
    text = (HELDOUT / "labels" / f"{stem}.tsv").read_text(encoding="utf-8")
    return [tuple(r.split("\t", 1)) for r in text.split("\n") if r != ""]


@pytest.fixture(scope="module")
def results():
    """Article stem -> (removed raw line numbers or None for a reject, record or {})."""
    cleaner = pipeline.build(Config())
    out = {}
    for path in sorted((HELDOUT / "raw").glob("*.txt")):
        result = pipeline.judge(cleaner, RawDoc(source=path.name, text=path.read_text(encoding="utf-8")))
        if isinstance(result, Reject):
            out[path.stem] = (None, {})
        else:
            out[path.stem] = ({r.line for r in result.removed}, pipeline.to_record(result))
    return out


def test_every_article_is_labelled(results):
    assert len(results) >= 20
    for stem in results:
        raw = (HELDOUT / "raw" / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
        if raw and raw[-1] == "":
            raw = raw[:-1]
        assert [text for _, text in labels(stem)] == raw, f"{stem}: labels do not follow the raw lines"


def test_boilerplate_floors(results):
    tp = fp = fn = 0
    for stem, (gone, _) in results.items():
        for n, (label, _) in enumerate(labels(stem), 1):
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


@pytest.fixture(scope="module")
def meta_tallies(results):
    hits = defaultdict(lambda: [0, 0, 0])
    for line in (HELDOUT / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        want = json.loads(line)
        _, record = results[Path(want["file"]).stem]
        for field in FIELDS:
            for i, ok in enumerate(judge_field(field, want.get(field), record.get(field))):
                hits[field][i] += int(ok)
    hits["overall"] = [sum(hits[f][i] for f in FIELDS) for i in range(3)]
    return hits


@pytest.mark.parametrize("field", list(META_FLOORS))
def test_metadata_floor(meta_tallies, field):
    correct, predicted, expected = meta_tallies[field]
    precision = correct / predicted if predicted else 0.0
    recall = correct / expected if expected else 0.0
    p_floor, r_floor = META_FLOORS[field]
    assert precision >= p_floor, f"{field} precision {precision:.3f} < {p_floor} ({correct}/{predicted})"
    assert recall >= r_floor, f"{field} recall {recall:.3f} < {r_floor} ({correct}/{expected})"


@pytest.mark.parametrize("stem, line", [
    pytest.param(stem, line, marks=pytest.mark.xfail(strict=True, reason=why), id=f"{stem}:{line}")
    for (stem, line), why in KNOWN_FAILURES.items()
])
def test_known_failure_body_line_is_kept(results, stem, line):
    assert labels(stem)[line - 1][0] == "keep"
    gone, _ = results[stem]
    assert gone is not None and line not in gone
