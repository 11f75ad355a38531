"""The Ray engine on a local two-node Ray cluster (`ray.cluster_utils.Cluster`, as Ray's own
tests start one): the same dataset as two local workers, the maps and the reduces run as Ray tasks."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cleaner.api
from cleaner.config import Config
from corpus import Generator, sentences, write_jsonl  # bench/corpus.py
from test_engines import tables

pytestmark = pytest.mark.ray
STAGES = {"map_clean", "reduce_lines", "map_sign", "reduce_dedup", "merge_dedup", "map_write"}  # the maps and the reduces
CLEANER = Path(sys.executable).with_name("cleaner")


@pytest.fixture(scope="module")
def cluster():
    cluster_utils = pytest.importorskip("ray.cluster_utils")
    before = os.environ.get("RAY_PROFILING")
    os.environ["RAY_PROFILING"] = "1"  # the nodes record each task's events, so ray.timeline() names them
    cluster = cluster_utils.Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    try:
        cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        yield cluster
    finally:
        cluster.shutdown()
        os.environ.pop("RAY_PROFILING") if before is None else os.environ.update(RAY_PROFILING=before)


def clean(corpus: Path, out: Path, *flags: str) -> Path:
    proc = subprocess.run([str(CLEANER), "clean", str(corpus), "--out", str(out), "--name", "news", "--version", "1.0.0",
                           "--no-progress", "--workers", "2", *flags], capture_output=True, text=True,
                          env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out / "news" / "v1.0.0"


def test_a_two_node_ray_cluster_gives_the_two_worker_dataset_and_runs_the_reduces(cluster, tmp_path, examples):
    import ray

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    docs = Generator(sentences([examples]), seed=11).corpus(300)  # planted exact and near duplicates
    for i in range(3):  # three shards, so both nodes have maps to run
        write_jsonl(docs[i::3], corpus / f"part{i}.jsonl")
    local = clean(corpus, tmp_path / "local")
    # The Ray run is driven from this process (the engine uses the connection it finds), so that the
    # job, and the workers that ran its last tasks, outlive the run until their task events are sent:
    # a `cleaner clean` subprocess ends its job at exit, and the events of its last tasks can go with it.
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        via_ray, _ = cleaner.api.clean(Config(inputs=(str(corpus),), out=str(tmp_path / "ray"), name="news",
                                              version="1.0.0", progress=False, workers=2, engine="ray",
                                              ray_address=cluster.address))
        assert tables(via_ray) == tables(local)
        assert (via_ray / "hashes.parquet").read_bytes() == (local / "hashes.parquet").read_bytes()
        assert any(r["duplicate_of"] for r in tables(local)["rejects"]), "the corpus has duplicates to find"
        assert len([n for n in ray.nodes() if n["Alive"]]) == 2
        ran: set[str] = set()
        for _ in range(30):  # the workers report their tasks' events about once a second
            ran = {event["name"].rsplit(".", 1)[-1] for event in ray.timeline()}
            if STAGES <= ran:
                break
            time.sleep(1)
    finally:
        ray.shutdown()
    assert STAGES <= ran, sorted(ran)
