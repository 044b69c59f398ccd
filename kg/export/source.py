"""What every exporter reads: the quads of a built graph (``out/graph.trig`` by default,
or a ``graph.ttl``), in canonical order.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.graph.namespaces import ENTITY_CLASSES, ID, KG, RELATIONS

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
KG_NS = str(KG._NS)
ID_NS = str(ID)

RDF_TYPE = RDF_NS + "type"
RDFS_LABEL = RDFS_NS + "label"
SKOS_ALT = SKOS_NS + "altLabel"

CLASS_NAME = {str(v): k for k, v in ENTITY_CLASSES.items()}
REL_NAME = {str(v): k for k, v in RELATIONS.items()}
CONTAINED_IN = "https://schema.org/containedInPlace"


class ExportError(Exception):
    """A user-facing problem (missing or unreadable graph, unknown format); ``str()`` is the message."""


# --------------------------------------------------------------------------
# The source graph


@dataclass
class Source:
    """A built graph's quads in canonical order: default graph first, then by graph,
    subject, predicate, object (the order ``kg build`` writes)."""

    quads: list[ox.Quad]
    default_count: int
    path: Path | None = None

    @property
    def default_triples(self) -> list[ox.Triple]:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in self.quads[: self.default_count]]

    @property
    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        seen: dict = {}
        for q in self.quads[self.default_count:]:
            seen.setdefault(q.graph_name, None)
        return list(seen)

    def without_provenance(self) -> Source:
        return Source(self.quads[: self.default_count], self.default_count, self.path)


def quad_sort_key(q: ox.Quad) -> tuple:
    g = q.graph_name
    return (0 if isinstance(g, ox.DefaultGraph) else 1, str(g), str(q.subject), str(q.predicate), str(q.object))


def _rdf_format(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower()
    fmt = {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".nq": ox.RdfFormat.N_QUADS}.get(suffix)
    if fmt is None:
        raise ExportError(f"{path}: unknown graph file type {suffix or '(none)'!r}; "
                          "give a .trig, .ttl, .nt or .nq file as written by kg build")
    return fmt


def source_from_quads(quads: Iterable[ox.Quad], path: Path | None = None) -> Source:
    unique = sorted(set(quads), key=quad_sort_key)
    default_count = sum(1 for q in unique if isinstance(q.graph_name, ox.DefaultGraph))
    return Source(unique, default_count, path)


def load_source(path: str | Path) -> Source:
    """Read a built graph (``graph.trig``, ``graph.ttl``, or N-Triples/N-Quads)."""
    path = Path(path)
    if not path.exists():
        raise ExportError(f"graph file not found: {path} (run kg build first, or give --graph)")
    if not path.is_file():
        raise ExportError(f"not a file: {path}")
    fmt = _rdf_format(path)
    try:
        quads = list(ox.parse(path=str(path), format=fmt))
    except SyntaxError as exc:
        raise ExportError(f"{path}: not valid {fmt.name}: {exc}") from None
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror or exc}") from None
    if isinstance(quads[0] if quads else None, ox.Triple):
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in quads]
    return source_from_quads(quads, path)
