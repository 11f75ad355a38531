"""Leave-one-outlet-out evaluation of the line model, next to the rules alone.

    python bench/outlet_cv.py [--sets ../shared/samples ../shared/samples2] [--per-outlet] [--seeds 0 1 2 3 4]

Rows are grouped by outlet (`source_key` in each set's provenance.tsv; an outlet found in both sets is
one group). For each outlet, the model is fitted on every other outlet and the held-out outlet's
articles are cleaned by the real pipeline with it, then scored line by line as ../shared/eval/score.py
scores a dataset (a rejected article counts as every line removed). Three configurations:

    rules     the rule pack and the structural steps, as without a model (`--model none`)
    model     the model alone: every line decided from its shape and neighbours, no rule or step features
    combined  what ships: rule-pack patterns, headline and repeats first, then the model over the
              steps' word, with the body guard

`--seeds` repeats the whole evaluation with each LightGBM seed (the trees sample 80% of the features
per tree) and prints the pooled figures per seed and their mean and spread: a change smaller than the
spread is noise. Pooled figures are printed per set: samples2's outlets are the honest one, since the rules were tuned
on ../shared/samples. Metadata is scored too (it is not fitted, but the model changes which lines stay).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cleaner.config import Config  # noqa: E402
from cleaner.document import from_text  # noqa: E402
from cleaner.model import parse  # noqa: E402
from cleaner.model.features import FEATURES, RULE_COLUMNS, Slot, matrix  # noqa: E402
from cleaner.model import train  # noqa: E402
from cleaner.model.train import REMOVE, Rows, fit, joined, read_folder, rows_of  # noqa: E402
from cleaner.passes import unicode  # noqa: E402
from cleaner.pipeline import build, to_record  # noqa: E402
from scoring import FIELDS, field_hits  # noqa: E402

SETS = [str(ROOT.parent / "shared" / "samples"), str(ROOT.parent / "shared" / "samples2")]
# Reconstructions written for the project: extra training rows at a lower weight, never scored.
EXTRA = [str(ROOT / "tests" / "fixtures" / f"heldout{n}") for n in ("", "2", "3", "4")]

CONFIGS = ("rules", "model", "combined")


def model_alone_rows(articles) -> Rows:
    """Every non-blank line after the unicode pass, with no rule or step said of it."""
    xs, remove, family, group, art, line = [], [], [], [], [], []
    for a, article in enumerate(articles):
        doc = unicode.apply(from_text(article.name, article.name, article.text))
        seq = sorted([Slot(l.no, l.text, None, None) for l in doc.lines])
        xs.append(matrix(seq))
        for s in seq:
            label = article.labels[s.no - 1]
            remove.append(int(label in REMOVE))
            family.append(-1)
            group.append(article.group)
            art.append(a)
            line.append(s.no)
    x = np.vstack(xs)
    x[:, list(RULE_COLUMNS)] = 0.0
    return Rows(x, np.array(remove), np.array(family), group, art, line)


def subset(rows: Rows, mask: np.ndarray) -> Rows:
    idx = np.flatnonzero(mask)
    return Rows(rows.x[idx], rows.remove[idx], rows.family[idx],
                [rows.group[i] for i in idx], [rows.article[i] for i in idx], [rows.line[i] for i in idx])


def line_tally(article, gone: set[int] | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, body lines lost) as score.py counts them."""
    tp = fp = fn = 0
    for n, label in enumerate(article.labels, 1):
        if label == "blank":
            continue
        want, got = label in REMOVE, True if gone is None else n in gone
        tp += want and got
        fp += got and not want
        fn += want and not got
    return tp, fp, fn, fp


def evaluate(sets=SETS, configs=CONFIGS):
    articles = [a for s in sets for a in read_folder(s)]
    set_of = {id(a): Path(a.folder).name for a in articles}
    base = build(Config(model="none"))
    rows = rows_of(base, articles)
    extra = rows_of(base, [a for s in EXTRA for a in read_folder(s)])
    alone = model_alone_rows(articles) if "model" in configs else None
    groups = sorted({a.group for a in articles})
    results = {c: {} for c in configs}  # config -> article index -> (tp, fp, fn, lost, record)
    for g in groups:
        held = [i for i, a in enumerate(articles) if a.group == g]
        train_mask = np.array([grp != g for grp in rows.group])
        if "rules" in configs:
            for i in held:
                results["rules"][i] = _clean(base, articles[i])
        if "combined" in configs:
            model = parse(json.dumps(fit(*joined(subset(rows, train_mask), extra))), f"fold {g}")
            cleaner = replace(base, model=model)
            for i in held:
                results["combined"][i] = _clean(cleaner, articles[i])
        if "model" in configs:
            tm = np.array([grp != g for grp in alone.group])
            sub = subset(alone, tm)
            sub.family[:] = np.where(sub.remove == 1, 0, -1)
            model = parse(json.dumps(fit(sub)), f"fold {g}")
            for i in held:
                mask = np.array([a == i for a in alone.article])
                p = model.probability(alone.x[mask])
                gone = {no for no, q in zip(np.array(alone.line)[mask], p) if q >= model.threshold}
                results["model"][i] = (*line_tally(articles[i], gone), {})
    return articles, set_of, groups, results


