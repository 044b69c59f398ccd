"""A park that is the area itself: 青松工业园区, 临江工业园, 宏远产业园管委会.

Guideline: a standalone 工业园 / 产业园 / 基地 that no larger named zone contains is the
zone the article is about. These signals say so: the park has an administration of its
own (X管委会, X管理委员会, X党工委), as only zones do; it is placed in a city or county
(X工业园区位于Y县), as parks inside a zone are not; it opens one of parallel clauses that
zones open (甲经开区…;乙工业园区…); or the article names no zone at all, and then its most
mentioned park is the area it is about, unless the article speaks of a zone by its kind
alone (试验区…): then the parks lie in that unnamed zone, and the article has no Zone.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.document import Doc, Mention
from kg.extract.extractors.parks import PARK_HEAD
from kg.extract.names import place_prefix
from kg.extract.pipeline import RESOLVE, component

_ADMINISTRATION = re.compile(r"管委会|管理委员会|党工委|党委|管理局")


# A city or county by its ending, for the places the lexicon lacks: 宁川市, 东岭县.
_DIVISION = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|县|旗|自治州)")
_LIES_IN = re.compile(r"区?(?:位于|地处|坐落于|坐落在)")


def _placed_in_division(doc: Doc, m: Mention) -> bool:
    """东岭工业园区位于宁川市东岭县: a park placed in a city or county, as the subject of
    its sentence, is an area of its own; a park inside a zone is placed in the zone
    (位于开发区东部), not in a division."""
    if not m.name.endswith(("园区", "工业园", "产业园", "基地")) or not _LIES_IN.match(doc.text, m.end):
        return False
    sent = doc.sentence_at(m.start)
    if doc.text[sent.start:m.start].strip("　 ■●"):
        return False  # the park is not what the sentence is about
    after = doc.text[_LIES_IN.match(doc.text, m.end).end():sent.end]
    return (place_prefix(after) != "" or _DIVISION.match(after) is not None) and not re.match(r"[^，,。；;]{0,12}(?:开发区|高新区|经开区|新区|综保区|示范区)", after)


def _opens(doc: Doc, m: Mention, sent) -> bool:
    return sent.start <= m.start and not doc.text[sent.start:m.start].strip("　 ■●")


def _beside_zones(doc: Doc, m: Mention) -> bool:
    """甲经开区聚焦汽车…;乙高新区重点发展…;丙工业园区依托港口…: a park that opens one of the
    parallel clauses (split at ;) whose neighbours open with zones is one of the areas
    listed, not a part of them."""
    if not m.name.endswith(("园区", "工业园", "产业园")):
        return False
    sent = doc.sentence_at(m.start)
    if not _opens(doc, m, sent):
        return False
    def after_semicolon(s) -> bool:
        return s.start > 0 and doc.text[s.start - 1] in "；;"

    neighbours = []
    if sent.index > 0 and after_semicolon(sent):
        neighbours.append(doc.sentences[sent.index - 1])
    if sent.index + 1 < len(doc.sentences) and after_semicolon(doc.sentences[sent.index + 1]):
        neighbours.append(doc.sentences[sent.index + 1])
    if any(z.start >= n.start and z.end <= n.end and _opens(doc, z, n) and n.paragraph == sent.paragraph
           for n in neighbours for z in doc.mentions_of("Zone")):
        return True
    # Sentences in a row of areas: 甲经开区围绕…。乙高新区聚焦…。丙工业园区则重点发展…:
    # two other zones open sentences of its paragraph, so the park is one more of them.
    openers = {z.name for z in doc.mentions_of("Zone")
               if _opens(doc, z, doc.sentence_at(z.start)) and doc.sentence_at(z.start).paragraph == sent.paragraph}
    return len(openers) >= 2


# A numbered entry that a place's name opens: 2.青松工业园区:主导产业为…; (3)白鹭产业园,…
_ENTRY_NUMBER = re.compile(r"(?:^|\n)[ \t]*(?:[0-9]{1,3}[.．、]|[(（][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)[ \t]*$")
_ENTRY_END = re.compile(r"[:：，,(（]|\n|$")


def _opens_entry(doc: Doc, m: Mention) -> bool:
    return _ENTRY_NUMBER.search(doc.text, max(m.start - 8, 0), m.start) is not None and \
        _ENTRY_END.match(doc.text, m.end) is not None


def _listed_areas(doc: Doc) -> set[str]:
    """1.青岚高新区:…  2.白鹭工业园区:…  3.青松食品产业园:…: a numbered list whose entries a
    zone opens lists areas side by side; a park (or a 产业园 read as a project) opening one
    of its entries is an area of its own, not a part of the zone before it."""
    openers = [m for m in doc.mentions if m.type in ("Zone", "Park", "Project") and _opens_entry(doc, m)]
    if not any(m.type == "Zone" for m in openers) or len(openers) < 3:
        return set()
    return {m.name for m in openers if m.type == "Park" or (m.type == "Project" and PARK_HEAD.search(m.name))}


def _listed_with_zones(doc: Doc, m: Mention) -> bool:
    """青岚经开区、临空经济区和桑田产业园: a park listed beside zones is one more of the areas."""
    text = doc.text
    zone_ends = {z.end for z in doc.mentions_of("Zone")}
    zone_starts = {z.start for z in doc.mentions_of("Zone")}
    before = next((m.start - len(j) for j in ("、", "和", "及", "与") if text.endswith(j, 0, m.start)), None)
    after = next((m.end + len(j) for j in ("、", "和", "及", "与") if text.startswith(j, m.end)), None)
    return (before is not None and before in zone_ends) or (after is not None and after in zone_starts)


def _as_zone(doc: Doc, m: Mention) -> Mention:
    # Named as written: 青松工业园区 (a park's name drops the 区, a zone's keeps it).
    return Mention("Zone", m.start, m.end, doc.text[m.start:m.end], m.rule + "+zone")


# What an article calls its zone when it does not name it (试验区上半年…, 开发区今年…): the
# parks it names lie in that zone, none of them is the zone.
_BARE_ZONE = re.compile(r"(?<![\u4e00-\u9fff])(?:试验区|开发区|经开区|高新区|新区|综保区|保税区|示范区|集聚区)")


def _unnamed_zone(doc: Doc) -> bool:
    """The article speaks of its zone by its kind alone, as the start of a clause."""
    return any(not any(m.start <= z.start() < m.end for m in doc.mentions) for z in _BARE_ZONE.finditer(doc.text))


@component("standalone-parks", RESOLVE - 1)
def promote_standalone_parks(doc: Doc) -> None:
    listed = _listed_areas(doc)
    if listed:
        # (the company read at the head of a 产业园 taken for a project goes with it)
        heads = {m.start for m in doc.mentions if m.type == "Project" and m.name in listed}
        doc.mentions = [_as_zone(doc, m) if m.type == "Project" and m.name in listed else m for m in doc.mentions
                        if not (m.type == "Enterprise" and m.rule == "project-brand" and m.start in heads)]
    parks = list(doc.mentions_of("Park"))
    if not parks:
        return
    promoted = {m.name for m in parks if _ADMINISTRATION.match(doc.text, m.end) or _placed_in_division(doc, m)
                or _beside_zones(doc, m) or m.name in listed or _listed_with_zones(doc, m)}
    if not any(True for _ in doc.mentions_of("Zone")) and not promoted and not _unnamed_zone(doc):
        counts = Counter(m.name for m in parks)
        first = {}
        for m in sorted(parks, key=lambda m: m.start):
            first.setdefault(m.name, m.start)
        promoted.add(max(counts, key=lambda n: (counts[n], -first[n])))
    if promoted:
        doc.mentions = [_as_zone(doc, m) if m.type == "Park" and m.name in promoted else m for m in doc.mentions]
