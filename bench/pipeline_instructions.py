"""What a whole `--workers 1` run costs in instructions, counted by callgrind: old code against new on the same
corpus, a figure that the machine's drift does not move (bench_pipeline.py's seconds can swing by 30%).

    python bench/pipeline_instructions.py --code /tmp/old-worktree [--code DIR ...] [--docs 600]

Makes a corpus of --docs documents with bench/corpus.py (the same seed every time), then for this checkout
and each --code DIR runs `cleaner.clean` over it in one process under `valgrind --tool=callgrind`, with
`PYTHONHASHSEED=0`, the runs two at a time. Prints each total and its ratio to this checkout's. The totals
include the imports and the version's files (the same work whatever the code), so a ratio understates what
changed per document. Each run takes a few minutes; valgrind must be installed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from model_instructions import callgrind  # noqa: E402

RUN = """
import sys
sys.path.insert(0, sys.argv[1])
import cleaner
from cleaner.config import Config
assert cleaner.__file__.startswith(sys.argv[1]), cleaner.__file__
cleaner.clean(Config(inputs=(sys.argv[2],), out=sys.argv[3], name="bench", force=True, progress=False, workers=1))
"""


def instructions(code: Path, corpus: Path, out: Path) -> int:
    return callgrind(RUN, str(code), str(corpus), str(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--code", type=Path, action="append", default=[], help="another checkout to count")
    ap.add_argument("--docs", type=int, default=600)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cleaner-instructions-"))
    corpus = work / "corpus.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--docs", str(args.docs), "--out", str(corpus)],
                   check=True, capture_output=True)
    codes = [ROOT, *(c.resolve() for c in args.code)]
    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(lambda ic: instructions(ic[1], corpus, work / f"out{ic[0]}"), enumerate(codes)))
    for code, n in zip(codes, counts):
        print(f"{code}: {n / 1e9:.2f} billion instructions, {n / args.docs / 1e6:.2f} million a document, "
              f"{n / counts[0]:.3f}x this checkout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
