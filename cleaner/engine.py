"""The run: inputs split into shards, per-shard maps, corpus-wide reduces, one version written.

    plan      inputs -> shards (a .parquet or compressed file; `shard_bytes` of a plain .jsonl file;
              or up to `files_per_shard` .txt files)
    clean     map: read and clean each document; write it with its kept lines, and
              the (source, line) hash pairs it contributes
    lines     reduce: site-boilerplate lines, merged by line-hash partition
    sign      map: drop site-boilerplate lines; body hash and MinHash signature per document
    dedup     reduce: exact duplicates, LSH candidates, clusters
    write     map: each shard's final rows (site-boilerplate lines dropped, ids made unique, duplicates
              to rejects, content hashes, the removal audit); then the version's files, the shards'
              rows concatenated in read order as Arrow tables

Map outputs live in a work folder beside the version, each written whole under
a temporary name; a rerun of the same command after a crash reuses the shards
that finished. The result does not depend on the number of workers.
"""
from __future__ import annotations

import atexit
import ctypes
import hashlib
import importlib.abc
import io
import json
import os
import shutil
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

import multiprocessing as mp
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from .config import Config, output_folders
from .dedup import clusters, lines as freq
from .dedup.hashing import body_hash, h64, words
from .dedup.minhash import band_keys, optimal_bands, word_signatures
from .errors import BadInput, CleanerError, Interrupted, NoInput, NothingKept
from .fsmode import make_dirs, no_world_write
from .pipeline import BATCH, LANG, NO_BODY, build, judge_all, reject_record, removed_records, to_record
from .publish.parquet import TableWriter, iter_rows, read_table
from .readers import RawDoc, Reject, read_file, scan
from .readers.base import kind_of
from .schema import arrow_schema
from .stats import Stats, length_bin

MAX_WARNINGS = 20
PARTITIONS = 16
CLUSTER_FIELDS = ("cluster_id", "cluster_size")
WORK_VERSION = 6  # bump when the work folder's layout changes
SIGN_BATCH = 256  # texts signed together by the vectorized MinHash
BUCKET_DOCS = 50_000  # documents a dedup bucket holds the band rows of, at most (PARTITIONS buckets or more)


@dataclass(frozen=True)
class Part:
    """A whole input file, or the lines of a large JSONL file that start in bytes [start, stop)."""
    path: str
    source: str
    start: int = 0
    stop: int | None = None
    first_line: int = 1
    reason: str | None = None  # a file refused when listed (outside_input, not_a_file): never opened
    detail: str | None = None

    def items(self) -> Iterator[RawDoc | Reject]:
        if self.reason:
            return iter([Reject(self.source, self.reason, self.detail or self.source)])
        return read_file(Path(self.path), self.source, self.start, self.stop, self.first_line)


@dataclass(frozen=True)
class Shard:
    index: int
    files: tuple[Part, ...]

    @property
    def name(self) -> str:
        return f"{self.index:05d}"


def jsonl_ranges(path: Path, target: int) -> list[tuple[int, int, int]]:
    """(start, stop, first line number) pieces of about `target` bytes, each ending just after a newline.

    The file is read in chunks of at most 1 MiB, so a line of any length (a 1 GB line with no
    newline) costs no memory: the piece it falls in just grows (its reader rejects it, bounded too)."""
    size = path.stat().st_size
    out, start, first = [], 0, 1
    with open(path, "rb") as f:
        while start < size:
            newlines, left = 0, target
            while left > 0:
                chunk = f.read(min(1 << 20, left))
                if not chunk:
                    break
                newlines += chunk.count(b"\n")
                left -= len(chunk)
            newlines += _finish_line(f)
            stop = f.tell()
            out.append((start, stop, first))
            start, first = stop, first + newlines
    return out


def _finish_line(f) -> int:
    """Read on to just after the next newline (or the end), in bounded chunks; 1 if a newline was met."""
    while True:
        pos = f.tell()
        chunk = f.read(1 << 20)
        if not chunk:
            return 0
        nl = chunk.find(b"\n")
        if nl >= 0:
            f.seek(pos + nl + 1)
            return 1


def plan(config: Config, skipped: Counter | None = None) -> list[Shard]:
    """The units of work, in read order; files not read are counted in `skipped` (by extension)."""
    shards: list[Shard] = []
    batch: list[Part] = []

    def close_batch():
        if batch:
            shards.append(Shard(len(shards), tuple(batch)))
            batch.clear()

    for found in scan(config.inputs, output_folders(config), config.follow_symlinks, skipped):
        path, source = found.path, found.source
        if found.reject is not None:
            batch.append(Part(str(path), source, reason=found.reject.reason, detail=found.reject.detail))
            if len(batch) >= config.files_per_shard:
                close_batch()
            continue
        kind = kind_of(path)
        if kind == "txt":
            batch.append(Part(str(path), source))
            if len(batch) >= config.files_per_shard:
                close_batch()
            continue
        close_batch()
        target = piece_bytes(path, config)
        if kind == "jsonl" and splittable(path, target):
            for start, stop, first in jsonl_ranges(path, target):
                shards.append(Shard(len(shards), (Part(str(path), source, start, stop, first),)))
        else:
            shards.append(Shard(len(shards), (Part(str(path), source),)))
    close_batch()
    return shards


MIN_PIECE_BYTES = 1 << 20


