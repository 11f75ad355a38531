"""The learned line model: its file, its inference against LightGBM's own, the body guard, training and use."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

from cleaner.config import Config
from cleaner.document import from_text
from cleaner.model import DEFAULT, FORMAT, ModelError, load, parse
from cleaner.model.features import (FEATURES, LINE_FEATURES, SHAPE_FEATURES, char_counts, char_counts_of, line_vector,
                                     matrix, shape, shape_vector, words_of)
from cleaner.model.train import fit, read_folder, rows_of
from cleaner.passes import model as model_pass
from cleaner.pipeline import BATCH, build
from profiles import examples

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONTEXT = json.loads((FIXTURES / "boilerplate" / "context.json").read_text(encoding="utf-8"))
LABELLED = [FIXTURES / f"heldout{n}" for n in ("", "2", "3", "4")]


@pytest.fixture(scope="module")
def cleaner():
    return build(Config())


def test_the_shipped_model_is_a_text_file_for_these_features():
    data = json.loads(DEFAULT.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and tuple(data["features"]) == FEATURES
    model = load()
    assert model.sha256 == __import__("hashlib").sha256(DEFAULT.read_bytes()).hexdigest()
    assert 0 < model.threshold <= model.threshold_alone < 1


def test_a_model_for_other_features_is_refused():
    data = json.loads(DEFAULT.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ModelError, match="other features"):
        parse(json.dumps(data), "old.json")
    with pytest.raises(ModelError, match="not a valid model file|not a cleaner"):
        parse('{"format": "cleaner-line-model", "format_version": 1}', "broken.json")


def test_inference_equals_lightgbms_own():
    pytest.importorskip("lightgbm")
    from cleaner.model.train import PARAMS, booster

    base = build(Config(model="none"))
    rows = rows_of(base, read_folder(LABELLED[0]))
    ours = parse(json.dumps(fit(rows)), "fitted")
    theirs = booster(PARAMS["remove"], rows.x, rows.remove).predict(rows.x)
    assert np.allclose(ours.probability(rows.x), theirs, atol=1e-9)


def test_training_is_deterministic():
    pytest.importorskip("lightgbm")
    base = build(Config(model="none"))
    rows = rows_of(base, read_folder(LABELLED[1]))
    assert json.dumps(fit(rows)) == json.dumps(fit(rows))


@settings(max_examples=examples(500))
@given(st.text(max_size=60))
@example("Ảnh: 24/1 TTXVN ĐÀ NẴNG")
# a superscript, a fraction, an Arabic digit, letters beyond the plane, a lone surrogate, a title-case letter
@example("x² ½ ٣ 𝐀𝐛 \ud800 ǅ")
def test_the_character_table_counts_as_the_str_methods_do(text):
    assert char_counts(text) == (sum(map(str.isalpha, text)), sum(map(str.isdigit, text)),
                                 sum(map(str.isupper, text)))


@settings(max_examples=examples(300))
@given(st.lists(st.text(max_size=400), max_size=40))
@example(["Ảnh: TTXVN", "", "x²𝐀", "9" * 400])
@example(["Â" * 400] * 200 + ["a1", "Đ"])  # 80,000 capitals: the running sums carry into the next field
def test_a_batch_of_texts_is_counted_as_each_alone(texts):
    """The running sums run across the batch (and wrap); each text's counts are still its own."""
    assert char_counts_of(texts) == [char_counts(t) for t in texts]


@settings(max_examples=examples(1000))
@given(st.text(alphabet=st.one_of(st.sampled_from(" \t.,;:!?\"'()-–—/_%«»“”…·•"), st.characters()), max_size=60))
@example("Ảnh: (TTXVN) a_b x-y 3,5 ½ ٣ 𝐀 \u00a0x")
def test_words_of_splits_as_the_word_pattern_does(text):
    assert words_of(text) == re.findall(r"\w+", text)


