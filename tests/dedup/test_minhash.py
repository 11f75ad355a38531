"""The vectorized MinHash gives the same signatures as hashing and permuting each shingle alone."""
from __future__ import annotations

import random

import numpy as np
import pytest
import xxhash

from cleaner.dedup.minhash import MAX_HASH, MERSENNE, permutations, shingles, signature, signatures, xxh32_slices


def reference_signature(text: str, num_perm: int, n: int) -> np.ndarray:
    """The implementation before vectorization: one xxh32 call per shingle, then `%` by the prime."""
    grams = shingles(text, n)
    if not grams:
        return np.full(num_perm, MAX_HASH, dtype=np.uint32)
    hv = np.fromiter((xxhash.xxh32_intdigest(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))
    a, b = permutations(num_perm)
    with np.errstate(over="ignore"):
        phv = ((hv[:, None] * a[None, :] + b[None, :]) % MERSENNE) & MAX_HASH
    return phv.min(axis=0).astype(np.uint32)


ALPHABET = list("abcdeghiklmnopqrstuvxy đơưăâêôáàảãạếềểễệ,.!?-_0123456789\n\t") + ["https://vnexpress.net/a-b-c", "Ω", "😀"]


def random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = ["", " ", ",,, ..", "một", "một hai", "x" * 200, "từ " * 3000]
    for _ in range(count):
        texts.append("".join(rng.choice(ALPHABET) for _ in range(rng.choice([3, 20, 80, 400, 2000]))))
    return texts


@pytest.mark.parametrize("n", [1, 2, 5])
@pytest.mark.parametrize("num_perm", [16, 128])
def test_signatures_match_the_reference(n, num_perm):
    texts = random_texts(seed=n * 1000 + num_perm, count=300)
    got = signatures(texts, num_perm, n)
    want = np.stack([reference_signature(t, num_perm, n) for t in texts])
    assert got.dtype == np.uint32 and got.shape == (len(texts), num_perm)
    assert np.array_equal(got, want)
    for t in texts[:20]:
        assert np.array_equal(signature(t, num_perm, n), reference_signature(t, num_perm, n))


def test_signatures_batch_across_the_permutation_chunks(monkeypatch):
    import cleaner.dedup.minhash as minhash

    monkeypatch.setattr(minhash, "BATCH_SHINGLES", 50)  # many chunks, and texts longer than one chunk
    texts = random_texts(seed=3, count=100)
    assert np.array_equal(signatures(texts, 32, 5), np.stack([reference_signature(t, 32, 5) for t in texts]))


def test_signatures_of_real_text(examples):
    texts = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))]
    assert np.array_equal(signatures(texts, 128, 5), np.stack([reference_signature(t, 128, 5) for t in texts]))


def test_xxh32_slices_every_length():
    rng = random.Random(5)
    buf = bytes(rng.randrange(256) for _ in range(300))
    starts = np.array([rng.randrange(200) for _ in range(100)] * 1)
    lengths = np.arange(100)
    got = xxh32_slices(buf, starts, lengths)
    assert [int(h) for h in got] == [xxhash.xxh32_intdigest(buf[s:s + k]) for s, k in zip(starts, lengths)]
