"""Cross-document stages on real runs of the pipeline over generated corpora with planted duplicates."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import cleaner
from cleaner.config import Config
from cleaner.dedup import clusters
from cleaner.dedup.hashing import h64, line_key
from cleaner.dedup.minhash import band_keys, jaccard_estimate, signature

ROOT = Path(__file__).resolve().parents[2]
from corpus import Generator, sentences, strip_tones, write_jsonl  # bench/corpus.py


def rows(folder: Path, table: str) -> list[dict]:
    return [r for f in sorted((folder / table).glob("*.parquet")) for r in pq.read_table(f).to_pylist()]


def run(tmp_path, inputs, name="c", **kw):
    config = Config(inputs=tuple(map(str, inputs)), out=str(tmp_path / "out"), name=name, version="1.0.0",
                    progress=False, **kw)
    return cleaner.clean(config)


@pytest.fixture(scope="module")
def planted(tmp_path_factory, examples):
    tmp = tmp_path_factory.mktemp("planted")
    docs = Generator(sentences([examples]), seed=7).corpus(400)
    write_jsonl(docs, tmp / "corpus.jsonl")
    path, stats = run(tmp, [tmp / "corpus.jsonl"])
    return docs, path, stats, tmp


def clusters_of(path: Path) -> dict[str, str]:
    """Document id -> id of its cluster's representative, for kept and duplicate documents alike."""
    data = rows(path, "data")
    out = {r["id"]: r["cluster_id"] for r in data}
    for r in rows(path, "rejects"):
        if r["duplicate_of"]:
            out[r["id"]] = out[r["duplicate_of"]]
    return out


def test_planted_duplicates_are_found_and_distinct_articles_stay(planted):
    docs, path, _, _ = planted
    truth = {d.id: d for d in docs}

    def root(i):
        while truth[i].original != i:
            i = truth[i].original
        return i

    cluster = clusters_of(path)
    copies = [d for d in docs if d.kind in ("exact", "near", "junk")]
    found = [d for d in copies if cluster[d.id] == cluster[d.original]]
    links = [(i, rep) for i, rep in cluster.items() if i != rep]  # every document merged into another
    right = [(i, rep) for i, rep in links if root(i) == root(rep)]
    assert len(copies) > 50
    assert len(right) / len(links) >= 0.99, sorted(set(links) - set(right))
    assert len(found) / len(copies) >= 0.95, sorted(d.id for d in copies if d not in found)
    same_topic = [d.id for d in docs if d.kind in ("topic", "tone")]
    assert same_topic and all(root(i) == root(cluster[i]) for i in same_topic), \
        "an article on the same topic, or the same words without tone marks, is not merged with its base"


def test_every_kept_document_has_its_cluster(planted):
    _, path, stats, _ = planted
    data = rows(path, "data")
    by_id = {r["id"]: r for r in data}
    for r in data:
        assert r["cluster_size"] >= 1 and r["cluster_id"] in by_id
    rejected = [r for r in rows(path, "rejects") if r["duplicate_of"]]
    for r in rejected:
        assert r["duplicate_of"] in by_id, "a duplicate points at a document that stays"
        assert by_id[r["duplicate_of"]]["cluster_size"] >= 2
    sizes = sum(n * s for s, n in stats.cluster_sizes.items())
    assert sizes == len(data) + len(rejected)


def test_rerun_gives_the_same_clusters_and_documents(planted):
    docs, path, _, tmp = planted
    again, _ = run(tmp / "again", [tmp / "corpus.jsonl"])
    key = lambda rs: sorted((r["id"], r.get("cluster_id"), r.get("cluster_size"), r.get("text")) for r in rs)
    assert key(rows(again, "data")) == key(rows(path, "data"))
    assert rows(again, "rejects") == rows(path, "rejects")


def test_tone_marks_make_different_documents():
    a = "Hòa bình là khát vọng của nhân dân. Mùa thu năm ấy, họa sĩ vẽ những bông hoa đẹp nhất bên hồ nước xanh."
    b = strip_tones(a)
    assert a != b
    assert jaccard_estimate(signature(a, 128, 5), signature(b, 128, 5)) < 0.3
    assert len({line_key("hòa"), line_key("họa"), line_key("hoa")}) == 3
    assert line_key("Ý kiến (12)") == line_key("ý KIẾN  (3)")


