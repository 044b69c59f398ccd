"""Merging entities across articles.

Zones, enterprises, chains, clusters and places merge by any spelling they share;
parks and projects only within the same zone (every zone has its 电子产业园); a zone
named only by its head (商务中心区) only within its article. Each merged entity gets a
canonical label and an IRI derived from its type, scope and label, so the same input
always gives the same IRIs, whatever the order of the articles.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.extract.divisions import ancestors, divisions
from kg.extract.extraction import Entity, Extraction
from kg.extract.extractors.zones import ZONE_HEADS
from kg.extract.unionfind import UnionFind
from kg.graph.namespaces import ID

_SLUG = {"Zone": "zone", "Park": "park", "Enterprise": "enterprise", "Project": "project",
         "IndustryChain": "chain", "IndustryCluster": "cluster", "Place": "place"}
_LEGAL_ENDINGS = ("有限公司", "股份有限公司", "有限责任公司", "集团", "公司")
_ZONE_HEAD_ONLY = set(ZONE_HEADS.split("|"))
_SCOPED_BY_ZONE = ("Park", "Project")


def short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def doc_iri(extraction: Extraction) -> URIRef:
    return ID[f"doc/{extraction.sha256[:16] or short_hash(extraction.doc_id)}"]


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
    code: str = ""  # a Place's administrative division (GB/T 2260), "" when unknown


def merge(extractions: list[Extraction]) -> tuple[dict[tuple[int, str], URIRef], dict[URIRef, MergedEntity]]:
    """Assign every (article index, local entity id) a merged entity IRI.

    ``extractions`` must be in a canonical order (see :func:`build_graph`)."""
    uf: UnionFind = UnionFind()  # the smallest node represents a set: order-independent
    entity: dict[tuple[int, str], Entity] = {}
    for i, x in enumerate(extractions):
        for e in x.entities:
            entity[(i, e.local_id)] = e
            uf.find((i, e.local_id))

    # 1. Globally named types: merge on any shared spelling; a place with a division
    # code on its code alone (鼓楼区 of 南京 and 鼓楼区 of 福州 are two places).
    by_name: dict[tuple[str, str], tuple[int, str]] = {}
    for node in sorted(entity):
        e = entity[node]
        if e.type in _SCOPED_BY_ZONE:
            continue
        keys = [("Place#code", e.code)] if e.type == "Place" and e.code else \
            [("Place#name" if e.type == "Place" else e.type, n) for n in e.names]
        for key in keys:
            if e.type == "Zone" and key[1] in _ZONE_HEAD_ONLY:
                continue  # 商务中心区 alone names a different zone in every city
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
        code = entity[root].code if entity[root].type == "Place" else ""
        label = divisions()[code].name if code else _canonical_label(entity[root].type, names, votes)
        labels[root] = (entity[root].type, label, names, code)
    iris: dict[tuple[int, str], URIRef] = {}
    merged: dict[URIRef, MergedEntity] = {}
    for root, nodes in sorted(groups.items()):
        type_, label, names, code = labels[root]
        if code:
            iri = ID[f"place/{code}"]  # a division is known by its code
            merged[iri] = MergedEntity(iri, type_, label, names, code)
            for n in nodes:
                iris[n] = iri
            continue
        scope = ""
        if type_ in _SCOPED_BY_ZONE:
            zroots = sorted({uf.find(zone_of[n]) for n in nodes if n in zone_of})
            scope = labels[zroots[0]][1] if zroots else extractions[root[0]].sha256
        elif type_ == "Zone" and label in _ZONE_HEAD_ONLY:
            scope = extractions[root[0]].sha256
        iri = ID[f"{_SLUG[type_]}/{short_hash(type_, scope, label)}"]
        if iri in merged:
            # Two groups that never shared a spelling but chose the same label (their
            # merge was blocked by scope): keep them apart, deterministically.
            iri = ID[f"{_SLUG[type_]}/{short_hash(type_, scope, label, extractions[root[0]].sha256, root[1])}"]
        merged[iri] = MergedEntity(iri, type_, label, names)
        for n in nodes:
            iris[n] = iri
    # 4. The divisions the places lie in, named or not (马鞍山市 → 安徽省).
    for ent in sorted(merged.values(), key=lambda e: str(e.iri)):
        for code in ancestors(ent.code) if ent.code else ():
            iri = ID[f"place/{code}"]
            if iri not in merged:
                d = divisions()[code]
                merged[iri] = MergedEntity(iri, "Place", d.name, Counter({d.name: 1, d.short: 1}), code)
    return iris, merged
