"""Asking the graph: the query library, the engine, the server and remote endpoints.

Owns the library of ``queries/`` and safe parameters (:mod:`.library`), the errors a
query can meet (:mod:`.errors`), results and their formats (:mod:`.results`), the engine
with its time and row limits (:mod:`.engine`), remote SPARQL endpoints (:mod:`.remote`),
``kg serve`` (:mod:`.server`, with its page :mod:`.page`, the entity pages
:mod:`.entity`, :mod:`.entity_html`, content negotiation :mod:`.linked_data` and the
pinned build :mod:`.pinning`). The page assets are ``kg/static``.

May import: the layers below (ingest, extract, graph, analyze).
"""
