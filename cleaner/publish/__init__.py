"""Write a dataset version: documents, rejects and the removal audit as Parquet, the card, the manifest."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..config import output_folders
from ..errors import UsageError
from ..fsmode import make_dirs, no_world_write
from ..readers import scan
from ..schema import arrow_schema, load_json_schema
from ..stats import Stats
from ..stats import length_bin_labels
from . import card, plots, versions
from .parquet import ShardWriter, TableWriter, file_entry
from .version import check_free, list_versions, resolve_version, staging, version_dir

__all__ = ["write_version", "version_dir", "list_versions", "resolve_version"]

DATA_GLOB = "data/train-*.parquet"
REJECTS_GLOB = "rejects/rejects-*.parquet"
REMOVALS_GLOB = "removals/removals-*.parquet"


def input_fingerprint(config) -> dict:
    """sha256 over every input file's source name and bytes, in reading order (a file refused unopened,
    a FIFO or a symlink out of its folder, by its reason only)."""
    digest = hashlib.sha256()
    files = 0
    total = 0
    for found in scan(config.inputs, output_folders(config), config.follow_symlinks):
        path, source = found.path, found.source
        digest.update(source.encode("utf-8") + b"\0")
        if found.reject is not None:
            digest.update(f"refused: {found.reject.reason}".encode("utf-8") + b"\0")
            files += 1
            continue
        try:
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
                    total += len(chunk)
        except OSError as e:  # gone or unreadable: its reader rejected it already (read_error)
            digest.update(f"unreadable: {e.strerror}".encode("utf-8"))
        digest.update(b"\0")
        files += 1
    return {"sha256": digest.hexdigest(), "files": files, "bytes": total}


def content_hash(record: dict) -> str:
    """sha256 of the record's canonical JSON: equal exactly when every column is equal."""
    blob = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def recorded_path(path: str) -> str:
    """A path as a version records it: as given when relative; an absolute one relative to the working
    folder when inside it, else its last component. A dataset never holds the machine's own paths.

    >>> recorded_path("corpus/a"), recorded_path("/home/me/secret/corpus")[-6:]
    ('corpus/a', 'corpus')
    """
    if not os.path.isabs(path):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        rel = ".."
    return rel if not rel.startswith("..") else (os.path.basename(os.path.normpath(path)) or ".")


def recorded_config(config) -> dict:
    """The config for the manifest, its paths (inputs, out, rule packs, model) as `recorded_path` gives them."""
    out = config.to_dict()
    out["inputs"] = [recorded_path(p) for p in config.inputs]
    out["out"] = recorded_path(config.out)
    out["rule_packs"] = [recorded_path(p) for p in config.rule_packs]
    if config.model and config.model not in ("none", "vi-news"):
        out["model"] = recorded_path(config.model)
    return out


def _audit_rows(record: dict, kept: bool) -> list[dict]:
    return [{"id": record["id"], "source": record["source"], "line": r["line"], "rule": r["rule"], "text": r["text"],
             "kept": kept} for r in record.get("removed") or ()]


