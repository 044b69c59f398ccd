"""`kg serve` in a real headless Chromium, as an analyst uses it.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python package;
Playwright's own browser downloads are never used. Every request a page makes goes
through a route that lets 127.0.0.1 through and aborts (and records) anything else:
none may leave this machine. Screenshots are saved under pytest's tmp_path (the path
is printed with -s; they are test artefacts, never committed).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from serving import kg, running_server, seed_graph

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

if not CHROMIUM.exists():
    if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure, not a skip
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def served_graph(tmp_path_factory) -> Path:
    """The seed graph in a folder of its own, with the views `kg viz` writes beside it."""
    d = tmp_path_factory.mktemp("served")
    graph = d / "graph.trig"
    shutil.copy(seed_graph(), graph)
    proc = kg("viz", "--graph", str(graph), "--out", str(d / "views"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return graph


@pytest.fixture(scope="module")
def base(served_graph):
    with running_server(served_graph, "--max-rows", "500") as url:
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
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requests = []
    page.blocked = []
    page.problems = []
    page.shots = tmp_path

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            page.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    context.on("request", lambda req: page.requests.append(req.url))
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: page.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and "404" not in msg.text else None)
    yield page
    print(f"screenshots: {tmp_path}")
    context.close()


def _assert_all_local(page) -> None:
    assert page.requests, "no request was recorded"
    assert page.blocked == [], f"the page tried to reach {page.blocked}"
    for url in page.requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        assert parts.hostname in LOCAL_HOSTS, f"the page requested {url}"


def _rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#results tbody tr", "trs => trs.map(tr => Array.from(tr.cells).map(td => td.textContent))")


def _open_query_page(page, base: str, path: str = "/") -> None:
    page.goto(base + path)
    page.wait_for_selector("body[data-ready=true]")


def _pick_and_run(page, base: str, name: str, **params) -> list[list[str]]:
    _open_query_page(page, base)
    page.click(f"#library button[data-query='{name}']")
    assert page.get_attribute(f"#library button[data-query='{name}']", "aria-selected") == "true"
    for key, value in params.items():
        page.fill(f"input[data-param='{key}']", value)
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    return _rows(page)


# --------------------------------------------------------------------------
# The query page


def test_run_a_library_query_from_its_tab_and_see_rows(page, base):
    rows = _pick_and_run(page, base, "zone-enterprises", zone="许昌")
    headers = page.eval_on_selector_all("#results thead th", "ths => ths.map(th => th.textContent)")
    assert headers[:2] == ["zone", "enterprise"]
    assert rows and all(r[0] == "国家许昌经济技术开发区" for r in rows)
    assert any("西继迅达" in " ".join(r) for r in rows)
    assert f"{len(rows)} rows" in page.inner_text("#status")
    # The results sit beside the editor, not below it.
    editor = page.locator("#code").bounding_box()
    results = page.locator("#results").bounding_box()
    assert results["x"] >= editor["x"] + editor["width"] and results["y"] < editor["y"] + editor["height"]
    page.screenshot(path=str(page.shots / "query-page.png"))
    _assert_all_local(page)
    assert not page.problems, page.problems


def test_a_query_has_a_link_that_opens_and_runs_it(page, base, browser):
    rows = _pick_and_run(page, base, "zone-enterprises", zone="鹤壁")
    link = page.get_attribute("#share", "href")
    assert parse_qs(urlsplit(link).query) == {"name": ["zone-enterprises"], "param.zone": ["鹤壁"]}
    assert page.url == base + link  # the address bar says the same
    # Someone else opens the link: the same query, the same parameter, the same rows.
    other = browser.new_context().new_page()
    try:
        other.goto(base + link)
        other.wait_for_selector("#results tbody tr")
        assert other.input_value("input[data-param='zone']") == "鹤壁"
        assert _rows(other) == rows
    finally:
        other.context.close()
    # An edited query is shared as its text.
    page.fill("#query", "SELECT ?z WHERE { ?z a kg:Zone } LIMIT 2")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    link = page.get_attribute("#share", "href")
    assert parse_qs(urlsplit(link).query)["query"] == ["SELECT ?z WHERE { ?z a kg:Zone } LIMIT 2"]
    _open_query_page(page, base, "/?query=" + quote("SELECT ?z WHERE { ?z a kg:Zone } LIMIT 2"))
    page.wait_for_selector("#results tbody tr")
    assert len(_rows(page)) == 2
    _assert_all_local(page)


def test_the_editor_highlights_and_completes(page, base):
    _open_query_page(page, base)
    page.fill("#query", "")
    page.click("#query")
    page.keyboard.type('SELECT ?zone WHERE {\n  ?z a kg:Zo')
    page.wait_for_selector("#completions:not([hidden]) li")
    options = page.eval_on_selector_all("#completions li", "lis => lis.map(li => li.dataset.value)")
    assert options == ["kg:Zone"]
    page.keyboard.press("Enter")  # takes the completion
    page.keyboard.type(" ; rdfs:label ?zo")
    page.wait_for_selector("#completions:not([hidden]) li")
    assert "?zone" in page.eval_on_selector_all("#completions li", "lis => lis.map(li => li.dataset.value)")
    page.keyboard.press("Tab")
    page.keyboard.type(" }\nORD")
    page.wait_for_selector("#completions:not([hidden]) li")
    assert page.eval_on_selector_all("#completions li", "lis => lis.map(li => li.dataset.value)")[0] == "ORDER"
    page.keyboard.press("Enter")
    page.keyboard.type(" BY ?zone")
    page.screenshot(path=str(page.shots / "editor-completion.png"))
    assert page.input_value("#query") == 'SELECT ?zone WHERE {\n  ?z a kg:Zone ; rdfs:label ?zone }\nORDER BY ?zone'
    # The highlighted copy under the textarea has the same text, in classes by token.
    assert page.inner_text("#highlight").rstrip() == page.input_value("#query")
    kinds = page.eval_on_selector_all("#highlight span", "ss => ss.map(s => [s.className, s.textContent])")
    assert ["tok-keyword", "SELECT"] in kinds and ["tok-keyword", "ORDER"] in kinds
    assert ["tok-var", "?zone"] in kinds and ["tok-pname tok-term", "kg:Zone"] in kinds
    # Keywords, variables and IRIs are drawn in different colours.
    colours = page.evaluate("""() => ['.tok-keyword', '.tok-var', '.tok-pname'].map(
        c => getComputedStyle(document.querySelector('#highlight ' + c)).color)""")
    assert len(set(colours)) == 3
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results tbody tr")
    assert len(_rows(page)) == 7  # every zone in the seeds, as the summary query counts them
    _assert_all_local(page)
    assert not page.problems, page.problems


def test_evidence_query_in_the_page(page, base):
    rows = _pick_and_run(page, base, "evidence", subject="许昌经开区", relation="hosts", object="迅达")
    assert rows
    assert all("迅达" in r[4] for r in rows)  # the sentence column
    _assert_all_local(page)
    assert not page.problems, page.problems


def test_a_usual_short_form_finds_the_zone_and_the_page_says_so(page, base):
    rows = _pick_and_run(page, base, "zone-enterprises", zone="鹤壁经开区")
    assert rows and all(r[0] == "鹤壁国家经济技术开发区" for r in rows)
    assert "zone=鹤壁经开区: 鹤壁国家经济技术开发区" in page.inner_text("#status")
    assert not page.problems, page.problems


def test_a_malformed_query_shows_the_parser_message(page, base):
    _open_query_page(page, base)
    page.fill("#query", "SELECT ?x WHERE {\n  ?x kg:hosts\n}")
    page.click("#run")
    page.wait_for_selector("#error", state="visible")
    assert "error at 3:1" in page.inner_text("#error")
    assert page.eval_on_selector_all("#results tbody tr", "trs => trs.length") == 0
    _assert_all_local(page)


def test_construct_shows_turtle(page, base):
    _open_query_page(page, base)
    page.click("#library button[data-query='zone-graph']")
    page.fill("input[data-param='zone']", "鹤壁")
    page.click("#run")
    page.wait_for_selector("#graph-output", state="visible")
    assert "鹤壁国家经济技术开发区" in page.inner_text("#graph-output")
    _assert_all_local(page)


# --------------------------------------------------------------------------
# Entity pages


def test_search_box_completes_a_name_and_opens_the_entity_page(page, base):
    _open_query_page(page, base)
    page.click("#entity-q")
    page.keyboard.type("许继")
    page.locator("#entity-names option").first.wait_for(state="attached")  # (the page's CSP forbids eval)
    offered = page.eval_on_selector_all("#entity-names option", "os => os.map(o => o.value)")
    assert "许继集团" in offered and all("许继" in o for o in offered)
    page.keyboard.type("集团")
    page.keyboard.press("Enter")
    page.wait_for_selector("h2.label")
    assert page.inner_text("h2.label") == "许继集团"
    assert urlsplit(page.url).path.startswith("/id/enterprise/")
    assert page.title() == "许继集团 · zonekg"
    # Its zones and its facts, each with a sentence.
    facts = page.inner_text("#facts-in")
    assert "入驻于 hosted by" in facts
    page.screenshot(path=str(page.shots / "entity-enterprise.png"), full_page=True)
    _assert_all_local(page)
    assert not page.problems, page.problems


def test_follow_a_fact_to_its_evidence(page, base):
    page.goto(base + "/search?q=" + quote("许昌经开区"))
    page.wait_for_selector("h2.label")
    assert page.inner_text("h2.label") == "国家许昌经济技术开发区"
    assert "许昌经开区" in page.inner_text(".aliases")
    # The zone's tables: enterprises, projects with amounts.
    assert page.locator("#enterprises li").count() >= 10
    amounts = page.eval_on_selector_all("table.projects tbody td.num", "tds => tds.map(td => td.textContent)")
    assert any(a.endswith("亿元") for a in amounts)
    page.screenshot(path=str(page.shots / "entity-zone.png"), full_page=True)
    assert page.get_attribute("#view-link", "href") == "/views/" + quote("zone-国家许昌经济技术开发区.html")
    # A fact, its sentence, and the link to the evidence behind it.
    row = page.locator("#facts-out tr", has_text="西继迅达电梯有限公司").first
    sentence = row.locator("ul.evidence q").first.inner_text()
    row.locator("a.evidence-link").first.click()
    page.wait_for_selector("h2.label")
    assert urlsplit(page.url).path.startswith("/id/evidence/")
    heading = page.inner_text("h2.label")
    assert "国家许昌经济技术开发区" in heading and "西继迅达电梯有限公司" in heading
    assert sentence.strip("“”\"") in page.inner_text("q.sentence")
    assert ".txt" in page.inner_text("article")  # the source file
    page.screenshot(path=str(page.shots / "entity-evidence.png"), full_page=True)
    # From the evidence to the document it was read from.
    page.locator("#facts-out tr", has_text="出处").locator("a").first.click()
    page.wait_for_selector("h2.label")
    assert urlsplit(page.url).path.startswith("/id/doc/")
    _assert_all_local(page)
    assert not page.problems, page.problems


def test_chinese_renders_in_a_cjk_font_not_as_boxes(page, base):
    """Without a CJK font every ideograph is the same empty box ("tofu"). In the page's
    own font: each glyph of a label is a full em wide (a box from a Latin fallback font
    is not), and two different characters draw different pixels, unlike a box drawn
    for a codepoint that no font has."""
    page.goto(base + "/search?q=" + quote("许昌经开区"))
    page.wait_for_selector("h2.label")
    m = page.evaluate("""() => {
        const h = document.querySelector('h2.label');
        const font = getComputedStyle(h).font, size = parseFloat(getComputedStyle(h).fontSize);
        const probe = (text) => { const s = document.createElement('span'); s.textContent = text;
            s.style.font = font; s.style.whiteSpace = 'nowrap';
            document.body.append(s); const w = s.getBoundingClientRect().width; s.remove(); return w; };
        const pixels = (ch) => { const c = document.createElement('canvas'); c.width = c.height = 64;
            const x = c.getContext('2d'); x.font = font.replace(/[0-9.]+px/, '48px'); x.fillStyle = '#000';
            x.textBaseline = 'top'; x.fillText(ch, 4, 4);
            return Array.from(x.getImageData(0, 0, 64, 64).data.filter((v, i) => i % 4 === 3)).join(','); };
        const text = h.textContent;
        return {size, text, width: probe(text), xu: pixels('许'), chang: pixels('昌'),
                none1: pixels('\\u{10FFFD}'), none2: pixels('\\u{10FFFC}')}; }""")
    assert m["text"] == "国家许昌经济技术开发区"
    per_glyph = m["width"] / len(m["text"])
    assert abs(per_glyph - m["size"]) < 0.05 * m["size"], (per_glyph, m["size"])  # full-width glyphs
    assert m["none1"] == m["none2"], "the probe for a box is not a box"
    assert m["xu"] != m["chang"], "许 and 昌 draw the same pixels: boxes, no CJK font"
    assert m["xu"] != m["none1"] and m["chang"] != m["none1"]
    assert page.evaluate("""() => document.fonts.check('16px "Noto Sans CJK SC"', '许')""")


# --------------------------------------------------------------------------
# Views, served


def test_open_a_view_by_its_name_and_go_to_an_entity_page(page, base):
    _open_query_page(page, base)
    page.click("#views-link")
    page.wait_for_function("window.zonekg && window.zonekg.stabilized", timeout=60_000)
    page.click("#zonekg-links a:has-text('国家许昌经济技术开发区')")
    page.wait_for_function("window.zonekg && window.zonekg.stabilized", timeout=60_000)
    assert urlsplit(page.url).path == "/views/" + quote("zone-国家许昌经济技术开发区.html")
    assert page.title() == "国家许昌经济技术开发区 · zonekg"
    page.screenshot(path=str(page.shots / "view-zone-served.png"))
    # The zone's entity page links back to this view.
    page.goto(base + "/search?q=" + quote("许昌经开区"))
    page.click("#view-link")
    page.wait_for_function("window.zonekg && window.zonekg.stabilized", timeout=60_000)
    assert page.title() == "国家许昌经济技术开发区 · zonekg"
    # Search a node: under kg serve, its entity page is a click away.
    page.fill("#zonekg-q", "西继迅达")
    page.press("#zonekg-q", "Enter")
    link = page.locator("#zonekg-entity")
    link.wait_for(state="visible")
    assert "西继迅达电梯有限公司" in link.inner_text()
    link.click()
    page.wait_for_selector("h2.label")
    assert page.inner_text("h2.label") == "西继迅达电梯有限公司"
    _assert_all_local(page)
    assert not page.problems, page.problems


@pytest.fixture(scope="module")
def hostile_base(tmp_path_factory):
    from test_viz import hostile_graph

    graph = hostile_graph(tmp_path_factory.mktemp("hostile") / "graph.trig")
    with running_server(graph) as url:
        yield url


def test_hostile_names_on_entity_pages_stay_text(page, hostile_base):
    from test_viz import HOSTILE_ALIAS, HOSTILE_ENTERPRISE, HOSTILE_SENTENCE

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_base + "/search?q=" + quote("电梯有限公司"))
    page.wait_for_selector("h2.label")
    assert page.inner_text("h2.label") == HOSTILE_ENTERPRISE
    assert HOSTILE_ALIAS in page.inner_text(".aliases")
    assert HOSTILE_SENTENCE.strip() in page.inner_text("#facts-in")
    assert page.evaluate("window.__pwned === undefined")
    assert page.evaluate("document.querySelectorAll('main img, main svg, main script, main b, main i').length") == 0
    # The search box's completions are text too.
    page.click("#entity-q")
    page.keyboard.type("电梯")
    page.locator("#entity-names option").first.wait_for(state="attached")
    assert page.evaluate("document.querySelectorAll('#entity-names *:not(option)').length") == 0
    page.keyboard.press("Enter")
    page.wait_for_selector("ul.results")
    assert page.evaluate("window.__pwned === undefined") and dialogs == []
    page.screenshot(path=str(page.shots / "entity-hostile.png"), full_page=True)
    _assert_all_local(page)
