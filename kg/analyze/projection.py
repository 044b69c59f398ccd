"""A built graph projected to networkx: one node per entity (label, type, names, the
evidence sentences that mention it), one edge per fact, and the zones each node
belongs to.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import networkx as nx
import pyoxigraph as ox

from kg.graph.namespaces import KG

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDF_TYPE = RDF_NS + "type"
CONTAINED_IN = "https://schema.org/containedInPlace"
ENTITY_TYPES = ("Zone", "Park", "Enterprise", "Project", "IndustryChain", "IndustryCluster", "Place")
RELATION_NAMES = ("hosts", "hasPark", "hasChain", "hasCluster", "locatedIn", "operatedBy")
_WS = re.compile(r"\s+")


def kg_iri(name: str) -> str:
    return str(KG[name])


def short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def squash(text: str) -> str:
    """NFKC and no whitespace: articles break lines inside words (生物 医药)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


# --------------------------------------------------------------------------
# Reading the graph


def load_quads(path: Path) -> list[ox.Quad]:
    """Every quad of a TriG, N-Quads, Turtle or N-Triples file (by extension)."""
    fmt = {
        ".trig": ox.RdfFormat.TRIG,
        ".nq": ox.RdfFormat.N_QUADS,
        ".ttl": ox.RdfFormat.TURTLE,
        ".nt": ox.RdfFormat.N_TRIPLES,
    }.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file type (expected .trig, .ttl, .nq or .nt)")
    with open(path, "rb") as fh:
        return list(ox.parse(fh, format=fmt))


@dataclass
class _Evidence:
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    text: str | None = None
    doc: str = ""
    start: int = 0


def project(quads: Iterable[ox.Quad]) -> nx.MultiDiGraph:
    """The RDF graph as a networkx multigraph with typed nodes and edges.

    Nodes are entity IRIs with ``type`` (one of :data:`ENTITY_TYPES`), ``label``,
    ``aliases``, ``docs`` (file names of the articles that mention it),
    ``amount`` (a project's investment in yuan, or None) and ``sentences``
    (evidence sentences of facts it takes part in, in document order). Edges go
    from subject to object with ``key`` and ``rel`` set to the relation name and
    ``evidence`` to one sentence that states the fact (or None).

    Entities and facts are read from the default graph (the merged facts); the
    named graphs contribute only their ``kg:Evidence`` nodes.
    """
    types = {kg_iri(t): t for t in ENTITY_TYPES}
    rels = {kg_iri(r): r for r in RELATION_NAMES}
    default: list[ox.Quad] = []
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    ev_props = {
        RDF_NS + "subject": "subject", RDF_NS + "predicate": "predicate", RDF_NS + "object": "object",
        kg_iri("evidenceText"): "text", kg_iri("inDocument"): "doc", kg_iri("startOffset"): "start",
    }
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.append(q)
        attr = ev_props.get(q.predicate.value)
        if attr is not None:
            value = q.object.value
            setattr(evidence[str(q.subject)], attr, int(value) if attr == "start" else value)

    g = nx.MultiDiGraph()
    labels: dict[str, str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    docs: dict[str, set[str]] = defaultdict(set)
    invests: dict[str, str] = {}
    amounts: dict[str, int] = {}
    doc_names: dict[str, str] = {}
    codes: dict[str, str] = {}
    parents: dict[str, str] = {}
    facts: list[tuple[str, str, str]] = []
    for q in default:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode):
            continue
        sv = s.value
        if p == RDF_TYPE and o.value in types:
            g.add_node(sv, type=types[o.value])
        elif p == RDFS_LABEL:
            labels.setdefault(sv, o.value)
            if isinstance(o, ox.Literal) and o.language == "zh":
                labels[sv] = o.value
        elif p == SKOS_ALT:
            aliases[sv].add(o.value)
        elif p == kg_iri("mentionedIn"):
            docs[sv].add(o.value)
        elif p == kg_iri("fileName"):
            doc_names[sv] = o.value
        elif p == kg_iri("invests"):
            invests[sv] = o.value
        elif p == kg_iri("amount"):
            amounts[sv] = int(Decimal(o.value))
        elif p == kg_iri("divisionCode"):
            codes[sv] = o.value
        elif p == CONTAINED_IN:
            parents[sv] = o.value
        elif p in rels and isinstance(o, ox.NamedNode):
            facts.append((sv, rels[p], o.value))

    # Evidence per fact and per node, in document order.
    by_fact: dict[tuple[str, str, str], list[_Evidence]] = defaultdict(list)
    for ev in evidence.values():
        if ev.text and ev.subject and ev.predicate in rels:
            by_fact[(ev.subject, rels[ev.predicate], ev.object or "")].append(ev)
    sentences: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for (s, _rel, o), evs in by_fact.items():
        for ev in evs:
            item = (doc_names.get(ev.doc, ev.doc), ev.start, ev.text)
            sentences[s].append(item)
            if o:
                sentences[o].append(item)

    for n, data in g.nodes(data=True):
        data["label"] = labels.get(n, n.rsplit("/", 1)[-1])
        data["aliases"] = sorted(aliases[n] - {data["label"]})
        data["docs"] = sorted(doc_names.get(d, d) for d in docs[n])
        data["amount"] = amounts.get(invests[n]) if n in invests else None
        data["sentences"] = [t for _, _, t in sorted(set(sentences[n]))]
        if data["type"] == "Place":
            data["code"] = codes.get(n, "")  # GB/T 2260; "" when the name was ambiguous
            data["parent"] = parents.get(n, "")  # the place it lies in (schema:containedInPlace)
    for s, rel, o in sorted(facts):
        if s in g and o in g:
            evs = sorted(by_fact.get((s, rel, o), []), key=lambda e: (doc_names.get(e.doc, e.doc), e.start))
            g.add_edge(s, o, key=rel, rel=rel, evidence=evs[0].text if evs else None)
    return g


