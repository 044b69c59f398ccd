"""The ontology and the SHACL shapes: they parse, cover every KG term, and the
shapes accept a well-formed graph and reject typical mistakes with a useful message.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, SH, SKOS, BNode, Graph, Literal, URIRef

from kg.graph.namespaces import ID, KG
from kg.graph.ontology_files import ontology_path, shapes_path

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
KG_NS = str(KG._NS)

# The names declared on the KG class, i.e. every term the code may use.
KG_TERMS = [name for name in KG.__annotations__ if not name.startswith("_")]
CLASS_TERMS = [name for name in KG_TERMS if name[0].isupper()]
PROPERTY_TERMS = [name for name in KG_TERMS if name[0].islower()]
DATATYPE_PROPERTIES = {
    "amount", "currency", "evidenceText", "startOffset", "endOffset", "fileName", "contentHash", "divisionCode",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "zonekg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


# --- ontology ------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    headers = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1
    header = headers[0]
    assert ontology.value(header, OWL.versionInfo) is not None
    dcterms = "http://purl.org/dc/terms/"
    for prop in ("title", "description"):
        langs = {o.language for o in ontology.objects(header, URIRef(dcterms + prop))}
        assert {"zh", "en"} <= langs, f"dcterms:{prop} needs @zh and @en"


@pytest.mark.parametrize("name", KG_TERMS)
def test_every_kg_term_is_declared_and_documented(ontology: Graph, name: str) -> None:
    term = KG[name]
    types = set(ontology.objects(term, RDF.type))
    if name in CLASS_TERMS:
        expected = OWL.Class
    elif name in DATATYPE_PROPERTIES:
        expected = OWL.DatatypeProperty
    else:
        expected = OWL.ObjectProperty
    assert expected in types, f"kg:{name} is not declared as {expected}"

    labels = list(ontology.objects(term, RDFS.label))
    assert {lbl.language for lbl in labels} >= {"zh", "en"}, f"kg:{name} needs @zh and @en labels"
    assert all(str(lbl).strip() for lbl in labels)
    comments = [c for c in ontology.objects(term, RDFS.comment) if c.language == "en"]
    assert comments and all(len(str(c)) > 10 for c in comments), f"kg:{name} needs an @en comment"


@pytest.mark.parametrize("name", PROPERTY_TERMS)
def test_every_property_has_domain_and_range(ontology: Graph, name: str) -> None:
    assert ontology.value(KG[name], RDFS.domain) is not None, f"kg:{name} has no rdfs:domain"
    assert ontology.value(KG[name], RDFS.range) is not None, f"kg:{name} has no rdfs:range"


def _kg_terms_used(graph: Graph) -> set[str]:
    return {
        str(term)[len(KG_NS):]
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(KG_NS)
    }


def test_ontology_and_shapes_use_only_kg_terms(ontology: Graph, shapes: Graph) -> None:
    # A typo in either file would silently create a new, undocumented term.
    assert _kg_terms_used(ontology) <= set(KG_TERMS)
    assert _kg_terms_used(shapes) <= set(KG_TERMS)


def test_entity_classes_are_disjoint(ontology: Graph) -> None:
    entity_classes = {KG.Zone, KG.Park, KG.Enterprise, KG.Project,
                      KG.IndustryChain, KG.IndustryCluster, KG.Place}
    found = []
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(axiom, OWL.members)
        found.append(set(ontology.items(members)))
    assert entity_classes in found


# --- shapes --------------------------------------------------------------------


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    # meta_shacl checks the shapes graph itself against the SHACL-for-SHACL shapes.
    conforms, _, text = validate(Graph(), shacl_graph=shapes, inference="none", meta_shacl=True)
    assert conforms, text


def test_every_shape_has_a_message(shapes: Graph) -> None:
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape)} | {
        s for s in shapes.subjects(RDF.type, SH.PropertyShape)
    }
    assert named
    for shape in named:
        messages = [m for m in shapes.objects(shape, SH.message) if str(m).strip()]
        assert messages, f"{shape} has no sh:message"


def _conforming_graph() -> Graph:
    g = Graph()
    zone, place, enterprise, park = ID["zone/z1"], ID["place/p1"], ID["enterprise/e1"], ID["park/k1"]
    chain, cluster, project, amount = ID["chain/c1"], ID["cluster/c1"], ID["project/p1"], ID["amount/a1"]
    doc, ev_hosts, ev_invests = ID["doc/d1"], ID["evidence/v1"], ID["evidence/v2"]

    names = {
        zone: (KG.Zone, "国家许昌经济技术开发区", ["许昌经开区"]),
        place: (KG.Place, "许昌", []),
        enterprise: (KG.Enterprise, "西继迅达电梯有限公司", ["西继迅达"]),
        park: (KG.Park, "电梯产业园", []),
        chain: (KG.IndustryChain, "电梯产业链", []),
        cluster: (KG.IndustryCluster, "装备制造产业集群", []),
        project: (KG.Project, "许昌生物芯片研发制造基地项目", []),
    }
    for node, (cls, label, alts) in names.items():
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label, lang="zh")))
        for alt in alts:
            g.add((node, SKOS.altLabel, Literal(alt, lang="zh")))
        g.add((node, KG.mentionedIn, doc))

    g.add((zone, KG.locatedIn, place))
    g.add((zone, KG.hosts, enterprise))
    g.add((zone, KG.hasPark, park))
    g.add((zone, KG.hasChain, chain))
    g.add((zone, KG.hasCluster, cluster))
    g.add((park, KG.hosts, enterprise))
    g.add((project, KG.locatedIn, zone))
    g.add((project, KG.operatedBy, enterprise))
    g.add((project, KG.invests, amount))

    g.add((amount, RDF.type, KG.MonetaryAmount))
    g.add((amount, KG.amount, Literal(Decimal("1500000000"))))
    g.add((amount, KG.currency, Literal("CNY")))

    g.add((doc, RDF.type, KG.Document))
    g.add((doc, RDFS.label, Literal("000_d1342aae74ea9016")))
    g.add((doc, KG.fileName, Literal("000_d1342aae74ea9016.txt")))
    g.add((doc, KG.contentHash, Literal("0123456789abcdef" * 4)))

    for ev, s, p, o, text, start in (
        (ev_hosts, zone, KG.hosts, enterprise, "在西继迅达电梯有限公司智能化生产车间", 120),
        (ev_invests, project, KG.invests, amount, "投资15亿元的生物芯片研发制造基地", 300),
    ):
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, p))
        g.add((ev, RDF.object, o))
        g.add((ev, KG.evidenceText, Literal(text)))
        g.add((ev, KG.startOffset, Literal(start)))
        g.add((ev, KG.endOffset, Literal(start + len(text))))
        g.add((ev, KG.inDocument, doc))
    return g


def _results(data: Graph, shapes: Graph) -> tuple[bool, list[tuple[object, str]]]:
    """Validate and return (conforms, [(focus node, message), ...])."""
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none")
    found = [
        (report.value(r, SH.focusNode), str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return conforms, found


def test_conforming_graph_validates(shapes: Graph) -> None:
    conforms, found = _results(_conforming_graph(), shapes)
    assert conforms, found


def test_conforming_graph_validates_with_ontology_merged(ontology: Graph, shapes: Graph) -> None:
    # A build may ship the ontology inside its output; its triples must not trip the shapes.
    conforms, found = _results(_conforming_graph() + ontology, shapes)
    assert conforms, found


def _typed_twice(g: Graph) -> None:
    g.add((ID["zone/z1"], RDF.type, KG.Enterprise))


def _negative_amount(g: Graph) -> None:
    g.set((ID["amount/a1"], KG.amount, Literal(Decimal("-5"))))


def _missing_label(g: Graph) -> None:
    g.remove((ID["zone/z1"], RDFS.label, None))


def _hosts_a_project(g: Graph) -> None:
    g.add((ID["zone/z1"], KG.hosts, ID["project/p1"]))


def _start_after_end(g: Graph) -> None:
    g.set((ID["evidence/v1"], KG.startOffset, Literal(500)))


def _invalid_currency(g: Graph) -> None:
    g.set((ID["amount/a1"], KG.currency, Literal("USD")))


def _integer_amount(g: Graph) -> None:
    # Literal(1500000000) is xsd:integer: the builder must pass a Decimal.
    g.set((ID["amount/a1"], KG.amount, Literal(1500000000)))


def _bad_hash(g: Graph) -> None:
    g.set((ID["doc/d1"], KG.contentHash, Literal("ABC")))


def _two_investments(g: Graph) -> None:
    # Articles revise amounts: a project may carry two, each from its own source.
    other = ID["amount/a2"]
    g.add((other, RDF.type, KG.MonetaryAmount))
    g.add((other, KG.amount, Literal(Decimal("1"))))
    g.add((other, KG.currency, Literal("CNY")))
    g.add((ID["project/p1"], KG.invests, other))


def _invests_in_a_zone(g: Graph) -> None:
    g.add((ID["project/p1"], KG.invests, ID["zone/z1"]))


def _project_in_place(g: Graph) -> None:
    g.set((ID["project/p1"], KG.locatedIn, ID["place/p1"]))


def _unknown_evidence_predicate(g: Graph) -> None:
    g.set((ID["evidence/v1"], RDF.predicate, RDFS.seeAlso))


def _untagged_label(g: Graph) -> None:
    g.set((ID["zone/z1"], RDFS.label, Literal("国家许昌经济技术开发区")))


def _no_document(g: Graph) -> None:
    g.remove((ID["park/k1"], KG.mentionedIn, None))


def _blank_evidence_subject(g: Graph) -> None:
    g.set((ID["evidence/v1"], RDF.subject, BNode()))


BROKEN: list[tuple[str, Callable[[Graph], None], URIRef, str]] = [
    ("typed Zone and Enterprise", _typed_twice, ID["zone/z1"], "more than one entity class"),
    ("negative amount", _negative_amount, ID["amount/a1"], "non-negative xsd:decimal"),
    ("integer amount", _integer_amount, ID["amount/a1"], "non-negative xsd:decimal"),
    ("missing label", _missing_label, ID["zone/z1"], "exactly one rdfs:label"),
    ("untagged label", _untagged_label, ID["zone/z1"], "exactly one rdfs:label"),
    ("hosts a project", _hosts_a_project, ID["zone/z1"], "kg:hosts must point to a kg:Enterprise"),
    ("start after end", _start_after_end, ID["evidence/v1"], "≤ kg:endOffset"),
    ("invalid currency", _invalid_currency, ID["amount/a1"], "kg:currency, the plain string \"CNY\""),
    ("bad content hash", _bad_hash, ID["doc/d1"], "64 lowercase hex digits"),
    ("invests in a zone", _invests_in_a_zone, ID["project/p1"], "kg:invests points to a kg:MonetaryAmount"),
    ("project in a place", _project_in_place, ID["project/p1"], "kg:locatedIn a kg:Zone or kg:Park"),
    ("unknown predicate", _unknown_evidence_predicate, ID["evidence/v1"], "one of the seven relations"),
    ("no document", _no_document, ID["park/k1"], "kg:mentionedIn at least one source document"),
    ("blank subject", _blank_evidence_subject, ID["evidence/v1"], "exactly one rdf:subject"),
]


@pytest.mark.parametrize(
    "mutate, focus, message", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_graph_is_rejected(
    shapes: Graph, mutate: Callable[[Graph], None], focus: URIRef, message: str
) -> None:
    data = _conforming_graph()
    mutate(data)
    conforms, found = _results(data, shapes)
    assert not conforms
    assert any(node == focus and message in text for node, text in found), found
    # The mistake is reported on the node that carries it, not on its neighbours.
    assert {node for node, _ in found} == {focus}, found


def test_two_amounts_for_one_project_are_accepted(shapes: Graph) -> None:
    data = _conforming_graph()
    _two_investments(data)
    conforms, found = _results(data, shapes)
    assert conforms, found


# --- file lookup ---------------------------------------------------------------


def test_ontology_files_are_found() -> None:
    # Installed, the package carries its own copy; either way it is these files.
    assert ontology_path().read_bytes() == (ONTOLOGY_DIR / "zonekg.ttl").read_bytes()
    assert shapes_path().read_bytes() == (ONTOLOGY_DIR / "shapes.ttl").read_bytes()
