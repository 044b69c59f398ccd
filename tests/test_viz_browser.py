"""The views in a real browser: headless Chromium (Debian's ``chromium``) through Playwright.

Each page is opened from disk with every http(s) request aborted and recorded:
the vis network must have nodes, the search must find a node by an alias, no
request may leave the file, and hostile names from articles must not run.
Screenshots are test artefacts: they go to pytest's basetemp (``views/`` in it), never
into the checkout.

Needs /usr/bin/chromium (``apt-get install chromium``) and the ``playwright``
package (the ``test`` extra). Without them the tests are skipped, except under
CI (``CI`` set), where a missing browser is a failure.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kg.analyze.analysis import analyze_file
from kg.analyze.views import build_views

from test_analysis import two_zone_graph
from test_viz import HOSTILE_ALIAS, HOSTILE_ENTERPRISE, hostile_graph

CHROMIUM = "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("views")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Page:
    """A page opened offline, with what it tried to fetch and any script errors."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.leaked: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            url = r.request.url
            if url.startswith("file:") or url.startswith("data:"):
                r.continue_()
            else:
                self.leaked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.zonekg && window.zonekg.stabilized", timeout=30_000)

    def eval(self, js: str, arg=None):
        return self.page.evaluate(js, arg)

    def node_count(self) -> int:
        return self.eval("window.zonekg.network.body.data.nodes.length")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def seed_views(tmp_path_factory) -> dict[str, Path]:
    """Views of the seed articles (built in-process, as in test_analysis)."""
    import hashlib

    from kg.graph.build import build_graph
    from kg.graph.output import write_outputs

    from kg.extract.extraction import extract_article

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    xs = []
    for f in sorted(seeds.glob("*.txt")):
        raw = f.read_bytes()
        xs.append(extract_article(f.stem, raw.decode("utf-8"), f.name, hashlib.sha256(raw).hexdigest()))
    out = tmp_path_factory.mktemp("seedviews")
    graph = write_outputs(build_graph(xs), out)["trig"]
    return build_views(analyze_file(graph), out / "views")


def test_every_seed_view_renders_offline(browser, seed_views):
    assert len(seed_views) >= 3
    for key, path in seed_views.items():
        p = Page(browser, path)
        try:
            assert p.node_count() > 0, key
            assert p.eval("document.querySelectorAll('#mynetwork canvas').length") == 1
            # Physics is off once stable, so the layout stays still.
            assert p.eval("window.zonekg.network.physics.physicsEnabled") is False
            assert p.leaked == [], p.leaked
            assert all(u.startswith("file:") for u in p.requests), p.requests
            assert p.errors == [], p.errors
        finally:
            p.close()


def test_search_by_alias_selects_and_focuses_the_node(browser, seed_views, artifacts):
    checked = 0
    for key, path in seed_views.items():
        if key == "index":
            continue
        p = Page(browser, path)
        try:
            # A node with an alias, taken from the page itself.
            target = p.eval("""() => {
                const n = window.zonekg.nodes.get().find(n => n.names && n.names.length > 1 && n.kind === 'Enterprise')
                       || window.zonekg.nodes.get().find(n => n.names && n.names.length > 1);
                return n ? {id: n.id, alias: n.names[n.names.length - 1]} : null; }""")
            if target is None:
                continue
            # Type it into the search box as a user would, and press Enter.
            p.page.fill("#zonekg-q", target["alias"])
            p.page.press("#zonekg-q", "Enter")
            selected = p.eval("window.zonekg.network.getSelectedNodes()")
            assert len(selected) == 1
            names = p.eval("(id) => window.zonekg.nodes.get(id).names", selected[0])
            assert target["alias"] in names
            # Focused: the node sits in the middle of the canvas.
            pos = p.eval("""(id) => { const net = window.zonekg.network;
                const c = net.canvasToDOM(net.getPositions([id])[id]);
                const box = document.getElementById('mynetwork').getBoundingClientRect();
                return {dx: c.x - box.width / 2, dy: c.y - box.height / 2}; }""", selected[0])
            assert abs(pos["dx"]) < 5 and abs(pos["dy"]) < 5, pos
            assert "found" in p.page.inner_text("#zonekg-status")
            p.page.screenshot(path=str(artifacts / f"view-{path.stem}-search.png"))
            checked += 1
            # An unknown name says so and selects nothing new.
            p.page.fill("#zonekg-q", "不存在的名字XYZ")
            p.page.press("#zonekg-q", "Enter")
            assert "not found" in p.page.inner_text("#zonekg-status")
        finally:
            p.close()
    assert checked >= 1


def test_overview_search_finds_a_cluster_by_member_alias(browser, tmp_path, artifacts):
    graph, _ = two_zone_graph(tmp_path / "graph.trig")
    views = build_views(analyze_file(graph), tmp_path / "views")
    p = Page(browser, views["index"])
    try:
        assert p.node_count() == 2 + 3  # two zones, clusters 电梯 / 食品 / 生物医药
        found = p.eval("(q) => window.zonekg.search(q)", "静安精工")
        assert p.eval("(id) => window.zonekg.nodes.get(id).label", found) == "电梯"
        legend = p.page.inner_text("#zonekg-legend")
        assert "电梯" in legend and "食品" in legend
        p.page.screenshot(path=str(artifacts / "overview-small.png"))
        assert p.leaked == [] and p.errors == []
    finally:
        p.close()


