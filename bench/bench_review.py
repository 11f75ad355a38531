"""What `cleaner review` costs on a large version: a synthetic one of N documents (default 100,000).

    python bench/bench_review.py [--docs 100000]

The bundled examples are cleaned once, their rows repeated (ids made unique) into data files of 50,000
rows in row groups of 5,000, as `cleaner clean` writes them, and the manifest's file list rewritten.
Then it times opening the version (the index over small columns), a filtered page, a text search that
stops at a page and one that scans everything, and one document page; and reports peak memory.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cleaner  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.publish.parquet import file_entry  # noqa: E402
from cleaner.review.store import Filters, Version  # noqa: E402


def build(root: Path, n: int) -> Path:
    folder, _ = cleaner.clean(Config(inputs=(str(ROOT / "examples" / "vi-news"),), out=str(root), name="big",
                                     progress=False, workers=1))
    data = folder / "data"
    base = [pq.read_table(f) for f in sorted(data.glob("*.parquet"))]
    table = pa.concat_tables(base)
    for f in data.glob("*.parquet"):
        f.unlink()
    per_file, rows = 50_000, table.num_rows
    files = -(-n // per_file)
    for k in range(files):
        count = min(per_file, n - k * per_file)
        reps = table.take([i % rows for i in range(count)])
        ids = pa.array([f"doc{k * per_file + i:07d}" for i in range(count)])
        reps = reps.set_column(reps.schema.get_field_index("id"), "id", ids)
        pq.write_table(reps, data / f"train-{k:05d}-of-{files:05d}.parquet", row_group_size=5000, compression="zstd")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = [e for e in manifest["files"] if not e["path"].startswith("data/")] + \
        [file_entry(p, folder) for p in sorted(data.glob("*.parquet"))]
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder.parent


def rss() -> float:
    """Resident memory now, in MB (Linux)."""
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return float("nan")


def timed(label, fn):
    t = time.perf_counter()
    out = fn()
    print(f"{label:<48} {time.perf_counter() - t:8.3f} s")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dataset = timed(f"write a version of {args.docs} documents", lambda: build(Path(tmp), args.docs))
        before = rss()
        v = timed("open it (index of id, source, domain, outlet, rules)", lambda: Version(dataset))
        timed("first page, family=caption, most removed", lambda: v.page(Filters(family="caption", sort="removed")))
        timed("last page, no filter", lambda: v.page(Filters(), len(v.entries) - 50))
        timed("search a common word (stops at a page)", lambda: v.page(Filters(q="tỉnh")))
        timed("search a word found nowhere (scans all)", lambda: v.page(Filters(q="zzqqxx")))
        last = v.entries[-1].id
        timed("a document page (its row group, its raw input)", lambda: v.lines(last))
        print(f"resident memory {rss():.0f} MB, {before:.0f} MB before opening the version")
    return 0


if __name__ == "__main__":
    sys.exit(main())
