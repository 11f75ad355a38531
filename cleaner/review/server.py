"""`cleaner review`: the review pages served by the standard library's ThreadingHTTPServer.

Routes: `/` the index (query: family, rule, outlet, status, sort, q, offset), `/doc/<id>` a document,
`GET /api/doc/<id>` its lines as JSON, `POST /api/marks` a mark (`{"id", "line", "label"}`; 400 with a
message when the id, line or label is unknown), `/static/review.js` and `/static/review.css` (files of
the package). Nothing is fetched from anywhere else.
"""
from __future__ import annotations

import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, unquote, urlsplit

from ..catalog import describe
from . import pages
from .store import Filters, MarkError, Version

PAGE_SIZE = 50
MAX_BODY = 64 * 1024
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def filters_of(query: dict[str, list[str]]) -> tuple[Filters, int]:
    """The index's filters and offset from a parsed query string (unknown values are ignored).

    >>> filters_of({"family": ["caption"], "status": ["bogus"], "offset": ["x"]})
    (Filters(family='caption', rule='', outlet='', status='', sort='', q=''), 0)
    """
    one = {k: v[0] for k, v in query.items() if v}
    status = one.get("status", "") if one.get("status") in ("kept", "rejected") else ""
    sort = "removed" if one.get("sort") == "removed" else ""
    try:
        offset = max(0, int(one.get("offset", "0")))
    except ValueError:
        offset = 0
    return Filters(family=one.get("family", ""), rule=one.get("rule", ""), outlet=one.get("outlet", ""),
                   status=status, sort=sort, q=one.get("q", "").strip()), offset


def make_handler(version: Version):
    class Handler(BaseHTTPRequestHandler):
        server_version = "cleaner-review"

        def log_message(self, format, *args):  # quiet: one line per request is noise in a terminal
            pass

        def _send(self, status: int, body: str | bytes, kind: str = "text/html; charset=utf-8") -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
            self.end_headers()
            self.wfile.write(data)

        def _json(self, status: int, obj) -> None:
            self._send(status, json.dumps(obj, ensure_ascii=False), "application/json; charset=utf-8")

        def do_GET(self):
            url = urlsplit(self.path)
            path = url.path
            try:
                if path == "/":
                    return self._index(parse_qs(url.query))
                if path.startswith("/doc/"):
                    return self._doc(unquote(path[len("/doc/"):]))
                if path.startswith("/api/doc/"):
                    return self._doc_json(unquote(path[len("/api/doc/"):]))
                if path.startswith("/static/") and path[len("/static/"):] in STATIC:
                    name = path[len("/static/"):]
                    data = (resources.files("cleaner.review") / "static" / name).read_bytes()
                    return self._send(200, data, STATIC[name])
                if path == "/favicon.ico":
                    return self._send(204, b"", "image/x-icon")
                return self._send(404, pages.error_page(404, f"no page {path}"))
            except KeyError as e:
                return self._send(404, pages.error_page(404, f"no document {e.args[0]!r} in this version"))

        def _index(self, query):
            f, offset = filters_of(query)
            entries, more = version.page(f, offset, PAGE_SIZE)
            marked = set(version.marked_ids())
            self._send(200, pages.index_page(version.dataset.name, version.manifest.get("version", ""), f, entries,
                                             offset, more, version.counts(), len(version.entries),
                                             version.marks.reviewed, marked, PAGE_SIZE))

        def _doc(self, id: str):
            row, lines, exact = version.lines(id)
            rejected = version.by_id[id].rejected
            why = version.probabilities(id) if exact and not rejected else {}
            self._send(200, pages.doc_page(id, row, lines, exact, version.marks.of(id), why,
                                           lambda r: describe(version.rule(r)), version.marks.reviewed,
                                           rejected))

        def _doc_json(self, id: str):
            row, lines, exact = version.lines(id)
            marks = version.marks.of(id)
            self._json(200, {"id": id, "exact": exact, "lines": [
                {"line": l.no, "text": l.text, "rule": l.rule, "blank": l.blank, "mark": marks.get(l.no)}
                for l in lines]})

        def do_POST(self):
            if urlsplit(self.path).path != "/api/marks":
                return self._json(404, {"error": f"no endpoint {self.path}"})
            try:
                n = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                n = -1
            if n < 0 or n > MAX_BODY:
                return self._json(400, {"error": "a mark is a small JSON object"})
            try:
                body = json.loads(self.rfile.read(n).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return self._json(400, {"error": "the body is not JSON"})
            if not isinstance(body, dict):
                return self._json(400, {"error": 'send {"id", "line", "label"}'})
            try:
                version.mark(body.get("id"), body.get("line"), body.get("label"))
            except MarkError as e:
                return self._json(400, {"error": str(e)})
            self._json(200, {"ok": True, "reviewed": version.marks.reviewed})

    return Handler


def serve(version: Version, host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    """A server for `version`, bound but not yet serving (call serve_forever); port 0 picks a free one."""
    if host not in LOCAL_HOSTS:
        print(f"warning: serving on {host}: anyone who can reach this address can read the dataset and write "
              f"marks (there is no login); the default is 127.0.0.1", file=sys.stderr)
    kind = type("Server", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6}) if ":" in host \
        else ThreadingHTTPServer
    server = kind((host, port), make_handler(version))
    server.daemon_threads = True
    return server
