"""Industrial-chain clusters and the measures users ask for, from a built graph.

``kg analyze`` reads ``out/graph.trig`` (or ``graph.ttl``), projects it to
networkx, assigns every enterprise, park, project, chain and named cluster an
industry, finds communities with Louvain (fixed seed) and names each one by its
dominant industry. It then measures, per zone, what each cluster holds
(enterprises, projects, investment), the most central enterprises, what bridges
zones, and how alike the zones' chains are. Results go to ``out/analysis.ttl``
(RDF with the ``kg:ChainCluster`` terms, loadable next to ``graph.trig``) and
``out/analysis.json``; :func:`render` prints them as tables.

How industries and clusters are decided is written up in ``docs/analysis.md``;
the short version is in :func:`assign_industries` and :func:`cluster_graph`.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Iterable

import networkx as nx
import pyoxigraph as ox

from kg.graph.namespaces import ID, KG

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDF_TYPE = RDF_NS + "type"
CONTAINED_IN = "https://schema.org/containedInPlace"

SEED = 42  # Louvain's random seed: the same graph gives the same clusters.
ENTITY_TYPES = ("Zone", "Park", "Enterprise", "Project", "IndustryChain", "IndustryCluster", "Place")
CLUSTERED_TYPES = ("Enterprise", "Park", "Project", "IndustryChain", "IndustryCluster")
RELATION_NAMES = ("hosts", "hasPark", "hasChain", "hasCluster", "locatedIn", "operatedBy")
# Relations in the cluster graph (among CLUSTERED_TYPES only) and in the
# centrality graph (CLUSTERED_TYPES plus zones; places would tie every zone of a
# city together, which says nothing about industry).
CENTRALITY_TYPES = ("Zone",) + CLUSTERED_TYPES
OTHER = "其他"  # name of a cluster none of whose members has an industry
BETWEENNESS_EXACT_LIMIT = 2000  # above this many nodes, betweenness is sampled ...
BETWEENNESS_SAMPLE = 200  # ... from this many seeded source nodes
TOP_N = 10

_CHAIN_SUFFIXES = ("产业链", "产业集群", "集群", "产业园区", "产业园", "产业基地", "产业")
_CLAUSE_SPLIT = re.compile(r"[，,；;。！!？?：:、（）()“”\"]")
_WS = re.compile(r"\s+")


def _kg(name: str) -> str:
    return str(KG[name])


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _squash(text: str) -> str:
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
    types = {_kg(t): t for t in ENTITY_TYPES}
    rels = {_kg(r): r for r in RELATION_NAMES}
    default: list[ox.Quad] = []
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    ev_props = {
        RDF_NS + "subject": "subject", RDF_NS + "predicate": "predicate", RDF_NS + "object": "object",
        _kg("evidenceText"): "text", _kg("inDocument"): "doc", _kg("startOffset"): "start",
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
        elif p == _kg("mentionedIn"):
            docs[sv].add(o.value)
        elif p == _kg("fileName"):
            doc_names[sv] = o.value
        elif p == _kg("invests"):
            invests[sv] = o.value
        elif p == _kg("amount"):
            amounts[sv] = int(Decimal(o.value))
        elif p == _kg("divisionCode"):
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
        if any(n and n in _squash(s) for n in map(_squash, names)):
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


# --------------------------------------------------------------------------
# Industries


class Lexicon:
    """Keyword → industry (``kg/resources/industries.tsv``)."""

    def __init__(self, entries: Iterable[tuple[str, str]]):
        self.entries = sorted({(_squash(k), v) for k, v in entries if k}, key=lambda kv: (-len(kv[0]), kv[0]))
        self.industries = sorted({v for _, v in self.entries})

    @classmethod
    def parse(cls, text: str) -> Lexicon:
        entries = []
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(f"industries.tsv line {n}: expected 'keyword<TAB>industry', got {line!r}")
            entries.append((parts[0].strip(), parts[1].strip()))
        return cls(entries)

    def match(self, name: str) -> str | None:
        """The industry of the keyword that starts earliest in ``name`` (longest on ties)."""
        text = _squash(name)
        best: tuple[int, int, str] | None = None
        for kw, industry in self.entries:
            pos = text.find(kw)
            if pos >= 0 and (best is None or (pos, -len(kw)) < best[:2]):
                best = (pos, -len(kw), industry)
        return best[2] if best else None


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    text = resources.files("kg.resources").joinpath("industries.tsv").read_text(encoding="utf-8")
    return Lexicon.parse(text)


def chain_core(label: str) -> str:
    """电力装备产业链 → 电力装备; 生物医药产业集群 → 生物医药."""
    core = _squash(label)
    changed = True
    while changed:
        changed = False
        for suffix in _CHAIN_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                changed = True
    return core


def chain_industry(label: str, lexicon: Lexicon) -> str:
    """A chain's or named cluster's industry: its core through the lexicon, else the core."""
    core = chain_core(label)
    return lexicon.match(core) or core


@dataclass(frozen=True)
class Assignment:
    industry: str
    basis: str  # "name", "park", "text", "project", "operator"


def _most_common(values: Iterable[str]) -> str | None:
    c = Counter(values)
    if not c:
        return None
    return min(c, key=lambda v: (-c[v], v))


def assign_industries(g: nx.MultiDiGraph, lexicon: Lexicon | None = None) -> dict[str, Assignment]:
    """Give every chain, named cluster, park, project and enterprise an industry, if any signal says one.

    - IndustryChain / IndustryCluster: its name without 产业链/产业集群, through the lexicon
      (电力电子电气装备制造 → 电力装备), else the bare core (智能装备).
    - Park: its name — first the chains and clusters of its zone (智能装备产业园 → 智能装备),
      then the lexicon.
    - Project: its name as for a park; else the park it is located in; else its operator's name.
    - Enterprise, from the text first: the park that hosts it or hosts one of its projects;
      else the clause (the sentence cut at punctuation) of a sentence stating one of its facts
      that names exactly one of its zone's chains or clusters; then its name; then its
      projects (the most common industry among them); last, a clause naming it with
      exactly one lexicon keyword outside its own name (肉类企业双汇集团 → 食品).
    Candidates tied within one rule go to the most common, then the first in Unicode order.
    """
    lexicon = lexicon or default_lexicon()
    out: dict[str, Assignment] = {}
    typed = defaultdict(list)
    for n, d in g.nodes(data=True):
        typed[d["type"]].append(n)
    for t in typed:
        typed[t].sort()

    # Chains and named clusters; and per zone, the (core, industry) pairs they give.
    zone_cores: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n in typed["IndustryChain"] + typed["IndustryCluster"]:
        label = g.nodes[n]["label"]
        ind = chain_industry(label, lexicon)
        out[n] = Assignment(ind, "name")
        for z in zones_of(g, n):
            for core in {chain_core(label), ind}:
                if len(core) >= 2:
                    zone_cores[z].append((core, ind))
    for z in zone_cores:
        zone_cores[z] = sorted(set(zone_cores[z]), key=lambda ci: (-len(ci[0]), ci))

    def by_name(node: str) -> str | None:
        names = [g.nodes[node]["label"], *g.nodes[node].get("aliases", [])]
        cores = sorted({ci for z in zones_of(g, node) for ci in zone_cores.get(z, [])},
                       key=lambda ci: (-len(ci[0]), ci))
        for name in names:
            text = _squash(name)
            hits = [(text.find(c), -len(c), ind) for c, ind in cores if c in text]
            if hits:
                return min(hits)[2]
            ind = lexicon.match(text)
            if ind:
                return ind
        return None

    for n in typed["Park"]:
        ind = by_name(n)
        if ind:
            out[n] = Assignment(ind, "name")

    def parks_of_project(p: str) -> list[str]:
        return [o for _, o, rel in g.out_edges(p, keys=True) if rel == "locatedIn" and g.nodes[o]["type"] == "Park"]

    def operators(p: str) -> list[str]:
        return [o for _, o, rel in g.out_edges(p, keys=True) if rel == "operatedBy"]

    for n in typed["Project"]:
        ind = by_name(n)
        if ind:
            out[n] = Assignment(ind, "name")
            continue
        ind = _most_common(out[k].industry for k in parks_of_project(n) if k in out)
        if ind:
            out[n] = Assignment(ind, "park")
            continue
        ind = _most_common(filter(None, (lexicon.match(g.nodes[e]["label"]) for e in operators(n))))
        if ind:
            out[n] = Assignment(ind, "operator")

    for n in typed["Enterprise"]:
        projects = [p for p, _, rel in g.in_edges(n, keys=True) if rel == "operatedBy"]
        parks = [k for k, _, rel in g.in_edges(n, keys=True) if rel == "hosts" and g.nodes[k]["type"] == "Park"]
        parks += [k for p in projects for k in parks_of_project(p)]
        ind = _most_common(out[k].industry for k in parks if k in out)
        if ind:
            out[n] = Assignment(ind, "park")
            continue
        ind = _text_industry(g, n, sorted({ci for z in zones_of(g, n) for ci in zone_cores.get(z, [])}))
        if ind:
            out[n] = Assignment(ind, "text")
            continue
        ind = by_name(n)
        if ind:
            out[n] = Assignment(ind, "name")
            continue
        ind = _most_common(out[p].industry for p in projects if p in out and out[p].basis != "operator")
        if ind:
            out[n] = Assignment(ind, "project")
            continue
        ind = _text_industry(g, n, [], lexicon)
        if ind:
            out[n] = Assignment(ind, "text")
    return out


def _text_industry(g: nx.MultiDiGraph, node: str, cores: list[tuple[str, str]],
                   lexicon: Lexicon | None = None) -> str | None:
    """The one industry the clauses naming ``node`` speak of.

    The clauses are the evidence sentences of its facts cut at punctuation; only those
    that contain one of its names count. With ``cores`` (chain/cluster names of its
    zones and their industries), those are looked for; with a ``lexicon``, its
    keywords, after the entity's own names are masked (世界最大的肉类企业双汇集团 → 食品).
    A clause naming two industries counts for neither.
    """
    names = sorted({_squash(x) for x in [g.nodes[node]["label"], *g.nodes[node].get("aliases", [])] if x},
                   key=lambda x: (-len(x), x))
    if not names or not (cores or lexicon):
        return None
    found: list[str] = []
    for sentence in g.nodes[node].get("sentences", []):
        for clause in _CLAUSE_SPLIT.split(_squash(sentence)):
            if not any(name in clause for name in names):
                continue
            inds = set()
            if lexicon is not None:
                for name in names:
                    clause = clause.replace(name, "\0")
                for kw, ind in lexicon.entries:  # longest first
                    if kw in clause:
                        inds.add(ind)
                        clause = clause.replace(kw, "\0")
            else:
                # Longest names first, each masked once found: 电力电子电气装备制造产业集群
                # does not also count as 装备制造.
                for core, ind in sorted(cores, key=lambda ci: (-len(ci[0]), ci)):
                    if core in clause:
                        inds.add(ind)
                        clause = clause.replace(core, "\0" * len(core))
            if len(inds) == 1:
                found.append(inds.pop())
    return _most_common(found)


# --------------------------------------------------------------------------
# Clusters


def hub(industry: str) -> str:
    return f"industry:{industry}"


def cluster_graph(g: nx.MultiDiGraph, assignment: dict[str, Assignment]) -> nx.Graph:
    """The weighted undirected graph Louvain runs on.

    Nodes: enterprises, parks, projects, chains and named clusters that have an
    industry or a relation to another such node, plus one hub node per industry
    (``industry:电梯``, ``type="Industry"``). Edges, weight 1 each:
    - the relations among them: park hosts enterprise, project located in park,
      project operated by enterprise;
    - a chain or named cluster to the hub of its industry;
    - any other entity with an industry to the chains and named clusters of its
      zones that share that industry, or, where its zones have none, to the hub.
    Hubs join the same industry across zones, so a cluster can span zones.
    """
    h = nx.Graph()
    chains_by_zone_ind: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        if d["type"] in ("IndustryChain", "IndustryCluster") and n in assignment:
            for z in zones_of(g, n):
                chains_by_zone_ind[(z, assignment[n].industry)].append(n)

    def add(n: str) -> None:
        if n not in h:
            h.add_node(n, type=g.nodes[n]["type"])

    for n in sorted(g.nodes):
        d = g.nodes[n]
        if d["type"] not in CLUSTERED_TYPES:
            continue
        for _, o, rel in sorted(g.out_edges(n, keys=True)):
            if g.nodes[o]["type"] in CLUSTERED_TYPES and rel in ("hosts", "locatedIn", "operatedBy"):
                add(n)
                add(o)
                h.add_edge(n, o, weight=h.get_edge_data(n, o, {"weight": 0})["weight"] + 1)
        if n not in assignment:
            continue
        add(n)
        ind = assignment[n].industry
        if d["type"] in ("IndustryChain", "IndustryCluster"):
            targets = [hub(ind)]
        else:
            targets = sorted({c for z in zones_of(g, n) for c in chains_by_zone_ind.get((z, ind), [])}) or [hub(ind)]
        for t in targets:
            if t.startswith("industry:") and t not in h:
                h.add_node(t, type="Industry", industry=t.split(":", 1)[1])
            h.add_edge(n, t, weight=1)
    return h


@dataclass
class Cluster:
    iri: str
    label: str
    industry: str | None
    members: list[str]
    chains: list[str] = field(default_factory=list)  # labels of the IndustryChain/IndustryCluster members
    zones: list[str] = field(default_factory=list)
    color_index: int = 0


def find_clusters(g: nx.MultiDiGraph, assignment: dict[str, Assignment], seed: int = SEED) -> list[Cluster]:
    """Louvain communities of :func:`cluster_graph`, named by their dominant industry.

    A community's industry is the one most of its members are assigned to (ties:
    the one a chain or named cluster in the community has, then Unicode order).
    Louvain may cut one industry in pieces (a zone's chain with its enterprises,
    and another zone's enterprises of that industry linked to it only through the
    industry hub); communities with the same dominant industry are one cluster, so
    there is one cluster per industry and it can span zones. A community none of
    whose members has an industry is a cluster of its own, named
    其他（its best-connected member）. Clusters are listed largest first.
    """
    h = cluster_graph(g, assignment)
    if h.number_of_nodes() == 0:
        return []
    communities = nx.community.louvain_communities(h, weight="weight", seed=seed)
    groups: dict[tuple, list[str]] = {}
    for com in communities:
        members = sorted(n for n in com if not n.startswith("industry:"))
        if not members:
            continue
        inds = Counter(assignment[m].industry for m in members if m in assignment)
        chain_inds = {assignment[m].industry for m in members
                      if m in assignment and g.nodes[m]["type"] in ("IndustryChain", "IndustryCluster")}
        if inds:
            key: tuple = ("industry", min(inds, key=lambda v: (-inds[v], v not in chain_inds, v)))
        else:
            key = ("other", members[0])
        groups.setdefault(key, []).extend(members)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    clusters: list[Cluster] = []
    used: Counter = Counter()
    for i, ((kind, value), members) in enumerate(ordered):
        members = sorted(members)
        if kind == "industry":
            industry, label = value, value
        else:
            industry = None
            top = max(members, key=lambda m: (g.degree(m), g.nodes[m]["label"]))
            label = f"{OTHER}（{g.nodes[top]['label']}）"
        used[label] += 1
        if used[label] > 1:
            label = f"{label}（{used[label]}）"
        chains = sorted(g.nodes[m]["label"] for m in members if g.nodes[m]["type"] in ("IndustryChain", "IndustryCluster"))
        zones = sorted({z for m in members for z in zones_of(g, m)}, key=lambda z: (g.nodes[z]["label"], z))
        iri = str(ID[f"chaincluster/{_hash('ChainCluster', label, members[0])}"])
        clusters.append(Cluster(iri, label, industry, members, chains, zones, i))
    return clusters


# --------------------------------------------------------------------------
# Measures


def centrality_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph of the relations among zones, parks, enterprises,
    projects, chains and named clusters (no places, no industry hubs)."""
    c = nx.Graph()
    for n in sorted(g.nodes):
        if g.nodes[n]["type"] in CENTRALITY_TYPES:
            c.add_node(n)
    for s, o, _rel in g.edges(keys=True):
        if s in c and o in c and s != o:
            c.add_edge(s, o)
    return c


