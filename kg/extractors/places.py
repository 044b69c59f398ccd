"""Where a zone is: the province or city in its name (国家许昌经济技术开发区 → 许昌),
or a place named in the same sentence when its name has none (中原电气谷…许昌市).
A name starting with 市 (市城乡一体化示范区) means the article's city.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.document import Doc
from kg.lexicon import Place, places
from kg.names import place_prefix
from kg.pipeline import RELATE, component

_NATIONAL = re.compile(r"^(国家级?)")


def _place_in_name(name: str) -> Place | None:
    table = places()
    stripped = _NATIONAL.sub("", name)
    p = place_prefix(stripped) or place_prefix(name)
    if p:
        return table[p]
    # 鹤壁国家经济技术开发区: the place before 国家.
    i = name.find("国家")
    if i >= 2 and name[:i] in table:
        return table[name[:i]]
    return None


def _place_mentions(doc: Doc, start: int, end: int) -> list[tuple[int, int, Place]]:
    table = places()
    found = []
    text = doc.text
    for s, e in doc.tokens(doc.sentence_at(start)):
        if s >= start and e <= end:
            word = text[s:e]
            if word in table and table[word].level in ("province", "city"):
                found.append((s, e, table[word]))
    return found


def _add_place(doc: Doc, place: Place, start: int, end: int) -> tuple[str, str]:
    # A place is named as it is written; its full and short names are both its names.
    doc.add_mention("Place", start, end, place.name, rule="place")
    if place.short != place.name:
        doc.add_mention("Place", start, end, place.short, rule="place-short")
        doc.alias_of[("Place", place.short)] = ("Place", place.name)
    return ("Place", place.name)


@component("zone-places", RELATE + 1)
def relate_zone_places(doc: Doc) -> None:
    city_counts: Counter = Counter()
    for sent in doc.sentences:
        for _, _, p in _place_mentions(doc, sent.start, sent.end):
            if p.level == "city":
                city_counts[p.name] += 1
    article_city = max(city_counts, key=lambda n: (city_counts[n], n)) if city_counts else None

    done = set()
    for m in sorted(doc.mentions_of("Zone"), key=lambda m: m.start):
        zone = doc.resolve(m.key)
        if zone in done:
            continue
        sent = doc.sentence_at(m.start)
        place = _place_in_name(m.name)
        if place is not None:
            done.add(zone)
            pk = _add_place(doc, place, m.start, m.end)
            doc.add_fact("locatedIn", zone, pk, sent.index, rule="place-in-name")
            continue
        if m.name.startswith("市") and article_city:
            done.add(zone)
            city = places()[article_city]
            pk = _add_place(doc, city, m.start, m.start + 1)
            doc.add_fact("locatedIn", zone, pk, sent.index, rule="article-city")
            # "the city's zone": its full name carries the city (许昌市城乡一体化示范区).
            full = ("Zone", city.short + m.name)
            doc.add_mention("Zone", m.start, m.end, full[1], rule="zone-qualified")
            doc.alias_of[zone] = full
            done.add(full)  # later mentions resolve to the qualified name: qualify once
            continue
        nearby = [p for p in _place_mentions(doc, sent.start, sent.end) if p[2].level == "city"]
        if nearby:
            done.add(zone)
            s, e, place = nearby[0]
            pk = _add_place(doc, place, s, e)
            doc.add_fact("locatedIn", zone, pk, sent.index, rule="place-in-sentence")
