"""kg analyze: industries, clusters, measures, RDF and JSON output, the command.

Small graphs are written by hand with :class:`GraphBuilder` (shaped like ``kg
build`` output: merged facts in the default graph, evidence in a named graph);
the end-to-end tests build the seed articles once per module.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph
from typer.testing import CliRunner

from kg.analyze.analysis import (
    Lexicon,
    analyze_file,
    chain_core,
    chain_industry,
    default_lexicon,
    load_quads,
    project,
    write_outputs,
    yuan,
)
from kg.graph.namespaces import ID, KG
from kg.graph.ontology_files import ontology_path, shapes_path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"


class GraphBuilder:
    """Writes a small zonekg graph (TriG) the way kg build would."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.doc = ox.NamedNode(str(ID["doc/test0000000000"]))
        dg = ox.DefaultGraph()
        self.quads += [
            ox.Quad(self.doc, ox.NamedNode(RDF + "type"), ox.NamedNode(str(KG.Document)), dg),
            ox.Quad(self.doc, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("test"), dg),
            ox.Quad(self.doc, ox.NamedNode(str(KG.fileName)), ox.Literal("test.txt"), dg),
            ox.Quad(self.doc, ox.NamedNode(str(KG.contentHash)), ox.Literal("0" * 64), dg),
        ]
        self.n = 0

    def _node(self, kind: str, label: str) -> ox.NamedNode:
        return ox.NamedNode(str(ID[f"{kind}/{hashlib.sha1(label.encode()).hexdigest()[:16]}"]))

    def ent(self, type_: str, label: str, *aliases: str) -> ox.NamedNode:
        kind = {"IndustryChain": "chain", "IndustryCluster": "cluster"}.get(type_, type_.lower())
        node = self._node(kind, label)
        dg = ox.DefaultGraph()
        self.quads += [
            ox.Quad(node, ox.NamedNode(RDF + "type"), ox.NamedNode(str(KG[type_])), dg),
            ox.Quad(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(label, language="zh"), dg),
            ox.Quad(node, ox.NamedNode(str(KG.mentionedIn)), self.doc, dg),
        ]
        for a in aliases:
            self.quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
                                      ox.Literal(a, language="zh"), dg))
        return node

    def rel(self, s: ox.NamedNode, rel: str, o: ox.NamedNode, sentence: str | None = None) -> None:
        self.quads.append(ox.Quad(s, ox.NamedNode(str(KG[rel])), o, ox.DefaultGraph()))
        if sentence:
            self.n += 1
            ev = ox.NamedNode(str(ID[f"evidence/e{self.n:04d}"]))
            g = self.doc
            self.quads += [
                ox.Quad(ev, ox.NamedNode(RDF + "type"), ox.NamedNode(str(KG.Evidence)), g),
                ox.Quad(ev, ox.NamedNode(RDF + "subject"), s, g),
                ox.Quad(ev, ox.NamedNode(RDF + "predicate"), ox.NamedNode(str(KG[rel])), g),
                ox.Quad(ev, ox.NamedNode(RDF + "object"), o, g),
                ox.Quad(ev, ox.NamedNode(str(KG.evidenceText)), ox.Literal(sentence), g),
                ox.Quad(ev, ox.NamedNode(str(KG.startOffset)), ox.Literal(str(self.n * 100), datatype=ox.NamedNode(XSD + "integer")), g),
                ox.Quad(ev, ox.NamedNode(str(KG.endOffset)), ox.Literal(str(self.n * 100 + len(sentence)), datatype=ox.NamedNode(XSD + "integer")), g),
                ox.Quad(ev, ox.NamedNode(str(KG.inDocument)), self.doc, g),
            ]

    def invest(self, project_: ox.NamedNode, yuan_: int) -> None:
        amt = ox.NamedNode(str(ID[f"amount/{hashlib.sha1(project_.value.encode()).hexdigest()[:16]}"]))
        dg = ox.DefaultGraph()
        self.quads += [
            ox.Quad(amt, ox.NamedNode(RDF + "type"), ox.NamedNode(str(KG.MonetaryAmount)), dg),
            ox.Quad(amt, ox.NamedNode(str(KG.amount)), ox.Literal(str(Decimal(yuan_)), datatype=ox.NamedNode(XSD + "decimal")), dg),
            ox.Quad(amt, ox.NamedNode(str(KG.currency)), ox.Literal("CNY"), dg),
            ox.Quad(project_, ox.NamedNode(str(KG.invests)), amt, dg),
        ]

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(ox.serialize(self.quads, format=ox.RdfFormat.TRIG))
        return path


