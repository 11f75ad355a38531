"""Structural boilerplate: what a line's place, length and neighbours say, where no word list can.

The rule pack has already taken the lines that say what they are ("Ảnh: X",
"Tin liên quan"). This pass looks at the shape of the page around them:

- `fragments`: a line of a few characters ("Đ", "Thá", "18") is a stray counter or a cut word.
- `head_chrome`: kept lines above the lifted headline are site names and menus.
- `after_image`: the short line right after an image remnant is its caption.
- `doubled`: a line repeated (or nearly) on the next line is image alt text then caption.
- `before_credit`: the line right before a bare credit ("Ảnh: X") is the caption it credits.
- `caption_runs`: short one-sentence lines set between long paragraphs, or next to a
  caption, are a photo series.
- `scene_runs`: two or more scene-shaped lines in a row ("Người dân phơi lúa trên sân nhà") between
  kept lines, one of them a paragraph, styled alike (all with a final stop or none): a photo series.
- `teaser_neighbours`: a headline-like line next to a teaser is another teaser.
- `tail`: a bare author name after the body is the byline; all after it is page chrome;
  a last line of a word or two is a cut-off fragment.
- `head_byline`: a bare author name in the page head, next to the date line, is the byline.

Each step is a pure function `Document -> {line number: rule id}`; `apply` runs them
in order, each seeing what the earlier ones removed, until nothing changes. Rule ids are permanent.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import re
from typing import Callable, NamedTuple

from ..document import Document
from ..extract.authors import head_name, strip_title
from .dup_lines import line_key
from .title import looks_like_body, looks_like_title

NAME = "boilerplate"

FRAGMENT = "other.fragment"
COUNTER = "other.counter"
BEFORE_TITLE = "nav.before_title"
AFTER_IMAGE = "caption.after_image"
DOUBLED = "caption.doubled"
NEAR_DUP = "dup.near"
BEFORE_CREDIT = "caption.before_credit"
RUN = "caption.run"
SCENE_RUN = "caption.scene_run"
TEASER = "related.teaser_neighbour"
BYLINE = "byline.bare_name"
HEAD_BYLINE = "byline.head_name"
AFTER_BYLINE = "related.after_byline"
TAIL_FRAGMENT = "other.tail_fragment"

# Rule ids (from the rule pack or this pass) that stand for an image on the page.
IMAGE_RULES = frozenset({"other.html", "other.image_marker", "caption.image_counter", "caption.photo_counter", COUNTER})
BARE_CREDIT_RULES = frozenset({"caption.credit_only"})
BARE_CREDIT_MAX_WORDS = 8  # "Video: Khách hàng xếp hàng nhận iPhone 16 tại TP.HCM" is a video's title, not a credit
# Captions known from their text: a run of caption-shaped lines next to one is a photo series.
TEXT_CAPTION_RULES = frozenset({"caption.person_action", "caption.group_scene", DOUBLED, BEFORE_CREDIT})

FRAGMENT_MAX_CHARS = 4  # "Đ", "Thá", "Anh1": never a paragraph
_DECIMAL = re.compile(r"\d+[.,]\d+%?")  # "93,6": a value, not a counter
_NUMBER = re.compile(r"[\d.,%+\-]*\d[\d.,%]*")
CAPTION_MAX_CHARS = 300  # longer lines are paragraphs, whatever their neighbours
AFTER_IMAGE_SENTENCE_MAX_CHARS = 60  # after an image, a full sentence this short is still its caption
AFTER_IMAGE_UNPUNCTUATED_MAX_CHARS = 160  # ... and an unpunctuated line this short
NEAR_REPEAT_SHARE = 0.8  # share of the shorter line's words found in the other
NEAR_REPEAT_MIN_WORDS = 3
NEAR_REPEAT_SIZE_RATIO = 0.5  # the shorter line has at least half as many distinct words
RUN_LINE_MAX_CHARS = 200  # a line in a caption run is at most this long ...
RUN_FLANK_MIN_CHARS = 250  # ... and sits between paragraphs at least this long ...
RUN_FLANK_RATIO = 2.0  # ... and at least this many times longer than it
BARE_RUN_MIN_LINES = 3  # this many short unpunctuated lines in a row are a photo series ...
BARE_RUN_LINE_MAX_CHARS = 80  # ... when each is at most this long
SCENE_MAX_CHARS = 120  # a scene caption is one short clause ...
SCENE_MIN_WORDS = 5  # ... with a subject, an action and a place: "Chỉ tiêu", "Kết quả ra quân" are headings
SCENE_FLANK_MIN_CHARS = 100  # one neighbour of a scene run is a paragraph at least this long ...
SCENE_FLANK_RATIO = 1.5  # ... and this many times longer than the run's longest line
# Words of a reported, dated, defined or counted sentence: a caption shows a scene, it does not tell when, why,
# what a thing is, who organised it or how many came.
_BODY_WORDS = re.compile(r"(^|\s)(đã|sẽ|đang|cũng|rất|đều|vẫn|chưa|không|hơn|được|nhằm|nên|để|theo|cho biết|là|do"
                         r"|chủ yếu|thu hút|hàng chục|hàng trăm|hàng nghìn|hàng vạn)(\s|$)",
                         re.IGNORECASE)
# A sentence that opens with a connective, a time or a place adverbial goes on from the one before it.
_CONNECTIVE = re.compile(r"^(Từ đó|Sau đó|Trong đó|Tuy nhiên|Ngoài ra|Đồng thời|Bên cạnh đó|Theo|Dự|Do|Vì|Nhờ|Khi"
                         r"|Nếu|Trước đó|Hiện|Hiện nay|Tại|Với|Để|Ngày|Sáng|Chiều|Tối|Trưa|Đêm)[\s,]")
_LIST_MARK = re.compile(r"^\w{1,2}[).]\s")
TEASER_MAX_CHARS = 150
NAME_MAX_WORDS = 4  # "Nguyễn Thị Tuyết Trinh"
NAME_WORD_MAX_LETTERS = 7  # a Vietnamese syllable
NAME_ORG_MAX_CHARS = 80  # "Hà Văn Hồng – Hội Nông dân huyện Lạng Giang"
TAIL_FRAGMENT_MAX_WORDS = 3
# Bylines that name no person; they close the article like a name does.
NON_PERSON_BYLINES = frozenset({"pv", "nhóm pv", "nhóm phóng viên", "ctv", "nhóm ctv", "pv - ctv", "pv-ctv"})
MAX_ROUNDS = 4  # the steps are repeated until nothing changes, at most this many times

NAME_LINE_MAX_CHARS = 120  # longer lines are never a list of names
_NAME_SPLIT = re.compile(r"\s+[-–]\s+|\s*,\s*|\s+và\s+|\s*&\s*")
_SENTENCE_BREAK = re.compile(r"[.!?…]['\"”’)]*\s+(\S)")
_END_PUNCT = ".!?…;:\"”’)»"
# A sentence that reports what someone said is body text: a caption shows a scene, it does not quote.
_REPORTED_SPEECH = re.compile(r"(^|[\s,])(cho biết|cho rằng|nhấn mạnh|khẳng định|nhận định|bày tỏ|chia sẻ rằng|nói rằng)([\s,:]|$)")
BEFORE_CREDIT_PARAGRAPH_CHARS = 160  # a line this long with two sentences is a paragraph, not the caption above a credit
TAIL_BYLINE_MAX_PARAGRAPHS = 1  # a name next to a date with more paragraphs than this after it is in the page head


class Slot(NamedTuple):
    """A non-blank raw line: kept (rule None) or removed by `rule`."""
    no: int
    text: str
    rule: str | None


def slots(doc: Document) -> tuple[Slot, ...]:
    """Every non-blank raw line in raw order, kept or removed, so neighbours can be read.

    Built once per document value: the steps of a round that remove nothing pass the same (immutable)
    document on, and all read this one view of it."""
    global _LAST
    last = _LAST
    if last[0] is doc:
        return last[1]
    out = [Slot(l.no, l.text, None) for l in doc.lines] + [Slot(r.line, r.text, r.rule) for r in doc.removed]
    seq = tuple(sorted(out))
    _LAST = (doc, seq)  # one reference swap: safe when threads clean documents side by side
    return seq


_LAST: tuple[Document | None, tuple[Slot, ...]] = (None, ())


# -- line shapes ----------------------------------------------------------------------------------


def is_name(text: str) -> bool:
    """A personal name or names alone: 'Quỳnh Anh', 'NGỌC VÂN', 'Vũ Nguyệt – Nhật Quang'.

    >>> is_name("Phương Anh - Trung Nghĩa"), is_name("Hoàng Đức lại đá tiền đạo"), is_name("Truyền Thống")
    (True, False, True)
    """
    if len(text) > NAME_LINE_MAX_CHARS:
        return False
    parts = [p for p in _NAME_SPLIT.split(text.strip().rstrip(".")) if p]
    return bool(parts) and all(_is_one_name(p) for p in parts)


def _is_one_name(part: str) -> bool:
    words = part.split()
    if not 2 <= len(words) <= NAME_MAX_WORDS:
        return False
    if not all(w.isalpha() and len(w) <= NAME_WORD_MAX_LETTERS for w in words):
        return False
    return all(w.isupper() for w in words) or all(w[0].isupper() and w[1:].islower() for w in words)


@lru_cache(maxsize=8192)  # the tail step asks it of every line, every round
def is_byline(text: str, last: bool) -> bool:
    """A bare name, an academic title before it allowed ('BS. Nguyễn Thu Hà'); on the last line of the
    article also a name with its organisation ('X – Hội Nông dân huyện Y')."""
    if is_name(text) or " ".join(text.split()).casefold().strip(".") in NON_PERSON_BYLINES:
        return True
    bare = strip_title(text)
    if bare != " ".join(text.split()) and is_name(bare):
        return True
    if not last or len(text) > NAME_ORG_MAX_CHARS:
        return False
    first = re.split(r"\s+[-–]\s+", text, maxsplit=1)
    return len(first) == 2 and _is_one_name(first[0])


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(tuple(_END_PUNCT))


def one_sentence(text: str) -> bool:
    """No sentence break inside the line (a full stop followed by a capital)."""
    return not any(m.group(1)[0].isupper() for m in _SENTENCE_BREAK.finditer(text.rstrip()))


def caption_shaped(text: str, max_chars: int) -> bool:
    """Could be a caption: short, one sentence, not a heading in capitals, a question or a quote."""
    t = text.strip()
    if len(t) > max_chars:
        return False
    return (one_sentence(t) and not t.endswith(("?", ":", "!")) and not _REPORTED_SPEECH.search(t)
            and not t.startswith(('"', "“", "'", "‘", "-", "–", "*"))
            and any(c.isalpha() and not c.isupper() for c in t))  # a letter, and not all of them capitals


@lru_cache(maxsize=4096)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(line_key(text).split())


def near_repeat(a: str, b: str) -> bool:
    """Most words of the shorter line are in the other: alt text and caption, a caption with its credit."""
    wa, wb = _word_set(a), _word_set(b)
    small, large = (len(wa), len(wb)) if len(wa) <= len(wb) else (len(wb), len(wa))
    return (small >= NEAR_REPEAT_MIN_WORDS and small >= NEAR_REPEAT_SIZE_RATIO * large
            and len(wa & wb) / small >= NEAR_REPEAT_SHARE)


def _lede(doc: Document) -> int | None:
    """The first kept line that reads like body text (a menu word such as 'Cỡ chữ' can come before it):
    a lede repeated on the next line is the page's summary box, not a caption."""
    return next((line.no for line in doc.lines if looks_like_body(line.text)), doc.lines[0].no if doc.lines else None)


