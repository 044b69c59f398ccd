"""Entity pages (Linked Data) of `kg serve`, as an HTTP client sees them.

A real server over the graph built from seeds/; what a page should show is asked of
the same server's SPARQL endpoint, so the two must agree (nothing is hard-coded but
names that the seed articles state).
"""
from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

import httpx
import pytest
import rdflib
import rdflib.compare
from serving import running_server, seed_graph
from test_viz import HOSTILE_ALIAS, HOSTILE_ENTERPRISE, HOSTILE_SENTENCE, HOSTILE_ZONE, hostile_graph

ID = "https://w3id.org/zonekg/id/"
PREFIXES = """PREFIX kg: <https://w3id.org/zonekg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@pytest.fixture(scope="module")
def client():
    with running_server(seed_graph()) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def rows(client, query: str) -> list[dict]:
    r = client.post("/sparql", data={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def entity_by_name(client, name: str) -> str:
    found = rows(client, f'SELECT DISTINCT ?e WHERE {{ ?e rdfs:label|skos:altLabel "{name}"@zh }}')
    assert len(found) == 1, found
    return found[0]["e"]


def path(iri: str) -> str:
    assert iri.startswith(ID)
    return "/id/" + iri[len(ID):]


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_a_zone_page_shows_label_names_and_its_tables(client):
    zone = entity_by_name(client, "许昌经开区")
    r = client.get(path(zone), headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Vary" in r.headers and "Accept" in r.headers["vary"]
    page = r.text
    assert "<title>国家许昌经济技术开发区 · zonekg</title>" in page
    text = text_of(page)
    for alias in ("许昌经开区", "许易经开区"):
        assert alias in text
    # The enterprises it hosts: every one the endpoint knows, linked to its page.
    hosted = rows(client, f"SELECT ?e ?l WHERE {{ <{zone}> kg:hosts ?e . ?e rdfs:label ?l }}")
    section = re.search(r'<section class="group" id="enterprises">(.*?)</section>', page, re.S).group(1)
    assert f'<span class="count">{len(hosted)}</span>' in section
    for h in hosted:
        assert f'href="{path(h["e"])}"' in section and html.escape(h["l"]) in section
    # Its projects, with their amounts, as the endpoint has them.
    projects = rows(client, f"""SELECT ?p ?l ?a WHERE {{ ?p kg:locatedIn <{zone}> ; a kg:Project ; rdfs:label ?l .
                                 OPTIONAL {{ ?p kg:invests/kg:amount ?a }} }}""")
    table = re.search(r'<table class="projects">(.*?)</table>', page, re.S).group(1)
    assert table.count('<tr><td><a href="/id/project/') == len({p["p"] for p in projects})
    with_amount = [p for p in projects if "a" in p]
    assert with_amount, "the seeds state amounts for Xuchang's projects"
    for p in with_amount:
        yi = float(p["a"]) / 1e8
        shown = f"{yi:,.2f}".rstrip("0").rstrip(".") + "亿元" if yi >= 1 else None
        row = re.search(rf'<a href="{path(p["p"])}"[^>]*>[^<]*</a></td><td class="num">([^<]*)</td>', table)
        assert row, p
        if shown:
            assert row.group(1) == shown
    # Parks, chains, clusters and its place are there too.
    for rel, anchor in (("hasPark", "parks"), ("hasChain", "chains"), ("hasCluster", "clusters")):
        n = len(rows(client, f"SELECT ?x WHERE {{ <{zone}> kg:{rel} ?x }}"))
        m = re.search(rf'<section class="group" id="{anchor}"><h3>[^<]*<span class="count">(\d+)</span>', page)
        assert m and int(m.group(1)) == n, anchor
    assert re.search(r'<section class="group" id="place">.*许昌市', page, re.S)


def test_every_fact_has_its_evidence_sentence_and_source_file(client):
    ent = entity_by_name(client, "西继迅达")
    page = client.get(path(ent)).text
    evidence = rows(client, f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?ev ?sentence ?file WHERE {{ GRAPH ?d {{ ?ev rdf:object <{ent}> ; kg:evidenceText ?sentence }}
                                          ?d kg:fileName ?file }}""")
    assert evidence
    for ev in evidence:
        assert html.escape(ev["sentence"]) in page
        assert f'href="{path(ev["ev"])}"' in page
        assert ev["file"] in page
    # The evidence page names the fact and the document.
    ev_page = client.get(path(evidence[0]["ev"])).text
    assert html.escape(evidence[0]["sentence"]) in ev_page
    assert "西继迅达电梯有限公司" in ev_page and evidence[0]["file"] in ev_page


def test_links_on_a_page_all_resolve(client):
    zone = entity_by_name(client, "许昌经开区")
    page = client.get(path(zone)).text
    links = sorted(set(re.findall(r'href="(/id/[^"?]+)"', page)))
    assert len(links) > 30
    for link in links:
        r = client.get(unquote(link))
        assert r.status_code == 200, link
        assert "<h2 class=\"label\"" in r.text


