"""Publication dates from the forms Vietnamese news pages use, day first, validated.

Three kinds of evidence, in order of trust:

1. a labelled date: "Ngày đăng: 07/04/2021", "Cập nhật ngày: 03/03/2021 - 20:38",
   "(Chương trình ngày 16/5/2019)";
2. a line that is only a date, maybe after a weekday, a breadcrumb or a byline:
   "12:17, 22/08/2023", "Thứ Hai, 05/03/2024 08:30 (GMT+7)", "Chính trị 28-05-2024",
   "BIẾN ĐỔI KHÍ HẬU - Thanh Tùng - 18:51 31/05/2022", "PV•28/01/2025 08:22";
3. a dateline opening the body ("Chiều 18.5, ...", "Sáng 20-11, ..."), whose
   year, when not written, must come from the article URL or from the text.

A clock in the page header ("Thứ bảy Ngày 20 Tháng 04 Năm 2024, 12:52:37"
above the headline) shows the day the page was read: it goes to `page_date`,
never to `published`. Evidence that disagrees with itself gives no date.
"""
from __future__ import annotations

from functools import lru_cache
import datetime as dt
import re
from dataclasses import dataclass

from .data import rx, section, words
from .view import Seen, View

POSTED = "date.posted"
UPDATED = "date.updated"
NOTE = "date.note"
LINE = "date.line"
BREADCRUMB = "date.breadcrumb"
BYLINE = "date.byline"
DATELINE = "date.dateline"
DATELINE_URL = "date.dateline_url_year"
DATELINE_TEXT = "date.dateline_text_year"
PAGE_CLOCK = "date.page_clock"
PAGE_HEADER = "date.page_header"

_WEEKDAY = rx("dates", "weekday")
_TIME = rx("dates", "time")
_NUMERIC = rx("dates", "numeric_date")
_LONG = rx("dates", "long_date")
_SHORT_YEAR = rx("dates", "short_year_stamp")
_GMT = rx("dates", "gmt")
_FILLER = rx("dates", "filler")
_NOTE = rx("dates", "note")
_DATELINE = rx("dates", "dateline")
_DATELINE_LONG = rx("dates", "dateline_long")
_SENTENCES = rx("dates", "sentence_split")
_YEAR = rx("dates", "year_mention")
_URL_YM = rx("dates", "url_year_month")
_SEGMENT = rx("authors", "segment_split")
# A section label after a bar at the end of a date line: "| Quân sự", "| Thời sự - Chính trị".
_TAIL_SECTION = re.compile(r"\s\|\s*[A-ZÀ-Ỹ][^\d|.,;:!?\"“”()]{0,30}$")
_DIGIT = re.compile(r"\d")  # every date pattern (numeric, long, short-year) holds digits: most lines have none


@dataclass(frozen=True, slots=True)
class When:
    date: dt.date
    time: tuple[int, int] | None = None

    def iso(self) -> str:
        if self.time is None:
            return self.date.isoformat()
        return f"{self.date.isoformat()}T{self.time[0]:02d}:{self.time[1]:02d}"


