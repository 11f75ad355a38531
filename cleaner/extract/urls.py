"""URLs: every URL and bare domain in the text, and the article's own URL from a source line.

Normalizing changes only what does not change the address: the scheme and the
host are lower-cased, surrounding whitespace and trailing punctuation go.
"""
from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit, urlunsplit

from .data import rx, section
from .view import View

SOURCE_LINE = "url.source_line"
BARE_LINE = "url.bare_line"
FOUND = "url.found"
DOMAIN = "url.domain"

_URL = rx("urls", "url", 0)
_SOURCE_LABEL = rx("urls", "source_label")


@cache
def _bare_domain() -> re.Pattern:
    conf = section("urls")
    return re.compile(conf["bare_domain"].replace("{tlds}", _tlds()))


@cache
def _tld_end() -> re.Pattern:
    """A dot, a tld and no letter after it: what every bare domain holds, found far faster than one."""
    return re.compile(rf"(?i)\.(?:{_tlds()})(?![\w-])")


def _tlds() -> str:
    return "|".join(re.escape(t) for t in sorted(section("urls")["tlds"], key=len, reverse=True))


def normalize(url: str) -> str:
    """Scheme and host lower-case; whitespace and trailing punctuation stripped; nothing else changed.

    >>> normalize("HTTP://BaoHaGiang.vn/Tin-Noi-Bat/202305/abc/).")
    'http://baohagiang.vn/Tin-Noi-Bat/202305/abc/'
    """
    url = url.strip()
    trailing = section("urls")["trailing"]
    while url and url[-1] in trailing:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    if "://" not in url:
        host, sep, rest = url.partition("/")
        return host.lower() + sep + rest
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def find_urls(text: str) -> list[str]:
    """Every URL, `www.` address and bare domain in `text`, normalized, in order, each once.

    >>> find_urls("Nguồn Hà Giang: http://baohagiang.vn/a/ và Ảnh: baobinhphuoc.com.vn. Email: a@vnexpress.net")
    ['http://baohagiang.vn/a/', 'baobinhphuoc.com.vn']
    """
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _URL.finditer(text):
        found.append((m.start(), normalize(m.group(0))))
        taken.append(m.span())
    for m in (_bare_domain().finditer(text) if _tld_end().search(text) else ()):
        if any(a <= m.start() < b for a, b in taken):
            continue
        found.append((m.start(), normalize(m.group(0))))
    out: list[str] = []
    for _, url in sorted(found):
        if url and url not in out and "." in url:
            out.append(url)
    return out


def host(url: str) -> str | None:
    """The host of `url`, without `www.`.

    >>> host("http://www.baohagiang.vn/tin/1")
    'baohagiang.vn'
    """
    parts = urlsplit(url if "://" in url else "http://" + url)
    name = (parts.hostname or "").lower()
    if name.startswith("www."):
        name = name[4:]
    return name or None


def is_image(url: str) -> bool:
    path = urlsplit(url if "://" in url else "http://" + url).path.lower()
    return path.rsplit(".", 1)[-1] in section("urls")["image_exts"] if "." in path.rsplit("/", 1)[-1] else False


def source_url(text: str) -> str | None:
    """The URL a source line gives: 'Nguồn X: http://…', '- See more at: http://…', 'Theo X (http://…)'.

    >>> source_url("Nguồn Hà Giang: http://baohagiang.vn/tin-noi-bat/202305/abc/")
    'http://baohagiang.vn/tin-noi-bat/202305/abc/'
    >>> source_url("Xem chi tiết tại http://example.vn/abc để biết thêm.") is None
    True
    """
    if len(text) > section("urls")["max_source_line_chars"]:
        return None
    m = _URL.search(text)
    if not m or not _SOURCE_LABEL.match(text[: m.start()]):
        return None
    rest = text[m.end():].strip().rstrip(").").strip()
    if rest:
        return None
    url = normalize(m.group(0))
    return None if is_image(url) or not has_path(url) else url


def has_path(url: str) -> bool:
    """An article's URL names a page, not a site's home: 'http://baolamdong.vn' is the outlet, not the article."""
    return urlsplit(url).path.strip("/") != ""


def bare_url(text: str) -> str | None:
    """A line that is only a URL (not an image)."""
    m = _URL.fullmatch(text.strip())
    if not m:
        return None
    url = normalize(m.group(0))
    return None if is_image(url) or not has_path(url) else url


def article_url(view: View) -> tuple[str | None, str | None]:
    """(url, rule): the article's own URL, from a source line, or from a lone URL line after the body.

    Several different candidates make none: which one is the article's is not sure.
    """
    found = [(u, SOURCE_LINE) for line in view.useful if (u := source_url(line.text))]
    if not found:
        found = [(u, BARE_LINE) for line in view.tail if (u := bare_url(line.text))]
    urls = {u.rstrip("/") for u, _ in found}
    if len(urls) != 1:
        return None, None
    return found[0]


def all_urls(view: View) -> list[str]:
    out: list[str] = []
    for line in view.lines:
        for url in find_urls(line.text):
            if url not in out:
                out.append(url)
    return out
