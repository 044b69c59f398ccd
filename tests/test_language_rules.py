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


# --- descriptions and conjunctions (issue 11) ----------------------------------------

def test_a_park_after_an_ordinal_or_a_count_is_a_description_not_a_name() -> None:
    text = ("青岚经济开发区建有光谷产业园。该区被认定为全省首个智慧物流产业园区,"
            "也是全国唯一的冰雪装备产业园,又一批特色产业园正在规划。")
    parks = names(text, "Park") | names(text, "Zone")
    assert "光谷产业园" in parks
    assert not any(p.startswith(("智慧物流", "冰雪装备", "特色")) for p in parks)


def test_a_name_never_starts_with_the_conjunction_ji() -> None:
    text = "青岚经济开发区举行招商签约暨城东新材料产业园揭牌活动。"
    parks = names(text, "Park")
    assert "城东新材料产业园" in parks
    assert not any(n.startswith("暨") for t in ("Park", "Project", "Enterprise") for n in names(text, t))


def test_a_chain_before_a_park_head_describes_the_park() -> None:
    text = "青岚经济开发区打造全国首个储能全产业链产业园,并延伸光伏组件产业链。"
    assert names(text, "IndustryChain") == {"光伏组件产业链"}


def test_a_list_of_projects_may_hold_names_with_a_parenthesis() -> None:
    text = ("青岚经济开发区今年开工建设星澜数据中心、宁远综合货运枢纽(一期)、"
            "泰和精工(宁远)有限公司轴承技改升级、云杉年产5万吨碳酸锂等28个重点项目。")
    projects = names(text, "Project")
    assert {"星澜数据中心", "宁远综合货运枢纽(一期)"} <= projects
    assert any(p.startswith("泰和精工(宁远)有限公司轴承技改升级") for p in projects)
    assert ("operatedBy", next(p for p in projects if p.startswith("泰和精工")),
            "泰和精工(宁远)有限公司") in facts(text)


def test_a_trade_with_a_parenthesis_is_still_a_trade() -> None:
    text = "青岚经济开发区主要面向钢材(特钢)、精密铸造等行业的企业招商。"
    assert not names(text, "Enterprise")


def test_a_list_by_bare_projects_names_each_project_by_its_company() -> None:
    text = "青岚经济开发区今年签约恒岳制药、蓝鲸生物、绿松石等项目18个。"
    found = facts(text)
    assert ("operatedBy", "绿松石", "绿松石") in found or ("operatedBy", "绿松石项目", "绿松石") in found


def test_a_park_before_a_place_at_the_head_of_a_list_item_is_where_the_item_is() -> None:
    text = "青岚经济开发区西区工业园湖南星海新材年产8千吨正极材料、云杉机械年产500台挖掘机等3个项目已开工。"
    projects = names(text, "Project")
    assert any(p.startswith("湖南星海新材年产8千吨正极材料") for p in projects)
    assert not any("工业园" in p for p in projects)


def test_a_rare_time_word_inside_a_name_is_part_of_it() -> None:
    text = "青岚经济开发区签约湖南初秋钒钛年产8千吨钒电池、云杉机械年产500台挖掘机等2个项目。"
    assert any(p.startswith("湖南初秋钒钛") for p in names(text, "Project"))


def test_a_short_name_before_a_place_or_region_heads_a_project_as_its_company() -> None:
    text = ("青岚经济开发区开工建设潮汐长沙智能仓储中心、雅韵地产长沙研发基地、博伦北方基地、"
            "长沙智慧港等18个重点项目。")
    ents = names(text, "Enterprise")
    assert {"潮汐", "雅韵地产", "博伦"} <= ents
    assert not any(e.startswith("长沙") for e in ents)
    assert ("operatedBy", "雅韵地产长沙研发基地", "雅韵地产") in facts(text)


def test_a_ranking_names_the_company_after_it() -> None:
    text = "青岚经济开发区签约中国500强恒岳重工项目,世界500强数字经济项目也在洽谈。"
    assert "恒岳重工" in names(text, "Enterprise")
    assert "数字经济" not in names(text, "Enterprise")
    assert "恒岳重工项目" in names(text, "Project")


def test_a_capacity_in_two_units_stays_in_the_project_name() -> None:
    text = "青岚经济开发区西区工业园云杉50MW/100MWh储能电站、星海年产3万吨纯碱等2个项目已开复工建设。"
    projects = names(text, "Project")
    assert any(p.startswith("云杉50MW/100MWh储能电站") for p in projects)
    assert not any(p.startswith(("已开", "复工")) for p in projects)
    assert "已开" not in names(text, "Enterprise")


def test_an_invested_project_keeps_its_capacity() -> None:
    text = "青岚经济开发区内,宏达纸业投资3亿元建设年产5万吨纸浆生产线。"
    assert "年产5万吨纸浆生产线" in names(text, "Project")
    assert ("invests", "年产5万吨纸浆生产线", 300000000) in facts(text)


def test_a_common_word_before_a_trade_ending_can_be_a_listed_brand() -> None:
    text = "青岚经济开发区近期引进了光明船务、湖南星澜农业等一批产业项目。"
    ents = names(text, "Enterprise")
    assert "光明船务" in ents and "船务" not in ents


def test_a_preposition_opening_the_clause_is_not_part_of_a_zone() -> None:
    text = "上月,经云岭经济开发区党工委批准,星澜电子获准入园。"
    assert names(text, "Zone") == {"云岭经济开发区"}


def test_slogans_public_bodies_and_bare_subsidiaries_are_not_companies() -> None:
    text = ("青岚经济开发区坚持“强链补链”,与省商务厅、青岚市物流协会合作,引进星澜电子、云帆科技等企业;"
            "华辰精工的全资子公司也已落户,中铁十八局承建园区道路。")
    ents = names(text, "Enterprise")
    assert not ents & {"强链补链", "省商务厅", "青岚市物流协会", "全资子公司"}
    assert {"星澜电子", "云帆科技"} <= ents


def test_a_ranking_glued_before_a_company_is_cut_off() -> None:
    text = "青岚经济开发区引进中国500强星澜控股、云帆科技等企业。"
    ents = names(text, "Enterprise")
    assert not any("500强" in e for e in ents)


def test_table_rows_run_together_keep_their_projects_apart() -> None:
    text = "序号 项目名称 投资额(亿元)\n1 星澜新能源电池项目 12\n2 江西云帆智能装备有限公司年产5万台电机项目 8\n"
    projects = names(text, "Project")
    assert "星澜新能源电池项目" in projects
    assert "江西云帆智能装备有限公司年产5万台电机项目" in projects


def test_parks_named_after_other_counties_are_areas_of_their_own() -> None:
    text = ("浏阳工业园管委会通报:浏阳工业园新开工项目5个,"
            "醴陵工业园、攸县工业园各开工2个项目;浏阳工业园的城北园区完成基础设施建设。")
    found = facts(text)
    has_park = {o for r, s, o in found if r == "hasPark"}
    assert not has_park & {"醴陵工业园", "攸县工业园"}
    assert "城北园区" in has_park


def test_a_brand_in_latin_letters_before_an_industry_head_is_a_company() -> None:
    text = "青岚经济开发区引进的XYZ医疗影像设备生产基地投产,QRS电气也将落户。"
    assert {"XYZ医疗", "QRS电气"} <= names(text, "Enterprise")


def test_a_decimal_capacity_stays_in_the_project_name():
    # 19.4万套: the decimal number is one quantity; cut at its point, the name would
    # start at 万套 and the unit would pass for the project's company.
    x = extract_article("t", "其中，年产19.4万套医疗设备项目由青川联腾建材有限公司投资建设。", "t.txt", "")
    names = {(e.type, e.names[0]) for e in x.entities}
    assert ("Project", "年产19.4万套医疗设备项目") in names
    assert not any(t == "Enterprise" and n.startswith("万") for t, n in names), names


def test_a_brand_ending_in_he_is_not_cut_at_the_conjunction() -> None:
    # jieba cuts 鼎和 into 鼎|和; the 和 joins no two words here, it ends the brand.
    text = "星河经济技术开发区举行签约仪式。据了解,北京鼎和智能装备有限公司已先后落户星河经济技术开发区。"
    assert "北京鼎和智能装备有限公司" in names(text, "Enterprise")
    # A real conjunction between two companies still splits them.
    text = "星河经济技术开发区举行签约仪式。瑞岚科技有限公司和华硕盛机械有限公司落户星河经济技术开发区。"
    assert {"瑞岚科技有限公司", "华硕盛机械有限公司"} <= names(text, "Enterprise")


def test_a_brand_and_trade_word_in_a_list_of_companies_is_a_company() -> None:
    text = ("星河经济技术开发区举行签约仪式。开发区现有规上工业企业186家,"
            "其中包括恒泰精密、德曜电子、华硕盛机械等一批行业龙头企业。")
    assert {"恒泰精密", "德曜电子", "华硕盛机械"} <= names(text, "Enterprise")
    # The same words in a list of trades are no companies.
    text = "星河经济技术开发区举行签约仪式。开发区重点发展精密制造、电子信息、新材料等产业。"
    assert not names(text, "Enterprise")


def test_a_company_before_a_build_verb_runs_the_project_after_it() -> None:
    # 新建的: the company is named before the project, so the project's first word
    # (a product, 原料药) is no company of its own.
    text = "星河经济技术开发区举行签约仪式。瑞川药业新建的原料药生产基地项目计划投资8亿元。"
    assert names(text, "Enterprise") == {"瑞川药业"}
    assert ("operatedBy", "原料药生产基地项目", "瑞川药业") in facts(text)


def test_a_company_named_after_its_county_does_not_make_the_county_a_company() -> None:
    text = ("临河县工业园区成立于2006年,位于临河县城东部。"
            "园区入驻企业68家,主要有临河化工股份有限公司、宏岚机械制造有限公司等。")
    assert names(text, "Enterprise") == {"临河化工股份有限公司", "宏岚机械制造有限公司"}
    # nor a spelling of the company it is named after
    assert not any("临河" in spellings for spellings in all_names(text, "Enterprise"))


def test_bonded_trades_are_industries_not_companies() -> None:
    text = ("云溪综合保税区一季度进出口总额同比增长18%。综保区将加快建设加工制造、跨境电商、保税物流三大产业集群。"
            "区内企业云溪保税物流有限公司业务量稳步提升。")
    assert names(text, "Enterprise") == {"云溪保税物流有限公司"}


def test_a_list_of_full_legal_names_and_short_names_is_one_list_of_companies() -> None:
    # The legal names are too long for a brand's shape; they still make the list one of
    # companies, so the short names in it (a brand and a trade word) are companies too.
    text = ("南浔高新区简介。园区内主要企业有:赣州瑞丰电子科技有限公司、江西宏图新能源股份有限公司、"
            "南康华誉药业有限公司、星源精工、晨阳电气等。")
    assert {"赣州瑞丰电子科技有限公司", "星源精工", "晨阳电气"} <= names(text, "Enterprise")
    # Without the list, the brand and trade word alone say nothing.
    assert "星源精工" not in names("南浔高新区简介。星源精工的理念深入人心。", "Enterprise")


def test_an_ordinary_word_before_an_industry_head_is_a_company_in_a_companys_role() -> None:
    # 远扬 is an ordinary verb (to spread far); as the one by whom a project is built it
    # is the brand of a company.
    text = "清源经济技术开发区消息。由远扬科技投资建设的智能传感器芯片封测项目已完成主体施工。"
    assert "远扬科技" in names(text, "Enterprise")
    assert ("operatedBy", "智能传感器芯片封测项目", "远扬科技") in facts(text)
    # Brought in by the zone, at the start of a clause before 落户: also a company.
    assert "远扬科技" in names("清源经济技术开发区消息。开发区引进远扬科技,年产值可达5亿元。", "Enterprise")
    # The same words with no role are a description: 智慧科技 is no company.
    assert not names("清源经济技术开发区消息。开发区大力发展智慧科技和远扬科技文化。", "Enterprise")


