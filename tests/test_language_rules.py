"""The rules that carry extraction past the sample articles, each on sentences written
for this test (invented zones, companies and projects; none from the dev articles)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.evaluate.names import names_match, normalize_name
from kg.evaluate.score import score
from kg.extract.extraction import extract_article
from kg.extract.pipeline import extract
from kg.ingest.normalize import normalize


@cache
def _article(text: str):
    x = extract_article("t", text)
    return x, {e.local_id: (e.type, e.names) for e in x.entities}


def names(text: str, type_: str) -> set[str]:
    x, _ = _article(text)
    return {e.names[0] for e in x.entities if e.type == type_}


def all_names(text: str, type_: str) -> list[tuple[str, ...]]:
    x, _ = _article(text)
    return sorted(e.names for e in x.entities if e.type == type_)


def facts(text: str) -> set[tuple]:
    x, ents = _article(text)
    return {(f.rel, ents[f.subject][1][0], ents[f.object][1][0] if f.object else f.amount_cny) for f in x.facts}


# --- zones ------------------------------------------------------------------------

def test_new_areas_pilot_zones_bonded_zones_and_new_towns_are_zones() -> None:
    text = ("赣南新区与临港综合保税区签署协议。云岭沿边开发开放试验区、闽南台商投资区和宿州新城也派员参加。"
            "新区将继续扩大开放,建设枢纽新城。")
    zones = names(text, "Zone")
    assert {"赣南新区", "临港综合保税区", "云岭沿边开发开放试验区", "闽南台商投资区", "宿州新城"} <= zones
    assert "枢纽新城" not in zones  # a new town only after the place it is in
    # A bare 新区 is a reference, never a name; 新城控股 is a company, not a zone.
    assert "新区" not in zones
    assert "新城" not in names("荣盛新城控股集团在此投资。", "Zone")


def test_one_zone_written_with_and_without_its_province_and_city_is_one_zone() -> None:
    text = "安徽省宣城市青弋江高新区举行签约仪式。青弋江高新区引进了华科精工有限公司。宣城市青弋江高新区表示欢迎。"
    zones = all_names(text, "Zone")
    assert len(zones) == 1 and {"青弋江高新区", "安徽省宣城市青弋江高新区"} <= set(zones[0])


def test_a_date_glued_to_a_zone_name_is_cut_off() -> None:
    text = "3月15日龙泉高新区消息,该区新增两家企业。"
    assert names(text, "Zone") == {"龙泉高新区"}


def test_a_park_with_its_own_administration_is_a_zone() -> None:
    text = "宏远产业园管委会负责人介绍,今年宏远产业园新引进企业12家。"
    assert "宏远产业园" in names(text, "Zone")
    assert "宏远产业园" not in names(text, "Park")


def test_the_only_area_of_an_article_without_a_zone_is_its_zone() -> None:
    text = "青松工业园区位于县城东部。目前青松工业园区已入驻恒发钢铁有限公司等企业。"
    assert names(text, "Zone") == {"青松工业园区"}
    assert ("hosts", "青松工业园区", "恒发钢铁有限公司") in facts(text)


def test_a_bare_reference_means_the_zone_of_its_kind() -> None:
    text = ("东川示范区举行重点项目集中签约\n"
            "示范区此次签约的瑞丰年产3万吨果蔬饮料项目投资6亿元。\n\n"
            "另据报道,西岭经开区去年引进项目40个。西岭经开区将加快建设,西岭经开区已经成为省级园区。")
    assert ("locatedIn", "瑞丰年产3万吨果蔬饮料项目", "东川示范区") in facts(text)


# --- parks --------------------------------------------------------------------------

def test_descriptions_of_parks_are_not_parks() -> None:
    text = "长河高新区有老牌工业园区,也有省级重点产业园,将充分利用产业园区资源。"
    assert not names(text, "Park")


# --- enterprises -----------------------------------------------------------------

def test_companies_in_a_plain_list_with_places_before_their_brands() -> None:
    text = "开工项目4个,包括常州恒翔、苏州奥立康、浙江泓锐、福建瑞诺,均为新能源配套企业。"
    assert {"常州恒翔", "苏州奥立康", "浙江泓锐", "福建瑞诺"} <= names(text, "Enterprise")


def test_two_companies_whose_separator_was_lost_are_two() -> None:
    text = "签约企业包括常州恒翔、苏州奥立康苏州泓锐,均为配套企业。"
    assert {"苏州奥立康", "苏州泓锐"} <= names(text, "Enterprise")


def test_foreign_companies_keep_their_country() -> None:
    text = "新区引进了德国克劳维、意大利菲洛蒂等一批外资企业。"
    assert {"德国克劳维", "意大利菲洛蒂"} <= names(text, "Enterprise")


def test_slogans_regions_and_trades_in_lists_are_no_companies() -> None:
    text = "园区坚持精准发力、加倍努力,对接京津冀、长三角、粤港澳,发展石油化工、装备制造、汽车电子等产业。"
    assert not names(text, "Enterprise")


def test_a_factory_with_its_city_is_a_company() -> None:
    text = "开发区推动沈河重型机器厂、沈河电表厂等老企业改造。"
    assert {"沈河重型机器厂", "沈河电表厂"} <= names(text, "Enterprise") or \
        {"沈河重型机器厂", "沈河电表厂"} <= names(text, "Project") | names(text, "Enterprise")


def test_descriptions_before_a_legal_name_are_not_part_of_it() -> None:
    text = "投资者广南圣华集团有限公司是一家多元化集团。"
    assert names(text, "Enterprise") == {"广南圣华集团有限公司"}


def test_the_company_before_a_capacity_runs_the_project() -> None:
    text = "东川经开区内,青海华泰年产5万吨碳酸锂项目开工建设。"
    f = facts(text)
    assert ("operatedBy", "青海华泰年产5万吨碳酸锂项目", "青海华泰") in f
    assert ("hosts", "东川经开区", "青海华泰") in f


def test_the_subject_company_builds_the_project_it_invests_in() -> None:
    text = "东川经开区与瑞达科技股份有限公司签约,瑞达科技将投资20亿元建设精密光学组件生产项目。"
    f = facts(text)
    assert ("operatedBy", "精密光学组件生产项目", "瑞达科技股份有限公司") in f
    assert ("invests", "精密光学组件生产项目", 2_000_000_000) in f


# --- projects ---------------------------------------------------------------------

def test_counts_thresholds_and_trades_are_not_projects() -> None:
    text = ("今年,开发区计划建设5000万元以上项目120个,签约投资3000万元以上产业项目45个。"
            "仪式上,石油化工、装备制造、商贸旅游等16个项目集中签约。")
    assert not names(text, "Project")


def test_a_company_facility_with_its_country_is_a_project() -> None:
    text = "保税区内,美国康宁特全自动生产基地投产。"
    assert "美国康宁特全自动生产基地" in names(text, "Project")
    assert "美国康宁特" in names(text, "Enterprise")


def test_each_project_gets_the_amount_of_its_own_clause() -> None:
    text = "东川经开区签约项目中,华瑞果汁饮料项目投资8亿元,恒通动物营养饲料项目投资3亿元。"
    f = facts(text)
    assert ("invests", "华瑞果汁饮料项目", 800_000_000) in f
    assert ("invests", "恒通动物营养饲料项目", 300_000_000) in f


def test_particulars_name_the_builder_and_the_amount() -> None:
    text = "东川经开区重点项目:年产8万吨环保板材项目,建设单位为东川绿森板业有限公司,总投资:4.5亿元。"
    f = facts(text)
    assert ("operatedBy", "年产8万吨环保板材项目", "东川绿森板业有限公司") in f


def test_a_table_row_gives_project_company_and_amount() -> None:
    text = ("东川经开区重点项目清单\n"
            "序号\t项目名称\t建设单位\t总投资(亿元)\n"
            "1\t年产3万吨电池隔膜生产线建设项目\t东川星河新材料有限公司\t12\n"
            "2\t新能源电机研发中心\t东川巨力动力有限公司\t3.5\n")
    f = facts(text)
    assert ("operatedBy", "年产3万吨电池隔膜生产线建设项目", "东川星河新材料有限公司") in f
    assert ("invests", "年产3万吨电池隔膜生产线建设项目", 1_200_000_000) in f
    assert ("operatedBy", "新能源电机研发中心", "东川巨力动力有限公司") in f
    assert ("invests", "新能源电机研发中心", 350_000_000) in f


def test_html_table_rows_are_lines_of_tab_separated_cells(tmp_path: Path) -> None:
    from kg.ingest.reader import read_source

    page = tmp_path / "t.html"
    prose = "".join(f"<p>东川经开区今年重点推进第{i}批项目建设,确保全部按期开工、投产、见效,为全年目标打下基础。</p>"
                    for i in range(1, 5))
    rows = "".join(f"<tr><td>{i}</td><td>环保板材{i}号项目</td><td>东川绿森板业有限公司</td><td>{i}.5</td></tr>"
                   for i in range(1, 6))
    page.write_text(f"<html><body><article><h1>东川经开区重点项目</h1>{prose}<table>"
                    "<tr><th>序号</th><th>项目名称</th><th>建设单位</th><th>总投资(亿元)</th></tr>"
                    f"{rows}</table></article></body></html>", encoding="utf-8")
    text = read_source(page).text
    assert "序号\t项目名称\t建设单位\t总投资(亿元)" in text
    assert "2\t环保板材2号项目\t东川绿森板业有限公司\t2.5" in text


# --- normalisation and evaluation ------------------------------------------------

def test_pinyin_glosses_after_characters_are_dropped() -> None:
    n = normalize("东川县产(chǎn)业(yè)集聚区位于城南。(ABC)")
    assert "东川县产业集聚区位于城南" in n.text
    assert "(ABC)" in n.text  # only tone-marked syllables are glosses


def test_evaluation_compares_scripts_and_glosses_alike() -> None:
    assert normalize_name("許昌經濟技術開發區") == normalize_name("许昌经济技术开发区")
    assert names_match("產(chǎn)業(yè)集聚區", "产业集聚区")


def test_evaluation_lists_every_false_positive_and_negative() -> None:
    gold = {"d": {"doc": "d", "entities": [{"id": "Z", "type": "Zone", "names": ["东川经开区"]},
                                           {"id": "E", "type": "Enterprise", "names": ["恒发钢铁"]}],
                  "facts": [{"rel": "hosts", "s": "Z", "o": "E", "evidence": "恒发钢铁落户"}]}}
    pred = {"d": {"doc": "d", "entities": [{"id": "z", "type": "Zone", "names": ["东川经开区"]},
                                           {"id": "x", "type": "Enterprise", "names": ["瑞达"]}],
                  "facts": [{"rel": "hosts", "s": "z", "o": "x", "evidence": "瑞达在此"}]}}
    errors = score(pred, gold).errors["d"]
    assert errors["entity_fp"] == [{"type": "Enterprise", "names": ["瑞达"]}]
    assert errors["entity_fn"] == [{"type": "Enterprise", "names": ["恒发钢铁"]}]
    assert errors["fact_fp"] == [{"rel": "hosts", "s": "东川经开区", "o": "瑞达", "evidence": "瑞达在此"}]
    assert errors["fact_fn"] == [{"rel": "hosts", "s": "东川经开区", "o": "恒发钢铁", "evidence": "恒发钢铁落户"}]


def test_the_pipeline_registers_the_new_components() -> None:
    from kg.extract.pipeline import components

    registered = {c.name for c in components()}
    assert {"company-lists", "standalone-parks", "facility-projects", "table-projects", "table-facts"} <= registered
    # extract() runs them without error on an empty text too
    assert extract("t", "").mentions == []


def test_what_another_county_brings_in_is_not_the_zones() -> None:
    text = ("北川经济开发区今年签约项目12个。\n\n"
            "北川经济开发区引进瑞达精工有限公司。宁远县引进恒通重工有限公司投资5亿元建设农机生产项目。")
    f = facts(text)
    assert ("hosts", "北川经济开发区", "瑞达精工有限公司") in f
    assert ("hosts", "北川经济开发区", "恒通重工有限公司") not in f
