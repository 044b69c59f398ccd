"""Relation extractors (membership, zone places, operators, investments, park hosts)
on sentences written for these tests, checked on the per-article output of
``extract_article``: facts between canonical names, with their evidence."""
from __future__ import annotations

from functools import cache

import pytest

from kg.extract.extraction import Extraction, extract_article


@cache
def article(text: str) -> Extraction:
    return extract_article("t", text)


def _names(text: str) -> dict[str, tuple[str, ...]]:
    return {e.local_id: e.names for e in article(text).entities}


def facts(text: str) -> set[tuple]:
    """(rel, subject's canonical name, object's canonical name or the amount)."""
    names = _names(text)
    return {(f.rel, names[f.subject][0], names[f.object][0] if f.object else f.amount_cny)
            for f in article(text).facts}


def rel(text: str, name: str) -> set[tuple]:
    return {(s, o) for r, s, o in facts(text) if r == name}


def evidence(text: str, rel_: str, subject: str, obj) -> str:
    names = _names(text)
    for f in article(text).facts:
        o = names[f.object][0] if f.object else f.amount_cny
        if f.rel == rel_ and names[f.subject][0] == subject and o == obj:
            return f.evidence.text
    raise AssertionError((rel_, subject, obj))


# --- hosts: the zone in scope ---------------------------------------------------------

SCOPE = ("国家合肥经济技术开发区(以下简称开发区)引进了联宝电子科技有限公司。\n\n"
         "合肥高新区同期引进了科大讯飞股份有限公司,开发区则引进了江淮汽车集团。\n\n"
         "今年,大众汽车(安徽)有限公司也在此投产。")
HOME = "国家合肥经济技术开发区"


def test_enterprises_are_hosted_by_the_home_zone() -> None:
    assert ("hosts", HOME, "联宝电子科技有限公司") in facts(SCOPE)


def test_a_paragraph_about_a_second_zone_assigns_its_enterprises_to_it() -> None:
    hosts = rel(SCOPE, "hosts")
    assert ("合肥高新区", "科大讯飞股份有限公司") in hosts
    assert (HOME, "科大讯飞股份有限公司") not in hosts


def test_a_later_bare_kaifaqu_switches_back_to_the_home_zone() -> None:
    hosts = rel(SCOPE, "hosts")
    assert (HOME, "江淮汽车集团") in hosts
    assert ("合肥高新区", "江淮汽车集团") not in hosts


def test_a_new_paragraph_without_a_zone_is_about_the_home_zone() -> None:
    assert (HOME, "大众汽车(安徽)有限公司") in rel(SCOPE, "hosts")


def test_each_enterprise_is_hosted_once() -> None:
    hosted = [o for r, s, o in facts(SCOPE) if r == "hosts"]
    assert len(hosted) == len(set(hosted)) == 4


TALKS = ("合肥经开区引进了阳光电源股份有限公司。"
         "开发区加强与蔚来汽车、长安汽车等企业的洽谈对接,加强与比亚迪股份有限公司的沟通。"
         "开发区加强与阳光电源股份有限公司的洽谈。")


def test_an_enterprise_only_in_talks_is_not_hosted() -> None:
    hosted = {o for s, o in rel(TALKS, "hosts")}
    assert not hosted & {"蔚来汽车", "长安汽车", "比亚迪股份有限公司"}
    # They are still entities of the article.
    ents = {e.names[0] for e in article(TALKS).entities if e.type == "Enterprise"}
    assert {"蔚来汽车", "长安汽车", "比亚迪股份有限公司"} <= ents


def test_an_enterprise_in_talks_and_elsewhere_is_hosted() -> None:
    assert ("合肥经开区", "阳光电源股份有限公司") in rel(TALKS, "hosts")


# --- hasPark, hasChain, hasCluster, a project's locatedIn ----------------------------

MEMBERS = ("合肥高新区建设了量子信息产业园,打造集成电路产业链,培育人工智能产业集群,"
           "实施量子精密测量仪器研发生产项目。")


def test_parks_chains_clusters_and_projects_belong_to_the_zone() -> None:
    f = facts(MEMBERS)
    assert ("hasPark", "合肥高新区", "量子信息产业园") in f
    assert ("hasChain", "合肥高新区", "集成电路产业链") in f
    assert ("hasCluster", "合肥高新区", "人工智能产业集群") in f
    assert ("locatedIn", "量子精密测量仪器研发生产项目", "合肥高新区") in f


def test_members_follow_the_zone_in_scope() -> None:
    text = "合肥经开区发展汽车产业。\n\n合肥高新区建设了量子信息产业园,培育人工智能产业集群。"
    f = facts(text)
    assert ("hasPark", "合肥高新区", "量子信息产业园") in f
    assert ("hasCluster", "合肥高新区", "人工智能产业集群") in f
    assert not any(s == "合肥经开区" and r in ("hasPark", "hasCluster") for r, s, o in f)


