"""Running extraction over a corpus: in parallel, cached, or on a cluster.

Owns the corpus run (:mod:`.corpus`: files to extractions, ``-j`` worker processes,
progress, interruption; the extractions kept compressed, :mod:`.packed`), the work on one
file (:mod:`.work`), the extraction cache (:mod:`.cache`) and Dask distributed
execution (:mod:`.cluster`, imported only for ``--cluster``).

May import: the layers below (ingest … export); in practice ingest, extract and graph.
"""
