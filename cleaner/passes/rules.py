"""Remove lines matched by rule-pack rules; a section heading rule (`rest`) takes every later line too.

A section heading (`rest`: comments, related articles) closes the article, with two guards that
keep body text a heading shape alone would take:

- a heading above the first line of body text is a menu entry or a counter in the page head
  ("0 bình luận" under the date, "Tin mới" in a menu): it goes, the lines after it stay;
- a related-articles section ends where the article goes on after an inline box ("Đọc thêm" and two teasers
  set inside the body): at two body paragraphs in a row, or at a paragraph after two or more
  headlines that came without a summary line. A teaser list is a headline at a time, each with
  at most one summary line, and a list whose first teasers have no summary has none.

A caption-shaped line ("Đồng chí X phát biểu chỉ đạo hội nghị") that goes on to report what was said
or asked (", yêu cầu ...", "và nhắc nhở ...") is a body sentence: the text-shaped caption rules pass it by.
"""
from __future__ import annotations

import re
from functools import lru_cache

import re2

from ..document import Document, Line
from ..rulepack import Rule
from .title import HEADLINE_SHAPED_RULES, looks_like_body, looks_like_title

NAME = "rules"
HEAD_LINES = 6  # `position = "head"`: among the first lines of the body
TAIL_LINES = 8  # `position = "tail"`: among the last lines (a page whose every line a rule matches)
BOX_PARAGRAPH_MIN_CHARS = 100  # a paragraph that ends an inline box is at least this long
# A second clause that reports speech or an instruction: a caption shows a scene, it does not quote one.
_REPORTS = re.compile(r"(,|\svà)\s+(yêu cầu|nhấn mạnh|đề nghị|khẳng định|cho biết|lưu ý|nhắc nhở|mong muốn"
                      r"|chỉ rõ|khuyến cáo|quán triệt|cho rằng|bày tỏ)\s")


def reports_speech(text: str) -> bool:
    """A second clause that reports what was said or asked.

    >>> reports_speech("Đồng chí X phát biểu chỉ đạo hội nghị, yêu cầu các cấp ủy sớm ổn định bộ máy.")
    True
    >>> reports_speech("Chủ tịch X trao quà cho các gia đình chính sách, hộ nghèo.")
    False
    """
    return _REPORTS.search(text) is not None


def _in_position(rule: Rule, index: int, count: int, last_body: int = -1) -> bool:
    """Head rules never take the last line, tail rules never the first nor a line above `last_body` (the
    last body paragraph, or on a page with none the last line no rule matches): what is left after a first
    cleaning must not fall into a window that was not there before (cleaning twice changes nothing)."""
    if rule.position == "head":
        return index < min(HEAD_LINES, count - 1)
    if rule.position == "tail":
        if last_body >= 0:  # after the article's last paragraph, however many lines the page adds
            return index > last_body
        return index >= max(1, count - TAIL_LINES)
    return True


PREFILTER_MAX_CHARS = 2000  # longer lines are searched rule by rule (the combined DFA's memory stays small)
_SET_OPTIONS = re2.Options()
_SET_OPTIONS.log_errors = False
_SET_OPTIONS.max_mem = 64 << 20


class Prefilter:
    """Which rules can match a line, from one pass of all the rules' patterns combined (an RE2 set).

    A rule the set does not name cannot match, so it is not tried; a rule it names is still confirmed by
    its own `matches` (length gate and search), so decisions are those of trying every rule in order.
    A line longer than `PREFILTER_MAX_CHARS`, or rules that do not combine, get every rule tried.
    """

    def __init__(self, rules: tuple[Rule, ...]):
        self.size = len(rules)
        self.set = None
        try:
            combined = re2.Set.SearchSet(_SET_OPTIONS)
            for rule in rules:
                combined.Add(rule.pattern)
            combined.Compile()
            self.set = combined
        except re2.error:
            pass
        self.min_gate = max((r.max_chars for r in rules), default=None) if all(r.max_chars for r in rules) else None

    def candidates(self, text: str) -> frozenset[int] | None:
        """Indices of the rules worth trying on `text`; None: try them all."""
        if self.set is None or len(text) > PREFILTER_MAX_CHARS:
            return None
        if self.min_gate is not None and len(text) > self.min_gate:
            return frozenset()
        return frozenset(self.set.Match(text) or ())


