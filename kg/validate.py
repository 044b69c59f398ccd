"""SHACL validation of a built graph against ``ontology/shapes.ttl``."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kg.ontology_files import shapes_path


@dataclass(frozen=True)
class Violation:
    focus: str
    message: str


def validate(kg) -> list[Violation]:
    """Every violation of the shapes in the union of all graphs (default and per article)."""
    import pyshacl
    from rdflib.namespace import SH

    data = Graph()
    for q in kg.quads():
        data.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    shapes = Graph().parse(shapes_path(), format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(predicate=SH.resultMessage, unique=True):
        focus = report.value(result, SH.focusNode)
        for msg in report.objects(result, SH.resultMessage):
            out.append(Violation(str(focus), str(msg)))
    return sorted(set(out), key=lambda v: (v.focus, v.message))


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
