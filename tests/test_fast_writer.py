"""graph.ttl / graph.trig written straight from the sorted work lines (kg/graph/output.py
``write_lines``) against Oxigraph's own serialiser given the same quads, on arbitrary
graphs: awkward literals (quotes, backslashes, control characters, line separators,
numbers that are and are not in Turtle's bare form), IRIs that a prefix abbreviates
with escapes, cannot abbreviate, or abbreviates only with a shorter prefix; and the
store loaded from the same lines holds exactly the same quads."""
from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.graph.build import GraphFiles, KnowledgeGraph, _sort_key
from kg.graph.output import TurtleTerms, _prefixes, serialize, write_lines

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"
PREFIXES = {**_prefixes(), "ex": EX, "exa": EX + "a/", "exab": EX + "a/b"}

# Characters that a local name takes as they are, takes escaped, takes only after its
# first character (· and combining marks), takes only inside ('.'), or not at all.
_LOCAL_CHARS = st.sampled_from(list("ab09_-.:~!$&'()*+,;=/?#@") + ["%41", "\u00b7", "\u0301", "\u203f", "区", "é", "\u00d7"])
_LOCAL = st.lists(_LOCAL_CHARS, max_size=6).map("".join)
_NAMESPACE = st.sampled_from([EX, EX + "a/", EX + "a/b", EX + "a/bc", "https://w3id.org/zonekg/id/",
                              "https://w3id.org/zonekg/id/zone/", "https://w3id.org/zonekg/ontology#", "http://other.org/"])


@st.composite
def _iris(draw) -> ox.NamedNode:
    iri = draw(_NAMESPACE) + draw(_LOCAL)
    try:
        return ox.NamedNode(iri)
    except ValueError:  # not an IRI ("%" not followed by two hex digits, a second "#")
        assume(False)


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['a"b', "a\\b", "x\ny\r\tz", "\u2028", "\x00\x7f", " . ", '"^^<http://x/>', "e\u0301"])
_NUMBERISH = st.sampled_from(["12", "+012", "-0", "1.5", "-.5", "1.", ".", "1e5", "1.5E-3", ".5e1", "1e", "true",
                              "false", "True", "x", "", "1 ", "٣"]) | st.from_regex(r"[+-]?[0-9]{0,3}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,2})?", fullmatch=True)
_DATATYPES = st.sampled_from([XSD + t for t in ("integer", "decimal", "double", "boolean", "string", "date")]
                             + [EX + "type", "http://other.org/t"])


@st.composite
def _literals(draw) -> ox.Literal:
    kind = draw(st.sampled_from(["plain", "lang", "typed"]))
    if kind == "plain":
        return ox.Literal(draw(_TEXT))
    if kind == "lang":
        return ox.Literal(draw(_TEXT), language=draw(st.sampled_from(["zh", "en", "zh-hans"])))
    return ox.Literal(draw(_NUMBERISH | _TEXT), datatype=ox.NamedNode(draw(_DATATYPES)))


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@st.composite
def _quads(draw) -> list[ox.Quad]:
    # Few subjects, predicates and graphs, so that statements group (" ;", " ,").
    subjects = draw(st.lists(_iris(), min_size=1, max_size=4))
    predicates = draw(st.lists(_iris(), min_size=1, max_size=3)) + [_RDF_TYPE]
    graphs = [ox.DefaultGraph()] + draw(st.lists(_iris(), max_size=3))
    quads = draw(st.lists(st.builds(ox.Quad, st.sampled_from(subjects), st.sampled_from(predicates),
                                    _literals() | _iris() | st.sampled_from(subjects), st.sampled_from(graphs)),
                          max_size=25))
    return sorted(set(quads), key=_sort_key)


def _work_files(quads: list[ox.Quad], directory) -> KnowledgeGraph:
    """A graph in work files, as kg/graph/build.py writes them: its lines in canonical order."""
    files = GraphFiles(directory)
    default = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    files.default.write_text("".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in default), encoding="utf-8")
    files.named.write_text("".join(f"{q} .\n" for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)),
                           encoding="utf-8")
    return KnowledgeGraph(None, {}, [], default_count=len(default), quad_count=len(quads), files=files)


def _reference(quads: list[ox.Quad], fmt: str) -> bytes:
    """What Oxigraph's serialiser writes for the quads, with its prefix lines sorted."""
    buf = io.BytesIO()
    if fmt == "turtle":
        ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads
                      if isinstance(q.graph_name, ox.DefaultGraph)], buf, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    else:
        ox.serialize(quads, buf, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    lines = buf.getvalue().split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def _written(kg: KnowledgeGraph, fmt: str) -> bytes:
    buf = io.BytesIO()
    write_lines(buf, PREFIXES, default=kg.files.default, named=kg.files.named if fmt == "trig" else None)
    return buf.getvalue()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quads=_quads())
def test_the_lines_are_written_as_oxigraph_serialises_the_quads(quads, tmp_path):
    kg = _work_files(quads, tmp_path)
    try:
        for fmt in ("turtle", "trig"):
            assert _written(kg, fmt) == _reference(quads, fmt)
    finally:
        kg.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quads=_quads())
def test_the_store_loaded_from_the_lines_holds_exactly_the_quads(quads, tmp_path):
    kg = _work_files(quads, tmp_path)
    try:
        store = ox.Store()
        kg.load_into(store)
        # The same quads given to a store as pyoxigraph terms (the store writes some
        # typed literals in their canonical form, "+012" as "12": so both do).
        reference = ox.Store()
        reference.bulk_extend(quads)
        assert sorted(store, key=_sort_key) == sorted(reference, key=_sort_key)
        assert len(store) == len(reference) > 0 or not quads
    finally:
        kg.close()


@settings(max_examples=300, deadline=None)
@given(iri=_iris())
def test_an_iri_is_abbreviated_as_oxigraph_does(iri):
    buf = io.BytesIO()
    ox.serialize([ox.Triple(iri, iri, iri)], buf, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    expected = buf.getvalue().decode().splitlines()[-1].split(" ")[0]
    assert TurtleTerms(PREFIXES).iri(str(iri)) == expected


def test_graph_files_are_written_the_same_both_ways(tmp_path):
    # The public entry point on a graph in files and on the same quads in memory
    # (which goes through Oxigraph's serialiser).
    quads = sorted({
        ox.Quad(ox.NamedNode(EX + "s"), _RDF_TYPE, ox.NamedNode(EX + "C")),
        ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "n"), ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))),
        ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "n"), ox.Literal("7.0", datatype=ox.NamedNode(XSD + "decimal"))),
        ox.Quad(ox.NamedNode(EX + "t"), ox.NamedNode(EX + "n"), ox.Literal('引"号"\n', language="zh"), ox.NamedNode(EX + "g")),
    }, key=_sort_key)
    in_files = _work_files(quads, tmp_path)
    in_memory = KnowledgeGraph(quads, {}, [], default_count=3)
    try:
        for fmt in ("turtle", "trig"):
            assert serialize(in_files, fmt) == serialize(in_memory, fmt)
        assert serialize(in_files, "trig").endswith(b"}\n")
    finally:
        in_files.close()


@pytest.mark.parametrize("named", [False, True])
def test_an_empty_graph_writes_nothing_as_oxigraph_does(tmp_path, named):
    kg = _work_files([], tmp_path)
    try:
        assert _written(kg, "trig" if named else "turtle") == _reference([], "trig" if named else "turtle") == b""
    finally:
        kg.close()
