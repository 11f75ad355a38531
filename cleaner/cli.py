"""The command line: a thin layer over the library; library errors become messages and exit codes here.

Exit codes: 0 done; 1 failed (a bad input under --strict, an existing version, a broken rule pack,
a full disk, no input file found, no document kept); 3 done, but inputs were rejected and --fail-on-rejects
was given; 2 usage error; 130 interrupted (Ctrl-C): the rerun resumes.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys

from . import api
from .config import resolve
from .errors import CleanerError, Interrupted, UsageError
from .readers.base import INPUT_REASONS
from .termtext import terminal_safe

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_REJECTS = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class Parser(argparse.ArgumentParser):
    """argparse with no prefix abbreviations, examples kept as written, and a "did you mean" for a mistyped flag."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        m = re.search(r"unrecognized arguments: (.*)", message)
        if m:
            hints = []
            for word in m.group(1).split():
                if word.startswith("-"):
                    flag = word.split("=", 1)[0]
                    near = difflib.get_close_matches(flag, self._all_flags(), n=1, cutoff=0.75)
                    if near:
                        hints.append(f"{flag}: did you mean {near[0]}?")
            if hints:
                message += " (" + "; ".join(hints) + ")"
        from .termtext import colour_enabled, labelled
        self.print_usage(sys.stderr)
        print(labelled(f"{self.prog}: error: {message}", colour_enabled(sys.stderr)), file=sys.stderr)
        sys.exit(EXIT_USAGE)

    def _all_flags(self) -> list[str]:
        """The flags of this parser and of the subcommand given (the top parser reports a subcommand's unknown
        flag), or of every subcommand when none can be told."""
        flags = [o for a in self._actions for o in a.option_strings]
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = [n for n in action.choices if n in sys.argv[1:2]] or list(action.choices)
                for name in chosen:
                    flags += [o for a in action.choices[name]._actions for o in a.option_strings]
        return flags


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _rule_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", action="append", dest="rule_packs", metavar="PACK",
                   help="a rule pack added to the default vi-news pack: a built-in name or a TOML path (repeatable)")
    p.add_argument("--no-default-rules", dest="default_rules", action="store_false", default=None,
                   help="do not load the built-in vi-news pack (only the --rules packs)")
    p.add_argument("--model", metavar="MODEL",
                   help="the line model: a built-in name (vi-news, the default), a file from `cleaner train`, or none")


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    p = Parser(prog="cleaner", description="Clean scraped news text and publish versioned Parquet datasets.",
               epilog=_examples("cleaner clean corpus/ --out output --name vi-news --version 1.0.0",
                                "cleaner explain corpus/a.txt", "cleaner rules", "cleaner versions output/vi-news"))
    p.add_argument("--version", action="version", version=f"cleaner {__version__}", help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)

    c = sub.add_parser("clean", help="clean inputs into OUT/NAME/vX.Y.Z", description="Clean inputs into a new "
                       "dataset version OUT/NAME/vX.Y.Z (documents, rejects, the removal audit, card, manifest).",
                       epilog=_examples("cleaner clean corpus/ --out output --name vi-news --version 1.0.0",
                                        "cleaner clean corpus/ --name vi-news --bump minor --rules my-site.toml",
                                        "cleaner clean corpus/ --config clean.toml --json",
                                        "cat a.txt | cleaner clean - --name one",
                                        "cat docs.jsonl | cleaner clean - --format jsonl --name docs"))
    c.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="folders of .txt files, .jsonl or .parquet files (.gz/.zst too); - reads standard input "
                        "(default: the config file's inputs)")
    c.add_argument("--out", help="output folder (default: output)")
    c.add_argument("--name", help="dataset name (default: dataset)")
    c.add_argument("--version", help="dataset version X.Y.Z (default: 1.0.0)")
    c.add_argument("--bump", choices=("patch", "minor", "major"),
                   help="instead of --version: the next version after the latest one under OUT/NAME")
    c.add_argument("--config", help="a TOML config file; its [clean] table sets defaults that flags override")
    c.add_argument("--lang", help="keep only documents in this language, an ISO 639-1 code (e.g. vi); "
                                  "others go to the rejects table")
    c.add_argument("--license", help="license id for the dataset card, one the Hub knows (e.g. cc-by-4.0; "
                                     "default: unknown)")
    _rule_args(c)
    c.add_argument("--format", choices=("text", "jsonl"), default="text",
                   help="with INPUT -: standard input is one text document (default) or JSONL")
    c.add_argument("--json", action="store_true", help="print the summary as JSON on standard output")
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

    v = sub.add_parser("versions", help="list the versions of a dataset with their counts",
                       epilog=_examples("cleaner versions output/vi-news", "cleaner versions output/vi-news --json"))
    v.add_argument("dataset", metavar="OUT/NAME", help="the dataset folder that holds the versions")
    v.add_argument("--json", action="store_true", help="print the versions as a JSON list")

    d = sub.add_parser("diff", help="what changed between two versions of a dataset",
                       epilog=_examples("cleaner diff output/vi-news 1.0.0 1.1.0",
                                        "cleaner diff output/vi-news 1.0.0 1.1.0 --limit 10 --json"))
    d.add_argument("dataset", metavar="OUT/NAME", help="the dataset folder that holds the versions")
    d.add_argument("old", metavar="OLD", help="version X.Y.Z")
    d.add_argument("new", metavar="NEW", help="version X.Y.Z")
    d.add_argument("--limit", type=int, default=50, help="documents listed per kind of change (default 50)")
    d.add_argument("--json", action="store_true", help="print the diff as JSON (every document, no limit)")

    e = sub.add_parser("explain", help="print every raw line with its fate: kept, or the rule that removed it",
                       description="Explain input files as cleaning them now would, or (OUT/NAME with --id or "
                                   "--source) one document as a dataset version holds it: kept or rejected and why, "
                                   "every line with its rule, its description and its pack, site boilerplate "
                                   "and duplicates included.",
                       epilog=_examples("cleaner explain corpus/a.txt", "cleaner explain docs.jsonl --model none",
                                        "cleaner explain a.txt --rules my-site.toml --color always | less -R",
                                        "cleaner explain output/vi-news --source a.txt",
                                        "cleaner explain output/vi-news --version 1.0.0 --id 7c610d985df96e1a"))
    e.add_argument("inputs", nargs="+", metavar="FILE",
                   help="input files or folders, as for clean; or one dataset folder OUT/NAME with --id or --source")
    e.add_argument("--id", help="with OUT/NAME: the document (or reject) with this id")
    e.add_argument("--source", metavar="SRC", help="with OUT/NAME: the document whose source is SRC, as the "
                                                   "version's `source` column has it (a.txt, x.jsonl:3)")
    e.add_argument("--version", help="with OUT/NAME: the version X.Y.Z (default: the latest)")
    _rule_args(e)
    e.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the fates (auto: on a terminal, unless NO_COLOR is set)")

    r = sub.add_parser("rules", help="list every rule id: its description, examples and where it comes from",
                       description="Every rule id a run can write, from the rule packs (their name), the code "
                                   "steps (step) and the line model's families (model); and the packs' keep patterns.",
                       epilog=_examples("cleaner rules", "cleaner rules --rules my-site.toml --json"))
    _rule_args(r)
    r.add_argument("--json", action="store_true", help="print the rules as a JSON list")

    t = sub.add_parser("train", help="fit the line model on labelled articles and write a model file",
                       description="Fit the line model on folders in the layout of ../shared/samples (raw/*.txt, "
                                   "labels/*.tsv, optional provenance.tsv) and write it as a JSON model file, "
                                   "for `cleaner clean --model FILE`.",
                       epilog=_examples("cleaner train ../shared/samples ../shared/samples2 my-labels --out my.json",
                                        "cleaner train my-labels --extra rebuilt --extra-weight 0.3 --out my.json"))
    t.add_argument("folders", nargs="+", metavar="LABELS_DIR", help="folders of labelled articles")
    t.add_argument("--out", required=True, metavar="MODEL", help="the model file to write (JSON)")
    t.add_argument("--extra", action="append", default=[], metavar="DIR",
                   help="labelled folders whose rows count less (reconstructions, weaker labels); repeatable")
    t.add_argument("--extra-weight", type=float, help="the weight of --extra rows (default 0.5)")

    r = sub.add_parser("review", help="a local web page to read every decision of a version and correct it",
                       description="Serve a local page (http://127.0.0.1:PORT/) listing a version's documents, "
                                   "each shown line by line with the rule that removed it; a click marks a line "
                                   "keep or remove as FAMILY, stored in OUT/NAME/review/marks.jsonl. With "
                                   "--export, write the marked documents as labelled articles instead "
                                   "(raw/*.txt, labels/*.tsv, provenance.tsv) for `cleaner train`.",
                       epilog=_examples("cleaner review output/vi-news --port 8765",
                                        "cleaner review output/vi-news --export my-labels",
                                        "cleaner train ../shared/samples my-labels --out my.json"))
    r.add_argument("dataset", metavar="OUT/NAME", help="the dataset folder that holds the versions")
    r.add_argument("--version", help="the version X.Y.Z to review (default: the latest)")
    r.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; another warns)")
    r.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    r.add_argument("--inputs", nargs="+", metavar="INPUT",
                   help="where the raw inputs are now (default: the manifest's inputs), for blank lines and "
                        "the model's probabilities")
    r.add_argument("--export", metavar="DIR", help="write the marked documents as labelled articles to DIR; no server")
    r.add_argument("--all", action="store_true", help="with --export: every kept document, marked or not")

    u = sub.add_parser("push", help="publish a version to a dataset hub repo, tagged vX.Y.Z",
                       epilog=_examples("cleaner push output/vi-news --repo my-org/vi-news --dry-run",
                                        "cleaner push output/vi-news --repo my-org/vi-news --version 1.0.0"))
    u.add_argument("dataset", metavar="DATASET", help="the dataset folder that holds the versions (OUT/NAME)")
    u.add_argument("--repo", required=True, metavar="ORG/NAME", help="the hub dataset repo (created if needed)")
    u.add_argument("--version", help="the version X.Y.Z to push (default: the latest)")
    u.add_argument("--private", action="store_true", help="create the repo private (needs a token)")
    u.add_argument("--dry-run", action="store_true", help="list what would be sent; change nothing on the hub")
    u.add_argument("--json", action="store_true", help="print the plan (with --dry-run) or the result as JSON")
    return p


