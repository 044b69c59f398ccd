"""From per-article extractions to one knowledge graph: its quads.

The default graph holds the merged facts (``graph.ttl``). Each article also gets a
named graph (its document IRI) with the entities and facts it states, as it spells
them, and one ``kg:Evidence`` per fact: the sentence and its character offsets. The
quads are kept in one canonical order, so the files written from them are
byte-identical for the same input.

The quads are not held in memory: :func:`build_graph` writes them, in canonical
order, as N-Triples and N-Quads lines to two files in a work directory
(:class:`GraphFiles`), which the writers, the store loader and validation read back
as streams. The canonical order (graph, subject, predicate, object, each compared by
its N-Triples form) needs no sort of the whole graph: each article's named graph is
its own, so the articles are visited in the order of their document IRIs and each
one's quads are sorted alone; only the default graph (the merged facts, about a
fifth of the quads) is sorted in memory, as tuples of small integers.
"""
from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, URIRef

from kg.extract.divisions import divisions
from kg.extract.extraction import Entity, Extraction
from kg.graph.merge import MergedEntity, doc_iri, merge, short_hash
from kg.graph.name_index import hidden_labels
from kg.graph.namespaces import ENTITY_CLASSES, ID, KG, RELATIONS, SCHEMA

DEFAULT_FILE = "default.nt"  # the default graph, sorted
NAMED_FILE = "named.nq"  # the named graphs, sorted


class GraphFiles:
    """The work directory holding a graph's quads in canonical order: ``default.nt``
    (the default graph) and ``named.nq`` (the named graphs). Removed by :meth:`remove`,
    at the latest when the process exits."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        # A hidden ".graph-*.tmp" directory: what a killed build leaves is recognised
        # (kg.graph.output.remove_stale_temporaries) and never taken for an output.
        if directory is not None:
            Path(directory).mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=".graph-", suffix=".tmp", dir=directory))
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.path), True)

    @property
    def default(self) -> Path:
        return self.path / DEFAULT_FILE

    @property
    def named(self) -> Path:
        return self.path / NAMED_FILE

    def remove(self) -> None:
        self._finalizer()


@dataclass
class KnowledgeGraph:
    """The built graph: its quads in canonical order (default graph first), the merged
    entities and the extractions it was built from.

    The quads are in ``files`` (see :class:`GraphFiles`) or, for a graph made from
    quads in memory, in ``sorted_quads``; :meth:`quads` streams them either way, as
    pyoxigraph terms. An rdflib view (:attr:`dataset`) or an in-memory Oxigraph store
    (:attr:`store`) is only made when someone asks for it.
    """

    sorted_quads: list[ox.Quad] | None
    entities: dict[URIRef, MergedEntity]
    documents: Sequence[Extraction]
    fact_counts: Counter = field(default_factory=Counter)
    default_count: int = 0
    quad_count: int | None = None
    files: GraphFiles | None = None

    def __post_init__(self) -> None:
        if self.quad_count is None:
            self.quad_count = len(self.sorted_quads or ())

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad in canonical order: the default graph's, then the named graphs'."""
        if self.files is None:
            return iter(self.sorted_quads or ())
        return itertools.chain(self.default_quads(), ox.parse(path=str(self.files.named), format=ox.RdfFormat.N_QUADS))

    def default_quads(self) -> Iterator[ox.Quad]:
        """The default graph's quads (``graph.ttl``), in canonical order."""
        if self.files is None:
            return iter((self.sorted_quads or ())[: self.default_count])
        return ox.parse(path=str(self.files.default), format=ox.RdfFormat.N_TRIPLES)

    def load_into(self, store: ox.Store) -> None:
        """Bulk-load every quad into ``store``; from the files, in Oxigraph's own code
        (no Python object per quad, and without holding the interpreter lock).

        In pieces of :data:`LOAD_CHUNK_BYTES`: Oxigraph's bulk loader holds what one
        call gives it in memory (about 700 bytes a quad), so one call for the whole
        graph would cost memory in proportion to the corpus. Parsed leniently (the
        IRIs and language tags not checked again): the files hold only terms this
        module wrote in their N-Triples form, and the check took about 40% of the
        load (729,041 quads: 9.9 s checked, 5.7 s lenient, same run)."""
        if self.files is None:
            store.bulk_extend(self.quads())
            return
        for path, fmt in ((self.files.default, ox.RdfFormat.N_TRIPLES), (self.files.named, ox.RdfFormat.N_QUADS)):
            for chunk in _line_chunks(path, LOAD_CHUNK_BYTES):
                store.bulk_load(chunk, format=fmt, lenient=True)

    def close(self) -> None:
        """Remove the work files (the graph cannot be read afterwards)."""
        if self.files is not None:
            self.files.remove()

    @cached_property
    def store(self) -> ox.Store:
        store = ox.Store()
        self.load_into(store)
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


