"""Read a dataset version for review, a row group at a time, and keep the reviewer's marks beside it.

The version folder is never written: marks go to `OUT/NAME/review/marks.jsonl`, append-only, the last
mark for a (document, line) winning. The index holds a few small columns of every document (id,
source, domain, outlet, the rules of its removed lines) and where its row is (file, row group); a
document's full row is read from its row group alone, so a version of 100k documents costs an index
of small tuples, never the whole table.

The documents table keeps the non-blank lines only (kept ones in `text`, removed ones in `removed`
with their raw line numbers); blank raw lines are in neither. Where the raw input can still be read
(the manifest names the input folders) the raw text gives every line its exact place; where it cannot,
the kept lines fill the line numbers `removed` leaves free, in order, and the document says its line
numbers are approximate.
"""
from __future__ import annotations

import functools
import json
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..document import split_lines
from ..errors import CleanerError, UsageError
from ..publish import resolve_version
from ..publish.manifest import inside, read_manifest

LABELS = ("keep", "blank", "title", "caption", "byline", "date", "source", "nav", "comment", "related", "dup", "other")
REMOVE_LABELS = frozenset(LABELS) - {"keep", "blank"}
INDEX_COLUMNS = ["id", "source", "domain", "outlet", "removed.list.element.rule"]  # never the text
MARKS = "marks.jsonl"
REJECT_PREFIX = "reject:"  # the id shown for a reject that has none


@functools.lru_cache(maxsize=65536)
def _families(rules: tuple[str, ...]) -> frozenset[str]:
    return frozenset(r.split(".", 1)[0] for r in rules)


@dataclass(frozen=True)
class Entry:
    """One document of the index: where its row is and what was removed from it."""
    id: str
    source: str
    file: int  # index into Version.files (documents) or Version.reject_files (rejects)
    group: int  # row group
    rejected: bool
    domain: str | None = None
    outlet: str | None = None
    rules: tuple[str, ...] = ()  # the rule of each removed line, in line order
    reason: str | None = None  # of a reject

    @property
    def families(self) -> frozenset[str]:
        return _families(self.rules)

    @property
    def source_key(self) -> str:
        return self.domain or self.outlet or "unknown"


@dataclass(frozen=True)
class ShownLine:
    no: int  # 1-based raw line number
    text: str
    rule: str | None  # the rule that removed it; None when kept (or blank)
    blank: bool = False
    raw: str | None = None  # the raw line as read, when the raw input was found (`text` is as normalized)


@dataclass(frozen=True)
class Explained:
    """One document as a version holds it: its row (of the documents or the rejects table), every line in
    raw order with the rule that removed it, whether the line numbers are exact, the rules named (as
    `cleaner rules` lists them) and the line model's probabilities where the raw input was found."""
    folder: Path
    entry: Entry
    row: dict
    lines: list[ShownLine]
    exact: bool
    rules: dict[str, dict]
    why: dict


class NotInVersion(CleanerError):
    """`cleaner explain OUT/NAME --id/--source`: no such document (or reject) in the version."""

    def __init__(self, version: "Version", key: str, value: str, known: list[str]):
        import difflib

        near = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else f" (see the `{key}` column of its tables)"
        super().__init__(f"{version.folder}: no document or reject with {key} {value!r}{hint}")


@dataclass(frozen=True)
class Filters:
    family: str = ""
    rule: str = ""
    outlet: str = ""  # matches domain or outlet
    status: str = ""  # "", "kept" or "rejected"
    sort: str = ""  # "" (dataset order) or "removed" (most removed lines first)
    q: str = ""  # text search, case-insensitive

    def matches(self, e: Entry) -> bool:
        if self.status == "kept" and e.rejected or self.status == "rejected" and not e.rejected:
            return False
        if self.family and self.family not in e.families:
            return False
        if self.rule and self.rule not in e.rules:
            return False
        if self.outlet and self.outlet not in (e.domain, e.outlet):
            return False
        return True


