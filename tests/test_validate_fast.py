"""The SPARQL translation of the shapes (kg/graph/shacl_sparql.py) against pyshacl itself.

Every test builds a graph, valid (the seed build) or broken on purpose, and asks both
validators; they must report the same (focus node, message) pairs, and the broken
graphs must be reported at the node that was broken.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.extract.extraction import extract_article
from kg.graph.build import build_graph
from kg.graph.namespaces import KG
from kg.graph.ontology_files import shapes_path
from kg.graph.shacl_sparql import UnsupportedShape, compile_shapes
from kg.graph.validate import validate, validate_with_pyshacl

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
XSD_STRING = ox.NamedNode(str(XSD.string))


class Quads:
    """A graph as validate() sees it: its quads (the store is made from them)."""

    def __init__(self, quads) -> None:
        self._quads = list(quads)

    def quads(self):
        return self._quads


@pytest.fixture(scope="module")
def seed_kg():
    xs = []
    for f in sorted(SEEDS.glob("*.txt")):
        raw = f.read_bytes()
        xs.append(extract_article(f.stem, raw.decode("utf-8"), f.name, hashlib.sha256(raw).hexdigest()))
    return build_graph(xs)


@pytest.fixture(scope="module")
def seed(seed_kg) -> list[ox.Quad]:
    return list(seed_kg.quads())


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


def n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def subjects_of_type(quads, cls) -> list[ox.NamedNode]:
    return sorted({q.subject for q in quads if q.predicate == n(RDF.type) and q.object == n(cls)}, key=str)


def both(graph, shapes) -> list:
    fast = validate(graph)
    assert fast == validate_with_pyshacl(graph, shapes)
    # Split into parts by subject (as kg build does for a large graph): the same verdicts.
    for parts in (2, 7):
        assert validate(graph, parts=parts) == fast
    # The parts validated by worker processes (kg build -j 2): the same verdicts again.
    assert validate(graph, parts=7, processes=2) == fast
    return fast


def foci(violations, message_part: str) -> set[str]:
    return {v.focus for v in violations if message_part in v.message}


def test_the_shapes_file_is_translated_without_fallback(shapes):
    plan = compile_shapes(shapes)
    assert len(plan.queries) > 30  # one or more per constraint-bearing shape


def test_seed_build_conforms_for_both(seed_kg, shapes):
    # The KnowledgeGraph itself, as kg build passes it.
    assert validate(seed_kg) == [] == validate_with_pyshacl(seed_kg, shapes)


def test_missing_label(seed, shapes):
    zone = subjects_of_type(seed, KG.Zone)[0]
    broken = [q for q in seed if not (q.subject == zone and q.predicate == n(RDFS.label))]
    assert foci(both(Quads(broken), shapes), "exactly one rdfs:label") == {zone.value}


def test_second_label_and_label_in_english(seed, shapes):
    park, enterprise = subjects_of_type(seed, KG.Park)[0], subjects_of_type(seed, KG.Enterprise)[0]
    extra = [ox.Quad(park, n(RDFS.label), ox.Literal("另一个名字", language="zh")),
             ox.Quad(enterprise, n(RDFS.label), ox.Literal("Some Company", language="en"))]
    found = both(Quads(seed + extra), shapes)
    # The enterprise now has two labels as well, one of them not @zh.
    assert foci(found, "exactly one rdfs:label") == {park.value, enterprise.value}


def test_empty_and_untagged_alt_label_and_alt_label_equal_to_label(seed, shapes):
    a, b, c = subjects_of_type(seed, KG.Enterprise)[:3]
    label_of_c = next(q.object for q in seed if q.subject == c and q.predicate == n(RDFS.label))
    extra = [ox.Quad(a, n(SKOS.altLabel), ox.Literal("", language="zh")),
             ox.Quad(b, n(SKOS.altLabel), ox.Literal("无标签")),
             ox.Quad(c, n(SKOS.altLabel), label_of_c)]
    assert foci(both(Quads(seed + extra), shapes), "skos:altLabel values") == {a.value, b.value, c.value}


def test_hosts_a_project(seed, shapes):
    zone, project = subjects_of_type(seed, KG.Zone)[0], subjects_of_type(seed, KG.Project)[0]
    found = both(Quads(seed + [ox.Quad(zone, n(KG.hosts), project)]), shapes)
    assert foci(found, "kg:hosts must point to a kg:Enterprise") == {zone.value}


def test_wrong_datatypes_and_ill_formed_literals(seed, shapes):
    ev = subjects_of_type(seed, KG.Evidence)[0]
    amounts = subjects_of_type(seed, KG.MonetaryAmount)[:2]
    integer, decimal = n(XSD.integer), n(XSD.decimal)
    broken = [q for q in seed if not ((q.subject == ev and q.predicate == n(KG.startOffset))
                                      or (q.subject in amounts and q.predicate == n(KG.amount)))]
    # (An ill-formed offset is left out: pyshacl's sh:lessThanOrEquals raises a TypeError on it.)
    broken += [ox.Quad(ev, n(KG.startOffset), ox.Literal("12")),                            # a string
               ox.Quad(amounts[0], n(KG.amount), ox.Literal("150", datatype=integer)),      # not decimal
               ox.Quad(amounts[1], n(KG.amount), ox.Literal("fifteen", datatype=decimal))]  # ill-formed
    found = both(Quads(broken), shapes)
    assert foci(found, "kg:startOffset") == {ev.value}
    assert foci(found, "exactly one kg:amount") == {a.value for a in amounts}


DATATYPE_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kg: <https://w3id.org/zonekg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/AmountDatatypeShape> a sh:NodeShape ;
    sh:targetClass kg:MonetaryAmount ;
    sh:message "test: an amount" ;
    sh:property [ sh:path kg:amount ; sh:datatype xsd:decimal ; sh:message "test: a well-formed decimal" ] .
"""


