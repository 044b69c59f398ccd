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


# 加强与X、Y的洽谈对接: talks with a company are not its presence in the zone.
_NEGOTIATION = re.compile(r"与(?P<who>[^，,。；;]{2,60}?)的[^，,。；;]{0,4}?(?:对接|洽谈|治谈|沟通|接洽)")


def _negotiation_spans(doc: Doc) -> list[tuple[int, int]]:
    return [m.span("who") for m in _NEGOTIATION.finditer(doc.text)]


# 宁远县引进X…, 永宁县签约Y…: a clause whose subject is another city or county tells
# what that place did, not what the zone hosts.
_ELSEWHERE_VERBS = ("引进", "签约", "招引", "新建", "建设", "投资", "落地", "开工")


def _about_elsewhere(doc: Doc, zone, pos: int) -> bool:
    from kg.extract.divisions import codes_named
    from kg.extract.lexicon import places, word_tag

    sent = doc.sentence_at(pos)
    clause = max([sent.start] + [doc.text.rfind(c, sent.start, pos) + 1 for c in "，,；;"])
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


@component("membership", RELATE)
def relate_membership(doc: Doc) -> None:
    scope = ZoneScope(doc)
    first: dict = {}
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if m.type in _REL_OF or m.type == "Project":
            first.setdefault(doc.resolve(m.key), m)
    parks = {doc.resolve(m.key): m.name for m in doc.mentions_of("Park")}
    talks = _negotiation_spans(doc)
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
            doc.add_fact(_REL_OF[m.type], zone, key, sent, rule="scope")
