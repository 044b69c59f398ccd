"""Exports: the built graph in the formats other tools read, and pushed to a triple store.

Owns what exporters read (:mod:`.source`, :mod:`.facts`), one module per family of
formats (:mod:`.rdf`, :mod:`.networks`, :mod:`.tables`), the dispatch by format name
(:mod:`.formats`), and ``kg push`` over the Graph Store Protocol (:mod:`.push`).

May import: the layers below (ingest … query).
"""
