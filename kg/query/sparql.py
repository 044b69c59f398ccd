"""Asking the graph: the query library, safe parameters, and a query engine with limits.

The library is the ``queries/`` directory (installed as the package ``kg.queries``):
one SPARQL query per ``NAME.rq`` file, each opening with a comment header::

    # 问题: 某开发区入驻了哪些企业？
    # Question: Which enterprises does a zone host?
    # Parameters:
    #   zone (string): part of the zone's name or alias, e.g. 许昌; every zone when omitted
    # Example: kg query zone-enterprises --param zone=漯河
    #   ...

Parameters are placeholders in the query: the variable ``?_zone`` is the parameter
``zone``. :func:`bind` replaces each placeholder token (never text inside a string,
an IRI or a comment) by an RDF term that pyoxigraph builds and serialises, so a
value is always one well-escaped literal or IRI and can never change the shape of
the query. A parameter left out stays an unbound variable; library queries are
written so that this means "no restriction" (``COALESCE(?_zone, "")``), so every
library file is also a plain query that any SPARQL client can run as it is.

Queries run in a separate worker process over a pyoxigraph ``Store`` (the engine
under the build's rdflib store): either the on-disk store ``kg build`` writes
(``out/store``), which each worker opens read-only in milliseconds whatever its size,
or a graph file (``graph.trig``, ``graph.ttl``) that each worker loads into memory.
The parent waits at most ``timeout`` seconds and then kills the worker: a runaway
query is stopped, not merely abandoned. Results are capped at ``max_rows`` rows (or
triples).
Federated queries (``SERVICE``) are refused: they would make the engine fetch URLs.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# Prefixes every query may use without declaring them (a query's own PREFIX wins).
DEFAULT_PREFIXES: dict[str, str] = {
    "rdf": RDF_NS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "kg": "https://w3id.org/zonekg/ontology#",
    "id": "https://w3id.org/zonekg/id/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
}

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
VIEWS_DIR = "views"  # where `kg viz` writes its pages: out/views, beside the graph file and the store


# --------------------------------------------------------------------------
# Errors


class SparqlError(Exception):
    """Base class of the errors a user can act on; ``str()`` is the message."""


class QuerySyntaxError(SparqlError):
    """The parser rejected the query; the message has the line and column."""


class QueryRefused(SparqlError):
    """A well-formed request this read-only engine will not run (update, SERVICE)."""


class ParameterError(SparqlError):
    """A ``--param`` that the query does not have, or whose value does not fit its type."""


class QueryTimeout(SparqlError):
    """The query ran past the time limit and was stopped."""


class GraphError(SparqlError):
    """The graph file or store is missing or cannot be read."""


class EngineBusy(SparqlError):
    """Every worker stayed busy for longer than the time limit."""


class QueryFailed(SparqlError):
    """The query was valid but its evaluation failed."""


# --------------------------------------------------------------------------
# A small SPARQL lexer: just enough to tell code from strings, IRIs and comments


_TOKEN = re.compile(
    r"""
    (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'
             |"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<comment>\#[^\n\r]*)
    |(?P<var>[?$](?P<varname>\w+))
    |(?P<escape>\\.)
    |(?P<other>[^'"<\#?$\\]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

PLACEHOLDER_PREFIX = "_"


def _tokens(text: str) -> Iterable[re.Match]:
    return _TOKEN.finditer(text)


def _code_only(text: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    return "".join(" " if m.group("string") or m.group("iri") or m.group("comment") else m.group(0)
                   for m in _tokens(text))


def _unescape_codepoints(text: str) -> str:
    def repl(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)

    return _UNICODE_ESCAPE.sub(repl, text)


_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*"  # IRIs are blanked out before matching
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def check_read_only(text: str) -> None:
    """Refuse what this engine never runs: federated ``SERVICE`` calls.

    The check is deliberately conservative: it looks at the query with its
    strings, IRIs and comments blanked out, after undoing ``\\u`` escapes."""
    if _SERVICE.search(_code_only(_unescape_codepoints(text))):
        raise QueryRefused("SERVICE (federated query) is not allowed: this endpoint only queries its own graph")


def looks_like_update(text: str) -> bool:
    """True when ``text`` reads as a SPARQL Update request (INSERT, DELETE, LOAD ...)."""
    return bool(_UPDATE.match(_code_only(_unescape_codepoints(text))))


def placeholders(text: str) -> list[str]:
    """Parameter names used in ``text`` (``?_zone`` → ``zone``), in order of first use."""
    seen: dict[str, None] = {}
    for m in _tokens(text):
        name = m.group("varname")
        if name and name.startswith(PLACEHOLDER_PREFIX) and len(name) > 1:
            seen.setdefault(name[len(PLACEHOLDER_PREFIX):], None)
    return list(seen)


# --------------------------------------------------------------------------
# Library files and their headers


PARAM_TYPES = ("string", "decimal", "integer", "iri")


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    description: str = ""


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    text: str
    path: Path | None = None
    question_zh: str = ""
    question_en: str = ""
    params: tuple[Param, ...] = ()
    example: str = ""

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "question_zh": self.question_zh,
            "question_en": self.question_en,
            "params": [{"name": p.name, "type": p.type, "description": p.description} for p in self.params],
            "example": self.example,
            "text": self.text,
        }


_HEADER_FIELD = re.compile(r"^#\s*(问题|Question|Parameters|参数|Example|示例)\s*[:：]\s*(.*)$", re.IGNORECASE)
_PARAM_LINE = re.compile(r"^#\s+(\w+)\s*\(\s*(\w+)\s*\)\s*[:：]?\s*(.*)$")


def parse_header(name: str, text: str, path: Path | None = None) -> LibraryQuery:
    """Read the comment header of a query (the ``#`` lines before the first other line).

    Every placeholder of the query is a parameter, declared in the header or not
    (an undeclared one is a string)."""
    zh = en = ""
    declared: dict[str, Param] = {}
    example: list[str] = []
    section = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER_FIELD.match(stripped)
        if m:
            key, value = m.group(1).lower(), m.group(2).strip()
            if key in ("问题",):
                zh, section = value, None
            elif key == "question":
                en, section = value, None
            elif key in ("parameters", "参数"):
                section = "params"
            else:
                section = "example"
                if value:
                    example.append(value)
            continue
        if section == "params":
            pm = _PARAM_LINE.match(stripped)
            if pm and pm.group(2).lower() in PARAM_TYPES:
                declared[pm.group(1)] = Param(pm.group(1), pm.group(2).lower(), pm.group(3).strip())
        elif section == "example":
            example.append(stripped[1:].rstrip()[1:] if stripped[1:2] == " " else stripped[1:].rstrip())
    used = placeholders(text)
    params = [p for n, p in declared.items() if n in used] + [Param(n) for n in used if n not in declared]
    return LibraryQuery(name, text, path, zh, en, tuple(params), "\n".join(example).strip("\n"))


_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # kg/


def library_dirs() -> list[Path]:
    """Where the library is looked for: the installed package, then a source checkout."""
    return [_PACKAGE_DIR / "queries", _PACKAGE_DIR.parent / "queries"]


def library_dir() -> Path:
    for d in library_dirs():
        if d.is_dir() and any(d.glob("*.rq")):
            return d
    raise FileNotFoundError(
        "the query library was not found; looked in " + ", ".join(str(d) for d in library_dirs())
    )


def list_queries() -> list[LibraryQuery]:
    """Every library query, sorted by name."""
    d = library_dir()
    return [read_query_file(p) for p in sorted(d.glob("*.rq"))]


def read_query_file(path: Path) -> LibraryQuery:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SparqlError(f"{path} is not UTF-8 text: {exc.reason}") from None
    return parse_header(path.stem, text, path)


def load_query(name_or_path: str) -> LibraryQuery:
    """A library query by name (``zone-enterprises``) or any query file by path."""
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.is_file() or "/" in name_or_path:
        if not path.is_file():
            raise SparqlError(f"query file not found: {path}")
        return read_query_file(path)
    try:
        d = library_dir()
    except FileNotFoundError as exc:
        raise SparqlError(str(exc)) from None
    candidate = d / f"{name_or_path}.rq"
    if not candidate.is_file():
        names = ", ".join(q.stem for q in sorted(d.glob("*.rq")))
        raise SparqlError(f"no library query named {name_or_path!r}; the library has: {names}")
    return read_query_file(candidate)


# --------------------------------------------------------------------------
# Binding parameters


def term_for(value: str, type_: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for a parameter value of the given type (validated)."""
    if type_ == "string":
        return ox.Literal(value)
    if type_ == "iri":
        iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        for prefix, ns in DEFAULT_PREFIXES.items():
            if iri.startswith(prefix + ":") and "://" not in iri:
                iri = ns + iri[len(prefix) + 1:]
                break
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            raise ParameterError(f"not a valid IRI: {value!r} ({exc})") from None
    if type_ in ("decimal", "integer"):
        cleaned = value.strip().replace(",", "").replace("_", "")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            from kg.extract.money import parse_yuan

            # An amount as people write it: 10亿, 5000万, 1.5亿元 (in yuan).
            number = parse_yuan(value)
            if number is None:
                raise ParameterError(f"not a number: {value!r}") from None
        if not number.is_finite():
            raise ParameterError(f"not a finite number: {value!r}")
        if type_ == "integer":
            if number != number.to_integral_value():
                raise ParameterError(f"not an integer: {value!r}")
            return ox.Literal(str(int(number)), datatype=ox.NamedNode(XSD + "integer"))
        text = format(number, "f")
        if "." not in text:
            text += ".0"
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
    raise ParameterError(f"unknown parameter type {type_!r}")


def parse_param_args(args: Sequence[str]) -> dict[str, str]:
    """``["zone=许昌", "min=1e9"]`` → ``{"zone": "许昌", "min": "1e9"}``."""
    values: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.partition("=")
        key = key.strip().lstrip("?$")
        if key.startswith(PLACEHOLDER_PREFIX):
            key = key[len(PLACEHOLDER_PREFIX):]
        if not sep or not key:
            raise ParameterError(f"--param takes key=value, got {arg!r}")
        values[key] = value
    return values


def bind(text: str, values: Mapping[str, str], params: Sequence[Param] | None = None) -> str:
    """``text`` with each ``?_name`` placeholder of a given parameter replaced by its value.

    Types come from ``params`` (or the query's own header); a value is turned into a
    pyoxigraph term and written in its N-Triples form, which SPARQL reads as the same
    term. Only variable tokens are replaced: the same characters inside a string, an
    IRI or a comment are left alone. Line numbers do not change."""
    if not values:
        return text
    if params is None:
        params = parse_header("query", text).params
    by_name = {p.name: p for p in params}
    known = set(placeholders(text))
    unknown = [k for k in values if k not in known]
    if unknown:
        have = ", ".join(sorted(known)) or "none"
        raise ParameterError(f"the query has no parameter {', '.join(sorted(unknown))} (its parameters: {have})")
    terms = {name: str(term_for(v, by_name.get(name, Param(name)).type)) for name, v in values.items()}
    out = []
    for m in _tokens(text):
        name = m.group("varname")
        if name and name.startswith(PLACEHOLDER_PREFIX) and name[len(PLACEHOLDER_PREFIX):] in terms:
            out.append(terms[name[len(PLACEHOLDER_PREFIX):]])
        else:
            out.append(m.group(0))
    return "".join(out)


# --------------------------------------------------------------------------
# Results


@dataclass
class Result:
    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # select: terms or None per variable
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False
    max_rows: int | None = None
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1


FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
}
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples")


def _json_term(t) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD + "string":
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                            "object": _json_term(t.object)}}
    raise TypeError(f"unexpected term {t!r}")


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={_xml_attr(t.language)}>{_xml_escape(t.value)}</literal>"
        if t.datatype.value != XSD + "string":
            return f"<literal datatype={_xml_attr(t.datatype.value)}>{_xml_escape(t.value)}</literal>"
        return f"<literal>{_xml_escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
                f"<object>{_xml_term(t.object)}</object></triple>")
    raise TypeError(f"unexpected term {t!r}")


def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def _tsv_value(t) -> str:
    return "" if t is None else str(t)  # N-Triples form, tabs and newlines escaped


def serialize(result: Result, fmt: str) -> bytes:
    """The result in one of :data:`FORMATS` (SPARQL 1.1 results formats, Turtle, N-Triples)."""
    if result.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt}; use turtle or ntriples")
        rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        kwargs = {"prefixes": DEFAULT_PREFIXES} if fmt == "turtle" else {}
        return ox.serialize(result.triples, format=rdf_format, **kwargs) or b""
    if fmt not in RESULT_FORMATS:
        raise ValueError(f"a SELECT or ASK result cannot be written as {fmt}; use json, xml, csv or tsv")
    if result.kind == "ask":
        value = "true" if result.boolean else "false"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode()
        if fmt == "xml":
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{value}</boolean></sparql>\n").encode()
        return value.encode() + b"\n"
    variables = result.variables
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in result.rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={_xml_attr(v)}/>" for v in variables]
        out.append("</head>\n<results>\n")
        for row in result.rows:
            out.append("<result>")
            out += [f"<binding name={_xml_attr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row) if t is not None]
            out.append("</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in result.rows:
            w.writerow([_csv_value(t) for t in row])
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def compact(t, prefixes: Mapping[str, str] = DEFAULT_PREFIXES) -> str:
    """A short human form of a term for tables: prefixed IRIs, bare literal values."""
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        for p, ns in prefixes.items():
            if t.value.startswith(ns) and len(t.value) > len(ns):
                return f"{p}:{t.value[len(ns):]}"
        return f"<{t.value}>"
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Literal):
        return t.value
    return str(t)


# --------------------------------------------------------------------------
# The worker process


def _rdf_format(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) if path.suffix else None
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF file type (use .trig, .ttl, .nt, .nq or .rdf)")
    return fmt


def check_graph_file(path: Path) -> None:
    if not path.exists():
        raise GraphError(f"graph file not found: {path} (build it first: kg build seeds/ -o out/)")
    if path.is_dir():
        raise GraphError(f"not a file: {path} (a store directory written by kg build is opened with --store)")
    if not path.is_file():
        raise GraphError(f"not a file: {path}")
    _rdf_format(path)


def check_store(path: Path) -> Path:
    """The store directory that ``path`` (a build's output directory, or its ``store``)
    stands for right now, with the link resolved; :class:`GraphError` when there is none."""
    from kg.graph.store import resolve_store

    if path.is_file():
        raise GraphError(f"not a store directory: {path} (a graph file such as graph.trig is read with --graph)")
    try:
        resolved = resolve_store(path)
    except FileNotFoundError:
        raise GraphError(f"no Oxigraph store at {path} (kg build -o OUT writes one at OUT/store unless "
                         "--no-store)") from None
    # Every RocksDB database has a CURRENT file; without one this is some other directory
    # (an output directory built with --no-store, say), and a plain message beats RocksDB's.
    if not (resolved / "CURRENT").is_file():
        raise GraphError(f"no Oxigraph store at {path} (kg build -o OUT writes one at OUT/store unless "
                         "--no-store)")
    return resolved


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


@dataclass(frozen=True)
class GraphSource:
    """What an :class:`Engine` queries: a graph file, which each worker loads into memory
    (``kind="file"``), or the on-disk store of a build, which each worker opens read-only
    (``kind="store"``; ``path`` is the store, ``out/store``, even when ``out`` was given)."""

    kind: str
    path: Path

    @classmethod
    def file(cls, path: Path | str) -> GraphSource:
        path = Path(path)
        check_graph_file(path)
        return cls("file", path)

    @classmethod
    def store(cls, path: Path | str) -> GraphSource:
        from kg.graph.store import STORE_NAME

        path = Path(path)
        check_store(path)
        if (path / STORE_NAME).exists():
            path = path / STORE_NAME  # the build's output directory was given
        return cls("store", path)

    def check(self) -> None:
        """:class:`GraphError` when the file or the store is not there (any more)."""
        if self.kind == "file":
            check_graph_file(self.path)
        else:
            check_store(self.path)

    def locate(self) -> Path:
        """What a new worker opens: the file, or the store directory the link points to now
        (a rebuild switches the link; a worker keeps the store it opened)."""
        return self.path if self.kind == "file" else check_store(self.path)

    def stamp(self) -> tuple | None:
        """Changes when a new ``kg build`` replaces the graph (None: cannot tell now)."""
        try:
            if self.kind == "file":
                st = self.path.stat()
                return (st.st_mtime_ns, st.st_size)
            resolved = self.path.resolve()
            st = resolved.stat()
            return (str(resolved), st.st_dev, st.st_ino)
        except OSError:
            return None

    @property
    def name(self) -> str:
        """A short name for pages and messages: ``graph.trig``, ``out/store``."""
        return self.path.name if self.kind == "file" else str(Path(self.path.parent.name) / self.path.name)

    @property
    def views_dir(self) -> Path:
        """Where ``kg viz`` writes its pages for this build: ``views/`` beside the graph or store."""
        return self.path.parent / VIEWS_DIR

    def __str__(self) -> str:
        return str(self.path)


def _worker_main(in_fd: str, out_fd: str, kind: str, graph_path: str) -> None:  # pragma: no cover - child process
    conn_in = Connection(int(in_fd), writable=False)
    conn = Connection(int(out_fd), readable=False)
    path = Path(graph_path)
    t0 = time.perf_counter()
    try:
        if kind == "store":
            # Read-only: several workers (and other readers) share the store, and a
            # published store is never written again (see kg/graph/store.py).
            store = ox.Store.read_only(str(path))
        else:
            store = ox.Store()
            store.bulk_load(path=str(path), format=_rdf_format(path))
        quads = len(store)
    except (OSError, SyntaxError, ValueError, GraphError) as exc:
        with contextlib.suppress(OSError):
            conn.send(("error", _one_line(exc)))
        return
    try:
        conn.send(("ready", {"quads": quads, "seconds": time.perf_counter() - t0}))
    except OSError:  # the engine was closed while we loaded
        return
    while True:
        try:
            req = conn_in.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(_run(store, req))
        except (EOFError, OSError, BrokenPipeError):
            return


def _run(store: ox.Store, req: dict) -> tuple:  # pragma: no cover - runs in the child process
    max_rows = req["max_rows"]
    kwargs: dict[str, Any] = {"prefixes": DEFAULT_PREFIXES}
    if req.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req["default_graph"]]
    if req.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req["named_graphs"]]
    try:
        res = store.query(req["query"], **kwargs)
        if isinstance(res, ox.QueryBoolean):
            return ("ask", bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = []
            for sol in res:
                if max_rows is not None and len(rows) >= max_rows:
                    return ("select", variables, rows, True)
                rows.append(tuple(sol[v] for v in range(len(variables))))
            return ("select", variables, rows, False)
        triples = []
        for t in res:
            if max_rows is not None and len(triples) >= max_rows:
                return ("graph", triples, True)
            triples.append(t)
        return ("graph", triples, False)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except Exception as exc:  # noqa: BLE001 - evaluation errors go back to the caller as text
        return ("error", f"{type(exc).__name__}: {exc}")


class _Worker:
    """A child Python process holding the graph; spoken to over two pipes.

    A plain subprocess (not :mod:`multiprocessing`), so that it never re-imports
    the caller's ``__main__`` and works from any script, test runner or server."""

    def __init__(self, source: GraphSource, start_timeout: float) -> None:
        self.source = source
        # The stamp is taken before the store link is resolved: should a rebuild switch
        # the link in between, the stamp is already out of date and the worker is
        # replaced before its first query, never kept on an old graph.
        self.stamp = source.stamp()
        target = source.locate()
        verb = "opening the store" if source.kind == "store" else "loading"
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # The child imports this very module: the directory holding this ``kg``
        # package goes first on its path (in place of the current directory that
        # ``python -c`` would put there), whether ``kg`` is installed or a checkout.
        code = ("import sys; sys.path[0] = sys.argv[1]; import kg.query.sparql as s; "
                "s._worker_main(*sys.argv[2:])")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code, str(_PACKAGE_DIR.parent), str(to_child_r), str(from_child_w),
                 source.kind, str(target)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                pass_fds=(to_child_r, from_child_w), close_fds=True,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._out = Connection(to_child_w, readable=False)
        self._in = Connection(from_child_r, writable=False)
        if not self._in.poll(start_timeout):
            self.kill()
            raise GraphError(f"{verb} {source} took longer than {start_timeout:.0f} s")
        try:
            kind, info = self._in.recv()
        except (EOFError, OSError):
            self.kill()
            raise GraphError(f"the query worker died while {verb} {source}") from None
        if kind == "error":
            self.kill()
            if source.kind == "store":
                raise GraphError(f"cannot open the Oxigraph store at {source}: {info}")
            raise GraphError(f"cannot load {source}: {info}")
        self.info = info

    def send(self, obj) -> None:
        self._out.send(obj)

    def poll(self, timeout: float) -> bool:
        return self._in.poll(timeout)

    def recv(self):
        return self._in.recv()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for c in (self._out, self._in) if hasattr(self, "_in") else ():
            try:
                c.close()
            except OSError:
                pass


class Engine:
    """Runs read-only SPARQL queries over a graph file or a build's store, with a time
    limit and a row cap.

    ``Engine(path)`` or ``Engine(graph=path)`` queries a graph file (each worker loads it
    into memory); ``Engine(store=path)`` the on-disk store of a build (``out`` or
    ``out/store``; each worker opens it read-only); ``Engine(GraphSource)`` either. ``workers`` processes each hold the
    graph; a query takes an idle one. A query past ``timeout`` seconds gets its worker
    killed and replaced. When a new ``kg build`` replaces the file or the store,
    workers reopen it before their next query.
    """

    def __init__(self, graph: Path | str | GraphSource | None = None, *, store: Path | str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS, workers: int = 1,
                 load_timeout: float = 300.0, respawn: bool = True) -> None:
        if (graph is None) == (store is None):
            raise ValueError("give either a graph file or a store")
        if isinstance(graph, GraphSource):
            graph.check()  # still there?
            self.source = graph
        else:
            self.source = GraphSource.file(graph) if graph is not None else GraphSource.store(store)
        self.graph = self.source.path  # the file, or the store directory
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.timeout = timeout
        self.max_rows = max_rows if max_rows and max_rows > 0 else None
        self.load_timeout = load_timeout
        self.respawn = respawn  # replace a killed worker (a server does; a one-shot command need not)
        self.size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._pending = 0  # workers being started in the background
        first = self._spawn()  # load errors surface here, in the caller
        self.quads = first.info["quads"]
        self._idle.put(first)
        for _ in range(self.size - 1):
            self._spawn_in_background(initial=True)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def views_dir(self) -> Path:
        return self.source.views_dir

    # -- pool --------------------------------------------------------------

    def _spawn(self) -> _Worker:
        w = _Worker(self.source, self.load_timeout)
        with self._lock:
            if self._closed:
                w.kill()
                raise GraphError("engine closed")
            self._all.add(w)
        return w

    def _spawn_in_background(self, initial: bool = False) -> None:
        if self._closed or not (self.respawn or initial):
            return

        with self._lock:
            self._pending += 1

        def run() -> None:
            try:
                w = self._spawn()
            except SparqlError:
                return
            finally:
                with self._lock:
                    self._pending -= 1
            self._idle.put(w)

        threading.Thread(target=run, daemon=True, name="kg-sparql-spawn").start()

    def _retire(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()

    def _acquire(self) -> _Worker:
        deadline = time.monotonic() + max(self.timeout, 1.0)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EngineBusy("all query workers are busy; try again shortly")
            with self._lock:
                none_left = not self._all and not self._pending
            if none_left and self._idle.empty():
                # Every worker was stopped and none is on its way: start one now.
                w = self._spawn()
                self.quads = w.info["quads"]
                return w
            try:
                w = self._idle.get(timeout=remaining)
            except queue.Empty:
                raise EngineBusy("all query workers are busy; try again shortly") from None
            if not w.alive():
                self._retire(w)
                self._spawn_in_background()
                continue
            current = self.source.stamp()
            if current is not None and current != w.stamp:
                # The graph was rebuilt: load (or open) the new one (errors are the caller's to see).
                self._retire(w)
                try:
                    w = self._spawn()
                except SparqlError:
                    self._spawn_in_background()
                    raise
                self.quads = w.info["quads"]
            return w

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- queries -----------------------------------------------------------

    def query(self, text: str, *, default_graph: Sequence[str] = (), named_graphs: Sequence[str] = (),
              timeout: float | None = None, max_rows: int | None = None) -> Result:
        if self._closed:
            raise GraphError("engine closed")
        check_read_only(text)
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        cap = self.max_rows if max_rows is None else (min(max_rows, self.max_rows) if self.max_rows else max_rows)
        for g in (*default_graph, *named_graphs):
            try:
                ox.NamedNode(g)
            except ValueError as exc:
                raise ParameterError(f"not a valid graph IRI: {g!r} ({exc})") from None
        w = self._acquire()
        started = time.perf_counter()
        try:
            w.send({"query": text, "max_rows": cap, "default_graph": list(default_graph),
                         "named_graphs": list(named_graphs)})
            if not w.poll(limit):
                self._retire(w)
                self._spawn_in_background()
                raise QueryTimeout(f"query stopped: it ran past the time limit of {limit:g} s")
            reply = w.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(w)
            self._spawn_in_background()
            raise QueryFailed("the query worker died while running the query (out of memory?)") from None
        except BaseException:
            if w in self._all:
                self._retire(w)
                self._spawn_in_background()
            raise
        self._idle.put(w)
        seconds = time.perf_counter() - started
        kind = reply[0]
        if kind == "syntax":
            if looks_like_update(text):
                raise QueryRefused("SPARQL Update is not accepted: the graph is read-only")
            raise QuerySyntaxError(reply[1])
        if kind == "error":
            raise QueryFailed(reply[1])
        if kind == "ask":
            return Result("ask", boolean=reply[1], seconds=seconds, max_rows=cap)
        if kind == "select":
            return Result("select", variables=reply[1], rows=reply[2], truncated=reply[3], seconds=seconds,
                          max_rows=cap)
        return Result("graph", triples=reply[1], truncated=reply[2], seconds=seconds, max_rows=cap)


def syntax_location(message: str) -> tuple[int, int] | None:
    """(line, column) from an Oxigraph parser message such as ``error at 4:2: ...``."""
    m = re.search(r"\bat (\d+):(\d+)", message)
    return (int(m.group(1)), int(m.group(2))) if m else None
