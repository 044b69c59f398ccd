"""Parks inside a zone: 电梯产业园, 轻工食品工业园, 城北园区, 许昌5G泛在小镇 …

A park-like name that starts with a brand (宏途山药食品产业园, 航盛汽车电子工业园) is
an enterprise's project rather than a park of the zone; it becomes a Project, and the
brand an Enterprise (see projects.py). A list may already have typed the span.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc, Mention
from kg.extract.lexicon import is_boundary_word, words_of
from kg.extract.names import brand_prefix, is_generic_prefix, left_start, place_prefix, zone_localities
from kg.extract.pipeline import RECOGNIZE, RESOLVE, component

PARK_HEADS = "产业园区|工业园区|科技园区|化工集中区|产业园|工业园|科技园|科技城(?!市)|物流园|孵化园|创业园|科创园|软件园|化工园|电商园|创意园|产业基地|园中园|区中园|泛在小镇|小镇|园区"
PARK_HEAD = re.compile(rf"(?:{PARK_HEADS})$")
_HEAD = re.compile(PARK_HEADS)
_HEAD_ONLY = re.compile(rf"(?:科技|产业|工业)?(?:{PARK_HEADS})$")
# Followed by one of these, the park name is part of a company's name.
_COMPANY_AFTER = re.compile(r"有限|股份|公司|集团")


# Words that rank or describe a park rather than name it.
_DESCRIPTIVE = frozenset("老牌 综合性 代表 功能 重点 省级 市级 县级 国家级 特色 专业 示范 标准化 "
                         "大型 小型 中小企业 新型 传统 各类 一批 若干 首批 利用 充分利用 外事 配套 "
                         # what relation the park has to others: 飞地园区, 托管园区
                         "飞地 托管 异地".split())
# …alone before the head (合作园区, 共建园区); in a name they may stay (中德合作产业园).
_RELATION_ALONE = frozenset("合作 共建 合作共建".split())


def _describes(prefix: str) -> bool:
    if prefix in _RELATION_ALONE:
        return True
    words = words_of(prefix)
    return any(w in _DESCRIPTIVE for w in words) or (bool(words) and is_boundary_word(words[0])) or \
        any(prefix.startswith(w) for w in _DESCRIPTIVE if len(w) > 1)  # 省级重点 is one token


# 全省首个X产业园, 首批Y产业园区, 唯一的Z园区: an ordinal or a count before the phrase
# says what kind of park the zone is or has, it does not name one. Modifiers (全产业链式的)
# may come in between, up to the clause's punctuation.
_RANKED = re.compile(r"(?:首个|首家|首座|首批|第[一二三四五六七八九十]+个|第[一二三四五六七八九十]+批|唯一|一个|一座|一批|又一)"
                     r"[^，,。；;、:：!?！？“”()（）]{0,10}$")


def _ranked(doc: Doc, start: int) -> bool:
    return _RANKED.search(doc.text, max(doc.sentence_at(start).start, start - 14), start) is not None


def canonical_park_name(name: str) -> str:
    # 生物医药产业园区 and 生物医药产业园 are one park.
    return name[:-1] if name.endswith(("产业园区", "工业园区", "科技园区")) else name


def _only_a_place(prefix: str) -> bool:
    bare = re.sub(r"(?:省|市|县|区)$", "", prefix)
    return bool(bare) and place_prefix(bare) == bare


_BUILDS = re.compile(r"(?:投资建设|投资兴建|建设|兴建|打造|新建)")
_BUILT_BY_BEFORE = re.compile(r"(?:将|拟)?(?:投资建设|投资兴建|合作建设|建设|兴建|打造|开发)的$")
# What happens to a project, never to an area: Y产业园签约落户, Y产业园奠基, Y产业园开工建设.
_PROJECT_EVENT = re.compile(r"(?:正式|成功|顺利|已|将)?(?:签约|落户|落地|奠基|开工)")
# (the event itself, not the park doing it: 桑田产业园开工青松食品项目 launches other projects)
_LAUNCHES_OTHERS = re.compile(r"[^，,。；;]{0,24}?(?:项目|[0-9一二三四五六七八九十两]+个|企业|家)")


def _project_event(text: str, end: int) -> bool:
    event = _PROJECT_EVENT.match(text, end)
    return event is not None and _LAUNCHES_OTHERS.match(text, event.end()) is None


def _built_by_company(doc: Doc, start: int, end: int) -> bool:
    """X有限公司将在园区建设集研发、展示于一体的文创产业园: a park a company builds, the object
    that ends the clause the company opens, is that company's project."""
    text = doc.text
    # 远途集团投资建设的|数字内容产业园: a company named right before 建设的 builds it, wherever
    # the clause goes on.
    built = _BUILT_BY_BEFORE.search(text, max(start - 8, 0), start)
    if built is not None and any(e.end == built.start() for e in doc.mentions_of("Enterprise")):
        return True
    sent = doc.sentence_at(start)
    clause = doc.clause_start(start)
    if not re.match(r"\s*(?:[，,。；;]|$)", text[end:end + 2]) and end != sent.end:
        return False
    opener = next((e for e in doc.mentions_of("Enterprise") if e.start == clause and e.end < start), None)
    return opener is not None and opener.name.endswith(("公司", "集团")) and \
        _BUILDS.search(text, opener.end, start) is not None


