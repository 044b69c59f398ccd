"""Alias resolution within one article: which names are spellings of one thing.

- ``(以下简称X)`` defines X as a name of the entity just before it; a generic X
  (开发区) instead marks that zone as the article's own.
- The article's own zone ("home zone") is that one, or else its most mentioned zone.
- A name nested in a longer name of the same type is a short form of it
  (年产9000吨核苷类产品项目 in 许昌富森…年产9000吨核苷类产品项目).
- Company short and full names share a base: 西继迅达 ↔ 西继迅达电梯有限公司,
  卫龙 ↔ 卫龙食品 ↔ 卫龙公司; but a 集团 is not its subsidiary (双汇集团 ≠ 双汇物流).
- A project named with and without its city or 项目 is one project.
- OCR variants: one character off, same length, far rarer → the same entity.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kg.extract.divisions import codes_named
from kg.extract.document import Doc, Key
from kg.extract.extractors.enterprises import INDUSTRY_HEADS, LEGAL_HEADS
from kg.extract.extractors.zones import BARE_REFERENCES
from kg.extract.lexicon import countries, places
from kg.extract.names import is_rare_word, place_prefix
from kg.extract.pipeline import RESOLVE, component
from kg.extract.unionfind import UnionFind

# (以下简称X), and the other names a text gives in brackets: (即X), (又称X), (下称X).
_DEFINITION = re.compile(r"\s*[(（]\s*(?:(?:以下)?简称|下称|即|又称|亦称)[:：]?\s*[“\"'‘]?(?P<alias>[^)）”\"'’]{1,20})[”\"'’]?\s*[)）]")
_CONTAINERS = ("Enterprise",)  # types whose full names swallow other heads (…产业园有限公司)


def _occurrences(needle: str, text: str):
    """(start, end) of every non-overlapping occurrence, as ``re.finditer(re.escape(needle))`` finds them."""
    if not needle:
        yield from (m.span() for m in re.finditer("", text))
        return
    i = text.find(needle)
    while i != -1:
        yield i, i + len(needle)
        i = text.find(needle, i + len(needle))


_PLACE_IN_BRACKETS = re.compile(r"[(（]([\u4e00-\u9fff]{2,6})[)）]$")


# Pure functions of a name (and the fixed lexicons), compared pairwise below: memoised.
@lru_cache(maxsize=1 << 16)
def legal_base(name: str) -> str:
    """许昌富森生物科技股份有限公司 → 富森生物科技; 上海航盛 → 航盛."""
    base = name
    for head in sorted(LEGAL_HEADS, key=len, reverse=True):
        if base.endswith(head) and len(base) > len(head) + 1:
            base = base[: -len(head)]
            break
    # 西门子(中国)有限公司, 施耐德电气(临沂)有限公司: the place in brackets says where this
    # branch is; the company is the brand before it.
    bracket = _PLACE_IN_BRACKETS.search(base)
    if bracket and bracket.start() >= 2 and (bracket.group(1) in places() or bracket.group(1) in countries() or
                                             place_prefix(bracket.group(1)) == bracket.group(1) or
                                             codes_named(bracket.group(1))):
        base = base[:bracket.start()]
    place = place_prefix(base)
    if place and len(base) - len(place) >= 2:
        base = base[len(place):]
    return base


@lru_cache(maxsize=1 << 16)
def brand_base(name: str) -> str:
    """The name without a country or place in front and without its legal form:
    法国维斯康 → 维斯康, 维斯康公司 → 维斯康, 瑞丰民生公司 → 瑞丰民生."""
    base = legal_base(name)
    for country in sorted(countries(), key=len, reverse=True):
        if base.startswith(country) and len(base) - len(country) >= 2:
            return base[len(country):]
    return base


_MORE_ENDINGS = frozenset({"运输", "冷却", "驱动", "工程", "工程机械", "汽车", "新能源", "锂业", "锂电", "半导体", "光伏"})


@lru_cache(maxsize=1 << 16)
def core_name(name: str) -> str:
    """The brand without its industry endings: 山东临工工程机械有限公司 → 临工,
    富森生物科技 → 富森."""
    base = legal_base(name)
    # Business endings only: a facility word (产业园, 基地) ends a different name.
    endings = sorted(set(INDUSTRY_HEADS) | _MORE_ENDINGS, key=len, reverse=True)
    stripped = True
    while stripped:
        stripped = False
        for head in endings:
            if base.endswith(head) and len(base) - len(head) >= 2:
                base = base[: -len(head)]
                stripped = True
                break
    return base


# What follows a place's short name when it names the place: 县, 区, 市 …
_DIVISION_ENDS = frozenset("省市县区旗州盟镇乡")


def _propagate_short_names(doc: Doc) -> None:
    """A company named in full once is often named short later (山东临工工程机械有限公司 …
    山东临工扩建): occurrences of its short forms outside any other name are mentions of it."""
    text = doc.text
    taken = [(m.start, m.end) for m in doc.mentions]
    # (a legal name, or a name with an industry ending: 顺丰速运 … 顺丰将投资)
    fulls = sorted({m.name for m in doc.mentions_of("Enterprise") if m.rule == "legal-head" or
                    (m.name.endswith(INDUSTRY_HEADS) and len(core_name(m.name)) >= 2 and core_name(m.name) != m.name)})
    for full in fulls:
        place = place_prefix(full)
        forms = {legal_base(full), core_name(full), brand_base(full)}  # 德国博世集团 … 博世
        forms |= {place + f for f in forms if place}
        for form in sorted(forms, key=len, reverse=True):
            if form == full or len(form) < 2 or (len(form) == 2 and not is_rare_word(form)):
                continue
            for s, e in _occurrences(form, text):
                if text[e:e + 1] in _DIVISION_ENDS:
                    continue  # 临川|县工业园区: the place the company is named after, not the company
                if not any(a < e and s < b for a, b in taken):
                    doc.add_mention("Enterprise", s, e, form, rule="short-name")
                    taken.append((s, e))
    # A company a list typed (引进隆基绿能、…等企业) is the same company where the text names it
    # again on its own (隆基绿能投资50亿元…): its other occurrences are mentions of it.
    listed = sorted({m.name for m in doc.mentions_of("Enterprise") if m.rule.startswith("list")
                     and len(m.name) >= 3 and m.name == text[m.start:m.end]})
    for name in listed:
        for s, e in _occurrences(name, text):
            if text[e:e + 1] in _DIVISION_ENDS or (s > 0 and _CJK.match(text, s - 1) and
                                                  not any(b == s for _, b in taken)):
                continue  # inside a longer word
            if not any(a < e and s < b for a, b in taken):
                doc.add_mention("Enterprise", s, e, name, rule="named-again")
                taken.append((s, e))


_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1 << 16)
def _project_key(name: str) -> str:
    core = name[:-2] if name.endswith("项目") and len(name) > 3 else name
    if core.endswith("建设") and len(core) >= 6:
        core = core[:-2]  # 金岭建材城建设项目 is 金岭建材城 being built
    place = place_prefix(core)
    if place and len(core) - len(place) >= 4:
        core = core[len(place):]
    return core


# Zone heads and their standard abbreviations: 许昌经开区 is 许昌经济技术开发区.
_ZONE_ABBREVIATIONS = (("经济技术开发区", "经开区"), ("经济开发区", "经开区"), ("高新技术产业开发区", "高新区"),
                       ("高新技术开发区", "高新区"), ("综合保税区", "综保区"), ("产业集聚区", "集聚区"))


_BARE_DEVELOPMENT_ZONE = re.compile(r"(?<!经济|技术|产业|科技)开发区$")


@lru_cache(maxsize=1 << 16)
def zone_key(name: str) -> str:
    """What two spellings of one zone share: 国家许昌经济技术开发区, 许昌经开区 and 许昌开发区
    give 许昌经开区; 安徽省马鞍山市慈湖高新区 and 慈湖高新区 give 慈湖高新区 (a province or city
    in front is dropped while a name of two or more characters is left before the head)."""
    part = _part_of_parent(name)
    if part:
        return zone_key(part)  # 临港保税港区|东川功能区 and 东川功能区: the part's own name
    key = name.removeprefix("国家级").removeprefix("国家")
    for full, short in _ZONE_ABBREVIATIONS:
        if key.endswith(full):
            key = key[: -len(full)] + short
            break
    else:
        key = _BARE_DEVELOPMENT_ZONE.sub("经开区", key)
    key = key.replace("国家级", "").replace("国家", "").replace("省级", "")
    head = _zone_head(key)
    while True:
        place = place_prefix(key)
        if not place:
            return key
        if len(key) - len(place) - len(head) < 2:
            # 许昌市经开区 and 许昌经开区: the city's short name
            return places()[place].short + key[len(place):]
        key = key[len(place):]


def _part_of_parent(name: str) -> str:
    """东川功能区 of 临港保税港区东川功能区: a zone named after the zone it is part of, by what
    follows the parent's head (a name of two or more characters and a head of its own)."""
    from kg.extract.extractors.zones import ZONE_HEAD

    for m in ZONE_HEAD.finditer(name):
        part = name[m.end():]
        head = _zone_head(part) if part else ""
        if head and len(part) - len(head) >= 2:
            return part
    return ""


