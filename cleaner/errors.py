"""Errors a user can hit. Each says what went wrong, where, and the way out."""
from __future__ import annotations


class CleanerError(Exception):
    """Base class: the CLI turns these into a message and an exit code."""

    exit_code = 1


class UsageError(CleanerError):
    """The command line or config asks for something that cannot be done."""

    exit_code = 2


class BadInput(CleanerError):
    """An input document cannot be read (raised only with --strict)."""


class VersionExists(CleanerError):
    """The dataset version folder already exists and --force was not given."""

    def __init__(self, path):
        super().__init__(f"{path} already exists: versions are immutable. "
                         f"Pick a new --version (or --bump), or pass --force to replace it.")


class RulePackError(CleanerError):
    """A rule pack is malformed, or one of its rules fails its own examples."""


class NotExplained(CleanerError):
    """`cleaner explain OUT/NAME`: no such version, or which document to explain is not said (or said twice)."""


class HubError(CleanerError):
    """A push to or load from a dataset hub cannot be done: no token, a refused request, an unreachable hub."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) stopped a run: still a KeyboardInterrupt, with what finished and the way out."""

    exit_code = 130

    def __init__(self, finished: int, shards: int):
        super().__init__(f"interrupted: {finished} of {shards} shards finished; "
                         f"run the same command again to resume")
        self.finished, self.shards = finished, shards


def _counts(counter) -> str:
    return ", ".join(f"{n} {what}" for what, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


class NoInput(CleanerError):
    """No file among the inputs is one cleaner reads: no version is written."""

    def __init__(self, inputs, skipped):
        where = ", ".join(inputs)
        why = f" (skipped: {_counts(skipped)})" if skipped else ""
        super().__init__(f"no input files found in {where}{why}: cleaner reads .txt, .jsonl and .parquet files "
                         f"(optionally .gz or .zst); no version was written")


class NothingKept(CleanerError):
    """Every document read was rejected: no version is written (it would hold no data)."""

    def __init__(self, stats):
        why = f" ({', '.join(f'{k} {v}' for k, v in sorted(stats.rejected.items()))})" if stats.rejected else ""
        super().__init__(f"no document was kept: {stats.read} read, {stats.rejected_total} rejected{why}; "
                         f"no version was written (see the warnings above, or run `cleaner explain` on an input)")