@dataclass(frozen=True, slots=True)
class DateLine:
    when: When
    before: str  # what the line holds before the date, separators stripped ("" for a bare date)
    seconds: bool  # the time shows seconds: a clock
    joined: str = ""  # the separators between `before` and the date ("•" in "PV•28/01/2025")


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A real calendar date in a plausible year, else None.

    >>> make_date(2023, 2, 29) is None, make_date(1890, 1, 1) is None, make_date(2024, 2, 29)
    (True, True, datetime.date(2024, 2, 29))
    """
    conf = section("dates")
    if not conf["min_year"] <= year <= conf["max_year"]:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def make_time(hour: int, minute: int, half: str | None) -> tuple[int, int] | None:
    """(hour, minute) on a 24-hour clock; a 24-hour time with a needless PM ('15:35 PM') is read as written.

    >>> make_time(3, 35, "PM"), make_time(15, 35, "PM"), make_time(15, 35, "AM")
    ((15, 35), (15, 35), None)
    """
    half = (half or "").lower()
    if half in ("pm", "ch") and 13 <= hour <= 23:
        half = ""
    if half in ("am", "sa", "pm", "ch"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in ("pm", "ch") else 0)
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return hour, minute
    return None


def _dates_in(text: str) -> list[tuple[tuple[int, int], dt.date | None]]:
    out = [(m.span(), make_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))) for m in _NUMERIC.finditer(text)]
    out += [(m.span(), make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))) for m in _LONG.finditer(text)]
    out += [(m.span(), make_date(2000 + int(m.group(3)), int(m.group(2)), int(m.group(1))))
            for m in _SHORT_YEAR.finditer(text)]
    return out


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _strip(text: str) -> str:
    seps = section("dates")["separators"]
    return " ".join(text.strip(seps).split())


@lru_cache(maxsize=8192)  # a pure function of the line, asked by the title pass, extraction and the line model
def scan_line(text: str) -> DateLine | None:
    """A line that holds one date and nothing after it but a time, a weekday or a time zone.

    >>> scan_line("Thứ tư, 04/03/2026, 16:44 (GMT+7)").when.iso()
    '2026-03-04T16:44'
    >>> scan_line("Cập nhật 05/12/2009 - 10:13:34 AM (GMT+7)")
    DateLine(when=When(date=datetime.date(2009, 12, 5), time=(10, 13)), before='Cập nhật', seconds=True, joined='')
    >>> scan_line("31-10-2024 - 08:45 AM | Quân sự").when.iso(), scan_line("Thứ bảy, 02/11/2024 22:40 (GMT+07:00)").when.iso()
    ('2024-10-31T08:45', '2024-11-02T22:40')
    >>> scan_line("Ngày 22/08/2023, hội nghị đã diễn ra thành công tốt đẹp.") is None
    True
    """
    if len(text) > section("dates")["max_line_chars"] or not _DIGIT.search(text):
        return None
    dates = _dates_in(text)
    if len(dates) != 1 or dates[0][1] is None:
        return None
    (start, end), day = dates[0]
    zones = [m.span() for m in _GMT.finditer(text)]  # "(GMT+07:00)" holds no clock time
    times = [m for m in _TIME.finditer(text) if (m.end() <= start or m.start() >= end)
             and not any(a <= m.start() < b for a, b in zones)]
    if len(times) > 1:
        return None
    when = When(day)
    spans = [(start, end)]
    seconds = False
    if times:
        m = times[0]
        clock = make_time(int(m.group(1)), int(m.group(2)), m.group(4))
        if clock is None:
            return None
        when = When(day, clock)
        seconds = m.group(3) is not None
        spans.append(m.span())
    spans += [m.span() for m in _WEEKDAY.finditer(text)]
    spans += [m.span() for m in _GMT.finditer(text)]
    blanked = _blank(text, spans)
    blanked = _blank(blanked, [m.span() for m in _FILLER.finditer(blanked)])
    after = blanked[end:]
    tail = _TAIL_SECTION.search(after)
    if tail:  # "31-10-2024 - 08:45 AM | Quân sự": a section label after a bar
        after = after[:tail.start()]
    if _strip(after):
        return None
    before = _strip(blanked[:start])
    joined = blanked[:start].rstrip()[len(blanked[:start].rstrip().rstrip(section("dates")["separators"])):]
    return DateLine(when, before, seconds, joined if before else "")


def classify(line: DateLine) -> str | None:
    """The rule a date line answers to, or None when what precedes the date reads like a sentence.

    >>> [classify(scan_line(t)) for t in ("Ngày đăng: 07/04/2021", "12:17, 22/08/2023", "Chính trị 28-05-2024",
    ...  "PV•28/01/2025 08:22", "Hội nghị diễn ra vào ngày 22/08/2023", "Cập nhật ngày: 03/03/2021 - 20:38")]
    ['date.posted', 'date.line', 'date.breadcrumb', 'date.byline', None, 'date.updated']
    """
    before = line.before
    if not before:
        return LINE
    if before.casefold() in words("dates", "posted_labels"):
        return POSTED
    if before.casefold() in words("dates", "updated_labels"):
        return UPDATED
    conf = section("dates")
    words_ = before.split()
    if (len(before) > conf["prefix_max_chars"] or len(words_) > conf["prefix_max_words"]
            or any(c.isdigit() for c in before) or re.search(r"[.,;!?\"“”()]", before)
            or not before[0].isupper() or words_[-1].casefold() in words("dates", "prepositions")):
        return None
    return BYLINE if _SEGMENT.search(before) or _SEGMENT.search(line.joined) else BREADCRUMB


def note_date(text: str) -> When | None:
    """'(Chương trình ngày 16/5/2019)': the day a programme aired or a post was made."""
    m = _NOTE.search(text)
    if not m:
        return None
    day = make_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
    return When(day) if day else None


@dataclass(frozen=True, slots=True)
class Candidate:
    rank: int  # 1 posted, 2 updated, 3 a date line
    no: int
    when: When
    rule: str
    seconds: bool
    before: str = ""


RANKS = {POSTED: 1, NOTE: 1, UPDATED: 2, LINE: 3, BREADCRUMB: 3, BYLINE: 3}
NEAR_HEADLINE = 3  # raw lines


def _placed(line: Seen, view: View, headline: int | None) -> bool:
    """A bare date line counts where page furniture is: in the head or tail, next to the
    headline, or removed as a date or byline. Inside the body it may be a table or a list."""
    return (line in view.head or line in view.tail or line.family in ("date", "byline")
            or (headline is not None and abs(line.no - headline) <= NEAR_HEADLINE))


def candidates(view: View, headline: int | None = None) -> list[Candidate]:
    out = []
    for line in view.useful:
        found = scan_line(line.text)
        if found is not None:
            rule = classify(found)
            if rule is not None and (RANKS[rule] < 3 or _placed(line, view, headline)):
                out.append(Candidate(RANKS[rule], line.no, found.when, rule, found.seconds, found.before))
                continue
        when = note_date(line.text)
        if when is not None:
            out.append(Candidate(1, line.no, when, NOTE, False))
    return out


# --- datelines -------------------------------------------------------------------------------------


def _strip_code(text: str) -> str:
    from .outlets import split_dateline_code  # one parser of dateline codes

    return split_dateline_code(text)[1]


def dateline_day(text: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of a dateline opening `text`.

    >>> dateline_day("Chiều 18.5, Đảng ủy Quân sự tỉnh tổ chức hội nghị")
    (18, 5, None)
    >>> dateline_day("Sáng ngày 04 tháng 02 năm 2021 Đoàn cán bộ huyện")
    (4, 2, 2021)
    >>> dateline_day("Trong bài phát biểu hôm 16/3, Tổng thống Pháp cho rằng") is None
    True

    A dateline is an adverbial: a comma or the sentence's subject follows it. A date that the sentence is
    about ("Ngày 21.4.2024 là ngày hồng phúc ...") says when something happened, not when it was written.

    >>> dateline_day("Ngày 21.4.2024 là ngày hồng phúc của giáo xứ") is None
    True
    """
    m = _DATELINE.match(text)
    if m and _adverbial(text[m.end():]):
        return int(m.group(1)), int(m.group(3)), int(m.group(4)) if m.group(4) else None
    m = _DATELINE_LONG.match(text)
    if m and _adverbial(text[m.end():]):
        return int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
    return None


