"""The query library and safe parameters.

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
Federated queries (``SERVICE``) and updates are refused (:func:`check_read_only`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.graph.name_index import SEPARATOR
from kg.query.errors import ParameterError, QueryRefused, SparqlError

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
VIEWS_DIR = "views"  # where `kg viz` writes its pages: out/views, beside the graph file and the store


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


PACKAGE_DIR = Path(__file__).resolve().parent.parent  # kg/


def library_dirs() -> list[Path]:
    """Where the library is looked for: the installed package, then a source checkout."""
    return [PACKAGE_DIR / "queries", PACKAGE_DIR.parent / "queries"]


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


# A name parameter declared as ``VALUES ?_zone { UNDEF }``: one row, the parameter unbound
# (no restriction), so the file runs as it is; bound, the block gets one row per name.
_VALUES_DECL = re.compile(r"\bVALUES\s+[?$]%s(\w+)\s*\{\s*UNDEF\s*\}" % PLACEHOLDER_PREFIX, re.IGNORECASE)


def _blank(text: str) -> str:
    """The query with strings, IRIs and comments blanked out, character for character."""
    return "".join(re.sub(r"[^\n]", " ", m.group(0)) if m.group("string") or m.group("iri") or m.group("comment")
                   else m.group(0) for m in _tokens(text))


def value_lists(text: str) -> set[str]:
    """The parameters ``text`` declares with ``VALUES ?_name { UNDEF }`` (see :func:`bind`)."""
    return {m.group(1) for m in _VALUES_DECL.finditer(_blank(text))}


def _name_rows(value: str) -> str:
    """Each name of a ``|``-joined list, as the graph writes every name and alias: "…"@zh."""
    return " ".join(str(ox.Literal(n, language="zh")) for n in dict.fromkeys(value.split(SEPARATOR)))


def bind(text: str, values: Mapping[str, str], params: Sequence[Param] | None = None) -> str:
    """``text`` with each ``?_name`` placeholder of a given parameter replaced by its value.

    Types come from ``params`` (or the query's own header); a value is turned into a
    pyoxigraph term and written in its N-Triples form, which SPARQL reads as the same
    term. Only variable tokens are replaced: the same characters inside a string, an
    IRI or a comment are left alone. Line numbers do not change.

    A string parameter the query declares with ``VALUES ?_name { UNDEF }`` is a list of
    names instead: that block gets one row per name (the value split on ``|``), each the
    Chinese literal ``"…"@zh`` in which the graph writes names, and ``?_name`` stays a
    variable. Oxigraph then looks each name up in its index, where a ``FILTER`` on the
    names would read every name of the graph."""
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
    types = {name: by_name.get(name, Param(name)).type for name in values}
    lists = {name for name in value_lists(text) & set(values) if types[name] == "string"}
    if lists:
        blanked = _blank(text)
        pieces, last = [], 0
        for m in _VALUES_DECL.finditer(blanked):
            if m.group(1) in lists:
                lines = "\n" * text.count("\n", m.start(), m.end())
                pieces += [text[last:m.start()],
                           f"VALUES ?{PLACEHOLDER_PREFIX}{m.group(1)} {{ {_name_rows(values[m.group(1)])} }}{lines}"]
                last = m.end()
        text = "".join(pieces) + text[last:]
    terms = {name: str(term_for(v, types[name])) for name, v in values.items() if name not in lists}
    out = []
    for m in _tokens(text):
        name = m.group("varname")
        if name and name.startswith(PLACEHOLDER_PREFIX) and name[len(PLACEHOLDER_PREFIX):] in terms:
            out.append(terms[name[len(PLACEHOLDER_PREFIX):]])
        else:
            out.append(m.group(0))
    return "".join(out)
