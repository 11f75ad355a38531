"""MinHash over syllable shingles, LSH banding tuned for a Jaccard threshold.

The permutation family is datasketch's: h(x) = ((a*x + b) mod (2^61 - 1)) & (2^32 - 1)
over 32-bit shingle hashes (xxh32 of the shingle's UTF-8 bytes), with a and b
drawn from a seeded generator, so signatures are the same in every process.
(As in datasketch, `a*x + b` wraps at 2^64 before the modulo.)

`signatures` works on many texts at once with no per-shingle Python loop: the
texts' syllables are joined into one byte buffer, each shingle is a slice of it
(from its first syllable's start to its last one's end), xxh32 runs over all
slices at once in numpy (a step per 16-byte stripe, not per shingle), and one
broadcast permutation step with a `minimum.reduceat` per text gives the
signatures, byte-identical to hashing each shingle alone.
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
    return signatures([text], num_perm, n)[0]


_P1, _P2, _P3, _P4, _P5 = (np.uint32(p) for p in (2654435761, 2246822519, 3266489917, 668265263, 374761393))
BATCH_SHINGLES = 1024  # shingles permuted at once (whole texts): the (shingles, num_perm) uint64 step stays in cache


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def xxh32_slices(buf: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """xxh32 (seed 0) of every slice `buf[start:start + length]`, all at once (uint32).

    >>> import xxhash
    >>> b = "xin chào thế giới, một câu dài hơn mười sáu byte".encode()
    >>> [int(h) for h in xxh32_slices(b, np.array([0, 4, 0]), np.array([3, 12, len(b)]))] == [
    ...     xxhash.xxh32_intdigest(b[0:3]), xxhash.xxh32_intdigest(b[4:16]), xxhash.xxh32_intdigest(b)]
    True
    """
    raw = np.frombuffer(buf + b"\0\0\0", dtype=np.uint8).astype(np.uint32)
    # the little-endian 32-bit word that starts at every byte of the buffer
    word = raw[:-3] | (raw[1:-2] << np.uint32(8)) | (raw[2:-1] << np.uint32(16)) | (raw[3:] << np.uint32(24))
    starts = starts.astype(np.int64)
    lengths = lengths.astype(np.int64)
    stripes = np.where(lengths >= 16, lengths // 16, 0)
    h = np.full(len(starts), _P5, dtype=np.uint32)
    with np.errstate(over="ignore"):
        long_ = np.flatnonzero(stripes)
        if len(long_):
            v = [np.full(len(long_), np.uint32(x), dtype=np.uint32)
                 for x in ((int(_P1) + int(_P2)) & 0xFFFFFFFF, int(_P2), 0, (-int(_P1)) & 0xFFFFFFFF)]
            pos, left, idx = starts[long_], stripes[long_], np.arange(len(long_))
            for step in range(int(stripes.max())):
                sel = idx[left > step]
                at = pos[sel] + 16 * step
                for lane in range(4):
                    v[lane][sel] = _rotl(v[lane][sel] + word[at + 4 * lane] * _P2, 13) * _P1
            h[long_] = _rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)
        h += lengths.astype(np.uint32)
        pos = starts + 16 * stripes
        rest = lengths - 16 * stripes
        for k in range(3):  # at most three 4-byte words after the stripes
            sel = np.flatnonzero(rest >= 4 * (k + 1))
            if len(sel):
                h[sel] = _rotl(h[sel] + word[pos[sel] + 4 * k] * _P3, 17) * _P4
        pos = pos + 4 * (rest // 4)
        rest = rest % 4
        for k in range(3):  # then at most three single bytes
            sel = np.flatnonzero(rest > k)
            if len(sel):
                h[sel] = _rotl(h[sel] + raw[pos[sel] + k] * _P5, 11) * _P1
        h ^= h >> np.uint32(15)
        h *= _P2
        h ^= h >> np.uint32(13)
        h *= _P3
        h ^= h >> np.uint32(16)
    return h


def _permuted_min(hv: np.ndarray, firsts: np.ndarray, num_perm: int) -> np.ndarray:
    """min over each run of shingle hashes (runs start at `firsts`) of every permutation (uint32)."""
    a, b = permutations(num_perm)
    y = np.multiply.outer(a, hv.astype(np.uint64))  # (num_perm, shingles); wraps at 2^64, as datasketch
    y += b[:, None]
    # y mod (2^61 - 1) without a division: 2^61 = 1 (mod 2^61 - 1), and y >> 61 is at most 7
    q = y >> np.uint64(61)
    y &= MERSENNE
    y += q
    low = y.astype(np.uint32)  # the low 32 bits, which is all the signature keeps
    over = y >= MERSENNE  # one in 2^58: subtract the prime once more
    if over.any():
        low[over] = (y[over] - MERSENNE).astype(np.uint32)
    return np.minimum.reduceat(low, firsts, axis=1).T


def signatures(texts, num_perm: int, n: int) -> np.ndarray:
    """MinHash signatures of many texts, shape (texts, num_perm), uint32; the same as `signature` on each."""
    return word_signatures([words(t) for t in texts], num_perm, n)


def word_signatures(per_text: list[list[str]], num_perm: int, n: int) -> np.ndarray:
    """`signatures` of texts given as their `words`."""
    out = np.full((len(per_text), num_perm), MAX_HASH, dtype=np.uint32)
    counts = np.array([len(w) for w in per_text], dtype=np.int64)
    filled = np.flatnonzero(counts)
    if not len(filled):
        return out
    buf = " ".join(" ".join(per_text[i]) for i in filled).encode("utf-8")
    spaces = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 32)  # no syllable holds a space byte
    word_start = np.concatenate(([0], spaces + 1))
    word_end = np.concatenate((spaces, [len(buf)]))
    nw = counts[filled]
    first_word = np.concatenate(([0], np.cumsum(nw)[:-1]))
    ns = np.maximum(nw - n + 1, 1)  # a text shorter than n syllables is one shingle
    text_of = np.repeat(np.arange(len(filled)), ns)
    gram_first = np.concatenate(([0], np.cumsum(ns)[:-1]))
    g0 = first_word[text_of] + np.arange(len(text_of)) - gram_first[text_of]
    g1 = np.minimum(g0 + n - 1, first_word[text_of] + nw[text_of] - 1)
    hv = xxh32_slices(buf, word_start[g0], word_end[g1] - word_start[g0])
    # permute a batch of whole texts at a time, so memory stays bounded
    lo = 0
    while lo < len(filled):
        hi = int(np.searchsorted(gram_first, gram_first[lo] + BATCH_SHINGLES, side="left"))
        hi = max(hi, lo + 1)
        end = int(gram_first[hi]) if hi < len(filled) else len(hv)
        chunk = hv[int(gram_first[lo]):end]
        out[filled[lo:hi]] = _permuted_min(chunk, gram_first[lo:hi] - gram_first[lo], num_perm)
        lo = hi
    return out


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
    if not n:  # a shard whose every document was rejected
        return out
    for band in range(bands):
        chunk = np.ascontiguousarray(signatures[:, band * rows:(band + 1) * rows])
        raw = chunk.view(np.uint8).reshape(n, -1)
        out[:, band] = [xxhash.xxh3_64_intdigest(bytes(row) + band.to_bytes(2, "little")) for row in raw]
    return out