def best_sentence(g: nx.MultiDiGraph, node: str) -> str | None:
    """One evidence sentence for a node: the first that spells one of its names."""
    data = g.nodes[node]
    names = [data["label"], *data.get("aliases", [])]
    sents = data.get("sentences", [])
    for s in sents:
        if any(n and n in squash(s) for n in map(squash, names)):
            return s
    return sents[0] if sents else None


def zones_of(g: nx.MultiDiGraph, node: str) -> set[str]:
    """The zones an entity belongs to.

    A zone itself; a park of the zone (hasPark); an enterprise the zone or one of
    its parks hosts, or that operates a project in it; a project located in the
    zone or in one of its parks; a chain or cluster the zone has.
    """
    t = g.nodes[node]["type"]
    if t == "Zone":
        return {node}
    out: set[str] = set()
    for pred, _, rel in g.in_edges(node, keys=True):
        ptype = g.nodes[pred]["type"]
        if ptype == "Zone" and rel in ("hosts", "hasPark", "hasChain", "hasCluster"):
            out.add(pred)
        elif ptype == "Park" and rel == "hosts":
            out |= _zones_of_park(g, pred)
        elif ptype == "Project" and rel == "operatedBy" and t == "Enterprise":
            out |= zones_of(g, pred)
    if t == "Project":
        for _, succ, rel in g.out_edges(node, keys=True):
            if rel != "locatedIn":
                continue
            stype = g.nodes[succ]["type"]
            if stype == "Zone":
                out.add(succ)
            elif stype == "Park":
                out |= _zones_of_park(g, succ)
    return out


def _zones_of_park(g: nx.MultiDiGraph, park: str) -> set[str]:
    return {z for z, _, rel in g.in_edges(park, keys=True) if rel == "hasPark" and g.nodes[z]["type"] == "Zone"}
