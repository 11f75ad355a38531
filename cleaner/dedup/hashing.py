"""Stable 64-bit hashes (xxh3), the same in every process and on every machine."""
from __future__ import annotations

import re

import numpy as np
import xxhash

_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")


def h64(text: str) -> int:
    return xxhash.xxh3_64_intdigest(text.encode("utf-8"))


def line_key(text: str) -> str:
    """The form lines are counted in: case, digits, punctuation and spacing folded; tone marks kept.

    >>> line_key("Ý kiến bạn đọc (12)") == line_key("ý KIẾN bạn đọc (3)")
    True
    >>> line_key("hòa") == line_key("hoa")
    False
    """
    return _NON_WORD.sub(" ", _DIGITS.sub("0", text.casefold())).strip()


def words(text: str) -> list[str]:
    """Syllables (Vietnamese writes one per space-separated token), case-folded, tone marks kept."""
    return _NON_WORD.sub(" ", text.casefold()).split()


def body_hash(text: str) -> int:
    """Equal for bodies that differ only in case, punctuation and spacing."""
    return h64(" ".join(words(text)))


def as_u64(values) -> np.ndarray:
    return np.asarray(values, dtype=np.uint64)
