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
from functools import cached_property
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, URIRef

from kg.extract.divisions import ancestors, divisions
from kg.extract.extraction import Entity, Extraction
from kg.extract.extractors.zones import ZONE_HEADS
from kg.graph.name_index import hidden_labels
from kg.graph.namespaces import ENTITY_CLASSES, ID, KG, PREFIXES, RELATIONS, SCHEMA
from kg.extract.unionfind import UnionFind

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
    code: str = ""  # a Place's administrative division (GB/T 2260), "" when unknown


@dataclass
class KnowledgeGraph:
    """The built graph: its quads in canonical order (default graph first), the merged
    entities and the extractions it was built from.

    The quads are plain pyoxigraph terms; an rdflib view (:attr:`dataset`) or an
    in-memory Oxigraph store (:attr:`store`) is only made when someone asks for it.
    """

    sorted_quads: list[ox.Quad]
    entities: dict[URIRef, MergedEntity]
    documents: list[Extraction]
    fact_counts: Counter = field(default_factory=Counter)
    default_count: int = 0

    def quads(self) -> list[ox.Quad]:
        return self.sorted_quads

    @cached_property
    def store(self) -> ox.Store:
        store = ox.Store()
        store.extend(self.sorted_quads)
        return store

    @cached_property
    def dataset(self) -> Dataset:
        from oxrdflib import OxigraphStore

        return Dataset(store=OxigraphStore(store=self.store))

    def counts(self) -> dict[str, Counter]:
        types = Counter(e.type for e in self.entities.values())
        places = Counter("without code" if not e.code else "with code"
                         for e in self.entities.values() if e.type == "Place")
        return {"entities": types, "facts": Counter(self.fact_counts), "places": places}


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
        iri = ID[f"{_SLUG[type_]}/{_hash(type_, scope, label)}"]
        if iri in merged:
            # Two groups that never shared a spelling but chose the same label (their
            # merge was blocked by scope): keep them apart, deterministically.
            iri = ID[f"{_SLUG[type_]}/{_hash(type_, scope, label, extractions[root[0]].sha256, root[1])}"]
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


class _Terms:
    """Every term of the graph, made once and known by a small integer.

    The graph is collected as sets of tuples of these integers: they hash at once,
    where a pyoxigraph term hashes its whole text (an evidence sentence) each time."""

    def __init__(self) -> None:
        self.ids: dict = {}  # IRI string, or ("literal", text, language, datatype id) -> id
        self.objs: list = []  # id -> pyoxigraph term

    def iri(self, iri) -> int:
        key = str(iri)
        i = self.ids.get(key)
        if i is None:
            i = self.ids[key] = len(self.objs)
            self.objs.append(ox.NamedNode(key))
        return i

    def literal(self, text: str, *, language: str | None = None, datatype: int | None = None) -> int:
        key = ("literal", text, language, datatype)
        i = self.ids.get(key)
        if i is None:
            i = self.ids[key] = len(self.objs)
            dt = self.objs[datatype] if datatype is not None else None
            self.objs.append(ox.Literal(text, language=language, datatype=dt))
        return i

    def ranks(self) -> list[int]:
        """The rank of each term in the canonical order: by its N-Triples form."""
        forms = [str(t) for t in self.objs]
        rank = [0] * len(forms)
        for r, i in enumerate(sorted(range(len(forms)), key=forms.__getitem__)):
            rank[i] = r
        return rank


