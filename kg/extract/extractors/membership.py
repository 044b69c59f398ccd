"""What belongs to which zone: hosts, hasPark, hasChain, hasCluster, and a project's
locatedIn (zone, and park when the project is named after a park of the zone).

Guideline: an enterprise named in an article about a zone operates there unless the
text says otherwise, so every enterprise is hosted by the zone in scope where it is
first named.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc
from kg.extract.pipeline import RELATE, component
from kg.extract.scope import ZoneScope

_REL_OF = {"Enterprise": "hosts", "Park": "hasPark", "IndustryChain": "hasChain", "IndustryCluster": "hasCluster"}


# 加强与X、Y的洽谈对接: talks with a company are not its presence in the zone; nor is
# an agreement of intent, nor being a customer (below).
_NEGOTIATION = re.compile(r"与(?P<who>[^，,。；;]{2,60}?)的[^，,。；;]{0,4}?(?:对接|洽谈|治谈|沟通|接洽)")


# 与X签署战略合作协议: a partner in an agreement of intent, when the sentence names no
# project and no investment, is not present in the zone.
_AGREEMENT = re.compile(r"与(?P<who>[^，,。；;]{2,60}?)(?:正式)?(?:签署|签订|达成)了?[^，,。；;]{0,12}?"
                        r"(?:战略合作|合作框架|框架合作|全面合作)(?:协议|备忘录|关系)")
_INVESTMENT = re.compile(r"投资[^，,。；;]{0,12}?元|项目")


# A company's customers are not in the zone: 产品主要供应A、B等企业; 客户包括A、B; 是A、B的一级供应商.
_CUSTOMERS = re.compile(r"(?:客户|用户)(?:主要)?(?:包括|有|涵盖|遍及|为)|(?:供应|供货|销往|远销)(?:给|于|到)?")
_SUPPLIER_OF = re.compile(r"是(?P<who>[^，,。；;]{2,40}?)的(?:一级|二级|核心|主要|重要|长期)?(?:供应商|配套商|供货商)")


# Those who build, design or supervise a project for its owner are not in the zone for it:
# 由X承建, 由X负责施工, 施工单位为X, EPC总承包方是X.
_CONTRACTED = re.compile(r"由(?P<who>[^，,。；;由]{2,30}?)(?:负责|担任)?(?:EPC)?(?:承建|施工|总承包|设计|监理)")
_CONTRACTOR = re.compile(r"(?:施工|设计|监理|承建|总承包|EPC)(?:单位|方|企业)(?:分别)?(?:为|是|[:：])(?P<who>[^，,。；;]{2,40})")


def _not_present_spans(doc: Doc) -> list[tuple[int, int]]:
    """Where the text names companies that are not in the zone: in talks, in an agreement of
    intent, as customers, as contractors."""
    spans = [m.span("who") for m in _NEGOTIATION.finditer(doc.text)]
    spans += [m.span("who") for m in _CONTRACTED.finditer(doc.text)]
    spans += [m.span("who") for m in _CONTRACTOR.finditer(doc.text)]
    spans += [m.span("who") for m in _SUPPLIER_OF.finditer(doc.text)]
    for m in _CUSTOMERS.finditer(doc.text):
        spans.append((m.end(), doc.clause_end(m.end())))
    for m in _AGREEMENT.finditer(doc.text):
        # The agreement's part of the sentence, up to a clause with other partners (…签署战略
        # 合作协议,与Y等就6个项目签约: those projects are Y's; …签订协议,将投资10亿元
        # 建设P: the same partner invests).
        sent = doc.sentence_at(m.start())
        start = doc.clause_start(m.start())
        end = min([sent.end] + [i for i in (doc.text.find(c, m.end(), sent.end) for c in ("，与", ",与", "；", ";"))
                                if i >= 0])
        if not _INVESTMENT.search(doc.text, start, end) and \
                not any(p.start >= start and p.end <= end for p in doc.mentions_of("Project")):
            spans.append(m.span("who"))
    return spans


# 宁远县引进X…, 永宁县签约Y…: a clause whose subject is another city or county tells
# what that place did, not what the zone hosts.
_ELSEWHERE_VERBS = ("引进", "签约", "招引", "新建", "建设", "投资", "落地", "开工")


def _about_elsewhere(doc: Doc, zone, pos: int) -> bool:
    from kg.extract.divisions import codes_named
    from kg.extract.lexicon import places, word_tag

    sent = doc.sentence_at(pos)
    clause = doc.clause_start(pos)
    toks = [(s, e) for s, e in doc.tokens(sent) if s >= clause]
    if len(toks) < 2:
        return False
    first = doc.text[toks[0][0]:toks[0][1]]
    place = places().get(first)
    if not first.endswith(("市", "县", "区", "旗")) or (place is not None and place.level == "province"):
        return False
    if place is None and not codes_named(first, full_only=True) and not (word_tag(first) or "").startswith("ns"):
        return False  # a county (宁远县) from the division table, or one jieba tags as a place
    short = place.short if place is not None else first[:-1]
    nxt = doc.text[toks[1][0]:toks[1][1]]
    return nxt.startswith(_ELSEWHERE_VERBS) and zone is not None and short not in zone[1]


def _leading_division(name: str) -> str:
    """The city or county a park's name starts with (醴陵|工业园, 攸县|新材料产业基地), or ''."""
    from kg.extract.divisions import codes_named

    best = ""
    for n in range(2, min(len(name) - 2, 5) + 1):
        if codes_named(name[:n]):
            best = name[:n]
    return best