# -- the steps ------------------------------------------------------------------------------------


def _number(text: str) -> bool:
    return _NUMBER.fullmatch(text.strip()) is not None


def fragments(doc: Document) -> dict[int, str]:
    """Short stray lines; a decimal value ("93,6") next to another number-only line is a table cell."""
    out = {}
    lines = doc.lines
    for i, line in enumerate(lines):
        t = line.text.strip()
        if len(t) <= FRAGMENT_MAX_CHARS:
            near = [lines[j].text for j in (i - 1, i + 1) if 0 <= j < len(lines)]
            if _DECIMAL.fullmatch(t) and any(_number(n) for n in near):
                continue
            out[line.no] = COUNTER if t.isdigit() else FRAGMENT
    return out


def head_chrome(doc: Document) -> dict[int, str]:
    titles = [r.line for r in doc.removed if r.rule.startswith("title.")]
    if not titles:
        return {}
    first = min(titles)
    return {line.no: BEFORE_TITLE for line in doc.lines if line.no < first}


def head_byline(doc: Document) -> dict[int, str]:
    """A writer's name alone on a line above the lede, next to the date line or the headline:
    'Hoàng An' / 'Thứ bảy, 12/10/2024 21:05', 'ThS.BS Nguyễn Thị Mai' / '19/10/2024 06:00';
    or right under the sapo, next to the date line ('sapo' / 'Trần Trung' / 'Thứ Ba 14/05/2024')."""
    lede = _lede(doc)
    if lede is None:
        return {}
    seq = slots(doc)
    out = {}
    for i, s in enumerate(seq):
        if s.rule is not None or not head_name(s.text):
            continue
        near = [seq[k] for k in (i - 1, i + 1) if 0 <= k < len(seq)]
        if s.no >= lede:
            # under the sapo: only a name on the date line's other side, the sapo the only paragraph above
            above = sum(1 for line in doc.lines if line.no < s.no and looks_like_body(line.text))
            if above <= 1 and any(n.rule and n.rule.startswith("date.") for n in near):
                out[s.no] = HEAD_BYLINE
            continue
        if any(n.rule and n.rule.startswith(("date.", "title.")) for n in near):
            out[s.no] = HEAD_BYLINE
    return out


