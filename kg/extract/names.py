"""Finding where a name starts, and whether it is a name at all.

Chinese names of zones, parks, enterprises and projects end in a recognisable head
(经济技术开发区, 产业园, 有限公司, 项目) but have no marked start. A name starts after
the last function word, verb, punctuation mark or quantity before its head; these
helpers walk jieba tokens leftwards from the head to find that point.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import itemgetter

from kg.extract.document import Doc
from kg.extract.lexicon import (
    industry_words,
    is_boundary_word,
    is_policy_phrase,
    places,
    sector_words,
    segment,
    stopwords,
    word_frequency,
    word_tag,
    words_of,
)

_WORDISH = re.compile(r"^[\u3400-\u9fffA-Za-z0-9·\-]+$")
_DIGITS = re.compile(r"^[0-9.]+$")
_HAS_DIGIT = re.compile(r"[0-9]")
_IDEOGRAPHS = re.compile(r"^[\u3400-\u9fff]+$")
_QUANTITY = re.compile(r"^([0-9.]+|[一二三四五六七八九十两几百千万]+)(个|家|项|批|条|栋|座|类|大|期)?$")
# A zone head inside a name ends it: 经开区智能电梯产业链…项目 starts after 经开区.
_ZONE_WORDS = ("开发区", "经开区", "高新区", "示范区", "集聚区", "中心区", "保税区", "合作区", "全区", "该区",
               "新区", "试验区", "综保区", "保税港区")
QUOTES = "“”\"'‘’「」『』《》"
# Single characters that are always grammar, never part of a name.
FUNCTION_CHARS = frozenset("的了在与和及或由从向对把被将为是于以之等并而且也都就又还仅只其该这那每各更多很最较太再有则即亦乃暨")
# Grammar characters jieba glues onto an unknown name that follows (使西继|迅达).
_GLUE_CHARS = FUNCTION_CHARS | frozenset("使让令给如内")  # 如|星澜: "such as" glued to a name; 园区|内恒岳: "within"
# Units and dates that follow a number (3月15日, 3家, 5个); glued to a name after them.
_UNIT_CHARS = frozenset("年月日号个家项批期座栋条")


# The word and name predicates below depend only on the lexicons, which are fixed
# for the process, and are asked about the same few thousand words again and again:
# they are memoised (bounded, so that a long build does not grow without limit).
_MEMO = 1 << 16


@lru_cache(maxsize=_MEMO)
def _rare_non_verb(word: str) -> bool:
    """A rare dictionary word that is not a verb is more likely a name than grammar (同方, 快意)."""
    if word in stopwords() or is_policy_phrase(word):
        return False
    tag = word_tag(word) or ""
    if tag.startswith("m") and not _QUANTITY.match(word):
        tag = "n"  # 一峰: a rare word that only starts with a numeral
    # (a rare time word too: 初秋 of 湖南初秋钒钛 is tagged t, though it is no time there)
    return 0 < word_frequency(word) < 120 and tag.startswith(("n", "a", "d", "f", "b", "t"))


_token_start, _token_end = itemgetter(0), itemgetter(1)


def _lone_name_char(token: str) -> bool:
    """A single Chinese character that is no grammar word: the start of a brand jieba cut up."""
    return len(token) == 1 and "\u4e00" <= token <= "\u9fff" and token not in FUNCTION_CHARS and \
        token not in stopwords()


_DECIMAL = re.compile(r"\d+(?:\.\d+)+")
_FACILITY_CHARS = frozenset("站港厂馆库仓楼")
# What a project is built of, counted (12个单体建筑, 3个标段): a count of these is no count of projects.
PROJECT_PARTS = "单体|建筑|子项|厂房|车间|标段|楼"
_AREA_CHARS = frozenset("区园县市镇乡村")


def left_start(doc: Doc, head_start: int, max_chars: int, *, allow_digits: bool = False,
               floor: int | None = None, extra_stops: frozenset[str] = frozenset(),
               inner_ok: frozenset[str] = frozenset(), compound_verbs: bool = False) -> int:
    """Where the name whose head begins at ``head_start`` starts.

    Walks the sentence's tokens leftwards, taking tokens until a boundary: a stop
    word, a word whose dictionary tag is a verb, preposition, adverb …, punctuation,
    a quantity (unless ``allow_digits``), a zone head, or ``max_chars`` reached.
    ``floor`` is a position the name may not cross; ``extra_stops`` are more words
    that end it (企业 before a company name); ``inner_ok`` words never end it.
    With ``compound_verbs`` (project names), a verb right after an industry word or
    noun stays in the name: 工业|互联, 机械|输送|设备.
    """
    sent = doc.sentence_at(head_start)
    lower = max(sent.start, floor if floor is not None else sent.start)
    # The tokens between ``lower`` and the head (the last one cut at the head). They
    # tile the sentence in order, so both ends are found by bisection.
    sent_toks = doc.tokens(sent)
    toks = sent_toks[bisect_right(sent_toks, lower, key=_token_end):bisect_left(sent_toks, head_start, key=_token_start)]
    if toks and toks[-1][1] > head_start:
        toks[-1] = (toks[-1][0], head_start)
    start = head_start
    prev = ""
    i = len(toks)
    while i > 0:
        i -= 1
        s, e = toks[i]
        s = max(s, lower)
        word = doc.text[s:e]
        if head_start - s > max_chars:
            break
        if word in inner_ok:
            start, prev = s, word
            continue
        if word == "·" and prev:  # 碧桂园·芙蓉台
            start, prev = s, word
            continue
        if word == "/" and allow_digits and (prev[:1].isdigit() or prev == "年") and i > 0 and \
                doc.text[toks[i - 1][1] - 1:toks[i - 1][1]].isalnum():
            start, prev = s, word  # 100MW/200MWh, 120万吨/年: a capacity in two units, or per year
            continue
        if allow_digits and _DECIMAL.fullmatch(word):
            start, prev = s, word  # 年产19.4万套: a decimal number is one quantity token
            continue
        if word == ")":
            # 控股(集团)有限公司: a short parenthesis inside a name is part of it.
            opening = doc.text.rfind("(", max(lower, s - 6), s)
            if opening >= 0 and re.fullmatch(r"\([\u3400-\u9fff]{1,4}\)", doc.text[opening:e]):
                while i > 0 and toks[i - 1][0] >= opening:
                    i -= 1  # step over the tokens inside the parenthesis
                start, prev = opening, "("
                continue
        # (a describing word right before a parenthesis is the name's own: 机械品牌(东北)总部项目)
        if not _WORDISH.match(word) or word.startswith("·") or word.endswith(_ZONE_WORDS) or \
                (word in extra_stops and prev != "("):
            break
        if allow_digits and (_HAS_DIGIT.search(word) or (prev and _HAS_DIGIT.search(prev)) or
                             (i > 0 and _HAS_DIGIT.search(doc.text[toks[i - 1][0]:toks[i - 1][1]]))) and \
                (_HAS_DIGIT.search(word) or (word_tag(word) or "").startswith(("m", "q"))):
            # 年产5000万平米: numbers and their units inside a project's name.
            start, prev = s, word
            continue
        if _QUANTITY.match(word) and not allow_digits:
            break
        if len(word) == 1 and not allow_digits and i > 0 and _HAS_DIGIT.search(doc.text[toks[i - 1][0]:toks[i - 1][1]]):
            break  # 3月15日|龙泉高新区: a unit or date character after a number ends a name
        after_number = i > 0 and _HAS_DIGIT.search(doc.text[toks[i - 1][0]:toks[i - 1][1]]) and not allow_digits
        if len(word) > 1 and word_frequency(word) == 0 and after_number and word[0] in _UNIT_CHARS:
            start = s + 1  # 21|日中北|高新区: the date's 日 glued to the name after it
            break
        if len(word) > 1 and word_frequency(word) == 0 and word[0] in _GLUE_CHARS and word[1:] not in stopwords():
            # jieba glued a function word to an unknown name (使西继|迅达): split it off.
            start = s + 1
            break
        if word == "和" and prev and i > 0 and _lone_name_char(doc.text[toks[i - 1][0]:toks[i - 1][1]]) and \
                not doc.text.endswith(("园", "区"), 0, s):  # 临港化工园|和|保税物流园: two parks
            # 鼎|和|科技有限公司, 中|和|…: jieba cuts a brand ending in 和 after a lone
            # character; a conjunction joins two words, not a lone character to a name.
            start, prev = s, word
            continue
        if len(word) == 1 and word not in FUNCTION_CHARS:
            left = doc.text[toks[i - 1][0]:toks[i - 1][1]] if i > 0 else ""
            # Lone characters next to a rare word or to each other are a name jieba
            # could not split (利锐|特|电气, 中国|安|能|集团).
            # A verb right before the head is the clause's verb (抢天夺时|建|项目); further
            # in, after a rare word, it is part of the name (海能|达|军工).
            after_rare = left and is_rare_word(left) and (bool(prev) or not (word_tag(word) or "").startswith("v"))
            # A stop word opening the clause is grammar, not a name's first character (,|经|云岭).
            opens_clause = len(left) == 1 and not _WORDISH.match(left) and word in stopwords()
            if not opens_clause and ((after_rare or len(left) == 1) and left not in FUNCTION_CHARS or
                                     (prev and len(prev) == 1)):
                start, prev = s, word
                continue
            # A measure-like character after a noun ends a name (芙蓉|台, 精密|件), it does
            # not start a new phrase.
            # So does a facility's one-character head (综合|能源|站, 冷链|仓储|库).
            if not prev and ((word_tag(word) or "").startswith(("q", "zg", "ng")) or word in _FACILITY_CHARS) and left and \
                    ((word_tag(left) or "n").startswith(("n", "a")) or word_tag(left) == "vn"):  # 测试|场
                start, prev = s, word
                continue
        if is_boundary_word(word) and not _rare_non_verb(word):
            left = doc.text[toks[i - 1][0]:toks[i - 1][1]] if i > 0 else ""
            # Frequent verbs (解决, 推进) are the clause's own, not part of a name.
            # (经开区|下设|光机电产业园: after a zone the verb is the zone's predicate)
            after_noun = bool(left) and not left.endswith(_ZONE_WORDS) and (
                left in industry_words() or (word_tag(left) or "").startswith("n") or
                is_rare_word(left))  # 家乐|超市|项目: a brand, then the facility
            # 油品|系列|生产项目: a measure word after a noun classifies the product.
            measure = compound_verbs and prev and (word_tag(word) or "").startswith("q") and len(word) > 1
            if not (compound_verbs and (word_tag(word) or "").startswith("v") and word not in stopwords()
                    and word_frequency(word) < 3000 and after_noun) and not (measure and after_noun):
                break
        if word.startswith("的"):
            break
        start, prev = s, word
    return start


def strip_quotes(name: str) -> str:
    return name.strip(QUOTES + " ")


_GENERIC_PREFIXES = ("上述", "相关", "有关", "一批", "一个", "多个")
# Demonstratives and scope words (本次, 该, 全市, 各类, 我区 …) start with one of these
# characters; a name may too (本源量子, 本田, 全聚德), so the character counts only when
# it is a word of its own or the start of such a word.
_GENERIC_CHARS = frozenset("本该全各我此这那其某")
_SCOPE_ENDINGS = frozenset("市区省县国镇乡地球力新大体部类级次届批项个家些")
# Modifiers that make a chain or cluster generic ("优势产业集群", "重点产业链").
GENERIC_MODIFIERS = frozenset(
    "优势 主导 重点 特色 新兴 战略性新兴 高新技术 传统 支柱 龙头 全 整个 上下游 相关 各类 各 多个 "
    "一批 一条 两 三 四 五 大 好 新 强 现代化 高端 完整 区域 地方 当地 本地 本区 全区 全市 全省 全国 "
    "先进制造业 制造业 产业 企业 创新型企业 中小企业 上 下 中 骨干 重大 亿元以上 省 市 县 区 国家 省级 市级 "
    "国家级 首批 第一批 若干 供应链 创新 新型".split()
)


# One-word descriptions of companies (jieba keeps 龙头企业 whole): they come before a name, never
# inside one, and so end it when it is read leftwards (龙头企业|江西华芯电子有限公司).
COMPANY_DESCRIPTIONS = frozenset("龙头企业 骨干企业 重点企业 知名企业 领军企业 头部企业 链主企业 规上企业 外资企业 "
                                 "民营企业 国有企业 上市公司".split())


# What a facility's name ends in (远扬冷链物流中心, 云岫食品加工厂): the heads of the
# facilities that reports count as projects when they are being built.
FACILITY_HEAD = re.compile(r"(?:生产|研发|制造|总部|产业化|物流|运营|结算|加工)?基地|中心|(?:区域)?总部|"
                           r"生产线|加工厂|工厂|能源站|医院|物流园")


def is_facility_kind(name: str) -> bool:
    """产业化基地, 数据中心, 生产线: a kind of facility, naming none."""
    return FACILITY_HEAD.fullmatch(name.removesuffix("项目")) is not None


@lru_cache(maxsize=_MEMO)
def is_generic_prefix(prefix: str) -> bool:
    """True when the part of a name before its head says nothing specific."""
    p = strip_quotes(prefix)
    if len(p) < 2:
        return True
    if p in GENERIC_MODIFIERS or p.startswith(_GENERIC_PREFIXES):
        return True
    if p[0] in _GENERIC_CHARS:
        first = segment(p)[0]
        if len(first) == 1 or (word_tag(first) or "").startswith("r") or first[1] in _SCOPE_ENDINGS:
            return True
    if _QUANTITY.match(p) or _DIGITS.match(p):
        return True
    return False


@lru_cache(maxsize=_MEMO)
def place_prefix(name: str) -> str:
    """The place name a name starts with (许昌 of 许昌富森生物科技…), or ''."""
    best = ""
    table = places()
    for n in range(2, min(len(name), 9) + 1):
        if name[:n] in table:
            best = name[:n]
    return best


@lru_cache(maxsize=_MEMO)
def is_rare_word(word: str) -> bool:
    """Words jieba barely knows are likely brand names (宏途, 卫龙, 航盛).

    Dictionary phrases of four or more characters (大力发展, 资金周转) and verbs or
    idioms are ordinary language however rare, never a brand.
    """
    if word in industry_words() or word in stopwords() or not _IDEOGRAPHS.match(word) or word in places():
        return False
    if len(word) == 2 and word[0] in _AREA_CHARS and word[1] in FUNCTION_CHARS:
        return False  # 集聚|区以|食品: jieba glued an area's 区 to the 以 after it, no brand
    freq = word_frequency(word)
    if freq == 0:
        return True
    tag = word_tag(word) or ""
    return freq < 120 and len(word) <= 3 and not tag.startswith(("v", "l", "i", "u", "p", "c", "q"))


def brand_prefix(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The brand a project or park name starts with: 宏途|山药食品产业园 → 宏途.

    A brand is a run of rare tokens (words jieba does not know or barely knows) at
    the start of the name, optionally after a place (上海|航盛), up to the first
    common industry or product word. No brand when the name starts with an
    industry word (电子产业园) or is only a place and industry words (深圳电子工业园).
    """
    sent = doc.sentence_at(start)
    # A word jieba ran across the name's start (开工了|琪翔 read as 了琪翔) counts from the start.
    toks = _merge_lone_chars(doc, [(max(s, start), e) for s, e in doc.tokens(sent) if e > start and e <= end])
    if not toks:
        return None
    i = 0
    b_start = toks[0][0]
    if doc.text[toks[0][0]:toks[0][1]] in places() and len(toks) > 1:
        i = 1  # 上海航盛: the place is part of the enterprise's name
    toks = _glue_leading_char(doc, toks, i)
    j = i
    while j < len(toks):
        word = doc.text[toks[j][0]:toks[j][1]]
        # Brands are short: 瑞维思|减水剂 stops after the brand.
        if j > i and toks[j][1] - toks[i][0] > 4:
            break
        if word in places() or not _IDEOGRAPHS.match(word) or (len(word) == 1 and starts_region(doc, toks[j][0])):
            break
        # After a rare first word, a common noun that is no industry word still belongs
        # to the brand (盐津|铺子|烘焙); an industry word starts the description.
        continues = j > i and word not in industry_words() and word not in stopwords() and \
            (word_tag(word) or "n").startswith("n") and word_frequency(word) < 1000
        if not (is_rare_word(word) or continues):
            break
        j += 1
    if j == i:
        return None
    b_end = toks[j - 1][1]
    brand = doc.text[toks[i][0]:b_end]
    # Single characters that jieba could not place are not a brand on their own.
    if len(brand) < 2 or b_end >= end:
        return None
    return b_start, b_end


