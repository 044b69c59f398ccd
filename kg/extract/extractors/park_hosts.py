"""Park-level hosting: the zone hosts every enterprise (membership.py); a park hosts
those the text places in it.

- 在南岗科技园，A、B等企业持续扩产: enterprises in a sentence that opens in a park;
- A入驻/落户/进驻电梯产业园, 电梯产业园引进/入驻了A: a move into a park;
- an enterprise that operates a project located in a park.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc
from kg.extract.pipeline import RELATE, component

_MOVE_IN = r"(?:入驻|落户|进驻|签约落户|扎根)"
_TAKES_IN = r"(?:引进|引入|入驻了|已入驻|落户了|吸引)"
_OPENS_IN = re.compile(r"在[^，,。；;]{0,8}?$")


@component("park-hosts", RELATE + 4)
def relate_park_hosts(doc: Doc) -> None:
    parks = sorted(doc.mentions_of("Park"), key=lambda m: m.start)
    ents = sorted(doc.mentions_of("Enterprise"), key=lambda m: m.start)
    done = set()

    def host(park, ent, sent_index, rule):
        pair = (doc.resolve(park.key), doc.resolve(ent.key))
        if pair not in done:
            done.add(pair)
            doc.add_fact("hosts", pair[0], pair[1], sent_index, rule=rule)

    for park in parks:
        sent = doc.sentence_at(park.start)
        in_sentence = [e for e in ents if sent.start <= e.start < sent.end]
        if not in_sentence:
            continue
        before = doc.text[sent.start:park.start]
        after = doc.text[park.end:sent.end]
        if _OPENS_IN.search(before) and re.match(r"(?:内|里|中)?[，,]", after):
            for e in in_sentence:
                if e.start > park.end:
                    host(park, e, sent.index, "in-park")
        if re.match(_TAKES_IN, after):
            clause_end = min([sent.end] + [park.end + m.start() for m in re.finditer(r"[，,；;。]", after)])
            for e in in_sentence:
                if park.end < e.start < clause_end:
                    host(park, e, sent.index, "park-takes-in")
        for e in in_sentence:
            if e.end <= park.start and re.fullmatch(rf"{_MOVE_IN}(?:到|至|于)?", doc.text[e.end:park.start]):
                host(park, e, sent.index, "moves-into-park")

    # An enterprise that runs a project in a park is in that park.
    located = {f.subject: f.object for f in doc.facts if f.rel == "locatedIn" and f.object and f.object[0] == "Park"}
    for f in list(doc.facts):
        if f.rel == "operatedBy" and f.subject in located and (located[f.subject], f.object) not in done:
            done.add((located[f.subject], f.object))
            doc.add_fact("hosts", located[f.subject], f.object, f.sentence, rule="project-in-park")
