"""Shallow features of a line and of its neighbours, the boilerpipe way (Kohlschütter et al., 2010).

One row per non-blank raw line, in raw order. A feature is a small pure function of the line, its
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
NEIGHBOUR_FEATURES = ("log_chars", "sentence_breaks", "ends_period", "ends_colon", "ends_question", "opens_mark",
                      "list_mark", "title_shaped", "body_shaped", "removed", "image", "exists")


@lru_cache(maxsize=8192)
def line_vector(text: str) -> tuple[float, ...]:
    """The features of the text alone, in `LINE_FEATURES` order. Shares (capitals, digits, function words)
    are read from the first `SAMPLE_CHARS` characters: a share, so its cost does not grow with the line."""
    t = text.strip()
    words = t.split()
    n = len(words) or 1
    last = t[-1:] if t else ""
    head = t[:SAMPLE_CHARS]
    letters = sum(map(str.isalpha, head))
    syllables = _WORD.findall(head.casefold())
    first = [w[0] for w in words[:SAMPLE_CHARS // 4]]
    return (
        math.log1p(len(t)),
        float(min(len(words), 200)),
        float(min(len(_SENTENCE_BREAK.findall(t)), 20)),
        float(last == "."),
        float(last in "!?…;"),
        float(last == ":"),
        float(last in "\"”’)»]'"),
        float(last.isalnum()),
        (sum(map(str.isupper, first)) / len(first)) if first else 0.0,
        (sum(map(str.isupper, head)) / letters) if letters else 0.0,
        sum(map(str.isdigit, head)) / max(len(head), 1),
        (sum(map(function_words().__contains__, syllables)) / len(syllables)) if syllables else 0.0,
        float(bool(_URLISH.search(t))),
        float(bool(_SLUG.match(t))),
        float(scan_line(t) is not None) if len(t) < 200 else 0.0,
        float(head_name(t) is not None) if len(t) < 120 else 0.0,
        float(looks_like_title(t)),
        float(looks_like_body(t)),
        float(t[:1] in "-–—•*+>|[(\"“‘'"),
        float(has_dateline(t)),
        float(last == "?"),
        float(bool(_LIST_MARK.match(t))),
    )


_key = lru_cache(maxsize=8192)(line_key)


def _family(rule: str | None) -> str | None:
    return rule.split(".", 1)[0] if rule else None


def _distance(i: int, marks: Sequence[int]) -> float:
    """Lines from i to the nearest mark (signed: negative when the mark is above), capped."""
    if not marks:
        return float(CAP + 1)
    d = min(marks, key=lambda m: (abs(m - i), m))
    return float(max(-CAP, min(CAP, i - d)))


def _runs(flags: np.ndarray) -> np.ndarray:
    """For each flagged position, the length of the run of flagged positions it is in (0 elsewhere)."""
    out = np.zeros(len(flags))
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        out[i:j] = j - i
        i = j
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


def matrix(slots: Sequence[Slot]) -> np.ndarray:
    """One row of `FEATURES` per slot."""
    n = len(slots)
    if not n:
        return np.zeros((0, len(FEATURES)))
    base = np.array([line_vector(s.text) for s in slots], dtype=np.float64)
    keys = [_key(s.text) for s in slots]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    body = [i for i, s in enumerate(slots) if s.rule is None and base[i, LINE_FEATURES.index("body_shaped")]]
    titles = [i for i, s in enumerate(slots) if _family(s.rule) == "title"]
    images = [i for i, s in enumerate(slots) if s.rule in IMAGE_RULES]
    bylines = [i for i, s in enumerate(slots) if _family(s.rule or s.step) == "byline"]
    longest = max(len(s.text) for s in slots) or 1
    removed = np.array([s.rule is not None for s in slots], dtype=np.float64)
    image = np.array([s.rule in IMAGE_RULES for s in slots], dtype=np.float64)
    rows = np.zeros((n, len(FEATURES)))
    k = len(LINE_FEATURES)
    rows[:, :k] = base
    run = _runs(base[:, LINE_FEATURES.index("list_mark")] > 0)
    short = _runs(np.array([s.rule is None and len(s.text) <= SHORT_CHARS for s in slots]))
    for i, s in enumerate(slots):
        rows[i, k:k + 13] = (
            i / max(n - 1, 1), min(i, CAP), min(n - 1 - i, CAP),
            float(counts[keys[i]] > 1 and len(keys[i]) > 0),
            float(i > 0 and keys[i] != "" and (keys[i] in keys[i - 1] or keys[i - 1] in keys[i]) and keys[i - 1] != ""),
            len(s.text) / longest,
            _distance(i, titles), _distance(i, images), _distance(i, bylines),
            float(bool(body) and i > body[-1]), float(bool(body) and i < body[0]), min(run[i], 5), min(short[i], 8),
        )
        fam, step = _family(s.rule), _family(s.step)
        if fam in FAMILIES:
            rows[i, k + 13 + FAMILIES.index(fam)] = 1.0
        if step in FAMILIES:
            rows[i, k + 13 + len(FAMILIES) + FAMILIES.index(step)] = 1.0
    col = k + 13 + 2 * len(FAMILIES)
    cols = {f: base[:, LINE_FEATURES.index(f)] for f in NEIGHBOUR_FEATURES if f in LINE_FEATURES}
    cols.update(removed=removed, image=image, exists=np.ones(n))
    for o in NEIGHBOURS:
        for f in NEIGHBOUR_FEATURES:
            shifted = np.zeros(n)
            src = cols[f]
            if o < 0:
                shifted[-o:] = src[:n + o]
            else:
                shifted[:n - o] = src[o:]
            rows[:, col] = shifted
            col += 1
    return rows