def _clean(cleaner, article):
    doc = cleaner.clean(from_text(article.name, article.name, article.text))
    if not doc.lines:
        return (*line_tally(article, None), {})
    return (*line_tally(article, {r.line for r in doc.removed}), to_record(doc))


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def outlet_cell(tp, fp, fn) -> str:
    """P/R/F1 of an outlet's lines; an outlet whose articles have no boilerplate line and lose none scores
    nothing (no 0/0 shown as 0.000, which reads as every line misjudged)."""
    return "nothing to remove" if not (tp or fp or fn) else "{:.3f}/{:.3f}/{:.3f}".format(*prf(tp, fp, fn))


def meta_scores(articles, idx, results, sets):
    hits = [0, 0, 0]
    for s in sets:
        meta = {}
        path = Path(s) / "meta.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                m = json.loads(line)
                meta[m["file"]] = m
        for i in idx:
            a = articles[i]
            if a.folder != s or a.name not in meta:
                continue
            record = results[i][4]
            for field in FIELDS:
                for k, ok in enumerate(field_hits(field, meta[a.name].get(field), record.get(field))):
                    hits[k] += int(ok)
    c, p, e = hits
    return (c / p if p else 0.0), (c / e if e else 0.0)


def pooled(articles, results, config: str, folder: str) -> tuple[float, float, float]:
    idx = [i for i, a in enumerate(articles) if a.folder == folder]
    return prf(*(sum(results[config][i][k] for i in idx) for k in range(3)))


def seed_spread(sets, configs, seeds) -> int:
    """The pooled precision and recall per seed, then their mean and standard deviation."""
    fitted = [c for c in configs if c != "rules"]  # the rules fit nothing: no seed moves them
    runs = []
    for seed in seeds:
        train.COMMON["seed"] = seed
        articles, _, _, results = evaluate(sets, fitted)
        runs.append({(c, s): pooled(articles, results, c, s) for c in fitted for s in sets})
        print(f"seed {seed}: " + "; ".join(f"{Path(s).name} {c} P {p:.3f} R {r:.3f}"
                                         for (c, s), (p, r, _) in runs[-1].items()), flush=True)
    for key in runs[0]:
        p, r = (np.array([run[key][k] for run in runs]) for k in (0, 1))
        print(f"over {len(seeds)} seeds {Path(key[1]).name:9} {key[0]:9} P {p.mean():.3f} ± {p.std():.3f} "
              f"R {r.mean():.3f} ± {r.std():.3f} (lowest P {p.min():.3f}, R {r.min():.3f})")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=SETS)
    ap.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=CONFIGS)
    ap.add_argument("--per-outlet", action="store_true", help="a row per outlet and configuration")
    ap.add_argument("--seeds", nargs="+", type=int, help="repeat with each of these LightGBM seeds; mean and spread")
    args = ap.parse_args()
    if args.seeds:
        return seed_spread(args.sets, args.configs, args.seeds)
    articles, set_of, groups, results = evaluate(args.sets, args.configs)
    if args.per_outlet:
        print(f"{'outlet':24} {'set':9} {'n':>3} " + " ".join(f"{c + ' P/R/F1':>22}" for c in args.configs))
        for g in groups:
            idx = [i for i, a in enumerate(articles) if a.group == g]
            names = ",".join(sorted({Path(articles[i].folder).name for i in idx}))
            cells = []
            for c in args.configs:
                tp, fp, fn = (sum(results[c][i][k] for i in idx) for k in range(3))
                cells.append(outlet_cell(tp, fp, fn).rjust(22))
            print(f"{g:24} {names:9} {len(idx):3d} " + " ".join(cells))
    for s in args.sets:
        name = Path(s).name
        idx = [i for i, a in enumerate(articles) if a.folder == s]
        for c in args.configs:
            tp, fp, fn = (sum(results[c][i][k] for i in idx) for k in range(3))
            worst = max(idx, key=lambda i: results[c][i][3])
            p, r, f = prf(tp, fp, fn)
            line = (f"pooled {name:9} {c:9} boilerplate P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp} fp {fp} fn {fn}); "
                    f"worst document loses {results[c][worst][3]} body lines ({articles[worst].name})")
            if c != "model":
                mp, mr = meta_scores(articles, idx, results[c], [s])
                line += f"; metadata P {mp:.3f} R {mr:.3f}"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
