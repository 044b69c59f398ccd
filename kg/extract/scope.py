"""Which zone a passage is about.

Articles about one zone often name others (a sub-zone, a partner zone). A mention
belongs to the zone most recently named before it in the same paragraph — a bare
开发区 or 全区 names the article's own zone — and otherwise to the article's own zone.
"""
from __future__ import annotations

import bisect

from kg.extract.document import Doc, Key


class ZoneScope:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        marks: list[tuple[int, Key]] = [(m.start, doc.resolve(m.key)) for m in doc.mentions_of("Zone")]
        if doc.home_zone is not None:
            marks += [(s, doc.ref_zone.get((s, e), doc.home_zone)) for s, e in doc.home_refs]
        marks.sort()
        self._starts = [p for p, _ in marks]
        self._zones = [z for _, z in marks]

    def zone_at(self, pos: int) -> Key | None:
        para = self.doc.sentence_at(pos).paragraph
        i = bisect.bisect_left(self._starts, pos) - 1
        while i >= 0:
            if self.doc.sentence_at(self._starts[i]).paragraph != para:
                break
            return self._zones[i]
        return self.doc.home_zone