def after_image(doc: Document) -> dict[int, str]:
    out = {}
    seq = slots(doc)
    for prev, cur in zip(seq, seq[1:]):
        if cur.rule is None and prev.rule in IMAGE_RULES and _image_caption(cur.text):
            out[cur.no] = AFTER_IMAGE
    return out


def _image_caption(text: str) -> bool:
    limit = AFTER_IMAGE_SENTENCE_MAX_CHARS if ends_sentence(text) else AFTER_IMAGE_UNPUNCTUATED_MAX_CHARS
    return caption_shaped(text, limit)


def doubled(doc: Document) -> dict[int, str]:
    out = {}
    lede = _lede(doc)
    seq = slots(doc)
    for a, b in zip(seq, seq[1:]):
        if not near_repeat(a.text, b.text):
            continue
        if a.rule is None and a.no != lede and len(a.text) <= CAPTION_MAX_CHARS:
            out[a.no] = DOUBLED
        if b.rule is None and line_key(a.text) != line_key(b.text) and (a.rule or a.no in out):
            out[b.no] = NEAR_DUP
    return out


def before_credit(doc: Document) -> dict[int, str]:
    seq = slots(doc)
    return {a.no: BEFORE_CREDIT for a, b in zip(seq, seq[1:])
            if a.rule is None and b.rule in BARE_CREDIT_RULES and len(a.text) <= CAPTION_MAX_CHARS
            and len(b.text.split()) <= BARE_CREDIT_MAX_WORDS
            and not (len(a.text) >= BEFORE_CREDIT_PARAGRAPH_CHARS and not one_sentence(a.text))}