def _adverbial(rest: str) -> bool:
    """What follows a date opening a sentence: a comma, a bracket, the end, or a capitalised subject."""
    nxt = rest.lstrip()[:1]
    return not nxt or nxt in ",;:(-–" or nxt.isupper() or nxt.isdigit()


def year_from_url(url: str | None, month: int) -> int | None:
    """The year of a /YYYYMM/ (or /YYYY/MM/) path segment whose month is the dateline's.

    >>> year_from_url("http://baohagiang.vn/tin-noi-bat/202305/hoi-nghi-69872e3/", 5)
    2023
    >>> year_from_url("http://baohagiang.vn/tin-noi-bat/202305/hoi-nghi-69872e3/", 6) is None
    True
    """
    if not url:
        return None
    years = {int(m.group(1)) for m in _URL_YM.finditer(url) if int(m.group(2)) == month}
    return years.pop() if len(years) == 1 else None


def year_from_text(day: int, month: int, paragraph: str, lead: str) -> int | None:
    """The year a dateline's day falls in, from what the text states, or None when it is not sure.

    A full date in the lead a few days before the dateline gives its year; else the one
    year the dateline's paragraph names ("năm 2020"). In January and February a year
    named after a review word ("tổng kết năm 2023") is the year before, so it does not count.

    >>> year_from_text(20, 11, "Sáng 20-11, ... Hội nghị kiểm điểm năm 2020.", "")
    2020
    >>> year_from_text(30, 12, "Chiều 30/12, tổng kết năm 2022, nhiệm vụ năm 2023.", "Tính đến ngày 28/12/2022, ...")
    2022
    >>> year_from_text(5, 1, "Sáng 5/1, hội nghị tổng kết năm 2023.", "") is None
    True
    """
    window = section("dates")["lead_window_days"]
    years = set()
    for _, earlier in _dates_in(lead):
        if earlier is None:
            continue
        for year in (earlier.year, earlier.year + 1):
            when = make_date(year, month, day)
            if when is not None and 0 <= (when - earlier).days <= window:
                years.add(year)
    if len(years) == 1:
        return years.pop()
    if years:
        return None
    review = words("dates", "review_words")
    other_time = words("dates", "year_mention_not_after")
    for m in _YEAR.finditer(paragraph):
        before = paragraph[max(0, m.start() - 40): m.start()].casefold()
        if month <= 2 and any(w in before for w in review):
            return None
        if any(before.rstrip().endswith(" " + w) or before.rstrip() == w for w in other_time):
            continue
        years.add(int(m.group(1)))
    return years.pop() if len(years) == 1 else None