def _glue_leading_char(doc: Doc, toks: list[tuple[int, int]], i: int) -> list[tuple[int, int]]:
    """A brand's first character that jieba cut off as a common noun (X|星澜, X|岭峰): glued
    to the rare word after it, where together they are no dictionary word."""
    if len(toks) < i + 2:
        return toks
    (s, e), (s2, e2) = toks[i], toks[i + 1]
    char, word = doc.text[s:e], doc.text[s2:e2]
    if e - s != 1 or not 2 <= e2 - s2 <= 3 or char in FUNCTION_CHARS or char in GENERIC_MODIFIERS or \
            char in industry_words() or char in places() or not _IDEOGRAPHS.match(char) or \
            not (word_tag(char) or "").startswith("n") or not is_rare_word(word) or word_frequency(char + word):
        return toks
    return toks[:i] + [(s, e2)] + toks[i + 2:]


# The one-character short names of the provinces: with a direction after them they name a
# region (粤西, 豫北, 川西北), which ends a brand before it.
PROVINCE_SHORTS = "津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新"


def starts_region(doc: Doc, pos: int) -> bool:
    """A lone province character at ``pos`` that a direction follows (粤|西)."""
    return doc.text[pos:pos + 1] in PROVINCE_SHORTS and doc.text[pos + 1:pos + 2] in ("东", "南", "西", "北", "中")


