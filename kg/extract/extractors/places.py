"""Where a zone is: the places its name starts with (国家许昌经济技术开发区 → 许昌,
山东邹平经济技术开发区 → 山东, 邹平), else a place named in the same sentence
(中原电气谷…许昌市); a name starting with 市 (市城乡一体化示范区) means the article's city.
Then the larger divisions those lie in, where a passage about the zone names them (邹平市
→ 滨州市, 山东省; kg/extract/scope.py), and the counties of the zone's city that a sentence
about the zone names.

Every place is linked to its administrative division (kg/extract/divisions.py): a name that
several divisions share (鼓楼区, 朝阳区) takes the one that the article's other places
point to, and no code when they point to none (``doc.place_codes`` holds "").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.extract.divisions import Division, ancestors, codes_named, divisions, is_within, resolve, scan
from kg.extract.document import Doc
from kg.extract.pipeline import RELATE, component
from kg.extract.scope import ZoneScope

_NATIONAL = re.compile(r"^国家级?")
# Words that introduce where a zone lies: 位于…, 地处…, 规划面积…包括…, 横跨….
_WHERE = re.compile(r"位于|地处|坐落于|包括|涵盖|覆盖|横跨|跨越|涉及")


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    spelling: str
    candidates: tuple[str, ...]  # division codes the spelling may mean here


def _running_text_codes(spelling: str) -> tuple[str, ...]:
    """Divisions a spelling in running text may mean: any division by its full name, a
    province or a city by its short name (a county's short name, 金水, 中牟, is believed
    only at the start of a zone's name)."""
    table = divisions()
    full = codes_named(spelling, full_only=True)
    if full:
        return full
    short = [c for c in codes_named(spelling) if table[c].level != "county"]
    if not short:
        return ()
    # A short form shared by a province and a city (吉林) means the larger unit.
    top = min(("province", "city").index(table[c].level) for c in short)
    return tuple(c for c in short if ("province", "city").index(table[c].level) == top)


def _believed(spelling: str) -> bool:
    return bool(_running_text_codes(spelling))


def _on_token_boundaries(doc: Doc, start: int, end: int) -> bool:
    toks = doc.tokens(doc.sentence_at(start))
    starts = {s for s, _ in toks}
    ends = {e for _, e in toks}
    return start in starts and end in ends


# What a place at the start of a name belongs to: 吉林华星化工有限公司, 吉林日报,
# 河南省科技厅, 河南省创新创业大赛, 河南省“科学技术进步奖” say nothing about where the zone is.
_OWNER = re.compile(r"[\u3400-\u9fff“”\"]{0,14}?(?:有限|公司|集团|日报|报社|大学|学院|银行|电视台"
                    r"|厅|委员会|人民政府|大赛|赛区|奖)")
_NAMED_TYPES = ("Enterprise", "Project", "Park")


def article_places(doc: Doc) -> list[PlaceMention]:
    """Every province, city and county the article names, in order; not those that
    open the name of a company, a project, a park, a newspaper or a university."""
    text = doc.text
    table = divisions()
    named = sorted((m.start, m.end) for m in doc.mentions_of(*_NAMED_TYPES))
    zones = [(m.start, m.end) for m in doc.mentions_of("Zone")]
    out = []
    origin_end = -1
    for s, e, spelling in scan(text, _believed):
        codes = _running_text_codes(spelling)
        if not codes:
            continue
        if text[max(0, s - 2):s] == "来自" or text[s - 1:s] == "从" or s == origin_end:
            origin_end = e
            continue  # 从广东省深圳市引进的项目: where it came from
        if _OWNER.match(text, e) or any(a <= s and e <= b and (a, b) != (s, e) for a, b in named):
            continue
        if any(a <= s and e <= b and e - s == b - a for a, b in zones):
            continue  # 浦东新区 as the zone's own name: the zone is not in itself
        if len(spelling) == 2 and all(table[c].name == spelling for c in codes):
            # 城区, 郊区, 矿区: divisions only right after their city's name.
            before = {p for c in codes for p in ancestors(c)[:1]}
            if not any(text[max(0, s - len(n)):s] == n for p in before for n in (table[p].name, table[p].short)):
                continue
        if any(table[c].name != spelling for c in codes) and not _on_token_boundaries(doc, s, e):
            continue  # a short form inside a longer word (吉林 of 吉林大学 stays; 安康 of 健康安康 does not)
        out.append(PlaceMention(s, e, spelling, codes))
    return out


def _in_headline(doc: Doc, pos: int) -> bool:
    """In a short paragraph with no full stop: a headline or slogan (出彩河南看许昌) names
    a topic, not where the zone is."""
    for start, end in doc.paragraphs:
        if start <= pos < end:
            line = doc.text[start:end]
            return len(line) <= 40 and not any(ch in line for ch in "。；;")
    return False


def _context(mentions: list[PlaceMention]) -> set[str]:
    return {m.candidates[0] for m in mentions if len(m.candidates) == 1}


def _name_places(name: str, context: set[str], mentioned: set[str],
                 spelled: frozenset[str] = frozenset()) -> list[tuple[str, str | None, int, int]]:
    """The places a zone's name starts with, as (spelling, code or None, start, end)
    within the name: 山东邹平经济技术开发区 → 山东 (山东省), 邹平 (邹平市)."""
    table = divisions()
    out: list[tuple[str, str | None, int, int]] = []
    m = _NATIONAL.match(name)
    pos = m.end() if m else 0
    while pos < len(name):
        spelling = ""
        for n in range(min(len(name) - pos, 10), 1, -1):
            if codes_named(name[pos:pos + n]):
                spelling = name[pos:pos + n]
                break
        if not spelling:
            break
        codes = codes_named(spelling)
        if out:
            # After a place, only a division inside it continues the name (山东|邹平).
            outer = out[-1][1]
            codes = tuple(c for c in codes if outer and is_within(c, outer) and c != outer)
            if not codes:
                break
        named = tuple(c for c in codes if c in mentioned)
        if named:
            codes = named  # 朝阳… in an article that names 北京市朝阳区: that one, not 朝阳市
        county_short = all(table[c].level == "county" and table[c].name != spelling for c in codes)
        code = resolve(codes, context)
        if county_short and not out:
            # A county's short name opens a zone's name only when the article names that
            # county or the division right above it (金水… in an article about 郑州市金水区).
            if code is None:
                full = {table[c].name for c in codes}
                if len(full) == 1 and full <= spelled:
                    # 鼓楼…, in an article that writes 鼓楼区 but not which one: the place, no code.
                    out.append((full.pop(), None, pos, pos + len(spelling)))
                break
            # A county-level city's short name is in common use (长葛…, 禹州…): that one
            # needs no support once the article's places settle which it is.
            if not ({code} | set(ancestors(code)[:1])) & mentioned and not table[code].name.endswith("市"):
                break
        if code is None and not out:
            levels = {table[c].level for c in codes}
            # 吉林…: a province and a city share the short form; the larger unit.
            if len(levels) > 1:
                top = [c for c in codes if table[c].level == min(levels, key=("province", "city", "county").index)]
                code = top[0] if len(top) == 1 else None
        out.append((spelling, code, pos, pos + len(spelling)))
        pos += len(spelling)
        m = re.match(r"国家级?", name[pos:])
        if m:
            break  # 鹤壁国家经济技术开发区: nothing after 国家 is a place
    if out and pos == len(name):
        return []  # 浦东新区: the zone is the division itself, not in it
    inner = _inner_place(name, pos, context)
    if inner and not any(code and is_within(inner[1], code) for _, code, _, _ in out):
        return [inner]  # 上海保税区昆山功能区: the 功能区 is in 昆山, not in 上海
    return out


def _inner_place(name: str, after: int, context: set[str]) -> tuple[str, str, int, int] | None:
    """A division named right after a zone head inside a zone's name (…保税区昆山功能区):
    the part of the other zone that lies there."""
    table = divisions()
    for m in re.finditer(r"[区园]", name[after:]):
        start = after + m.end()
        for n in range(min(len(name) - start - 1, 10), 1, -1):
            codes = tuple(c for c in codes_named(name[start:start + n]) if table[c].level != "province")
            code = resolve(codes, context) if codes else None
            if code:
                return (name[start:start + n], code, start, start + n)
    return None


def _place_key(doc: Doc, code: str | None, spelling: str, start: int, end: int, *, spelled: bool = True) -> tuple[str, str]:
    """Add a mention of the place and return its key: the division's full name, its
    short form an alias (both are its names); the code goes to ``doc.place_codes``."""
    table = divisions()
    if code is None:
        key = ("Place", spelling)
        doc.add_mention("Place", start, end, spelling, rule="place")
        doc.place_codes.setdefault(key, "")
        return key
    d: Division = table[code]
    key = ("Place", d.name)
    doc.add_mention("Place", start, end, d.name, rule="place")
    names = {d.short} if d.level != "county" else set()
    if spelled and spelling != d.name:
        names.add(spelling)
    for n in sorted(names - {d.name}):
        doc.add_mention("Place", start, end, n, rule="place-short")
        doc.alias_of[("Place", n)] = key
    doc.place_codes[key] = code
    return key


# 推介会在重庆举行: where an event is held is no place the zone lies in.
_VENUE = re.compile(r"[市县区]?(?:隆重)?(?:举行|召开|举办|开幕|闭幕)")


@component("zone-places", RELATE + 1)
def relate_zone_places(doc: Doc) -> None:
    table = divisions()
    mentions = article_places(doc)
    context = _context(mentions)
    # Each mention's division, now that the article's other places are known.
    resolved: list[tuple[PlaceMention, str | None]] = [(m, resolve(m.candidates, context - set(m.candidates)))
                                                        for m in mentions]
    mentioned = {c for _, c in resolved if c}
    spelled = frozenset(m.spelling for m, c in resolved if c is None)  # names of no settled division
    by_code: dict[str, list[PlaceMention]] = {}
    for m, c in resolved:
        if c and not _in_headline(doc, m.start) and not _VENUE.match(doc.text, m.end):
            by_code.setdefault(c, []).append(m)
    scope = ZoneScope(doc)
    one_zone = len({doc.resolve(m.key) for m in doc.mentions_of("Zone")}) == 1

    def about(zone) -> dict[str, PlaceMention]:
        """The first mention of each division in a passage about ``zone`` (anywhere, in an
        article about one zone)."""
        out = {}
        for code, ms in by_code.items():
            for pm in ms:
                if one_zone or doc.resolve(scope.zone_at(pm.start) or ("", "")) == doc.resolve(zone):
                    out[code] = pm
                    break
        return out

    city_counts: Counter = Counter(c for _, c in resolved if c and table[c].level == "city")
    article_city = max(city_counts, key=lambda c: (city_counts[c], c)) if city_counts else None

    zone_sentences: dict = {}
    for m in doc.mentions_of("Zone"):
        zone_sentences.setdefault(doc.resolve(m.key), set()).add(doc.sentence_at(m.start).index)

    done = set()
    for m in sorted(doc.mentions_of("Zone"), key=lambda m: m.start):
        zone = doc.resolve(m.key)
        if zone in done:
            continue
        sent = doc.sentence_at(m.start)
        codes: list[str] = []
        in_name = _name_places(m.name, context, mentioned, spelled)
        if in_name:
            done.add(zone)
            offset = m.start if doc.text[m.start:m.end] == m.name else None
            for spelling, code, s, e in in_name:
                start, end = (offset + s, offset + e) if offset is not None else (m.start, m.end)
                pk = _place_key(doc, code, spelling, start, end)
                doc.add_fact("locatedIn", zone, pk, sent.index, rule="place-in-name")
                if code:
                    codes.append(code)
        elif m.name.startswith("市") and article_city:
            done.add(zone)
            city = table[article_city]
            pk = _place_key(doc, article_city, city.name, m.start, m.start + 1, spelled=False)
            doc.add_fact("locatedIn", zone, pk, sent.index, rule="article-city")
            codes.append(article_city)
            # "the city's zone": its full name carries the city (许昌市城乡一体化示范区).
            full = ("Zone", city.short + m.name)
            doc.add_mention("Zone", m.start, m.end, full[1], rule="zone-qualified")
            doc.alias_of[zone] = full
            done.add(full)  # later mentions resolve to the qualified name: qualify once
            zone = full
        else:
            nearby = [(pm, c) for pm, c in resolved if sent.start <= pm.start < sent.end and c
                      and table[c].level in ("city", "county") and not _VENUE.match(doc.text, pm.end)]
            if not nearby:
                continue
            done.add(zone)
            # …位于/包括/地处 A市B县…和C区: every place of the list; else the first one.
            k = _WHERE.search(doc.text, m.end, sent.end)
            listed = [(pm, c) for pm, c in nearby if k and pm.start >= k.end()]
            for pm, code in listed or nearby[:1]:
                pk = _place_key(doc, code, pm.spelling, pm.start, pm.end)
                doc.add_fact("locatedIn", zone, pk, sent.index, rule="place-in-sentence")
                codes.append(code)
        _add_surroundings(doc, zone, codes, resolved, about(zone), zone_sentences.get(zone, set()))


def _add_surroundings(doc: Doc, zone, codes: list[str], resolved, first_mention, zone_sentences: set[int]) -> None:
    """The divisions above the zone's places that a passage about the zone names (its
    province, its city), the counties inside them named in a sentence about the zone, and
    the places listed after 位于/包括… in a sentence that names the zone."""
    table = divisions()
    have = set(codes)
    for m in doc.mentions_of("Zone"):
        if doc.resolve(m.key) != doc.resolve(zone):
            continue
        sent = doc.sentence_at(m.start)
        k = _WHERE.search(doc.text, m.end, sent.end)
        if not k or any(zm.start < k.start() and zm.start > m.end and doc.resolve(zm.key) != doc.resolve(zone)
                        for zm in doc.mentions_of("Zone") if zm.start < sent.end):
            continue  # no list, or the list is another zone's
        for pm, c in resolved:
            if c and k.end() <= pm.start < sent.end and c not in have and table[c].level in ("city", "county"):
                have.add(c)
                codes.append(c)
                pk = _place_key(doc, c, pm.spelling, pm.start, pm.end)
                doc.add_fact("locatedIn", zone, pk, sent.index, rule="place-listed")
    for code in list(codes):
        for a in ancestors(code):
            if a in have or a not in first_mention:
                continue
            have.add(a)
            pm = first_mention[a]
            pk = _place_key(doc, a, pm.spelling, pm.start, pm.end)
            doc.add_fact("locatedIn", zone, pk, doc.sentence_at(pm.start).index, rule="place-above")
    for pm, c in resolved:
        if not c or c in have or table[c].level != "county":
            continue
        sent = doc.sentence_at(pm.start).index
        if sent in zone_sentences and any(is_within(c, z) for z in codes):
            have.add(c)
            pk = _place_key(doc, c, pm.spelling, pm.start, pm.end)
            doc.add_fact("locatedIn", zone, pk, sent, rule="place-below")