def two_zone_graph(path: Path) -> tuple[Path, dict[str, ox.NamedNode]]:
    """Two zones (made up): 青岚 with an elevator chain and park, a pharma firm and a
    food project; 白石 with another elevator firm; 远航集团 in both zones."""
    b = GraphBuilder()
    n: dict[str, ox.NamedNode] = {}
    n["qz"] = b.ent("Zone", "青岚经济技术开发区", "青岚经开区")
    n["bz"] = b.ent("Zone", "白石高新区")
    n["chain"] = b.ent("IndustryChain", "电梯产业链")
    n["park"] = b.ent("Park", "青岚电梯产业园")
    n["quiet"] = b.ent("Enterprise", "静安精工有限公司", "静安精工")  # no keyword in its name
    n["pharma"] = b.ent("Enterprise", "蓝河药业有限公司", "蓝河药业")
    n["hidden"] = b.ent("Enterprise", "晨光有限公司")  # industry only from its project
    n["food_p"] = b.ent("Project", "晨光速冻食品项目")
    n["lift2"] = b.ent("Enterprise", "白石电梯有限公司")
    n["lift2_p"] = b.ent("Project", "白石电梯整机项目")
    n["bridge"] = b.ent("Enterprise", "远航集团")  # hosted by both zones
    n["text"] = b.ent("Enterprise", "鸿宇有限公司")  # industry only from the sentence
    b.rel(n["qz"], "hasChain", n["chain"], "青岚经开区做强电梯产业链。")
    b.rel(n["qz"], "hasPark", n["park"], "青岚经开区建设电梯产业园。")
    b.rel(n["qz"], "hosts", n["quiet"], "静安精工落户青岚经开区。")
    b.rel(n["park"], "hosts", n["quiet"], "静安精工入驻青岚电梯产业园。")
    b.rel(n["qz"], "hosts", n["pharma"], "蓝河药业在青岚经开区投产。")
    b.rel(n["qz"], "hosts", n["hidden"], "晨光有限公司落户青岚经开区。")
    b.rel(n["food_p"], "locatedIn", n["qz"], "晨光速冻食品项目位于青岚经开区。")
    b.rel(n["food_p"], "operatedBy", n["hidden"], "晨光速冻食品项目由晨光有限公司建设。")
    b.invest(n["food_p"], 500_000_000)
    b.rel(n["bz"], "hosts", n["lift2"], "白石电梯有限公司落户白石高新区。")
    b.rel(n["lift2_p"], "locatedIn", n["bz"], "白石电梯整机项目位于白石高新区。")
    b.rel(n["lift2_p"], "operatedBy", n["lift2"], "白石电梯整机项目由白石电梯建设。")
    b.invest(n["lift2_p"], 1_200_000_000)
    b.rel(n["qz"], "hosts", n["bridge"], "远航集团在青岚经开区设厂。")
    b.rel(n["bz"], "hosts", n["bridge"], "远航集团在白石高新区设厂。")
    b.rel(n["qz"], "hosts", n["text"], "青岚经开区引进鸿宇有限公司补强电梯产业链，生物医药企业另有多家签约。")
    return b.write(path), n


@pytest.fixture()
def small(tmp_path):
    path, nodes = two_zone_graph(tmp_path / "graph.trig")
    return analyze_file(path), nodes, path


# --- lexicon and chain names ------------------------------------------------------