# About 100,000 quads: the bulk loader's memory stays under 100 MB, and fewer, larger
# pieces are no faster (measured on 0.26 M quads: 16 MB pieces 6.1 s, one piece 6.4 s,
# 4 MB pieces 10.2 s).
LOAD_CHUNK_BYTES = 16 << 20


def _line_chunks(path: Path, size: int) -> Iterator[bytes]:
    """The file's bytes in pieces of about ``size``, each ending at a line's end."""
    with open(path, "rb") as fh:
        rest = b""
        while block := fh.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest


# Characters that the N-Triples form of a literal escapes (oxigraph's Display of a
# Literal): a text without them is written as it is.
_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f]')


def _literal_form(text: str, language: str | None = None, datatype: str | None = None) -> str:
    """The N-Triples form of a literal, as str() of the pyoxigraph term gives it."""
    if _ESCAPED.search(text):
        return str(ox.Literal(text, language=language, datatype=ox.NamedNode(datatype) if datatype else None))
    if language:
        return f'"{text}"@{language}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def _iri_form(iri) -> str:
    return f"<{iri}>"


class _Terms:
    """The default graph's terms, each made once and known by a small integer.

    The default graph is collected as a set of tuples of these integers: they hash at
    once, where a string hashes its whole text each time."""

    def __init__(self) -> None:
        self.ids: dict = {}  # IRI string, or ("literal", text, language, datatype) -> id
        self.forms: list[str] = []  # id -> N-Triples form

    def iri(self, iri) -> int:
        key = str(iri)
        i = self.ids.get(key)
        if i is None:
            i = self.ids[key] = len(self.forms)
            self.forms.append(_iri_form(key))
        return i

    def literal(self, text: str, *, language: str | None = None, datatype: str | None = None) -> int:
        key = ("literal", text, language, datatype)
        i = self.ids.get(key)
        if i is None:
            i = self.ids[key] = len(self.forms)
            self.forms.append(_literal_form(text, language, datatype))
        return i

    def ranks(self) -> list[int]:
        """The rank of each term in the canonical order: by its N-Triples form."""
        forms = self.forms
        rank = [0] * len(forms)
        for r, i in enumerate(sorted(range(len(forms)), key=forms.__getitem__)):
            rank[i] = r
        return rank


class _Link(NamedTuple):
    """The part of a fact that merging reads."""
    rel: str
    subject: str
    object: str | None


class _Keys(NamedTuple):
    """What merging needs of an article (:func:`kg.graph.merge.merge`): no evidence."""
    sha256: str
    doc_id: str
    entities: list[Entity]
    facts: list[_Link]
    position: int  # in the sequence given to build_graph


