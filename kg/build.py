"""From per-article extractions to one knowledge graph.

Entities are merged across articles without regard to input order:
- zones, enterprises, chains, clusters and places by any spelling they share;
- parks and projects only within the same zone (every zone has its 电子产业园);
- a zone named only by its head (商务中心区) only within its article.
Each merged entity gets a canonical label and an IRI derived from its type, scope
and label, so the same input always gives the same IRIs.

The default graph holds the merged facts (``graph.ttl``). Each article also gets a
named graph (its document IRI) with the entities and facts it states, as it spells
them, and one ``kg:Evidence`` per fact: the sentence and its character offsets.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Literal, URIRef

from kg.extraction import Entity, Extraction
from kg.extractors.zones import ZONE_HEADS
from kg.namespaces import ENTITY_CLASSES, ID, KG, PREFIXES, RELATIONS
from kg.unionfind import UnionFind

_SLUG = {"Zone": "zone", "Park": "park", "Enterprise": "enterprise", "Project": "project",
         "IndustryChain": "chain", "IndustryCluster": "cluster", "Place": "place"}
_LEGAL_ENDINGS = ("有限公司", "股份有限公司", "有限责任公司", "集团", "公司")
_ZONE_HEAD_ONLY = set(ZONE_HEADS.split("|"))
_SCOPED_BY_ZONE = ("Park", "Project")


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def doc_iri(extraction: Extraction) -> URIRef:
    return ID[f"doc/{extraction.sha256[:16] or _hash(extraction.doc_id)}"]


def _canonical_label(type_: str, names: Counter, votes: Counter) -> str:
    """A company's legal name first; then the spelling most articles chose as canonical
    (so an OCR variant seen once never wins), then the longest."""
    def rank(n: str):
        legal = type_ == "Enterprise" and n.endswith(_LEGAL_ENDINGS)
        return (not legal, -votes[n], -len(n), -names[n], n)

    return min(names, key=rank)


@dataclass
class MergedEntity:
    iri: URIRef
    type: str
    label: str
    names: Counter = field(default_factory=Counter)


@dataclass
class KnowledgeGraph:
    dataset: Dataset
    entities: dict[URIRef, MergedEntity]
    documents: list[Extraction]

    def quads(self) -> list[ox.Quad]:
        return list(self.dataset.store._inner)  # the Oxigraph store under rdflib

    def counts(self) -> dict[str, Counter]:
        types = Counter(e.type for e in self.entities.values())
        rels: Counter = Counter()
        for q in self.dataset.store._inner.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            for name, prop in RELATIONS.items():
                if q.predicate.value == str(prop):
                    rels[name] += 1
        return {"entities": types, "facts": rels}


def merge(extractions: list[Extraction]) -> tuple[dict[tuple[int, str], URIRef], dict[URIRef, MergedEntity]]:
    """Assign every (article index, local entity id) a merged entity IRI.

    ``extractions`` must be in a canonical order (see :func:`build_graph`)."""
    uf: UnionFind = UnionFind()  # the smallest node represents a set: order-independent
    entity: dict[tuple[int, str], Entity] = {}
    for i, x in enumerate(extractions):
        for e in x.entities:
            entity[(i, e.local_id)] = e
            uf.find((i, e.local_id))

    # 1. Globally named types: merge on any shared spelling.
    by_name: dict[tuple[str, str], tuple[int, str]] = {}
    for node in sorted(entity):
        e = entity[node]
        if e.type in _SCOPED_BY_ZONE:
            continue
        for name in e.names:
            if e.type == "Zone" and name in _ZONE_HEAD_ONLY:
                continue  # 商务中心区 alone names a different zone in every city
            key = (e.type, name)
            if key in by_name:
                uf.union(node, by_name[key])
            else:
                by_name[key] = node

    # 2. Parks and projects: within the zone they belong to.
    zone_of: dict[tuple[int, str], tuple[int, str]] = {}
    for i, x in enumerate(extractions):
        for f in x.facts:
            if f.rel == "hasPark":
                zone_of.setdefault((i, f.object), uf.find((i, f.subject)))
            elif f.rel == "locatedIn" and entity[(i, f.object)].type == "Zone":
                zone_of.setdefault((i, f.subject), uf.find((i, f.object)))
    scoped: dict[tuple, tuple[int, str]] = {}
    for node in sorted(entity):
        e = entity[node]
        if e.type not in _SCOPED_BY_ZONE:
            continue
        scope = uf.find(zone_of[node]) if node in zone_of else ("doc", node[0])
        for name in e.names:
            key = (e.type, scope, name)
            if key in scoped:
                uf.union(node, scoped[key])
            else:
                scoped[key] = node

    # 3. Canonical labels and IRIs.
    groups: dict = defaultdict(list)
    for node in entity:
        groups[uf.find(node)].append(node)
    labels: dict = {}
    for root, nodes in groups.items():
        names: Counter = Counter()
        votes: Counter = Counter()
        for n in nodes:
            names.update(entity[n].names)
            votes[entity[n].names[0]] += 1  # each article's own canonical spelling
        labels[root] = (entity[root].type, _canonical_label(entity[root].type, names, votes), names)
    iris: dict[tuple[int, str], URIRef] = {}
    merged: dict[URIRef, MergedEntity] = {}
    for root, nodes in sorted(groups.items()):
        type_, label, names = labels[root]
        scope = ""
        if type_ in _SCOPED_BY_ZONE:
            zroots = sorted({uf.find(zone_of[n]) for n in nodes if n in zone_of})
            scope = labels[zroots[0]][1] if zroots else extractions[root[0]].sha256
        elif type_ == "Zone" and label in _ZONE_HEAD_ONLY:
            scope = extractions[root[0]].sha256
        iri = ID[f"{_SLUG[type_]}/{_hash(type_, scope, label)}"]
        if iri in merged:
            # Two groups that never shared a spelling but chose the same label (their
            # merge was blocked by scope): keep them apart, deterministically.
            iri = ID[f"{_SLUG[type_]}/{_hash(type_, scope, label, extractions[root[0]].sha256, root[1])}"]
        merged[iri] = MergedEntity(iri, type_, label, names)
        for n in nodes:
            iris[n] = iri
    return iris, merged


def build_graph(extractions: list[Extraction]) -> KnowledgeGraph:
    extractions = sorted(extractions, key=lambda x: (x.sha256, x.doc_id))
    iris, merged = merge(extractions)
    ds = Dataset(store="Oxigraph")
    default = ds.default_graph

    for ent in merged.values():
        default.add((ent.iri, RDF.type, ENTITY_CLASSES[ent.type]))
        default.add((ent.iri, RDFS.label, Literal(ent.label, lang="zh")))
        for name in ent.names:
            if name != ent.label:
                default.add((ent.iri, SKOS.altLabel, Literal(name, lang="zh")))

    # Amounts: the merged graph keeps, per project, the amount most articles state.
    amounts: dict[URIRef, Counter] = defaultdict(Counter)
    for i, x in enumerate(extractions):
        for f in x.facts:
            if f.rel == "invests" and f.amount_cny is not None:
                amounts[iris[(i, f.subject)]][f.amount_cny] += 1
    chosen = {p: max(c, key=lambda v: (c[v], v)) for p, c in amounts.items()}

    def amount_node(graph, project: URIRef, value: int) -> URIRef:
        node = ID[f"amount/{_hash(str(project), str(value))}"]
        graph.add((node, RDF.type, KG.MonetaryAmount))
        graph.add((node, KG.amount, Literal(Decimal(value), datatype=XSD.decimal)))
        graph.add((node, KG.currency, Literal("CNY")))
        return node

    for i, x in enumerate(extractions):
        d = doc_iri(x)
        default.add((d, RDF.type, KG.Document))
        default.add((d, RDFS.label, Literal(x.doc_id)))
        default.add((d, KG.fileName, Literal(x.file_name)))
        if x.sha256:
            default.add((d, KG.contentHash, Literal(x.sha256)))
        named = ds.graph(d)
        for e in x.entities:
            iri = iris[(i, e.local_id)]
            ent = merged[iri]
            default.add((iri, KG.mentionedIn, d))
            named.add((iri, RDF.type, ENTITY_CLASSES[e.type]))
            named.add((iri, KG.mentionedIn, d))
            for name in e.names:
                prop = RDFS.label if name == ent.label else SKOS.altLabel
                named.add((iri, prop, Literal(name, lang="zh")))
        for f in x.facts:
            s = iris[(i, f.subject)]
            pred = RELATIONS[f.rel]
            if f.rel == "invests":
                o = amount_node(named, s, f.amount_cny)
                if chosen.get(s) == f.amount_cny:
                    default.add((s, pred, amount_node(default, s, f.amount_cny)))
            else:
                o = iris[(i, f.object)]
                default.add((s, pred, o))
            named.add((s, pred, o))
            ev = ID[f"evidence/{_hash(x.sha256 or x.doc_id, f.rel, str(s), str(o), str(f.evidence.start))}"]
            named.add((ev, RDF.type, KG.Evidence))
            named.add((ev, RDF.subject, s))
            named.add((ev, RDF.predicate, pred))
            named.add((ev, RDF.object, o))
            named.add((ev, KG.evidenceText, Literal(f.evidence.text)))
            named.add((ev, KG.startOffset, Literal(f.evidence.start)))
            named.add((ev, KG.endOffset, Literal(f.evidence.end)))
            named.add((ev, KG.inDocument, d))
    return KnowledgeGraph(ds, merged, extractions)


# --- output --------------------------------------------------------------------

def _sort_key(q: ox.Quad) -> tuple:
    g = q.graph_name
    return (0 if isinstance(g, ox.DefaultGraph) else 1, str(g), str(q.subject), str(q.predicate), str(q.object))


def _prefixes() -> dict[str, str]:
    from rdflib.namespace import RDF as R, RDFS as RS, SKOS as SK, XSD as X

    p = {k: str(v) for k, v in PREFIXES.items()}
    p.update(rdf=str(R), rdfs=str(RS), skos=str(SK), xsd=str(X))
    return p


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            # mkstemp creates the file 0600; give it the mode the file being
            # replaced had, or else the one a plain open() would (0666 less umask).
            try:
                mode = os.stat(path).st_mode & 0o7777
            except OSError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """Turtle of the default graph, or TriG of everything; sorted, so byte-identical
    for the same input."""
    quads = sorted(kg.quads(), key=_sort_key)
    if fmt == "turtle":
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    elif fmt == "trig":
        data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return _sorted_prefix_header(data)


def _sorted_prefix_header(data: bytes) -> bytes:
    """The serializer writes @prefix lines in its own map's order; sort them so the
    file does not depend on it."""
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def write_outputs(kg: KnowledgeGraph, out_dir: Path) -> dict[str, Path]:
    paths = {"turtle": out_dir / "graph.ttl", "trig": out_dir / "graph.trig"}
    for fmt, path in paths.items():
        atomic_write(path, serialize(kg, fmt))
    return paths
