"""The same dataset whatever runs the shards: one process, several, or Ray."""
from __future__ import annotations

import subprocess
import sys

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


def test_a_large_jsonl_file_is_read_in_pieces_that_add_up_to_it(tmp_path):
    import json

    from cleaner.engine import plan
    from cleaner.readers import read_file, read_inputs

    path = tmp_path / "big.jsonl"
    lines = [json.dumps({"id": i, "text": f"Dòng {i} " + "chữ " * (i % 37)}, ensure_ascii=False) for i in range(500)]
    lines[7] = "not json"
    lines[100] = ""
    path.write_text("\n".join(lines), encoding="utf-8")  # no newline at the end
    config = Config(inputs=(str(path),), shard_bytes=2000)
    shards = plan(config)
    assert len(shards) > 10
    pieces = [item for s in shards for p in s.files for item in read_file(path, p.source, p.start, p.stop, p.first_line)]
    whole = list(read_inputs([str(path)]))
    assert pieces == whole


def test_pieces_of_one_file_give_the_dataset_of_the_whole_file(tmp_path, examples):
    import json

    rows = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(examples.glob("*.txt"))] * 3
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    base = dict(inputs=(str(path),), out=str(tmp_path), version="1.0.0", progress=False)
    whole = cleaner.clean(Config(name="whole", workers=1, **base))[0]
    pieces = cleaner.clean(Config(name="pieces", workers=2, shard_bytes=20_000, **base))[0]
    assert tables(whole) == tables(pieces)


def test_a_worker_starts_without_the_publishing_libraries():
    """A spawned worker imports `cleaner.engine` for its tasks; `datasets` (and pandas under it) is needed by
    no run (the card's features are our own mapping): importing it in every worker cost each about 2 s."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, cleaner.engine; "
                             "print(sorted({'datasets', 'pandas'} & set(sys.modules)))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def pandas_loaded(config, item) -> bool:
    """A pool task: build an Arrow table, as a worker's writers do; is pandas loaded then?"""
    import pyarrow as pa

    pa.table({"a": [item]})
    return sys.modules.get("pandas") is not None


def test_a_worker_keeps_pandas_out_when_pyarrow_builds_a_table():
    """pyarrow imports pandas the first time it builds an array (0.3 s and 30 MB of each worker), only to
    ask whether the input is a pandas object; a worker has none, and its tasks run without it."""
    from cleaner import engine

    config = Config(workers=2, progress=False)
    with engine._run_pool():
        loaded = engine._map(config, pandas_loaded, [0, 1, 2, 3], desc="test", total=None, counts=False)
    assert loaded == [False] * 4
    assert pandas_loaded(config, 0), "in this process, pyarrow imports pandas as it always did"


def failing(config, item):
    raise OSError(28, "No space left on device")


def test_a_stopped_pool_leaves_no_manager_thread_for_the_exit_to_race():
    """A failed task stops the pool at once (`_stop`); its manager thread must be gone before the
    interpreter's exit writes to the thread's wake-up pipe, or the exit can find it closed under it
    (a traceback after a clean error message, seen in CI on a full disk)."""
    from cleaner import engine

    config = Config(workers=2, progress=False)
    with engine._run_pool():
        pool, _ = engine._workers(config)
        manager = pool.submit(int, 1).result() and pool._executor_manager_thread
        with pytest.raises(OSError):
            engine._map(config, failing, [0, 1, 2, 3], desc="test", total=None, counts=False)
        assert not manager.is_alive()


def test_a_worker_drops_the_clean_maps_caches_when_it_leaves_the_clean_map():
    """`_pool_task` runs a task; the first task of another map after clean tasks empties the caches keyed
    on line texts (an lru_cache, and the line model's own), which a clean task leaves filled."""
    from cleaner import engine
    from cleaner.model.features import LINE_VECTORS, line_vector
    from cleaner.passes.title import looks_like_body

    def fill():
        looks_like_body("Một dòng ngắn"), line_vector("Ảnh: TTXVN")

    def other(config, item):
        return item * 2

    fill()
    engine._cleaned = True  # as `_pool_task(map_clean, ...)` leaves it
    assert engine._pool_task(other, None, 21) == 42
    assert looks_like_body.cache_info().currsize == 0 and len(LINE_VECTORS) == 0
    fill()
    assert engine._pool_task(other, None, 1) == 2  # no clean task since: nothing is dropped
    assert looks_like_body.cache_info().currsize > 0 and len(LINE_VECTORS) == 1