def _page(*middle: str) -> str:
    p1, p2, p3 = CONTEXT["paragraphs"]
    return "\n\n".join([CONTEXT["title"], CONTEXT["lede"], p1, *middle, p2, p3])


@pytest.mark.parametrize("folder", ["samples", "samples2"])
def test_a_removed_line_lends_its_neighbours_what_the_full_row_would(folder, request):
    """A removed line's row is cut to the shape features, since it is read only as a neighbour: those
    are every neighbour feature, with the values the whole row has."""
    root = request.getfixturevalue(f"shared_{folder}")
    lent = [LINE_FEATURES.index(f) for f in SHAPE_FEATURES]
    lines = {l for p in sorted((root / "raw").glob("*.txt")) for l in p.read_text(encoding="utf-8").split("\n") if l}
    assert len(lines) > 500
    for text in lines:
        whole, cut = np.array(line_vector(text)), np.array(shape_vector(text))
        assert np.array_equal(whole[lent], cut[lent]) and np.array_equal(cut[lent], shape(text)), text
        assert not np.delete(cut, lent).any(), text


def _raws(folder: Path) -> list[Path]:
    return sorted((folder / "raw").glob("*.txt")) if (folder / "raw").is_dir() else sorted(folder.glob("*.txt"))


def _folders(request) -> list[Path]:
    return [request.getfixturevalue("shared_samples"), request.getfixturevalue("shared_samples2"), *LABELLED]


def test_the_rows_asked_for_are_the_rows_of_the_whole_matrix(cleaner, request):
    """`matrix(slots, rows)` builds only those rows, from the lines around them: the same values as the full
    matrix has there, for any choice of rows."""
    rng = np.random.default_rng(0)
    for folder in _folders(request):
        for raw in _raws(folder):
            seq = model_pass.slots(cleaner.prepare(from_text(raw.stem, raw.name, raw.read_text(encoding="utf-8"))))
            whole = matrix(seq)
            kept = [i for i, s in enumerate(seq) if s.rule is None]
            for rows in (kept, sorted(rng.choice(len(seq), size=min(3, len(seq)), replace=False)), []):
                assert np.array_equal(matrix(seq, rows), whole[rows]), (raw.name, rows)


def test_a_rows_score_does_not_depend_on_the_rows_walked_with_it(cleaner, request):
    """Documents are judged together (`Cleaner.clean_all`): each row's sums are its own, bit for bit."""
    x = np.vstack([matrix(seq) for folder in _folders(request) for raw in _raws(folder)[:20]
                   if (seq := model_pass.slots(cleaner.prepare(from_text("d", raw.name, raw.read_text(encoding="utf-8")))))])
    model = cleaner.model
    together, family = model.probability(x), model.family.raw(x)
    alone = np.concatenate([model.probability(x[i:i + 1]) for i in range(len(x))])
    backwards = model.probability(x[::-1])[::-1]
    assert np.array_equal(together, alone) and np.array_equal(together, backwards)
    assert np.array_equal(family, np.vstack([model.family.raw(x[i:i + 1]) for i in range(len(x))]))


def test_documents_cleaned_together_are_cleaned_as_each_alone(cleaner, request):
    for folder in _folders(request):
        docs = [from_text(raw.stem, raw.name, raw.read_text(encoding="utf-8")) for raw in _raws(folder)]
        together = [d for at in range(0, len(docs), BATCH) for d in cleaner.clean_all(docs[at:at + BATCH])]
        assert together == [cleaner.clean(d) for d in docs], folder.name


def test_one_misread_line_does_not_take_the_article_with_it(cleaner):
    """'Phát Video' read as a bare byline once made `tail` remove every paragraph after it."""
    paragraphs = [f"{p} Đoạn {i}." for i, p in enumerate(CONTEXT["paragraphs"] * 8)]
    text = "\n\n".join([CONTEXT["title"], CONTEXT["lede"], CONTEXT["paragraphs"][0], "Phát Video", *paragraphs])
    doc = cleaner.clean(from_text("v", "v.txt", text))
    kept = {line.text for line in doc.lines}
    assert all(p in kept for p in paragraphs)


