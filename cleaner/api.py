"""The library functions the CLI commands are named after."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .config import Config
from .document import Document
from .readers import RawDoc, Reject, read_inputs


def clean(config: Config):
    """Run the pipeline over `config.inputs`; returns (version folder, stats)."""
    from .engine import run
    return run(config)


def load(dataset: str | Path, version: str | None = None, config_name: str = "default", split: str = "train"):
    """A dataset version as a `datasets.Dataset`: the latest under `dataset`, or `version` (X.Y.Z).

    `dataset` is a local folder of versions or a hub repo id ORG/NAME, whose tag `vX.Y.Z` is loaded (`main`,
    the last push, without `version`). Only a name of exactly that form, with no such local path and no
    local folder ORG, goes to the hub: a mistyped local path is a DatasetNotFound naming it. A local version
    is read only through its manifest and card, both checked first (DamagedVersion, OutsideVersion).
    """
    import datasets

    from .publish import hub, resolve_version
    from .publish.manifest import card_patterns, read_manifest

    where = hub.where_is(dataset)
    if where == "hub":
        return hub.load(str(dataset), version, config_name, split)
    folder = resolve_version(dataset, version)
    read_manifest(folder)
    card_patterns(folder)
    return datasets.load_dataset(str(folder), config_name, split=split)


def push(dataset: str | Path, repo: str, version: str | None = None, private: bool = False, dry_run: bool = False):
    """Publish a local version (default: the latest) to the hub dataset repo `repo` (ORG/NAME), tagged `vX.Y.Z`.

    Returns a `cleaner.publish.hub.PushResult`; with `dry_run`, only the plan (nothing is changed on the hub).
    """
    from .publish import hub
    return hub.push(dataset, repo, version=version, private=private, dry_run=dry_run)


def versions(dataset: str | Path) -> list[dict]:
    """Each version of a dataset folder with its counts, oldest first."""
    from .publish.versions import summaries
    return summaries(dataset)


def diff(dataset: str | Path, old: str, new: str):
    """What changed from version `old` to version `new`: documents, removals per rule, schema, config."""
    from .publish.versions import diff_versions
    return diff_versions(dataset, old, new)


def explain(inputs: list[str], config: Config | None = None) -> Iterator[tuple[str, list[tuple]] | Reject]:
    """For each input document: (source, [(raw line number, raw line, rule id or None if kept, why)]).

    `why` is None, or for a line the line model judged, (its probability of being boilerplate, the three
    features that weighed most, each with its push on the log-odds)."""
    from .document import split_lines
    from .passes import model
    from .pipeline import build, to_document

    cleaner = build(config or Config(inputs=tuple(inputs)))
    for item in read_inputs(inputs):
        if isinstance(item, Reject):
            yield item
            continue
        prepared = cleaner.prepare(to_document(item))
        why = model.explain(prepared, cleaner.model) if cleaner.model else {}
        doc: Document = cleaner.clean(to_document(item))
        fate = {r.line: r.rule for r in doc.removed}
        yield item.source, [(no, text, fate.get(no), why.get(no)) for no, text in enumerate(split_lines(item.text), 1)]


def explain_version(dataset: str | Path, version: str | None = None, id: str | None = None,
                    source: str | None = None):
    """What a dataset version did with one document, from its own tables (`cleaner.review.store.Explained`):
    kept or rejected (reason, `duplicate_of`), every line with the rule that removed it, site boilerplate
    (`dedup.frequent_line`) included. Give the document's `id` or its `source`, not both; default version:
    the latest. NotExplained / NotInVersion name what is missing."""
    from .errors import NotExplained, UsageError
    from .publish import resolve_version
    from .review.store import Version

    if (id is None) == (source is None):
        raise NotExplained(f"{dataset}: give --id ID or --source SRC (one of them) to say which document to explain")
    try:
        resolve_version(dataset, version)
    except UsageError as e:
        raise NotExplained(str(e)) from None
    return Version(dataset, version).explain(id=id, source=source)


def clean_text(text: str, config: Config | None = None, **fields) -> dict:
    """Clean one text as `clean` would and return its dataset row as a dict; nothing is written.

    `fields` are the input's own fields, as a JSONL line would carry them (`id`, `url`, `title`, ...). The
    cross-document stages (site boilerplate, duplicates) need a corpus and do not run: `cluster_id` is the
    row's own id, `cluster_size` 1. A text the cleaning rejects (every line removed: `no_body`; another
    language with `config.lang`: `lang`) returns the rejects-table row instead (`reason`, `detail`).

    >>> import cleaner
    >>> cleaner.clean_text("Ảnh: TTXVN")["reason"]
    'no_body'
    """
    from .pipeline import build, judge, reject_record, to_record

    given = dict(fields)
    doc_id = given.pop("id", None)
    source = str(given.pop("source", "text"))
    result = judge(build(config or Config()), RawDoc(source, text, None if doc_id is None else str(doc_id), given))
    if isinstance(result, Reject):
        return reject_record(result)
    row = to_record(result)
    row.update(cluster_id=row["id"], cluster_size=1)
    return row


def rules(config: Config | None = None) -> list[dict]:
    """Every rule id a run with `config` can write: id, description, examples, origin (a pack's name, `step`
    for the code steps, `model` for the line model's families), disabled; `[[keep]]` patterns too (keep)."""
    from .catalog import rule_table
    from .pipeline import build
    return rule_table(build(config or Config()))


def train(folders: list[str], out: str | Path, extra: list[str] = (), extra_weight: float | None = None) -> dict:
    """Fit the line model on labelled folders (the layout of ../shared/samples) and write it to `out`."""
    from .model import train as fit

    weight = fit.EXTRA_WEIGHT if extra_weight is None else extra_weight
    return fit.train(folders, out, extra=extra, extra_weight=weight)


def review(dataset: str | Path, version: str | None = None, inputs: list[str] | None = None):
    """A version opened for review (`cleaner.review.store.Version`): its index, rows and marks.

    `inputs` says where the raw inputs are now (default: the manifest's), to place blank lines exactly."""
    from .review.store import Version
    return Version(dataset, version, inputs=inputs)