def test_enumeration_markers_are_not_part_of_a_project_or_a_company() -> None:
    text = ("石川综合保税区消息。一是跨境电商产业园项目,计划投资8亿元;二是进口水果分拨中心项目,计划投资3亿元。")
    projects = names(text, "Project")
    assert {"跨境电商产业园项目", "进口水果分拨中心项目"} <= projects
    assert not any(p.startswith(("一是", "二是")) for p in projects)
    assert not names(text, "Enterprise")


def test_a_company_responsible_for_carrying_out_a_project_runs_it() -> None:
    text = "石川综合保税区消息。投资12亿元的航空发动机保税维修项目由中航翼城科技有限公司负责实施。"
    assert ("operatedBy", "航空发动机保税维修项目", "中航翼城科技有限公司") in facts(text)


def test_the_zones_own_locality_at_the_head_of_a_project_is_no_company() -> None:
    text = "清源经济技术开发区消息。开发区与天弘控股集团签订协议,双方将共同建设清源数字内容产业园。"
    assert names(text, "Enterprise") == {"天弘控股集团"}
    # A brand the zone's name does not start with is still the company of its project.
    text = "清源经济技术开发区消息。开发区将建设凯越医疗器械产业园项目。"
    assert "凯越" in " ".join(names(text, "Enterprise"))


def test_policy_labels_are_no_company() -> None:
    text = "清源经济技术开发区消息。开发区将建设专精特新装备产业园项目,培育一批小巨人企业。"
    assert not names(text, "Enterprise")


def test_a_quoted_name_before_xiangmu_is_the_projects_name() -> None:
    text = "临江高新区消息。同日签约的还有“中泰汽车零部件智能制造”项目和“海韵食品精深加工”项目。"
    assert {"中泰汽车零部件智能制造项目", "海韵食品精深加工项目"} <= names(text, "Project")
    # A slogan or a contest's research topic in quotes is no investment project.
    text = "临江高新区消息。开发区开展“抢天夺时”项目攻坚行动,“低压固态储氢技术”项目荣获优秀奖。"
    assert not names(text, "Project")


def test_a_grade_inside_a_product_does_not_cut_the_projects_name() -> None:
    text = "临江高新区消息。下半年将重点推进鑫隆化工年产5万吨电子级氢氟酸项目建设。"
    assert names(text, "Project") == {"鑫隆化工年产5万吨电子级氢氟酸项目"}
    assert names(text, "Enterprise") == {"鑫隆化工"}


def test_xin_cailiao_is_one_trade_word_in_a_companys_name() -> None:
    # The short form of 江苏明远新材料有限公司 is 明远, not 明远新.
    text = "临江高新区消息。江苏明远新材料有限公司落户高新区。明远的隔膜产品供不应求。"
    assert ("江苏明远新材料有限公司", "明远") in all_names(text, "Enterprise")


def test_gai_xiangmu_you_x_names_who_builds_the_project_named_before() -> None:
    text = ("临江高新区消息。临江智慧物流港项目已完成主体工程。"
            "该项目由江苏明远新材料有限公司投资12亿元建设,建成后将成为冷链物流枢纽。")
    assert ("operatedBy", "临江智慧物流港项目", "江苏明远新材料有限公司") in facts(text)


def test_the_company_signed_with_builds_the_project_of_the_next_clause() -> None:
    text = "临江高新区消息。6月12日,高新区与上海博衍生物医药集团签订协议,投资18亿元建设生物医药创新中心。"
    assert ("operatedBy", "生物医药创新中心", "上海博衍生物医药集团") in facts(text)
    # Signed with one company, built by another named in its own clause: that one.
    text = ("临江高新区消息。高新区与上海博衍生物医药集团签订协议,"
            "江苏明远新材料有限公司将投资18亿元建设生物医药创新中心。")
    assert ("operatedBy", "生物医药创新中心", "江苏明远新材料有限公司") in facts(text)
    assert ("operatedBy", "生物医药创新中心", "上海博衍生物医药集团") not in facts(text)


def test_a_park_before_a_company_and_its_capacity_says_where_the_project_is() -> None:
    text = "南浔高新区消息。青石工业园瑞辰精工年产8万套轴承项目已开工建设。"
    assert names(text, "Project") == {"瑞辰精工年产8万套轴承项目"}
    assert ("operatedBy", "瑞辰精工年产8万套轴承项目", "瑞辰精工") in facts(text)


def test_a_park_placed_in_a_county_is_a_zone_of_its_own() -> None:
    text = ("宁川经济技术开发区聚焦汽车产业。东岭工业园区位于宁川市东岭县,重点发展绿色食品加工,"
            "园区内有禾丰粮油、康源乳业等企业。")
    assert {"宁川经济技术开发区", "东岭工业园区"} <= names(text, "Zone")
    assert not names(text, "Park")
    # 内有 (one token for jieba) introduces the list; it is not part of the first name.
    assert {("hosts", "东岭工业园区", "禾丰粮油"), ("hosts", "东岭工业园区", "康源乳业")} <= facts(text)
    # A park placed inside the zone stays a park of it.
    text = "宁川经济技术开发区聚焦汽车产业。汽车零部件产业园位于开发区东部,已入驻企业30家。"
    assert names(text, "Park") == {"汽车零部件产业园"}


def test_a_size_in_inches_is_part_of_the_projects_name_not_a_row_number() -> None:
    text = "宁川高新区消息。智芯微电子投资20亿元建设的12英寸晶圆封测项目进展顺利。"
    assert names(text, "Project") == {"12英寸晶圆封测项目"}
    assert ("operatedBy", "12英寸晶圆封测项目", "智芯微电子") in facts(text)


def test_parallel_slogans_are_no_list_of_companies() -> None:
    # A 企业 later in the clause does not make the four-character phrases before it companies.
    text = "宁川经济技术开发区消息。园区不断改进服务,育苗壮干、引凤还巢,让更多企业愿意前来投资。"
    assert not names(text, "Enterprise")
    # Right after the list, it does.
    text = "宁川经济技术开发区消息。园区引进了禾丰粮油、康源乳业等企业。"
    assert names(text, "Enterprise") == {"禾丰粮油", "康源乳业"}


def test_a_scale_or_the_zones_locality_is_no_company() -> None:
    text = "宁川经济技术开发区消息。开发区着力打造百亿级锌基新材料产业集群。"
    assert not names(text, "Enterprise")
    text = "云岭青溪新区消息。云岭青溪、宁川科技等企业参加了签约仪式。"
    assert names(text, "Enterprise") == {"宁川科技"}


def test_a_compound_verb_of_the_user_dictionary_ends_a_projects_name() -> None:
    # 投资建设 is one token (kg/resources/userdict.txt, tagged v): a verb, not part of the name.
    text = "青湾经济开发区消息。日本东丽公司在园区投资建设碳纤维项目。"
    assert names(text, "Project") == {"碳纤维项目"}


def test_a_legal_name_right_before_a_project_owns_it() -> None:
    text = "青湾经济开发区消息。韩国晓星集团年产3万吨氨纶项目落户青湾经济开发区。"
    assert ("operatedBy", "年产3万吨氨纶项目", "韩国晓星集团") in facts(text)


def test_a_company_that_pays_to_build_a_project_is_not_cut_from_its_name() -> None:
    text = "青湾经济开发区消息。浙江凯顺集团旗下凯顺新材料公司投资5亿元建设的改性塑料项目已投产。"
    assert names(text, "Enterprise") == {"浙江凯顺集团", "凯顺新材料公司"}  # not 旗下…, not 改性
    assert ("operatedBy", "改性塑料项目", "凯顺新材料公司") in facts(text)


def test_science_software_and_chemical_parks_are_parks_and_two_parks_joined_by_he_are_two() -> None:
    text = ("桐江经济技术开发区消息。开发区形成了梧桐山科创园、城东片区两大板块,"
            "临港片区布局了临港化工园和保税物流园。江北高新区下辖的光谷软件园也将提供研发服务。")
    assert {"梧桐山科创园", "临港化工园", "保税物流园", "光谷软件园"} <= names(text, "Park")
    assert not names(text, "Enterprise") and not names(text, "Project")
    assert ("hasPark", "江北高新区", "光谷软件园") in facts(text)


def test_a_company_shaped_partner_is_a_company_without_a_list() -> None:
    text = "青湾经济开发区消息。开发区与新加坡丰泰签署合作协议,并引进德国福尔瑞,打造精密制造基地。"
    assert {"新加坡丰泰", "德国福尔瑞"} <= names(text, "Enterprise")
    # Places and zones in the same role are no companies.
    text = "青湾经济开发区消息。开发区与苏州工业园区签署合作协议,与宁波市政府签约。"
    assert not names(text, "Enterprise")


def test_a_companys_project_is_one_project_and_the_company_runs_it() -> None:
    text = "青湾经济开发区消息。开发区成功引进宁川时代新能源科技股份有限公司的储能电池项目。"
    assert names(text, "Project") == {"储能电池项目"}
    assert ("operatedBy", "储能电池项目", "宁川时代新能源科技股份有限公司") in facts(text)
    # Without its company, 储能电池项目 is a kind of project.
    assert not names("青湾经济开发区消息。开发区大力引进储能电池项目。", "Project")


def test_the_builder_named_for_gai_xiangmu_runs_the_project_named_before() -> None:
    text = "青湾经济开发区消息。恒远新能源动力电池项目签约落户。该项目投资方为上海澜海投资管理有限公司。"
    assert ("operatedBy", "恒远新能源动力电池项目", "上海澜海投资管理有限公司") in facts(text)


def test_a_counted_list_of_projects_names_them_by_their_companies_and_its_sum_is_no_ones() -> None:
    text = "云梦新区消息。此外,总投资30亿元的中硕光电、华辰电子两个项目也完成了签约。"
    assert {"中硕光电项目", "华辰电子项目"} <= names(text, "Project")
    assert {"中硕光电", "华辰电子"} <= names(text, "Enterprise")
    assert not any(rel == "invests" for rel, _, _ in facts(text))
    # Nor is the amount before two projects joined by 和.
    text = "云梦新区消息。总投资22亿元的中硕光电华中区域总部项目和华辰电子传感器项目落户新区。"
    assert not any(rel == "invests" for rel, _, _ in facts(text))
    # Each item with its own amount keeps it.
    text = "云梦新区消息。投资15亿元的中硕光电新材料项目、投资8亿元的华辰电子传感器项目等项目开工。"
    assert ("invests", "中硕光电新材料项目", 1500000000) in facts(text)


def test_works_named_after_a_list_cue_are_companies_and_kinds_of_works_are_not() -> None:
    text = "青湾经济开发区消息。园区现有企业12家,主要有宏伟砖厂、鑫磊陶粒厂、丰源面粉厂等。"
    assert names(text, "Enterprise") == {"宏伟砖厂", "鑫磊陶粒厂", "丰源面粉厂"}
    text = "青湾经济开发区消息。园区主要有砖厂、面粉厂、水泥厂等企业。"
    assert not names(text, "Enterprise")


def test_ruzhu_before_a_name_is_the_verb() -> None:
    # jieba alone cuts 已入|驻华|锦; the user dictionary keeps 入驻 whole.
    text = "青湾经济开发区消息。目前,园区已入驻华锦化工、天润乳业、金麦面业3家企业。"
    assert names(text, "Enterprise") == {"华锦化工", "天润乳业", "金麦面业"}


def test_a_park_named_after_the_zones_locality_is_a_park_of_the_zone() -> None:
    text = "青湾经济开发区消息。开发区将全力推进青湾新能源产业园建设。"
    assert names(text, "Park") == {"青湾新能源产业园"}
    assert ("hasPark", "青湾经济开发区", "青湾新能源产业园") in facts(text)
    assert not names(text, "Project") and not names(text, "Enterprise")


def test_the_company_opening_the_clause_before_invests_in_the_project_built_after() -> None:
    text = "青湾经济开发区消息。青湾恒达机械有限公司拟投资10亿元,建设年产5万台农机装备项目。"
    assert ("operatedBy", "年产5万台农机装备项目", "青湾恒达机械有限公司") in facts(text)


