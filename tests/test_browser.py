"""The query page in a real headless Chromium: pick a library query, run it, see rows.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python package;
Playwright's own browser downloads are never used. Every request the page makes
is recorded: none may leave this machine.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from serving import running_server, seed_graph

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def base():
    with running_server(seed_graph(), "--max-rows", "500") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.problems = []
    context.on("request", lambda req: page.requests.append(req.url))
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: page.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    yield page
    context.close()


def _assert_all_local(urls: list[str]) -> None:
    assert urls, "no request was recorded"
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        assert parts.hostname in LOCAL_HOSTS, f"the page requested {url}"


def _rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#results tbody tr", "trs => trs.map(tr => Array.from(tr.cells).map(td => td.textContent))")


def _pick_and_run(page, base: str, name: str, **params) -> list[list[str]]:
    page.goto(base + "/")
    page.wait_for_selector(f"#library option[value='{name}']", state="attached")
    page.select_option("#library", name)
    assert name in page.input_value("#query") or "SELECT" in page.input_value("#query")
    for key, value in params.items():
        page.fill(f"input[data-param='{key}']", value)
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    return _rows(page)


def test_pick_a_library_query_and_see_rows(page, base):
    rows = _pick_and_run(page, base, "zone-enterprises", zone="许昌")
    headers = page.eval_on_selector_all("#results thead th", "ths => ths.map(th => th.textContent)")
    assert headers[:2] == ["zone", "enterprise"]
    assert rows and all(r[0] == "国家许昌经济技术开发区" for r in rows)
    assert any("西继迅达" in " ".join(r) for r in rows)
    assert "rows" in page.inner_text("#status")
    _assert_all_local(page.requests)
    assert not page.problems, page.problems


def test_evidence_query_in_the_page(page, base):
    rows = _pick_and_run(page, base, "evidence", subject="许昌经开区", relation="hosts", object="迅达")
    assert rows
    assert all("迅达" in r[4] for r in rows)  # the sentence column
    _assert_all_local(page.requests)
    assert not page.problems, page.problems


def test_a_usual_short_form_finds_the_zone_and_the_page_says_so(page, base):
    rows = _pick_and_run(page, base, "zone-enterprises", zone="鹤壁经开区")
    assert rows and all(r[0] == "鹤壁国家经济技术开发区" for r in rows)
    assert "zone=鹤壁经开区: 鹤壁国家经济技术开发区" in page.inner_text("#status")
    assert not page.problems, page.problems


def test_a_malformed_query_shows_the_parser_message(page, base):
    page.goto(base + "/")
    page.fill("#query", "SELECT ?x WHERE {\n  ?x kg:hosts\n}")
    page.click("#run")
    page.wait_for_selector("#error", state="visible")
    assert "error at 3:1" in page.inner_text("#error")
    assert page.eval_on_selector_all("#results tbody tr", "trs => trs.length") == 0
    _assert_all_local(page.requests)


def test_construct_shows_turtle(page, base):
    page.goto(base + "/")
    page.wait_for_selector("#library option[value='zone-graph']", state="attached")
    page.select_option("#library", "zone-graph")
    page.fill("input[data-param='zone']", "鹤壁")
    page.click("#run")
    page.wait_for_selector("#graph-output", state="visible")
    assert "鹤壁国家经济技术开发区" in page.inner_text("#graph-output")
    _assert_all_local(page.requests)
