"""A park that is the area itself: 青松工业园区, 临江工业园, 宏远产业园管委会.

Guideline: a standalone 工业园 / 产业园 / 基地 that no larger named zone contains is the
zone the article is about. Two signals say so: the park has an administration of its
own (X管委会, X管理委员会, X党工委), as only zones do; or the article names no zone at
all, and then its most mentioned park is the area it is about.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.document import Doc, Mention
from kg.extract.pipeline import RESOLVE, component

_ADMINISTRATION = re.compile(r"管委会|管理委员会|党工委|党委|管理局")


def _as_zone(doc: Doc, m: Mention) -> Mention:
    # Named as written: 青松工业园区 (a park's name drops the 区, a zone's keeps it).
    return Mention("Zone", m.start, m.end, doc.text[m.start:m.end], m.rule + "+zone")


@component("standalone-parks", RESOLVE - 1)
def promote_standalone_parks(doc: Doc) -> None:
    parks = list(doc.mentions_of("Park"))
    if not parks:
        return
    promoted = {m.name for m in parks if _ADMINISTRATION.match(doc.text, m.end)}
    if not any(True for _ in doc.mentions_of("Zone")) and not promoted:
        counts = Counter(m.name for m in parks)
        first = {}
        for m in sorted(parks, key=lambda m: m.start):
            first.setdefault(m.name, m.start)
        promoted.add(max(counts, key=lambda n: (counts[n], -first[n])))
    if promoted:
        doc.mentions = [_as_zone(doc, m) if m.type == "Park" and m.name in promoted else m for m in doc.mentions]
