"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The shapes are translated into SPARQL queries on an Oxigraph store
(:mod:`kg.graph.shacl_sparql`), which gives the same results as pyshacl in a fraction of
its time; shapes the translation does not cover are run by pyshacl instead.

The graph is not loaded whole: its triples (the union of the default and the named
graphs, as pyshacl sees it) are split by subject into parts of about
:data:`PART_BYTES` of N-Triples, written to a work directory, and each part is
validated alone in a small in-memory store. A query of the translation reads only the
focus node's own triples, the ``rdf:type`` triples of its values on the paths that have
``sh:class`` and the ``rdfs:subClassOf`` triples (:mod:`kg.graph.shacl_sparql`), so a
part holds, besides its subjects' triples, the types of the values they point to (in
a named graph of their own, so that those values are no focus nodes of the part) and
every subclass triple; of a part's violations only those at its own subjects count.
Memory is then bounded by two parts (one queried while the next loads) and the map of
typed nodes, not by the graph.
"""
from __future__ import annotations

import gc
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.graph.ontology_files import shapes_path


@dataclass(frozen=True)
class Violation:
    focus: str
    message: str


# Each part's store takes about 5 times its N-Triples in memory: 32 MB (about 170,000
# triples) keep it near 150 MB, and larger parts are no faster.
PART_BYTES = 32 << 20

_RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS_OF = b"<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


def validate(kg, *, shapes: Path | None = None, parts: int | None = None, processes: int = 1) -> list[Violation]:
    """Every violation of the shapes in the union of all graphs (default and per article).

    ``kg`` is anything with ``quads()`` (pyoxigraph quads), such as a
    :class:`kg.graph.build.KnowledgeGraph`; one whose quads are in work files (``files``)
    is read from them. ``parts``: into how many parts to split it (default: one per
    :data:`PART_BYTES` of the work files, one for a graph in memory); ``processes``: how
    many worker processes validate the parts (1: this process). The result does not
    depend on either."""
    from kg.graph.shacl_sparql import UnsupportedShape, compile_shapes

    shapes_graph = Graph().parse(shapes or shapes_path(), format="turtle")
    try:
        plan = compile_shapes(shapes_graph)
    except UnsupportedShape:
        return validate_with_pyshacl(kg, shapes_graph)
    if parts is None:
        files = getattr(kg, "files", None)
        size = 0 if files is None else os.path.getsize(files.default) + os.path.getsize(files.named)
        parts = max(1, -(-size // PART_BYTES))
        if parts > 1 and processes > 1:  # the same number for every process: none waits for a last one
            parts = -(-parts // processes) * processes
    found = _validate_in_parts(kg, plan, parts, processes) if parts > 1 else None
    if found is None:  # one part, or blank nodes (see _split)
        found = plan.run(_store(kg))
    return sorted((Violation(f, m) for f, m in found), key=lambda v: (v.focus, v.message))


def _lines(kg) -> Iterator[bytes]:
    """Every triple of the union of the graphs as an N-Triples line, UTF-8 (a triple in
    several graphs comes once per graph; the stores keep one). Bytes: decoding the work
    files would cost more than the rest of the split."""
    files = getattr(kg, "files", None)
    if files is None:
        for q in kg.quads():
            yield f"{q.subject} {q.predicate} {q.object} .\n".encode()
        return
    with open(files.default, "rb") as fh:
        yield from fh
    with open(files.named, "rb") as fh:
        for line in fh:
            # "S P O G .": the graph name (an IRI or a blank node) has no space in it.
            yield line[:line.rindex(b" ", 0, -3)] + b" .\n"


def _validate_in_parts(kg, plan, parts: int, processes: int = 1) -> set[tuple[str, str]] | None:
    """The violations, validated part by part (in ``processes`` worker processes when
    more than one); None if the graph has blank nodes (Oxigraph renames them in every
    load, so parts could not be joined again)."""
    work = getattr(kg, "files", None)
    with tempfile.TemporaryDirectory(prefix=".validate-", suffix=".tmp",
                                     dir=None if work is None else work.path) as tmp:
        paths = [Path(tmp) / f"part-{i}.nq" for i in range(parts)]
        if processes > 1:
            with _Workers(min(processes, parts)) as workers:  # they start while the graph is split
                subclasses = _split(kg, plan, paths)
                if subclasses is None:
                    return None
                return workers.run([(str(path), subclasses, plan, parts, i) for i, path in enumerate(paths)])
        subclasses = _split(kg, plan, paths)
        if subclasses is None:
            return None
        return _validate_loading_ahead(paths, subclasses, plan)


def _validate_loading_ahead(paths: list[Path], subclasses: bytes, plan) -> set[tuple[str, str]]:
    """The violations of the parts in ``paths``, validated one after the other in this
    process while a thread loads the next part's store: Oxigraph's loader does not hold
    the GIL, so the load (about a third of a part's time) overlaps the queries, and at
    most two parts' stores are in memory."""
    from concurrent.futures import ThreadPoolExecutor

    parts = len(paths)
    found: set[tuple[str, str]] = set()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate-load") as loader:
        loading = loader.submit(_part_store, str(paths[0]), subclasses)
        for i in range(parts):
            store = loading.result()  # the previous part's store is freed here
            if i + 1 < parts:
                loading = loader.submit(_part_store, str(paths[i + 1]), subclasses)
            found |= plan.run(store, keep=lambda f, i=i: part_of(f, parts) == i)
    return found


def part_of(subject: str | bytes, parts: int) -> int:
    """The part a subject (its N-Triples form, UTF-8 if bytes) goes to: the same in every
    process, unlike ``hash`` (randomised per process), so that a worker keeps its part's
    focus nodes."""
    return zlib.crc32(subject.encode("utf-8") if isinstance(subject, str) else subject) % parts


def _split(kg, plan, paths: list[Path]) -> bytes | None:
    """Write each part's triples to its file in ``paths`` (N-Quads): its subjects' triples,
    then, in :data:`VALUE_TYPES_GRAPH`, the types of the values they point to on
    :attr:`Plan.value_type_paths`. Returns the subclass triples (every part needs them),
    None if the graph has blank nodes."""
    from kg.graph.shacl_sparql import VALUE_TYPES_GRAPH

    parts = len(paths)
    types: dict[bytes, list[bytes]] = {}  # node -> its classes
    classes: dict[bytes, bytes] = {}  # one object per class
    wanted: list[set[bytes]] = [set() for _ in paths]  # per part: the values whose types it needs
    value_paths = {p.encode() for p in plan.value_type_paths}
    subclass_lines: list[bytes] = []
    outs = [open(p, "wb") for p in paths]
    # The loop makes no reference cycles, but its allocations would start the collector
    # again and again, and in kg build each full collection walks the build's large heap.
    collecting = gc.isenabled()
    gc.disable()
    try:
        last, part = None, 0
        for line in _lines(kg):
            s, p, rest = line.split(b" ", 2)
            if s[0] == 95 or rest[0] == 95:  # "_", a blank node (an IRI starts with <, a literal with ")
                return None
            if s != last:  # the files are sorted: a subject's triples come together
                last, part = s, part_of(s, parts)
            outs[part].write(line)
            if p == _RDF_TYPE:
                c = rest[:-3]
                types.setdefault(s, []).append(classes.setdefault(c, c))
            elif p == _SUBCLASS_OF:
                subclass_lines.append(line)
            if p in value_paths and rest[0] == 60:  # "<", an IRI
                wanted[part].add(rest[:-3])
        graph = f" <{VALUE_TYPES_GRAPH}> .\n".encode()
        for i, (out, values) in enumerate(zip(outs, wanted)):
            if _SUBCLASS_OF in value_paths:  # every part holds the subclass triples
                values.update(line.split(b" ", 2)[2][:-3] for line in subclass_lines)
            # A value that is a subject of the part has its types there already.
            out.writelines(b"%s %s %s%s" % (o, _RDF_TYPE, c, graph) for o in values if part_of(o, parts) != i
                           for c in types.get(o, ()))
    finally:
        if collecting:
            gc.enable()
        for fh in outs:
            fh.close()
    return b"".join(subclass_lines)


def validate_part(path: str, subclasses: bytes, plan, parts: int, i: int) -> set[tuple[str, str]]:
    """The violations at the focus nodes of part ``i`` (of ``parts``), whose triples are in
    ``path`` (removed once loaded); in this process or a worker's."""
    return plan.run(_part_store(path, subclasses), keep=lambda f: part_of(f, parts) == i)


def _part_store(path: str, subclasses: bytes):
    """An in-memory store of the part in ``path`` (removed once loaded) and the subclass
    triples, in the default graph and beside the copied types."""
    import pyoxigraph as ox

    from kg.graph.shacl_sparql import VALUE_TYPES_GRAPH

    store = ox.Store()
    # Lenient: the lines are Oxigraph's own N-Triples forms of terms it has parsed or made
    # (the build's work files), and checking their IRIs again costs a quarter of the load.
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS, lenient=True)
    os.unlink(path)
    if subclasses:
        store.bulk_load(subclasses, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        store.bulk_load(subclasses, format=ox.RdfFormat.N_TRIPLES, lenient=True,
                        to_graph=ox.NamedNode(VALUE_TYPES_GRAPH))
    return store


class _Workers:
    """Worker processes that run :func:`validate_part`. Ctrl-C is the parent's: the
    workers ignore it and are stopped when the parent leaves by an exception (their
    stores are in memory: nothing is left behind)."""

    def __init__(self, processes: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(max_workers=processes, mp_context=_mp_context(),
                                             initializer=_init_worker)
        # Started now (the executor starts them on demand): they load their modules meanwhile.
        for _ in range(processes):
            self._executor.submit(_ready)

    def run(self, tasks: list[tuple]) -> set[tuple[str, str]]:
        futures = [self._executor.submit(validate_part, *task) for task in tasks]
        found: set[tuple[str, str]] = set()
        for fut in futures:
            found |= fut.result()
        return found

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            # Otherwise the interpreter's exit would wait for the parts being validated.
            for proc in list((getattr(self._executor, "_processes", None) or {}).values()):
                proc.terminate()
        self._executor.shutdown(wait=exc_type is None, cancel_futures=True)


def _ready() -> None:
    """Nothing: a worker's first task, which starts it."""


def _mp_context():
    import multiprocessing as mp

    # Not fork: the build runs threads (the store's loader), and forking a process with
    # threads can deadlock the child.
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def _init_worker() -> None:
    """Once per worker: Ctrl-C is the parent's to handle; load what a part needs."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pyoxigraph  # noqa: F401

    import kg.graph.shacl_sparql  # noqa: F401


def validate_with_pyshacl(kg, shapes_graph: Graph) -> list[Violation]:
    """What pyshacl reports for the graph: the reference the SPARQL translation must equal."""
    import pyshacl
    from rdflib.namespace import SH

    data = Graph()
    for q in kg.quads():
        data.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(predicate=SH.resultMessage, unique=True):
        focus = report.value(result, SH.focusNode)
        for msg in report.objects(result, SH.resultMessage):
            out.append(Violation(str(focus), str(msg)))
    return sorted(set(out), key=lambda v: (v.focus, v.message))


def _store(kg):
    """The union of the graphs as one set of triples, as pyshacl sees it: the queries then
    need no union over the named graphs (faster), and the store is freed afterwards."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in kg.quads())
    return store


def _term(t):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(t.value)  # RDF 1.1: a plain literal is an xsd:string
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise TypeError(f"unexpected term {t!r}")