def test_hostile_names_do_not_run(browser, tmp_path, artifacts):
    views = build_views(analyze_file(hostile_graph(tmp_path / "graph.trig")), tmp_path / "views")
    for key, path in views.items():
        p = Page(browser, path)
        try:
            assert p.node_count() > 0
            assert p.eval("window.__pwned === undefined"), f"injected script ran in {key}"
            assert p.dialogs == [] and p.errors == [] and p.leaked == []
            # The panel shows the names as text: no element came out of them.
            assert p.eval("document.querySelectorAll('#zonekg-panel img, #zonekg-panel svg, #zonekg-panel script').length") == 0
            if key == "index":
                continue
            # Hover the hostile enterprise: its tooltip is text, not markup.
            node = p.eval("(name) => window.zonekg.nodes.get().find(n => n.label === name).id", HOSTILE_ENTERPRISE)
            xy = p.eval("""(id) => { const net = window.zonekg.network;
                const c = net.canvasToDOM(net.getPositions([id])[id]);
                const box = document.getElementById('mynetwork').getBoundingClientRect();
                return {x: c.x + box.left, y: c.y + box.top}; }""", node)
            p.page.mouse.move(xy["x"], xy["y"])
            p.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
            tip = p.page.query_selector("div.vis-tooltip")
            text = tip.inner_text()
            assert HOSTILE_ENTERPRISE in text and HOSTILE_ALIAS in text
            assert tip.query_selector("img, script, svg, a, b") is None
            assert p.eval("window.__pwned === undefined")
            # Searching by the hostile alias finds the node and prints it as text.
            assert p.eval("(q) => window.zonekg.search(q)", HOSTILE_ALIAS) == node
            assert p.eval("document.querySelectorAll('#zonekg-status *').length") == 0
            p.page.screenshot(path=str(artifacts / "hostile-zone-tooltip.png"))
        finally:
            p.close()


LABEL_BOXES = """() => { const net = window.zonekg.network; const out = [];
    for (const id of net.body.nodeIndices) { const n = net.body.nodes[id]; const s = n.labelModule.size;
        if (!n.options.label || !s.width) continue;
        out.push({label: n.options.label, l: s.left, t: s.top, r: s.left + s.width, b: s.top + s.height}); }
    return out; }"""


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a["r"], b["r"]) > max(a["l"], b["l"]) and min(a["b"], b["b"]) > max(a["t"], b["t"]):
                bad.append((a["label"], b["label"]))
    return bad


def test_labels_do_not_overlap_at_the_default_zoom(browser, seed_views, tmp_path):
    """Every seed view, as it opens (laid out, fitted to the window): no two node labels
    share a pixel, and they are drawn big enough to read."""
    checked = 0
    for key, path in seed_views.items():
        p = Page(browser, path)
        try:
            boxes = p.eval(LABEL_BOXES)
            assert len(boxes) == p.node_count(), key
            assert _overlaps(boxes) == [], (path.name, _overlaps(boxes)[:5])
            # Fitted, the labels are still legible: 14 px text drawn at >= 8 px on screen.
            assert p.eval("window.zonekg.network.getScale()") * 14 >= 8, path.name
            p.page.screenshot(path=str(tmp_path / f"labels-{path.stem}.png"))
            checked += len(boxes)
        finally:
            p.close()
    assert checked > 100  # the seeds' pages hold a couple of hundred labels in all


def test_project_nodes_show_their_amounts(browser, seed_views):
    """The amount is on the node itself: drawn as the label's second line."""
    xuchang = next(p for k, p in seed_views.items() if p.name == "zone-国家许昌经济技术开发区.html")
    p = Page(browser, xuchang)
    try:
        labels = p.eval("window.zonekg.nodes.get().filter(n => n.kind === 'Project').map(n => n.label)")
        with_amount = [l for l in labels if "\n" in l]
        assert with_amount and all(l.split("\n")[1].endswith(("亿元", "万元")) for l in with_amount)
        title = p.eval("document.title")
        assert title == "国家许昌经济技术开发区 · zonekg"
        # Opened from disk, there is no server: no entity link is offered.
        p.eval("(q) => window.zonekg.search(q)", "西继迅达")
        assert p.eval("document.getElementById('zonekg-entity').hidden") is True
    finally:
        p.close()


def test_open_a_zone_page_by_its_name_from_disk(browser, seed_views):
    """The overview's links lead to the zone pages, named after the zones, from disk too."""
    p = Page(browser, seed_views["index"])
    try:
        p.page.click("#zonekg-links a:has-text('鹤壁国家经济技术开发区')")
        p.page.wait_for_function("window.zonekg && window.zonekg.stabilized", timeout=30_000)
        assert Path(unquote(urlsplit(p.page.url).path)).name == "zone-鹤壁国家经济技术开发区.html"
        assert p.page.title() == "鹤壁国家经济技术开发区 · zonekg"
        assert p.node_count() > 1 and p.leaked == [] and p.errors == []
    finally:
        p.close()