def test_lexical_forms_that_only_look_plain(seed, tmp_path):
    # Plain digits are left out of the Python check of lexical forms (_PLAIN_FORMS);
    # forms that begin or end like them still go through it. A shape with sh:datatype
    # alone, so that only that check can find them. (Digits of another script, an
    # exponent, spaces or 40 digits are not tried: rdflib reads them, Oxigraph does not
    # compare them, and the translation reports them under kg:AmountShape's range where
    # pyshacl does not, as it did before.)
    path = tmp_path / "shapes.ttl"
    path.write_text(shapes_path().read_text("utf-8") + DATATYPE_SHAPE, "utf-8")
    extended = Graph().parse(path, format="turtle")
    decimal = n(XSD.decimal)
    forms = {"12abc": True, "abc12": True, "1.5.5": True, "12.5x": True, "7.": False, "+5": False,
             "0042.50": False, "18": False}
    amounts = subjects_of_type(seed, KG.MonetaryAmount)[:len(forms)]
    by_form = dict(zip(forms, amounts))
    broken = [q for q in seed if not (q.subject in amounts and q.predicate == n(KG.amount))]
    broken += [ox.Quad(a, n(KG.amount), ox.Literal(form, datatype=decimal)) for form, a in by_form.items()]
    graph = Quads(broken)
    found = validate(graph, shapes=path)
    assert found == validate_with_pyshacl(graph, extended) == validate(graph, shapes=path, parts=3)
    assert foci(found, "test: a well-formed decimal") == {by_form[form].value for form, ill in forms.items() if ill}


def test_offsets_out_of_order_and_negative(seed, shapes):
    a, b = subjects_of_type(seed, KG.Evidence)[:2]
    integer = n(XSD.integer)
    broken = [q for q in seed if not (q.subject in (a, b) and q.predicate == n(KG.startOffset))]
    broken += [ox.Quad(a, n(KG.startOffset), ox.Literal("999999", datatype=integer)),
               ox.Quad(b, n(KG.startOffset), ox.Literal("-1", datatype=integer))]
    assert foci(both(Quads(broken), shapes), "kg:startOffset") == {a.value, b.value}


