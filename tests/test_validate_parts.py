"""Validation in parts (kg/graph/validate.py) against pyshacl on the whole graph.

kg build validates a large graph part by part, each part holding the triples of some
subjects (from every graph), the types of the nodes they point to and the subclass
triples. These tests give graphs broken so that the break shows only when triples of
different graphs or of different subjects are seen together, read from work files as
kg build's are, and split into several parts: the verdicts must be pyshacl's.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, XSD

from kg.extract.extraction import extract_article
from kg.graph.build import build_graph
from kg.graph.namespaces import KG
from kg.graph.ontology_files import shapes_path
from kg.graph.validate import validate, validate_with_pyshacl

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


class FileGraph:
    """A graph in work files laid out as kg.graph.build.GraphFiles: default.nt and named.nq."""

    def __init__(self, quads, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        default, named = directory / "default.nt", directory / "named.nq"
        quads = list(quads)
        default.write_text("".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads
                                   if isinstance(q.graph_name, ox.DefaultGraph)), "utf-8")
        named.write_text("".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads
                                 if not isinstance(q.graph_name, ox.DefaultGraph)), "utf-8")
        self.files = SimpleNamespace(default=default, named=named, path=directory)

    def quads(self):
        yield from ox.parse(path=str(self.files.default), format=ox.RdfFormat.N_TRIPLES)
        yield from ox.parse(path=str(self.files.named), format=ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def seed_kg():
    xs = []
    for f in sorted(SEEDS.glob("*.txt")):
        raw = f.read_bytes()
        xs.append(extract_article(f.stem, raw.decode("utf-8"), f.name, hashlib.sha256(raw).hexdigest()))
    kg = build_graph(xs)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def seed(seed_kg) -> list[ox.Quad]:
    return list(seed_kg.quads())


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


def n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def typed(quads, cls, graph=None) -> list[ox.NamedNode]:
    return sorted({q.subject for q in quads if q.predicate == n(RDF.type) and q.object == n(cls)
                   and (graph is None or q.graph_name == graph)}, key=str)


def named_graphs(quads) -> list:
    return sorted({q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}, key=str)


def verdicts(quads, shapes, tmp_path) -> list:
    """The violations in 1, 3 and 8 parts, and in 8 parts validated by 2 worker processes
    (as kg build -j 2 does), read from work files; asserted equal to pyshacl's."""
    graph = FileGraph(quads, tmp_path / "work")
    expected = validate_with_pyshacl(graph, shapes)
    for parts in (1, 3, 8):
        assert validate(graph, parts=parts) == expected, f"{parts} parts"
    assert validate(graph, parts=8, processes=2) == expected, "8 parts, 2 processes"
    return expected


def foci(violations, message_part: str) -> set[str]:
    return {v.focus for v in violations if message_part in v.message}


def test_the_seed_build_conforms_in_parts(seed_kg, shapes):
    # The KnowledgeGraph itself, read from its own work files as kg build does.
    assert seed_kg.files is not None
    assert validate(seed_kg, parts=4) == [] == validate_with_pyshacl(seed_kg, shapes)


