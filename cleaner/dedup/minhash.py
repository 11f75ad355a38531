"""MinHash over syllable shingles, LSH banding tuned for a Jaccard threshold.

The permutation family is datasketch's: h(x) = ((a*x + b) mod (2^61 - 1)) & (2^32 - 1)
over 32-bit shingle hashes, with a and b drawn from a seeded generator, so
signatures are the same in every process.
"""
from __future__ import annotations

from functools import cache

import numpy as np
import xxhash

from .hashing import words

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
SEED = 1


@cache
def permutations(num_perm: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.RandomState(seed)
    a = gen.randint(1, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
    b = gen.randint(0, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
    return a, b


def shingles(text: str, n: int) -> set[str]:
    """Word n-grams; a text shorter than n words is one shingle."""
    w = words(text)
    if len(w) < n:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def signature(text: str, num_perm: int, n: int) -> np.ndarray:
    """The MinHash signature (uint32, num_perm values); all max for an empty text."""
    grams = shingles(text, n)
    if not grams:
        return np.full(num_perm, MAX_HASH, dtype=np.uint32)
    hv = np.fromiter((xxhash.xxh32_intdigest(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))
    a, b = permutations(num_perm)
    with np.errstate(over="ignore"):
        phv = ((hv[:, None] * a[None, :] + b[None, :]) % MERSENNE) & MAX_HASH
    return phv.min(axis=0).astype(np.uint32)


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def _integrate(f, a: float, b: float, steps: int = 200) -> float:
    xs = np.linspace(a, b, steps + 1)
    ys = np.array([f(x) for x in xs])
    return float(np.trapezoid(ys, xs)) if hasattr(np, "trapezoid") else float(np.trapz(ys, xs))


@cache
def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) with bands*rows <= num_perm minimising false positives + false negatives (as datasketch)."""
    best, best_err = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = _integrate(lambda s: 1 - (1 - s ** rows) ** bands, 0.0, threshold, 50)
            fn = _integrate(lambda s: 1 - (1 - (1 - s ** rows) ** bands), threshold, 1.0, 50)
            if fp + fn < best_err:
                best, best_err = (bands, rows), fp + fn
    return best


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit bucket key per (document, band): shape (documents, bands)."""
    n = signatures.shape[0]
    out = np.empty((n, bands), dtype=np.uint64)
    for band in range(bands):
        chunk = np.ascontiguousarray(signatures[:, band * rows:(band + 1) * rows])
        raw = chunk.view(np.uint8).reshape(n, -1)
        out[:, band] = [xxhash.xxh3_64_intdigest(bytes(row) + band.to_bytes(2, "little")) for row in raw]
    return out