def test_xiangmu_you_at_a_clause_start_refers_back_and_names_every_builder() -> None:
    text = ("青湾经济开发区消息。智能农机研发中心项目开工。"
            "项目由青湾恒达机械有限公司和宁川鼎力科技有限公司共同投资建设。")
    assert {("operatedBy", "智能农机研发中心项目", "青湾恒达机械有限公司"),
            ("operatedBy", "智能农机研发中心项目", "宁川鼎力科技有限公司")} <= facts(text)


def test_a_company_settling_in_a_zone_named_after_it_is_hosted_there() -> None:
    text = ("宁川市招商引资成效明显。宁川高新技术产业开发区引进智芯微电子有限公司。"
            "恒达机械有限公司落户宁川经济技术开发区后,当年即实现投产。")
    assert ("hosts", "宁川经济技术开发区", "恒达机械有限公司") in facts(text)
    assert ("hosts", "宁川高新技术产业开发区", "恒达机械有限公司") not in facts(text)
    # Without a settling verb, the zone named before still scopes it.
    text = ("宁川市招商引资成效明显。宁川高新技术产业开发区引进智芯微电子有限公司,"
            "恒达机械有限公司与宁川经济技术开发区签约。")
    assert ("hosts", "宁川高新技术产业开发区", "智芯微电子有限公司") in facts(text)


def test_a_level_of_government_inside_a_park_name_makes_it_no_companys_project() -> None:
    text = "宁川国家农业科技园区引进龙头企业5家,园区内有禾丰粮油、康源乳业等企业。"
    assert names(text, "Zone") == {"宁川国家农业科技园区"}  # no larger zone named: the park is the area
    assert names(text, "Enterprise") == {"禾丰粮油", "康源乳业"}
    assert not names(text, "Project")


def test_a_project_phrase_followed_by_a_count_is_a_kind_of_projects() -> None:
    text = ("石门工业园区消息。今年,园区新开工项目15个,其中智能装备类项目6个,数字经济和现代服务平台项目有3个。"
            "投资12亿元的华锦高端铝箔项目已开工。")
    assert names(text, "Project") == {"华锦高端铝箔项目"}


def test_bodies_in_a_list_of_signings_are_no_projects() -> None:
    text = ("石门工业园区消息。园区与宁川市物流协会、科技部火炬中心、华锦高端铝箔项目等签约。")
    assert names(text, "Project") == {"华锦高端铝箔项目"}


def test_a_company_by_its_capital_settling_in_the_zone() -> None:
    # At a sentence's start too (the words before the descriptor are the sentence's own).
    text = "青湾经济开发区消息。日资企业东洋精密落户开发区。民营企业宏达建材入驻园区。"
    assert names(text, "Enterprise") == {"东洋精密", "宏达建材"}
    assert not names("青湾经济开发区消息。龙头企业加快发展落户园区。", "Enterprise")


def test_a_project_a_company_builds_is_one_project_however_generic_its_words() -> None:
    text = "青湾经济开发区消息。韩国晓星集团在开发区投资建设存储芯片项目。"
    assert names(text, "Project") == {"存储芯片项目"}
    assert ("operatedBy", "存储芯片项目", "韩国晓星集团") in facts(text)
    assert not names("青湾经济开发区消息。开发区投资建设存储芯片项目。", "Project")
    # A facility too (…生产基地), which otherwise needs its company at its head.
    text = "青湾经济开发区消息。美国瑞斯康公司在开发区设立光纤预制棒生产基地。"
    assert ("operatedBy", "光纤预制棒生产基地", "美国瑞斯康公司") in facts(text)
    assert not names("青湾经济开发区消息。开发区将设立光纤预制棒生产基地。", "Project")


def test_a_scale_before_a_cluster_is_not_part_of_its_name() -> None:
    text = "青湾经济开发区消息。开发区聚力打造千亿级汽车产业集群和500亿级电子信息产业集群,培育百亿级产业集群3个。"
    assert names(text, "IndustryCluster") == {"汽车产业集群", "电子信息产业集群"}


def test_a_project_profile_names_its_project_and_its_builder() -> None:
    text = ("青湾经济开发区重点招商项目推介\n\n项目名称:绵阳智能家电产业园\n建设单位:青湾恒达机械有限公司\n"
            "总投资:15亿元\n建设内容:建设标准化厂房20万平方米。\n")
    assert names(text, "Project") == {"绵阳智能家电产业园"}
    assert not names(text, "Park")
    assert {("operatedBy", "绵阳智能家电产业园", "青湾恒达机械有限公司"),
            ("invests", "绵阳智能家电产业园", 1500000000)} <= facts(text)


def test_gai_gongsi_builds_for_the_company_named_last() -> None:
    text = ("青湾经济开发区消息。宁川鼎力科技有限公司去年落户。青湾恒达机械有限公司成立于2010年。"
            "该公司投资建设的智能农机装备项目明年投产。")
    assert ("operatedBy", "智能农机装备项目", "青湾恒达机械有限公司") in facts(text)
    assert ("operatedBy", "智能农机装备项目", "宁川鼎力科技有限公司") not in facts(text)


def test_facilities_the_clause_says_are_being_built_are_projects() -> None:
    # The verb after a list of facilities, or before it, says they are projects, company or not.
    text = ("青湾经济开发区消息。园区内,金穗冷链物流中心、蓝湾数据中心相继开工建设,"
            "开发区还新建了云岫食品加工厂。")
    assert {"金穗冷链物流中心", "蓝湾数据中心", "云岫食品加工厂"} <= names(text, "Project")
    assert ("locatedIn", "蓝湾数据中心", "青湾经济开发区") in facts(text)
    # Not a kind of facility (孵化基地), not a facility that only qualifies another noun, and
    # not one no verb says is being built.
    assert not names("青湾经济开发区消息。开发区建设了智慧产业园作为项目孵化基地。", "Project") - {"智慧产业园"}
    assert not names("青湾经济开发区消息。开发区实施“蓝湾数据中心智能化改造”。", "Project")
    assert not names("青湾经济开发区消息。蓝湾数据中心的员工有200人。", "Project")


def test_a_list_head_may_list_the_kinds_of_its_items() -> None:
    # 等新能源、新材料项目: the kinds are listed too; the items are still projects.
    text = "青湾经济开发区消息。金穗冷链物流基地、蓝湾智能装备产业园等新能源、新材料项目相继签约。"
    assert {"金穗冷链物流基地", "蓝湾智能装备产业园"} <= names(text, "Project")
    # 等企业、项目为代表: two heads, not kinds; the items are companies.
    text = "青湾经济开发区消息。以远扬生物、金穗智能等企业、项目为代表的产业集群加快形成。"
    assert not names(text, "Project") & {"远扬生物", "金穗智能"}
    # A kind of facility in such a list names no project.
    text = "青湾经济开发区消息。金穗冷链物流基地、检测与产业化基地等新能源、新材料项目相继签约。"
    assert "产业化基地" not in names(text, "Project")


def test_words_before_a_list_may_say_its_items_are_projects() -> None:
    text = "青湾经济开发区消息。今年签约项目12个,主要有远扬智能装备制造基地、丰泰电子元器件生产线、金穗冷链物流中心。"
    assert {"远扬智能装备制造基地", "丰泰电子元器件生产线", "金穗冷链物流中心"} <= names(text, "Project")
    # One project's works are no projects, nor are the companies a list of projects names.
    assert not names("青湾经济开发区消息。重点项目有厂房建设、道路硬化、绿化亮化。", "Project")
    text = "青湾经济开发区消息。集中签约项目4个,包括远扬科技、丰泰电子、金穗智能,均为配套企业。"
    assert not names(text, "Project")


def test_a_list_of_parks_names_zones_and_places_them() -> None:
    # A table of parks, one row each (the readers put a row's cells on one line, tab-separated).
    text = ("宁波市园区名单\n\n序号\t园区名称\t所在县(市、区)\t主导产业\n"
            "1\t青湾高新技术产业开发区\t鄞州区\t电子信息\n2\t蓝湾工业园区\t宁海县\t纺织服装\n"
            "3\t云岫新材料产业园\t余姚市\t新材料\n")
    assert {"青湾高新技术产业开发区", "蓝湾工业园区", "云岫新材料产业园"} <= names(text, "Zone")
    assert not names(text, "Project") and not names(text, "Park")
    assert {("locatedIn", "蓝湾工业园区", "宁海县"), ("locatedIn", "云岫新材料产业园", "余姚市")} <= facts(text)


def test_the_builder_after_a_project_and_its_amount() -> None:
    text = ("青湾经济开发区消息。开工项目包括:年产10万吨锂电池正极材料项目,总投资15亿元,"
            "由江西恒岳锂业有限公司投资建设;精细化工中间体项目,总投资6亿元。")
    assert {("operatedBy", "年产10万吨锂电池正极材料项目", "江西恒岳锂业有限公司"),
            ("invests", "年产10万吨锂电池正极材料项目", 1500000000)} <= facts(text)
    assert not any(f[0] == "operatedBy" and f[1] == "精细化工中间体项目" for f in facts(text))


def test_a_rank_before_a_cluster_is_not_part_of_its_name() -> None:
    text = "青湾经济开发区消息。开发区获批省级新能源产业集群,正在创建国家级生物医药产业集群。"
    assert names(text, "IndustryCluster") == {"新能源产业集群", "生物医药产业集群"}


def test_a_company_named_later_without_its_country_builds_what_it_invests_in() -> None:
    text = ("德国瑞斯康集团与青湾经济开发区签约。瑞斯康将在开发区投资8亿元建设电驱系统生产基地。")
    x, ents = _article(text)
    operated = {ents[f.object][1] for f in x.facts if f.rel == "operatedBy"}
    assert any("德国瑞斯康集团" in names_ for names_ in operated)


def test_kinds_of_projects_in_a_plan_are_no_projects() -> None:
    text = "青湾高新区2026年重点建设项目计划\n\n二、新开工项目(8个)\n1.江西丰源食品精深加工项目,总投资2.5亿元。\n"
    assert names(text, "Project") == {"江西丰源食品精深加工项目"}
    assert "新开工" not in names(text, "Enterprise")


def test_a_park_listed_beside_zones_is_an_area_of_its_own() -> None:
    text = ("全市开发区发展综述\n\n东江经济技术开发区聚焦汽车产业,引进了远扬科技等企业;"
            "西山高新技术产业开发区重点发展电子信息产业;南湖工业园区依托港口优势,大力发展物流。")
    assert "南湖工业园区" in names(text, "Zone")
    assert not any(f[0] == "hasPark" for f in facts(text))
    # A park that opens no such clause stays the zone's part.
    text = "西山高新技术产业开发区重点发展电子信息产业,其中南湖工业园聚焦集成电路。"
    assert ("hasPark", "西山高新技术产业开发区", "南湖工业园") in facts(text)


def test_the_verb_that_says_a_zone_has_parks_is_not_part_of_the_first() -> None:
    text = "丹江经济技术开发区下辖汽车零部件产业园、绿色食品产业园和新材料产业园三个专业园区。"
    assert names(text, "Park") == {"汽车零部件产业园", "绿色食品产业园", "新材料产业园"}


def test_a_new_area_before_its_administration_or_a_verb_is_a_zone() -> None:
    text = "恒岳股份公告,公司与南京江北新区管理委员会签署协议,拟在江北新区建设研发总部。"
    assert "南京江北新区" in names(text, "Zone")
    assert not names("城市新区建设投资集团有限公司成立。", "Zone")
    # A part of a city by its direction is no zone by name.
    assert not names("一批项目将在宁波南部新区落地。", "Zone")


def test_a_companys_own_words_do_not_cut_a_project_named_after_it() -> None:
    text = "青湾经济开发区签约项目:蓝山县金禾农业开发有限公司农产品冷链物流园项目,总投资5亿元。"
    assert names(text, "Project") == {"蓝山县金禾农业开发有限公司农产品冷链物流园项目"}
    assert ("operatedBy", "蓝山县金禾农业开发有限公司农产品冷链物流园项目", "蓝山县金禾农业开发有限公司") in facts(text)


