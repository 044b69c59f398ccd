"""What the graph says about one resource: the data behind ``kg serve``'s entity pages.

Every IRI the build mints under ``https://w3id.org/zonekg/id/`` (zones, enterprises,
projects, documents, evidence …) is answered by ``kg serve`` at the same path
(``/id/zone/526ed205b3a43ceb``), as Linked Data front-ends such as Pubby do: the
facts are read with SPARQL through the server's engine (local worker processes or a
remote endpoint, so a page works the same on either), and :mod:`kg.query.entity_html`
renders them.

The graph keeps the facts in the default graph and one kg:Evidence per fact in the
named graph of the document that states it (``rdf:subject`` / ``rdf:predicate`` /
``rdf:object``, the sentence and its offsets); :func:`describe` joins the two, so
each fact comes with the sentences and files it was read from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg.graph.namespaces import ID
from kg.query.library import DEFAULT_PREFIXES, RDF_NS, Param, bind
from kg.query.results import Result, serialize

ID_BASE = str(ID)
KG_NS = DEFAULT_PREFIXES["kg"]
RDF_TYPE = RDF_NS + "type"
RDFS_LABEL = DEFAULT_PREFIXES["rdfs"] + "label"
SKOS_ALT = DEFAULT_PREFIXES["skos"] + "altLabel"
EVIDENCE_PARTS = {RDF_NS + "subject", RDF_NS + "predicate", RDF_NS + "object"}
ENTITY_TYPES = ("Zone", "Park", "Enterprise", "Project", "IndustryChain", "IndustryCluster", "Place")
NAME_LIMIT = 20  # completions per request

_ENTITY = [Param("entity", "iri")]


def iri_for_path(path: str) -> str | None:
    """``/id/zone/abc`` → ``https://w3id.org/zonekg/id/zone/abc`` (None if not an IRI we could mint)."""
    if not path.startswith("/id/"):
        return None
    rest = path[len("/id/"):]
    if not rest or any(c in rest for c in '<>"{}|\\^` \t\r\n'):
        return None
    iri = ID_BASE + rest
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri


def path_for_iri(iri: str) -> str | None:
    """The server path of an IRI minted under :data:`ID_BASE`; None for any other IRI."""
    if iri.startswith(ID_BASE) and len(iri) > len(ID_BASE):
        return "/id/" + iri[len(ID_BASE):]
    return None


@dataclass
class Node:
    """The other end of a fact: an IRI with its label and type, or a literal."""

    value: str
    is_iri: bool
    label: str | None = None
    types: list[str] = field(default_factory=list)
    amount: str | None = None  # a kg:MonetaryAmount's kg:amount
    datatype: str | None = None
    lang: str | None = None

    @property
    def path(self) -> str | None:
        return path_for_iri(self.value) if self.is_iri else None


@dataclass
class Evidence:
    iri: str
    sentence: str
    file: str | None
    document: str | None
    start: int | None
    end: int | None

    @property
    def path(self) -> str | None:
        return path_for_iri(self.iri)


@dataclass
class Fact:
    """One statement about the entity: ``direction`` "out" (entity → node) or "in" (node → entity)."""

    direction: str
    predicate: str
    node: Node
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Project:
    iri: str
    label: str
    amount: Decimal | None
    operators: list[tuple[str, str]]  # (iri, label)


@dataclass
class Description:
    iri: str
    label: str | None = None
    types: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    out: list[Fact] = field(default_factory=list)
    inward: list[Fact] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)  # a zone's or park's projects, with amounts
    literals: list[tuple[str, Node]] = field(default_factory=list)  # (predicate, literal) besides names
    truncated: bool = False

    @property
    def found(self) -> bool:
        return bool(self.out or self.inward)

    @property
    def type_names(self) -> list[str]:
        return [t[len(KG_NS):] for t in self.types if t.startswith(KG_NS)]

    def facts(self, predicate: str, direction: str = "out") -> list[Fact]:
        pool = self.out if direction == "out" else self.inward
        return [f for f in pool if f.predicate == predicate]


# --------------------------------------------------------------------------
# Queries (each has the entity as ?_entity, bound as an IRI by kg.query.library.bind)

