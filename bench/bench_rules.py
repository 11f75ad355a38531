"""Rule-pack search: every rule on every line (before issue 13) against the RE2-set prefilter, one script.

    python bench/bench_rules.py [--repeat 3]

Runs `cleaner.passes.rules.decide` over the labelled samples (../shared/samples/raw,
../shared/samples2/raw and tests/fixtures/*/raw) with the built-in pack, as the pipeline does (the pack
without the headline-shaped rules, then those alone), alternately with the prefilter and with every rule
tried (`Prefilter.candidates` answering None), best of `--repeat`. Prints documents per second of each, the
ratio, and whether every decision is the same. Run by hand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.document import from_text  # noqa: E402
from cleaner.passes import rules as rules_pass  # noqa: E402
from cleaner.passes.title import HEADLINE_SHAPED_RULES  # noqa: E402
from cleaner.rulepack import load_pack  # noqa: E402


class Plain(rules_pass.Prefilter):
    def __init__(self, rules):  # no set compiled: every rule is tried
        pass

    def candidates(self, text):
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folders = [ROOT.parent / "shared" / "samples" / "raw", ROOT.parent / "shared" / "samples2" / "raw",
               *sorted((ROOT / "tests" / "fixtures").glob("*/raw"))]
    docs = [from_text(str(k), "s", p.read_text(encoding="utf-8"))
            for k, p in enumerate(sorted(f for d in folders for f in d.glob("*.txt")))]
    rules = load_pack("vi-news").rules
    subsets = [tuple(r for r in rules if r.id not in HEADLINE_SHAPED_RULES),
               tuple(r for r in rules if r.id in HEADLINE_SHAPED_RULES)]
    filtered, plain = rules_pass.prefilter, lambda r: Plain(r)
    best, out = {"plain": float("inf"), "prefilter": float("inf")}, {}
    for _ in range(args.repeat):
        for name, make in (("plain", plain), ("prefilter", filtered)):
            rules_pass.prefilter = make
            t0 = time.perf_counter()
            out[name] = [rules_pass.decide(d, s) for d in docs for s in subsets]
            best[name] = min(best[name], time.perf_counter() - t0)
    rules_pass.prefilter = filtered
    lines = sum(len(d.lines) for d in docs)
    print(f"{len(docs)} documents, {lines:,} lines, {len(rules)} rules, best of {args.repeat}")
    print(f"every rule on every line: {len(docs) / best['plain']:,.0f} docs/s")
    print(f"RE2-set prefilter:        {len(docs) / best['prefilter']:,.0f} docs/s")
    print(f"ratio prefilter/plain: {best['plain'] / best['prefilter']:.2f}x; "
          f"identical decisions: {out['plain'] == out['prefilter']}")


if __name__ == "__main__":
    main()
