"""From per-article extractions to one knowledge graph: its quads.

The default graph holds the merged facts (``graph.ttl``). Each article also gets a
named graph (its document IRI) with the entities and facts it states, as it spells
them, and one ``kg:Evidence`` per fact: the sentence and its character offsets. The
quads are kept in one canonical order, so the files written from them are
byte-identical for the same input.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, URIRef

from kg.extract.divisions import divisions
from kg.extract.extraction import Extraction
from kg.graph.merge import MergedEntity, doc_iri, merge, short_hash
from kg.graph.name_index import hidden_labels
from kg.graph.namespaces import ENTITY_CLASSES, ID, KG, RELATIONS, SCHEMA


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
        node = iri(ID[f"amount/{short_hash(str(project), str(value))}"])
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
            ev = iri(ID[f"evidence/{short_hash(x.sha256 or x.doc_id, f.rel, str(s_iri), o_value, str(f.evidence.start))}"])
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
    del named
    quads.extend(ox.Quad(objs[s], objs[p], objs[o], objs[g]) for s, p, o, g in named_sorted)
    return KnowledgeGraph(quads, merged, extractions, fact_counts, default_count)



def _sort_key(q: ox.Quad) -> tuple:
    """The canonical order of quads (what :func:`build_graph` sorts them by)."""
    g = q.graph_name
    return (0 if isinstance(g, ox.DefaultGraph) else 1, str(g), str(q.subject), str(q.predicate), str(q.object))