_DATE = re.compile(r"[0-9]{4}年(?:[0-9]{1,2}月)?(?:[0-9]{1,2}日)?|[0-9]{1,2}月(?:[0-9]{1,2}日)?")


@component("parks", RECOGNIZE + 4)
def recognize_parks(doc: Doc) -> None:
    text = doc.text
    localities = zone_localities(doc)  # 青湾|新能源产业园 of 青湾经济开发区: the zone's, not a brand
    for m in _HEAD.finditer(text):
        if _COMPANY_AFTER.match(text, m.end()):
            continue
        # (芯片|封装|产业园: a verb after a trade is part of the name, as in projects)
        start = left_start(doc, m.start(), 14, allow_digits=True, compound_verbs=True)
        while start < m.start() and not text[start].isalnum():
            start += 1
        date = _DATE.match(text, start, m.start())
        if date:
            start = date.end()  # 2025年|园区汽车产业实现产值: a date, not part of the park's name
        prefix = text[start:m.start()]
        if is_generic_prefix(prefix) or "项目" in prefix or re.search(r"[0-9一二三四五六七八九十两]+个|^[一二三四五六七八九十两]+大", prefix):
            continue
        if text.startswith("项目", m.end()) or _describes(prefix) or _ranked(doc, start):
            continue  # 未来科技园项目 is a project; 老牌工业园, 省级重点产业园 describe a park
        if any(m.type == "Project" and m.start < start < m.end for m in doc.mentions):
            continue  # 军工产业基地 inside 海能达军工产业基地, a project
        if m.group() in ("园区", "小镇") and len(prefix) < 2:
            continue
        if m.group() == "园区" and _only_a_place(prefix):
            continue  # 宁波市园区: a city's parks, none by name
        span = (start, m.end())
        claimed = doc.claimed.get(span)
        if claimed is not None:
            continue  # a list said what it is
        brand = brand_prefix(doc, start, m.end())
        # A brand with an industry after it (宏途|山药食品|产业园) makes a company's project;
        # a bare name before the head (南岗|科技园) is the park's own name.
        if brand is not None and not _HEAD_ONLY.match(text, brand[1], m.end()) and \
                text[brand[0]:brand[1]] not in localities and \
                not text.startswith(("国家", "省级", "市级"), brand[1]):  # 杨凌|国家农业科技园区: a park of a level
            doc.claimed[span] = "Project"
            doc.add_mention("Project", start, m.end(), rule="branded-park")
            continue
        if _built_by_company(doc, start, m.end()):
            doc.claimed[span] = "Project"
            doc.add_mention("Project", start, m.end(), rule="park-a-company-builds")
            continue
        if _project_event(text, m.end()):
            doc.claimed[span] = "Project"
            doc.add_mention("Project", start, m.end(), rule="park-event")
            continue
        doc.add_mention("Park", start, m.end(), canonical_park_name(text[start:m.end()]), rule="park-head")


# X基地由Y投资建设, X产业园由Y公司建设运营: a company builds it.
_BUILT_BY_AFTER = re.compile(r"(?:项目)?(?:是)?由(?P<who>[^，,。；;]{2,30}?)(?:负责|独资|全资|合资)?"
                             r"(?:投资建设|投资兴建|建设运营|投资|建设|承建|开发|运营)")


@component("parks-built-by", RESOLVE - 3)
def retype_parks_built_by(doc: Doc) -> None:
    """A park the text says a company builds (时代新能源电池产业基地由宁德时代投资建设) is that
    company's project, wherever it is named: a zone's park has no single builder."""
    from kg.extract.extractors.company_lists import company_shape

    built = set()
    for m in list(doc.mentions_of("Park")):
        by = _BUILT_BY_AFTER.match(doc.text, m.end)
        if not by:
            continue
        s, e = by.span("who")
        if any(c.start >= s and c.end <= e for c in doc.mentions_of("Enterprise")):
            built.add(m.name)
        elif company_shape(by.group("who")) >= 1 and not any(x.start < e and s < x.end for x in doc.mentions):
            # (由宁德时代投资建设: a place and a brand in a builder's role name a company)
            doc.add_mention("Enterprise", s, e, rule="builder-of-park")
            built.add(m.name)
    if built:
        doc.mentions = [Mention("Project", m.start, m.end, m.name, m.rule + "+built-by")
                        if m.type == "Park" and m.name in built else m for m in doc.mentions]
