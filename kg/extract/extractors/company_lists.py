"""Companies named in plain enumerations, with no legal form and no list head.

News prose lists the companies of a signing or a ground-breaking by short name:
``包括宁德恒翔、江苏泓锐、瑞鑫科技``, ``风瑞科技与德国克劳维、恒泰电子与意大利菲洛蒂``,
``瑞丰民生公司、鑫合公司等``. One such name says little, but several in a row of the
same shape — a brand (a word the dictionary barely knows), after a place or a country,
before a company ending — make a list of companies. Each item that has that shape
becomes an Enterprise; an item that reads as a project (…基地, …生产线) stays out.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.document import Doc
from kg.extract.extractors.enterprises import INDUSTRY_HEADS, LEGAL_HEADS
from kg.extract.extractors.zones import ZONE_REFERENCE
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
    FACILITY_ENDINGS,
    FUNCTION_CHARS,
    GENERIC_MODIFIERS,
    is_generic_prefix,
    is_rare_word,
    place_prefix,
)
from kg.extract.pipeline import RECOGNIZE, component

# A run of items: split at 、 and at the conjunctions that join two names.
_SEPARATORS = re.compile(r"、|(?<=[\u4e00-\u9fffA-Za-z0-9)）])(?:与|和|及|以及)(?=[\u4e00-\u9fffA-Za-z])")
# What bounds a list: punctuation other than 、, and 等 (…等N家企业).
_CLAUSE = re.compile(r"[^，,。；;：:！？!?“”\"()（）\n]+")
_COMPANY_ENDINGS = tuple(sorted(set(INDUSTRY_HEADS) | set(LEGAL_HEADS), key=len, reverse=True))
# The longest ending first: 股份有限公司 before 有限公司 (a regex tries the alternatives in order).
_COMPANY_ENDING = re.compile("(?:" + "|".join(map(re.escape, _COMPANY_ENDINGS)) + ")$")
# After a list, words that say its items are companies (…等龙头企业, 均为配套企业).
# (Right after the list: 等…企业, 三家…企业, ，均为…企业; not any 企业 later in the clause, as in
# 育苗壮干、引凤还巢,让更多企业愿意前来投资)
_COMPANY_CUE = re.compile(r"(?:等|[0-9一二三四五六七八九十两几]+家|(?:,|，)?(?:均为|都是|皆为|系|为))?"
                          r"[^，,。；;]{0,10}?(?:企业|公司|集团|品牌|厂商|厂家|巨头|央企|国企|民企|外企|500强)")
# Before a list, words that say its items are companies (企业12家,主要有A、B…).
_COMPANY_CUE_BEFORE = re.compile(r"(?:企业|公司|厂家|厂商)[^。；;]{0,12}?(?:主要有|主要包括|包括|有|如)[:：]?")
# Names of brands are short; a longer item is a description or a project.
_MAX_BRAND = 6
# Letters and digits that brands are written in (BPW, GE).
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9&\-]{1,9}$")


_words = words_of


def _brand_word(word: str, first: bool) -> bool:
    """A word that can be (part of) a brand: unknown or rare, or a proper name."""
    if word in stopwords() or word in industry_words() or any(c in FUNCTION_CHARS for c in word[:1]):
        return False
    if _LATIN.match(word):
        return True
    if first and (word_tag(word) or "").startswith("ns"):
        return False  # a region (长三角, 京津冀) does not start a brand
    if not re.fullmatch(r"[\u3400-\u9fff]+", word):
        return False
    if is_rare_word(word):
        return True
    tag = word_tag(word) or ""
    # Proper names jieba knows (西门子 nr, 嘉里 ns) are brands too; common words are not.
    if tag.startswith(("nr", "nz", "nt") if first else ("nr", "nz", "ns", "nt")) and \
            word_frequency(word) < 2000 and word not in places():
        return True  # (a region, 长三角 ns, does not start a brand)
    # A lone character jieba could not attach (菲尔|姆, 康宁|特) continues a brand, never starts one.
    return not first and len(word) == 1 and word not in FUNCTION_CHARS


def _rare_verb(word: str) -> bool:
    """联创|制药, 远扬|科技: a two-character verb jieba barely knows, before a company's
    ending, is its brand (扶持|机械, a common verb, is not)."""
    return len(word) == 2 and (word_tag(word) or "").startswith("v") and 0 < word_frequency(word) < 120 and \
        word not in stopwords() and not any(c in FUNCTION_CHARS for c in word)


# Endings of places, buildings, bodies and abstract nouns, never of a brand (魏都区,
# 美术馆, 党工委, 执行力, 危机感).
_NOT_BRAND_END = tuple("区县镇乡村馆街庄委会力感性制港湾角汇节展赛院所校") + ("沙龙", "论坛", "峰会", "活动", "行动", "工程", "计划")


def company_like(name: str) -> bool:
    """Whether ``name`` alone reads as a company: [place or country] brand [company ending].

    宁德恒翔, 瑞鑫科技, 德国克劳维, 意大利菲洛蒂, 鑫合公司 do; 石油化工, 先进制造, 领导包抓,
    联合食品 (a common word before the ending) do not."""
    return company_shape(name) > 0


@lru_cache(maxsize=1 << 16)
def company_shape(name: str, product_endings: bool = True) -> int:
    """0: not a company; 1: a bare brand (蓝十字: a company only where a list says so);
    2: a brand with a place, a country or a company ending (宁德恒翔, 瑞鑫科技).

    Without ``product_endings`` an industry word does not count as a company's ending
    (嘉吉|预混料 among projects is a product of 嘉吉, not a company)."""
    if not 2 <= len(name) <= 14 or is_generic_prefix(name) or name.endswith(_NOT_BRAND_END):
        return 0
    rest = name
    country = _COUNTRY_AT_START().match(name)
    if country and len(name) > country.end() + 1:
        rest = name[country.end():]
    else:
        place = place_prefix(rest)
        if place:
            rest = rest[len(place):]
    if rest != name and rest.endswith("厂") and len(rest) >= 3 and not is_boundary_word(rest[:-1]) and \
            all(not is_boundary_word(w) or w.startswith("第") for w in _words(rest[:-1])):
        return 2  # 哈尔滨|电表厂, 哈尔滨|第二工具厂: a place's factory
    if rest == name and name.endswith("厂"):
        # 鑫磊|陶粒厂, 宏伟|砖厂: a works by its name; weak evidence, a list must say so.
        # 砖厂, 面粉厂 alone are kinds of works.
        return 1 if 4 <= len(name) <= 7 and name[:2] not in stopwords() and not _not_a_brand(name[:2]) else 0
    ending = _ending(rest, product_endings)
    core = rest[: len(rest) - len(ending)]
    # Before an industry ending a brand is short (祥鑫|科技); a longer core holds a product
    # (国轩高科正极|材料).
    # After a country or place, a brand alone is short too (美国|康宁特, not 康宁特全自动).
    longest = 4 if ending and ending not in LEGAL_HEADS else 4 if rest != name and not ending else _MAX_BRAND
    if not 2 <= len(core) <= longest or core in places() or core in stopwords():
        return 0
    words = _words(core)
    qualified = rest != name or bool(ending)
    if _brand_word(words[0], True) or (ending and (_brand_word(words[0], False) or _rare_verb(words[0]))):
        if all(_brand_word(w, False) for w in words[1:]):
            return 2 if qualified else 1
    # 瑞德|丰, 斯|莱克, 泓|锐: a name jieba cut into a rare word and lone characters.
    if len(core) <= 4 and not word_frequency(core) and not any(c in FUNCTION_CHARS for c in core) and \
            all(len(w) == 1 or is_rare_word(w) for w in words) and \
            (any(is_rare_word(w) for w in words) or (qualified and len(words) >= 2)):
        return 2 if qualified else 1
    # 光明|船务, 长风|物流: a common two-character word before a trade ending can be the
    # brand too, as can an abbreviation (jieba's j: 国旅|控股); weak evidence (a list must
    # say its items are companies).
    if ending and ending in INDUSTRY_HEADS and len(core) == 2 and len(words) == 1 and \
            (word_tag(core) or "").startswith(("n", "a", "nz", "b", "j")) and not _not_a_brand(core):
        return 1
    # 青海|西部|镁业, 宁夏|东方|钽业: after a place, a direction before a trade is a common
    # company name (the region's works of that trade).
    if rest != name and ending and core in _DIRECTION_CORES:
        return 2
    # 浙江|海鸥: after a place, a short common noun can still be the brand; weak evidence.
    if rest != name and 2 <= len(core) <= 3 and len(words) == 1 and (word_tag(core) or "n").startswith("n") and \
            core not in industry_words() and core not in sector_words() and not is_boundary_word(core):
        return 1
    return 0


_DIRECTION_CORES = frozenset("东方 西方 南方 北方 东部 西部 南部 北部 中部 华北 华东 华南 华中 西北 东北 西南 东南".split())


def _not_a_brand(core: str) -> bool:
    """Words that say what kind of business, never which: trades, sectors, generic
    modifiers (保税, 国际, 现代), places."""
    return core in industry_words() or core in sector_words() or core in GENERIC_MODIFIERS or core in stopwords() or \
        is_boundary_word(core) or core in places() or core in countries() or bool(place_prefix(core))


def _ending(rest: str, product_endings: bool = True) -> str:
    """The company ending of a name: a legal form, an industry head (科技, 药业), an
    industry word (水泥, 影视) or a two-character trade in 业/贸/务 (镁业, 工贸, 船务)."""
    m = _COMPANY_ENDING.search(rest)
    if m and m.start() > 1:
        return m.group()
    for n in (3, 2):
        tail = rest[-n:]
        if len(rest) <= n + 1 or tail.endswith(FACILITY_ENDINGS) or tail in sector_words() or \
                tail in GENERIC_MODIFIERS or tail in stopwords() or tail.endswith("服务业"):
            continue
        if product_endings and tail in industry_words() and (word_tag(tail) or "n").startswith("n"):
            return tail  # 嘉华|水泥, 横店|影视
        if n == 2 and tail[-1] in "业贸务" and _words(rest)[-1] == tail:
            return tail  # 东部|镁业, 鼎泰|工贸, 远洋|船务
    return ""


@lru_cache(maxsize=1)
def _COUNTRY_AT_START() -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, countries()), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _first_pairs() -> frozenset[str]:
    """The first two characters of every place and country name."""
    return frozenset(w[:2] for w in set(countries()) | set(places()) if len(w) >= 2)


# A company ending or a word that calls list items companies.
_COMPANY_WORD = re.compile("|".join(map(re.escape, _COMPANY_ENDINGS + ("企业", "厂商", "巨头", "龙头", "品牌"))))


def starts_with_place_or_country(text: str, pos: int) -> bool:
    """Whether a place or a country name may start at ``pos`` (its first two characters do)."""
    return text[pos:pos + 2] in _first_pairs()


def _may_hold_companies(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a word a list of companies has somewhere near: a place
    or a country before a brand, a company ending, or a word that calls the items
    companies. Cheap: most clauses with a 、 list trades or slogans, not companies."""
    if _COMPANY_WORD.search(text, start, end):
        return True
    pairs = _first_pairs()
    return any(text[i:i + 2] in pairs for i in range(start, end - 1))


