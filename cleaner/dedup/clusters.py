"""Exact and near-duplicate documents: which stay, which go, and the clusters they form, one bucket at a time.

Each document contributes one row per LSH band (`BAND_ROW`: its read position, the band, the band's key,
its body hash and what the preference needs), spilled by the map to the bucket `key % buckets`. Copies
with the same body have the same words, so the same signature and the same key in every band: a
bucket holds each exact-duplicate group whole in each of its (band, key) groups. So a bucket decides
alone (`bucket_pairs`): the preferred copy of each body stays, the others are exact duplicates (told
once, from band 0) and leave the bucket; the first remaining document of each (band, key) group is a
candidate with each other one, kept when their estimated Jaccard reaches the threshold. `merge` then
runs the union-find over those pairs only and names each cluster's representative.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pyarrow as pa

DUPLICATE = "duplicate"
NEAR_DUPLICATE = "near_duplicate"

BAND_ROW = pa.schema([("doc", pa.int64()), ("band", pa.int16()), ("key", pa.uint64()), ("hash", pa.uint64()),
                      ("published", pa.string()), ("length", pa.int64())])
EXACT_ROW = pa.schema([("doc", pa.int64()), ("keep", pa.int64())])
_END = [("published", pa.string()), ("length", pa.int64())]
PAIR_ROW = pa.schema([("a", pa.int64()), ("b", pa.int64())] + [(f"{side}_{n}", t) for side in "ab" for n, t in _END])
# one row per document that is a duplicate or in a cluster of two or more; every other stays alone
FATE_ROW = pa.schema([("doc", pa.int64()), ("reason", pa.string()), ("cluster", pa.int64()), ("size", pa.int64())])


class UnionFind:
    def __init__(self, n: int):
        self.parent = np.arange(n)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def preference(published: str, length: int, doc: int) -> tuple:
    """Sort key of the copy that stays: earliest published (no date last), then longest, then first read."""
    return (not published, published, -length, doc)


def band_rows(first: int, hashes: np.ndarray, keys: np.ndarray, published: np.ndarray,
              lengths: np.ndarray) -> dict[str, np.ndarray]:
    """The BAND_ROW columns of documents first, first + 1, ... (`keys`: shape (documents, bands))."""
    n, bands = keys.shape
    return {"doc": np.repeat(np.arange(first, first + n, dtype=np.int64), bands),
            "band": np.tile(np.arange(bands, dtype=np.int16), n), "key": keys.reshape(-1),
            "hash": np.repeat(hashes, bands), "published": np.repeat(published.astype(str), bands),
            "length": np.repeat(lengths.astype(np.int64), bands)}


def _starts(*columns: np.ndarray) -> np.ndarray:
    """Whether each row of sorted columns starts a new run of equal values."""
    start = np.ones(len(columns[0]), dtype=bool)
    if len(start) > 1:
        start[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in columns])
    return start


def bucket_pairs(rows: dict[str, np.ndarray], signatures_of: Callable[[np.ndarray], np.ndarray],
                 threshold: float) -> tuple[dict, dict]:
    """(EXACT_ROW columns, PAIR_ROW columns) of one bucket's band rows.

    `signatures_of(docs)`: the MinHash signatures of the (sorted, distinct) documents asked for."""
    doc, band, key, hsh = rows["doc"], rows["band"], rows["key"], rows["hash"]
    published, length = rows["published"].astype(str), rows["length"]
    order = np.lexsort((doc, -length, published, published == "", hsh, key, band))  # last key sorts first
    doc, band, key, hsh, published, length = (c[order] for c in (doc, band, key, hsh, published, length))
    alive = _starts(band, key, hsh)  # the preferred copy of each body in each (band, key) group
    keep = doc[np.flatnonzero(alive)[np.cumsum(alive) - 1]]
    gone = ~alive & (band == 0)
    exact = {"doc": doc[gone], "keep": keep[gone]}
    doc, band, key, published, length = (c[alive] for c in (doc, band, key, published, length))
    order = np.lexsort((doc, key, band))
    doc, band, key, published, length = (c[order] for c in (doc, band, key, published, length))
    first = _starts(band, key)
    lead = np.flatnonzero(first)[np.cumsum(first) - 1]
    a, b = lead[~first], np.flatnonzero(~first)
    if len(a):
        _, distinct = np.unique(np.stack([doc[a], doc[b]], axis=1), axis=0, return_index=True)
        a, b = a[distinct], b[distinct]
    nodes = np.unique(np.concatenate([doc[a], doc[b]]))
    sigs = signatures_of(nodes) if len(nodes) else np.zeros((0, 1), dtype=np.uint32)
    sa, sb = sigs[np.searchsorted(nodes, doc[a])], sigs[np.searchsorted(nodes, doc[b])]
    same = np.count_nonzero(sa == sb, axis=1) / max(sigs.shape[1], 1) >= threshold
    a, b = a[same], b[same]
    pairs = {"a": doc[a], "b": doc[b], "a_published": published[a], "a_length": length[a],
             "b_published": published[b], "b_length": length[b]}
    return exact, pairs


def merge(exact: dict[str, np.ndarray], pairs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """FATE_ROW columns, by document: near-duplicate pairs joined into clusters (union-find over the pairs'
    documents only), each cluster's preferred document its representative; an exact duplicate joins its
    kept copy's cluster and names the representative."""
    ends = np.concatenate([pairs["a"], pairs["b"]])
    nodes, first = np.unique(ends, return_index=True)
    pub = np.concatenate([pairs["a_published"], pairs["b_published"]])[first].astype(str)
    length = np.concatenate([pairs["a_length"], pairs["b_length"]])[first]
    uf = UnionFind(len(nodes))
    for a, b in zip(np.searchsorted(nodes, pairs["a"]).tolist(), np.searchsorted(nodes, pairs["b"]).tolist()):
        uf.union(a, b)
    members: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        members.setdefault(uf.find(i), []).append(i)
    cluster: dict[int, int] = {}
    for group in members.values():
        rep = int(nodes[min(group, key=lambda i: preference(pub[i], int(length[i]), int(nodes[i])))])
        cluster.update((int(nodes[i]), rep) for i in group)
    reason: dict[int, str | None] = {d: (NEAR_DUPLICATE if d != c else None) for d, c in cluster.items()}
    for d, k in zip(exact["doc"].tolist(), exact["keep"].tolist()):
        cluster[d] = cluster.setdefault(k, k)
        reason[d] = DUPLICATE
        reason.setdefault(k, None)
    docs = np.array(sorted(cluster), dtype=np.int64)
    of = np.array([cluster[d] for d in docs.tolist()], dtype=np.int64)
    reps, counts = np.unique(of, return_counts=True)
    return {"doc": docs, "reason": np.array([reason[d] for d in docs.tolist()], dtype=object), "cluster": of,
            "size": counts[np.searchsorted(reps, of)].astype(np.int64)}
