"""The query library, parameter binding and `kg query`, on the graph built from seeds/.

The assertions name facts the sample articles state plainly (the 许昌 zone hosts
西继迅达, 投资15亿元的奥诺药业…, the 两群两链 of 许昌 …), not the exact counts the
extractor gives today.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pyoxigraph as ox
import pytest
from serving import SEEDS, kg, seed_graph

from kg.graph.name_index import variants
from kg.query.engine import Engine
from kg.query.errors import ParameterError, QueryRefused, QueryTimeout
from kg.query.library import (
    PARAM_TYPES,
    bind,
    list_queries,
    load_query,
    parse_param_args,
    term_for,
)
from kg.query.names import run_resolved
from kg.query.results import serialize

XUCHANG = "国家许昌经济技术开发区"
LUOHE = "国家漯河经济技术开发区"
HEBI = "鹤壁国家经济技术开发区"

LIBRARY = list_queries()
NAMES = [q.name for q in LIBRARY]


@pytest.fixture(scope="module")
def graph():
    return seed_graph()


@pytest.fixture(scope="module")
def engine(graph):
    with Engine(graph, timeout=60, max_rows=None) as e:
        yield e


def run(engine, query: str, **params) -> list[dict[str, str]]:
    """Rows of a library query as {variable: plain value}, its names resolved as kg query does."""
    q = load_query(query)
    result, _, _ = run_resolved(engine.query, q.text, q.params, {k: str(v) for k, v in params.items()})
    assert result.kind == "select"
    return [{v: (t.value if t is not None else "") for v, t in zip(result.variables, row)} for row in result.rows]


def names(row: dict[str, str], *cols: str) -> str:
    return " ".join(row[c] for c in cols)


# --------------------------------------------------------------------------
# The library itself


def test_library_has_at_least_ten_queries_including_evidence():
    assert len(LIBRARY) >= 10
    assert "evidence" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_query_has_a_complete_header(name):
    q = load_query(name)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in q.question_zh), "question in Chinese"
    assert q.question_en and q.question_en.isascii(), "question in English"
    assert q.example.startswith(f"kg query {name}"), "example command"
    assert len(q.example.splitlines()) >= 2, "example output"
    for p in q.params:
        assert p.description, f"parameter {p.name} is described"
        assert p.type in PARAM_TYPES


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_as_plain_sparql_and_returns_rows(graph, name):
    """Each file is a standalone query (own PREFIXes, parameters unbound) that
    pyoxigraph runs as is: what any SPARQL client would do with it."""
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TRIG)
    result = store.query(load_query(name).text)
    items = list(result)
    assert items, f"{name} returned nothing on the seed graph"


@pytest.mark.parametrize("name", NAMES)
def test_every_example_command_runs(engine, name):
    """The parameters of each header example bind and give rows."""
    q = load_query(name)
    words = q.example.splitlines()[0].split()
    params = [words[i + 1] for i, w in enumerate(words) if w == "--param"]
    result, _, _ = run_resolved(engine.query, q.text, q.params, parse_param_args(params))
    assert result.count > 0


# --------------------------------------------------------------------------
# What the questions answer on the sample articles


def test_zone_enterprises_xuchang_hosts_xiji_xunda(engine):
    rows = run(engine, "zone-enterprises", zone="许昌")
    assert rows
    xuchang = [r for r in rows if r["zone"] == XUCHANG]
    assert any("西继迅达" in names(r, "enterprise", "aliases") for r in xuchang)
    assert any("奥诺药业" in r["enterprise"] for r in xuchang)


def test_zone_enterprises_without_parameter_covers_all_three_national_zones(engine):
    zones = {r["zone"] for r in run(engine, "zone-enterprises")}
    assert {XUCHANG, LUOHE, HEBI} <= zones


def test_zone_enterprises_parameter_matches_an_alias(engine):
    rows = run(engine, "zone-enterprises", zone="许昌经开区")  # an alias, not the canonical name
    assert {r["zone"] for r in rows} == {XUCHANG}


def test_zone_enterprises_luohe(engine):
    rows = run(engine, "zone-enterprises", zone="漯河")
    assert {r["zone"] for r in rows} == {LUOHE}
    assert any("双汇" in r["enterprise"] for r in rows)


def test_zone_projects_largest_first_with_aonuo_amount(engine):
    rows = run(engine, "zone-projects", zone="许昌")
    amounts = [Decimal(r["amount"]) for r in rows if r["amount"]]
    assert amounts == sorted(amounts, reverse=True)
    assert all(r["zone"] == XUCHANG for r in rows)
    aonuo = [r for r in rows if "奥诺药业氨基酸" in r["project"]]
    assert aonuo and Decimal(aonuo[0]["amount"]) == Decimal("1500000000")
    assert Decimal(aonuo[0]["amount_yi"]) == 15
    # rows without an amount come after every row with one
    seen_blank = False
    for r in rows:
        seen_blank |= not r["amount"]
        assert not (seen_blank and r["amount"])


def test_zone_investment_totals(engine):
    rows = {r["zone"]: r for r in run(engine, "zone-investment")}
    xuchang = rows[XUCHANG]
    assert Decimal(xuchang["total"]) >= Decimal("1500000000")
    assert int(xuchang["projects"]) >= int(xuchang["projects_with_amount"]) >= 1
    totals = [Decimal(r["total"]) for r in run(engine, "zone-investment")]
    assert totals == sorted(totals, reverse=True)


def test_multi_zone_enterprises_xuji_group(engine):
    rows = run(engine, "multi-zone-enterprises")
    assert rows
    assert all(int(r["zone_count"]) > 1 for r in rows)
    xuji = [r for r in rows if r["enterprise"] == "许继集团"]
    assert xuji and "中原电气谷" in xuji[0]["zones"] and XUCHANG in xuji[0]["zones"]


def test_zones_sharing_are_really_shared(engine):
    rows = run(engine, "zones-sharing")
    assert rows
    assert any(r["shared"] == "许继集团" and {r["zone1"], r["zone2"]} == {XUCHANG, "中原电气谷"} for r in rows)
    for r in rows:
        assert r["zone1"] != r["zone2"]
    only_hebi = run(engine, "zones-sharing", zone="鹤壁")
    assert all(HEBI in (r["zone1"], r["zone2"]) for r in only_hebi)


def test_zone_profile_xuchang_two_clusters_chains_and_parks(engine):
    rows = run(engine, "zone-profile", zone="许昌经济技术")
    by_kind: dict[str, set[str]] = {}
    for r in rows:
        assert r["zone"] == XUCHANG
        by_kind.setdefault(r["kind"].split()[1], set()).add(r["name"])
    assert {"装备制造产业集群", "生物医药产业集群"} <= by_kind["产业集群"]
    assert {"电力装备产业链", "电梯产业链", "智能装备产业链", "生物医药产业链"} <= by_kind["产业链"]
    assert {"电力装备产业园", "电梯产业园", "智能装备产业园", "电子产业园"} <= by_kind["园区"]
    assert any("许昌" in p for p in by_kind["所在地"])


def test_enterprise_projects_aonuo(engine):
    rows = run(engine, "enterprise-projects", enterprise="奥诺")
    assert any("氨基酸" in r["project"] and r["zone"] == XUCHANG and Decimal(r["amount"]) == Decimal("1.5e9")
               for r in rows)


def test_enterprise_projects_by_short_name(engine):
    rows = run(engine, "enterprise-projects", enterprise="嘉吉")
    assert rows and all("嘉吉" in r["enterprise"] for r in rows)
    assert {r["zone"] for r in rows} == {LUOHE}


def test_projects_above_threshold(engine):
    rows = run(engine, "projects-above", min="1e9")
    assert rows
    assert all(Decimal(r["amount"]) >= Decimal("1e9") for r in rows)
    assert any("奥诺药业" in r["project"] for r in rows)
    high = run(engine, "projects-above", min="5000000000")
    assert all(Decimal(r["amount"]) >= Decimal("5e9") for r in high)
    assert not any("奥诺药业" in r["project"] for r in high)
    assert len(run(engine, "projects-above")) >= len(rows)


def test_entity_by_alias(engine):
    rows = run(engine, "entity", name="西继迅达")
    assert rows
    assert len({r["entity"] for r in rows}) == 1
    assert any(r["direction"] == "←" and r["property"].endswith("#hosts") and r["value"] == XUCHANG for r in rows)
    assert any(r["property"].endswith("#altLabel") and r["value"] == "西继迅达" or r["label"] == "西继迅达"
               for r in rows)


def test_entity_zone_by_alias(engine):
    rows = run(engine, "entity", name="许昌经开区")
    assert {r["label"] for r in rows} == {XUCHANG}
    assert any(r["property"].endswith("#hasChain") for r in rows)


def test_evidence_of_a_hosts_fact(engine):
    rows = run(engine, "evidence", subject="许昌经开区", relation="hosts", object="迅达")
    assert rows
    for r in rows:
        assert r["subject"] == XUCHANG and r["relation"] == "hosts"
        assert r["document"].endswith(".txt")
        assert "迅达" in r["sentence"]
        assert 0 <= int(r["start"]) < int(r["end"])


def test_evidence_of_an_amount(engine):
    rows = run(engine, "evidence", subject="奥诺药业氨基酸", relation="invests")
    assert rows
    assert any(r["object"] == "1500000000" and "15亿元" in r["sentence"] for r in rows)


def test_evidence_names_the_document_file(engine):
    docs = {r["document"] for r in run(engine, "evidence")}
    assert docs == {p.name for p in SEEDS.glob("*.txt")}  # every sample article states some fact


def test_mentions_spellings(engine):
    rows = run(engine, "mentions", name="迅达")
    assert any(r["spelling"] == "西继迅达" and r["document"].startswith("001_") for r in rows)


def test_zones_by_place(engine):
    rows = run(engine, "zones-by-place", place="许昌")
    assert any(r["zone"] == XUCHANG and int(r["enterprises"]) > 0 and int(r["projects"]) > 0 for r in rows)
    assert all("许昌" in r["place"] for r in rows)
    assert any(r["zone"] == HEBI for r in run(engine, "zones-by-place", place="鹤壁"))


def test_zone_graph_construct(engine):
    q = load_query("zone-graph")
    result = engine.query(bind(q.text, {"zone": "鹤壁经开区"}, q.params))  # a variant, in plain SPARQL
    assert result.kind == "graph" and result.triples
    labels = {t.object.value for t in result.triples if t.predicate.value.endswith("#label")}
    assert HEBI in labels
    assert any(t.predicate.value.endswith("#hosts") for t in result.triples)
    assert LUOHE not in labels
    turtle = serialize(result, "turtle")
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == len(result.triples)


def test_summary(engine):
    rows = run(engine, "summary")
    counts = {r["kind"].rsplit("#", 1)[1]: int(r["count"]) for r in rows}
    assert counts["Document"] == 5
    assert counts["Zone"] >= 3
    assert counts["hosts"] > 0 and counts["Evidence"] > 0


# --------------------------------------------------------------------------
# A parameter narrows the listing, and does nothing else
#
# The library queries start from what a parameter names and work outward from it (so
# that they stay fast on large graphs; see docs/querying.md). Whatever the plan, a
# query asked with a parameter must give exactly the rows of its unparameterised run
# that concern what the parameter names.


def names_by_label(engine, cls: str | None = None, *, hidden: bool = False) -> dict[str, set[str]]:
    """The label of each entity (of a class, or of any entity class) -> all its names
    (with ``hidden``: its search variants too)."""
    types = f"kg:{cls}" if cls else "kg:Zone kg:Park kg:Enterprise kg:Project kg:IndustryChain kg:IndustryCluster kg:Place"
    path = "rdfs:label|skos:altLabel|skos:hiddenLabel" if hidden else "rdfs:label|skos:altLabel"
    result = engine.query("SELECT ?label ?name WHERE { VALUES ?type { " + types + " } "
                          "?x a ?type ; rdfs:label ?label ; " + path + " ?name }")
    out: dict[str, set[str]] = {}
    for label, name in result.rows:
        out.setdefault(label.value, set()).add(name.value)
    return out


def labels_named(names: dict[str, set[str]], part: str) -> set[str]:
    return {label for label, spellings in names.items() if any(part in n for n in spellings)}


def labels_resolved(engine, cls: str | None, value: str) -> set[str]:
    """What a name parameter stands for: the entities with that label or alias; else
    those with a search variant of it among their names and variants; else those with
    it in one of their names or variants."""
    names = names_by_label(engine, cls)
    exact = {label for label, spellings in names.items() if value in spellings}
    if exact:
        return exact
    every = names_by_label(engine, cls, hidden=True)
    forms = variants(value, cls)
    return {label for label, spellings in every.items() if spellings & forms} or labels_named(every, value)


def same_rows(a: list[dict[str, str]], b: list[dict[str, str]]) -> bool:
    return sorted(tuple(sorted(r.items())) for r in a) == sorted(tuple(sorted(r.items())) for r in b)


PARTS = ["许昌", "许昌经开区", "漯河", "鹤壁", "经济技术", "区", "迅达", "奥诺", "嘉吉", "集团", "不存在"]


@pytest.mark.parametrize("query,param,cls,columns", [
    ("zone-enterprises", "zone", "Zone", ("zone",)),
    ("zone-projects", "zone", "Zone", ("zone",)),
    ("zone-profile", "zone", "Zone", ("zone",)),
    ("zones-sharing", "zone", "Zone", ("zone1", "zone2")),
    ("zones-by-place", "place", "Place", ("place",)),
    ("enterprise-projects", "enterprise", "Enterprise", ("enterprise",)),
    ("mentions", "name", None, ("entity",)),
    ("evidence", "subject", None, ("subject",)),
])
@pytest.mark.parametrize("part", PARTS)
def test_a_name_parameter_keeps_the_rows_about_what_it_names(engine, query, param, cls, columns, part):
    named = labels_resolved(engine, cls, part)
    expected = [r for r in run(engine, query) if any(r[c] in named for c in columns)]
    assert same_rows(run(engine, query, **{param: part}), expected)


@pytest.mark.parametrize("relation", ["hosts", "hasPark", "hasChain", "hasCluster", "locatedIn", "operatedBy",
                                      "invests", "mentionedIn"])
def test_evidence_relation_parameter(engine, relation):
    expected = [r for r in run(engine, "evidence") if r["relation"] == relation]
    assert same_rows(run(engine, "evidence", relation=relation), expected)


@pytest.mark.parametrize("part", [*PARTS, "1500000000", "亿"])
def test_evidence_object_parameter(engine, part):
    named = {part} if part.isdigit() else labels_resolved(engine, None, part)
    expected = [r for r in run(engine, "evidence") if r["object"] in named]
    assert same_rows(run(engine, "evidence", object=part), expected)


def test_evidence_all_three_parameters(engine):
    expected = [r for r in run(engine, "evidence", subject="许昌经开区")
                if r["relation"] == "hosts" and "迅达" in r["object"]]
    assert expected
    assert same_rows(run(engine, "evidence", subject="许昌经开区", relation="hosts", object="迅达"), expected)


@pytest.mark.parametrize("name", ["西继迅达", "西继迅达电梯有限公司", "许昌经开区", XUCHANG, "奥诺药业", "许昌市",
                                  "迅达", "不存在", ""])
def test_entity_name_is_a_whole_name_or_alias(engine, name):
    labels = labels_resolved(engine, None, name) if name else set()
    expected = [r for r in run(engine, "entity") if r["label"] in labels]
    assert same_rows(run(engine, "entity", name=name), expected)
    assert bool(expected) == bool(labels)


@pytest.mark.parametrize("amount", ["0", "300000000", "1e9", "1500000000", "7500000000", "1e12"])
def test_projects_above_keeps_the_projects_at_or_above(engine, amount):
    expected = [r for r in run(engine, "projects-above") if Decimal(r["amount"]) >= Decimal(amount)]
    assert same_rows(run(engine, "projects-above", min=amount), expected)


@pytest.mark.parametrize("part", ["鹤壁", "许昌", "经开区"])
def test_zone_graph_parameter_keeps_the_zones_it_names(engine, part):
    q = load_query("zone-graph")
    everything = {str(t) for t in engine.query(q.text).triples}
    some = run_resolved(engine.query, q.text, q.params, {"zone": part})[0].triples
    assert some and {str(t) for t in some} <= everything
    zones = labels_resolved(engine, "Zone", part)
    described = {t.object.value for t in some if t.predicate.value.endswith("#label")
                 and any(u.subject == t.subject and u.object.value.endswith("#Zone") for u in some)}
    assert described == zones


# --------------------------------------------------------------------------
# Parameters: typed, escaped, never able to change the query


def test_a_hostile_value_stays_one_literal(engine):
    q = load_query("zone-enterprises")
    hostile = '许昌"))) } UNION { ?z ?p ?o } #\n'
    text = bind(q.text, {"zone": hostile}, q.params)
    result = engine.query(text)
    assert result.count == 0  # no zone is called that; the query kept its shape
    assert text.count("\n") == q.text.count("\n")


def test_placeholders_in_strings_iris_and_comments_are_left_alone():
    text = 'PREFIX a: <http://x/?_zone>\n# ?_zone in a comment\nSELECT ?x WHERE { ?x a:p "?_zone" FILTER(?x = ?_zone) }'
    bound = bind(text, {"zone": "v"})
    assert bound == text.replace('FILTER(?x = ?_zone)', 'FILTER(?x = "v")')


def test_typed_parameters():
    assert str(term_for("1e9", "decimal")) == '"1000000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert str(term_for("42", "integer")) == '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(term_for("kg:Zone", "iri")) == "<https://w3id.org/zonekg/ontology#Zone>"
    for bad, type_ in [("abc", "decimal"), ("1.5", "integer"), ("http://a b", "iri"), ("nan", "decimal")]:
        with pytest.raises(ParameterError):
            term_for(bad, type_)


def test_unknown_parameter_is_an_error():
    q = load_query("zone-enterprises")
    with pytest.raises(ParameterError, match="no parameter city"):
        bind(q.text, {"city": "许昌"}, q.params)


def test_param_args():
    assert parse_param_args(["zone=许昌", "min=1=2"]) == {"zone": "许昌", "min": "1=2"}
    with pytest.raises(ParameterError):
        parse_param_args(["zone"])


def test_service_is_refused(engine):
    with pytest.raises(QueryRefused):
        engine.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_engine_timeout_and_recovery(graph):
    with Engine(graph, timeout=1, max_rows=10) as e:
        with pytest.raises(QueryTimeout):
            e.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        # a fresh worker takes over
        assert e.query("ASK { ?z a <https://w3id.org/zonekg/ontology#Zone> }").boolean is True
        capped = e.query("SELECT * WHERE { ?s ?p ?o }")
        assert capped.count == 10 and capped.truncated


def test_result_formats_round_trip(engine):
    result = engine.query('SELECT ?zone ?n WHERE { ?z a kg:Zone ; rdfs:label ?zone . BIND(STRLEN(?zone) AS ?n) '
                          'BIND("a\\tb" AS ?unused) }')
    for fmt, rf in [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                    ("tsv", ox.QueryResultsFormat.TSV)]:
        parsed = list(ox.parse_query_results(serialize(result, fmt), format=rf))
        assert [tuple(s) for s in parsed] == [tuple(r) for r in result.rows], fmt


# --------------------------------------------------------------------------
# kg query


def test_cli_lists_the_library():
    proc = kg("query")
    assert proc.returncode == 0
    for name in NAMES:
        assert name in proc.stdout


def test_cli_table(graph):
    proc = kg("query", "zone-enterprises", "--graph", str(graph), "--param", "zone=许昌")
    assert proc.returncode == 0, proc.stderr
    assert XUCHANG in proc.stdout and "rows in" in proc.stderr


def test_cli_json_and_csv(graph):
    proc = kg("query", "projects-above", "--graph", str(graph), "-p", "min=1e9", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["head"]["vars"][:2] == ["project", "amount"]
    assert data["results"]["bindings"]
    proc = kg("query", "zone-investment", "--graph", str(graph), "--format", "csv")
    assert proc.returncode == 0 and proc.stdout.splitlines()[0] == "zone,projects,projects_with_amount,total,total_yi"


def test_cli_query_file(graph, tmp_path):
    f = tmp_path / "zones.rq"
    f.write_text("SELECT ?name WHERE { ?z a kg:Zone ; rdfs:label ?name FILTER(CONTAINS(?name, ?_x)) }",
                 encoding="utf-8")
    proc = kg("query", str(f), "--graph", str(graph), "--param", "x=鹤壁", "--format", "tsv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["?name", f'"{HEBI}"@zh']


def test_cli_malformed_query(graph, tmp_path):
    f = tmp_path / "bad.rq"
    f.write_text("# a broken query\nSELECT ?x WHERE {\n  ?x kg:hosts\n}\n", encoding="utf-8")
    proc = kg("query", str(f), "--graph", str(graph))
    assert proc.returncode == 2
    assert f"{f}:4:1: malformed query" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_missing_graph(tmp_path):
    proc = kg("query", "summary", "--graph", str(tmp_path / "nope.trig"))
    assert proc.returncode == 2
    assert "graph file not found" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_unknown_query_and_parameter(graph):
    proc = kg("query", "no-such-query", "--graph", str(graph))
    assert proc.returncode == 2 and "no library query named" in proc.stderr
    proc = kg("query", "summary", "--graph", str(graph), "--param", "zone=许昌")
    assert proc.returncode == 2 and "no parameter zone" in proc.stderr


def test_cli_timeout(graph, tmp_path):
    f = tmp_path / "slow.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", encoding="utf-8")
    proc = kg("query", str(f), "--graph", str(graph), "--timeout", "1")
    assert proc.returncode == 1
    assert "time limit" in proc.stderr and "Traceback" not in proc.stderr
