"""Zones: 国家许昌经济技术开发区, 许昌经开区, 市城乡一体化示范区, 中原电气谷 …

Also records bare references (开发区, 经开区, 示范区, 全区) that mean the article's own
zone: they are not names, but they tell which zone a passage is about.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc
from kg.extract.lexicon import industry_words, places, sector_words, words_of
from kg.extract.names import is_generic_prefix, left_start, place_prefix, strip_quotes
from kg.extract.pipeline import RECOGNIZE, component

ZONE_HEADS = (
    # (one zone with both statuses: 哈密经济技术和高新技术产业开发区)
    "经济技术和高新技术产业开发区|经济技术开发区|高新技术产业开发区|高新技术产业园区|高新技术开发区|经济开发区|技术开发区|开发区|经开区|高新区|"
    "示范区|产业集聚区|商务中心区|综合保税区|保税港区|保税区|综保区|自由贸易试验区|自贸区|合作区|"
    "试验区|实验区|新区|台商投资区|台商区|出口加工区|工业区|新城|功能区|"
    # airport zones: 双龙航空港经济区, 青湾临空经济区
    "航空港经济区|空港经济区|临空经济区"
)
ZONE_HEAD = re.compile(rf"(?:{ZONE_HEADS})")
# A zone named in a clause (开发区, 青湾经开区, 中国(浙江)自由贸易试验区) or a park that is one (园区),
# for the patterns of other recognisers that need "in the zone" or "with the zone".
ZONE_REFERENCE = rf"[\u4e00-\u9fff()（）]{{0,16}}?(?:{ZONE_HEADS}|园区)"
_PILOT_OF_ECONOMY = re.compile(r"经济|开发|开放|贸易|保税|产业|科技|金融|农业|物流|港")
# Verbs that are part of a zone's name (重点开发开放试验区, 综合改革试验区, 自主创新示范区).
_IN_ZONE_NAMES = frozenset("开发 开放 改革 创新 转型 融合 合作 发展 综合 重点".split())
# Heads that are also ordinary words (城市新区, 新城控股, 老工业区): taken only after a
# specific name and never inside a company's name.
_WEAK_HEADS = frozenset({"新区", "新城", "工业区", "功能区", "试验区", "实验区"})
# (建设, 投资 … only as a company's words: 新区建设投资集团, not 在江北新区建设研发总部.)
_COMPANY_AFTER = re.compile(r"控股|集团|公司|有限|股份|置业|(?:建设|投资|发展|管理|开发)[\u4e00-\u9fff]{0,6}?(?:集团|公司|有限|股份)")
# 中原电气谷, 武汉光谷: a region and an industry followed by 谷.
_VALLEY = re.compile(r"谷")
# Words between a place and the head that do not make a zone specific.
_QUALIFIERS = re.compile(r"^(国家级?|省级?|市级?|国家|全省|全市|全国|我市|本市|该|全|首批|第[一二三四五六七八九十]+批|两|三|核心|重点|"
                         r"先行|起步|第[一二三四五六七八九十0-9]+个|首个|又一个?)+"
                         # (先行区出口加工区, 核心区综合保税区: the part of an area, then its kind)
                         r"(?:区|片区)?$")
# Heads that name one place in a city even alone (the city's CBD).
_NAMED_BARE = ("商务中心区",)
BARE_REFERENCES = ("开发区", "经开区", "高新区", "示范区", "全区", "该区", "本区", "新区", "新城", "试验区", "综保区",
                   "保税区", "功能区")


def _is_generic_zone(prefix: str) -> bool:
    p = strip_quotes(prefix)
    # 高新技术产业|示范区 is a kind; 黄河三角洲农业高新技术产业|示范区 names one by its region
    return not p or bool(_QUALIFIERS.match(p)) or len(p) < 2 or (p.endswith(("产业", "工业")) and len(p) <= 8) or \
        is_generic_prefix(p) or _only_trades(p)


# 临空经济|示范区, 现代农业|示范区: words of a trade or an activity say what kind of zone.
_KIND_OF_ECONOMY = frozenset("临空 空港 航空港 经济 现代".split())


def _only_trades(prefix: str) -> bool:
    words = [w for w in words_of(prefix) if w.strip()]
    return bool(words) and all(w in industry_words() or w in sector_words() or w in _KIND_OF_ECONOMY for w in words)


def _division_prefix(prefix: str) -> bool:
    """Whether a zone's prefix starts with a province, city or county (嘉定|新城)."""
    from kg.extract.divisions import codes_named

    return bool(place_prefix(prefix)) or any(codes_named(prefix[:n]) for n in range(2, min(len(prefix), 7) + 1))


