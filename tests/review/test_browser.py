"""The review page in a real browser: Debian's chromium driven by Playwright (no browser download).

Skips, saying why, when Playwright or a Chromium executable is missing. With CLEANER_SCREENSHOTS=DIR
it saves DIR/review-index.png and DIR/review-doc.png.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cleaner.review.export import export, label_of_rule
from cleaner.review.server import serve
from cleaner.review.store import Version

ROOT = Path(__file__).resolve().parents[2]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"):
        if name and (shutil.which(name) or (os.path.isfile(name) and os.access(name, os.X_OK))):
            return shutil.which(name) or name
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright import sync_api
    except ImportError as e:
        pytest.skip(f"Playwright cannot be imported ({e}; pip install playwright): browser tests skipped")
    exe = chromium_path()
    if exe is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set CHROMIUM=path): browser tests skipped")
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=exe, args=ARGS)
        except Exception as e:  # noqa: BLE001 - a browser that cannot start here: skip, saying why
            pytest.skip(f"Chromium at {exe} did not start: {str(e).splitlines()[0]}")
        yield b
        b.close()


@pytest.fixture
def site(dataset):
    v = Version(dataset)
    server = serve(v, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield v, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield p
    context.close()
    assert not errors, errors


def shots() -> Path | None:
    folder = os.environ.get("CLEANER_SCREENSHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def test_removed_line_is_struck_through_with_its_rule(site, page):
    v, url = site
    e = max((e for e in v.entries if not e.rejected and e.source.endswith(".txt")), key=lambda e: len(e.rules))
    page.goto(f"{url}/?sort=removed")
    page.click(f"a[href='/doc/{e.id}']")
    _, lines, _ = v.lines(e.id)
    gone = next(l for l in lines if l.rule)
    line = page.locator(f"#lines .line[data-line='{gone.no}']")
    assert "line-through" in line.locator(".text").evaluate("el => getComputedStyle(el).textDecorationLine")
    chip = line.locator(".chip")
    assert chip.inner_text() == gone.rule
    assert chip.get_attribute("title")  # the rule's description on hover
    kept = next(l for l in lines if not l.rule and not l.blank)
    assert page.locator(f"#lines .line[data-line='{kept.no}'] .text").evaluate(
        "el => getComputedStyle(el).textDecorationLine") == "none"
    assert page.locator(".field-title").inner_text() == (v.row(e.id)["title"] or "-")


def test_script_line_renders_as_text(site, page, script_line):
    v, url = site
    page.goto(f"{url}/doc/j1")
    assert page.title() != "pwned"
    assert script_line in page.locator("#lines").inner_text()
    assert page.locator("#lines script").count() == 0


def test_click_mark_reload_export_and_score(site, page, tmp_path):
    v, url = site
    e = [e for e in v.entries if not e.rejected and e.source.endswith(".txt")][1]
    _, lines, _ = v.lines(e.id)
    gone = next(l for l in lines if l.rule)
    page.goto(f"{url}/doc/{e.id}")
    assert page.locator("#reviewed").inner_text() == "0 document(s) reviewed"
    page.click(f"#lines .line[data-line='{gone.no}'] .text")
    page.click("#menu button[data-label='keep']")
    page.wait_for_selector(f"#lines .line[data-line='{gone.no}'].marked")
    assert page.locator("#reviewed").inner_text() == "1 document(s) reviewed"
    assert v.marks.of(e.id) == {gone.no: "keep"}
    assert '"label": "keep"' in v.marks.path.read_text(encoding="utf-8")

    page.reload()  # the mark comes back from the server
    line = page.locator(f"#lines .line[data-line='{gone.no}']")
    assert "corrected" in line.get_attribute("class")
    assert line.locator(".mark").inner_text() == "keep"
    assert line.locator(".text").evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    page.goto(url + "/")
    assert page.locator(f"a[href='/doc/{e.id}'] + .reviewed").count() == 1

    export(v, tmp_path / "ex")
    name = os.path.basename(e.source)
    labels = [r.split("\t", 1)[0] for r in (tmp_path / "ex" / "labels" / name.replace(".txt", ".tsv"))
              .read_text(encoding="utf-8").splitlines()]
    assert labels[gone.no - 1] == "keep"
    assert all(lab == label_of_rule(l.rule) for lab, l in zip(labels, lines) if l.rule and l.no != gone.no)

    if SCORE.exists():  # the version against the export: exactly the one line marked keep is a false positive
        out = subprocess.run([sys.executable, str(SCORE), str(v.folder), "--samples", str(tmp_path / "ex")],
                             capture_output=True, text=True, check=True).stdout
        assert " fp 1 fn 0 " in out, out

    # a removed-as-FAMILY mark on a kept line
    kept = next(l for l in lines if not l.rule and not l.blank)
    page.goto(f"{url}/doc/{e.id}")
    page.click(f"#lines .line[data-line='{kept.no}'] .text")
    page.click("#menu button[data-label='related']")
    page.wait_for_selector(f"#lines .line[data-line='{kept.no}'].marked")
    assert "line-through" in page.locator(f"#lines .line[data-line='{kept.no}'] .text").evaluate(
        "el => getComputedStyle(el).textDecorationLine")
    assert v.marks.of(e.id) == {gone.no: "keep", kept.no: "related"}


def test_filters_and_screenshots(site, page):
    v, url = site
    page.goto(url + "/")
    page.select_option("select[name=family]", "caption")
    page.select_option("select[name=sort]", "removed")
    page.click(".filters button")
    rows = page.locator("table.index tbody tr")
    assert rows.count() == sum(1 for e in v.entries if "caption" in e.families)
    page.fill("input[name=q]", "tỉnh")
    page.click(".filters button")
    assert 0 < page.locator("table.index tbody tr").count() <= rows.count()
    folder = shots()
    if folder:
        page.goto(url + "/?sort=removed")
        page.screenshot(path=str(folder / "review-index.png"))
        e = max((e for e in v.entries if not e.rejected and e.source.endswith(".txt")), key=lambda e: len(e.rules))
        _, lines, _ = v.lines(e.id)
        v.mark(e.id, next(l.no for l in lines if l.rule), "keep")
        page.goto(f"{url}/doc/{e.id}")
        page.click(f"#lines .line[data-line='{next(l.no for l in lines if not l.rule and not l.blank)}'] .text")
        page.screenshot(path=str(folder / "review-doc.png"), full_page=False)
