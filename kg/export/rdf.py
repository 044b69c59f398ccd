"""RDF exports: Turtle and N-Triples (the merged facts), N-Quads and TriG (with the
per-article provenance graphs), and JSON-LD with a ``@context`` that maps the ontology
to short keys.
"""
from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.export.source import (
    ID_NS,
    KG_NS,
    RDF_NS,
    RDF_TYPE,
    RDFS_NS,
    SKOS_NS,
    XSD_NS,
    ExportError,
    Source,
)
from kg.graph.namespaces import ENTITY_CLASSES, PREFIXES
from kg.graph.output import sort_prefix_lines

# --------------------------------------------------------------------------
# RDF formats


def _prefixes() -> dict[str, str]:
    p = {k: str(v) for k, v in PREFIXES.items()}
    p.update(rdf=RDF_NS, rdfs=RDFS_NS, skos=SKOS_NS, xsd=XSD_NS)
    return dict(sorted(p.items()))


def to_rdf(source: Source, fmt: str) -> bytes:
    """``turtle``/``ntriples``: the default graph; ``nquads``/``trig``: every quad."""
    buf = io.BytesIO()
    if fmt == "turtle":
        ox.serialize(source.default_triples, buf, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
        return sort_prefix_lines(buf.getvalue())
    if fmt == "ntriples":
        ox.serialize(source.default_triples, buf, format=ox.RdfFormat.N_TRIPLES)
    elif fmt == "nquads":
        ox.serialize(source.quads, buf, format=ox.RdfFormat.N_QUADS)
    elif fmt == "trig":
        ox.serialize(source.quads, buf, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
        return sort_prefix_lines(buf.getvalue())
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

JSONLD_PREFIXES = {k: v for k, v in JSONLD_CONTEXT.items()
                    if isinstance(v, str) and v.endswith(("#", "/")) and not k.startswith("@")}
# predicate IRI -> (key, definition)
JSONLD_TERMS: dict[str, tuple[str, dict]] = {}
for _key, _value in JSONLD_CONTEXT.items():
    if _key.startswith("@") or _key in JSONLD_PREFIXES or _key in ("id", "type") or _key[0].isupper():
        continue
    _def = {"@id": _value} if isinstance(_value, str) else dict(_value)
    _prefix, _, _local = _def["@id"].partition(":")
    JSONLD_TERMS[JSONLD_PREFIXES[_prefix] + _local] = (_key, _def)
_JSONLD_CLASSES = {KG_NS + k: k for k in JSONLD_CONTEXT if k[0].isupper()}
_RELATIVE_ID = re.compile(r"^[a-z]+/[A-Za-z0-9_.-]+$")
_KEY_ORDER = {"label": 0, "altLabel": 1}


def _compact_iri(iri: str, *, relative: bool) -> str:
    """An IRI as it is written in the document: relative to @base, as a compact IRI
    with one of the context's prefixes, or in full."""
    if relative and iri.startswith(ID_NS) and _RELATIVE_ID.match(iri[len(ID_NS):]):
        return iri[len(ID_NS):]
    for prefix, ns in JSONLD_PREFIXES.items():
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
    if sep and prefix in JSONLD_PREFIXES:
        return JSONLD_PREFIXES[prefix] + local
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
            term = JSONLD_TERMS.get(pred)
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
