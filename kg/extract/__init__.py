"""Extraction: one article's text to its entities and facts, with evidence.

Owns the shared document object (:mod:`.document`, ``Doc``), the component registry
and stages (:mod:`.pipeline`), the components themselves (:mod:`.extractors`, one
module each), the language helpers they share (:mod:`.lexicon` and the files of
``kg/resources``, :mod:`.names`, :mod:`.money`, :mod:`.scope`, :mod:`.divisions`) and the
plain-data result of one article (:mod:`.extraction`).

May import: :mod:`kg.ingest`.
"""