@pytest.mark.parametrize("name, industry", [
    ("阳光电缆", "电力装备"),            # not 光电 (电子信息): 电缆 is the word
    ("电力电子电气装备制造", "电力装备"),  # the earliest keyword wins over the longest
    ("博奥润康生物芯片制造基地", "生物医药"),
    ("科迈达智能食品装备", "食品"),
    ("快意电梯中原基地", "电梯"),
    ("光电子产业园", "电子信息"),
    ("现代物流产业园", "物流"),
    ("电子商务产业园", "现代服务业"),   # the longer keyword at the same place
    ("上海航盛年产200万套车载终端电子设备", "汽车"),
    ("静安精工", None),
])
def test_lexicon_match(name, industry):
    assert default_lexicon().match(name) == industry


def test_lexicon_ignores_spaces_and_full_width():
    assert default_lexicon().match("生物 医药") == "生物医药"
    assert default_lexicon().match("５Ｇ小镇") == "电子信息"


def test_lexicon_file_format_errors_are_reported():
    with pytest.raises(ValueError, match="line 2"):
        Lexicon.parse("# comment\n电梯 电梯\n")
    assert Lexicon.parse("# c\n\n电梯\t电梯\n").match("某电梯公司") == "电梯"


@pytest.mark.parametrize("label, core, industry", [
    ("电力装备产业链", "电力装备", "电力装备"),
    ("生物医药产业集群", "生物医药", "生物医药"),
    ("智能装备产业链", "智能装备", "智能装备"),
    ("新能源汽车产业集群", "新能源汽车", "汽车"),
    ("氢能产业链", "氢能", "新能源"),
    ("元宇宙产业链", "元宇宙", "元宇宙"),  # unknown to the lexicon: the chain names its own industry
])
def test_chain_industry(label, core, industry):
    assert chain_core(label) == core
    assert chain_industry(label, default_lexicon()) == industry


# --- projection -------------------------------------------------------------------


def test_projection_has_typed_nodes_and_edges(small):
    a, n, _ = small
    g = a.graph
    assert g.nodes[n["qz"].value]["type"] == "Zone"
    assert g.nodes[n["qz"].value]["aliases"] == ["青岚经开区"]
    assert g.nodes[n["food_p"].value]["amount"] == 500_000_000
    assert g.has_edge(n["food_p"].value, n["hidden"].value, key="operatedBy")
    edge = g.get_edge_data(n["park"].value, n["quiet"].value, key="hosts")
    assert edge["rel"] == "hosts" and edge["evidence"] == "静安精工入驻青岚电梯产业园。"
    # Documents, amounts and evidence nodes are attributes, not nodes.
    assert {d["type"] for _, d in g.nodes(data=True)} <= {"Zone", "Park", "Enterprise", "Project", "IndustryChain"}
    assert g.nodes[n["quiet"].value]["docs"] == ["test.txt"]


def test_projection_reads_turtle_without_evidence(tmp_path):
    path, n = two_zone_graph(tmp_path / "graph.trig")
    quads = [q for q in load_quads(path) if isinstance(q.graph_name, ox.DefaultGraph)]
    ttl = tmp_path / "graph.ttl"
    ttl.write_bytes(ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.TURTLE))
    g = project(load_quads(ttl))
    assert g.nodes[n["quiet"].value]["sentences"] == []
    assert g.number_of_nodes() == project(load_quads(path)).number_of_nodes()


def test_unknown_file_type_is_an_error(tmp_path):
    (tmp_path / "g.json").write_text("{}")
    with pytest.raises(ValueError, match="unknown RDF file type"):
        load_quads(tmp_path / "g.json")


# --- industries ---------------------------------------------------------------------


def test_industry_sources(small):
    a, n, _ = small
    got = {k: (a.assignment[n[k].value].industry, a.assignment[n[k].value].basis) for k in
           ("chain", "park", "quiet", "pharma", "hidden", "food_p", "lift2", "text")}
    assert got == {
        "chain": ("电梯", "name"),
        "park": ("电梯", "name"),
        "quiet": ("电梯", "park"),       # hosted by the elevator park: from the text
        "pharma": ("生物医药", "name"),
        "hidden": ("食品", "project"),   # its project's name
        "food_p": ("食品", "name"),
        "lift2": ("电梯", "name"),
        "text": ("电梯", "text"),        # the clause of its sentence names the zone's 电梯产业链
    }
    assert n["bridge"].value not in a.assignment  # no signal at all