def centrality(g: nx.MultiDiGraph, seed: int = SEED) -> dict[str, dict[str, float]]:
    """Degree (neighbour count and normalised) and betweenness (normalised) per node.

    Betweenness is exact up to :data:`BETWEENNESS_EXACT_LIMIT` nodes and estimated
    from a seeded sample of :data:`BETWEENNESS_SAMPLE` sources above that (about 3 s
    for 5,000 entities; enough to rank the top enterprises).
    """
    c = centrality_graph(g)
    if c.number_of_nodes() == 0:
        return {}
    n = c.number_of_nodes()
    k = None if n <= BETWEENNESS_EXACT_LIMIT else BETWEENNESS_SAMPLE
    btw = nx.betweenness_centrality(c, k=k, normalized=True, seed=seed)
    dc = nx.degree_centrality(c) if n > 1 else {x: 0.0 for x in c}
    return {x: {"degree": c.degree(x), "degree_centrality": dc[x], "betweenness": btw[x]} for x in c}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass
class Analysis:
    graph: nx.MultiDiGraph
    assignment: dict[str, Assignment]
    clusters: list[Cluster]
    centrality: dict[str, dict[str, float]]
    source: str = ""

    # Derived views, filled by __post_init__.
    cluster_of: dict[str, Cluster] = field(default_factory=dict)
    zones: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cluster_of = {m: c for c in self.clusters for m in c.members}
        self.zones = {n: zones_of(self.graph, n) for n in self.graph.nodes}

    # -- helpers -------------------------------------------------------------
    def label(self, n: str) -> str:
        return self.graph.nodes[n]["label"]

    def type(self, n: str) -> str:
        return self.graph.nodes[n]["type"]

    def nodes_of(self, type_: str) -> list[str]:
        return sorted(n for n, d in self.graph.nodes(data=True) if d["type"] == type_)

    def zone_list(self) -> list[str]:
        return sorted(self.nodes_of("Zone"), key=lambda z: (self.label(z), z))

    def zone_industries(self, zone: str) -> set[str]:
        """Industries of a zone: of its chains and named clusters and of every member entity."""
        return {self.assignment[n].industry for n, zs in self.zones.items()
                if zone in zs and n in self.assignment}

    # -- the report ----------------------------------------------------------
    def per_zone(self) -> list[dict]:
        out = []
        for z in self.zone_list():
            rows: dict[str, dict] = {}
            unclassified = Counter()
            for n, zs in sorted(self.zones.items()):
                if z not in zs or n == z:
                    continue
                t = self.type(n)
                if t not in CLUSTERED_TYPES:
                    continue
                c = self.cluster_of.get(n)
                if c is None:
                    unclassified[t] += 1
                    continue
                row = rows.setdefault(c.iri, {"cluster": c.iri, "label": c.label, "enterprises": 0, "projects": 0,
                                              "parks": 0, "chains": 0, "investment_cny": 0, "projects_with_amount": 0})
                key = {"Enterprise": "enterprises", "Project": "projects", "Park": "parks"}.get(t, "chains")
                row[key] += 1
                if t == "Project" and self.graph.nodes[n].get("amount") is not None:
                    row["investment_cny"] += self.graph.nodes[n]["amount"]
                    row["projects_with_amount"] += 1
            clusters = sorted(rows.values(), key=lambda r: (-(r["enterprises"] + r["projects"] + r["parks"] + r["chains"]),
                                                             -r["investment_cny"], r["label"]))
            out.append({
                "zone": z, "label": self.label(z),
                "enterprises": sum(1 for n, zs in self.zones.items() if z in zs and self.type(n) == "Enterprise"),
                "projects": sum(1 for n, zs in self.zones.items() if z in zs and self.type(n) == "Project"),
                "investment_cny": sum(self.graph.nodes[n].get("amount") or 0 for n, zs in self.zones.items()
                                      if z in zs and self.type(n) == "Project"),
                "clusters": clusters,
                "unclassified": dict(sorted(unclassified.items())),
            })
        return out

    def provinces_of(self, zone: str) -> list[str]:
        """The provinces a zone lies in: the divisions (code ….0000) at or above its places."""
        out = set()
        for _, place, rel in self.graph.out_edges(zone, keys=True):
            seen = set()
            while place in self.graph and place not in seen and self.type(place) == "Place":
                seen.add(place)
                if self.graph.nodes[place].get("code", "").endswith("0000"):
                    out.add(place)
                place = self.graph.nodes[place].get("parent", "")
        return sorted(out)

    def per_province(self) -> list[dict]:
        """Zones, enterprises, projects, announced investment and the largest clusters
        per province (a zone with no known province under "–")."""
        rows: dict[str, dict] = {}
        members: dict[str, dict[str, set[str]]] = {}
        for z in self.zone_list():
            for prov in self.provinces_of(z) or [""]:
                row = rows.setdefault(prov, {"province": prov, "label": self.label(prov) if prov else "–",
                                             "zones": 0, "enterprises": 0, "projects": 0, "investment_cny": 0,
                                             "clusters": []})
                row["zones"] += 1
                m = members.setdefault(prov, {"Enterprise": set(), "Project": set()})
                for n, zs in self.zones.items():
                    if z in zs and self.type(n) in m:
                        m[self.type(n)].add(n)
        for prov, row in rows.items():
            m = members[prov]
            row["enterprises"], row["projects"] = len(m["Enterprise"]), len(m["Project"])
            row["investment_cny"] = sum(self.graph.nodes[p].get("amount") or 0 for p in m["Project"])
            held = Counter(self.cluster_of[n].label for kind in m.values() for n in kind if n in self.cluster_of)
            row["clusters"] = [label for label, _ in sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
        return sorted(rows.values(), key=lambda r: (r["province"] == "", -r["zones"], -r["investment_cny"], r["label"]))

    def central_enterprises(self, n: int = TOP_N) -> dict[str, list[dict]]:
        ents = [e for e in self.nodes_of("Enterprise") if e in self.centrality]

        def row(e: str) -> dict:
            c = self.cluster_of.get(e)
            return {"enterprise": e, "label": self.label(e), "degree": self.centrality[e]["degree"],
                    "degree_centrality": round(self.centrality[e]["degree_centrality"], 6),
                    "betweenness": round(self.centrality[e]["betweenness"], 6),
                    "cluster": c.label if c else None,
                    "zones": [self.label(z) for z in sorted(self.zones[e], key=self.label)]}

        by_degree = sorted(ents, key=lambda e: (-self.centrality[e]["degree"], -self.centrality[e]["betweenness"], self.label(e), e))
        by_btw = sorted(ents, key=lambda e: (-self.centrality[e]["betweenness"], -self.centrality[e]["degree"], self.label(e), e))
        return {"by_degree": [row(e) for e in by_degree[:n]], "by_betweenness": [row(e) for e in by_btw[:n]]}

    def bridges(self) -> dict[str, list[dict]]:
        def zl(zs: Iterable[str]) -> list[str]:
            return sorted(self.label(z) for z in zs)

        enterprises = [
            {"enterprise": e, "label": self.label(e), "zones": zl(self.zones[e]),
             "cluster": self.cluster_of[e].label if e in self.cluster_of else None}
            for e in self.nodes_of("Enterprise") if len(self.zones[e]) > 1
        ]
        chains = [
            {"chain": c, "label": self.label(c), "type": self.type(c), "zones": zl(self.zones[c])}
            for c in self.nodes_of("IndustryChain") + self.nodes_of("IndustryCluster") if len(self.zones[c]) > 1
        ]
        clusters = []
        for c in self.clusters:
            if len(c.zones) < 2:
                continue
            counts = Counter(z for m in c.members for z in self.zones[m])
            clusters.append({"cluster": c.iri, "label": c.label,
                             "zones": [{"zone": self.label(z), "members": counts[z]} for z in sorted(c.zones, key=self.label)]})
        key = lambda r: (-len(r["zones"]), r["label"])  # noqa: E731
        return {"enterprises": sorted(enterprises, key=key), "chains": sorted(chains, key=key),
                "clusters": sorted(clusters, key=key)}

    def zone_similarity(self) -> list[dict]:
        inds = {z: self.zone_industries(z) for z in self.zone_list()}
        pairs = []
        for a, b in combinations(self.zone_list(), 2):
            if not (inds[a] | inds[b]):
                continue
            pairs.append({"a": self.label(a), "b": self.label(b), "jaccard": round(jaccard(inds[a], inds[b]), 6),
                          "shared": sorted(inds[a] & inds[b]), "zone_a": a, "zone_b": b})
        pairs.sort(key=lambda p: (-p["jaccard"], -len(p["shared"]), p["a"], p["b"]))
        return pairs

    def cluster_rows(self) -> list[dict]:
        rows = []
        for c in self.clusters:
            by_type = Counter(self.type(m) for m in c.members)
            inv = sum(self.graph.nodes[m].get("amount") or 0 for m in c.members if self.type(m) == "Project")
            rows.append({
                "cluster": c.iri, "label": c.label, "industry": c.industry, "size": len(c.members),
                "members_by_type": {t: by_type[t] for t in CLUSTERED_TYPES if by_type[t]},
                "chains": c.chains, "zones": [self.label(z) for z in c.zones], "investment_cny": inv,
                "members": [{"iri": m, "label": self.label(m), "type": self.type(m)} for m in
                            sorted(c.members, key=lambda m: (CLUSTERED_TYPES.index(self.type(m)), self.label(m), m))],
            })
        return rows

    def report(self) -> dict:
        types = Counter(d["type"] for _, d in self.graph.nodes(data=True))
        rels = Counter(r for _, _, r in self.graph.edges(keys=True))
        assigned = [
            {"iri": n, "label": self.label(n), "type": self.type(n), "industry": a.industry, "basis": a.basis}
            for n, a in sorted(self.assignment.items(), key=lambda kv: (self.type(kv[0]), self.label(kv[0]), kv[0]))
        ]
        return {
            "source": self.source,
            "seed": SEED,
            "graph": {"nodes": dict(sorted(types.items())), "edges": dict(sorted(rels.items()))},
            "industries": {
                "assigned": len(self.assignment),
                "by_basis": dict(sorted(Counter(a.basis for a in self.assignment.values()).items())),
                "unassigned": sum(1 for n, d in self.graph.nodes(data=True)
                                  if d["type"] in CLUSTERED_TYPES and n not in self.assignment),
                "assignments": assigned,
            },
            "clusters": self.cluster_rows(),
            "zones": self.per_zone(),
            "provinces": self.per_province(),
            "central_enterprises": self.central_enterprises(),
            "bridges": self.bridges(),
            "zone_similarity": [{k: v for k, v in p.items() if k not in ("zone_a", "zone_b")} for p in self.zone_similarity()],
        }

    # -- RDF -----------------------------------------------------------------
    def triples(self) -> list[ox.Triple]:
        def nn(x: str) -> ox.NamedNode:
            return ox.NamedNode(x)

        zh = lambda s: ox.Literal(s, language="zh")  # noqa: E731
        rdf_type, label = nn(RDF_TYPE), nn(RDFS_LABEL)
        out: list[ox.Triple] = []
        industries = sorted({a.industry for a in self.assignment.values()})
        ind_iri = {i: nn(str(ID[f"industry/{_hash('Industry', i)}"])) for i in industries}
        for i, iri in ind_iri.items():
            out += [ox.Triple(iri, rdf_type, nn(_kg("Industry"))), ox.Triple(iri, label, zh(i))]
        for c in self.clusters:
            ci = nn(c.iri)
            out += [ox.Triple(ci, rdf_type, nn(_kg("ChainCluster"))), ox.Triple(ci, label, zh(c.label))]
            if c.industry:
                out.append(ox.Triple(ci, nn(_kg("clusterIndustry")), ind_iri[c.industry]))
            for z in c.zones:
                out.append(ox.Triple(ci, nn(_kg("spansZone")), nn(z)))
            for m in c.members:
                out.append(ox.Triple(nn(m), nn(_kg("memberOf")), ci))
        for n, a in self.assignment.items():
            out.append(ox.Triple(nn(n), nn(_kg("inIndustry")), ind_iri[a.industry]))
        return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    def turtle(self) -> bytes:
        prefixes = {"rdf": RDF_NS, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "kg": str(KG._NS)}
        for kind in ("chaincluster", "industry", "zone", "park", "enterprise", "project", "chain", "cluster"):
            prefixes[kind] = f"{ID}{kind}/"
        body = ox.serialize(self.triples(), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        # The serializer writes @prefix lines in its own hash map's order: sort them.
        lines = body.split(b"\n")
        n = 0
        while n < len(lines) and lines[n].startswith(b"@prefix "):
            n += 1
        body = b"\n".join(sorted(lines[:n]) + lines[n:])
        header = ("# zonekg analysis: industrial-chain clusters (kg:ChainCluster) and industries (kg:Industry)\n"
                  "# computed by `kg analyze`; load next to graph.trig or graph.ttl. See docs/analysis.md.\n")
        return header.encode("utf-8") + body

    def json_bytes(self) -> bytes:
        return (json.dumps(self.report(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def analyze(graph: nx.MultiDiGraph, lexicon: Lexicon | None = None, seed: int = SEED, source: str = "") -> Analysis:
    assignment = assign_industries(graph, lexicon)
    clusters = find_clusters(graph, assignment, seed=seed)
    return Analysis(graph, assignment, clusters, centrality(graph, seed=seed), source=source)


def analyze_file(path: Path, lexicon: Lexicon | None = None, seed: int = SEED) -> Analysis:
    return analyze(project(load_quads(path)), lexicon, seed, source=str(path))


def write_outputs(a: Analysis, out_dir: Path) -> dict[str, Path]:
    from kg.graph.output import atomic_write

    paths = {"turtle": Path(out_dir) / "analysis.ttl", "json": Path(out_dir) / "analysis.json"}
    atomic_write(paths["turtle"], a.turtle())
    atomic_write(paths["json"], a.json_bytes())
    return paths


# --------------------------------------------------------------------------
# Terminal


def yuan(v: int | float) -> str:
    """1500000000 → 15亿元; 0 → –."""
    if not v:
        return "–"
    if v >= 1e8:
        return f"{v / 1e8:,.2f}".rstrip("0").rstrip(".") + "亿元"
    return f"{v / 1e4:,.0f}万元"


def render(a: Analysis, console) -> None:
    """The report as rich tables (all text from the graph escaped for rich markup)."""
    from rich.markup import escape
    from rich.table import Table

    rep = a.report()
    fold = {"overflow": "fold"}  # Chinese names have no spaces to wrap at
    num = {"justify": "right", "no_wrap": True}
    t = Table(title="Industrial-chain clusters (Louvain, seed %d)" % SEED, title_justify="left")
    for col, kw in (("cluster", fold), ("enterprises", num), ("projects", num), ("parks", num),
                    ("chains / named clusters", fold), ("zones", num), ("investment", num)):
        t.add_column(col, **kw)
    for c in rep["clusters"]:
        m = c["members_by_type"]
        t.add_row(escape(c["label"]), str(m.get("Enterprise", 0)), str(m.get("Project", 0)), str(m.get("Park", 0)),
                  escape("、".join(c["chains"])) or "–", str(len(c["zones"])), yuan(c["investment_cny"]))
    console.print(t)

    t = Table(title="Per zone: what each cluster holds", title_justify="left")
    for col, kw in (("zone", fold), ("cluster", fold), ("enterprises", num), ("projects", num),
                    ("parks, chains", num), ("investment", num)):
        t.add_column(col, **kw)
    for z in rep["zones"]:
        rows = z["clusters"]
        un = z["unclassified"]
        show_un = bool(un.get("Enterprise") or un.get("Project"))
        for i, r in enumerate(rows):
            t.add_row(escape(z["label"]) if i == 0 else "", escape(r["label"]), str(r["enterprises"]),
                      str(r["projects"]), str(r["parks"] + r["chains"]), yuan(r["investment_cny"]),
                      end_section=(i == len(rows) - 1 and not show_un))
        if show_un:
            t.add_row(escape(z["label"]) if not rows else "", "[dim]no industry signal[/]", str(un.get("Enterprise", 0)),
                      str(un.get("Project", 0)), str(un.get("Park", 0)), "", end_section=True)
    console.print(t)

    t = Table(title="Per province: zones, what they hold, the largest clusters", title_justify="left")
    for col, kw in (("province", fold), ("zones", num), ("enterprises", num), ("projects", num), ("investment", num),
                    ("largest clusters", fold)):
        t.add_column(col, **kw)
    for r in rep["provinces"]:
        t.add_row(escape(r["label"]), str(r["zones"]), str(r["enterprises"]), str(r["projects"]),
                  yuan(r["investment_cny"]), escape("、".join(r["clusters"])) or "–")
    console.print(t)

    t = Table(title="Most central enterprises (by betweenness, then degree)", title_justify="left")
    for col, kw in (("enterprise", fold), ("degree", num), ("betweenness", num), ("cluster", fold), ("zones", fold)):
        t.add_column(col, **kw)
    for r in rep["central_enterprises"]["by_betweenness"]:
        t.add_row(escape(r["label"]), str(r["degree"]), f"{r['betweenness']:.4f}", escape(r["cluster"] or "–"),
                  escape("、".join(r["zones"])))
    console.print(t)

    b = rep["bridges"]
    t = Table(title="Bridging zones", title_justify="left")
    t.add_column("kind", no_wrap=True)
    t.add_column("name", **fold)
    t.add_column("zones", **fold)
    for r in b["enterprises"]:
        t.add_row("enterprise", escape(r["label"]), escape("、".join(r["zones"])))
    for r in b["chains"]:
        t.add_row("chain" if r["type"] == "IndustryChain" else "named cluster", escape(r["label"]), escape("、".join(r["zones"])))
    for r in b["clusters"]:
        t.add_row("cluster", escape(r["label"]), escape("、".join(f"{z['zone']} ({z['members']})" for z in r["zones"])))
    if not t.row_count:
        t.add_row("–", "nothing links two zones", "")
    console.print(t)

    t = Table(title="Zones ranked by similarity of their industries (Jaccard)", title_justify="left")
    t.add_column("zone", **fold)
    t.add_column("zone", **fold)
    t.add_column("Jaccard", **num)
    t.add_column("shared industries", **fold)
    for p in rep["zone_similarity"][:TOP_N]:
        t.add_row(escape(p["a"]), escape(p["b"]), f"{p['jaccard']:.2f}", escape("、".join(p["shared"])) or "–")
    console.print(t)