OUT_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg:   <https://w3id.org/zonekg/ontology#>
SELECT DISTINCT ?p ?o ?oLabel ?oType ?amount WHERE {
  { ?_entity ?p ?o } UNION { GRAPH ?g { ?_entity ?p ?o } }
  OPTIONAL { ?o rdfs:label ?name }
  OPTIONAL { ?o kg:fileName ?file }
  BIND(COALESCE(?file, ?name) AS ?oLabel)  # a document is called by its file
  OPTIONAL { ?o a ?oType }
  OPTIONAL { ?o kg:amount ?amount }
}
"""

# Facts pointing at the entity. Evidence that names it (rdf:subject / rdf:object) is
# left to EVIDENCE_QUERY, which attaches it to the fact it supports.
IN_QUERY = """
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s ?p ?sLabel ?sType WHERE {
  { ?s ?p ?_entity } UNION { GRAPH ?g { ?s ?p ?_entity } }
  FILTER(?p NOT IN (rdf:subject, rdf:object))
  OPTIONAL { ?s rdfs:label ?sLabel }
  OPTIONAL { ?s a ?sType }
}
"""

EVIDENCE_QUERY = """
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX kg:   <https://w3id.org/zonekg/ontology#>
SELECT DISTINCT ?ev ?s ?p ?o ?sentence ?file ?doc ?start ?end WHERE {
  {
    GRAPH ?doc { ?ev rdf:subject ?_entity ; rdf:predicate ?p ; rdf:object ?o }
    BIND(?_entity AS ?s)
  } UNION {
    GRAPH ?doc { ?ev rdf:object ?_entity ; rdf:predicate ?p ; rdf:subject ?s }
    BIND(?_entity AS ?o)
  }
  GRAPH ?doc { ?ev kg:evidenceText ?sentence . OPTIONAL { ?ev kg:startOffset ?start ; kg:endOffset ?end } }
  OPTIONAL { ?doc kg:fileName ?file }
}
ORDER BY ?file ?start ?ev
"""

PROJECTS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg:   <https://w3id.org/zonekg/ontology#>
SELECT ?project ?label ?amount ?operator ?operatorLabel WHERE {
  ?project kg:locatedIn ?_entity ; a kg:Project ; rdfs:label ?label .
  OPTIONAL { ?project kg:invests/kg:amount ?amount }
  OPTIONAL { ?project kg:operatedBy ?operator . ?operator rdfs:label ?operatorLabel }
}
ORDER BY ?label ?project
"""

CONSTRUCT_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?_entity ?p ?o . ?s ?q ?_entity . ?o rdfs:label ?oLabel . ?s rdfs:label ?sLabel . }
WHERE {
  { { ?_entity ?p ?o } UNION { GRAPH ?g { ?_entity ?p ?o } } OPTIONAL { ?o rdfs:label ?oLabel } }
  UNION
  { ?s ?q ?_entity OPTIONAL { ?s rdfs:label ?sLabel } }
}
"""

NAMES_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kg:   <https://w3id.org/zonekg/ontology#>
SELECT DISTINCT ?e ?name ?label ?type WHERE {
  { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name }
  FILTER(CONTAINS(LCASE(STR(?name)), LCASE(?_q)))
  ?e a ?type ; rdfs:label ?label .
  FILTER(?type IN (kg:Zone, kg:Park, kg:Enterprise, kg:Project, kg:IndustryChain, kg:IndustryCluster, kg:Place))
}
LIMIT 2000
"""


def _run(engine, text: str, iri: str):
    return engine.query(bind(text, {"entity": iri}, _ENTITY))


def _value(t) -> str | None:
    return None if t is None else t.value


def _node(term, label=None, type_=None, amount=None) -> Node:
    if isinstance(term, ox.Literal):
        return Node(term.value, False, datatype=term.datatype.value if term.datatype else None, lang=term.language)
    return Node(term.value, True, label=_value(label), types=[type_.value] if type_ is not None else [],
                amount=_value(amount))


def _merge(facts: dict, key, node: Node) -> Node:
    """One Node per (predicate, value): OPTIONAL rows repeat it once per label and type."""
    have = facts.get(key)
    if have is None:
        facts[key] = node
        return node
    for t in node.types:
        if t not in have.types:
            have.types.append(t)
    if have.label is None or (node.label is not None and node.label < have.label):
        have.label = node.label if node.label is not None else have.label
    have.amount = have.amount or node.amount
    return have