def _sha256(path: Path) -> str | None:
    """The sha256 of a regular file (symlinks not followed), None when it is not one or cannot be read."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest.hexdigest()


def _link_unchanged(tmp: Path, parent: Path | None, entries: list[dict], warn: Callable[[str], None]) -> int:
    """Hard-link files identical to the parent version's instead of keeping a second copy.

    The parent's file is hashed again first: one that no longer matches its manifest (damaged, edited)
    is not linked, and the file just written stays, with a warning.
    """
    if parent is None:
        return 0
    before = {e["path"]: e["sha256"] for e in versions.manifest(parent)["files"]}
    linked = 0
    for e in entries:
        if before.get(e["path"]) != e["sha256"]:
            continue
        source = parent / e["path"]
        if _sha256(source) != e["sha256"]:
            warn(f"warning: {source} no longer matches the sha256 in {parent / 'manifest.json'} (damaged or "
                 f"changed since it was written); {e['path']} is written afresh instead of linked to it")
            continue
        target = tmp / e["path"]
        link = target.with_name(f".{target.name}.link")
        try:
            os.link(source, link)
        except OSError:  # another file system, or links not allowed: keep the copy just written
            continue
        os.replace(link, target)
        linked += 1
    return linked


def _plots(tmp: Path, stats: Stats) -> list[Path]:
    folder = make_dirs(tmp / "plots")
    labels = length_bin_labels()
    lengths = folder / "lengths.svg"
    lengths.write_text(plots.paired_histogram(
        "Document length before and after cleaning", labels,
        [stats.lengths_raw.get(i, 0) for i in range(len(labels))],
        [stats.lengths_kept.get(i, 0) for i in range(len(labels))], ("raw", "cleaned")), encoding="utf-8")
    removals = folder / "removals.svg"
    removals.write_text(plots.bar_chart("Lines removed, by rule family", stats.removed_by_family().most_common(),
                                        " lines"), encoding="utf-8")
    return [lengths, removals]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def write_dataset_card(dataset: Path) -> Path | None:
    """The NAME folder's own card, `OUT/NAME/README.md`: the latest version's front matter with every
    `data_files` path under that version's folder, so `datasets.load_dataset("OUT/NAME")` loads the latest
    version only (never all versions' files merged). Rewritten after every version written; None when the
    folder holds no version."""
    import yaml

    from .manifest import card_meta

    found = list_versions(dataset)
    if not found:
        return None
    latest = found[-1][1]
    meta = card_meta(latest)
    for config in meta.get("configs", []):
        config["data_files"] = [{**f, "path": f"{latest.name}/{f['path']}"} for f in config.get("data_files", [])]
    others = ", ".join(f"`{p.name}`" for _, p in found[:-1]) or "none"
    body = (f"# {meta.get('pretty_name', dataset.name)}\n\nThe versions of this dataset are the `vX.Y.Z` folders "
            f"beside this card, each with its own card, manifest and changelog. This card points at the latest, "
            f"`{latest.name}`, so that `load_dataset(\"{dataset.name}\")` on this folder loads that version alone "
            f"(older versions: {others}).\n\n```python\nimport cleaner\nds = cleaner.load(\"{dataset.name}\")  "
            f"# the latest version; version=\"X.Y.Z\" for another\n```\n\nSee `{latest.name}/README.md` for the "
            f"figures, the columns and how it was cleaned.\n")
    card = dataset / "README.md"
    tmp = dataset / f".README.md.{os.getpid()}.tmp"
    tmp.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n\n{body}", encoding="utf-8")
    no_world_write(tmp)
    os.replace(tmp, card)
    return card


def final_rows(kind: str, record: dict) -> Iterator[tuple[str, dict]]:
    """The rows an item ("document" or "reject", record) puts in the version's tables: "documents" (the
    record), "hashes" (its content hash), "removals" (its removed lines) or "rejects"."""
    if kind == "document":
        yield "documents", record
        yield "hashes", {"id": record["id"], "sha256": content_hash(record)}
    yield from (("removals", row) for row in _audit_rows(record, kind == "document"))
    if kind != "document":
        yield "rejects", {k: record.get(k) for k in arrow_schema("rejects").names}


def tables(path: Path, rows: int = 1024) -> Iterator[pa.Table]:
    """A Parquet file's rows, a table of up to `rows` at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
        yield pa.Table.from_batches([batch])


