"""What the line model costs per document: the pipeline with it and without it, in one process, on the same
real articles, alternating so that a noisy machine slows both alike.

    python bench/bench_model.py [--docs 2000] [--rounds 3] [--chunk 320]

The articles are the labelled sets' raw files (../shared/samples, ../shared/samples2), cycled to --docs.
Each round cleans every chunk of --chunk documents twice, without the model and with it, one right after
the other (which goes first alternates), so the two runs of a pair see the same machine. Prints ms per
document for `--model none` and the default model (best round), and what the model adds: the median,
over all pairs, of the difference per document, and the ratio.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.config import Config  # noqa: E402
from cleaner.document import from_text  # noqa: E402
from cleaner.extract.authors import head_name  # noqa: E402
from cleaner.extract.dates import scan_line  # noqa: E402
from cleaner.extract.view import is_paragraph  # noqa: E402
from cleaner.model.features import LINE_VECTORS, function_share, sentence_breaks, shape  # noqa: E402
from cleaner.passes.boilerplate import _word_set, is_byline  # noqa: E402
from cleaner.passes.dup_lines import line_key  # noqa: E402
from cleaner.passes.model import is_body_paragraph  # noqa: E402
from cleaner.passes.title import looks_like_body, looks_like_title  # noqa: E402
from cleaner.pipeline import BATCH, build  # noqa: E402

LINE_CACHES = (LINE_VECTORS, shape, sentence_breaks, function_share, is_body_paragraph, line_key, _word_set, is_byline, looks_like_title, looks_like_body, head_name,
               scan_line, is_paragraph)  # one text each


def texts(n: int) -> list[str]:
    raws = sorted(p.read_text(encoding="utf-8") for s in ("samples", "samples2")
                  for p in (ROOT.parent / "shared" / s / "raw").glob("*.txt"))
    return [raws[i % len(raws)] for i in range(n)]


def per_doc_ms(cleaner, docs: list[str]) -> float:
    """Cleaning time per document, `BATCH` documents at a time as a run's worker cleans them. The per-line
    caches are emptied before each batch, as a corpus of distinct articles would leave them (the articles
    here repeat, but not within a batch)."""
    start = time.perf_counter()
    for at in range(0, len(docs), BATCH):
        for cached in LINE_CACHES:
            cached.cache_clear()
        cleaner.clean_all([from_text(str(i), f"{i}.txt", text) for i, text in enumerate(docs[at:at + BATCH], at)])
    return (time.perf_counter() - start) * 1000 / len(docs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=10 * BATCH)
    args = ap.parse_args()
    docs = texts(args.docs)
    without, with_model = build(Config(model="none")), build(Config())
    per_doc_ms(with_model, docs[:2 * BATCH]), per_doc_ms(without, docs[:2 * BATCH])  # warm up both
    chunks = [docs[at:at + args.chunk] for at in range(0, len(docs), args.chunk)]
    rounds, added = [], []
    for r in range(args.rounds):
        a = b = 0.0
        for k, chunk in enumerate(chunks):
            first, second = (without, with_model) if (r + k) % 2 == 0 else (with_model, without)
            times = {id(first): per_doc_ms(first, chunk), id(second): per_doc_ms(second, chunk)}
            added.append(times[id(with_model)] - times[id(without)])
            a, b = a + times[id(without)] * len(chunk), b + times[id(with_model)] * len(chunk)
        rounds.append((a / len(docs), b / len(docs)))
    best_a, best_b = min(t[0] for t in rounds), min(t[1] for t in rounds)
    median = float(np.median(added))
    print(f"{args.docs} real articles, {args.rounds} rounds of {len(chunks)} pairs: without the model {best_a:.3f} "
          f"ms/doc, with it {best_b:.3f} ms/doc (best round); the model adds {median:.3f} ms/doc (median pair; "
          f"quartiles {np.percentile(added, 25):.3f}-{np.percentile(added, 75):.3f}), {best_b / best_a:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