@lru_cache(maxsize=1 << 16)
def _zone_head(name: str) -> str:
    from kg.extract.extractors.zones import ZONE_HEADS

    return max((h for h in ZONE_HEADS.split("|") if name.endswith(h)), key=len, default="")


@component("aliases", RESOLVE)
def resolve_aliases(doc: Doc) -> None:
    text = doc.text
    # Heads swallowed by a company's full name are not entities of their own.
    companies = [m for m in doc.mentions if m.type in _CONTAINERS and m.rule == "legal-head"]
    doc.mentions = [m for m in doc.mentions if m.type in _CONTAINERS or not any(
        c.start <= m.start and m.end <= c.end for c in companies)]

    # The longer spelling represents a set unless a rule prefers another.
    _propagate_short_names(doc)
    uf: UnionFind[Key] = UnionFind(rank=lambda k: (-len(k[1]), k[1]))
    counts = Counter(m.key for m in doc.mentions)
    for m in doc.mentions:
        uf.find(m.key)

    # (以下简称X)
    for m in list(doc.mentions):
        d = _DEFINITION.match(text, m.end)
        if not d:
            continue
        alias = d["alias"].strip()
        if alias in BARE_REFERENCES or alias in ("园区", "该区", "本区"):
            if m.type == "Zone":
                doc.home_zone = m.key
            continue
        for occ_start, occ_end in _occurrences(alias, text):
            if not any(x.start <= occ_start < x.end for x in doc.mentions if x.type == m.type):
                doc.add_mention(m.type, occ_start, occ_end, alias, rule="defined-alias")
        uf.union((m.type, alias), m.key, prefer=m.key)

    # A zone named inside a longer zone's name (临港保税港区 in 临港保税港区东川功能区) is
    # that name's part, not a zone of the article.
    zone_spans = [m for m in doc.mentions if m.type == "Zone"]
    doc.mentions = [m for m in doc.mentions if m.type != "Zone" or not any(
        o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end) for o in zone_spans)]

    # A park named by the tail of a zone that is a park itself (…落户经济产业园 in an article on
    # 东湖循环经济产业园区: the article's short form) is that zone, not a park of it.
    zone_names = {m.name for m in doc.mentions if m.type == "Zone" and m.name.endswith(("园区", "园"))}
    doc.mentions = [m for m in doc.mentions if m.type != "Park" or not any(
        z != m.name and len(m.name) >= 4 and (z.endswith(m.name) or z.endswith(m.name + "区")) for z in zone_names)]

    # Same-type nesting: the inner name is a short form of the outer one.
    by_type: dict[str, list] = {}
    for m in doc.mentions:
        by_type.setdefault(m.type, []).append(m)
    for type_, ms in by_type.items():
        if type_ in ("Zone", "Place"):
            continue
        for inner in ms:
            for outer in ms:
                if outer.start <= inner.start and inner.end <= outer.end and outer.name != inner.name:
                    uf.union(inner.key, outer.key, prefer=outer.key)

    # Company short and full names.
    ents = sorted({m.name for m in doc.mentions_of("Enterprise")})
    # The bare base of a 集团 (双汇) names the group, never its subsidiaries (双汇物流).
    group_bases = {legal_base(n) for n in ents if n.endswith("集团")}
    for a in ents:
        for b in ents:
            if a >= b:
                continue
            la, lb, ca, cb = legal_base(a), legal_base(b), core_name(a), core_name(b)
            group = a.endswith("集团") or b.endswith("集团")
            short_of_a = ca == lb and b == lb and lb not in group_bases
            short_of_b = cb == la and a == la and la not in group_bases
            same_core = ca == cb and not group and len(ca) >= 2 and ca not in group_bases
            if la == lb or short_of_a or short_of_b or same_core:
                uf.union(("Enterprise", a), ("Enterprise", b))

    # A brand alone (维斯康, 瑞丰) and the one company whose name starts with it
    # (法国维斯康, 维斯康公司, 瑞丰民生公司); a 集团 wins over its namesake subsidiaries.
    bases = {n: brand_base(n) for n in ents}
    for short in ents:
        b = bases[short]
        if len(b) < 2 or short.endswith(LEGAL_HEADS) or core_name(b) != b or b in group_bases:
            continue  # only a bare brand (维斯康), not 许继配电 beside 许继集团, nor 蒙牛 of 蒙牛集团
        longer = sorted({uf.find(("Enterprise", n)) for n in ents if n != short and len(n) > len(short)
                         and bases[n].startswith(b)} - {uf.find(("Enterprise", short))})
        groups = [k for k in longer if k[1].endswith("集团")]
        if len(longer) == 1 or len(groups) == 1:
            uf.union(("Enterprise", short), (groups or longer)[0])

    # Projects and parks with and without their city or 项目; a project also by the
    # long tail of its name (年产9000吨核苷类产品项目 of 许昌富森…年产9000吨核苷类产品项目).
    for type_ in ("Project", "Park"):
        names = sorted({m.name for m in doc.mentions_of(type_)})
        for a in names:
            for b in names:
                ka, kb = _project_key(a), _project_key(b)
                if a < b and (ka == kb or (type_ == "Project" and min(len(ka), len(kb)) >= 6 and
                                          (ka.endswith(kb) or kb.endswith(ka)))):
                    uf.union((type_, a), (type_, b))

    # Zones spelled in full and abbreviated: 国家许昌经济技术开发区, 许昌经开区.
    zones = sorted({m.name for m in doc.mentions_of("Zone")})
    for a in zones:
        for b in zones:
            if a < b and zone_key(a) == zone_key(b):
                uf.union(("Zone", a), ("Zone", b))

    # OCR variants: one character off and at least three times rarer.
    for type_ in ("Zone", "Enterprise", "Park", "Project"):
        names = sorted({m.name for m in doc.mentions if m.type == type_})
        for a in names:
            for b in names:
                if a == b or len(a) != len(b) or len(a) < 4:
                    continue
                diff = [i for i in range(len(a)) if a[i] != b[i]]
                if len(diff) == 1 and counts[(type_, a)] * 3 <= counts[(type_, b)]:
                    uf.union((type_, a), (type_, b), prefer=(type_, b))

    for k in list(uf.parent):
        root = uf.find(k)
        if root != k:
            doc.alias_of[k] = root

    _resolve_bare_references(doc)
    if doc.home_zone is None:
        zone_counts = Counter(doc.resolve(m.key) for m in doc.mentions_of("Zone"))
        zone_counts.update(doc.ref_zone.values())
        if zone_counts:
            first = {}
            for m in doc.mentions_of("Zone"):
                first.setdefault(doc.resolve(m.key), m.start)
            # The headline names the article's zone.
            title_end = doc.text.find("\n")
            for m in doc.mentions_of("Zone"):
                if 0 < title_end <= 60 and m.end <= title_end:
                    zone_counts[doc.resolve(m.key)] += 2
                    break
            doc.home_zone = max(zone_counts, key=lambda k: (zone_counts[k], -first.get(k, 0)))
    else:
        doc.home_zone = doc.resolve(doc.home_zone)


