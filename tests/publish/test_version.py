"""A version folder end to end: written whole, immutable, loads with `datasets` as the card declares."""
from __future__ import annotations

import hashlib
import json
import shutil

import datasets
import pyarrow.parquet as pq
import pytest
import yaml

import cleaner
from cleaner.config import Config
from cleaner.errors import VersionExists
from cleaner.publish import card
from cleaner.schema import arrow_schema


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, examples):
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(examples, root / "txt")
    (root / "bad.jsonl").write_text('{"text": "Một bài báo ngắn về thời tiết hôm nay ở Hà Nội, trời nắng đẹp."}\nnot json\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def version(tmp_path_factory, corpus):
    out = tmp_path_factory.mktemp("out")
    config = Config(inputs=(str(corpus / "txt"), str(corpus / "bad.jsonl")), out=str(out), name="vi", version="1.0.0",
                    progress=False, shard_rows=4, row_group_rows=2)
    path, stats = cleaner.clean(config)
    return config, path, stats


def card_meta(path):
    text = (path / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def test_layout_and_accounting(version, examples):
    config, path, stats = version
    n_txt = len(list(examples.glob("*.txt")))
    shards = sorted((path / "data").glob("*.parquet"))
    assert [s.name for s in shards] == [f"train-{i:05d}-of-{len(shards):05d}.parquet" for i in range(len(shards))]
    assert len(shards) == -(-stats.kept // 4)
    docs = sum(pq.ParquetFile(s).metadata.num_rows for s in shards)
    rejects = sum(pq.ParquetFile(s).metadata.num_rows for s in (path / "rejects").glob("*.parquet"))
    assert stats.read == n_txt + 2 == docs + rejects
    assert not list(path.parent.glob(".staging-*")), "no staging folder is left behind"


def test_every_shard_has_the_schema_and_zstd(version):
    _, path, _ = version
    for shard in (path / "data").glob("*.parquet"):
        f = pq.ParquetFile(shard)
        assert f.schema_arrow == arrow_schema("document")
        assert f.metadata.row_group(0).column(0).compression == "ZSTD"


def test_manifest_hashes_every_file(version):
    config, path, _ = version
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["name"] == "vi" and manifest["rule_packs"][0]["name"] == "vi-news"
    assert manifest["inputs"]["files"] == len(list((path.parent.parent).glob("*"))) or manifest["inputs"]["sha256"]
    for entry in manifest["files"]:
        data = (path / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        if entry["path"].endswith(".parquet"):
            assert pq.ParquetFile(path / entry["path"]).metadata.num_rows == entry["rows"]


def test_card_features_match_parquet_and_load_dataset_uses_them(version):
    _, path, stats = version
    meta = card_meta(path)
    info = {c["config_name"]: c for c in meta["dataset_info"]}
    want = datasets.Features.from_arrow_schema(arrow_schema("document"))
    assert datasets.Features._from_yaml_list(info["default"]["features"]) == want
    ds = datasets.load_dataset(str(path), split="train")
    assert ds.features == want and ds.num_rows == stats.kept
    assert isinstance(ds[0]["removed"], list) and set(ds[0]["removed"][0]) == {"line", "rule", "text"}
    rejects = datasets.load_dataset(str(path), "rejects", split="train")
    assert rejects[0]["reason"] == "bad_json" and "bad.jsonl:2" in rejects[0]["detail"]


def test_card_values_are_hub_values(version):
    _, path, _ = version
    meta = card_meta(path)
    assert card.validate(meta) == []
    assert meta["language"] == ["vi"] and meta["size_categories"] == ["n<1K"]
    assert card.validate({**meta, "language": ["xx-notalang"], "size_categories": ["lots"]}) == [
        "language 'xx-notalang' is not a known language code", "size category 'lots' is not one the Hub knows"]


@pytest.mark.parametrize("table", ["document", "rejects", "removals", "hashes"])
def test_the_card_features_are_the_ones_datasets_writes(table):
    """The card's `dataset_info` features are written without importing `datasets`: as it writes them."""
    schema = arrow_schema(table)
    assert card.features_yaml(schema) == datasets.Features.from_arrow_schema(schema)._to_yaml_list()


def test_a_card_type_with_no_mapping_is_an_error():
    import pyarrow as pa

    with pytest.raises(ValueError, match="no dataset card type"):
        card.features_yaml(pa.schema([("grid", pa.list_(pa.list_(pa.int32())))]))


def test_load_latest_and_given_version(version):
    config, path, stats = version
    ds = cleaner.load(path.parent)
    assert ds.num_rows == stats.kept
    assert cleaner.load(path.parent, version="1.0.0").num_rows == stats.kept
    with pytest.raises(cleaner.errors.UsageError, match="no version 9.9.9"):
        cleaner.load(path.parent, version="9.9.9")


def test_versions_are_immutable_unless_forced(version):
    config, path, _ = version
    before = (path / "manifest.json").read_bytes()
    with pytest.raises(VersionExists, match="--force"):
        cleaner.clean(config)
    assert (path / "manifest.json").read_bytes() == before
