"""Each recogniser, alias rule and relation extractor on short sentences written for
these tests (other zones and companies than the sample articles)."""
from __future__ import annotations

from functools import cache

import pytest

from kg.extract.extraction import extract_article
from kg.extract.pipeline import components, extract
from kg.ingest.normalize import normalize


@cache
def _article(text: str):
    x = extract_article("t", text)
    names = {e.local_id: (e.type, e.names) for e in x.entities}
    return x, names


def entities(text: str) -> dict[str, set[tuple[str, ...]]]:
    x, _ = _article(text)
    out: dict[str, set[tuple[str, ...]]] = {}
    for e in x.entities:
        out.setdefault(e.type, set()).add(e.names)
    return out


def first_names(text: str, type_: str) -> set[str]:
    return {names[0] for names in entities(text).get(type_, set())}


def facts(text: str) -> set[tuple]:
    x, names = _article(text)
    out = set()
    for f in x.facts:
        s = names[f.subject][1][0]
        o = names[f.object][1][0] if f.object else f.amount_cny
        out.add((f.rel, s, o))
    return out


# --- normalisation -------------------------------------------------------------

def test_normalise_full_width_ocr_spaces_wrapped_lines_and_repeats() -> None:
    src = "郑州经济技术开发区投资１２亿元，引进宇通客车有限公 司。\n项目位于\n滨河产业园。\n\n项目位于\n滨河产业园。\nNew Energy"
    n = normalize(src)
    assert "投资12亿元,引进宇通客车有限公司。" in n.text
    assert "项目位于滨河产业园。" in n.text
    assert n.text.count("滨河产业园") == 1  # the repeated paragraph is read once
    assert "New Energy" in n.text  # spaces between Latin words stay
    # Every normalised character maps back to where it came from.
    s, e = n.to_source(n.text.index("宇通"), n.text.index("宇通") + 2)
    assert src[s:e] == "宇通"


# --- recognisers ----------------------------------------------------------------

ZONES = "郑州经济技术开发区(以下简称郑州经开区)成立于1993年。合肥高新区和苏州工业园区也在发展。开发区将继续招商。"


def test_zones_full_names_abbreviations_and_bare_references() -> None:
    zones = first_names(ZONES, "Zone")
    assert "郑州经济技术开发区" in zones and "合肥高新区" in zones
    assert "开发区" not in zones  # a bare 开发区 is a reference, not a name
    doc = extract("t", ZONES)
    assert doc.home_zone == ("Zone", "郑州经济技术开发区")
    assert doc.home_refs  # the bare 开发区 was recorded as the home zone


def test_parks_specific_heads_only() -> None:
    text = "洛阳高新区规划建设了新材料产业园、洛阳机器人产业园区和北区工业园。园区内企业众多。"
    parks = first_names(text, "Park")
    assert {"新材料产业园", "洛阳机器人产业园", "北区工业园"} <= parks
    assert "园区" not in parks


def test_enterprises_by_legal_head_industry_head_descriptor_and_list() -> None:
    text = ("南昌经济技术开发区引进江西赣锋锂业集团股份有限公司。泰豪科技扩产。"
            "区内有龙头企业晶能光电、华勤电子等企业，还有欧菲光、联创电子等知名品牌。")
    ents = first_names(text, "Enterprise")
    assert "江西赣锋锂业集团股份有限公司" in ents
    assert "泰豪科技" in ents
    assert {"晶能光电", "华勤电子", "欧菲光", "联创电子"} <= ents


def test_projects_by_head_by_amount_and_by_list_but_not_generic_ones() -> None:
    text = ("襄阳高新区今年实施重点项目46个。投资20亿元的东风新能源汽车电驱动项目开工，"
            "比亚迪动力电池、吉利商用车总装等项目落地。招商引资项目进展顺利。")
    projects = first_names(text, "Project")
    assert "东风新能源汽车电驱动项目" in projects
    assert {"比亚迪动力电池", "吉利商用车总装"} <= projects
    assert not any(p in projects for p in ("重点项目", "招商引资项目"))


def test_a_branded_park_is_a_project_and_its_brand_an_enterprise() -> None:
    text = "芜湖经济技术开发区加快建设奇瑞新能源汽车产业园。"
    assert "奇瑞新能源汽车产业园" in first_names(text, "Project")
    assert "奇瑞新能源汽车产业园" not in first_names(text, "Park")
    assert "奇瑞" in first_names(text, "Enterprise")


def test_chains_and_clusters_specific_ones_only() -> None:
    text = "武汉经济技术开发区打造新能源汽车产业链和高端装备制造产业集群，发展现代服务业集群，壮大优势产业集群，完善产业链。"
    assert first_names(text, "IndustryChain") == {"新能源汽车产业链"}
    assert first_names(text, "IndustryCluster") == {"高端装备制造产业集群", "现代服务业集群"}


# --- aliases ------------------------------------------------------------------

def test_defined_alias_and_abbreviation_merge_into_one_zone() -> None:
    zones = entities(ZONES)["Zone"]
    zhengzhou = [n for n in zones if n[0] == "郑州经济技术开发区"]
    assert zhengzhou and "郑州经开区" in zhengzhou[0]


