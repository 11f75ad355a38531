"""The document as the extractors see it: every line in raw order, kept or removed, and where the body is.

A removed line keeps the rule that removed it; extractors match on the rule's
family (`byline`, `date`, ...), never on a full rule id, since rule ids change.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..document import Document
from .data import rx, section


@dataclass(frozen=True, slots=True)
class Seen:
    no: int
    text: str
    rule: str | None = None  # None: still in the body

    @property
    def kept(self) -> bool:
        return self.rule is None

    @property
    def family(self) -> str | None:
        return self.rule.split(".", 1)[0] if self.rule else None


_SENTENCE_END = rx("lines", "sentence_end", 0)


@lru_cache(maxsize=8192)  # asked of a line by several views of its document
def is_paragraph(text: str) -> bool:
    """Running text, not a label: long, or a sentence of some length."""
    n = len(text.split())
    conf = section("lines")
    return n >= conf["paragraph_long_words"] or (n >= conf["paragraph_min_words"] and bool(_SENTENCE_END.search(text)))


@dataclass(frozen=True)
class View:
    lines: tuple[Seen, ...]  # raw order

    @classmethod
    def of(cls, doc: Document) -> "View":
        seen = [Seen(l.no, l.text) for l in doc.lines] + [Seen(r.line, r.text, r.rule) for r in doc.removed]
        return cls(tuple(sorted(seen, key=lambda s: s.no)))

    @cached_property
    def article(self) -> tuple[Seen, ...]:
        """The lines before reader comments and related teasers begin. A teaser link inside the body
        ("Đọc thêm: ...") with body paragraphs after it does not end the article."""
        end = set(section("lines")["end_families"])
        last_body = max((line.no for line in self.lines if line.kept and is_paragraph(line.text)), default=0)
        out = []
        for line in self.lines:
            if line.family in end and line.no > last_body:
                break
            out.append(line)
        return tuple(out)

    @cached_property
    def useful(self) -> tuple[Seen, ...]:
        """Article lines that can carry metadata (not captions, duplicates, teasers or comments)."""
        skip = set(section("lines")["skip_families"])
        return tuple(line for line in self.article if line.family not in skip)

    @cached_property
    def paragraphs(self) -> tuple[Seen, ...]:
        return tuple(line for line in self.article if line.kept and is_paragraph(line.text))

    @cached_property
    def head(self) -> tuple[Seen, ...]:
        """Lines before the first body paragraph: navigation, kicker, headline, date, byline."""
        first = self.paragraphs[0].no if self.paragraphs else None
        return tuple(line for line in self.useful if first is None or line.no < first)

    @cached_property
    def tail(self) -> tuple[Seen, ...]:
        """Lines after the last body paragraph and before comments or teasers: byline, source."""
        if not self.paragraphs:
            return ()
        last = self.paragraphs[-1].no
        return tuple(line for line in self.useful if line.no > last)

    @cached_property
    def late(self) -> tuple[Seen, ...]:
        """Short lines in the second half of the article that follow a body paragraph: bylines the
        boilerplate pass did not see as the end of the article (related teasers left in, say)."""
        useful = self.useful
        out = []
        for prev, line in zip(useful, useful[1:]):
            if (line.no > useful[-1].no / 2 and prev.kept and is_paragraph(prev.text)
                    and not is_paragraph(line.text)):
                out.append(line)
        return tuple(out)

    @property
    def kept_text(self) -> str:
        return "\n".join(line.text for line in self.lines if line.kept)
