"""The cleaning pipeline: one raw document in, a cleaned Document (or a reject) out. The run is in engine.py."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from . import extract

from .config import Config, pack_names
from .document import NO_OVERRIDES, Document, Overrides, from_text
from .model import LineModel, load as load_model
from .passes import boilerplate, dup_lines, lang, model, rules, title, unicode
from .readers import RawDoc, Reject
from .readers.base import derive_id
from .rulepack import Rule, RulePack, check_packs, load_pack

NO_BODY = "no_body"
LANG = "lang"
PASS_ORDER = (unicode.NAME, rules.NAME, title.NAME, dup_lines.NAME, boilerplate.NAME, model.NAME, extract.NAME,
              lang.NAME)
BUILTIN_MODELS = {"vi-news": None}  # name -> file (None: the package's own)
BATCH = 32  # documents cleaned together (`Cleaner.clean_all`): the model walks their lines at once


@dataclass(frozen=True)
class Cleaner:
    """Everything a document's cleaning depends on, resolved once per run."""

    config: Config
    packs: tuple[RulePack, ...]
    model: LineModel | None = None  # None: the structural steps decide alone
    overrides: Overrides = NO_OVERRIDES  # the packs' `[[keep]]` patterns and `disable` lists

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The packs' rules in order, but for the disabled ones (so the next rule may take their line)."""
        return tuple(rule for pack in self.packs for rule in pack.rules if rule.id not in self.overrides.disabled)

    def prepare(self, doc: Document) -> Document:
        """The passes that say what a line is outright: unicode, the rule pack, the headline, repeats."""
        doc = unicode.apply(replace(doc, overrides=self.overrides))
        doc = rules.apply(doc, self._line_rules)
        doc = title.apply(doc)
        doc = rules.apply(doc, self._headline_shaped)
        return dup_lines.apply(doc)

    def structure(self, docs: Sequence[Document]) -> list[Document]:
        """The structural decisions: the learned model over the steps' word, or the steps alone."""
        return model.apply(docs, self.model) if self.model else [boilerplate.apply(doc) for doc in docs]

    def clean(self, doc: Document) -> Document:
        return self.clean_all([doc])[0]

    def clean_all(self, docs: Sequence[Document]) -> list[Document]:
        """Each document cleaned as `clean` cleans it alone; the model judges their lines together."""
        done = self.structure([self.prepare(doc) for doc in docs])
        found = [extract.apply(doc) for doc in done]
        # where the headline found left the body, the neighbourhoods changed
        moved = [i for i, (f, doc) in enumerate(zip(found, done)) if len(f.lines) < len(doc.lines)]
        for i, doc in zip(moved, self.structure([found[i] for i in moved])):
            found[i] = doc
        return [lang.apply(doc, self.config.lang_sample_chars) for doc in found]

    def __post_init__(self):
        run = self.rules  # split once for the two rule passes of `prepare`
        object.__setattr__(self, "_line_rules", tuple(r for r in run if r.id not in title.HEADLINE_SHAPED_RULES))
        object.__setattr__(self, "_headline_shaped", tuple(r for r in run if r.id in title.HEADLINE_SHAPED_RULES))


def model_of(config: Config) -> LineModel | None:
    """The config's `model`: a built-in name, a model file, or `none`."""
    if not config.model or config.model == "none":
        return None
    return load_model(BUILTIN_MODELS[config.model] if config.model in BUILTIN_MODELS else config.model)


def overrides_of(packs: tuple[RulePack, ...]) -> Overrides:
    return Overrides(keep=tuple(k for p in packs for k in p.keep),
                     disabled=frozenset(rid for p in packs for rid in p.disable))


def build(config: Config) -> Cleaner:
    """The run's packs (checked against each other: no name or rule id twice), model and overrides."""
    from .catalog import known_code_ids

    packs = tuple(load_pack(p) for p in pack_names(config))
    line_model = model_of(config)
    check_packs(packs, known_code_ids(line_model.families if line_model else None))
    return Cleaner(config=config, packs=packs, model=line_model, overrides=overrides_of(packs))


def to_document(raw: RawDoc) -> Document:
    doc = from_text(raw.id or derive_id(raw.source), raw.source, raw.text, raw.fields)
    return doc.with_meta(encoding=raw.encoding) if raw.encoding else doc


def judge(cleaner: Cleaner, raw: RawDoc) -> Document | Reject:
    """Clean one raw document; a document left with no body, or in the wrong language, is a reject."""
    return judge_all(cleaner, [raw])[0]


def judge_all(cleaner: Cleaner, raws: Sequence[RawDoc]) -> list[Document | Reject]:
    """`judge` for each raw document, cleaned together (`Cleaner.clean_all`)."""
    return [verdict(cleaner, raw, doc) for raw, doc in zip(raws, cleaner.clean_all([to_document(r) for r in raws]))]


def verdict(cleaner: Cleaner, raw: RawDoc, doc: Document) -> Document | Reject:
    """The cleaned document, or a reject: left with no body, or in the wrong language."""
    if not doc.lines:
        return Reject(raw.source, NO_BODY, f"{raw.source}: every line was removed "
                      f"({len(doc.removed)} lines; run `cleaner explain` on it to see why)", doc.id, doc.removed)
    want, floor = cleaner.config.lang, cleaner.config.min_lang_prob
    if want and (doc.meta["lang"] != want or doc.meta["lang_prob"] < floor):
        sure = f", below min_lang_prob {floor}" if doc.meta["lang"] == want else f", not {want}"
        return Reject(raw.source, LANG, f"{raw.source}: language {doc.meta['lang']} "
                      f"(p={doc.meta['lang_prob']}){sure}", doc.id, doc.removed)
    return doc


def to_record(doc: Document) -> dict:
    """The documents-table row (see schemas/document.schema.json)."""
    m = doc.meta
    return {
        "id": doc.id, "source": doc.source, "text": doc.text,
        "title": m.get("title"), "url": m.get("url"), "published": m.get("published"),
        "authors": list(m.get("authors", ())), "lang": m["lang"], "lang_prob": m["lang_prob"],
        "removed": removed_records(doc.removed),
        "urls": list(m.get("urls", ())), "domain": m.get("domain"), "outlet": m.get("outlet"),
        "photo_credits": list(m.get("photo_credits", ())), "page_date": m.get("page_date"),
        "meta_rules": list(m.get("meta_rules", ())),
        "encoding": m.get("encoding"),
    }


def reject_record(rej: Reject) -> dict:
    """The rejects-table row (see schemas/rejects.schema.json)."""
    return {"id": rej.id, "source": rej.source, "reason": rej.reason, "detail": rej.detail, "duplicate_of": None}


def removed_records(removed) -> list[dict]:
    return [{"line": r.line, "rule": r.rule, "text": r.text} for r in removed]