def _int(t) -> int | None:
    try:
        return int(t.value) if t is not None else None
    except ValueError:
        return None


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def describe(engine, iri: str) -> Description:
    """Everything the graph states about ``iri``, with the evidence of each fact."""
    d = Description(iri)
    out: dict = {}
    res = _run(engine, OUT_QUERY, iri)
    d.truncated |= res.truncated
    for p, o, o_label, o_type, amount in res.rows:
        _merge(out, (p.value, str(o)), _node(o, o_label, o_type, amount))
    inward: dict = {}
    res = _run(engine, IN_QUERY, iri)
    d.truncated |= res.truncated
    for s, p, s_label, s_type in res.rows:
        _merge(inward, (p.value, str(s)), _node(s, s_label, s_type))
    for (p, _), node in sorted(out.items(), key=lambda kv: (kv[0][0], kv[1].label or kv[1].value, kv[0][1])):
        if p == RDF_TYPE:
            d.types.append(node.value)
        elif p == RDFS_LABEL and not node.is_iri:
            d.label = node.value if d.label is None else min(d.label, node.value)
        elif p == SKOS_ALT and not node.is_iri:
            d.aliases.append(node.value)
        elif not node.is_iri:
            d.literals.append((p, node))
        else:
            d.out.append(Fact("out", p, node))
    d.inward = [Fact("in", p, node) for (p, _), node in
                sorted(inward.items(), key=lambda kv: (kv[0][0], kv[1].label or kv[1].value, kv[0][1]))]
    d.aliases.sort()
    # Evidence, attached to the fact it states.
    by_fact = {("out", f.predicate, f.node.value): f for f in d.out}
    by_fact.update({("in", f.predicate, f.node.value): f for f in d.inward})
    res = _run(engine, EVIDENCE_QUERY, iri)
    d.truncated |= res.truncated
    seen: set[tuple[str, str]] = set()
    for ev, s, p, o, sentence, file, doc, start, end in res.rows:
        key = ("out", p.value, o.value) if s.value == iri else ("in", p.value, s.value)
        fact = by_fact.get(key)
        if fact is None or (key, ev.value) in seen:
            continue
        seen.add((key, ev.value))
        fact.evidence.append(Evidence(ev.value, sentence.value, _value(file), _value(doc), _int(start), _int(end)))
    if any(t in d.types for t in (KG_NS + "Zone", KG_NS + "Park")):
        d.projects = _projects(engine, iri)
    return d


def _projects(engine, iri: str) -> list[Project]:
    res = _run(engine, PROJECTS_QUERY, iri)
    projects: dict[str, Project] = {}
    for project, label, amount, operator, operator_label in res.rows:
        p = projects.setdefault(project.value, Project(project.value, label.value, None, []))
        value = _decimal(_value(amount))
        if value is not None and (p.amount is None or value > p.amount):
            p.amount = value
        if operator is not None and (operator.value, operator_label.value) not in p.operators:
            p.operators.append((operator.value, operator_label.value))
    return sorted(projects.values(), key=lambda p: (-(p.amount or 0), p.label, p.iri))


def construct(engine, iri: str) -> Result:
    """The entity's triples (out and in) and its neighbours' labels, as a graph result."""
    return _run(engine, CONSTRUCT_QUERY, iri)


def to_jsonld(result: Result) -> bytes:
    """A CONSTRUCT result as JSON-LD, compacted with the project's prefixes."""
    from rdflib import Graph

    g = Graph()
    g.parse(data=serialize(result, "ntriples").decode("utf-8"), format="nt")
    return g.serialize(format="json-ld", context=dict(DEFAULT_PREFIXES), auto_compact=True,
                       indent=2, sort_keys=True).encode("utf-8")


@dataclass
class Name:
    iri: str
    name: str
    label: str
    type: str

    def to_dict(self) -> dict:
        return {"iri": self.iri, "path": path_for_iri(self.iri), "name": self.name, "label": self.label,
                "type": self.type}


def _norm(s: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", s).split()).lower()


def find_names(engine, q: str, limit: int = NAME_LIMIT) -> list[Name]:
    """Entities whose name or alias contains ``q``: exact match first, then prefix, then
    substring, shorter names before longer; one entry per entity (its best name)."""
    q = q.strip()
    if not q:
        return []
    res = engine.query(bind(NAMES_QUERY, {"q": q}, [Param("q", "string")]))
    nq = _norm(q)
    best: dict[str, tuple] = {}
    for e, name, label, type_ in res.rows:
        n = _norm(name.value)
        score = 0 if n == nq else 1 if n.startswith(nq) else 2
        t = type_.value[len(KG_NS):] if type_.value.startswith(KG_NS) else type_.value
        rank = (score, len(n), name.value, label.value, e.value)
        if e.value not in best or rank < best[e.value][0]:
            best[e.value] = (rank, Name(e.value, name.value, label.value, t))
    return [n for _, n in sorted(best.values(), key=lambda x: x[0])[:limit]]
