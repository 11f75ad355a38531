"""The same dataset whatever runs the shards: one process, several, or Ray."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

import cleaner
from cleaner.config import Config


def tables(folder):
    out = {}
    for sub in ("data", "rejects", "removals"):
        out[sub] = [r for f in sorted((folder / sub).glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    return out


def run(tmp_path, examples, name, **kw):
    config = Config(inputs=(str(examples),), out=str(tmp_path), name=name, version="1.0.0", progress=False,
                    files_per_shard=3, **kw)
    return cleaner.clean(config)[0]


def test_workers_give_identical_datasets(tmp_path, examples):
    one = run(tmp_path, examples, "one", workers=1)
    two = run(tmp_path, examples, "two", workers=2)
    assert tables(one) == tables(two)
    for sub in ("data",):
        for a, b in zip(sorted((one / sub).glob("*")), sorted((two / sub).glob("*"))):
            assert a.read_bytes() == b.read_bytes(), "shards are byte for byte the same"


@pytest.mark.ray
def test_ray_engine_gives_the_local_result(tmp_path, examples):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, object_store_memory=80 * 1024 * 1024, include_dashboard=False, log_to_driver=False)
    try:
        via_ray = run(tmp_path, examples, "ray", engine="ray", workers=2)
    finally:
        ray.shutdown()
    local = run(tmp_path, examples, "local", workers=1)
    assert tables(via_ray) == tables(local)
