"""Which zone a passage is about.

Articles about one zone often name others (a sub-zone, a partner zone). A mention
belongs to the zone most recently named before it in the same paragraph — a bare
开发区 or 全区 names the article's own zone — and otherwise to the article's own zone;
except that a zone named after it in its clause, where it settles (X落户Z, X在Z投资), is its own.
"""
from __future__ import annotations

import bisect
import re

from kg.extract.document import Doc, Key

# From a mention to the zone after it in its clause: it settles, invests or is there.
_SETTLES_IN = re.compile(r"[^，,。；;!?！？\n]{1,30}?(?:落户|入驻|进驻|扎根|落地|迁入|在|于|落户到|入驻到)")


# 以白桦港、宁川合作区为依托的试验区: a zone named as what another area
# rests on describes that area; the passage after it is not about the zone.
_MEANS_BEFORE = re.compile(r"以[^，,。；;!?！？\n]{0,30}$")
_MEANS_AFTER = re.compile(r"[^，,。；;!?！？\n]{0,16}?为(?:主要|重要|核心|主)?(?:载体|依托|平台|支撑|抓手|龙头|核心|主体|基础|引领)")


def _as_means(doc: Doc, start: int, end: int) -> bool:
    return _MEANS_BEFORE.search(doc.text, max(start - 30, 0), start) is not None and \
        _MEANS_AFTER.match(doc.text, end) is not None


class ZoneScope:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        marks: list[tuple[int, Key]] = [(m.start, doc.resolve(m.key)) for m in doc.mentions_of("Zone")
                                        if not _as_means(doc, m.start, m.end)]
        if doc.home_zone is not None:
            marks += [(s, doc.ref_zone.get((s, e), doc.home_zone)) for s, e in doc.home_refs]
        marks.sort()
        self._starts = [p for p, _ in marks]
        self._zones = [z for _, z in marks]

    def zone_at(self, pos: int) -> Key | None:
        para = self.doc.sentence_at(pos).paragraph
        i = bisect.bisect_left(self._starts, pos) - 1
        if i + 1 < len(self._starts) and _SETTLES_IN.fullmatch(self.doc.text, pos, self._starts[i + 1]):
            return self._zones[i + 1]  # X落户宁川经开区, X在宁川高新区投资: the zone the clause names after it
        while i >= 0:
            if self.doc.sentence_at(self._starts[i]).paragraph != para:
                break
            return self._zones[i]
        return self.doc.home_zone
