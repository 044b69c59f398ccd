"""The library queries rewritten for speed (issue 16) give the same rows, in the same
order, as their previous texts (kept in tests/queries_before/) on the graph built from
seeds/: unbound, and bound to names as `kg query` binds them (one name, and a list of
several that a part of a name resolves to)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from serving import seed_graph

from kg.query.engine import Engine
from kg.query.library import bind, load_query, read_query_file, value_lists
from kg.query.names import run_resolved

BEFORE = Path(__file__).parent / "queries_before"
NAMES = sorted(p.stem for p in BEFORE.glob("*.rq"))
# Values as users give them; each is resolved through the graph's names, as kg query does.
VALUES = {
    "zone": ["许昌", "鹤壁经开区", "经开区", "国家漯河经济技术开发区"],
    "enterprise": ["嘉吉", "西继迅达", "集团"],
    "place": ["河南", "许昌市"],
    "name": ["迅达", "许继集团"],
    "subject": ["许昌经开区", "经开区"],
}


@pytest.fixture(scope="module")
def engine():
    with Engine(seed_graph(), timeout=60, max_rows=None) as e:
        yield e


def rows(result):
    return result.rows if result.kind == "select" else sorted(map(str, result.triples))


@pytest.mark.parametrize("name", NAMES)
def test_rewritten_query_gives_the_rows_of_its_previous_text(engine, name):
    new, old = load_query(name), read_query_file(BEFORE / f"{name}.rq")
    assert [p.name for p in new.params] == [p.name for p in old.params]
    cases = [{}] + [{p.name: v} for p in new.params for v in VALUES.get(p.name, [])]
    compared = 0
    for values in cases:
        got, _, _ = run_resolved(engine.query, new.text, new.params, values)
        want, _, _ = run_resolved(engine.query, old.text, old.params, values)
        assert rows(got) == rows(want), values
        compared += bool(rows(want))
    # A query without parameters has one case (unbound); the others must see rows bound too.
    assert compared >= min(2, len(cases)), "the comparison saw rows"


def test_a_list_parameter_binds_one_row_per_name_and_keeps_the_rest_of_the_query():
    text = 'SELECT ?z WHERE { VALUES ?_zone { UNDEF } ?z ?p ?_zone FILTER(?x != "VALUES ?_zone { UNDEF }") }'
    assert value_lists(text) == {"zone"}
    bound = bind(text, {"zone": 'A|B"C|A'})
    assert bound == ('SELECT ?z WHERE { VALUES ?_zone { "A"@zh "B\\"C"@zh } ?z ?p ?_zone '
                     'FILTER(?x != "VALUES ?_zone { UNDEF }") }')
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/z"), ox.NamedNode("http://e/p"), ox.Literal('B"C', language="zh")))
    assert [r[0].value for r in store.query(bound.replace("?x", '""'))] == ["http://e/z"]
    # Unbound, the file is plain SPARQL: every name matches.
    assert len(list(store.query(text.replace("?x", '""')))) == 1
