"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The shapes are translated into SPARQL queries on an Oxigraph store
(:mod:`kg.graph.shacl_sparql`), which gives the same results as pyshacl in a fraction of
its time; shapes the translation does not cover are run by pyshacl instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.graph.ontology_files import shapes_path


@dataclass(frozen=True)
class Violation:
    focus: str
    message: str


def validate(kg, *, shapes: Path | None = None) -> list[Violation]:
    """Every violation of the shapes in the union of all graphs (default and per article).

    ``kg`` is anything with ``quads()`` (pyoxigraph quads), such as a :class:`kg.graph.build.KnowledgeGraph`."""
    from kg.graph.shacl_sparql import UnsupportedShape, compile_shapes

    shapes_graph = Graph().parse(shapes or shapes_path(), format="turtle")
    try:
        plan = compile_shapes(shapes_graph)
    except UnsupportedShape:
        return validate_with_pyshacl(kg, shapes_graph)
    found = plan.run(_store(kg))
    return sorted((Violation(f, m) for f, m in found), key=lambda v: (v.focus, v.message))


def validate_with_pyshacl(kg, shapes_graph: Graph) -> list[Violation]:
    """What pyshacl reports for the graph: the reference the SPARQL translation must equal."""
    import pyshacl
    from rdflib.namespace import SH

    data = Graph()
    for q in kg.quads():
        data.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(predicate=SH.resultMessage, unique=True):
        focus = report.value(result, SH.focusNode)
        for msg in report.objects(result, SH.resultMessage):
            out.append(Violation(str(focus), str(msg)))
    return sorted(set(out), key=lambda v: (v.focus, v.message))


def _store(kg):
    """The union of the graphs as one set of triples, as pyshacl sees it: the queries then
    need no union over the named graphs (faster), and the store is freed afterwards."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in kg.quads())
    return store


def _term(t):
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(t.value)  # RDF 1.1: a plain literal is an xsd:string
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise TypeError(f"unexpected term {t!r}")
