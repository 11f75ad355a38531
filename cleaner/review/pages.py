"""The review pages as HTML strings: pure functions of what the store read. Every piece of data is escaped."""
from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from .store import LABELS, Entry, Filters, ShownLine

FAMILIES = ("caption", "byline", "date", "source", "nav", "comment", "related", "dup", "other", "title",
            "model", "dedup", "unicode")
MARK_LABELS = tuple(l for l in LABELS if l != "blank")  # what a click may say: keep, or remove as FAMILY


def e(value) -> str:
    """Escaped for HTML text and attribute values; None is empty.

    >>> e('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return "" if value is None else escape(str(value), quote=True)


def family_class(rule: str) -> str:
    """The CSS class that colours a rule's chip: its family, or for `model.X` the family X.

    >>> family_class("model.caption"), family_class("caption.photo_credit"), family_class("weird.x")
    ('fam-caption', 'fam-caption', 'fam-other')
    """
    family, _, rest = rule.partition(".")
    if family == "model":
        family = rest
    return f"fam-{family}" if family in FAMILIES else "fam-other"


def doc_href(id: str) -> str:
    return "/doc/" + quote(id, safe="")


def _page(title: str, body: str, reviewed: int) -> str:
    return ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
            f"<title>{e(title)} - cleaner review</title>"
            "<link rel=\"stylesheet\" href=\"/static/review.css\"></head><body>"
            "<header><a href=\"/\" class=\"home\">cleaner review</a> "
            f"<span id=\"reviewed\" data-count=\"{reviewed}\">{reviewed} document(s) reviewed</span></header>"
            f"<main>{body}</main><script src=\"/static/review.js\"></script></body></html>")


def _options(name: str, values, chosen: str, label: str) -> str:
    opts = [f"<option value=\"\">{e(label)}</option>"]
    for value, n in values:
        sel = " selected" if value == chosen else ""
        opts.append(f"<option value=\"{e(value)}\"{sel}>{e(value)} ({n})</option>")
    return f"<select name=\"{e(name)}\">{''.join(opts)}</select>"


def index_page(dataset: str, version: str, filters: Filters, entries: list[Entry], offset: int, more: bool,
               counts: dict, total: int, reviewed: int, marked: set[str], limit: int) -> str:
    f = filters
    form = ("<form class=\"filters\" method=\"get\" action=\"/\">"
            + _options("family", sorted(counts["family"].items()), f.family, "any family")
            + _options("rule", sorted(counts["rule"].items()), f.rule, "any rule")
            + _options("outlet", sorted(counts["outlet"].items()), f.outlet, "any outlet / domain")
            + "<select name=\"status\">"
            + "".join(f"<option value=\"{v}\"{' selected' if v == f.status else ''}>{t}</option>"
                      for v, t in (("", "kept and rejected"), ("kept", "kept"), ("rejected", "rejected")))
            + "</select><select name=\"sort\">"
            + "".join(f"<option value=\"{v}\"{' selected' if v == f.sort else ''}>{t}</option>"
                      for v, t in (("", "dataset order"), ("removed", "most removed")))
            + f"</select><input type=\"search\" name=\"q\" value=\"{e(f.q)}\" placeholder=\"search the text\">"
            + "<button type=\"submit\">filter</button></form>")
    rows = []
    for x in entries:
        fams = "".join(f"<span class=\"chip {family_class(fam + '.x')}\">{e(fam)}</span>" for fam in sorted(x.families))
        status = f"rejected: {e(x.reason)}" if x.rejected else "kept"
        rev = " <span class=\"reviewed\">reviewed</span>" if x.id in marked else ""
        rows.append(f"<tr class=\"{'rejected' if x.rejected else 'kept'}\"><td><a href=\"{e(doc_href(x.id))}\">{e(x.id)}</a>{rev}</td>"
                    f"<td>{e(x.source)}</td><td>{e(x.domain or x.outlet or '')}</td><td class=\"n\">{len(x.rules)}</td>"
                    f"<td>{fams}</td><td>{status}</td></tr>")
    query = {k: v for k, v in vars(f).items() if v}
    nav = []
    if offset > 0:
        nav.append(f"<a href=\"/?{e(urlencode({**query, 'offset': max(0, offset - limit)}))}\" rel=\"prev\">previous</a>")
    if more:
        nav.append(f"<a href=\"/?{e(urlencode({**query, 'offset': offset + limit}))}\" rel=\"next\">next</a>")
    shown = f"documents {offset + 1}-{offset + len(entries)}" if entries else "no document matches"
    body = (f"<h1>{e(dataset)} <small>v{e(version)}</small></h1><p class=\"total\">{total} documents in this version; "
            f"{shown}</p>{form}<table class=\"index\"><thead><tr><th>id</th><th>source</th><th>outlet / domain</th>"
            f"<th>removed</th><th>families</th><th>status</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<nav class=\"pages\">{' '.join(nav)}</nav>")
    return _page(dataset, body, reviewed)


def _meta(row: dict) -> str:
    filled = {}
    for m in row.get("meta_rules") or ():
        filled.setdefault(m["field"], []).append(m["rule"])
    cells = []
    for name in ("title", "url", "published", "authors", "outlet", "domain", "photo_credits", "page_date"):
        value = row.get(name)
        if isinstance(value, list):
            value = ", ".join(value)
        rules = "".join(f"<span class=\"chip rule {family_class(r)}\">{e(r)}</span>" for r in filled.get(name, ()))
        cells.append(f"<tr><th>{name}</th><td class=\"field-{name}\">{e(value) or '<span class=dim>-</span>'}</td>"
                     f"<td>{rules}</td></tr>")
    if "cluster_id" in row:
        cells.append(f"<tr><th>cluster</th><td>{e(row.get('cluster_id'))} ({e(row.get('cluster_size'))} "
                     f"document(s))</td><td></td></tr>")
    return f"<table class=\"meta\">{''.join(cells)}</table>"


def line_html(line: ShownLine, mark: str | None, why: tuple | None, describe) -> str:
    """One raw line: plain when kept, struck through with its rule chip when removed, corrected when marked."""
    if line.blank:
        return f"<div class=\"line blank\" data-line=\"{line.no}\"><span class=\"no\">{line.no}</span></div>"
    cls = ["line", "removed" if line.rule else "kept"]
    chip = ""
    if line.rule:
        chip = (f"<span class=\"chip rule {family_class(line.rule)}\" title=\"{e(describe(line.rule))}\">"
                f"{e(line.rule)}</span>")
    prob = ""
    if why is not None:
        p, top = why
        detail = ", ".join(f"{name} {v:+.2f}" for name, v in top)
        prob = f"<span class=\"prob\" title=\"{e(detail)}\">p={p:.2f}</span>"
    badge = ""
    if mark is not None:
        cls.append("marked")
        wrong = (mark == "keep") != (line.rule is None)
        cls.append("corrected" if wrong else "confirmed")
        badge = f"<span class=\"mark\" data-label=\"{e(mark)}\">{'keep' if mark == 'keep' else 'remove as ' + e(mark)}</span>"
    return (f"<div class=\"{' '.join(cls)}\" data-line=\"{line.no}\" data-rule=\"{e(line.rule or '')}\">"
            f"<span class=\"no\">{line.no}</span><span class=\"text\">{e(line.text)}</span>{chip}{prob}{badge}</div>")


def doc_page(id: str, row: dict, lines: list[ShownLine], exact: bool, marks: dict[int, str], why: dict,
             describe, reviewed: int, rejected: bool) -> str:
    note = ""
    if rejected:
        note = (f"<p class=\"note\">rejected: {e(row.get('reason'))} {e(row.get('detail'))}"
                f"{' (duplicate of ' + e(row.get('duplicate_of')) + ')' if row.get('duplicate_of') else ''}</p>")
    elif not exact:
        note = ("<p class=\"note\">the raw input was not found where the manifest says: blank lines are not "
                "shown and line numbers past the first blank line may be off</p>")
    menu = "".join(f"<button type=\"button\" data-label=\"{l}\">{'keep' if l == 'keep' else 'remove as ' + l}</button>"
                   for l in MARK_LABELS)
    body_lines = "".join(line_html(l, marks.get(l.no), why.get(l.no), describe) for l in lines)
    body = (f"<h1>{e(row.get('title') or id)}</h1><p class=\"ids\">id <code>{e(id)}</code> source "
            f"<code>{e(row.get('source'))}</code></p>{note}{_meta(row) if not rejected else ''}"
            f"<p class=\"help\">click a line to mark it</p>"
            f"<section id=\"lines\" data-id=\"{e(id)}\" data-markable=\"{'no' if rejected else 'yes'}\">{body_lines}</section>"
            f"<div id=\"menu\" hidden>{menu}</div><p id=\"status\" role=\"status\"></p>")
    return _page(row.get("title") or id, body, reviewed)


def error_page(status: int, message: str) -> str:
    return _page(str(status), f"<h1>{status}</h1><p>{e(message)}</p>", 0)
