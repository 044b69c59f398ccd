"""Enterprises: 西继迅达电梯有限公司, 许继集团, 奥诺药业, 卫龙食品, 龙头企业利通 …

Three signals, from strongest to weakest:
1. a legal-form head (有限公司, 股份有限公司, 集团, 公司);
2. a brand followed by an industry head that companies use as a name ending
   (药业, 制药, 科技, 食品, 电气 …): 奥诺药业, 利锐特电气 — only when the part before
   the head is brand-like (a word jieba barely knows), so 生物医药 is not a company;
3. a descriptor right before the name: 龙头企业利通, 老企业阳光电缆.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc
from kg.extract.lexicon import (
    countries,
    industry_words,
    is_boundary_word,
    places,
    sector_words,
    stopwords,
    word_frequency,
    word_tag,
    words_of,
)
from kg.extract.names import (
    COMPANY_DESCRIPTIONS,
    FUNCTION_CHARS,
    GENERIC_MODIFIERS,
    is_generic_prefix,
    is_rare_word,
    left_start,
    place_prefix,
)
from kg.extract.pipeline import RECOGNIZE, component

LEGAL_HEADS = ("股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "分公司", "集团", "公司")
# Name endings of companies that are not legal forms. A 集团 keeps subsidiaries
# named base + one of these apart from itself (双汇集团 ≠ 双汇物流).
INDUSTRY_HEADS = (
    "药业", "制药", "医药", "生物", "科技", "电气", "电子", "电器", "电梯", "电缆", "电机", "食品", "物流", "速递",
    "快递", "速运", "实业", "置业", "控股", "股份", "机械", "化工", "新材料", "能源", "光电", "重工", "纺织", "服饰",
    "医疗", "配电", "传媒", "网络", "软件", "环保", "智能装备", "装备", "国际", "淀粉", "乳业", "酒业",
    # finance and trade: 国信融资租赁, 盈科创投, 中建资本, 嘉瑞水泥, 远洋船务
    "融资租赁", "租赁", "创投", "资本", "基金", "地产", "建投", "证券", "船务", "船业", "工贸", "商贸", "钢构",
    "钢铁", "水泥", "矿业", "镁业", "锂业", "影视", "农业", "铜业", "铝业", "纸业", "化纤", "汽车",
    # X业 of farming, food and light industry: 武夷星茶业, 嘉美竹业, 福人木业, 金健米业
    "茶业", "竹业", "木业", "糖业", "盐业", "米业", "麦业", "粮业", "牧业", "种业", "果业", "菌业", "油脂", "塑业",
    "鞋业", "陶瓷", "家居",
)
ENTERPRISE_SUFFIX = re.compile(
    "(?:" + "|".join(sorted(LEGAL_HEADS + INDUSTRY_HEADS, key=len, reverse=True)) + r")(?=[^\u4e00-\u9fff]|$|\0)"
)
_LEGAL = re.compile("|".join(LEGAL_HEADS))
# Endings that say what form a company takes rather than its trade: they follow trades
# inside a company's name (X电子材料科技, X新材料实业).
_FORM_HEADS = frozenset("科技 实业 控股 股份 国际 置业".split())
_INDUSTRY = re.compile("|".join(sorted(INDUSTRY_HEADS, key=len, reverse=True)))
# Not companies even with a company-like ending.
_NOT_ENTERPRISE = re.compile(r"(大学|学院|学校|研究院|研究所|医院|管委会|委员会|政府|办公室|局|厅|部|协会|商会|银行分行)$")
# (该|本|各|全 + a company are handled by is_generic_prefix, which tells 本公司 from 本田.)
_GENERIC_COMPANY = re.compile(r"^(子|分|总|母|上市|国有|民营|外资|合资|龙头|骨干|重点|一家|多家|这家|那家)")
# 龙头企业利通、…  老企业阳光电缆,  肉类企业双汇集团  (龙头企业有|远途食品: the verb is not the name's)
_DESCRIPTOR = re.compile(r"(?:企业|品牌|厂商|巨头|公司)(?:主要)?(?:有|为|是|如|包括)?(?P<name>[\u4e00-\u9fff]{2,8}?)"
                         r"(?=[、，,。；;]|在这里|等|为龙头|落户|入驻|进驻|签约)")


# Words that describe a company and so end its name when scanning leftwards.
_DESCRIPTOR_WORDS = frozenset("企业 公司 品牌 厂商 巨头 龙头 集团 行业 投资者 投资方 合作方 股东 控股股东 母公司 子公司 "
                              "全资子公司 签约方".split())
# Before a legal name, descriptions that jieba keeps as one word end it too (龙头企业|江西华芯电子有限公司);
# before a brand the descriptor rule below takes them (骨干企业华米科技).
_DESCRIPTOR_WORDS_BEFORE_LEGAL = _DESCRIPTOR_WORDS | COMPANY_DESCRIPTIONS
# Verbs that are ordinary inside a company's name (城市建设投资有限公司, 中电光谷联合控股,
# 粤商产业发展(集团)有限公司), though they end other names.
_IN_COMPANY_NAMES = frozenset("建设 投资 发展 开发 联合 实业 置业 经营 管理 融资 租赁 融资租赁".split())


def _back_to_place(doc: Doc, start: int, head: int) -> int:
    """辽宁|新|坐标|科技有限公司, 沈阳|每日|食品有限公司: a company's name runs back to the
    place it starts with, over a few words that end other names (an adjective, a verb),
    when the place opens a list item or a clause, or follows a preposition (与深圳|远扬|资本有限公司)."""
    sent = doc.sentence_at(start)
    toks = [(s, e) for s, e in doc.tokens(sent) if e <= start and start - s <= 5]
    for s, e in toks:
        word = doc.text[s:e]
        if word in places() and places()[word].level in ("province", "city") and \
                (s == sent.start or doc.text[s - 1] in "、，,:：;；(（“\"" or
                 any(doc.text.endswith(w, 0, s) for w in ("包括", "引进", "如", "有", "与", "由", "和", "同"))):
            between = [doc.text[a:b] for a, b in doc.tokens(sent) if a >= e and b <= start]
            if between and all(w not in stopwords() and len(w) <= 2 for w in between):
                return s
    return start


# How often (jieba's dictionary count) a verb may occur and still be read as a brand: 远扬 (66),
# 腾飞 (91) are; 扶持 (624), 创新 (4,681) are not.
_RARE_VERB = 300


def _over_verb_brand(doc: Doc, start: int, head: int) -> int:
    """远扬|机械有限公司, 宁波|远扬|机械有限公司: a brand that is an ordinary verb ends the
    leftward scan, but before a legal form it is the name's own when a boundary (punctuation,
    a stop word) stands right before it, or before the place in front of it."""
    if start == head:
        return start
    toks = [(s, e) for s, e in doc.tokens(doc.sentence_at(start)) if e <= start]
    if not toks or toks[-1][1] != start:
        return start
    word = doc.text[toks[-1][0]:toks[-1][1]]
    if len(word) < 2 or word in stopwords() or word in _DESCRIPTOR_WORDS or any(c in FUNCTION_CHARS for c in word) or \
            not (word_tag(word) or "").startswith("v") or word_frequency(word) >= _RARE_VERB:
        return start  # a common verb (扶持|机械有限公司) is the clause's, not the name's
    i = len(toks) - 1
    if i > 0 and doc.text[toks[i - 1][0]:toks[i - 1][1]] in places():
        i -= 1  # 宁波|远扬
    before = doc.text[toks[i - 1][0]:toks[i - 1][1]] if i > 0 else ""
    if i == 0 or before in stopwords() or not before.strip("，,、：:；;（(“\"　 ") or before in _DESCRIPTOR_WORDS_BEFORE_LEGAL:
        return toks[i][0]
    return start


def _valid(name: str) -> bool:
    return len(name) >= 2 and not _NOT_ENTERPRISE.search(name)


def _covered(doc: Doc, start: int, end: int) -> bool:
    return any(m.type == "Enterprise" and m.start <= start and end <= m.end for m in doc.mentions)


@component("enterprises", RECOGNIZE + 2)
def recognize_enterprises(doc: Doc) -> None:
    text = doc.text
    # 1. Legal-form heads.
    for m in _LEGAL.finditer(text):
        # 城市建设投资有限公司: in a company's name 建设 is a business, not the verb.
        start = left_start(doc, m.start(), 24, extra_stops=_DESCRIPTOR_WORDS_BEFORE_LEGAL, inner_ok=_IN_COMPANY_NAMES)
        start = _back_to_place(doc, start, m.start())
        start = _over_verb_brand(doc, start, m.start())
        if start == m.start() and m.group() == "公司":
            # 平平公司: a short name that the tagger takes for an ordinary word, right
            # after a list separator or the start of a clause.
            words = _words(doc, max(m.start() - 4, 0), m.start())
            if words and 2 <= len(words[-1]) <= 4 and m.start() - len(words[-1]) - 1 >= 0 and \
                    text[m.start() - len(words[-1]) - 1] in "、，,。；;:：" and words[-1] not in stopwords():
                start = m.start() - len(words[-1])
                if _valid(text[start:m.end()]) and not _covered(doc, start, m.end()):
                    doc.add_mention("Enterprise", start, m.end(), rule="legal-head")
            continue
        prefix = text[start:m.start()]
        if m.group() == "分公司" and (prefix in places() or place_prefix(prefix) == prefix):
            # X集团|青湾分公司: a branch named by its place belongs to the company before it.
            owner = next((c for c in doc.mentions if c.type == "Enterprise" and c.end == start), None)
            if owner is None:
                continue
            doc.mentions.remove(owner)
            start, prefix = owner.start, text[owner.start:m.start()]
        if len(prefix) < 2 or is_generic_prefix(prefix) or _GENERIC_COMPANY.match(prefix):
            continue
        if prefix in INDUSTRY_HEADS or prefix in industry_words() or prefix in _IN_COMPANY_NAMES:
            continue  # 控股有限公司: an ending and a legal form, the name cut off before them
        if m.group() == "公司" and not any(is_rare_word(w) for w in _words(doc, start, m.start())):
            # 智能中压开关公司: ordinary words + 公司 describe a company, they do not name it.
            continue
        if m.group() == "集团" and (prefix.endswith(("型", "性", "式")) or (prefix.endswith("化") and len(prefix) > 2)):
            continue  # 多元化集团, 综合型集团: what kind of group, not which (中化集团: X化 is X化工 cut short)
        if _valid(text[start:m.end()]) and not _covered(doc, start, m.end()):
            doc.add_mention("Enterprise", start, m.end(), rule="legal-head")
    # 2. Brand + industry head, the head a whole token (恒盛科技园 is not 恒盛科技).
    companies = [c for c in doc.mentions if c.type == "Enterprise"]
    company_ends = {c.end for c in companies}
    company_starts: dict[int, int] = {}  # start -> the nearest end of a company starting there
    for c in companies:
        company_starts[c.start] = min(company_starts.get(c.start, c.end), c.end)
    for m in _INDUSTRY.finditer(text):
        if not _token_ends_at(doc, m.end()):
            continue
        start = left_start(doc, m.start(), 6, extra_stops=_DESCRIPTOR_WORDS)
        if start > 0 and text[start - 1].isdigit():
            continue  # 4500台套镁合金机械: a quantity, not a brand
        words = _words(doc, start, m.start())
        if not words:
            # 远扬|科技: a brand that is an ordinary verb ends the leftward scan; in a
            # company's role (below) the word before the head is the brand all the same.
            prev = [w for w in _words(doc, max(m.start() - 2, 0), m.start()) if len(w) == 2]
            if prev and _in_company_role(doc, m.start() - 2, m.end(), prev):
                start, words = m.start() - 2, prev
        if not words or not 2 <= m.start() - start <= 6:
            continue
        if words[0] in places():  # 许昌生物… is a place and an industry, not a brand
            words = words[1:]
            start += len(doc.text[start:m.start()]) - sum(map(len, words))
        # A brand in Latin letters (GE医疗, SK海力士…) is as good as a rare word; so is a
        # common word where the sentence gives the name a company's role (由远扬科技投资建设).
        if not words or sum(map(len, words)) < 2 or not (
                is_rare_word(words[0]) or _LATIN_BRAND.fullmatch(words[0]) or _in_company_role(doc, start, m.end(), words)):
            continue
        if _next_word(doc, m.end()) in _FACILITY_WORDS or _next_word(doc, m.end()) in industry_words() or \
                _AREA_AFTER.match(text, m.end()):
            continue  # 卫龙智能食品|产业园, 万邦国际|冷链, 青湾科技|城, 白鹭化工|集中区: part of a park or project name
        if any(w in ("国家", "国家级", "省级", "市级") for w in words[1:]):
            continue  # 杨凌|国家|农业科技园区: a level of government, never inside a brand
        if start in company_ends or company_starts.get(start, m.end()) < m.start():
            continue  # 杉杉科技|负极材料, 南瑞集团|特高压装备: a company ends before it; this is its product
        if len(words) > 1 and words[-1] in INDUSTRY_HEADS and m.group() not in _FORM_HEADS:
            continue  # 恒岳|医药|物流|分拨中心: two trades in a row describe what is built, after the brand
            # (but 宏和电子材料|科技: a company's form after its trades names it)
        if not _covered(doc, start, m.end()) and _valid(text[start:m.end()]):
            doc.add_mention("Enterprise", start, m.end(), rule="brand-industry")
            company_ends.add(m.end())
            company_starts[start] = min(company_starts.get(start, m.end()), m.end())
    # 3a. A ranking before the name.
    for m in _RANKED_COMPANY.finditer(text):
        span = _ranked_company(text, m)
        if span and not _covered(doc, *span) and _valid(text[span[0]:span[1]]) and \
                not any(w in stopwords() for w in _words(doc, *span)):
            doc.add_mention("Enterprise", span[0], span[1], rule="ranked")
    # 3. Descriptor before the name.
    for m in _DESCRIPTOR.finditer(text):
        s, e = m.span("name")
        words = _words(doc, s, e)
        before = _words(doc, max(m.start() - 4, doc.sentence_at(m.start()).start), m.start())
        # 龙头企业X, 老企业X: a word that ranks or ages the company comes before 企业;
        # 帮助企业X, 科技企业孵化器 are other constructions.
        if not before or not before[-1].endswith(_RANKING):
            continue
        if not words or words[0] in places() or _covered(doc, s, e):
            continue
        # Settling after it (日资企业东洋精密落户…): the descriptor and the verb name a company
        # whatever its words.
        settles = text.startswith(("落户", "入驻", "进驻", "签约"), e) and 4 <= e - s <= 6 and \
            not any(is_boundary_word(w) for w in words)
        if is_rare_word(words[0]) or text[s:e].endswith(INDUSTRY_HEADS) or settles:
            doc.add_mention("Enterprise", s, e, rule="descriptor")


# 世界500强X, 民营企业500强X项目, 全球药企前20强X: a ranking names the company after it.
_RANKED_COMPANY = re.compile(r"(?:[0-9]+|[十百千]+)强(?P<rest>[\u4e00-\u9fffA-Za-z]{2,16})")
_RANKED_NOT_NAME = ("企业", "公司", "集团", "项目", "品牌", "之", "中", "的", "等", "和", "及", "榜", "名单")


def _ranked_company(text: str, m: re.Match) -> tuple[int, int] | None:
    s = m.start("rest")
    rest = m.group("rest")
    if rest.startswith(_RANKED_NOT_NAME):
        return None
    short = re.match(r"([\u4e00-\u9fffA-Za-z]{2,8}?)项目", rest)
    if short:
        words = words_of(short.group(1))
        if all(w in industry_words() or w in sector_words() or w in GENERIC_MODIFIERS for w in words):
            return None  # 500强创新金融项目: a kind of project
        return s, s + len(short.group(1))  # 500强X项目
    head = _LEGAL.search(rest, 0, 10) or _INDUSTRY.search(rest, 0, 10)
    if head and head.start() >= 2 and is_rare_word(words_of(rest[:head.start()])[0]):
        return s, s + head.end()  # 前10强X医药|抗体药…基地
    return None


_LATIN_BRAND = re.compile(r"[A-Z][A-Za-z&]{1,7}")
# What only a company does in a sentence: be the one by whom something is built, be
# brought in or signed with (before the name); invest, build, settle or sign (after it).
_ROLE_BEFORE = re.compile(r"(?:由|引进|引入|招引|携手|联手)$")
_ROLE_AFTER = re.compile(r"(?:将|拟|计划|正式|成功|已)?(?:投资建设|投资|出资|新建|建设|落户|入驻|签约|签订|落地|扎根)")


def _in_company_role(doc: Doc, start: int, end: int, words: list[str]) -> bool:
    """A brand of one ordinary two-character word before an industry head (远扬|科技) in a
    company's role: 由远扬科技投资建设的…, 引进远扬科技, 远扬科技将投资…. Alone, an
    ordinary word before 科技 is a description (智慧科技); the role says it is a name."""
    brand = words[0]
    if len(words) != 1 or len(brand) != 2 or brand in places() or brand in industry_words() or \
            brand in sector_words() or brand in stopwords() or brand in GENERIC_MODIFIERS or is_generic_prefix(brand) or \
            brand in countries() or brand == "中国":
        return False
    text = doc.text
    before = _ROLE_BEFORE.search(text, max(start - 2, 0), start)
    if before and before.end() == start:
        return True
    clause_start = start == 0 or text[start - 1] in "，,。；;：:、\n "
    return clause_start and _ROLE_AFTER.match(text, end) is not None


# An area's head right after the trade, whatever jieba glued to it (科技|城已入驻).
_AREA_AFTER = re.compile(r"城(?![市乡镇际])|园(?![林艺])|集中区|集聚区|产业区|工业区|片区|基地|小镇")
_FACILITY_WORDS = frozenset("产业园 工业园 科技园 物流园 产业园区 工业园区 园区 园 基地 产业基地 中心 区 大厦 行业 产业 装备 设备 项目 工程 平台 领域 板块 综合体 小镇 "
                            "港 陆港 空港 海港 港口 口岸 广场 社区 城".split())
_RANKING = ("龙头", "领军", "骨干", "知名", "著名", "领先", "老", "重点", "明星", "标杆", "头部", "链主", "独角兽", "上市",
            # whose capital: 外资企业X, 日资企业X, 民营企业X
            "外资", "日资", "韩资", "台资", "港资", "美资", "德资", "欧资", "侨资", "民营", "合资", "独资")


def _next_word(doc: Doc, pos: int) -> str:
    for s, e in doc.tokens(doc.sentence_at(pos)):
        if s >= pos:
            return doc.text[s:e]
    return ""


def _words(doc: Doc, start: int, end: int) -> list[str]:
    toks = doc.tokens(doc.sentence_at(start))
    return [doc.text[max(s, start):min(e, end)] for s, e in toks if e > start and s < end]


def _token_ends_at(doc: Doc, pos: int) -> bool:
    return any(e == pos for _, e in doc.tokens(doc.sentence_at(max(pos - 1, 0))))
