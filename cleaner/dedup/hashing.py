"""Stable 64-bit hashes (xxh3), the same in every process and on every machine."""
from __future__ import annotations

import re

import numpy as np
import xxhash

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits: what is left between punctuation and spaces


def h64(text: str) -> int:
    return xxhash.xxh3_64_intdigest(text.encode("utf-8"))


def line_key(text: str) -> str:
    """The form lines are counted in: case, digits, punctuation and spacing folded; tone marks kept.

    >>> line_key("Ý kiến bạn đọc (12)") == line_key("ý KIẾN bạn đọc (3)")
    True
    >>> line_key("hòa") == line_key("hoa")
    False
    """
    return " ".join(_WORD.findall(_DIGITS.sub("0", text.casefold())))


def words(text: str) -> list[str]:
    """Syllables (Vietnamese writes one per space-separated token), case-folded, tone marks kept."""
    return _WORD.findall(text.casefold())


def body_hash(syllables: list[str]) -> int:
    """The hash of a body given as its `words`: equal for bodies that differ only in case, punctuation
    and spacing."""
    return h64(" ".join(syllables))


def as_u64(values) -> np.ndarray:
    return np.asarray(values, dtype=np.uint64)
