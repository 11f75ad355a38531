#!/usr/bin/env python3
"""Line removal on the labelled samples: cleaner next to datatrove's C4QualityFilter and jusText.

    .venv/bin/python bench/compare_boilerplate.py [--samples ../shared/samples]

Needs the `bench` extra (`pip install -e '.[bench]'`); a tool that is not installed, or
cannot run offline, is reported as such and skipped. Scoring mirrors
`../shared/eval/score.py`: a line labelled anything but `keep`/`blank` must be removed;
precision and recall are over removed lines.

- cleaner: the default pipeline (`vi-news` pack), each document as one raw text.
- C4 (lines): `C4QualityFilter` line rules (terminal punctuation, >= 3 words, policy and
  javascript lines) applied to each line on its own; its document-level drop is off, so
  this is the line filter alone. C4QualityFilter keeps no record of which line it dropped,
  which is why it is run line by line here.
- C4 (default): the filter as shipped, document-level drop (< 5 sentences) included; a
  dropped document counts as every line removed. Sentence splitting uses NLTK punkt, which
  may need a download: if it cannot run offline, that is printed instead.
- jusText: each raw line as one `<p>`, with jusText's Vietnamese stoplist; a paragraph
  classed boilerplate counts as removed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

REMOVE = {"title", "caption", "byline", "date", "source", "nav", "comment", "related", "dup", "other"}
DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"

Labelled = list[tuple[str, str, list[tuple[str, str]]]]  # (file name, raw text, [(label, raw line)])
Remover = Callable[[str, list[str]], set[int]]  # (raw text, raw lines) -> removed 1-based line numbers


def read_samples(samples: Path) -> Labelled:
    out = []
    for lab in sorted((samples / "labels").glob("*.tsv")):
        rows = [r.split("\t", 1) for r in lab.read_text(encoding="utf-8").split("\n") if r != ""]
        raw = (samples / "raw" / f"{lab.stem}.txt").read_text(encoding="utf-8")
        out.append((f"{lab.stem}.txt", raw, [(label, text) for label, text in rows]))
    return out


def score(docs: Labelled, remover: Remover) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for _, raw, rows in docs:
        gone = remover(raw, [text for _, text in rows])
        for n, (label, _) in enumerate(rows, 1):
            if label == "blank":
                continue
            want, got = label in REMOVE, n in gone
            tp += want and got
            fp += got and not want
            fn += want and not got
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cleaner_remover() -> Remover:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from cleaner.config import Config
    from cleaner.document import from_text
    from cleaner.pipeline import build

    pipeline = build(Config())

    def remove(raw: str, lines: list[str]) -> set[int]:
        return {r.line for r in pipeline.clean(from_text("bench", "bench.txt", raw)).removed}
    return remove


def c4_line_remover() -> Remover:
    from datatrove.data import Document
    from datatrove.pipeline.filters.c4_filters import C4QualityFilter

    filt = C4QualityFilter(min_num_sentences=-1, filter_lorem_ipsum=False, filter_curly_bracket=False)

    def kept(line: str) -> bool:
        doc = Document(text=line, id="x")
        result = filt.filter(doc)
        return (result is True or (isinstance(result, tuple) and result[0])) and bool(doc.text.strip())

    def remove(raw: str, lines: list[str]) -> set[int]:
        return {n for n, line in enumerate(lines, 1) if line.strip() and not kept(line)}
    return remove


def c4_default_remover() -> Remover:
    from datatrove.data import Document
    from datatrove.pipeline.filters.c4_filters import C4QualityFilter

    line_level = c4_line_remover()
    filt = C4QualityFilter()

    def remove(raw: str, lines: list[str]) -> set[int]:
        result = filt.filter(Document(text=raw, id="x"))
        if result is not True and not (isinstance(result, tuple) and result[0]):
            return set(range(1, len(lines) + 1))
        return line_level(raw, lines)
    return remove


def justext_remover() -> Remover:
    import html

    import justext

    stoplist = justext.get_stoplist("Vietnamese")

    def remove(raw: str, lines: list[str]) -> set[int]:
        numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for _, line in numbered) + "</body></html>"
        paragraphs = justext.justext(page.encode("utf-8"), stoplist, encoding="utf-8")
        by_text: dict[str, list[bool]] = {}
        for p in paragraphs:
            by_text.setdefault(" ".join(p.text.split()), []).append(p.is_boilerplate)
        gone = set()
        for n, line in numbered:
            verdicts = by_text.get(" ".join(line.split()))
            if not verdicts or verdicts.pop(0):
                gone.add(n)  # a line jusText dropped, or classed boilerplate
        return gone
    return remove


TOOLS: tuple[tuple[str, Callable[[], Remover]], ...] = (
    ("cleaner (vi-news)", cleaner_remover),
    ("datatrove C4 (lines)", c4_line_remover),
    ("datatrove C4 (default)", c4_default_remover),
    ("jusText (Vietnamese)", justext_remover),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", default=str(DEFAULT_SAMPLES))
    args = ap.parse_args()
    docs = read_samples(Path(args.samples))
    print(f"{len(docs)} labelled documents, {sum(len(r) for _, _, r in docs)} raw lines\n")
    print(f"{'tool':26} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, make in TOOLS:
        try:
            p, r, f1 = score(docs, make())
        except ImportError as e:
            print(f"{name:26} not installed ({e.name or str(e)[:60]}); pip install -e '.[bench]'")
            continue
        except (LookupError, OSError) as e:  # e.g. an NLTK model that would have to be downloaded
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            print(f"{name:26} cannot run offline: {type(e).__name__}: {first[:80]}")
            continue
        print(f"{name:26} {p:9.3f} {r:7.3f} {f1:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