def _trim_glued(text: str, start: int, head_start: int) -> int:
    """A grammar character glued to the place that starts a zone's name (经|临港经济开发区,
    3月15日|龙泉高新区): the name starts at the place."""
    prefix = text[start:head_start]
    if len(prefix) >= 3 and not place_prefix(prefix) and place_prefix(prefix[1:]) and \
            len(prefix) - 1 - len(place_prefix(prefix[1:])) >= 0:
        return start + 1
    return start


def _named_again(doc: Doc, name: str, m: re.Match) -> bool:
    """秦汉新城…。秦汉新城还…。秦汉新城将…: a 新城 whose name opens clauses again and again,
    the subject of what the article reports, is the area it is about; a development is
    named once or twice in passing. Its name must be a name (not 枢纽, not a trade)."""
    prefix = name[:-len(m.group())]
    if not 2 <= len(prefix) <= 4 or _only_trades(prefix) or is_generic_prefix(prefix):
        return False
    text = doc.text
    opens = 0
    i = text.find(name)
    while i != -1:
        if i == 0 or text[i - 1] in "\n，,。；;：:、" or doc.sentence_at(i).start == i:
            opens += 1
        i = text.find(name, i + len(name))
    return opens >= 2


@component("zones", RECOGNIZE + 1)
def recognize_zones(doc: Doc) -> None:
    text = doc.text
    for m in ZONE_HEAD.finditer(text):
        start = left_start(doc, m.start(), 16, inner_ok=_IN_ZONE_NAMES)
        while start < m.start() and any(text.startswith(w, start) for w in _IN_ZONE_NAMES) and \
                not any(text.startswith(w + "区", start) for w in _IN_ZONE_NAMES):
            start += next(len(w) for w in _IN_ZONE_NAMES if text.startswith(w, start))  # 发展|示范区 starts no name
        prefix = text[start:m.start()]
        if prefix.startswith("市") and len(prefix) > 1:
            # 市城乡一体化示范区: "the city's" zone; the name is kept as written.
            pass
        if m.group() in _NAMED_BARE and not prefix and not text[max(m.start() - 2, 0):m.start()].endswith(("全省", "全市", "全国", "首批")):
            doc.add_mention("Zone", m.start(), m.end(), rule="zone-bare")
            continue
        if m.group() == "新城" and not _division_prefix(prefix) and not _named_again(doc, prefix + m.group(), m):
            if len(prefix) < 2 and not _COMPANY_AFTER.match(text, m.end()):
                doc.home_refs.append((m.start(), m.end()))  # 新城以X为龙头: the article's 新城, if it names one
            continue  # 宿州新城 is a zone; 电子新城, 枢纽新城 are developments
        if m.group() in ("试验区", "实验区") and not _division_prefix(prefix) and not _PILOT_OF_ECONOMY.search(prefix):
            continue  # a pilot zone names its place or its economy (循环经济, 开发开放); 共同富裕先行试验区 is a policy
        if m.group() in _WEAK_HEADS and re.fullmatch(r"(?:东|西|南|北|中|东南|东北|西南|西北)部", prefix[len(place_prefix(prefix)):]):
            continue  # 宁波南部新区: a part of a city, not a zone by name
        if m.group() in _WEAK_HEADS and (_COMPANY_AFTER.match(text, m.end()) or len(prefix) < 2):
            if m.group() in BARE_REFERENCES and len(prefix) < 2 and not _COMPANY_AFTER.match(text, m.end()):
                doc.home_refs.append((m.start(), m.end()))
            continue
        if _is_generic_zone(prefix):
            if m.group() in BARE_REFERENCES and not text.startswith(("管委", "工委", "党工委"), m.end()):
                doc.home_refs.append((m.start(), m.end()))
            continue
        start = _trim_glued(text, start, m.start())
        doc.add_mention("Zone", start, m.end(), rule="zone-head")
    for m in _VALLEY.finditer(text):
        start = left_start(doc, m.start(), 8)
        prefix = text[start:m.start()]
        # Needs a region and an industry: 中原 + 电气 + 谷.
        if any(prefix.endswith(w) for w in industry_words()) and len(prefix) >= 4 and \
                any(prefix.startswith(p) for p in ("中原", "中部", "华中", "华北", "华南", "华东", "西部", "东部", "中国")
                    ) | (prefix[:2] in places()):
            doc.add_mention("Zone", start, m.end(), rule="zone-valley")
    for m in re.finditer(r"全区|该区|本区", text):
        doc.home_refs.append((m.start(), m.end()))
    doc.home_refs.sort()
