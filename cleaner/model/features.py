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
from collections import Counter
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, Sequence

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
_PUNCTUATION = ".,;:!?\"'()[]{}<>«»“”‘’„…-–—/\\|*+=%&#@~^`$•·"  # none of them a word character
assert not _WORD.search(_PUNCTUATION)
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
_SHAPE_COLUMNS = [LINE_FEATURES.index(f) for f in SHAPE_FEATURES]  # where a row holds its line's shape


@lru_cache(maxsize=8192)  # the body guard asks it of every kept line, the shape of every line it reads
def sentence_breaks(t: str) -> int:
    """The breaks between two sentences in the line, capped at 20 (none without a full stop, '!', '?' or '…',
    which most short lines have not: no search then)."""
    if "." not in t and "!" not in t and "?" not in t and "…" not in t:
        return 0
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
    syllables = words_of(t[:SAMPLE_CHARS].casefold())
    return (sum(map(function_words().__contains__, syllables)) / len(syllables)) if syllables else 0.0


def words_of(text: str) -> list[str]:
    """`re.findall(r"\\w+", text)`, with no search for a word that only punctuation around it parts from
    the next (most of them): split at spaces, strip that punctuation, and search only what is left unclear.

    >>> words_of("Ảnh: (TTXVN) a_b x-y 3,5")
    ['Ảnh', 'TTXVN', 'a_b', 'x', 'y', '3', '5']
    """
    out: list[str] = []
    for token in text.split():
        if token.isalnum():
            out.append(token)
            continue
        word = token.strip(_PUNCTUATION)
        if word.isalnum():
            out.append(word)
        elif word:
            out += _WORD.findall(word)
    return out


# A character's class as one number, a 16-bit field per class: a text's counts are one difference of running
# sums (a text of fewer than 65,536 characters cannot carry one field into the next; sums wrap alike).
LETTER, DIGIT, UPPER, FAR = 1, 1 << 16, 1 << 32, 1 << 48
_FIELD = 0xFFFF


@cache
def _char_classes() -> np.ndarray:
    """The class of every character of the Basic Multilingual Plane, as `str.isalpha`, `str.isdigit` and
    `str.isupper` say (`LETTER + DIGIT + UPPER` fields), and `FAR` in one more cell for any character beyond."""
    chars = map(chr, range(0x10000))
    classes = np.fromiter((c.isalpha() * LETTER + c.isdigit() * DIGIT + c.isupper() * UPPER for c in chars),
                          np.uint64, 0x10000)
    return np.append(classes, np.uint64(FAR))


def char_counts(head: str) -> tuple[int, int, int]:
    """How many of the characters are letters, digits and capitals: one table lookup for them all, where
    three passes of `str` methods over the characters would cost three times as much.

    >>> char_counts("Ảnh: 24/1 TTXVN"), char_counts("x²𝐀")
    ((8, 3, 6), (2, 1, 1))
    """
    return char_counts_of([head])[0]


def char_counts_of(heads: Sequence[str]) -> list[tuple[int, int, int]]:
    """`char_counts` of each text (each shorter than 65,536 characters), all looked up in the table at once."""
    codes = np.frombuffer("".join(heads).encode("utf-32-le", "surrogatepass"), np.uint32)
    running = np.zeros(len(codes) + 1, np.uint64)
    np.cumsum(_char_classes().take(codes, mode="clip"), out=running[1:])
    sizes = np.fromiter(map(len, heads), np.intp, len(heads))
    ends = np.cumsum(sizes)
    packed = (running[ends] - running[ends - sizes]).tolist()  # wraps as the running sums did
    return [(p & _FIELD, p >> 16 & _FIELD, p >> 32 & _FIELD) if p < FAR else  # beyond the plane: the table
            (sum(map(str.isalpha, h)), sum(map(str.isdigit, h)), sum(map(str.isupper, h)))  # does not say
            for h, p in zip(heads, packed)]


