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
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from ..extract.authors import head_name
from ..extract.dates import scan_line
from ..passes.dup_lines import line_key
from ..passes.title import has_dateline, looks_like_body, looks_like_title

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
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+){2,}(\.\w{2,4})?$")


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
    "cap_share", "upper_share", "digit_share", "function_share", "urlish", "slug", "has_date", "head_name",
    "title_shaped", "body_shaped", "opens_mark", "dateline", "ends_question", "list_mark",
)
_LINE_INDEX = {f: i for i, f in enumerate(LINE_FEATURES)}
NEIGHBOUR_FEATURES = ("log_chars", "sentence_breaks", "ends_period", "ends_colon", "ends_question", "opens_mark",
                      "list_mark", "title_shaped", "body_shaped", "removed", "image", "exists")


def sentence_breaks(t: str) -> int:
    """The breaks between two sentences in the line, capped at 20."""
    return min(len(_SENTENCE_BREAK.findall(t)), 20)


def _shape(t: str) -> dict[str, float]:
    """The line features a neighbour's row lends (those of `NEIGHBOUR_FEATURES`): all a removed line is
    ever read for."""
    last = t[-1:]
    return {
        "log_chars": math.log1p(len(t)),
        "sentence_breaks": float(sentence_breaks(t)),
        "ends_period": float(last == "."),
        "ends_colon": float(last == ":"),
        "ends_question": float(last == "?"),
        "opens_mark": float(t[:1] in "-–—•*+>|[(\"“‘'"),
        "list_mark": float(bool(_LIST_MARK.match(t))),
        "title_shaped": float(looks_like_title(t)),
        "body_shaped": float(looks_like_body(t)),
    }


@lru_cache(maxsize=8192)
def function_share(t: str) -> float:
    """The share of the syllables in the line's first `SAMPLE_CHARS` characters that are function words."""
    syllables = _WORD.findall(t[:SAMPLE_CHARS].casefold())
    return (sum(map(function_words().__contains__, syllables)) / len(syllables)) if syllables else 0.0


