"""The command line: a thin layer over the library; library errors become messages and exit codes here.

Exit codes: 0 done; 1 failed (a bad input under --strict, an existing version, a broken rule pack);
2 usage error.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import api
from .config import resolve
from .errors import CleanerError, UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cleaner", description="Clean scraped news text and publish versioned Parquet datasets.")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("clean", help="clean inputs into OUT/NAME/vX.Y.Z")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="folders of .txt files, .jsonl or .parquet files (.gz/.zst too)")
    c.add_argument("--out", help="output folder (default: output)")
    c.add_argument("--name", help="dataset name (default: dataset)")
    c.add_argument("--version", help="dataset version X.Y.Z (default: 1.0.0)")
    c.add_argument("--config", help="a TOML config file; its [clean] table sets defaults that flags override")
    c.add_argument("--lang", help="keep only documents in this language (e.g. vi); others go to the rejects table")
    c.add_argument("--license", help="license id for the dataset card (default: unknown)")
    c.add_argument("--rules", action="append", dest="rule_packs", metavar="PACK",
                   help="rule pack: a built-in name or a TOML path (repeatable; default: vi-news)")
    c.add_argument("--force", action="store_true", default=None, help="replace an existing version")
    c.add_argument("--strict", action="store_true", default=None, help="stop at the first bad input")
    c.add_argument("--no-progress", dest="progress", action="store_false", default=None, help="no progress bar")

    e = sub.add_parser("explain", help="print every raw line with its fate: kept, or the rule that removed it")
    e.add_argument("inputs", nargs="+", metavar="FILE")
    e.add_argument("--rules", action="append", dest="rule_packs", metavar="PACK")
    e.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return p


def _clean(args) -> int:
    config = resolve(args.config, inputs=args.inputs, out=args.out, name=args.name, version=args.version,
                     lang=args.lang, license=args.license, rule_packs=args.rule_packs, force=args.force,
                     strict=args.strict, progress=args.progress)
    path, stats = api.clean(config)
    print(stats.summary(), file=sys.stderr)
    print(path)
    return EXIT_OK


def _explain(args) -> int:
    config = resolve(None, inputs=args.inputs, rule_packs=args.rule_packs, progress=False)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    red, green, dim, reset = ("\033[31m", "\033[32m", "\033[2m", "\033[0m") if color else ("", "", "", "")
    for item in api.explain(list(args.inputs), config):
        if isinstance(item, tuple):
            source, lines = item
            print(f"== {source}")
            for no, text, rule in lines:
                if not text.strip():
                    print(f"{dim}{no:>5}  {'blank':<24}{reset}")
                elif rule is None:
                    print(f"{no:>5}  {green}{'keep':<24}{reset}{text}")
                else:
                    print(f"{no:>5}  {red}{rule:<24}{reset}{dim}{text}{reset}")
        else:
            print(f"== {item.source}: rejected ({item.reason}): {item.detail}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"clean": _clean, "explain": _explain}[args.command](args)
    except UsageError as e:
        print(f"cleaner: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except CleanerError as e:
        print(f"cleaner: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("cleaner: interrupted; no version was written", file=sys.stderr)
        return 130