def caption_runs(doc: Document) -> dict[int, str]:
    """Runs of caption-shaped kept lines, judged by what flanks them on each side."""
    seq = slots(doc)
    out: dict[int, str] = {}
    i = 0
    while i < len(seq):
        if seq[i].rule is not None or not caption_shaped(seq[i].text, RUN_LINE_MAX_CHARS):
            i += 1
            continue
        j = i
        while j + 1 < len(seq) and seq[j + 1].rule is None and caption_shaped(seq[j + 1].text, RUN_LINE_MAX_CHARS):
            j += 1
        run = seq[i:j + 1]
        left = seq[i - 1] if i else None
        right = seq[j + 1] if j + 1 < len(seq) else None
        if _run_is_captions(run, left, right):
            out.update((s.no, RUN) for s in run)
        i = j + 1
    return out


def _run_is_captions(run: list[Slot], left: Slot | None, right: Slot | None) -> bool:
    longest = max(len(s.text) for s in run)

    def long_paragraph(s: Slot | None) -> bool:
        return (s is not None and s.rule is None
                and len(s.text) >= max(RUN_FLANK_MIN_CHARS, RUN_FLANK_RATIO * longest))

    def caption(s: Slot | None) -> bool:
        return s is not None and s.rule in TEXT_CAPTION_RULES

    if len(run) >= 2 and long_paragraph(left) and long_paragraph(right):
        return True
    if (len(run) >= BARE_RUN_MIN_LINES and all(len(s.text) <= BARE_RUN_LINE_MAX_CHARS and not ends_sentence(s.text) for s in run)
            and not (left is not None and left.text.endswith(":"))):
        return True
    if caption(left):
        return long_paragraph(right) or caption(right) or right is None
    if caption(right):
        return long_paragraph(left) or caption(left)
    return False


