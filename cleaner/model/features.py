"""Shallow features of a line and of its neighbours, the boilerpipe way (Kohlschütter et al., 2010).

One row per non-blank raw line, in raw order (a line already removed is only read as a neighbour, so its
row holds the shape features alone). A feature is a small pure function of the line, its
place in the document, and what the rule pack and the structural steps said of it and of the lines
around it (±2). The names in `FEATURES` are the columns of the model file, so a model can say which
features drove a decision. Nothing here is tuned: thresholds are the model's to learn.
"""
from __future__ import annotations

import math
import re
import tomllib
from bisect import bisect_right
from functools import cache, lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

import numpy as np

from ..extract.authors import head_name
from ..passes.dup_lines import line_key
from ..passes.title import looks_like_body, looks_like_title

# Families of rule ids (the part before the dot) that a line may already have been removed under.
FAMILIES = ("caption", "byline", "date", "source", "nav", "comment", "related", "dup", "other", "title")
IMAGE_RULES = frozenset({"other.html", "other.image_marker", "caption.image_counter", "caption.photo_counter",
                         "other.counter", "caption.credit_only", "caption.photo_credit"})
_FAMILY_INDEX = {f: i for i, f in enumerate(FAMILIES)}
NEIGHBOURS = (-2, -1, 1, 2)
SAMPLE_CHARS = 400  # character shares are read from this much of a line
SHORT_CHARS = 80  # a run of kept lines this short is a list, a table or a block of teasers
CAP = 10  # distances and positions are capped: beyond this many lines, far is far

_SENTENCE_BREAK = re.compile(r"[.!?…]['\"”’)]*\s+[A-ZÀ-Ỹ\"“‘(]")
_WORD = re.compile(r"\w+")
_URLISH = re.compile(r"https?://|www\.|\.(vn|com|net|org)\b", re.IGNORECASE)
_LIST_MARK = re.compile(r"^(\d{1,2}[.)/]|[-–•*+]\s|[^\W\d]+ \d{1,2}[:.)])")


class Slot(NamedTuple):
    """A non-blank raw line: kept (rule None) or removed by `rule` (an earlier pass, or a structural step)."""
    no: int
    text: str
    rule: str | None  # removed before the model by this rule (pattern, title, dup)
    step: str | None  # the structural step's rule for a line it would remove


@cache
def function_words() -> frozenset[str]:
    data = tomllib.loads((Path(__file__).with_name("words.toml")).read_text(encoding="utf-8"))
    return frozenset(data["function_words"])


LINE_FEATURES = (
    "log_chars", "words", "sentence_breaks", "ends_period", "ends_other", "ends_colon", "ends_close", "ends_bare",
    "cap_share", "upper_share", "digit_share", "function_share", "urlish", "head_name", "title_shaped",
    "body_shaped", "opens_mark", "list_mark",
)
# The line features in two parts: its shape, all a neighbour's row lends (and all a removed line is ever
# read for), and what it says, read only of a line the model judges.
SHAPE_FEATURES = ("log_chars", "sentence_breaks", "ends_period", "ends_colon", "opens_mark", "list_mark",
                  "title_shaped", "body_shaped")
CONTENT_FEATURES = ("words", "ends_other", "ends_close", "ends_bare", "cap_share", "upper_share", "digit_share",
                    "function_share", "urlish", "head_name")
NEIGHBOUR_FEATURES = (*SHAPE_FEATURES, "removed", "image", "exists")
_PARTS = SHAPE_FEATURES + CONTENT_FEATURES
assert sorted(_PARTS) == sorted(LINE_FEATURES)
_LINE_ROW = itemgetter(*map(_PARTS.index, LINE_FEATURES))  # shape + content, in `LINE_FEATURES` order
_NO_CONTENT = (0.0,) * len(CONTENT_FEATURES)


@lru_cache(maxsize=8192)  # the body guard asks it of every kept line, the shape of every line it reads
def sentence_breaks(t: str) -> int:
    """The breaks between two sentences in the line, capped at 20."""
    return min(len(_SENTENCE_BREAK.findall(t)), 20)


@lru_cache(maxsize=8192)
def shape(text: str) -> tuple[float, ...]:
    """The `SHAPE_FEATURES` of the line."""
    t = text.strip()
    last = t[-1:]
    return (math.log1p(len(t)), float(sentence_breaks(t)), float(last == "."), float(last == ":"),
            float(t[:1] in "-–—•*+>|[(\"“‘'"), float(bool(_LIST_MARK.match(t))), float(looks_like_title(t)),
            float(looks_like_body(t)))


