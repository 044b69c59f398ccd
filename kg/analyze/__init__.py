"""Analysis: the graph projected to networkx, clusters, measures and views.

Owns the projection (:mod:`.projection`), industries (:mod:`.industries`), Louvain
clusters (:mod:`.clusters`), centrality and similarity (:mod:`.measures`), the per-zone
results ``kg analyze`` writes (:mod:`.analysis`) and the pyvis views ``kg viz`` writes
(:mod:`.views`) as self-contained pages (:mod:`.pages`).

May import: :mod:`kg.ingest`, :mod:`kg.extract`, :mod:`kg.graph`.
"""