# Bare references and the heads of the zones they can stand for: 示范区 is the
# article's 示范区, 经开区 its 经济技术开发区.
_REFERENCE_FAMILIES = (
    (("开发区", "经开区"), ("经济技术开发区", "经济开发区", "开发区", "经开区")),
    (("高新区",), ("高新技术产业开发区", "高新技术开发区", "高新区")),
    (("示范区",), ("示范区",)),
    (("新区",), ("新区",)),
    (("新城",), ("新城",)),
    (("试验区",), ("试验区", "实验区")),
    (("综保区", "保税区"), ("综合保税区", "综保区", "保税区", "保税港区")),
    (("功能区",), ("功能区",)),
)


def _resolve_bare_references(doc: Doc) -> None:
    """Which zone each bare reference (示范区, 经开区) means: the one zone of the article
    whose head is of the same kind, the most named when there are several."""
    zones = Counter(doc.resolve(m.key) for m in doc.mentions_of("Zone"))
    for start, end in doc.home_refs:
        ref = doc.text[start:end]
        for refs, heads in _REFERENCE_FAMILIES:
            if ref in refs:
                fitting = [z for z in zones if z[1].endswith(heads)]
                if fitting:
                    doc.ref_zone[(start, end)] = max(fitting, key=lambda z: (zones[z], z[1]))
                break