def test_a_group_before_its_facility_is_the_facilitys_company() -> None:
    text = "青湾经济开发区新签约项目15个,包括远扬电气青湾分公司、金穗集团智能家电基地等。"
    assert "金穗集团智能家电基地" in names(text, "Project")
    assert ("operatedBy", "金穗集团智能家电基地", "金穗集团") in facts(text)
    # A group's regional headquarters acting as a party is no project.
    text = "青湾经济开发区签约项目9个。其中,金穗集团华东区域总部、青湾城建集团拟出资80亿元,改造老城。"
    assert "金穗集团华东区域总部" not in names(text, "Project")


def test_what_stands_before_the_zones_locality_in_a_project_is_its_company() -> None:
    text = "西岭经开区消息。宁德时代西岭基地项目进展顺利。"
    assert ("operatedBy", "宁德时代西岭基地项目", "宁德时代") in facts(text)
    assert ("hosts", "西岭经开区", "宁德时代") in facts(text)
    # Not the zone's own project, nor a park named brand, place, head (荣兴|鹤壁|科技产业园).
    assert not names("西岭经开区消息。西岭智慧物流园项目开工。", "Enterprise")
    assert not names("鹤壁经开区消息。荣光鹤壁科技产业园项目开工。", "Enterprise")


def test_a_description_of_a_company_ends_before_its_legal_name() -> None:
    text = "昌北综合保税区消息。区内龙头企业江西华芯电子有限公司进出口额超30亿元。"
    assert names(text, "Enterprise") == {"江西华芯电子有限公司"}


def test_a_bare_company_opening_a_clause_stands_for_the_one_named_before() -> None:
    text = ("黔南高新区消息。在贵州恒通新材料有限公司的生产车间里,工人们正在调试新设备。"
            "公司负责人介绍,企业总投资3.5亿元的年产2万吨电子级硅材料项目已于6月投产。")
    assert ("operatedBy", "年产2万吨电子级硅材料项目", "贵州恒通新材料有限公司") in facts(text)


def test_the_company_a_zone_signs_a_project_with_runs_it_and_its_amount_follows() -> None:
    text = ("沅水高新区消息。11月20日,沅水高新区与湖南星驰智能科技有限公司举行智能网联汽车测试基地项目签约仪式。\n\n"
            "据介绍,该项目占地500亩,总投资10亿元,建成后将成为省内规模最大的汽车测试基地。")
    f = facts(text)
    assert ("operatedBy", "智能网联汽车测试基地项目", "湖南星驰智能科技有限公司") in f
    assert ("invests", "智能网联汽车测试基地项目", 1000000000) in f
    # What it will become (建成后将成为…基地) is no facility being built.
    assert "省内规模最大的汽车测试基地" not in names(text, "Project")


def test_leading_companies_of_a_trade_are_companies() -> None:
    text = "青湾经济开发区消息。与此同时,远扬科技、丰泰电源等行业头部企业也纷纷在开发区布局。"
    assert {"远扬科技", "丰泰电源"} <= names(text, "Enterprise")
    # but 等行业的企业: the items are trades
    assert not names("青湾经济开发区消息。开发区引进新能源、新材料等行业的企业30家。", "Enterprise")
    # 以 opens the clause, not the name
    text = "青湾经济开发区消息。目前,以远扬生物、丰泰电源等企业为代表的产业集群加快形成。"
    assert not any(n.startswith("以") for n in names(text, "Enterprise"))


def test_a_project_named_after_a_known_groups_brand_is_the_groups() -> None:
    text = ("青湾高新区消息。观摩组来到蓝科生物医药产业园现场。据了解,蓝科生物医药产业园由广州蓝科集团投资建设。")
    assert ("operatedBy", "蓝科生物医药产业园", "广州蓝科集团") in facts(text)
    assert "蓝科生物" not in names(text, "Enterprise")


def test_a_numbered_list_of_the_companies_that_settled() -> None:
    text = ("金岭工业园区企业情况\n\n1、远扬陶粒厂:2003年11月落户园区,现已停产。\n"
            "2、宁川农机维修中心(驻园单位):2012年入驻。\n3、重点项目:开工建设。\n")
    assert names(text, "Enterprise") == {"远扬陶粒厂", "宁川农机维修中心"}
    assert ("hosts", "金岭工业园区", "远扬陶粒厂") in facts(text)


def test_a_bare_gongsi_opening_a_clause_builds_the_project_after_it() -> None:
    text = ("青湾经济开发区消息。\n\n开发区的宁川鑫晶光电有限公司今年满负荷生产。企业董事长表示,"
            "公司在建高纯石英坩埚生产项目年底投产。")
    assert ("operatedBy", "高纯石英坩埚生产项目", "宁川鑫晶光电有限公司") in facts(text)


def test_a_table_of_companies_names_each_and_nothing_in_its_other_cells() -> None:
    text = ("青湾工业园区入驻企业名录\n\n序号\t企业名称\t主营产品\t入驻时间\n"
            "1\t宁川远扬机械有限公司\t农机配件\t2019年\n2\t金穗食品\t速冻食品\t2020年\n")
    assert names(text, "Enterprise") == {"宁川远扬机械有限公司", "金穗食品"}
    assert ("hosts", "青湾工业园区", "宁川远扬机械有限公司") in facts(text)


def test_a_partner_in_an_agreement_of_intent_is_not_hosted() -> None:
    text = "青湾经济开发区消息。开发区还与深圳远扬资本有限公司签订了战略合作协议。"
    assert "深圳远扬资本有限公司" in names(text, "Enterprise")
    assert not any(f[0] == "hosts" for f in facts(text))
    # but one that invests in the same sentence is
    text = "青湾经济开发区消息。开发区与深圳远扬资本有限公司签订战略合作协议,将投资10亿元建设数据中心项目。"
    assert ("hosts", "青湾经济开发区", "深圳远扬资本有限公司") in facts(text)


def test_a_brand_that_is_a_rare_verb_stays_in_a_legal_name() -> None:
    assert names("青湾经济开发区消息。园区内,远扬机械有限公司正在扩建。", "Enterprise") == {"远扬机械有限公司"}
    assert names("青湾经济开发区消息。开发区引进了宁波远扬机械有限公司。", "Enterprise") == {"宁波远扬机械有限公司"}
    # a common verb is the clause's: 扶持|机械有限公司 names no company
    assert not names("青湾经济开发区消息。开发区重点扶持机械有限公司发展。", "Enterprise")


def test_a_phase_inside_a_project_name_is_part_of_it() -> None:
    text = "青湾经开区消息。其中,瑞川石化青湾基地三期项目投资28亿元。"
    assert names(text, "Project") == {"瑞川石化青湾基地三期项目"}
    assert ("invests", "瑞川石化青湾基地三期项目", 2800000000) in facts(text)
    # an industry before the locality is no company (石化|青湾基地)
    assert not names("青湾经开区消息。石化青湾基地三期项目开工。", "Enterprise")


def test_a_zone_named_by_its_region_before_an_industry_is_a_zone() -> None:
    text = "消息。黄河三角洲农业高新技术产业示范区今年引进远扬科技有限公司。"
    assert names(text, "Zone") == {"黄河三角洲农业高新技术产业示范区"}
    assert not names("消息。全省共有高新技术产业示范区5个。", "Zone")


def test_a_foreign_company_that_builds_in_the_zone_is_a_company() -> None:
    text = "青湾经开区消息。德国瑞斯康(RSK)在开发区投资建设催化剂工厂。"
    assert names(text, "Enterprise") == {"德国瑞斯康"}
    assert ("operatedBy", "催化剂工厂", "德国瑞斯康") in facts(text)
    assert not names("青湾经开区消息。全市在开发区建设项目10个。", "Enterprise")


def test_the_company_that_signs_with_the_zone_runs_the_project_the_sentence_names() -> None:
    text = ("青湾新区消息。当天,浙江金禾控股集团有限公司与青湾新区正式签约,"
            "计划投资60亿元的青湾科技创新小镇项目将落地青湾新区。")
    assert ("operatedBy", "青湾科技创新小镇项目", "浙江金禾控股集团有限公司") in facts(text)
    # and the zone's locality with a trade (青湾|科技) read off the project is no company
    assert names(text, "Enterprise") == {"浙江金禾控股集团有限公司"}


def test_a_park_a_company_builds_is_its_project() -> None:
    text = "青湾经开区消息。远扬文化集团有限公司将在园区北区建设集研发、展示、交易于一体的文创产业园。开发区还有智能装备产业园。"
    assert "文创产业园" in names(text, "Project") and names(text, "Park") == {"智能装备产业园"}
    assert ("operatedBy", "文创产业园", "远扬文化集团有限公司") in facts(text)


def test_a_park_named_by_the_tail_of_a_park_zone_is_that_zone() -> None:
    # The article shortens its zone: 东湖循环经济产业园区 … 入驻经济产业园
    text = "今年,东湖循环经济产业园区招商成效明显。目前,远扬糖业有限公司等20家企业落户经济产业园,形成集聚。"
    assert not names(text, "Park")
    assert not any(f[0] == "hasPark" for f in facts(text))


def test_such_as_glued_to_the_first_company_is_not_its_name() -> None:
    text = "青湾经开区消息。园区集聚了如金穗科技、丰泰电子等一批企业。"
    assert names(text, "Enterprise") == {"金穗科技", "丰泰电子"}


def test_a_companys_customers_are_not_hosted() -> None:
    for text in ("青湾经开区消息。远扬电子有限公司落户开发区,产品主要供应金穗科技、丰泰电子等知名企业。",
                 "青湾经开区消息。远扬电子有限公司落户开发区,客户包括金穗科技、丰泰电子等企业。",
                 "青湾经开区消息。远扬电子有限公司是金穗科技、丰泰电子等企业的一级供应商。"):
        hosted = {f[2] for f in facts(text) if f[0] == "hosts"}
        assert hosted == {"远扬电子有限公司"}, text
        assert {"金穗科技", "丰泰电子"} <= names(text, "Enterprise"), text


def test_items_listed_with_projects_are_projects() -> None:
    # One item is a project by its head (…项目); the names listed with it are projects too.
    text = "青湾经开区消息。今年以来,开发区先后开工了鑫远电子元器件项目、金穗生物疫苗项目、丰泰食品深加工、瑞川包装材料扩建,总投资28亿元。"
    assert {"丰泰食品深加工", "瑞川包装材料扩建"} <= names(text, "Project")
    assert ("locatedIn", "丰泰食品深加工", "青湾经开区") in facts(text)
    # trades listed with a project are no projects, nor is a project's own clause
    assert names("青湾经开区消息。聚焦储能电池项目、新材料、生物医药,开展招商。", "Project") <= {"储能电池项目"}
    assert names("青湾经开区消息。鑫远电子元器件项目、金穗生物疫苗项目加快建设。", "Project") == \
        {"鑫远电子元器件项目", "金穗生物疫苗项目"}
    # a list that ends in 等 (and so on): 等 is no part of the last name
    assert "丰泰食品深加工" in names("青湾经开区消息。开发区开工了鑫远电子元器件项目、丰泰食品深加工等。", "Project")


def test_names_listed_with_a_companys_legal_name_are_companies() -> None:
    text = "青湾经开区消息。近年来,鑫远集团、金穗、丰泰和瑞川相继落户开发区。"
    assert names(text, "Enterprise") == {"鑫远集团", "金穗", "丰泰", "瑞川"}
    assert {f[2] for f in facts(text) if f[0] == "hosts"} == {"鑫远集团", "金穗", "丰泰", "瑞川"}
    # not trades listed with a company
    assert names("青湾经开区消息。鑫远集团、新材料、生物医药等产业加快发展。", "Enterprise") == {"鑫远集团"}


def test_a_key_pilot_zone_keeps_its_kind_in_its_name() -> None:
    # 重点开发开放试验区 is a kind of zone; the name runs back past 重点 to its place.
    text = "云岭青湾重点开发开放试验区是沿边开放的平台。今年以来,试验区招引鑫远科技、金穗电子等企业落户。"
    assert names(text, "Zone") == {"云岭青湾重点开发开放试验区"}
    assert ("hosts", "云岭青湾重点开发开放试验区", "鑫远科技") in facts(text)
    # the kind alone names no zone
    assert not names("推动重点开发开放试验区政策落地。", "Zone")


