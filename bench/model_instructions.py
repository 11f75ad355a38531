"""What the line model costs per document in instructions, counted by callgrind: a figure that noise on a
shared machine does not move, where `bench_model.py`'s timings can swing by 20% between two runs.

    python bench/model_instructions.py [--docs 214] [--warm 32] [--code DIR]

Four runs of `bench_model.per_doc_ms` under `valgrind --tool=callgrind` (so valgrind must be installed;
each run takes a few minutes), with `PYTHONHASHSEED=0`: with the default model and with `--model none`, each
once over --warm documents and once over --warm + --docs. The difference of the two differences, divided by
--docs, is what the model adds per document; the imports, the model's loading and the warm-up cancel out. The
default 214 counts each of the 107 labelled articles twice: the model's cost varies a lot from one article to
the next, so a part of them would not do. Prints that and the instructions per document without the model.
`--code DIR` counts the package in DIR instead (a worktree of another revision, say) with this same script.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/bench"]
from bench_model import per_doc_ms, texts
from cleaner.config import Config
from cleaner.pipeline import build
cleaner = build(Config() if sys.argv[2] == "default" else Config(model="none"))
warm, docs = int(sys.argv[3]), int(sys.argv[4])
articles = texts(warm + docs)
per_doc_ms(cleaner, articles[:warm])
if docs:
    per_doc_ms(cleaner, articles[warm:])
"""


def callgrind(program: str, *args: str) -> int:
    """The instructions callgrind counts for `python -c program args...`, with PYTHONHASHSEED=0."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", program, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode or not found:
        sys.exit(f"callgrind failed ({' '.join(cmd[:3])} ...):\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def instructions(code: Path, model: str, warm: int, docs: int) -> int:
    return callgrind(RUN, str(code), model, str(warm), str(docs))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=214)
    ap.add_argument("--warm", type=int, default=32)
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose package is counted")
    args = ap.parse_args()
    count = {(m, n): instructions(args.code.resolve(), m, args.warm, n) for m in ("default", "none")
             for n in (0, args.docs)}
    without = (count["none", args.docs] - count["none", 0]) / args.docs
    added = (count["default", args.docs] - count["default", 0]) / args.docs - without
    print(f"{args.code}: {args.docs} real articles after {args.warm}: without the model {without / 1e6:.2f} million "
          f"instructions a document; the model adds {added / 1e6:.2f} million ({added / without:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