def test_shapes_sharing_a_query_are_reported_one_by_one(seed, shapes):
    # The property shapes of kg:EvidenceShape share one query (see _check_query): an
    # evidence breaking several of them at once, and one breaking a single one, each get
    # exactly the messages of the shapes they break; a second value of a shape of at most
    # one multiplies the rows of the others, which changes no count.
    from kg.graph.shacl_sparql import _MergedQuery

    assert any(isinstance(q, _MergedQuery) and len(q.messages) >= 7 for q in compile_shapes(shapes).queries)
    a, b, c = subjects_of_type(seed, KG.Evidence)[:3]
    doc = subjects_of_type(seed, KG.Document)[0]
    broken = [q for q in seed if not ((q.subject == a and q.predicate in (n(KG.endOffset), n(RDF.predicate)))
                                      or (q.subject == b and q.predicate == n(KG.evidenceText)))]
    broken += [ox.Quad(a, n(KG.evidenceText), ox.Literal("另一句")),
               ox.Quad(a, n(RDF.predicate), n(KG.mentionedIn)),
               ox.Quad(b, n(KG.evidenceText), ox.Literal("")),
               ox.Quad(c, n(KG.inDocument), subjects_of_type(seed, KG.Zone)[0]),
               ox.Quad(c, n(KG.evidenceText), ox.Literal("又一句")),
               ox.Quad(c, n(KG.inDocument), doc)]
    found = both(Quads(broken), shapes)
    assert foci(found, "exactly one kg:evidenceText") == {a.value, b.value, c.value}
    assert foci(found, "exactly one kg:endOffset") == {a.value}
    assert foci(found, "exactly one rdf:predicate") == {a.value}
    assert foci(found, "exactly one kg:inDocument") == {c.value}
    # Without a kg:endOffset, nothing bounds kg:startOffset: no violation there.
    assert foci(found, "exactly one kg:startOffset") == foci(found, "exactly one rdf:subject") == set()


def test_second_currency_outside_the_list(seed, shapes):
    amount = subjects_of_type(seed, KG.MonetaryAmount)[0]
    found = both(Quads(seed + [ox.Quad(amount, n(KG.currency), ox.Literal("USD"))]), shapes)
    assert foci(found, "kg:currency") == {amount.value}


def test_two_entity_classes(seed, shapes):
    park = subjects_of_type(seed, KG.Park)[0]
    found = both(Quads(seed + [ox.Quad(park, n(RDF.type), n(KG.Enterprise))]), shapes)
    assert park.value in foci(found, "more than one entity class")


def test_file_name_with_directory_and_bad_hash(seed, shapes):
    doc = subjects_of_type(seed, KG.Document)[0]
    broken = [q for q in seed if not (q.subject == doc and q.predicate in (n(KG.fileName), n(KG.contentHash)))]
    broken += [ox.Quad(doc, n(KG.fileName), ox.Literal("seeds/000.txt")),
               ox.Quad(doc, n(KG.contentHash), ox.Literal("ABC"))]
    found = both(Quads(broken), shapes)
    assert foci(found, "kg:fileName") == foci(found, "kg:contentHash") == {doc.value}


def test_mentioned_in_a_literal_and_by_a_non_entity(seed, shapes):
    zone, amount = subjects_of_type(seed, KG.Zone)[0], subjects_of_type(seed, KG.MonetaryAmount)[0]
    doc = subjects_of_type(seed, KG.Document)[0]
    extra = [ox.Quad(zone, n(KG.mentionedIn), ox.Literal("000.txt")),
             ox.Quad(amount, n(KG.mentionedIn), doc)]
    found = both(Quads(seed + extra), shapes)
    assert foci(found, "every kg:mentionedIn value must be an IRI") == {zone.value}
    assert foci(found, "Only entities") == {amount.value}


def test_a_triple_in_two_graphs_counts_once(seed, shapes):
    # The union of the graphs is a set of triples: a label repeated in a named graph is one label.
    zone = subjects_of_type(seed, KG.Zone)[0]
    label = next(q for q in seed if q.subject == zone and q.predicate == n(RDFS.label))
    doc = subjects_of_type(seed, KG.Document)[0]
    assert both(Quads(seed + [ox.Quad(label.subject, label.predicate, label.object, doc)]), shapes) == []