def _name_char_at(doc: Doc, pos: int) -> bool:
    """Whether the one character at ``pos`` could be part of a name: an ideograph that is no
    grammar word, industry word, place or province of a region."""
    char = doc.text[pos:pos + 1]
    return bool(_IDEOGRAPHS.match(char)) and char not in FUNCTION_CHARS and char not in industry_words() and \
        char not in places() and char not in GENERIC_MODIFIERS and not starts_region(doc, pos)


def _merge_lone_chars(doc: Doc, toks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Glue a lone character to the word before it when together they are no dictionary
    word: jieba splits unknown names like 华中|星 and 海能|达."""
    out: list[tuple[int, int]] = []
    for s, e in toks:
        word = doc.text[s:e]
        if out and e - s == 1 and word not in FUNCTION_CHARS and word not in industry_words() and \
                not starts_region(doc, s):
            ps, pe = out[-1]
            prev = doc.text[ps:pe]
            if 1 < len(prev) <= 3 and _WORDISH.match(prev) and not word_frequency(prev + word) and prev not in places():
                out[-1] = (ps, e)
                continue
            # Two lone characters that make no word together: jieba cut an unknown
            # two-character name into its characters (鑫|浩, 璟|丰).
            if pe - ps == 1 and _name_char_at(doc, ps) and _name_char_at(doc, s) and \
                    not word_frequency(prev + word):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


# The last word of a concrete facility or product: what makes a project out of common
# words (人才大厦, 党建主题公园, 蔗叶饲料加工厂), unlike an activity (石油化工, 污水处理).
FACILITY_ENDINGS = ("设施", "大厦", "大楼", "中心", "基地", "园", "公园", "馆", "宫", "厂", "站", "港", "城", "线", "楼",
                    "场", "院", "库", "仓", "街", "桥", "综合体", "工程", "平台", "总部", "小镇", "片区")
# A count or a threshold in a name (5000万元以上项目, 217个产业项目) makes it a number of
# projects, never one.
_COUNTED = re.compile(r"[0-9一二三四五六七八九十两百千万]+余?(?:个|家|项|批)|以上|以下|左右|余个|^[一二三四五六七八九十两]+大")


# A body, not a project: 协会, 研究院, 科技部火炬中心 (a ministry's unit).
_ORGANISATION = re.compile(r"(?:协会|商会|学会|联合会|研究会|研究院|研究所|大学|学院|学校|分院|政府|管委会|委员会)$|"
                           r"^(?:(?:教育|商务|工信|工业和信息化|科技|财政|农业农村|农业|交通运输|交通|民政|司法|外交|国防|"
                           r"自然资源|生态环境|住房和城乡建设|住建|水利|文化和旅游|文旅|卫健|人社|应急管理)部|国资委)")


def is_organisation(name: str) -> bool:
    return bool(_ORGANISATION.search(name))


def is_counted(name: str) -> bool:
    return bool(_COUNTED.search(name))


def is_sector_phrase(doc: Doc, start: int, end: int) -> bool:
    """True when text[start:end] is only the words of a trade or an activity
    (石油化工, 新能源新材料, 农产品深加工, 水环境综合治理): no brand, no place, no
    number, and no facility word at its end, so it names a kind of project, not one."""
    # 不锈钢(特钢): a parenthesis gives the trade another word, it does not make a name.
    text = re.sub(r"[()（）]", "", doc.text[start:end].removesuffix("项目"))
    if not text or _HAS_DIGIT.search(text) or text.endswith(FACILITY_ENDINGS):
        return False
    words = [w for w in words_of(text) if w.strip()]
    if not words:
        return False
    if all(w in sector_words() or w in GENERIC_MODIFIERS or w in stopwords() for w in words):
        return True  # 水环境综合治理, 民生服务
    # A short phrase of industries is a sector too (石油化工, 汽车电子, 农产品深加工); a longer
    # one names a product line (智能传感器研发制造), unless it ends by saying it is an industry
    # (粮油深加工产业).
    return (len(text) <= 6 or words[-1] in ("产业", "行业", "领域", "业态", "板块")) and all(w in industry_words() or w in sector_words() or w in GENERIC_MODIFIERS or
                                  w in stopwords() for w in words)


_PARK_THEN_PLACE = re.compile(r"(?:工业园区|产业园区|工业园|产业园|园区|开发区|高新区|经开区)(?=[\u4e00-\u9fff]{2})")


# A company's short name and the capacity of its project (宏远100MW光伏, 鼎诚年产10万吨).
_OWNER_THEN_CAPACITY = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:年产|年加工|[0-9])")


def after_park(doc: Doc, start: int, end: int) -> int:
    """格兰工业园|江宁恒远年产…, 格兰工业园|恒远100MW…: a park before a place or before a
    company and its capacity, at the head of the first item, says where the item is; it is
    not part of its name."""
    for m in _PARK_THEN_PLACE.finditer(doc.text, start, end):
        if place_prefix(doc.text[m.end():end]) or _OWNER_THEN_CAPACITY.match(doc.text, m.end(), end):
            start = m.end()
    return start


# How big a zone wants something (百亿级, 千亿级, 500亿级, 万吨级, 5个百亿级): it never opens the
# name of a company or of a cluster.
SCALE = re.compile(r"(?:[0-9一二三四五六七八九十两几]+个)?(?:[0-9.]+|[十百千万亿]+)+(?:亿|万)?(?:元)?级")


def zone_localities(doc: Doc) -> set[str]:
    """The localities the article's zones are named after: every start of a zone's name
    short of its head (清源, 清源经济 … of 清源经济技术开发区), which no recogniser should take
    for a brand."""
    return {z.name[:n] for z in doc.mentions_of("Zone") for n in range(2, len(z.name) - 1)}
