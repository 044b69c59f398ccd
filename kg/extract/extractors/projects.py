"""Named projects: …项目, 投资15亿元的X, branded parks (宏途山药食品产业园), and the
brand behind a project (宏途 → Enterprise).

Lists typed by their head (…等项目) are found in lists.py; this module adds the
projects named by their own head or by an investment phrase, and then, for every
project, the enterprise whose name it starts with.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.divisions import ancestors, codes_named, divisions
from kg.extract.document import Doc
from kg.extract.extractors.aliases import brand_base
from kg.extract.extractors.enterprises import LEGAL_HEADS
from kg.extract.extractors.parks import PARK_HEAD
from kg.extract.extractors.zones import ZONE_REFERENCE
from kg.extract.lexicon import (
    countries,
    industry_words,
    is_boundary_word,
    is_policy_phrase,
    places,
    sector_words,
    stopwords,
    word_frequency,
    word_tag,
    words_of,
)
from kg.extract.money import INVESTED_OF
from kg.extract.names import (
    FACILITY_HEAD,
    FUNCTION_CHARS,
    GENERIC_MODIFIERS,
    PROJECT_PARTS,
    PROVINCE_SHORTS,
    QUOTES,
    after_park,
    brand_prefix,
    is_counted,
    is_facility_kind,
    is_generic_prefix,
    is_organisation,
    is_rare_word,
    is_sector_phrase,
    left_start,
    place_prefix,
    starts_region,
)
from kg.extract.pipeline import RECOGNIZE, component

# 建设项目, 改造项目: the verb belongs to the head (…生产线建设项目), not to the clause.
_PROJECT_HEAD = re.compile(r"(?:建设|扩建|改扩建|改造|新建|技改|升级)?项目|综合体")
# Endings that make the words before them a company's name (远途科技, 白鹭集团).
_COMPANY_FORMS = ("科技", "集团", "股份", "控股", "实业", "电子", "电气", "光电", "药业", "生物", "智能", "新材料", "能源")
# A project head after one of these words names a kind of project, not a project:
# 招商引资项目, 技改项目, 配套住宅项目, 企业总部项目.
_KIND_WORDS = frozenset("招商引资 招商 引资 技改 改造 文化 配套 住宅 总部 产业 基础设施 中心 包装 建设 重点 重大 "
                        "骨干 民生 工业 服务业 商业 科研 科研类 生产性 投资 签约 在建 新建 好 大".split())
# Buildings and estates carry a landlord's or developer's name, not an operator's brand.
_BUILDING = re.compile(r"(大厦|花园|广场|公寓|小区|家园|家苑|苑|府|城)$")
# 投资15亿元的生物芯片研发制造基地 / 总投资30亿元的荣兴…项目
# (亿 alone is yuan too: 投资10亿的…)
_INVESTED = re.compile(r"(?:总)?投资(?:约|达|超|近|逾)?(?:人民币)?[0-9.一二三四五六七八九十两百千万亿]+(?:(?:万|亿)?元(?:人民币)?|(?<=亿))" + INVESTED_OF)
_GENERIC_PROJECT = re.compile(r"^(重点|重大|骨干|产业|建设|招商|签约|在建|新建|续建|新开工|开工|竣工|投产|计划|储备|前期|谋划|预备|"
                              r"亿元以上|省市|省|市|大|好|该|这些|各类|一批)+$")
_BUILDS_BEFORE = re.compile(r"(?:投资建设|投资兴建|新建|兴建|建设|设立|打造|新上)")
_WHEN = re.compile(r"(?:[0-9]{2,4}年|今年|去年|明年|当年|本年)?(?:度|第[一二三四]季度|[一二三四]季度|上半年|下半年|全年|年度|"
                   r"[0-9一二三四五六七八九十]{1,2}月份?|春季|秋季)+(?:重点|重大|新开工|开工|签约|竣工|集中)*$")
# (a profile's lines are often joined: the name ends at the next field's key)
_NAMED_PROJECT = re.compile(r"项目名称[:：]\s*(?P<name>[^\s，,。；;:：、]{4,40}?)"
                            r"(?=(?:建设|投资|项目|业主|实施)(?:单位|主体|内容|地点|规模|性质|期限|年限)|总投资|投资额|计划投资|"
                            r"联系|[\s，,。；;:：、]|$)")
_NUMBERED_ITEM = re.compile(r"(?m)^[ \t]*(?:[0-9]{1,3}[.．、]|[(（][0-9一二三四五六七八九十]{1,3}[)）])[ \t]*"
                            r"(?P<name>[^：:，,。；;、\n]{4,40}?)[：:，,][ \t]*(?:项目)?(?:计划|预计)?总投资")
# (not a count of the project's own parts: P12个单体建筑完工, P3个标段)
_COUNT_AFTER = re.compile(r"(?:有|共|达|共有|共计|合计|计)?[0-9一二三四五六七八九十两百几]+(?:个|项|宗)"
                          r"(?!" + PROJECT_PARTS + ")")
_PHASE = re.compile(r"[一二三四五六七八九十0-9]期(?:工程|项目)?")
_BUILT_BY_BEFORE = re.compile(r"(?:投资|建设|投资建设|合作建设|承建|开发|运营)的$")
# 公司(的): the company just named (…有限公司…。公司|制剂生产项目), before a project or at its start.
_THE_COMPANY_WORDS = r"(?:该|这家)?公司(?:的)?"
_THE_COMPANYS = re.compile(r"(?:^|(?<=[，,。；;\n]))" + _THE_COMPANY_WORDS + "$")
_THE_COMPANY = re.compile(_THE_COMPANY_WORDS)
# An amount invested at the start of what reads as a name (a lost line break ran it in).
_PAID_BEFORE_NAME = re.compile(r"(?:计划|预计)?(?:总)?投资(?:约|达|超|近|逾)?(?:人民币)?[0-9.]+(?:万|亿)?元(?:人民币)?")
_AMOUNT_OF = re.compile(r"投资(?:约|达|超|近|逾)?(?:人民币)?[0-9.]+(?:(?:万|亿)元(?:人民币)?|亿)的$")
_DESCRIBES_COMPANY = re.compile(r"(?:园区|区内|开发区|入驻|落户|本地|当地|龙头|骨干|重点|外资|民营)?(?:企业|公司)")
_RANKING = re.compile(r"(?:[0-9]+|[十百千]+)强")
_STOP_AFTER = re.compile(r"[，,。；;、：:！？!?\n（(]|[0-9]|等")


def _built_by_someone(doc: Doc, start: int) -> bool:
    """Whether the text before ``start`` says who builds what follows, which makes it one
    project however generic its own words: 合作建设的|食品生产项目, a company's (legal name)
    project (宁德时代新能源科技股份有限公司的|储能电池项目), or one that a company opening the
    clause builds (韩国SK集团在开发区投资建设|存储芯片项目)."""
    if _BUILT_BY_BEFORE.search(doc.text, max(start - 8, 0), start):
        return True
    if _THE_COMPANYS.search(doc.text, max(start - 4, 0), start):
        return True  # …有限公司…。公司|制剂生产项目完工: the company just named, its project
    if _AMOUNT_OF.search(doc.text, max(start - 24, 0), start):
        return True  # 总投资5亿元的|精密模具生产项目: an amount of its own makes it one project
    if start > 0 and doc.text[start - 1] == "的" and any(
            m.type == "Enterprise" and m.end == start - 1 and m.name.endswith(LEGAL_HEADS) for m in doc.mentions):
        return True
    verb = _BUILDS_BEFORE.search(doc.text, max(start - 6, 0), start)
    if not verb or verb.end() != start:
        return False
    # 引进白鹭光电|建设|光伏组件项目: a company right before the verb builds it.
    if any(m.type == "Enterprise" and verb.start() - 3 <= m.end <= verb.start() and
           re.fullmatch(r"(?:将|拟|计划)?(?:投资)?", doc.text[m.end:verb.start()]) for m in doc.mentions):
        return True
    clause_start = doc.clause_start(start)
    # (园区企业|X有限公司今年新上|P: a description of the company may open the clause)
    return any(m.type == "Enterprise" and (m.start == clause_start or _DESCRIBES_COMPANY.fullmatch(
        doc.text, clause_start, m.start)) and m.name.endswith(LEGAL_HEADS) and m.end < verb.start() for m in doc.mentions)


def _specific(doc: Doc, start: int, end: int) -> bool:
    """Whether text[start:end] (a project name without 项目) names one project.

    Long names do; short ones only with a brand-like word in them (瑞维思减水剂), and
    never when they end in a word that names a kind of project (技改, 配套住宅)."""
    core = doc.text[start:end]
    words = [doc.text[max(s, start):min(e, end)] for s, e in doc.tokens(doc.sentence_at(start)) if e > start and s < end]
    if not words:
        return False
    rare = any(is_rare_word(w) for w in words)
    if doc.text.startswith("综合体", end):
        return rare  # 一峰智慧冷链产业综合体, but not every 党建综合体
    if _built_by_someone(doc, start):
        return True  # 合作建设的食品生产项目: a project someone builds is one project
    if len(core) >= 8:
        return True
    if words[-1] == "总部" and len(words) >= 3 and "".join(words[:-1]).endswith(_COMPANY_FORMS) and \
            not is_sector_phrase(doc, start, end - 2) and \
            not any(w in industry_words() or w in sector_words() or w in GENERIC_MODIFIERS for w in words[:-2]):
        return True  # 远途科技|总部: a company's headquarters, however common its brand's word
    if words[-1] in _KIND_WORDS or words[0] in _KIND_WORDS:
        return False
    return len(core) >= 5 or rare


_OPEN_QUOTES = "“\"「『"
_CLOSE_QUOTES = "”\"」』"


def _quoted_somewhere(text: str, name: str) -> bool:
    """Whether ``name`` stands between quotes anywhere in ``text`` (what the pattern
    [“"「『]NAME[”"」』] finds, without compiling one pattern per name)."""
    n = len(name)
    i = text.find(name, 1)
    while i != -1:
        j = i + n
        if text[i - 1] in _OPEN_QUOTES and j < len(text) and text[j] in _CLOSE_QUOTES:
            return True
        i = text.find(name, i + 1)
    return False


# A row number before a name (1星澜…, 12.云帆…, 3、华辰…); a digit before a unit is a capacity (3万吨…).
_ROW_NUMBER = re.compile(r"[0-9]+[.．、)）]?(?=[\u4e00-\u9fff])(?![0-9]*[万亿千百十吨台套个件条座栋期号批平米亩兆千瓦度户元辆艘只头英寸纳微毫厘克升层片])")


def add_project(doc: Doc, start: int, end: int, rule: str) -> bool:
    while start < end and doc.text[start] in QUOTES:
        start += 1
    row = _ROW_NUMBER.match(doc.text, start, end)
    if row:
        start = row.end()
    paid = _PAID_BEFORE_NAME.match(doc.text, start, end)
    if paid and end - paid.end() >= 4:
        start = paid.end()  # 投资5000万元|白鹭食品加工项目: the amount, run into the name by a lost line break
    lead = _THE_COMPANY.match(doc.text, start, end)
    if lead and end - lead.end() >= 4:
        start = lead.end()  # 公司|制剂生产项目: the company's project, not one named 公司…
    name = doc.text[start:end]
    core_end = end - 2 if name.endswith("项目") else end
    core = doc.text[start:core_end]
    if len(core) < 2 or _GENERIC_PROJECT.match(core) or is_generic_prefix(core) or any(q in name for q in QUOTES):
        return False
    if _WHEN.match(core) or (start > 0 and doc.text[start - 1].isdigit() and core[0] in "年月"):
        return False  # 2021年第一季度项目, 今年上半年项目: when, not which
    if is_organisation(core):
        return False  # X研究院, X协会: a body, not a project
    if core.endswith("类"):
        return False  # 金融类项目, 工业类项目: a class of projects
    if is_facility_kind(core):
        return False  # 产业化基地, 数据中心: a kind of facility, not which one
    if name.endswith("项目") and _COUNT_AFTER.match(doc.text, end):
        return False  # 园区新开工项目15个: a count of projects of a kind, not one project's name
    if len(core) == 2 and not any(m.type == "Enterprise" and m.name == core for m in doc.mentions):
        return False  # 求新项目, 定址项目: two characters name a project only as its company's (卫龙项目)
    if rule not in ("list", "facility-under-way") and not _specific(doc, start, core_end):
        return False
    if is_counted(core) or (is_sector_phrase(doc, start, core_end) and not _built_by_someone(doc, start)):
        return False  # 5000万元以上项目, 农产品深加工项目: a number or a kind of projects
    if any(m.type == "Enterprise" and m.name == name for m in doc.mentions):
        return False  # 投资10亿元的富森生物投产: the company, not a project
    if _quoted_somewhere(doc.text, name):
        return False  # “抢天夺时建项目”: a slogan in quotes, wherever it is repeated
    span = (start, end)
    if doc.claimed.get(span, "Project") != "Project":
        return
    if any(m.start == start and m.end == end and m.type == "Project" for m in doc.mentions):
        return
    doc.claimed[span] = "Project"
    doc.add_mention("Project", start, end, rule=rule)
    return True


# Words that never end a project's name when read leftwards: 及 joins two products, 级 grades
# one (电子级氢氟酸, 万吨级码头).
# A phase (恒逸石化钦州基地|三期|项目) is a time word to jieba but part of the name.
_INSIDE_PROJECT_NAMES = frozenset({"及", "及其", "级"} | {f"{n}期" for n in "一二三四五六七八九十"})
_RESEARCH_TOPICS = ("技术", "研究", "课题", "方案", "工艺", "理论")
_QUOTED = re.compile(r"[\u3400-\u9fffA-Za-z0-9]{6,24}")  # shorter, in quotes, is a slogan (“抢天夺时”)


def _add_quoted_project(doc: Doc, head_start: int, head_end: int) -> None:
    """“中泰汽车零部件智能制造”项目: a name in quotes before 项目 is the project's name, when
    it reads as one (long, or with a brand in it); a slogan (“抢天夺时”项目) does not."""
    text = doc.text
    opening = max(text.rfind(q, max(head_start - 26, 0), head_start - 1) for q in _OPEN_QUOTES)
    if opening < 0 or not _QUOTED.fullmatch(text, opening + 1, head_start - 1):
        return
    s, e = opening + 1, head_start - 1
    if text.endswith(_RESEARCH_TOPICS, s, e):
        return  # “…储氢技术”项目 of a contest or a research grant: a topic, not an investment
    if len(words_of(text[s:e])) < 2 or not _specific(doc, s, e) or is_sector_phrase(doc, s, e) or \
            any(is_policy_phrase(w) for w in words_of(text[s:e])):
        return
    span = (s, head_end)
    if doc.claimed.get(span, "Project") != "Project":
        return
    doc.claimed[span] = "Project"
    doc.add_mention("Project", s, head_end, name=text[s:e] + "项目", rule="quoted-project")


_YEARLY = ("加工", "处理", "出栏", "吞吐", "屠宰", "生产", "存栏", "供应", "回收", "综合利用")
_CAPACITY_WORDS = frozenset("年产 年加工 年处理 年出栏 年吞吐 日产 日处理".split())


def _name_after(doc: Doc, pos: int) -> int:
    """End of the name that starts at ``pos``: up to punctuation, a digit, 等 or a verb."""
    sent = doc.sentence_at(pos)
    end = pos
    capacity = False
    for s, e in doc.tokens(sent):
        if e <= pos:
            continue
        word = doc.text[max(s, pos):e]
        if word in _CAPACITY_WORDS:
            capacity = True  # 年产5万吨…: the capacity's figures belong to the name
        elif capacity and (word[:1].isdigit() or (word_tag(word) or "").startswith(("m", "q"))):
            end = e
            continue
        else:
            capacity = False
        if _STOP_AFTER.match(word) or (end > pos and is_boundary_word(word)):
            break
        end = e
        if word == "项目":
            break
    return end


_LIST_MARKS = re.compile(r"[、；;：:，,。]")


def _whole_item(doc: Doc, start: int, head_start: int) -> int:
    """A project that is an item of a list runs from the mark before it (、, or the colon or
    semicolon that opens the list before another item): …、滨江旧厂收储和街区焕新项目、…
    — between list marks a verb is part of the name, not the clause's."""
    text = doc.text
    sent = doc.sentence_at(head_start)
    window = max(sent.start, start - 25)
    found = None
    for found in _LIST_MARKS.finditer(text, window, start):
        pass
    if found is None or found.group() in "，,。":
        return start
    mark = found.start()
    after = head_start + 2  # past 项目
    if text[mark] != "、" and not text.startswith("、", after):
        return start  # an item opening a list must have another after it
    gap = text[mark + 1:start]
    if not gap or any(c in FUNCTION_CHARS for c in gap) or not re.fullmatch(r"[\u3400-\u9fffA-Za-z0-9]+", gap):
        return start
    # A zone's name opening the item is the project's too (…、青湾新区智能网联测试场项目、…).
    if any(z.start == mark + 1 and z.end == start for z in doc.mentions_of("Zone")):
        return mark + 1
    # Otherwise only a verb stopped the name (收储|和街区焕新); a describing word
    # (轴承企业|X…项目) still ends it.
    stop = next((text[s:e] for s, e in doc.tokens(sent) if s < start <= e), "")
    if not (word_tag(stop) or "").startswith("v") or \
            any(w in _DESCRIBED_BY for w in words_of(gap)):
        return start
    return mark + 1


