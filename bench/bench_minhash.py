"""MinHash signatures: the per-shingle loop (before issue 13) against the vectorized `signatures`, one script.

    python bench/bench_minhash.py [--docs 3000] [--repeat 3]

Both sign the same raw texts of a bench/corpus.py corpus (128 permutations,
5-syllable shingles), alternately, best of `--repeat`; the vectorized one in
batches of `cleaner.engine.SIGN_BATCH` texts as the `sign` stage does. Prints
documents per second of each, the ratio, and whether every signature is the
same. Run by hand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.dedup.minhash import MAX_HASH, MERSENNE, permutations, shingles, signatures  # noqa: E402
from cleaner.engine import SIGN_BATCH  # noqa: E402


sys.path.insert(0, str(ROOT / "tests"))
from dedup.test_minhash import reference_signature as old_signature  # noqa: E402  (the one reference, kept in the test)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    corpus = Path(tempfile.gettempdir()) / f"cleaner-bench-minhash-{args.docs}.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--docs", str(args.docs), "--out",
                        str(corpus)], check=True, capture_output=True)
    texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8")]
    best = {"old": float("inf"), "new": float("inf")}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        old = np.stack([old_signature(t, 128, 5) for t in texts])
        t1 = time.perf_counter()
        new = np.concatenate([signatures(texts[i:i + SIGN_BATCH], 128, 5) for i in range(0, len(texts), SIGN_BATCH)])
        t2 = time.perf_counter()
        best["old"], best["new"] = min(best["old"], t1 - t0), min(best["new"], t2 - t1)
    print(f"{len(texts):,} documents, 128 permutations, 5-syllable shingles, best of {args.repeat}")
    print(f"per-shingle loop: {len(texts) / best['old']:,.0f} docs/s")
    print(f"vectorized:       {len(texts) / best['new']:,.0f} docs/s")
    print(f"ratio vectorized/loop: {best['old'] / best['new']:.2f}x; identical signatures: {np.array_equal(old, new)}")


if __name__ == "__main__":
    main()
