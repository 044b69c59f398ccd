"""The name index: search variants of names (skos:hiddenLabel) and how `kg query`
resolves a name parameter through it, on the graph built from seeds/."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from serving import kg, seed_graph

from kg.extract.money import parse_yuan
from kg.graph.name_index import hidden_labels, variants

XUCHANG = "国家许昌经济技术开发区"
HEBI = "鹤壁国家经济技术开发区"
HIDDEN = "http://www.w3.org/2004/02/skos/core#hiddenLabel"


@pytest.mark.parametrize("name,type_,variant", [
    (HEBI, "Zone", "鹤壁经开区"),
    (HEBI, "Zone", "鹤壁经济技术开发区"),
    (HEBI, "Zone", "鹤壁市经开区"),
    (XUCHANG, "Zone", "许昌经开区"),
    (XUCHANG, "Zone", "许昌经济开发区"),
    ("合肥高新技术产业开发区", "Zone", "合肥高新区"),
    ("烟台综合保税区", "Zone", "烟台综保区"),
    ("安徽省马鞍山经济技术开发区", "Zone", "马鞍山经开区"),
    ("安徽省马鞍山经济技术开发区", "Zone", "安徽马鞍山经济技术开发区"),
    ("安徽省级产业集聚区", "Zone", "安徽产业集聚区"),
    ("许昌富森生物科技股份有限公司", "Enterprise", "富森生物科技"),
    ("许昌富森生物科技股份有限公司", "Enterprise", "许昌富森生物科技"),
    ("河南省", "Place", "河南"),
    ("鹤壁市", "Place", "鶴壁市"),  # traditional characters
    ("廊坊經開區", "Zone", "廊坊经开区"),  # and simplified
    ("ＡＢＣ电梯有限公司", "Enterprise", "ABC电梯有限公司"),  # NFKC
])
def test_variants(name, type_, variant):
    assert variant in variants(name, type_)
    assert variant in hidden_labels(type_, [name]) or variant == name


def test_a_bare_kind_is_no_variant():
    found = hidden_labels("Zone", ["许昌经济技术开发区"])
    assert "经开区" not in found and "经济技术开发区" not in found and "开发区" not in found


@pytest.fixture(scope="module")
def graph():
    return seed_graph()


def test_the_graph_carries_the_variants_as_hidden_labels(graph):
    store = ox.Store()
    store.load(path=str(graph), format=ox.RdfFormat.TRIG)
    rows = store.query('SELECT ?l WHERE { ?z <http://www.w3.org/2000/01/rdf-schema#label> "%s"@zh ; <%s> ?l }'
                       % (HEBI, HIDDEN))
    hidden = {r["l"].value for r in rows}
    assert {"鹤壁经开区", "鹤壁经济技术开发区"} <= hidden


def query(graph, *args):
    return kg("query", *args, "--graph", str(graph), "--format", "json")


def bindings(proc) -> list[dict[str, str]]:
    assert proc.returncode == 0, proc.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(proc.stdout)["results"]["bindings"]]


def test_a_short_form_finds_the_zone(graph):
    proc = query(graph, "zone-enterprises", "--param", "zone=鹤壁经开区")
    rows = bindings(proc)
    assert rows and {r["zone"] for r in rows} == {HEBI}
    assert f"zone=鹤壁经开区: {HEBI}" in proc.stderr
    # The same rows as the zone's own name.
    assert rows == bindings(query(graph, "zone-enterprises", "--param", f"zone={HEBI}"))


def test_another_usual_spelling_finds_the_zone(graph):
    rows = bindings(query(graph, "zone-projects", "--param", "zone=许昌经济开发区"))
    assert rows and {r["zone"] for r in rows} == {XUCHANG}


def test_a_name_that_names_several_zones_lists_them_all(graph):
    proc = query(graph, "zone-profile", "--param", "zone=经开区")
    zones = {r["zone"] for r in bindings(proc)}
    assert {XUCHANG, HEBI, "国家漯河经济技术开发区"} <= zones
    assert "zone=经开区: " in proc.stderr and XUCHANG in proc.stderr


def test_an_unknown_name_says_so_and_suggests(graph):
    proc = query(graph, "zone-enterprises", "--param", "zone=鹤壁高铁新城")
    assert proc.returncode == 0 and bindings(proc) == []
    lines = [line for line in proc.stderr.splitlines() if line.startswith("no zone named")]
    assert len(lines) == 1 and lines[0].startswith("no zone named 鹤壁高铁新城; did you mean ")
    assert HEBI in lines[0]


def test_a_place_by_its_short_name_lists_every_zone_below_it(graph):
    rows = bindings(query(graph, "zones-by-place", "--param", "place=河南"))
    assert {r["place"] for r in rows} == {"河南省"}
    zones = {r["zone"] for r in rows}
    assert {XUCHANG, HEBI, "国家漯河经济技术开发区"} <= zones
    everything = {r["zone"] for r in bindings(query(graph, "zones-by-place"))}
    assert zones == everything  # every sample zone is in 河南


@pytest.mark.parametrize("text,yuan", [("10亿", 10**9), ("5000万", 5 * 10**7), ("1.5亿元", 15 * 10**7),
                                       ("十亿元", 10**9), ("1,000万", 10**7), ("12", 12)])
def test_amounts_as_people_write_them(text, yuan):
    assert parse_yuan(text) == yuan


@pytest.mark.parametrize("written,plain", [("10亿", "1000000000"), ("5000万", "50000000"), ("1.5亿元", "150000000")])
def test_amount_parameters(graph, written, plain):
    rows = bindings(query(graph, "projects-above", "--param", f"min={written}"))
    assert rows == bindings(query(graph, "projects-above", "--param", f"min={plain}"))
    assert rows and all(float(r["amount"]) >= float(plain) for r in rows)


def test_a_bad_amount_is_an_error(graph):
    proc = query(graph, "projects-above", "--param", "min=十亿美元")
    assert proc.returncode == 2 and "not a number" in proc.stderr
