"""One full `cleaner clean` run, timed, with the peak memory of the main process and of its workers.

    python bench/corpus.py --docs 1000000 --out /tmp/c1m.jsonl
    python bench/run_full.py /tmp/c1m.jsonl /tmp/out [--workers 2]

`peak_worker_mb` is the largest worker's peak (ru_maxrss of the children), `peak_largest_mb` the larger of
that and the main process's.
"""
from __future__ import annotations

import argparse
import json
import resource
import time

import cleaner
from cleaner.config import Config

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    start = time.perf_counter()
    _, stats = cleaner.clean(Config(inputs=(args.corpus,), out=args.out, name="full", force=True, progress=False,
                                    workers=args.workers))
    seconds = time.perf_counter() - start
    main_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    worker_mb = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    print(json.dumps({
        "docs": stats.read, "workers": args.workers, "seconds": round(seconds, 1),
        "docs_per_s": round(stats.read / seconds), "peak_main_mb": main_mb, "peak_worker_mb": worker_mb,
        "peak_largest_mb": max(main_mb, worker_mb),
        "stages": {k: round(v, 1) for k, v in stats.stages.items()}, "rejected": dict(stats.rejected),
    }))
