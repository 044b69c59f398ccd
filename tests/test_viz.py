"""kg viz without a browser: pages are self-contained, offline, escaped, deterministic.

The browser half (a real headless Chromium opening each page) is in
tests/test_viz_browser.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

# pytest puts tests/ on sys.path: share the hand-written graph builders.
from test_analysis import GraphBuilder, two_zone_graph
from typer.testing import CliRunner

from kg.analyze.analysis import analyze_file
from kg.analyze.pages import json_for_script, make_offline
from kg.analyze.views import build_views, clean_sentence, slug, zone_files

# Names an article could contain. None may become markup or script in a view.
HOSTILE_ENTERPRISE = '</script><script>window.__pwned=1</script>电梯有限公司'
HOSTILE_ALIAS = '"><img src=x onerror="window.__pwned=2">电梯'
HOSTILE_PROJECT = "O'Brien & <b>Co</b> <a href=\"javascript:window.__pwned=3\">x</a>电梯项目"
HOSTILE_SENTENCE = '据报道<img src=x onerror="window.__pwned=4">落户</script><script>window.__pwned=5</script>。'
HOSTILE_ZONE = '<svg onload="window.__pwned=6">开发区'


def hostile_graph(path: Path) -> Path:
    b = GraphBuilder()
    z = b.ent("Zone", HOSTILE_ZONE, "<i>区</i>")
    chain = b.ent("IndustryChain", "电梯产业链")
    e = b.ent("Enterprise", HOSTILE_ENTERPRISE, HOSTILE_ALIAS)
    p = b.ent("Project", HOSTILE_PROJECT)
    b.rel(z, "hasChain", chain, "做强电梯产业链。")
    b.rel(z, "hosts", e, HOSTILE_SENTENCE)
    b.rel(p, "locatedIn", z, HOSTILE_SENTENCE)
    b.rel(p, "operatedBy", e, "由它建设。")
    b.invest(p, 300_000_000)
    return b.write(path)


@pytest.fixture(scope="module")
def hostile_views(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    return build_views(analyze_file(hostile_graph(d / "graph.trig")), d / "views")


@pytest.fixture(scope="module")
def small_views(tmp_path_factory) -> tuple[dict[str, Path], object]:
    d = tmp_path_factory.mktemp("small")
    path, _ = two_zone_graph(d / "graph.trig")
    a = analyze_file(path)
    return build_views(a, d / "views"), a


def _script_data(html: str, name: str) -> list[dict]:
    m = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);\n", html, re.S)
    assert m, f"no {name} DataSet in page"
    return json.loads(m.group(1))


def _page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="zonekg-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


# --- offline ------------------------------------------------------------------------


def _assert_offline(html: str) -> None:
    assert not re.search(r"<(script|img|iframe)\b[^>]*\bsrc\s*=", html, re.I), "a src= attribute is left"
    assert not re.search(r"<link\b[^>]*\bhref\s*=", html, re.I), "a <link href> is left"
    for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "bootstrap", "unpkg.com"):
        assert cdn not in html
    assert "@version 9.1.2" in html  # vis-network, inline
    assert "vis-network" in html and ".vis-network" in html  # its CSS too


def test_every_view_is_self_contained(small_views):
    views, a = small_views
    assert set(views) == {"index", *a.zone_list()}
    for path in views.values():
        _assert_offline(path.read_text(encoding="utf-8"))


def test_make_offline_strips_pyvis_cdn_links_and_inlines_vis():
    from pyvis.network import Network

    net = Network(cdn_resources="remote", directed=True)
    net.add_node(1, label="a")
    html = net.generate_html()
    assert "cdn.jsdelivr.net" in html and "cdnjs.cloudflare.com" in html  # pyvis 0.3.2 upstream #228/#229
    _assert_offline(make_offline(html))


def test_make_offline_refuses_any_external_resource():
    with pytest.raises(ValueError, match="external resource"):
        make_offline("<html><head></head><body><script src='lib/x.js'></script>@version 9 vis.Network</body></html>")
    with pytest.raises(ValueError, match="external resource"):
        make_offline('<html><head><link rel="stylesheet" href="x.css"></head><body>@version 9 vis.Network</body></html>')


# --- escaping -----------------------------------------------------------------------


def test_json_for_script_cannot_close_the_script():
    text = json_for_script({"a": "</script><script>alert(1)</script>", "b": "<!-- & ' \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!-- & ' \u2028"}


@pytest.mark.parametrize("page", ["index", "zone"])
def test_hostile_names_stay_text(hostile_views, small_views, page):
    path = hostile_views["index"] if page == "index" else next(p for k, p in hostile_views.items() if k != "index")
    html = path.read_text(encoding="utf-8")
    _assert_offline(html)
    # No hostile fragment survives as markup anywhere in the page ...
    for fragment in ("<script>window.__pwned", "<img src=x", "<svg onload", "<b>Co</b>", "<a href=\"javascript",
                     "<i>区</i>", "onerror=\"window"):
        assert fragment not in html, fragment
    # ... the page has exactly the script elements a harmless page has ...
    harmless = small_views[0]["index"].read_text(encoding="utf-8")
    assert len(re.findall(r"<script\b", html)) == len(re.findall(r"<script\b", harmless)) == 6
    # ... and the data round-trips: the names are all there, as text.
    nodes = _script_data(html, "nodes")
    names = {n for node in nodes for n in node.get("names", [])}
    tips = "\n".join(line for node in nodes for line in node.get("tip", []))
    data = _page_data(html)
    if page == "zone":
        assert {HOSTILE_ENTERPRISE, HOSTILE_ALIAS, HOSTILE_PROJECT, HOSTILE_ZONE} <= names
        assert "window.__pwned=4" in tips  # the evidence sentence, in a plain-text tooltip
        assert data["title"] == HOSTILE_ZONE
    else:
        assert HOSTILE_ZONE in names and HOSTILE_ALIAS in names
        assert any(link["label"] == HOSTILE_ZONE for link in data["links"])
    # Tooltips are never pyvis titles: a title containing "href" would switch pyvis to
    # its innerHTML popup.
    assert all("title" not in node for node in nodes)
    assert "popup.innerHTML" not in html


# --- content ------------------------------------------------------------------------


def test_zone_page_content(small_views):
    views, a = small_views
    qz = next(z for z in a.zone_list() if a.label(z) == "青岚经济技术开发区")
    html = views[qz].read_text(encoding="utf-8")
    nodes = {n["id"]: n for n in _script_data(html, "nodes")}
    edges = _script_data(html, "edges")
    labels = {n["label"] for n in nodes.values()}
    # A project with an amount shows it on the node.
    assert {"青岚经济技术开发区", "青岚电梯产业园", "静安精工有限公司", "电梯产业链", "晨光速冻食品项目\n5亿元"} <= labels
    assert "白石高新区" in labels  # the other zone its enterprise 远航集团 also sits in ...
    assert nodes[next(k for k, n in nodes.items() if n["label"] == "白石高新区")]["href"] == "zone-白石高新区.html"
    # Every node of the graph links to its entity page (followed when kg serve serves the view).
    assert all(n["entity"] == "/id/" + k.split("/id/", 1)[1] for k, n in nodes.items())
    assert {e["label"] for e in edges} >= {"入驻", "下辖园区", "产业链", "位于", "建设运营"}
    # Colour by cluster, shape by type, size by importance; tooltips with names, amounts, a sentence.
    lift = [n for n in nodes.values() if n["label"] in ("静安精工有限公司", "青岚电梯产业园")]
    assert lift[0]["color"] == lift[1]["color"] and lift[0]["shape"] != lift[1]["shape"]
    zone = nodes[qz]
    assert zone["size"] > min(n["size"] for n in nodes.values())
    food = next(n for n in nodes.values() if n["label"].startswith("晨光速冻食品项目"))
    assert "投资：5亿元" in food["tip"] and any(line.startswith("“") for line in food["tip"])
    quiet = next(n for n in nodes.values() if n["label"] == "静安精工有限公司")
    assert quiet["names"] == ["静安精工有限公司", "静安精工"] and "别名：静安精工" in quiet["tip"]
    legend = _page_data(html)["legend"]
    assert {c["label"] for c in legend["clusters"]} >= {"电梯", "食品"}
    assert {t["label"] for t in legend["types"]} >= {"开发区", "园区", "企业", "项目", "产业链"}


def test_overview_aggregates_zones_and_clusters(small_views):
    views, a = small_views
    html = views["index"].read_text(encoding="utf-8")
    nodes = _script_data(html, "nodes")
    assert len(nodes) == len(a.zone_list()) + len(a.clusters)
    assert {n["kind"] for n in nodes} == {"Zone", "ChainCluster"}
    edges = _script_data(html, "edges")
    assert any(e["label"] == "共享企业 1" for e in edges)  # 远航集团
    lift = next(n for n in nodes if n["label"] == "电梯")
    assert "静安精工" in lift["names"]  # members' aliases are searchable from the overview
    links = _page_data(html)["links"]
    assert sorted(link["href"] for link in links) == sorted(zone_files(a).values())
    for link in links:
        assert (views["index"].parent / link["href"]).is_file()


def test_views_are_deterministic(tmp_path):
    graph, _ = two_zone_graph(tmp_path / "graph.trig")
    one = build_views(analyze_file(graph), tmp_path / "one")
    two = build_views(analyze_file(graph), tmp_path / "two")
    for k in one:
        assert one[k].read_bytes() == two[k].read_bytes()


def test_physics_runs_only_until_stable(small_views):
    views, a = small_views
    zone_page = views[a.zone_list()[0]].read_text(encoding="utf-8")
    assert '"physics": {"enabled": true' in zone_page and _page_data(zone_page)["physics"] is True
    assert "zonekgAttach(network, nodes, edges);" in zone_page
    assert 'network.once("stabilizationIterationsDone", done)' in zone_page
    assert "physics: { enabled: false }" in zone_page  # what done() switches off
    # The overview is laid out in advance (clusters inside, zones around) and has no physics.
    overview = views["index"].read_text(encoding="utf-8")
    assert '"physics": {"enabled": false' in overview and _page_data(overview)["physics"] is False
    assert all("x" in n and "y" in n for n in _script_data(overview, "nodes"))


def test_edge_labels_give_way_on_crowded_pages():
    from kg.analyze.views import _limit_edge_labels, _network

    net = _network(3)
    for i in range(3):
        net.add_node(i, label=str(i))
    net.add_edge(0, 1, label="入驻", tip=["x"])
    assert _limit_edge_labels(net, 1) and net.edges[0]["label"] == "入驻"
    net.add_edge(1, 2, label="位于", tip=["y"])
    assert not _limit_edge_labels(net, 1)
    assert all("label" not in e and e["tip"] for e in net.edges)


def test_large_pages_use_the_cheap_layout():
    from kg.analyze.views import _network

    assert _network(50).options["layout"]["improvedLayout"] is True
    big = _network(2000).options
    assert big["layout"]["improvedLayout"] is False and big["physics"]["stabilization"]["iterations"] <= 100


def test_kg_viz_command(tmp_path):
    from kg.cli import app

    graph, _ = two_zone_graph(tmp_path / "graph.trig")
    out = tmp_path / "views"
    res = CliRunner().invoke(app, ["viz", "--graph", str(graph), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "index.html").is_file() and len(list(out.glob("zone-*.html"))) == 2
    assert "works offline" in res.output
    res = CliRunner().invoke(app, ["viz", "--graph", str(tmp_path / "missing.trig")])
    assert res.exit_code == 2


def test_graph_without_zones_gives_an_overview(tmp_path):
    b = GraphBuilder()
    b.ent("Enterprise", "孤立有限公司")
    views = build_views(analyze_file(b.write(tmp_path / "g.trig")), tmp_path / "views")
    assert list(views) == ["index"]
    assert _script_data(views["index"].read_text(encoding="utf-8"), "nodes") == []


# --- names and text that read ------------------------------------------------------


def test_view_file_names_are_the_zone_labels(small_views, tmp_path):
    views, a = small_views
    names = sorted(p.name for k, p in views.items() if k != "index")
    assert names == sorted(f"zone-{a.label(z)}.html" for z in a.zone_list())
    for k, p in views.items():
        title = re.search(r"<title>([^<]*)</title>", p.read_text(encoding="utf-8")).group(1)
        assert title == ("开发区产业链集群总览" if k == "index" else a.label(k)) + " · zonekg"


def test_slugs_are_safe_and_collisions_get_the_iri(tmp_path):
    assert slug("国家许昌经济技术开发区") == "国家许昌经济技术开发区"
    assert slug('<svg onload="x">开发区') == "svg-onload-x-开发区"
    assert slug("a/b\\c d..e") == "a-b-c-d-e"
    assert slug("///") == ""
    b = GraphBuilder()
    one = b.ent("Zone", "青岚 开发区")
    two = b.ent("Zone", "青岚/开发区")  # the same slug
    three = b.ent("Zone", "???")  # no letters at all
    a = analyze_file(b.write(tmp_path / "g.trig"))
    files = zone_files(a)
    assert len(set(files.values())) == 3
    tail = lambda n: n.value.rsplit("/", 1)[-1]  # noqa: E731
    assert files[one.value] == f"zone-青岚-开发区-{tail(one)}.html"
    assert files[two.value] == f"zone-青岚-开发区-{tail(two)}.html"
    assert files[three.value] == f"zone-{tail(three)}.html"
    assert zone_files(analyze_file(tmp_path / "g.trig")) == files  # deterministic
    # Hostile labels give plain file names: no path, no markup.
    for name in zone_files(analyze_file(hostile_graph(tmp_path / "h.trig"))).values():
        assert re.fullmatch(r"zone-[\w-]+\.html", name), name


def test_stale_pages_are_removed(tmp_path):
    graph, _ = two_zone_graph(tmp_path / "graph.trig")
    out = tmp_path / "views"
    out.mkdir()
    (out / "zone-526ed205b3a43ceb.html").write_text("old")
    views = build_views(analyze_file(graph), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in views.values())


def test_evidence_is_cleaned_of_markup():
    assert clean_sentence("#### 许昌经开区引进了西继迅达。") == "许昌经开区引进了西继迅达。"
    assert clean_sentence("> - **许继集团**落户 `园区`") == "许继集团落户 园区"
    assert clean_sentence("  2024年 引进\n 项目 ") == "2024年 引进 项目"
    assert clean_sentence("C#语言与 # 号") == "C#语言与 # 号"  # only markup at the start goes


def test_tooltips_show_clean_evidence(tmp_path):
    b = GraphBuilder()
    z = b.ent("Zone", "青岚经济技术开发区")
    e = b.ent("Enterprise", "静安精工有限公司")
    b.rel(z, "hosts", e, "#### **静安精工**入驻青岚。")
    views = build_views(analyze_file(b.write(tmp_path / "g.trig")), tmp_path / "views")
    html = views[z.value].read_text(encoding="utf-8")
    tips = [line for edge in _script_data(html, "edges") for line in edge["tip"]]
    assert "“静安精工入驻青岚。”" in tips
    assert "####" not in html.split("zonekg-data")[1]