@component("projects", RECOGNIZE + 3)
def recognize_projects(doc: Doc) -> None:
    text = doc.text
    for m in _PROJECT_HEAD.finditer(text):
        if text.endswith(tuple(_CLOSE_QUOTES), 0, m.start()):
            _add_quoted_project(doc, m.start(), m.end())
            continue
        start = left_start(doc, m.start(), 28, allow_digits=True, inner_ok=_INSIDE_PROJECT_NAMES, compound_verbs=True,
                           extra_stops=_DESCRIBED_BY)
        ranked = _RANKING.search(text, start, m.start())
        if ranked:
            start = ranked.end()  # 民营企业500强|X项目: the ranking describes X
        if start >= 2 and text[start - 1] == "和" and text[start].isdigit() and \
                re.search(r"年产[0-9.]+", text[max(start - 24, 0):start - 1]):
            # 年产30万吨面粉加工和|20万吨有机肥项目: 和 joins two capacities of one project
            start = left_start(doc, start - 1, 28, allow_digits=True, inner_ok=_INSIDE_PROJECT_NAMES,
                               compound_verbs=True, extra_stops=_DESCRIBED_BY)
        start = after_park(doc, start, m.start())  # 青石工业园|瑞辰精工年产…项目
        if start > 0 and text[start - 1] == "年" and text.startswith(_YEARLY, start):
            start -= 1  # 建设|年|加工200万吨大豆项目: jieba cuts 年加工 apart; the capacity is yearly
        cut = next((e for e in doc.mentions_of("Enterprise") if e.rule == "legal-head" and e.start < start < e.end
                    and e.end <= m.start()), None)
        if cut is not None:
            start = cut.start  # 金禾农业开发有限公司冷链物流园项目: a company's words (开发) end no name inside it
        start = _whole_item(doc, start, m.start())
        start = _area_of_works(doc, start, m.start())
        if start == m.start():
            continue
        # 调配糖浆生产、高档动物饲料母料生产项目: the head names every item before it.
        if not add_project(doc, start, m.end(), "project-head"):
            # 白鹭集团|总部项目: what follows a company's name is no project alone, but the
            # company's headquarters is one; the name starts with the company's.
            owner = next((e for e in doc.mentions_of("Enterprise") if e.end == start and e.rule == "legal-head"), None)
            if owner is None or owner.name.endswith("公司") or \
                    not add_project(doc, owner.start, m.end(), "project-head"):
                continue
            start = owner.start
        pos = start
        while pos > 0 and text[pos - 1] == "、":
            item_start = left_start(doc, pos - 1, 28, allow_digits=True, extra_stops=_DESCRIBED_BY)
            if item_start >= pos - 1:
                break
            add_project(doc, item_start, pos - 1, "project-head-list")
            pos = item_start
    for m in _NAMED_PROJECT.finditer(text):
        # 项目名称:青湾智能家电产业园: what a profile calls the project is one, whatever its head.
        s, e = m.span("name")
        if (s, e) not in doc.claimed and not any(p.start == s and p.end == e for p in doc.mentions_of("Project")):
            doc.claimed[(s, e)] = "Project"
            doc.add_mention("Project", s, e, rule="named-project")
    for m in _NUMBERED_ITEM.finditer(text):
        # 2.青湾科技城创新中心二期:总投资6.5亿元 — a numbered line of a plan names its
        # project before the amount, whatever the name ends in.
        s, e = m.span("name")
        if not any(p.start <= s < p.end for p in doc.mentions_of("Project")) and \
                not any(x.start == s and x.end == e and x.type != "Project" for x in doc.mentions):
            add_project(doc, s, e, "numbered-project")
    for m in _INVESTED.finditer(text):
        if any(p.start == m.end() for p in doc.mentions_of("Project")):
            continue  # the project head already found this name, whole
        end = _name_after(doc, m.end())
        if end - m.end() >= 2:
            add_project(doc, m.end(), end, "invested")