def write_version(cleaner, parts: Iterable[dict[str, Path]], stats: Stats, started: float,
                  warn: Callable[[str], None] = _stderr) -> Path:
    """Write the version's tables from the write tasks' parts (each a dict of "documents", "rejects",
    "removals" and "hashes" Parquet files, in read order) into a new version folder, whole or not at all:
    the rows go through as Arrow tables, in the same row groups and files whichever task made them."""
    config = cleaner.config
    final = version_dir(config.out, config.name, config.version)
    dataset = final.parent
    check_free(final, config.force)
    parent = versions.parent_of(dataset, config.version)
    with staging(final, config.force) as tmp:
        sizes = (config.shard_rows, config.row_group_rows)
        docs = ShardWriter(tmp / "data", "train", arrow_schema("document"), *sizes)
        rejects = ShardWriter(tmp / "rejects", "rejects", arrow_schema("rejects"), *sizes)
        audit = ShardWriter(tmp / "removals", "removals", arrow_schema("removals"), config.shard_rows * 20, config.row_group_rows * 20)
        index = TableWriter(tmp / versions.HASHES, arrow_schema("hashes"))
        try:
            for part in parts:
                for writer, name in ((docs, "documents"), (rejects, "rejects"), (audit, "removals"), (index, "hashes")):
                    for table in tables(part[name]):
                        writer.add_table(table)
            data_files = docs.close()
            reject_files = rejects.close(keep_empty=False)
            audit_files = audit.close(keep_empty=False)
            hashes = index.close()
        except BaseException:  # a full disk, an interrupt: close every open file before the folder goes
            for writer in (docs, rejects, audit, index):
                writer.abort()
            raise
        files = data_files + reject_files + audit_files + [hashes] + _plots(tmp, stats)
        stats.seconds = time.perf_counter() - started
        packs = [{"name": p.name, "version": p.version, "sha256": p.sha256} for p in cleaner.packs]
        summary = stats.to_dict()
        configs = {"default": (DATA_GLOB, arrow_schema("document"), card.split_sizes(data_files))}
        # `datasets` cannot load a config with no rows, so an empty table gets no config
        if reject_files:
            configs["rejects"] = (REJECTS_GLOB, arrow_schema("rejects"), card.split_sizes(reject_files))
        if audit_files:
            configs["removals"] = (REMOVALS_GLOB, arrow_schema("removals"), card.split_sizes(audit_files))
        meta = card.front_matter(name=config.name, license=config.license, documents=stats.kept,
                                 languages=sorted({lang for lang in stats.langs if lang != "und"}) or ["vi"],
                                 configs=configs)
        problems = card.validate(meta, parse=False)  # `push` parses it too
        if problems:
            raise UsageError("the dataset card would not be valid on the Hub: " + "; ".join(problems))
        manifest = {
            "tool": {"name": "cleaner", "version": __version__},
            "name": config.name, "version": config.version,
            "parent": versions.manifest(parent)["version"] if parent else None,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "config": recorded_config(config),
            "rule_packs": packs,
            "model": ({"name": recorded_config(config)["model"], "sha256": cleaner.model.sha256} if cleaner.model else None),
            "schema": load_json_schema("document"),
            "schemas": {n: load_json_schema(n)["$id"] for n in ("document", "rejects", "removals", "hashes")},
            "inputs": input_fingerprint(config),
            "stats": summary,
        }
        entries = [file_entry(p, tmp) for p in files]
        manifest["files"] = entries
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        changelog = versions.render(versions.diff(parent, tmp)) if parent else \
            f"## v{config.version}\n\nThe first version of this dataset.\n"
        (tmp / "CHANGELOG.md").write_text(f"# Changelog of {config.name}\n\n{changelog}", encoding="utf-8")
        (tmp / "README.md").write_text(card.render(
            meta, name=config.name, version=config.version, stats=summary, packs=packs,
            removed_by_family=dict(stats.removed_by_family().most_common()), changelog=changelog,
            plots=[p.relative_to(tmp).as_posix() for p in files if p.suffix == ".svg"]), encoding="utf-8")
        manifest["files"] = entries + [file_entry(tmp / n, tmp) for n in ("CHANGELOG.md", "README.md")]
        manifest["hard_linked"] = _link_unchanged(tmp, parent, entries, warn)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_dataset_card(dataset)
    return final
