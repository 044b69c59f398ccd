"""Output files: the graph serialised in canonical order, and atomic writes.

Every file a verb writes goes through :class:`atomic_output`: readers see the old file
or the new one, never half of one.
"""
from __future__ import annotations

import os
import re
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
    input, and streamed, so the text is never held in memory whole.

    A graph built into work files is written from their lines as they are (see
    :class:`TurtleTerms`), without a Python object per quad; a graph of quads in
    memory goes through Oxigraph's serialiser, which writes the same bytes."""
    if fmt not in ("turtle", "trig"):
        raise ValueError(f"unknown format {fmt!r}")
    if kg.files is not None:
        write_lines(fh, _prefixes(), default=kg.files.default, named=kg.files.named if fmt == "trig" else None)
        return
    start = fh.tell()
    if fmt == "turtle":
        ox.serialize(kg.default_quads(), fh, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    else:
        ox.serialize(kg.quads(), fh, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
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


# --------------------------------------------------------------------------
# Turtle and TriG straight from the sorted N-Triples / N-Quads lines
#
# What Oxigraph's serialiser (pyoxigraph 0.5) writes, term by term and line by line,
# so that the files come out byte-identical to it (tests/test_fast_writer.py holds the
# two side by side on arbitrary graphs): an IRI as prefix:local with the longest
# declared prefix whose rest is a valid (escaped) local name, else the next one, else
# <IRI>; rdf:type as predicate "a"; a literal of xsd:integer, decimal, double or
# boolean bare when its text is in the Turtle form of that type, any other literal in
# its N-Triples form with its datatype abbreviated; subjects grouped with " ;",
# objects with " ,", named graphs as "G {" ... "}", tab-indented.

def _ranges(*spans: tuple[int, int]) -> str:
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in spans)


_PN_CHARS_BASE = _ranges((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D),
                         (0x37F, 0x1FFF), (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF),
                         (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF))
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7" + _ranges((0x300, 0x36F), (0x203F, 0x2040))
_LOCAL_ESCAPABLE = "_~.-!$&'()*+,;=/?#@%"
# A local name that needs no escape at all: most of them (hashes, codes, words).
_PLAIN_LOCAL = re.compile(f"[{_PN_CHARS_U}:0-9](?:[{_PN_CHARS}:.]*[{_PN_CHARS}:])?")
_PN_FIRST = re.compile(f"[{_PN_CHARS_U}:0-9]")
_PN_NEXT = re.compile(f"[{_PN_CHARS}:]")

_BARE = {
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"true|false"),
}
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _escape_local(local: str) -> str | None:
    """``local`` as a Turtle local name (PN_LOCAL, with backslash escapes), or None
    when it cannot be one."""
    if _PLAIN_LOCAL.fullmatch(local):
        return local
    out = []
    last = len(local) - 1
    for i, c in enumerate(local):
        if (_PN_FIRST if i == 0 else _PN_NEXT).fullmatch(c) or (c == "." and 0 < i < last):
            out.append(c)
        elif c in _LOCAL_ESCAPABLE:
            out.append("\\" + c)
        else:
            return None
    return "".join(out)


