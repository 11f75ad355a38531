"""The rule prefilter (one RE2 set over all patterns) never hides a rule that matches: decisions are the
same as trying every rule in order, on every line of the labelled samples and every rule's examples and keeps."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.document import from_text
from cleaner.passes import rules as rules_pass
from cleaner.passes.title import HEADLINE_SHAPED_RULES
from cleaner.rulepack import builtin_path, load_pack

ROOT = Path(__file__).resolve().parents[2]
PACKS = sorted(p.stem for p in builtin_path("x").parent.glob("*.toml"))


def sample_texts(*folders: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for f in folders for p in sorted((f / "raw").glob("*.txt"))]


def fixture_folders() -> list[Path]:
    return sorted(p for p in (ROOT / "tests" / "fixtures").iterdir() if (p / "raw").is_dir())


def lines_of(texts: list[str]) -> list[str]:
    return sorted({line for t in texts for line in t.splitlines()})


def subsets(rules):
    """The rule tuples the pipeline passes: the whole pack, without and with only the headline-shaped rules."""
    return [rules, tuple(r for r in rules if r.id not in HEADLINE_SHAPED_RULES),
            tuple(r for r in rules if r.id in HEADLINE_SHAPED_RULES)]


def check_lines(rules, lines):
    pre = rules_pass.Prefilter(rules)
    assert pre.set is not None
    for text in lines:
        matching = {k for k, r in enumerate(rules) if r.matches(text)}
        cand = pre.candidates(text)
        assert cand is None or matching <= cand, (text, matching - cand)
        for index, count, last_body in ((0, 10, -1), (3, 10, 5), (9, 10, 5), (9, 10, -1), (0, 1, -1)):
            assert (rules_pass.first_match(rules, text, index, count, last_body, cand)
                    == rules_pass.first_match(rules, text, index, count, last_body)), text


@pytest.mark.parametrize("pack", PACKS)
def test_examples_and_keeps_of_every_rule(pack):
    rules = load_pack(pack).rules
    lines = sorted({t for r in rules for t in r.examples + r.keeps})
    for subset in subsets(rules):
        check_lines(subset, lines)


@pytest.mark.parametrize("pack", PACKS)
def test_every_line_of_the_labelled_samples(pack, shared_samples, shared_samples2):
    rules = load_pack(pack).rules
    lines = lines_of(sample_texts(shared_samples, shared_samples2, *fixture_folders()))
    assert len(lines) > 1000
    for subset in subsets(rules):
        check_lines(subset, lines)


@pytest.mark.parametrize("pack", PACKS)
def test_decide_is_the_same_without_the_prefilter(pack, shared_samples, shared_samples2, monkeypatch):
    rules = load_pack(pack).rules
    docs = [from_text(str(k), "s", t) for k, t in enumerate(sample_texts(shared_samples, shared_samples2))]
    with_pre = [rules_pass.decide(d, r) for d in docs for r in subsets(rules)]

    class Plain(rules_pass.Prefilter):
        def __init__(self, rules):
            pass

        def candidates(self, text):
            return None

    monkeypatch.setattr(rules_pass, "prefilter", Plain)
    assert [rules_pass.decide(d, r) for d in docs for r in subsets(rules)] == with_pre


def test_a_long_line_tries_every_rule():
    rules = load_pack("vi-news").rules
    assert rules_pass.Prefilter(rules).candidates("x" * (rules_pass.PREFILTER_MAX_CHARS + 1)) is None
