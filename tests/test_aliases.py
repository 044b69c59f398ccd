"""Alias resolution within one article (kg/extract/extractors/aliases.py), on sentences
written for these tests."""
from __future__ import annotations

from functools import cache

import pytest

from kg.extract.document import Doc
from kg.extract.extraction import extraction_from_doc
from kg.extract.extractors.aliases import core_name, legal_base, zone_key
from kg.extract.pipeline import extract


@cache
def doc_of(text: str) -> Doc:
    return extract("t", text)


@cache
def _entities(text: str) -> tuple:
    return tuple(extraction_from_doc(doc_of(text), "t", "").entities)


def entities(text: str, type_: str) -> list[tuple[str, ...]]:
    """Every entity of a type as its names, canonical spelling first."""
    return sorted(e.names for e in _entities(text) if e.type == type_)


def entity_with(text: str, type_: str, name: str) -> tuple[str, ...]:
    found = [names for names in entities(text, type_) if name in names]
    assert len(found) == 1, (name, entities(text, type_))
    return found[0]


# --- (以下简称X) ----------------------------------------------------------------------

JAC = "安徽江淮汽车集团股份有限公司(以下简称江汽)落户合肥经开区。江汽加大研发投入。"


def test_a_defined_short_name_names_the_preceding_enterprise() -> None:
    doc = doc_of(JAC)
    assert doc.resolve(("Enterprise", "江汽")) == ("Enterprise", "安徽江淮汽车集团股份有限公司")
    assert entities(JAC, "Enterprise") == [("安徽江淮汽车集团股份有限公司", "江汽")]


def test_every_later_use_of_a_defined_name_is_a_mention() -> None:
    doc = doc_of(JAC)
    later = JAC.index("江汽加大")
    assert any(m.start == later and m.name == "江汽" and m.rule == "defined-alias"
               for m in doc.mentions_of("Enterprise"))


def test_a_defined_name_in_quotes_names_the_preceding_zone() -> None:
    text = "洛阳高新技术产业开发区(以下简称“洛阳高新”)成立于1992年。洛阳高新引进了一批企业。"
    assert entities(text, "Zone") == [("洛阳高新技术产业开发区", "洛阳高新")]


def test_a_generic_definition_marks_the_home_zone_and_is_no_name() -> None:
    # 合肥高新区 is named more often; the definition still decides the home zone.
    text = ("国家合肥经济技术开发区(以下简称开发区)成立于1993年。合肥高新区发展迅速,"
            "合肥高新区引进了科大讯飞股份有限公司。开发区引进了江淮汽车集团。")
    doc = doc_of(text)
    assert doc.home_zone == ("Zone", "国家合肥经济技术开发区")
    assert all("开发区" not in names for names in entities(text, "Zone"))
    assert ("Zone", "开发区") not in doc.alias_of


def test_without_a_definition_the_most_mentioned_zone_is_home() -> None:
    text = "洛阳经开区与郑州经开区合作。郑州经开区引进了宇通客车。郑州经开区发展迅速。"
    assert doc_of(text).home_zone == ("Zone", "郑州经开区")


def test_without_a_definition_a_tie_goes_to_the_first_named_zone() -> None:
    text = "洛阳经开区与郑州经开区合作。"
    assert doc_of(text).home_zone == ("Zone", "洛阳经开区")


# --- company short and full names ----------------------------------------------------

CATL = "宁德时代新能源科技股份有限公司落户溧阳经开区。宁德时代计划扩产。"


def test_legal_base_and_core_name_strip_legal_form_place_and_business_words() -> None:
    # 宁德 is a city, so the place is stripped from the base like 许昌 or 上海 would be;
    # the industry endings (科技, 新能源) are stripped from the core.
    assert legal_base("宁德时代新能源科技股份有限公司") == "时代新能源科技"
    assert core_name("宁德时代新能源科技股份有限公司") == "时代"
    assert legal_base("比亚迪股份有限公司") == core_name("比亚迪股份有限公司") == "比亚迪"
    assert legal_base("合肥联宝电子科技有限公司") == "联宝电子科技"
    assert core_name("合肥联宝电子科技有限公司") == "联宝"
    assert legal_base("蒙牛集团") == "蒙牛"


def test_a_short_name_with_its_place_prefix_is_the_full_company() -> None:
    # 宁德时代 = place + core of the full name: every later 宁德时代 is a mention of it.
    doc = doc_of(CATL)
    assert doc.resolve(("Enterprise", "宁德时代")) == ("Enterprise", "宁德时代新能源科技股份有限公司")
    assert entities(CATL, "Enterprise") == [("宁德时代新能源科技股份有限公司", "宁德时代")]
    later = CATL.index("宁德时代计划")
    assert any(m.start == later and m.rule == "short-name" for m in doc.mentions_of("Enterprise"))


def test_a_two_character_common_word_core_is_not_propagated() -> None:
    # The core of 宁德时代… is 时代, an ordinary word: 新时代 is not the company.
    text = "宁德时代新能源科技股份有限公司落户溧阳经开区,开启新时代。"
    doc = doc_of(text)
    assert not any(m.name == "时代" for m in doc.mentions_of("Enterprise"))


def test_short_name_of_a_company_without_a_place() -> None:
    text = "合肥经开区引进比亚迪股份有限公司,比亚迪加快扩产。"
    assert entities(text, "Enterprise") == [("比亚迪股份有限公司", "比亚迪")]


def test_brand_and_brand_plus_industry_are_one_company() -> None:
    text = "郑州经开区的羚锐药业发展迅速,羚锐制药也在扩产,羚锐公司获奖。"
    ents = entities(text, "Enterprise")
    assert len(ents) == 1, ents
    assert set(ents[0]) >= {"羚锐药业", "羚锐制药"}