def test_a_place_and_a_direction_before_a_trade_name_a_company() -> None:
    # 甘肃|北部|铝业: the region's works of a trade, at the head of its project
    text = "青湾经开区消息。甘肃北部铝业年产5万吨铝型材项目正式动工。"
    assert names(text, "Enterprise") == {"甘肃北部铝业"}
    assert ("operatedBy", "甘肃北部铝业年产5万吨铝型材项目", "甘肃北部铝业") in facts(text)


def test_two_capacities_joined_by_and_are_one_project() -> None:
    text = "青湾经开区消息。总投资5亿元的鑫远年产30万吨面粉加工和20万吨有机肥项目开工。"
    assert names(text, "Project") == {"鑫远年产30万吨面粉加工和20万吨有机肥项目"}
    assert ("operatedBy", "鑫远年产30万吨面粉加工和20万吨有机肥项目", "鑫远") in facts(text)
    # without a capacity before it, 和 ends the name
    assert not any("和" in n for n in names("青湾经开区消息。开发区配套建设物流仓储和20万吨有机肥项目。", "Project"))


def test_a_facility_under_way_in_the_zone_is_a_project() -> None:
    # the place between the facility and its verb (在开发区开工) does not hide the verb
    assert names("青湾经开区消息。鑫远综合能源站在开发区建成投用。", "Project") == {"鑫远综合能源站"}
    assert names("青湾经开区消息。滨河数据中心在园区正式投用。", "Project") == {"滨河数据中心"}


def test_two_functions_joined_inside_a_facilitys_name() -> None:
    text = "青湾经开区消息。金穗医药抗体药物设计与生产基地在开发区奠基。"
    assert names(text, "Project") == {"金穗医药抗体药物设计与生产基地"}
    assert ("operatedBy", "金穗医药抗体药物设计与生产基地", "金穗医药") in facts(text)


# --- issue 11, session of 2026-12-03 --------------------------------------------------

def test_a_colon_after_a_clause_about_projects_opens_a_list_of_projects() -> None:
    # whatever the items end in: 开工项目…其中工业项目4个:A、B、C、D
    text = ("青湾经开区消息。全区重点项目集中开工,其中工业项目4个:鑫远光电显示模组、金穗冷链仓储、"
            "丰泰年产3万吨饲料、瑞川包装材料扩建。")
    assert {"鑫远光电显示模组", "金穗冷链仓储", "丰泰年产3万吨饲料", "瑞川包装材料扩建"} <= names(text, "Project")
    assert ("locatedIn", "金穗冷链仓储", "青湾经开区") in facts(text)
    # not a project's works (they end in their verbs), nor its companies, nor its parts
    assert not names("青湾经开区消息。鑫远项目全面推进:道路硬化、管网铺设、厂房建设。", "Project") - {"鑫远项目"}
    text = "青湾经开区消息。签约项目的企业有:鑫远科技、金穗智能、丰泰电子。"
    assert not names(text, "Project")
    text = "青湾经开区消息。金穗冷链项目建设内容:冷库、分拣中心、办公楼。"
    assert not names(text, "Project") - {"金穗冷链项目"}


def test_a_company_word_that_opens_a_longer_trade_belongs_to_the_product() -> None:
    # 鑫远|汽车零部件: 汽车 starts the product, not the company's name
    text = "青湾经开区消息。总投资5亿元的鑫远汽车零部件生产项目开工。"
    assert names(text, "Enterprise") == {"鑫远"}
    assert ("operatedBy", "鑫远汽车零部件生产项目", "鑫远") in facts(text)
    # a company word that ends the company's part stays with it (鑫远科技|智能装备)
    text = "青湾经开区消息。总投资5亿元的鑫远科技智能装备生产项目开工。"
    assert names(text, "Enterprise") == {"鑫远科技"}


def test_a_short_group_name_ending_in_hua_is_a_company() -> None:
    # X化 of 中化集团, 南化集团 is X化工 cut short; 多元化集团 is a kind of group
    text = "青湾经开区消息。由北化集团投资建设的年产20万吨树脂项目进展顺利。"
    assert names(text, "Enterprise") == {"北化集团"}
    assert ("operatedBy", "年产20万吨树脂项目", "北化集团") in facts(text)
    assert not names("青湾经开区消息。开发区引进多元化集团投资。", "Enterprise")


def test_an_amount_of_its_own_makes_a_generic_name_one_project() -> None:
    text = "青湾经开区消息。总投资5亿元的精密模具生产项目落户开发区。"
    assert names(text, "Project") == {"精密模具生产项目"}
    assert ("invests", "精密模具生产项目", 500000000) in facts(text)
    # without one, the same words are a kind of project
    assert not names("青湾经开区消息。开发区鼓励精密模具生产项目落户。", "Project")


def test_a_date_before_a_bare_park_word_names_no_park() -> None:
    text = "青湾经开区消息。2025年园区汽车产业实现产值300亿元。"
    assert not names(text, "Park")


def test_a_facility_does_not_start_at_a_company_across_the_clauses_grammar() -> None:
    # 美国X也在区内设立了|研发中心: X sets the centre up; its name is not the clause
    text = "青湾经开区消息。德国鑫远也在区内设立了研发中心。"
    assert not any("设立" in n for n in names(text, "Project"))
    # a company right before its facility still names it (德国X|数控机床生产基地)
    text = "青湾经开区消息。德国鑫远数控机床生产基地在开发区开工。"
    assert "德国鑫远数控机床生产基地" in names(text, "Project")


def test_a_verb_after_a_zone_is_the_zones_not_part_of_the_first_listed_park() -> None:
    text = "青湾经开区消息。经开区下设光机电产业园、生命健康产业园、临港产业园等特色园区。"
    assert names(text, "Park") == {"光机电产业园", "生命健康产业园", "临港产业园"}


def test_a_county_or_a_region_at_the_head_of_a_project_is_no_company() -> None:
    # 殷都 is 殷都区 of 安阳, which the article names; 豫北 is the north of 河南 (豫)
    text = "安阳高新区消息。本月开工项目包括:殷都智慧物流园、豫北光伏玻璃深加工项目、恒岳精密铸造技改项目。"
    assert {"殷都智慧物流园", "豫北光伏玻璃深加工项目"} <= names(text, "Project")
    assert names(text, "Enterprise") == {"恒岳"}
    # the same short name in an article on another city may be a brand
    text = "青湾经开区消息。殷都智慧物流园项目开工。"
    assert names(text, "Enterprise") == {"殷都"}


def test_the_main_venue_of_a_ceremony_is_no_company() -> None:
    text = "青湾经开区消息。主会场项目为鑫远新能源电机项目,总投资8亿元。"
    assert "主会场" not in names(text, "Enterprise")
    assert "鑫远新能源电机项目" in names(text, "Project")


def test_a_company_followed_by_its_product_is_not_a_longer_company() -> None:
    # 鑫远科技|负极材料一体化基地: the company ends at 科技; 负极材料 is what it makes
    text = "青湾经开区消息。恒岳科技负极材料一体化基地项目一期已投入运营。"
    assert names(text, "Enterprise") == {"恒岳科技"}


def test_farming_and_light_industry_endings_name_companies() -> None:
    text = "青湾经开区消息。恒岳茶业与园区签订了总投资3亿元的茶文化产业园项目。"
    assert "恒岳茶业" in names(text, "Enterprise")
    assert ("operatedBy", "茶文化产业园项目", "恒岳茶业") in facts(text)


def test_a_park_in_a_row_of_sentences_each_opened_by_an_area_is_an_area() -> None:
    text = ("全市开发区建设再提速。青湾经济开发区围绕食品加工产业,引进了恒岳食品有限公司。"
            "云岫高新区聚焦茶产业,开工了一批项目。蓝溪工业园区则重点发展竹木加工,嘉岭竹业等企业相继入驻。")
    assert "蓝溪工业园区" in names(text, "Zone")
    assert ("hosts", "蓝溪工业园区", "嘉岭竹业") in facts(text)
    # one zone opening a sentence before it does not make a park an area
    text = "青湾经济开发区围绕食品加工产业发展。蓝溪工业园则重点发展竹木加工,嘉岭竹业等企业相继入驻。"
    assert "蓝溪工业园" in names(text, "Park")


def test_a_listed_project_runs_from_the_list_mark_across_its_verbs() -> None:
    # between two 、 the item is the name, its verbs included (盘活, 更新)
    text = "青湾新区消息。今年推进的项目有:蓝溪智能装备产业园项目、滨江旧厂收储和街区焕新项目、恒岳冷链物流项目。"
    assert "滨江旧厂收储和街区焕新项目" in names(text, "Project")
    # a zone's name opening the item is part of the project's
    text = "青湾新区消息。今年签约了恒岳冷链物流项目、青湾新区智能网联测试场项目、蓝溪智能装备项目。"
    assert "青湾新区智能网联测试场项目" in names(text, "Project")
    # a describing word before the name still ends it
    text = "青湾新区消息。恒岳油品项目、全球知名轴承企业蓝溪精密轴承研发总部项目已经签约。"
    assert "蓝溪精密轴承研发总部项目" in names(text, "Project")


def test_partners_of_an_agreement_of_intent_are_not_hosted_even_beside_signed_projects() -> None:
    # the agreement's clause names no project; the projects of the next clause are others'
    text = ("青湾经济开发区消息。活动当天,青湾区政府与恒岳控股有限公司签署了战略合作协议,"
            "与蓝溪食品有限公司等就冷链物流等6个项目签订投资合同。")
    hosted = {f[2] for f in facts(text) if f[0] == "hosts"}
    assert "恒岳控股有限公司" not in hosted
    assert "蓝溪食品有限公司" in hosted


def test_after_a_place_a_brand_without_an_ending_stops_before_the_product() -> None:
    # 青海|恒岳|氯酸盐…: a brand after a place is two to four characters; the chemical is made
    text = "青湾工业园消息。投资3亿元的青海恒岳碳酸锂精制提纯项目开工。"
    assert names(text, "Enterprise") == {"青海恒岳"}


def test_two_trades_after_a_brand_describe_the_project_not_the_company() -> None:
    text = "青湾经开区消息。总投资10亿元的恒岳医药物流分拨中心项目开工。"
    assert names(text, "Enterprise") == {"恒岳"}
    assert ("operatedBy", "恒岳医药物流分拨中心项目", "恒岳") in facts(text)


def test_a_rare_verb_before_a_company_ending_is_the_brand() -> None:
    # 腾跃|制药: a verb jieba barely knows names the company; the list types it
    text = "青湾经开区消息。1-9月,签约恒岳光电、腾跃制药、蓝溪生物等项目18个。"
    assert {"恒岳光电", "腾跃制药", "蓝溪生物"} <= names(text, "Enterprise")
    assert ("operatedBy", "腾跃制药项目", "腾跃制药") in facts(text)
    # a common verb is not (扶持|机械)
    assert not names("青湾经开区消息。签约振兴制药等项目。", "Enterprise")


def test_a_branch_named_with_its_place_in_brackets_is_the_brand() -> None:
    # 恒岳(中国)有限公司 is 恒岳's; its facility named 恒岳… is run by it
    text = "青湾经开区消息。今年5月,恒岳(中国)有限公司与经开区签订协议,投资建设恒岳智能配电设备生产基地。"
    assert ("operatedBy", "恒岳智能配电设备生产基地", "恒岳(中国)有限公司") in facts(text)
    # named short later, it is the same company
    text = "青湾经开区消息。恒岳(中国)有限公司与经开区签订协议。恒岳还将在开发区建设研发中心。"
    assert all_names(text, "Enterprise") == [("恒岳(中国)有限公司", "恒岳")]


