"""Every rule of every built-in pack removes its own examples and leaves its keeps."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from cleaner.rulepack import load_pack, rule_failures

BUILTIN = sorted(Path(str(resources.files("cleaner") / "rules")).glob("*.toml"))


def test_there_are_builtin_packs():
    assert BUILTIN, "no rule packs under cleaner/rules/"


@pytest.mark.parametrize("path", BUILTIN, ids=[p.stem for p in BUILTIN])
def test_every_rule_removes_its_examples_and_keeps_its_keeps(path):
    pack = load_pack(str(path))
    failures = [f for rule in pack.rules for f in rule_failures(rule)]
    assert not failures, "\n".join(failures)
    for rule in pack.rules:
        assert rule.examples, f"{rule.id} has no examples"
        assert rule.keeps, f"{rule.id} has no keeps"