@lru_cache(maxsize=8192)
def function_share(t: str) -> float:
    """The share of the syllables in the line's first `SAMPLE_CHARS` characters that are function words."""
    syllables = _WORD.findall(t[:SAMPLE_CHARS].casefold())
    return (sum(map(function_words().__contains__, syllables)) / len(syllables)) if syllables else 0.0


LETTER, DIGIT, UPPER, FAR = 1, 2, 4, 8  # the bits of a character's class


@cache
def _char_classes() -> np.ndarray:
    """The class of every character of the Basic Multilingual Plane, as `str.isalpha`, `str.isdigit` and
    `str.isupper` say (`LETTER | DIGIT | UPPER` bits), and `FAR` in one more cell for any character beyond."""
    chars = map(chr, range(0x10000))
    classes = np.fromiter((c.isalpha() * LETTER | c.isdigit() * DIGIT | c.isupper() * UPPER for c in chars), np.uint8,
                          0x10000)
    return np.append(classes, np.uint8(FAR))


def char_counts(head: str) -> tuple[int, int, int]:
    """How many of the characters are letters, digits and capitals: one table lookup for them all, where
    three passes of `str` methods over the characters would cost three times as much.

    >>> char_counts("Ảnh: 24/1 TTXVN"), char_counts("x²𝐀")
    ((8, 3, 6), (2, 1, 1))
    """
    codes = np.frombuffer(head.encode("utf-32-le", "surrogatepass"), np.uint32)
    n = np.bincount(_char_classes().take(codes, mode="clip"), minlength=16).tolist()
    if any(n[FAR:]):  # beyond the plane: the table does not say
        return sum(map(str.isalpha, head)), sum(map(str.isdigit, head)), sum(map(str.isupper, head))
    # n[k]: the characters of class k; a count is the sum over the classes with its bit set
    return (n[1] + n[3] + n[5] + n[7]), (n[2] + n[3] + n[6] + n[7]), (n[4] + n[5] + n[6] + n[7])