# Areas that works are named by: 金岭新城|综合开发项目, 白桦湾片区|开发和配套建设项目.
_AREA = re.compile(r"(?:新城|片区|组团|新区)$")
# What is done to an area, besides the trades of sector_words.txt.
_WORKS_WORDS = frozenset("开发 建设 打造 改造 更新 城市更新 旧城 旧城改造 整治 盘活 治理 修复 提升 运营 保护 利用 资产 业态 城市 综合 "
                         "配套".split())


def _area_of_works(doc: Doc, start: int, head: int) -> int:
    """综合开发项目 alone names a kind of works; after the area it is done in (金岭新城, 江北区)
    it is one project, named with the area. Activities joined by 和 (旧城改造和城市更新) stay
    together. Returns the name's start, moved left over them, or ``start``."""
    text = doc.text
    toks = [(s, e) for s, e in doc.tokens(doc.sentence_at(head)) if e <= head]
    i, begin = len(toks), head
    while i > 0:  # the activities, read leftwards
        word = text[toks[i - 1][0]:toks[i - 1][1]]
        if word in _WORKS_WORDS or word in sector_words() or word in GENERIC_MODIFIERS or \
                (word in ("和", "与", "及") and begin < head):
            i -= 1
            begin = toks[i][0]
        else:
            break
    if begin == head or begin > start or text[begin] in "和与及":
        return start  # no activities, or the name read so far is longer than them
    area = _AREA.search(text, max(begin - 4, 0), begin)
    if area:
        area_start = left_start(doc, area.start(), 8)
        if area.start() - area_start >= 2:
            return area_start
    place = next((n for n in range(6, 1, -1) if begin >= n and (text[begin - n:begin] in places() or
                                                                 codes_named(text[begin - n:begin], full_only=True))), 0)
    if place and (begin == place or text[begin - place - 1] in "，,、：:；;（( \n" or text[begin - place - 1] in FUNCTION_CHARS):
        return begin - place
    return start


