"""The graph: extractions merged into quads, files, the store and validation.

Owns the vocabulary as rdflib terms (:mod:`.namespaces`), merging entities across
articles (:mod:`.merge`), the quads in canonical order (:mod:`.build`), the hidden
labels search uses (:mod:`.name_index`), the output files and atomic writes
(:mod:`.output`), the on-disk Oxigraph store (:mod:`.store`), build generations
(:mod:`.generations`) and their lock (:mod:`.lock`), and SHACL validation (:mod:`.validate`,
:mod:`.shacl_sparql`, with the ontology files found by :mod:`.ontology_files`).

May import: :mod:`kg.ingest`, :mod:`kg.extract`.
"""