def test_a_company_described_before_its_name_builds_what_it_newly_starts() -> None:
    # 园区企业X今年新上P: 新上 (newly starts) is the verb, not the project's first word
    text = "青湾经开区消息。园区企业青湾恒岳农业药械有限公司今年新上植保无人机项目,总投资1.2亿元。"
    assert names(text, "Project") == {"植保无人机项目"}
    assert ("operatedBy", "植保无人机项目", "青湾恒岳农业药械有限公司") in facts(text)
    assert names(text, "Enterprise") == {"青湾恒岳农业药械有限公司"}
    # a headline's 企业扎堆落户 names no company
    assert not names("青湾经开区:外资企业扎堆落户\n今年以来,开发区发展良好。", "Enterprise")


def test_a_branch_company_is_named_with_its_company() -> None:
    text = "青湾经开区消息。主要企业有:吉林石化松原分公司、恒岳化工集团等。恒岳集团临沂分公司也已投产。"
    assert names(text, "Enterprise") == {"吉林石化松原分公司", "恒岳化工集团", "恒岳集团临沂分公司"}


def test_a_project_read_again_from_a_later_start_is_the_same_project() -> None:
    # the list gives the whole name; the head alone would start at 可降解
    text = "青湾经开区消息。重点项目:年产30万吨乙烯项目、20万吨/年生物基可降解材料项目、恒岳燃料乙醇项目。"
    # (not even as another name of it: 可降解材料项目 is no name of the project)
    assert ("20万吨/年生物基可降解材料项目",) in all_names(text, "Project")
    assert not any("可降解材料项目" in n for n in all_names(text, "Project") if len(n) > 1)


def test_airport_zones_are_zones_and_a_kind_of_economy_names_none() -> None:
    text = ("山西青龙航空港经济区招商再传捷报\n11月18日,青龙航空港经济区与恒岳速运签署合作协议。"
            "青龙航空港经济区是全省重要的临空经济示范区。")
    assert all_names(text, "Zone") == [("山西青龙航空港经济区", "青龙航空港经济区")]
    assert not any("临空经济示范区" in n for n in all_names(text, "Zone") for n in n)


def test_a_company_with_an_industry_ending_is_named_short_later() -> None:
    # 恒岳速运 … 恒岳将在经济区投资15亿元建设P: the short name is the same company, and builds P
    text = "青湾经开区消息。经开区与恒岳速运签署合作协议。根据协议,恒岳将在经开区投资15亿元建设西南航空货运枢纽。"
    assert all_names(text, "Enterprise") == [("恒岳速运", "恒岳")]
    assert ("operatedBy", "西南航空货运枢纽", "恒岳速运") in facts(text)


def test_a_new_town_the_article_keeps_naming_is_a_zone() -> None:
    text = ("今年前三季度,青湾新区云栖新城新签约项目23个。云栖新城还积极推动存量企业增资扩产。"
            "下一步,云栖新城将着力引进一批龙头企业。")
    assert "云栖新城" in names(text, "Zone")
    # named once in passing, a development is none
    assert "云栖新城" not in names("青湾新区消息。新区规划建设云栖新城和一批配套设施。", "Zone")


def test_a_research_body_or_a_trade_at_the_head_of_a_project_is_no_company() -> None:
    text = ("青湾新区消息。投资50亿元的中科院青湾光机所光电产业园项目已开工,"
            "恒岳股份有限公司追加投资2亿元建设日化产品二期生产线。")
    assert names(text, "Enterprise") == {"恒岳股份有限公司"}
    assert ("operatedBy", "日化产品二期生产线", "恒岳股份有限公司") in facts(text)


def test_a_count_of_zones_of_a_kind_names_none() -> None:
    text = "青湾保税港区消息。青湾保税港区是国务院批准设立的全国第六个保税港区。"
    assert names(text, "Zone") == {"青湾保税港区"}


def test_a_yearly_capacity_cut_apart_by_jieba_stays_in_the_name() -> None:
    text = "青湾保税港区消息。恒岳粮油控股有限公司将建设年加工200万吨大豆项目。"
    assert names(text, "Project") == {"年加工200万吨大豆项目"}
    assert ("operatedBy", "年加工200万吨大豆项目", "恒岳粮油控股有限公司") in facts(text)


def test_a_branch_of_a_research_institute_is_a_body() -> None:
    text = "青湾高新区消息。今年,高新区先后引进了青湾机器人研究院芜湖分院、恒岳机器人等一批项目。"
    assert not any("分院" in n for n in names(text, "Project") | names(text, "Enterprise"))


def test_a_companys_form_after_its_trades_names_the_company() -> None:
    # 恒岳电子材料|科技: 科技 says what the company is, after its trades
    text = "青湾经开区消息。恒岳电子材料科技二期项目开工。"
    assert "恒岳电子材料科技" in names(text, "Enterprise")


def test_a_numbered_line_of_a_plan_names_its_project_before_the_amount() -> None:
    text = ("青湾高新区2026年重点项目推进情况\n一、续建项目\n"
            "1.青湾科技城创新中心二期:总投资6.5亿元,建设单位为青湾城投集团,已完成投资4亿元。\n"
            "2.恒岳高新材料年产50万吨差别化纤维项目:总投资28亿元,计划年底开工。\n")
    assert {"青湾科技城创新中心二期", "恒岳高新材料年产50万吨差别化纤维项目"} <= names(text, "Project")
    assert ("operatedBy", "青湾科技城创新中心二期", "青湾城投集团") in facts(text)
    assert ("invests", "青湾科技城创新中心二期", 650000000) in facts(text)


def test_leading_firms_at_the_end_of_a_list_type_its_items() -> None:
    text = "青湾开发区消息。开发区现有智能电网企业200余家,恒岳电气、蓝溪继保、云岫电力等行业龙头均扎根于此。"
    assert {"恒岳电气", "蓝溪继保", "云岫电力"} <= names(text, "Enterprise")


def test_a_product_right_after_a_company_is_not_another_company() -> None:
    text = "青湾开发区消息。总投资20亿元的恒岳集团特高压装备产业化基地在开发区开工。"
    assert names(text, "Enterprise") == {"恒岳集团"}


def test_a_park_written_right_after_its_zone_is_the_zones_whatever_place_it_is_named_after() -> None:
    text = ("南昌高新综合保税区消息。1-10月,南昌高新综合保税区进出口总值突破3000亿元。"
            "南昌高新综保区双流园区也保持快速增长。")
    assert ("hasPark", "南昌高新综合保税区", "双流园区") in facts(text)


def test_a_list_of_partners_ending_in_deng_zai_is_not_part_of_the_projects_after_it() -> None:
    text = ("青湾新区消息。新区与青湾发展协会、恒岳电气股份公司等在恒岳冷链物流园、蓝溪智能装备产业园"
            "等12个项目上达成合作。")
    assert not any("等在" in n for n in names(text, "Project") | names(text, "Park"))


def test_utilities_named_by_one_character_are_trades() -> None:
    text = "青湾新区消息。双方将加快推进污水处理、污泥处置、水环境治理等项目。"
    assert not names(text, "Project")


def test_the_company_right_before_an_investment_and_its_amount_runs_the_project() -> None:
    text = "青湾经开区消息。今年,恒岳化学(青湾)有限公司投资60亿元的高端聚烯烃项目已进入设备安装阶段。"
    assert ("operatedBy", "高端聚烯烃项目", "恒岳化学(青湾)有限公司") in facts(text)
    # with no company before it, the amount names no operator
    assert not any(f[0] == "operatedBy" for f in facts("青湾经开区消息。总投资60亿元的高端聚烯烃项目开工。"))


def test_a_high_tech_industrial_park_area_is_a_zone_and_a_bare_new_town_is_the_articles() -> None:
    text = ("青湾智造新城:新材料产业链不断延链补链\n青湾智造新城是全省高能级战略平台,下辖青湾高新技术产业园区和"
            "青湾经济技术开发区。新城以恒岳集团为龙头,集聚了蓝溪科技等企业。")
    assert {"青湾智造新城", "青湾高新技术产业园区", "青湾经济技术开发区"} <= names(text, "Zone")
    assert ("hosts", "青湾智造新城", "恒岳集团") in facts(text)


def test_a_verb_after_a_trade_stays_in_a_parks_name_and_a_material_is_no_company() -> None:
    # 芯片|封装|产业园: the verb after a trade is part of the name
    assert "LED芯片封装产业园" in names("青湾高新区消息。高新区规划了LED芯片封装产业园。", "Park")
    # 衬底|材料: a material is made, not a company
    text = "青湾高新区消息。恒岳科技、蓝溪光电等企业已形成从衬底材料到封装应用的完整产业链。"
    assert names(text, "Enterprise") == {"恒岳科技", "蓝溪光电"}


def test_a_world_class_rank_is_not_part_of_a_clusters_name() -> None:
    text = "青湾高新区消息。高新区围绕轨道交通装备产业,打造了世界级轨道交通装备产业集群。"
    assert names(text, "IndustryCluster") == {"轨道交通装备产业集群"}


def test_another_name_given_in_brackets_is_the_same_entity() -> None:
    # (即X): the text names the project a second way
    text = "青湾高新区消息。恒岳电气功率器件封装测试项目(即恒岳二期项目)正式投产。恒岳二期项目总投资11亿元。"
    assert all_names(text, "Project") == [("恒岳电气功率器件封装测试项目", "恒岳二期项目")]


def test_a_company_a_list_typed_is_the_same_company_where_it_is_named_again() -> None:
    text = ("青湾经开区消息。近年来,园区引进恒岳绿能、蓝溪能源等企业。"
            "今年,恒岳绿能投资50亿元在园区建设年产20GW单晶硅棒项目。")
    assert ("operatedBy", "年产20GW单晶硅棒项目", "恒岳绿能") in facts(text)


def test_a_park_a_company_is_said_to_build_after_its_name_is_its_project() -> None:
    text = ("青湾经开区消息。园区内恒岳锂能科技有限公司年产5万吨正极材料项目、华夏电池产业基地等项目相继建成。"
            "其中,华夏电池产业基地由宁德蓝溪投资建设,总投资100亿元。")
    assert "华夏电池产业基地" in names(text, "Project") and not names(text, "Park")
    assert ("invests", "华夏电池产业基地", 10000000000) in facts(text)
    assert ("operatedBy", "华夏电池产业基地", "宁德蓝溪") in facts(text)
    # 园区|内 (within the zone) is no part of the company's name
    assert "恒岳锂能科技有限公司" in names(text, "Enterprise")


def test_a_per_year_capacity_stays_in_a_projects_name_and_a_count_of_kinds_names_nothing() -> None:
    text = ("青湾石化工业区消息。青湾石化工业区是全省重点建设的七大石化产业基地之一。"
            "工业区引进了恒岳化工,其中恒岳化工青湾一期120万吨/年丙烷脱氢项目已开工建设。")
    assert names(text, "Project") == {"恒岳化工青湾一期120万吨/年丙烷脱氢项目"}
    assert "七大" not in names(text, "Enterprise")


def test_companies_and_projects_signed_respectively_pair_up_in_order() -> None:
    text = ("青湾高新区消息。11月5日,高新区与青湾恒岳新材料有限公司、蓝溪电子科技有限公司分别签订了"
            "年产3万吨锂电池隔膜项目、智能终端生产线项目投资协议。")
    assert {("operatedBy", "年产3万吨锂电池隔膜项目", "青湾恒岳新材料有限公司"),
            ("operatedBy", "智能终端生产线项目", "蓝溪电子科技有限公司")} <= facts(text)
    # not the crossed pairs
    assert ("operatedBy", "年产3万吨锂电池隔膜项目", "蓝溪电子科技有限公司") not in facts(text)


def test_a_car_trade_after_a_brand_at_a_projects_head_is_the_products() -> None:
    # 沃岚|汽车内饰生产项目 is 沃岚's (the trade says what the plant makes) …
    text = "青岚经济开发区引进总投资3亿元的沃岚汽车内饰生产项目。"
    assert names(text, "Enterprise") == {"沃岚"}
    assert ("operatedBy", "沃岚汽车内饰生产项目", "沃岚") in facts(text)
    assert names("园区签约了沃岚汽车座椅生产基地项目。", "Enterprise") == {"沃岚"}
    # … while 沃岚汽车 in a company's place in the sentence, or with nothing after it but
    # 项目, is the company's whole name.
    assert names("青岚经济开发区签约了沃岚汽车项目。", "Enterprise") == {"沃岚汽车"}
    assert names("沃岚汽车在青岚经济开发区投资建设整车项目。", "Enterprise") == {"沃岚汽车"}