# A company's facility is one of its projects: 美国康宁特全自动生产基地, 法斯特北方基地,
# 中海油综合能源站, 华云合肥云计算大数据中心. Taken only when a company stands at the head
# of the name (a known enterprise or a brand with its place or country).
# (Narrower than names.FACILITY_HEAD, the heads of facilities a verb says are being built: with
# only a company before it, 中心 must say what kind it is, or every 服务中心 of a firm would be one.)
_FACILITY = re.compile(r"(?:生产|研发|制造|总部|产业化|物流|运营|结算|加工)?基地|(?:研发|数据|计算|运营|结算|物流|服务|检测)中心|"
                       r"区域总部|总部|能源站|超市|医院|物流城|配件城")


# What a facility does, two of which 与/和/及 may join inside its name (设计与生产基地).
_FUNCTIONS = ("研发", "生产", "制造", "销售", "加工", "仓储", "检测", "展示", "交易", "孵化", "产业化", "中试", "物流",
              "培训", "运营", "结算", "设计", "试验")


def _facility_start(doc: Doc, head_start: int, floor: int | None = None, inner_ok: frozenset[str] = frozenset()) -> int:
    """Where the name of a facility whose head begins at ``head_start`` starts."""
    text = doc.text
    start = left_start(doc, head_start, 28, allow_digits=True, compound_verbs=True, extra_stops=_DESCRIBED_BY,
                       floor=floor, inner_ok=inner_ok)
    if start >= 3 and text[start - 1] in "与和及" and text.startswith(_FUNCTIONS, start) and \
            text.endswith(_FUNCTIONS, 0, start - 1) and (floor is None or start - 1 > floor):
        # 抗体药物设计与|生产基地: 与 joins two of the facility's functions, inside its name
        start = left_start(doc, start - 1, 28, allow_digits=True, compound_verbs=True, extra_stops=_DESCRIBED_BY,
                           floor=floor, inner_ok=inner_ok)
    # A company with its country or place may hold words that end other names
    # (美国康宁|特|全自动生产基地): start at the country or place when one opens the clause.
    sent = doc.sentence_at(head_start)
    clause = doc.clause_start(head_start, "，,；;、：:")
    if floor is not None:
        clause = max(clause, floor)
    for s, _ in doc.tokens(sent):
        if clause <= s < start and head_start - s <= 16:
            company = _company_prefix(doc, s, head_start)
            # …but not across the clause's grammar (美国X也在区内设立了|研发中心: X sets it up)
            if company and not any(c in FUNCTION_CHARS for c in doc.text[company[1]:head_start]) and \
                    not _BUILDS_BEFORE.search(doc.text, company[1], head_start):
                return s
    # 美的集团|智能家电基地: 集团 ends a description before a name, but here it ends the
    # company whose facility this is.
    # Not before a 总部: 金穗集团|华东区域总部 may be the group's office acting, not a project.
    owner = next((c for c in doc.mentions_of("Enterprise") if c.end == start and c.start >= clause), None)
    return owner.start if owner is not None and not doc.text.startswith(("总部", "区域总部"), head_start) \
        else start