def dateline(view: View, url: str | None) -> tuple[When | None, str | None]:
    """The date of a dateline opening one of the first body paragraphs (or a sentence of the first)."""
    paragraphs = view.paragraphs[: section("dates")["dateline_paragraphs"]]
    for i, line in enumerate(paragraphs):
        body = _strip_code(line.text)
        starts = [body] if i else _SENTENCES.split(body)
        for sentence in starts:
            found = dateline_day(_strip_code(sentence.strip()))
            if found is None:
                continue
            day, month, year = found
            rule = DATELINE
            if year is None:
                year, rule = year_from_url(url, month), DATELINE_URL
            if year is None:
                lead = " ".join(p.text for p in paragraphs[: i + 1])
                year, rule = year_from_text(day, month, line.text, lead), DATELINE_TEXT
            when = make_date(year, month, day) if year else None
            if when is None or _later_dates(view, when):
                return None, None
            return When(when), rule
    return None, None


def _later_dates(view: View, when: dt.date) -> bool:
    """The text gives a full date well after the dateline's: the dateline tells of an earlier event."""
    window = dt.timedelta(days=section("dates")["lead_window_days"])
    return any(d is not None and d > when + window for line in view.article for _, d in _dates_in(line.text))


# --- the choice ------------------------------------------------------------------------------------


def _agree(cands: list[Candidate]) -> When | None:
    days = {c.when.date for c in cands}
    if len(days) != 1:
        return None
    timed = {c.when.time for c in cands if c.when.time is not None}
    return When(days.pop(), timed.pop() if len(timed) == 1 else None)


def published(view: View, headline: int | None, url: str | None) -> dict:
    """{'published': When|None, 'published_rule', 'page_date': When|None, 'page_rule'}."""
    found = candidates(view, headline)
    top = headline if headline is not None else (view.lines[1].no if len(view.lines) > 1 else 0)
    clocks = [c for c in found if c.rank == 3 and c.seconds and c.no < top]
    rest = [c for c in found if c not in clocks]
    out = {"published": None, "published_rule": None, "page_date": None, "page_rule": None}
    if clocks:
        out.update(page_date=clocks[0].when, page_rule=PAGE_CLOCK)
    if rest:
        rank = min(c.rank for c in rest)
        best = [c for c in rest if c.rank == rank]
        if rank < 3:
            # a date line above the headline that disagrees with a labelled date is the page header's
            header = [c for c in rest if c.rank == 3 and c.no < top and c.when.date != best[0].when.date]
            if header and out["page_date"] is None:
                out.update(page_date=header[0].when, page_rule=PAGE_HEADER)
        when = _agree(best)
        if when is not None:
            out.update(published=when, published_rule=best[0].rule)
        return out
    when, rule = dateline(view, url)
    if when is not None:
        out.update(published=when, published_rule=rule)
    return out