def _named_after_other_place(doc: Doc, park: str, zone) -> bool:
    """A park named after another county than the zone's, or after another place than a
    zone that is a park itself (甲县工业园 beside 乙县工业园 in a report on a region), is an
    area of its own, not one of the zone's parks. 城北园区, 城东园区 name a part of town."""
    from kg.extract.divisions import codes_named, divisions
    from kg.extract.names import place_prefix

    place = _leading_division(park)
    # The zone's own place as its name gives it (a county's short name too: X县 → X经开区).
    zone_place = place_prefix(zone[1]) or _leading_division(zone[1])
    levels = {divisions()[c].level for c in codes_named(place)}
    if not place or not zone_place or place.startswith(("城", "东", "西", "南", "北")):
        return False
    zone_names = {m.name for m in doc.mentions if m.type == "Zone" and doc.resolve(m.key) == zone} | {zone[1]}
    shorts = {place}
    for code in codes_named(place):
        d = divisions()[code]
        shorts |= {d.name, d.short}
    if any(s in z for z in zone_names for s in shorts if len(s) >= 2):
        return False
    # A park named after another city may still be the zone's (深圳X工业园 for the firms of
    # a partner city); after another county, or beside a zone that is itself a park, not.
    return "county" in levels or bool(re.search(r"(?:工业园|产业园|园区)$", zone[1]))


def _right_after_zone(doc: Doc, park, zone) -> bool:
    """成都高新综保区|双流园区: a park written right after the zone's name is that zone's,
    whatever place it is named after."""
    ends = {z.end for z in doc.mentions_of("Zone") if doc.resolve(z.key) == zone}
    return any(p.start in ends for p in doc.mentions_of("Park") if doc.resolve(p.key) == park)


@component("membership", RELATE)
def relate_membership(doc: Doc) -> None:
    scope = ZoneScope(doc)
    first: dict = {}
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if m.type in _REL_OF or m.type == "Project":
            first.setdefault(doc.resolve(m.key), m)
    parks = {doc.resolve(m.key): m.name for m in doc.mentions_of("Park")}
    talks = _not_present_spans(doc)
    in_talks_only = set()
    for key in {doc.resolve(m.key) for m in doc.mentions_of("Enterprise")}:
        spans = [(m.start, m.end) for m in doc.mentions_of("Enterprise") if doc.resolve(m.key) == key]
        if spans and all(any(a <= s and e <= b for a, b in talks) for s, e in spans):
            in_talks_only.add(key)
    for key, m in first.items():
        zone = scope.zone_at(m.start)
        if zone is None or zone == key or _about_elsewhere(doc, zone, m.start):
            continue
        sent = doc.sentence_at(m.start).index
        if m.type == "Project":
            doc.add_fact("locatedIn", key, zone, sent, rule="scope")
            # 生物医药产业园基础设施 is in the 生物医药产业园.
            for park_key, park_name in parks.items():
                if m.name.startswith(park_name) and m.name != park_name:
                    doc.add_fact("locatedIn", key, park_key, sent, rule="park-prefix")
        elif key not in in_talks_only:
            if m.type == "Park" and _named_after_other_place(doc, m.name, zone) and not _right_after_zone(doc, key, zone):
                continue
            doc.add_fact(_REL_OF[m.type], zone, key, sent, rule="scope")
