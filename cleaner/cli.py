"""The command line: a thin layer over the library; library errors become messages and exit codes here.

Exit codes: 0 done; 1 failed (a bad input under --strict, an existing version, a broken rule pack,
a full disk, no input file found, no document kept); 3 done, but inputs were rejected and --fail-on-rejects
was given; 2 usage error; 130 interrupted (Ctrl-C): the rerun resumes.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import api
from .config import resolve
from .errors import CleanerError, Interrupted, UsageError
from .readers.base import INPUT_REASONS
from .termtext import terminal_safe

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_REJECTS = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cleaner", description="Clean scraped news text and publish versioned Parquet datasets.")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("clean", help="clean inputs into OUT/NAME/vX.Y.Z")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="folders of .txt files, .jsonl or .parquet files (.gz/.zst too)")
    c.add_argument("--out", help="output folder (default: output)")
    c.add_argument("--name", help="dataset name (default: dataset)")
    c.add_argument("--version", help="dataset version X.Y.Z (default: 1.0.0)")
    c.add_argument("--bump", choices=("patch", "minor", "major"),
                   help="instead of --version: the next version after the latest one under OUT/NAME")
    c.add_argument("--config", help="a TOML config file; its [clean] table sets defaults that flags override")
    c.add_argument("--lang", help="keep only documents in this language (e.g. vi); others go to the rejects table")
    c.add_argument("--license", help="license id for the dataset card (default: unknown)")
    c.add_argument("--rules", action="append", dest="rule_packs", metavar="PACK",
                   help="a rule pack added to the default vi-news pack: a built-in name or a TOML path (repeatable)")
    c.add_argument("--no-default-rules", dest="default_rules", action="store_false", default=None,
                   help="do not load the built-in vi-news pack (only the --rules packs)")
    c.add_argument("--model", metavar="MODEL",
                   help="the line model: a built-in name (vi-news, the default), a file from `cleaner train`, or none")
    c.add_argument("--force", action="store_true", default=None, help="replace an existing version")
    c.add_argument("--strict", action="store_true", default=None, help="stop at the first bad input")
    c.add_argument("--fail-on-rejects", action="store_true",
                   help=f"write the version, but exit {EXIT_REJECTS} if any input was rejected as unreadable or malformed")
    c.add_argument("--follow-symlinks", action="store_true", default=None,
                   help="follow symlinks that lead out of an input folder (default: reject them as outside_input)")
    c.add_argument("--no-progress", dest="progress", action="store_false", default=None, help="no progress bar")
    c.add_argument("--workers", type=int, help="processes for the per-shard stages (default: all cores)")
    c.add_argument("--engine", choices=("local", "ray"), help="local processes (default) or Ray tasks")
    c.add_argument("--ray-address", help="with --engine ray: a running cluster (default: start a local Ray)")

    v = sub.add_parser("versions", help="list the versions of a dataset with their counts")
    v.add_argument("dataset", metavar="OUT/NAME")

    d = sub.add_parser("diff", help="what changed between two versions of a dataset")
    d.add_argument("dataset", metavar="OUT/NAME")
    d.add_argument("old", metavar="OLD", help="version X.Y.Z")
    d.add_argument("new", metavar="NEW", help="version X.Y.Z")
    d.add_argument("--limit", type=int, default=50, help="document ids listed per kind of change (default 50)")

    e = sub.add_parser("explain", help="print every raw line with its fate: kept, or the rule that removed it")
    e.add_argument("inputs", nargs="+", metavar="FILE")
    e.add_argument("--rules", action="append", dest="rule_packs", metavar="PACK",
                   help="a rule pack added to the default vi-news pack, as for clean (repeatable)")
    e.add_argument("--no-default-rules", dest="default_rules", action="store_false", default=None,
                   help="do not load the built-in vi-news pack")
    e.add_argument("--model", metavar="MODEL", help="the line model, as for clean")
    e.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    t = sub.add_parser("train", help="fit the line model on labelled articles and write a model file",
                       description="Fit the line model on folders in the layout of ../shared/samples (raw/*.txt, "
                                   "labels/*.tsv, optional provenance.tsv) and write it as a JSON model file, "
                                   "for `cleaner clean --model FILE`.",
                       epilog="example: cleaner train ../shared/samples ../shared/samples2 my-labels --out my.json")
    t.add_argument("folders", nargs="+", metavar="LABELS_DIR", help="folders of labelled articles")
    t.add_argument("--out", required=True, metavar="MODEL", help="the model file to write (JSON)")
    t.add_argument("--extra", action="append", default=[], metavar="DIR",
                   help="labelled folders whose rows count less (reconstructions, weaker labels); repeatable")
    t.add_argument("--extra-weight", type=float, help="the weight of --extra rows (default 0.5)")

    u = sub.add_parser("push", help="publish a version to a dataset hub repo, tagged vX.Y.Z")
    u.add_argument("dataset", metavar="DATASET", help="the dataset folder that holds the versions (OUT/NAME)")
    u.add_argument("--repo", required=True, metavar="ORG/NAME", help="the hub dataset repo (created if needed)")
    u.add_argument("--version", help="the version X.Y.Z to push (default: the latest)")
    u.add_argument("--private", action="store_true", help="create the repo private (needs a token)")
    u.add_argument("--dry-run", action="store_true", help="list what would be sent; change nothing on the hub")
    return p


def say(text: str, file=None, end: str = "\n") -> None:
    """Print text that may hold data (file names, scraped lines, manifest fields), its control characters escaped."""
    print(terminal_safe(text), file=file or sys.stdout, end=end)


def _clean(args) -> int:
    if args.bump and args.version:
        raise UsageError("give --version or --bump, not both")
    config = resolve(args.config, inputs=args.inputs, out=args.out, name=args.name, version=args.version,
                     lang=args.lang, license=args.license, rule_packs=args.rule_packs, force=args.force,
                     default_rules=args.default_rules,
                     strict=args.strict, progress=args.progress, workers=args.workers, engine=args.engine,
                     ray_address=args.ray_address, model=args.model, follow_symlinks=args.follow_symlinks)
    if args.bump:
        from dataclasses import replace
        from pathlib import Path

        from .publish.versions import bump
        config = replace(config, version=bump(Path(config.out) / config.name, args.bump))
    path, stats = api.clean(config)
    say(stats.summary(), file=sys.stderr)
    say(str(path))
    bad = sum(n for reason, n in stats.rejected.items() if reason in INPUT_REASONS)
    if args.fail_on_rejects and bad:
        print(f"cleaner: {bad} bad inputs were rejected (see the rejects table); exit {EXIT_REJECTS} "
              f"because of --fail-on-rejects", file=sys.stderr)
        return EXIT_REJECTS
    return EXIT_OK


def _versions(args) -> int:
    rows = api.versions(args.dataset)
    if not rows:
        raise UsageError(f"{args.dataset}: no dataset versions here")
    say(f"{'version':<10} {'parent':<10} {'created':<21} {'read':>8} {'kept':>8} {'rejected':>8} {'lines removed':>13}")
    for r in rows:
        say(f"{r['version']:<10} {r['parent'] or '-':<10} {r['created'] or '-':<21} {r['read']:>8} {r['kept']:>8} "
              f"{r['rejected']:>8} {r['lines_removed']:>13}")
    return EXIT_OK


def _diff(args) -> int:
    from .publish.versions import render
    say(render(api.diff(args.dataset, args.old, args.new), limit=args.limit), end="")
    return EXIT_OK


def _explain(args) -> int:
    config = resolve(None, inputs=args.inputs, rule_packs=args.rule_packs, progress=False, model=args.model,
                     default_rules=args.default_rules)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    red, green, dim, reset = ("\033[31m", "\033[32m", "\033[2m", "\033[0m") if color else ("", "", "", "")
    for item in api.explain(list(args.inputs), config):
        if isinstance(item, tuple):  # the data is escaped first; only our own colour codes reach the terminal
            source, lines = item
            say(f"== {terminal_safe(source, keep='')}")
            for no, raw, rule, why in lines:
                text = terminal_safe(raw, keep="\t")
                if not raw.strip():
                    print(f"{dim}{no:>5}  {'blank':<24}{reset}")
                    continue
                if rule is None:
                    print(f"{no:>5}  {green}{'keep':<24}{reset}{text}")
                else:
                    print(f"{no:>5}  {red}{terminal_safe(rule, keep=''):<24}{reset}{dim}{text}{reset}")
                if why is not None:
                    p, top = why
                    print(f"{dim}       model p={p:.2f}: " + ", ".join(f"{f} {v:+.2f}" for f, v in top) + reset)
        else:
            say(f"== {terminal_safe(item.source, keep='')}: rejected ({item.reason}): {item.detail}")
    return EXIT_OK


def _train(args) -> int:
    data = api.train(args.folders, args.out, extra=args.extra, extra_weight=args.extra_weight)
    info = data["info"]
    print(f"trained on {info['articles']} articles of {info['outlets']} outlets ({info['rows']} lines, "
          f"{info['removed_rows']} boilerplate); wrote {args.out}", file=sys.stderr)
    print(args.out)
    return EXIT_OK


def _push(args) -> int:
    result = api.push(args.dataset, args.repo, version=args.version, private=args.private, dry_run=args.dry_run)
    plan = result.plan
    if plan.already or args.dry_run:
        say("\n".join(plan.describe()))
        if args.dry_run and not plan.already:
            say("dry run: nothing was sent")
        return EXIT_OK
    say(f"pushed {plan.tag} to {plan.repo_id}: {len(plan.add)} file(s) uploaded, {len(plan.unchanged)} unchanged, "
          f"{len(plan.delete)} deleted; commit {result.commit}", file=sys.stderr)
    say(result.url or result.commit)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"clean": _clean, "versions": _versions, "diff": _diff, "explain": _explain, "push": _push,
                "train": _train}[args.command](args)
    except UsageError as e:
        say(f"cleaner: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except CleanerError as e:
        say(f"cleaner: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt as e:  # Ctrl-C: a run says how far it got (errors.Interrupted)
        print(f"cleaner: {e}" if isinstance(e, Interrupted) else "cleaner: interrupted; no version was written",
              file=sys.stderr)
        return EXIT_INTERRUPTED