def test_two_companies_sharing_a_city_prefix_stay_apart() -> None:
    text = "合肥经开区有合肥联宝电子科技有限公司和合肥京东方光电科技有限公司。"
    assert entities(text, "Enterprise") == [("合肥京东方光电科技有限公司",), ("合肥联宝电子科技有限公司",)]


# --- a group and its subsidiaries ----------------------------------------------------

def test_a_group_is_not_merged_with_its_logistics_subsidiary() -> None:
    text = "合肥经开区有蒙牛集团,蒙牛物流也在这里,蒙牛加快扩产。"
    assert entities(text, "Enterprise") == [("蒙牛物流",), ("蒙牛集团", "蒙牛")]


def test_a_group_and_subsidiary_stay_apart_without_the_bare_base() -> None:
    text = "郑州经开区引进了京东集团和京东物流。京东集团总部在北京。"
    assert entities(text, "Enterprise") == [("京东物流",), ("京东集团",)]


# --- OCR variants --------------------------------------------------------------------

HUAQIN = "合肥经开区引进华勤通讯技术有限公司。华勤通讯技术有限公司扩产。"


def test_an_ocr_variant_three_times_rarer_is_merged_into_the_common_spelling() -> None:
    text = HUAQIN + "华勤通讯技术有限公司投产。华勤通迅技术有限公司获奖。"
    assert entities(text, "Enterprise") == [("华勤通讯技术有限公司", "华勤通迅技术有限公司")]


def test_an_ocr_variant_only_twice_rarer_stays_apart() -> None:
    text = HUAQIN + "华勤通迅技术有限公司获奖。"
    assert len(entities(text, "Enterprise")) == 2


def test_two_characters_off_is_no_ocr_variant() -> None:
    text = HUAQIN + "华勤通讯技术有限公司投产。华勤通迅科技有限公司获奖。"
    assert len(entities(text, "Enterprise")) == 2


def test_an_ocr_variant_of_a_zone_and_of_a_project() -> None:
    zones = "郑州经开区发展迅速。郑州经开区获评优秀。郑州经开区引进企业。郑洲经开区获奖。"
    assert entities(zones, "Zone") == [("郑州经开区", "郑洲经开区")]
    projects = ("合肥经开区实施联宝智能终端生产项目,联宝智能终端生产项目进展顺利,"
                "联宝智能终端生产项目年底投产,联宝智能终瑞生产项目获奖。")
    assert entities(projects, "Project") == [("联宝智能终端生产项目", "联宝智能终瑞生产项目")]


# --- zones spelled in full and abbreviated -------------------------------------------

@pytest.mark.parametrize("full, short", [
    ("合肥高新技术产业开发区", "合肥高新区"),
    ("国家郑州经济技术开发区", "郑州经开区"),
    ("新乡经济开发区", "新乡经开区"),
    ("洛阳高新技术开发区", "洛阳高新区"),
])
def test_zone_key_maps_full_names_to_abbreviations(full: str, short: str) -> None:
    assert zone_key(full) == zone_key(short)


def test_zone_full_name_and_abbreviation_are_one_zone() -> None:
    text = "合肥高新技术产业开发区聚集了大量企业。合肥高新区获评优秀。"
    assert entities(text, "Zone") == [("合肥高新技术产业开发区", "合肥高新区")]


def test_zones_of_different_cities_stay_apart() -> None:
    text = "国家郑州经济技术开发区发展迅速。郑州经开区获评优秀。合肥经开区也获评优秀。"
    assert entities(text, "Zone") == [("合肥经开区",), ("国家郑州经济技术开发区", "郑州经开区")]


def test_a_high_tech_zone_is_not_an_economic_zone_of_the_same_city() -> None:
    text = "合肥高新区与合肥经开区联合招商。"
    assert entities(text, "Zone") == [("合肥经开区",), ("合肥高新区",)]


# --- projects with and without city and 项目 -----------------------------------------

def test_a_project_with_and_without_its_city_prefix_is_one_project() -> None:
    text = "郑州经开区实施郑州智能传感器研发制造项目。智能传感器研发制造项目年底投产。"
    assert entities(text, "Project") == [("郑州智能传感器研发制造项目", "智能传感器研发制造项目")]


def test_a_project_with_and_without_xiangmu_is_one_project() -> None:
    text = "郑州经开区实施郑州智能传感器研发制造项目。投资8亿元的智能传感器研发制造年底投产。"
    assert entities(text, "Project") == [("郑州智能传感器研发制造项目", "智能传感器研发制造")]


def test_the_tail_of_a_branded_project_name_is_the_same_project() -> None:
    text = "合肥经开区实施延锋年产50万套汽车内饰件项目。年产50万套汽车内饰件项目年底投产。"
    assert entities(text, "Project") == [("延锋年产50万套汽车内饰件项目", "年产50万套汽车内饰件项目")]


def test_two_projects_of_one_sentence_stay_apart() -> None:
    text = "合肥经开区实施延锋汽车内饰件生产项目和佛吉亚汽车座椅生产项目。"
    assert entities(text, "Project") == [("佛吉亚汽车座椅生产项目",), ("延锋汽车内饰件生产项目",)]


# --- places --------------------------------------------------------------------------

def test_a_place_short_name_resolves_to_its_full_name() -> None:
    doc = doc_of("国家郑州经济技术开发区发展迅速。")
    assert doc.resolve(("Place", "郑州")) == ("Place", "郑州市")
