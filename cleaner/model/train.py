"""`cleaner train`: fit the line model on folders of labelled articles and write it as a model file.

A labelled folder has the layout of `../shared/samples`: `raw/NAME.txt`, `labels/NAME.tsv` (one
`LABEL<TAB>line` row per raw line: `keep`, `blank`, or the family of junk the line is), and optionally
`provenance.tsv` (`file`, `source_key`, ...: the outlet, so evaluation can hold one out). The rows are
the lines each article still has after the rule pack, the headline and the repeats: the lines whose
fate is structural. LightGBM fits the trees (needed only here); the file written is plain JSON.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..document import from_text
from ..errors import UsageError
from . import FORMAT, FORMAT_VERSION
from .features import FAMILIES, FEATURES, matrix

REMOVE = frozenset(FAMILIES)  # every label but keep and blank is a line to remove
SEED = 0
PARAMS = {  # LightGBM's own parameter names; fixed, not tuned on any held-out outlet
    "remove": {"objective": "binary", "num_boost_round": 300, "learning_rate": 0.05, "num_leaves": 7, "max_depth": 4,
               "min_data_in_leaf": 20, "feature_fraction": 0.8, "lambda_l2": 1.0},
    "family": {"objective": "multiclass", "num_boost_round": 60, "learning_rate": 0.1, "num_leaves": 7, "max_depth": 3,
               "min_data_in_leaf": 5, "feature_fraction": 0.8, "lambda_l2": 1.0},
}
COMMON = {"seed": SEED, "deterministic": True, "force_row_wise": True, "num_threads": 1, "verbose": -1}
THRESHOLD = 0.5  # a line a structural step flagged goes at this probability ...
THRESHOLD_ALONE = 0.7  # ... one that no step flagged needs more: precision first
EXTRA_WEIGHT = 0.5  # rows of `--extra` folders (reconstructions, weaker labels) weigh this much


@dataclass(frozen=True)
class Article:
    folder: str
    name: str  # raw file name, "a001.txt"
    group: str  # the outlet (source_key), or the file name when the folder does not say
    text: str
    labels: tuple[str, ...]  # one per raw line


@dataclass
class Rows:
    x: np.ndarray
    remove: np.ndarray  # 1: boilerplate
    family: np.ndarray  # index into FAMILIES (for removed rows), -1 for keep
    group: list[str]
    article: list[int]
    line: list[int]


def read_folder(folder: str | Path) -> list[Article]:
    """The labelled articles of a folder in the samples layout, with their outlet."""
    root = Path(folder)
    if not (root / "raw").is_dir() or not (root / "labels").is_dir():
        raise UsageError(f"{root}: not a labelled folder (it needs raw/*.txt and labels/*.tsv, as ../shared/samples)")
    groups: dict[str, str] = {}
    prov = root / "provenance.tsv"
    if prov.exists():
        for row in prov.read_text(encoding="utf-8").splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) >= 2:
                groups[cells[0]] = cells[1]
    out = []
    for lab in sorted((root / "labels").glob("*.tsv")):
        raw = root / "raw" / f"{lab.stem}.txt"
        if not raw.exists():
            raise UsageError(f"{lab}: no raw file {raw.name} beside it")
        text = raw.read_text(encoding="utf-8")
        rows = [r.split("\t", 1)[0] for r in lab.read_text(encoding="utf-8").split("\n") if r != ""]
        lines = text.split("\n")
        if len(rows) != len(lines) and not (len(rows) == len(lines) - 1 and lines[-1] == ""):
            raise UsageError(f"{lab}: {len(rows)} label rows for {len(lines)} raw lines")
        unknown = set(rows) - REMOVE - {"keep", "blank"}
        if unknown:
            raise UsageError(f"{lab}: unknown labels {sorted(unknown)}; use keep, blank or one of {sorted(REMOVE)}")
        out.append(Article(str(root), raw.name, groups.get(raw.name, raw.name), text, tuple(rows)))
    return out


def article_rows(cleaner, article: Article):
    """(slots, feature rows) of the lines whose fate is structural, for one article."""
    from ..passes import model

    doc = cleaner.prepare(from_text(article.name, article.name, article.text))
    seq = model.slots(doc)
    kept = [i for i, s in enumerate(seq) if s.rule is None]
    return [seq[i] for i in kept], matrix(seq, kept)


def rows_of(cleaner, articles: Sequence[Article]) -> Rows:
    xs, remove, family, group, art, line = [], [], [], [], [], []
    for a, article in enumerate(articles):
        seq, x = article_rows(cleaner, article)
        xs.append(x)
        for s in seq:
            label = article.labels[s.no - 1] if s.no - 1 < len(article.labels) else "keep"
            remove.append(int(label in REMOVE))
            family.append(FAMILIES.index(label) if label in REMOVE else -1)
            group.append(article.group)
            art.append(a)
            line.append(s.no)
    x = np.vstack(xs) if xs else np.zeros((0, len(FEATURES)))
    return Rows(x, np.array(remove), np.array(family), group, art, line)


def _forest(fitted, outputs: int) -> dict:
    """LightGBM's trees as the flat arrays of `model.Forest`."""
    dump = fitted.dump_model()
    feature, threshold, left, right, value, roots, klass = [], [], [], [], [], [], []
    depth = 0

    def add(node: dict, level: int) -> int:
        nonlocal depth
        i = len(feature)
        feature.append(-1), threshold.append(0.0), left.append(-1), right.append(-1)
        if "leaf_value" in node:
            value.append(float(node["leaf_value"]))
            depth = max(depth, level)
            return i
        if node.get("decision_type", "<=") != "<=":
            raise ValueError(f"unsupported split {node.get('decision_type')}")
        value.append(float(node.get("internal_value", 0.0)))
        feature[i], threshold[i] = int(node["split_feature"]), float(node["threshold"])
        left[i] = add(node["left_child"], level + 1)
        right[i] = add(node["right_child"], level + 1)
        return i

    for t, tree in enumerate(dump["tree_info"]):
        roots.append(add(tree["tree_structure"], 0))
        klass.append(t % outputs)
    return {"feature": feature, "threshold": threshold, "left": left, "right": right, "value": value,
            "roots": roots, "klass": klass, "depth": depth, "outputs": outputs}


