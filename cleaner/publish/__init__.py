"""Write a dataset version: documents and rejects as Parquet, the card, and the manifest."""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..errors import UsageError
from ..readers import list_files
from ..schema import arrow_schema, load_json_schema
from ..stats import Stats
from . import card
from .parquet import ShardWriter, file_entry
from .version import check_free, list_versions, resolve_version, staging, version_dir

__all__ = ["write_version", "version_dir", "list_versions", "resolve_version"]

DATA_GLOB = "data/train-*.parquet"
REJECTS_GLOB = "rejects/rejects-*.parquet"


def input_fingerprint(inputs: tuple[str, ...]) -> dict:
    """sha256 over every input file's source name and bytes, in reading order."""
    digest = hashlib.sha256()
    files = 0
    total = 0
    for path, source in list_files(inputs):
        digest.update(source.encode("utf-8") + b"\0")
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
                total += len(chunk)
        digest.update(b"\0")
        files += 1
    return {"sha256": digest.hexdigest(), "files": files, "bytes": total}


def write_version(cleaner, items: Iterable[tuple[str, dict]], stats: Stats, started: float) -> Path:
    config = cleaner.config
    final = version_dir(config.out, config.name, config.version)
    check_free(final, config.force)
    with staging(final, config.force) as tmp:
        docs = ShardWriter(tmp / "data", "train", arrow_schema("document"), config.shard_rows, config.row_group_rows)
        rejects = ShardWriter(tmp / "rejects", "rejects", arrow_schema("rejects"), config.shard_rows, config.row_group_rows)
        for kind, record in items:
            (docs if kind == "document" else rejects).add(record)
        data_files, reject_files = docs.close(), rejects.close(keep_empty=False)
        files = data_files + reject_files
        stats.seconds = time.perf_counter() - started
        packs = [{"name": p.name, "version": p.version, "sha256": p.sha256} for p in cleaner.packs]
        summary = stats.to_dict()
        meta = card.front_matter(
            name=config.name, license=config.license, documents=stats.kept,
            languages=sorted({lang for lang in stats.langs if lang != "und"}) or ["vi"],
            configs={"default": (DATA_GLOB, arrow_schema("document"), card.split_sizes(data_files)),
                     # `datasets` cannot load a config with no rows, so an empty table gets no config
                     **({"rejects": (REJECTS_GLOB, arrow_schema("rejects"), card.split_sizes(reject_files))}
                        if reject_files else {})},
        )
        problems = card.validate(meta)
        if problems:
            raise UsageError("the dataset card would not be valid on the Hub: " + "; ".join(problems))
        (tmp / "README.md").write_text(card.render(
            meta, name=config.name, version=config.version, stats=summary, packs=packs,
            removed_by_family=dict(stats.removed_by_family().most_common())), encoding="utf-8")
        manifest = {
            "tool": {"name": "cleaner", "version": __version__},
            "name": config.name, "version": config.version,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "config": config.to_dict(),
            "rule_packs": packs,
            "schemas": {n: load_json_schema(n)["$id"] for n in ("document", "rejects")},
            "inputs": input_fingerprint(config.inputs),
            "stats": summary,
            "files": [file_entry(p, tmp) for p in files + [tmp / "README.md"]],
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return final