@pytest.mark.parametrize("folder", LABELLED + [FIXTURES / "boilerplate" / "docs"], ids=lambda p: p.name)
def test_no_step_or_model_decision_removes_a_body_paragraph(cleaner, folder):
    """The body guard: a line of two sentences, or long, or running prose goes only by a pattern or a repeat."""
    for raw in _raws(folder):
        doc = cleaner.clean(from_text(raw.stem, raw.name, raw.read_text(encoding="utf-8")))
        for r in doc.removed:
            if r.rule.startswith("model.") or r.rule in model_pass.boilerplate_rules():
                assert not model_pass.is_body_paragraph(r.text), f"{raw.name}:{r.line} {r.rule}: {r.text[:80]}"


@pytest.mark.parametrize("name,no", [("d016", 4), ("d008", 10)])
def test_the_model_takes_what_the_steps_missed(cleaner, name, no):
    """A lone uncredited caption between paragraphs; a lede repeated far below without its tag."""
    raw = (FIXTURES / "boilerplate" / "docs" / f"{name}.txt").read_text(encoding="utf-8")
    doc = cleaner.clean(from_text(name, f"{name}.txt", raw))
    assert no in {r.line for r in doc.removed}


def test_a_document_is_never_emptied_by_structure(cleaner):
    doc = cleaner.clean(from_text("f", "f.txt", "Le café «Chez René» a fermé; l’été dernier, 3 €."))
    assert len(doc.lines) == 1


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_train_then_clean_with_the_model_and_the_manifest_names_it(tmp_path):
    pytest.importorskip("lightgbm")
    out = tmp_path / "m.json"
    r = cli("train", str(LABELLED[0]), str(LABELLED[1]), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "trained on 50 articles" in r.stderr
    model = load(str(out))
    r = cli("clean", str(LABELLED[2] / "raw"), "--out", str(tmp_path / "o"), "--name", "h", "--model", str(out),
            "--no-progress")
    assert r.returncode == 0, r.stderr
    manifest = json.loads((tmp_path / "o" / "h" / "v1.0.0" / "manifest.json").read_text(encoding="utf-8"))
    # named, but by no absolute path of this machine (issue 14): the file's name when outside the working folder
    assert manifest["model"] == {"name": out.name, "sha256": model.sha256}
    assert manifest["config"]["model"] == out.name


def test_train_refuses_a_folder_that_is_not_labelled(tmp_path):
    r = cli("train", str(tmp_path), "--out", str(tmp_path / "m.json"))
    assert r.returncode == 2 and "not a labelled folder" in r.stderr


def test_explain_shows_the_models_probability_and_features(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(_page("Người dân phơi lúa trên sân nhà"), encoding="utf-8")
    r = cli("explain", str(src), "--color", "never")
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stdout.splitlines() if "model p=" in l]
    assert lines and all(l.count(",") == 2 and any(f in l for f in FEATURES) for l in lines)
    r = cli("explain", str(src), "--color", "never", "--model", "none")
    assert "model p=" not in r.stdout


def test_the_line_vectors_cache_answers_across_its_emptying():
    """`LINE_VECTORS` empties itself when full: a batch asked then still gets every text's vector, those it
    held before included, the same as a text's vector computed alone."""
    from cleaner.model.features import _LineVectors

    texts = ["Ảnh: TTXVN", "Tin liên quan", "Người dân phơi lúa trên sân nhà.", "Hà Nội, 24/1/2024", "Video: Phát"]
    alone = {t: _LineVectors().of([t])[0] for t in texts}
    cache = _LineVectors()
    cache.MAX = 3
    for batch in (texts[:2], texts[1:4], texts, texts[::-1], texts[:1]):
        assert cache.of(batch) == [alone[t] for t in batch]
