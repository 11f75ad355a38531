"""Run counts: documents read, kept and rejected by reason; lines removed by rule."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


MOVED_FAMILIES = ("title",)  # lines that leave the body for a field (the headline goes to `title`): not junk
LENGTH_BINS = (256, 512, 1024, 2048, 4096, 8192, 16384)  # upper bounds, in characters


def length_bin(chars: int) -> int:
    """The index of the length bin of a document of `chars` characters."""
    for i, bound in enumerate(LENGTH_BINS):
        if chars < bound:
            return i
    return len(LENGTH_BINS)


def length_bin_labels() -> list[str]:
    names = lambda n: f"{n // 1024}k" if n >= 1024 else str(n)
    return [f"<{names(LENGTH_BINS[0])}"] + [f"{names(a)}-{names(b)}" for a, b in zip(LENGTH_BINS, LENGTH_BINS[1:])] \
        + [f">={names(LENGTH_BINS[-1])}"]


@dataclass
class Stats:
    read: int = 0
    kept: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason -> documents
    removed: Counter = field(default_factory=Counter)  # rule id -> lines removed from kept documents
    removed_rejected: Counter = field(default_factory=Counter)  # rule id -> lines removed from rejected documents
    kept_lines: int = 0
    raw_chars: int = 0
    kept_chars: int = 0
    langs: Counter = field(default_factory=Counter)
    frequent_by_source: Counter = field(default_factory=Counter)  # source group -> lines removed as site boilerplate
    cluster_sizes: Counter = field(default_factory=Counter)  # cluster size -> clusters
    coverage: Counter = field(default_factory=Counter)  # metadata field -> kept documents that have it
    stages: dict = field(default_factory=dict)  # stage -> seconds
    words: int = 0  # words in the kept text
    lengths_raw: Counter = field(default_factory=Counter)  # length bin -> kept documents, raw length
    lengths_kept: Counter = field(default_factory=Counter)  # length bin -> kept documents, cleaned length
    seconds: float = 0.0
    skipped: Counter = field(default_factory=Counter)  # files found but not read, by extension (`.json`, `dotfile`)
    ids_made_unique: int = 0  # documents whose id repeated an earlier one's (`X` -> `X#2`)

    def merge(self, other: "Stats") -> "Stats":
        """Counts of two parts of one run, added up."""
        return Stats(
            read=self.read + other.read, kept=self.kept + other.kept, rejected=self.rejected + other.rejected,
            removed=self.removed + other.removed, removed_rejected=self.removed_rejected + other.removed_rejected,
            kept_lines=self.kept_lines + other.kept_lines,
            raw_chars=self.raw_chars + other.raw_chars, kept_chars=self.kept_chars + other.kept_chars,
            langs=self.langs + other.langs, frequent_by_source=self.frequent_by_source + other.frequent_by_source,
            cluster_sizes=self.cluster_sizes + other.cluster_sizes, coverage=self.coverage + other.coverage,
            words=self.words + other.words, lengths_raw=self.lengths_raw + other.lengths_raw,
            lengths_kept=self.lengths_kept + other.lengths_kept, seconds=max(self.seconds, other.seconds),
            skipped=self.skipped + other.skipped, ids_made_unique=self.ids_made_unique + other.ids_made_unique,
        )

    @classmethod
    def from_dict(cls, d: dict) -> "Stats":
        """The inverse of `to_dict`, for counts kept beside a finished shard."""
        return cls(read=d["documents_read"], kept=d["documents_kept"], rejected=Counter(d["documents_rejected"]),
                   removed=Counter(d["lines_removed"]), removed_rejected=Counter(d.get("lines_removed_rejected", {})),
                   kept_lines=d["lines_kept"], raw_chars=d["chars_raw"],
                   kept_chars=d["chars_kept"], langs=Counter(d["languages"]),
                   frequent_by_source=Counter(d.get("frequent_lines_by_source", {})),
                   cluster_sizes=Counter({int(k): v for k, v in d.get("cluster_sizes", {}).items()}),
                   coverage=Counter(d.get("field_coverage", {})), stages=dict(d.get("stage_seconds", {})),
                   words=d.get("words_kept", 0),
                   lengths_raw=Counter({int(k): v for k, v in d.get("length_bins_raw", {}).items()}),
                   lengths_kept=Counter({int(k): v for k, v in d.get("length_bins_kept", {}).items()}),
                   seconds=d.get("seconds", 0.0), skipped=Counter(d.get("files_skipped", {})),
                   ids_made_unique=d.get("ids_made_unique", 0))

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def removed_by_family(self) -> Counter:
        """Lines removed as junk, by rule family; the lines moved to a field (`title.*`) are not junk."""
        out: Counter = Counter()
        for rule, n in self.removed.items():
            if rule.split(".", 1)[0] not in MOVED_FAMILIES:
                out[rule.split(".", 1)[0]] += n
        return out

    def moved(self) -> int:
        """Lines that left the body for a field (the headline, to `title`)."""
        return sum(n for rule, n in self.removed.items() if rule.split(".", 1)[0] in MOVED_FAMILIES)

    def to_dict(self) -> dict:
        return {
            "documents_read": self.read, "documents_kept": self.kept,
            "documents_rejected": dict(sorted(self.rejected.items())),
            "lines_kept": self.kept_lines, "lines_removed": dict(sorted(self.removed.items())),
            "lines_removed_rejected": dict(sorted(self.removed_rejected.items())),
            "chars_raw": self.raw_chars, "chars_kept": self.kept_chars,
            "languages": dict(self.langs.most_common()),
            "frequent_lines_by_source": dict(self.frequent_by_source.most_common()),
            "cluster_sizes": {str(k): v for k, v in sorted(self.cluster_sizes.items())},
            "field_coverage": dict(sorted(self.coverage.items())),
            "stage_seconds": {k: round(v, 3) for k, v in self.stages.items()},
            "words_kept": self.words,
            "length_bins_raw": {str(k): v for k, v in sorted(self.lengths_raw.items())},
            "length_bins_kept": {str(k): v for k, v in sorted(self.lengths_kept.items())},
            "seconds": round(self.seconds, 3),
            "files_skipped": dict(sorted(self.skipped.items())),
            "ids_made_unique": self.ids_made_unique,
        }

    def summary(self) -> str:
        lines = [f"documents: read {self.read}, kept {self.kept}, rejected {self.rejected_total}"
                 + (f" ({', '.join(f'{k} {v}' for k, v in sorted(self.rejected.items()))})" if self.rejected else "")]
        total = sum(self.removed.values()) - self.moved()
        in_rejected = sum(self.removed_rejected.values())
        lines.append(f"lines: kept {self.kept_lines}, removed {total}"
                     + (f" (and {in_rejected} from rejected documents, in the removals table too)" if in_rejected else ""))
        if self.moved():
            lines.append(f"  moved to title ({self.moved()} lines: the headline, not junk)")
        for fam, n in self.removed_by_family().most_common():
            rules = ", ".join(f"{r} {c}" for r, c in sorted(self.removed.items()) if r.startswith(fam + "."))
            lines.append(f"  {fam:<10} {n:>6}  ({rules})")
        if self.skipped:
            lines.append(f"files skipped (not .txt, .jsonl or .parquet): {sum(self.skipped.values())} ("
                         + ", ".join(f"{n} {k}" for k, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])))
                         + ")")
        if self.ids_made_unique:
            lines.append(f"ids made unique: {self.ids_made_unique} (a repeated id X became X#2, X#3, ...)")
        rate = self.read / self.seconds if self.seconds else 0.0
        lines.append(f"time: {self.seconds:.1f}s ({rate:.0f} documents/s)")
        return "\n".join(lines)
