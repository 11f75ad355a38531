"""Versions of one dataset: which exist, which comes next, and what changed between two.

A version folder keeps `hashes.parquet` (each kept document's id and content
hash) and `manifest.json` (counts per rule, schema, parent); a diff reads only
those, never the documents themselves.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..config import VERSION_RE
from ..errors import UsageError
from .manifest import DamagedVersion, inside, read_manifest
from .parquet import read_table
from .version import list_versions, resolve_version

HASHES = "hashes.parquet"
BUMPS = ("patch", "minor", "major")


def parse(version: str) -> tuple[int, int, int]:
    m = VERSION_RE.fullmatch(version.removeprefix("v"))
    if not m:
        raise UsageError(f"{version!r} is not a version X.Y.Z")
    return tuple(int(x) for x in m.groups())


def bump(dataset: str | Path, part: str) -> str:
    """The next version after the latest one under `dataset` (0.0.0 when there is none)."""
    if part not in BUMPS:
        raise UsageError(f"--bump takes one of {', '.join(BUMPS)}, not {part!r}")
    versions = list_versions(dataset)
    major, minor, patch = versions[-1][0] if versions else (0, 0, 0)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def parent_of(dataset: str | Path, version: str) -> Path | None:
    """The latest version older than `version`, if any."""
    want = parse(version)
    older = [path for v, path in list_versions(dataset) if v < want]
    return older[-1] if older else None


def manifest(folder: Path) -> dict:
    """The version's manifest, checked: DamagedVersion (naming it) when it cannot be trusted."""
    return read_manifest(folder)


def hashes(folder: Path) -> dict[str, str]:
    path = folder / HASHES
    if not os.path.lexists(path):
        return {}
    inside(folder, HASHES, folder / "manifest.json", HASHES)
    if not path.is_file():
        raise DamagedVersion(path, "is not a regular file")
    try:
        table = read_table(path, columns=["id", "sha256"])
        ids, sums = table["id"].to_pylist(), table["sha256"].to_pylist()
    except (OSError, pa.ArrowException, KeyError) as e:
        raise DamagedVersion(path, f"is not a table of ids and hashes ({' '.join(str(e).split())[:200]})") from None
    return dict(zip(ids, sums))


@dataclass
class Diff:
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    rules: dict[str, tuple[int, int]] = field(default_factory=dict)  # rule -> (lines before, after), where they differ
    rejected: dict[str, tuple[int, int]] = field(default_factory=dict)  # reason -> (before, after), where they differ
    schema_changes: list[str] = field(default_factory=list)
    config_changes: dict[str, tuple] = field(default_factory=dict)
    packs_changed: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # id -> source, for every document listed above
    details: dict[str, list[str]] = field(default_factory=dict)  # id of a changed document -> what changed


DETAIL_FIELDS = ("title", "url", "published", "authors", "lang", "domain", "outlet", "photo_credits", "page_date",
                 "encoding")
MAX_DETAILED = 500  # changed documents read in full for the details (the rest are listed by id and source)


def _rows(folder: Path, ids: set[str], columns: list[str]) -> dict[str, dict]:
    """The rows of the given ids from a version's documents (its manifest's data files), only `columns`."""
    if not ids:
        return {}
    import pyarrow.compute as pc

    out: dict[str, dict] = {}
    for entry in manifest(folder)["files"]:
        if not entry["path"].startswith("data/"):
            continue
        path = inside(folder, entry["path"], folder / "manifest.json", "files[].path")
        try:
            table = read_table(path, columns=["id", *columns])
        except (OSError, pa.ArrowException) as e:
            raise DamagedVersion(path, f"cannot be read ({' '.join(str(e).split())[:200]})") from None
        table = table.filter(pc.is_in(table["id"], value_set=pa.array(sorted(ids), pa.string())))
        out.update((row["id"], row) for row in table.to_pylist())
    return out


def describe_change(old: dict, new: dict) -> list[str]:
    """What changed in one document: lines removed or restored (with their rules), fields, its cluster."""
    before = {r["line"]: r["rule"] for r in old.get("removed") or ()}
    after = {r["line"]: r["rule"] for r in new.get("removed") or ()}
    out = []
    gone = sorted(n for n in after if n not in before)
    back = sorted(n for n in before if n not in after)
    moved = sorted(n for n in after if n in before and before[n] != after[n])
    if gone:
        out.append("lines removed: " + ", ".join(f"{n} ({after[n]})" for n in gone))
    if back:
        out.append("lines restored: " + ", ".join(f"{n} (was {before[n]})" for n in back))
    if moved:
        out.append("rule changed: " + ", ".join(f"line {n} {before[n]} -> {after[n]}" for n in moved))
    fields = [f for f in DETAIL_FIELDS if f in old and old.get(f) != new.get(f)]
    if fields:
        out.append("fields: " + ", ".join(f"`{f}` {old.get(f)!r} -> {new.get(f)!r}" for f in fields))
    if (old.get("cluster_id"), old.get("cluster_size")) != (new.get("cluster_id"), new.get("cluster_size")):
        out.append(f"cluster: {old.get('cluster_id')} (size {old.get('cluster_size')}) -> "
                   f"{new.get('cluster_id')} (size {new.get('cluster_size')})")
    if not out and old.get("text") != new.get("text"):
        out.append("text changed")
    return out or ["other columns changed"]


