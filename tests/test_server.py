"""`kg serve` as a SPARQL client sees it: a real server on a free loopback port, a real HTTP client."""
from __future__ import annotations

import csv
import io
import json
import shutil
import time

import httpx
import pyoxigraph as ox
import pytest
from serving import running_server, seed_graph

MAX_ROWS = 40
TIMEOUT = 1.5

ZONES = """PREFIX kg: <https://w3id.org/zonekg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone } ORDER BY ?zone"""
ASK_XUCHANG = 'ASK { ?z a kg:Zone ; rdfs:label "国家许昌经济技术开发区"@zh }'
CONSTRUCT = "CONSTRUCT { ?z a kg:Zone ; rdfs:label ?l } WHERE { ?z a kg:Zone ; rdfs:label ?l }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
NATIONAL = {"国家许昌经济技术开发区", "国家漯河经济技术开发区", "鹤壁国家经济技术开发区"}


@pytest.fixture(scope="module")
def base():
    with running_server(seed_graph(), "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def select(client, query, accept, method="GET", **extra):
    if method == "GET":
        return client.get("/sparql", params={"query": query, **extra}, headers={"Accept": accept})
    return client.post("/sparql", data={"query": query, **extra}, headers={"Accept": accept})


# --------------------------------------------------------------------------
# SELECT in every results format


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(client, method):
    r = select(client, ZONES, "application/sparql-results+json", method)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    data = r.json()
    assert data["head"]["vars"] == ["zone"]
    zones = {b["zone"]["value"] for b in data["results"]["bindings"]}
    assert NATIONAL <= zones
    assert all(b["zone"]["xml:lang"] == "zh" for b in data["results"]["bindings"])
    assert r.headers["x-result-truncated"] == "false"


def test_select_xml(client):
    r = select(client, ZONES, "application/sparql-results+xml")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    rows = list(ox.parse_query_results(r.content, format=ox.QueryResultsFormat.XML))
    assert NATIONAL <= {row["zone"].value for row in rows}


def test_select_csv(client):
    r = select(client, ZONES, "text/csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8"))))
    assert rows[0] == ["zone"]
    assert NATIONAL <= {row[0] for row in rows[1:]}


def test_select_tsv(client):
    r = select(client, ZONES, "text/tab-separated-values")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    lines = r.content.decode("utf-8").splitlines()
    assert lines[0] == "?zone"
    assert '"国家漯河经济技术开发区"@zh' in lines
    rows = list(ox.parse_query_results(r.content, format=ox.QueryResultsFormat.TSV))
    assert NATIONAL <= {row["zone"].value for row in rows}