def scene_shaped(text: str) -> bool:
    """One short clause of words that shows a scene: no tense or reporting word, no label, share, table row or list mark.

    >>> scene_shaped("Người dân xã Ia Tiêm phơi tiêu trên sân nhà"), scene_shaped("Từ đó, những đứa trẻ cứ lần lượt về với bà.")
    (True, False)
    >>> scene_shaped("Nhiều homestay đã kín phòng đến hết tháng."), scene_shaped("Bắc Ninh: 4,3 tỷ USD")
    (False, False)
    """
    t = text.strip()
    return (caption_shaped(t, SCENE_MAX_CHARS) and sum(w.isalpha() for w in t.split()) >= SCENE_MIN_WORDS
            and not any(c in t for c in ":%|")
            and not t.endswith(";") and not _BODY_WORDS.search(t) and not _CONNECTIVE.match(t)
            and not _LIST_MARK.match(t))


def scene_runs(doc: Document) -> dict[int, str]:
    """Two or more scene-shaped kept lines in a row between kept lines, one of them a paragraph; the run
    styled alike (all end with a stop, or none does: "Các cầu thủ chia vui" / "Văn Vĩ ghi bàn ở phút 80."
    is a caption then a one-sentence paragraph)."""
    seq = slots(doc)
    out: dict[int, str] = {}
    i = 0
    while i < len(seq):
        if seq[i].rule is not None or not scene_shaped(seq[i].text):
            i += 1
            continue
        j = i
        while j + 1 < len(seq) and seq[j + 1].rule is None and scene_shaped(seq[j + 1].text):
            j += 1
        run = seq[i:j + 1]
        left = seq[i - 1] if i else None
        right = seq[j + 1] if j + 1 < len(seq) else None
        longest = max(len(s.text) for s in run)

        def paragraph(s: Slot) -> bool:
            return len(s.text) >= max(SCENE_FLANK_MIN_CHARS, SCENE_FLANK_RATIO * longest)

        if (len(run) >= 2 and len({ends_sentence(s.text) for s in run}) == 1
                and left is not None and right is not None and left.rule is None and right.rule is None
                and (paragraph(left) or paragraph(right))):
            out.update((s.no, SCENE_RUN) for s in run)
        i = j + 1
    return out