def _split_run(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    items = []
    pos = start
    for m in _SEPARATORS.finditer(doc.text, start, end):
        items.append((pos, m.start()))
        pos = m.end()
    items.append((pos, end))
    return items


def _edge_item(doc: Doc, s: int, e: int, left: bool) -> tuple[int, int] | None:
    """The company name at the open end of the first (``left``) or last item: the
    longest run of whole tokens next to the list that reads as a company."""
    # The item's own tokens (memoised by text), not the sentence's: a list item alone
    # segments as in its sentence nearly always, and most sentences are never segmented.
    if left:
        s = max(s, e - 24)  # a company's name is no longer; the rest is the clause before it
    bounds = []
    pos = s
    for word in words_of(doc.text[s:e]):
        bounds.append((pos, pos + len(word)))
        pos += len(word)
    if not bounds:
        return None
    if left:
        # A company starts with its place, its country or its brand: only there.
        # (or with a common word that a trade ending follows: 光明|船务)
        cuts = [max(ts, s) for ts, te in bounds if _may_start(doc.text[max(ts, s):te]) or
                (te - ts == 2 and not _not_a_brand(doc.text[ts:te]) and _COMPANY_ENDING.match(doc.text, te, e))]
    else:
        cuts = [min(te, e) for _, te in bounds]
    # Longest first: the first that reads as a company is the answer.
    candidates = [(c, e) for c in cuts] if left else [(s, c) for c in reversed(cuts)]
    for a, b in candidates:
        if b - a <= 14 and company_like(doc.text[a:b]):
            return a, b
    return None


def _listed_brand(doc: Doc, s: int, e: int, first: bool) -> tuple[int, int] | None:
    """In a list of companies, an item that is a brand and a trade word (恒川精密): a
    rare first word, then ordinary nouns, four to six characters in all. The first
    item may have the clause before it (其中包括恒川精密): its name starts at a brand word."""
    words = words_of(doc.text[s:e])
    starts = range(len(words)) if first else range(1)
    for k in starts:
        name_words = words[k:]
        a = e - sum(map(len, name_words))
        name = doc.text[a:e]
        if not 4 <= len(name) <= _MAX_BRAND or len(name_words) < 2:
            continue
        if not _brand_word(name_words[0], True) or not is_rare_word(name_words[0]) or \
                name.endswith(_NOT_BRAND_END) or name.endswith(FACILITY_ENDINGS):
            continue
        trade = "".join(name_words[1:])
        if not 2 <= len(trade) <= 3 or trade in stopwords() or is_boundary_word(trade) or \
                not (word_tag(trade) or "").startswith(("n", "a", "b")):
            continue
        return a, e
    return None


def _cue_before(text: str, sent_start: int, list_start: int) -> int | None:
    """Where the list starting at ``list_start`` begins after words that call its items
    companies (企业12家,主要有|A、B…; 公司包括:|A、B…), None when there are none."""
    ends = [m.end() for m in _COMPANY_CUE_BEFORE.finditer(text, max(sent_start, list_start - 30), list_start + 4)
            if list_start - 1 <= m.end() <= list_start + 4]
    return max(ends[-1], list_start) if ends else None


def _named_company(doc: Doc, s: int, e: int) -> bool:
    """Whether an earlier recogniser found an Enterprise that fills the item (a legal name)."""
    return e - s > 4 and any(m.type == "Enterprise" and m.start <= s + 2 and m.end == e and m.end - m.start > 4
                             for m in doc.mentions)


def _may_start(word: str) -> bool:
    return word in places() or word in countries() or _brand_word(word, True) or \
        bool(_COUNTRY_AT_START().match(word)) or bool(place_prefix(word))


def _split_glued(doc: Doc, s: int, e: int) -> list[tuple[int, int]]:
    """Two names with the separator lost (苏州奥立康苏州泓锐): split before a place or
    country inside the item when both halves read as companies."""
    text = doc.text[s:e]
    if len(text) < 6:
        return [(s, e)]
    for i in range(2, len(text) - 1):
        if (place_prefix(text[i:i + 9]) or _COUNTRY_AT_START().match(text, i)) and \
                company_like(text[:i]) and company_like(text[i:]):
            return [(s, s + i), (s + i, e)]
    return [(s, e)]


# After the legal-form and brand recognisers (RECOGNIZE + 2), which name the same
# companies with more certainty; before projects, which must not take them.
@component("company-lists", RECOGNIZE + 3)
def recognize_company_lists(doc: Doc) -> None:
    text = doc.text
    for sent in doc.sentences:
        for clause in _CLAUSE.finditer(text, sent.start, sent.end):
            c_start, c_end = clause.span()
            # The list ends at 等 (…等一批项目); the first 等 after a separator.
            stop = text.find("等", c_start, c_end)
            if stop != -1:
                c_end = stop
            if text.find("、", c_start, c_end) == -1:
                continue  # a list of companies has its 、
            before = _cue_before(text, sent.start, c_start)
            if before is None:
                # …重点企业包括|A、B和C: the cue inside the clause, before the first item
                inside = list(_COMPANY_CUE_BEFORE.finditer(text, c_start, text.find("、", c_start, c_end)))
                before = inside[-1].end() if inside else None
            if before is None and not _may_hold_companies(text, c_start, min(sent.end, c_end + 16)):
                continue  # no place, country or company word near: no list of companies
            items = _split_run(doc, c_start, c_end)
            if len(items) < 2:
                continue
            # Cheap gate before any segmenting: two items with a place, a country or a
            # company ending, or words after the list that call its items companies.
            pairs = _first_pairs()
            marked = sum(1 for a, b in items if _COMPANY_WORD.search(text, a, b) or
                         any(text[i:i + 2] in pairs for i in range(a, min(b - 1, a + 3))))
            if marked < 2 and before is None and not _COMPANY_CUE.match(text, c_end, sent.end):
                continue
            middle = items[1:-1]
            if len(middle) >= 2 and not any(company_shape(text[a:b].strip()) for a, b in middle):
                continue  # the inner items decide cheaply: one of them at least must read as a company
            first = _edge_item(doc, *items[0], left=True)
            if before is not None and company_shape(text[before:items[0][1]]):
                first = (before, items[0][1])  # 主要有|宏伟砖厂: the cue ends where the first name starts
            last = _edge_item(doc, *items[-1], left=False)
            whole = _listed_brand(doc, *items[-1], first=False)
            if whole and last and whole[1] > last[1]:
                last = whole  # 、青松轴承。: a brand and its trade fill the item (not 青松 alone)
            if len(_split_glued(doc, *items[-1])) == 2:
                last = items[-1]  # 苏州奥立康苏州泓锐: two names, split below
            spans = ([first] if first else []) + items[1:-1] + ([last] if last else [])
            found = []
            strong = 0
            for a, b in spans:
                while a < b and text[a] in " ":
                    a += 1
                if _named_company(doc, a, b):
                    # 赣州瑞丰电子科技有限公司、…、星源精工: a full legal name that the legal-form
                    # recogniser took is as good a company item as any (too long for a shape).
                    found.append((a, b))
                    strong += 1
                    continue
                for x, y in _split_glued(doc, a, b):
                    shape = company_shape(text[x:y])
                    if shape:
                        found.append((x, y))
                        strong += shape == 2
            # One company-like word among descriptions is no list of companies; bare
            # brands need most items to carry a place or ending, or the sentence to say
            # that they are companies.
            # (words before the list that call its items companies, 重点企业包括A、B和C, vouch
            # for them: one item that reads as a company is enough)
            if not found or (before is None and (len(found) < 2 or len(found) * 2 < len(items))):
                continue
            cue = before is not None or _COMPANY_CUE.match(text, c_end, sent.end)
            if strong * 2 < len(found) and not cue:
                continue
            # The list is one of companies: its other items are companies too when they read
            # as a bare brand with a trade word after it (恒川精密, 天禾农牧), which alone
            # would say too little (精密 and 农牧 are no company endings).
            if strong >= 2 or cue:
                for i, (a, b) in enumerate(items):
                    if any(x < b and a < y for x, y in found):
                        continue
                    span = _listed_brand(doc, a, b, first=i == 0)
                    if span:
                        found.append(span)
            for a, b in found:
                if b - a >= 4 and doc.text[a] in "如像":
                    a += 1  # 集聚了如|金穗科技、…: "such as" glued to the first name
                if doc.claimed.get((a, b)) not in (None, "Enterprise", "Project"):
                    continue
                if any(m.type == "Enterprise" and m.start <= a and b <= m.end for m in doc.mentions):
                    continue
                doc.add_mention("Enterprise", a, b, rule="company-list")
    _partners_by_shape(doc)


# 与新加坡丰泰签署…, 引进德国克劳维: one name in a partner's role, with the shape of a
# company (a place or country before a brand), is a company without any list.
_PARTNER = re.compile(r"(?:与|同|携手|联手|引进|引入)(?P<name>[\u4e00-\u9fffA-Za-z]{3,12}?)"
                      r"(?:(?:正式|成功|共同)?(?:签署|签订|签约|合作|达成|落户|入驻)|(?=[，,。；;]))")


# 德国巴斯夫(BASF)在开发区投资建设…: a company-shaped subject that settles or builds in the zone,
# opening its clause.
_SETTLER = re.compile(r"(?:^|(?<=[，,。；;：:\n]))(?P<name>[\u4e00-\u9fffA-Za-z]{3,12}?)(?:[(（][A-Za-z ]{2,20}[)）])?"
                      r"(?:将|拟|已|计划|正式)?在" + ZONE_REFERENCE + r"(?:投资|建设|设立|落户|布局|新建|兴建)", re.M)


def _partners_by_shape(doc: Doc) -> None:
    for m in list(_PARTNER.finditer(doc.text)) + list(_SETTLER.finditer(doc.text)):
        a, b = m.span("name")
        if company_shape(doc.text[a:b]) != 2 or not (_COUNTRY_AT_START().match(doc.text, a) or
                                                     place_prefix(doc.text[a:b])):
            continue
        if any(x.start < b and a < x.end for x in doc.mentions):
            continue  # a zone, a place or a company already there
        doc.add_mention("Enterprise", a, b, rule="partner-shape")


# A numbered list of a park's companies, each with when it came: 2、远扬陶粒厂:2015年3月落户…
_NUMBERED_ENTRY = re.compile(r"^[ \t]*[0-9一二三四五六七八九十]{1,3}[、.．][ \t]*(?P<name>[^:：，,。;；\s()（）]{3,24})"
                             r"(?:[(（][^)）\n]{1,8}[)）])?[:：](?P<rest>[^\n]*)", re.M)
_ENTRY_SETTLED = re.compile(r"落户|入驻|入园|进驻|注册|成立|投产|开工|建成")
_ENTRY_HEAD = re.compile(r"(?:厂|公司|集团|中心|站|场|合作社)$")


@component("numbered-companies", RECOGNIZE + 3)
def recognize_numbered_companies(doc: Doc) -> None:
    """Each entry of a numbered list that says when it settled (落户, 投产…) names a company,
    when its name ends like a works or a company (陶粒厂, 维修中心)."""
    for m in _NUMBERED_ENTRY.finditer(doc.text):
        s, e = m.span("name")
        name = m["name"]
        if not _ENTRY_HEAD.search(name) or not _ENTRY_SETTLED.search(m["rest"][:40]) or \
                name.endswith("项目") or is_generic_prefix(name[:-1]) or \
                any(x.start < e and s < x.end for x in doc.mentions):
            continue
        doc.claimed[(s, e)] = "Enterprise"
        doc.add_mention("Enterprise", s, e, rule="numbered-company")