def test_subclasses_in_the_data_are_followed(seed, shapes):
    # sh:targetClass and sh:class take rdfs:subClassOf triples of the data graph into account.
    special = ox.NamedNode("https://example.org/SpecialZone")
    node = ox.NamedNode("https://example.org/zone/1")
    extra = [ox.Quad(special, n(RDFS.subClassOf), n(KG.Zone)), ox.Quad(node, n(RDF.type), special),
             ox.Quad(node, n(KG.hasPark), subjects_of_type(seed, KG.Park)[0])]
    found = both(Quads(seed + extra), shapes)
    assert node.value in foci(found, "exactly one rdfs:label")  # targeted as a Zone
    assert node.value not in foci(found, "Only a kg:Zone can kg:hasPark")  # and is one


EXTRA_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kg: <https://w3id.org/zonekg/ontology#> .
<https://example.org/ZoneCurrencyShape> a sh:NodeShape ;
    sh:targetClass kg:Zone ;
    sh:message "test: every zone is said to be in CNY" ;
    sh:property [ {constraint} ; sh:message "test: zone currency" ] .
"""


@pytest.mark.parametrize("constraint", ['sh:path kg:currency ; sh:hasValue "CNY"',
                                        "sh:path kg:currency ; sh:equals kg:amount",
                                        "sh:path ( kg:invests kg:currency ) ; sh:minCount 1"])
def test_unsupported_construct_falls_back_to_pyshacl(seed_kg, shapes, tmp_path, constraint):
    path = tmp_path / "shapes.ttl"
    path.write_text(shapes_path().read_text("utf-8") + EXTRA_SHAPE.replace("{constraint}", constraint), "utf-8")
    extended = Graph().parse(path, format="turtle")
    with pytest.raises(UnsupportedShape):
        compile_shapes(extended)
    found = validate(seed_kg, shapes=path)
    assert found == validate_with_pyshacl(seed_kg, extended)
    if "sh:hasValue" in constraint:  # no zone has a currency: every zone violates it
        assert foci(found, "test: zone currency") == {z.value for z in subjects_of_type(seed_kg.quads(), KG.Zone)}


def test_shape_without_message_falls_back(seed_kg, tmp_path):
    path = tmp_path / "shapes.ttl"
    path.write_text(shapes_path().read_text("utf-8") + """
<https://example.org/NoMessage> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <https://w3id.org/zonekg/ontology#Zone> ;
    <http://www.w3.org/ns/shacl#property> [ <http://www.w3.org/ns/shacl#path> <https://example.org/p> ;
        <http://www.w3.org/ns/shacl#minCount> 1 ] .
""", "utf-8")
    with pytest.raises(UnsupportedShape):
        compile_shapes(Graph().parse(path, format="turtle"))
    found = validate(seed_kg, shapes=path)
    zones = {z.value for z in subjects_of_type(seed_kg.quads(), KG.Zone)}
    assert {v.focus for v in found} == zones  # pyshacl's own message, at every zone


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_damage_gets_the_verdicts_of_pyshacl(seed, shapes, data):
    """Delete some triples and give others the object or the predicate of another triple:
    whatever breaks, both validators see the same violations."""
    quads = list(seed)
    k = data.draw(st.integers(1, 8), label="edits")
    for _ in range(k):
        i = data.draw(st.integers(0, len(quads) - 1), label="quad")
        edit = data.draw(st.sampled_from(["delete", "object", "predicate"]), label="edit")
        if edit == "delete":
            quads.pop(i)
            continue
        j = data.draw(st.integers(0, len(quads) - 1), label="taken from")
        q, other = quads[i], quads[j]
        if edit == "object":
            quads[i] = ox.Quad(q.subject, q.predicate, other.object, q.graph_name)
        else:
            quads[i] = ox.Quad(q.subject, other.predicate, q.object, q.graph_name)
    graph = Quads(quads)
    parts = data.draw(st.sampled_from([1, 3]), label="parts")
    assert validate(graph, parts=parts) == validate_with_pyshacl(graph, shapes)
