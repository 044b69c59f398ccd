"""One article's extraction as plain data: entities with their spellings, and facts
with their evidence. This is what crosses process boundaries and caches; the
graph is built from a list of these.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.document import Doc
from kg.extract.pipeline import extract


@dataclass(frozen=True)
class Entity:
    local_id: str  # unique within the article
    type: str
    names: tuple[str, ...]  # canonical spelling first, then the others in order of appearance
    code: str = ""  # a Place's administrative division (GB/T 2260), when known


@dataclass(frozen=True)
class Evidence:
    text: str  # the sentence, verbatim from the source file
    start: int  # character offsets of the sentence in the decoded source text
    end: int


@dataclass(frozen=True)
class FactRecord:
    rel: str
    subject: str  # local entity id
    object: str | None  # local entity id; None for invests
    amount_cny: int | None
    evidence: Evidence


@dataclass
class Extraction:
    doc_id: str  # the file name without its suffix
    file_name: str
    sha256: str
    entities: list[Entity] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)


def extraction_from_doc(doc: Doc, file_name: str, sha256: str) -> Extraction:
    out = Extraction(doc.doc_id, file_name, sha256)
    names: dict = {}
    for m in sorted(doc.mentions, key=lambda m: (m.start, m.end, m.type, m.name)):
        root = doc.resolve(m.key)
        spellings = names.setdefault(root, [root[1]])
        if m.name not in spellings:
            spellings.append(m.name)
    used = {f.subject for f in doc.facts} | {f.object for f in doc.facts if f.object}
    ids: dict = {}
    for root in sorted(names, key=lambda k: (k[0], k[1])):
        # A place is only a fact's object; one that no fact uses is not annotated.
        if root[0] == "Place" and root not in used:
            continue
        ids[root] = f"e{len(ids)}"
        out.entities.append(Entity(ids[root], root[0], tuple(names[root]), doc.place_codes.get(root, "")))
    seen = set()
    for f in doc.facts:
        s = doc.resolve(f.subject)
        o = doc.resolve(f.object) if f.object else None
        if s not in ids or (o is not None and o not in ids) or s == o:
            continue
        key = (f.rel, s, o, f.amount_cny)
        if key in seen:
            continue
        seen.add(key)
        sent = doc.sentences[f.sentence]
        src_start, src_end = doc.norm.to_source(sent.start, sent.end)
        evidence = Evidence(doc.norm.source[src_start:src_end], src_start, src_end)
        out.facts.append(FactRecord(f.rel, ids[s], ids[o] if o else None, f.amount_cny, evidence))
    return out


def extract_article(doc_id: str, text: str, file_name: str = "", sha256: str = "") -> Extraction:
    return extraction_from_doc(extract(doc_id, text), file_name or doc_id, sha256)