@component("facility-projects", RECOGNIZE + 5)
def recognize_facility_projects(doc: Doc) -> None:
    from kg.extract.extractors.company_lists import starts_with_place_or_country

    text = doc.text
    companies = sorted(doc.mentions_of("Enterprise"), key=lambda m: m.start)
    for m in _FACILITY.finditer(text):
        if text.startswith("项目", m.end()) or any(x.type in ("Project", "Park", "Zone") and x.start < m.end() <= x.end
                                                  for x in doc.mentions):
            continue  # …基地项目 is found by its 项目; a facility inside another name is not one
        if not any(m.start() - 28 <= c.start < m.start() for c in companies) and \
                not any(starts_with_place_or_country(text, i) for i in range(max(0, m.start() - 16), m.start())):
            continue  # no company and no place or country before it: no company's facility
        start = _facility_start(doc, m.start())
        if m.start() - start < 2:
            continue
        owner = next((c for c in companies if c.start == start and c.end < m.end()), None)
        if owner is None and _company_prefix(doc, start, m.start()) is None and not _built_by_someone(doc, start):
            continue  # (美国康宁公司在开发区设立|光纤预制棒生产基地: the company that builds it opens the clause)
        add_project(doc, start, m.end(), "facility")


# A facility the clause says is being built, opened or signed is a project even with no
# company before it: 远扬智能装备制造基地、金穗冷链物流中心相继开工建设; 建成投产了X生产线.
# The verb must follow the list of facilities (or open it), with nothing but adverbs between.
_UNDER_WAY = (r"(?:已|将|正式|顺利|相继|陆续|先后|全面|均|也|即将|已经|同时|目前|于[^，,。；;、]{1,10}?|正在|加快|"
              r"在" + ZONE_REFERENCE + r")*"
              r"(?:开工|动工|开建|奠基|投产|竣工|建成|签约|落地|落户|封顶|试运行|试生产|投入使用|投用|开业|启动|开园)")
_VERB_AFTER = re.compile(_UNDER_WAY)
_VERB_BEFORE = re.compile(r"开工|新建|建成|投产|竣工|签约|落地|落户|建设|推进|实施|启动")


def _facility_list(doc: Doc, clause_start: int, clause_end: int) -> tuple[list[tuple[int, int]], bool] | None:
    """The heads of the list of facilities that opens a clause, when the clause says they are
    under way, and whether the verb comes before them (建成投产了X生产线) rather than after."""
    text = doc.text
    heads = []
    pos = clause_start
    while True:
        m = FACILITY_HEAD.search(text, pos, clause_end)
        if m is None or "、" in text[pos:m.start()] or any(c in text[pos:m.start()] for c in "和及与"):
            return None
        heads.append((m.start(), m.end()))
        if text.startswith("、", m.end()):
            pos = m.end() + 1
            continue
        if text.startswith("和", m.end()) or text.startswith("及", m.end()):
            pos = m.end() + 1
            continue
        if _VERB_AFTER.match(text, m.end(), clause_end):
            return heads, False
        # 建成投产了X生产线: the verb opens the list, the last facility ends the clause
        if re.match(r"\s*(?:等|(?:的|项目)?建设|项目)?\s*$", text[m.end():clause_end]):
            return heads, True
        return None


