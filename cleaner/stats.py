"""Run counts: documents read, kept and rejected by reason; lines removed by rule."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    read: int = 0
    kept: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason -> documents
    removed: Counter = field(default_factory=Counter)  # rule id -> lines
    kept_lines: int = 0
    raw_chars: int = 0
    kept_chars: int = 0
    langs: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def removed_by_family(self) -> Counter:
        out: Counter = Counter()
        for rule, n in self.removed.items():
            out[rule.split(".", 1)[0]] += n
        return out

    def to_dict(self) -> dict:
        return {
            "documents_read": self.read, "documents_kept": self.kept,
            "documents_rejected": dict(sorted(self.rejected.items())),
            "lines_kept": self.kept_lines, "lines_removed": dict(sorted(self.removed.items())),
            "chars_raw": self.raw_chars, "chars_kept": self.kept_chars,
            "languages": dict(self.langs.most_common()), "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        lines = [f"documents: read {self.read}, kept {self.kept}, rejected {self.rejected_total}"
                 + (f" ({', '.join(f'{k} {v}' for k, v in sorted(self.rejected.items()))})" if self.rejected else "")]
        total = sum(self.removed.values())
        lines.append(f"lines: kept {self.kept_lines}, removed {total}")
        for fam, n in self.removed_by_family().most_common():
            rules = ", ".join(f"{r} {c}" for r, c in sorted(self.removed.items()) if r.startswith(fam + "."))
            lines.append(f"  {fam:<10} {n:>6}  ({rules})")
        rate = self.read / self.seconds if self.seconds else 0.0
        lines.append(f"time: {self.seconds:.1f}s ({rate:.0f} documents/s)")
        return "\n".join(lines)
