from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.review import store
from cleaner.review.store import Filters, MarkError, Marks, Version, rebuild_lines


def rows_of(folder):
    return [r for f in sorted(folder.glob("data/*.parquet")) for r in pq.read_table(f).to_pylist()]


# -- rebuilding the raw order ---------------------------------------------------------------------------

@given(st.lists(st.tuples(st.sampled_from(["keep", "gone", "blank"]), st.text("ab c", min_size=1, max_size=5)),
                min_size=1, max_size=30))
def test_rebuild_places_every_line_once(spec):
    raw_lines = [("" if kind == "blank" else t.strip() or "x") for kind, t in spec]
    kinds = [("blank" if not t else kind if kind != "blank" else "keep") for (kind, _), t in zip(spec, raw_lines)]
    text = "\n".join(t for t, k in zip(raw_lines, kinds) if k == "keep")
    removed = [{"line": i, "rule": "nav.x", "text": t} for i, (t, k) in enumerate(zip(raw_lines, kinds), 1) if k == "gone"]
    lines, exact = rebuild_lines(text, removed, raw="\n".join(raw_lines) + "\n")  # a file ends with a line break
    assert exact and [l.no for l in lines] == list(range(1, len(raw_lines) + 1))
    assert [l.text for l in lines] == raw_lines
    assert [l.rule is not None for l in lines] == [k == "gone" for k in kinds]
    # without the raw text: every kept and removed line still once, removed ones at their numbers
    lines, exact = rebuild_lines(text, removed)
    assert not exact
    assert [l.text for l in lines if not l.blank and l.rule is None] == [t for t, k in zip(raw_lines, kinds) if k == "keep"]
    assert {l.no: l.text for l in lines if l.rule} == {r["line"]: r["text"] for r in removed}


def test_rebuild_ignores_a_raw_text_that_disagrees():
    lines, exact = rebuild_lines("b", [{"line": 1, "rule": "nav.x", "text": "a"}], raw="a\nb\nc")
    assert not exact and [l.text for l in lines] == ["a", "b"]


# -- the index ------------------------------------------------------------------------------------------

def test_index_reads_only_small_columns(dataset, monkeypatch):
    seen = []
    real = pq.ParquetFile.read_row_group

    def spy(self, i, columns=None, **kw):
        seen.append(tuple(columns or ("*",)))
        return real(self, i, columns=columns, **kw)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", spy)
    v = Version(dataset)
    assert seen and all("text" not in c and "*" not in c for c in seen)
    assert len(seen) > 2  # several files and row groups, read one at a time
    rows = rows_of(v.folder)
    assert {e.id for e in v.entries if not e.rejected} == {r["id"] for r in rows}
    assert {e.reason for e in v.entries if e.rejected} >= {"near_duplicate", "bad_json"}


def test_filters_and_paging(dataset):
    v = Version(dataset)
    rows = {r["id"]: r for r in rows_of(v.folder)}
    families = {i: {x["rule"].split(".")[0] for x in r["removed"]} for i, r in rows.items()}
    got, _ = v.page(Filters(family="caption", status="kept"), 0, 100)
    assert {e.id for e in got} == {i for i, f in families.items() if "caption" in f}
    got, _ = v.page(Filters(rule="title.headline"), 0, 100)
    assert {e.id for e in got} == {i for i, r in rows.items() if any(x["rule"] == "title.headline" for x in r["removed"])}
    domain = next(r["domain"] for r in rows.values() if r["domain"])
    got, _ = v.page(Filters(outlet=domain), 0, 100)
    assert got and all(e.domain == domain or e.outlet == domain for e in got)
    got, _ = v.page(Filters(status="rejected"), 0, 100)
    assert got and all(e.rejected for e in got)
    got, _ = v.page(Filters(sort="removed"), 0, 100)
    assert [len(e.rules) for e in got] == sorted((len(e.rules) for e in got), reverse=True)
    first, more = v.page(Filters(), 0, 3)
    second, _ = v.page(Filters(), 3, 3)
    assert more and len(first) == 3 and not {e.id for e in first} & {e.id for e in second}


def test_search_stops_at_a_page(dataset, monkeypatch):
    v = Version(dataset)
    rows = rows_of(v.folder)
    word = "tỉnh"
    want = [r["id"] for r in rows if word in r["text"].casefold() or word in (r["title"] or "").casefold()]
    assert len(want) >= 3
    got, more = v.page(Filters(q="TỈNH"), 0, 2)
    assert [e.id for e in got] == want[:2] and more
    got, more = v.page(Filters(q=word), 0, 100)
    assert [e.id for e in got] == want and not more