def _names_one(doc: Doc, start: int, head_start: int) -> bool:
    """Whether the words before a facility's head make it one facility (云岫食品|加工厂),
    not a kind of facility (孵化|基地): three characters or more, or a rare word."""
    if head_start - start >= 3:
        return True
    words = [doc.text[max(s, start):min(e, head_start)] for s, e in doc.tokens(doc.sentence_at(start))
             if e > start and s < head_start]
    return head_start - start == 2 and any(is_rare_word(w) for w in words)


@component("facility-under-way", RECOGNIZE + 5)
def recognize_facilities_under_way(doc: Doc) -> None:
    text = doc.text
    done = set()
    for m in FACILITY_HEAD.finditer(text):
        if m.start() in done:
            continue
        clause_start = doc.clause_start(m.start(), "，,；;：:")
        clause_end = doc.clause_end(m.end())
        first = max(clause_start, text.rfind("、", clause_start, m.start()) + 1)
        if first != clause_start:
            continue  # not the list's first item: found with the first
        found = _facility_list(doc, clause_start, clause_end)
        if found is None:
            continue
        heads, verb_first = found
        floor = clause_start
        for hs, he in heads:
            done.add(hs)
            if text.startswith("项目", he) or any(x.type in ("Project", "Park", "Zone") and x.start < he <= x.end
                                                  for x in doc.mentions):
                floor = he + 1
                continue
            start = _facility_start(doc, hs, floor, inner_ok=_INSIDE_PROJECT_NAMES)
            if verb_first and floor == clause_start and not any(
                    not re.search(r"成为|为|后|是", text[v.end():start]) for v in _VERB_BEFORE.finditer(text, clause_start, start)):
                break  # no verb before the first name says the facilities are being built (建成后将成为…基地 does not)
            if _names_one(doc, start, hs):
                add_project(doc, start, he, "facility-under-way")
            floor = he + 1


# Descriptions of a company before its name end a project's name (领军企业|卢森堡埃维…).
# Another project's head ends a name too: rows of a table run together (…电池项目|12|2|X项目).
_DESCRIBED_BY = frozenset("企业 龙头企业 领军企业 知名企业 公司 集团 品牌 巨头 强 项目".split())


@component("project-phases", RECOGNIZE + 5)
def recognize_project_phases(doc: Doc) -> None:
    """中国声谷产业园二期: a phase of a park or project is a project of its own."""
    for m in _PHASE.finditer(doc.text):
        base = [x for x in doc.mentions if x.end == m.start() and x.type in ("Park", "Project")]
        if base:
            add_project(doc, base[0].start, m.end(), "phase")


# X投资建设的P, X新建的P: the company before the verb builds the project after it.
# X投资5亿元(建设)的|P: the amount a company named before pays for the project after (anchored
# at the search's end, where the project starts).
PAID_TO_BUILD = re.compile(r"(?:将|拟|计划)?(?:总)?投资[^，,。；;的]{1,12}?(?:元(?:人民币)?|[0-9]亿)(?:建设|新建|兴建|打造|实施)?的$")
BUILT_BY = re.compile(r"(?:合作)?(?:投资建设|合作建设|投资兴建|投资|新建|兴建|建设|开发|打造|实施|承建|筹建)的")


@component("nested-projects", RECOGNIZE + 5)
def drop_nested_projects(doc: Doc) -> None:
    """One place, one project: a project found inside a longer project's name that ends
    where it ends (可降解材料项目 inside 20万吨/年生物基可降解材料项目, which a list gave
    whole) is that project read from a later start, not another one."""
    projects = [m for m in doc.mentions if m.type == "Project"]
    first: dict[int, int] = {}
    for m in projects:
        first[m.end] = min(first.get(m.end, m.start), m.start)
    inner = {id(m) for m in projects if first[m.end] < m.start}
    if inner:
        doc.mentions = [m for m in doc.mentions if id(m) not in inner]


@component("zones-inside-projects", RECOGNIZE + 5)
def drop_zones_inside_projects(doc: Doc) -> None:
    """二期先行区出口加工区项目: a zone's head that 项目 follows, inside a longer project's
    name, is a part of the works the project builds, not a zone of its own."""
    projects = [p for p in doc.mentions_of("Project") if doc.text.endswith("项目", 0, p.end)]
    inner = {id(z) for z in doc.mentions_of("Zone") if doc.text.startswith("项目", z.end) and
             any(p.start < z.start and z.end + len("项目") == p.end for p in projects)}
    if inner:
        doc.mentions = [m for m in doc.mentions if id(m) not in inner]