def test_clause_keywords_are_the_last_resort(tmp_path):
    b = GraphBuilder()
    z = b.ent("Zone", "青岚经济技术开发区")  # no chains: only the lexicon can help
    firm = b.ent("Enterprise", "金穗集团")
    named = b.ent("Enterprise", "金穗物流")
    mixed = b.ent("Enterprise", "远山集团")
    b.rel(z, "hosts", firm, "全国最大的粮油企业金穗集团落户青岚经开区。")
    b.rel(z, "hosts", named, "全国最大的粮油企业金穗物流落户青岚经开区。")  # its name wins: 物流
    b.rel(z, "hosts", mixed, "做食品也做汽车的远山集团落户。")  # two industries: none
    a = analyze_file(b.write(tmp_path / "g.trig"))
    assert (a.assignment[firm.value].industry, a.assignment[firm.value].basis) == ("食品", "text")
    assert (a.assignment[named.value].industry, a.assignment[named.value].basis) == ("物流", "name")
    assert mixed.value not in a.assignment


def test_ambiguous_clause_gives_no_industry(tmp_path):
    b = GraphBuilder()
    z = b.ent("Zone", "青岚经济技术开发区")
    for chain in ("电梯产业链", "生物医药产业链"):
        b.rel(z, "hasChain", b.ent("IndustryChain", chain))
    e = b.ent("Enterprise", "鸿宇有限公司")
    b.rel(z, "hosts", e, "鸿宇有限公司助力电梯产业链和生物医药产业链发展。")
    a = analyze_file(b.write(tmp_path / "g.trig"))
    assert e.value not in a.assignment


# --- clusters -----------------------------------------------------------------------


def test_clusters_are_named_by_dominant_industry_and_span_zones(small):
    a, n, _ = small
    by_label = {c.label: c for c in a.clusters}
    lift = by_label["电梯"]
    for k in ("chain", "park", "quiet", "text", "lift2", "lift2_p"):
        assert n[k].value in lift.members, k
    assert lift.industry == "电梯" and lift.chains == ["电梯产业链"]
    assert set(lift.zones) == {n["qz"].value, n["bz"].value}
    assert a.cluster_of[n["food_p"].value].label == "食品"
    assert a.cluster_of[n["hidden"].value].label == "食品"
    # Every entity is in at most one cluster; zones, places and unclassified ones in none.
    members = [m for c in a.clusters for m in c.members]
    assert len(members) == len(set(members))
    assert n["qz"].value not in a.cluster_of and n["bridge"].value not in a.cluster_of


