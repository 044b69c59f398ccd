"""Industrial-chain clusters: Louvain communities (fixed seed) of a graph whose
nodes are tied by facts and by a shared industry, each named by its dominant industry.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.analyze.industries import OTHER, Assignment
from kg.analyze.projection import short_hash, zones_of
from kg.graph.namespaces import ID

SEED = 42  # Louvain's random seed: the same graph gives the same clusters.
CLUSTERED_TYPES = ("Enterprise", "Park", "Project", "IndustryChain", "IndustryCluster")


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
        iri = str(ID[f"chaincluster/{short_hash('ChainCluster', label, members[0])}"])
        clusters.append(Cluster(iri, label, industry, members, chains, zones, i))
    return clusters
