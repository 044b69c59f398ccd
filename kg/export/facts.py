"""The graph read as plain tables: entities (label, type, names), documents and facts
(with amounts), which the graph, Neo4j and spreadsheet exporters write out.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg.export.source import (
    CLASS_NAME,
    CONTAINED_IN,
    RDF_TYPE,
    RDFS_LABEL,
    REL_NAME,
    SKOS_ALT,
    Source,
)
from kg.graph.namespaces import KG

# --------------------------------------------------------------------------
# The graph as entities and relations (for GraphML, GEXF, Neo4j and CSV)


@dataclass
class Entity:
    iri: str
    type: str
    label: str = ""
    alt_labels: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    amount: Decimal | None = None
    currency: str = ""
    division_code: str = ""  # a Place's GB/T 2260 code
    contained_in: str = ""  # the IRI of the Place it lies in (schema:containedInPlace)


@dataclass
class Document:
    iri: str
    label: str = ""
    file_name: str = ""
    content_hash: str = ""


@dataclass
class Facts:
    """The default graph read as entities (one of the seven classes), relations
    between them, documents, and each project's investment."""

    entities: dict[str, Entity]
    relations: list[tuple[str, str, str]]  # (subject IRI, relation name, object IRI), sorted
    documents: dict[str, Document]

    def out(self, iri: str, rel: str) -> list[str]:
        return self._index[0].get((iri, rel), [])

    def into(self, iri: str, rel: str) -> list[str]:
        return self._index[1].get((iri, rel), [])

    def __post_init__(self) -> None:
        fwd: dict = defaultdict(list)
        back: dict = defaultdict(list)
        for s, r, o in self.relations:
            fwd[(s, r)].append(o)
            back[(o, r)].append(s)
        self._index = (fwd, back)

    def label(self, iri: str) -> str:
        e = self.entities.get(iri)
        return e.label if e else iri

    def of_type(self, type_: str) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.type == type_), key=lambda e: (e.label, e.iri))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def read_facts(source: Source) -> Facts:
    triples = source.quads[: source.default_count]
    types: dict[str, str] = {}
    docs: dict[str, Document] = {}
    for q in triples:
        if q.predicate.value == RDF_TYPE and isinstance(q.subject, ox.NamedNode):
            name = CLASS_NAME.get(q.object.value)
            if name:
                types.setdefault(q.subject.value, name)
            elif q.object.value == str(KG.Document):
                docs[q.subject.value] = Document(q.subject.value)
    entities = {iri: Entity(iri, t) for iri, t in types.items()}
    amount_of: dict[str, Decimal] = {}
    currency_of: dict[str, str] = {}
    invests: dict[str, list[str]] = defaultdict(list)
    relations: list[tuple[str, str, str]] = []
    for q in triples:
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == str(KG.amount) and isinstance(o, ox.Literal):
            amount_of[s] = _decimal(o.value)
        elif p == str(KG.currency) and isinstance(o, ox.Literal):
            currency_of[s] = o.value
        elif s in docs:
            d = docs[s]
            if p == RDFS_LABEL:
                d.label = o.value
            elif p == str(KG.fileName):
                d.file_name = o.value
            elif p == str(KG.contentHash):
                d.content_hash = o.value
        elif s in entities:
            e = entities[s]
            if p == RDFS_LABEL and isinstance(o, ox.Literal):
                if not e.label or o.value < e.label:
                    if e.label:
                        e.alt_labels.append(e.label)
                    e.label = o.value
                else:
                    e.alt_labels.append(o.value)
            elif p == SKOS_ALT and isinstance(o, ox.Literal):
                e.alt_labels.append(o.value)
            elif p == str(KG.mentionedIn):
                e.documents.add(o.value)
            elif p == str(KG.divisionCode) and isinstance(o, ox.Literal):
                e.division_code = o.value
            elif p == CONTAINED_IN:
                e.contained_in = o.value
            elif p == str(KG.invests):
                invests[s].append(o.value)
            elif p in REL_NAME and o.value in entities:
                relations.append((s, REL_NAME[p], o.value))
    for project, nodes in invests.items():
        values = sorted((amount_of[n], currency_of.get(n, "")) for n in nodes if amount_of.get(n) is not None)
        if values:
            entities[project].amount, entities[project].currency = values[-1]
    for e in entities.values():
        e.alt_labels = sorted(set(e.alt_labels) - {e.label})
    relations.sort()
    return Facts(entities, relations, docs)


def int_or_float(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)