def test_short_and_full_company_names_merge_but_a_group_keeps_its_subsidiary() -> None:
    text = ("临沂经济技术开发区有山东临工工程机械有限公司。山东临工扩建厂房。"
            "区内还有鲁南集团和鲁南物流等企业。鲁南集团成立于1990年,鲁南扩产顺利。")
    ents = entities(text)["Enterprise"]
    lingong = [n for n in ents if n[0] == "山东临工工程机械有限公司"]
    assert lingong and "山东临工" in lingong[0]
    # The bare 鲁南 names the group; it must not tie the group to its subsidiary.
    group = [n for n in ents if n[0] == "鲁南集团"]
    assert group and "鲁南" in group[0]
    assert ("鲁南物流",) in ents


def test_an_ocr_variant_merges_into_the_common_spelling() -> None:
    text = "盐城经开区引进悦达起亚汽车有限公司。悦达起亚汽车有限公司扩产。悦达起亚汽车有限公司投产。悦达超亚汽车有限公司获奖。"
    ents = entities(text)["Enterprise"]
    assert len(ents) == 1
    (names,) = ents
    assert names[0] == "悦达起亚汽车有限公司" and "悦达超亚汽车有限公司" in names


def test_a_project_with_and_without_its_city_and_head_is_one_project() -> None:
    text = "宜宾三江新区实施宜宾锂电材料产业基地项目。投资30亿元的锂电材料产业基地年底投产。"
    projects = entities(text)["Project"]
    assert len([p for p in projects if any("锂电材料产业基地" in n for n in p)]) == 1


# --- relations -----------------------------------------------------------------

def test_hosts_follows_the_zone_in_scope() -> None:
    text = ("长沙经济技术开发区(以下简称经开区)聚集了三一重工、铁建重工等企业。\n\n"
            "浏阳经济技术开发区则有蓝思科技有限公司。\n\n"
            "经开区还引进了山河智能装备股份有限公司。")
    f = facts(text)
    assert ("hosts", "长沙经济技术开发区", "三一重工") in f
    assert ("hosts", "浏阳经济技术开发区", "蓝思科技有限公司") in f
    assert ("hosts", "长沙经济技术开发区", "山河智能装备股份有限公司") in f


def test_talks_with_a_company_are_not_its_presence() -> None:
    text = "西安高新区有隆基绿能科技股份有限公司。高新区加强与宁德时代、比亚迪等企业的洽谈对接。"
    hosted = {o for rel, s, o in facts(text) if rel == "hosts"}
    assert "隆基绿能科技股份有限公司" in hosted
    assert not hosted & {"宁德时代", "比亚迪"}


def test_parks_chains_clusters_and_projects_belong_to_the_zone() -> None:
    text = "株洲高新区建设了动力谷产业园，发展轨道交通装备产业链和航空动力产业集群，实施中车电机扩能项目。"
    f = facts(text)
    assert ("hasPark", "株洲高新区", "动力谷产业园") in f
    assert ("hasChain", "株洲高新区", "轨道交通装备产业链") in f
    assert ("hasCluster", "株洲高新区", "航空动力产业集群") in f
    assert ("locatedIn", "中车电机扩能项目", "株洲高新区") in f


def test_a_zone_is_located_in_the_city_its_name_carries() -> None:
    f = facts("国家南通经济技术开发区今年发展迅速。")
    assert ("locatedIn", "国家南通经济技术开发区", "南通市") in f
    places = entities("国家南通经济技术开发区今年发展迅速。")["Place"]
    assert ("南通市", "南通") in places


def test_operated_by_name_prefix_by_phrase_and_invested_by() -> None:
    text = ("滁州经济技术开发区引进惠科股份有限公司。惠科股份液晶面板项目开工。"
            "滁州新材料产业园项目由滁州城投集团建设运营。"
            "康佳公司投资的半导体封测项目落户开发区。")
    f = facts(text)
    assert ("operatedBy", "惠科股份液晶面板项目", "惠科股份有限公司") in f
    assert ("operatedBy", "滁州新材料产业园项目", "滁州城投集团") in f
    assert ("operatedBy", "半导体封测项目", "康佳公司") in f


def test_invests_amounts_and_sums() -> None:
    text = ("嘉兴经济技术开发区5个亿元以上项目集中开工，总投资39亿元。"
            "投资15亿元的敏实汽车零部件项目开工。"
            "闻泰科技半导体项目总投资30亿元。"
            "外资项目投资1.2亿美元。")
    invests = {(s, o) for rel, s, o in facts(text) if rel == "invests"}
    assert ("敏实汽车零部件项目", 1_500_000_000) in invests
    assert ("闻泰科技半导体项目", 3_000_000_000) in invests
    assert all(v not in (3_900_000_000, 120_000_000) for _, v in invests)


# --- the pipeline itself -----------------------------------------------------------

def test_components_run_in_stage_order_and_each_module_registers() -> None:
    comps = components()
    assert [c.stage for c in comps] == sorted(c.stage for c in comps)
    modules = {c.func.__module__.rsplit(".", 1)[-1] for c in comps}
    assert {"sentences", "zones", "lists", "enterprises", "projects", "parks", "chains", "aliases",
            "membership", "places", "operators", "investments", "park_hosts"} <= modules


def test_only_runs_the_named_components() -> None:
    doc = extract("t", ZONES, only={"sentences", "zones"})
    assert doc.sentences and {m.type for m in doc.mentions} == {"Zone"} and not doc.facts


@pytest.mark.parametrize("text", [
    "郑州经济技术开发区投资１２亿元，引进宇通客车有限公 司。\r\n项目位于\n滨河产业园。",
    "許昌經濟技術開發區引進西繼迅達電梯有限公司。",
])
def test_evidence_is_the_exact_source_text(text: str) -> None:
    x, _ = _article(text)
    assert x.facts
    for f in x.facts:
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text