def test_site_boilerplate_lines_go_and_repeated_body_sentences_stay(tmp_path):
    footer = "Bản quyền thuộc về tòa soạn, ghi rõ nguồn khi phát hành lại"
    legal = ("Theo quy định của pháp luật hiện hành, mọi hành vi vi phạm sẽ bị xử lý nghiêm minh và công khai "
             "trước toàn thể nhân dân trên địa bàn.")
    lines = []
    gen = Generator(sentences([ROOT / "examples" / "vi-news"]), seed=3)
    for i in range(12):
        body = gen.body(8)
        body.insert(2, legal) if i < 6 else None
        lines.append({"id": f"a{i}", "text": "\n\n".join(body + [footer])})
    (tmp_path / "site.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    # the cross-document stage alone: the line model would take a lone footer line in each document first
    path, stats = run(tmp_path, [tmp_path / "site.jsonl"], model="none")
    data = rows(path, "data")
    assert len(data) == 12
    for r in data:
        assert footer not in r["text"]
        assert any(x["rule"] == "dedup.frequent_line" and x["text"] == footer for x in r["removed"])
    assert not any(x["text"] == legal and x["rule"] == "dedup.frequent_line" for r in data for x in r["removed"]), \
        "a sentence inside the body is not site boilerplate, however often it repeats"
    assert stats.removed["dedup.frequent_line"] == 12


def bucket(hashes, sigs, published, lengths, bands=(2, 4), threshold=0.8):
    """One bucket holding every document's band rows: its exact duplicates and pairs, merged."""
    rows = clusters.band_rows(0, np.array(hashes, dtype=np.uint64), band_keys(sigs, *bands),
                              np.array(published, dtype=str), np.array(lengths))
    exact, pairs = clusters.bucket_pairs(rows, lambda docs: sigs[docs], threshold)
    return clusters.merge(exact, pairs)


def test_keeper_is_the_earliest_published_then_the_longest():
    sigs = np.zeros((4, 8), dtype=np.uint32)
    sigs[3] = 1
    fates = bucket([5, 5, 5, 9], sigs, ["2024-02-01", "", "2024-01-01", ""], [10, 50, 5, 1])
    assert fates["doc"].tolist() == [0, 1, 2]
    assert fates["reason"].tolist() == ["duplicate", "duplicate", None]
    assert fates["cluster"].tolist() == [2, 2, 2] and fates["size"].tolist() == [3, 3, 3]
    fates = bucket([5, 5, 5, 9], sigs, ["", "", "", ""], [10, 50, 5, 1])
    assert fates["reason"].tolist() == ["duplicate", None, "duplicate"] and fates["cluster"].tolist() == [1, 1, 1]


def test_near_duplicates_form_one_cluster_whose_representative_is_preferred_and_copies_join_it():
    """Documents 0 and 1 are near (7 of 8 values), 2 is an exact copy of 1, 3 is alone: the cluster is
    {0, 1, 2}, represented by the longest (1), and the copy names the representative."""
    sigs = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 9], [1, 2, 3, 4, 5, 6, 7, 9],
                     [9, 9, 9, 9, 9, 9, 9, 9]], dtype=np.uint32)
    fates = bucket([1, 2, 2, 3], sigs, ["", "", "", ""], [10, 50, 5, 1], bands=(8, 1), threshold=0.8)
    assert fates["doc"].tolist() == [0, 1, 2]
    assert fates["reason"].tolist() == ["near_duplicate", None, "duplicate"]
    assert fates["cluster"].tolist() == [1, 1, 1] and fates["size"].tolist() == [3, 3, 3]


def test_workers_do_not_change_the_result(tmp_path, planted):
    docs, path, _, tmp = planted
    part1, part2 = tmp_path / "p1.jsonl", tmp_path / "p2.jsonl"
    write_jsonl(docs[:200], part1)
    write_jsonl(docs[200:], part2)
    one, _ = run(tmp_path / "w1", [part1, part2], workers=1)
    two, _ = run(tmp_path / "w2", [part1, part2], workers=2)
    for table in ("data", "rejects"):
        assert rows(one, table) == rows(two, table)
    split_dups = [r for r in rows(two, "rejects") if r["duplicate_of"] and r["source"].startswith("p2")
                  and any(d["id"] == r["duplicate_of"] and d["source"].startswith("p1") for d in rows(two, "data"))]
    assert split_dups, "duplicates across the two shards (and workers) are found"


@pytest.mark.parametrize("buckets", [2, 5, 16])
def test_the_clusters_do_not_depend_on_how_many_buckets_decide_them(buckets):
    """Random signatures with planted exact copies and near variants, decided in one bucket and in several."""
    rng = np.random.default_rng(buckets)
    base = rng.integers(0, 50, size=(40, 16), dtype=np.uint32)
    sigs = np.concatenate([base, base[:15], base[:15]])
    sigs[-15:, :3] = 99  # near variants: 13 of 16 values kept
    n = len(sigs)
    hashes = np.array([h64(sig.tobytes().hex()) for sig in sigs], dtype=np.uint64)
    published = np.array(rng.choice(["", "2024-01-01", "2024-02-01"], size=n), dtype=str)
    lengths = rng.integers(1, 5, size=n)
    rows = clusters.band_rows(0, hashes, band_keys(sigs, 4, 4), published, lengths)

    def decided(k: int) -> dict:
        exact, pairs = [], []
        for b in range(k):
            mine = rows["key"] % np.uint64(k) == b
            e, p = clusters.bucket_pairs({c: v[mine] for c, v in rows.items()}, lambda docs: sigs[docs], 0.75)
            exact.append(e)
            pairs.append(p)
        join = lambda parts: {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
        return {c: v.tolist() for c, v in clusters.merge(join(exact), join(pairs)).items()}

    one = decided(1)
    assert one["reason"].count("duplicate") >= 15 and "near_duplicate" in one["reason"]
    assert decided(buckets) == one
