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
    """A dataset version as a `datasets.Dataset`: the latest under `dataset`, or `version` (X.Y.Z)."""
    import datasets

    from .publish import resolve_version

    folder = resolve_version(dataset, version)
    return datasets.load_dataset(str(folder), config_name, split=split)


def explain(inputs: list[str], config: Config | None = None) -> Iterator[tuple[str, list[tuple[int, str, str | None]]] | Reject]:
    """For each input document: (source, [(raw line number, raw line, rule id or None if kept)])."""
    from .document import split_lines
    from .pipeline import build, judge, to_document

    cleaner = build(config or Config(inputs=tuple(inputs)))
    for item in read_inputs(inputs):
        if isinstance(item, Reject):
            yield item
            continue
        doc: Document = cleaner.clean(to_document(item))
        fate = {r.line: r.rule for r in doc.removed}
        yield item.source, [(no, text, fate.get(no)) for no, text in enumerate(split_lines(item.text), 1)]