def build_graph(extractions: list[Extraction]) -> KnowledgeGraph:
    extractions = sorted(extractions, key=lambda x: (x.sha256, x.doc_id))
    iris, merged = merge(extractions)
    terms = _Terms()
    iri, literal = terms.iri, terms.literal
    # Triples of the default graph, and quads of the named graphs, as term ids; sets, as in a store.
    default: set[tuple[int, int, int]] = set()
    named: set[tuple[int, int, int, int]] = set()

    rdf_type, label, alt_label, hidden_label = iri(RDF.type), iri(RDFS.label), iri(SKOS.altLabel), iri(SKOS.hiddenLabel)
    division_code, contained_in = iri(KG.divisionCode), iri(SCHEMA.containedInPlace)
    mentioned_in = iri(KG.mentionedIn)
    classes = {k: iri(v) for k, v in ENTITY_CLASSES.items()}
    relations = {k: iri(v) for k, v in RELATIONS.items()}
    xsd_decimal, xsd_integer = iri(XSD.decimal), iri(XSD.integer)
    monetary, amount_p, currency_p = iri(KG.MonetaryAmount), iri(KG.amount), iri(KG.currency)
    cny = literal("CNY")
    document_t, file_name_p, content_hash_p = iri(KG.Document), iri(KG.fileName), iri(KG.contentHash)
    evidence_t, ev_text, ev_start, ev_end, in_doc = (iri(KG.Evidence), iri(KG.evidenceText), iri(KG.startOffset),
                                                     iri(KG.endOffset), iri(KG.inDocument))
    rdf_s, rdf_p, rdf_o = iri(RDF.subject), iri(RDF.predicate), iri(RDF.object)

    def zh(text: str) -> int:
        return literal(text, language="zh")

    for ent in merged.values():
        e = iri(ent.iri)
        default.add((e, rdf_type, classes[ent.type]))
        default.add((e, label, zh(ent.label)))
        for name in ent.names:
            if name != ent.label:
                default.add((e, alt_label, zh(name)))
        # The name index: the usual search variants of its names (kg/graph/name_index.py).
        for name in hidden_labels(ent.type, sorted(ent.names)):
            default.add((e, hidden_label, zh(name)))
        if ent.code:
            default.add((e, division_code, literal(ent.code)))
            parent = divisions()[ent.code].parent
            if parent:
                default.add((e, contained_in, iri(ID[f"place/{parent}"])))

    # Amounts: the merged graph keeps, per project, the amount most articles state.
    amounts: dict[URIRef, Counter] = defaultdict(Counter)
    for i, x in enumerate(extractions):
        for f in x.facts:
            if f.rel == "invests" and f.amount_cny is not None:
                amounts[iris[(i, f.subject)]][f.amount_cny] += 1
    chosen = {p: max(c, key=lambda v: (c[v], v)) for p, c in amounts.items()}

    def amount_node(triples: list, project: URIRef, value: int) -> int:
        node = iri(ID[f"amount/{_hash(str(project), str(value))}"])
        triples += [(node, rdf_type, monetary), (node, amount_p, literal(str(Decimal(value)), datatype=xsd_decimal)),
                    (node, currency_p, cny)]
        return node

    for i, x in enumerate(extractions):
        d = iri(doc_iri(x))
        default.add((d, rdf_type, document_t))
        default.add((d, label, literal(x.doc_id)))
        default.add((d, file_name_p, literal(x.file_name)))
        if x.sha256:
            default.add((d, content_hash_p, literal(x.sha256)))
        # This article's named graph: its triples, made quads once at the end.
        mine: list[tuple[int, int, int]] = []
        for e in x.entities:
            ent_iri = iris[(i, e.local_id)]
            ent = merged[ent_iri]
            node = iri(ent_iri)
            default.add((node, mentioned_in, d))
            mine.append((node, rdf_type, classes[e.type]))
            mine.append((node, mentioned_in, d))
            for name in e.names:
                mine.append((node, label if name == ent.label else alt_label, zh(name)))
        for f in x.facts:
            s_iri = iris[(i, f.subject)]
            s_node = iri(s_iri)
            pred = relations[f.rel]
            if f.rel == "invests":
                o = amount_node(mine, s_iri, f.amount_cny)
                if chosen.get(s_iri) == f.amount_cny:
                    merged_amount: list = []
                    default.add((s_node, pred, amount_node(merged_amount, s_iri, f.amount_cny)))
                    default.update(merged_amount)
            else:
                o = iri(iris[(i, f.object)])
                default.add((s_node, pred, o))
            mine.append((s_node, pred, o))
            o_value = terms.objs[o].value
            ev = iri(ID[f"evidence/{_hash(x.sha256 or x.doc_id, f.rel, str(s_iri), o_value, str(f.evidence.start))}"])
            mine += [(ev, rdf_type, evidence_t), (ev, rdf_s, s_node), (ev, rdf_p, pred), (ev, rdf_o, o),
                     (ev, ev_text, literal(f.evidence.text)),
                     (ev, ev_start, literal(str(f.evidence.start), datatype=xsd_integer)),
                     (ev, ev_end, literal(str(f.evidence.end), datatype=xsd_integer)),
                     (ev, in_doc, d)]
        named.update((s_, p_, o_, d) for s_, p_, o_ in mine)

    fact_counts: Counter = Counter()
    rel_names = {v: k for k, v in relations.items()}
    for _, p, _ in default:
        name = rel_names.get(p)
        if name is not None:
            fact_counts[name] += 1

    # The canonical order compares terms by their N-Triples form: each term is ranked
    # once, and a triple's or quad's key is one integer whose order is that of its
    # tuple of ranks (graph, subject, predicate, object).
    rank = terms.ranks()
    n = len(rank)
    objs = terms.objs
    default_sorted = sorted(default, key=lambda t: (rank[t[0]] * n + rank[t[1]]) * n + rank[t[2]])
    del default
    quads = [ox.Quad(objs[s], objs[p], objs[o]) for s, p, o in default_sorted]
    default_count = len(quads)
    del default_sorted
    named_sorted = sorted(named, key=lambda q: ((rank[q[3]] * n + rank[q[0]]) * n + rank[q[1]]) * n + rank[q[2]])
    del named, rank
    quads.extend(ox.Quad(objs[s], objs[p], objs[o], objs[g]) for s, p, o, g in named_sorted)
    return KnowledgeGraph(quads, merged, extractions, fact_counts, default_count)


