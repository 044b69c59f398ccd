"""Query results and their serialisations (SPARQL JSON, XML, CSV, TSV; Turtle and
N-Triples for CONSTRUCT and DESCRIBE), and terms written compactly for people.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

import pyoxigraph as ox

from kg.query.library import DEFAULT_PREFIXES, XSD

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

# Short and spelled-out names people give formats (any case): one table for the
# query server's ``format=`` parameter and every verb's ``--format``.
FORMAT_ALIASES = {
    "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads", "n-quads": "nquads",
    "json-ld": "jsonld", "gml": "graphml", "tab": "tsv", "text": "table", "sparql-results+json": "json",
}


def format_name(name: str) -> str:
    """``name`` lower-cased, with a short name spelled out (``TTL`` → ``turtle``); not checked."""
    key = name.strip().lower()
    return FORMAT_ALIASES.get(key, key)
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