def teaser_neighbours(doc: Document) -> dict[int, str]:
    seq = slots(doc)
    out = {}
    for i, s in enumerate(seq):
        if (s.rule is not None or len(s.text) > TEASER_MAX_CHARS or not looks_like_title(s.text)
                or s.text.rstrip().endswith("!")):
            continue  # "Xin cảm ơn anh!" ends an interview; a teaser is a headline
        near = [seq[k] for k in (i - 1, i + 1) if 0 <= k < len(seq)]
        if any(n.rule and n.rule.startswith("related.") for n in near):
            out[s.no] = TEASER
    return out


def tail(doc: Document) -> dict[int, str]:
    """The byline after the body, and everything after it; or a cut-off last line."""
    lines = doc.lines
    seq = slots(doc)
    position = {s.no: k for k, s in enumerate(seq)}
    for i, line in enumerate(lines[1:], 1):
        last = i == len(lines) - 1
        after = seq[position[line.no] + 1] if position[line.no] + 1 < len(seq) else None
        followed_by_junk = after is not None and (after.rule is not None or not looks_like_body(after.text))
        if not is_byline(line.text, last or followed_by_junk):
            continue
        k = position[line.no]
        dated = any(0 <= j < len(seq) and (seq[j].rule or "").startswith("date.") for j in (k - 1, k + 1))
        if dated and sum(1 for later in lines[i + 1:] if looks_like_body(later.text)) > TAIL_BYLINE_MAX_PARAGRAPHS:
            continue  # name and date under the sapo: the page head, the article still to come
        if last or followed_by_junk:
            out = {line.no: BYLINE}
            out.update((later.no, AFTER_BYLINE) for later in lines[i + 1:])
            return out
    out = _after_rule_byline(doc)
    if out:
        return out
    out = {}
    for line in reversed(lines[1:]):  # from the end: cut-off lines, never the first line
        if len(line.text.split()) > TAIL_FRAGMENT_MAX_WORDS or ends_sentence(line.text):
            break
        out[line.no] = TAIL_FRAGMENT
    return out


def _after_rule_byline(doc: Document) -> dict[int, str]:
    """Kept lines after a byline the rule pack took ('Tin, ảnh: X', 'Thu Hòa/VOV4'), if none is body text."""
    lines = doc.lines
    body = [line.no for line in lines if looks_like_body(line.text)]
    if not body:
        return {}
    bylines = [r.line for r in doc.removed if r.rule.startswith("byline.") and r.line > body[0]]
    if not bylines:
        return {}
    later = [line for line in lines if line.no > bylines[0]]
    if any(looks_like_body(line.text) for line in later):
        return {}
    return {line.no: AFTER_BYLINE for line in later}


STEPS: tuple[Callable[[Document], dict[int, str]], ...] = (
    fragments, head_chrome, head_byline, tail, after_image, doubled, before_credit, caption_runs, scene_runs,
    teaser_neighbours,
)


def steps(doc: Document) -> Document:
    """Every step in order, repeated until none removes anything: a removal can expose a new tail.
    (What the line model reads the steps' word from; `apply` also judges the kept lines alone.)"""
    for _ in range(MAX_ROUNDS):
        before = len(doc.removed)
        for step in STEPS:
            doc = doc.drop(step(doc))
        if len(doc.removed) == before:
            break
    return doc


def apply(doc: Document) -> Document:
    """The steps over the raw neighbourhood, then over the kept lines alone, as a second cleaning of the
    output would see them (two lines that a removal made neighbours): cleaning twice changes nothing."""
    for _ in range(MAX_ROUNDS):
        doc = steps(doc)
        seen_again = steps(replace(doc, removed=()))
        if not seen_again.removed:
            break
        doc = doc.drop({r.line: r.rule for r in seen_again.removed})
    return doc