@pytest.mark.parametrize("accept,ctype,fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("text/html;q=0.5, text/turtle", "text/turtle", "turtle"),
])
def test_content_negotiation_gives_the_entity_triples(client, accept, ctype, fmt):
    ent = entity_by_name(client, "西继迅达")
    r = client.get(path(ent), headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(ctype)
    g = rdflib.Graph().parse(data=r.text, format=fmt)
    me = rdflib.URIRef(ent)
    names = {str(o) for o in g.objects(me, rdflib.SKOS.altLabel)} | {str(o) for o in g.objects(me, rdflib.RDFS.label)}
    expected = {r["n"] for r in rows(client, f"SELECT ?n WHERE {{ <{ent}> rdfs:label|skos:altLabel ?n }}")}
    assert names == expected
    hosts = rows(client, f"SELECT ?z WHERE {{ ?z kg:hosts <{ent}> }}")
    assert {str(s) for s in g.subjects(rdflib.URIRef("https://w3id.org/zonekg/ontology#hosts"), me)} == \
        {h["z"] for h in hosts}


def test_the_same_triples_in_turtle_and_json_ld(client):
    zone = path(entity_by_name(client, "许昌经开区"))
    ttl = rdflib.Graph().parse(data=client.get(zone, params={"format": "turtle"}).text, format="turtle")
    jsonld = rdflib.Graph().parse(data=client.get(zone, params={"format": "jsonld"}).text, format="json-ld")
    assert len(ttl) > 20
    assert rdflib.compare.isomorphic(ttl, jsonld)


def test_browsers_and_wildcards_get_html_unknown_types_406(client):
    zone = path(entity_by_name(client, "许昌经开区"))
    chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    for accept in (chrome, "*/*", None):
        r = client.get(zone, headers={"Accept": accept} if accept else {})
        assert r.headers["content-type"].startswith("text/html"), accept
    assert client.get(zone, headers={"Accept": "image/png"}).status_code == 406


def test_an_iri_the_graph_does_not_know_is_404(client):
    r = client.get("/id/zone/0000000000000000")
    assert r.status_code == 404
    assert "Not found" in r.text and 'name="q"' in r.text  # still a page, with its search box
    assert client.get("/id/zone/0000000000000000", headers={"Accept": "text/turtle"}).status_code == 404


def test_name_completion_ranks_exact_then_prefix(client):
    r = client.get("/api/names", params={"q": "西继迅达"})
    assert r.status_code == 200
    names = r.json()["names"]
    assert names[0]["name"] == "西继迅达" and names[0]["label"] == "西继迅达电梯有限公司"
    assert names[0]["path"] == path(entity_by_name(client, "西继迅达"))
    assert len({n["iri"] for n in names}) == len(names)  # one entry per entity
    part = client.get("/api/names", params={"q": "许昌"}).json()["names"]
    labels = [n["label"] for n in part]
    assert "国家许昌经济技术开发区" in labels and "许昌市" in labels
    assert all("许昌" in n["name"] for n in part)
    assert client.get("/api/names", params={"q": ""}).json() == {"names": []}


def test_search_goes_straight_to_an_exact_name(client):
    r = client.get("/search", params={"q": "许昌经开区"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == path(entity_by_name(client, "许昌经开区"))
    many = client.get("/search", params={"q": "电梯"})
    assert many.status_code == 200 and "个实体 entities" in many.text
    assert len(re.findall(r'<li><a href="/id/', many.text)) >= 2
    none = client.get("/search", params={"q": "没有这个名字"})
    assert "没有找到" in none.text


def test_every_served_page_asks_for_a_cjk_font_first(client):
    css = client.get("/static/style.css").text
    stack = re.search(r"font-family:\s*([^;]+);", css).group(1)
    families = [f.strip().strip('"') for f in stack.split(",")]
    cjk = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC"]
    generic = min(families.index(g) for g in ("sans-serif", "system-ui") if g in families)
    assert all(families.index(f) < generic for f in cjk), families
    zone = path(entity_by_name(client, "许昌经开区"))
    for page in (client.get("/").text, client.get(zone).text, client.get("/search", params={"q": "电梯"}).text):
        assert '<link rel="stylesheet" href="/static/style.css">' in page


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    graph = hostile_graph(tmp_path_factory.mktemp("hostile") / "graph.trig")
    with running_server(graph) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def test_names_from_articles_are_escaped(hostile):
    names = hostile.get("/api/names", params={"q": "电梯有限公司"}).json()["names"]
    assert names and names[0]["label"] == HOSTILE_ENTERPRISE
    page = hostile.get(urlsplit(names[0]["path"]).path).text
    for raw in (HOSTILE_ENTERPRISE, HOSTILE_ALIAS, HOSTILE_SENTENCE, HOSTILE_ZONE):
        assert raw not in page
    assert html.escape(HOSTILE_ENTERPRISE) in page and html.escape(HOSTILE_ALIAS) in page
    assert html.escape(HOSTILE_SENTENCE) in page
    assert "<script>window" not in page and "<img" not in page and "<svg" not in page
    # The only scripts are the server's own file.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/search.js" defer>']
    results = hostile.get("/search", params={"q": "电梯"}).text
    assert "<img" not in results and "<script>window" not in results


def test_the_same_pages_over_a_remote_endpoint(client, binary, tmp_path, kg_serve):
    """`kg serve --endpoint URL` asks the entity's facts of another SPARQL endpoint (a real
    Oxigraph server holding the same graph): the pages are the same."""
    from test_push import OxigraphServer

    from kg.export import push as pu

    srv = OxigraphServer(binary, tmp_path / "db")
    srv.start()
    try:
        pu.push(pu.open_source(seed_graph()), srv.store_url, verify=True)
        with kg_serve("--endpoint", srv.query_url) as served, httpx.Client(base_url=served.url, timeout=30) as remote:
            zone = path(entity_by_name(client, "许昌经开区"))
            ent = path(entity_by_name(client, "西继迅达"))
            ev = re.search(r'href="(/id/evidence/[^"]+)"', client.get(ent).text).group(1)
            for p in (zone, ent, ev):
                here, there = client.get(p), remote.get(p)
                assert there.status_code == 200, p
                assert there.text == here.text, p
            assert remote.get("/api/names", params={"q": "许昌"}).json() == client.get("/api/names", params={"q": "许昌"}).json()
    finally:
        srv.stop()
        srv.log.close()