# --- output --------------------------------------------------------------------

def _sort_key(q: ox.Quad) -> tuple:
    """The canonical order of quads (what :func:`build_graph` sorts them by)."""
    g = q.graph_name
    return (0 if isinstance(g, ox.DefaultGraph) else 1, str(g), str(q.subject), str(q.predicate), str(q.object))


def _prefixes() -> dict[str, str]:
    from rdflib.namespace import RDF as R, RDFS as RS, SKOS as SK, XSD as X

    p = {k: str(v) for k, v in PREFIXES.items()}
    p.update(rdf=str(R), rdfs=str(RS), skos=str(SK), xsd=str(X))
    return dict(sorted(p.items()))


def _default_mode(path: Path) -> int:
    # mkstemp creates files 0600; give a file the mode the file being replaced had,
    # or else the one a plain open() would (0666 less umask).
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class atomic_output:
    """``with atomic_output(path) as fh: ...`` writes ``path`` so that readers see the
    old file or the new one, never half: the data goes to a temporary file next to
    it, which replaces ``path`` only once complete and synced. An exception (or a
    KeyboardInterrupt) inside the block removes the temporary file and leaves ``path``
    as it was; a process killed outright leaves at most a ``.NAME.*.tmp`` file, which
    the next :func:`remove_stale_temporaries` removes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            os.fchmod(fd, _default_mode(self.path))
            self.fh = os.fdopen(fd, "w+b")
        except BaseException:
            os.close(fd)
            Path(self.tmp).unlink(missing_ok=True)
            raise
        return self.fh

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.fh.flush()
                os.fsync(self.fh.fileno())
            self.fh.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
        except BaseException:
            Path(self.tmp).unlink(missing_ok=True)
            raise
        if exc_type is not None:
            Path(self.tmp).unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    with atomic_output(path) as fh:
        fh.write(data)


def remove_stale_temporaries(directory: Path) -> None:
    """Temporary files a killed build left next to its outputs."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)


def _turtle_triples(kg: KnowledgeGraph):
    for q in kg.sorted_quads[: kg.default_count]:
        yield ox.Triple(q.subject, q.predicate, q.object)


def serialize_to(kg: KnowledgeGraph, fmt: str, fh) -> None:
    """Write Turtle of the default graph, or TriG of everything, to the binary file
    ``fh`` (opened for reading and writing): sorted, so byte-identical for the same
    input, and streamed, so the text is never held in memory whole."""
    start = fh.tell()
    if fmt == "turtle":
        ox.serialize(_turtle_triples(kg), fh, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    elif fmt == "trig":
        ox.serialize(kg.sorted_quads, fh, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
    else:
        raise ValueError(f"unknown format {fmt!r}")
    # The prefix lines come first; sorting them changes no length, so they are
    # rewritten in place.
    end = fh.tell()
    fh.seek(start)
    head = fh.read(min(end - start, 1 << 16))
    lines = head.split(b"\n")
    n = 0
    while n < len(lines) - 1 and lines[n].startswith(b"@prefix "):
        n += 1
    if n:
        fh.seek(start)
        fh.write(b"\n".join(sorted(lines[:n])) + b"\n")
    fh.seek(end)


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """Turtle of the default graph, or TriG of everything, as bytes (see :func:`serialize_to`)."""
    import io

    buf = io.BytesIO()
    serialize_to(kg, fmt, buf)
    return buf.getvalue()


def _sorted_prefix_header(data: bytes) -> bytes:
    """The serializer writes @prefix lines in its own map's order; sort them so the
    file does not depend on it."""
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def write_outputs(kg: KnowledgeGraph, out_dir: Path, *, store: bool = False) -> dict[str, Path]:
    """Write ``graph.ttl`` and ``graph.trig`` (each atomically) and, with ``store``,
    the on-disk Oxigraph store ``store/`` (see :mod:`kg.graph.store`)."""
    out_dir = Path(out_dir)
    paths = {"turtle": out_dir / "graph.ttl", "trig": out_dir / "graph.trig"}
    for fmt, path in paths.items():
        with atomic_output(path) as fh:
            serialize_to(kg, fmt, fh)
    if store:
        from kg.graph.store import write_store

        paths["store"] = write_store(kg.sorted_quads, out_dir)
    return paths