def test_the_parts_are_many_for_a_large_graph(seed_kg, monkeypatch):
    # By default a graph is split by the size of its work files: here into 5 parts or more.
    import kg.graph.validate as v

    size = seed_kg.files.default.stat().st_size + seed_kg.files.named.stat().st_size
    monkeypatch.setattr(v, "PART_BYTES", size // 5)
    made = []
    real = v._validate_in_parts
    monkeypatch.setattr(v, "_validate_in_parts", lambda kg, plan, parts, processes=1: made.append(parts) or real(kg, plan, parts, processes))
    assert validate(seed_kg) == []
    assert made and made[0] >= 5


def test_two_classes_in_two_articles(seed, shapes, tmp_path):
    # A zone typed Zone in one article's graph, Enterprise in another's: only the union has two classes.
    zone = typed(seed, KG.Zone)[0]
    other = next(g for g in named_graphs(seed) if not any(q.subject == zone and q.graph_name == g for q in seed))
    found = verdicts(seed + [ox.Quad(zone, n(RDF.type), n(KG.Enterprise), other)], shapes, tmp_path)
    assert zone.value in foci(found, "more than one entity class")


def test_second_label_in_another_article(seed, shapes, tmp_path):
    park = typed(seed, KG.Park)[0]
    graph = named_graphs(seed)[-1]
    found = verdicts(seed + [ox.Quad(park, n(RDFS.label), ox.Literal("别的园区", language="zh"), graph)], shapes, tmp_path)
    assert foci(found, "exactly one rdfs:label") == {park.value}


def test_missing_label(seed, shapes, tmp_path):
    # Removed from every graph: the default graph's label and each article's spelling.
    zone = typed(seed, KG.Zone)[0]
    broken = [q for q in seed if not (q.subject == zone and q.predicate == n(RDFS.label))]
    assert foci(verdicts(broken, shapes, tmp_path), "exactly one rdfs:label") == {zone.value}


def test_wrong_datatype_of_an_amount(seed, shapes, tmp_path):
    amount = typed(seed, KG.MonetaryAmount)[0]
    broken = [q for q in seed if not (q.subject == amount and q.predicate == n(KG.amount))]
    broken += [ox.Quad(amount, n(KG.amount), ox.Literal("150", datatype=n(XSD.integer)))]
    assert foci(verdicts(broken, shapes, tmp_path), "exactly one kg:amount") == {amount.value}


def test_fact_pointing_at_an_untyped_node(seed, shapes, tmp_path):
    zone = typed(seed, KG.Zone)[0]
    nobody = ox.NamedNode("https://w3id.org/zonekg/id/enterprise/nobody")
    graph = named_graphs(seed)[0]
    found = verdicts(seed + [ox.Quad(zone, n(KG.hosts), nobody, graph)], shapes, tmp_path)
    assert foci(found, "kg:hosts must point to a kg:Enterprise") == {zone.value}


def test_value_typed_only_in_an_article_graph(seed, shapes, tmp_path):
    # An enterprise's class removed from the default graph, where the kg:hosts facts are:
    # the articles' graphs still type it, so the union conforms (the type is found across graphs).
    hosted = {q.object for q in seed if q.predicate == n(KG.hosts) and isinstance(q.graph_name, ox.DefaultGraph)}
    enterprise = next(e for e in typed(seed, KG.Enterprise, ox.DefaultGraph()) if e in hosted)
    broken = [q for q in seed if not (q.subject == enterprise and q.predicate == n(RDF.type)
                                      and isinstance(q.graph_name, ox.DefaultGraph))]
    assert verdicts(broken, shapes, tmp_path) == []
    # Without the articles' types as well, every kg:hosts of it is reported.
    broken = [q for q in broken if not (q.subject == enterprise and q.predicate == n(RDF.type))]
    hosts = {q.subject.value for q in seed if q.predicate == n(KG.hosts) and q.object == enterprise}
    found = verdicts(broken, shapes, tmp_path)
    assert foci(found, "kg:hosts must point to a kg:Enterprise") == hosts


def test_evidence_in_a_document_typed_nowhere(seed, shapes, tmp_path):
    # Evidence lives in an article's graph, its document's class in the default graph.
    doc = typed(seed, KG.Document)[0]
    broken = [q for q in seed if not (q.subject == doc and q.predicate == n(RDF.type))]
    evidence = {q.subject.value for q in seed if q.predicate == n(KG.inDocument) and q.object == doc}
    found = verdicts(broken, shapes, tmp_path)
    assert evidence and foci(found, "exactly one kg:inDocument") == evidence


def test_subclass_triple_in_another_part(seed, shapes, tmp_path):
    # The subclass triple's subject (the class) and the zone fall into different parts
    # in some split: every part gets the subclass triples.
    special = ox.NamedNode("https://example.org/SpecialZone")
    node = ox.NamedNode("https://example.org/zone/1")
    graph = named_graphs(seed)[0]
    extra = [ox.Quad(special, n(RDFS.subClassOf), n(KG.Zone)), ox.Quad(node, n(RDF.type), special, graph),
             ox.Quad(node, n(KG.hasPark), typed(seed, KG.Park)[0], graph)]
    found = verdicts(seed + extra, shapes, tmp_path)
    assert node.value in foci(found, "exactly one rdfs:label")
    assert node.value not in foci(found, "Only a kg:Zone can kg:hasPark")


def test_value_of_a_subclass_typed_in_another_part(seed, shapes, tmp_path):
    # A park typed only by a subclass of kg:Park, the zone that has it elsewhere: sh:class
    # on the zone's kg:hasPark follows the subclass triple beside the copied type.
    special = ox.NamedNode("https://example.org/SpecialPark")
    park = ox.NamedNode("https://example.org/park/1")
    zone = typed(seed, KG.Zone)[0]
    graph = named_graphs(seed)[0]
    extra = [ox.Quad(special, n(RDFS.subClassOf), n(KG.Park)), ox.Quad(park, n(RDF.type), special, graph),
             ox.Quad(zone, n(KG.hasPark), park, graph)]
    found = verdicts(seed + extra, shapes, tmp_path)
    assert zone.value not in foci(found, "kg:hasPark must point to a kg:Park")
    assert park.value in foci(found, "exactly one rdfs:label")  # targeted as a Park
    # Without the subclass triple the park is no kg:Park, in whichever part it is.
    found = verdicts([q for q in seed + extra if q.predicate != n(RDFS.subClassOf)], shapes, tmp_path / "2")
    assert zone.value in foci(found, "kg:hasPark must point to a kg:Park")


def test_a_part_makes_focus_nodes_of_its_own_subjects_only(seed, shapes, tmp_path):
    # The types a part copies for its values (from other parts) must not make those values
    # focus nodes there, where their own triples are missing: every violation a part's
    # store holds, before its own subjects are kept, is at one of its subjects.
    from kg.graph.shacl_sparql import compile_shapes
    from kg.graph.validate import _part_store, _split, part_of

    zones = typed(seed, KG.Zone)
    broken = [q for q in seed if not (q.subject in set(zones) and q.predicate == n(RDFS.label))]
    graph = FileGraph(broken, tmp_path / "work")
    plan = compile_shapes(shapes)
    parts = 4
    paths = [tmp_path / f"part-{i}.nq" for i in range(parts)]
    subclasses = _split(graph, plan, paths)
    everywhere = set()
    for i, path in enumerate(paths):
        foci_of_part = {focus for focus, _ in plan.run(_part_store(str(path), subclasses))}
        assert {f for f in foci_of_part if part_of(f"<{f}>", parts) != i} == set(), f"part {i}"
        everywhere |= foci_of_part
    assert everywhere == {z.value for z in zones}


def test_at_most_two_part_stores_at_once(seed, shapes, tmp_path, monkeypatch):
    # The next part loads while this one is queried: never more than two stores alive,
    # every part loaded once, and the verdicts those of pyshacl.
    import kg.graph.validate as v

    alive, peak, loaded = [0], [0], []

    class Counted:
        def __init__(self, store) -> None:
            self.store = store
            alive[0] += 1
            peak[0] = max(peak[0], alive[0])

        def query(self, *args, **kwargs):
            return self.store.query(*args, **kwargs)

        def __del__(self) -> None:
            alive[0] -= 1

    real = v._part_store
    monkeypatch.setattr(v, "_part_store", lambda path, subclasses: loaded.append(path) or Counted(real(path, subclasses)))
    zones = typed(seed, KG.Zone)
    broken = [q for q in seed if not (q.subject in set(zones[:4]) and q.predicate == n(RDFS.label))]
    graph = FileGraph(broken, tmp_path / "work")
    assert validate(graph, parts=6) == validate_with_pyshacl(graph, shapes) != []
    assert len(loaded) == len(set(loaded)) == 6
    assert peak[0] == 2


def test_blank_nodes_are_validated_whole(seed, shapes, tmp_path):
    # Oxigraph renames blank nodes in every load, so a graph with some is not split.
    blank = ox.BlankNode("b1")
    zone = typed(seed, KG.Zone)[0]
    found = verdicts(seed + [ox.Quad(blank, n(KG.hasPark), typed(seed, KG.Park)[0]),
                             ox.Quad(zone, n(KG.hosts), blank)], shapes, tmp_path)
    assert foci(found, "Only a kg:Zone can kg:hasPark") == {blank.value}
    assert foci(found, "kg:hosts must point to a kg:Enterprise") == {zone.value}


def test_workers_report_what_this_process_does(seed, tmp_path):
    # A graph broken in several ways, its violations spread over the parts: the same
    # list, in the same order, from 1, 2 and 3 processes (a worker keeps the focus nodes
    # of its own part, which it must compute as the parent split them).
    zones, parks = typed(seed, KG.Zone), typed(seed, KG.Park)
    label = n(RDFS.label)
    broken = [q for q in seed if not (q.predicate == label and q.subject in set(zones[:3]))]
    broken += [ox.Quad(p, label, ox.Literal(f"别名{i}", language="zh"), named_graphs(seed)[i])
               for i, p in enumerate(parks[:3])]
    graph = FileGraph(broken, tmp_path / "work")
    alone = validate(graph, parts=6)
    assert len(alone) >= 6
    for processes in (2, 3):
        assert validate(graph, parts=6, processes=processes) == alone, f"{processes} processes"


def test_part_of_is_the_same_in_every_process():
    # Not hash(), which Python randomises per process: the split and a worker's part test agree.
    import subprocess
    import sys

    from kg.graph.validate import part_of

    subjects = [f"<https://w3id.org/zonekg/id/zone/{i}>" for i in range(50)]
    code = ("import sys; from kg.graph.validate import part_of; "
            "print([part_of(s, 7) for s in sys.argv[1:]])")
    out = subprocess.run([sys.executable, "-c", code, *subjects], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str([part_of(s, 7) for s in subjects])
    assert len({part_of(s, 7) for s in subjects}) == 7