@component("project-brands", RECOGNIZE + 6)
def recognize_project_brands(doc: Doc) -> None:
    """The enterprise a project's name starts with: 宏途|山药食品产业园, 碧桂园·芙蓉台."""
    enterprises = {m.name for m in doc.mentions_of("Enterprise")}
    ends = {m.end for m in doc.mentions_of("Enterprise")}
    localities = {z.name[:n] for z in doc.mentions_of("Zone") for n in (2, 3) if len(z.name) > n + 2}
    bases = {b for m in doc.mentions_of("Enterprise") if m.rule == "legal-head" and len(b := brand_base(m.name)) >= 2
             and b != m.name}
    for p in list(doc.mentions_of("Project")):
        name = p.name
        _cut_product_trade(doc, p, enterprises)
        built = BUILT_BY.search(doc.text, max(p.start - 8, 0), p.start)
        if built and built.end() == p.start and built.start() in ends:
            continue  # 瑞川药业新建的|原料药…项目: its company is named before it, not in it
        paid = PAID_TO_BUILD.search(doc.text, max(p.start - 24, 0), p.start)
        if paid and paid.end() == p.start and paid.start() in ends:
            continue  # 凯顺新材料公司投资5亿元建设的|改性塑料项目: likewise, with the amount between
        if any(name.startswith(e) for e in enterprises) or any(name.startswith(b) for b in bases):
            continue  # operatedBy will link it; the enterprise is already known (蓝科 of 广州蓝科集团)
        local = _before_locality(doc, p, localities)
        if local is not None:
            doc.add_mention("Enterprise", p.start, p.start + local, rule="brand-before-locality")
            enterprises.add(name[:local])
            continue
        if _BUILDING.search(name.removesuffix("项目")) and "·" not in name:
            continue
        spec = _SPEC.search(doc.text, p.start + 2, p.end)
        if spec and p.name == doc.text[p.start:p.end]:
            # 青海东部镁业|年产2万吨…项目, 宏能源|50MW光伏储能项目: the name before the
            # capacity is the company's.
            from kg.extract.extractors.company_lists import company_shape

            owner = doc.text[p.start:spec.start()]
            if company_shape(owner) or owner.endswith(LEGAL_HEADS):
                doc.add_mention("Enterprise", p.start, spec.start(), rule="project-owner")
                enterprises.add(owner)
                continue
        if "·" in name:
            developer = name.split("·", 1)[0]
            if len(developer) >= 2:
                doc.add_mention("Enterprise", p.start, p.start + len(developer), rule="project-developer")
            continue
        span = _company_prefix(doc, p.start, p.end) or brand_prefix(doc, p.start, p.end) or \
            _brand_with_tail(doc, p.start, p.end)
        before_place = span is None
        if before_place:
            span = _brand_before_place(doc, p.start, p.end)
        if span is None:
            continue
        s, e = span
        # Company words right after the brand belong to it: 鼎华|科技, 创世|电机, 万邦|国际.
        for head in _BRAND_TAILS:
            if text_at(doc, e, head) and not text_at(doc, e + len(head), ("园", "城")) and \
                    not _opens_trade(doc.text, e, head, p.end) and \
                    not (head in _PRODUCT_TRADES and not text_at(doc, e + len(head), "项目")):
                e += len(head)
                break
        brand = doc.text[s:e]
        rest = doc.text[e:p.end]
        # 恒盛|科技园, 荣兴|鹤壁科技产业园: nothing between the brand and the head but
        # a place or the head itself, so the "brand" is the park's own name.
        if PARK_HEAD.match(rest) or re.match(r"(科技|产业|工业)?园", rest) or \
                (place_prefix(rest) and not before_place) or \
                (before_place and _HEAD_ONLY_AFTER_PLACE.match(rest[len(place_prefix(rest)):])):
            continue
        if brand in places() or brand in stopwords() or len(brand) < 2 or _INSTITUTE.search(brand) or \
                _COUNT_OF_KINDS.match(brand) or \
                brand.endswith(("区", "县", "镇", "乡", "村", "市", "省", "新城", "组团")) or _local_division(doc, brand) or \
                _PROVINCE_PART.fullmatch(brand) or _named_as_place(doc, brand):
            continue
        doc.add_mention("Enterprise", s, e, rule="project-brand")
        enterprises.add(brand)


# Trades that name what a plant makes, not the company, when a project's name goes on after
# them: 沃岚|汽车内饰生产项目 is 沃岚's (as 无锡长盛|树脂生产项目 is 无锡长盛's), although 沃岚汽车
# alone, in a company's place in a sentence, is a company's name.
_PRODUCT_TRADES = ("汽车",)


def _cut_product_trade(doc: Doc, p, enterprises: set[str]) -> None:
    """The company read at the head of project ``p`` as brand + a product trade
    (brand-industry's 沃岚汽车 in 沃岚汽车内饰生产项目) is the brand alone when the project's
    name goes on past 项目's place: the trade is the product's."""
    for m in list(doc.mentions_of("Enterprise")):
        if m.start != p.start or m.rule != "brand-industry" or not m.name.endswith(_PRODUCT_TRADES):
            continue
        cut = m.end - len(next(t for t in _PRODUCT_TRADES if m.name.endswith(t)))
        if cut - m.start < 2 or p.end - m.end <= len("项目") or doc.text.startswith("项目", m.end):
            continue
        doc.mentions.remove(m)
        enterprises.discard(m.name)
        doc.add_mention("Enterprise", m.start, cut, rule="project-brand")
        enterprises.add(doc.text[m.start:cut])


_PARK_AFTER_PLACE = re.compile(r"(?:科技|产业|工业|经济|高新)*(?:园区|园|基地|小镇)(?:项目)?$")


# 七大|石化产业基地之一, 三大|园区: a count of the kinds, no brand.
_COUNT_OF_KINDS = re.compile(r"[一二三四五六七八九十两百千]+大")


# Research bodies and schools are no companies: 中科院|西安光机所…, X大学|科技园.
_INSTITUTE = re.compile(r"大学|学院|研究|科学院|中科院|社科院|工程院|[所院校]$")


# 豫北, 苏南, 皖江, 川西北: part of a province by its one-character short form, a region
# (not 京: a two-character 京X names a well-known company as often as a part of Beijing).
_PROVINCE_PART = re.compile(f"[{PROVINCE_SHORTS}][东南西北中]{{1,2}}|皖江|苏中")


# Heads that make the word before them a place: X口岸, X镇, X街道, X片区.
_PLACE_HEADS = ("口岸", "镇", "乡", "村", "街道", "片区", "社区", "港区")


def _named_as_place(doc: Doc, name: str) -> bool:
    """岚格图|边贸商品加工产业园 in an article that also writes 岚格图口岸: a word the article
    itself puts before a place's head is that place, not a company."""
    i = doc.text.find(name)
    while i >= 0:
        if doc.text.startswith(_PLACE_HEADS, i + len(name)):
            return True
        i = doc.text.find(name, i + 1)
    return False


def _local_division(doc: Doc, name: str) -> bool:
    """殷都|智慧物流园 in an article on 安阳: a county's short name, in an article that names
    the city or province it lies in, is the place the project is in, not a brand."""
    for code in codes_named(name):
        division = divisions()[code]
        if division.level == "county" and name == division.short and any(
                n in doc.text for a in ancestors(code) for n in {divisions()[a].name, divisions()[a].short}
                if len(n) >= 2):
            return True
    return False