def _error(message: str) -> None:
    """`cleaner: error: ...` on standard error, the label in colour on a terminal only."""
    from .termtext import colour_enabled, labelled
    print(labelled(f"cleaner: error: {terminal_safe(message)}", colour_enabled(sys.stderr)), file=sys.stderr)


def say(text: str, file=None, end: str = "\n") -> None:
    """Print text that may hold data (file names, scraped lines, manifest fields), its control characters escaped."""
    print(terminal_safe(text), file=file or sys.stdout, end=end)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _stdin_input(fmt: str):
    """Standard input saved to a file in a fresh temporary folder, read as `stdin.txt` or `stdin.jsonl`."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="cleaner-stdin-"))
    path = folder / ("stdin.jsonl" if fmt == "jsonl" else "stdin.txt")
    with open(path, "wb") as f:
        for chunk in iter(lambda: sys.stdin.buffer.read(1 << 20), b""):
            f.write(chunk)
    return folder, path


def _clean(args) -> int:
    if args.bump and args.version:
        raise UsageError("give --version or --bump, not both")
    if _OWN_PROCESS:  # the process does the run and nothing else
        from .engine import keep_pandas_out

        keep_pandas_out()
    inputs, stdin_folder = list(args.inputs), None
    if "-" in inputs:
        if inputs.count("-") > 1:
            raise UsageError("give - (standard input) once")
        stdin_folder, path = _stdin_input(args.format)
        inputs[inputs.index("-")] = str(path)
    try:
        return _clean_inputs(args, inputs)
    finally:
        if stdin_folder is not None:
            import shutil
            shutil.rmtree(stdin_folder, ignore_errors=True)


def _clean_inputs(args, inputs: list[str]) -> int:
    config = resolve(args.config, inputs=inputs or None, out=args.out, name=args.name,
                     version=args.version, lang=args.lang, license=args.license, rule_packs=args.rule_packs,
                     force=args.force, default_rules=args.default_rules,
                     strict=args.strict, progress=args.progress, workers=args.workers, engine=args.engine,
                     ray_address=args.ray_address, model=args.model, follow_symlinks=args.follow_symlinks)
    if not config.inputs:
        raise UsageError("no INPUT given: name folders or files to clean (or - for standard input), or set "
                         "inputs in the --config file")
    if args.bump:
        from dataclasses import replace
        from pathlib import Path

        from .publish.versions import bump
        config = replace(config, version=bump(Path(config.out) / config.name, args.bump))
    path, stats = api.clean(config)
    say(stats.summary(), file=sys.stderr)
    if args.json:
        _print_json({"version_dir": str(path), "read": stats.read, "kept": stats.kept,
                     "rejected": dict(sorted(stats.rejected.items())), "lines_removed": dict(stats.removed.most_common()),
                     "seconds": round(stats.seconds, 3), "stats": stats.to_dict()})
    else:
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
    if args.json:
        _print_json(rows)
        return EXIT_OK
    say(f"{'version':<10} {'parent':<10} {'created':<21} {'read':>8} {'kept':>8} {'rejected':>8} {'lines removed':>13}")
    for r in rows:
        say(f"{r['version']:<10} {r['parent'] or '-':<10} {r['created'] or '-':<21} {r['read']:>8} {r['kept']:>8} "
              f"{r['rejected']:>8} {r['lines_removed']:>13}")
    return EXIT_OK


def _diff(args) -> int:
    from dataclasses import asdict

    from .publish.versions import render
    d = api.diff(args.dataset, args.old, args.new)
    if args.json:
        _print_json(asdict(d))
        return EXIT_OK
    say(render(d, limit=args.limit), end="")
    return EXIT_OK


def _rules(args) -> int:
    config = resolve(None, rule_packs=args.rule_packs, model=args.model, default_rules=args.default_rules,
                     progress=False)
    table = api.rules(config)
    if args.json:
        _print_json(table)
        return EXIT_OK
    for r in table:
        kind = "keep" if r.get("keep") else ("disabled" if r["disabled"] else "")
        say(f"{r['id']:<28} {r['origin']:<10} {kind:<8} {r['description']}".rstrip())
        for example in r["examples"][:3]:
            say(f"{'':<48} e.g. {example!r}")
    return EXIT_OK


def _colours(choice: str) -> tuple[str, str, str, str]:
    """Red, green, dim and reset codes: with `always`, or `auto` on a terminal without NO_COLOR; else empty."""
    on = choice == "always" or (choice == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    return ("\033[31m", "\033[32m", "\033[2m", "\033[0m") if on else ("", "", "", "")


def _fate(no: int, raw: str, rule: str | None, blank: bool, notes: list[str], colours) -> None:
    """One line and its fate, then notes under it (dim). The data is escaped first; only our own colour
    codes reach the terminal."""
    red, green, dim, reset = colours
    text = terminal_safe(raw, keep="\t")
    if blank:
        print(f"{dim}{no:>5}  {'blank':<24}{reset}")
    elif rule is None:
        print(f"{no:>5}  {green}{'keep':<24}{reset}{text}")
    else:
        print(f"{no:>5}  {red}{terminal_safe(rule, keep=''):<24}{reset}{dim}{text}{reset}")
    for note in notes:
        print(f"{dim}       {terminal_safe(note, keep='')}{reset}")


def _model_note(why) -> list[str]:
    if why is None:
        return []
    p, top = why
    return [f"model p={p:.2f}: " + ", ".join(f"{f} {v:+.2f}" for f, v in top)]


def _explain(args) -> int:
    from .publish.version import list_versions

    asked = [a for a in ("id", "source", "version") if getattr(args, a) is not None]
    if asked or (len(args.inputs) == 1 and list_versions(args.inputs[0])):
        return _explain_version(args)
    config = resolve(None, inputs=args.inputs, rule_packs=args.rule_packs, progress=False, model=args.model,
                     default_rules=args.default_rules)
    colours = _colours(args.color)
    for item in api.explain(list(args.inputs), config):
        if isinstance(item, tuple):
            source, lines = item
            say(f"== {terminal_safe(source, keep='')}")
            for no, raw, rule, why in lines:
                _fate(no, raw, rule, not raw.strip(), _model_note(why), colours)
        else:
            say(f"== {terminal_safe(item.source, keep='')}: rejected ({item.reason}): {item.detail}")
    return EXIT_OK


def _explain_version(args) -> int:
    """`cleaner explain OUT/NAME --id ID | --source SRC`: one document as the version holds it."""
    from .catalog import describe
    from .errors import NotExplained

    if len(args.inputs) != 1:
        raise NotExplained(f"give one dataset folder OUT/NAME with --id or --source, not {len(args.inputs)} inputs")
    if args.rule_packs or args.model or args.default_rules is not None:
        raise NotExplained("--rules, --no-default-rules and --model go with FILE inputs: a dataset version is "
                           "explained by its own decisions")
    x = api.explain_version(args.inputs[0], version=args.version, id=args.id, source=args.source)
    row, e = x.row, x.entry
    fate = "kept"
    if e.rejected:
        fate = f"rejected ({row['reason']}): {row['detail']}"
        if row.get("duplicate_of"):
            fate += f"; duplicate_of {row['duplicate_of']}"
    say(f"== {terminal_safe(e.source, keep='')}  id {terminal_safe(row.get('id') or '-', keep='')}  "
        f"{x.folder}: {fate}")
    if not x.lines:
        say("   (no lines: the dataset holds none of its text, and its raw input was not found)")
    elif not x.exact:
        say("   (its raw input was not found where the manifest says: blank lines are not shown and line "
            "numbers may be approximate)")
    colours = _colours(args.color)
    for line in x.lines:  # the raw line where the input was found, as the per-file form prints it
        notes = ([describe(x.rules[line.rule])] if line.rule else []) + _model_note(x.why.get(line.no))
        _fate(line.no, line.text if line.raw is None else line.raw, line.rule, line.blank, notes, colours)
    return EXIT_OK


def _train(args) -> int:
    data = api.train(args.folders, args.out, extra=args.extra, extra_weight=args.extra_weight)
    info = data["info"]
    print(f"trained on {info['articles']} articles of {info['outlets']} outlets ({info['rows']} lines, "
          f"{info['removed_rows']} boilerplate); wrote {args.out}", file=sys.stderr)
    print(args.out)
    return EXIT_OK


def _review(args) -> int:
    if args.all and not args.export:
        raise UsageError("--all goes with --export DIR")
    version = api.review(args.dataset, version=args.version, inputs=args.inputs)
    if args.export:
        from .review.export import export
        done = export(version, args.export, all=args.all, warn=lambda m: say(m, file=sys.stderr))
        say(f"exported {done['documents']} document(s) to {done['folder']}", file=sys.stderr)
        say(done["folder"])
        return EXIT_OK
    from .review.server import serve
    try:
        server = serve(version, args.host, args.port)
    except OSError as e:
        raise UsageError(f"cannot listen on {args.host}:{args.port} ({e.strerror}); choose another --port, "
                         f"or --port 0 for a free one") from None
    host, port = server.server_address[:2]
    say(f"reviewing {version.folder} ({len(version.entries)} documents; marks in {version.marks.path})", file=sys.stderr)
    say(f"http://{host if ':' not in host else '[' + host + ']'}:{port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def _push(args) -> int:
    result = api.push(args.dataset, args.repo, version=args.version, private=args.private, dry_run=args.dry_run)
    plan = result.plan
    if args.json:
        _print_json({"repo": plan.repo_id, "version": plan.version, "tag": plan.tag, "dry_run": args.dry_run,
                     "create_repo": plan.create_repo, "private": plan.private, "already": plan.already,
                     "upload": [{"path": f.path, "size": f.size} for f in plan.add],
                     "unchanged": [{"path": f.path, "size": f.size} for f in plan.unchanged],
                     "delete": list(plan.delete), "sent": result.sent, "commit": result.commit, "url": result.url})
        return EXIT_OK
    if plan.already or args.dry_run:
        say("\n".join(plan.describe()))
        if args.dry_run and not plan.already:
            say("dry run: nothing was sent")
        return EXIT_OK
    say(f"pushed {plan.tag} to {plan.repo_id}: {len(plan.add)} file(s) uploaded, {len(plan.unchanged)} unchanged, "
          f"{len(plan.delete)} deleted; commit {result.commit}", file=sys.stderr)
    say(result.url or result.commit)
    return EXIT_OK


_OWN_PROCESS = False  # `command` runs: the process is the program's, not a Python session's that called `main`


def command() -> int:
    """The `cleaner` program (the console script, `python -m cleaner`): `main` in a process of its own, in
    which `clean` keeps pandas out (`engine.keep_pandas_out`; about 0.3 s of a run). `main` called from
    Python leaves the caller's process as it was."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    return main()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"clean": _clean, "versions": _versions, "diff": _diff, "explain": _explain, "push": _push,
                "train": _train, "review": _review, "rules": _rules}[args.command](args)
    except UsageError as e:
        _error(str(e))
        return EXIT_USAGE
    except CleanerError as e:
        _error(str(e))
        return e.exit_code
    except BrokenPipeError:  # `cleaner rules | head`: the reader left; say nothing more
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt as e:  # Ctrl-C: a run says how far it got (errors.Interrupted)
        print(f"cleaner: {e}" if isinstance(e, Interrupted) else "cleaner: interrupted; no version was written",
              file=sys.stderr)
        return EXIT_INTERRUPTED
