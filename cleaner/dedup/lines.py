"""Site boilerplate: lines that recur in many documents of one source.

Map: each document contributes each distinct line key once, under its source
group (domain, else outlet, else the global group). Reduce: per (group, line)
document counts, merged by line-hash partition; a line found in at least
`min_docs` documents of a group that has at least `min_source_docs` documents
is boilerplate. Removal is guarded, so that a story republished many times
keeps its body: a line is taken only when it is not a sentence, or when it
sits near the top or bottom of the body and is short.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .hashing import h64, line_key

RULE = "dedup.frequent_line"
GLOBAL_GROUP = ""
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]$")
PAIR = np.dtype([("group", np.uint64), ("line", np.uint64)])


@dataclass(frozen=True)
class FrequentLineConfig:
    min_docs: int = 5
    min_source_docs: int = 10
    edge_lines: int = 3  # lines this close to the top or bottom of the body...
    edge_max_words: int = 25  # ...are taken when no longer than this, sentence or not
    sentence_words: int = 8  # a line of this many words ending like a sentence, or twice as many, is a sentence


def group_of(domain: str | None, outlet: str | None) -> str:
    return domain or outlet or GLOBAL_GROUP


def line_hash(text: str) -> int | None:
    """The hash lines are counted under: h64 of the line's key; None for a line with no letter or digit
    (never counted). A document's lines are hashed once, when it is cleaned, and kept with it."""
    key = line_key(text)
    return h64(key) if key else None


def doc_pairs(group: str, hashes: list[int | None]) -> np.ndarray:
    """The distinct (group, line) hash pairs of a document whose lines hash to `hashes` (`line_hash`)."""
    g = h64(group)
    keys = {h for h in hashes if h is not None}
    out = np.empty(len(keys), dtype=PAIR)
    out["group"] = g
    out["line"] = np.fromiter(keys, dtype=np.uint64, count=len(keys))
    return out


def count_pairs(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs and how many documents had each."""
    if not len(pairs):
        return pairs, np.zeros(0, dtype=np.int64)
    uniq, counts = np.unique(pairs, return_counts=True)
    return uniq, counts.astype(np.int64)


def reduce_partition(parts: list[tuple[np.ndarray, np.ndarray]], group_docs: dict[int, int],
                     config: FrequentLineConfig) -> np.ndarray:
    """Frequent (group, line) pairs (PAIR, sorted) among the partial counts of one partition."""
    pairs = np.concatenate([p for p, _ in parts]) if parts else np.empty(0, dtype=PAIR)
    if not len(pairs):
        return pairs
    counts = np.concatenate([c for _, c in parts])
    order = np.argsort(pairs, kind="stable")
    pairs, counts = pairs[order], counts[order]
    uniq, start = np.unique(pairs, return_index=True)
    totals = np.add.reduceat(counts, start)
    hot = uniq[totals >= config.min_docs]
    big = np.array([group_docs.get(g, 0) >= config.min_source_docs for g in hot["group"].tolist()], dtype=bool)
    return hot[big.reshape(-1)]


def as_set(pairs: np.ndarray) -> set[tuple[int, int]]:
    """The frequent pairs as `decide` looks them up."""
    return set(zip(pairs["group"].tolist(), pairs["line"].tolist()))


def is_sentence(text: str, config: FrequentLineConfig) -> bool:
    n = len(text.split())
    return n >= 2 * config.sentence_words or (n >= config.sentence_words and bool(_SENTENCE_END.search(text)))


def decide(group: str, lines: list[tuple[int, str, int | None]], frequent: set[tuple[int, int]],
           config: FrequentLineConfig) -> dict[int, str]:
    """Line number -> rule for the frequent lines of one document that the guard lets go; `lines` are
    its (number, text, `line_hash(text)`)."""
    if not frequent:
        return {}
    g = h64(group)
    n = len(lines)
    out = {}
    for i, (no, text, line) in enumerate(lines):
        if line is None or (g, line) not in frequent:
            continue
        near_edge = i < config.edge_lines or i >= n - config.edge_lines
        if not is_sentence(text, config) or (near_edge and len(text.split()) <= config.edge_max_words):
            out[no] = RULE
    return out
