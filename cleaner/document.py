"""The document model: a sequence of lines that keep their raw line number for life.

Passes never renumber and never mutate: they return a new `Document` whose
`lines` are the lines still in the body and whose `removed` lists every line
taken out, with the rule that took it. Only the writer joins lines into text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class Line:
    no: int  # 1-based raw line number
    text: str


@dataclass(frozen=True, slots=True)
class Removal:
    line: int
    rule: str
    text: str


_EMPTY: Mapping[str, Any] = MappingProxyType({})
EMPTIED = "unicode.empty"  # the one removal an override never stops: a line normalization left empty


@dataclass(frozen=True)
class Overrides:
    """What the user's rule packs say over every pass: lines that must stay (`[[keep]]` patterns) and rule ids
    that must not remove anything (`disable`). `Document.drop` consults it, so the rule packs, the headline,
    repeated lines, the structural steps and the line model are all bound by it."""

    keep: tuple[Any, ...] = ()  # objects with `matches(text) -> bool` (rulepack.Keep)
    disabled: frozenset[str] = frozenset()

    def kept(self, text: str) -> bool:
        return any(k.matches(text) for k in self.keep)

    def allows(self, rule: str, text: str) -> bool:
        """May `rule` remove the line `text`?"""
        if rule == EMPTIED:
            return True
        return rule not in self.disabled and not self.kept(text)

    def __bool__(self) -> bool:
        return bool(self.keep or self.disabled)


NO_OVERRIDES = Overrides()


@dataclass(frozen=True)
class Document:
    id: str
    source: str
    lines: tuple[Line, ...]
    removed: tuple[Removal, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)  # the input's own fields (title, url, ...)
    meta: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)  # what passes found (lang, title, ...)
    overrides: Overrides = NO_OVERRIDES  # the user's keep patterns and disabled rules, which bind every pass

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def drop(self, decisions: Mapping[int, str]) -> "Document":
        """Remove the lines whose numbers are in `decisions`, each under its rule id, but for the lines the
        overrides keep (a `[[keep]]` pattern, a disabled rule)."""
        if decisions and self.overrides:
            text = {line.no: line.text for line in self.lines}
            decisions = {no: rule for no, rule in decisions.items()
                         if no not in text or self.overrides.allows(rule, text[no])}
        if not decisions:
            return self
        kept = tuple(line for line in self.lines if line.no not in decisions)
        gone = tuple(Removal(line.no, decisions[line.no], line.text) for line in self.lines if line.no in decisions)
        return replace(self, lines=kept, removed=tuple(sorted(self.removed + gone, key=lambda r: r.line)))

    def with_meta(self, **values: Any) -> "Document":
        return replace(self, meta=MappingProxyType({**self.meta, **values}))


# What ends a line: \r\n (one break), \n, \r alone (old Mac files), NEL (U+0085), and the Unicode
# line and paragraph separators (U+2028, U+2029). Not \v, \f or the \x1c-\x1e separators:
# str.splitlines() takes those too, but in scraped text they are noise inside a line.
LINE_BREAK = re.compile("\r\n|[\n\r\u0085\u2028\u2029]")
LINE_BREAK_CHARS = "\n\r\u0085\u2028\u2029"


def split_lines(text: str) -> list[str]:
    """Split raw text at every line break of LINE_BREAK. Line i of the result is raw line i+1.

    >>> split_lines("a\\r\\nb\\rc\\u2028d\\x85e\\n")
    ['a', 'b', 'c', 'd', 'e', '']
    """
    return LINE_BREAK.split(text)


def from_text(id: str, source: str, text: str, fields: Mapping[str, Any] = _EMPTY) -> Document:
    """A document of every non-blank raw line. Blank lines are paragraph breaks, not content."""
    lines = tuple(Line(no, t) for no, t in enumerate(split_lines(text), 1) if t.strip())
    return Document(id=id, source=source, lines=lines, fields=MappingProxyType(dict(fields)))
