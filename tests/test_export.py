"""`kg export`: every format read back with its own ecosystem's parser.

RDF formats with rdflib (the same quads as the built graph), GraphML and GEXF with
networkx, the Neo4j import files and the spreadsheet tables with the csv module.
The expected figures come from SPARQL over the built graph, not from the exporter.
"""
from __future__ import annotations

import csv
import json
import random
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from serving import kg, seed_graph

from kg.export.formats import FILE_FORMATS, FORMATS, default_output, render
from kg.export.source import ID_NS, load_source, source_from_quads
from kg.export.tables import (
    NEO4J_DOCUMENTS,
    NEO4J_NODE_FILES,
    NEO4J_RELATIONSHIPS,
    NEO4J_TYPES,
    SPREADSHEET_FILES,
)
from kg.graph.namespaces import ENTITY_CLASSES, RELATIONS

KG_NS = "https://w3id.org/zonekg/ontology#"
PREFIXES = f"PREFIX kg: <{KG_NS}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " \
           "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
XUCHANG = "国家许昌经济技术开发区"


@pytest.fixture(scope="module")
def graph() -> Path:
    return seed_graph()


@pytest.fixture(scope="module")
def store(graph) -> ox.Store:
    s = ox.Store()
    s.bulk_load(path=str(graph), format=ox.RdfFormat.TRIG)
    return s


def rows(store: ox.Store, query: str) -> list[tuple]:
    return [tuple(None if t is None else t.value for t in sol) for sol in store.query(PREFIXES + query)]


@pytest.fixture(scope="module")
def expected(store) -> dict:
    classes = " ".join(f"<{c}>" for c in ENTITY_CLASSES.values())
    entities = dict(rows(store, f"SELECT ?e ?c WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }}"))
    rels = " ".join(f"<{r}>" for k, r in RELATIONS.items() if k != "invests")
    relations = rows(store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {rels} }} ?s ?p ?o }}")
    amounts = dict(rows(store, "SELECT ?p ?a WHERE { ?p kg:invests/kg:amount ?a }"))
    labels = dict(rows(store, "SELECT ?e ?l WHERE { ?e rdfs:label ?l }"))
    alts = Counter()
    for e, _ in rows(store, "SELECT ?e ?l WHERE { ?e skos:altLabel ?l }"):
        alts[e] += 1
    mentions = rows(store, "SELECT ?e ?d WHERE { ?e kg:mentionedIn ?d . ?d a kg:Document }")
    default = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    return {"entities": entities, "relations": relations, "amounts": amounts, "labels": labels,
            "alts": alts, "mentions": mentions, "default": default, "quads": len(store)}