def test_a_brand_whose_first_character_jieba_cuts_off_still_heads_its_project() -> None:
    # jieba reads 金|艳装: a common noun, then a rare word; together they are the brand.
    text = "青岚经济开发区开工建设了金艳装精密轴承生产项目。"
    assert names(text, "Enterprise") == {"金艳装"}
    assert ("operatedBy", "金艳装精密轴承生产项目", "金艳装") in facts(text)


def test_an_offshore_engineering_trade_is_no_company_nor_project() -> None:
    # 海工 is 海洋工程 cut short: 海工装备 says what kind the listed projects are.
    text = "青岚保税区今年新签约的海工装备项目有金艳装船舶配套基地、宏岳船业修造基地。"
    assert "海工" not in names(text, "Enterprise")
    assert not {n for n in names(text, "Project") if n.startswith("海工")}


def test_a_word_the_article_names_as_a_place_is_no_brand() -> None:
    # 岚格图口岸 makes 岚格图 a place: 岚格图|进出口加工产业园 is no company's
    text = "青岚试验区依托岚格图口岸发展边境贸易,今年开工岚格图边贸商品加工产业园。"
    assert "岚格图" not in names(text, "Enterprise")


def test_a_region_after_a_company_ends_its_name() -> None:
    # 深圳金艳装|粤西|冷链物流园: 粤西 is the region the project serves
    text = "青岚新区已签约深圳金艳装粤西冷链物流园、华岭物流等项目。"
    assert "深圳金艳装" in names(text, "Enterprise")
    assert not {n for n in names(text, "Enterprise") if "粤" in n}


def test_parks_of_an_article_that_calls_its_zone_by_its_kind_alone_are_no_zones() -> None:
    # The guideline: an article that never names its zone (only 试验区) has no Zone.
    text = ("上半年试验区新签约项目12个。\n试验区各园区加快建设。青松工业园"
            "宏岳光伏储能项目开工,白桦工业园华岭镁业项目开工。青松工业园今年还引进了恒发钢铁有限公司。")
    assert not names(text, "Zone")
    assert {"青松工业园", "白桦工业园"} <= names(text, "Park")
    assert not {f for f in facts(text) if f[0] == "hosts"}



def test_items_with_a_companys_form_in_a_list_of_projects_are_its_investors() -> None:
    # 控股, 船务 name no project: 国旅控股 (an abbreviation) and 光明船务 (a common word) are companies
    text = "青岚经开区今年引进了华岭基金、沃岚资本、国旅控股等金融类项目。"
    assert {"华岭基金", "沃岚资本", "国旅控股"} <= names(text, "Enterprise")
    assert not names(text, "Project")
    text = "青岚经开区与光明船务、湖南金艳装农业等签下了一批临港项目。"
    assert names(text, "Enterprise") == {"光明船务", "湖南金艳装农业"}
    assert not names(text, "Project")


def test_leasing_is_a_trade_in_a_list_and_inside_a_companys_name() -> None:
    text = "青岚经开区今年落户了会展、融资租赁等服务业项目。国信融资租赁有限公司入驻。"
    assert not names(text, "Project")
    assert names(text, "Enterprise") == {"国信融资租赁有限公司"}


def test_where_an_event_is_held_is_no_place_of_the_zone() -> None:
    text = "4月2日,青岚新区招商说明会在重庆召开。青岚新区位于广安市武胜县和合川区交界处。"
    places = {f[2] for f in facts(text) if f[0] == "locatedIn" and f[1] == "青岚新区"}
    assert {"广安市", "武胜县", "合川区"} <= places and "重庆市" not in places
    text = "4月2日,青岚新区招商说明会在重庆召开。青岚新区位于广安市武胜县。"
    places = {f[2] for f in facts(text) if f[0] == "locatedIn" and f[1] == "青岚新区"}
    assert places == {"广安市", "武胜县"}
    # where the article also puts the zone in that city, the city counts
    text = "青岚新区招商说明会在重庆召开。青岚新区位于重庆市合川区。"
    assert {f[2] for f in facts(text) if f[0] == "locatedIn"} == {"重庆市", "合川区"}


def test_a_zone_head_inside_a_projects_name_is_no_zone() -> None:
    # 二期先行区出口加工区项目: the works of a bonded zone's second phase, not another zone
    text = "青岚综合保税区二期先行区出口加工区项目本月封顶。"
    assert names(text, "Zone") == {"青岚综合保税区"}
    assert any(n.endswith("出口加工区项目") for n in names(text, "Project"))


def test_a_zone_named_after_its_parent_is_one_zone_with_its_short_name() -> None:
    # 青岚保税港区白桦功能区 and, later, 白桦功能区: one zone, not two
    text = "青岚保税港区白桦功能区设在白桦市经济开发区内。白桦功能区今年引进企业12家。"
    assert all_names(text, "Zone") == [("白桦市经济开发区",), ("青岚保税港区白桦功能区", "白桦功能区")]


def test_works_named_by_the_area_they_are_done_in_are_projects() -> None:
    # 综合开发项目 alone is a kind of works; after a new town, a 片区 or a district it is one project
    text = "本次签约涉及金岭新城综合开发项目、江北区旧城改造和综合整治项目、白桦山片区开发和配套建设项目等。"
    assert names(text, "Project") == {"金岭新城综合开发项目", "江北区旧城改造和综合整治项目", "白桦山片区开发和配套建设项目"}
    assert not names(text, "Enterprise")
    # without an area, still a kind
    assert not names("青岚园区抓好城市更新项目,基础设施项目今年完工。", "Project")


def test_two_names_joined_before_a_count_of_two_projects_are_both_projects() -> None:
    text = "青岚经开区今年开工金岭物流城和白桦建材城两个商贸项目。"
    assert {"金岭物流城", "白桦建材城"} <= names(text, "Project")
    # a count after one phrase is still no list
    assert not names("青岚经开区统筹规划和建设两个园区。", "Project") | names("青岚经开区统筹规划和建设两个园区。", "Park")


def test_a_project_being_built_and_the_same_project_named_short_are_one() -> None:
    text = "青岚经开区今年开工金岭物流城和白桦建材城两个商贸项目。白桦建材城建设项目占地300亩。"
    projects = [n for n in all_names(text, "Project") if any(x.startswith("白桦建材城") for x in n)]
    assert len(projects) == 1
    # 物流 before 城 is the facility's (物流城), not the company's
    assert "金岭物流" not in names(text, "Enterprise")


def test_a_list_of_kinds_of_projects_names_no_project_nor_park() -> None:
    # fields of the signed projects: an industry, works, a park of trades, a trade
    text = ("签约仪式上,青岚区政府与白桦能源集团有限公司等在粮油深加工产业、智能制造开发建设、"
            "康养旅游产业园、无人机研发等12个项目签约。")
    assert not names(text, "Project")
    assert not names(text, "Park") and not names(text, "Zone")
    # one park of trades among named projects is still a park
    text = "青岚经开区先后引进了光电子产业园、金岭汽车电子工业园、白桦电机镁合金发电机等骨干项目。"
    assert "光电子产业园" in names(text, "Park") | names(text, "Zone")


def test_a_brand_jieba_cut_into_its_two_characters_still_heads_a_project() -> None:
    # 鑫|浩 and 璟|丰: two characters that make no word together are an unknown brand.
    text = "松江高新区开工了鑫浩智能装备产业园、璟丰汽车电子工业园等重大项目12个。"
    assert names(text, "Enterprise") == {"鑫浩", "璟丰"}
    assert names(text, "Project") == {"鑫浩智能装备产业园", "璟丰汽车电子工业园"}
    assert ("operatedBy", "璟丰汽车电子工业园", "璟丰") in facts(text)
    assert not names(text, "Park")


def test_a_brand_jieba_joined_to_the_word_before_it_still_heads_a_project() -> None:
    # 开工了|琪翔…: jieba reads 了琪翔 as one word; the name starts after 了 all the same.
    text = "今年以来,松江高新区开工了琪翔智能装备产业园、晟煜新材料产业园等重大项目12个。"
    assert names(text, "Enterprise") == {"琪翔", "晟煜"}
    assert ("hosts", "松江高新区", "琪翔") in facts(text)


def test_a_full_stop_typed_as_a_latin_point_ends_a_sentence() -> None:
    text = ("项目概况:岭南新材料产业园项目由岭南凯盛新材料产业园有限公司建设运营,是省内最大的新材料园区。\n\n"
            "基本情况:总投资30亿元,总建筑面积约20万平方米,主要建设膜材料生产区、仓储物流区、研发中心及配套设施。"
            "岭南晟煜科技股份有限公司年产500吨特种膜项目,是产业园第一个开工的项目。")
    points = text.replace("。", ".")
    assert facts(points) == facts(text)
    assert names(points, "Project") == names(text, "Project")
    assert ("invests", "岭南新材料产业园项目", 3_000_000_000) in facts(points)


def test_a_description_between_the_verb_and_the_project_keeps_the_amount() -> None:
    # 投资N亿元建设集A、B于一体的P / 建设包括A、B在内的P: the amount is still P's.
    text = ("青岚经开区迎来两家新企业。金岭药业集团计划投资12亿元建设集种植、加工、仓储于一体的金岭中药饮片产业园;"
            "白桦科技股份有限公司计划投资8亿元建设包括研发中心、检测中心在内的白桦精密仪器生产项目。")
    f = facts(text)
    assert ("invests", "金岭中药饮片产业园", 1_200_000_000) in f
    assert ("invests", "白桦精密仪器生产项目", 800_000_000) in f


def test_a_park_named_in_a_bare_list_of_projects_is_a_project() -> None:
    # A、B等项目 calls each item a project, parks too; under 等一批大项目 a park stays a park.
    text = "青岚开发开放试验区今年推进跨境冷链港、数字贸易产业园等项目。"
    assert "数字贸易产业园" in names(text, "Project")
    assert not names(text, "Park")


def test_a_zone_with_both_statuses_in_its_name_is_one_zone() -> None:
    text = "青岚经济技术和高新技术产业开发区今年迎来白桦精工有限公司,园区扩容提速。"
    assert names(text, "Zone") == {"青岚经济技术和高新技术产业开发区"}
    assert ("hosts", "青岚经济技术和高新技术产业开发区", "白桦精工有限公司") in facts(text)


def test_a_part_of_an_area_before_its_kind_is_no_zone_of_its_own() -> None:
    # 先行区出口加工区, 核心区保税区: which part of the zone, then what kind of area it is.
    text = "青岚综合保税区的先行区出口加工区通过验收,核心区保税区也在加紧建设。"
    assert names(text, "Zone") == {"青岚综合保税区"}


def test_capital_brought_in_to_build_a_project_is_its_amount() -> None:
    # 引进N亿元建设P: the capital is P's; 品牌 before a parenthesis is inside P's name.
    text = "白桦县今年引进6.5亿元建设智能家电品牌(华南区)研发中心项目,另引进资金3亿元。"
    assert names(text, "Project") == {"智能家电品牌(华南区)研发中心项目"}
    assert facts(text) >= {("invests", "智能家电品牌(华南区)研发中心项目", 650_000_000)}
    assert not any(f[0] == "invests" and f[2] == 300_000_000 for f in facts(text))


def test_a_company_before_several_other_projects_is_also_a_project() -> None:
    # A等多个项目 names no count, as A、B等项目 does not: A is a project and its company; and
    # the list's head is the first 项目, not the 园区 further on.
    text = "青岚经济开发区消息,远途光电等多个项目今年落户产业园区。"
    assert names(text, "Project") == {"远途光电项目"}
    assert names(text, "Park") == set()
    assert facts(text) >= {("operatedBy", "远途光电项目", "远途光电"),
                           ("locatedIn", "远途光电项目", "青岚经济开发区")}