def rebuild_lines(text: str, removed: Iterable[dict], raw: str | None = None) -> tuple[list[ShownLine], bool]:
    """Every raw line of a document in order, and whether the line numbers are exact.

    With the raw text, its non-blank lines are the kept and removed ones and blank lines stay where
    they were; it is used only when it agrees with the row (the same number of non-blank lines, every
    removed number on a non-blank line). Without it the kept lines fill the free numbers in order.

    >>> [(l.no, l.text, l.rule) for l in rebuild_lines("b\\nd", [{"line": 1, "rule": "nav.x", "text": "a"}])[0]]
    [(1, 'a', 'nav.x'), (2, 'b', None), (3, 'd', None)]
    >>> lines, exact = rebuild_lines("b", [{"line": 1, "rule": "nav.x", "text": "a"}], raw="a\\n\\nb\\n")
    >>> [(l.no, l.text, l.blank) for l in lines], exact
    ([(1, 'a', False), (2, '', True), (3, 'b', False)], True)
    """
    gone = {int(r["line"]): r for r in removed or ()}
    kept = text.split("\n") if text else []
    if raw is not None:
        rows = split_lines(raw)
        if len(rows) > 1 and rows[-1] == "":  # the break that ends the last line does not start another
            rows.pop()
        full = [i for i, t in enumerate(rows, 1) if t.strip()]
        if len(full) == len(kept) + len(gone) and set(gone) <= set(full):
            out, k = [], iter(kept)
            for no, t in enumerate(rows, 1):
                if not t.strip():
                    out.append(ShownLine(no, t, None, blank=True, raw=t))
                elif no in gone:
                    out.append(ShownLine(no, gone[no]["text"], gone[no]["rule"], raw=t))
                else:
                    out.append(ShownLine(no, next(k), None, raw=t))
            return out, True
    out, k, no = [], iter(kept), 0
    total = len(kept) + len(gone)
    while len(out) < total:
        no += 1
        if no in gone:
            out.append(ShownLine(no, gone[no]["text"], gone[no]["rule"]))
        else:
            t = next(k, None)
            if t is None:  # removed numbers beyond the kept lines: what is left between them was blank
                out.append(ShownLine(no, "", None, blank=True))
                total += 1
            else:
                out.append(ShownLine(no, t, None, blank=not t.strip()))
    return out, False


def _located(path: Path, base: Path | None) -> Path | None:
    """An input as the manifest records it (relative to where `cleaner clean` ran; a version never holds
    the machine's absolute paths): from here, else from `base` or a folder above it."""
    if path.is_absolute() or path.exists():
        return path if path.exists() else None
    for folder in ([base, *base.parents] if base is not None else []):
        if (folder / path).exists():
            return folder / path
    return None


class RawInputs:
    """The raw text of a document, read again from the version's inputs when they are still there."""

    def __init__(self, inputs: Iterable[str], base: Path | None = None):
        from ..readers import scan

        self.paths: dict[str, Path] = {}
        roots = []
        for item in inputs:
            p = _located(Path(item), base)
            if p is not None:
                roots.append(str(p))
        try:
            for found in scan(roots):
                if found.reject is None:
                    self.paths[found.source] = found.path
        except (OSError, UsageError):
            self.paths = {}

    def doc(self, source: str):
        """The raw document named `source` (a .txt file, or `path:line` / `path:row` of a JSONL or Parquet
        file) as read again, None when it cannot be found."""
        from ..readers import RawDoc, read_file

        name = source if source in self.paths else source.rsplit(":", 1)[0]
        path = self.paths.get(name)
        if path is None:
            return None
        try:
            for item in read_file(path, name):
                if isinstance(item, RawDoc) and item.source == source:
                    return item
        except (OSError, ValueError, UsageError):
            return None
        return None

    def text(self, source: str) -> str | None:
        raw = self.doc(source)
        return None if raw is None else raw.text


def unknown_rule(rule: str) -> dict:
    """A rule id the catalogue of the version's packs, steps and model does not hold (its pack moved or
    changed since the run), as a catalogue entry.

    >>> unknown_rule("site.x")["origin"]
    'unknown'
    """
    return {"id": rule, "description": "no description here: the rule pack that holds it cannot be loaded now",
            "examples": [], "origin": "unknown", "disabled": False}