def piece_bytes(path: Path, config: Config) -> int:
    """`shard_bytes`, or less, so that a file gives every worker a few pieces to balance the load.

    The dataset does not depend on how files are cut: only the speed does."""
    try:
        size = path.stat().st_size
    except OSError:
        return config.shard_bytes
    return min(config.shard_bytes, max(MIN_PIECE_BYTES, size // (4 * config.workers) + 1))


def splittable(path: Path, target: int) -> bool:
    """A plain (uncompressed, not UTF-16) JSONL file larger than one shard can be read in byte ranges."""
    from .readers.encoding import sniff_utf16

    try:
        if path.name.lower().endswith((".gz", ".zst", ".zstd")) or path.stat().st_size <= target:
            return False
        with open(path, "rb") as f:
            return not sniff_utf16(f.read(4096))
    except OSError:
        return False


# ---------------------------------------------------------------- schemas of the work files

@cache
def clean_schema() -> pa.Schema:
    doc = arrow_schema("document")
    fields = [f for f in doc if f.name not in CLUSTER_FIELDS]
    line = pa.struct([pa.field("no", pa.int32()), pa.field("text", pa.string()), pa.field("hash", pa.uint64())])
    return pa.schema(fields + [pa.field("_lines", pa.list_(line)), pa.field("_group", pa.string()),
                               pa.field("_raw_chars", pa.int64())])


@cache
def work_rejects_schema() -> pa.Schema:
    """The rejects table, with the removals of a document rejected after cleaning (for the audit)."""
    return pa.schema(list(arrow_schema("rejects")) + [arrow_schema("document").field("removed")])


# ---------------------------------------------------------------- progress

_done: Callable[[int], None] | None = None  # where this process counts documents done (see `_map`)


def progress(n: int = 1) -> None:
    """Count `n` documents done by the stage running, for its bar; nothing where no bar listens."""
    if _done is not None:
        _done(n)


def _adder(counter) -> Callable[[int], None]:
    def add(n: int) -> None:
        with counter.get_lock():
            counter.value += n
    return add


class Bar(tqdm):
    """A stage's bar on standard error, on a terminal only: `clean:  40%|####  | 400/1000 docs [00:02<00:03,
    190 docs/s]`, in whole documents, with one rate; without a known total, the count and the rate."""

    KNOWN = "{desc}: {percentage:3.0f}%|{bar}| {n}/{total} docs [{elapsed}<{remaining}, {docs_per_s}]"
    UNKNOWN = "{desc}: {n} docs [{elapsed}, {docs_per_s}]"

    def __init__(self, stage: str, total: int | None, config: Config, iterable=None):
        super().__init__(iterable, desc=stage, total=total, file=sys.stderr,
                         bar_format=self.KNOWN if total is not None else self.UNKNOWN,
                         disable=None if config.progress else True)

    @property
    def format_dict(self):
        d = super().format_dict
        rate = d["rate"] or (d["n"] / d["elapsed"] if d["elapsed"] else None)
        return {**d, "docs_per_s": f"{rate:,.0f} docs/s" if rate else "? docs/s"}


def known_documents(shards: list[Shard]) -> int | None:
    """The documents the shards hold, when every part is one (a .txt file, a file refused when listed)."""
    parts = [p for shard in shards for p in shard.files]
    if all(p.reason or kind_of(Path(p.path)) == "txt" for p in parts):
        return len(parts)
    return None


# ---------------------------------------------------------------- clean (map)

def _cleaner(config: Config):
    return build(config)  # cheap after the first shard: each pack is parsed once per content


def _judged(cleaner, items: Iterable[RawDoc | Reject]) -> Iterator[tuple[RawDoc | Reject, object]]:
    """Each item with its verdict: the raw documents judged `BATCH` at a time, a reject as it came."""
    items = iter(items)
    while batch := list(islice(items, BATCH)):
        verdicts = iter(judge_all(cleaner, [item for item in batch if isinstance(item, RawDoc)]))
        for item in batch:
            yield item, next(verdicts) if isinstance(item, RawDoc) else item


def map_clean(config: Config, shard: Shard, work: Path, pack_hashes: tuple[str, ...] | None = None) -> dict:
    """Clean one shard; returns its counts and first warnings (reused when the shard finished before).

    `pack_hashes`: the sha256 of the rule packs the run loaded (and fingerprinted, and records in the
    manifest); a worker that reads different bytes (a pack edited during the run) stops the run."""
    done = work / "clean" / f"{shard.name}.json"
    if done.exists():
        summary = json.loads(done.read_text(encoding="utf-8"))
        progress(summary["read"])
        return summary
    cleaner = _cleaner(config)
    if pack_hashes is not None and tuple(p.sha256 for p in cleaner.packs) != tuple(pack_hashes):
        changed = [p.path for p, h in zip(cleaner.packs, pack_hashes) if p.sha256 != h]
        raise CleanerError(f"rule pack {', '.join(changed)} changed while the run was reading it; run the "
                           f"same command again (the shards made with the old rules are not reused)")
    docs = TableWriter(work / "clean" / f"{shard.name}.parquet", clean_schema())
    rejects = TableWriter(work / "clean" / f"{shard.name}.rejects.parquet", work_rejects_schema())
    pairs, group_docs = [], {}
    warnings, read, kept = [], 0, 0
    for part in shard.files:
        for item, result in _judged(cleaner, part.items()):
            read += 1
            progress()
            if isinstance(item, RawDoc) and item.notes and len(warnings) < MAX_WARNINGS:
                warnings.extend(item.notes[:MAX_WARNINGS - len(warnings)])
            if isinstance(result, Reject):
                if config.strict and result.reason != LANG:
                    raise BadInput(f"{result.detail} (--strict: stopping; drop --strict to record it "
                                   f"in the rejects table and go on)")
                if len(warnings) < MAX_WARNINGS:
                    warnings.append(f"rejected {result.detail}")
                rejects.add({**reject_record(result), "removed": removed_records(result.removed)})
                continue
            kept += 1
            record = to_record(result)
            group = freq.group_of(record["domain"], record["outlet"])
            hashes = [freq.line_hash(l.text) for l in result.lines]
            record.update(_lines=[{"no": l.no, "text": l.text, "hash": h} for l, h in zip(result.lines, hashes)],
                          _group=group, _raw_chars=len(item.text))
            docs.add(record)
            if config.dedup:
                pairs.append(freq.doc_pairs(group, hashes))
                g = int(pairs[-1]["group"][0]) if len(pairs[-1]) else freq.h64(group)
                group_docs[g] = group_docs.get(g, 0) + 1
    docs.close()
    rejects.close()
    uniq, counts = freq.count_pairs(np.concatenate(pairs) if pairs else np.empty(0, dtype=freq.PAIR))
    groups = np.array(sorted(group_docs.items()), dtype=np.uint64).reshape(-1, 2)
    part = uniq["line"] % np.uint64(PARTITIONS)  # stored by partition, so a reduce loads one at a time
    _save_npz(work / "clean" / f"{shard.name}.lines.npz", groups=groups,
              **{f"pairs{p}": uniq[part == p] for p in range(PARTITIONS)},
              **{f"counts{p}": counts[part == p] for p in range(PARTITIONS)})
    summary = {"shard": shard.index, "read": read, "kept": kept, "warnings": warnings}
    _write_json(done, summary)
    return summary


def _save_npz(path: Path, **arrays) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)
    no_world_write(path)


def _save_npy(path: Path, array: np.ndarray) -> None:
    make_dirs(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    buffer = io.BytesIO()
    np.save(buffer, array)  # then one plain write: a full disk is ENOSPC (ndarray.tofile's OSError has no errno)
    with open(tmp, "wb") as f:
        f.write(buffer.getbuffer())
    os.replace(tmp, path)
    no_world_write(path)


def _write_json(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    no_world_write(path)


# ---------------------------------------------------------------- lines (reduce)

def freq_config(config: Config) -> freq.FrequentLineConfig:
    return freq.FrequentLineConfig(min_docs=config.frequent_line_min_docs,
                                   min_source_docs=config.frequent_line_min_source_docs,
                                   edge_lines=config.frequent_line_edge_lines)


def reduce_lines(config: Config, bucket: int, work: Path, names: tuple[str, ...]) -> int:
    """A task: the frequent (group, line) pairs of one line-hash bucket, over every shard's counts of it,
    to lines/BUCKET.npy; how many there are."""
    out = work / "lines" / f"{bucket:02d}.npy"
    if out.exists():
        return len(np.load(out))
    group_docs: dict[int, int] = {}
    parts = []
    for name in names:
        with np.load(work / "clean" / f"{name}.lines.npz") as z:
            for g, n in z["groups"].tolist():
                group_docs[g] = group_docs.get(g, 0) + n
            parts.append((z[f"pairs{bucket}"], z[f"counts{bucket}"]))
    frequent = freq.reduce_partition(parts, group_docs, freq_config(config))
    _save_npy(out, frequent)
    return len(frequent)


def frequent_lines(config: Config, work: Path) -> set[tuple[int, int]]:
    """Every bucket's frequent pairs, as `drop_frequent` looks them up (site boilerplate: a few lines a site)."""
    if not config.dedup:
        return set()
    return freq.as_set(np.concatenate([np.load(work / "lines" / f"{p:02d}.npy") for p in range(PARTITIONS)]))


@cache
def _overrides(config: Config):
    """The packs' keep patterns and disabled ids, which bind site-boilerplate removal too."""
    return _cleaner(config).overrides


def drop_frequent(record: dict, frequent: set, config: Config) -> dict:
    """The record without its site-boilerplate lines (text, removed and kept lines updated), but for the
    lines a pack's `[[keep]]` keeps (or all of them, with `disable = ["dedup.frequent_line"]`)."""
    kept = [(l["no"], l["text"], l["hash"]) for l in record["_lines"]]
    decisions = freq.decide(record["_group"], kept, frequent, freq_config(config)) if frequent else {}
    if decisions:
        guard = _overrides(config)
        if guard:
            text = {no: t for no, t, _ in kept}
            decisions = {no: rule for no, rule in decisions.items() if guard.allows(rule, text[no])}
    if not decisions:
        return record
    removed = record["removed"] + [{"line": no, "rule": decisions[no], "text": t} for no, t, _ in kept
                                   if no in decisions]
    left = [l for l in record["_lines"] if l["no"] not in decisions]
    return {**record, "_lines": left, "text": "\n".join(l["text"] for l in left),
            "removed": sorted(removed, key=lambda r: r["line"])}


# ---------------------------------------------------------------- sign (map)

def map_sign(config: Config, shard: Shard, work: Path, firsts: tuple[int, ...], buckets: int) -> int:
    """Body hash and MinHash signature of every document of a shard (its documents are read positions
    `firsts[shard.index]`, ... of the run), after site-boilerplate removal: the signatures to
    sign/NAME.npy (read back by row), one row per LSH band to bands/BUCKET/NAME.parquet (the bucket is
    the band key's), sign/NAME.json last; how many documents."""
    done = work / "sign" / f"{shard.name}.json"
    if done.exists():
        docs = json.loads(done.read_text(encoding="utf-8"))["docs"]
        progress(docs)
        return docs
    frequent = frequent_lines(config, work)
    hashes, sigs, lengths, published, texts = [], [], [], [], []
    for record in iter_rows(work / "clean" / f"{shard.name}.parquet", columns=["text", "published", "_lines", "_group", "removed"]):
        if not config.dedup:
            lengths.append(0)
            continue
        record = drop_frequent(record, frequent, config)
        progress()
        syllables = words(record["text"])  # counted once, for both
        hashes.append(body_hash(syllables))
        texts.append(syllables)
        if len(texts) >= SIGN_BATCH:
            sigs.append(word_signatures(texts, config.near_dup_num_perm, config.near_dup_shingle))
            texts = []
        lengths.append(len(record["text"]))
        published.append(record["published"] or "")
    if config.dedup:
        sigs.append(word_signatures(texts, config.near_dup_num_perm, config.near_dup_shingle))
        spill_bands(config, shard.name, work, buckets, firsts[shard.index], np.array(hashes, dtype=np.uint64),
                    np.concatenate(sigs).reshape(-1, config.near_dup_num_perm), np.array(published, dtype=str),
                    np.array(lengths, dtype=np.int64))
    _write_json(done, {"docs": len(lengths)})
    return len(lengths)


def spill_bands(config: Config, name: str, work: Path, buckets: int, first: int, hashes: np.ndarray, sigs: np.ndarray,
                published: np.ndarray, lengths: np.ndarray) -> None:
    """A shard's signatures, and its band rows partitioned by band-key bucket."""
    empty = lengths == 0  # a body emptied by boilerplate removal is rejected, never a duplicate
    hashes = np.where(empty, np.arange(first, first + len(hashes), dtype=np.uint64), hashes)
    _save_npy(work / "sign" / f"{name}.npy", sigs)
    keys = band_keys(sigs, *lsh_bands(config))
    rows = clusters.band_rows(first, hashes, keys, published, np.where(empty, -1, lengths))
    bucket = rows["key"] % np.uint64(buckets)
    for p in range(buckets):
        _save_parquet(work / "bands" / f"{p:03d}" / f"{name}.parquet", clusters.BAND_ROW,
                      {k: v[bucket == p] for k, v in rows.items()})


# ---------------------------------------------------------------- dedup (reduce)

def reduce_dedup(config: Config, bucket: int, work: Path, names: tuple[str, ...], firsts: tuple[int, ...]) -> int:
    """A task: the exact duplicates (to dedup/BUCKET.exact.parquet) and the confirmed near-duplicate pairs
    (to dedup/BUCKET.pairs.parquet) of one band-key bucket, over every shard's rows of it; how many pairs."""
    exact_path, pairs_path = (work / "dedup" / f"{bucket:03d}.{kind}.parquet" for kind in ("exact", "pairs"))
    if exact_path.exists():
        return pq.read_metadata(pairs_path).num_rows
    rows = _columns(pa.concat_tables(read_table(work / "bands" / f"{bucket:03d}" / f"{name}.parquet")
                                     for name in names))
    exact, pairs = clusters.bucket_pairs(rows, _signature_reader(work, names, firsts), config.near_dup_threshold)
    _save_parquet(pairs_path, clusters.PAIR_ROW, pairs)
    _save_parquet(exact_path, clusters.EXACT_ROW, exact)  # last: it says the bucket is done
    return len(pairs["a"])


def merge_dedup(config: Config, buckets: int, work: Path) -> int:
    """A task: every bucket's duplicates and pairs into clusters, to dedup/fates.parquet (one row per
    document that is not alone); how many rows."""
    out = work / "dedup" / "fates.parquet"
    if not out.exists():
        read = lambda kind: _columns(pa.concat_tables(read_table(work / "dedup" / f"{p:03d}.{kind}.parquet")
                                                      for p in range(buckets)))
        _save_parquet(out, clusters.FATE_ROW, clusters.merge(read("exact"), read("pairs")))
    return pq.read_metadata(out).num_rows


def _signature_reader(work: Path, names: tuple[str, ...], firsts: tuple[int, ...]) -> Callable:
    """docs (sorted read positions) -> their signatures, read row by row from each shard's sign/NAME.npy."""
    starts = np.array(firsts, dtype=np.int64)

    def read(docs: np.ndarray) -> np.ndarray:
        shard = np.searchsorted(starts, docs, side="right") - 1
        out = []
        for s in np.unique(shard).tolist():
            sigs = np.load(work / "sign" / f"{names[s]}.npy", mmap_mode="r")
            out.append(np.array(sigs[docs[shard == s] - starts[s]]))
            del sigs
        return np.concatenate(out)
    return read


def _columns(table: pa.Table) -> dict[str, np.ndarray]:
    return {name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names}


def _save_parquet(path: Path, schema: pa.Schema, columns: dict) -> None:
    make_dirs(path.parent)
    table = pa.table({f.name: pa.array(columns[f.name], type=f.type) for f in schema}, schema=schema)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
    no_world_write(path)


def dedup_buckets(documents: int) -> int:
    """How many band-key buckets: enough that none holds the rows of more than about BUCKET_DOCS documents.
    The result does not depend on it (a (band, key) group is whole in its bucket)."""
    return max(PARTITIONS, -(-documents // BUCKET_DOCS))


def lsh_bands(config: Config) -> tuple[int, int]:
    return optimal_bands(lsh_threshold(config.near_dup_threshold), config.near_dup_num_perm)


def lsh_threshold(threshold: float) -> float:
    """Bands are tuned below the threshold, so that pairs just above it are candidates (p >= 0.98 at
    threshold + 0.05); candidates are then confirmed by their estimated Jaccard against the threshold."""
    return max(0.3, threshold - 0.2)


# ---------------------------------------------------------------- write

class UniqueIds:
    """Ids made unique over a run, in read order: the first `X` stays `X`, a later one becomes `X#2`,
    `X#3`... (skipping any id some input already has). Only the ids that repeat are remembered: the
    hashes of all ids are found first (8 bytes a document), so the result does not depend on how
    the inputs were cut into shards or on the number of workers."""

    def __init__(self, shards: list[Shard], work: Path):
        hashes = np.fromiter((h64(row["id"]) for shard in shards
                              for row in iter_rows(work / "clean" / f"{shard.name}.parquet", columns=["id"])),
                             dtype=np.uint64)
        self.all = np.unique(hashes)
        uniq, counts = np.unique(hashes, return_counts=True)
        self.repeated = set(uniq[counts > 1].tolist())
        self.count: dict[str, int] = {}
        self.issued: set[str] = set()

    def _taken(self, candidate: str) -> bool:
        h = np.uint64(h64(candidate))
        i = int(np.searchsorted(self.all, h))
        return candidate in self.issued or (i < len(self.all) and self.all[i] == h)

    def make(self, doc_id: str) -> str:
        if h64(doc_id) not in self.repeated:
            return doc_id
        n = self.count.get(doc_id, 0) + 1
        self.count[doc_id] = n
        if n == 1:
            return doc_id
        k = n
        while self._taken(f"{doc_id}#{k}"):
            k += 1
        self.issued.add(f"{doc_id}#{k}")
        return f"{doc_id}#{k}"


NAME_ROW = pa.schema([("doc", pa.int64()), ("id", pa.string())])
# the tables a write task fills, as `final_rows` names them, and their schemas
WRITE_PARTS = {"documents": "document", "rejects": "rejects", "removals": "removals", "hashes": "hashes"}


def final_names(config: Config, shards: list[Shard], work: Path, stats: Stats,
                warn: Callable[[str], None] = lambda _: None) -> int:
    """The final id of every document whose id was made unique or that a cluster is named by (its first
    document), by read position, to write/names.parquet, for the write tasks: a few ids, not one a document.
    Warns of the first ids made unique, in read order; how many names."""
    wanted = set()
    if config.dedup:
        fates = read_table(work / "dedup" / "fates.parquet", columns=["cluster", "size"])
        wanted = set(np.unique(fates["cluster"].to_numpy()[fates["size"].to_numpy() > 1]).tolist())
    unique = UniqueIds(shards, work)
    docs, ids, i = [], [], 0
    for shard in shards:
        for row in iter_rows(work / "clean" / f"{shard.name}.parquet", columns=["id", "source"]):
            doc_id = unique.make(row["id"])
            if doc_id != row["id"]:
                stats.ids_made_unique += 1
                if stats.ids_made_unique <= MAX_WARNINGS:
                    warn(f"warning: {row['source']}: id {row['id']!r} was already used by an earlier document; "
                         f"this one is {doc_id!r}")
            if doc_id != row["id"] or i in wanted:
                docs.append(i)
                ids.append(doc_id)
            i += 1
    _save_parquet(work / "write" / "names.parquet", NAME_ROW, {"doc": np.array(docs, dtype=np.int64), "id": ids})
    return len(docs)


def map_write(config: Config, shard: Shard, work: Path, firsts: tuple[int, ...]) -> dict:
    """A task: a shard's rows of the version, in read order: its documents without their site-boilerplate
    lines, ids made unique, duplicates and documents left empty rejected; its rejects; the removal audit
    and the content hashes of both. The four tables go to write/NAME.PART.parquet, the shard's counts to
    write/NAME.json (last: it says the shard is done), which it returns."""
    done = work / "write" / f"{shard.name}.json"
    if done.exists():
        counts = json.loads(done.read_text(encoding="utf-8"))
        progress(counts["read"])
        return counts
    from .publish import final_rows

    stats = Stats()
    writers = {part: TableWriter(work / "write" / f"{shard.name}.{part}.parquet", arrow_schema(schema))
               for part, schema in WRITE_PARTS.items()}
    try:
        for kind, record in shard_items(config, shard, work, firsts[shard.index], stats):
            progress()
            for part, row in final_rows(kind, record):
                writers[part].add(row)
        for writer in writers.values():
            writer.close()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    counts = stats_counts(stats)
    _write_json(done, counts)
    return counts


def write_parts(shards: list[Shard], work: Path) -> Iterator[dict[str, Path]]:
    """Each shard's tables from `map_write`, in read order."""
    for shard in shards:
        yield {part: work / "write" / f"{shard.name}.{part}.parquet" for part in WRITE_PARTS}


def shard_items(config: Config, shard: Shard, work: Path, first: int, stats: Stats) -> Iterator[tuple[str, dict]]:
    """Every document and reject of the shard (its documents are read positions first, first + 1, ...) in
    read order, with dedup applied and the ids of write/names.parquet, counting as it goes."""
    frequent = frequent_lines(config, work)
    table = read_table(work / "write" / "names.parquet")
    names = dict(zip(table["doc"].to_pylist(), table["id"].to_pylist()))
    docs = pq.read_metadata(work / "clean" / f"{shard.name}.parquet").num_rows
    fates = iter(_fates(config, work, first, first + docs))
    i, fate = first, next(fates, None)
    for record in iter_rows(work / "clean" / f"{shard.name}.parquet"):
        record = drop_frequent(record, frequent, config)
        record["id"] = names.get(i, record["id"])
        mine = fate if fate is not None and fate["doc"] == i else {"reason": None, "cluster": i, "size": 1}
        if mine is fate:
            fate = next(fates, None)
        stats.read += 1
        if not record["_lines"]:
            yield _reject(stats, record, NO_BODY, f"{record['source']}: every line was removed "
                                                  f"(site boilerplate took the last ones)")
        elif mine["reason"]:
            keep = names[mine["cluster"]]
            yield _reject(stats, record, mine["reason"], f"{record['source']}: "
                          f"{mine['reason'].replace('_', ' ')} of {keep}", duplicate_of=keep)
        else:
            record["cluster_id"] = names.get(mine["cluster"], record["id"])
            record["cluster_size"] = mine["size"]
            _count_kept(stats, record)
            if mine["cluster"] == i:
                stats.cluster_sizes[record["cluster_size"]] += 1
            yield "document", {k: v for k, v in record.items() if not k.startswith("_")}
        i += 1
    for reject in iter_rows(work / "clean" / f"{shard.name}.rejects.parquet"):
        stats.read += 1
        stats.rejected[reject["reason"]] += 1
        stats.removed_rejected.update(r["rule"] for r in reject["removed"] or ())
        yield "reject", reject


def _fates(config: Config, work: Path, first: int, end: int) -> list[dict]:
    """dedup/fates.parquet's rows for the read positions first..end-1, in read order (none without dedup)."""
    if not config.dedup:
        return []
    table = read_table(work / "dedup" / "fates.parquet")
    lo, hi = np.searchsorted(table["doc"].to_numpy(), [first, end])
    return table.slice(lo, hi - lo).to_pylist()


_COUNTERS = tuple(f.name for f in fields(Stats) if f.default_factory is Counter)


def stats_counts(stats: Stats) -> dict:
    """A part of a run's counts as JSON, each counter's keys in the order they came (`Stats.merge` then
    adds the parts up in the order a single pass would have counted them)."""
    return {f.name: list(v.items()) if f.name in _COUNTERS else v for f in fields(Stats)
            for v in [getattr(stats, f.name)]}


def counts_stats(counts: dict) -> Stats:
    """The inverse of `stats_counts`."""
    return Stats(**{k: Counter(dict(map(tuple, v))) if k in _COUNTERS else v for k, v in counts.items()})


def _reject(stats: Stats, record: dict, reason: str, detail: str, duplicate_of: str | None = None):
    """A document rejected at the end (no body left, a duplicate), with its removals for the audit."""
    stats.rejected[reason] += 1
    stats.removed_rejected.update(r["rule"] for r in record["removed"])
    return "reject", {"id": record["id"], "source": record["source"], "reason": reason, "detail": detail,
                      "duplicate_of": duplicate_of, "removed": record["removed"]}


COVERED_FIELDS = ("title", "url", "published", "authors", "urls", "domain", "outlet", "photo_credits", "page_date")


def _count_kept(stats: Stats, record: dict) -> None:
    stats.kept += 1
    stats.coverage.update(f for f in COVERED_FIELDS if record.get(f))
    stats.kept_lines += len(record["_lines"])
    stats.raw_chars += record["_raw_chars"]
    kept_chars = sum(len(l["text"]) for l in record["_lines"])
    stats.kept_chars += kept_chars
    stats.words += len(record["text"].split())
    stats.lengths_raw[length_bin(record["_raw_chars"])] += 1
    stats.lengths_kept[length_bin(kept_chars)] += 1
    stats.langs[record["lang"]] += 1
    for r in record["removed"]:
        stats.removed[r["rule"]] += 1
        if r["rule"] == freq.RULE:
            stats.frequent_by_source[record["_group"] or "(no source)"] += 1


# ---------------------------------------------------------------- the run

def work_dir(config: Config) -> Path:
    return Path(config.out) / config.name / f".work-v{config.version}"


# Config keys that cannot change what a shard holds: how the run is shown, where it runs, and whether
# an existing version may be replaced. Every other key is part of the fingerprint.
NOT_SHAPING = ("progress", "force", "workers", "engine", "ray_address")


def _fingerprint(config: Config, shards: list[Shard], packs: Iterable = (), model: str | None = None) -> str:
    """Everything that shaped the work folder's shards: the config (but for the keys in NOT_SHAPING,
    `strict` included, since a shard finished without it may hold a bad input that --strict would stop
    at), the rule packs' bytes (`packs`: the loaded RulePack objects, user and built-in), the tool's
    version, code and data files (`_tool_digest`), and the inputs' paths, pieces, sizes and mtimes.
    A rerun reuses the shards only when all of it is unchanged."""
    settings = {k: v for k, v in config.to_dict().items() if k not in NOT_SHAPING}
    files = [(p.path, p.source, p.start, p.stop, p.reason, *_stamp(p.path)) for shard in shards for p in shard.files]
    rule_packs = [(p.name, p.version, p.path, p.sha256) for p in packs]
    blob = json.dumps({"work": WORK_VERSION, "tool": _tool_digest(), "config": settings, "rule_packs": rule_packs,
                       "model": model, "files": files}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@cache
def _tool_digest() -> str:
    """sha256 over the tool's version and the bytes of every file of the package that can shape output:
    its code, the built-in rule packs (rules/*.toml), the extractors' data (extract/*.toml) and the
    schemas, the built-in line model. (A model file named by the config is hashed by `_fingerprint`.)"""
    from . import __version__
    from .schema import schema_dir

    digest = hashlib.sha256(f"cleaner {__version__}\0".encode())
    package = Path(__file__).resolve().parent
    files = [(f"cleaner/{p.relative_to(package).as_posix()}", p) for p in package.rglob("*")
             if p.is_file() and p.suffix in (".py", ".toml", ".json") and "__pycache__" not in p.parts]
    files += [(f"schemas/{p.name}", p) for p in Path(schema_dir()).glob("*.json")]
    for name, path in sorted(set(files)):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _stamp(path: str) -> tuple[int, int]:
    """Size and mtime; (-1, -1) for a file gone or unreadable (its reader records why)."""
    try:
        st = os.stat(path)
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns


def prepare_work(config: Config, shards: list[Shard], packs: Iterable = (), model: str | None = None) -> Path:
    """The work folder, emptied first when what is in it was made by another config, rule pack, tool or input."""
    work = work_dir(config)
    stamp = work / "plan.json"
    fingerprint = _fingerprint(config, shards, packs, model)
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint") != fingerprint:
        shutil.rmtree(work)
    make_dirs(work / "clean")
    make_dirs(work / "sign")
    _write_json(stamp, {"fingerprint": fingerprint, "shards": len(shards)})
    return work


def _ray_results(config: Config, fn: Callable, shards: list[Shard], args: tuple) -> Iterator:
    """`fn` over shards as Ray tasks (the work folder must be on storage every node sees), in order."""
    import ray

    if not ray.is_initialized():
        if config.ray_address:
            ray.init(address=config.ray_address, log_to_driver=False)
        else:
            ray.init(num_cpus=config.workers, include_dashboard=False, log_to_driver=False)
    task = ray.remote(fn)
    shared = [ray.put(a) for a in args]
    refs = [task.remote(config, shard, *shared) for shard in shards]
    try:
        for ref in refs:
            yield ray.get(ref)
    except BaseException:  # Ctrl-C or a failed task: the tasks not finished are cancelled
        for ref in refs:
            ray.cancel(ref, force=True)
        raise


def _die_with_parent(parent: int, counter=None) -> None:
    """Worker initializer: a worker dies with the run (Linux PR_SET_PDEATHSIG), so a run killed with
    SIGKILL leaves no orphan blocked for ever or writing into the work folder of the rerun. A worker
    ignores Ctrl-C (the terminal sends it to every process of the group): the run stops its workers.
    It counts the documents it finishes into `counter`, which the run's progress bar reads. It keeps pandas
    out (`keep_pandas_out`)."""
    global _done
    keep_pandas_out()
    if counter is not None:
        _done = _adder(counter)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: orphans exit when their queue breaks
        pass
    if os.getppid() != parent:  # the run died before the signal was armed
        os._exit(1)
    atexit.register(_exit_now)


def keep_pandas_out() -> None:
    """Make pandas unimportable in this process, unless it is imported already: pyarrow imports it the first
    time it builds or converts an array (0.3 s and 30 MB), only to ask whether the data is a pandas object,
    which a run's never is. For a process that does nothing but a run (a worker, the `cleaner clean`
    command): pyarrow then takes pandas as absent for the rest of the process."""
    if "pandas" not in sys.modules and not any(isinstance(f, _NoPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoPandas())


class _NoPandas(importlib.abc.MetaPathFinder):
    """Finds no pandas: an import of it raises ModuleNotFoundError, which pyarrow takes as no pandas. (An
    entry of None in sys.modules would not do: pyarrow's compiled import returns it as the module.)"""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"a cleaner run keeps pandas out of its processes ({name})", name=name)
        return None


def _exit_now() -> None:
    """A worker's last act when the pool shuts it down: exit without the interpreter's teardown (freeing
    every module's objects one by one took 0.3-0.4 s, the run's to wait for). Its results went back
    already, and its files were written whole."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _map(config: Config, fn: Callable, shards: list, *args, desc: str, total: int | None,
         on_result=None, counts: bool = True) -> list:
    """Run `fn(config, shard, *args)` over shards: in this process, in `config.workers` processes, or as
    Ray tasks (`config.engine == "ray"`); results come back in shard order whatever the engine.

    The stage's bar counts documents (`total` of them, when known) as `fn` reports them (`progress`):
    directly in this process; from worker processes through a shared counter, read while waiting; from
    Ray tasks, which cannot share it, a shard at a time as its result comes back. A reduce
    (`counts=False`: its items are buckets, its results counts of another thing) shows its label while it
    runs, and fills its bar when it is done.
    """
    bar = Bar(desc, total, config)
    results = []

    def done(result, count: bool = False) -> None:
        results.append(result)
        on_result and on_result(result)
        if count:
            bar.update(result["read"] if isinstance(result, dict) else result)

    global _done
    try:
        if config.engine == "ray":
            for result in _ray_results(config, fn, shards, args):
                done(result, count=counts)
        elif config.workers <= 1 or not shards:
            _done = bar.update
            for shard in shards:
                done(fn(config, shard, *args))
        else:
            pool, counter = _workers(config)
            with counter.get_lock():
                counter.value = 0  # the stage before finished every task: nothing counts into it now
            try:
                futures = [pool.submit(_pool_task, fn, config, shard, *args) for shard in shards]
                for future in futures:
                    done(_waiting(future, lambda: bar.update(counter.get_obj().value - bar.n)))
                bar.update(counter.get_obj().value - bar.n)
            except BaseException as e:  # Ctrl-C, a failed shard, a dead worker: stop now, not after the stage
                _stop(pool)
                if isinstance(e, BrokenProcessPool):
                    raise CleanerError(
                        f"a worker process of the {desc} stage died (killed, out of memory, or unable to start: "
                        f"worker processes cannot start from a script piped on standard input). Shards that "
                        f"finished are kept: run the same command again, or with --workers 1") from None
                raise
        if not counts and total:
            bar.update(total - bar.n)
    finally:
        _done = None
        bar.close()
    return results


def _pool_task(fn: Callable, config: Config, item, *args):
    """A task of `_map` as a worker runs it: `fn(config, item, *args)`, then the memory it freed given back.

    A worker lives for the whole run, and what it holds carries over from task to task and from stage to
    stage; without this, the largest worker's peak grew with the corpus (bench/README.md, "Peak memory"):
    - the caches of the clean map (the passes' caches on line texts, fuller the more documents a worker
      cleaned, and the language profiles) stayed held through the sign and write maps, which never ask
      them: a worker drops them when it leaves the clean map;
    - each allocator kept its own high-water mark of the task before (Arrow's pool after a write task,
      glibc's heap after a sign task), and they peak at different moments: both give their free pages back
      after each task.
    No result changes (the caches are of pure functions); the cost is a few ms a task, and about 0.1 s
    each time a worker leaves the clean map."""
    global _cleaned
    if fn is map_clean:
        _cleaned = True
    elif _cleaned:
        _drop_clean_caches()
        _cleaned = False
    try:
        return fn(config, item, *args)
    finally:
        _give_back()


_cleaned = False  # this worker ran a clean task since it last dropped the clean map's caches


def _drop_clean_caches() -> None:
    """Empty the caches only the clean map asks: the bounded caches of the package's modules (the
    lru_caches keyed on line texts, and whatever else has `cache_parameters` with a `maxsize`) and the
    language profiles."""
    from .passes import lang

    lang._factory.cache_clear()
    for name, module in list(sys.modules.items()):
        if name == "cleaner" or name.startswith("cleaner."):
            for obj in list(vars(module).values()):
                if (not isinstance(obj, type) and hasattr(obj, "cache_parameters")
                        and obj.cache_parameters()["maxsize"] is not None):
                    obj.cache_clear()


def _give_back() -> None:
    """Return the pages the allocators hold free to the system: Arrow's pool (mimalloc or jemalloc keep
    freed memory for reuse) and glibc's heap (by itself it trims only its top, and only past a threshold
    that grows up to 64 MB as large blocks are freed)."""
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


_POOL: tuple[ProcessPoolExecutor, object] | None = None  # the run's worker processes and their counter


def _workers(config: Config) -> tuple[ProcessPoolExecutor, object]:
    """The run's pool of `config.workers` processes, started by the first stage that needs it and kept
    for the others (a spawned worker takes about a second to import the tool), and its shared counter."""
    global _POOL
    if _POOL is None or getattr(_POOL[0], "_broken", False) or getattr(_POOL[0], "_shutdown_thread", False):
        ctx = mp.get_context("spawn")
        counter = ctx.Value("q", 0)
        _POOL = (ProcessPoolExecutor(config.workers, mp_context=ctx, initializer=_die_with_parent,
                                     initargs=(os.getpid(), counter)), counter)
    return _POOL


def _start_workers(config: Config) -> None:
    """Start the run's pool now: a process starts when a task is submitted, so one no-op each."""
    pool, _ = _workers(config)
    for _ in range(config.workers):
        pool.submit(os.getpid)


@contextmanager
def _run_pool():
    """The run's worker pool lives as long as the run, and ends with it however it ends."""
    global _POOL
    try:
        yield
    finally:
        if _POOL is not None:
            _POOL[0].shutdown()
            _POOL = None


def _waiting(future, meanwhile: Callable[[], None], every: float = 0.2):
    """The future's result; `meanwhile()` every `every` seconds until it comes."""
    while True:
        try:
            return future.result(timeout=every)
        except TimeoutError:
            meanwhile()


def _stop(pool: ProcessPoolExecutor, grace: float = 2.0) -> None:
    """Cancel the shards not started and end the workers at once (SIGTERM, then SIGKILL after `grace`
    seconds). A shard a worker was writing is lost whole: its files are written under temporary names.

    Then it waits for the pool's manager thread to end: left running, it closes its wake-up pipe while
    the interpreter's exit writes to it (Python 3.11 takes no lock there, gh-125451), and a run that
    failed cleanly ended with "OSError: Bad file descriptor" and a traceback."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown(wait=False) forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    deadline = time.monotonic() + grace
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join(1.0)
    if manager is not None:
        manager.join(grace)  # its workers are gone: it sees them end, and stops


def _timed(items: Iterable, stats: Stats, stage: str) -> Iterator:
    """Pass items through, adding the time spent producing and consuming them to `stats.stages[stage]`."""
    start = time.perf_counter()
    yield from items
    stats.stages[stage] += time.perf_counter() - start


def run(config: Config, warn: Callable[[str], None] | None = None):
    """Clean `config.inputs` into `config.out/NAME/vX.Y.Z`; returns (version folder, stats).

    The version's lock is held for the whole run (a second run of it fails at once), and a full
    disk anywhere becomes one DiskFull error."""
    from .publish.version import disk_full_is_an_error, version_dir, version_lock

    final = version_dir(config.out, config.name, config.version)
    with disk_full_is_an_error(final), version_lock(final):
        try:
            with _run_pool():
                return _run(config, warn)
        except Interrupted:
            raise
        except KeyboardInterrupt:
            raise _interrupted(config) from None


def _interrupted(config: Config) -> Interrupted:
    """How far an interrupted run got: the shards finished in the map stage it was in (all of them
    once it was past the maps), from the work folder."""
    work = work_dir(config)
    try:
        shards = json.loads((work / "plan.json").read_text(encoding="utf-8"))["shards"]
    except (OSError, ValueError, KeyError):
        return Interrupted(0, 0)
    cleaned = len(list((work / "clean").glob("[0-9]*.json")))
    signed = len(list((work / "sign").glob("[0-9]*.json")))
    return Interrupted(signed if cleaned == shards and signed else cleaned, shards)


def _run(config: Config, warn: Callable[[str], None] | None = None):
    from .publish import write_version
    from .publish.version import check_free, version_dir
    from .publish.versions import manifest, parent_of
    from .termtext import terminal_safe

    from .termtext import colour_enabled, labelled

    colour = colour_enabled(sys.stderr)
    warn = warn or (lambda msg: tqdm.write(labelled(terminal_safe(msg), colour), file=sys.stderr))
    started = time.perf_counter()
    final = version_dir(config.out, config.name, config.version)
    check_free(final, config.force)
    parent = parent_of(final.parent, config.version)
    if parent is not None:
        manifest(parent)  # a damaged parent fails here, before any work, not when the version is written
    if config.engine != "ray" and config.workers > 1:
        _start_workers(config)  # they load the tool while this process builds and plans
    cleaner = build(config)  # a broken rule pack fails here, before any work
    skipped: Counter = Counter()
    shards = plan(config, skipped)
    if not shards:
        raise NoInput(config.inputs, skipped)
    work = prepare_work(config, shards, cleaner.packs, cleaner.model.sha256 if cleaner.model else None)
    warned, shown_rejects = [0], [0]

    def show(summary: dict) -> None:
        for message in summary["warnings"]:
            warned[0] += 1
            if warned[0] <= MAX_WARNINGS:
                warn(f"warning: {message}")
                shown_rejects[0] += message.startswith("rejected ")

    clock, stages = time.perf_counter(), {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[stage], clock = now - clock, now

    summaries = _map(config, map_clean, shards, work, tuple(p.sha256 for p in cleaner.packs), desc="clean",
                     on_result=show, total=known_documents(shards))
    hidden = sum(s["read"] - s["kept"] for s in summaries) - shown_rejects[0]
    if hidden > 0:
        warn(f"warning: {hidden} more rejects not shown; see the rejects table")
    lap("clean")
    names = tuple(shard.name for shard in shards)
    kept = [s["kept"] for s in summaries]
    line_buckets = list(range(PARTITIONS)) if config.dedup else []
    _map(config, reduce_lines, line_buckets, work, names, desc="lines", total=sum(kept), counts=False)
    lap("lines")
    firsts = tuple(np.cumsum([0] + kept[:-1]).tolist())
    buckets = dedup_buckets(sum(kept))
    _map(config, map_sign, shards, work, firsts, buckets, desc="sign", total=sum(kept))
    lap("sign")
    dedup = list(range(buckets)) if config.dedup else []
    _map(config, reduce_dedup, dedup, work, names, firsts, desc="dedup", total=sum(kept), counts=False)
    _map(config, merge_dedup, [buckets] if config.dedup else [], work, desc="dedup", total=sum(kept),
         counts=False)
    lap("dedup")
    stats = Stats(stages=stages, skipped=skipped)
    final_names(config, shards, work, stats, warn)
    parts = _map(config, map_write, shards, work, firsts, desc="write", total=sum(s["read"] for s in summaries))
    for counts in parts:
        stats = stats.merge(counts_stats(counts))
    stats.stages, stats.skipped = stages, skipped  # the parts count documents and lines; the run, the rest
    if not stats.kept:
        shutil.rmtree(work, ignore_errors=True)  # nothing to resume: the same inputs keep nothing again
        raise NothingKept(stats)
    stats.stages["write"] = time.perf_counter() - clock  # the tasks; the version's files add theirs below
    path = write_version(cleaner, _timed(write_parts(shards, work), stats, "write"), stats, started, warn=warn)
    shutil.rmtree(work, ignore_errors=True)
    return path, stats
