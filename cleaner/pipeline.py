"""The cleaning pipeline: raw document in, cleaned Document (or a reject) out; and the run over inputs."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterator

from tqdm import tqdm

from . import extract
from .config import Config
from .document import Document, from_text
from .errors import BadInput
from .passes import dup_lines, lang, rules, title, unicode
from .readers import RawDoc, Reject, read_inputs
from .readers.base import derive_id
from .rulepack import Rule, RulePack, load_pack
from .stats import Stats

NO_BODY = "no_body"
LANG = "lang"
PASS_ORDER = (unicode.NAME, rules.NAME, title.NAME, dup_lines.NAME, extract.NAME, lang.NAME)
MAX_WARNINGS = 20


@dataclass(frozen=True)
class Cleaner:
    """Everything a document's cleaning depends on, resolved once per run."""

    config: Config
    packs: tuple[RulePack, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for pack in self.packs for rule in pack.rules)

    def clean(self, doc: Document) -> Document:
        doc = unicode.apply(doc)
        doc = rules.apply(doc, self._rules)
        doc = title.apply(doc)
        doc = dup_lines.apply(doc)
        doc = extract.apply(doc)
        return lang.apply(doc, self.config.lang_sample_chars)

    def __post_init__(self):
        object.__setattr__(self, "_rules", self.rules)


def build(config: Config) -> Cleaner:
    return Cleaner(config=config, packs=tuple(load_pack(p) for p in config.rule_packs))


def to_document(raw: RawDoc) -> Document:
    return from_text(raw.id or derive_id(raw.source), raw.source, raw.text, raw.fields)


def judge(cleaner: Cleaner, raw: RawDoc) -> Document | Reject:
    """Clean one raw document; a document left with no body, or in the wrong language, is a reject."""
    doc = cleaner.clean(to_document(raw))
    if not doc.lines:
        return Reject(raw.source, NO_BODY, f"{raw.source}: every line was removed "
                      f"({len(doc.removed)} lines; run `cleaner explain` on it to see why)", doc.id)
    want = cleaner.config.lang
    if want and doc.meta["lang"] != want:
        return Reject(raw.source, LANG, f"{raw.source}: language {doc.meta['lang']} "
                      f"(p={doc.meta['lang_prob']}), not {want}", doc.id)
    return doc


def to_record(doc: Document) -> dict:
    """The documents-table row (see schemas/document.schema.json)."""
    m = doc.meta
    return {
        "id": doc.id, "source": doc.source, "text": doc.text,
        "title": m.get("title"), "url": m.get("url"), "published": m.get("published"),
        "authors": list(m.get("authors", ())), "lang": m["lang"], "lang_prob": m["lang_prob"],
        "removed": [{"line": r.line, "rule": r.rule, "text": r.text} for r in doc.removed],
        "urls": list(m.get("urls", ())), "domain": m.get("domain"), "outlet": m.get("outlet"),
        "photo_credits": list(m.get("photo_credits", ())), "page_date": m.get("page_date"),
        "meta_rules": list(m.get("meta_rules", ())),
    }


def reject_record(rej: Reject) -> dict:
    return {"id": rej.id, "source": rej.source, "reason": rej.reason, "detail": rej.detail, "duplicate_of": None}


def stream(cleaner: Cleaner, stats: Stats, warn: Callable[[str], None]) -> Iterator[tuple[str, dict]]:
    """("document", record) or ("reject", record) for every input document, counting as it goes."""
    config = cleaner.config
    warnings = 0
    items = read_inputs(config.inputs)
    bar = tqdm(items, unit="doc", desc="clean", disable=None if config.progress else True, file=sys.stderr)
    for item in bar:
        stats.read += 1
        result = judge(cleaner, item) if isinstance(item, RawDoc) else item
        if isinstance(result, Reject):
            if config.strict and result.reason not in (LANG,):
                raise BadInput(f"{result.detail} (--strict: stopping; drop --strict to record it in the rejects table and go on)")
            stats.rejected[result.reason] += 1
            warnings += 1
            if warnings <= MAX_WARNINGS:
                warn(f"warning: rejected {result.detail}")
            elif warnings == MAX_WARNINGS + 1:
                warn("warning: more rejects follow; see the rejects table")
            yield "reject", reject_record(result)
            continue
        stats.kept += 1
        stats.kept_lines += len(result.lines)
        stats.raw_chars += len(item.text)
        stats.kept_chars += sum(len(line.text) for line in result.lines)
        stats.langs[result.meta["lang"]] += 1
        for r in result.removed:
            stats.removed[r.rule] += 1
        yield "document", to_record(result)


def run(config: Config, warn: Callable[[str], None] | None = None):
    """Clean `config.inputs` into the version folder `config.out/NAME/vX.Y.Z`; returns (path, stats)."""
    from .publish import write_version

    warn = warn or (lambda msg: tqdm.write(msg, file=sys.stderr))
    cleaner = build(config)
    stats = Stats()
    started = time.perf_counter()
    path = write_version(cleaner, stream(cleaner, stats, warn), stats, started)
    return path, stats
