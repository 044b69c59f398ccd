"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The shapes are translated into SPARQL queries on an Oxigraph store
(:mod:`kg.graph.shacl_sparql`), which gives the same results as pyshacl in a fraction of
its time; shapes the translation does not cover are run by pyshacl instead.

The graph is not loaded whole: its triples (the union of the default and the named
graphs, as pyshacl sees it) are split by subject into parts of about
:data:`PART_BYTES` of N-Triples, written to a work directory, and each part is
validated alone in a small in-memory store. A query of the translation reads only the
focus node's own triples, the ``rdf:type`` triples of its values on the paths that have
``sh:class`` and the ``rdfs:subClassOf`` triples (:mod:`kg.graph.shacl_sparql`), so a
part holds, besides its subjects' triples, the types of the values they point to and
every subclass triple; of a part's violations only those at its own subjects count.
Memory is then bounded by a part and the map of typed nodes, not by the graph.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.graph.ontology_files import shapes_path


@dataclass(frozen=True)
class Violation:
    focus: str
    message: str


# Each part's store takes about 5 times its N-Triples in memory: 32 MB (about 170,000
# triples) keep it near 150 MB, and larger parts are no faster.
PART_BYTES = 32 << 20

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


def validate(kg, *, shapes: Path | None = None, parts: int | None = None) -> list[Violation]:
    """Every violation of the shapes in the union of all graphs (default and per article).

    ``kg`` is anything with ``quads()`` (pyoxigraph quads), such as a
    :class:`kg.graph.build.KnowledgeGraph`; one whose quads are in work files (``files``)
    is read from them. ``parts``: into how many parts to split it (default: one per
    :data:`PART_BYTES` of the work files, one for a graph in memory)."""
    from kg.graph.shacl_sparql import UnsupportedShape, compile_shapes

    shapes_graph = Graph().parse(shapes or shapes_path(), format="turtle")
    try:
        plan = compile_shapes(shapes_graph)
    except UnsupportedShape:
        return validate_with_pyshacl(kg, shapes_graph)
    if parts is None:
        files = getattr(kg, "files", None)
        size = 0 if files is None else os.path.getsize(files.default) + os.path.getsize(files.named)
        parts = max(1, -(-size // PART_BYTES))
    found = _validate_in_parts(kg, plan, parts) if parts > 1 else None
    if found is None:  # one part, or blank nodes (see _split)
        found = plan.run(_store(kg))
    return sorted((Violation(f, m) for f, m in found), key=lambda v: (v.focus, v.message))


def _lines(kg) -> Iterator[str]:
    """Every triple of the union of the graphs as an N-Triples line (a triple in several
    graphs comes once per graph; the stores keep one)."""
    files = getattr(kg, "files", None)
    if files is None:
        for q in kg.quads():
            yield f"{q.subject} {q.predicate} {q.object} .\n"
        return
    with open(files.default, encoding="utf-8") as fh:
        yield from fh
    with open(files.named, encoding="utf-8") as fh:
        for line in fh:
            # "S P O G .": the graph name (an IRI or a blank node) has no space in it.
            body = line[:-3]
            yield body[:body.rindex(" ")] + " .\n"


def _validate_in_parts(kg, plan, parts: int) -> set[tuple[str, str]] | None:
    """The violations, validated part by part; None if the graph has blank nodes
    (Oxigraph renames them in every load, so parts could not be joined again)."""
    import pyoxigraph as ox

    work = getattr(kg, "files", None)
    with tempfile.TemporaryDirectory(prefix=".validate-", suffix=".tmp",
                                     dir=None if work is None else work.path) as tmp:
        paths = [Path(tmp) / f"part-{i}.nt" for i in range(parts)]
        types: dict[str, list[str]] = {}  # node -> its classes: the values' types for every part
        classes: dict[str, str] = {}  # one string per class
        subclass_lines: list[str] = []
        outs = [open(p, "w", encoding="utf-8") for p in paths]
        try:
            for line in _lines(kg):
                s, p, rest = line.split(" ", 2)
                if s[0] == "_" or rest[0] == "_":  # a blank node (an IRI starts with <, a literal with ")
                    return None
                outs[hash(s) % parts].write(line)
                if p == _RDF_TYPE:
                    c = rest[:-3]
                    types.setdefault(s, []).append(classes.setdefault(c, c))
                elif p == _SUBCLASS_OF:
                    subclass_lines.append(line)
        finally:
            for fh in outs:
                fh.close()
        subclasses = "".join(subclass_lines).encode("utf-8")
        typed_values = None
        if plan.value_type_paths:
            typed_values = (f"SELECT DISTINCT ?o WHERE {{ VALUES ?p {{ {' '.join(sorted(plan.value_type_paths))} }} "
                            "?s ?p ?o FILTER(!isLiteral(?o)) }")
        found: set[tuple[str, str]] = set()
        for i, path in enumerate(paths):
            store = ox.Store()
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
            path.unlink()
            if subclasses:
                store.bulk_load(subclasses, format=ox.RdfFormat.N_TRIPLES)
            if typed_values is not None:
                extra = []
                for row in store.query(typed_values):
                    o = str(row["o"])
                    extra += [f"{o} {_RDF_TYPE} {c} .\n" for c in types.get(o, ())]
                if extra:
                    store.bulk_load("".join(extra).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            found |= plan.run(store, keep=lambda f, i=i: hash(f) % parts == i)
            del store
        return found


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
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(t.value)  # RDF 1.1: a plain literal is an xsd:string
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise TypeError(f"unexpected term {t!r}")
