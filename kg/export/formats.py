"""``kg export``: the built graph in the formats other tools read.

Every exporter reads the quads of a built graph (``out/graph.trig`` by default, or a
``graph.ttl``) and writes deterministic output: rows, nodes, edges and triples are
sorted, and nothing depends on the clock or on the machine, so the same graph always
gives byte-identical files. Files are written atomically (:func:`kg.graph.output.atomic_write`):
a reader sees the previous file or the new one, never half.

Formats (see ``docs/exports.md``):

- RDF: ``turtle`` and ``ntriples`` (the merged facts: the default graph), ``nquads``
  and ``trig`` (everything, with the per-article provenance graphs), ``jsonld`` (the
  same as JSON-LD with a ``@context`` that maps the ontology to short keys);
- graphs for Gephi and friends: ``graphml`` and ``gexf`` (networkx): one node per
  entity with its label and type, one edge per relation named by the relation;
  a project's investment is an attribute of the project node;
- ``neo4j``: a directory of CSV node and relationship files with the header
  conventions of ``neo4j-admin database import``;
- ``csv``: a directory of plain tables for spreadsheet users (enterprises, projects,
  zones), UTF-8 with a byte-order mark so that Excel reads the Chinese correctly.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg.graph.namespaces import ENTITY_CLASSES, ID, KG, PREFIXES, RELATIONS

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
KG_NS = str(KG._NS)
ID_NS = str(ID)

RDF_TYPE = RDF_NS + "type"
RDFS_LABEL = RDFS_NS + "label"
SKOS_ALT = SKOS_NS + "altLabel"

FILE_FORMATS: dict[str, str] = {  # format -> file suffix
    "turtle": ".ttl",
    "ntriples": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "jsonld": ".jsonld",
    "graphml": ".graphml",
    "gexf": ".gexf",
}
DIR_FORMATS = ("neo4j", "csv")
FORMATS = (*FILE_FORMATS, *DIR_FORMATS)
# Formats that carry the per-document provenance graphs (unless provenance=False).
DATASET_FORMATS = ("nquads", "trig", "jsonld")

_CLASS_NAME = {str(v): k for k, v in ENTITY_CLASSES.items()}
_REL_NAME = {str(v): k for k, v in RELATIONS.items()}
_CONTAINED_IN = "https://schema.org/containedInPlace"


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


# --------------------------------------------------------------------------
# RDF formats


def _prefixes() -> dict[str, str]:
    p = {k: str(v) for k, v in PREFIXES.items()}
    p.update(rdf=RDF_NS, rdfs=RDFS_NS, skos=SKOS_NS, xsd=XSD_NS)
    return dict(sorted(p.items()))


def _sort_prefix_lines(data: bytes) -> bytes:
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def to_rdf(source: Source, fmt: str) -> bytes:
    """``turtle``/``ntriples``: the default graph; ``nquads``/``trig``: every quad."""
    buf = io.BytesIO()
    if fmt == "turtle":
        ox.serialize(source.default_triples, buf, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
        return _sort_prefix_lines(buf.getvalue())
    if fmt == "ntriples":
        ox.serialize(source.default_triples, buf, format=ox.RdfFormat.N_TRIPLES)
    elif fmt == "nquads":
        ox.serialize(source.quads, buf, format=ox.RdfFormat.N_QUADS)
    elif fmt == "trig":
        ox.serialize(source.quads, buf, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
        return _sort_prefix_lines(buf.getvalue())
    else:
        raise ValueError(f"not an RDF format: {fmt!r}")
    return buf.getvalue()


# --------------------------------------------------------------------------
# JSON-LD

# Short keys for the ontology. Entity IRIs are written relative to @base
# ("zone/0a1b…"), classes by their names ("Zone"), properties by short keys.
JSONLD_CONTEXT: dict = {
    "@base": ID_NS,
    "kg": KG_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "skos": SKOS_NS,
    "xsd": XSD_NS,
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "id": "@id",
    "type": "@type",
    **{name: f"kg:{name}" for name in ENTITY_CLASSES},
    "MonetaryAmount": "kg:MonetaryAmount",
    "Document": "kg:Document",
    "Evidence": "kg:Evidence",
    "label": {"@id": "rdfs:label", "@language": "zh"},
    "altLabel": {"@id": "skos:altLabel", "@language": "zh", "@container": "@set"},
    **{name: {"@id": f"kg:{name}", "@type": "@id", "@container": "@set"}
       for name in ("hosts", "hasPark", "hasChain", "hasCluster", "locatedIn", "operatedBy")},
    "invests": {"@id": "kg:invests", "@type": "@id"},
    "amount": {"@id": "kg:amount", "@type": "xsd:decimal"},
    "currency": "kg:currency",
    "mentionedIn": {"@id": "kg:mentionedIn", "@type": "@id", "@container": "@set"},
    "fileName": "kg:fileName",
    "contentHash": "kg:contentHash",
    "evidenceText": "kg:evidenceText",
    "startOffset": "kg:startOffset",
    "endOffset": "kg:endOffset",
    "inDocument": {"@id": "kg:inDocument", "@type": "@id"},
    "subject": {"@id": "rdf:subject", "@type": "@id"},
    "predicate": {"@id": "rdf:predicate", "@type": "@id"},
    "object": {"@id": "rdf:object", "@type": "@id"},
}

_JSONLD_PREFIXES = {k: v for k, v in JSONLD_CONTEXT.items()
                    if isinstance(v, str) and v.endswith(("#", "/")) and not k.startswith("@")}
# predicate IRI -> (key, definition)
_JSONLD_TERMS: dict[str, tuple[str, dict]] = {}
for _key, _value in JSONLD_CONTEXT.items():
    if _key.startswith("@") or _key in _JSONLD_PREFIXES or _key in ("id", "type") or _key[0].isupper():
        continue
    _def = {"@id": _value} if isinstance(_value, str) else dict(_value)
    _prefix, _, _local = _def["@id"].partition(":")
    _JSONLD_TERMS[_JSONLD_PREFIXES[_prefix] + _local] = (_key, _def)
_JSONLD_CLASSES = {KG_NS + k: k for k in JSONLD_CONTEXT if k[0].isupper()}
_RELATIVE_ID = re.compile(r"^[a-z]+/[A-Za-z0-9_.-]+$")
_KEY_ORDER = {"label": 0, "altLabel": 1}


def _compact_iri(iri: str, *, relative: bool) -> str:
    """An IRI as it is written in the document: relative to @base, as a compact IRI
    with one of the context's prefixes, or in full."""
    if relative and iri.startswith(ID_NS) and _RELATIVE_ID.match(iri[len(ID_NS):]):
        return iri[len(ID_NS):]
    for prefix, ns in _JSONLD_PREFIXES.items():
        if iri.startswith(ns) and iri != ns and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _node_ref(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _compact_iri(term.value, relative=True)


def _jsonld_value(term, definition: dict | None):
    """The JSON value for ``term`` under a key with ``definition`` (None: a plain IRI key)."""
    d = definition or {}
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        ref = _node_ref(term)
        return ref if d.get("@type") == "@id" else {"@id": ref}
    if not isinstance(term, ox.Literal):
        raise ExportError(f"cannot write {term} in JSON-LD")
    dt = term.datatype.value
    if term.language:
        if d.get("@language") == term.language:
            return term.value
        return {"@value": term.value, "@language": term.language}
    coerced = d.get("@type")
    if coerced and coerced != "@id" and _expand(coerced) == dt:
        return term.value
    if "@language" in d or "@type" in d:
        return {"@value": term.value} if dt == XSD_NS + "string" else {"@value": term.value, "@type": _compact_iri(dt, relative=False)}
    if dt == XSD_NS + "string":
        return term.value
    if dt == XSD_NS + "integer" and re.fullmatch(r"-?(0|[1-9][0-9]*)", term.value):
        return int(term.value)  # a native JSON integer is read back as xsd:integer
    return {"@value": term.value, "@type": _compact_iri(dt, relative=False)}


def _expand(compact: str) -> str:
    prefix, sep, local = compact.partition(":")
    if sep and prefix in _JSONLD_PREFIXES:
        return _JSONLD_PREFIXES[prefix] + local
    return compact


def _jsonld_nodes(triples: Iterable[tuple]) -> dict[str, dict]:
    """Node objects, keyed by the N-Triples form of their subject."""
    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    subjects: dict[str, object] = {}
    for s, p, o in triples:
        k = str(s)
        subjects[k] = s
        by_subject[k][p.value].append(o)
    nodes: dict[str, dict] = {}
    for k in sorted(by_subject):
        props = by_subject[k]
        node: dict = {"id": _node_ref(subjects[k])}
        types = sorted(props.pop(RDF_TYPE, []), key=str)
        if types:
            names = [_JSONLD_CLASSES.get(t.value) or _compact_iri(t.value, relative=False)
                     if isinstance(t, ox.NamedNode) else _node_ref(t) for t in types]
            node["type"] = names[0] if len(names) == 1 else names
        entries = []
        for pred, objects in props.items():
            term = _JSONLD_TERMS.get(pred)
            key, definition = term if term else (_compact_iri(pred, relative=False), None)
            values = [_jsonld_value(o, definition) for o in sorted(objects, key=str)]
            is_set = bool(definition and definition.get("@container") == "@set")
            entries.append((key, values if is_set or len(values) > 1 else values[0]))
        entries.sort(key=lambda kv: (_KEY_ORDER.get(kv[0], 2), kv[0]))
        node.update(entries)
        nodes[k] = node
    return nodes


def to_jsonld(source: Source) -> bytes:
    """One JSON-LD document: the default graph's nodes at the top level; each named
    graph (an article's provenance) as the ``@graph`` of its document's node."""
    default = _jsonld_nodes((q.subject, q.predicate, q.object) for q in source.quads[: source.default_count])
    named: dict[str, list] = defaultdict(list)
    graph_terms: dict[str, object] = {}
    for q in source.quads[source.default_count:]:
        k = str(q.graph_name)
        graph_terms[k] = q.graph_name
        named[k].append((q.subject, q.predicate, q.object))
    for k in sorted(named):
        node = default.get(k)
        if node is None:
            node = default[k] = {"id": _node_ref(graph_terms[k])}
        node["@graph"] = list(_jsonld_nodes(named[k]).values())
    doc = {"@context": JSONLD_CONTEXT, "@graph": [default[k] for k in sorted(default)]}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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
            name = _CLASS_NAME.get(q.object.value)
            if name:
                types.setdefault(q.subject.value, name)
            elif q.object.value == str(KG.Document):
                docs[q.subject.value] = Document(q.subject.value)
    entities = {iri: Entity(iri, t) for iri, t in types.items()}
    amounts: dict[str, tuple[Decimal | None, str]] = {}
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
            elif p == _CONTAINED_IN:
                e.contained_in = o.value
            elif p == str(KG.invests):
                invests[s].append(o.value)
            elif p in _REL_NAME and o.value in entities:
                relations.append((s, _REL_NAME[p], o.value))
    for project, nodes in invests.items():
        values = sorted((amount_of[n], currency_of.get(n, "")) for n in nodes if amount_of.get(n) is not None)
        if values:
            entities[project].amount, entities[project].currency = values[-1]
    for e in entities.values():
        e.alt_labels = sorted(set(e.alt_labels) - {e.label})
    relations.sort()
    return Facts(entities, relations, docs)


def _int_or_float(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def to_networkx(facts: Facts):
    """A DiGraph (MultiDiGraph if two entities have two relations): node = entity IRI with ``label``, ``type``, ``alt_labels``
    (joined with ``; ``), ``documents`` (how many articles mention it) and, for a
    project with an investment, ``amount_cny`` and ``currency``; edge = relation,
    keyed and labelled by its name (``relation``)."""
    import networkx as nx

    pairs = Counter((s, o) for s, _, o in facts.relations)
    # A plain DiGraph unless two entities have more than one relation (then keyed by relation).
    multi = any(n > 1 for n in pairs.values())
    g = nx.MultiDiGraph(name="zonekg") if multi else nx.DiGraph(name="zonekg")
    for iri in sorted(facts.entities):
        e = facts.entities[iri]
        attrs: dict = {"label": e.label, "type": e.type, "alt_labels": "; ".join(e.alt_labels),
                       "documents": len(e.documents)}
        if e.amount is not None:
            attrs["amount_cny"] = _int_or_float(e.amount)
            attrs["currency"] = e.currency or "CNY"
        g.add_node(iri, **attrs)
    for s, rel, o in facts.relations:
        if multi:
            g.add_edge(s, o, key=rel, relation=rel, label=rel)
        else:
            g.add_edge(s, o, relation=rel, label=rel)
    return g


def to_graphml(facts: Facts) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml_xml(to_networkx(facts), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def to_gexf(facts: Facts) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    g = to_networkx(facts)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    # No date of writing: the same graph gives the same file.
    meta.attrib.pop("lastmodifieddate", None)
    creator = meta.find("creator")
    if creator is not None:
        creator.text = "zonekg"
    writer.add_graph(g)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------
# CSV tables


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence], *, bom: bool, lineterminator: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


NEO4J_NODE_FILES = {  # entity type -> file name
    "Zone": "zones.csv", "Park": "parks.csv", "Enterprise": "enterprises.csv", "Project": "projects.csv",
    "IndustryChain": "chains.csv", "IndustryCluster": "clusters.csv", "Place": "places.csv",
}
NEO4J_DOCUMENTS = "documents.csv"
NEO4J_RELATIONSHIPS = "relationships.csv"
NEO4J_TYPES = {"hosts": "HOSTS", "hasPark": "HAS_PARK", "hasChain": "HAS_CHAIN", "hasCluster": "HAS_CLUSTER",
               "locatedIn": "LOCATED_IN", "operatedBy": "OPERATED_BY", "mentionedIn": "MENTIONED_IN"}
NEO4J_ARRAY_DELIMITER = ";"


def _neo4j_array(values: Iterable[str]) -> str:
    # An element never holds the delimiter: a stray ";" becomes the full-width "；".
    return NEO4J_ARRAY_DELIMITER.join(v.replace(NEO4J_ARRAY_DELIMITER, "；") for v in values)


def to_neo4j(facts: Facts) -> dict[str, bytes]:
    """CSV files for ``neo4j-admin database import full``: one node file per entity type
    (plus documents) and one relationship file. ``iri:ID`` is the node id (also stored
    as the property ``iri``), ``:LABEL`` the entity type; arrays use ``;``."""
    files: dict[str, bytes] = {}
    for type_, name in NEO4J_NODE_FILES.items():
        header = ["iri:ID", "name", "altNames:string[]", "documents:int"]
        project = type_ == "Project"
        if project:
            header += ["amount_cny:long", "currency"]
        header.append(":LABEL")
        rows = []
        for e in sorted(facts.of_type(type_), key=lambda e: e.iri):
            row = [e.iri, e.label, _neo4j_array(e.alt_labels), len(e.documents)]
            if project:
                amount = "" if e.amount is None else str(_int_or_float(e.amount))
                row += [amount, (e.currency or "CNY") if e.amount is not None else ""]
            row.append(type_)
            rows.append(row)
        files[name] = _csv_bytes(header, rows, bom=False, lineterminator="\n")
    docs = [[d.iri, d.label, d.file_name, d.content_hash, "Document"]
            for d in sorted(facts.documents.values(), key=lambda d: d.iri)]
    files[NEO4J_DOCUMENTS] = _csv_bytes(["iri:ID", "name", "fileName", "contentHash", ":LABEL"], docs,
                                        bom=False, lineterminator="\n")
    rels = [(s, o, NEO4J_TYPES[r]) for s, r, o in facts.relations]
    rels += [(e.iri, d, NEO4J_TYPES["mentionedIn"]) for e in facts.entities.values() for d in e.documents
             if d in facts.documents]
    files[NEO4J_RELATIONSHIPS] = _csv_bytes([":START_ID", ":END_ID", ":TYPE"], sorted(rels), bom=False,
                                            lineterminator="\n")
    return dict(sorted(files.items()))


def neo4j_import_command(directory: str = ".") -> str:
    """The ``neo4j-admin`` command that imports what :func:`to_neo4j` wrote into ``directory``."""
    d = directory.rstrip("/")
    nodes = " ".join(f"--nodes={d}/{n}" for n in [*NEO4J_NODE_FILES.values(), NEO4J_DOCUMENTS])
    return (f"neo4j-admin database import full {nodes} --relationships={d}/{NEO4J_RELATIONSHIPS} "
            f"--array-delimiter='{NEO4J_ARRAY_DELIMITER}' neo4j")


SPREADSHEET_FILES = ("enterprises.csv", "projects.csv", "zones.csv")
_LIST_SEP = "; "


def _names(facts: Facts, iris: Iterable[str], type_: str | None = None) -> str:
    labels = sorted({facts.label(i) for i in iris if type_ is None or facts.entities.get(i, Entity(i, "")).type == type_})
    return _LIST_SEP.join(labels)


def _yi(amount: Decimal) -> str:
    v = (amount / Decimal(100_000_000)).normalize()
    return f"{v:f}"


def _cny(amount: Decimal) -> str:
    return f"{amount.normalize():f}" if amount != amount.to_integral_value() else str(int(amount))


def _divisions_of(facts: Facts, places: Iterable[str]) -> tuple[set[str], set[str]]:
    """The province and city labels the places are or lie in (by their division codes)."""
    provinces: set[str] = set()
    cities: set[str] = set()
    for iri in places:
        seen = set()
        while iri in facts.entities and iri not in seen:
            seen.add(iri)
            e = facts.entities[iri]
            code = e.division_code
            if code.endswith("0000"):
                provinces.add(e.label)
            elif code.endswith("00"):
                cities.add(e.label)
            iri = e.contained_in
    return provinces, cities


def to_spreadsheet_csv(facts: Facts) -> dict[str, bytes]:
    """Plain tables, one row per entity, sorted by name: enterprises.csv, projects.csv
    (with the investment, zone, park and operator), zones.csv (with place and counts),
    each with the province and the city of its zones.
    UTF-8 with a byte-order mark, CRLF line ends: what Excel expects."""
    def typed(iris: Iterable[str], type_: str) -> list[str]:
        return [i for i in iris if i in facts.entities and facts.entities[i].type == type_]

    def province_city(zones: Iterable[str]) -> list[str]:
        places = [p for z in zones for p in typed(facts.out(z, "locatedIn"), "Place")]
        provinces, cities = _divisions_of(facts, places)
        return [_LIST_SEP.join(sorted(provinces)), _LIST_SEP.join(sorted(cities))]

    ent_rows = []
    for e in facts.of_type("Enterprise"):
        hosts = facts.into(e.iri, "hosts")
        ent_rows.append([e.label, _names(facts, typed(hosts, "Zone")), *province_city(typed(hosts, "Zone")),
                         _names(facts, typed(hosts, "Park")),
                         _names(facts, facts.into(e.iri, "operatedBy")), len(e.documents),
                         _LIST_SEP.join(e.alt_labels), e.iri])
    proj_rows = []
    for e in facts.of_type("Project"):
        located = facts.out(e.iri, "locatedIn")
        proj_rows.append([e.label,
                          "" if e.amount is None else _cny(e.amount),
                          "" if e.amount is None else _yi(e.amount),
                          "" if e.amount is None else (e.currency or "CNY"),
                          _names(facts, typed(located, "Zone")), *province_city(typed(located, "Zone")),
                          _names(facts, typed(located, "Park")),
                          _names(facts, facts.out(e.iri, "operatedBy")), len(e.documents),
                          _LIST_SEP.join(e.alt_labels), e.iri])
    zone_rows = []
    for z in facts.of_type("Zone"):
        projects = typed(facts.into(z.iri, "locatedIn"), "Project")
        invested = [facts.entities[p].amount for p in projects if facts.entities[p].amount is not None]
        zone_rows.append([z.label, _names(facts, typed(facts.out(z.iri, "locatedIn"), "Place")), *province_city([z.iri]),
                          len(facts.out(z.iri, "hasPark")), len(typed(facts.out(z.iri, "hosts"), "Enterprise")),
                          len(projects), len(invested), _cny(sum(invested, Decimal(0))) if invested else "0",
                          _names(facts, facts.out(z.iri, "hasChain")), _names(facts, facts.out(z.iri, "hasCluster")),
                          len(z.documents), _LIST_SEP.join(z.alt_labels), z.iri])
    kw = {"bom": True, "lineterminator": "\r\n"}
    return {
        "enterprises.csv": _csv_bytes(["name", "zones", "province", "city", "parks", "projects_operated", "documents",
                                       "other_names", "iri"],
                                      ent_rows, **kw),
        "projects.csv": _csv_bytes(["name", "amount_cny", "amount_yi", "currency", "zone", "province", "city", "park", "operator",
                                    "documents", "other_names", "iri"], proj_rows, **kw),
        "zones.csv": _csv_bytes(["name", "place", "province", "city", "parks", "enterprises", "projects", "projects_with_amount",
                                 "invested_cny", "chains", "clusters", "documents", "other_names", "iri"],
                                zone_rows, **kw),
    }


# --------------------------------------------------------------------------
# Entry point


def render(source: Source, fmt: str, *, provenance: bool = True) -> bytes | dict[str, bytes]:
    """The export as bytes (file formats) or as {file name: bytes} (neo4j, csv)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if not provenance:
        source = source.without_provenance()
    if fmt in ("turtle", "ntriples", "nquads", "trig"):
        return to_rdf(source, fmt)
    if fmt == "jsonld":
        return to_jsonld(source)
    facts = read_facts(source)
    if fmt == "graphml":
        return to_graphml(facts)
    if fmt == "gexf":
        return to_gexf(facts)
    if fmt == "neo4j":
        return to_neo4j(facts)
    return to_spreadsheet_csv(facts)


def default_output(fmt: str, graph: Path) -> Path:
    """``out/export/graph.<ext>`` for a file format, ``out/export/<format>/`` for a directory one."""
    base = Path(graph).parent / "export"
    return base / fmt if fmt in DIR_FORMATS else base / f"graph{FILE_FORMATS[fmt]}"


def describe(source: Source, fmt: str, provenance: bool = True) -> str:
    if fmt in ("turtle", "ntriples") or (fmt in DATASET_FORMATS and not provenance):
        return f"{source.default_count} triples"
    if fmt in DATASET_FORMATS:
        return f"{len(source.quads)} quads in {len(source.named_graphs) + 1} graphs"
    facts = read_facts(source)
    if fmt in ("graphml", "gexf", "neo4j"):
        return f"{len(facts.entities)} entities, {len(facts.relations)} relations"
    counts = Counter(e.type for e in facts.entities.values())
    return f"{counts['Enterprise']} enterprises, {counts['Project']} projects, {counts['Zone']} zones"


def export(source: Source, fmt: str, out: Path, *, provenance: bool = True) -> list[Path]:
    """Write the export to ``out`` (a file, or a directory for neo4j/csv), atomically
    file by file. Returns the paths written."""
    from kg.graph.output import atomic_write

    data = render(source, fmt, provenance=provenance)
    out = Path(out)
    if isinstance(data, bytes):
        if out.is_dir():
            raise ExportError(f"{out} is a directory; give a file name for --format {fmt}")
        atomic_write(out, data)
        return [out]
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a directory; --format {fmt} writes a directory of CSV files")
    paths = []
    for name, content in data.items():
        atomic_write(out / name, content)
        paths.append(out / name)
    return paths
