"""Each entity recogniser on short sentences written for these tests (zones and
companies other than the sample articles'): zones, parks, enterprises, projects,
industry chains and clusters."""
from __future__ import annotations

from functools import cache

import pytest

from kg.extract.document import Doc
from kg.extract.pipeline import extract


@cache
def doc_of(text: str) -> Doc:
    return extract("t", text)


def names(text: str, type_: str) -> set[str]:
    """Canonical names of the mentions of a type."""
    return {m.name for m in doc_of(text).mentions_of(type_)}


def resolved(text: str, type_: str) -> set[str]:
    """Names of the entities of a type after alias resolution."""
    doc = doc_of(text)
    return {doc.resolve(m.key)[1] for m in doc.mentions_of(type_)}


def rules(text: str, type_: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in doc_of(text).mentions_of(type_):
        out.setdefault(m.name, set()).add(m.rule)
    return out


# --- zones ---------------------------------------------------------------------------

ZHENGZHOU = "郑州经济技术开发区位于郑州市东南部,开发区坚持创新驱动,不断优化营商环境。"


def test_zone_full_name_with_its_city() -> None:
    doc = doc_of(ZHENGZHOU)
    (zone,) = list(doc.mentions_of("Zone"))
    assert zone.name == "郑州经济技术开发区"
    assert doc.text[zone.start:zone.end] == zone.name
    assert zone.rule == "zone-head"


def test_a_bare_kaifaqu_is_a_home_reference_not_a_name() -> None:
    doc = doc_of(ZHENGZHOU)
    assert "开发区" not in names(ZHENGZHOU, "Zone")
    bare = ZHENGZHOU.index(",开发区") + 1
    assert (bare, bare + 3) in doc.home_refs
    assert doc.home_zone == ("Zone", "郑州经济技术开发区")


@pytest.mark.parametrize("text, expected", [
    ("合肥高新区与洛阳经开区签署合作协议。", {"合肥高新区", "洛阳经开区"}),
    ("新乡经济开发区和洛阳高新技术产业开发区联合招商。", {"新乡经济开发区", "洛阳高新技术产业开发区"}),
    ("合肥综合保税区进出口增长较快。", {"合肥综合保税区"}),
])
def test_zone_heads_and_abbreviations(text: str, expected: set[str]) -> None:
    assert names(text, "Zone") == expected


def test_a_national_qualifier_alone_does_not_name_a_zone() -> None:
    assert names("郑州经开区是国家级经济技术开发区。", "Zone") == {"郑州经开区"}
    assert names("全省经济开发区工作会议召开。", "Zone") == set()


def test_a_bare_cbd_names_a_zone_but_not_after_quanshi() -> None:
    assert rules("商务中心区聚集了一批金融机构。", "Zone") == {"商务中心区": {"zone-bare"}}
    assert names("成都市商务中心区吸引了大量总部企业。", "Zone") == {"成都市商务中心区"}
    assert names("全市商务中心区建设推进会召开。", "Zone") == set()


def test_the_zone_administration_is_not_a_home_reference() -> None:
    text = "郑州经开区召开会议。开发区管委会负责人讲话。"
    assert doc_of(text).home_refs == []


def test_the_zone_party_working_committee_is_not_a_home_reference() -> None:
    text = "郑州经开区召开会议。开发区党工委书记讲话。"
    assert doc_of(text).home_refs == []


# --- parks ---------------------------------------------------------------------------

HEFEI_PARKS = "合肥高新区建设了集成电路产业园区、量子信息产业园和南岗工业园。"


def test_parks_with_specific_prefixes() -> None:
    assert names(HEFEI_PARKS, "Park") == {"集成电路产业园", "量子信息产业园", "南岗工业园"}


def test_an_industrial_park_qu_is_named_without_qu_but_spans_the_whole_surface() -> None:
    doc = doc_of(HEFEI_PARKS)
    (m,) = [m for m in doc.mentions_of("Park") if m.name == "集成电路产业园"]
    assert doc.text[m.start:m.end] == "集成电路产业园区"


def test_yuanqu_with_a_place_prefix_is_a_park() -> None:
    assert names("郑州经开区下辖滨河园区和潮河园区。", "Park") == {"滨河园区", "潮河园区"}


def test_a_generic_yuanqu_alone_is_not_a_park() -> None:
    text = "郑州经开区规划了汽车零部件产业园,园区面积达5平方公里。该园区环境优美。"
    assert names(text, "Park") == {"汽车零部件产业园"}


def test_counted_or_quantified_parks_are_not_parks() -> None:
    assert names("郑州经开区统筹建设三个产业园,全区各产业园发展良好。", "Park") == set()


def test_chanyeyuanqu_and_chanyeyuan_are_one_park() -> None:
    text = "郑州经开区规划了汽车零部件产业园区。汽车零部件产业园已入驻企业30家。"
    parks = list(doc_of(text).mentions_of("Park"))
    assert len(parks) == 2
    assert {m.key for m in parks} == {("Park", "汽车零部件产业园")}


# --- enterprises -----------------------------------------------------------------------

def test_legal_heads_with_a_city_prefix_and_groups() -> None:
    text = "郑州经开区引进了郑州宇通客车股份有限公司和中铁装备集团。"
    assert rules(text, "Enterprise") == {"郑州宇通客车股份有限公司": {"legal-head"},
                                         "中铁装备集团": {"legal-head"}}


def test_brand_plus_industry_head() -> None:
    text = "郑州经开区引进了汉威科技和羚锐药业,新建了思源电气生产线。"
    assert rules(text, "Enterprise") == {"汉威科技": {"brand-industry"}, "羚锐药业": {"brand-industry"},
                                         "思源电气": {"brand-industry"}}


def test_an_industry_alone_is_not_an_enterprise() -> None:
    text = "合肥高新区大力发展生物医药和电子科技。该公司成立于2010年。其子公司也在合肥。"
    assert names(text, "Enterprise") == set()


def test_administrations_and_universities_are_not_enterprises() -> None:
    assert names("郑州经开区管委会与郑州大学签署协议。", "Enterprise") == set()


@pytest.mark.parametrize("text, name", [
    ("郑州经开区的龙头企业宇通客车,年产值超百亿元。", "宇通客车"),
    ("合肥高新区的骨干企业华米科技,去年营收增长。", "华米科技"),
])
def test_a_ranking_descriptor_before_a_name(text: str, name: str) -> None:
    assert rules(text, "Enterprise") == {name: {"descriptor"}}


def test_a_list_of_enterprises_without_suffixes() -> None:
    text = "郑州经开区的海马汽车、安图生物、华兰生物等企业发展迅速。"
    assert rules(text, "Enterprise") == {"海马汽车": {"list-企业"}, "安图生物": {"list-企业"},
                                         "华兰生物": {"list-企业"}}


def test_a_list_after_a_preposition_starts_after_it() -> None:
    text = "合肥高新区与京东方、长鑫存储、蔚来汽车等企业签约。"
    assert names(text, "Enterprise") == {"京东方", "长鑫存储", "蔚来汽车"}


@pytest.mark.parametrize("text, expected", [
    ("郑州经开区的海马汽车、安图生物和华兰生物等企业发展迅速。", {"海马汽车", "安图生物", "华兰生物"}),
    ("郑州经开区的海马汽车以及安图生物等企业发展迅速。", {"海马汽车", "安图生物"}),
    # 和 inside a word (和平) joins nothing.
    ("郑州经开区的海马汽车、和平药业等企业发展迅速。", {"海马汽车", "和平药业"}),
], ids=["he", "yiji", "heping"])
def test_a_list_whose_last_item_follows_a_conjunction(text: str, expected: set[str]) -> None:
    assert names(text, "Enterprise") == expected


@pytest.mark.parametrize("text, name", [
    ("合肥高新区的本源量子、国盾量子等企业持续扩产。", "本源量子"),
    ("广州开发区引进了本田汽车(中国)有限公司。", "本田汽车(中国)有限公司"),
], ids=["list", "legal-head"])
def test_a_name_starting_with_ben_is_not_generic(text: str, name: str) -> None:
    assert name in names(text, "Enterprise")


@pytest.mark.parametrize("text", [
    "该公司今年计划新上两条生产线。",
    "本公司承诺按期完成投资。",
    "全市各类企业都在加快转型。",
    "我区重点企业的产值增长了一成。",
])
def test_a_demonstrative_or_scope_word_is_still_no_name(text: str) -> None:
    assert names(text, "Enterprise") == set()


# --- projects ------------------------------------------------------------------------

def test_a_project_named_by_its_head() -> None:
    text = "合肥高新区今年开工建设量子精密测量仪器研发生产项目。"
    assert rules(text, "Project") == {"量子精密测量仪器研发生产项目": {"project-head"}}


def test_a_project_named_by_its_investment() -> None:
    text = "郑州经开区投资12亿元的新能源商用车底盘生产基地正式投产。"
    assert rules(text, "Project") == {"新能源商用车底盘生产基地": {"invested"}}


def test_a_list_of_projects() -> None:
    text = "合肥高新区推进长鑫存储二期、晶合集成三期、维信诺模组等项目。"
    assert rules(text, "Project") == {"长鑫存储二期": {"list-项目"}, "晶合集成三期": {"list-项目"},
                                      "维信诺模组": {"list-项目"}}


def test_a_branded_park_is_a_project_and_its_brand_an_enterprise() -> None:
    text = "合肥经开区引进国轩新材料产业园。"
    assert rules(text, "Project") == {"国轩新材料产业园": {"branded-park"}}
    assert names(text, "Park") == set()
    assert rules(text, "Enterprise") == {"国轩": {"project-brand"}}


def test_an_unbranded_industry_park_stays_a_park() -> None:
    text = "合肥经开区建设新材料产业园。"
    assert names(text, "Park") == {"新材料产业园"}
    assert names(text, "Project") == names(text, "Enterprise") == set()


@pytest.mark.parametrize("text", [
    "郑州经开区今年实施重点项目30个,招商引资项目进展顺利。",
    "郑州经开区加快推进重点项目建设。",
    "合肥高新区签约了一批招商引资项目。",
])
def test_generic_projects_are_not_projects(text: str) -> None:
    assert names(text, "Project") == set()


@pytest.mark.parametrize("text, project", [
    ("郑州经开区的高精度汽车轴承生产项目总投资39.2亿元。", "高精度汽车轴承生产项目"),
    ("合肥经开区的智能网联汽车零部件生产项目开工。", "智能网联汽车零部件生产项目"),
], ids=["gaojingdu", "zhinengwanglian"])
def test_a_descriptive_word_before_a_project_is_no_brand(text: str, project: str) -> None:
    assert names(text, "Project") == {project}
    assert names(text, "Enterprise") == set()


@pytest.mark.parametrize("text, project", [
    ("郑州经开区的智能网联汽车测试场项目总投资30亿元。", "智能网联汽车测试场项目"),
    ("合肥高新区的新能源汽车检测场项目开工。", "新能源汽车检测场项目"),
], ids=["ceshichang", "jiancechang"])
def test_a_project_ending_in_a_facility_word(text: str, project: str) -> None:
    assert names(text, "Project") == {project}


# --- chains and clusters ----------------------------------------------------------------

def test_named_chain_and_cluster() -> None:
    text = "合肥高新区重点打造新能源汽车产业链,培育高端装备制造产业集群。"
    assert names(text, "IndustryChain") == {"新能源汽车产业链"}
    assert names(text, "IndustryCluster") == {"高端装备制造产业集群"}


def test_a_service_industry_cluster_and_no_generic_ones() -> None:
    text = "郑州经开区加快发展现代服务业集群,壮大优势产业集群,延伸产业链。"
    assert names(text, "IndustryCluster") == {"现代服务业集群"}
    assert names(text, "IndustryChain") == set()


def test_generic_modifiers_do_not_name_chains_or_clusters() -> None:
    text = "合肥高新区构建重点产业链,培育战略性新兴产业集群,产业链上下游企业集聚。"
    assert names(text, "IndustryChain") == names(text, "IndustryCluster") == set()


def test_a_chain_inside_a_project_name_is_not_a_chain() -> None:
    text = "合肥经开区实施新能源汽车产业链配套基地项目。"
    assert names(text, "IndustryChain") == set()
    assert names(text, "Project") == {"新能源汽车产业链配套基地项目"}


@pytest.mark.parametrize("verb", ["大力发展", "优先发展", "加快构建"])
def test_a_policy_verb_phrase_is_not_part_of_a_chain_name(verb: str) -> None:
    text = f"郑州经开区{verb}新能源汽车产业链。"
    assert names(text, "IndustryChain") == {"新能源汽车产业链"}
