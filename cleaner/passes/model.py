"""The structural decisions, made by the learned line model over what the rules and steps said.

The rule pack, the headline and the duplicate lines have been taken when this runs. The structural
steps (`boilerplate.py`) then say what they would remove; their word becomes a feature of the line,
beside its shape and its neighbours', and the model decides each line still kept. A line the model
removes keeps the step's rule id when a step also said so, else it goes as `model.FAMILY`.

A document is never emptied here: with no body left, what looked like junk around it is the body.

The body guard: no step and no model decision removes a line that reads as a body paragraph (two or
more sentences, or long, or running prose). Only a rule-pack pattern or deduplication can.

As in `boilerplate.apply`, the decisions are repeated over the kept lines alone, as a second cleaning
of the output would see them, until that changes nothing: cleaning twice changes nothing.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Sequence

import numpy as np

from ..document import Document
from ..model import LineModel
from ..model.features import Slot, function_share, matrices, sentence_breaks
from . import boilerplate

NAME = "model"
MAX_ROUNDS = 4
# The body guard, in the line's own features: a paragraph of running prose is never a caption or a teaser.
GUARD_SENTENCE_BREAKS = 1  # a break between two sentences
GUARD_CHARS = 300  # or longer than this
GUARD_PROSE_WORDS = 25  # or this many words ...
GUARD_PROSE_SHARE = 0.3  # ... of which this share are function words

@lru_cache(maxsize=8192)  # asked of each kept line in every round
def is_body_paragraph(text: str) -> bool:
    """Two or more sentences, or long, or running prose: only a pattern or dedup may remove it.

    >>> is_body_paragraph("Người dân phơi lúa trên sân nhà"), is_body_paragraph("Trời mưa. Nước dâng cao.")
    (False, True)
    """
    t = text.strip()
    if len(t) > GUARD_CHARS or sentence_breaks(t) >= GUARD_SENTENCE_BREAKS:
        return True
    return min(len(t.split()), 200) >= GUARD_PROSE_WORDS and function_share(t) >= GUARD_PROSE_SHARE


def boilerplate_rules() -> frozenset[str]:
    """The rule ids of the structural steps (the ones the body guard binds, with the model's own)."""
    return frozenset(v for k, v in vars(boilerplate).items() if k.isupper() and isinstance(v, str) and "." in v
                     and v.split(".")[0] in ("caption", "byline", "related", "other", "nav", "dup"))


def slots(doc: Document) -> list[Slot]:
    """Every non-blank raw line: removed lines with their rule, kept lines with what the steps would say."""
    steps = {r.line: r.rule for r in boilerplate.steps(doc).removed}
    out = [Slot(l.no, l.text, None, steps.get(l.no)) for l in doc.lines]
    out += [Slot(r.line, r.text, r.rule, None) for r in doc.removed]
    return sorted(out)


def judged(doc: Document, model: LineModel, guard: bool = False) -> tuple[list[Slot], np.ndarray, np.ndarray, int]:
    """The judged lines' slots, their feature rows and their probability of being boilerplate, and how many
    lines are kept. Every kept line is judged, or with `guard` those the body guard does not keep: a body
    paragraph is then only read as a neighbour."""
    seq, judge, kept = _judge(doc, guard)
    x = matrices([(seq, judge)])
    return [seq[i] for i in judge], x, model.probability(x), kept


def _judge(doc: Document, guard: bool) -> tuple[list[Slot], list[int], int]:
    """The document's slots, the indices of those to judge, and how many lines are kept."""
    judged_lines = {line.no for line in doc.lines if not (guard and is_body_paragraph(line.text))}
    if not judged_lines:
        return [], [], len(doc.lines)  # nothing to judge: the steps need not say a word
    seq = slots(doc)
    return seq, [i for i, s in enumerate(seq) if s.no in judged_lines], len(doc.lines)


def decide(docs: Sequence[Document], model: LineModel, guard: bool = True) -> list[dict[int, str]]:
    """For each document, the lines the model removes and their rules. The documents' rows are built
    together and walked through the forests together: a document costs its features, and a share of a few
    array operations."""
    parts = [_judge(doc, guard) for doc in docs]
    if not parts:
        return []
    x = matrices([(seq, judge) for seq, judge, _ in parts])
    p = model.probability(x)
    go, rows, start = [], [], 0  # each document's removed lines (indices into its judged ones), and their rows
    for seq, judge, kept in parts:
        gone = [j for j, i in enumerate(judge)
                if p[start + j] >= (model.threshold if seq[i].step else model.threshold_alone)]
        # a caption, a teaser or a byline is junk beside a body; with none left, it is the body
        gone = [] if len(gone) == kept else gone
        go.append(gone)
        rows += [start + j for j in gone]
        start += len(judge)
    named = iter(model.family_of(x[np.array(rows, dtype=np.intp)]))
    return [{seq[judge[j]].no: seq[judge[j]].step or f"{NAME}.{family}" for j, family in zip(gone, named)}
            for (seq, judge, _), gone in zip(parts, go)]


def apply(docs: Sequence[Document], model: LineModel, guard: bool = True) -> list[Document]:
    """The model's decisions over each document, then over its kept lines alone, until that changes nothing;
    the documents go through each round together (see `decide`)."""
    docs = list(docs)
    todo = list(range(len(docs)))
    for _ in range(MAX_ROUNDS):
        for i, removed in zip(todo, decide([docs[i] for i in todo], model, guard)):
            docs[i] = docs[i].drop(removed)
        again = decide([replace(docs[i], removed=()) for i in todo], model, guard)
        todo = [i for i, removed in zip(todo, again) if removed]
        for i, removed in zip(todo, filter(None, again)):
            docs[i] = docs[i].drop(removed)
        if not todo:
            break
    return docs


def explain(doc: Document, model: LineModel) -> dict[int, tuple[float, list[tuple[str, float]]]]:
    """For each line the model judged: its probability and the three features that weighed most."""
    kept, x, p, _ = judged(doc, model)
    return {s.no: (float(p[j]), model.strongest(x[j])) for j, s in enumerate(kept)}