def booster(params: dict, x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, **extra):
    """A LightGBM booster fitted with `params` (one of PARAMS) and COMMON."""
    import lightgbm as lgb

    params = {**params, **COMMON, **extra}
    rounds = params.pop("num_boost_round")
    return lgb.train(params, lgb.Dataset(x, label=y, weight=weights), num_boost_round=rounds)


def fit(rows: Rows, weights: np.ndarray | None = None) -> dict:
    """The model file's contents, fitted on `rows`."""
    try:
        import lightgbm as lgb
    except ImportError:
        raise UsageError("cleaner train needs LightGBM: pip install 'cleaner[train]' (or lightgbm)") from None
    if len(set(rows.remove.tolist())) < 2:
        raise UsageError("the labels need both kept and removed lines to learn from")
    remove = booster(PARAMS["remove"], rows.x, rows.remove, weights)
    gone = rows.remove == 1
    present = sorted(set(rows.family[gone].tolist()))
    if len(present) > 1:
        family = booster(PARAMS["family"], rows.x[gone], np.searchsorted(present, rows.family[gone]),
                         None if weights is None else weights[gone], num_class=len(present))
        fam_forest = _forest(family, len(present))
    else:  # one family only: a single constant tree
        fam_forest = {"feature": [-1], "threshold": [0.0], "left": [-1], "right": [-1], "value": [0.0],
                      "roots": [0], "klass": [0], "depth": 0, "outputs": 1}
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "features": list(FEATURES),
        "families": [FAMILIES[i] for i in present], "threshold": THRESHOLD, "threshold_alone": THRESHOLD_ALONE,
        "remove": _forest(remove, 1), "family": fam_forest,
        "info": {"rows": int(len(rows.remove)), "removed_rows": int(gone.sum()), "articles": len(set(rows.article)),
                 "outlets": len(set(rows.group)), "params": PARAMS, "learner": f"lightgbm {lgb.__version__}"},
    }


def importance(model: dict, top: int = 15) -> list[tuple[str, int]]:
    """How often each feature splits in the remove forest."""
    counts: dict[int, int] = {}
    for f in model["remove"]["feature"]:
        if f >= 0:
            counts[f] = counts.get(f, 0) + 1
    return [(FEATURES[f], n) for f, n in sorted(counts.items(), key=lambda kv: -kv[1])[:top]]


def joined(rows: Rows, extra: Rows | None, weight: float = EXTRA_WEIGHT) -> tuple[Rows, np.ndarray | None]:
    """The rows with the extra rows after them, and the weights that make the extra ones count less."""
    if extra is None or not len(extra.remove):
        return rows, None
    both = Rows(np.vstack([rows.x, extra.x]), np.concatenate([rows.remove, extra.remove]),
                np.concatenate([rows.family, extra.family]), rows.group + extra.group,
                rows.article + [-1 - a for a in extra.article], rows.line + extra.line)
    return both, np.concatenate([np.ones(len(rows.remove)), np.full(len(extra.remove), weight)])


def train(folders: Iterable[str | Path], out: str | Path, extra: Iterable[str | Path] = (),
          extra_weight: float = EXTRA_WEIGHT, cleaner=None) -> dict:
    """Fit on every labelled folder (and the `extra` ones at `extra_weight`) and write the model file."""
    from ..config import Config
    from ..pipeline import build

    articles = [a for f in folders for a in read_folder(f)]
    weak = [a for f in extra for a in read_folder(f)]
    if not articles:
        raise UsageError("no labelled articles found")
    cleaner = cleaner or build(Config(model="none"))
    data = fit(*joined(rows_of(cleaner, articles), rows_of(cleaner, weak) if weak else None, extra_weight))
    data["info"]["trained_on"] = sorted({Path(a.folder).name for a in articles})
    data["info"]["extra"] = {"folders": sorted({Path(a.folder).name for a in weak}), "weight": extra_weight}
    Path(out).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return data