def build_graph(extractions: Sequence[Extraction], *, directory: str | os.PathLike | None = None) -> KnowledgeGraph:
    """The graph of ``extractions``; its quads go to a work directory made in
    ``directory`` (default: the system's temporary directory), removed by
    :meth:`KnowledgeGraph.close` or when the process exits.

    ``extractions`` is read twice, one article at a time (a sequence that unpacks its
    items on access is never held unpacked whole)."""
    # Pass 1: what merging needs, in the canonical order of the articles.
    keys: list[_Keys] = []
    invests: list[tuple[int, str, int]] = []  # (article, subject, amount)
    for pos in range(len(extractions)):
        x = extractions[pos]
        links = [_Link(f.rel, f.subject, f.object) for f in x.facts if f.rel in ("hasPark", "locatedIn")]
        keys.append(_Keys(x.sha256, x.doc_id, list(x.entities), links, pos))
        invests += [(pos, f.subject, f.amount_cny) for f in x.facts if f.rel == "invests" and f.amount_cny is not None]
    keys.sort(key=lambda k: (k.sha256, k.doc_id))
    index_of = {k.position: i for i, k in enumerate(keys)}
    iris, merged = merge(keys)

    terms = _Terms()
    iri, literal = terms.iri, terms.literal
    # Triples of the default graph as term ids; a set, as in a store.
    default: set[tuple[int, int, int]] = set()

    rdf_type, label, alt_label, hidden_label = iri(RDF.type), iri(RDFS.label), iri(SKOS.altLabel), iri(SKOS.hiddenLabel)
    division_code, contained_in = iri(KG.divisionCode), iri(SCHEMA.containedInPlace)
    mentioned_in = iri(KG.mentionedIn)
    classes = {k: iri(v) for k, v in ENTITY_CLASSES.items()}
    relations = {k: iri(v) for k, v in RELATIONS.items()}
    xsd_decimal, xsd_integer = str(XSD.decimal), str(XSD.integer)
    monetary, amount_p, currency_p = iri(KG.MonetaryAmount), iri(KG.amount), iri(KG.currency)
    cny = literal("CNY")
    document_t, file_name_p, content_hash_p = iri(KG.Document), iri(KG.fileName), iri(KG.contentHash)
    form = terms.forms  # the N-Triples forms of the terms above, for the named graphs
    evidence_t, ev_text, ev_start, ev_end, in_doc = (_iri_form(KG.Evidence), _iri_form(KG.evidenceText),
                                                     _iri_form(KG.startOffset), _iri_form(KG.endOffset),
                                                     _iri_form(KG.inDocument))
    rdf_s, rdf_p, rdf_o = _iri_form(RDF.subject), _iri_form(RDF.predicate), _iri_form(RDF.object)

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
    for pos, subject, value in invests:
        amounts[iris[(index_of[pos], subject)]][value] += 1
    del invests
    chosen = {p: max(c, key=lambda v: (c[v], v)) for p, c in amounts.items()}
    del amounts

    def amount_iri(project: URIRef, value: int) -> str:
        return str(ID[f"amount/{short_hash(str(project), str(value))}"])

    files = GraphFiles(directory)
    named_count = 0
    try:
        # Pass 2, in the order of the named graphs: each article's quads, sorted, and
        # its share of the default graph. Articles with the same document IRI (the
        # same text) share one named graph.
        doc_forms = [_iri_form(doc_iri(k)) for k in keys]  # graphs are ordered by these
        order = sorted(range(len(keys)), key=lambda i: (doc_forms[i], i))
        with open(files.named, "w", encoding="utf-8", newline="\n") as named_out:
            for _, group in itertools.groupby(order, key=doc_forms.__getitem__):
                group = list(group)
                d = iri(doc_iri(keys[group[0]]))
                d_form = form[d]
                mine: set[tuple[str, str, str]] = set()
                for i in group:
                    x = extractions[keys[i].position]
                    default.add((d, rdf_type, document_t))
                    default.add((d, label, literal(x.doc_id)))
                    default.add((d, file_name_p, literal(x.file_name)))
                    if x.sha256:
                        default.add((d, content_hash_p, literal(x.sha256)))
                    for e in x.entities:
                        ent_iri = iris[(i, e.local_id)]
                        ent = merged[ent_iri]
                        node = iri(ent_iri)
                        node_form = form[node]
                        default.add((node, mentioned_in, d))
                        mine.add((node_form, form[rdf_type], form[classes[e.type]]))
                        mine.add((node_form, form[mentioned_in], d_form))
                        for name in e.names:
                            mine.add((node_form, form[label] if name == ent.label else form[alt_label],
                                      _literal_form(name, "zh")))
                    for f in x.facts:
                        s_iri = iris[(i, f.subject)]
                        s_node = iri(s_iri)
                        s_form = form[s_node]
                        pred = relations[f.rel]
                        p_form = form[pred]
                        if f.rel == "invests":
                            o_value = amount_iri(s_iri, f.amount_cny)
                            o_form = _iri_form(o_value)
                            value_form = _literal_form(str(Decimal(f.amount_cny)), datatype=xsd_decimal)
                            mine.update(((o_form, form[rdf_type], form[monetary]), (o_form, form[amount_p], value_form),
                                         (o_form, form[currency_p], form[cny])))
                            if chosen.get(s_iri) == f.amount_cny:
                                node = iri(o_value)
                                default.update(((s_node, pred, node), (node, rdf_type, monetary),
                                                (node, amount_p, literal(str(Decimal(f.amount_cny)),
                                                                         datatype=xsd_decimal)),
                                                (node, currency_p, cny)))
                        else:
                            o_value = str(iris[(i, f.object)])
                            o_node = iri(o_value)
                            o_form = form[o_node]
                            default.add((s_node, pred, o_node))
                        mine.add((s_form, p_form, o_form))
                        ev = _iri_form(ID[f"evidence/{short_hash(x.sha256 or x.doc_id, f.rel, str(s_iri), o_value, str(f.evidence.start))}"])
                        mine.update(((ev, form[rdf_type], evidence_t), (ev, rdf_s, s_form), (ev, rdf_p, p_form),
                                     (ev, rdf_o, o_form), (ev, ev_text, _literal_form(f.evidence.text)),
                                     (ev, ev_start, _literal_form(str(f.evidence.start), datatype=xsd_integer)),
                                     (ev, ev_end, _literal_form(str(f.evidence.end), datatype=xsd_integer)),
                                     (ev, in_doc, d_form)))
                tail = f" {d_form} .\n"
                named_out.writelines(f"{s} {p} {o}{tail}" for s, p, o in sorted(mine))
                named_count += len(mine)

        fact_counts: Counter = Counter()
        rel_names = {v: k for k, v in relations.items()}
        for _, p, _ in default:
            name = rel_names.get(p)
            if name is not None:
                fact_counts[name] += 1

        # The canonical order compares terms by their N-Triples form: each term is
        # ranked once, and a triple's key is one integer whose order is that of its
        # tuple of ranks (subject, predicate, object).
        rank = terms.ranks()
        n = len(rank)
        default_sorted = sorted(default, key=lambda t: (rank[t[0]] * n + rank[t[1]]) * n + rank[t[2]])
        default_count = len(default_sorted)
        del default
        with open(files.default, "w", encoding="utf-8", newline="\n") as default_out:
            default_out.writelines(f"{form[s]} {form[p]} {form[o]} .\n" for s, p, o in default_sorted)
    except BaseException:
        files.remove()
        raise
    return KnowledgeGraph(None, merged, extractions, fact_counts, default_count, default_count + named_count, files)



def _sort_key(q: ox.Quad) -> tuple:
    """The canonical order of quads (what :func:`build_graph` sorts them by)."""
    g = q.graph_name
    return (0 if isinstance(g, ox.DefaultGraph) else 1, str(g), str(q.subject), str(q.predicate), str(q.object))
