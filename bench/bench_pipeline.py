"""The full pipeline against datatrove and against a floor, on the same corpus, back to back.

    python bench/bench_pipeline.py --docs 10000 [--docs 100000 ...] [--skip-datatrove] [--rounds 5]

Each system runs in its own child process (so peak memory is its own), one after
the other on the same JSONL corpus made by bench/corpus.py:

- floor: read the JSONL, split lines, NFC, seeded langdetect on a 500-character
  prefix, write zstd Parquet: the work no cleaner can avoid.
- cleaner, 1 worker and 2 workers: `cleaner.clean` with the default config, in a process that keeps
  pandas out as the `cleaner clean` command does.
- datatrove: JsonlReader -> C4QualityFilter -> GopherRepetitionFilter ->
  GopherQualityFilter -> ParquetWriter, one task, Vietnamese tokenizer
  (needs `pip install -e '.[bench]'`).

Prints documents per second per core, MB per second, peak memory, and the
ratios that matter: cleaner/datatrove, floor/cleaner, 2 workers/1 worker.

With `--rounds N`, every system runs N times, one round after another (floor,
cleaner-1, cleaner-2, ... then again), and each ratio is taken within a round and
reported as the median of the N rounds, with its range: this machine's speed can
drift by 30% within minutes, and two systems run minutes apart can each catch a
different speed. The table shows each system's median round.
Run by hand (it takes minutes); not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def floor(corpus: Path, out: Path) -> dict:
    import unicodedata

    import pyarrow as pa
    import pyarrow.parquet as pq
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    start = time.perf_counter()
    rows, n = [], 0
    out.mkdir(parents=True, exist_ok=True)
    writer = None
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            lines = [unicodedata.normalize("NFC", l) for l in doc["text"].split("\n")]
            text = "\n".join(l for l in lines if l.strip())
            d = factory.create()
            d.append(text[:500])
            try:
                lang = d.detect()
            except Exception:
                lang = "und"
            rows.append({"id": doc["id"], "text": text, "lang": lang})
            n += 1
            if len(rows) >= 5000:
                table = pa.Table.from_pylist(rows)
                writer = writer or pq.ParquetWriter(out / "floor.parquet", table.schema, compression="zstd")
                writer.write_table(table)
                rows = []
    if rows:
        table = pa.Table.from_pylist(rows)
        writer = writer or pq.ParquetWriter(out / "floor.parquet", table.schema, compression="zstd")
        writer.write_table(table)
    writer.close()
    return {"docs": n, "seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "cores": 1}


def ours(corpus: Path, out: Path, workers: int) -> dict:
    import cleaner
    from cleaner.config import Config
    from cleaner.engine import keep_pandas_out

    keep_pandas_out()  # as the `cleaner clean` command does: this child process does the run alone
    start = time.perf_counter()
    _, stats = cleaner.clean(Config(inputs=(str(corpus),), out=str(out), name="bench", force=True, progress=False,
                                    workers=workers))
    return {"docs": stats.read, "seconds": time.perf_counter() - start, "stages": stats.stages,
            "peak_mb": max(peak_mb(), children_peak_mb()), "cores": workers}


def datatrove(corpus: Path, out: Path) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import ParquetWriter

    start = time.perf_counter()
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(corpus.parent), glob_pattern=corpus.name),
                  C4QualityFilter(language="vie"), GopherRepetitionFilter(language="vie"),
                  GopherQualityFilter(language="vie"), ParquetWriter(str(out / "datatrove"))],
        tasks=1, workers=1, logging_dir=str(out / "logs"))
    executor.run()
    docs = sum(1 for _ in open(corpus, encoding="utf-8"))
    return {"docs": docs, "seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "cores": 1}


SYSTEMS = {"floor": floor, "datatrove": datatrove, "cleaner-1": lambda c, o: ours(c, o, 1),
           "cleaner-2": lambda c, o: ours(c, o, 2)}


def child(system: str, corpus: Path, out: Path) -> dict:
    proc = subprocess.run([PY, __file__, "--one", system, str(corpus), str(out)], capture_output=True, text=True)
    if proc.returncode:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median_run(runs: list[dict]) -> dict:
    """The run of median time (an error if every run failed)."""
    ok = sorted((r for r in runs if "seconds" in r), key=lambda r: r["seconds"])
    return ok[(len(ok) - 1) // 2] if ok else runs[0]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        system, corpus, out = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        print(json.dumps(SYSTEMS[system](corpus, out)))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, action="append")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "cleaner-bench-pipeline")
    ap.add_argument("--skip-datatrove", action="store_true")
    ap.add_argument("--rounds", type=int, default=1, help="run every system this many times, alternating")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    systems = [s for s in SYSTEMS if not (args.skip_datatrove and s == "datatrove")]
    for n in args.docs or [10_000]:
        corpus = args.work / f"corpus-{n}" / "corpus.jsonl"
        if not corpus.exists():
            corpus.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([PY, str(ROOT / "bench" / "corpus.py"), "--docs", str(n), "--out", str(corpus)], check=True)
        mb = corpus.stat().st_size / 1e6
        rounds = []
        for _ in range(args.rounds):
            rounds.append({})
            for system in systems:
                out = args.work / f"out-{n}-{system}"
                shutil.rmtree(out, ignore_errors=True)
                rounds[-1][system] = child(system, corpus, out)
        results = {system: median_run([r[system] for r in rounds]) for system in systems}
        print(f"\n### {n:,} documents ({mb:,.0f} MB of JSONL)\n")
        print("| system | docs/s per core | MB/s | peak MB | seconds |")
        print("|---|---:|---:|---:|---:|")
        rate = {}
        for system, r in results.items():
            if "error" in r:
                print(f"| {system} | failed: {r['error'][:80]} | | | |")
                continue
            rate[system] = r["docs"] / r["seconds"]
            print(f"| {system} | {rate[system] / r['cores']:,.0f} | {mb / r['seconds']:,.1f} | {r['peak_mb']:,.0f} | {r['seconds']:,.1f} |")
        ratios = []
        for label, fast, slow, digits in (("cleaner/datatrove", "cleaner-1", "datatrove", 1),
                                          ("floor/cleaner", "floor", "cleaner-1", 2),
                                          ("2 workers/1 worker", "cleaner-2", "cleaner-1", 2)):
            each = [r[slow]["seconds"] / r[fast]["seconds"] for r in rounds
                    if "seconds" in r.get(fast, {}) and "seconds" in r.get(slow, {})]
            if each:
                spread = f" (rounds {min(each):.{digits}f}-{max(each):.{digits}f})" if len(each) > 1 else ""
                ratios.append(f"{label} {statistics.median(each):.{digits}f}x{spread}")
        print(f"\nratios{f', median of {len(rounds)} rounds' if len(rounds) > 1 else ''}: " + ", ".join(ratios))
        if "stages" in results.get("cleaner-1", {}):
            st = results["cleaner-1"]["stages"]
            print("cleaner-1 seconds by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in st.items()))


if __name__ == "__main__":
    main()