def _content(t: str, counts: tuple[int, int, int]) -> tuple[float, ...]:
    """The `CONTENT_FEATURES` of the stripped line, given the `char_counts` of its first `SAMPLE_CHARS`
    characters. Shares (capitals, digits, function words) are read from those: a share, so its cost does
    not grow with the line."""
    words = t.split()
    last = t[-1:]
    head = t[:SAMPLE_CHARS]
    letters, digits, capitals = counts
    first = words[:SAMPLE_CHARS // 4]  # the words whose first letters `cap_share` reads
    return (float(min(len(words), 200)), float(last in "!?…;"), float(last in "\"”’)»]'"), float(last.isalnum()),
            (sum(map(str.isupper, map(itemgetter(0), first))) / len(first)) if first else 0.0,
            (capitals / letters) if letters else 0.0, digits / max(len(head), 1), function_share(t),
            float(("." in t or "://" in t) and bool(_URLISH.search(t))),  # every URL-ish match has one
            float(head_name(t) is not None) if len(t) < 120 else 0.0)


class _LineVectors(dict):
    """`line_vector`'s cache: filled a batch of texts at a time (their characters counted together), and
    emptied when it holds `MAX` texts."""
    MAX = 8192

    def of(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        new = [t for t in dict.fromkeys(texts) if t not in self]
        if new:
            if len(self) + len(new) > self.MAX:
                self.clear()
                new = list(dict.fromkeys(texts))  # the texts it held are asked too
            stripped = [t.strip() for t in new]
            for text, t, counts in zip(new, stripped, char_counts_of([t[:SAMPLE_CHARS] for t in stripped])):
                self[text] = _LINE_ROW(shape(text) + _content(t, counts))
        return [self[t] for t in texts]

    cache_clear = dict.clear

    def cache_parameters(self) -> dict:  # as an lru_cache says it: a bounded cache (see engine._drop_clean_caches)
        return {"maxsize": self.MAX, "typed": False}


LINE_VECTORS = _LineVectors()


def line_vector(text: str) -> tuple[float, ...]:
    """The features of the text alone, in `LINE_FEATURES` order."""
    return LINE_VECTORS.of([text])[0]


def shape_vector(text: str) -> tuple[float, ...]:
    """`line_vector` with only the shape features filled in (the rest 0): the row of a line already removed,
    which is read only as a neighbour."""
    return _LINE_ROW(shape(text) + _NO_CONTENT)


@cache  # a handful of rule ids, asked of every line
def _family(rule: str | None) -> str | None:
    return rule.split(".", 1)[0] if rule else None


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




def matrix(slots: Sequence[Slot], rows: Sequence[int] | None = None) -> np.ndarray:
    """One row of `FEATURES` for each slot at the indices `rows` (default: every slot), in that order. A
    removed line's row holds the line's `shape` alone. A slot not in `rows` is only read: as a
    neighbour (its `shape`) and where runs and the body's bounds are counted; its own row is
    never computed."""
    return matrices([(slots, rows)])


def matrices(docs: Sequence[tuple[Sequence[Slot], Sequence[int] | None]]) -> np.ndarray:
    """`matrix(slots, rows)` of each document, stacked: the documents of a batch in one pass of array
    operations over all their slots, where row-by-row Python would cost each row a few microseconds."""
    docs = [(slots, range(len(slots)) if rows is None else rows) for slots, rows in docs]
    docs = [(slots, rows) for slots, rows in docs if len(rows)]
    if not docs:
        return np.zeros((0, len(FEATURES)))
    flat = [s for slots, _ in docs for s in slots]
    _, texts, rules, steps = zip(*flat)
    sizes = np.fromiter((len(slots) for slots, _ in docs), np.intp, len(docs))
    starts = np.cumsum(sizes) - sizes
    picked = np.concatenate([np.asarray(rows, dtype=np.intp) + start for (_, rows), start in zip(docs, starts)])
    doc = np.repeat(np.arange(len(docs)), sizes)  # of each slot
    pos = np.arange(len(flat)) - starts[doc]  # each slot's place in its document
    n = sizes[doc]
    said = np.fromiter(map(_said, rules, steps), np.uint8, len(flat))
    removed, image, title, byline = (said & REMOVED) > 0, (said & IMAGE) > 0, (said & TITLE) > 0, (said & BYLINE) > 0
    chars = np.fromiter(map(len, texts), np.intp, len(flat))
    stripped = [t.strip() for t in texts]
    body = ~removed & np.fromiter(map(looks_like_body, stripped), bool, len(flat))
    short = ~removed & (chars <= SHORT_CHARS)
    # each document's longest line, first and last body line (-1 and n when it has none)
    longest = np.maximum(np.maximum.reduceat(chars, starts), 1)
    first_body = np.minimum.reduceat(np.where(body, pos, sizes.max()), starts)
    first_body = np.where(first_body == sizes.max(), -1, first_body)
    last_body = np.maximum.reduceat(np.where(body, pos, -1), starts)
    last_body = np.where(last_body < 0, sizes, last_body)

    i, d = pos[picked], doc[picked]
    keys = [line_key(t) for t in texts]
    counts = Counter(zip(doc.tolist(), keys))
    repeats = [k != "" and counts[(dd, k)] > 1 for dd, k in zip(d.tolist(), map(keys.__getitem__, picked.tolist()))]
    near = [ii > 0 and _near(keys[g], keys[g - 1]) for ii, g in zip(i.tolist(), picked.tolist())]
    x = np.empty((len(picked), len(FEATURES)))
    judged, cut = ~removed[picked], removed[picked]  # a kept line's row, and a removed one's (its shape alone)
    if judged.any():
        x[judged, :len(LINE_FEATURES)] = LINE_VECTORS.of([texts[g] for g in picked[judged].tolist()])
    if cut.any():
        x[cut, :len(LINE_FEATURES)] = [shape_vector(texts[g]) for g in picked[cut].tolist()]
    c = len(LINE_FEATURES)
    x[:, c] = i / np.maximum(n[picked] - 1, 1)
    x[:, c + 1] = np.minimum(i, CAP)
    x[:, c + 2] = np.minimum(n[picked] - 1 - i, CAP)
    x[:, c + 3] = repeats
    x[:, c + 4] = near
    x[:, c + 5] = chars[picked] / longest[d]
    first, end = starts[doc], starts[doc] + n  # each slot's document's bounds
    x[:, c + 6:c + 9] = _distances(np.stack((title, image, byline)), first, end)[:, picked].T
    x[:, c + 9] = i > last_body[d]
    x[:, c + 10] = i < first_body[d]
    x[:, c + 11] = _runs(_listed(stripped, picked, doc), pos, LIST_RUN)[picked]
    x[:, c + 12] = _runs(short, pos, SHORT_RUN)[picked]
    c += 13
    step = np.fromiter((_FAMILY_INDEX.get(_family(steps[g]), len(FAMILIES)) for g in picked.tolist()), np.intp,
                       len(picked))
    x[:, c:c + len(FAMILIES)] = np.eye(len(FAMILIES) + 1)[step, :len(FAMILIES)]
    c += len(FAMILIES)
    # what the neighbours lend: their shape, whether a rule took them, whether it was an image's
    # (a picked slot's shape is in its row already; a neighbour beyond its document reads the last, empty row)
    offsets = np.array(NEIGHBOURS)
    at = i[:, None] + offsets
    inside = (at >= 0) & (at < n[picked, None])
    near_slot = np.where(inside, picked[:, None] + offsets, len(flat))
    chosen = np.zeros(len(flat), bool)
    chosen[picked] = True
    others = _distinct(near_slot[inside & ~chosen[np.minimum(near_slot, len(flat) - 1)]], len(flat))
    s = len(SHAPE_FEATURES)
    lent = np.zeros((len(flat) + 1, len(NEIGHBOUR_FEATURES)))
    lent[picked, :s] = x[:, _SHAPE_COLUMNS]
    if len(others):
        lent[others, :s] = [shape(texts[g]) for g in others.tolist()]
    lent[:-1, s], lent[:-1, s + 1], lent[:-1, s + 2] = removed, image, 1.0
    x[:, c:] = lent[near_slot].reshape(len(picked), -1)
    return x


REMOVED, IMAGE, TITLE, BYLINE = 1, 2, 4, 8  # what was said of a slot, as bits
LIST_RUN, SHORT_RUN = 5, 8  # the caps of the runs of list items and of short lines


@cache  # a handful of (rule, step) pairs, asked of every slot
def _said(rule: str | None, step: str | None) -> int:
    """`REMOVED | IMAGE | TITLE | BYLINE` bits of a slot: taken by a rule, an image's, a headline's, a
    byline's (by its rule, or by the step's word on a kept line)."""
    family = _family(rule)
    return ((rule is not None) * REMOVED | (rule in IMAGE_RULES) * IMAGE | (family == "title") * TITLE
            | ((family or _family(step)) == "byline") * BYLINE)


def _near(key: str, prev: str) -> bool:
    """The line repeats the one before it, or is repeated in it (both non-empty)."""
    return key != "" and prev != "" and (key in prev or prev in key)


def _listed(stripped: Sequence[str], picked: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Whether each slot opens with a list mark, asked only of the slots that a run through a picked one
    can reach (`LIST_RUN - 1` either side, in its document); False elsewhere, which no run read."""
    reach = picked[:, None] + np.arange(1 - LIST_RUN, LIST_RUN)
    inside = (reach >= 0) & (reach < len(doc))
    inside &= doc[np.minimum(np.maximum(reach, 0), len(doc) - 1)] == doc[picked][:, None]
    reach = _distinct(reach[inside], len(doc))
    out = np.zeros(len(doc), bool)
    out[reach] = [bool(_LIST_MARK.match(stripped[j])) for j in reach.tolist()]
    return out


def _distinct(indices: np.ndarray, size: int) -> np.ndarray:
    """The distinct indices (each below `size`), ascending: `np.unique` without its sort."""
    seen = np.zeros(size, bool)
    seen[indices] = True
    return np.flatnonzero(seen)


def _distances(marks: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """For every slot, the slots from it to the nearest marked one of its document (`start`, `end`: the
    document's bounds), signed (negative when the mark is below; the mark above wins a tie), capped at
    `CAP`; `CAP + 1` when the document has no mark. One row per kind of mark in `marks` (kinds × slots)."""
    size = marks.shape[1]
    at = np.arange(size)
    above = np.maximum.accumulate(np.where(marks, at, -1), axis=1)  # the nearest mark at or above
    below = np.full(marks.shape, size)  # strictly below
    below[:, :-1] = np.minimum.accumulate(np.where(marks, at, size)[:, ::-1], axis=1)[:, -2::-1]
    has_above, has_below = above >= start, below < end
    up, down = at - above, at - below
    gap = np.where(has_above & (~has_below | (up <= -down)), up, down)
    return np.where(has_above | has_below, np.minimum(np.maximum(gap, -CAP), CAP), CAP + 1).astype(np.float64)


def _runs(flagged: np.ndarray, pos: np.ndarray, cap: int) -> np.ndarray:
    """For every slot, the length of the run of flagged slots it is in (a run ends with its document),
    capped at `cap`; 0 where not flagged."""
    before = np.zeros_like(flagged)
    before[1:] = flagged[:-1]
    opens = flagged & ((pos == 0) | ~before)
    run = np.cumsum(opens)
    lengths = np.bincount(run[flagged], minlength=run[-1] + 1 if len(run) else 1)
    return np.where(flagged, np.minimum(lengths[run], cap), 0)
