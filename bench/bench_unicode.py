"""ftfy behind a cheap check against ftfy on every line, and langdetect on a bounded sample against the
whole text: the two costly steps, before and after, in one process on the same documents.

    python bench/bench_unicode.py [--docs 2000] [--corpus FILE.jsonl]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path

import ftfy

from cleaner.passes import lang, unicode

ROOT = Path(__file__).resolve().parent.parent


def best_of(fn, repeat: int = 3) -> float:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--corpus", type=Path)
    args = ap.parse_args()
    if args.corpus:
        texts = [json.loads(l)["text"] for l, _ in zip(open(args.corpus, encoding="utf-8"), range(args.docs))]
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from corpus import DEFAULT_SOURCES, Generator, sentences
        texts = [d.text for d in Generator(sentences(DEFAULT_SOURCES)).corpus(args.docs)]
    lines = [l for t in texts for l in t.split("\n") if l.strip()]

    def ftfy_every_line():
        for l in lines:
            unicodedata.normalize("NFC", ftfy.fix_text(l, normalization="NFC", fix_line_breaks=False, uncurl_quotes=False))

    def ours():
        for l in lines:
            unicode.normalize_line(l)

    def detect_whole():
        for t in texts:
            lang._langdetect(t)

    def detect_sample():
        for t in texts:
            lang.detect(t, 500)

    lang.detect("khởi động", 500)
    a, b = best_of(ftfy_every_line), best_of(ours)
    c, d = best_of(detect_whole, 1), best_of(detect_sample, 1)
    n = len(texts)
    print(f"{n} documents, {len(lines)} lines, {sum(map(len, texts)) / n:,.0f} characters a document")
    print(f"unicode: ftfy on every line {n / a:,.0f} docs/s; cheap check first (cleaner) {n / b:,.0f} docs/s; {a / b:.1f}x")
    print(f"language: langdetect on the whole text {n / c:,.0f} docs/s; on a 500-character sample (cleaner) "
          f"{n / d:,.0f} docs/s; {c / d:.1f}x")


if __name__ == "__main__":
    main()