def test_clusters_are_deterministic(tmp_path):
    graph = tmp_path / "graph.trig"
    for d in ("a", "b"):
        graph.unlink(missing_ok=True)
        two_zone_graph(graph)
        write_outputs(analyze_file(graph), tmp_path / d)
    for name in ("analysis.ttl", "analysis.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


# --- measures -----------------------------------------------------------------------


def test_per_zone_measures(small):
    a, n, _ = small
    zones = {z["label"]: z for z in a.report()["zones"]}
    qz = zones["青岚经济技术开发区"]
    rows = {r["label"]: r for r in qz["clusters"]}
    assert rows["食品"]["projects"] == 1 and rows["食品"]["enterprises"] == 1
    assert rows["食品"]["investment_cny"] == 500_000_000
    assert rows["电梯"]["enterprises"] == 2 and rows["电梯"]["parks"] == 1 and rows["电梯"]["chains"] == 1
    assert qz["unclassified"] == {"Enterprise": 1}  # 远航集团
    bz = zones["白石高新区"]
    assert {r["label"]: r["investment_cny"] for r in bz["clusters"]}["电梯"] == 1_200_000_000
    assert bz["investment_cny"] == 1_200_000_000


def test_central_enterprises_and_bridges(small):
    a, n, _ = small
    rep = a.report()
    top = rep["central_enterprises"]["by_betweenness"][0]
    assert top["label"] == "远航集团" and top["betweenness"] > 0  # the only path between the zones
    assert rep["central_enterprises"]["by_degree"][0]["degree"] >= 2
    bridges = rep["bridges"]
    assert [b["label"] for b in bridges["enterprises"]] == ["远航集团"]
    assert {b["label"] for b in bridges["clusters"]} == {"电梯"}


def test_zone_similarity_is_jaccard_of_industries(small):
    a, _, _ = small
    sim = a.report()["zone_similarity"]
    assert len(sim) == 1
    # 青岚: 电梯, 生物医药, 食品; 白石: 电梯 → 1/3
    assert sim[0]["jaccard"] == pytest.approx(1 / 3, abs=1e-6)
    assert sim[0]["shared"] == ["电梯"]


def test_yuan_format():
    assert yuan(1_500_000_000) == "15亿元"
    assert yuan(1_250_000_000) == "12.5亿元"
    assert yuan(30_000_000) == "3,000万元"
    assert yuan(0) == "–"


# --- RDF and JSON -------------------------------------------------------------------

CLUSTER_QUERY = """
PREFIX kg: <https://w3id.org/zonekg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?cluster ?member ?name WHERE {
  ?c a kg:ChainCluster ; rdfs:label ?cluster .
  ?m kg:memberOf ?c ; a kg:Enterprise ; rdfs:label ?name .
  BIND(?m AS ?member)
} ORDER BY ?cluster ?name
"""


def test_analysis_ttl_loads_next_to_graph_trig_and_answers_sparql(small, tmp_path):
    a, n, path = small
    paths = write_outputs(a, tmp_path / "out")
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    store.load(path=str(paths["turtle"]), format=ox.RdfFormat.TURTLE)
    rows = [(r["cluster"].value, r["name"].value) for r in store.query(CLUSTER_QUERY)]
    assert ("电梯", "静安精工有限公司") in rows and ("食品", "晨光有限公司") in rows
    spans = store.query(
        "PREFIX kg: <https://w3id.org/zonekg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
        " SELECT ?c (COUNT(?z) AS ?n) WHERE { ?c kg:spansZone ?z } GROUP BY ?c HAVING (COUNT(?z) > 1)")
    assert len(list(spans)) == 1


def test_analysis_ttl_uses_only_declared_terms_and_validates(small, tmp_path):
    a, _, path = small
    paths = write_outputs(a, tmp_path / "out")
    analysis = Graph().parse(paths["turtle"], format="turtle")
    ontology = Graph().parse(ontology_path(), format="turtle")
    used = {p for _, p, _ in analysis if str(p).startswith(str(KG._NS))}
    used |= {o for _, _, o in analysis if str(o).startswith(str(KG._NS))}
    assert used == {KG.memberOf, KG.inIndustry, KG.clusterIndustry, KG.spansZone, KG.ChainCluster, KG.Industry}
    for term in used:
        assert (term, None, None) in ontology, term
    data = Graph()
    for q in load_quads(path):
        if isinstance(q.graph_name, ox.DefaultGraph):
            data.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    data += analysis
    conforms, _, text = validate(data, shacl_graph=Graph().parse(shapes_path(), format="turtle"), inference="none")
    assert conforms, text


def test_shapes_reject_two_clusters_for_one_entity(small, tmp_path):
    a, n, path = small
    paths = write_outputs(a, tmp_path / "out")
    data = Graph().parse(paths["turtle"], format="turtle")
    for q in load_quads(path):
        if isinstance(q.graph_name, ox.DefaultGraph):
            data.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    from rdflib import URIRef

    other = [c.iri for c in a.clusters if c.label != "电梯"][0]
    data.add((URIRef(n["quiet"].value), KG.memberOf, URIRef(other)))
    conforms, _, text = validate(data, shacl_graph=Graph().parse(shapes_path(), format="turtle"), inference="none")
    assert not conforms and "at most one cluster" in text


def test_json_report_shape(small, tmp_path):
    a, _, _ = small
    paths = write_outputs(a, tmp_path / "out")
    rep = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert set(rep) >= {"clusters", "zones", "central_enterprises", "bridges", "zone_similarity", "industries"}
    assert rep["industries"]["by_basis"] == {"name": 6, "park": 1, "project": 1, "text": 1}
    lift = next(c for c in rep["clusters"] if c["label"] == "电梯")
    assert lift["investment_cny"] == 1_200_000_000 and lift["members_by_type"]["Enterprise"] == 3


# --- the command ------------------------------------------------------------------------


def test_kg_analyze_command(small, tmp_path):
    from kg.cli import app

    _, _, path = small
    out = tmp_path / "result"
    res = CliRunner().invoke(app, ["analyze", "--graph", str(path), "--out", str(out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert (out / "analysis.ttl").is_file() and (out / "analysis.json").is_file()
    for text in ("Industrial-chain clusters", "电梯", "远航集团", "Jaccard", "wrote"):
        assert text in res.output


def test_kg_analyze_missing_or_bad_graph(tmp_path):
    from kg.cli import app

    res = CliRunner().invoke(app, ["analyze", "--graph", str(tmp_path / "nope.trig")])
    assert res.exit_code == 2 and "graph not found" in res.output
    bad = tmp_path / "bad.trig"
    bad.write_text("this is not trig {", encoding="utf-8")
    res = CliRunner().invoke(app, ["analyze", "--graph", str(bad), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "cannot read" in res.output


# --- the seed articles, end to end ----------------------------------------------------


@pytest.fixture(scope="module")
def seeds_graph(tmp_path_factory) -> Path:
    from kg.graph.build import build_graph
    from kg.graph.output import write_outputs as write_graph
    from kg.extract.extraction import extract_article

    xs = []
    for f in sorted(SEEDS.glob("*.txt")):
        raw = f.read_bytes()
        xs.append(extract_article(f.stem, raw.decode("utf-8"), f.name, hashlib.sha256(raw).hexdigest()))
    out = tmp_path_factory.mktemp("seeds") / "out"
    return write_graph(build_graph(xs), out)["trig"]


def test_seeds_clusters_are_the_chains_the_articles_name(seeds_graph):
    a = analyze_file(seeds_graph)
    labels = {c.label for c in a.clusters}
    assert {"电梯", "生物医药", "电力装备"} <= labels

    def cluster_of(name_part: str) -> str | None:
        for n, d in a.graph.nodes(data=True):
            if d["type"] == "Enterprise" and any(name_part in x for x in [d["label"], *d["aliases"]]):
                return a.cluster_of[n].label if n in a.cluster_of else None
        raise AssertionError(f"no enterprise named like {name_part}")

    assert cluster_of("迅达") == "电梯"
    assert cluster_of("奥诺药业") == "生物医药"
    # The chain nodes the article lists land in the clusters of their industry.
    chains = {a.graph.nodes[m]["label"]: c.label for c in a.clusters for m in c.members
              if a.graph.nodes[m]["type"] == "IndustryChain"}
    assert chains.get("电梯产业链") == "电梯" and chains.get("生物医药产业链") == "生物医药"


def test_seeds_graph_with_analysis_validates(seeds_graph, tmp_path):
    paths = write_outputs(analyze_file(seeds_graph), tmp_path)
    data = Graph().parse(seeds_graph.with_name("graph.ttl"), format="turtle")
    data.parse(paths["turtle"], format="turtle")
    conforms, _, text = validate(data, shacl_graph=Graph().parse(shapes_path(), format="turtle"), inference="none")
    assert conforms, text


def test_seeds_analysis_outputs_are_byte_identical(seeds_graph, tmp_path, monkeypatch):
    # Two processes with different hash seeds: nothing may depend on set or map order.
    from test_build import run_kg

    for d, seed in (("one", "1"), ("two", "2")):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        proc = run_kg("analyze", "-q", "--graph", str(seeds_graph), "--out", str(tmp_path / d), cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("analysis.ttl", "analysis.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
