"""Is the output of the working tree byte-identical to that of git revision REV?

    python bench/same_output.py REV [--new REV2] [--docs 10000] [--workers 2] [--keep]

Runs `cleaner clean` twice on each of two corpora, once with the working tree's
code and once with REV's (checked out with `git worktree add --detach` into a
temporary folder and run with PYTHONPATH pointing there, from this same Python),
then compares what the two versions published:

- `samples`: the labelled raw articles of ../shared/samples/raw and ../shared/samples2/raw;
- `corpus`: a synthetic corpus of `--docs` documents from bench/corpus.py (made once, cached
  in the temp folder, the same input for both sides).

Compared: `hashes.parquet` (one content hash per kept document), the removals
table and the rejects table, row by row. Prints `identical`, or per table the
first differences (and, for a document whose hash differs, which of its columns
differ). With `--new REV2`, REV2 (checked out the same way) stands in for the working tree, so the
working tree may change while it runs. Exit status 0 when identical, 1 otherwise. Run by hand; not part of the
test suite.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT.parent / "shared" / "samples" / "raw", ROOT.parent / "shared" / "samples2" / "raw"]
TABLES = {"hashes": ["hashes.parquet"], "removals": ["removals/*.parquet"], "rejects": ["rejects/*.parquet"]}
SHOW = 5  # differences shown per table


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def run_clean(code: Path, inputs: list[Path], out: Path, workers: int) -> None:
    """`cleaner clean` with the package found first in `code` (a checkout)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, "-m", "cleaner", "clean", *map(str, inputs), "--out", str(out), "--name", "same",
           "--version", "1.0.0", "--force", "--no-progress", "--workers", str(workers)]
    proc = subprocess.run(cmd, env=env, cwd=str(code), capture_output=True, text=True)
    if proc.returncode not in (0, 3):
        sys.exit(f"cleaner clean failed with the code of {code} (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    where = subprocess.run([sys.executable, "-c", "import cleaner; print(cleaner.__file__)"], env=env,
                           cwd=str(code), capture_output=True, text=True).stdout.strip()
    if not where.startswith(str(code)):
        sys.exit(f"the package ran from {where}, not from {code}: PYTHONPATH was not honoured")


def read(version: Path, globs: list[str]) -> pa.Table | None:
    files = sorted(f for g in globs for f in version.glob(g))
    if not files:
        return None
    return pa.concat_tables([pq.read_table(f) for f in files])


def rows(table: pa.Table | None) -> list[dict]:
    return [] if table is None else table.to_pylist()


def doc_columns(version: Path) -> dict[str, dict]:
    table = read(version, ["data/*.parquet"])
    return {r["id"]: r for r in rows(table)}


def compare(old: Path, new: Path) -> list[str]:
    """Lines describing the differences between two published versions (empty: identical)."""
    out = []
    for name, globs in TABLES.items():
        a, b = rows(read(old, globs)), rows(read(new, globs))
        if a == b:
            continue
        out.append(f"  {name}: {len(a)} rows at REV, {len(b)} in the working tree")
        if name == "hashes":
            ha, hb = {r["id"]: r["sha256"] for r in a}, {r["id"]: r["sha256"] for r in b}
            only_a, only_b = sorted(ha.keys() - hb.keys()), sorted(hb.keys() - ha.keys())
            changed = sorted(i for i in ha.keys() & hb.keys() if ha[i] != hb[i])
            out.append(f"    {len(only_a)} documents only at REV, {len(only_b)} only in the working tree, "
                       f"{len(changed)} with another hash")
            out += [f"    only at REV: {i}" for i in only_a[:SHOW]]
            out += [f"    only in the working tree: {i}" for i in only_b[:SHOW]]
            if changed:
                da, db = doc_columns(old), doc_columns(new)
                cols: dict[str, int] = {}
                for i in changed:
                    for col in da[i]:
                        if da[i][col] != db[i].get(col):
                            cols[col] = cols.get(col, 0) + 1
                out.append("    columns that differ (documents): " + ", ".join(f"{c} ({n})" for c, n in sorted(cols.items())))
                for i in changed[:SHOW]:
                    diff = {c: (da[i][c], db[i].get(c)) for c in da[i] if da[i][c] != db[i].get(c)}
                    out.append(f"    {i}: " + "; ".join(f"{c}: {str(x)[:80]!r} -> {str(y)[:80]!r}"
                                                       for c, (x, y) in diff.items()))
        else:
            shown = 0
            for k, (x, y) in enumerate(zip(a, b)):
                if x != y and shown < SHOW:
                    out.append(f"    row {k}: {x} -> {y}")
                    shown += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rev", help="git revision to compare the working tree against")
    ap.add_argument("--new", help="compare against this git revision instead of the working tree")
    ap.add_argument("--docs", type=int, default=10_000, help="size of the synthetic corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / f"cleaner-same-output-{os.getuid()}")
    ap.add_argument("--keep", action="store_true", help="keep both outputs (in a run-* folder under --work)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # killed: still remove the checkouts
    sha = git("rev-parse", "--verify", args.rev + "^{commit}")
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.work / f"corpus-{args.docs}.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--docs", str(args.docs), "--out",
                        str(corpus) + ".tmp"], check=True, capture_output=True)
        os.replace(str(corpus) + ".tmp", corpus)
    checkouts = []

    def checkout(rev: str) -> Path:
        commit = git("rev-parse", "--verify", rev + "^{commit}")
        folder = Path(tempfile.mkdtemp(prefix=f"rev-{commit[:10]}-", dir=args.work))
        shutil.rmtree(folder)
        git("worktree", "add", "--detach", str(folder), commit)
        checkouts.append(folder)
        return folder

    verdicts = []
    run = Path(tempfile.mkdtemp(prefix="run-", dir=args.work))  # outputs of this run: two runs at once never mix
    try:
        old_code = checkout(sha)
        new_code = checkout(args.new) if args.new else ROOT
        for label, inputs in (("samples", [p for p in SAMPLES if p.is_dir()]), ("corpus", [corpus])):
            outs = {}
            for side, code in (("rev", old_code), ("tree", new_code)):
                outs[side] = run / f"out-{label}-{side}"
                run_clean(code, inputs, outs[side], args.workers)
            diff = compare(outs["rev"] / "same" / "v1.0.0", outs["tree"] / "same" / "v1.0.0")
            verdicts.append((label, diff))
    finally:
        if not args.keep:
            shutil.rmtree(run, ignore_errors=True)
        for folder in checkouts:
            git("worktree", "remove", "--force", str(folder))
    for label, diff in verdicts:
        print(f"{label}: " + ("identical" if not diff else "DIFFERENT"))
        print("\n".join(diff)) if diff else None
    same = all(not d for _, d in verdicts)
    print(f"{args.new or 'working tree'} vs {args.rev} ({sha[:10]}): " + ("identical" if same else "different"))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
