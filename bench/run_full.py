"""One full `cleaner clean` run, timed, with the peak memory of the main process and of its workers.

    python bench/corpus.py --docs 1000000 --out /tmp/c1m.jsonl
    python bench/run_full.py /tmp/c1m.jsonl /tmp/out
"""
from __future__ import annotations

import json
import resource
import sys
import time

import cleaner
from cleaner.config import Config

if __name__ == "__main__":
    corpus, out = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    _, stats = cleaner.clean(Config(inputs=(corpus,), out=out, name="full", force=True, progress=False))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "docs": stats.read, "seconds": round(seconds, 1), "docs_per_s": round(stats.read / seconds),
        "peak_main_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "stages": {k: round(v, 1) for k, v in stats.stages.items()}, "rejected": dict(stats.rejected),
    }))