class Marks:
    """The reviewer's marks, append-only JSON lines; the last mark for a (document, line) wins."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.by_doc: dict[str, dict[int, str]] = {}
        if self.path.exists():
            for row in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    m = json.loads(row)
                    self.by_doc.setdefault(str(m["id"]), {})[int(m["line"])] = str(m["label"])
                except (ValueError, KeyError, TypeError):
                    continue  # a torn last line after a crash: the marks before it stand

    def add(self, id: str, line: int, label: str) -> None:
        row = json.dumps({"id": id, "line": line, "label": label, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                      time.gmtime())},
                         ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(row + "\n")
                f.flush()
                os.fsync(f.fileno())
            self.by_doc.setdefault(id, {})[line] = label

    def of(self, id: str) -> dict[int, str]:
        return dict(self.by_doc.get(id, {}))

    @property
    def reviewed(self) -> int:
        return sum(1 for v in self.by_doc.values() if v)


class MarkError(ValueError):
    """A mark the page sent that cannot be stored (unknown id, line or label)."""


class Version:
    """One dataset version, opened for review: its index, its rows by id, its marks."""

    def __init__(self, dataset: str | Path, version: str | None = None, inputs: Iterable[str] | None = None):
        self.dataset = Path(dataset)
        self.folder = resolve_version(dataset, version)
        self.manifest = read_manifest(self.folder)
        self.files = self._listed("data/train-")
        self.reject_files = self._listed("rejects/rejects-")
        self.entries: list[Entry] = []
        self.by_id: dict[str, Entry] = {}
        self._counts: dict[str, Counter] | None = None
        self._build_index()
        self.removal_files = self._listed("removals/removals-")
        self._rules: dict[str, dict] | None = None
        self._inputs = inputs
        self._raw: RawInputs | None = None
        self.marks = Marks(self.dataset / "review" / MARKS)
        self._lock = threading.Lock()
        self._built = None

    def _listed(self, prefix: str) -> list[Path]:
        """The version's Parquet files of one table, as its manifest lists them (each checked to be inside)."""
        where = self.folder / "manifest.json"
        return [inside(self.folder, f["path"], where, "files[].path") for f in sorted(self.manifest["files"],
                key=lambda f: f["path"]) if f["path"].startswith(prefix) and f["path"].endswith(".parquet")]

    def _build_index(self) -> None:
        for i, f in enumerate(self.files):
            pf = pq.ParquetFile(f)
            for g in range(pf.metadata.num_row_groups):
                t = pf.read_row_group(g, columns=INDEX_COLUMNS)
                removed = t.column("removed").combine_chunks()
                offsets = removed.offsets.to_pylist()
                rules = [sys.intern(r) for r in removed.values.field("rule").to_pylist()]
                cols = [t.column(c).to_pylist() for c in ("id", "source", "domain", "outlet")]
                for k, (id, source, domain, outlet) in enumerate(zip(*cols)):
                    self._add(Entry(id, source, i, g, False, domain, outlet, tuple(rules[offsets[k]:offsets[k + 1]])))
        for i, f in enumerate(self.reject_files):
            pf = pq.ParquetFile(f)
            for g in range(pf.metadata.num_row_groups):
                t = pf.read_row_group(g, columns=["id", "source", "reason"]).to_pydict()
                for id, source, reason in zip(t["id"], t["source"], t["reason"]):
                    # an input rejected before it had an id (bad JSON) is named by its source
                    self._add(Entry(id if id is not None else f"{REJECT_PREFIX}{source}", source, i, g, True,
                                    reason=reason))

    def _add(self, e: Entry) -> None:
        if e.id in self.by_id:  # ids are unique within a version; a reject sharing one is listed, not indexed
            self.entries.append(e)
            return
        self.entries.append(e)
        self.by_id[e.id] = e

    @property
    def raw(self) -> RawInputs:
        if self._raw is None:
            inputs = self._inputs if self._inputs is not None else self.manifest.get("config", {}).get("inputs", [])
            self._raw = RawInputs(inputs, base=self.dataset.resolve().parent.parent)
        return self._raw

    # -- the index --------------------------------------------------------------------------------------

    def counts(self) -> dict[str, Counter]:
        """For the filter menus: documents per family, per rule, per outlet (counted once)."""
        if self._counts is not None:
            return self._counts
        fam, rule, outlet = Counter(), Counter(), Counter()
        for e in self.entries:
            fam.update(e.families)
            rule.update(set(e.rules))
            if not e.rejected:
                outlet[e.source_key] += 1
        self._counts = {"family": fam, "rule": rule, "outlet": outlet}
        return self._counts

    def page(self, filters: Filters, offset: int = 0, limit: int = 50) -> tuple[list[Entry], bool]:
        """One page of matching documents, and whether there are more. A text search reads the text
        column row group by row group and stops once the page is full."""
        chosen = [e for e in self.entries if filters.matches(e)]
        if filters.sort == "removed":
            chosen.sort(key=lambda e: -len(e.rules))
        if not filters.q:
            return chosen[offset:offset + limit], len(chosen) > offset + limit
        wanted = {e.id for e in chosen}
        q = filters.q.lower()
        hits: list[Entry] = []
        for i, f in enumerate(self.files):
            pf = pq.ParquetFile(f)
            for g in range(pf.metadata.num_row_groups):
                t = pf.read_row_group(g, columns=["id", "text", "title"])
                found = pc.or_kleene(pc.match_substring(pc.utf8_lower(t.column("text")), q),
                                     pc.match_substring(pc.utf8_lower(t.column("title")), q))
                for id in t.column("id").filter(pc.fill_null(found, False)).to_pylist():
                    if id in wanted:
                        hits.append(self.by_id[id])
                        if len(hits) > offset + limit:
                            return hits[offset:offset + limit], True
        return hits[offset:offset + limit], False

    # -- one document -----------------------------------------------------------------------------------

    def row(self, id: str) -> dict:
        e = self.by_id.get(id)
        if e is None:
            raise KeyError(id)
        f = (self.reject_files if e.rejected else self.files)[e.file]
        t = pq.ParquetFile(f).read_row_group(e.group)
        key, want = ("source", e.source) if e.rejected and id.startswith(REJECT_PREFIX) else ("id", id)
        return t.slice(t.column(key).to_pylist().index(want), 1).to_pylist()[0]

    def lines(self, id: str) -> tuple[dict, list[ShownLine], bool]:
        """The row, every raw line in order, and whether the line numbers are exact."""
        row = self.row(id)
        raw = self.raw.text(row["source"])
        e = self.by_id[id]
        if e.rejected:  # its removed lines are in the removals table only; the rest in the raw input
            gone = {int(r["line"]): r for r in self.removed_of(e)}
            if raw is None:
                return row, [ShownLine(no, r["text"], r["rule"]) for no, r in sorted(gone.items())], False
            rows = split_lines(raw)
            rows = rows[:-1] if len(rows) > 1 and rows[-1] == "" else rows
            return row, [ShownLine(n, gone[n]["text"] if n in gone else t, gone[n]["rule"] if n in gone else None,
                                   not t.strip() and n not in gone, raw=t) for n, t in enumerate(rows, 1)], True
        lines, exact = rebuild_lines(row["text"], row["removed"], raw)
        return row, lines, exact

    def removed_of(self, e: Entry) -> list[dict]:
        """The removals-table rows of a rejected document (line, rule, text), in line order."""
        out = []
        for f in self.removal_files:
            t = pq.read_table(f, columns=["source", "line", "rule", "text"],
                              filters=[("source", "==", e.source), ("kept", "==", False)])
            out += t.to_pylist()
        return sorted(out, key=lambda r: r["line"])

    def find(self, id: str | None = None, source: str | None = None) -> Entry:
        """The document or reject with this id, or this source; NotInVersion naming what is not there."""
        if id is not None:
            if id in self.by_id:
                return self.by_id[id]
            raise NotInVersion(self, "id", id, list(self.by_id))
        for e in self.entries:
            if e.source == source:
                return e
        raise NotInVersion(self, "source", source, [e.source for e in self.entries])

    def explain(self, id: str | None = None, source: str | None = None) -> "Explained":
        """What this version did with one document: kept or rejected (why), every line with its rule."""
        e = self.find(id, source)
        row, lines, exact = self.lines(e.id)
        why = self.probabilities(e.id)
        return Explained(self.folder, e, row, lines, exact, {l.rule: self.rule(l.rule) for l in lines if l.rule}, why)

    def probabilities(self, id: str) -> dict[int, tuple[float, list[tuple[str, float]]]]:
        """The line model's probability (and strongest features) for each line it judged, from the raw
        input run again through the version's rule packs and model; {} when either cannot be had."""
        row = self.row(id)
        raw = self.raw.doc(row["source"])
        if raw is None:
            return {}
        try:
            cleaner = self._cleaner()
            if cleaner is None or cleaner.model is None:
                return {}
            from ..passes import model
            from ..pipeline import to_document
            return model.explain(cleaner.prepare(to_document(raw)), cleaner.model)
        except Exception:  # noqa: BLE001 - optional information: a page without probabilities still works
            return {}

    def _cleaner(self):
        with self._lock:
            if self._built is None:
                from ..pipeline import build
                try:
                    self._built = build(self._config())
                except Exception:  # noqa: BLE001 - a rule pack or model file moved since the run
                    self._built = False
            return self._built or None

    def _config(self, model: bool = True):
        """The config of the version's rule packs and model, their paths found as `_located` finds inputs."""
        from ..config import Config

        cfg = self.manifest.get("config", {})
        base = self.dataset.resolve().parent.parent

        def found(p: str) -> str:  # a path (a .toml pack, a .json model); a built-in name stays a name
            return str(_located(Path(p), base) or p) if Path(p).suffix else p

        return Config(rule_packs=tuple(found(p) for p in cfg.get("rule_packs") or ()),
                      default_rules=cfg.get("default_rules", True),
                      model=found(cfg.get("model") or "none") if model else "none")

    def rule(self, rule: str) -> dict:
        """The rule id as `cleaner rules` lists it for this version's packs, steps and model: its
        description and origin (the pack's name, `step` or `model`)."""
        if self._rules is None:
            from ..catalog import rule_table
            from ..pipeline import build

            cleaner = self._cleaner()
            if cleaner is None:
                try:
                    cleaner = build(self._config(model=False))
                except Exception:  # noqa: BLE001 - a user pack moved: the steps and model families still
                    cleaner = build(replace(self._config(model=False), rule_packs=()))
            self._rules = {r["id"]: r for r in rule_table(cleaner) if not r.get("keep")}
        return self._rules.get(rule) or unknown_rule(rule)

    def mark(self, id, line, label) -> None:
        """Store a mark after checking it: a kept document of this version, one of its non-blank lines, a label."""
        if not isinstance(id, str) or id not in self.by_id:
            raise MarkError(f"unknown document id {id!r}")
        if self.by_id[id].rejected:
            raise MarkError(f"document {id!r} is a reject: it has no lines in the dataset to mark")
        if label not in LABELS or label == "blank":
            raise MarkError(f"unknown label {label!r}; use keep or one of {', '.join(sorted(REMOVE_LABELS))}")
        if not isinstance(line, int) or isinstance(line, bool):
            raise MarkError(f"line must be a whole number, not {line!r}")
        _, lines, _ = self.lines(id)
        if not any(l.no == line and not l.blank for l in lines):
            raise MarkError(f"document {id!r} has no line {line}" + (f" (lines 1-{len(lines)})" if lines else ""))
        self.marks.add(id, line, label)

    def marked_ids(self) -> list[str]:
        return [id for id, m in self.marks.by_doc.items() if m and id in self.by_id and not self.by_id[id].rejected]


def iter_kept(version: Version) -> Iterator[Entry]:
    return (e for e in version.entries if not e.rejected)