def test_a_project_named_after_a_park_is_located_in_the_park_too() -> None:
    text = "合肥经开区的新能源汽车零部件产业园配套厂房项目由合肥建投集团建设运营。"
    f = facts(text)
    assert ("locatedIn", "新能源汽车零部件产业园配套厂房项目", "合肥经开区") in f
    assert ("locatedIn", "新能源汽车零部件产业园配套厂房项目", "新能源汽车零部件产业园") in f


def test_a_park_with_only_xiangmu_after_it_is_the_project_not_a_park() -> None:
    # 产业园项目: the project builds the park; the guidelines count it once, as a Project.
    text = "合肥经开区的新能源汽车零部件产业园项目由合肥建投集团建设运营。"
    f = facts(text)
    assert ("locatedIn", "新能源汽车零部件产业园项目", "合肥经开区") in f
    assert not any(r == "hasPark" for r, _, _ in f)


# --- a zone's place ------------------------------------------------------------------

def test_a_zone_is_located_in_the_city_its_name_carries() -> None:
    text = "国家郑州经济技术开发区发展迅速。"
    assert ("locatedIn", "国家郑州经济技术开发区", "郑州市") in facts(text)
    places = [e.names for e in article(text).entities if e.type == "Place"]
    assert places == [("郑州市", "郑州")]


def test_a_zone_without_a_place_in_its_name_takes_the_city_of_its_sentence() -> None:
    assert ("locatedIn", "天府商务中心区", "成都市") in facts("天府商务中心区位于成都市南部。")


def test_a_zone_named_after_shi_is_in_the_article_city() -> None:
    text = "洛阳市经济稳步增长。市临空经济示范区引进了一批企业,洛阳市加快发展。"
    zones = [e.names for e in article(text).entities if e.type == "Zone"]
    assert zones == [("洛阳市临空经济示范区", "市临空经济示范区")]
    assert ("locatedIn", "洛阳市临空经济示范区", "洛阳市") in facts(text)


def test_places_that_no_fact_uses_are_not_entities() -> None:
    text = "合肥高新区引进了一批来自深圳市的企业。"
    places = {e.names[0] for e in article(text).entities if e.type == "Place"}
    assert places == {"合肥市"}


def test_two_zones_each_get_their_own_city() -> None:
    f = facts("洛阳高新技术产业开发区和新乡经济开发区联合招商。")
    assert ("locatedIn", "洛阳高新技术产业开发区", "洛阳市") in f
    assert ("locatedIn", "新乡经济开发区", "新乡市") in f


# --- operatedBy ----------------------------------------------------------------------

def test_operated_by_the_enterprise_the_project_is_named_after() -> None:
    text = "合肥经开区引进了阳光电源股份有限公司。阳光电源储能电池项目当年开工。"
    assert ("operatedBy", "阳光电源储能电池项目", "阳光电源股份有限公司") in facts(text)


def test_operated_by_from_you_x_jianshe_yunying() -> None:
    text = "合肥经开区的新能源汽车零部件产业园项目由合肥建投集团建设运营。"
    assert ("operatedBy", "新能源汽车零部件产业园项目", "合肥建投集团") in facts(text)


def test_operated_by_from_you_x_touzi_jianshe_de_before_the_project() -> None:
    text = "合肥经开区开工由合肥建投集团投资建设的新能源汽车零部件生产项目。"
    assert rel(text, "operatedBy") == {("新能源汽车零部件生产项目", "合肥建投集团")}


def test_operated_by_from_x_touzi_de_project() -> None:
    text = "合肥经开区的比亚迪公司投资的新能源整车制造项目正式开工。"
    assert ("operatedBy", "新能源整车制造项目", "比亚迪公司") in facts(text)


def test_a_project_of_another_clause_is_not_operated_by_the_investor() -> None:
    text = "合肥经开区的比亚迪公司投资的新能源整车制造项目正式开工,量子精密测量仪器研发生产项目同步推进。"
    operated = rel(text, "operatedBy")
    assert ("新能源整车制造项目", "比亚迪公司") in operated
    assert not any(p == "量子精密测量仪器研发生产项目" for p, _ in operated)


def test_a_branded_park_is_operated_by_its_brand_which_the_zone_hosts() -> None:
    text = "合肥经开区引进国轩新材料产业园。"
    f = facts(text)
    assert ("operatedBy", "国轩新材料产业园", "国轩") in f
    assert ("hosts", "合肥经开区", "国轩") in f
    assert ("locatedIn", "国轩新材料产业园", "合肥经开区") in f
    assert not any(r == "hasPark" for r, _, _ in f)


# --- invests ---------------------------------------------------------------------------

def test_invests_from_an_amount_before_the_project() -> None:
    text = "郑州经开区投资15亿元的氢燃料电池发动机项目开工。"
    assert rel(text, "invests") == {("氢燃料电池发动机项目", 1_500_000_000)}
    assert evidence(text, "invests", "氢燃料电池发动机项目", 1_500_000_000) == text