# -- a document -----------------------------------------------------------------------------------------

def test_lines_are_the_raw_lines_in_order(dataset, corpus):
    v = Version(dataset)
    for r in rows_of(v.folder):
        if r["source"].endswith(".txt"):
            _, lines, exact = v.lines(r["id"])
            raw = (corpus / r["source"]).read_text(encoding="utf-8").removesuffix("\n").split("\n")
            assert exact and len(lines) == len(raw)
            assert [l.blank for l in lines] == [not t.strip() for t in raw]
            assert {l.no: l.rule for l in lines if l.rule} == {x["line"]: x["rule"] for x in r["removed"]}


def test_without_the_inputs_the_lines_are_approximate(dataset):
    v = Version(dataset, inputs=[])
    r = rows_of(v.folder)[1]
    _, lines, exact = v.lines(r["id"])
    assert not exact
    assert len([l for l in lines if not l.blank]) == len(r["text"].split("\n")) + len(r["removed"])


def test_rule_descriptions_are_the_catalogues(dataset):
    """A version's rules as `cleaner rules` lists them: pack rules by their pack, steps, model families."""
    v = Version(dataset)
    assert v.rule("caption.photo_credit")["description"].startswith("A line that is only a photo")
    assert v.rule("caption.photo_credit")["origin"] == "vi-news"
    assert v.rule("caption.after_image")["origin"] == "step"
    assert "many documents" in v.rule("dedup.frequent_line")["description"]
    assert v.rule("model.caption")["origin"] == "model"
    assert v.rule("gone.rule")["origin"] == "unknown"


def test_probabilities_of_a_model_version(dataset):
    v = Version(dataset)
    r = rows_of(v.folder)[1]
    why = v.probabilities(r["id"])
    assert why and all(0.0 <= p <= 1.0 for p, _ in why.values())


# -- marks ----------------------------------------------------------------------------------------------

def test_marks_are_validated(dataset):
    v = Version(dataset)
    r = rows_of(v.folder)[1]
    _, lines, _ = v.lines(r["id"])
    blank = next(l.no for l in lines if l.blank)
    reject = next(e.id for e in v.entries if e.rejected)
    for id, line, label, says in [("nope", 1, "keep", "unknown document"), (r["id"], 9999, "keep", "no line 9999"),
                                  (r["id"], 1, "junk", "unknown label"), (r["id"], "1", "keep", "whole number"),
                                  (r["id"], blank, "keep", f"no line {blank}"), (r["id"], 1, "blank", "unknown label"),
                                  (reject, 1, "keep", "reject")]:
        with pytest.raises(MarkError, match=says):
            v.mark(id, line, label)
    assert not v.marks.path.exists()


def test_marks_survive_a_restart_and_the_last_wins(dataset):
    v = Version(dataset)
    r = rows_of(v.folder)[1]
    v.mark(r["id"], 1, "caption")
    v.mark(r["id"], 1, "keep")
    v.mark(r["id"], 3, "other")
    assert v.marks.path == dataset / "review" / "marks.jsonl"
    assert not (v.folder / "review").exists()
    with open(v.marks.path, "a", encoding="utf-8") as f:
        f.write('{"id": "torn')  # a crash mid-write
    again = Version(dataset)
    assert again.marks.of(r["id"]) == {1: "keep", 3: "other"} and again.marks.reviewed == 1
    assert [json.loads(x)["label"] for x in v.marks.path.read_text().splitlines()[:3]] == ["caption", "keep", "other"]


def test_script_line_is_a_line_like_any_other(dataset, script_line):
    v = Version(dataset)
    r = next(r for r in rows_of(v.folder) if r["source"] == "extra.jsonl:1")  # script.txt is its near duplicate
    _, lines, exact = v.lines(r["id"])
    assert exact and script_line in [l.text for l in lines]  # a JSONL record's raw text is found again too
    e = next(e for e in v.entries if e.reason == "bad_json")
    assert e.id == "reject:extra.jsonl:2" and v.row(e.id)["reason"] == "bad_json"
    assert v.lines(next(e.id for e in v.entries if e.reason == "near_duplicate"))[1]  # a reject's raw lines


def test_marks_file_reader_skips_bad_rows(tmp_path):
    p = tmp_path / "m.jsonl"
    p.write_text('{"id": "a", "line": 2, "label": "keep"}\n[1]\n{"id": "a"}\n', encoding="utf-8")
    assert Marks(p).of("a") == {2: "keep"}