def _content(t: str) -> tuple[float, ...]:
    """The `CONTENT_FEATURES` of the stripped line. Shares (capitals, digits, function words) are read from
    the first `SAMPLE_CHARS` characters: a share, so its cost does not grow with the line."""
    words = t.split()
    last = t[-1:]
    head = t[:SAMPLE_CHARS]
    letters, digits, capitals = char_counts(head)
    first = words[:SAMPLE_CHARS // 4]  # the words whose first letters `cap_share` reads
    return (float(min(len(words), 200)), float(last in "!?…;"), float(last in "\"”’)»]'"), float(last.isalnum()),
            (sum(map(str.isupper, map(itemgetter(0), first))) / len(first)) if first else 0.0,
            (capitals / letters) if letters else 0.0, digits / max(len(head), 1), function_share(t),
            float(("." in t or "://" in t) and bool(_URLISH.search(t))),  # every URL-ish match has one
            float(head_name(t) is not None) if len(t) < 120 else 0.0)


@lru_cache(maxsize=8192)
def line_vector(text: str) -> tuple[float, ...]:
    """The features of the text alone, in `LINE_FEATURES` order."""
    return _LINE_ROW(shape(text) + _content(text.strip()))


def shape_vector(text: str) -> tuple[float, ...]:
    """`line_vector` with only the shape features filled in (the rest 0): the row of a line already removed,
    which is read only as a neighbour."""
    return _LINE_ROW(shape(text) + _NO_CONTENT)


@cache  # a handful of rule ids, asked of every line
def _family(rule: str | None) -> str | None:
    return rule.split(".", 1)[0] if rule else None


def _distance(i: int, marks: Sequence[int]) -> float:
    """The lines from position i to the nearest of the ascending `marks` (signed: negative when the mark is
    below; the mark above wins a tie), capped; `CAP + 1` when there is no mark."""
    if not marks:
        return float(CAP + 1)
    at = bisect_right(marks, i)  # marks[at - 1] <= i < marks[at]
    above, below = (i - marks[at - 1] if at else None), (i - marks[at] if at < len(marks) else None)
    gap = above if below is None or (above is not None and above <= -below) else below
    return float(max(-CAP, min(CAP, gap)))


def _run(flagged: Callable[[int], bool], i: int, n: int, cap: int) -> int:
    """The length of the run of flagged positions (of 0..n-1) that i is in, capped at `cap`; 0 when i is not
    flagged. Only the positions up to `cap - 1` either side of i are asked."""
    if not flagged(i):
        return 0
    length, j = 1, i - 1
    while length < cap and j >= 0 and flagged(j):
        length, j = length + 1, j - 1
    j = i + 1
    while length < cap and j < n and flagged(j):
        length, j = length + 1, j + 1
    return length


def feature_names() -> tuple[str, ...]:
    names = list(LINE_FEATURES)
    names += ["pos_rel", "from_start", "from_end", "repeats", "near_prev", "len_share",
              "to_title", "to_image", "to_byline", "after_last_body", "before_first_body", "list_run", "short_run"]
    # a judged line is a kept one: no rule column of its own (what the rules took is its neighbours' `removed`)
    names += [f"step_{f}" for f in FAMILIES]
    names += [f"n{o:+d}_{f}" for o in NEIGHBOURS for f in NEIGHBOUR_FEATURES]
    return tuple(names)


FEATURES = feature_names()
RULE_COLUMNS = tuple(i for i, n in enumerate(FEATURES) if n.startswith("step_") or
                     n.endswith(("_removed", "_image")) or n in ("to_title", "to_image", "to_byline"))


_NOTHING_LENT = (0.0,) * len(NEIGHBOUR_FEATURES)  # past either end of the document
_ONE_HOT = {f: tuple(float(g == f) for g in FAMILIES) for f in FAMILIES}
_NO_FAMILY = (0.0,) * len(FAMILIES)
assert NEIGHBOURS == (-2, -1, 1, 2)  # the order in which `matrix` lends the neighbours' features


def matrix(slots: Sequence[Slot], rows: Sequence[int] | None = None) -> np.ndarray:
    """One row of `FEATURES` for each slot at the indices `rows` (default: every slot), in that order. A
    removed line's row holds the line's `shape` alone. A slot not in `rows` is only read: as a
    neighbour (its `shape`) and where runs and the body's bounds are counted; its own row is
    never computed. A document has few lines and fewer judged ones: this is plain Python, row by row."""
    n = len(slots)
    rows = range(n) if rows is None else rows
    if not rows:
        return np.zeros((0, len(FEATURES)))
    texts = [s.text for s in slots]
    lent = {j: shape(texts[j]) + (float(slots[j].rule is not None), float(slots[j].rule in IMAGE_RULES), 1.0)
            for j in {j for i in rows for j in range(max(i - 2, 0), min(i + 3, n))}}
    keys = [line_key(t) for t in texts]
    titles = [i for i, s in enumerate(slots) if _family(s.rule) == "title"]
    images = [i for i, s in enumerate(slots) if s.rule in IMAGE_RULES]
    bylines = [i for i, s in enumerate(slots) if (_family(s.rule) or _family(s.step)) == "byline"]
    longest = max(map(len, texts)) or 1

    def body(j: int) -> bool:
        return slots[j].rule is None and looks_like_body(texts[j].strip())

    def listed(j: int) -> bool:
        return bool(_LIST_MARK.match(texts[j].strip()))

    def short(j: int) -> bool:
        return slots[j].rule is None and len(texts[j]) <= SHORT_CHARS

    first_body, last_body = next(filter(body, range(n)), -1), next(filter(body, reversed(range(n))), n)
    out = []
    for i in rows:
        key, prev = keys[i], keys[i - 1] if i else ""
        out.append((line_vector(texts[i]) if slots[i].rule is None else shape_vector(texts[i])) + (
            i / max(n - 1, 1), min(i, CAP), min(n - 1 - i, CAP),
            key != "" and keys.count(key) > 1, i > 0 and key != "" and prev != "" and (key in prev or prev in key),
            len(texts[i]) / longest, _distance(i, titles), _distance(i, images), _distance(i, bylines),
            i > last_body, i < first_body, _run(listed, i, n, 5), _run(short, i, n, 8),
        ) + _ONE_HOT.get(_family(slots[i].step), _NO_FAMILY)
            + lent.get(i - 2, _NOTHING_LENT) + lent.get(i - 1, _NOTHING_LENT) + lent.get(i + 1, _NOTHING_LENT)
            + lent.get(i + 2, _NOTHING_LENT))
    return np.fromiter(chain.from_iterable(out), dtype=np.float64, count=len(out) * len(FEATURES)).reshape(len(out), -1)