def _content(t: str) -> dict[str, float]:
    words = t.split()
    last = t[-1:]
    head = t[:SAMPLE_CHARS]
    letters = sum(map(str.isalpha, head))
    first = [w[0] for w in words[:SAMPLE_CHARS // 4]]
    return {
        "words": float(min(len(words), 200)),
        "ends_other": float(last in "!?…;"),
        "ends_close": float(last in "\"”’)»]'"),
        "ends_bare": float(last.isalnum()),
        "cap_share": (sum(map(str.isupper, first)) / len(first)) if first else 0.0,
        "upper_share": (sum(map(str.isupper, head)) / letters) if letters else 0.0,
        "digit_share": sum(map(str.isdigit, head)) / max(len(head), 1),
        "function_share": function_share(t),
        "urlish": float(bool(_URLISH.search(t))),
        "slug": float(bool(_SLUG.match(t))),
        "has_date": float(scan_line(t) is not None) if len(t) < 200 else 0.0,
        "head_name": float(head_name(t) is not None) if len(t) < 120 else 0.0,
        "dateline": float(has_dateline(t)),
    }


@lru_cache(maxsize=8192)
def line_vector(text: str) -> tuple[float, ...]:
    """The features of the text alone, in `LINE_FEATURES` order. Shares (capitals, digits, function words)
    are read from the first `SAMPLE_CHARS` characters: a share, so its cost does not grow with the line."""
    row = list(shape_vector(text))
    for f, value in _content(text.strip()).items():
        row[_LINE_INDEX[f]] = value
    return tuple(row)


@lru_cache(maxsize=8192)
def shape_vector(text: str) -> tuple[float, ...]:
    """`line_vector` with only the `_shape` features filled in (the rest 0): the row of a line already
    removed, which is read only as a neighbour."""
    values = _shape(text.strip())
    return tuple(values.get(f, 0.0) for f in LINE_FEATURES)


def _family(rule: str | None) -> str | None:
    return rule.split(".", 1)[0] if rule else None


def _distance(i: int, marks: Sequence[int]) -> float:
    """The lines from position i to the nearest mark (signed: negative when the mark is below; the mark
    above wins a tie), capped; `CAP + 1` when there is no mark."""
    if not marks:
        return float(CAP + 1)
    gap = min((i - m for m in marks), key=abs)  # marks ascend: min's first is the one above
    return float(max(-CAP, min(CAP, gap)))


def _runs(flags: Sequence[bool]) -> list[int]:
    """For each flagged position, the length of the run of flagged positions it is in (0 elsewhere)."""
    out = [0] * len(flags)
    start = 0
    for i, flag in enumerate([*flags, False]):
        if not flag:
            out[start:i] = [i - start] * (i - start)
            start = i + 1
    return out


def feature_names() -> tuple[str, ...]:
    names = list(LINE_FEATURES)
    names += ["pos_rel", "from_start", "from_end", "repeats", "near_prev", "len_share",
              "to_title", "to_image", "to_byline", "after_last_body", "before_first_body", "list_run", "short_run"]
    names += [f"rule_{f}" for f in FAMILIES] + [f"step_{f}" for f in FAMILIES]
    names += [f"n{o:+d}_{f}" for o in NEIGHBOURS for f in NEIGHBOUR_FEATURES]
    return tuple(names)


FEATURES = feature_names()
RULE_COLUMNS = tuple(i for i, n in enumerate(FEATURES) if n.startswith(("rule_", "step_")) or
                     n.endswith(("_removed", "_image")) or n in ("to_title", "to_image", "to_byline"))


_LIST_MARK_AT, _BODY_AT = LINE_FEATURES.index("list_mark"), LINE_FEATURES.index("body_shaped")
_NEIGHBOUR_AT = [LINE_FEATURES.index(f) for f in NEIGHBOUR_FEATURES if f in LINE_FEATURES]
_LENDS = len(_NEIGHBOUR_AT)  # then `removed`, `image` and `exists`, in that order


def matrix(slots: Sequence[Slot], rows: Sequence[int] | None = None) -> np.ndarray:
    """One row of `FEATURES` for each slot at the indices `rows` (default: every slot), in that order. A
    removed line's row holds the line's `_shape` features alone; every slot not in `rows` is only read as a
    neighbour (its `_shape` features, and for all slots the list marks and body shape that runs and
    bounds are counted from), so its own row is never computed."""
    n = len(slots)
    rows = list(range(n)) if rows is None else list(rows)
    out = np.zeros((len(rows), len(FEATURES)))
    if not rows:
        return out
    assert NEIGHBOUR_FEATURES[_LENDS:] == ("removed", "image", "exists") and NEIGHBOURS == (-2, -1, 1, 2)
    wanted = set(rows)
    near = sorted({j for i in rows for j in range(max(i - 2, 0), min(i + 3, n))})
    vectors = {j: line_vector(slots[j].text) if j in wanted and slots[j].rule is None else shape_vector(slots[j].text)
               for j in near}
    texts = [s.text.strip() for s in slots]
    list_mark = [vectors[j][_LIST_MARK_AT] > 0 if j in vectors else bool(_LIST_MARK.match(t))
                 for j, t in enumerate(texts)]
    body = [j for j, s in enumerate(slots) if s.rule is None
            and (vectors[j][_BODY_AT] if j in vectors else looks_like_body(texts[j]))]
    keys = [line_key(s.text) for s in slots]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    titles = [i for i, s in enumerate(slots) if _family(s.rule) == "title"]
    images = [i for i, s in enumerate(slots) if s.rule in IMAGE_RULES]
    bylines = [i for i, s in enumerate(slots) if _family(s.rule or s.step) == "byline"]
    longest = max(len(s.text) for s in slots) or 1
    run = _runs(list_mark)
    short = _runs([s.rule is None and len(s.text) <= SHORT_CHARS for s in slots])
    first_body, last_body = (body[0], body[-1]) if body else (-1, n)
    k = len(LINE_FEATURES)
    out[:, :k] = [vectors[i] for i in rows]
    place = [(i, i / max(n - 1, 1), min(i, CAP), min(n - 1 - i, CAP),
              float(counts[keys[i]] > 1 and keys[i] != ""),
              float(i > 0 and keys[i] != "" and keys[i - 1] != "" and (keys[i] in keys[i - 1] or keys[i - 1] in keys[i])),
              len(slots[i].text) / longest,
              _distance(i, titles), _distance(i, images), _distance(i, bylines),
              i > last_body, i < first_body, min(run[i], 5), min(short[i], 8)) for i in rows]
    out[:, k:k + 13] = np.array(place, dtype=np.float64)[:, 1:]
    for offset, of in ((k + 13, lambda s: s.rule), (k + 13 + len(FAMILIES), lambda s: s.step)):
        for r, i in enumerate(rows):
            f = _family(of(slots[i]))
            if f in _FAMILY_INDEX:
                out[r, offset + _FAMILY_INDEX[f]] = 1.0
    lends = np.zeros((n + 4, len(NEIGHBOUR_FEATURES)))  # two rows of zeros past either end
    lends[[j + 2 for j in near], :_LENDS] = np.array([vectors[j] for j in near])[:, _NEIGHBOUR_AT]
    lends[2:n + 2, _LENDS:] = [(s.rule is not None, s.rule in IMAGE_RULES, 1.0) for s in slots]
    at = np.array(rows)[:, None] + 2 + np.array(NEIGHBOURS)[None, :]
    col = k + 13 + 2 * len(FAMILIES)
    out[:, col:] = lends[at].reshape(len(rows), -1)
    return out
