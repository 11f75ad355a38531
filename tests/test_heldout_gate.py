"""Quality gates on the held-out articles: outlets and sections not in the samples.

Two folders, each scored as /work/shared/eval/score.py scores a dataset: a line labelled anything but
`keep` or `blank` must be removed, a rejected document counts as every line removed; metadata as in
tests/scoring.py (title by skeleton, published by date and by time when both give one, authors as a
sorted list of skeletons).

- tests/fixtures/heldout (h001-h025). Honest first run: boilerplate precision 0.959 recall 0.886,
  metadata precision 0.969 recall 0.851. Rules were then tuned on it: a development set now.
- tests/fixtures/heldout2 (g001-g025), written after that tuning, from outlets in neither the samples
  nor the first set. Honest first run: boilerplate precision 0.940 recall 0.920, metadata precision
  0.985 recall 0.878 (see its README). Rules were then tuned on it too: a development set now.

- tests/fixtures/heldout3 (x001-x020), written after that, from outlets in none of the sets above.
  Honest first run: boilerplate precision 0.982 recall 0.871, metadata precision 0.909 recall 0.847
  (see its README). Rules were then tuned on it too: a development set now.

- tests/fixtures/heldout4 (k001-k015), written after that, from outlets in none of the sets above, rich in
  photo captions without a credit. Honest first run: boilerplate precision 1.000 recall 0.771, metadata
  precision 0.977 recall 0.955 (see its README). `boilerplate.scene_runs` was then written with it in view:
  a development set now.

These sets are reconstructions written for the project, not scraped text: fixtures, never a measurement
of generalization (the outlet-CV figure on ../shared/samples2 is, see bench/outlet_cv.py). The floors in
`SETS` pin the rules and the structural steps alone (`model = "none"`), which the line model reads as
features. The line model was fitted with these sets' rows at half weight; `MODEL_FLOORS` pin what the
shipped configuration reaches on them, so that a change to it that breaks them shows. Floors sit a
little below what is reached; raise them when the passes get better, never lower them to let a change
through.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

import scoring

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class HeldOut:
    folder: str
    precision: float
    recall: float
    meta: dict[str, tuple[float, float]]
    # Known misses, kept as strict expected failures: (article, raw line number) of body lines still removed.
    known: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return FIXTURES / self.folder


SETS = {
    # Reached when pinned (25 articles): boilerplate precision 0.983 recall 0.948;
    # metadata precision 1.000 recall 0.986 (title 25/25, published 25/25, authors 23/24).
    "heldout": HeldOut(
        "heldout", 0.97, 0.93,
        {"overall": (0.97, 0.95), "title": (0.95, 0.95), "published": (0.95, 0.92), "authors": (0.95, 0.90)},
        {
            ("h021", 16): "a heading listed first in a table of contents is a dup of it (passes/dup_lines.py)",
            ("h008", 18): "'Thượng tá X chỉ đạo lực lượng ...' has a caption's shape (caption.person_action)",
        },
    ),
    # Reached when pinned (25 articles): boilerplate precision 1.000 recall 0.956 (0.961 with scene_runs);
    # metadata precision 1.000 recall 0.946 (title 25/25, url 0/1, published 24/25, authors 21/23).
    "heldout2": HeldOut(
        "heldout2", 0.98, 0.94,
        {"overall": (0.97, 0.92), "title": (0.95, 0.95), "published": (0.95, 0.92), "authors": (0.95, 0.88)},
    ),
    # Reached when pinned (20 articles): boilerplate precision 1.000 recall 0.896 (0.904 with scene_runs);
    # metadata precision 1.000 recall 0.966 (title 20/20, url 1/1, published 20/20, authors 16/18).
    "heldout3": HeldOut(
        "heldout3", 0.98, 0.88,
        {"overall": (0.97, 0.94), "title": (0.95, 0.95), "published": (0.95, 0.95), "authors": (0.95, 0.85)},
    ),
    # Reached when pinned (15 articles): boilerplate precision 1.000 recall 0.851 (first run 0.771);
    # metadata precision 0.977 recall 0.955 (title 14/15, published 15/15, authors 13/14: the scoreboard
    # widget's last scorer line "Văn Vĩ 80'" is read as the headline in k008; the office byline of k014).
    "heldout4": HeldOut(
        "heldout4", 0.98, 0.83,
        {"overall": (0.96, 0.93), "title": (0.92, 0.92), "published": (0.95, 0.95), "authors": (0.95, 0.90)},
    ),
}


# With the shipped line model (reached: heldout 0.973 / 0.970, heldout2 0.998 / 0.983, heldout3 0.992 / 0.980,
# heldout4 0.995 / 0.995; metadata as without it, but heldout4's title 14/15).
MODEL_FLOORS = {"heldout": (0.95, 0.96), "heldout2": (0.98, 0.97), "heldout3": (0.98, 0.96), "heldout4": (0.97, 0.98)}


@pytest.fixture(scope="module", params=list(SETS))
def heldout(request):
    spec = SETS[request.param]
    return spec, _results(spec)


_results_cache: dict[tuple[str, str], dict] = {}


def _results(spec: HeldOut, model: str = "none"):
    if (spec.folder, model) not in _results_cache:
        _results_cache[spec.folder, model] = scoring.run(spec.path, model=model)
    return _results_cache[spec.folder, model]


@pytest.mark.parametrize("name", list(MODEL_FLOORS))
def test_boilerplate_floors_with_the_line_model(name):
    spec = SETS[name]
    scoring.assert_line_floors(scoring.line_counts(spec.path, _results(spec, "vi-news")), *MODEL_FLOORS[name])


def test_every_article_is_labelled(heldout):
    spec, results = heldout
    assert len(results) >= 15
    for stem in results:
        raw = (spec.path / "raw" / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
        if raw and raw[-1] == "":
            raw = raw[:-1]
        assert [text for _, text in scoring.labels(spec.path, stem)] == raw, f"{stem}: labels do not follow the raw lines"


def test_boilerplate_floors(heldout):
    spec, results = heldout
    scoring.assert_line_floors(scoring.line_counts(spec.path, results), spec.precision, spec.recall)


@pytest.mark.parametrize("field_name", ["overall", "title", "published", "authors"])
def test_metadata_floor(heldout, field_name):
    spec, results = heldout
    scoring.assert_field_floor(scoring.meta_tallies(spec.path, results), field_name, spec.meta[field_name])


@pytest.mark.parametrize("name, stem, line", [
    pytest.param(name, stem, line, marks=pytest.mark.xfail(strict=True, reason=why), id=f"{name}:{stem}:{line}")
    for name, spec in SETS.items()
    for (stem, line), why in spec.known.items()
])
def test_known_failure_body_line_is_kept(name, stem, line):
    spec = SETS[name]
    assert scoring.labels(spec.path, stem)[line - 1][0] == "keep"
    gone, _ = _results(spec)[stem]
    assert gone is not None and line not in gone
