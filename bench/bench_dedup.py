"""Dedup stages at scale, with datasketch's MinHashLSH on the same shingles side by side.

    python bench/bench_dedup.py --docs 10000 100000

For each size: generate a corpus with planted duplicates (bench/corpus.py), run
`cleaner clean` on it in a child process (stage times from the manifest, peak
memory of that process), then, in one child process each, our MinHash + LSH and
datasketch's MinHash + MinHashLSH over the same cleaned texts and the same
5-syllable shingles of the raw texts. Prints documents per second per stage, peak memory, and
the ratio ours/datasketch. Run by hand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def texts_of(corpus: Path) -> list[str]:
    """The raw texts of the corpus: the same input, planted duplicates included, for both implementations."""
    with open(corpus, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def one_ours(corpus: Path, threshold: float, num_perm: int) -> dict:
    import numpy as np

    from cleaner.dedup import clusters
    from cleaner.dedup.minhash import band_keys, optimal_bands, signature
    from cleaner.engine import lsh_threshold

    texts = texts_of(corpus)
    t0 = time.perf_counter()
    sigs = np.stack([signature(t, num_perm, 5) for t in texts])
    t1 = time.perf_counter()
    bands, rows = optimal_bands(lsh_threshold(threshold), num_perm)
    n = len(texts)  # every document in one bucket, each body its own (no exact duplicates taken first)
    table = clusters.band_rows(0, np.arange(n, dtype=np.uint64), band_keys(sigs, bands, rows),
                               np.full(n, "", dtype=str), np.zeros(n, dtype=np.int64))
    confirmed = len(clusters.bucket_pairs(table, lambda docs: sigs[docs], threshold)[1]["a"])
    t2 = time.perf_counter()
    return {"docs": len(texts), "minhash_s": t1 - t0, "lsh_s": t2 - t1, "pairs": confirmed, "peak_mb": peak_mb()}


def one_datasketch(corpus: Path, threshold: float, num_perm: int) -> dict:
    from datasketch import MinHash, MinHashLSH

    from cleaner.dedup.minhash import shingles

    texts = texts_of(corpus)
    t0 = time.perf_counter()
    sigs = []
    for t in texts:
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles(t, 5)])
        sigs.append(m)
    t1 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    pairs = 0
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            pairs += m.jaccard(sigs[j]) >= threshold
        lsh.insert(i, m)
    t2 = time.perf_counter()
    return {"docs": len(texts), "minhash_s": t1 - t0, "lsh_s": t2 - t1, "pairs": pairs, "peak_mb": peak_mb()}


def child(*args) -> dict:
    out = subprocess.run([PY, __file__, *map(str, args)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def clean_child(corpus: Path, out: Path) -> dict:
    code = ("import json,resource,sys; import cleaner; from cleaner.config import Config; "
            f"p,s=cleaner.clean(Config(inputs=({str(corpus)!r},), out={str(out)!r}, name='b', force=True, progress=False)); "
            "print(json.dumps({'version': str(p), 'stages': s.stages, 'read': s.read, 'rejected': dict(s.rejected), "
            "'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))")
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--ours", "--datasketch"):
        fn = one_ours if sys.argv[1] == "--ours" else one_datasketch
        print(json.dumps(fn(Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "cleaner-bench-dedup")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.docs:
        corpus = args.work / f"corpus-{n}.jsonl"
        if not corpus.exists():
            subprocess.run([PY, str(ROOT / "bench" / "corpus.py"), "--docs", str(n), "--out", str(corpus)], check=True)
        run = clean_child(corpus, args.work / "out")
        ours = child("--ours", corpus, args.threshold, args.num_perm)
        ds = child("--datasketch", corpus, args.threshold, args.num_perm)
        rows.append((n, run, ours, ds))
    print("\n## cleaner pipeline stages (documents/s; clean and sign use every core, the rest one)\n")
    print("| docs | clean | lines | sign | dedup | write | total | peak MB (main process) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, run, _, _ in rows:
        st = run["stages"]
        rate = lambda s: f"{n / st[s]:,.0f}" if st.get(s) else "-"
        print(f"| {n:,} | {rate('clean')} | {rate('lines')} | {rate('sign')} | {rate('dedup')} | {rate('write')} | "
              f"{n / sum(st.values()):,.0f} | {run['peak_mb']:,.0f} |")
    print("\n## MinHash + LSH on the same raw texts and shingles (documents/s; pairs = candidate pairs confirmed at the threshold)\n")
    print("| docs | ours minhash | datasketch minhash | ratio | ours LSH | datasketch LSH | ratio | pairs ours / datasketch | peak MB ours / datasketch |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, _, o, d in rows:
        m = o["docs"]
        print(f"| {m:,} | {m / o['minhash_s']:,.0f} | {m / d['minhash_s']:,.0f} | {d['minhash_s'] / o['minhash_s']:.2f}x | "
              f"{m / o['lsh_s']:,.0f} | {m / d['lsh_s']:,.0f} | {d['lsh_s'] / o['lsh_s']:.2f}x | {o['pairs']} / {d['pairs']} | "
              f"{o['peak_mb']:,.0f} / {d['peak_mb']:,.0f} |")


if __name__ == "__main__":
    main()
