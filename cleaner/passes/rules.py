"""Remove lines matched by rule-pack rules; a section heading rule (`rest`) takes every later line too."""
from __future__ import annotations

from ..document import Document
from ..rulepack import Rule

NAME = "rules"
HEAD_LINES = 6  # `position = "head"`: among the first lines of the body
TAIL_LINES = 8  # `position = "tail"`: among the last lines of the body


def _in_position(rule: Rule, index: int, count: int) -> bool:
    """Head rules never take the last line, tail rules never the first: what is left after a first
    cleaning must not fall into a window that was not there before (cleaning twice changes nothing)."""
    if rule.position == "head":
        return index < min(HEAD_LINES, count - 1)
    if rule.position == "tail":
        return index >= max(1, count - TAIL_LINES)
    return True


def first_match(rules: tuple[Rule, ...], text: str, index: int, count: int) -> Rule | None:
    for rule in rules:
        if _in_position(rule, index, count) and rule.matches(text):
            return rule
    return None


def decide(doc: Document, rules: tuple[Rule, ...]) -> dict[int, str]:
    """Line number -> rule id for every line a rule takes."""
    out: dict[int, str] = {}
    lines = doc.lines
    for i, line in enumerate(lines):
        rule = first_match(rules, line.text, i, len(lines))
        if rule is None:
            continue
        out[line.no] = rule.id
        if rule.rest:
            out.update((later.no, rule.rest) for later in lines[i + 1:])
            break
    return out


def apply(doc: Document, rules: tuple[Rule, ...]) -> Document:
    return doc.drop(decide(doc, rules))