def export_cli(graph: Path, fmt: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    proc = kg("export", "--format", fmt, "--graph", str(graph), "-o", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    return proc


def rdflib_quads(ds: Dataset) -> set:
    return {(s, p, o, str(c)) for s, p, o, c in ds.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def source_quads(graph) -> set:
    ds = Dataset()
    ds.parse(str(graph), format="trig")
    return rdflib_quads(ds)


@pytest.fixture(scope="module")
def source_triples(graph) -> set:
    return set(Graph().parse(str(graph.parent / "graph.ttl"), format="turtle"))

# --------------------------------------------------------------------------
# RDF formats: rdflib reads back exactly the quads of the build


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("ntriples", "nt")])
def test_default_graph_formats(graph, tmp_path, expected, source_triples, fmt, rdflib_format):
    out = tmp_path / f"graph{FILE_FORMATS[fmt]}"
    proc = export_cli(graph, fmt, out)
    assert f"{expected['default']} triples" in proc.stdout
    g = Graph()
    g.parse(str(out), format=rdflib_format)
    assert len(g) == expected["default"]
    assert set(g) == source_triples


@pytest.mark.parametrize("fmt,rdflib_format", [("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_dataset_formats(graph, tmp_path, expected, source_quads, fmt, rdflib_format):
    out = tmp_path / f"graph{FILE_FORMATS[fmt]}"
    export_cli(graph, fmt, out)
    ds = Dataset()
    ds.parse(str(out), format=rdflib_format)
    back = rdflib_quads(ds)
    assert len(back) == expected["quads"]
    assert back == source_quads
    # Named graphs: the articles' provenance graphs are all there.
    assert len({q[3] for q in back}) == len({q[3] for q in source_quads})


def test_turtle_and_trig_match_the_build(graph, tmp_path):
    """Turtle and TriG exports of a build are its own graph.ttl / graph.trig, byte for byte."""
    export_cli(graph, "turtle", tmp_path / "g.ttl")
    export_cli(graph, "trig", tmp_path / "g.trig")
    assert (tmp_path / "g.ttl").read_bytes() == (graph.parent / "graph.ttl").read_bytes()
    assert (tmp_path / "g.trig").read_bytes() == graph.read_bytes()


def test_no_provenance(graph, tmp_path, expected):
    for fmt, rdflib_format in (("nquads", "nquads"), ("jsonld", "json-ld")):
        out = tmp_path / f"facts{FILE_FORMATS[fmt]}"
        export_cli(graph, fmt, out, "--no-provenance")
        ds = Dataset()
        ds.parse(str(out), format=rdflib_format)
        back = rdflib_quads(ds)
        assert len(back) == expected["default"]
        assert len({q[3] for q in back}) == 1


def test_jsonld_context_and_short_keys(graph, tmp_path, expected):
    out = tmp_path / "graph.jsonld"
    export_cli(graph, "jsonld", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    ctx = doc["@context"]
    for key in ("label", "altLabel", "hosts", "hasPark", "locatedIn", "operatedBy", "invests", "amount",
                "mentionedIn", "Zone", "Park", "Enterprise", "Project"):
        assert key in ctx
    nodes = {n["id"]: n for n in doc["@graph"]}
    zones = [n for n in nodes.values() if n.get("type") == "Zone"]
    assert XUCHANG in {z["label"] for z in zones}
    xuchang = next(z for z in zones if z["label"] == XUCHANG)
    assert xuchang["id"].startswith("zone/")
    assert all(p.startswith("park/") for p in xuchang["hasPark"])
    assert all(e in nodes for e in xuchang["hosts"])  # references resolve to nodes of the document
    # A project's investment: a MonetaryAmount node with its amount, as in the graph.
    project = next(n for n in nodes.values() if n.get("type") == "Project" and "invests" in n)
    amount = nodes[project["invests"]]
    assert amount["type"] == "MonetaryAmount" and amount["currency"] == "CNY"
    assert Decimal(amount["amount"]) == Decimal(expected["amounts"][ID_NS + project["id"]])
    # Each document node carries its article's provenance graph.
    docs = [n for n in nodes.values() if n.get("type") == "Document"]
    assert docs and all(n["@graph"] for n in docs)
    evidence = [n for d in docs for n in d["@graph"] if n.get("type") == "Evidence"]
    assert evidence and all(isinstance(e["startOffset"], int) and e["evidenceText"] for e in evidence)
    # pyoxigraph (a second, independent JSON-LD reader) agrees.
    if hasattr(ox.RdfFormat, "JSON_LD"):
        assert len(set(ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD))) == expected["quads"]


# --------------------------------------------------------------------------
# GraphML and GEXF: networkx reads them back


def check_networkx(g, expected) -> None:
    ents = expected["entities"]
    assert g.number_of_nodes() == len(ents)
    assert g.number_of_edges() == len(expected["relations"])
    for node, data in g.nodes(data=True):
        assert str(ENTITY_CLASSES[data["type"]]) == ents[node]
        assert data["label"] == expected["labels"][node]
        assert len([a for a in data["alt_labels"].split("; ") if a]) == expected["alts"][node]
    edges = {(s, data["relation"], o) for s, o, data in g.edges(data=True)}
    assert edges == {(s, next(k for k, v in RELATIONS.items() if str(v) == p), o) for s, p, o in expected["relations"]}
    amounts = {n: d["amount_cny"] for n, d in g.nodes(data=True) if "amount_cny" in d}
    assert amounts == {p: int(Decimal(a)) for p, a in expected["amounts"].items()}
    assert all(g.nodes[n]["currency"] == "CNY" for n in amounts)
    assert all(g.nodes[n]["type"] == "Project" for n in amounts)


def test_graphml(graph, tmp_path, expected):
    out = tmp_path / "graph.graphml"
    export_cli(graph, "graphml", out)
    g = nx.read_graphml(out)
    assert g.is_directed()
    check_networkx(g, expected)


def test_gexf(graph, tmp_path, expected):
    out = tmp_path / "graph.gexf"
    export_cli(graph, "gexf", out)
    g = nx.read_gexf(out)
    assert g.is_directed()
    check_networkx(g, expected)
    assert b"lastmodifieddate" not in out.read_bytes()  # no date: the same graph, the same file


# --------------------------------------------------------------------------
# Neo4j import files


def read_csv(path: Path, encoding: str = "utf-8") -> tuple[list[str], list[list[str]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def test_neo4j(graph, tmp_path, expected):
    out = tmp_path / "neo4j"
    proc = export_cli(graph, "neo4j", out)
    assert "neo4j-admin database import full" in proc.stdout
    node_ids: dict[str, str] = {}
    for type_, name in NEO4J_NODE_FILES.items():
        header, body = read_csv(out / name)
        assert header[0].endswith(":ID") and "name" in header and header[-1] == ":LABEL"
        assert "altNames:string[]" in header
        if type_ == "Project":
            assert "amount_cny:long" in header
        col = {h: i for i, h in enumerate(header)}
        for row in body:
            assert len(row) == len(header)
            iri = row[0]
            assert row[col[":LABEL"]] == type_ and str(ENTITY_CLASSES[type_]) == expected["entities"][iri]
            assert row[col["name"]] == expected["labels"][iri]
            alts = row[col["altNames:string[]"]]
            assert (len(alts.split(";")) if alts else 0) == expected["alts"][iri]
            int(row[col["documents:int"]])
            if type_ == "Project" and row[col["amount_cny:long"]]:
                assert int(row[col["amount_cny:long"]]) == int(Decimal(expected["amounts"][iri]))
            assert iri not in node_ids
            node_ids[iri] = type_
        assert [r[0] for r in body] == sorted(r[0] for r in body)
    header, docs = read_csv(out / NEO4J_DOCUMENTS)
    assert header[0] == "iri:ID" and header[-1] == ":LABEL"
    node_ids.update({r[0]: "Document" for r in docs})
    assert set(node_ids) >= set(expected["entities"])
    header, rels = read_csv(out / NEO4J_RELATIONSHIPS)
    assert header == [":START_ID", ":END_ID", ":TYPE"]
    for start, end, type_ in rels:
        assert start in node_ids and end in node_ids, (start, end)
    types = Counter(r[2] for r in rels)
    assert sum(n for t, n in types.items() if t != "MENTIONED_IN") == len(expected["relations"])
    assert types["MENTIONED_IN"] == len(expected["mentions"])
    assert set(types) <= set(NEO4J_TYPES.values())


# --------------------------------------------------------------------------
# Spreadsheet tables


def test_spreadsheet_csv(graph, tmp_path, expected):
    out = tmp_path / "tables"
    export_cli(graph, "csv", out)
    assert sorted(p.name for p in out.iterdir()) == sorted(SPREADSHEET_FILES)
    counts = Counter(expected["entities"].values())
    for name, cls in (("enterprises.csv", "Enterprise"), ("projects.csv", "Project"), ("zones.csv", "Zone")):
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
        assert b"\r\n" in raw
        header, body = read_csv(out / name, encoding="utf-8-sig")
        assert header[0] == "name" and header[-1] == "iri"
        assert len(body) == counts[str(ENTITY_CLASSES[cls])]
        assert [(r[0], r[-1]) for r in body] == sorted((r[0], r[-1]) for r in body)
        assert all(expected["labels"][r[-1]] == r[0] for r in body)
    header, projects = read_csv(out / "projects.csv", encoding="utf-8-sig")
    col = {h: i for i, h in enumerate(header)}
    with_amount = {r[-1]: r for r in projects if r[col["amount_cny"]]}
    assert set(with_amount) == set(expected["amounts"])
    for iri, r in with_amount.items():
        assert Decimal(r[col["amount_cny"]]) == Decimal(expected["amounts"][iri])
        assert Decimal(r[col["amount_yi"]]) * 100_000_000 == Decimal(expected["amounts"][iri])
        assert r[col["zone"]]  # every project with an amount lies in a zone here
    header, zones = read_csv(out / "zones.csv", encoding="utf-8-sig")
    col = {h: i for i, h in enumerate(header)}
    xuchang = next(r for r in zones if r[0] == XUCHANG)
    assert "许昌市" in xuchang[col["place"]].split("; ")
    # The province and the city, from the divisions the zone's places lie in.
    assert (xuchang[col["province"]], xuchang[col["city"]]) == ("河南省", "许昌市")
    hebi = next(r for r in zones if r[0] == "鹤壁国家经济技术开发区")
    assert (hebi[col["province"]], hebi[col["city"]]) == ("河南省", "鹤壁市")
    assert int(xuchang[col["parks"]]) > 0 and int(xuchang[col["enterprises"]]) > 0
    pcol = {h: i for i, h in enumerate(read_csv(out / "projects.csv", encoding="utf-8-sig")[0])}
    invested = sum(Decimal(r[pcol["amount_cny"]]) for r in projects
                   if r[pcol["amount_cny"]] and XUCHANG in r[pcol["zone"]].split("; "))
    assert invested > 0 and Decimal(xuchang[col["invested_cny"]]) == invested


# --------------------------------------------------------------------------
# Determinism, atomic writes, the command line


def test_output_is_deterministic(graph):
    """The same quads in any order give the same bytes, for every format."""
    source = load_source(graph)
    shuffled = list(source.quads)
    random.Random(7).shuffle(shuffled)
    other = source_from_quads(shuffled)
    for fmt in FORMATS:
        assert render(source, fmt) == render(other, fmt), fmt


def test_atomic_replace_and_no_temporaries(graph, tmp_path):
    out = tmp_path / "g.nt"
    out.write_text("old\n")
    export_cli(graph, "ntriples", out)
    assert out.read_text().startswith("<https://w3id.org/zonekg/")
    export_cli(graph, "csv", tmp_path / "tables")
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_default_output_and_stdout(graph, tmp_path):
    proc = kg("export", "--format", "ntriples", "--graph", str(graph), "-o", "-")
    assert proc.returncode == 0
    assert proc.stdout.count("\n") == len(load_source(graph).default_triples)
    assert default_output("gexf", graph) == graph.parent / "export" / "graph.gexf"
    assert default_output("neo4j", graph) == graph.parent / "export" / "neo4j"


def test_ttl_source(graph, tmp_path, expected):
    out = tmp_path / "from-ttl.nq"
    export_cli(graph.parent / "graph.ttl", "nquads", out)
    assert len(out.read_bytes().splitlines()) == expected["default"]


@pytest.mark.parametrize("args,message", [
    (["--format", "excel"], "unknown format"),
    (["--format", "turtle", "--graph", "missing/graph.trig"], "graph file not found"),
    (["--format", "csv", "-o", "-"], "directory"),
])
def test_errors(graph, args, message):
    if "--graph" not in args:
        args = [*args, "--graph", str(graph)]
    proc = kg("export", *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
