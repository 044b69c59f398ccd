"""Measures on the projected graph: centrality (betweenness exact up to a size, then
sampled with a fixed seed) and the Jaccard similarity of two sets.
"""
from __future__ import annotations

import networkx as nx

from kg.analyze.clusters import CLUSTERED_TYPES, SEED

# Relations in the cluster graph (among CLUSTERED_TYPES only) and in the
# centrality graph (CLUSTERED_TYPES plus zones; places would tie every zone of a
# city together, which says nothing about industry).
CENTRALITY_TYPES = ("Zone",) + CLUSTERED_TYPES
BETWEENNESS_EXACT_LIMIT = 2000  # above this many nodes, betweenness is sampled ...
BETWEENNESS_SAMPLE = 200  # ... from this many seeded source nodes


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