@lru_cache(maxsize=64)
def prefilter(rules: tuple[Rule, ...]) -> Prefilter:
    return Prefilter(rules)


def first_match(rules: tuple[Rule, ...], text: str, index: int, count: int, last_body: int = -1,
                candidates: frozenset[int] | None = None) -> Rule | None:
    """The first rule, in pack order, that takes the line; `candidates` (from `Prefilter`) skips the rules
    that cannot match it."""
    if candidates is not None:
        rules = tuple(rules[k] for k in sorted(candidates))
    for rule in rules:
        if _in_position(rule, index, count, last_body) and _takes(rule, text):
            return rule
    return None


def _takes(rule: Rule, text: str) -> bool:
    """Whether the rule takes the line wherever it stands: its pattern matches, and a headline-shaped rule
    does not take a line that reports speech."""
    return rule.matches(text) and not (rule.id in HEADLINE_SHAPED_RULES and reports_speech(text))


def _paragraph(text: str) -> bool:
    return (len(text) >= BOX_PARAGRAPH_MIN_CHARS and looks_like_body(text)
            and not looks_like_title(text))


def _section_end(lines: tuple[Line, ...], start: int, headings: tuple[Rule, ...]) -> int:
    """Index of the first line after a heading at `start - 1` that is article text again, or of the
    next section heading (the comments under a teaser list), or len(lines)."""
    bare_headlines = 0
    for k in range(start, len(lines)):
        text = lines[k].text
        if any(h.matches(text) for h in headings):
            return k
        if _paragraph(text):
            if bare_headlines >= 2 or (k + 1 < len(lines) and _paragraph(lines[k + 1].text)):
                return k
            bare_headlines = -len(lines)  # a summary line: this list has them
        elif looks_like_title(text):
            bare_headlines += 1
    return len(lines)


def _last_unmatched(lines: tuple[Line, ...], rules: tuple[Rule, ...], pre: Prefilter) -> int:
    """Index of the last line that no rule would take wherever it stands, or -1: on a page with no body
    paragraph, the tail window starts after it. Counting the last lines instead let a first cleaning's
    removals (eight bylines at the end) pull an outlet code into the window of the second."""
    for k in range(len(lines) - 1, -1, -1):
        text = lines[k].text
        found = pre.candidates(text)
        if not any(_takes(rule, text) for rule in (rules if found is None else (rules[j] for j in found))):
            return k
    return -1


def decide(doc: Document, rules: tuple[Rule, ...]) -> dict[int, str]:
    """Line number -> rule id for every line a rule takes."""
    out: dict[int, str] = {}
    lines = doc.lines
    pre = prefilter(rules)
    last_body = max((k for k, line in enumerate(lines) if looks_like_body(line.text)), default=-1)
    if last_body < 0:
        last_body = _last_unmatched(lines, rules, pre)
    seen_body = False
    i = 0
    while i < len(lines):
        line = lines[i]
        rule = first_match(rules, line.text, i, len(lines), last_body, pre.candidates(line.text))
        if rule is None:
            seen_body = seen_body or looks_like_body(line.text)
            i += 1
            continue
        out[line.no] = rule.id
        if rule.rest and seen_body:
            # a comment thread has no teaser shape to read: it runs to the end of the page
            end = (_section_end(lines, i + 1, tuple(r for r in rules if r.rest and r.id != rule.id))
                   if rule.rest.startswith("related.") else len(lines))
            out.update((later.no, rule.rest) for later in lines[i + 1:end])
            i = end
            continue
        i += 1
    return out


def apply(doc: Document, rules: tuple[Rule, ...]) -> Document:
    return doc.drop(decide(doc, rules))
