"""Every rule id a run can write, with where it comes from: a rule pack, a code step, or the line model.

`cleaner rules` prints this table; a pack's `disable` may name any id in it.
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

STEP = "step"
MODEL = "model"


@cache
def step_rules() -> tuple[dict, ...]:
    """The code steps' rule ids (cleaner/steps.toml), with descriptions and examples."""
    data = tomllib.loads((resources.files("cleaner") / "steps.toml").read_text(encoding="utf-8"))
    return tuple({"id": s["id"], "description": s["description"], "examples": list(s.get("examples", ())),
                  "origin": STEP, "module": s["module"]} for s in data["steps"])


def model_rules(families) -> list[dict]:
    """`model.FAMILY` for each family of the line model: a line it removes that no step named."""
    return [{"id": f"{MODEL}.{f}", "description": f"A line the line model judged boilerplate of the {f} family "
             f"(no rule or step named it).", "examples": [], "origin": MODEL} for f in families]


def builtin_families() -> tuple[str, ...]:
    from .model import load
    return tuple(load(None).families)


def known_code_ids(families=None) -> frozenset[str]:
    """The ids of the code steps and the model families (the built-in model's when `families` is None)."""
    fams = builtin_families() if families is None else families
    return frozenset(s["id"] for s in step_rules()) | frozenset(f"{MODEL}.{f}" for f in fams)


def describe(entry: dict) -> str:
    """A rule as one line: where it comes from (a pack's name, `step`, `model`), then what it removes.

    >>> describe({"id": "date.only", "origin": "vi-news", "description": "A date alone."})
    'vi-news: A date alone.'
    """
    return f"{entry['origin']}: {entry['description']}"


def rule_table(cleaner) -> list[dict]:
    """Every rule id of a built `pipeline.Cleaner`: its packs' rules (and section ids), the steps, the model."""
    out = []
    for pack in cleaner.packs:
        for r in pack.rules:
            out.append({"id": r.id, "description": r.description, "examples": list(r.examples), "origin": pack.name,
                        "disabled": r.id in cleaner.overrides.disabled})
            if r.rest and r.rest not in {e["id"] for e in out}:
                out.append({"id": r.rest, "description": f"Every line after a {r.id} heading (a section).",
                            "examples": [], "origin": pack.name, "disabled": r.rest in cleaner.overrides.disabled})
    seen = {e["id"] for e in out}
    families = cleaner.model.families if cleaner.model else builtin_families()
    for e in [*step_rules(), *model_rules(families)]:
        if e["id"] not in seen:
            out.append({**{k: v for k, v in e.items() if k != "module"}, "disabled": e["id"] in cleaner.overrides.disabled})
    for pack in cleaner.packs:
        for k in pack.keep:
            out.append({"id": k.id, "description": k.description or f"Keep: a line matching {k.pattern!r} stays.",
                        "examples": list(k.examples), "origin": pack.name, "disabled": False, "keep": True})
    return out