def _before_locality(doc: Doc, p, localities: set[str]) -> int | None:
    """宁德时代|西岭|基地项目 in 西岭经开区: a company names its plant after the zone's
    locality, so what stands before the locality is the company (its length)."""
    if p.name != doc.text[p.start:p.end]:
        return None
    for i in range(2, min(len(p.name) - 3, 10)):
        # After a place, a park's head alone makes the name the park's own (荣兴|鹤壁|科技产业园).
        if any(p.name.startswith(loc, i) and len(p.name) - i - len(loc) >= 2 and
               not (loc in places() and _PARK_AFTER_PLACE.match(p.name, i + len(loc))) for loc in localities):
            owner = p.name[:i]
            if owner in places() or owner in stopwords() or owner in industry_words() or is_generic_prefix(owner) or \
                    re.search(r"[0-9年产]|大学|学院|研究", owner) or any(owner.startswith(loc) for loc in localities):
                return None
            return i
    return None


def _company_prefix(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """A company with its place or country at the head of a project's name:
    德国艾克斯|汽车零部件研发总部项目, 新加坡丰益嘉禾|油品系列生产项目, 宁德恒翔|…"""
    from kg.extract.extractors.company_lists import company_shape, starts_with_place_or_country

    if not starts_with_place_or_country(doc.text, start):
        return None  # the common case, decided without segmenting
    best = None
    for s, e in doc.tokens(doc.sentence_at(start)):
        if e <= start:
            continue
        if e >= end or e - start > 10 or starts_region(doc, s):
            break  # 深圳X|粤西…: a region after the company is where its project serves
        if company_shape(doc.text[start:e]) == 2 and (doc.text[start:e][:2] in countries() or
                                                      doc.text[start:e][:3] in countries() or
                                                      place_prefix(doc.text[start:e])):
            best = (start, e)
    return best


# Where a project's name turns to its capacity: 年产2万吨, 100MW, 30万吨.
_SPEC = re.compile(r"年产|年加工|年处理|年出栏|[0-9]")
_BRAND_TAILS = ("科技", "电机", "电梯", "速递", "国际", "药业", "制药", "电气", "集团", "股份", "生物", "食品", "物流",
                "汽车", "光电", "电子", "重工", "控股",
                # X业 names a company, never what a plant makes: 青松鞋业|智能化改造项目
                "鞋业", "纸业", "茶业", "木业", "竹业", "塑业", "乳业", "酒业", "米业", "面业", "糖业", "矿业", "铝业",
                "铜业", "镁业", "锂业", "化工", "机械")


def _opens_trade(text: str, pos: int, tail: str, end: int) -> bool:
    """华锐|汽车零部件生产项目: the company word opens a longer trade (汽车零部件, 生物医药),
    so it is the product's, not the company's."""
    return any(w != tail and w.startswith(tail) and text.startswith(w, pos) and pos + len(w) < end
               for w in _trades_starting(tail))


@lru_cache(maxsize=None)
def _trades_starting(tail: str) -> tuple[str, ...]:
    return tuple(w for w in industry_words() if w.startswith(tail) and w != tail)


_TAIL_RE = re.compile(r"([\u4e00-\u9fff]{2,3}?)(" + "|".join(_BRAND_TAILS) + ")")


def _brand_with_tail(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """创世电机镁合金发电机 → 创世 (the tail is added by the caller): a short name right
    before a company word, where jieba's tags do not mark the name as rare."""
    m = _TAIL_RE.match(doc.text, start, end)
    if not m or m.end() >= end or doc.text.startswith("园", m.end()):
        return None
    name = m.group(1)
    if name in industry_words() or place_prefix(name) or any(c in FUNCTION_CHARS for c in name) or \
            is_boundary_word(name) or not (is_rare_word(name) or not word_frequency(name)):
        return None  # 消费|电子: a common word before the tail is a product, not a brand
    return m.start(1), m.end(1)


def text_at(doc: Doc, pos: int, s: str) -> bool:
    return doc.text.startswith(s, pos)


# Where a company puts a facility: a region of the country, after the company's name
# (X北方基地, X西南区域总部, X华东总部).
_REGIONS = ("北方", "南方", "华北", "华东", "华南", "华中", "西南", "西北", "东北", "中国", "全国")


# 荣兴|鹤壁|科技产业园: after the place only a park's head, so the name is the park's own.
_HEAD_ONLY_AFTER_PLACE = re.compile(r"(?:科技|产业|工业|经济)?(?:园区|园|基地|小镇)(?:项目)?$")


def _brand_before_place(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """潮汐|长沙|智能仓储中心, 雅韵地产|长沙|研发基地, 博伦|北方|基地: a short name before a
    place or a region at the head of a project's name is the company that builds there
    (a project is named company, place, facility). The name must not be a place, a trade or
    a word of the clause itself."""
    toks = [(max(s, start), e) for s, e in doc.tokens(doc.sentence_at(start)) if e > start and s < end]
    pos = start
    for s, e in toks[:3]:
        word = doc.text[s:e]
        if not re.fullmatch(r"[\u3400-\u9fffA-Za-z]+", word) or word in industry_words() or \
                word in stopwords() or is_boundary_word(word) or word in places() or word in countries():
            return None
        pos = e
        if not 2 <= pos - start <= 5:
            continue
        rest = doc.text[pos:end]
        if not (place_prefix(rest) or rest.startswith(_REGIONS)) or len(rest) - len(place_prefix(rest)) < 2:
            continue
        name = doc.text[start:pos]
        if place_prefix(name) or is_generic_prefix(name) or name in GENERIC_MODIFIERS or \
                name in sector_words() or any(c in FUNCTION_CHARS for c in name[:1]) or \
                name.endswith(("区", "县", "镇", "乡", "村", "市", "省", "州")):
            return None
        return start, pos
    return None
