"""The graph built without holding its quads (kg/graph/build.py) and the corpus's packed
extractions (kg/run/packed.py): same quads, same order, same files, nothing left behind."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.extraction import extract_article
from kg.graph import build as graph_build
from kg.graph.build import KnowledgeGraph, _literal_form, _sort_key, build_graph
from kg.graph.output import remove_stale_temporaries, serialize
from kg.run.packed import PackedExtractions, pack

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seed_extractions():
    xs = []
    for f in sorted(SEEDS.glob("*.txt")):
        raw = f.read_bytes()
        xs.append(extract_article(f.stem, raw.decode("utf-8"), f.name, hashlib.sha256(raw).hexdigest()))
    return xs


@pytest.fixture(scope="module")
def seed_graph(seed_extractions, tmp_path_factory):
    g = build_graph(seed_extractions, directory=tmp_path_factory.mktemp("work"))
    yield g
    g.close()


def test_the_quads_come_in_canonical_order_default_graph_first(seed_graph):
    quads = list(seed_graph.quads())
    assert len(quads) == seed_graph.quad_count
    assert len(set(quads)) == len(quads)
    assert quads == sorted(quads, key=_sort_key)
    defaults = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    assert quads[: seed_graph.default_count] == defaults == list(seed_graph.default_quads())
    assert len({q.graph_name for q in quads[seed_graph.default_count:]}) == 5  # one named graph per seed


def test_the_files_are_those_of_the_same_quads_sorted_in_memory(seed_graph):
    # The writers given the quads as a list, sorted by the reference key, write the same bytes.
    in_memory = KnowledgeGraph(sorted(seed_graph.quads(), key=_sort_key), {}, [],
                               default_count=seed_graph.default_count)
    for fmt in ("turtle", "trig"):
        assert serialize(seed_graph, fmt) == serialize(in_memory, fmt)


def test_the_order_of_the_articles_does_not_matter(seed_extractions, seed_graph, tmp_path):
    g = build_graph(list(reversed(seed_extractions)), directory=tmp_path)
    try:
        assert serialize(g, "trig") == serialize(seed_graph, "trig")
    finally:
        g.close()


def test_the_store_loaded_in_pieces_holds_every_quad(seed_graph, monkeypatch):
    monkeypatch.setattr(graph_build, "LOAD_CHUNK_BYTES", 4096)  # many pieces, cut at line ends
    store = ox.Store()
    seed_graph.load_into(store)
    assert set(store) == set(seed_graph.quads())


def test_packed_extractions_build_the_same_graph(seed_extractions, seed_graph, tmp_path):
    packed = PackedExtractions()
    for x in seed_extractions:
        packed.append(x)
    assert list(packed) == seed_extractions
    assert packed[2] == seed_extractions[2] and pack(seed_extractions[0]).unpack() == seed_extractions[0]
    g = build_graph(packed, directory=tmp_path)
    try:
        assert serialize(g, "trig") == serialize(seed_graph, "trig")
    finally:
        g.close()


def test_the_work_directory_is_removed_on_close_and_after_a_killed_build(seed_extractions, tmp_path):
    g = build_graph(seed_extractions[:1], directory=tmp_path)
    work = g.files.path
    assert work.parent == tmp_path and work.name.startswith(".graph-") and work.name.endswith(".tmp")
    g.close()
    assert not work.exists()
    # What a killed build leaves is removed by the next one.
    (tmp_path / ".graph-left.tmp").mkdir()
    (tmp_path / ".graph-left.tmp" / "named.nq").write_text("x")
    remove_stale_temporaries(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_build_removes_its_work_directory(seed_extractions, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        # Halfway: the work directory is there by now.
        assert [p.name[:7] for p in tmp_path.iterdir()] == [".graph-"]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(graph_build, "doc_iri", boom)
    with pytest.raises(OSError):
        build_graph(seed_extractions[:1], directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, kind=st.sampled_from(["plain", "zh", "integer"]))
def test_the_literal_forms_are_oxigraphs(text, kind):
    # The canonical order compares these forms: they must be str() of the pyoxigraph term.
    xsd_integer = "http://www.w3.org/2001/XMLSchema#integer"
    if kind == "plain":
        expected, got = ox.Literal(text), _literal_form(text)
    elif kind == "zh":
        expected, got = ox.Literal(text, language="zh"), _literal_form(text, "zh")
    else:
        expected, got = ox.Literal(text, datatype=ox.NamedNode(xsd_integer)), _literal_form(text, datatype=xsd_integer)
    assert got == str(expected)


def test_the_literal_forms_of_every_escaped_character():
    for c in [chr(i) for i in range(0x20)] + ['"', "\\", "\x7f", "\u2028", "é", "区"]:
        assert _literal_form(f"a{c}b", "zh") == str(ox.Literal(f"a{c}b", language="zh"))