def test_invests_from_total_investment_after_the_project() -> None:
    text = "郑州经开区的宇通氢能客车项目总投资30亿元。"
    assert rel(text, "invests") == {("宇通氢能客车项目", 3_000_000_000)}


def test_invests_with_a_decimal_amount_is_exact() -> None:
    text = "郑州经开区的氢燃料电池发动机项目总投资39.2亿元。"
    assert rel(text, "invests") == {("氢燃料电池发动机项目", 3_920_000_000)}


@pytest.mark.parametrize("text", [
    "郑州经开区投资十五亿元的氢燃料电池发动机项目开工。",
    "郑州经开区投资１５亿元的氢燃料电池发动机项目开工。",
])
def test_invests_with_chinese_numerals_or_full_width_digits(text: str) -> None:
    assert rel(text, "invests") == {("氢燃料电池发动机项目", 1_500_000_000)}


@pytest.mark.parametrize("text", [
    "今年郑州经开区5个项目总投资39亿元,其中宇通氢能客车项目正在建设。",
    "郑州经开区宇通氢能客车项目等5个项目集中开工,总投资39亿元。",
    "郑州经开区集中开工宇通氢能客车项目和氢燃料电池发动机项目,两个项目总投资39亿元。",
    "郑州经开区集中开工宇通氢能客车项目,累计完成投资39亿元。",
    "郑州经开区今年5个项目总投资39亿元。氢燃料电池发动机项目进展顺利。",
])
def test_a_sum_over_several_projects_is_no_projects_amount(text: str) -> None:
    assert rel(text, "invests") == set()
    assert rel(text, "locatedIn")  # the projects themselves are still found


@pytest.mark.parametrize("text", [
    "郑州经开区投资1.2亿美元的高端汽车轴承生产项目开工。",
    "郑州经开区的高端汽车轴承生产项目总投资1.2亿美元。",
])
def test_a_dollar_amount_is_not_recorded_as_cny(text: str) -> None:
    assert ("locatedIn", "高端汽车轴承生产项目", "郑州经开区") in facts(text)
    assert rel(text, "invests") == set()


def test_one_amount_per_project() -> None:
    text = "郑州经开区投资15亿元的氢燃料电池发动机项目开工。氢燃料电池发动机项目总投资15亿元。"
    assert rel(text, "invests") == {("氢燃料电池发动机项目", 1_500_000_000)}


@pytest.mark.parametrize("text, name", [
    ("郑州经开区投资8亿元的智能传感器研发制造进展顺利。", "智能传感器研发制造"),
    ("合肥高新区投资12亿元的量子计算机研发制造进度加快。", "量子计算机研发制造"),
], ids=["jinzhan", "jindu"])
def test_a_project_named_by_its_investment_ends_before_the_predicate(text: str, name: str) -> None:
    assert {n for n, _ in rel(text, "invests")} == {name}


# --- park-level hosts ------------------------------------------------------------------

def test_enterprises_of_a_sentence_opening_in_a_park_are_hosted_by_it() -> None:
    text = "合肥高新区建设了量子信息产业园。在量子信息产业园,国盾量子、科大国创等企业持续扩产。"
    hosts = rel(text, "hosts")
    assert ("量子信息产业园", "国盾量子") in hosts
    assert ("合肥高新区", "国盾量子") in hosts


def test_an_enterprise_that_moves_into_a_park_is_hosted_by_it() -> None:
    text = "合肥高新区的国盾量子科技有限公司入驻量子信息产业园。"
    assert ("量子信息产业园", "国盾量子科技有限公司") in rel(text, "hosts")


def test_a_park_that_takes_in_an_enterprise_hosts_it_within_the_clause() -> None:
    text = "合肥高新区的量子信息产业园引进了国盾量子科技有限公司,阳光电源股份有限公司也在扩产。"
    hosts = rel(text, "hosts")
    assert ("量子信息产业园", "国盾量子科技有限公司") in hosts
    assert ("量子信息产业园", "阳光电源股份有限公司") not in hosts
    assert ("合肥高新区", "阳光电源股份有限公司") in hosts


def test_the_operator_of_a_project_in_a_park_is_hosted_by_the_park() -> None:
    text = "合肥经开区的新能源汽车零部件产业园配套厂房项目由合肥建投集团建设运营。"
    assert ("新能源汽车零部件产业园", "合肥建投集团") in rel(text, "hosts")


# --- facts are unique per article ---------------------------------------------------------

def test_a_fact_stated_twice_is_recorded_once() -> None:
    text = "合肥高新区打造集成电路产业链。合肥高新区完善集成电路产业链。"
    chains = [f for f in article(text).facts if f.rel == "hasChain"]
    assert len(chains) == 1
