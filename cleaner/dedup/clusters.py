"""Exact and near-duplicate documents: which stay, which go, and the clusters they form."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .minhash import band_keys, jaccard_estimate

DUPLICATE = "duplicate"
NEAR_DUPLICATE = "near_duplicate"


@dataclass(frozen=True)
class DedupConfig:
    exact: bool = True
    near: bool = True
    threshold: float = 0.8
    num_perm: int = 128
    shingle: int = 5


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


def preference(published: list[str | None], lengths: np.ndarray):
    """Sort key of the copy that stays: earliest published, then longest, then first read."""
    def key(i: int):
        p = published[i]
        return (p is None, p or "", -int(lengths[i]), i)
    return key


def exact_groups(body_hashes: np.ndarray) -> list[np.ndarray]:
    """Indices of documents sharing a body hash, for every hash that more than one has."""
    order = np.argsort(body_hashes, kind="stable")
    sorted_h = body_hashes[order]
    bounds = np.flatnonzero(np.diff(sorted_h)) + 1
    return [g for g in np.split(order, bounds) if len(g) > 1]


def candidate_pairs(keys: np.ndarray, partitions: int = 1) -> set[tuple[int, int]]:
    """Pairs of documents that share a bucket in some band, found partition by partition of bucket keys."""
    n, bands = keys.shape
    out: set[tuple[int, int]] = set()
    doc = np.repeat(np.arange(n), bands)
    band = np.tile(np.arange(bands), n)
    flat = keys.reshape(-1)
    for p in range(partitions):
        mask = (flat % np.uint64(partitions)) == p if partitions > 1 else slice(None)
        k, d, b = flat[mask], doc[mask], band[mask]
        order = np.lexsort((d, k, b))
        k, d, b = k[order], d[order], b[order]
        same = (k[1:] == k[:-1]) & (b[1:] == b[:-1])
        start = None
        for i in range(len(same) + 1):
            if i < len(same) and same[i]:
                if start is None:
                    start = i
                continue
            if start is not None:
                members = d[start:i + 1]
                first = members[0]
                out.update((int(first), int(m)) for m in members[1:])
                start = None
    return out


@dataclass
class Decisions:
    """Per document (by global index): None to keep, or (reason, index of the kept copy); and clusters."""
    fate: list[tuple[str, int] | None]
    cluster: np.ndarray  # index of the cluster's representative
    cluster_size: np.ndarray  # documents in the cluster, duplicates included


def decide(body_hashes: np.ndarray, signatures: np.ndarray, published: list[str | None], lengths: np.ndarray,
           config: DedupConfig, bands_rows: tuple[int, int], partitions: int = 1) -> Decisions:
    n = len(body_hashes)
    fate: list[tuple[str, int] | None] = [None] * n
    pref = preference(published, lengths)
    alive = np.ones(n, dtype=bool)
    if config.exact:
        for group in exact_groups(body_hashes):
            keep = min(group.tolist(), key=pref)
            for i in group.tolist():
                if i != keep:
                    fate[i] = (DUPLICATE, keep)
                    alive[i] = False
    uf = UnionFind(n)
    if config.near and n > 1:
        idx = np.flatnonzero(alive)
        bands, rows = bands_rows
        keys = band_keys(signatures[idx], bands, rows)
        for a, b in sorted(candidate_pairs(keys, partitions)):
            ia, ib = int(idx[a]), int(idx[b])
            if jaccard_estimate(signatures[ia], signatures[ib]) >= config.threshold:
                uf.union(ia, ib)
    roots = np.array([uf.find(i) for i in range(n)], dtype=np.int64)
    members: dict[int, list[int]] = {}
    for i in np.flatnonzero(alive).tolist():
        members.setdefault(int(roots[i]), []).append(i)
    cluster = np.arange(n)
    for group in members.values():
        keep = min(group, key=pref)
        for i in group:
            cluster[i] = keep
            if i != keep:
                fate[i] = (NEAR_DUPLICATE, keep)
    for i, f in enumerate(fate):  # an exact duplicate points at its copy's cluster representative, which stays
        if f and f[0] == DUPLICATE:
            cluster[i] = cluster[f[1]]
            fate[i] = (DUPLICATE, int(cluster[i]))
    size = np.bincount(cluster, minlength=n)[cluster]  # every copy counts, exact and near
    return Decisions(fate=fate, cluster=cluster, cluster_size=size)
