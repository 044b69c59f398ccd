"""A synthetic corpus of development-zone articles that does not repeat itself.

Every article is written from scratch: its zone, parks, enterprises, projects and the
places they are in get names of their own (composed from pools of syllables, places
from ``kg/resources/places.tsv`` and ``divisions.tsv``, and the heads real names end in:
经济技术开发区, 高新区, 产业园, 有限公司, 项目 …), every figure (amounts, years, shares,
areas) is drawn again, and each paragraph is put together from one of many sentence
templates with its own opener, connectives and clause order. No paragraph of the sample
articles is reused and none of the third-party dev articles was looked at: the templates
are the generator's own sentences, written in the registers such reports use.

So that the graph grows like a real one, about one article in six also names an
enterprise of an earlier article as an investor (large groups recur in real news); every
other name is new. ``repetition`` measures what is left over: the share of distinct
sentences and paragraphs in a corpus.

The output depends only on the seed number: the same call makes the same bytes.

    python benchmarks/corpus.py OUT_DIR --mb 20 [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLACES = REPO / "kg" / "resources" / "places.tsv"
DIVISIONS = REPO / "kg" / "resources" / "divisions.tsv"

# Characters companies put in their brands (瑞恒, 鼎钧, 华昌 …); two or three of them make one.
_BRAND_CHARS = ("华中新天金宏恒泰瑞德隆盛鑫达海宇龙飞富兴昌源丰通远晟博创科鼎正诚信安康力威腾凯嘉美联合星光明"
                "辉汇航浩佳银润和顺捷锐峰钧昊骏宸卓豪澜璟瀚沣森柯桦楷榕岚屹峻崇巍永长立志万亿同环鸿祥福乐欣益"
                "精强伟荣发久聚朗彩蓝青翔煜琨瑜珑淼焱垚棠筠启迪拓展誉铭晨曜星禾沐泽川岳麟骐骥尚品优质睿智")
# The first and second halves of a locality: 东湖, 临港, 金桥, 滨江 …
_LOCALITY_1 = "东西南北中新金银青白黄龙凤滨临江河湖山云星丰长高双"
_LOCALITY_2 = "湖港桥江城山河湾岭溪泉洲台源坪营庄塘园口坝冈"
_INDUSTRIES = ("电子信息", "生物医药", "智能装备", "新材料", "新能源汽车", "食品加工", "电力装备", "现代物流",
               "纺织服装", "精密制造", "节能环保", "医疗器械", "光电子", "数字经济", "航空装备", "冷链物流",
               "装备制造", "绿色建材", "精细化工", "汽车零部件", "智能制造", "集成电路", "新型显示", "现代农业",
               "家居建材", "轨道交通", "储能", "氢能", "半导体", "大数据", "软件信息", "文化创意", "康养",
               "电线电缆", "有色金属", "高端纺织", "预制菜", "中医药", "通用航空", "工业互联网")
_PRODUCTS = ("锂电池", "光伏组件", "精密铸件", "医疗耗材", "液压件", "电子元器件", "冷链食品", "汽车零部件",
             "智能电表", "工业机器人", "特种电缆", "环保涂料", "功能薄膜", "数控机床", "中药饮片", "休闲食品",
             "动力电池", "电池隔膜", "光学镜头", "传感器", "伺服电机", "变压器", "碳纤维", "铝型材", "玻璃纤维",
             "生物疫苗", "原料药", "电梯配件", "输变电设备", "新能源电机", "储能电池", "芯片封装", "显示面板",
             "智能家电", "纸制品", "肉制品", "乳制品", "复合肥", "有机硅", "不锈钢管材", "风电叶片", "农机装备")
_COMPANY_TAILS = ("科技有限公司", "电子有限公司", "药业有限公司", "食品有限公司", "电气股份有限公司",
                  "集团有限公司", "新材料有限公司", "智能装备有限公司", "物流有限公司", "机械有限公司",
                  "实业有限公司", "股份有限公司", "新能源科技有限公司", "生物科技有限公司", "精密制造有限公司",
                  "汽车部件有限公司", "光电科技有限公司", "化工有限公司", "建材有限公司", "医疗器械有限公司")
# (full head, the head its short name keeps)
_ZONE_HEADS = (("经济技术开发区", "经开区"), ("高新技术产业开发区", "高新区"), ("经济开发区", "经开区"),
               ("产业集聚区", "集聚区"), ("工业园区", "工业园区"), ("综合保税区", "综保区"),
               ("临空经济区", "临空经济区"), ("化工园区", "化工园区"), ("新区", "新区"))
_PARK_HEADS = ("产业园", "工业园", "科技园", "产业基地", "创新园", "物流园", "产业园区", "孵化园")
_PROJECT_KINDS = ("生产线", "生产基地", "研发中心", "产业园", "智能工厂", "总部基地", "扩建", "技改",
                  "产业化", "仓储物流中心", "检测中心")
_VERBS_DONE = ("正式开工建设", "顺利竣工投产", "完成主体工程", "进入设备安装阶段", "签约落地", "试生产",
               "完成厂房封顶", "通过竣工验收", "实现当年签约当年开工", "首条产线贯通")
# What a 年产 project counts its output in.
_OUTPUTS = {"吨": ("冷链食品", "肉制品", "乳制品", "复合肥", "有机硅", "原料药", "铝型材", "碳纤维", "玻璃纤维",
                  "环保涂料", "休闲食品", "预制菜", "纸制品", "不锈钢管材", "正极材料", "电解液", "特种钢材"),
            "台": ("工业机器人", "数控机床", "伺服电机", "变压器", "智能家电", "农机装备", "智能电表", "新能源电机"),
            "套": ("液压件", "输变电设备", "风电叶片", "汽车零部件", "电梯配件", "传感器", "医疗设备"),
            "片": ("显示面板", "光伏组件", "晶圆", "电池隔膜")}
_MONTHS = tuple(f"{m}月" for m in range(1, 13))

# Prose without names, made of parts so that two sentences rarely coincide.
_OPENERS = ("近年来", "今年以来", "据了解", "目前", "与此同时", "此外", "在此基础上", "自成立以来", "去年以来",
            "截至{m}底", "{y}年以来", "“十四五”以来", "今年前{n}个月", "从{y}年起", "近{n}年来")
_ACTIONS = ("坚持项目为王", "聚焦主导产业", "深化“放管服”改革", "持续优化营商环境", "推进产城融合",
            "坚持创新驱动", "强化要素保障", "实施招商引资“一号工程”", "开展“万人助万企”活动",
            "推行“标准地+承诺制”", "完善基础设施配套", "强化链长制", "推进数字化转型", "抓实安全生产",
            "推行“拿地即开工”", "建立项目专班", "实施亩均效益评价", "推进绿色低碳发展")
_RESULTS = ("综合竞争力稳步提升", "发展后劲持续增强", "产业集聚效应日益显现", "营商环境不断优化",
            "主导产业规模不断壮大", "项目建设跑出加速度", "经济运行稳中向好", "创新能力显著增强",
            "对外开放水平持续提升", "亩均税收逐年提高", "单位能耗持续下降", "企业满意度不断提高")
_CONNECTIVES = ("，", "，同时", "，并", "，进一步", "，着力", "，不断", "，持续")
_CLAIM_VERBS = ("表示", "介绍", "说", "指出", "告诉记者")
_OFFICIALS = ("管委会主任", "管委会负责人", "招商局局长", "经济发展局负责人", "党工委书记", "投资促进局负责人")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏飞宇浩然琳晶婷雪梅亮波宁斌峰鑫博凯旭阳晨"


def _places() -> list[tuple[str, str]]:
    """(full name, short name) of the cities and counties of places.tsv, and the counties of
    divisions.tsv (short name: the full one without its 县/市/区 when two characters remain)."""
    seen, out = set(), []
    for row in PLACES.read_text("utf-8").splitlines()[1:]:
        name, short, level, *_ = row.split("\t") + ["", "", ""]
        if level in ("city", "county") and name not in seen:
            seen.add(name)
            out.append((name, short or name))
    for row in DIVISIONS.read_text("utf-8").splitlines():
        if row.startswith("#") or "\t" not in row:
            continue
        cells = row.split("\t")
        if len(cells) < 3 or cells[2] != "county" or cells[1] in seen or cells[1].endswith(("区", "旗")):
            continue
        name = cells[1]
        seen.add(name)
        out.append((name, name[:-1] if len(name) == 3 and name[-1] in "县市" else name))
    return sorted(out)


class Generator:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.places = _places()
        self.n = 0
        self.used: set[str] = set()
        self.known_companies: list[str] = []  # enterprises of earlier articles, for the few re-mentions

    # ---------------------------------------------------------------- names

    def fresh(self, make) -> str:
        """A name ``make()`` draws that no earlier article has used."""
        for _ in range(50):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name pools exhausted")

    def brand(self) -> str:
        k = 3 if self.rng.random() < 0.15 else 2
        return "".join(self.rng.sample(_BRAND_CHARS, k))

    def person(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.choice(_GIVEN) for _ in range(self.rng.randint(1, 2)))

    def locality(self) -> str:
        return self.rng.choice(_LOCALITY_1) + self.rng.choice(_LOCALITY_2)

    def company(self, place_short: str) -> tuple[str, str]:
        """(full name, brand) of a new enterprise; some carry their city's short name in front."""
        rng = self.rng
        while True:
            b = self.brand()
            full = (place_short if rng.random() < 0.35 else "") + b + rng.choice(_COMPANY_TAILS)
            if full not in self.used:
                self.used.add(full)
                return full, b

    def zone(self, place: tuple[str, str]) -> tuple[str, str]:
        rng = self.rng
        full_place, short_place = place
        head, short_head = rng.choice(_ZONE_HEADS)

        def make() -> str:
            loc = self.locality() if rng.random() < 0.6 else ""
            lead = "国家" if head in ("经济技术开发区", "高新技术产业开发区") and rng.random() < 0.3 else ""
            return f"{lead}{rng.choice((full_place, short_place))}{loc}{head}"
        name = self.fresh(make)
        stem = name.removeprefix("国家")[: -len(head)]
        return name, stem.replace(full_place, short_place) + short_head

    def park(self, industry: str) -> str:
        return self.fresh(lambda: (self.locality() if self.rng.random() < 0.5 else self.brand())
                          + industry + self.rng.choice(_PARK_HEADS))

    def project(self, brand: str | None = None) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            return self.fresh(lambda: f"{brand or self.brand()}{rng.choice(_PRODUCTS)}{rng.choice(_PROJECT_KINDS)}项目")
        if r < 0.7:
            def output() -> str:
                unit = rng.choice(sorted(_OUTPUTS))
                brand = self.brand() if rng.random() < 0.5 else ""
                size = rng.randint(1, 300) if rng.random() < 0.7 else f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"
                return f"{brand}年产{size}万{unit}{rng.choice(_OUTPUTS[unit])}项目"
            return self.fresh(output)
        if r < 0.85:
            return self.fresh(lambda: f"{brand or self.brand()}{rng.choice(_INDUSTRIES)}产业园项目")
        return self.fresh(lambda: f"{brand or self.brand()}{rng.choice(_PRODUCTS)}{rng.choice(('一期', '二期', '三期'))}项目")

    # -------------------------------------------------------------- numbers

    def amount(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return f"{self.rng.randint(1, 150)}亿元"
        if r < 0.85:
            return f"{self.rng.randint(1, 99)}.{self.rng.randint(1, 9)}亿元"
        return f"{self.rng.randint(1000, 9900)}万元"

    def pct(self) -> str:
        return f"{self.rng.randint(1, 35)}.{self.rng.randint(0, 9)}%"

    def year(self) -> int:
        return self.rng.randint(2015, 2027)

    def opener(self, first: bool = False) -> str:
        openers = _OPENERS[:3] + _OPENERS[7:] if first else _OPENERS
        return self.rng.choice(openers).format(m=self.rng.choice(_MONTHS), y=self.year(),
                                                n=self.rng.randint(2, 11))

    def prose(self, subject: str) -> str:
        """A sentence without names besides ``subject``: opener, two actions, a result."""
        rng = self.rng
        a, b = rng.sample(_ACTIONS, 2)
        parts = [f"{self.opener()}，{subject}{a}{rng.choice(_CONNECTIVES)}{b}"]
        if rng.random() < 0.6:
            parts.append(f"{rng.choice(_RESULTS)}")
        else:
            parts.append(f"{rng.choice(('全年', '上半年', '前三季度', '一季度'))}规模以上工业增加值增长{self.pct()}")
        return "，".join(parts) + "。"

    # ---------------------------------------------------------------- paragraphs

    def article(self) -> str:
        rng = self.rng
        self.n += 1
        place = rng.choice(self.places)
        city = place[1]
        zone, short = self.zone(place)
        inds = rng.sample(_INDUSTRIES, 4)
        parks = [self.park(i) for i in inds[:3]]
        companies = [self.company(city if rng.random() < 0.5 else rng.choice(self.places)[1])
                     for _ in range(rng.randint(5, 9))]
        ctx = {"city": city, "place": place[0], "zone": zone, "short": short, "inds": inds, "parks": parks,
               "companies": companies}
        # Each title names the article's own zone, so no two titles are the same.
        titles = (f"{zone}：{inds[0]}产业跑出加速度", f"{zone}：以项目建设促高质量发展",
                  f"{zone}{rng.randint(2, 40)}个重点项目集中开工", f"砥砺奋进{rng.randint(3, 30)}年 {zone}勇当发展主力军",
                  f"{inds[0]}“链”动{city} {zone}打造千亿级产业集群", f"{zone}{rng.choice(inds)}产业发展观察")
        out = [rng.choice(titles), ""]
        if rng.random() < 0.5:
            out += [f"本报记者 {self.person()} 通讯员 {self.person()}", ""]
        out += [self.intro(ctx), ""]
        kinds = [self.chains, self.parks_with_companies, self.leader, self.project_with_operator,
                 self.signings, self.statistics, self.policy, self.quote, self.infrastructure,
                 self.innovation, self.investor]
        body = rng.sample(kinds, rng.randint(9, 11))
        # Some kinds come again with other names and figures, as in a long report.
        body += rng.sample([self.parks_with_companies, self.project_with_operator, self.signings, self.leader,
                            self.innovation, self.investor, self.policy], rng.randint(5, 7))
        rng.shuffle(body)
        for make in body:
            para = make(ctx)
            if rng.random() < 0.4:
                para += self.prose(rng.choice((short, "开发区", "全区", "园区")))
            out += [para, ""]
        self.known_companies += [c[0] for c in rng.sample(companies, 2)]
        return "\n".join(out) + "\n"

    def intro(self, c) -> str:
        rng = self.rng
        alias = rng.choice((f"(以下简称{c['short']})", f"（以下简称{c['short']}）", ""))
        first = rng.choice((
            f"{self.opener(first=True)}，{c['zone']}{alias}{rng.choice(_ACTIONS)}，{rng.choice(_RESULTS)}。",
            f"{c['zone']}{alias}成立于{self.year() - rng.randint(5, 25)}年，规划面积{rng.randint(10, 180)}平方公里，"
            f"是{c['place']}对外开放的重要窗口。",
            f"作为{c['place']}经济发展的主引擎，{c['zone']}{alias}{self.opener()}{rng.choice(_ACTIONS)}，"
            f"地区生产总值达到{self.amount()}。",
        ))
        return first + self.prose(c["short"] if alias else "开发区")

    def chains(self, c) -> str:
        rng = self.rng
        i = c["inds"]
        s = rng.choice((
            f"{c['short']}培育形成了{i[0]}产业集群和{i[1]}产业链，{i[2]}、{i[3]}等产业加快集聚。",
            f"围绕{i[0]}和{i[1]}两大主导产业，{c['short']}{rng.choice(_ACTIONS)}，构建起{i[2]}产业链。",
            f"{self.opener()}，{c['short']}的{i[1]}产业集群年产值突破{rng.randint(50, 900)}亿元，"
            f"{i[0]}产业链上下游企业达到{rng.randint(20, 300)}家。",
        ))
        return s + rng.choice(("", f"其中，{i[0]}产业占全区工业总产值的{self.pct()}。",
                               f"{c['short']}“{rng.randint(2, 5)}群{rng.randint(2, 6)}链”的产业格局基本形成。"))

    def parks_with_companies(self, c) -> str:
        rng = self.rng
        park = rng.choice(c["parks"])
        listed = rng.sample(c["companies"], 3)
        names = "、".join(x[0] for x in listed[: rng.randint(2, 3)])
        s = rng.choice((
            f"{park}已入驻{names}等{rng.randint(10, 90)}家企业，年产值突破{rng.randint(10, 400)}亿元。",
            f"{names}等企业先后落户{park}，园区标准化厂房入驻率达到{self.pct()}。",
            f"走进{park}，{names}的生产车间里一派繁忙景象，{rng.choice(_RESULTS)}。",
            f"{park}引进了{names}等一批龙头企业，{self.opener()}新增规模以上企业{rng.randint(2, 30)}家。",
        ))
        if rng.random() < 0.5:
            s += f"{c['short']}还规划建设了{'、'.join(c['parks'])}等专业园区。"
        return s

    def leader(self, c) -> str:
        rng = self.rng
        full, _ = rng.choice(c["companies"])
        return rng.choice((
            f"{full}是{c['short']}的龙头企业，主要生产{rng.choice(_PRODUCTS)}，产品远销{rng.randint(20, 120)}个国家和地区。",
            f"作为行业“单项冠军”，{full}{self.opener()}研发投入占销售收入的{self.pct()}，"
            f"{rng.choice(_PRODUCTS)}市场占有率居全国前列。",
            f"{full}{self.year()}年入驻{c['short']}，{rng.choice(('如今', '目前', '现在'))}年营业收入达到{self.amount()}，"
            f"拥有专利{rng.randint(10, 600)}项。",
        ))

    def project_with_operator(self, c) -> str:
        rng = self.rng
        full, b = rng.choice(c["companies"])
        p = self.project(b)
        s = rng.choice((
            f"总投资{self.amount()}的{p}{rng.choice(_VERBS_DONE)}，项目由{full}建设运营，"
            f"达产后年产值可达{rng.randint(5, 120)}亿元。",
            f"由{full}投资建设的{p}{rng.choice(_VERBS_DONE)}，总投资{self.amount()}，"
            f"预计{self.year()}年全面投产。",
            f"{p}由{full}投资{self.amount()}建设，{rng.choice(('建成后', '投产后', '达产后'))}"
            f"可新增就业岗位{rng.randint(100, 3000)}个。",
            f"在{rng.choice(c['parks'])}，投资{self.amount()}的{p}{rng.choice(_VERBS_DONE)}，"
            f"项目由{full}运营。",
        ))
        return s + rng.choice(("", self.prose("项目所在园区"), f"{full}的这一项目从签约到开工仅用了{rng.randint(20, 120)}天。"))

    def signings(self, c) -> str:
        rng = self.rng
        ps = [self.project() for _ in range(rng.randint(2, 3))]
        s = rng.choice((
            f"{self.opener()}，{c['short']}新签约{'、'.join(ps)}等{rng.randint(len(ps) + 1, 30)}个项目，总投资{self.amount()}。",
            f"在{self.year()}年{rng.choice(_MONTHS)}举行的集中签约活动上，{'、'.join(ps)}等项目落户{c['short']}，"
            f"签约总额{self.amount()}。",
            f"{c['short']}{rng.choice(_MONTHS)}份集中开工{rng.randint(len(ps) + 1, 40)}个项目，{'、'.join(ps)}位列其中，"
            f"计划总投资{self.amount()}。",
        ))
        full, _ = rng.choice(c["companies"])
        p = self.project()
        return s + rng.choice((
            f"其中，{p}由{full}投资建设，计划{self.year()}年建成投用。",
            f"投资{self.amount()}的{p}落户{rng.choice(c['parks'])}，将建设标准化厂房{rng.randint(2, 40)}万平方米。",
            "",
        ))

    def statistics(self, c) -> str:
        rng = self.rng
        y = self.year()
        items = [f"完成固定资产投资{self.amount()}，同比增长{self.pct()}",
                 f"实现规模以上工业增加值{self.amount()}，同比增长{self.pct()}",
                 f"实现公共财政预算收入{self.amount()}，增长{self.pct()}",
                 f"累计引进项目{rng.randint(20, 400)}个",
                 f"实现进出口总额{self.amount()}",
                 f"新增市场主体{rng.randint(100, 5000)}户",
                 f"规模以上企业达到{rng.randint(30, 600)}家"]
        chosen = rng.sample(items, rng.randint(3, 5))
        return f"{y}年，{c['short']}" + "，".join(chosen) + "。" + rng.choice(
            ("", f"{c['short']}主要经济指标增速位居全{rng.choice(('省', '市'))}{rng.randint(8, 60)}家开发区第"
                 f"{rng.randint(1, 8)}位。",
             f"在{self.year()}年度全省开发区综合考核中，{c['short']}排名第{rng.randint(1, 30)}位。"))

    def policy(self, c) -> str:
        return "".join(self.prose(self.rng.choice((c["short"], "开发区", "全区", "园区"))) for _ in range(self.rng.randint(2, 3)))

    def quote(self, c) -> str:
        rng = self.rng
        who = f"{c['short']}{rng.choice(_OFFICIALS)}"
        said = rng.choice(_CLAIM_VERBS)
        return rng.choice((
            f"“下一步，我们将{rng.choice(_ACTIONS)}，力争{self.year()}年{rng.choice(c['inds'])}产业规模突破"
            f"{rng.randint(100, 1000)}亿元。”{who}{said}。",
            f"{who}{said}，{self.opener()}全区{rng.choice(_ACTIONS)}，"
            f"“{rng.choice(_RESULTS)}，这是大家共同努力的结果。”",
        ))

    def infrastructure(self, c) -> str:
        rng = self.rng
        return rng.choice((
            f"{self.opener()}，{c['short']}累计投入{self.amount()}，新建道路{rng.randint(5, 90)}公里，"
            f"铺设供水管网{rng.randint(5, 120)}公里，建成标准化厂房{rng.randint(10, 300)}万平方米。",
            f"{c['short']}{rng.choice(_ACTIONS)}，建成污水处理厂{rng.randint(1, 5)}座，日处理能力"
            f"{rng.randint(1, 20)}万吨，“{rng.randint(5, 9)}通一平”基础设施覆盖全域。",
        )) + rng.choice(("", self.prose("园区")))

    def innovation(self, c) -> str:
        rng = self.rng
        full, b = rng.choice(c["companies"])
        return rng.choice((
            f"{c['short']}现有高新技术企业{rng.randint(10, 400)}家，省级以上研发平台{rng.randint(5, 120)}个，"
            f"{full}建成了国家级企业技术中心。",
            f"{self.opener()}，{full}联合高校组建{b}{rng.choice(_INDUSTRIES)}研究院，"
            f"攻克关键技术{rng.randint(3, 60)}项。",
            f"{b}{rng.choice(_PRODUCTS)}研发中心项目由{full}投资建设，计划{self.year()}年建成投用，"
            f"将引进研发人员{rng.randint(50, 800)}名。",
        ))

    def investor(self, c) -> str:
        rng = self.rng
        if self.known_companies and rng.random() < 0.35:
            who = rng.choice(self.known_companies)
        else:
            who = rng.choice(c["companies"])[0]
        p = self.project()
        return rng.choice((
            f"{who}投资{self.amount()}建设的{p}落户{c['short']}，{rng.choice(_VERBS_DONE)}。",
            f"{self.opener()}，{who}在{c['short']}追加投资{self.amount()}，建设{p}。",
        ))


def generate(out_dir: Path, megabytes: float, seed: int = 1, prefix: str = "article") -> list[Path]:
    """Write articles into ``out_dir`` until they add up to ``megabytes`` (10^6 bytes) of UTF-8."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    target = int(megabytes * 1_000_000)
    total = 0
    paths = []
    while total < target:
        data = gen.article().encode("utf-8")
        path = out_dir / f"{prefix}_{gen.n:06d}.txt"
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    return paths


_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


def repetition(paths: list[Path]) -> dict:
    """How much of a corpus repeats: distinct sentences and paragraphs over all of them.

    A sentence ends at 。！？ (a quotation's closing mark stays with its sentence); titles
    and bylines count as paragraphs of one sentence."""
    sentences = paragraphs = 0
    distinct_s: set[str] = set()
    distinct_p: set[str] = set()
    for path in paths:
        for para in re.split(r"\n\s*\n", path.read_text("utf-8")):
            para = para.strip()
            if not para:
                continue
            paragraphs += 1
            distinct_p.add(para)
            for s in _SENTENCE_END.split(para):
                s = s.strip("”\" \n")
                if s:
                    sentences += 1
                    distinct_s.add(s)
    return {"sentences": sentences, "distinct_sentences": len(distinct_s),
            "sentence_share": len(distinct_s) / sentences if sentences else 1.0,
            "paragraphs": paragraphs, "distinct_paragraphs": len(distinct_p),
            "paragraph_share": len(distinct_p) / paragraphs if paragraphs else 1.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=20.0, help="total size in MB (default 20)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    paths = generate(args.out, args.mb, args.seed)
    size = sum(p.stat().st_size for p in paths)
    rep = repetition(paths)
    print(f"wrote {len(paths)} articles, {size / 1e6:.1f} MB, to {args.out}; distinct sentences "
          f"{rep['distinct_sentences']:,} of {rep['sentences']:,} ({100 * rep['sentence_share']:.1f}%), "
          f"distinct paragraphs {rep['distinct_paragraphs']:,} of {rep['paragraphs']:,} "
          f"({100 * rep['paragraph_share']:.1f}%)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