def test_an_amount_invested_then_what_it_builds_in_the_next_clause() -> None:
    # X投资3亿元,在园区建设P: the next clause says what the amount builds; not so for a
    # list of projects, whose sum it is.
    one = "青岚经济开发区消息,远途电子投资3亿元,在园区建设智能传感器生产线。"
    assert ("invests", "智能传感器生产线", 300_000_000) in facts(one)
    two = "青岚经济开发区消息,远途电子投资3亿元,在园区建设青松轴承项目和白鹭光电模组项目两个项目。"
    assert names(two, "Project") == {"青松轴承项目", "白鹭光电模组项目"}
    assert not any(f[0] == "invests" for f in facts(two))


def test_words_that_call_a_list_companies_inside_its_clause() -> None:
    # 重点企业包括A、B和C: the cue sits in the clause before the first item; and the last
    # item, a brand and its trade, is the whole company (青松轴承, not 青松).
    text = "青岚高新区重点企业包括远途精工、白鹭光电和青松轴承等。"
    assert names(text, "Enterprise") == {"远途精工", "白鹭光电", "青松轴承"}
    assert ("hosts", "青岚高新区", "青松轴承") in facts(text)


def test_a_zone_named_as_what_another_area_rests_on_is_not_the_passages_zone() -> None:
    # 以A、B为重要平台的试验区…: B describes the area the passage is about (the article's own
    # 试验区); the projects after it are not B's.
    text = ("青岚重点开发开放试验区今年加快建设。以白桦港、青岚国际合作区为重要平台的试验区核心片区,"
            "今年开工远途国际物流港、白鹭新能源产业园等项目。")
    located = {(f[1], f[2]) for f in facts(text) if f[0] == "locatedIn"}
    assert ("远途国际物流港", "青岚重点开发开放试验区") in located
    assert not any(zone == "青岚国际合作区" for _, zone in located)


def test_a_facility_whose_one_character_head_jieba_cut_off_is_whole() -> None:
    # 大唐综合能源站 cuts into 大唐|综合|能源|站: the lone 站 after a noun is the facility's
    # head, not a stray character, and the first item of the list keeps its name.
    text = "青岚保税区今年签下大唐综合能源站、白鹭集团冷链仓储项目等一批新项目。"
    assert names(text, "Project") == {"大唐综合能源站", "白鹭集团冷链仓储项目"}


def test_a_company_right_before_the_verb_makes_a_generic_project_its_own() -> None:
    # 引进X建设光伏组件项目: however generic its words, the project X builds is one project.
    text = "青岚经开区消息,今年引进白鹭光电建设光伏组件项目。"
    assert names(text, "Project") == {"光伏组件项目"}
    assert ("operatedBy", "光伏组件项目", "白鹭光电") in facts(text)
    assert names("青岚经开区消息,今年重点发展光伏组件项目。", "Project") == set()


def test_the_companys_project_and_a_count_of_its_parts() -> None:
    # 公司制剂生产项目: the company just named, its project (not one named 公司…); 12个单体建筑
    # counts the project's buildings, not projects of a kind.
    text = ("远途生物科技有限公司是青岚经开区的老企业。今年3月,公司制剂生产项目12个单体建筑全部完工,"
            "项目计划投资6.5亿元。")
    assert names(text, "Project") == {"制剂生产项目"}
    assert ("invests", "制剂生产项目", 650_000_000) in facts(text)
    assert names("青岚经开区今年开工制剂生产项目12个。", "Project") == set()


def test_more_of_a_projects_description_between_its_amount_and_its_name() -> None:
    # 总投资12亿元、年产5万吨的P: the capacity after the amount describes the same project.
    text = "青岚经开区消息,总投资12亿元、年产5万吨的远途隔膜项目开工。"
    assert ("invests", "远途隔膜项目", 1_200_000_000) in facts(text)


def test_a_projects_contractors_are_not_hosted_by_the_zone() -> None:
    # 由X承建, 施工单位为Y: they build for the project's owner; only the owner is in the zone.
    text = ("青岚经开区消息,远途新材料科技有限公司隔膜项目由白鹭建设集团有限公司承建,"
            "设计单位为青松设计研究院有限公司,预计年底竣工。")
    assert names(text, "Enterprise") >= {"白鹭建设集团有限公司", "青松设计研究院有限公司"}
    hosted = {f[2] for f in facts(text) if f[0] == "hosts"}
    assert "远途新材料科技有限公司" in hosted
    assert not hosted & {"白鹭建设集团有限公司", "青松设计研究院有限公司"}


def test_an_amount_invested_to_carry_out_a_project_is_its_amount() -> None:
    # 投资3亿元实施P, as 投资3亿元建设P.
    text = "青岚经开区消息,青松精密机械有限公司投资3亿元实施精密轴承扩产项目。"
    assert ("invests", "精密轴承扩产项目", 300_000_000) in facts(text)


def test_a_companys_headquarters_is_a_project_whatever_its_brands_word() -> None:
    # 远途科技总部项目: 远途 is an ordinary word (distant), but brand + 科技 + 总部 names one
    # company's headquarters; so does a group's legal name before 总部 (白鹭集团总部项目).
    text = "昨天,青岚高新区远途科技总部项目开工。同日,白鹭集团总部项目签约落户。"
    assert names(text, "Project") == {"远途科技总部项目", "白鹭集团总部项目"}
    assert {("operatedBy", "远途科技总部项目", "远途科技"), ("operatedBy", "白鹭集团总部项目", "白鹭集团")} <= facts(text)
    assert names("园区积极引进智能科技总部项目。", "Project") == set()


def test_a_list_of_projects_after_its_cue_may_end_in_a_bare_deng() -> None:
    # 签约项目包括A、B、C等。: "and others", with no head after it; every item is a project.
    text = "青岚经开区在京签约项目6个。签约项目包括远途科技智能装备制造基地、白鹭光电研发中心、青松生物医药产业园等。"
    assert names(text, "Project") >= {"远途科技智能装备制造基地", "白鹭光电研发中心", "青松生物医药产业园"}


def test_an_areas_character_glued_to_a_function_word_is_no_brand() -> None:
    # 集聚|区以|食品加工: jieba glues the area's 区 to 以; 区以食品 is no company.
    text = "青岚县产业集聚区是省级产业集聚区。集聚区以食品加工、装备制造为主导产业,主要企业有远途食品、白鹭机械等。"
    assert names(text, "Enterprise") == {"远途食品", "白鹭机械"}


def test_parks_opening_the_entries_of_a_numbered_list_of_zones_are_areas_of_their_own() -> None:
    # 1.X高新区:… 2.Y工业园区:… 3.Z食品产业园:…: areas side by side, not parts of the first;
    # the companies of an entry are its area's.
    text = ("青岚市产业平台清单\n1.青岚高新技术产业开发区:主导产业为电子信息,规划面积12平方公里。\n"
            "2.白鹭工业园区:主导产业为纺织鞋服,入驻企业86家。\n"
            "3.青松食品产业园:主导产业为食品加工,龙头企业有远途食品、金禾面业。\n")
    assert names(text, "Zone") == {"青岚高新技术产业开发区", "白鹭工业园区", "青松食品产业园"}
    assert not names(text, "Park")
    assert {("hosts", "青松食品产业园", "远途食品"), ("hosts", "青松食品产业园", "金禾面业")} <= facts(text)
    assert names(text, "Enterprise") == {"远途食品", "金禾面业"}


def test_when_is_no_project_and_a_companys_x_ye_ending_is_its_own() -> None:
    # 2021年第一季度项目: a date, not a project's name; 青松鞋业|智能化改造项目: 鞋业 ends the
    # company's name (it names no product).
    text = ("青岚台商投资区召开2021年第一季度项目推进会。开工项目中,远途电子年产500万套汽车线束项目"
            "总投资5亿元;竣工项目中,青松鞋业智能化改造项目总投资1.2亿元。")
    assert names(text, "Project") == {"远途电子年产500万套汽车线束项目", "青松鞋业智能化改造项目"}
    assert ("operatedBy", "青松鞋业智能化改造项目", "青松鞋业") in facts(text)


def test_a_building_named_among_the_projects_after_their_cue_is_one() -> None:
    # 开工项目分别为A、B和C总部大楼: a building ends a project's name as a base or a park does.
    text = "青岚高新区又有3个项目动工。开工项目分别为远途数字科技园、白鹭智能制造基地和青松总部大楼。"
    assert names(text, "Project") == {"远途数字科技园", "白鹭智能制造基地", "青松总部大楼"}


def test_a_park_a_company_named_before_it_builds_is_the_companys_project() -> None:
    # X投资建设的Y产业园: one company builds it, so it is X's project, not a park of the zone.
    text = "青岚经开区消息,远途集团投资建设的数字内容产业园开园。"
    assert names(text, "Project") == {"数字内容产业园"}
    assert not names(text, "Park")
    assert ("operatedBy", "数字内容产业园", "远途集团") in facts(text)


def test_a_park_that_signs_settles_or_breaks_ground_is_a_project() -> None:
    # Y产业园签约落户, Y产业园开工建设: what happens to a project, never to an area.
    text = "青岚经开区消息,数字内容产业园签约落户经开区,新能源汽车零部件产业园开工建设。"
    assert names(text, "Project") == {"数字内容产业园", "新能源汽车零部件产业园"}
    assert not names(text, "Park")
    assert names("青岚经开区建有数字内容产业园,已入驻企业20家。", "Park") == {"数字内容产业园"}
    # (a park that launches other projects is still a park)
    assert names("青岚经开区消息,数字内容产业园开工白鹭光电模组项目。", "Park") == {"数字内容产业园"}


def test_a_parks_relation_to_others_is_no_name() -> None:
    # 飞地园区, 合作园区: what kind of relation, not which park.
    text = "青岚经开区消息,经开区推进标准化产业园建设,打造飞地园区和合作园区。"
    assert not names(text, "Park")


def test_a_science_city_and_a_chemicals_cluster_are_parks_not_companies() -> None:
    # 青湾科技城, 白鹭化工集中区: areas that companies enter; 科技 and 化工 are not a company's
    # ending there (but 远途科技|城市更新项目 is 远途科技's project).
    text = "青岚经开区消息,经开区青湾科技城已入驻企业20家,白鹭化工集中区入驻企业30家。"
    assert names(text, "Park") == {"青湾科技城", "白鹭化工集中区"}
    assert not names(text, "Enterprise")
    assert names("青岚经开区消息,远途科技城市更新项目开工。", "Enterprise") == {"远途科技"}


def test_a_park_listed_beside_zones_is_one_more_area() -> None:
    # A经开区、B临空经济区和C产业园: three areas side by side, each with its own projects.
    text = "青岚经开区、白鹭临空经济区和桑田产业园今年共开工项目30个。桑田产业园开工了青松食品加工项目。"
    assert names(text, "Zone") == {"青岚经开区", "白鹭临空经济区", "桑田产业园"}
    assert ("locatedIn", "青松食品加工项目", "桑田产业园") in facts(text)


def test_lines_of_a_list_without_punctuation_keep_each_projects_amount() -> None:
    # Entries on lines of their own, with no punctuation: the amount that ends one line is
    # not the start of the next project's name.
    text = "青岚经开区开工项目清单\n远途电子元件项目 投资5000万元\n白鹭食品加工项目 投资1.2亿元\n青松物流园项目 投资3亿元\n"
    assert names(text, "Project") == {"远途电子元件项目", "白鹭食品加工项目", "青松物流园项目"}
    assert {("invests", "远途电子元件项目", 50_000_000), ("invests", "白鹭食品加工项目", 120_000_000),
            ("invests", "青松物流园项目", 300_000_000)} <= facts(text)


def test_a_projects_owner_named_after_it_runs_it() -> None:
    # P业主为X: the owner builds and runs the project.
    text = "青岚经开区消息,青松轴承扩产项目业主为远途电子科技有限公司,计划年底投产。"
    assert ("operatedBy", "青松轴承扩产项目", "远途电子科技有限公司") in facts(text)
