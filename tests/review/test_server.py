"""The server over HTTP, without a browser: routes, validation, escaping, the host warning."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

from cleaner.review.server import filters_of, serve
from cleaner.review.store import Version


@pytest.fixture
def site(dataset):
    v = Version(dataset)
    server = serve(v, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield v, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url):
    with urllib.request.urlopen(url) as r:
        return r.status, r.headers, r.read().decode("utf-8")


def post(url, body: bytes):
    req = urllib.request.Request(url + "/api/marks", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_pages_and_assets(site):
    v, url = site
    status, headers, html = get(url + "/")
    assert status == 200 and "documents in this version" in html and "https://" not in html.split("<main>")[0]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    for name, kind in (("review.js", "javascript"), ("review.css", "css")):
        status, headers, _ = get(f"{url}/static/{name}")
        assert status == 200 and kind in headers["Content-Type"]
    e = next(e for e in v.entries if not e.rejected)
    status, _, html = get(f"{url}/doc/{e.id}")
    assert status == 200 and 'class="line removed"' in html and "chip rule fam-" in html
    for path in ("/doc/nope", "/nothing", "/static/../server.py"):
        with pytest.raises(urllib.error.HTTPError) as err:
            get(url + path)
        assert err.value.code == 404


def test_script_line_is_escaped(site, script_line):
    v, url = site
    _, _, html = get(f"{url}/doc/j1")
    assert script_line not in html
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in html


def test_marks_api_validates(site):
    v, url = site
    e = next(e for e in v.entries if not e.rejected)
    assert post(url, json.dumps({"id": "nope", "line": 1, "label": "keep"}).encode()) == \
        (400, {"error": "unknown document id 'nope'"})
    status, body = post(url, json.dumps({"id": e.id, "line": 10_000, "label": "keep"}).encode())
    assert status == 400 and "no line 10000" in body["error"]
    status, body = post(url, json.dumps({"id": e.id, "line": 1, "label": "spam"}).encode())
    assert status == 400 and "unknown label" in body["error"]
    assert post(url, b"not json")[0] == 400 and post(url, b"[1]")[0] == 400
    assert post(url, json.dumps({"id": e.id, "line": 1, "label": "keep"}).encode()) == (200, {"ok": True, "reviewed": 1})
    _, _, data = get(f"{url}/api/doc/{e.id}")
    assert json.loads(data)["lines"][0]["mark"] == "keep"
    _, _, html = get(url + "/")
    assert "1 document(s) reviewed" in html


def test_filters_of_query():
    f, offset = filters_of({"rule": ["dup.exact"], "sort": ["removed"], "status": ["kept"], "q": [" x "],
                            "offset": ["50"]})
    assert (f.rule, f.sort, f.status, f.q, offset) == ("dup.exact", "removed", "kept", "x", 50)


def test_other_hosts_warn(dataset, capsys):
    server = serve(Version(dataset), "0.0.0.0", 0)
    server.server_close()
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err
    server = serve(Version(dataset), "127.0.0.1", 0)
    server.server_close()
    assert capsys.readouterr().err == ""