def test_select_by_sparql_query_post(client):
    r = client.post("/sparql", content=ZONES.encode("utf-8"),
                    headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert r.status_code == 200 and "国家许昌经济技术开发区" in r.text


def test_format_parameter_and_wildcard_accept(client):
    r = client.get("/sparql", params={"query": ZONES, "format": "csv"}, headers={"Accept": "*/*"})
    assert r.headers["content-type"].startswith("text/csv")
    r = client.get("/sparql", params={"query": ZONES}, headers={"Accept": "*/*"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = client.get("/sparql", params={"query": ZONES}, headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")


def test_not_acceptable(client):
    r = client.get("/sparql", params={"query": ZONES}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text


def test_library_parameters_over_http(client):
    text = client.get("/api/queries").json()["queries"]
    zone_enterprises = next(q for q in text if q["name"] == "zone-enterprises")
    r = client.post("/sparql", data={"query": zone_enterprises["text"], "param.zone": "漯河"},
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    zones = {b["zone"]["value"] for b in r.json()["results"]["bindings"]}
    assert zones == {"国家漯河经济技术开发区"}
    r = client.post("/sparql", data={"query": zone_enterprises["text"], "param.city": "漯河"})
    assert r.status_code == 400 and "no parameter city" in r.text


def test_named_graphs_hold_the_evidence(client):
    q = """PREFIX kg: <https://w3id.org/zonekg/ontology#>
    SELECT ?doc (COUNT(?ev) AS ?n) WHERE { GRAPH ?doc { ?ev a kg:Evidence } } GROUP BY ?doc"""
    r = select(client, q, "application/sparql-results+json")
    assert len(r.json()["results"]["bindings"]) == 5


# --------------------------------------------------------------------------
# ASK and CONSTRUCT


@pytest.mark.parametrize("accept,fmt", [("application/sparql-results+json", None),
                                        ("application/sparql-results+xml", ox.QueryResultsFormat.XML)])
def test_ask(client, accept, fmt):
    r = select(client, ASK_XUCHANG, accept)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(accept)
    if fmt is None:
        assert r.json() == {"head": {}, "boolean": True}
    else:
        assert bool(ox.parse_query_results(r.content, format=fmt)) is True
    r = select(client, 'ASK { ?z a kg:Zone ; rdfs:label "不存在的开发区"@zh }', accept)
    assert (r.json()["boolean"] if fmt is None else bool(ox.parse_query_results(r.content, format=fmt))) is False


@pytest.mark.parametrize("accept,rdf_format", [("text/turtle", ox.RdfFormat.TURTLE),
                                               ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_construct(client, accept, rdf_format):
    r = select(client, CONSTRUCT, accept)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(accept)
    triples = list(ox.parse(r.content, format=rdf_format))
    labels = {t.object.value for t in triples if t.predicate.value.endswith("#label")}
    assert NATIONAL <= labels


def test_construct_defaults_to_turtle_for_a_results_accept_header(client):
    r = client.post("/sparql", data={"query": CONSTRUCT},
                    headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")


# --------------------------------------------------------------------------
# Errors, read-only, limits


def test_malformed_query_gets_400_with_the_parser_message(client):
    r = client.post("/sparql", data={"query": "SELECT ?x WHERE {\n  ?x kg:hosts\n}"})
    assert r.status_code == 400
    assert r.text.startswith("Malformed query: error at 3:1")


def test_missing_query_is_400(client):
    r = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400 and "query" in r.text


@pytest.mark.parametrize("how", ["form", "body", "get", "as-query"])
def test_update_is_refused(client, how):
    update = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    if how == "form":
        r = client.post("/sparql", data={"update": update})
    elif how == "body":
        r = client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"})
    elif how == "get":
        r = client.get("/sparql", params={"update": update})
    else:
        r = client.post("/sparql", data={"query": update})
    assert 400 <= r.status_code < 500
    assert r.status_code == 403 and "read-only" in r.text
    ask = select(client, "ASK { <urn:x:s> ?p ?o }", "application/sparql-results+json")
    assert ask.json()["boolean"] is False


def test_service_is_refused(client):
    r = client.post("/sparql", data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.text


def test_unsupported_post_type(client):
    r = client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"})
    assert r.status_code == 415


def test_slow_query_is_stopped(client):
    started = time.monotonic()
    r = client.post("/sparql", data={"query": SLOW})
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert "time limit" in r.text
    assert elapsed < TIMEOUT + 10
    # the server goes on answering: a fresh worker took over
    r = select(client, ASK_XUCHANG, "application/sparql-results+json")
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_row_cap(client):
    r = select(client, "SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS
    assert r.headers["x-result-truncated"] == "true"
    assert r.headers["x-max-rows"] == str(MAX_ROWS)
    r = select(client, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert len(r.text.strip().splitlines()) == MAX_ROWS and r.headers["x-result-truncated"] == "true"


def test_foreign_host_header_is_refused(client):
    r = client.get("/", headers={"Host": "attacker.example"})
    assert r.status_code == 400


# --------------------------------------------------------------------------
# The page and its assets


def test_query_page_and_assets(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text and 'id="library"' in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    for asset in ("/static/app.js", "/static/style.css", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200, asset
    assert "http://" not in r.text.replace("http://www.w3.org", "") and "https://" not in r.text


def test_library_api(client):
    data = client.get("/api/queries").json()
    names = {q["name"] for q in data["queries"]}
    assert len(names) >= 10 and "evidence" in names
    assert data["max_rows"] == MAX_ROWS
    evidence = next(q for q in data["queries"] if q["name"] == "evidence")
    assert [p["name"] for p in evidence["params"]] == ["subject", "relation", "object"]
    json.dumps(data)


def test_graph_views_are_linked_and_served_when_present(tmp_path):
    """`kg viz` writes out/views/ beside out/graph.trig; the server serves it at /views/."""
    graph = tmp_path / "graph.trig"
    shutil.copyfile(seed_graph(), graph)
    with running_server(graph, "--workers", "1") as url, httpx.Client(base_url=url, timeout=30) as c:
        assert c.get("/api/queries").json()["views"] is None
        assert c.get("/views/").status_code == 404
        (tmp_path / "views").mkdir()
        (tmp_path / "views" / "index.html").write_text("<title>开发区产业链集群总览</title>", encoding="utf-8")
        assert c.get("/api/queries").json()["views"] == "/views/"
        r = c.get("/views/")
        assert r.status_code == 200 and "产业链集群总览" in r.text


def test_format_parameter_that_does_not_fit_falls_back_to_accept(client):
    # SPARQLWrapper sends format=json even for CONSTRUCT; Accept then decides.
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "json"}, headers={"Accept": "*/*"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = client.get("/sparql", params={"query": ZONES, "output": "text/tab-separated-values"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")


def test_library_names_resolve_through_the_name_index(client):
    """param.zone=鹤壁经开区 (a usual short form, not an alias any article wrote) finds the
    鹤壁 zone, and the response says what the name resolved to."""
    from urllib.parse import unquote

    text = next(q for q in client.get("/api/queries").json()["queries"] if q["name"] == "zone-enterprises")["text"]
    r = client.post("/sparql", data={"query": text, "param.zone": "鹤壁经开区"},
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    zones = {b["zone"]["value"] for b in r.json()["results"]["bindings"]}
    assert zones == {"鹤壁国家经济技术开发区"}
    assert unquote(r.headers["X-Name-Notes"]) == "zone=鹤壁经开区: 鹤壁国家经济技术开发区"
    r = client.post("/sparql", data={"query": text, "param.zone": "不存在的开发区"},
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    assert unquote(r.headers["X-Name-Notes"]).startswith("no zone named 不存在的开发区")


# --------------------------------------------------------------------------
# CORS: a SPARQL client in someone else's page (YASGUI, say) can query


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cors_preflight_for_a_query(client, method):
    r = client.options("/sparql", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type, accept"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert method in r.headers["access-control-allow-methods"]
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert {"content-type", "accept"} <= allowed
    assert int(r.headers["access-control-max-age"]) > 0


def test_cors_preflight_refuses_other_methods(client):
    r = client.options("/sparql", headers={"Origin": "https://yasgui.example",
                                          "Access-Control-Request-Method": "PUT"})
    assert r.status_code == 400
    assert "PUT" not in r.headers.get("access-control-allow-methods", "")


def test_cross_origin_query_gets_its_result_and_headers(client):
    r = client.post("/sparql", data={"query": ZONES}, headers={"Origin": "https://yasgui.example",
                                                             "Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"x-result-rows", "x-result-truncated"} <= exposed
    # Update stays refused, cross-origin or not.
    r = client.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }"}, headers={"Origin": "https://yasgui.example"})
    assert r.status_code == 403


def test_the_editor_completes_the_ontology_terms(client):
    from rdflib import OWL, RDF, Graph

    from kg.graph.ontology_files import ontology_path

    data = client.get("/api/terms").json()
    names = {t["name"]: t for t in data["terms"]}
    g = Graph().parse(ontology_path(), format="turtle")
    kg_ns = data["prefixes"]["kg"]
    declared = {"kg:" + str(s)[len(kg_ns):] for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                for s in g.subjects(RDF.type, kind) if str(s).startswith(kg_ns)}
    assert declared and declared <= set(names)
    assert names["kg:Zone"]["kind"] == "class" and "开发区" in names["kg:Zone"]["label"]
    assert names["kg:hosts"]["kind"] == "property"
    assert {"SELECT", "WHERE", "OPTIONAL", "FILTER"} <= set(data["keywords"])
    assert "INSERT" not in data["keywords"] and "DELETE" not in data["keywords"]  # read-only endpoint
