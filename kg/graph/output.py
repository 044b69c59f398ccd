"""Output files: the graph serialised in canonical order, and atomic writes.

Every file a verb writes goes through :class:`atomic_output`: readers see the old file
or the new one, never half of one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.graph.build import KnowledgeGraph
from kg.graph.namespaces import PREFIXES


def _prefixes() -> dict[str, str]:
    from rdflib.namespace import RDF as R
    from rdflib.namespace import RDFS as RS
    from rdflib.namespace import SKOS as SK
    from rdflib.namespace import XSD as X

    p = {k: str(v) for k, v in PREFIXES.items()}
    p.update(rdf=str(R), rdfs=str(RS), skos=str(SK), xsd=str(X))
    return dict(sorted(p.items()))


def _default_mode(path: Path) -> int:
    # mkstemp creates files 0600; give a file the mode the file being replaced had,
    # or else the one a plain open() would (0666 less umask).
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class atomic_output:
    """``with atomic_output(path) as fh: ...`` writes ``path`` so that readers see the
    old file or the new one, never half: the data goes to a temporary file next to
    it, which replaces ``path`` only once complete and synced. An exception (or a
    KeyboardInterrupt) inside the block removes the temporary file and leaves ``path``
    as it was; a process killed outright leaves at most a ``.NAME.*.tmp`` file, which
    the next :func:`remove_stale_temporaries` removes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            os.fchmod(fd, _default_mode(self.path))
            self.fh = os.fdopen(fd, "w+b")
        except BaseException:
            os.close(fd)
            Path(self.tmp).unlink(missing_ok=True)
            raise
        return self.fh

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.fh.flush()
                os.fsync(self.fh.fileno())
            self.fh.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
        except BaseException:
            Path(self.tmp).unlink(missing_ok=True)
            raise
        if exc_type is not None:
            Path(self.tmp).unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    with atomic_output(path) as fh:
        fh.write(data)


def remove_stale_temporaries(directory: Path) -> None:
    """Temporary files a killed build left next to its outputs, and its work
    directories (``.graph-*.tmp``, see :class:`kg.graph.build.GraphFiles`)."""
    import shutil

    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)
        elif entry.name.startswith(".graph-") and entry.name.endswith(".tmp") and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def serialize_to(kg: KnowledgeGraph, fmt: str, fh) -> None:
    """Write Turtle of the default graph, or TriG of everything, to the binary file
    ``fh`` (opened for reading and writing): sorted, so byte-identical for the same
    input, and streamed, so the text is never held in memory whole."""
    start = fh.tell()
    if fmt == "turtle":
        ox.serialize(kg.default_quads(), fh, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    elif fmt == "trig":
        ox.serialize(kg.quads(), fh, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
    else:
        raise ValueError(f"unknown format {fmt!r}")
    # The prefix lines come first; sorting them changes no length, so they are
    # rewritten in place.
    end = fh.tell()
    fh.seek(start)
    head = fh.read(min(end - start, 1 << 16))
    lines = head.split(b"\n")
    n = 0
    while n < len(lines) - 1 and lines[n].startswith(b"@prefix "):
        n += 1
    if n:
        fh.seek(start)
        fh.write(b"\n".join(sorted(lines[:n])) + b"\n")
    fh.seek(end)


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """Turtle of the default graph, or TriG of everything, as bytes (see :func:`serialize_to`)."""
    import io

    buf = io.BytesIO()
    serialize_to(kg, fmt, buf)
    return buf.getvalue()


def _sorted_prefix_header(data: bytes) -> bytes:
    """The serializer writes @prefix lines in its own map's order; sort them so the
    file does not depend on it."""
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def write_outputs(kg: KnowledgeGraph, out_dir: Path, *, store: bool = False) -> dict[str, Path]:
    """Write ``graph.ttl`` and ``graph.trig`` (each atomically) and, with ``store``,
    the on-disk Oxigraph store ``store/`` (see :mod:`kg.graph.store`)."""
    out_dir = Path(out_dir)
    paths = {"turtle": out_dir / "graph.ttl", "trig": out_dir / "graph.trig"}
    for fmt, path in paths.items():
        with atomic_output(path) as fh:
            serialize_to(kg, fmt, fh)
    if store:
        from kg.graph.store import write_store

        paths["store"] = write_store(kg, out_dir)
    return paths