class TurtleTerms:
    """The Turtle form of a term given in its N-Triples form (as the work files hold
    it), with the IRIs abbreviated by ``prefixes`` (name -> namespace IRI)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._prefixes = sorted(((iri, name) for name, iri in prefixes.items()), key=lambda p: -len(p[0]))
        self._iris: dict[str, str] = {}

    def iri(self, form: str) -> str:
        """``<IRI>`` as Turtle."""
        t = self._iris.get(form)
        if t is None:
            t = self._iris[form] = self._abbreviate(form)
        return t

    def _abbreviate(self, form: str) -> str:
        iri = form[1:-1]
        for namespace, name in self._prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                if not local:
                    return f"{name}:"
                escaped = _escape_local(local)
                if escaped is not None:
                    return f"{name}:{escaped}"
        return form

    def object(self, form: str) -> str:
        """Any term (IRI, literal, blank node) as Turtle."""
        first = form[0]
        if first == "<":
            return self.iri(form)
        if first == '"' and form[-1] == ">":  # "text"^^<datatype>
            cut = form.rindex('"^^<')
            datatype = form[cut + 3:]
            bare = _BARE.get(datatype[1:-1])
            if bare is not None and bare.fullmatch(form, 1, cut):
                return form[1:cut]
            return form[:cut + 3] + self.iri(datatype)
        return form  # a plain or language-tagged literal, a blank node: as in N-Triples

    def predicate(self, form: str) -> str:
        return "a" if form == _RDF_TYPE else self.iri(form)


_FLUSH_LINES = 20_000  # pieces converted before a write


def write_lines(fh, prefixes: dict[str, str], *, default, named=None) -> None:
    """Turtle (``named`` None) or TriG of the sorted N-Triples file ``default`` and
    N-Quads file ``named`` (canonical order, see :func:`kg.graph.build.build_graph`)
    to the binary file ``fh``: the bytes Oxigraph's serialiser writes for the same
    quads in that order, followed by the sorting of the prefix lines that
    :func:`serialize_to` does for it."""
    terms = TurtleTerms(prefixes)
    head = b"\n".join(sorted(f"@prefix {name}: <{ns}> .".encode() for name, ns in prefixes.items())) + b"\n"
    wrote_default = _write_graph(fh, terms, default, head, named=False, started=False)
    if wrote_default:
        fh.write(b" .\n")
    if named is not None and _write_graph(fh, terms, named, head, named=True, started=wrote_default):
        fh.write(b" .\n}\n")


def _write_graph(fh, terms: TurtleTerms, path, head: bytes, *, named: bool, started: bool) -> bool:
    """The statements of one work file, written after ``head`` (the prefix lines) if
    nothing was written before (``started``); True when the file had any. The
    last statement's " ." (and "}") is the caller's.

    Works on the lines' bytes (UTF-8 in, UTF-8 out): a literal that Turtle writes as
    N-Triples does (most of them) is copied, never decoded; an IRI is converted once."""
    memo: dict[bytes, bytes] = {}  # a term that is not copied -> its Turtle form
    predicates: dict[bytes, bytes] = {}

    def term(form: bytes) -> bytes:
        t = memo[form] = terms.object(form.decode("utf-8")).encode("utf-8")
        return t

    def predicate(form: bytes) -> bytes:
        t = predicates[form] = terms.predicate(form.decode("utf-8")).encode("utf-8")
        return t

    # What comes before a graph's first subject, before each next one, before a
    # subject's next predicate.
    first, next_subject, next_predicate = (b"\t", b" .\n\t", b" ;\n\t\t") if named else (b"", b" .\n", b" ;\n\t")
    out: list[bytes] = []
    s0 = p0 = tail = None
    cut = -3  # the line without " .\n" (and, in a named graph, without " GRAPH")
    with open(path, "rb") as lines:
        for line in lines:
            if named and (tail is None or not line.endswith(tail)):  # a new named graph
                k = line.rindex(b" ", 0, len(line) - 3)
                graph = line[k + 1:-3]
                out.append(b"".join((b"" if tail is None else b" .\n}\n", memo.get(graph) or term(graph), b" {\n")))
                tail, s0, cut = line[k:], None, k - len(line)
            s, p, o = line[:cut].split(b" ", 2)
            if o[0] != 0x22 or o[-1] == 0x3E:  # not a literal, or a typed one: "..."^^<datatype>
                o = memo.get(o) or term(o)
            if s != s0:
                out.append(b"".join((first if s0 is None else next_subject, memo.get(s) or term(s), b" ",
                                     predicates.get(p) or predicate(p), b" ", o)))
                s0, p0 = s, p
            elif p != p0:
                out.append(b"".join((next_predicate, predicates.get(p) or predicate(p), b" ", o)))
                p0 = p
            else:
                out.append(b" , " + o)
            if len(out) >= _FLUSH_LINES:
                if not started:
                    fh.write(head)
                    started = True
                fh.write(b"".join(out))
                out.clear()
    if out:
        if not started:
            fh.write(head)
        fh.write(b"".join(out))
    return s0 is not None


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """Turtle of the default graph, or TriG of everything, as bytes (see :func:`serialize_to`)."""
    import io

    buf = io.BytesIO()
    serialize_to(kg, fmt, buf)
    return buf.getvalue()


def sort_prefix_lines(data: bytes) -> bytes:
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
