"""The learned line model: gradient-boosted trees over `features.FEATURES`, kept as a JSON text file.

A model file holds two forests: `remove` (one tree per round; the sum is the log-odds that a line
is boilerplate) and `family` (one tree per round and family; a softmax names the family of a line the
model removes). Trees are flat arrays, walked for every line at once with numpy, so a document costs a
few array operations per tree level. The file is data: no pickle, no code; `sha256` names it in
manifests. `train.py` writes it (LightGBM, which is needed only there).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..errors import CleanerError

FORMAT = "cleaner-line-model"
FORMAT_VERSION = 1
DEFAULT = Path(__file__).with_name("vi-news.json")


class ModelError(CleanerError):
    """A model file cannot be read, or was made for other features."""


@dataclass(frozen=True)
class Forest:
    """Trees as flat node arrays: node i splits on `feature[i]` at `threshold[i]` (<= goes left), or is a
    leaf (`feature[i] < 0`) worth `value[i]`; tree t starts at `roots[t]` and adds to output `klass[t]`."""
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    klass: np.ndarray
    depth: int
    outputs: int

    @classmethod
    def of(cls, data: dict) -> "Forest":
        a = {k: np.asarray(data[k]) for k in ("feature", "threshold", "left", "right", "value", "roots", "klass")}
        return cls(a["feature"].astype(np.int32), a["threshold"].astype(np.float64), a["left"].astype(np.int32),
                   a["right"].astype(np.int32), a["value"].astype(np.float64), a["roots"].astype(np.int32),
                   a["klass"].astype(np.int32), int(data["depth"]), int(data["outputs"]))

    def __post_init__(self):
        if len(set(np.bincount(self.klass, minlength=self.outputs))) > 1:
            raise ValueError("each output needs as many trees as the others")
        by_output = np.argsort(self.klass, kind="stable")  # each output's trees together, in their order
        object.__setattr__(self, "_perfect", tuple(a[by_output] for a in _perfect(self)))

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Summed leaf values per output: shape (rows, outputs).

        Every tree is walked as a perfect binary tree of `depth` levels (node i's children are 2i+1 and
        2i+2; a leaf above the last level is padded with splits that always go left), so a level is one
        gather and one comparison for all rows and trees at once. A row's sums do not depend on the rows
        beside it: many documents' lines may be walked together."""
        feature, threshold, leaf_value = self._perfect
        if self.depth == 0:  # each tree one leaf
            return np.tile(leaf_value[:, 0].reshape(self.outputs, -1).sum(axis=1), (len(x), 1))
        trees, inner = feature.shape
        # 32-bit node and cell numbers where they fit: half the memory the gathers walk
        index = np.int32 if max(x.size, feature.size, leaf_value.size) < 2 ** 31 else np.intp
        base = np.arange(trees, dtype=index) * inner  # where each tree's nodes start in the flat arrays
        cells = (np.arange(len(x), dtype=index) * x.shape[1])[:, None]  # where each row starts in x
        flat_x, flat_f, flat_t = np.ascontiguousarray(x).ravel(), feature.ravel().astype(index), threshold.ravel()
        # `at`: the node of each row in each tree, numbered across the forest; a level takes it from the
        # tree's node i to its child 2i + 1 (+ 1 to the right), that is to 2 * at + 1 - base (+ 1)
        right = x.take(feature[:, 0], axis=1) > threshold[:, 0]  # the roots split on one column each
        at = right.astype(index)
        at += base + 1
        step, cell = 1 - base, np.empty_like(at)
        for _ in range(self.depth - 1):  # in place: a batch of documents' lines is a large array
            np.add(cells, flat_f.take(at), out=cell)
            np.greater(flat_x.take(cell), flat_t.take(at), out=right)
            at *= 2
            at += step
            at += right
        at += np.arange(trees, dtype=index) - inner  # tree t's first leaf is node base + inner, cell t * (inner + 1)
        values = leaf_value.ravel().take(at)
        return values.reshape(len(x), self.outputs, trees // self.outputs).sum(axis=2)

    def contributions(self, row: np.ndarray, output: int = 0) -> dict[int, float]:
        """What each feature added to one row's score (the change of node value along its path)."""
        out: dict[int, float] = {}
        for t, root in enumerate(self.roots):
            if self.klass[t] != output:
                continue
            node = root
            while self.feature[node] >= 0:
                f = int(self.feature[node])
                nxt = self.left[node] if row[f] <= self.threshold[node] else self.right[node]
                out[f] = out.get(f, 0.0) + float(self.value[nxt] - self.value[node])
                node = nxt
        return out


def _perfect(forest: Forest) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(feature, threshold) of every inner node and the value of every leaf, per tree, in perfect layout."""
    depth, trees = forest.depth, len(forest.roots)
    inner, leaves = 2 ** depth - 1, 2 ** depth
    feature = np.zeros((trees, max(inner, 1)), dtype=np.intp)
    threshold = np.full((trees, max(inner, 1)), np.inf)
    value = np.zeros((trees, leaves))

    def place(t: int, node: int, slot: int, level: int) -> None:
        if level == depth:
            value[t, slot - inner] = forest.value[node]
            return
        if forest.feature[node] < 0:  # a leaf early: every row goes left down to the last level
            place(t, node, 2 * slot + 1, level + 1)
            return
        feature[t, slot], threshold[t, slot] = forest.feature[node], forest.threshold[node]
        place(t, int(forest.left[node]), 2 * slot + 1, level + 1)
        place(t, int(forest.right[node]), 2 * slot + 2, level + 1)

    for t, root in enumerate(forest.roots):
        place(t, int(root), 0, 0)
    return feature, threshold, value


@dataclass(frozen=True)
class LineModel:
    features: tuple[str, ...]
    families: tuple[str, ...]
    threshold: float  # a line a structural step flagged goes when its probability of being boilerplate is this
    threshold_alone: float  # a line no step flagged needs this much
    remove: Forest
    family: Forest
    sha256: str
    info: dict

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(boilerplate) per row."""
        if not len(x):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.remove.raw(x)[:, 0]))

    def family_of(self, x: np.ndarray) -> list[str]:
        """The most likely family per row."""
        if not len(x):
            return []
        return [self.families[i] for i in np.argmax(self.family.raw(x), axis=1)]

    def strongest(self, row: np.ndarray, n: int = 3) -> list[tuple[str, float]]:
        """The `n` features that moved this row's log-odds most, with how much."""
        contrib = self.remove.contributions(row)
        top = sorted(contrib.items(), key=lambda kv: -abs(kv[1]))[:n]
        return [(self.features[f], round(v, 3)) for f, v in top]


def parse(text: str, origin: str) -> LineModel:
    from .features import FEATURES

    try:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
            raise ModelError(f"{origin}: not a {FORMAT} v{FORMAT_VERSION} file")
        if tuple(data["features"]) != FEATURES:
            raise ModelError(f"{origin}: made for other features than this version of cleaner computes; "
                             f"train it again with `cleaner train`")
        return LineModel(tuple(data["features"]), tuple(data["families"]), float(data["threshold"]),
                         float(data.get("threshold_alone", data["threshold"])),
                         Forest.of(data["remove"]), Forest.of(data["family"]),
                         hashlib.sha256(text.encode("utf-8")).hexdigest(), dict(data.get("info", {})))
    except ModelError:
        raise
    except (ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{origin}: not a valid model file ({e})") from None


def load(path: str | None = None) -> LineModel:
    """The model at `path`, or the built-in one; read on every call (a file edited between two runs in one
    process is seen), parsed once per content."""
    p = Path(path) if path else DEFAULT
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ModelError(f"{p}: cannot read model file: {getattr(e, 'strerror', None) or e}") from None
    return _parsed(text, str(p))


@cache
def _parsed(text: str, origin: str) -> LineModel:
    return parse(text, origin)