def _changes(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    return {k: (before.get(k, 0), after.get(k, 0)) for k in sorted(set(before) | set(after))
            if before.get(k, 0) != after.get(k, 0)}


def _schema_changes(old: dict, new: dict) -> list[str]:
    a, b = old.get("properties", {}), new.get("properties", {})
    out = [f"added column `{c}`" for c in b if c not in a] + [f"removed column `{c}`" for c in a if c not in b]
    out += [f"column `{c}` changed type" for c in a if c in b and a[c] != b[c]]
    return out


def diff(old: Path, new: Path) -> Diff:
    mo, mn = manifest(old), manifest(new)
    ho, hn = hashes(old), hashes(new)
    d = Diff(old=mo["version"], new=mn["version"])
    d.added = sorted(i for i in hn if i not in ho)
    d.removed = sorted(i for i in ho if i not in hn)
    d.changed = sorted(i for i in hn if i in ho and ho[i] != hn[i])
    d.unchanged = sum(1 for i in hn if ho.get(i) == hn[i])
    d.rules = _changes(mo["stats"]["lines_removed"], mn["stats"]["lines_removed"])
    d.rejected = _changes(mo["stats"]["documents_rejected"], mn["stats"]["documents_rejected"])
    d.schema_changes = _schema_changes(mo.get("schema", {}), mn.get("schema", {}))
    ignore = {"version", "force", "progress", "workers", "out"}
    co, cn = mo.get("config", {}), mn.get("config", {})
    d.config_changes = {k: (co.get(k), cn.get(k)) for k in sorted(set(co) | set(cn)) if k not in ignore and co.get(k) != cn.get(k)}
    po = {p["name"]: p for p in mo.get("rule_packs", [])}
    d.packs_changed = [f"{p['name']} {po[p['name']]['version'] if p['name'] in po else '(new)'} -> {p['version']}"
                       for p in mn.get("rule_packs", []) if po.get(p["name"], {}).get("sha256") != p["sha256"]]
    detailed = set(d.changed[:MAX_DETAILED])
    columns = ["source", "removed", "text", "cluster_id", "cluster_size", *DETAIL_FIELDS]
    rows_old = _rows(old, set(d.removed) | detailed, columns)
    rows_new = _rows(new, set(d.added) | set(d.changed), columns)
    d.sources = {i: r["source"] for i, r in {**rows_old, **rows_new}.items()}
    d.details = {i: describe_change(rows_old[i], rows_new[i]) for i in d.changed if i in rows_old and i in rows_new}
    return d


def diff_versions(dataset: str | Path, old: str, new: str) -> Diff:
    return diff(resolve_version(dataset, old), resolve_version(dataset, new))


def render(d: Diff, limit: int = 20) -> str:
    """The diff as Markdown, for the CLI and for CHANGELOG.md."""
    def name(x: str) -> str:
        return f"`{x}` ({d.sources[x]})" if x in d.sources else f"`{x}`"

    def ids(xs: list[str]) -> str:
        shown = ", ".join(name(x) for x in xs[:limit])
        return shown + (f" and {len(xs) - limit} more" if len(xs) > limit else "")

    out = [f"## v{d.new} (against v{d.old})", "",
           f"- documents added: {len(d.added)}" + (f": {ids(d.added)}" if d.added else ""),
           f"- documents removed: {len(d.removed)}" + (f": {ids(d.removed)}" if d.removed else ""),
           f"- documents changed: {len(d.changed)}" + (":" if d.changed else "")]
    for x in d.changed[:limit]:
        out.append(f"  - {name(x)}: " + "; ".join(d.details.get(x, ["changed"])))
    if len(d.changed) > limit:
        out.append(f"  - and {len(d.changed) - limit} more")
    out.append(f"- documents unchanged: {d.unchanged}")
    if d.packs_changed:
        out.append("- rule packs: " + "; ".join(d.packs_changed))
    if d.config_changes:
        out.append("- config: " + "; ".join(f"`{k}` {a!r} -> {b!r}" for k, (a, b) in d.config_changes.items()))
    if d.schema_changes:
        out.append("- schema: " + "; ".join(d.schema_changes))
    if d.rules:
        out += ["", "| rule | lines before | lines after |", "|---|---:|---:|"]
        out += [f"| `{r}` | {a} | {b} |" for r, (a, b) in d.rules.items()]
    if d.rejected:
        out += ["", "| rejected, by reason | before | after |", "|---|---:|---:|"]
        out += [f"| `{r}` | {a} | {b} |" for r, (a, b) in d.rejected.items()]
    return "\n".join(out) + "\n"


def summaries(dataset: str | Path) -> list[dict]:
    """One line of counts per version, oldest first."""
    out = []
    for _, path in list_versions(dataset):
        m = manifest(path)
        s = m["stats"]
        out.append({"version": m["version"], "parent": m.get("parent"), "created": m.get("created"),
                    "read": s["documents_read"], "kept": s["documents_kept"],
                    "rejected": sum(s["documents_rejected"].values()),
                    "lines_removed": sum(s["lines_removed"].values()) + sum(s.get("lines_removed_rejected", {}).values()),
                    "lines_removed_rejected": sum(s.get("lines_removed_rejected", {}).values())})
    return out
