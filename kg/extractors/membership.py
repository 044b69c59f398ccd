"""What belongs to which zone: hosts, hasPark, hasChain, hasCluster, and a project's
locatedIn (zone, and park when the project is named after a park of the zone).

Guideline: an enterprise named in an article about a zone operates there unless the
text says otherwise, so every enterprise is hosted by the zone in scope where it is
first named.
"""
from __future__ import annotations

from kg.document import Doc
from kg.pipeline import RELATE, component
from kg.scope import ZoneScope

_REL_OF = {"Enterprise": "hosts", "Park": "hasPark", "IndustryChain": "hasChain", "IndustryCluster": "hasCluster"}


@component("membership", RELATE)
def relate_membership(doc: Doc) -> None:
    scope = ZoneScope(doc)
    first: dict = {}
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if m.type in _REL_OF or m.type == "Project":
            first.setdefault(doc.resolve(m.key), m)
    parks = {doc.resolve(m.key): m.name for m in doc.mentions_of("Park")}
    for key, m in first.items():
        zone = scope.zone_at(m.start)
        if zone is None or zone == key:
            continue
        sent = doc.sentence_at(m.start).index
        if m.type == "Project":
            doc.add_fact("locatedIn", key, zone, sent, rule="scope")
            # 生物医药产业园基础设施 is in the 生物医药产业园.
            for park_key, park_name in parks.items():
                if m.name.startswith(park_name) and m.name != park_name:
                    doc.add_fact("locatedIn", key, park_key, sent, rule="park-prefix")
        else:
            doc.add_fact(_REL_OF[m.type], zone, key, sent, rule="scope")
