"""Quality gate on the held-out articles (tests/fixtures/heldout): outlets and sections not in the samples.

Scored as /work/shared/eval/score.py scores a dataset: a line labelled anything but `keep` or
`blank` must be removed, a rejected document counts as every line removed; metadata as in
tests/scoring.py (title by skeleton, published by date and by time when both give one,
authors as a sorted list of skeletons).

The first run, before any rule was tuned on these articles, was the honest held-out figure:
boilerplate precision 0.959 recall 0.886, metadata precision 0.969 recall 0.851. Since then the
rules were changed with these articles in view, so they are a development set too; a new
held-out set is needed for an honest figure again. Floors sit a little below what is reached;
raise them when the passes get better, never lower them to let a change through.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import scoring

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
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


def labels(stem: str) -> list[tuple[str, str]]:
    return scoring.labels(HELDOUT, stem)


@pytest.fixture(scope="module")
def results():
    return scoring.run(HELDOUT)


def test_every_article_is_labelled(results):
    assert len(results) >= 20
    for stem in results:
        raw = (HELDOUT / "raw" / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
        if raw and raw[-1] == "":
            raw = raw[:-1]
        assert [text for _, text in labels(stem)] == raw, f"{stem}: labels do not follow the raw lines"


def test_boilerplate_floors(results):
    scoring.assert_line_floors(scoring.line_counts(HELDOUT, results), PRECISION_FLOOR, RECALL_FLOOR)


@pytest.mark.parametrize("field", list(META_FLOORS))
def test_metadata_floor(results, field):
    scoring.assert_field_floor(scoring.meta_tallies(HELDOUT, results), field, META_FLOORS[field])


@pytest.mark.parametrize("stem, line", [
    pytest.param(stem, line, marks=pytest.mark.xfail(strict=True, reason=why), id=f"{stem}:{line}")
    for (stem, line), why in KNOWN_FAILURES.items()
])
def test_known_failure_body_line_is_kept(results, stem, line):
    assert labels(stem)[line - 1][0] == "keep"
    gone, _ = results[stem]
    assert gone is not None and line not in gone
